// The synchronous API: loading, writing, converting, validating, templates and schemas.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'

import {
  apiSchema,
  checkJourney,
  conversionLosses,
  convertJourney,
  dumpJourney,
  journeySchema,
  loadJourney,
  newJourney,
  validateJourney,
} from '../index.js'
import { repoRoot, sampleJourney, thrown } from './helpers.mjs'

const cleanYaml = readFileSync(join(repoRoot, 'tests', 'inputs', 'clean.yaml'))

describe('loadJourney', () => {
  test('reads JSON by default, from a string, a Buffer or a Uint8Array', () => {
    const text = JSON.stringify(sampleJourney())
    const fromString = loadJourney(text)
    assert.equal(fromString.title, 'Покупка протеина')
    assert.deepEqual(loadJourney(Buffer.from(text)), fromString)
    assert.deepEqual(loadJourney(new TextEncoder().encode(text)), fromString)
    // A view into a larger buffer reads only its own bytes.
    const padded = Buffer.from(`xxxx${text}yyyy`)
    assert.deepEqual(loadJourney(padded.subarray(4, padded.length - 4)), fromString)
  })

  test('returns plain data in the file format (snake_case keys, defaults filled in)', () => {
    const journey = loadJourney(cleanYaml, { format: 'yaml' })
    assert.equal(Object.getPrototypeOf(journey), Object.prototype)
    assert.equal(journey.format_version, 1)
    assert.equal(journey.stages[1].touchpoints[0].emotions[0].sample_size, 120)
    assert.equal(journey.stages[1].touchpoints[0].pain_points[0].share_affected, 0.08)
    assert.ok(Array.isArray(journey.stages))
  })

  test('reads every format', () => {
    const journey = loadJourney(cleanYaml, { format: 'yaml' })
    for (const format of ['json', 'yaml', 'mermaid', 'csv']) {
      const text = dumpJourney(journey, format)
      const back = loadJourney(text, { format })
      assert.equal(back.stages.length, 2, format)
      assert.equal(back.stages[0].touchpoints[0].name, 'Menu screen', format)
    }
  })

  test('accepts the format aliases the core knows (yml, mmd)', () => {
    assert.equal(loadJourney(cleanYaml, { format: 'yml' }).id, 'coffee-order')
    const mermaid = 'journey\n  title T\n  section S\n    Step: 3: Anna\n'
    assert.equal(loadJourney(mermaid, { format: 'mmd' }).stages[0].name, 'S')
  })

  test('keeps Cyrillic text intact from strings and bytes', () => {
    const yaml = 'id: shop\ntitle: Магазин «Спорт»\nstages:\n  - id: buy\n    name: Покупка\n    touchpoints:\n      - id: site\n        name: Сайт ёжика\n'
    for (const input of [yaml, Buffer.from(yaml, 'utf8')]) {
      const journey = loadJourney(input, { format: 'yaml' })
      assert.equal(journey.title, 'Магазин «Спорт»')
      assert.equal(journey.stages[0].touchpoints[0].name, 'Сайт ёжика')
    }
  })

  test('a UTF-8 byte order mark is ignored', () => {
    const text = JSON.stringify({ id: 'a', title: 'Заголовок' })
    assert.equal(loadJourney(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).title, 'Заголовок')
  })

  test('maxBytes sets the limit; Infinity lifts it', () => {
    const text = JSON.stringify(sampleJourney())
    assert.equal(thrown(() => loadJourney(text, { maxBytes: 10 })).code, 'input_too_large')
    assert.equal(loadJourney(text, { maxBytes: Buffer.byteLength(text) }).id, 'protein')
    assert.equal(thrown(() => loadJourney(text, { maxBytes: Buffer.byteLength(text) - 1 })).code, 'input_too_large')
    assert.equal(loadJourney(text, { maxBytes: Infinity }).id, 'protein')
    // The limit counts UTF-8 bytes, not UTF-16 units: Cyrillic letters take two bytes each.
    const cyrillic = JSON.stringify({ id: 'a', title: 'ж'.repeat(50) })
    assert.equal(thrown(() => loadJourney(cyrillic, { maxBytes: cyrillic.length })).code, 'input_too_large')
  })

  test('undefined and null options mean the defaults', () => {
    const text = JSON.stringify(sampleJourney())
    assert.equal(loadJourney(text, undefined).id, 'protein')
    assert.equal(loadJourney(text, null).id, 'protein')
    assert.equal(loadJourney(text, { format: undefined, maxBytes: null }).id, 'protein')
  })
})

describe('conversionLosses', () => {
  test('says what Mermaid and CSV drop, nothing for JSON and YAML', () => {
    const journey = sampleJourney()
    assert.deepEqual(conversionLosses(journey, 'json'), [])
    assert.deepEqual(conversionLosses(journey, 'yaml'), [])
    journey.stages[0].pain_points = [{ id: 'p', description: 'Долго', severity: 3 }]
    assert.ok(conversionLosses(journey, 'mermaid').some((loss) => loss.includes('pain point')))
    assert.equal(thrown(() => conversionLosses(journey, 'xml')).code, 'unsupported_format')
  })
})

describe('dumpJourney', () => {
  test('writes JSON by default, ending with a newline', () => {
    const text = dumpJourney(sampleJourney())
    assert.ok(text.endsWith('\n'))
    assert.equal(JSON.parse(text).title, 'Покупка протеина')
  })

  test('writes YAML, Mermaid and CSV with Cyrillic intact', () => {
    const journey = sampleJourney()
    assert.match(dumpJourney(journey, 'yaml'), /title: Покупка протеина/)
    const mermaid = dumpJourney(journey, 'mermaid')
    assert.match(mermaid, /^journey\n/)
    assert.match(mermaid, /section Выбор/)
    assert.match(mermaid, /Читает отзывы/)
    assert.match(dumpJourney(journey, 'csv'), /Оформляет заказ/)
  })

  test('JSON and YAML round-trip losslessly, extensions included', () => {
    const journey = { ...sampleJourney(), 'x-team': { name: 'Рост', size: 3, tags: ['a', null, true] } }
    for (const format of ['json', 'yaml']) {
      const back = loadJourney(dumpJourney(journey, format), { format })
      assert.deepEqual(back['x-team'], journey['x-team'], format)
      assert.deepEqual(JSON.parse(dumpJourney(back)), JSON.parse(dumpJourney(journey)), format)
    }
  })

  test('reads a journey object the way JSON.stringify does', () => {
    const journey = sampleJourney()
    journey.description = undefined // skipped
    journey.owner = null // null is "absent" for optional fields
    journey.helper = () => 1 // functions are skipped
    journey[Symbol('hidden')] = 1 // symbol keys are skipped
    Object.defineProperty(journey, 'hiddenProperty', { value: 1, enumerable: false })
    const data = JSON.parse(dumpJourney(journey))
    assert.equal('description' in data, false)
    assert.equal('owner' in data, false)
    assert.equal('helper' in data, false)
    assert.equal('hiddenProperty' in data, false)
    // Inherited properties are not read either.
    const child = Object.create({ 'x-inherited': 1 })
    Object.assign(child, sampleJourney())
    assert.equal('x-inherited' in JSON.parse(dumpJourney(child)), false)
  })

  test('explicit nulls, holes and undefined array items read the same as JSON.stringify gives', () => {
    // These take the exact reader (a null may hide a NaN) rather than JSON.stringify's text.
    const journey = sampleJourney()
    journey.description = null
    journey.stages[0].goal = null
    journey['x-list'] = [1, undefined, () => 2, null, 'a']
    const viaStringify = JSON.parse(JSON.stringify(journey))
    assert.deepEqual(JSON.parse(dumpJourney(journey)), JSON.parse(dumpJourney(viaStringify)))
    assert.deepEqual(JSON.parse(dumpJourney(journey))['x-list'], [1, null, null, null, 'a'])
    assert.deepEqual(validateJourney(journey), validateJourney(viaStringify))
  })

  test('whole numbers are integers and fractions stay fractions', () => {
    const journey = sampleJourney()
    journey.stages[0].touchpoints[0].emotions[0].score = 1.5
    journey.stages[0].touchpoints[0].emotions[0].sample_size = 2 ** 40
    const data = JSON.parse(dumpJourney(journey))
    assert.equal(data.stages[0].touchpoints[0].emotions[0].score, 1.5)
    assert.equal(data.stages[0].touchpoints[0].emotions[0].sample_size, 2 ** 40)
    assert.equal(data.format_version, 1)
  })
})

describe('convertJourney', () => {
  test('converts text or bytes between formats', () => {
    const mermaid = convertJourney(cleanYaml, 'yaml', 'mermaid')
    assert.equal(mermaid, dumpJourney(loadJourney(cleanYaml, { format: 'yaml' }), 'mermaid'))
    const json = convertJourney(cleanYaml.toString('utf8'), 'yaml', 'json')
    assert.equal(JSON.parse(json).id, 'coffee-order')
  })

  test('names an unknown format', () => {
    const error = thrown(() => convertJourney('{}', 'json', 'xml'))
    assert.equal(error.code, 'unsupported_format')
    assert.equal(error.kind, 'usage')
    assert.match(error.message, /xml/)
  })
})

describe('validateJourney and checkJourney', () => {
  test('a clean journey has no problems', () => {
    const journey = loadJourney(cleanYaml, { format: 'yaml' })
    assert.deepEqual(validateJourney(journey, { today: '2026-11-27' }), [])
    assert.deepEqual(checkJourney(journey, { today: '2026-11-27' }), [])
  })

  test('problems are plain objects with code, severity, path and message', () => {
    const journey = sampleJourney()
    journey.stages[0].touchpoints[0].emotions[0].score = 7
    const problems = validateJourney(journey, { today: '2026-11-27' })
    assert.deepEqual(
      problems.map(({ code, severity, path }) => ({ code, severity, path })),
      [{ code: 'emotion_out_of_scale', severity: 'error', path: '/stages/0/touchpoints/0/emotions/0/score' }],
    )
    assert.equal(typeof problems[0].message, 'string')
    assert.ok(problems[0].message.length > 0)
  })

  test('validateJourney never throws for problems; checkJourney does', () => {
    const journey = { id: 'bad id', title: '' }
    const problems = validateJourney(journey)
    assert.ok(problems.some((p) => p.severity === 'error'))
    const error = thrown(() => checkJourney(journey))
    assert.ok(error instanceof Error)
    assert.equal(error.code, 'invalid_journey')
    assert.equal(error.kind, 'validation')
    assert.deepEqual(error.problems, problems)
    assert.equal(error.location.path, problems.find((p) => p.severity === 'error').path)
  })

  test('checkJourney returns the warnings of a journey without errors', () => {
    const journey = sampleJourney()
    journey.updated = undefined
    const warnings = checkJourney(journey)
    assert.ok(warnings.length > 0)
    assert.ok(warnings.every((p) => p.severity === 'warning'))
  })

  test('today defaults to the current date; null judges no staleness', () => {
    const journey = { ...sampleJourney(), updated: '2000-01-01' }
    const codes = (options) => validateJourney(journey, options).map((p) => p.code)
    assert.ok(codes().includes('stale_map'))
    assert.ok(codes({}).includes('stale_map'))
    assert.ok(!codes({ today: null }).includes('stale_map'))
    assert.ok(!codes({ today: '2000-02-01' }).includes('stale_map'))
    assert.ok(codes({ today: '2000-02-01', staleAfterDays: 10 }).includes('stale_map'))
    const future = { ...sampleJourney(), updated: '2999-01-01' }
    assert.ok(!validateJourney(future).some((p) => p.code === 'stale_map'))
  })

  test('NaN and Infinity in a journey object are reported, not refused', () => {
    const journey = sampleJourney()
    journey.stages[0].touchpoints[0].emotions[0].score = NaN
    journey.stages[1].touchpoints[0].emotions[0].score = -Infinity
    const problems = validateJourney(journey, { today: '2026-11-27' })
    assert.deepEqual(
      problems.filter((p) => p.code === 'non_finite_number').map((p) => p.path),
      ['/stages/0/touchpoints/0/emotions/0/score', '/stages/1/touchpoints/0/emotions/0/score'],
    )
  })
})

describe('newJourney', () => {
  test('defaults to the classic template in English', () => {
    const journey = newJourney()
    assert.equal(journey.stages.length, 6)
    assert.deepEqual(newJourney(undefined, undefined), journey)
    assert.deepEqual(newJourney('classic', 'en'), journey)
  })

  test('has the e-commerce template and Russian texts', () => {
    const ru = newJourney('ecommerce', 'ru')
    assert.match(ru.title, /[а-яё]/i)
    assert.ok(ru.stages.length > 0)
    assert.match(newJourney('classic', 'ru').stages[0].name, /[а-яё]/i)
  })

  test('templates load without errors', () => {
    for (const template of ['classic', 'ecommerce']) {
      for (const lang of ['en', 'ru']) {
        const problems = validateJourney(newJourney(template, lang))
        assert.deepEqual(problems.filter((p) => p.severity === 'error'), [], `${template}/${lang}`)
      }
    }
  })

  test('names an unknown template or language', () => {
    assert.equal(thrown(() => newJourney('nope')).code, 'unknown_template')
    const error = thrown(() => newJourney('classic', 'de'))
    assert.equal(error.code, 'unknown_language')
    assert.equal(error.kind, 'usage')
  })
})

describe('schemas', () => {
  test('journeySchema is the committed docs/schema/journey.schema.json', () => {
    const committed = JSON.parse(readFileSync(join(repoRoot, 'docs', 'schema', 'journey.schema.json'), 'utf8'))
    assert.deepEqual(journeySchema(), committed)
    assert.ok(journeySchema().properties.stages)
  })

  test('apiSchema is the committed docs/schema/api.schema.json', () => {
    const committed = JSON.parse(readFileSync(join(repoRoot, 'docs', 'schema', 'api.schema.json'), 'utf8'))
    assert.deepEqual(apiSchema(), committed)
  })
})

test('validate lists 1000 problems per code, then a summary entry with the number omitted', () => {
  const touchpoints = Array.from({ length: 1200 }, (_, i) => ({ id: `t${i}`, name: 'n' }))
  const journey = { id: 'j', title: 'T', stages: [{ id: 's', name: 'S', touchpoints }] }
  const problems = validateJourney(journey).filter((p) => p.code === 'no_evidence')
  assert.equal(problems.length, 1001)
  const summary = problems.at(-1)
  assert.equal(summary.omitted, 200)
  assert.equal(summary.path, '')
  assert.equal(problems.filter((p) => p.omitted === undefined).length, 1000)
})
