// The examples module of the package: the repository's files as strings, loadable by the WASM
// build, and refused by name when unknown.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import { exampleEventsText, exampleNames, exampleText } from '../examples/index.js'
import { loadJourney, validateJourney } from '../pkg-node/cjm_wasm.js'

const repo = new URL('../../', import.meta.url)
const sources = {
  'sports-nutrition': 'examples/sports-nutrition/journey.yaml',
  'sports-nutrition-to-be': 'examples/sports-nutrition/journey-to-be.yaml',
  ecommerce: 'examples/ecommerce/journey.yaml',
}

test('every example is the repository file and loads without errors', () => {
  assert.deepEqual(exampleNames, Object.keys(sources))
  for (const [name, source] of Object.entries(sources)) {
    assert.equal(exampleText(name), readFileSync(new URL(source, repo), 'utf8'), name)
    const journey = loadJourney(exampleText(name), { format: 'yaml' })
    assert.deepEqual(validateJourney(journey).filter((p) => p.severity === 'error'), [], name)
  }
  assert.equal(exampleEventsText(), readFileSync(new URL('examples/sports-nutrition/events.csv', repo), 'utf8'))
})

test('an unknown example is an invalid_argument TypeError', () => {
  assert.throws(() => exampleText('nope'), (e) => e instanceof TypeError && e.code === 'invalid_argument')
})
