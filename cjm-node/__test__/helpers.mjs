// Shared by the tests (not a test file itself).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')
export const repoRoot = join(packageDir, '..')

/** A fresh temporary directory, removed by the returned cleanup function. */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'cjm-node-'))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Runs `fn`, returning what it threw (failing when it does not throw). */
export function thrown(fn) {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}

/** Awaits `promise`, returning what it rejected with (failing when it resolves). */
export async function rejected(promise) {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

/** A small valid journey with Cyrillic text. */
export function sampleJourney() {
  return {
    id: 'protein',
    title: 'Покупка протеина',
    updated: '2026-11-01',
    personas: [{ id: 'novice', name: 'Новичок' }],
    evidence: [{ id: 'survey', kind: 'survey', title: 'Опрос, октябрь' }],
    stages: [
      {
        id: 'choose',
        name: 'Выбор',
        touchpoints: [
          {
            id: 'reviews',
            name: 'Читает отзывы',
            emotions: [{ persona: 'novice', score: 1 }],
            evidence: ['survey'],
          },
        ],
      },
      {
        id: 'pay',
        name: 'Оплата',
        touchpoints: [
          {
            id: 'checkout',
            name: 'Оформляет заказ',
            emotions: [{ persona: 'novice', score: -1, sample_size: 120 }],
            evidence: ['survey'],
          },
        ],
      },
    ],
  }
}
