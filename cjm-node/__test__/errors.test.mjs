// Error shape and hostile inputs: every failure is a typed Error, never a crash or a hang.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { checkJourney, convertJourney, dumpJourney, loadJourney, newJourney, validateJourney } from '../index.js'
import { sampleJourney, thrown } from './helpers.mjs'

/** Asserts the common shape and returns the error for further checks. */
function cjmError(fn, code, kind) {
  const error = thrown(fn)
  assert.ok(error instanceof Error, `an Error, got ${error}`)
  assert.equal(error.code, code, `code (message: ${error.message})`)
  assert.equal(error.kind, kind, 'kind')
  assert.equal(typeof error.message, 'string')
  assert.ok(error.message.length > 0)
  assert.equal(typeof error.location, 'object')
  assert.ok(Array.isArray(error.problems))
  return error
}

describe('error shape', () => {
  test('a parse error is an Error with code, kind, location, problems and a stack', () => {
    const error = cjmError(() => loadJourney('{\n  "id": "a",\n  "title": 5\n}'), 'wrong_type', 'parse')
    assert.equal(error.name, 'CjmError')
    assert.deepEqual(error.location, { path: '/title', line: 3, column: 12 })
    assert.equal(error.location.line, 3)
    assert.deepEqual(error.problems, [])
    assert.match(error.message, /line 3, column 12/)
    assert.match(error.stack, /CjmError/)
    assert.match(String(error), /^CjmError: /)
  })

  test('the fields serialise with JSON.stringify', () => {
    const error = thrown(() => loadJourney('{'))
    const data = JSON.parse(JSON.stringify(error))
    assert.equal(data.code, 'json_syntax')
    assert.equal(data.kind, 'parse')
    assert.equal(data.location.line, 1)
  })

  test('a validation error lists every problem', () => {
    const error = cjmError(() => checkJourney({ id: 'x', title: '' }), 'invalid_journey', 'validation')
    assert.ok(error.problems.length >= 2)
    for (const problem of error.problems) {
      assert.deepEqual(Object.keys(problem).sort(), ['code', 'message', 'path', 'severity'])
    }
    assert.match(error.message, /journey is invalid/)
    assert.equal(typeof error.location.path, 'string')
  })

  test('wrong arguments are TypeErrors with code invalid_argument', () => {
    const cases = [
      () => loadJourney(42),
      () => loadJourney(),
      () => loadJourney(new Uint16Array(4)),
      () => loadJourney('{}', 'json'),
      () => loadJourney('{}', { format: 7 }),
      () => loadJourney('{}', { max_bytes: 10 }),
      () => loadJourney('{}', { maxBytes: -1 }),
      () => loadJourney('{}', { maxBytes: NaN }),
      () => loadJourney('{}', { maxBytes: '10' }),
      () => validateJourney('{"id": "a"}'),
      () => validateJourney(null),
      () => validateJourney([]),
      () => validateJourney(sampleJourney(), { today: new Date() }),
      () => validateJourney(sampleJourney(), { staleAfterDays: 1.5 }),
      () => validateJourney(sampleJourney(), { staleAfterDays: -1 }),
      () => validateJourney(sampleJourney(), { stale_after_days: 10 }),
      () => dumpJourney(sampleJourney(), 5),
      () => convertJourney('{}', 'json'),
      () => newJourney(5),
    ]
    for (const fn of cases) {
      const error = cjmError(fn, 'invalid_argument', 'usage')
      assert.ok(error instanceof TypeError, `${fn}: ${error.message}`)
    }
  })

  test('the messages name the argument', () => {
    assert.match(thrown(() => loadJourney(42)).message, /data must be a string, a Buffer or a Uint8Array, not a number/)
    assert.match(thrown(() => loadJourney('{}', { max_bytes: 1 })).message, /unknown option "max_bytes".*maxBytes/)
  })

  test('a throwing getter propagates its own exception', () => {
    const journey = sampleJourney()
    Object.defineProperty(journey, 'title', {
      enumerable: true,
      get() {
        throw new RangeError('from the getter')
      },
    })
    assert.throws(() => validateJourney(journey), { name: 'RangeError', message: 'from the getter' })
    // The module keeps working afterwards.
    assert.deepEqual(validateJourney(sampleJourney(), { today: '2026-11-27' }), [])
  })

  test('a Proxy that throws propagates its own exception', () => {
    const proxy = new Proxy(sampleJourney(), {
      ownKeys() {
        throw new Error('trap')
      },
    })
    assert.throws(() => validateJourney(proxy), { message: 'trap' })
  })
})

describe('hostile inputs', () => {
  test('malformed JSON: json_syntax with line and column', () => {
    const error = cjmError(() => loadJourney('{"id": "x",\n "title": }'), 'json_syntax', 'parse')
    assert.equal(error.location.line, 2)
    assert.equal(error.location.column, 11)
    cjmError(() => loadJourney(''), 'json_syntax', 'parse')
    cjmError(() => loadJourney('{"id": "x", "title": "t"} trailing'), 'json_syntax', 'parse')
    cjmError(() => loadJourney('\u0000\u0001\u0002'), 'json_syntax', 'parse')
  })

  test('malformed YAML: yaml_syntax with a line', () => {
    const error = cjmError(() => loadJourney('id: x\ntitle: t\n  stages: [', { format: 'yaml' }), 'yaml_syntax', 'parse')
    assert.equal(error.location.line, 3)
    cjmError(() => loadJourney('id: "unterminated\n', { format: 'yaml' }), 'yaml_syntax', 'parse')
  })

  test('malformed CSV and Mermaid: typed errors with a line', () => {
    const csv = cjmError(() => loadJourney('stage,touchpoint,emotion\nA,B,3\nC,D\n', { format: 'csv' }), 'csv_syntax', 'parse')
    assert.equal(csv.location.line, 3)
    const mermaid = cjmError(
      () => loadJourney('journey\n  title T\n  section S\n    Step: five: Anna\n', { format: 'mermaid' }),
      'mermaid_syntax',
      'parse',
    )
    assert.equal(mermaid.location.line, 4)
  })

  test('wrong types in text: wrong_type with the JSON pointer', () => {
    const error = cjmError(
      () => loadJourney('{"id": "x", "title": "t", "stages": [{"id": "s", "name": "S", "touchpoints": "none"}]}'),
      'wrong_type',
      'parse',
    )
    assert.equal(error.location.path, '/stages/0/touchpoints')
    cjmError(() => loadJourney('[1, 2, 3]'), 'wrong_type', 'parse')
    cjmError(() => loadJourney('"just a string"'), 'wrong_type', 'parse')
    cjmError(() => loadJourney('{"title": "no id"}'), 'wrong_type', 'parse')
  })

  test('wrong types in a journey object: wrong_type with the JSON pointer', () => {
    const journey = sampleJourney()
    journey.stages[1].touchpoints[0].emotions[0].score = 'high'
    const error = cjmError(() => validateJourney(journey), 'wrong_type', 'parse')
    assert.equal(error.location.path, '/stages/1/touchpoints/0/emotions/0/score')
    assert.equal(error.location.line, undefined)
    const noId = cjmError(() => dumpJourney({ title: 'no id' }), 'wrong_type', 'parse')
    assert.match(noId.message, /id/)
  })

  test('BigInt is refused with the pointer, with or without a null elsewhere', () => {
    for (const owner of ['someone', null]) {
      const big = { ...sampleJourney(), owner }
      big.stages[0].touchpoints[0].emotions[0].sample_size = 10n
      const error = cjmError(() => validateJourney(big), 'wrong_type', 'parse')
      assert.equal(error.location.path, '/stages/0/touchpoints/0/emotions/0/sample_size')
      assert.match(error.message, /BigInt/)
    }
  })

  test('toJSON is honoured as JSON.stringify does: a Date becomes its ISO string', () => {
    const dated = { ...sampleJourney(), updated: new Date('2026-01-02T03:04:05Z') }
    assert.equal(JSON.parse(dumpJourney(dated)).updated, '2026-01-02T03:04:05.000Z')
    const problems = validateJourney(dated, { today: '2026-11-27' })
    assert.deepEqual(problems.map((p) => [p.code, p.path]), [['invalid_date', '/updated']])
    const custom = { ...sampleJourney(), 'x-custom': { toJSON: (key) => `key ${key}` } }
    assert.equal(JSON.parse(dumpJourney(custom))['x-custom'], 'key x-custom')
  })

  test('NaN: kept and reported by validation, refused when writing JSON or YAML', () => {
    const journey = sampleJourney()
    journey.stages[0].touchpoints[0].emotions[0].score = NaN
    const problems = validateJourney(journey, { today: '2026-11-27' })
    assert.deepEqual(
      problems.map(({ code, path }) => ({ code, path })),
      [{ code: 'non_finite_number', path: '/stages/0/touchpoints/0/emotions/0/score' }],
    )
    for (const format of ['json', 'yaml']) {
      const error = cjmError(() => dumpJourney(journey, format), 'non_finite_number', 'parse')
      assert.equal(error.location.path, '/stages/0/touchpoints/0/emotions/0/score')
    }
    cjmError(() => checkJourney(journey), 'invalid_journey', 'validation')
  })

  test('NaN read from YAML reaches JS as NaN', () => {
    const yaml = 'id: x\ntitle: t\nstages:\n  - id: s\n    name: S\n    touchpoints:\n      - id: t\n        name: T\n        emotions:\n          - score: .nan\n          - score: -.inf\n'
    const journey = loadJourney(yaml, { format: 'yaml' })
    const [nan, inf] = journey.stages[0].touchpoints[0].emotions
    assert.ok(Number.isNaN(nan.score))
    assert.equal(inf.score, -Infinity)
    assert.deepEqual(
      validateJourney(journey).filter((p) => p.code === 'non_finite_number').map((p) => p.path),
      ['/stages/0/touchpoints/0/emotions/0/score', '/stages/0/touchpoints/0/emotions/1/score'],
    )
  })

  test('NaN where text belongs is a wrong_type naming the non-finite number', () => {
    const error = cjmError(() => validateJourney({ id: 'x', title: NaN }), 'wrong_type', 'parse')
    assert.equal(error.location.path, '/title')
    assert.match(error.message, /non-finite/)
  })

  test('invalid UTF-8 bytes: invalid_utf8 with line and column in characters', () => {
    const bytes = Buffer.concat([Buffer.from('id: x\ntitle: "Привет '), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')])
    const error = cjmError(() => loadJourney(bytes, { format: 'yaml' }), 'invalid_utf8', 'parse')
    assert.equal(error.location.line, 2)
    assert.equal(error.location.column, 16)
    // A truncated multi-byte character at the very end.
    cjmError(() => loadJourney(Buffer.from([0x7b, 0xd0])), 'invalid_utf8', 'parse')
  })

  test('a lone surrogate in a JS string is refused as invalid_utf8 (as in Python), no crash', () => {
    cjmError(() => loadJourney('{"id": "x", "title": "a\ud800b"}'), 'invalid_utf8', 'parse')
    cjmError(() => dumpJourney({ id: 'x', title: 'a\udc00b' }), 'invalid_utf8', 'parse')
    // As a JSON escape it is the parser's to refuse.
    cjmError(() => loadJourney(JSON.stringify({ id: 'x', title: 'a\ud800b' })), 'json_syntax', 'parse')
  })

  test('a 50 MB input is refused quickly with input_too_large', () => {
    const text = ' '.repeat(50_000_000)
    let start = performance.now()
    cjmError(() => loadJourney(text), 'input_too_large', 'parse')
    assert.ok(performance.now() - start < 3000, `took ${performance.now() - start} ms`)
    const bytes = Buffer.alloc(50_000_000, 0x20)
    start = performance.now()
    cjmError(() => loadJourney(bytes, { format: 'yaml' }), 'input_too_large', 'parse')
    assert.ok(performance.now() - start < 1000, `took ${performance.now() - start} ms`)
    cjmError(() => convertJourney(bytes, 'json', 'yaml'), 'input_too_large', 'parse')
  })

  test('100 000-deep nesting in text: too_deep, no stack overflow', () => {
    const json = `{"id":"x","title":"t","x-deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    cjmError(() => loadJourney(json), 'too_deep', 'parse')
    cjmError(() => loadJourney(`id: x\ntitle: t\nx-deep: ${'['.repeat(100_000)}`, { format: 'yaml' }), 'too_deep', 'parse')
    cjmError(() => loadJourney(`id: x\ntitle: t\nx-deep: ${'{a: '.repeat(100_000)}`, { format: 'yaml' }), 'too_deep', 'parse')
  })

  test('100 000-deep nesting in a journey object: too_deep, no stack overflow', () => {
    let deep = []
    for (let i = 0; i < 100_000; i++) deep = [deep]
    const error = cjmError(() => validateJourney({ id: 'x', title: 't', 'x-deep': deep }), 'too_deep', 'parse')
    assert.match(error.location.path, /^\/x-deep\/0\/0/)
    let deepObject = {}
    for (let i = 0; i < 100_000; i++) deepObject = { a: deepObject }
    cjmError(() => dumpJourney({ id: 'x', title: 't', 'x-deep': deepObject }), 'too_deep', 'parse')
  })

  test('a cyclic journey object: too_deep, no hang', () => {
    const journey = sampleJourney()
    journey['x-self'] = journey
    cjmError(() => validateJourney(journey), 'too_deep', 'parse')
    const stage = journey.stages[0]
    stage.touchpoints[0]['x-stage'] = stage
    cjmError(() => dumpJourney(journey), 'too_deep', 'parse')
  })

  test('a shared-object graph that would expand exponentially is cut off', () => {
    let node = { leaf: 1 }
    for (let i = 0; i < 40; i++) node = { a: node, b: node } // 2^40 paths, 41 levels
    const start = performance.now()
    cjmError(() => validateJourney({ id: 'x', title: 't', 'x-dag': node }), 'input_too_large', 'parse')
    assert.ok(performance.now() - start < 3000, `took ${performance.now() - start} ms`)
  })

  test('YAML alias bomb (billion laughs): yaml_alias_limit, not an expansion', () => {
    const lines = ['id: x', 'title: t', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i <= 9; i++) {
      const refs = Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')
      lines.push(`a${i}: &a${i} [${refs}]`)
    }
    const start = performance.now()
    cjmError(() => loadJourney(lines.join('\n'), { format: 'yaml' }), 'yaml_alias_limit', 'parse')
    assert.ok(performance.now() - start < 3000)
  })

  test('future format_version: unsupported_version at /format_version, from text or objects', () => {
    const fromText = cjmError(() => loadJourney('{"format_version": 99, "id": "x", "title": "t"}'), 'unsupported_version', 'parse')
    assert.equal(fromText.location.path, '/format_version')
    cjmError(() => validateJourney({ format_version: 99, id: 'x', title: 't' }), 'unsupported_version', 'parse')
  })

  test('the module survives all of the above', () => {
    assert.equal(loadJourney(JSON.stringify(sampleJourney())).title, 'Покупка протеина')
  })
})

describe('lone surrogates are refused as invalid_utf8, as in Python', () => {
  test('in text: with the line and column of the surrogate', () => {
    const error = thrown(() => loadJourney('{"id":\n "a\ud800"}'))
    assert.equal(error.code, 'invalid_utf8')
    assert.equal(error.kind, 'parse')
    assert.deepEqual(error.location, { line: 2, column: 4 })
    // A surrogate pair is a character, not an error.
    assert.equal(thrown(() => loadJourney('{"id": "a\ud83d\ude00"}')).code, 'wrong_type')
    // convertJourney reads text the same way.
    assert.equal(thrown(() => convertJourney('id: \udc00', 'yaml', 'json')).code, 'invalid_utf8')
  })

  test('in objects: with the JSON pointer of the string', () => {
    const journey = sampleJourney()
    journey.stages[0].name = 'bad \udfff'
    const error = thrown(() => validateJourney(journey))
    assert.equal(error.code, 'invalid_utf8')
    assert.equal(error.location.path, '/stages/0/name')
    assert.match(error.message, /lone surrogate/)
  })
})
