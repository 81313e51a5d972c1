// Runs the language-neutral cases in tests/cases/**/*.json (format: tests/README.md) whose op
// tests/fronts.json lists for the Node front; the others are reported as skipped.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, test } from 'node:test'

import { convertJourney, dumpJourney, loadJourney, validateJourney } from '../index.js'
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

const ops = {
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
const nodeOps = JSON.parse(readFileSync(join(testsDir, 'fronts.json'), 'utf8')).node

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
    test(name, () => ops[spec.op](spec))
  }
})
