// The examples that ship inside the package: the repository's files, byte for byte, loadable
// from any directory, and refused by name when unknown.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

import { validateJourney } from '../index.js'
import { exampleEventsPath, exampleNames, examplePath, loadExample } from '../examples.js'
import { repoRoot } from './helpers.mjs'

const sources = {
  'sports-nutrition': 'examples/sports-nutrition/journey.yaml',
  'sports-nutrition-to-be': 'examples/sports-nutrition/journey-to-be.yaml',
  ecommerce: 'examples/ecommerce/journey.yaml',
}

test('every example journey is the repository file and loads without errors', async () => {
  assert.deepEqual(exampleNames, Object.keys(sources))
  for (const [name, source] of Object.entries(sources)) {
    assert.deepEqual(readFileSync(examplePath(name)), readFileSync(join(repoRoot, source)), name)
    const journey = await loadExample(name)
    assert.deepEqual(validateJourney(journey).filter((p) => p.severity === 'error'), [], name)
  }
  const events = readFileSync(join(repoRoot, 'examples/sports-nutrition/events.csv'))
  assert.deepEqual(readFileSync(exampleEventsPath()), events)
})

test('an unknown example is an invalid_argument error naming the examples', () => {
  assert.throws(() => examplePath('nope'), (e) => e.code === 'invalid_argument' && /ecommerce/.test(e.message))
  assert.throws(() => exampleEventsPath('ecommerce'), (e) => e.code === 'invalid_argument')
})
