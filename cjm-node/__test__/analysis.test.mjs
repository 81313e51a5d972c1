// Scoring, events and rendering through the binding: error codes, the async file funnel, the
// SVG map, and JSON results equal to the CLI's.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

import * as cjm from '../index.js'
import { rejected, repoRoot, sampleJourney, tempDir, thrown } from './helpers.mjs'

const basicCsv = readFileSync(join(repoRoot, 'tests', 'inputs', 'events', 'basic.csv'), 'utf8')
const spec = { steps: ['view', 'cart', 'purchase'], window: '7d' }

test('unknown persona throws unknown_persona', () => {
  const error = thrown(() => cjm.emotionCurve(sampleJourney(), { persona: 'nobody' }))
  assert.equal(error.code, 'unknown_persona')
  assert.equal(error.kind, 'usage')
  assert.equal(cjm.emotionCurve(sampleJourney(), { persona: 'novice' }).points.length, 2)
})

test('survey answers off the scale throw invalid_response with the answer pointer; typed arrays work', () => {
  const error = thrown(() => cjm.nps([10, 9, 11]))
  assert.equal(error.code, 'invalid_response')
  assert.equal(error.kind, 'data')
  assert.equal(error.location.path, '/2')
  assert.deepEqual(cjm.nps(new Uint8Array([10, 9, 8, 3])), cjm.nps([10, 9, 8, 3]))
  assert.equal(cjm.nps(new Float64Array([10, 9, 8, 3])).nps, 25)
  assert.equal(thrown(() => cjm.csat([])).code, 'no_responses')
  assert.equal(thrown(() => cjm.ces(['3'])).code, 'invalid_argument')
})

test('a bad timestamp throws invalid_timestamp with its line; skipBadRows counts it', () => {
  const text = 'user_id,timestamp,event\nu1,2024-05-01T10:00:00Z,view\nu2,not-a-time,view\n'
  const error = thrown(() => cjm.funnel(text, { steps: ['view'], window: '7d' }))
  assert.equal(error.code, 'invalid_timestamp')
  assert.equal(error.kind, 'data')
  assert.equal(error.location.line, 3)
  const result = cjm.funnel(text, { steps: ['view'], window: '7d' }, { skipBadRows: true })
  assert.equal(result.skipped_rows, 1)
  assert.equal(result.total.users, 1)
})

test('gzip event logs read as the plain ones, from bytes and files', async () => {
  const events = join(repoRoot, 'tests', 'inputs', 'events')
  const plain = cjm.funnel(readFileSync(join(events, 'basic.csv')), spec)
  assert.deepEqual(cjm.funnel(readFileSync(join(events, 'basic.csv.gz')), spec), plain)
  assert.deepEqual((await cjm.funnelFromFile(join(events, 'basic.csv.gz'), spec)).total, plain.total)
})

test('retention: cohorts by period, typed errors', () => {
  const log = readFileSync(join(repoRoot, 'tests', 'inputs', 'events', 'retention.csv'))
  const result = cjm.retention(log, { start: 'signup', return_event: 'visit', interval: 'day', periods: 3 })
  assert.deepEqual(result.overall.map((p) => [p.users, p.retained]), [[3, 2], [3, 1], [2, 1]])
  assert.deepEqual(result.cohorts.map((c) => c.cohort), ['2024-05-01', '2024-05-02'])
  assert.equal(thrown(() => cjm.retention(log, { start: 'signup', interval: 'fortnight' })).code, 'invalid_argument')
  assert.equal(thrown(() => cjm.retention(log, { start: 'signup', periods: 0 })).code, 'invalid_option')
  assert.equal(thrown(() => cjm.retention(log, { start: 'signup', retrun: 'visit' })).code, 'invalid_argument')
})

test('columns maps renamed fields; bad mappings throw typed errors', async () => {
  const renamed = join(repoRoot, 'tests', 'inputs', 'events', 'renamed-columns.csv')
  const columns = { user: 'anonymous_id', event: 'event_type', time: 'event_time', value: 'amount' }
  const users = (result) => result.total.steps.map((step) => step.users)
  assert.deepEqual(users(cjm.funnel(readFileSync(renamed), spec, { columns })), [2, 1, 1])
  assert.deepEqual(users(await cjm.funnelFromFile(renamed, spec, { columns })), [2, 1, 1])
  const missing = thrown(() => cjm.funnel(readFileSync(renamed), spec, { columns: { ...columns, user: 'visitor_id' } }))
  assert.equal(missing.code, 'missing_column')
  assert.equal(missing.kind, 'data')
  assert.equal(thrown(() => cjm.funnel(readFileSync(renamed), spec, { columns: { usr: 'x' } })).code, 'invalid_argument')
  assert.equal(thrown(() => cjm.funnel(readFileSync(renamed), spec, { columns: 'user=x' })).code, 'invalid_argument')
  const twice = thrown(() => cjm.funnel(readFileSync(renamed), spec, { columns: { ...columns, time: 'anonymous_id' } }))
  assert.equal(twice.code, 'invalid_option')
})

test('timeUnit reads epoch numbers in that unit; auto refuses numbers outside 1990-2100', async () => {
  const epochUs = join(repoRoot, 'tests', 'inputs', 'events', 'epoch-us.csv')
  const text = readFileSync(epochUs)
  const users = (result) => result.total.steps.map((step) => step.users)
  // GA4-like microseconds: auto and `us` give 7 real days; as `ms` they would be dates around
  // the year 56 000, outside the years 1900-2200, and are refused naming row 2, column 2.
  assert.deepEqual(users(cjm.funnel(text, spec)), [4, 3, 2])
  assert.deepEqual(users(cjm.funnel(text, spec, { timeUnit: 'us' })), [4, 3, 2])
  for (const error of [
    thrown(() => cjm.funnel(text, spec, { timeUnit: 'ms' })),
    await rejected(cjm.funnelFromFile(epochUs, spec, { timeUnit: 'ms' })),
  ]) {
    assert.equal(error.code, 'invalid_timestamp')
    assert.equal(error.location.line, 2)
    assert.equal(error.location.column, 2)
    assert.match(error.message, /1900-2200/)
  }
  assert.equal(cjm.loyalty(text, { purchaseEvent: 'purchase', timeUnit: 'us' }).customers, 3)

  const tiny = 'user_id,timestamp,event\nu1,2024-05-01T10:00:00Z,view\nu1,5,cart\n'
  const error = thrown(() => cjm.funnel(tiny, spec))
  assert.equal(error.code, 'invalid_timestamp')
  assert.equal(error.kind, 'data')
  assert.equal(error.location.line, 3)
  assert.equal(error.location.column, 2)
  assert.match(error.message, /row 3, column "timestamp"/)
  assert.equal(cjm.funnel(tiny, spec, { timeUnit: 's' }).total.users, 1)
  assert.equal(cjm.paths(tiny, { timeUnit: 's' }).level, 'event')

  assert.equal(thrown(() => cjm.funnel(text, spec, { timeUnit: 'sec' })).code, 'invalid_option')
  assert.equal(thrown(() => cjm.funnel(text, spec, { timeUnit: 1000 })).code, 'invalid_argument')
  assert.equal((await rejected(cjm.funnelFromFile(epochUs, spec, { timeUnit: 'sec' }))).code, 'invalid_option')
})

test('friction weights take camelCase (dropOff) like every JS option, and snake_case still', () => {
  const others = { emotion: 0, pain: 0, effort: 0, time: 0, support: 0, backtracking: 0, errors: 0 }
  const camel = cjm.frictionIndex(sampleJourney(), { weights: { ...others, dropOff: 1 } })
  assert.deepEqual(camel, cjm.frictionIndex(sampleJourney(), { weights: { ...others, drop_off: 1 } }))
  assert.equal(camel.weights.drop_off, 1)
  assert.notDeepEqual(camel, cjm.frictionIndex(sampleJourney()))
})

test('bad arguments are TypeErrors with invalid_argument', () => {
  for (const call of [
    () => cjm.funnel(basicCsv, { steps: ['view'], window: '7d', windw: 1 }),
    () => cjm.frictionIndex(sampleJourney(), { weights: { emotoin: 1 } }),
    () => cjm.renderSvg(sampleJourney(), { theme: 'neon' }),
    () => cjm.loyalty(basicCsv, {}),
  ]) {
    const error = thrown(call)
    assert.ok(error instanceof TypeError, error.message)
    assert.equal(error.code, 'invalid_argument')
  }
})

test('funnelFromFile computes the same funnel off the main thread', async () => {
  const { dir, cleanup } = tempDir()
  try {
    const path = join(dir, 'events.csv')
    writeFileSync(path, basicCsv)
    const fromFile = await cjm.funnelFromFile(path, spec)
    assert.deepEqual(fromFile, cjm.funnel(basicCsv, spec))
    assert.equal(fromFile.skipped_rows, 0)
    const missing = await rejected(cjm.funnelFromFile(join(dir, 'missing.csv'), spec))
    assert.equal(missing.code, 'io')
    const other = await rejected(cjm.funnelFromFile(join(dir, 'events.txt'), spec))
    assert.equal(other.code, 'unsupported_format')
  } finally {
    cleanup()
  }
})

test('renderSvg returns SVG naming every touchpoint in data-touchpoint', () => {
  const journey = cjm.newJourney('ecommerce')
  const svg = cjm.renderSvg(journey)
  assert.match(svg, /^(<\?xml[^>]*>\s*)?<svg[\s>]/)
  const ids = journey.stages.flatMap((stage) => stage.touchpoints.map((t) => t.id))
  assert.ok(ids.length > 0)
  for (const id of ids) assert.ok(svg.includes(`data-touchpoint="${id}"`), id)
  const html = cjm.renderReportHtml(journey, { today: '2026-11-27', render: { language: 'ru' } })
  assert.match(html, /<html/i)
})

test('renderers refuse output over max_output_bytes with output_too_large', () => {
  const journey = cjm.newJourney('ecommerce')
  for (const call of [
    () => cjm.renderSvg(journey, { max_output_bytes: 1000 }),
    () => cjm.renderReportHtml(journey, { today: '2026-11-27', render: { max_output_bytes: 1000 } }),
  ]) {
    const error = thrown(call)
    assert.equal(error.code, 'output_too_large')
    assert.equal(error.kind, 'usage')
    assert.match(error.message, /1000 bytes/)
    assert.match(error.message, /max_output_bytes/)
  }
  assert.match(cjm.renderSvg(journey, { max_output_bytes: 0 }), /^<svg/)
  assert.equal(thrown(() => cjm.renderSvg(journey, { max_output_bytes: -1 })).code, 'invalid_argument')
})

test('scoreJourney(...).health equals `cjm score --format json` (CLI)', () => {
  const file = join(repoRoot, 'tests', 'inputs', 'scoring.yaml')
  const cli = JSON.parse(
    execFileSync('cargo', ['run', '-q', '-p', 'cjm-cli', '--', 'score', file, '--format', 'json', '--today', '2026-11-27'], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  )
  const journey = cjm.loadJourney(readFileSync(file), { format: 'yaml' })
  const report = cjm.scoreJourney(journey, { today: '2026-11-27' })
  assert.deepEqual(report.health, cli.health)
  assert.deepEqual(cjm.journeyHealth(journey, { today: '2026-11-27' }), cli.health)
})

test('applyEvents returns a new journey and a report, leaving the argument alone', () => {
  assert.equal(thrown(() => cjm.applyEvents(sampleJourney(), basicCsv)).code, 'no_event_rules')
  const journey = sampleJourney()
  journey.stages[0].touchpoints[0].events = ['view']
  journey.stages[1].touchpoints[0].events = ['cart', 'purchase']
  const before = JSON.stringify(journey)
  const { journey: applied, report, skipped_rows } = cjm.applyEvents(journey, basicCsv, { window: '7d' })
  assert.ok(report.events > 0 && report.metrics_written > 0, JSON.stringify(report))
  assert.equal(skipped_rows, 0)
  assert.ok(applied.evidence.some((e) => e.id === 'event-log'))
  assert.equal(JSON.stringify(journey), before)
})
