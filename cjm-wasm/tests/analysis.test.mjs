// Scoring, survey, event-log and rendering functions of cjm-wasm (the `--target nodejs` build):
// the cjm-node names and option shapes, results as plain data, and argument errors. The numbers
// themselves are checked by the language-neutral cases (cases.test.mjs).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { checkErrorShape } from "./lib/cases.mjs";
import { loadNodePackage, readTestFile, repoRoot } from "./lib/node.mjs";

const cjm = loadNodePackage();
const scoring = cjm.loadJourney(readTestFile("inputs/scoring.yaml"), { format: "yaml" });
const clean = cjm.loadJourney(readTestFile("inputs/clean.yaml"), { format: "yaml" });
const toBe = cjm.loadJourney(readTestFile("inputs/clean-to-be.yaml"), { format: "yaml" });
const sports = cjm.loadJourney(readFileSync(join(repoRoot, "examples/sports-nutrition/journey.yaml")), { format: "yaml" });
const basicCsv = readTestFile("inputs/events/basic.csv");
const spec = { steps: ["view", "cart", "purchase"], window: "7d" };

function cjmError(fn, code) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error, "nothing was thrown");
  checkErrorShape(error);
  assert.equal(error.code, code, error.message);
  return error;
}

describe("scoring", () => {
  test("emotionCurve: everyone by default, one persona by id, unknown ids refused", () => {
    const all = cjm.emotionCurve(scoring);
    assert.equal(all.persona ?? null, null);
    assert.deepEqual(cjm.emotionCurve(scoring, { persona: null }), all);
    assert.equal(cjm.emotionCurve(scoring, { persona: "a" }).persona, "a");
    assert.equal(Object.getPrototypeOf(all), Object.prototype);
    cjmError(() => cjm.emotionCurve(scoring, { persona: "nobody" }), "unknown_persona");
    cjmError(() => cjm.emotionCurve(scoring, { persona: 1 }), "invalid_argument");
    cjmError(() => cjm.emotionCurve(scoring, { personas: "a" }), "invalid_argument");
  });

  test("frictionIndex: default and partial weights; unknown or non-finite weights refused", () => {
    const report = cjm.frictionIndex(scoring);
    assert.ok(report.journey.index > 0);
    assert.deepEqual(cjm.frictionIndex(scoring, { weights: null }), report);
    const emotionOnly = cjm.frictionIndex(scoring, { weights: { pain: 0, drop_off: 0, effort: 0, time: 0, support: 0, backtracking: 0, errors: 0 } });
    assert.notEqual(emotionOnly.journey.index, report.journey.index);
    // JS options are camelCase (dropOff); the snake_case name is still read. Results echo
    // the weights in snake_case, as all result data is.
    const dropOnly = { emotion: 0, pain: 0, effort: 0, time: 0, support: 0, backtracking: 0, errors: 0 };
    const camel = cjm.frictionIndex(scoring, { weights: { ...dropOnly, dropOff: 1 } });
    assert.deepEqual(camel, cjm.frictionIndex(scoring, { weights: { ...dropOnly, drop_off: 1 } }));
    assert.equal(camel.weights.drop_off, 1);
    assert.notEqual(camel.journey.index, report.journey.index);
    cjmError(() => cjm.frictionIndex(scoring, { weights: { feelings: 1 } }), "invalid_argument");
    cjmError(() => cjm.frictionIndex(scoring, { weights: { emotion: NaN } }), "invalid_argument");
    cjmError(() => cjm.frictionIndex(scoring, { weights: { emotion: "1" } }), "invalid_argument");
    cjmError(() => cjm.frictionIndex(scoring, []), "invalid_argument");
  });

  test("analyzeGaps, improvementPlan, planCsv, compareJourneys", () => {
    assert.ok(Array.isArray(cjm.analyzeGaps(scoring).gaps));
    const plan = cjm.improvementPlan(scoring);
    assert.ok(Array.isArray(plan.items));
    const csv = cjm.planCsv(scoring);
    assert.equal(typeof csv, "string");
    assert.ok(csv.split("\n").length >= plan.items.length + 1);
    const comparison = cjm.compareJourneys(clean, toBe);
    assert.deepEqual(comparison.added, ["receipt"]);
    assert.deepEqual(cjm.compareJourneys(clean, toBe, { weights: {} }), comparison);
    cjmError(() => cjm.compareJourneys(clean), "invalid_argument");
  });

  test("journeyHealth and scoreJourney: today, staleAfterDays, weights", () => {
    const health = cjm.journeyHealth(scoring, { today: "2026-11-27" });
    assert.equal(health.days_since_update, 26);
    assert.equal(cjm.journeyHealth(scoring, { today: null }).days_since_update ?? null, null);
    const score = cjm.scoreJourney(scoring, { today: "2026-11-27", staleAfterDays: 10, weights: {} });
    assert.ok(score.health && score.friction && Array.isArray(score.curves), Object.keys(score).join());
    cjmError(() => cjm.journeyHealth(scoring, { today: "27.11.2026" }), "invalid_option");
    cjmError(() => cjm.journeyHealth(scoring, { stale_after_days: 1 }), "invalid_argument");
  });

  test("nps, csat, ces: arrays and typed arrays; off-scale answers are data errors", () => {
    const nps = cjm.nps([10, 9, 8, 0]);
    assert.deepEqual(cjm.nps(new Float64Array([10, 9, 8, 0])), nps);
    assert.deepEqual(cjm.nps(Uint8Array.from([10, 9, 8, 0])), nps);
    assert.equal(cjm.csat([5, 4, 1]).responses ?? 3, 3);
    assert.ok(cjm.ces([1, 7, 4]));
    const error = cjmError(() => cjm.nps([10, 11]), "invalid_response");
    assert.equal(error.kind, "data");
    assert.equal(error.location.path, "/1");
    cjmError(() => cjm.nps("10,9"), "invalid_argument");
    cjmError(() => cjm.nps([10, "9"]), "invalid_argument");
    cjmError(() => cjm.nps(new BigInt64Array(1)), "invalid_argument");
    cjmError(() => cjm.csat(new DataView(new ArrayBuffer(2))), "invalid_argument");
  });
});

describe("event logs", () => {
  test("funnel: text or bytes, skipped_rows, single-threaded core", () => {
    const result = cjm.funnel(basicCsv, spec);
    assert.equal(result.skipped_rows, 0);
    assert.deepEqual(cjm.funnel(basicCsv.toString("utf8"), spec, { format: "csv" }), result);
    const skipped = cjm.funnel(readTestFile("inputs/events/bad-row.csv"), { steps: ["view"], window: "7d" }, { skipBadRows: true });
    assert.equal(skipped.skipped_rows, 1);
    cjmError(() => cjm.funnel(basicCsv, { ...spec, window: "soon" }), "invalid_option");
    cjmError(() => cjm.funnel(basicCsv, { ...spec, windw: "7d" }), "invalid_argument");
    cjmError(() => cjm.funnel(basicCsv, "view"), "invalid_argument");
    cjmError(() => cjm.funnel(42, spec), "invalid_argument");
    cjmError(() => cjm.funnel(basicCsv, spec, { format: "xml" }), "unsupported_format");
    cjmError(() => cjm.funnel(basicCsv, spec, { skipBadRows: "yes" }), "invalid_argument");
    const utf8 = cjmError(() => cjm.funnel(Uint8Array.from([0x61, 0x0a, 0xff]), spec), "invalid_utf8");
    assert.deepEqual(utf8.location, { line: 2, column: 1 });
  });

  test("funnel reads NDJSON", () => {
    const lines = basicCsv.toString("utf8").trim().split("\n");
    const header = lines[0].split(",");
    const ndjson = lines.slice(1).map((line) => JSON.stringify(Object.fromEntries(line.split(",").map((v, i) => [header[i], v])))).join("\n");
    assert.deepEqual(cjm.funnel(ndjson, spec, { format: "ndjson" }).total, cjm.funnel(basicCsv, spec).total);
  });

  test("columns maps renamed fields; bad mappings throw typed errors", () => {
    const renamed = readTestFile("inputs/events/renamed-columns.csv");
    const columns = { user: "anonymous_id", event: "event_type", time: "event_time", value: "amount" };
    const users = (result) => result.total.steps.map((step) => step.users);
    assert.deepEqual(users(cjm.funnel(renamed, spec, { columns })), [2, 1, 1]);
    cjmError(() => cjm.funnel(renamed, spec, { columns: { ...columns, user: "visitor_id" } }), "missing_column");
    cjmError(() => cjm.funnel(renamed, spec, { columns: { usr: "x" } }), "invalid_argument");
    cjmError(() => cjm.funnel(renamed, spec, { columns: "user=x" }), "invalid_argument");
    cjmError(() => cjm.funnel(renamed, spec, { columns: { ...columns, time: "anonymous_id" } }), "invalid_option");
  });

  test("gzip event logs (Uint8Array) read as the plain ones", () => {
    const packed = readTestFile("inputs/events/basic.csv.gz");
    assert.deepEqual(cjm.funnel(packed, spec).total, cjm.funnel(basicCsv, spec).total);
  });

  test("retention: cohorts by period, typed errors", () => {
    const log = readTestFile("inputs/events/retention.csv");
    const result = cjm.retention(log, { start: "signup", return_event: "visit", interval: "day", periods: 3 });
    assert.deepEqual(result.overall.map((p) => [p.users, p.retained]), [[3, 2], [3, 1], [2, 1]]);
    assert.equal(result.skipped_rows, 0);
    cjmError(() => cjm.retention(log, { start: "signup", interval: "fortnight" }), "invalid_argument");
    cjmError(() => cjm.retention(log, { start: "signup", periods: 0 }), "invalid_option");
    cjmError(() => cjm.retention(log, { start: "signup[plan", periods: 2 }), "invalid_option");
  });

  test("paths, compareFunnel, loyalty", () => {
    // paths.csv counts seconds from 1 (synthetic): `auto` refuses them, an explicit unit reads them.
    const pathsCsv = readTestFile("inputs/events/paths.csv");
    cjmError(() => cjm.paths(pathsCsv, { goal: "cart" }), "invalid_timestamp");
    const paths = cjm.paths(pathsCsv, { goal: "cart", top: 5, timeUnit: "s" });
    assert.equal(paths.level, "event");
    cjmError(() => cjm.paths(pathsCsv, { timeUnit: "sec" }), "invalid_option");
    cjmError(() => cjm.paths(pathsCsv, { timeUnit: 1 }), "invalid_argument");
    cjmError(() => cjm.paths(basicCsv, { top: -1 }), "invalid_argument");
    cjmError(() => cjm.paths(basicCsv, { journey: "x" }), "invalid_argument");
    const split = { periods: { a: "2024-05-01..2024-05-02", b: "2024-05-02..2024-05-12" } };
    assert.equal(cjm.compareFunnel(basicCsv, spec, split).skipped_rows, 0);
    cjmError(() => cjm.compareFunnel(basicCsv, spec, { weeks: 1 }), "invalid_argument");
    assert.equal(cjm.loyalty(basicCsv, { purchaseEvent: "purchase" }).customers, 3);
    cjmError(() => cjm.loyalty(basicCsv), "invalid_argument");
    cjmError(() => cjm.loyalty(basicCsv, {}), "invalid_argument");
  });

  test("applyEvents returns a new journey and leaves its argument alone", () => {
    const log = [
      "user_id,timestamp,event",
      "u1,2024-05-01T10:00:00Z,ad_click_social",
      "u1,2024-05-01T10:02:00Z,catalog_view",
      "u2,2024-05-01T11:00:00Z,ad_click_search",
    ].join("\n");
    const before = JSON.stringify(sports);
    const result = cjm.applyEvents(sports, log, { window: "30d", evidenceId: "log" });
    assert.deepEqual(Object.keys(result).sort(), ["journey", "report", "skipped_rows"]);
    assert.equal(JSON.stringify(sports), before);
    assert.equal(result.journey.id, sports.id);
    assert.notEqual(JSON.stringify(result.journey), before);
    assert.ok(result.journey.evidence.some((e) => e.id === "log"));
    cjmError(() => cjm.applyEvents(clean, basicCsv), "no_event_rules");
    cjmError(() => cjm.applyEvents(sports, log, { window: 30 }), "invalid_argument");
  });
});

describe("rendering", () => {
  test("renderSvg draws every stage and touchpoint; options are plain RenderOptions", () => {
    const svg = cjm.renderSvg(sports);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal(svg.match(/data-stage=/g).length, 6);
    assert.equal(svg.match(/data-touchpoint=/g).length, 14);
    const dark = cjm.renderSvg(sports, { theme: "dark", language: "ru", lanes: ["touchpoints", "emotions"], personas: ["beginner"], title: false });
    assert.notEqual(dark, svg);
    assert.ok(dark.length < svg.length);
    cjmError(() => cjm.renderSvg(sports, { theme: "neon" }), "invalid_argument");
    cjmError(() => cjm.renderSvg(sports, { colour: "red" }), "invalid_argument");
    cjmError(() => cjm.renderSvg(sports, { lanes: ["nope"] }), "invalid_argument");
  });

  test("renderers refuse output over max_output_bytes with output_too_large", () => {
    const small = { max_output_bytes: 1000 };
    for (const call of [
      () => cjm.renderSvg(sports, small),
      () => cjm.renderCurveSvg(sports, small),
      () => cjm.renderFrictionSvg(sports, small),
      () => cjm.renderComparisonSvg(clean, toBe, small),
      () => cjm.renderReportHtml(sports, { today: "2026-11-27", render: small }),
    ]) {
      const error = cjmError(call, "output_too_large");
      assert.equal(error.kind, "usage");
      assert.match(error.message, /1000 bytes/);
    }
    assert.match(cjm.renderSvg(sports, { max_output_bytes: 0 }), /^<svg/);
    cjmError(() => cjm.renderSvg(sports, { max_output_bytes: -1 }), "invalid_argument");
  });

  test("charts: curve, friction, comparison", () => {
    for (const svg of [cjm.renderCurveSvg(sports), cjm.renderFrictionSvg(sports, { language: "ru" }), cjm.renderComparisonSvg(clean, toBe, { theme: "dark" })]) {
      assert.match(svg, /^<svg /);
      assert.match(svg, /<\/svg>\s*$/);
    }
    cjmError(() => cjm.renderComparisonSvg(clean), "invalid_argument");
  });

  test("renderReportHtml: render, today, toBe", () => {
    const html = cjm.renderReportHtml(clean, { today: "2026-11-27", render: { theme: "dark" }, toBe });
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.notEqual(html, cjm.renderReportHtml(clean, { today: "2026-11-27" }));
    assert.equal(typeof cjm.renderReportHtml(clean, { today: null }), "string");
    assert.equal(typeof cjm.renderReportHtml(clean), "string");
    cjmError(() => cjm.renderReportHtml(clean, { today: "tomorrow" }), "invalid_option");
    cjmError(() => cjm.renderReportHtml(clean, { tobe: toBe }), "invalid_argument");
    cjmError(() => cjm.renderReportHtml(clean, { toBe: { title: "no id" } }), "wrong_type");
  });

  test("hostile text is escaped, never markup", () => {
    const journey = structuredClone(clean);
    journey.title = "</svg><script>alert(1)</script>";
    journey.stages[0].name = '"><img src=x onerror="alert(1)">';
    const svg = cjm.renderSvg(journey);
    assert.ok(!svg.includes("<script"));
    assert.ok(!svg.includes("<img"));
    const html = cjm.renderReportHtml(journey, { today: null });
    assert.ok(!html.includes("<script>alert"));
    assert.ok(!html.includes("<img src=x"));
  });
});
