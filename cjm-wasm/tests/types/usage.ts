// Type-checked (never run) by api.test.mjs with `tsc --strict`: fails when the package's .d.ts
// and the generated docs/types/cjm.d.ts drift apart (a renamed or removed type, a changed field).
import init, {
  analyzeGaps,
  applyEvents,
  ces,
  compareFunnel,
  compareJourneys,
  csat,
  emotionCurve,
  frictionIndex,
  funnel,
  improvementPlan,
  journeyHealth,
  loyalty,
  retention,
  nps,
  paths,
  planCsv,
  renderComparisonSvg,
  renderCurveSvg,
  renderFrictionSvg,
  renderFunnelSvg,
  renderReportHtml,
  renderSvg,
  scoreJourney,
  apiSchema,
  checkJourney,
  convertJourney,
  dumpJourney,
  journeySchema,
  loadJourney,
  newJourney,
  validateJourney,
  version,
  type CjmError,
  type ErrorInfo,
  type Format,
  type Journey,
  type LoadJourneyOptions,
  type Problem,
  type Severity,
  type ValidateJourneyOptions,
  type ApplyEventsResult,
  type EmotionCurve,
  type FrictionReport,
  type FunnelResult,
  type EventsRead,
  type HealthOptions,
  type RenderOptions,
  type ReportOptions,
} from "../../pkg/cjm_wasm.js";
import * as node from "../../pkg-node/cjm_wasm.js";

export async function sample(text: string, bytes: Uint8Array): Promise<string[]> {
  await init();
  const format: Format = "yaml";
  const loadOptions: LoadJourneyOptions = { format, maxBytes: 1 << 20 };
  const journey: Journey = loadJourney(text, loadOptions);
  const fromBytes: Journey = loadJourney(bytes);
  const id: string = journey.id;
  const stageNames: string[] = journey.stages?.map((s) => s.name) ?? [];
  const options: ValidateJourneyOptions = { today: null, staleAfterDays: 90 };
  const problems: Problem[] = validateJourney(fromBytes, options);
  const severities: Severity[] = problems.map((p) => p.severity);
  const warnings: Problem[] = checkJourney(journey, { today: "2026-11-27" });
  const mermaid: string = convertJourney(text, "yaml", "mermaid");
  const json: string = dumpJourney(newJourney("ecommerce", "ru"), "json");
  const schemas: object[] = [journeySchema(), apiSchema()];
  const fromNode: Journey = node.loadJourney(text, { format: "json" });
  try {
    dumpJourney(newJourney(), "csv");
  } catch (e) {
    const error = e as CjmError;
    const info: ErrorInfo = error;
    const where: number | null | undefined = error.location.line;
    const all: Problem[] = error.problems;
    return [info.code, error.kind, String(where), String(all.length)];
  }

  return [id, ...stageNames, ...severities, ...warnings.map((w) => w.code), mermaid, json, String(schemas.length), version(), fromNode.id];
}

export function analysis(journey: Journey, toBe: Journey, events: string): (string | number)[] {
  const curve: EmotionCurve = emotionCurve(journey, { persona: null });
  const friction: FrictionReport = frictionIndex(journey, { weights: { emotion: 1 } });
  const healthOptions: HealthOptions = { today: "2026-11-27", staleAfterDays: 30, weights: null };
  const health = journeyHealth(journey, healthOptions).friction;
  const score = scoreJourney(journey).curves.length;
  const gaps = analyzeGaps(journey).gaps.length;
  const plan = improvementPlan(journey).items.length;
  const csv: string = planCsv(journey);
  const compared = compareJourneys(journey, toBe).added.length;
  const surveys = [nps([10, 9]).nps, csat(new Float64Array([5])).csat, ces([1, 7]).mean];
  const result: FunnelResult & EventsRead = funnel(events, { steps: ["view", "buy"], window: "7d" }, { skipBadRows: true });
  const byPaths = paths(events, { goal: "buy", top: 3, journey }).nodes.length;
  const split = compareFunnel(events, { steps: ["view"], window: "1d" }, { segment: { column: "platform", value: "web" } }).skipped_rows;
  const buyers = loyalty(events, { purchaseEvent: "buy", format: "csv" }).customers;
  const kept: number | null | undefined = retention(events, { start: "signup", return_event: "visit", interval: "week", periods: 4 }).overall[0]?.rate;
  // @ts-expect-error: retention needs its spec
  retention(events);
  const applied: ApplyEventsResult = applyEvents(journey, events, { window: "30d", evidenceId: "log" });
  const render: RenderOptions = { lanes: ["touchpoints", "emotions"], personas: ["a"], theme: "dark", language: "ru", title: false };
  const report: ReportOptions = { render, today: null, toBe, funnel: result };
  const svgs: string[] = [renderSvg(journey, render), renderCurveSvg(journey), renderFrictionSvg(journey), renderComparisonSvg(journey, toBe, render), renderReportHtml(journey, report), renderFunnelSvg(result, { language: "ru" })];

  // @ts-expect-error: loyalty needs its options
  loyalty(events);
  // @ts-expect-error: options use camelCase
  funnel(events, { steps: [], window: "1d" }, { skip_bad_rows: true });

  return [curve.points.length, friction.touchpoints.length, String(health), score, gaps, plan, csv, compared, ...surveys.map(String), result.skipped_rows, byPaths, split, buyers, String(kept), applied.journey.id, ...svgs];
}

export function errors(text: string, journey: Journey): void {
  // @ts-expect-error: journeys are objects, not text
  validateJourney(text);
  // @ts-expect-error: options use camelCase
  loadJourney(text, { max_bytes: 1 });
  // @ts-expect-error: not a format
  dumpJourney(journey, "pdf");
  // @ts-expect-error: a required journey field is missing
  dumpJourney({ title: "no id" });
}
