// Runs one language-neutral case file (tests/README.md) against a cjm-wasm module.
// Shared by the Node runner (pkg-node) and the Chromium test page (pkg): no Node imports here.
//
//   await runCase(cjm, caseData, { readBytes })
//     cjm       the module: loadJourney, dumpJourney, validateJourney, ...
//     caseData  the parsed case file
//     readBytes async (pathRelativeToTests) => Uint8Array
// Resolves when the case passes, rejects with an Error that says what differed otherwise.

/** The ops this front implements. Cases with other ops (features the binding does not expose
 *  yet) are reported as skipped, never as passed. Every op `tests/fronts.json` lists for wasm
 *  must be here (cases.test.mjs checks). */
export const SUPPORTED_OPS = [
  "validate", "load", "convert", "roundtrip",
  // analysis ops: a journey (or survey answers) in, a result that must contain `expect.result`
  "curve", "friction", "gaps", "compare", "plan", "health", "nps", "csat", "ces",
  // event ops: a CSV event log in
  "funnel", "paths", "compare_funnel", "loyalty", "retention", "apply",
  // charts: the SVG checked structurally (expect.svg)
  "funnel_chart",
];

const ANALYSIS_OPS = ["curve", "friction", "gaps", "compare", "plan", "health", "nps", "csat", "ces"];
const EVENT_OPS = ["funnel", "paths", "compare_funnel", "loyalty", "retention", "apply"];

const decoder = new TextDecoder("utf-8", { fatal: false });

/** The case's input: file bytes, or for `generate` the built text (a string, so the
 *  string path of loadJourney is exercised too). */
async function caseInput(caseData, readBytes) {
  if (caseData.generate) {
    const { prefix = "", repeat = "", times = 0, suffix = "" } = caseData.generate;
    return prefix + repeat.repeat(times) + suffix;
  }
  if (typeof caseData.input !== "string") throw new Error("case has neither input nor generate");
  return readBytes(caseData.input);
}

function loadOptions(caseData) {
  const options = { format: caseData.format };
  if (caseData.max_bytes !== undefined) options.maxBytes = caseData.max_bytes;
  return options;
}

/** Case validate options (snake_case) as validateJourney options. Without `today` the core
 *  reads no clock, so `today: null` switches off the binding's default of the current date. */
function validateOptions(caseData) {
  const given = caseData.options ?? {};
  const options = { today: given.today ?? null };
  if (given.stale_after_days !== undefined) options.staleAfterDays = given.stale_after_days;
  for (const key of Object.keys(given)) {
    if (key !== "today" && key !== "stale_after_days") throw new Error(`unknown case option ${key}`);
  }
  return options;
}

export function describeValue(value) {
  try {
    return JSON.stringify(value, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
  } catch {
    return String(value);
  }
}

/** Deep equality of plain JSON-like data (NaN equals NaN). Returns the first differing path or null. */
export function firstDifference(actual, expected, path = "") {
  if (Object.is(actual, expected)) return null;
  if (typeof actual === "number" && typeof expected === "number" && actual === expected) return null;
  if (Array.isArray(actual) || Array.isArray(expected)) {
    if (!Array.isArray(actual) || !Array.isArray(expected)) return path || "/";
    if (actual.length !== expected.length) return `${path}/length (${actual.length} vs ${expected.length})`;
    for (let i = 0; i < actual.length; i++) {
      const d = firstDifference(actual[i], expected[i], `${path}/${i}`);
      if (d) return d;
    }
    return null;
  }
  if (actual && expected && typeof actual === "object" && typeof expected === "object") {
    const a = Object.keys(actual).sort();
    const e = Object.keys(expected).sort();
    const missing = e.filter((k) => !a.includes(k));
    const extra = a.filter((k) => !e.includes(k));
    if (missing.length || extra.length) {
      return `${path || "/"} keys (missing ${describeValue(missing)}, extra ${describeValue(extra)})`;
    }
    for (const k of a) {
      const d = firstDifference(actual[k], expected[k], `${path}/${k}`);
      if (d) return d;
    }
    return null;
  }
  return `${path || "/"} (${describeValue(actual)} vs ${describeValue(expected)})`;
}

function fail(message) {
  throw new Error(message);
}

function assertDeepEqual(actual, expected, what) {
  const d = firstDifference(actual, expected);
  if (d) fail(`${what} differs at ${d}`);
}

function asJsonData(cjm, journey) {
  return JSON.parse(cjm.dumpJourney(journey, "json"));
}

/** Every error cjm throws: an Error named CjmError (a TypeError for invalid_argument) with
 *  code, kind, location and problems. */
export function checkErrorShape(error) {
  if (!(error instanceof Error)) fail(`thrown value is not an Error: ${describeValue(error)}`);
  const wanted = error.code === "invalid_argument" ? "TypeError" : "CjmError";
  if (error.name !== wanted) fail(`expected a ${wanted}, got ${error.name}: ${error.message}`);
  if (wanted === "TypeError" && !(error instanceof TypeError)) fail("invalid_argument is not a TypeError");
  if (typeof error.code !== "string" || !/^[a-z0-9_]+$/.test(error.code)) fail(`bad code ${describeValue(error.code)}`);
  if (!["parse", "validation", "usage", "data"].includes(error.kind)) fail(`bad kind ${describeValue(error.kind)}`);
  if (!error.location || typeof error.location !== "object") fail("missing location");
  for (const key of Object.keys(error.location)) {
    if (!["path", "line", "column"].includes(key)) fail(`unexpected location key ${key}`);
  }
  if (!Array.isArray(error.problems)) fail("problems is not an array");
  if (typeof error.message !== "string" || !error.message) fail("empty message");
}

/** `expected` must be contained in `actual` (tests/README.md, as cjm-core/tests/cases.rs):
 *  objects by the keys given (a `null` expects `null` or absence), arrays element-wise with the
 *  same length, numbers within 1e-9 relative, everything else equal. Returns the first
 *  difference as text, or null. */
export function notContained(actual, expected, path = "") {
  if (actual === undefined) actual = null;
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      return `${path || "/"}: ${describeValue(actual)}, expected an object`;
    }
    for (const [key, value] of Object.entries(expected)) {
      const inner = Object.hasOwn(actual, key) ? actual[key] : null;
      const d = notContained(inner, value, `${path}/${key}`);
      if (d) return d;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path || "/"}: ${describeValue(actual)}, expected an array`;
    if (actual.length !== expected.length) {
      return `${path || "/"}: ${actual.length} items, expected ${expected.length}: ${describeValue(actual).slice(0, 400)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = notContained(actual[i], expected[i], `${path}/${i}`);
      if (d) return d;
    }
    return null;
  }
  if (typeof expected === "number" && typeof actual === "number") {
    return Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(expected), 1)
      ? null
      : `${path || "/"}: ${actual}, expected ${expected}`;
  }
  return Object.is(actual, expected) ? null : `${path || "/"}: ${describeValue(actual)}, expected ${describeValue(expected)}`;
}

/** Checks an analysis or event op's outcome against `expect`: `{result}` (contained) or
 *  `{error: {code, kind, path?, line?, column?}}`. `compute` returns the result or throws. */
async function checkOutcome(compute, expect, cjm, readBytes) {
  let result;
  try {
    result = await compute();
  } catch (error) {
    if (!expect.error) throw new Error(`unexpected error ${error?.code ?? ""}: ${error?.message ?? error}`);
    checkErrorShape(error);
    const got = { code: error.code, kind: error.kind, ...error.location };
    for (const key of ["code", "kind", "path", "line", "column"]) {
      if (expect.error[key] !== undefined && got[key] !== expect.error[key]) {
        fail(`error ${key}: got ${describeValue(got[key])}, want ${describeValue(expect.error[key])} (${error.message})`);
      }
    }
    return;
  }
  if (expect.error) fail(`expected error ${expect.error.code}, got ${describeValue(result).slice(0, 300)}`);
  if (expect.skipped_rows !== undefined && result.skipped_rows !== expect.skipped_rows) {
    fail(`skipped_rows: got ${describeValue(result.skipped_rows)}, want ${expect.skipped_rows}`);
  }
  const d = notContained(result, expect.result ?? {});
  if (d) fail(`result differs at ${d}`);
  if (expect.table) await checkTable(cjm, result, expect.table, readBytes);
}

/** `expect.table`: the result's table of `kind` as CSV equals the file `csv`, and
 *  `resultTable` has the CSV's columns, a value per row in each. */
async function checkTable(cjm, result, want, readBytes) {
  const expected = decoder.decode(await readBytes(want.csv));
  const csv = cjm.tableCsv(want.kind, result);
  if (csv !== expected) fail(`table differs\n got:\n${csv}\nwant:\n${expected}`);
  const table = cjm.resultTable(want.kind, result);
  const lines = expected.trimEnd().split("\n");
  if (table.columns.map((c) => c.name).join(",") !== lines[0]) fail("table columns differ from the CSV's");
  if (table.columns.some((c) => c.values.length !== lines.length - 1)) fail("table rows differ from the CSV's");
}

/** Friction weights of a case's `options` as the `weights` option (absent: defaults). */
function frictionOptions(given) {
  return given.weights === undefined ? {} : { weights: given.weights };
}

async function runAnalysis(cjm, caseData, readBytes) {
  const given = caseData.options ?? {};
  const survey = { nps: cjm.nps, csat: cjm.csat, ces: cjm.ces }[caseData.op];
  if (survey) return survey(caseData.responses ?? []);
  const input = await caseInput(caseData, readBytes);
  const journey = cjm.loadJourney(input, loadOptions(caseData));
  switch (caseData.op) {
    case "curve":
      return cjm.emotionCurve(journey, { persona: given.persona ?? null });
    case "friction":
      return cjm.frictionIndex(journey, frictionOptions(given));
    case "gaps":
      return cjm.analyzeGaps(journey);
    case "plan":
      return cjm.improvementPlan(journey);
    case "health": {
      // Without `today` the core reads no clock: `today: null` switches off the local date.
      const options = { today: given.today ?? null, ...frictionOptions(given) };
      if (given.stale_after_days !== undefined) options.staleAfterDays = given.stale_after_days;
      return cjm.journeyHealth(journey, options);
    }
    case "compare": {
      const toBe = cjm.loadJourney(await readBytes(caseData.input_to_be), loadOptions(caseData));
      return cjm.compareJourneys(journey, toBe, frictionOptions(given));
    }
    default:
      return fail(`unknown analysis op ${caseData.op}`);
  }
}

/** The case's `read` options (`ReadOptions` in docs/types/cjm.d.ts) in the binding's spelling;
 *  a key missing here fails the case instead of being ignored. */
const READ_OPTIONS = { skip_bad_rows: "skipBadRows", time_unit: "timeUnit", columns: "columns" };

function readOptions(caseData) {
  const read = {};
  for (const [key, value] of Object.entries(caseData.read ?? {})) {
    if (!Object.hasOwn(READ_OPTIONS, key)) fail(`unknown read option ${describeValue(key)}`);
    read[READ_OPTIONS[key]] = value;
  }
  return read;
}

async function runEvents(cjm, caseData, readBytes) {
  const events = await readBytes(caseData.events ?? fail("case has no events"));
  const read = readOptions(caseData);
  const given = caseData.options ?? {};
  switch (caseData.op) {
    case "funnel":
      return cjm.funnel(events, caseData.spec, read);
    case "paths": {
      const options = { ...read };
      if (given.goal !== undefined) options.goal = given.goal;
      if (given.top !== undefined) options.top = given.top;
      return cjm.paths(events, options);
    }
    case "compare_funnel":
      return cjm.compareFunnel(events, caseData.spec, caseData.split, read);
    case "loyalty":
      return cjm.loyalty(events, { ...read, purchaseEvent: given.purchase_event ?? "purchase" });
    case "retention":
      return cjm.retention(events, caseData.spec, read);
    case "apply": {
      const names = { window: "window", evidence_id: "evidenceId" };
      const options = { ...read };
      for (const [key, value] of Object.entries(given)) {
        if (!Object.hasOwn(names, key)) fail(`unknown case option ${describeValue(key)}`);
        options[names[key]] = value;
      }
      const journey = cjm.loadJourney(await readBytes(caseData.input), loadOptions(caseData));
      const applied = cjm.applyEvents(journey, events, options);
      // The journey as plain JSON data, as the other fronts compare it.
      const data = JSON.parse(cjm.dumpJourney(applied.journey, "json"));
      return { journey: data, report: applied.report, skipped_rows: applied.skipped_rows };
    }
    default:
      return fail(`unknown event op ${caseData.op}`);
  }
}

/** A chart case's `expect.svg`: substring counts, and the widths of the `class="bar"` rects. */
function checkSvg(svg, expect) {
  for (const [needle, count] of Object.entries(expect.count ?? fail("expect.svg.count missing"))) {
    const got = svg.split(needle).length - 1;
    if (got !== count) fail(`${describeValue(needle)} occurs ${got} times, expected ${count}`);
  }
  if (expect.bars !== undefined) {
    const widths = [...svg.matchAll(/<rect\b[^>]*\bclass="bar"[^>]*>/g)].map((m) => {
      const width = /\bwidth="([^"]*)"/.exec(m[0]) ?? fail(`bar without width: ${m[0]}`);
      return Number(width[1]);
    });
    const d = notContained(widths, expect.bars, "/bars");
    if (d) fail(`bars differ at ${d}`);
  }
}

export async function runCase(cjm, caseData, { readBytes }) {
  // A key the op does not take fails the case: a misspelt option would test the default.
  const fronts = JSON.parse(decoder.decode(await readBytes("fronts.json")));
  const allowed = fronts.options?.[caseData.op] ?? [];
  const unknown = Object.keys(caseData.options ?? {}).filter((key) => !allowed.includes(key));
  if (unknown.length) fail(`unknown option(s) ${describeValue(unknown)} for op ${caseData.op}`);
  if (caseData.op === "funnel_chart") {
    const events = await readBytes(caseData.events ?? fail("case has no events"));
    const result = cjm.funnel(events, caseData.spec, readOptions(caseData));
    checkSvg(cjm.renderFunnelSvg(result, caseData.options ?? {}), caseData.expect?.svg ?? fail("case has no expect.svg"));
    return;
  }
  if (ANALYSIS_OPS.includes(caseData.op)) {
    await checkOutcome(() => runAnalysis(cjm, caseData, readBytes), caseData.expect ?? fail("case has no expect"), cjm, readBytes);
    return;
  }
  if (EVENT_OPS.includes(caseData.op)) {
    await checkOutcome(() => runEvents(cjm, caseData, readBytes), caseData.expect ?? fail("case has no expect"), cjm, readBytes);
    return;
  }
  const input = await caseInput(caseData, readBytes);
  const load = () => cjm.loadJourney(input, loadOptions(caseData));
  const expect = caseData.expect ?? fail("case has no expect");
  switch (caseData.op) {
    case "validate": {
      const problems = cjm.validateJourney(load(), validateOptions(caseData));
      const actual = problems.map(({ code, severity, path }) => ({ code, severity, path }));
      const wanted = expect.problems.map(({ code, severity, path }) => ({ code, severity, path }));
      const d = firstDifference(actual, wanted);
      if (d) fail(`problems differ at ${d}\n  got:  ${describeValue(actual)}\n  want: ${describeValue(wanted)}`);
      return;
    }
    case "load": {
      if (expect.error) {
        let journey;
        try {
          journey = load();
        } catch (error) {
          checkErrorShape(error);
          const want = expect.error;
          const got = { code: error.code, kind: error.kind, ...error.location };
          for (const key of ["code", "kind", "line", "column", "path"]) {
            if (want[key] !== undefined && got[key] !== want[key]) {
              fail(`error ${key}: got ${describeValue(got[key])}, want ${describeValue(want[key])} (${error.message})`);
            }
          }
          return;
        }
        fail(`loading succeeded, expected error ${expect.error.code}: ${describeValue(journey).slice(0, 200)}`);
      }
      if (expect.journey) {
        const wanted = JSON.parse(decoder.decode(await readBytes(expect.journey)));
        assertDeepEqual(asJsonData(cjm, load()), wanted, "journey");
        return;
      }
      fail("load case expects neither error nor journey");
      break;
    }
    case "convert": {
      const wanted = decoder.decode(await readBytes(expect.output));
      const actual = cjm.dumpJourney(load(), caseData.to);
      if (actual !== wanted) {
        const lines = actual.split("\n");
        const want = wanted.split("\n");
        const i = lines.findIndex((line, n) => line !== want[n]);
        fail(`output differs at line ${i + 1}:\n  got:  ${describeValue(lines[i])}\n  want: ${describeValue(want[i])}`);
      }
      return;
    }
    case "roundtrip": {
      const journey = load();
      const written = cjm.dumpJourney(journey, caseData.to);
      const again = cjm.loadJourney(written, { format: caseData.to });
      assertDeepEqual(asJsonData(cjm, again), asJsonData(cjm, journey), `round trip through ${caseData.to}`);
      return;
    }
    default:
      fail(`unknown op ${describeValue(caseData.op)}`);
  }
}
