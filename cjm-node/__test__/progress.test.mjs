// Parquet event files and progress reports with cancellation (`onProgress`) on funnelFromFile.
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'

import * as cjm from '../index.js'
import { rejected, repoRoot, tempDir } from './helpers.mjs'

const inputs = join(repoRoot, 'tests', 'inputs', 'events')
const spec = { steps: ['view', 'cart', 'purchase'], window: '7d', by: 'platform' }

let dir
let cleanup
let big
let bigSize
before(() => {
  ;({ dir, cleanup } = tempDir())
  // 400 000 rows (about 12 MB): several reports, one per 65 536 rows.
  const lines = ['user_id,timestamp,event,platform']
  const names = ['view', 'cart', 'purchase']
  for (let i = 0; i < 400_000; i++) lines.push(`user-${i % 20_000},${1_700_000_000 + i},${names[i % 3]},web`)
  const text = lines.join('\n') + '\n'
  big = join(dir, 'big.csv')
  writeFileSync(big, text)
  bigSize = Buffer.byteLength(text)
})
after(() => cleanup())

test('funnelFromFile reads Parquet by its extension: the same funnel as the CSV', async () => {
  const csv = await cjm.funnelFromFile(join(inputs, 'basic.csv'), spec)
  assert.equal(csv.total.users, 5)
  assert.deepEqual(await cjm.funnelFromFile(join(inputs, 'basic.parquet'), spec), csv)
  assert.deepEqual(await cjm.funnelFromFile(join(inputs, 'basic-epoch.parquet'), spec), csv)
  // In memory, from bytes.
  const bytes = readFileSync(join(inputs, 'basic.parquet'))
  assert.deepEqual(cjm.funnel(bytes, spec, { format: 'parquet' }), csv)
})

test('bad Parquet files reject with codes', async () => {
  const wrong = await rejected(cjm.funnelFromFile(join(inputs, 'wrong-type.parquet'), spec))
  assert.equal(wrong.code, 'wrong_column_type')
  assert.equal(wrong.location.column, 2)
  const bytes = readFileSync(join(inputs, 'basic.parquet'))
  const cut = join(dir, 'cut.parquet')
  writeFileSync(cut, bytes.subarray(0, bytes.length >> 1))
  const truncated = await rejected(cjm.funnelFromFile(cut, spec))
  assert.equal(truncated.code, 'invalid_parquet')
  assert.equal(truncated.kind, 'data')
})

test('onProgress sees monotonic reports ending at the total, before the promise settles', async () => {
  const seen = []
  const result = await cjm.funnelFromFile(big, spec, { onProgress: (p) => void seen.push(p) })
  assert.equal(result.total.users, 20_000)
  assert.ok(seen.length >= 4, `${seen.length} reports`)
  const read = seen.filter((p) => p.phase === 'read')
  const funnel = seen.filter((p) => p.phase === 'funnel')
  // Reading first, then the funnel.
  assert.deepEqual(seen, [...read, ...funnel])
  for (const p of read) {
    assert.equal(p.unit, 'bytes')
    assert.equal(p.total, bigSize)
  }
  for (let i = 1; i < read.length; i++) assert.ok(read[i].done >= read[i - 1].done)
  assert.ok(read[0].done < bigSize)
  assert.equal(read.at(-1).done, bigSize)
  assert.ok(funnel.length >= 1)
  for (const p of funnel) assert.deepEqual([p.unit, p.total], ['users', 20_000])
  assert.equal(funnel.at(-1).done, 20_000)
})

test('onProgress returning false cancels; throwing cancels with the reason', async () => {
  let calls = 0
  const stopped = await rejected(
    cjm.funnelFromFile(big, spec, {
      onProgress: () => {
        calls += 1
        return false
      },
    }),
  )
  assert.equal(stopped.code, 'cancelled')
  assert.equal(stopped.kind, 'usage')
  assert.ok(calls >= 1 && calls < 6, `${calls} calls`)

  const threw = await rejected(
    cjm.funnelFromFile(big, spec, {
      onProgress: () => {
        throw new Error('enough')
      },
    }),
  )
  assert.equal(threw.code, 'cancelled')
  assert.match(threw.message, /enough/)
})

test('onProgress returning a rejected promise cancels, keeping the reason, without crashing', async () => {
  const unhandled = []
  const listener = (reason) => void unhandled.push(reason)
  process.on('unhandledRejection', listener)
  try {
    const reason = new Error('no more')
    const error = await rejected(
      cjm.funnelFromFile(big, spec, { onProgress: () => Promise.reject(reason) }),
    )
    assert.equal(error.code, 'cancelled')
    assert.equal(error.kind, 'usage')
    assert.equal(error.cause, reason)
    assert.match(error.message, /rejected.*no more/)
    // A thenable that is not a Promise, rejecting with a non-Error.
    const thenable = { then: (_ok, fail) => fail('stop it') }
    const other = await rejected(cjm.funnelFromFile(big, spec, { onProgress: () => thenable }))
    assert.equal(other.code, 'cancelled')
    assert.equal(other.cause, 'stop it')
    // async functions: a rejection after an await, and a resolved `false`.
    const late = await rejected(
      cjm.funnelFromFile(big, spec, {
        onProgress: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5))
          throw 7
        },
      }),
    )
    assert.equal(late.code, 'cancelled')
    assert.equal(late.cause, 7)
    // Give any stray rejection a turn of the event loop to surface.
    await new Promise((resolve) => setTimeout(resolve, 50))
  } finally {
    process.off('unhandledRejection', listener)
  }
  assert.deepEqual(unhandled, [])
})

test('onProgress throwing a non-Error keeps the value as cause and in the message', async () => {
  const number = await rejected(
    cjm.funnelFromFile(big, spec, {
      onProgress: () => {
        throw 42
      },
    }),
  )
  assert.equal(number.code, 'cancelled')
  assert.equal(number.cause, 42)
  assert.match(number.message, /threw 42/)
  const object = { reason: 'quota' }
  const thrownObject = await rejected(
    cjm.funnelFromFile(big, spec, {
      onProgress: () => {
        throw object
      },
    }),
  )
  assert.equal(thrownObject.cause, object)
  assert.match(thrownObject.message, /quota/)
  const error = new Error('enough')
  const thrownError = await rejected(
    cjm.funnelFromFile(big, spec, {
      onProgress: () => {
        throw error
      },
    }),
  )
  assert.equal(thrownError.cause, error)
  // A symbol cannot become text: it is kept all the same.
  const symbol = Symbol('stop')
  const thrownSymbol = await rejected(
    cjm.funnelFromFile(big, spec, {
      onProgress: () => {
        throw symbol
      },
    }),
  )
  assert.equal(thrownSymbol.code, 'cancelled')
  assert.equal(thrownSymbol.cause, symbol)
  // A huge thrown string is cut in the message but kept whole as the cause.
  const huge = 'x'.repeat(100_000)
  const thrownHuge = await rejected(
    cjm.funnelFromFile(big, spec, {
      onProgress: () => {
        throw huge
      },
    }),
  )
  assert.equal(thrownHuge.cause, huge)
  assert.ok(thrownHuge.message.length < 400, `${thrownHuge.message.length} characters`)
})

test('onProgress must be a function', async () => {
  const error = await rejected(cjm.funnelFromFile(big, spec, { onProgress: 3 }))
  assert.equal(error.code, 'invalid_argument')
  assert.match(error.message, /onProgress/)
})
