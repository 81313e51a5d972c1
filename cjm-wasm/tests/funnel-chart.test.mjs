// The funnel chart and the report's funnel section in cjm-wasm (the `--target nodejs` build):
// names, option shapes and argument errors. The chart's numbers are checked by the shared cases
// tests/cases/render/funnel-chart*.json (cases.test.mjs).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { checkErrorShape } from "./lib/cases.mjs";
import { loadNodePackage, readTestFile, repoRoot } from "./lib/node.mjs";

const cjm = loadNodePackage();
const sports = cjm.loadJourney(readFileSync(join(repoRoot, "examples/sports-nutrition/journey.yaml")), { format: "yaml" });
const steps = ["view", "cart", "purchase"];
const funnel = cjm.funnel(readTestFile("inputs/events/basic.csv"), { steps, window: "7d" });

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
}

test("renderFunnelSvg draws a FunnelResult", () => {
  const svg = cjm.renderFunnelSvg(funnel);
  assert.match(svg, /^<svg/);
  for (const step of steps) assert.equal(svg.split(`data-step="${step}"`).length - 1, 1, step);
  const ru = cjm.renderFunnelSvg(funnel, { language: "ru", theme: "dark", title: false });
  assert.ok(ru.includes("от входа") && !ru.includes("of start"));
  cjmError(() => cjm.renderFunnelSvg(funnel, { colour: "red" }), "invalid_argument");
  cjmError(() => cjm.renderFunnelSvg({ ...funnel, extra: 1 }), "invalid_argument");
  cjmError(() => cjm.renderFunnelSvg({ steps }), "invalid_argument");
  cjmError(() => cjm.renderFunnelSvg("funnel"), "invalid_argument");
});

test("renderReportHtml: funnel adds a funnel section", () => {
  const plain = cjm.renderReportHtml(sports, { today: "2026-11-27" });
  const html = cjm.renderReportHtml(sports, { today: "2026-11-27", funnel, render: { language: "ru" } });
  assert.ok(!plain.includes('<section id="funnel"'));
  assert.ok(html.includes('<section id="funnel"'));
  assert.ok(html.includes("Воронка (по данным событий)"));
  const section = html.split('<section id="funnel"')[1].split("</section>")[0];
  for (const step of steps) assert.equal(section.split(`data-step="${step}"`).length - 1, 1, step);
  assert.equal(cjm.renderReportHtml(sports, { today: "2026-11-27", funnel: null }), plain);
  cjmError(() => cjm.renderReportHtml(sports, { funnel: { steps } }), "invalid_argument");
});
