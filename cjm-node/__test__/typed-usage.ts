// Compiled (never run) by types.test.mjs with `tsc --noEmit`: the generated index.d.ts must type
// the API with the Journey / Problem / Format types generated from docs/schema.
import {
  apiSchema,
  checkJourney,
  convertJourney,
  dumpJourney,
  journeySchema,
  loadJourney,
  loadJourneyFile,
  newJourney,
  saveJourneyFile,
  validateJourney,
  type CjmError,
  type ErrorInfo,
  type Format,
  type Journey,
  type LoadJourneyOptions,
  type Location,
  type Problem,
  type Severity,
  type ValidateJourneyOptions,
} from '../index.js'

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function assertType<T extends true>(): T | void {}

assertType<Equals<ReturnType<typeof loadJourney>, Journey>>()
assertType<Equals<Parameters<typeof loadJourney>, [data: string | Uint8Array, options?: LoadJourneyOptions]>>()
assertType<Equals<ReturnType<typeof loadJourneyFile>, Promise<Journey>>>()
assertType<Equals<Parameters<typeof loadJourneyFile>, [path: string, options?: LoadJourneyOptions]>>()
assertType<Equals<ReturnType<typeof dumpJourney>, string>>()
assertType<Equals<Parameters<typeof dumpJourney>, [journey: Journey, format?: Format]>>()
assertType<Equals<ReturnType<typeof saveJourneyFile>, Promise<void>>>()
assertType<Equals<Parameters<typeof saveJourneyFile>, [journey: Journey, path: string, format?: Format]>>()
assertType<Equals<ReturnType<typeof validateJourney>, Problem[]>>()
assertType<Equals<Parameters<typeof validateJourney>, [journey: Journey, options?: ValidateJourneyOptions]>>()
assertType<Equals<ReturnType<typeof checkJourney>, Problem[]>>()
assertType<Equals<ReturnType<typeof convertJourney>, string>>()
assertType<Equals<Parameters<typeof convertJourney>, [data: string | Uint8Array, from: Format, to: Format]>>()
assertType<Equals<ReturnType<typeof newJourney>, Journey>>()
assertType<Equals<ReturnType<typeof journeySchema>, Record<string, unknown>>>()
assertType<Equals<ReturnType<typeof apiSchema>, Record<string, unknown>>>()
assertType<Equals<Format, 'json' | 'yaml' | 'mermaid' | 'csv'>>()
assertType<Equals<Problem['severity'], Severity>>()
assertType<Equals<CjmError['location'], Location>>()
assertType<Equals<Pick<CjmError, 'code' | 'kind' | 'message'>, Pick<ErrorInfo, 'code' | 'kind' | 'message'>>>()

// Typical use type-checks without casts.
export async function typical(text: string, bytes: Buffer): Promise<number> {
  const journey: Journey = loadJourney(text, { format: 'yaml', maxBytes: 1 << 20 })
  loadJourney(bytes)
  loadJourney(new Uint8Array(bytes))
  const title: string = journey.title
  const firstTouchpoint: string | undefined = journey.stages?.[0]?.touchpoints?.[0]?.name
  const score: number | undefined = journey.stages?.[0]?.touchpoints?.[0]?.emotions?.[0]?.score
  const problems: Problem[] = validateJourney(journey, { today: '2026-11-27', staleAfterDays: 90 })
  validateJourney(journey, { today: null })
  const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.path} ${p.message}`)
  const mermaid: string = dumpJourney(journey, 'mermaid')
  await saveJourneyFile(journey, 'out.yaml')
  const again: Journey = await loadJourneyFile('out.yaml', { format: 'yaml' })
  const fresh: Journey = newJourney('ecommerce', 'ru')
  fresh['x-note'] = 'extension fields are allowed'
  try {
    checkJourney(again)
  } catch (e) {
    const error = e as CjmError
    const line: number | null | undefined = error.location.line
    const kind: 'parse' | 'validation' | 'usage' | 'data' = error.kind
    return errors.length + (line ?? 0) + kind.length + error.problems.length
  }
  return title.length + (firstTouchpoint?.length ?? 0) + (score ?? 0) + mermaid.length
}

// Misuse is caught by the compiler.
export function misuse(journey: Journey): void {
  // @ts-expect-error a number is not journey text
  loadJourney(42)
  // @ts-expect-error not a format
  dumpJourney(journey, 'xml')
  // @ts-expect-error options are camelCase
  loadJourney('{}', { max_bytes: 10 })
  // @ts-expect-error options are camelCase
  validateJourney(journey, { stale_after_days: 10 })
  // @ts-expect-error a journey needs an id and a title
  validateJourney({ stages: [] })
  // @ts-expect-error the result is a promise
  const notAwaited: Journey = loadJourneyFile('x.json')
  void notAwaited
}

// Scoring, events and rendering are typed with the generated result types.
import * as cjm from '../index.js'

export async function analyse(journey: Journey, events: string): Promise<number> {
  const curve: cjm.EmotionCurve = cjm.emotionCurve(journey, { persona: null })
  const friction: cjm.FrictionReport = cjm.frictionIndex(journey, { weights: { emotion: 1 } })
  const health: cjm.Health = cjm.journeyHealth(journey, { today: '2026-11-27', staleAfterDays: 90 })
  const report: cjm.ScoreReport = cjm.scoreJourney(journey)
  const nps: cjm.NpsResult = cjm.nps(new Float64Array([10, 9, 3]))
  const spec: cjm.FunnelSpec = { steps: ['view', 'cart'], window: '7d', mode: 'strict_order' }
  const funnel: cjm.FunnelResult & cjm.EventsRead = await cjm.funnelFromFile('events.csv', spec, { skipBadRows: true })
  const reports: cjm.Progress[] = []
  await cjm.funnelFromFile('events.parquet', spec, {
    onProgress: (p: cjm.Progress) => {
      reports.push(p)
      return p.done < p.total / 2 || p.phase !== 'read'
    },
  })
  const split: cjm.Split = { segment: { column: 'platform', value: 'web' } }
  const comparison: cjm.FunnelComparison = cjm.compareFunnel(events, spec, split)
  const applied = cjm.applyEvents(journey, events, { window: '30d', format: 'csv' })
  const written: number = applied.report.metrics_written
  const svg: string = cjm.renderSvg(journey, { theme: 'dark', language: 'ru' })
  const html: string =
    cjm.renderReportHtml(journey, { today: null, toBe: journey, funnel }) + cjm.renderFunnelSvg(funnel, { language: 'ru' })
  // @ts-expect-error the purchase event is required
  cjm.loyalty(events, {})
  const retained: cjm.RetentionResult = cjm.retention(events, { start: 'signup', interval: 'week', periods: 4 })
  // @ts-expect-error not a retention interval
  cjm.retention(events, { start: 'signup', interval: 'fortnight' })
  // @ts-expect-error not an event log format
  cjm.funnel(events, spec, { format: 'xml' })
  return (
    curve.points.length + friction.touchpoints.length + health.warnings + report.curves.length + nps.nps +
    funnel.total.users + funnel.skipped_rows + comparison.steps.length + written + svg.length + html.length +
    retained.users
  )
}
