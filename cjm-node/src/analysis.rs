//! Scoring, survey metrics and rendering: each function reads its arguments, calls the core and
//! hands back the core's result as plain data (the serde shape the CLI prints as JSON).

use cjm_core::{FrictionWeights, RenderOptions, ReportOptions};
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use serde_json::Value;

use crate::convert::{Options, optional_data, optional_string, plain_json, responses};
use crate::error::{Outcome, invalid_argument, run};
use crate::output::{JsonValue, json};
use crate::{journey, validate_options_from};

fn weights(options: &Options) -> Outcome<FrictionWeights> {
    optional_data(options.get("weights"), "options.weights")
}

/// The emotion curve of one persona (`persona`), or of everyone (absent or `null`).
#[napi(
    ts_args_type = "journey: Journey, options?: EmotionCurveOptions",
    ts_return_type = "EmotionCurve"
)]
pub fn emotion_curve(
    env: Env,
    journey: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let options = Options::read(options.as_ref(), "options", &["persona"])?;
        let persona = optional_string(options.get("persona"), "options.persona")?;
        Ok(json(&cjm_core::emotion_curve(
            &journey,
            persona.as_deref(),
        )?)?)
    })
}

/// The friction index of every touchpoint and stage (`docs/scoring.md`).
#[napi(
    ts_args_type = "journey: Journey, options?: FrictionOptions",
    ts_return_type = "FrictionReport"
)]
pub fn friction_index(
    env: Env,
    journey: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let options = Options::read(options.as_ref(), "options", &["weights"])?;
        Ok(json(&cjm_core::friction(&journey, &weights(&options)?))?)
    })
}

/// The ranked gaps, target statuses and persona divergence of a journey.
#[napi(ts_args_type = "journey: Journey", ts_return_type = "GapReport")]
pub fn analyze_gaps(env: Env, journey: Unknown) -> napi::Result<JsonValue> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        Ok(json(&cjm_core::analyze_gaps(&journey))?)
    })
}

/// As-is against to-be: deltas per touchpoint, stage and metric.
#[napi(
    ts_args_type = "asIs: Journey, toBe: Journey, options?: FrictionOptions",
    ts_return_type = "Comparison"
)]
pub fn compare_journeys(
    env: Env,
    as_is: Unknown,
    to_be: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let as_is = journey(&as_is, "asIs")?;
        let to_be = journey(&to_be, "toBe")?;
        let options = Options::read(options.as_ref(), "options", &["weights"])?;
        Ok(json(&cjm_core::compare_journeys(
            &as_is,
            &to_be,
            &weights(&options)?,
        ))?)
    })
}

/// The improvement plan: opportunities ranked, unaddressed pain points listed.
#[napi(ts_args_type = "journey: Journey", ts_return_type = "Plan")]
pub fn improvement_plan(env: Env, journey: Unknown) -> napi::Result<JsonValue> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        Ok(json(&cjm_core::plan(
            &journey,
            &cjm_core::analyze_gaps(&journey),
        ))?)
    })
}

/// The improvement plan as CSV (formula-like cells neutralised by the core).
#[napi(ts_args_type = "journey: Journey", ts_return_type = "string")]
pub fn plan_csv(env: Env, journey: Unknown) -> napi::Result<String> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let plan = cjm_core::plan(&journey, &cjm_core::analyze_gaps(&journey));
        Ok(cjm_core::plan_csv(&plan))
    })
}

/// Journey health. `today` defaults to the local date (`null`: no staleness judged).
#[napi(
    ts_args_type = "journey: Journey, options?: HealthOptions",
    ts_return_type = "Health"
)]
pub fn journey_health(
    env: Env,
    journey: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let options = Options::read(
            options.as_ref(),
            "options",
            &["today", "staleAfterDays", "weights"],
        )?;
        let validate = validate_options_from(&options)?;
        Ok(json(&cjm_core::health(
            &journey,
            &validate,
            &weights(&options)?,
        ))?)
    })
}

/// Health, friction and every emotion curve in one call (what `cjm score` reports).
#[napi(
    ts_args_type = "journey: Journey, options?: HealthOptions",
    ts_return_type = "ScoreReport"
)]
pub fn score_journey(
    env: Env,
    journey: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let options = Options::read(
            options.as_ref(),
            "options",
            &["today", "staleAfterDays", "weights"],
        )?;
        let validate = validate_options_from(&options)?;
        Ok(json(&cjm_core::score(
            &journey,
            &validate,
            &weights(&options)?,
        ))?)
    })
}

/// Net Promoter Score from 0–10 answers, with its 95 % interval.
#[napi(
    ts_args_type = "responses: ArrayLike<number>",
    ts_return_type = "NpsResult"
)]
pub fn nps(env: Env, responses: Unknown) -> napi::Result<JsonValue> {
    run(&env, || {
        Ok(json(&cjm_core::nps(&self::responses(
            &responses,
            "responses",
        )?)?)?)
    })
}

/// CSAT from 1–5 answers: the share of 4s and 5s, with its Wilson interval.
#[napi(
    ts_args_type = "responses: ArrayLike<number>",
    ts_return_type = "CsatResult"
)]
pub fn csat(env: Env, responses: Unknown) -> napi::Result<JsonValue> {
    run(&env, || {
        Ok(json(&cjm_core::csat(&self::responses(
            &responses,
            "responses",
        )?)?)?)
    })
}

/// Customer Effort Score from 1–7 answers.
#[napi(
    ts_args_type = "responses: ArrayLike<number>",
    ts_return_type = "CesResult"
)]
pub fn ces(env: Env, responses: Unknown) -> napi::Result<JsonValue> {
    run(&env, || {
        Ok(json(&cjm_core::ces(&self::responses(
            &responses,
            "responses",
        )?)?)?)
    })
}

/// The map as a self-contained SVG document.
#[napi(
    ts_args_type = "journey: Journey, options?: RenderOptions",
    ts_return_type = "string"
)]
pub fn render_svg(env: Env, journey: Unknown, options: Option<Unknown>) -> napi::Result<String> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let options: RenderOptions = optional_data(options.as_ref(), "options")?;
        Ok(cjm_core::render_svg(&journey, &options)?)
    })
}

/// The emotion curve chart (one line per persona drawn) as an SVG document.
#[napi(
    ts_args_type = "journey: Journey, options?: RenderOptions",
    ts_return_type = "string"
)]
pub fn render_curve_svg(
    env: Env,
    journey: Unknown,
    options: Option<Unknown>,
) -> napi::Result<String> {
    render_chart(
        &env,
        &journey,
        None,
        options.as_ref(),
        cjm_core::Chart::Curve,
    )
}

/// The friction index per touchpoint as a heat-strip SVG document.
#[napi(
    ts_args_type = "journey: Journey, options?: RenderOptions",
    ts_return_type = "string"
)]
pub fn render_friction_svg(
    env: Env,
    journey: Unknown,
    options: Option<Unknown>,
) -> napi::Result<String> {
    render_chart(
        &env,
        &journey,
        None,
        options.as_ref(),
        cjm_core::Chart::Friction,
    )
}

/// As-is against to-be as an SVG document.
#[napi(
    ts_args_type = "asIs: Journey, toBe: Journey, options?: RenderOptions",
    ts_return_type = "string"
)]
pub fn render_comparison_svg(
    env: Env,
    as_is: Unknown,
    to_be: Unknown,
    options: Option<Unknown>,
) -> napi::Result<String> {
    let to_be = Some(&to_be);
    render_chart(
        &env,
        &as_is,
        to_be,
        options.as_ref(),
        cjm_core::Chart::Comparison,
    )
}

fn render_chart(
    env: &Env,
    journey: &Unknown,
    to_be: Option<&Unknown>,
    options: Option<&Unknown>,
    chart: cjm_core::Chart,
) -> napi::Result<String> {
    run(env, || {
        let journey = self::journey(journey, "journey")?;
        let to_be = to_be.map(|t| self::journey(t, "toBe")).transpose()?;
        let options: RenderOptions = optional_data(options, "options")?;
        Ok(cjm_core::render_chart(
            &journey,
            chart,
            to_be.as_ref(),
            &options,
        )?)
    })
}

/// The funnel chart (a `FunnelResult` from `funnel`) as a self-contained SVG document: a bar
/// per step, conversion from the start and from the previous step, the users who dropped.
#[napi(
    ts_args_type = "result: FunnelResult, options?: RenderOptions",
    ts_return_type = "string"
)]
pub fn render_funnel_svg(
    env: Env,
    result: Unknown,
    options: Option<Unknown>,
) -> napi::Result<String> {
    run(&env, || {
        // What `funnel` returns: a `FunnelResult` and the `skipped_rows` of reading the log.
        const KEYS: [&str; 8] = [
            "steps",
            "window_seconds",
            "mode",
            "by",
            "total",
            "groups",
            "warnings",
            "skipped_rows",
        ];
        let result: cjm_core::FunnelResult = crate::convert::data(&result, "result", &KEYS)?;
        let options: RenderOptions = optional_data(options.as_ref(), "options")?;
        Ok(cjm_core::render_funnel_svg(&result, &options)?)
    })
}

/// The self-contained HTML report. `today` defaults to the local date (`null`: none);
/// `toBe` adds an as-is vs to-be section, `funnel` (a `FunnelResult`) a funnel section.
#[napi(
    ts_args_type = "journey: Journey, options?: ReportOptions",
    ts_return_type = "string"
)]
pub fn render_report_html(
    env: Env,
    journey: Unknown,
    options: Option<Unknown>,
) -> napi::Result<String> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        Ok(cjm_core::render_report_html(
            &journey,
            &report_options(options.as_ref())?,
        )?)
    })
}

fn report_options(value: Option<&Unknown>) -> Outcome<ReportOptions> {
    let value = match value {
        Some(value) if !matches!(value.get_type()?, ValueType::Undefined | ValueType::Null) => {
            plain_json(value, "options")?
        }
        _ => Value::Null,
    };
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d");
    Ok(cjm_core::js_options::report_options(
        value,
        &today.to_string(),
    )?)
}

/// The table of a result (`kind`: `funnel`, `plan`, `friction`, …; `result` as the function of
/// that name returned it): typed columns of values, one row per step, item, touchpoint, …, the
/// same table in every front (Python's `to_pandas`, the CLI's `--format csv`).
#[napi(
    ts_args_type = "kind: TableKind, result: object",
    ts_return_type = "Table"
)]
pub fn result_table(env: Env, kind: Unknown, result: Unknown) -> napi::Result<JsonValue> {
    run(&env, || Ok(json(&table_of(&kind, &result)?)?))
}

/// `resultTable` as CSV text: numbers with at most six decimals, lists joined with `,`, cells
/// a spreadsheet would run as formulas neutralised with a leading `'`.
#[napi(
    ts_args_type = "kind: TableKind, result: object",
    ts_return_type = "string"
)]
pub fn table_csv(env: Env, kind: Unknown, result: Unknown) -> napi::Result<String> {
    run(&env, || Ok(cjm_core::table_csv(&table_of(&kind, &result)?)))
}

fn table_of(kind: &Unknown, result: &Unknown) -> Outcome<cjm_core::Table> {
    let Value::String(kind) = plain_json(kind, "kind")? else {
        return Err(invalid_argument(
            "kind must be a table name such as \"funnel\"",
        ));
    };
    let kind = cjm_core::TableKind::from_name(&kind)?;
    Ok(cjm_core::result_table(
        kind,
        &plain_json(result, "result")?,
    )?)
}
