//! The options objects the JavaScript fronts (Node and WASM) take, named in camelCase as JS
//! options are. They are declared here once so that their TypeScript interfaces are generated
//! into `docs/types/cjm.d.ts` (through the API schema) instead of being written by hand in each
//! package; both packages' tests check that their readers accept exactly these keys.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::events::{ApplyReport, ColumnMap, EventFormat, TimeUnit};
use crate::formats::Format;
use crate::model::Journey;

/// Options of `loadJourney` and `loadJourneyFile`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadJourneyOptions {
    /// Format of the input; `loadJourney` defaults to JSON, `loadJourneyFile` to the file's
    /// extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Inputs larger than this many bytes are refused with `input_too_large` (default 16 MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
}

/// Options of `validateJourney` and `checkJourney`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateJourneyOptions {
    /// Date to judge staleness against (YYYY-MM-DD); defaults to today's local date. `null`
    /// judges no staleness at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today: Option<Option<String>>,
    /// A map whose `updated` date is older than this many days gets a `stale_map` warning
    /// (default 180).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_after_days: Option<u32>,
}

/// Options of `emotionCurve`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmotionCurveOptions {
    /// Persona id; absent or `null` gives everyone's (combined) curve. Unknown ids throw
    /// `unknown_persona`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
}

/// Options of `frictionIndex` and `compareJourneys`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FrictionOptions {
    /// Component weights; omitted components keep their defaults (docs/scoring.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<FrictionWeightsOptions>,
}

/// Friction weights as the JS options take them (camelCase, each optional: an omitted
/// component keeps its default, docs/scoring.md). They are read into [`crate::FrictionWeights`],
/// which accepts `dropOff` and `drop_off` alike; results echo the weights in snake_case, as
/// all result data is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FrictionWeightsOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_off: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backtracking: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<f64>,
}

/// Options of `journeyHealth` and `scoreJourney`: those of `validateJourney` and of
/// `frictionIndex`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthOptions {
    /// Date to judge staleness against (YYYY-MM-DD); defaults to today's local date. `null`
    /// judges no staleness at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today: Option<Option<String>>,
    /// A map whose `updated` date is older than this many days gets a `stale_map` warning
    /// (default 180).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_after_days: Option<u32>,
    /// Component weights; omitted components keep their defaults (docs/scoring.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<FrictionWeightsOptions>,
}

/// How an event log is read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventsOptions {
    /// `funnelFromFile` defaults to the file's extension (`.csv`, `.ndjson`/`.jsonl`,
    /// `.parquet`), the others to CSV. Parquet needs the Node build (WASM: `unsupported_format`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<EventFormat>,
    /// Skip (and count in `skipped_rows`) rows that cannot be read instead of throwing on the
    /// first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_bad_rows: Option<bool>,
    /// Unit of epoch-number timestamps: `auto` (the default) takes the unit in which the column's
    /// first number lands between 1990-01-01 and 2100-01-01 and refuses numbers outside that
    /// range (`invalid_timestamp`); `s`, `ms`, `us` (GA4 exports) and `ns` are read as given.
    /// ISO-8601 text and Parquet timestamp columns carry their own unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_unit: Option<TimeUnit>,
    /// The columns holding the user, time, event and value when they are not named `user_id`,
    /// `timestamp`, `event` and `value`, e.g. `{user: "distinct_id", time: "ts"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<ColumnMap>,
}

/// Options of `paths`: how the log is read, and what to look for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PathsOptions {
    #[serde(flatten)]
    pub read: EventsOptions,
    /// Map events to this journey's touchpoints (through their `events` patterns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journey: Option<Journey>,
    /// Node (event name, or touchpoint id with a journey) whose absence marks a dropped-off
    /// user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// How many drop-off paths to keep (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<u32>,
}

/// Options of `loyalty`: how the log is read, and the purchase event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoyaltyOptions {
    #[serde(flatten)]
    pub read: EventsOptions,
    /// Name of the purchase event.
    pub purchase_event: String,
}

/// Options of `applyEvents`: how the log is read, and how the metrics are written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplyEventsOptions {
    #[serde(flatten)]
    pub read: EventsOptions,
    /// Conversion window from entering the first stage (default `30d`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
    /// Id of the evidence entry describing the log (default `event-log`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_id: Option<String>,
}

/// Added to every event-log result in the JavaScript fronts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventsRead {
    /// Bad rows skipped because of `skipBadRows: true` (0 otherwise).
    pub skipped_rows: u64,
}

/// What `applyEvents` returns: a new journey (the argument is unchanged), what was written, and
/// the bad rows skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ApplyEventsResult {
    pub journey: Journey,
    pub report: ApplyReport,
    /// Bad rows skipped because of `skipBadRows: true` (0 otherwise).
    pub skipped_rows: u64,
}

/// The camelCase spelling JavaScript uses for a snake_case field name (`max_output_bytes` →
/// `maxOutputBytes`). The core's option structs that JS passes in whole (`RenderOptions`,
/// `ReportOptions`) read both spellings.
pub fn js_name(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The keys an options struct reads from JavaScript: each field in the core's snake_case and in
/// JavaScript's camelCase (the struct's serde aliases), from its default value's fields.
pub fn option_keys<T: Serialize + Default>() -> Vec<String> {
    let fields = match serde_json::to_value(T::default()) {
        Ok(serde_json::Value::Object(defaults)) => defaults.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let mut keys: Vec<String> = fields
        .iter()
        .flat_map(|field: &String| [field.clone(), js_name(field)])
        .collect();
    keys.dedup();
    keys
}

/// `ReportOptions` as the JavaScript fronts take them, from plain data: `render` (render
/// options, camelCase or snake_case keys), `today` (absent: `local_today`, the front's local
/// date; `null`: none), `toBe` or `to_be` (a journey, read by the core's journey reader with its
/// checks), `funnel` (a `FunnelResult`). `null` or absent options are the defaults. A key it
/// does not know or a value of the wrong shape is `invalid_argument` naming it.
pub fn report_options(
    value: serde_json::Value,
    local_today: &str,
) -> crate::Result<crate::ReportOptions> {
    use crate::error::{CjmError, ErrorCode};
    use serde_json::Value;
    let wrong = |message: String| CjmError::usage(ErrorCode::InvalidArgument, message);
    let mut map = match value {
        Value::Null => serde_json::Map::new(),
        Value::Object(map) => map,
        _ => return Err(wrong("options must be a ReportOptions object".into())),
    };
    const KNOWN: [&str; 5] = ["render", "today", "toBe", "to_be", "funnel"];
    if let Some(key) = map.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(wrong(format!(
            "unknown key {:?} in options; the keys are {}",
            crate::error::excerpt(key),
            KNOWN.join(", ")
        )));
    }
    let today = match map.remove("today") {
        None => Some(local_today.to_string()),
        Some(Value::Null) => None,
        Some(Value::String(today)) => Some(today),
        Some(_) => {
            return Err(wrong(
                "options.today must be a YYYY-MM-DD string or null".into(),
            ));
        }
    };
    crate::ValidateOptions {
        today: today.clone(),
        ..Default::default()
    }
    .check()?;
    let to_be = match map.remove("toBe").or_else(|| map.remove("to_be")) {
        None | Some(Value::Null) => None,
        Some(journey) => Some(crate::journey_from_value(journey)?),
    };
    let render = match map.remove("render") {
        None | Some(Value::Null) => crate::RenderOptions::default(),
        Some(Value::Object(render)) => {
            let known = option_keys::<crate::RenderOptions>();
            if let Some(key) = render.keys().find(|k| !known.contains(k)) {
                return Err(wrong(format!(
                    "unknown key {:?} in options.render; the keys are {}",
                    crate::error::excerpt(key),
                    known.join(", ")
                )));
            }
            serde_json::from_value(Value::Object(render))
                .map_err(|e| wrong(format!("options.render: {e}")))?
        }
        Some(_) => {
            return Err(wrong(
                "options.render must be a RenderOptions object".into(),
            ));
        }
    };
    let funnel = match map.remove("funnel") {
        None | Some(Value::Null) => None,
        Some(funnel) => Some(
            serde_json::from_value(funnel).map_err(|e| wrong(format!("options.funnel: {e}")))?,
        ),
    };
    Ok(crate::ReportOptions {
        render,
        today,
        to_be,
        funnel,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn report_options_read_both_spellings_and_refuse_what_they_do_not_know() {
        use serde_json::json;
        let options = super::report_options(json!(null), "2026-11-29").unwrap();
        assert_eq!(options.today.as_deref(), Some("2026-11-29"));
        let options = super::report_options(
            json!({"today": null, "render": {"maxOutputBytes": 5, "theme": "dark"}}),
            "2026-11-29",
        )
        .unwrap();
        assert_eq!((options.today, options.render.max_output_bytes), (None, 5));
        for bad in [
            json!({"todya": "2026-01-01"}),
            json!({"today": 5}),
            json!({"render": {"colour": "red"}}),
            json!({"render": []}),
            json!([]),
            json!({"funnel": {"steps": 3}}),
        ] {
            let error = super::report_options(bad.clone(), "2026-11-29").unwrap_err();
            assert_eq!(error.code(), "invalid_argument", "{bad}");
        }
        let error = super::report_options(json!({"today": "2026-13-01"}), "x").unwrap_err();
        assert_eq!(error.code(), "invalid_option");
        let error = super::report_options(json!({"toBe": {"id": 1}}), "2026-11-29").unwrap_err();
        assert_eq!(error.code(), "wrong_type");
    }

    #[test]
    fn option_keys_hold_both_spellings_once() {
        let keys = super::option_keys::<crate::render::RenderOptions>();
        assert!(keys.contains(&"max_output_bytes".to_string()));
        assert!(keys.contains(&"maxOutputBytes".to_string()));
        assert_eq!(keys.iter().filter(|k| *k == "theme").count(), 1);
    }

    #[test]
    fn js_names_are_camel_case() {
        assert_eq!(super::js_name("max_output_bytes"), "maxOutputBytes");
        assert_eq!(super::js_name("to_be"), "toBe");
        assert_eq!(super::js_name("theme"), "theme");
    }
}
