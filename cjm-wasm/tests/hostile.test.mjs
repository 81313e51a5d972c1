// Hostile inputs: every one must end in a clean CjmError (or the JS exception a hostile object
// threw itself), never in a WebAssembly trap (`RuntimeError: unreachable`, a stack overflow),
// and the module must keep working afterwards.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";

import { checkErrorShape, describeValue } from "./lib/cases.mjs";
import { loadNodePackage, loadWebPackage, readTestFile } from "./lib/node.mjs";

const cjm = loadNodePackage();
const clean = readTestFile("inputs/clean.yaml");
const broken = readTestFile("inputs/broken.yaml");

/** Calls fn; it must throw a CjmError. Returns the error. */
function cjmError(fn, code) {
  let thrown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown !== undefined, "expected a CjmError, nothing was thrown");
  assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `WASM trap: ${thrown}`);
  checkErrorShape(thrown);
  if (code !== undefined) assert.equal(thrown.code, code, thrown.message);
  return thrown;
}

/** Calls fn; it may return or throw a CjmError, nothing else. */
function survives(fn) {
  try {
    return fn();
  } catch (error) {
    assert.ok(!(error instanceof WebAssembly.RuntimeError), `WASM trap: ${error}`);
    checkErrorShape(error);
    return error;
  }
}

function minimal(extra = {}) {
  return {
    id: "j",
    title: "T",
    stages: [{ id: "s", name: "S", touchpoints: [{ id: "t", name: "N", ...extra }] }],
  };
}

after(() => {
  // Whatever happened above, the instance is still healthy.
  const journey = cjm.loadJourney(clean, { format: "yaml" });
  assert.deepEqual(cjm.validateJourney(journey, { today: "2026-11-27" }), []);
});

describe("malformed text", () => {
  const samples = {
    json: ["", "{", "}", "[]", "null", "\"x\"", "{\"id\": \"x\", \"title\": }", "{\"id\":\"x\",\"title\":\"t\"} trailing", "\u0000", "{\"id\": \"\\ud800\", \"title\": \"t\"}"],
    yaml: ["", ":", "- a\n- : b", "id: [", "{id: x, title: t, stages: 5}", "&a [*a]", "!!binary xyz", "id: x\ntitle: t\nstages:\n  - id: s\n    name: n\n    touchpoints: {a: b}"],
    mermaid: ["", "journey", "journey\n  section", "journey\n  title\n  section S\n    Task: x: A", "not mermaid", "journey\n    section S\n      T: 99999999999999999999999: A"],
    csv: ["", ",,,", "stage,touchpoint\n", "\"unterminated", "a,b,c\n1,2\n", "\uFEFF\n\n\n"],
  };
  for (const [format, inputs] of Object.entries(samples)) {
    test(format, () => {
      for (const text of inputs) {
        const result = survives(() => cjm.loadJourney(text, { format }));
        if (result instanceof Error) assert.equal(result.kind, "parse", `${format} ${JSON.stringify(text)}: ${result.message}`);
      }
    });
  }

  test("mutated inputs never trap (deterministic fuzz, 4 formats x 400)", () => {
    let seed = 0x2545f491;
    const rand = (n) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const sources = {
      yaml: broken,
      json: Buffer.from(cjm.dumpJourney(cjm.loadJourney(clean, { format: "yaml" }), "json")),
      mermaid: Buffer.from(cjm.convertJourney(clean, "yaml", "mermaid")),
      csv: Buffer.from(cjm.convertJourney(clean, "yaml", "csv")),
    };
    const alphabet = Buffer.from("{}[]:,\"'-&*!|>#\n \t\\0123456789eE.+aZ%\u00ff");
    let loaded = 0;
    for (const [format, source] of Object.entries(sources)) {
      for (let i = 0; i < 400; i++) {
        const bytes = Buffer.from(source);
        const edits = 1 + rand(8);
        let data = bytes;
        for (let e = 0; e < edits; e++) {
          const at = rand(data.length || 1);
          switch (rand(4)) {
            case 0: data[at] = alphabet[rand(alphabet.length)]; break;
            case 1: data = Buffer.concat([data.subarray(0, at), Buffer.from([rand(256)]), data.subarray(at)]); break;
            case 2: data = data.subarray(0, at); break;
            default: data = Buffer.concat([data.subarray(0, at), data.subarray(rand(data.length || 1))]); break;
          }
        }
        const result = survives(() => cjm.loadJourney(data, { format }));
        if (!(result instanceof Error)) {
          loaded++;
          // Whatever loaded can be validated and written in every format without a trap.
          survives(() => cjm.validateJourney(result, { today: "2026-11-27" }));
          for (const to of ["json", "yaml", "mermaid", "csv"]) survives(() => cjm.dumpJourney(result, to));
        }
      }
    }
    assert.ok(loaded > 0, "no mutated input loaded at all: the fuzz is not reaching the writers");
  });
});

describe("size, depth and expansion limits", () => {
  test("50 MB string -> input_too_large, refused before it is copied into WASM memory", async () => {
    const { cjm: web, memory } = await loadWebPackage();
    const before = memory.buffer.byteLength;
    const huge = " ".repeat(50_000_000);
    const error = cjmError(() => web.loadJourney(huge, { format: "json" }), "input_too_large");
    assert.equal(error.kind, "parse");
    assert.ok(memory.buffer.byteLength - before < 1_000_000, `memory grew by ${memory.buffer.byteLength - before} bytes`);
  });

  test("50 MB Uint8Array -> input_too_large, not copied either", async () => {
    const { cjm: web, memory } = await loadWebPackage();
    const before = memory.buffer.byteLength;
    const error = cjmError(() => web.loadJourney(new Uint8Array(50_000_000).fill(32), { format: "yaml" }), "input_too_large");
    assert.match(error.message, /50000000 bytes/);
    assert.ok(memory.buffer.byteLength - before < 1_000_000, `memory grew by ${memory.buffer.byteLength - before} bytes`);
  });

  test("a multi-byte string just over the limit is measured in UTF-8 bytes", () => {
    // 40 Cyrillic letters: 40 UTF-16 units but 80 UTF-8 bytes.
    cjmError(() => cjm.loadJourney(`id: x\ntitle: ${"ж".repeat(40)}`, { format: "yaml", maxBytes: 60 }), "input_too_large");
    cjm.loadJourney(`id: x\ntitle: ${"ж".repeat(40)}`, { format: "yaml", maxBytes: 100 });
  });

  test("maxBytes: Infinity lifts the limit; 0 refuses everything", () => {
    cjm.loadJourney(clean, { format: "yaml", maxBytes: Infinity });
    cjmError(() => cjm.loadJourney("{}", { format: "json", maxBytes: 0 }), "input_too_large");
  });

  for (const [format, prefix] of [["json", '{"id":"x","title":"t","x-deep":'], ["yaml", "id: x\ntitle: t\nx-deep: "]]) {
    for (const open of ["[", format === "json" ? '{"a":' : "{a: "]) {
      test(`100 000-deep ${format} ${open} nesting -> too_deep`, () => {
        cjmError(() => cjm.loadJourney(prefix + open.repeat(100_000), { format }), "too_deep");
      });
    }
  }

  test("100 000-deep JS object -> too_deep with its pointer", () => {
    let deep = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const journey = { ...minimal(), "x-deep": deep };
    const error = cjmError(() => cjm.validateJourney(journey), "too_deep");
    assert.equal(error.kind, "parse");
    assert.ok(error.location.path.startsWith("/x-deep/a/a/a"), error.location.path);
    cjmError(() => cjm.dumpJourney(journey), "too_deep");
  });

  test("100 000-deep JS array -> too_deep", () => {
    let deep = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    cjmError(() => cjm.validateJourney({ ...minimal(), "x-deep": deep }), "too_deep");
  });

  test("cyclic JS object -> too_deep, no endless recursion", () => {
    const journey = minimal();
    journey["x-self"] = journey;
    const error = cjmError(() => cjm.validateJourney(journey), "too_deep");
    assert.match(error.message, /cyclic/);
  });

  test("YAML alias bomb -> yaml_alias_limit", () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    const text = `id: x\ntitle: t\nx-bomb:\n${levels.map((l) => `  ${l}`).join("\n")}\n`;
    const error = cjmError(() => cjm.loadJourney(text, { format: "yaml" }), "yaml_alias_limit");
    assert.equal(error.kind, "parse");
  });
});

describe("encoding", () => {
  test("invalid UTF-8 bytes -> invalid_utf8 with line and column", () => {
    const bytes = Buffer.concat([Buffer.from('id: x\ntitle: "café '), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]);
    const error = cjmError(() => cjm.loadJourney(bytes, { format: "yaml" }), "invalid_utf8");
    assert.deepEqual(error.location, { line: 2, column: 14 });
  });

  test("ArrayBuffer is accepted like Uint8Array", () => {
    const bytes = new Uint8Array(clean);
    const journey = cjm.loadJourney(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), { format: "yaml" });
    assert.equal(typeof journey.id, "string");
  });

  test("a Uint8Array view into a larger buffer reads only its own bytes", () => {
    const text = Buffer.from("XXXX" + '{"id":"v","title":"t"}' + "YYYY");
    const view = new Uint8Array(text.buffer, text.byteOffset + 4, text.length - 8);
    assert.equal(cjm.loadJourney(view, { format: "json" }).id, "v");
  });

  test("BOM and lone surrogates in strings do not trap", () => {
    assert.equal(cjm.loadJourney('\uFEFF{"id":"b","title":"t"}', { format: "json" }).id, "b");
    // A lone surrogate is refused (invalid_utf8), not replaced by U+FFFD: see below.
    assert.throws(() => cjm.loadJourney('{"id":"s","title":"\ud800"}', { format: "json" }), {
      code: "invalid_utf8",
    });
  });
});

describe("NaN and Infinity", () => {
  test("YAML .nan loads as NaN and validates as non_finite_number", () => {
    const journey = cjm.loadJourney("id: j\ntitle: T\nstages: [{id: s, name: S, touchpoints: [{id: t, name: N, emotions: [{score: .nan}, {score: -.inf}]}]}]", { format: "yaml" });
    const emotions = journey.stages[0].touchpoints[0].emotions;
    assert.ok(Number.isNaN(emotions[0].score));
    assert.equal(emotions[1].score, -Infinity);
    const problems = cjm.validateJourney(journey, { today: null }).filter((p) => p.code === "non_finite_number");
    assert.deepEqual(problems.map((p) => p.path), [
      "/stages/0/touchpoints/0/emotions/0/score",
      "/stages/0/touchpoints/0/emotions/1/score",
    ]);
  });

  test("NaN in a JS journey: validate reports it, JSON/YAML writing refuses with non_finite_number", () => {
    const journey = minimal({ emotions: [{ score: NaN }, { score: Infinity }] });
    const codes = cjm.validateJourney(journey).map((p) => `${p.code} ${p.path}`);
    assert.ok(codes.includes("non_finite_number /stages/0/touchpoints/0/emotions/0/score"), codes.join("\n"));
    assert.ok(codes.includes("non_finite_number /stages/0/touchpoints/0/emotions/1/score"), codes.join("\n"));
    for (const format of ["json", "yaml"]) {
      // The same code and place as every front: the first non-finite number.
      const error = cjmError(() => cjm.dumpJourney(journey, format), "non_finite_number");
      assert.equal(error.kind, "parse");
      assert.equal(error.location.path, "/stages/0/touchpoints/0/emotions/0/score");
    }
    const error = cjmError(() => cjm.checkJourney(journey), "invalid_journey");
    assert.ok(error.problems.some((p) => p.code === "non_finite_number"));
    for (const format of ["mermaid", "csv"]) survives(() => cjm.dumpJourney(journey, format));
  });

  test("NaN as an emotion-scale bound and in extensions does not trap", () => {
    const journey = { ...minimal({ emotions: [{ score: 1 }] }), emotion_scale: { min: NaN, max: Infinity }, "x-n": NaN };
    survives(() => cjm.validateJourney(journey));
    for (const format of ["json", "yaml", "mermaid", "csv"]) survives(() => cjm.dumpJourney(journey, format));
  });

  test("NaN where no number belongs -> wrong_type naming the non-finite number", () => {
    const error = cjmError(() => cjm.validateJourney({ id: NaN, title: "t" }), "wrong_type");
    assert.equal(error.location.path, "/id");
    assert.match(error.message, /non-finite number/);
    assert.equal(cjmError(() => cjm.validateJourney({ id: "x", title: "t", format_version: Infinity }), "wrong_type").location.path, "/format_version");
  });

  test("NaN is not JSON: the JSON reader refuses the token", () => {
    cjmError(() => cjm.loadJourney('{"id":"x","title":"t","stages":[{"id":"s","name":"S","touchpoints":[{"id":"t","name":"N","emotions":[{"score":NaN}]}]}]}', { format: "json" }), "json_syntax");
  });
});

describe("wrong types from JavaScript", () => {
  for (const [name, value] of [["a string", "journey text"], ["null", null], ["undefined", undefined], ["a number", 42], ["an array", []], ["a function", () => ({})]]) {
    test(`${name} as the journey -> invalid_argument`, () => {
      for (const call of [() => cjm.validateJourney(value), () => cjm.dumpJourney(value), () => cjm.checkJourney(value)]) {
        assert.equal(cjmError(call, "invalid_argument").kind, "usage");
      }
    });
  }

  const cases = [
    ["id as number", { id: 1, title: "t" }, "/id"],
    ["missing title", { id: "x" }, undefined],
    ["stages as string", { id: "x", title: "t", stages: "many" }, "/stages"],
    ["score as word", minimal({ emotions: [{ score: "high" }] }), "/stages/0/touchpoints/0/emotions/0/score"],
    ["format_version as fraction", { id: "x", title: "t", format_version: 1.5 }, "/format_version"],
    ["format_version negative", { id: "x", title: "t", format_version: -1 }, "/format_version"],
    ["state unknown", { id: "x", title: "t", state: "maybe" }, "/state"],
    ["a symbol in an array (null, as JSON.stringify writes it)", { id: "x", title: "t", tags: [Symbol("s")] }, "/tags/0"],
    ["a BigInt", { id: "x", title: "t", format_version: 1n }, "/format_version"],
    ["a huge BigInt in an extension", { id: "x", title: "t", "x-big": 2n ** 70n }, "/x-big"],
  ];
  for (const [name, value, path] of cases) {
    test(`${name} -> wrong_type${path ? ` at ${path}` : ""}`, () => {
      for (const call of [() => cjm.validateJourney(value), () => cjm.dumpJourney(value), () => cjm.checkJourney(value)]) {
        const error = cjmError(call, "wrong_type");
        assert.equal(error.kind, "parse");
        assert.equal(error.location.path, path, error.message);
      }
    });
  }

  test("the JSON fast path and the careful walk agree (same problems, same errors)", () => {
    // A non-finite number anywhere sends a value down the careful walk; "x-" keys are inert.
    const slow = (value) => (value && typeof value === "object" && !Array.isArray(value) ? { ...value, "x-slow": NaN } : value);
    const outcome = (fn) => {
      try {
        return { ok: fn() };
      } catch (error) {
        return { code: error.code, kind: error.kind, location: error.location, message: error.message };
      }
    };
    const journeys = [
      cjm.loadJourney(clean, { format: "yaml" }),
      cjm.loadJourney(broken, { format: "yaml" }),
      cjm.newJourney("ecommerce", "ru"),
      ...cases.map(([, value]) => value),
      { id: "x" },
      { id: "x", title: "t", personas: [{ id: "p", name: "P", attributes: { age: 30, nested: { deep: [1, "two", null, true] } } }] },
      { id: "x", title: "t", stages: [{ id: "s", name: "S", touchpoints: [{ id: "t", name: "N", emotions: [{ score: 2 ** 60 }] }] }] },
      { id: "x", title: "t", format_version: 1, "x-ext": { "a/b": 1, "c~d": [1.5, -0] } },
    ];
    for (const journey of journeys) {
      const problems = (j) => cjm.validateJourney(j, { today: "2026-11-27" }).filter((p) => p.code !== "non_finite_number");
      assert.deepEqual(outcome(() => problems(slow(journey))), outcome(() => problems(journey)), describeValue(journey).slice(0, 200));
    }
  });

  test("format_version from the future -> unsupported_version", () => {
    const error = cjmError(() => cjm.validateJourney({ id: "x", title: "t", format_version: 99 }), "unsupported_version");
    assert.equal(error.location.path, "/format_version");
  });

  test("JS shapes are read with JSON.stringify's rules", () => {
    class Stage {
      constructor() {
        this.id = "s";
        this.name = "S";
        this.touchpoints = [{ id: "t", name: "N", channel: () => "skipped", [Symbol("k")]: 1 }];
      }
      method() {}
    }
    const when = new Date(Date.UTC(2026, 10, 1));
    const journey = {
      id: "x",
      title: "t",
      description: undefined,
      updated: { toJSON: (key) => (key === "updated" ? "2026-11-01" : "wrong key") },
      stages: [new Stage()],
      "x-map": new Map([["k", 1]]),
      "x-when": when,
      "x-list": [undefined, () => 1, Symbol("s"), 1],
      "x-fn": () => 1,
    };
    for (const variant of [journey, { ...journey, "x-slow": NaN }]) {
      assert.ok(Array.isArray(cjm.validateJourney(variant, { today: null })));
      const back = JSON.parse(cjm.dumpJourney(variant));
      const expected = JSON.parse(JSON.stringify(journey));
      for (const key of Object.keys(expected)) assert.deepEqual(back[key], expected[key], key);
      assert.equal("description" in back, false);
      assert.equal(back.updated, "2026-11-01");
      assert.deepEqual(back["x-map"], {});
      assert.equal(back["x-when"], when.toISOString());
      assert.deepEqual(back["x-list"], [null, null, null, 1]);
      assert.equal("x-fn" in back, false);
      assert.equal("channel" in back.stages[0].touchpoints[0], false);
    }
  });

  test("shared-object graphs and huge sparse arrays end in input_too_large, quickly", () => {
    let graph = { leaf: 1 };
    for (let i = 0; i < 40; i++) graph = { a: graph, b: graph };
    const started = Date.now();
    for (const value of [graph, Object.assign([], { length: 2 ** 32 - 1 })]) {
      const error = cjmError(() => cjm.validateJourney({ ...minimal(), "x-big": value }), "input_too_large");
      assert.equal(error.kind, "parse");
    }
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  });

  test("a throwing getter's own exception propagates, and the module still works", () => {
    const journey = minimal();
    Object.defineProperty(journey, "title", { enumerable: true, get() { throw new RangeError("getter says no"); } });
    assert.throws(() => cjm.validateJourney(journey), { name: "RangeError", message: "getter says no" });
    const proxy = new Proxy({}, { ownKeys() { throw new TypeError("trap says no"); } });
    assert.throws(() => cjm.validateJourney(proxy), { name: "TypeError", message: "trap says no" });
    assert.throws(() => cjm.validateJourney({ id: "x", title: "t", stages: new Proxy([], { get() { throw new Error("array trap"); } }) }), /array trap/);
    assert.throws(() => cjm.loadJourney("{}", new Proxy({}, { ownKeys() { throw new Error("options trap"); } })), /options trap/);
    for (let i = 0; i < 1000; i++) assert.throws(() => cjm.validateJourney(journey), RangeError);
    assert.equal(cjm.validateJourney(minimal(), { today: null }).filter((p) => p.severity === "error").length, 0);
  });

  test("__proto__ keys stay ordinary data and pollute nothing", () => {
    const journey = cjm.loadJourney('{"id":"x","title":"t","x-ext":{"__proto__":{"polluted":true}}}', { format: "json" });
    assert.equal({}.polluted, undefined);
    assert.equal(journey["x-ext"].polluted, undefined);
    assert.ok(Object.hasOwn(journey["x-ext"], "__proto__"));
    assert.deepEqual(JSON.parse(cjm.dumpJourney(journey))["x-ext"], JSON.parse('{"__proto__":{"polluted":true}}'));
    const yaml = cjm.loadJourney("id: x\ntitle: t\n__proto__: {polluted: true}\n", { format: "yaml" });
    assert.equal(Object.getPrototypeOf(yaml), Object.prototype);
    assert.equal({}.polluted, undefined);
  });
});

describe("wrong arguments and options -> usage errors", () => {
  const usage = [
    ["loadJourney(42)", () => cjm.loadJourney(42), "invalid_argument"],
    ["loadJourney(undefined)", () => cjm.loadJourney(undefined), "invalid_argument"],
    ["loadJourney({})", () => cjm.loadJourney({}), "invalid_argument"],
    ["loadJourney(text, 'yaml')", () => cjm.loadJourney("{}", "yaml"), "invalid_argument"],
    ["loadJourney(text, [])", () => cjm.loadJourney("{}", []), "invalid_argument"],
    ["format: 5", () => cjm.loadJourney("{}", { format: 5 }), "invalid_argument"],
    ["format: xml", () => cjm.loadJourney("{}", { format: "xml" }), "unsupported_format"],
    ["misspelt option", () => cjm.loadJourney("{}", { fromat: "json" }), "invalid_argument"],
    ["snake_case option", () => cjm.loadJourney("{}", { max_bytes: 5 }), "invalid_argument"],
    ["maxBytes: -1", () => cjm.loadJourney("{}", { maxBytes: -1 }), "invalid_argument"],
    ["maxBytes: -Infinity", () => cjm.loadJourney("{}", { maxBytes: -Infinity }), "invalid_argument"],
    ["maxBytes: NaN", () => cjm.loadJourney("{}", { maxBytes: NaN }), "invalid_argument"],
    ["maxBytes: '10'", () => cjm.loadJourney("{}", { maxBytes: "10" }), "invalid_argument"],
    ["today: 20261127", () => cjm.validateJourney(minimal(), { today: 20261127 }), "invalid_argument"],
    ["staleAfterDays: -1", () => cjm.validateJourney(minimal(), { staleAfterDays: -1 }), "invalid_argument"],
    ["staleAfterDays: 2**32", () => cjm.validateJourney(minimal(), { staleAfterDays: 2 ** 32 }), "invalid_argument"],
    ["stale_after_days", () => cjm.validateJourney(minimal(), { stale_after_days: 1 }), "invalid_argument"],
    ["dumpJourney(j, 1)", () => cjm.dumpJourney(minimal(), 1), "invalid_argument"],
    ["dumpJourney(j, 'pdf')", () => cjm.dumpJourney(minimal(), "pdf"), "unsupported_format"],
    ["convertJourney(text, 'yaml')", () => cjm.convertJourney(clean, "yaml"), "invalid_argument"],
    ["convertJourney(text, 'yaml', 'svg')", () => cjm.convertJourney(clean, "yaml", "svg"), "unsupported_format"],
    ["newJourney('blank')", () => cjm.newJourney("blank"), "unknown_template"],
    ["newJourney('classic', 'fr')", () => cjm.newJourney("classic", "fr"), "unknown_language"],
    ["newJourney(1)", () => cjm.newJourney(1), "invalid_argument"],
  ];
  for (const [name, call, code] of usage) {
    test(`${name} -> ${code}`, () => {
      const error = cjmError(call, code);
      assert.equal(error.kind, "usage");
      assert.deepEqual(error.location, {});
      assert.deepEqual(error.problems, []);
    });
  }
});

describe("lone surrogates are refused as invalid_utf8, as in Python and Node", () => {
  test("in text: with the line and column of the surrogate", () => {
    let error;
    try {
      cjm.loadJourney('{"id":\n "a\ud800"}', { format: "json" });
    } catch (caught) {
      error = caught;
    }
    assert.ok(error, "loadJourney must throw");
    assert.equal(error.code, "invalid_utf8");
    assert.equal(error.location.line, 2);
    assert.equal(error.location.column, 4);
    // A real U+FFFD is text like any other.
    assert.throws(() => cjm.loadJourney('{"id": "\ufffd"}', { format: "json" }), {
      code: "wrong_type",
    });
  });

  test("in objects: with the JSON pointer of the string", () => {
    const journey = cjm.newJourney();
    journey.stages[0].name = "bad \udfff";
    assert.throws(() => cjm.validateJourney(journey), (error) => {
      assert.equal(error.code, "invalid_utf8");
      assert.equal(error.location.path, "/stages/0/name");
      return true;
    });
  });
});
