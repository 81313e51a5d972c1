//! Scoring, survey metrics and rendering: each function reads its arguments, calls the core and
//! hands back the core's result as plain data (the serde shape the CLI prints as JSON), with the
//! names and option shapes of cjm-node.

use cjm_core::{FrictionWeights, RenderOptions, ReportOptions, ValidateOptions};
use wasm_bindgen::prelude::*;

use crate::data::{option_string, optional_data, responses};
use crate::{Options, Res, invalid_argument, journey_from_js, run, to_js, today, type_name};

fn weights(options: &Options, function: &str) -> Res<FrictionWeights> {
    optional_data(options.get("weights")?, function, "options.weights")
}

/// Today's date and the staleness limit of health options, as `validateJourney` reads them.
fn health_options(options: Option<JsValue>, function: &str) -> Res<(ValidateOptions, Options)> {
    let options = Options::read(options, function, &["today", "staleAfterDays", "weights"])?;
    let validate = crate::validate_options_from(&options, function)?;
    Ok((validate, options))
}

/// The emotion curve of one persona (`persona`), or of everyone (absent or `null`).
#[wasm_bindgen(js_name = emotionCurve, unchecked_return_type = "EmotionCurve")]
pub fn emotion_curve(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "EmotionCurveOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = Options::read(options, "emotionCurve", &["persona"])?;
        let persona = option_string(&options, "persona", "emotionCurve")?;
        let journey = journey_from_js(&journey, "emotionCurve")?;
        Ok(to_js(&cjm_core::emotion_curve(
            &journey,
            persona.as_deref(),
        )?)?)
    })
}

/// The friction index of every touchpoint and stage (`docs/scoring.md`).
#[wasm_bindgen(js_name = frictionIndex, unchecked_return_type = "FrictionReport")]
pub fn friction_index(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "FrictionOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = Options::read(options, "frictionIndex", &["weights"])?;
        let weights = weights(&options, "frictionIndex")?;
        let journey = journey_from_js(&journey, "frictionIndex")?;
        Ok(to_js(&cjm_core::friction(&journey, &weights))?)
    })
}

/// The ranked gaps, target statuses and persona divergence of a journey.
#[wasm_bindgen(js_name = analyzeGaps, unchecked_return_type = "GapReport")]
pub fn analyze_gaps(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
) -> Result<JsValue, JsValue> {
    run(|| {
        let journey = journey_from_js(&journey, "analyzeGaps")?;
        Ok(to_js(&cjm_core::analyze_gaps(&journey))?)
    })
}

/// As-is against to-be: deltas per touchpoint, stage and metric.
#[wasm_bindgen(js_name = compareJourneys, unchecked_return_type = "Comparison")]
pub fn compare_journeys(
    #[wasm_bindgen(js_name = asIs, unchecked_param_type = "Journey")] as_is: JsValue,
    #[wasm_bindgen(js_name = toBe, unchecked_param_type = "Journey")] to_be: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "FrictionOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = Options::read(options, "compareJourneys", &["weights"])?;
        let weights = weights(&options, "compareJourneys")?;
        let as_is = journey_from_js(&as_is, "compareJourneys")?;
        let to_be = journey_from_js(&to_be, "compareJourneys")?;
        Ok(to_js(&cjm_core::compare_journeys(
            &as_is, &to_be, &weights,
        ))?)
    })
}

/// The improvement plan: opportunities ranked, unaddressed pain points listed.
#[wasm_bindgen(js_name = improvementPlan, unchecked_return_type = "Plan")]
pub fn improvement_plan(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
) -> Result<JsValue, JsValue> {
    run(|| {
        let journey = journey_from_js(&journey, "improvementPlan")?;
        Ok(to_js(&cjm_core::plan(
            &journey,
            &cjm_core::analyze_gaps(&journey),
        ))?)
    })
}

/// The improvement plan as CSV (formula-like cells neutralised by the core).
#[wasm_bindgen(js_name = planCsv)]
pub fn plan_csv(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
) -> Result<String, JsValue> {
    run(|| {
        let journey = journey_from_js(&journey, "planCsv")?;
        let plan = cjm_core::plan(&journey, &cjm_core::analyze_gaps(&journey));
        Ok(cjm_core::plan_csv(&plan))
    })
}

/// Journey health. `today` defaults to the local date (`null`: no staleness judged).
#[wasm_bindgen(js_name = journeyHealth, unchecked_return_type = "Health")]
pub fn journey_health(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "HealthOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let (validate, options) = health_options(options, "journeyHealth")?;
        let weights = weights(&options, "journeyHealth")?;
        let journey = journey_from_js(&journey, "journeyHealth")?;
        Ok(to_js(&cjm_core::health(&journey, &validate, &weights))?)
    })
}

/// Health, friction and every emotion curve in one call (what `cjm score` reports).
#[wasm_bindgen(js_name = scoreJourney, unchecked_return_type = "ScoreReport")]
pub fn score_journey(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "HealthOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let (validate, options) = health_options(options, "scoreJourney")?;
        let weights = weights(&options, "scoreJourney")?;
        let journey = journey_from_js(&journey, "scoreJourney")?;
        Ok(to_js(&cjm_core::score(&journey, &validate, &weights))?)
    })
}

/// Net Promoter Score from 0–10 answers, with its 95 % interval.
#[wasm_bindgen(unchecked_return_type = "NpsResult")]
pub fn nps(
    #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>")] responses: JsValue,
) -> Result<JsValue, JsValue> {
    run(|| {
        Ok(to_js(&cjm_core::nps(&self::responses(
            &responses, "nps",
        )?)?)?)
    })
}

/// CSAT from 1–5 answers: the share of 4s and 5s, with its Wilson interval.
#[wasm_bindgen(unchecked_return_type = "CsatResult")]
pub fn csat(
    #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>")] responses: JsValue,
) -> Result<JsValue, JsValue> {
    run(|| {
        Ok(to_js(&cjm_core::csat(&self::responses(
            &responses, "csat",
        )?)?)?)
    })
}

/// Customer Effort Score from 1–7 answers.
#[wasm_bindgen(unchecked_return_type = "CesResult")]
pub fn ces(
    #[wasm_bindgen(unchecked_param_type = "ArrayLike<number>")] responses: JsValue,
) -> Result<JsValue, JsValue> {
    run(|| {
        Ok(to_js(&cjm_core::ces(&self::responses(
            &responses, "ces",
        )?)?)?)
    })
}

// ---------------------------------------------------------------------------------------------
// Rendering

fn render_options(options: Option<JsValue>, function: &str, name: &str) -> Res<RenderOptions> {
    optional_data(options, function, name)
}

/// The map as a self-contained SVG document. Every text from the journey is escaped by the
/// core; nothing from it becomes a link, a style or a script.
#[wasm_bindgen(js_name = renderSvg)]
pub fn render_svg(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RenderOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    run(|| {
        let options = render_options(options, "renderSvg", "options")?;
        let journey = journey_from_js(&journey, "renderSvg")?;
        Ok(cjm_core::render_svg(&journey, &options)?)
    })
}

/// The emotion curve chart (one line per persona drawn) as an SVG document.
#[wasm_bindgen(js_name = renderCurveSvg)]
pub fn render_curve_svg(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RenderOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    run(|| {
        let options = render_options(options, "renderCurveSvg", "options")?;
        let journey = journey_from_js(&journey, "renderCurveSvg")?;
        Ok(cjm_core::render_curve_svg(&journey, &options)?)
    })
}

/// The friction index per touchpoint as a heat-strip SVG document.
#[wasm_bindgen(js_name = renderFrictionSvg)]
pub fn render_friction_svg(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RenderOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    run(|| {
        let options = render_options(options, "renderFrictionSvg", "options")?;
        let journey = journey_from_js(&journey, "renderFrictionSvg")?;
        Ok(cjm_core::render_friction_svg(&journey, &options)?)
    })
}

/// As-is against to-be as an SVG document.
#[wasm_bindgen(js_name = renderComparisonSvg)]
pub fn render_comparison_svg(
    #[wasm_bindgen(js_name = asIs, unchecked_param_type = "Journey")] as_is: JsValue,
    #[wasm_bindgen(js_name = toBe, unchecked_param_type = "Journey")] to_be: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RenderOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    run(|| {
        let options = render_options(options, "renderComparisonSvg", "options")?;
        let as_is = journey_from_js(&as_is, "renderComparisonSvg")?;
        let to_be = journey_from_js(&to_be, "renderComparisonSvg")?;
        Ok(cjm_core::render_comparison_svg(&as_is, &to_be, &options)?)
    })
}

/// Keys of what `funnel` returns: a `FunnelResult` and the `skipped_rows` of reading the log.
const FUNNEL_RESULT_KEYS: [&str; 8] = [
    "steps",
    "window_seconds",
    "mode",
    "by",
    "total",
    "groups",
    "warnings",
    "skipped_rows",
];

/// The funnel chart (a `FunnelResult` from `funnel`) as an SVG document: a bar per step,
/// conversion from the start and from the previous step, the users who dropped.
#[wasm_bindgen(js_name = renderFunnelSvg)]
pub fn render_funnel_svg(
    #[wasm_bindgen(unchecked_param_type = "FunnelResult")] result: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RenderOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    run(|| {
        const FUNCTION: &str = "renderFunnelSvg";
        let options = render_options(options, FUNCTION, "options")?;
        let result: cjm_core::FunnelResult =
            crate::data::data(&result, FUNCTION, "result", &FUNNEL_RESULT_KEYS)?;
        Ok(cjm_core::render_funnel_svg(&result, &options)?)
    })
}

/// The self-contained HTML report. `today` defaults to the local date (`null`: none);
/// `toBe` adds an as-is vs to-be section, `funnel` (a `FunnelResult`) a funnel section.
#[wasm_bindgen(js_name = renderReportHtml)]
pub fn render_report_html(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ReportOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    run(|| {
        let options = report_options(options)?;
        let journey = journey_from_js(&journey, "renderReportHtml")?;
        Ok(cjm_core::render_report_html(&journey, &options)?)
    })
}

/// `ReportOptions` read by the core as in cjm-node (`js_options::report_options`): absent
/// `today` is the local date.
fn report_options(options: Option<JsValue>) -> Res<ReportOptions> {
    let value = match options {
        Some(value) if !value.is_null() && !value.is_undefined() => {
            crate::data::plain_json(&value, "renderReportHtml", "options")?
        }
        _ => serde_json::Value::Null,
    };
    Ok(cjm_core::js_options::report_options(value, &today())?)
}

/// The table of a result (`kind`: `funnel`, `plan`, `friction`, …; `result` as the function of
/// that name returned it): typed columns of values, one row per step, item, touchpoint, …, the
/// same table in every front (Python's `to_pandas`, the CLI's `--format csv`).
#[wasm_bindgen(js_name = resultTable, unchecked_return_type = "Table")]
pub fn result_table(
    #[wasm_bindgen(unchecked_param_type = "TableKind")] kind: JsValue,
    #[wasm_bindgen(unchecked_param_type = "object")] result: JsValue,
) -> Result<JsValue, JsValue> {
    run(|| Ok(to_js(&table_of(&kind, &result, "resultTable")?)?))
}

/// `resultTable` as CSV text: numbers with at most six decimals, lists joined with `,`, cells
/// a spreadsheet would run as formulas neutralised with a leading `'`.
#[wasm_bindgen(js_name = tableCsv)]
pub fn table_csv(
    #[wasm_bindgen(unchecked_param_type = "TableKind")] kind: JsValue,
    #[wasm_bindgen(unchecked_param_type = "object")] result: JsValue,
) -> Result<String, JsValue> {
    run(|| Ok(cjm_core::table_csv(&table_of(&kind, &result, "tableCsv")?)))
}

fn table_of(kind: &JsValue, result: &JsValue, function: &str) -> Res<cjm_core::Table> {
    let Some(kind) = kind.as_string() else {
        return Err(invalid_argument(format!(
            "{function}: kind must be a table name such as \"funnel\", got {}",
            type_name(kind)
        ))
        .into());
    };
    let kind = cjm_core::TableKind::from_name(&kind)?;
    let result = crate::data::plain_json(result, function, "result")?;
    Ok(cjm_core::result_table(kind, &result)?)
}
