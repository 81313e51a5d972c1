// The JS surface of cjm-wasm: defaults, error shapes, and drift checks against the committed
// schemas (docs/schema) and generated types (docs/types/cjm.d.ts).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { checkErrorShape } from "./lib/cases.mjs";
import { crateDir, loadNodePackage, pkgDir, pkgNodeDir, readTestFile, repoRoot } from "./lib/node.mjs";

const cjm = loadNodePackage();
const clean = readTestFile("inputs/clean.yaml");
const apiSchema = JSON.parse(readFileSync(join(repoRoot, "docs/schema/api.schema.json"), "utf8"));

function thrown(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("nothing was thrown");
}

describe("functions", () => {
  test("exports exactly the documented functions", () => {
    assert.deepEqual(Object.keys(cjm).sort(), [
      "analyzeGaps", "apiSchema", "applyEvents", "ces", "checkJourney", "compareFunnel",
      "compareJourneys", "conversionLosses", "convertJourney", "csat", "dumpJourney", "emotionCurve", "frictionIndex",
      "funnel", "improvementPlan", "journeyHealth", "journeySchema", "loadJourney", "loyalty",
      "newJourney", "nps", "paths", "planCsv", "renderComparisonSvg", "renderCurveSvg",
      "renderFrictionSvg", "renderFunnelSvg", "renderReportHtml", "renderSvg", "resultTable", "retention", "scoreJourney", "tableCsv",
      "validateJourney",
      "version",
    ]);
  });

  test("conversionLosses says what Mermaid and CSV drop, nothing for JSON and YAML", () => {
    const journey = cjm.loadJourney(clean, { format: "yaml" });
    assert.deepEqual(cjm.conversionLosses(journey, "json"), []);
    assert.deepEqual(cjm.conversionLosses(journey, "yaml"), []);
    const mermaid = cjm.conversionLosses(journey, "mermaid");
    assert.ok(mermaid.length > 0 && mermaid.every((loss) => typeof loss === "string"), String(mermaid));
    assert.throws(() => cjm.conversionLosses(journey, "xml"), (e) => e.code === "unsupported_format");
  });

  test("loadJourney returns plain data in the file format", () => {
    const journey = cjm.loadJourney(clean, { format: "yaml" });
    assert.equal(Object.getPrototypeOf(journey), Object.prototype);
    assert.ok(Array.isArray(journey.stages));
    assert.equal(journey.format_version, 1);
    assert.deepEqual(JSON.parse(JSON.stringify(journey)), JSON.parse(cjm.dumpJourney(journey)));
    // Strings and bytes give the same journey; the format names accept aliases.
    assert.deepEqual(cjm.loadJourney(clean.toString("utf8"), { format: "yml" }), journey);
  });

  test("loadJourney defaults to JSON", () => {
    assert.equal(cjm.loadJourney('{"id":"x","title":"t"}').id, "x");
    assert.equal(thrown(() => cjm.loadJourney("id: x\ntitle: t")).code, "json_syntax");
  });

  test("dumpJourney defaults to JSON and writes every format", () => {
    const journey = cjm.loadJourney(clean, { format: "yaml" });
    assert.equal(cjm.dumpJourney(journey), cjm.dumpJourney(journey, "json"));
    assert.ok(cjm.dumpJourney(journey).endsWith("\n"));
    assert.match(cjm.dumpJourney(journey, "mermaid"), /^journey/m);
    assert.deepEqual(cjm.loadJourney(cjm.dumpJourney(journey, "yaml"), { format: "yaml" }), journey);
    assert.equal(cjm.dumpJourney(journey, "mmd"), cjm.convertJourney(clean, "yaml", "mermaid"));
  });

  test("convertJourney reads bytes or text", () => {
    const mermaid = cjm.convertJourney(clean, "yaml", "mermaid");
    assert.equal(cjm.convertJourney(clean.toString("utf8"), "yaml", "mermaid"), mermaid);
    const back = cjm.loadJourney(mermaid, { format: "mermaid" });
    assert.ok(back.stages.length > 0);
  });

  test("validateJourney judges staleness against today's date unless told otherwise", () => {
    const stale = cjm.loadJourney(readTestFile("inputs/stale.yaml"), { format: "yaml" });
    const codes = (options) => cjm.validateJourney(stale, options).map((p) => p.code);
    assert.ok(codes().includes("stale_map"), "default today (the current date) judges staleness");
    assert.ok(codes({}).includes("stale_map"));
    assert.ok(!codes({ today: null }).includes("stale_map"), "today: null switches the check off");
    assert.ok(!codes({ today: "2025-01-02" }).includes("stale_map"));
    assert.ok(!codes({ today: "2026-11-27", staleAfterDays: 1000 }).includes("stale_map"));
    assert.ok(codes({ today: "2026-11-27", staleAfterDays: 0 }).includes("stale_map"));
  });

  test("checkJourney returns warnings, throws invalid_journey with every problem on errors", () => {
    const stale = cjm.loadJourney(readTestFile("inputs/stale.yaml"), { format: "yaml" });
    const warnings = cjm.checkJourney(stale, { today: "2026-11-27" });
    assert.ok(warnings.length > 0 && warnings.every((p) => p.severity === "warning"));

    const broken = cjm.loadJourney(readTestFile("inputs/broken.yaml"), { format: "yaml" });
    const problems = cjm.validateJourney(broken, { today: "2026-11-27" });
    const error = thrown(() => cjm.checkJourney(broken, { today: "2026-11-27" }));
    checkErrorShape(error);
    assert.equal(error.code, "invalid_journey");
    assert.equal(error.kind, "validation");
    assert.deepEqual(error.problems, problems);
    assert.deepEqual(error.location, { path: problems.find((p) => p.severity === "error").path });
    assert.match(error.message, /journey is invalid/);
  });

  test("newJourney builds templates; defaults classic/en", () => {
    const journey = cjm.newJourney();
    assert.equal(journey.stages.length, 6);
    assert.deepEqual(cjm.newJourney("classic", "en"), journey);
    const ru = cjm.newJourney("ecommerce", "ru");
    assert.ok(ru.stages.length > 0);
    assert.deepEqual(cjm.newJourney(undefined, "ru"), cjm.newJourney("classic", "ru"));
    assert.equal(cjm.validateJourney(journey, { today: null }).filter((p) => p.severity === "error").length, 0);
  });

  test("version matches the crate", () => {
    const cargo = readFileSync(join(repoRoot, "Cargo.toml"), "utf8");
    assert.equal(cjm.version(), /\[workspace\.package\][^[]*?version = "([^"]+)"/.exec(cargo)[1]);
  });
});

describe("error shape", () => {
  test("parse errors: Error subclass fields, location with line/column/path", () => {
    const error = thrown(() => cjm.loadJourney(readTestFile("inputs/wrong-type.json"), { format: "json" }));
    checkErrorShape(error);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "CjmError");
    assert.equal(error.code, "wrong_type");
    assert.equal(error.kind, "parse");
    assert.deepEqual(error.location, { path: "/title", line: 3, column: 12 });
    assert.deepEqual(error.problems, []);
    assert.match(String(error), /^CjmError: /);
    assert.match(error.stack, /CjmError/);
  });

  test("error fields are the core's ErrorInfo, as the API schema describes it", () => {
    const info = apiSchema.$defs.ErrorInfo;
    const error = thrown(() => cjm.loadJourney("{", { format: "json" }));
    for (const key of info.required) assert.ok(key in error, `missing ${key}`);
    for (const key of Object.keys(error)) assert.ok(key in info.properties, `extra field ${key}`);
    assert.deepEqual(Object.keys(error.location).sort(), ["column", "line"]);
    for (const key of Object.keys(error.location)) assert.ok(key in apiSchema.$defs.Location.properties, key);
    const kinds = [...(apiSchema.$defs.ErrorKind.oneOf ?? []).map((v) => v.const), ...(apiSchema.$defs.ErrorKind.enum ?? [])];
    assert.deepEqual(kinds.sort(), ["data", "parse", "usage", "validation"]);
    assert.ok(kinds.includes(error.kind));
  });

  test("problems carry the fields of the schema's Problem, and no others", () => {
    const broken = cjm.loadJourney(readTestFile("inputs/broken.yaml"), { format: "yaml" });
    const problem = apiSchema.$defs.Problem;
    for (const p of cjm.validateJourney(broken, { today: null })) {
      // `omitted` appears only on the summary entry that closes a code's cut list.
      const optional = Object.keys(problem.properties).filter((k) => !problem.required.includes(k));
      assert.deepEqual(optional, ["omitted"]);
      assert.deepEqual(Object.keys(p).sort(), [...problem.required].sort());
      for (const key of problem.required) assert.equal(typeof p[key], "string");
    }
  });
});

describe("drift against docs/", () => {
  test("journeySchema() equals docs/schema/journey.schema.json", () => {
    assert.deepEqual(cjm.journeySchema(), JSON.parse(readFileSync(join(repoRoot, "docs/schema/journey.schema.json"), "utf8")));
  });

  test("apiSchema() equals docs/schema/api.schema.json", () => {
    assert.deepEqual(cjm.apiSchema(), apiSchema);
  });

  test("both packages' .d.ts embed the current docs/types/cjm.d.ts (rebuild after `make types`)", () => {
    // wasm-bindgen re-indents custom sections, so compare line by line without indentation.
    const lines = (text) => text.split("\n").map((l) => l.trim()).filter(Boolean).join("\n");
    const types = lines(readFileSync(join(repoRoot, "docs/types/cjm.d.ts"), "utf8"));
    for (const dir of [pkgDir, pkgNodeDir]) {
      const dts = lines(readFileSync(join(dir, "cjm_wasm.d.ts"), "utf8"));
      assert.ok(dts.includes(types), `${dir}/cjm_wasm.d.ts does not contain the current docs/types/cjm.d.ts`);
    }
  });

  test("the package's .d.ts type-checks against a typed usage sample (tsc --strict)", () => {
    const tsc = join(crateDir, "node_modules/typescript/bin/tsc");
    try {
      execFileSync(process.execPath, [tsc, "-p", join(crateDir, "tests/types/tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
    }
  });
});
