// Every language-neutral case (tests/cases/**/*.json, see tests/README.md) against the
// `--target nodejs` build. The Chromium test runs the same cases against the web build.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SUPPORTED_OPS, runCase } from "./lib/cases.mjs";
import { caseFiles, loadNodePackage, readBytes, readTestFile } from "./lib/node.mjs";

const cjm = loadNodePackage();
const cases = caseFiles();

test("the case directory is not empty", () => {
  assert.ok(cases.length > 0, "no case files under tests/cases");
});

test("every op tests/fronts.json lists for wasm is supported", (t) => {
  const fronts = JSON.parse(readTestFile("fronts.json"));
  const missing = fronts.wasm.filter((op) => !SUPPORTED_OPS.includes(op));
  assert.deepEqual(missing, [], "ops listed for wasm in tests/fronts.json that the runner does not run");
  const extra = SUPPORTED_OPS.filter((op) => !fronts.wasm.includes(op));
  if (extra.length) t.diagnostic(`cjm-wasm also runs ops not yet listed for wasm in tests/fronts.json: ${extra.join(", ")}`);
});

for (const { name, data } of cases) {
  const skip = SUPPORTED_OPS.includes(data.op) ? false : `op ${data.op} is not in cjm-wasm yet`;
  test(`case ${name}`, { skip }, async () => {
    await runCase(cjm, data, { readBytes });
  });
}
