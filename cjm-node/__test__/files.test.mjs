// loadJourneyFile / saveJourneyFile: asynchronous, off the JS thread, rejecting with typed errors.
import assert from 'node:assert/strict'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'

import { dumpJourney, loadJourney, loadJourneyFile, saveJourneyFile } from '../index.js'
import { rejected, repoRoot, sampleJourney, tempDir } from './helpers.mjs'

let dir
let cleanup
before(() => ({ dir, cleanup } = tempDir()))
after(() => cleanup())

/** Checks the shape of a rejection and returns it. */
async function rejects(promise, code, kind) {
  const error = await rejected(promise)
  assert.ok(error instanceof Error, `an Error, got ${error}`)
  assert.equal(error.code, code, `code (message: ${error.message})`)
  assert.equal(error.kind, kind)
  assert.equal(typeof error.location, 'object')
  return error
}

describe('loadJourneyFile', () => {
  test('returns a Promise of the journey, the format taken from the extension', async () => {
    const promise = loadJourneyFile(join(repoRoot, 'tests', 'inputs', 'clean.yaml'))
    assert.ok(promise instanceof Promise)
    const journey = await promise
    assert.equal(journey.id, 'coffee-order')
    assert.deepEqual(journey, loadJourney(readFileSync(join(repoRoot, 'tests', 'inputs', 'clean.yaml')), { format: 'yaml' }))
  })

  test('options.format overrides the extension', async () => {
    const path = join(dir, 'journey.txt')
    writeFileSync(path, JSON.stringify(sampleJourney()))
    assert.equal((await loadJourneyFile(path, { format: 'json' })).title, 'Покупка протеина')
    await rejects(loadJourneyFile(path), 'unsupported_format', 'usage')
  })

  test('Cyrillic file names and contents', async () => {
    const path = join(dir, 'карта пути.yaml')
    writeFileSync(path, dumpJourney(sampleJourney(), 'yaml'))
    const journey = await loadJourneyFile(path)
    assert.equal(journey.stages[1].touchpoints[0].name, 'Оформляет заказ')
  })

  test('many loads run concurrently', async () => {
    const path = join(dir, 'many.json')
    writeFileSync(path, JSON.stringify(sampleJourney()))
    const journeys = await Promise.all(Array.from({ length: 32 }, () => loadJourneyFile(path)))
    assert.equal(journeys.length, 32)
    assert.ok(journeys.every((j) => j.id === 'protein'))
  })

  test('the call returns at once; the file is read and parsed on a worker thread', async () => {
    const path = join(dir, 'large.json')
    const journey = sampleJourney()
    journey['x-padding'] = Array.from({ length: 200_000 }, (_, i) => `запись ${i}`)
    writeFileSync(path, JSON.stringify(journey))
    let settled = false
    const start = performance.now()
    const promise = loadJourneyFile(path).finally(() => (settled = true))
    const callMs = performance.now() - start
    await new Promise((resolve) => setImmediate(resolve))
    const loaded = await promise
    const totalMs = performance.now() - start
    assert.equal(loaded['x-padding'].length, 200_000)
    assert.ok(callMs < totalMs / 2, `the call took ${callMs} ms of ${totalMs} ms`)
    assert.ok(settled)
  })

  test('a missing file rejects with code io', async () => {
    const error = await rejects(loadJourneyFile(join(dir, 'missing.json')), 'io', 'usage')
    assert.match(error.message, /missing\.json/)
  })

  test('a directory or an unreadable file rejects with code io', async () => {
    const folder = join(dir, 'folder.json')
    mkdirSync(folder)
    await rejects(loadJourneyFile(folder), 'io', 'usage')
    if (process.getuid && process.getuid() !== 0) {
      const path = join(dir, 'locked.json')
      writeFileSync(path, '{}')
      chmodSync(path, 0o000)
      await rejects(loadJourneyFile(path), 'io', 'usage')
    }
  })

  test('parse errors reject with their location', async () => {
    const path = join(dir, 'broken.json')
    writeFileSync(path, '{\n  "id": "x",\n  "title": 5\n}\n')
    const error = await rejects(loadJourneyFile(path), 'wrong_type', 'parse')
    assert.deepEqual(error.location, { path: '/title', line: 3, column: 12 })
    assert.equal(error.name, 'CjmError')
  })

  test('a file above maxBytes is refused without being read whole', async () => {
    const path = join(dir, 'big.json')
    writeFileSync(path, Buffer.alloc(50_000_000, 0x20))
    const start = performance.now()
    const error = await rejects(loadJourneyFile(path), 'input_too_large', 'parse')
    assert.ok(performance.now() - start < 1000, `took ${performance.now() - start} ms`)
    assert.match(error.message, /50000000 bytes/)
    await rejects(loadJourneyFile(join(repoRoot, 'tests', 'inputs', 'clean.yaml'), { maxBytes: 100 }), 'input_too_large', 'parse')
  })

  test('invalid UTF-8 and hostile files reject with typed errors', async () => {
    await rejects(loadJourneyFile(join(repoRoot, 'tests', 'inputs', 'invalid-utf8.yaml')), 'invalid_utf8', 'parse')
    await rejects(loadJourneyFile(join(repoRoot, 'tests', 'inputs', 'alias-bomb.yaml')), 'yaml_alias_limit', 'parse')
    const deep = join(dir, 'deep.json')
    writeFileSync(deep, `{"id":"x","title":"t","x-deep":${'['.repeat(100_000)}`)
    await rejects(loadJourneyFile(deep), 'too_deep', 'parse')
  })

  test('bad arguments reject (they do not throw synchronously)', async () => {
    await rejects(loadJourneyFile(42), 'invalid_argument', 'usage')
    await rejects(loadJourneyFile('x.json', { maxBytes: -5 }), 'invalid_argument', 'usage')
    await rejects(loadJourneyFile('x.json', { format: 'xml' }), 'unsupported_format', 'usage')
  })
})

describe('saveJourneyFile', () => {
  test('writes each format, chosen by extension, and reads back', async () => {
    const journey = sampleJourney()
    for (const name of ['out.json', 'out.yaml', 'out.yml', 'out.mmd', 'out.csv']) {
      const path = join(dir, name)
      const result = saveJourneyFile(journey, path)
      assert.ok(result instanceof Promise)
      assert.equal(await result, undefined)
      const back = await loadJourneyFile(path)
      assert.equal(back.stages[0].touchpoints[0].name, 'Читает отзывы', name)
    }
    assert.equal(readFileSync(join(dir, 'out.json'), 'utf8'), dumpJourney(journey, 'json'))
    assert.equal(readFileSync(join(dir, 'out.mmd'), 'utf8'), dumpJourney(journey, 'mermaid'))
  })

  test('an explicit format wins over the extension', async () => {
    const path = join(dir, 'explicit.txt')
    await saveJourneyFile(sampleJourney(), path, 'yaml')
    assert.equal(readFileSync(path, 'utf8'), dumpJourney(sampleJourney(), 'yaml'))
  })

  test('JSON and YAML files round-trip losslessly', async () => {
    const journey = loadJourney(readFileSync(join(repoRoot, 'tests', 'inputs', 'clean.yaml')), { format: 'yaml' })
    for (const name of ['rt.json', 'rt.yaml']) {
      await saveJourneyFile(journey, join(dir, name))
      assert.deepEqual(await loadJourneyFile(join(dir, name)), journey)
    }
  })

  test('failures reject with typed errors', async () => {
    await rejects(saveJourneyFile(sampleJourney(), join(dir, 'no', 'such', 'dir.json')), 'io', 'usage')
    await rejects(saveJourneyFile(sampleJourney(), join(dir, 'file.xml')), 'unsupported_format', 'usage')
    await rejects(saveJourneyFile({ title: 'no id' }, join(dir, 'x.json')), 'wrong_type', 'parse')
    await rejects(saveJourneyFile(sampleJourney(), 5), 'invalid_argument', 'usage')
    const nan = sampleJourney()
    nan.stages[0].touchpoints[0].emotions[0].score = NaN
    const error = await rejects(saveJourneyFile(nan, join(dir, 'nan.json')), 'non_finite_number', 'parse')
    assert.equal(error.location.path, '/stages/0/touchpoints/0/emotions/0/score')
  })
})
