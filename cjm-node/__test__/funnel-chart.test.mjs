// The funnel chart and the report's funnel section through the Node binding: names, option
// shapes and argument errors. The chart's numbers are checked by the shared cases
// tests/cases/render/funnel-chart*.json (cases.test.mjs).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

import * as cjm from '../index.js'
import { repoRoot, thrown } from './helpers.mjs'

const steps = ['view', 'cart', 'purchase']
const funnel = cjm.funnel(readFileSync(join(repoRoot, 'tests', 'inputs', 'events', 'basic.csv')), { steps, window: '7d' })
const sports = await cjm.loadJourneyFile(join(repoRoot, 'examples', 'sports-nutrition', 'journey.yaml'))

const count = (text, needle) => text.split(needle).length - 1

test('renderFunnelSvg draws a FunnelResult', () => {
  const svg = cjm.renderFunnelSvg(funnel)
  assert.match(svg, /^<svg/)
  for (const step of steps) assert.equal(count(svg, `data-step="${step}"`), 1, step)
  const ru = cjm.renderFunnelSvg(funnel, { language: 'ru', theme: 'dark', title: false })
  assert.ok(ru.includes('от входа') && !ru.includes('of start'))
  for (const bad of [
    () => cjm.renderFunnelSvg(funnel, { colour: 'red' }),
    () => cjm.renderFunnelSvg({ ...funnel, extra: 1 }),
    () => cjm.renderFunnelSvg({ steps }),
    () => cjm.renderFunnelSvg('funnel'),
  ]) {
    assert.equal(thrown(bad).code, 'invalid_argument')
  }
})

test('renderReportHtml: funnel adds a funnel section', () => {
  const plain = cjm.renderReportHtml(sports, { today: '2026-11-27' })
  const html = cjm.renderReportHtml(sports, { today: '2026-11-27', funnel, render: { language: 'ru' } })
  assert.ok(!plain.includes('<section id="funnel"'))
  assert.ok(html.includes('Воронка (по данным событий)'))
  const section = html.split('<section id="funnel"')[1].split('</section>')[0]
  for (const step of steps) assert.equal(count(section, `data-step="${step}"`), 1, step)
  assert.equal(cjm.renderReportHtml(sports, { today: '2026-11-27', funnel: null }), plain)
  assert.equal(thrown(() => cjm.renderReportHtml(sports, { funnel: { steps } })).code, 'invalid_argument')
})
