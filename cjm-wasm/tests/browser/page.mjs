// Runs in Chromium: the web build (`--target web`) imported as ESM, initialised with `init()`,
// then the checks below and every language-neutral case. Results go to `window.__cjm` for the
// Node side and to the page itself.
import init, * as cjm from "/pkg/cjm_wasm.js";
import { SUPPORTED_OPS, checkErrorShape, runCase } from "/lib/cases.mjs";

const results = { checks: [], cases: [], fatal: null };

function check(name, condition, detail = "") {
  results.checks.push({ name, ok: Boolean(condition), detail: condition ? "" : String(detail) });
}

async function readBytes(path) {
  const response = await fetch(`/tests/${path}`);
  if (!response.ok) throw new Error(`GET /tests/${path}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

try {
  const wasm = await init();
  check("init() returns the instance exports", wasm && wasm.memory instanceof WebAssembly.Memory);

  // Load a journey from the case inputs (bytes, as fetch gives them) and validate it.
  const bytes = await readBytes("inputs/clean.yaml");
  const journey = cjm.loadJourney(bytes, { format: "yaml" });
  check("loadJourney gives a plain object", Object.getPrototypeOf(journey) === Object.prototype && Array.isArray(journey.stages), typeof journey);
  const problems = cjm.validateJourney(journey, { today: "2026-11-27" });
  check("clean.yaml validates clean", Array.isArray(problems) && problems.length === 0, JSON.stringify(problems));
  const stale = cjm.validateJourney(cjm.loadJourney(await readBytes("inputs/stale.yaml"), { format: "yaml" }));
  check("default today comes from the browser clock", stale.some((p) => p.code === "stale_map"), JSON.stringify(stale));

  // Convert to Mermaid, both from the journey and straight from the bytes.
  const mermaid = cjm.dumpJourney(journey, "mermaid");
  check("Mermaid output starts with `journey`", /^journey\b/.test(mermaid), mermaid.slice(0, 80));
  check("convertJourney agrees with dumpJourney", cjm.convertJourney(bytes, "yaml", "mermaid") === mermaid);
  const back = cjm.loadJourney(mermaid, { format: "mermaid" });
  check("Mermaid reads back with the same stage count", back.stages.length === journey.stages.length, `${back.stages.length} vs ${journey.stages.length}`);

  // Errors are JS Errors with the core's code and location.
  try {
    cjm.loadJourney('{"id": "x", "title": }', { format: "json" });
    check("a syntax error throws", false, "nothing thrown");
  } catch (error) {
    let shape = "";
    try {
      checkErrorShape(error);
    } catch (e) {
      shape = e.message;
    }
    check("the error is a CjmError", !shape, shape);
    check("the error has .code json_syntax", error.code === "json_syntax", error.code);
    check("the error has a line and column", error.location.line === 1 && error.location.column === 22, JSON.stringify(error.location));
  }
  try {
    cjm.checkJourney(cjm.loadJourney(await readBytes("inputs/broken.yaml"), { format: "yaml" }), { today: null });
    check("checkJourney throws on errors", false, "nothing thrown");
  } catch (error) {
    check("checkJourney throws invalid_journey with problems", error.code === "invalid_journey" && error.problems.length > 5, `${error.code} ${error.problems?.length}`);
  }
  check("journeySchema() is an object", cjm.journeySchema().$defs !== undefined);

  // Scoring and rendering in the browser: the map parses as SVG with one group per stage.
  const svg = cjm.renderSvg(journey, { theme: "dark" });
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  check("renderSvg output parses as SVG", doc.documentElement.localName === "svg" && !doc.querySelector("parsererror"), svg.slice(0, 120));
  check("the map has a [data-stage] group per stage", doc.querySelectorAll("[data-stage]").length === journey.stages.length, doc.querySelectorAll("[data-stage]").length);
  const friction = cjm.frictionIndex(journey);
  check("frictionIndex gives a number per touchpoint", friction.touchpoints.length > 0 && friction.touchpoints.every((t) => typeof t.score.index === "number" || t.score.index === null), JSON.stringify(friction.journey));
  check("nps accepts a typed array", cjm.nps(new Float64Array([10, 9, 0])).responses === 3, JSON.stringify(cjm.nps([10, 9, 0])));
  check("renderReportHtml gives a document", /^<!DOCTYPE html>/i.test(cjm.renderReportHtml(journey, { today: null })));

  // Every language-neutral case.
  const cases = await (await fetch("/cases.json")).json();
  for (const { name, data } of cases) {
    if (!SUPPORTED_OPS.includes(data.op)) {
      results.cases.push({ name, ok: true, skipped: `op ${data.op} is not in cjm-wasm yet` });
      continue;
    }
    try {
      await runCase(cjm, data, { readBytes });
      results.cases.push({ name, ok: true });
    } catch (error) {
      results.cases.push({ name, ok: false, detail: `${error.name}: ${error.message}` });
    }
  }
} catch (error) {
  results.fatal = String(error?.stack ?? error);
}

const failed = [...results.checks, ...results.cases].filter((r) => !r.ok);
document.querySelector("#status").textContent = results.fatal ? "fatal" : failed.length ? `${failed.length} failed` : "all passed";
document.querySelector("#report").textContent = JSON.stringify(results, null, 2);
window.__cjm = results;
