//! Event-log analysis: funnels, paths, funnel comparisons, loyalty and applying a log to a map,
//! with cjm-node's names and options. The log (CSV by default, or NDJSON) is read by the core
//! (`read_events_csv` / `read_events_ndjson`); each result carries `skipped_rows`, the bad rows
//! skipped with `skipBadRows: true` (0 otherwise). Funnels run on one thread (wasm32 has none
//! to spare), through the core's `funnel`.

use cjm_core::ErrorCode;
use cjm_core::{
    ApplyOptions, ApplyReport, CjmError, EventLog, FunnelSpec, Journey, Location, PathOptions,
    ReadOptions,
};
use js_sys::{JsString, Uint8Array};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::data::{data, option_string};
use crate::{Options, Res, invalid_argument, journey_from_js, run, to_js, type_name};

use cjm_core::EventFormat;

/// The read options every event function takes besides its own.
const READ_KEYS: [&str; 4] = ["format", "skipBadRows", "timeUnit", "columns"];

fn known<'a>(own: &[&'a str]) -> Vec<&'a str> {
    own.iter().copied().chain(READ_KEYS).collect()
}

fn event_format(options: &Options, function: &str) -> Res<EventFormat> {
    match option_string(options, "format", function)? {
        None => Ok(EventFormat::Csv),
        Some(name) => Ok(EventFormat::from_name(&name)?),
    }
}

fn read_options(options: &Options, function: &str) -> Res<ReadOptions> {
    let skip_bad_rows = match options.get("skipBadRows")? {
        None => false,
        Some(value) => match value.as_bool() {
            Some(flag) => flag,
            None => {
                return Err(invalid_argument(format!(
                    "{function}: options.skipBadRows must be a boolean, got {}",
                    type_name(&value)
                ))
                .into());
            }
        },
    };
    let time_unit = match option_string(options, "timeUnit", function)? {
        None => cjm_core::TimeUnit::Auto,
        Some(name) => cjm_core::TimeUnit::from_name(&name)?,
    };
    let columns = match options.get("columns")? {
        Some(value) => data::<cjm_core::ColumnMap>(
            &value,
            function,
            "options.columns",
            &cjm_core::ColumnMap::ROLES,
        )?,
        None => cjm_core::ColumnMap::default(),
    };
    Ok(ReadOptions {
        skip_bad_rows,
        time_unit,
        columns,
    })
}

/// Event-log bytes as text; invalid UTF-8 is reported with its line and column.
fn text(bytes: &[u8]) -> Result<&str, CjmError> {
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[start..]).chars().count() + 1;
        CjmError::parse(
            ErrorCode::InvalidUtf8,
            format!(
                "the event log is not valid UTF-8 (byte offset {})",
                error.valid_up_to()
            ),
            Location::at(line as u64, column as u64),
        )
    })
}

/// Reads the `events` argument (a string or UTF-8 bytes) with the read options of `options`.
fn log(events: &JsValue, options: &Options, function: &str) -> Res<EventLog> {
    let format = event_format(options, function)?;
    let read = read_options(options, function)?;
    if format == EventFormat::Parquet {
        return Err(CjmError::usage(
            ErrorCode::UnsupportedFormat,
            format!(
                "{function}: the browser build reads no Parquet (it would double its size); \
                 convert the log to CSV or NDJSON"
            ),
        )
        .into());
    }
    if let Some(events) = events.dyn_ref::<JsString>() {
        return Ok(match crate::js_text(events) {
            Ok(events) => read_text(&events, format, &read)?,
            Err(bytes) => read_text(text(&bytes)?, format, &read)?,
        });
    }
    if let Some(bytes) = events.dyn_ref::<Uint8Array>() {
        // Bytes go to the core's reader as they are: it reads gzip and reports bad UTF-8.
        return Ok(cjm_core::read_events(&bytes.to_vec(), format, &read)?);
    }
    Err(invalid_argument(format!(
        "{function}: events must be a string or a Uint8Array, got {}",
        type_name(events)
    ))
    .into())
}

fn read_text(text: &str, format: EventFormat, read: &ReadOptions) -> Result<EventLog, CjmError> {
    match format {
        EventFormat::Ndjson => cjm_core::read_events_ndjson(text, read),
        // Parquet was refused before; anything else is CSV.
        _ => cjm_core::read_events_csv(text, read),
    }
}

/// A core result with the log's `skipped_rows` added.
#[derive(Serialize)]
struct WithSkipped<'a, T: Serialize> {
    #[serde(flatten)]
    result: &'a T,
    skipped_rows: u64,
}

fn with_skipped<T: Serialize>(result: &T, log: &EventLog) -> Res<JsValue> {
    Ok(to_js(&WithSkipped {
        result,
        skipped_rows: log.skipped_rows,
    })?)
}

fn spec(value: &JsValue, function: &str) -> Res<FunnelSpec> {
    data(
        value,
        function,
        "spec",
        &["steps", "window", "mode", "by", "interval"],
    )
}

/// A ClickHouse-style `windowFunnel` over an event log (CSV by default, or NDJSON).
#[wasm_bindgen(unchecked_return_type = "FunnelResult & EventsRead")]
pub fn funnel(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] events: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FunnelSpec")] spec: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "EventsOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = Options::read(options, "funnel", &READ_KEYS)?;
        let spec = self::spec(&spec, "funnel")?;
        let log = log(&events, &options, "funnel")?;
        with_skipped(&cjm_core::funnel(&log, &spec)?, &log)
    })
}

/// The directly-follows graph between events, or between the touchpoints of `journey` (mapped
/// through their `events` patterns), with loops, backtracking and drop-off paths before `goal`.
#[wasm_bindgen(unchecked_return_type = "PathsResult & EventsRead")]
pub fn paths(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] events: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PathsOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = Options::read(options, "paths", &known(&["journey", "goal", "top"]))?;
        let journey: Option<Journey> = match options.get("journey")? {
            Some(value) => Some(journey_from_js(&value, "paths")?),
            None => None,
        };
        let top = match options.get("top")? {
            None => None,
            Some(value) => match value.as_f64() {
                Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
                    Some(n as usize)
                }
                _ => {
                    return Err(invalid_argument(format!(
                        "paths: options.top must be a whole number (0 or more), got {}",
                        crate::describe_number(&value)
                    ))
                    .into());
                }
            },
        };
        let path_options = PathOptions {
            goal: option_string(&options, "goal", "paths")?,
            top,
        };
        let log = log(&events, &options, "paths")?;
        with_skipped(
            &cjm_core::paths(&log, journey.as_ref(), &path_options)?,
            &log,
        )
    })
}

/// A funnel compared between two segments or two periods, step by step, with two-proportion
/// tests.
#[wasm_bindgen(js_name = compareFunnel, unchecked_return_type = "FunnelComparison & EventsRead")]
pub fn compare_funnel(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] events: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FunnelSpec")] spec: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Split")] split: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "EventsOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = Options::read(options, "compareFunnel", &READ_KEYS)?;
        let spec = self::spec(&spec, "compareFunnel")?;
        let split: cjm_core::SplitInput =
            data(&split, "compareFunnel", "split", &["segment", "periods"])?;
        let split = split.resolve()?;
        let log = log(&events, &options, "compareFunnel")?;
        with_skipped(&cjm_core::compare_funnel(&log, &spec, &split)?, &log)
    })
}

/// Repeat purchases: buyers, repeat buyers, time between purchases.
#[wasm_bindgen(unchecked_return_type = "LoyaltyResult & EventsRead")]
pub fn loyalty(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] events: JsValue,
    #[wasm_bindgen(unchecked_param_type = "LoyaltyOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = Options::read(
            Some(options).filter(|o| !o.is_undefined()),
            "loyalty",
            &known(&["purchaseEvent"]),
        )?;
        let Some(purchase) = option_string(&options, "purchaseEvent", "loyalty")? else {
            return Err(invalid_argument(
                "loyalty: options.purchaseEvent (the name of the purchase event) is required"
                    .to_string(),
            )
            .into());
        };
        let log = log(&events, &options, "loyalty")?;
        with_skipped(&cjm_core::loyalty(&log, &purchase)?, &log)
    })
}

/// Retention by cohort: who came back in each day, week or month after their first start
/// event (docs/events.md).
#[wasm_bindgen(unchecked_return_type = "RetentionResult & EventsRead")]
pub fn retention(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] events: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RetentionSpec")] spec: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "EventsOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = Options::read(options, "retention", &READ_KEYS)?;
        let spec: cjm_core::RetentionSpec = data(
            &spec,
            "retention",
            "spec",
            &["start", "return_event", "interval", "periods", "unbounded"],
        )?;
        let log = log(&events, &options, "retention")?;
        with_skipped(&cjm_core::retention(&log, &spec)?, &log)
    })
}

#[derive(Serialize)]
struct Applied<'a> {
    journey: &'a Journey,
    report: &'a ApplyReport,
    skipped_rows: u64,
}

/// Writes the measured conversion, drop-off, time and traffic into a copy of the journey.
/// Returns `{ journey, report, skipped_rows }`; the journey passed in is not changed.
#[wasm_bindgen(js_name = applyEvents, unchecked_return_type = "ApplyEventsResult")]
pub fn apply_events(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] events: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ApplyEventsOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = Options::read(options, "applyEvents", &known(&["window", "evidenceId"]))?;
        let defaults = ApplyOptions::default();
        let apply = ApplyOptions {
            window: option_string(&options, "window", "applyEvents")?.unwrap_or(defaults.window),
            evidence_id: option_string(&options, "evidenceId", "applyEvents")?
                .unwrap_or(defaults.evidence_id),
        };
        let journey = journey_from_js(&journey, "applyEvents")?;
        let log = log(&events, &options, "applyEvents")?;
        let (journey, report) = cjm_core::apply_events(&journey, &log, &apply)?;
        Ok(to_js(&Applied {
            journey: &journey,
            report: &report,
            skipped_rows: log.skipped_rows,
        })?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let error = text(b"a,b\n\xff").unwrap_err();
        let info = error.info();
        assert_eq!(info.code, "invalid_utf8");
        assert_eq!(info.location.line, Some(2));
        assert_eq!(info.location.column, Some(1));
    }
}
