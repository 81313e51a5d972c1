// Node (cjm-node) and the browser build (cjm-wasm) are one API: the same functions under the
// same names with the same declared types, except the three that read or write files, which
// only Node has. Needs both packages built (`make test` builds Node before WASM).
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { test } from 'node:test'

const repo = new URL('../../', import.meta.url)
const nodeOnly = ['funnelFromFile', 'loadJourneyFile', 'saveJourneyFile']

async function nodeBinding() {
  if (!existsSync(new URL('cjm-node/index.js', repo))) {
    throw new Error('cjm-node is not built: run `bash scripts/node.sh setup` first')
  }
  return import(new URL('cjm-node/index.js', repo).href)
}

/** `name -> "(params): return"` from a .d.ts, whitespace removed. */
function declarations(path) {
  const found = new Map()
  for (const line of readFileSync(new URL(path, repo), 'utf8').split('\n')) {
    const match = line.match(/^export (?:declare )?function (\w+)\((.*)\):\s*(.*?);?\s*$/)
    if (match) found.set(match[1], `(${match[2]}):${match[3]}`.replace(/\s+/g, ''))
  }
  return found
}

test('Node and WASM export the same functions, Node adding only its file functions', async () => {
  const node = Object.keys(await nodeBinding()).filter((name) => !name.startsWith('__'))
  const wasm = Object.keys(await import(new URL('cjm-wasm/pkg-node/cjm_wasm.js', repo).href))
  assert.deepEqual(
    node.filter((name) => !nodeOnly.includes(name)).sort(),
    wasm.filter((name) => name !== 'default').sort(),
  )
  for (const name of nodeOnly) assert.ok(node.includes(name), name)
})

test('the shared functions are declared with the same parameter and return types', () => {
  const node = declarations('cjm-node/index.d.ts')
  const wasm = declarations('cjm-wasm/pkg/cjm_wasm.d.ts')
  const shared = [...wasm.keys()].filter((name) => node.has(name))
  assert.ok(shared.length > 30, `only ${shared.length} shared declarations found`)
  for (const name of shared) assert.equal(node.get(name), wasm.get(name), name)
})

test('the charts draw the same SVG in both', async () => {
  const node = await nodeBinding()
  const wasm = await import(new URL('cjm-wasm/pkg-node/cjm_wasm.js', repo).href)
  const read = (file) => readFileSync(new URL(`examples/sports-nutrition/${file}`, repo), 'utf8')
  const [asIs, toBe] = ['journey.yaml', 'journey-to-be.yaml'].map((f) => wasm.loadJourney(read(f), { format: 'yaml' }))
  for (const name of ['renderCurveSvg', 'renderFrictionSvg']) {
    const svg = node[name](asIs, { language: 'ru' })
    assert.ok(svg.startsWith('<svg'), name)
    assert.equal(svg, wasm[name](asIs, { language: 'ru' }), name)
  }
  assert.equal(node.renderComparisonSvg(asIs, toBe), wasm.renderComparisonSvg(asIs, toBe))
  assert.equal(node.version(), wasm.version())
})

test('both read exactly the option keys of the generated option interfaces', async () => {
  const node = await nodeBinding()
  const wasm = await import(new URL('cjm-wasm/pkg-node/cjm_wasm.js', repo).href)
  const schema = JSON.parse(readFileSync(new URL('docs/schema/api.schema.json', repo), 'utf8')).$defs
  const journey = { id: 'j', title: 'T', stages: [{ id: 's', name: 'S', touchpoints: [{ id: 't', name: 'N' }] }] }
  const events = 'user_id,timestamp,event\nu1,2024-05-01T00:00:00Z,view\n'
  const spec = { steps: ['view'], window: '1d' }
  // Each function with its options argument last; an unknown key makes the reader list its keys.
  const calls = {
    LoadJourneyOptions: (m, o) => m.loadJourney('{}', o),
    ValidateJourneyOptions: (m, o) => m.validateJourney(journey, o),
    EmotionCurveOptions: (m, o) => m.emotionCurve(journey, o),
    FrictionOptions: (m, o) => m.frictionIndex(journey, o),
    HealthOptions: (m, o) => m.journeyHealth(journey, o),
    EventsOptions: (m, o) => m.funnel(events, spec, o),
    PathsOptions: (m, o) => m.paths(events, o),
    LoyaltyOptions: (m, o) => m.loyalty(events, { purchaseEvent: 'view', ...o }),
    ApplyEventsOptions: (m, o) => m.applyEvents(journey, events, o),
  }
  const accepted = (front, call) => {
    try {
      call(front, { notAnOption: 1 })
    } catch (error) {
      const listed = error.message.match(/(?:the options are|known options:) (.*)$/)
      assert.ok(listed, error.message)
      return listed[1].split(', ').sort()
    }
    assert.fail('an unknown option was accepted')
  }
  for (const [type, call] of Object.entries(calls)) {
    const keys = Object.keys(schema[type].properties).sort()
    assert.deepEqual(accepted(node, call), keys, `Node, ${type}`)
    assert.deepEqual(accepted(wasm, call), keys, `WASM, ${type}`)
  }
})

test('render and report options take camelCase keys (and the older snake_case ones)', async () => {
  const node = await nodeBinding()
  const wasm = await import(new URL('cjm-wasm/pkg-node/cjm_wasm.js', repo).href)
  const read = (file) => readFileSync(new URL(`examples/sports-nutrition/${file}`, repo), 'utf8')
  for (const front of [node, wasm]) {
    const [asIs, toBe] = ['journey.yaml', 'journey-to-be.yaml'].map((f) => front.loadJourney(read(f), { format: 'yaml' }))
    for (const options of [{ maxOutputBytes: 1000 }, { max_output_bytes: 1000 }]) {
      assert.throws(() => front.renderSvg(asIs, options), (e) => e.code === 'output_too_large')
    }
    const withToBe = front.renderReportHtml(asIs, { toBe, today: '2026-11-27' })
    assert.equal(front.renderReportHtml(asIs, { to_be: toBe, today: '2026-11-27' }), withToBe)
    assert.notEqual(front.renderReportHtml(asIs, { today: '2026-11-27' }), withToBe)
    assert.throws(() => front.renderSvg(asIs, { maxOutputByte: 1 }), (e) => e.code === 'invalid_argument')
  }
})
