// Runs the language-neutral cases in tests/cases/**/*.json (format: tests/README.md) whose op
// tests/fronts.json lists for the Node front; the others are reported as skipped. The analysis
// and event ops compare like the Rust runner (cjm-core/tests/cases.rs): the result must
// *contain* the expected value, numbers within 1e-9 relative.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, test } from 'node:test'

import * as cjm from '../index.js'
import { repoRoot } from './helpers.mjs'

const testsDir = join(repoRoot, 'tests')
const casesDir = join(testsDir, 'cases')

function findCases(dir) {
  const found = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) found.push(...findCases(path))
    else if (name.endsWith('.json')) found.push(path)
  }
  return found
}

/** The case's input as the front receives it: file bytes, or a generated string. */
function caseInput(spec) {
  if (spec.input !== undefined) return readFileSync(join(testsDir, spec.input))
  const { prefix = '', repeat, times, suffix = '' } = spec.generate
  return prefix + repeat.repeat(times) + suffix
}

function load(spec) {
  const options = { format: spec.format }
  if (spec.max_bytes !== undefined) options.maxBytes = spec.max_bytes
  return loadJourney(caseInput(spec), options)
}

/** A journey written as JSON and parsed back as plain data. */
const asData = (journey) => JSON.parse(dumpJourney(journey, 'json'))

const { convertJourney, dumpJourney, loadJourney, validateJourney } = cjm

/**
 * `expected` must be contained in `actual`: objects by the keys given (a `null` expects `null`
 * or absence), arrays element-wise with the same length, numbers within 1e-9 (relative),
 * everything else equal.
 */
function assertContains(actual, expected, path = '') {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${path}: expected an object, got ${JSON.stringify(actual)}`)
    for (const [key, value] of Object.entries(expected)) assertContains(actual[key] ?? null, value, `${path}/${key}`)
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`)
    assert.equal(actual.length, expected.length, `${path}: ${actual.length} items, expected ${expected.length}: ${JSON.stringify(actual)}`)
    expected.forEach((value, i) => assertContains(actual[i], value, `${path}/${i}`))
  } else if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${path}: ${JSON.stringify(actual)}, expected ${expected}`)
    assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(expected), 1), `${path}: ${actual}, expected ${expected}`)
  } else {
    assert.equal(actual, expected, path)
  }
}

/** Checks a result against `expect.result`, or the thrown error against `expect.error`. */
function checkResult(run, expect, after = () => {}) {
  if (expect.error) {
    const expected = expect.error
    assert.throws(run, (error) => {
      assert.ok(error instanceof Error, 'an Error is thrown')
      assert.equal(error.code, expected.code, `code (message: ${error.message})`)
      assert.equal(error.kind, expected.kind, 'kind')
      for (const field of ['path', 'line', 'column']) {
        if (expected[field] !== undefined) assert.equal(error.location[field], expected[field], `location.${field}`)
      }
      return true
    })
  } else {
    const result = run()
    assertContains(result, expect.result)
    if (expect.table) checkTable(result, expect.table)
    after(result)
  }
}

/** `expect.table`: the result's table of `kind` as CSV equals the file `csv`, and
 *  `resultTable` has the CSV's columns, a value per row in each. */
function checkTable(result, want) {
  const expected = readFileSync(join(testsDir, want.csv), 'utf8')
  assert.equal(cjm.tableCsv(want.kind, result), expected, 'table CSV')
  const table = cjm.resultTable(want.kind, result)
  const lines = expected.trimEnd().split('\n')
  assert.equal(table.columns.map((c) => c.name).join(','), lines[0], 'table columns')
  for (const column of table.columns) assert.equal(column.values.length, lines.length - 1, `rows of ${column.name}`)
}

/** The case's options (snake_case, as the core reads them) as the Node options. */
const weightsOf = (spec) => (spec.options?.weights !== undefined ? { weights: spec.options.weights } : {})

function analysis(spec, fn) {
  checkResult(() => fn(load(spec), spec.options ?? {}), spec.expect)
}

function survey(spec, fn) {
  checkResult(() => fn(spec.responses ?? []), spec.expect)
}

/** The read options of the API (docs/schema/api.schema.json, generated from the core). */
const readOptionNames = Object.keys(
  JSON.parse(readFileSync(join(repoRoot, 'docs', 'schema', 'api.schema.json'), 'utf8')).$defs.ReadOptions.properties,
)

/** A case's `read` options in Node's spelling (`time_unit` → `timeUnit`); a key the core does
 * not know fails the case instead of being ignored. */
function readOptions(spec) {
  const options = { format: 'csv' }
  for (const [key, value] of Object.entries(spec.read ?? {})) {
    if (!readOptionNames.includes(key)) throw new Error(`unknown read option ${JSON.stringify(key)}`)
    options[key.replace(/_([a-z])/g, (_, letter) => letter.toUpperCase())] = value
  }
  return options
}

/** A case's `options` renamed to Node's spelling by `names` (case key → option name); a key not
 * in `names` fails the case instead of falling back to a default. */
function strictOptions(spec, names) {
  const options = {}
  for (const [key, value] of Object.entries(spec.options ?? {})) {
    if (!(key in names)) throw new Error(`unknown option ${JSON.stringify(key)}`)
    options[names[key]] = value
  }
  return options
}

function events(spec, fn) {
  const text = readFileSync(join(testsDir, spec.events))
  const options = readOptions(spec)
  checkResult(() => fn(text, options), spec.expect, (result) => {
    if (spec.expect.skipped_rows !== undefined) assert.equal(result.skipped_rows, spec.expect.skipped_rows, 'skipped_rows')
  })
}

/** A chart case's `expect.svg`: substring counts, and the widths of the `class="bar"` rects. */
function checkSvg(svg, expect) {
  for (const [needle, count] of Object.entries(expect.count)) {
    assert.equal(svg.split(needle).length - 1, count, `occurrences of ${JSON.stringify(needle)}`)
  }
  if (expect.bars !== undefined) {
    const widths = [...svg.matchAll(/<rect\b[^>]*\bclass="bar"[^>]*>/g)].map((m) => {
      const width = /\bwidth="([^"]*)"/.exec(m[0])
      assert.ok(width, m[0])
      return Number(width[1])
    })
    assertContains(widths, expect.bars, '/bars')
  }
}

const ops = {
  curve: (spec) => analysis(spec, (j, o) => cjm.emotionCurve(j, { persona: o.persona ?? null })),
  friction: (spec) => analysis(spec, (j) => cjm.frictionIndex(j, weightsOf(spec))),
  gaps: (spec) => analysis(spec, (j) => cjm.analyzeGaps(j)),
  plan: (spec) => analysis(spec, (j) => cjm.improvementPlan(j)),
  health: (spec) =>
    analysis(spec, (j, o) =>
      cjm.journeyHealth(j, {
        // No `today` in the case means the core's default: staleness not judged (null in Node).
        today: o.today ?? null,
        ...(o.stale_after_days !== undefined && { staleAfterDays: o.stale_after_days }),
        ...weightsOf(spec),
      }),
    ),
  compare: (spec) =>
    analysis(spec, (j) => cjm.compareJourneys(j, load({ ...spec, input: spec.input_to_be }), weightsOf(spec))),
  nps: (spec) => survey(spec, cjm.nps),
  csat: (spec) => survey(spec, cjm.csat),
  ces: (spec) => survey(spec, cjm.ces),

  funnel: (spec) => events(spec, (text, o) => cjm.funnel(text, spec.spec, o)),
  paths: (spec) =>
    events(spec, (text, o) =>
      cjm.paths(text, { ...o, goal: spec.options?.goal ?? null, ...(spec.options?.top !== undefined && { top: spec.options.top }) }),
    ),
  compare_funnel: (spec) => events(spec, (text, o) => cjm.compareFunnel(text, spec.spec, spec.split, o)),
  loyalty: (spec) =>
    events(spec, (text, o) => cjm.loyalty(text, { ...o, purchaseEvent: spec.options?.purchase_event ?? 'purchase' })),
  retention: (spec) => events(spec, (text, o) => cjm.retention(text, spec.spec, o)),
  apply(spec) {
    const options = strictOptions(spec, { window: 'window', evidence_id: 'evidenceId' })
    events(spec, (text, o) => {
      const applied = cjm.applyEvents(load(spec), text, { ...o, ...options })
      return { journey: asData(applied.journey), report: applied.report, skipped_rows: applied.skipped_rows }
    })
  },
  funnel_chart(spec) {
    const text = readFileSync(join(testsDir, spec.events))
    const result = cjm.funnel(text, spec.spec, readOptions(spec))
    checkSvg(cjm.renderFunnelSvg(result, spec.options ?? {}), spec.expect.svg)
  },

  validate(spec) {
    const journey = load(spec)
    const options = spec.options ?? {}
    const problems = validateJourney(journey, {
      // No `today` in the case means the core's default: staleness not judged (null in Node).
      today: options.today ?? null,
      ...(options.stale_after_days !== undefined && { staleAfterDays: options.stale_after_days }),
    })
    assert.deepEqual(
      problems.map(({ code, severity, path }) => ({ code, severity, path })),
      spec.expect.problems.map(({ code, severity, path }) => ({ code, severity, path })),
    )
  },

  load(spec) {
    if (spec.expect.error) {
      const expected = spec.expect.error
      assert.throws(
        () => load(spec),
        (error) => {
          assert.ok(error instanceof Error, 'an Error is thrown')
          assert.equal(error.code, expected.code, `code (message: ${error.message})`)
          assert.equal(error.kind, expected.kind, 'kind')
          for (const field of ['line', 'column', 'path']) {
            if (expected[field] !== undefined) {
              assert.equal(error.location[field], expected[field], `location.${field}`)
            }
          }
          return true
        },
      )
    } else {
      const expected = JSON.parse(readFileSync(join(testsDir, spec.expect.journey), 'utf8'))
      assert.deepEqual(asData(load(spec)), expected)
    }
  },

  convert(spec) {
    const expected = readFileSync(join(testsDir, spec.expect.output), 'utf8')
    assert.equal(dumpJourney(load(spec), spec.to), expected)
    if (spec.max_bytes === undefined) {
      assert.equal(convertJourney(caseInput(spec), spec.format, spec.to), expected)
    }
  },

  roundtrip(spec) {
    const first = load(spec)
    const text = dumpJourney(first, spec.to)
    const second = loadJourney(text, { format: spec.to })
    assert.deepEqual(asData(second), asData(first))
  },
}

const cases = findCases(casesDir)
const fronts = JSON.parse(readFileSync(join(testsDir, 'fronts.json'), 'utf8'))
const listedOps = fronts.node
const optionKeys = fronts.options
// CJM_NODE_ALL_OPS=1 also runs the ops this runner implements that tests/fronts.json does not
// list for node yet (to check them before the list is updated).
const nodeOps =
  process.env.CJM_NODE_ALL_OPS === '1' ? [...new Set([...listedOps, ...Object.keys(ops)])] : listedOps

test('tests/cases holds cases', () => {
  assert.ok(cases.length > 0, `no case files under ${casesDir}`)
})

test('this runner implements every op tests/fronts.json lists for node', () => {
  assert.ok(Array.isArray(nodeOps) && nodeOps.length > 0, 'tests/fronts.json has a "node" list')
  assert.deepEqual(nodeOps.filter((op) => !ops[op]), [])
})

describe('tests/cases', () => {
  for (const path of cases) {
    const name = relative(casesDir, path)
    const spec = JSON.parse(readFileSync(path, 'utf8'))
    if (!nodeOps.includes(spec.op)) {
      test(name, { skip: `op ${spec.op} is not available in the Node front yet (tests/fronts.json)` }, () => {})
      continue
    }
    test(name, () => {
      // A key the op does not take fails the case: a misspelt option would test the default.
      const allowed = optionKeys[spec.op] ?? []
      const unknown = Object.keys(spec.options ?? {}).filter((key) => !allowed.includes(key))
      assert.deepEqual(unknown, [], `unknown option(s) for op ${spec.op}`)
      ops[spec.op](spec)
    })
  }
})
