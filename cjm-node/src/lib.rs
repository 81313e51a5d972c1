//! Node.js binding of cjm (napi-rs v3).
//!
//! It only converts types and maps errors; every rule lives in `cjm-core`. Journeys cross the
//! boundary as plain JS objects in the file format (snake_case keys). Failures are thrown as JS
//! `Error`s whose `code` is the core's stable code, with `kind`, `location` and `problems`.

pub mod analysis;
mod convert;
mod error;
pub mod events;
mod files;
mod output;

use cjm_core::{
    DEFAULT_MAX_BYTES, Format, LoadOptions, ValidateOptions, parse_journey_bytes,
    parse_journey_with, write_journey,
};
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;

use crate::convert::{
    Options, input, journey_object, journey_tree, optional_format, optional_number,
    optional_string, string,
};
use crate::error::{Outcome, invalid_argument, run};
use crate::files::{LoadFile, SaveFile};
use crate::output::{JourneyValue, JsonValue, json};

/// A journey argument. Usually the core reads the text of `JSON.stringify(value)`. Otherwise
/// (see [`convert::stringify`]) the object is walked exactly into a plain tree and the core
/// reads that (`journey_from_tree`: NaN and ±Infinity kept for the validator, errors at their
/// JSON pointer), as in the WASM build.
fn journey(value: &Unknown, name: &str) -> Outcome<cjm_core::Journey> {
    journey_object(value, name)?;
    if let Some(text) = convert::stringify(value)? {
        let unlimited = LoadOptions {
            max_bytes: usize::MAX,
        };
        if let Ok(journey) = parse_journey_with(&text, Format::Json, &unlimited) {
            return Ok(journey);
        }
        // Failed: read it exactly, for an error that names the place in the object.
    }
    Ok(cjm_core::journey_from_tree(journey_tree(value)?)?)
}

fn journey_to_js(journey: &cjm_core::Journey) -> Outcome<JourneyValue> {
    JourneyValue::new(journey)
}

/// `{ format?, maxBytes? }` of the load functions.
fn load_options(value: Option<&Unknown>) -> Outcome<(Option<Format>, LoadOptions)> {
    let options = Options::read(value, "options", &["format", "maxBytes"])?;
    let format = optional_format(options.get("format"), "options.format")?;
    let max_bytes = match optional_number(options.get("maxBytes"), "options.maxBytes")? {
        None => DEFAULT_MAX_BYTES,
        Some(n) if n.is_nan() || n < 0.0 => {
            return Err(invalid_argument(format!(
                "options.maxBytes must be a number of bytes (0 or more), not {n}"
            )));
        }
        // `Infinity` means no limit; fractions round down.
        Some(n) if n >= usize::MAX as f64 => usize::MAX,
        Some(n) => n as usize,
    };
    Ok((format, LoadOptions { max_bytes }))
}

/// `{ today?, staleAfterDays? }` of the validate functions. `today` absent (or `undefined`)
/// means the local date; `today: null` means no date, so staleness is not judged (the core's
/// default, which reads no clock).
fn validate_options(value: Option<&Unknown>) -> Outcome<ValidateOptions> {
    let options = Options::read(value, "options", &["today", "staleAfterDays"])?;
    validate_options_from(&options)
}

/// The `today` and `staleAfterDays` fields of an options object that was already read.
fn validate_options_from(options: &Options) -> Outcome<ValidateOptions> {
    let defaults = ValidateOptions::default();
    let today = match options.get("today") {
        Some(today) if today.get_type()? == ValueType::Null => None,
        today => Some(optional_string(today, "options.today")?.unwrap_or_else(|| {
            chrono::Local::now()
                .date_naive()
                .format("%Y-%m-%d")
                .to_string()
        })),
    };
    let stale_after_days =
        match optional_number(options.get("staleAfterDays"), "options.staleAfterDays")? {
            None => defaults.stale_after_days,
            Some(n) if n.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&n) => n as u32,
            Some(n) => {
                return Err(invalid_argument(format!(
                    "options.staleAfterDays must be a whole number of days (0 or more), not {n}"
                )));
            }
        };
    Ok(ValidateOptions::checked(today, stale_after_days)?)
}

/// Reads a journey from text or bytes (`string`, `Buffer` or `Uint8Array`). Bytes must be
/// UTF-8. The format defaults to JSON. Does not validate: see `validateJourney`.
#[napi(
    ts_args_type = "data: string | Uint8Array, options?: LoadJourneyOptions",
    ts_return_type = "Journey"
)]
pub fn load_journey(
    env: Env,
    data: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JourneyValue> {
    run(&env, || {
        let data = input(&data, "data")?;
        let (format, options) = load_options(options.as_ref())?;
        let journey = parse_journey_bytes(data.bytes(), format.unwrap_or(Format::Json), &options)?;
        journey_to_js(&journey)
    })
}

/// Reads a journey file on a worker thread. The format comes from the file's extension
/// (`.json`, `.yaml`/`.yml`, `.mmd`, `.csv`) unless `options.format` names it.
#[napi(
    ts_args_type = "path: string, options?: LoadJourneyOptions",
    ts_return_type = "Promise<Journey>"
)]
pub fn load_journey_file(
    env: Env,
    path: Unknown,
    options: Option<Unknown>,
) -> napi::Result<AsyncTask<LoadFile>> {
    let request = error::guard(|| {
        let path = string(&path, "path")?;
        let (format, options) = load_options(options.as_ref())?;
        let format = match format {
            Some(format) => format,
            None => Format::from_path(&path)?,
        };
        Ok((path, format, options))
    });
    let request = match request {
        Ok(request) => Ok(request),
        Err(error::Failure::Cjm(error)) => Err(error),
        Err(failure) => return Err(error::to_napi(&env, failure)),
    };
    Ok(AsyncTask::new(LoadFile { request }))
}

/// Writes a journey as text in a format (JSON by default). Mermaid and CSV keep only what those
/// formats can express.
#[napi(
    ts_args_type = "journey: Journey, format?: Format",
    ts_return_type = "string"
)]
pub fn dump_journey(env: Env, journey: Unknown, format: Option<Unknown>) -> napi::Result<String> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let format = optional_format(format.as_ref(), "format")?.unwrap_or(Format::Json);
        Ok(write_journey(&journey, format)?)
    })
}

/// What writing the journey in a format drops (empty for JSON and YAML), e.g.
/// `["3 pain points", "to-be state"]` for Mermaid: call it before `dumpJourney` to warn users.
#[napi(
    ts_args_type = "journey: Journey, format: Format",
    ts_return_type = "string[]"
)]
pub fn conversion_losses(env: Env, journey: Unknown, format: Unknown) -> napi::Result<Vec<String>> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let format = optional_format(Some(&format), "format")?.unwrap_or(Format::Json);
        Ok(cjm_core::conversion_losses(&journey, format))
    })
}

/// Writes a journey file on a worker thread; the format comes from the extension unless given.
#[napi(
    ts_args_type = "journey: Journey, path: string, format?: Format",
    ts_return_type = "Promise<void>"
)]
pub fn save_journey_file(
    env: Env,
    journey: Unknown,
    path: Unknown,
    format: Option<Unknown>,
) -> napi::Result<AsyncTask<SaveFile>> {
    let request = error::guard(|| {
        let journey = self::journey(&journey, "journey")?;
        let path = string(&path, "path")?;
        let format = match optional_format(format.as_ref(), "format")? {
            Some(format) => format,
            None => Format::from_path(&path)?,
        };
        Ok((journey, path, format))
    });
    let request = match request {
        Ok(request) => Ok(request),
        Err(error::Failure::Cjm(error)) => Err(error),
        Err(failure) => return Err(error::to_napi(&env, failure)),
    };
    Ok(AsyncTask::new(SaveFile { request }))
}

/// Every problem of a journey, errors and warnings, each with a stable code and a JSON
/// pointer. Never throws for problems of the journey (only when it cannot be read at all).
/// `today` defaults to the local date, so stale maps get a warning.
#[napi(
    ts_args_type = "journey: Journey, options?: ValidateJourneyOptions",
    ts_return_type = "Problem[]"
)]
pub fn validate_journey(
    env: Env,
    journey: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let options = validate_options(options.as_ref())?;
        Ok(json(&cjm_core::validate(&journey, &options))?)
    })
}

/// Like `validateJourney`, but throws a `validation` error (`invalid_journey`, with every
/// problem in `.problems`) when the journey has errors. Returns the warnings otherwise.
#[napi(
    ts_args_type = "journey: Journey, options?: ValidateJourneyOptions",
    ts_return_type = "Problem[]"
)]
pub fn check_journey(
    env: Env,
    journey: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let options = validate_options(options.as_ref())?;
        Ok(json(&cjm_core::check(&journey, &options)?)?)
    })
}

/// Converts journey text or bytes from one format to another.
#[napi(
    ts_args_type = "data: string | Uint8Array, from: Format, to: Format",
    ts_return_type = "string"
)]
pub fn convert_journey(
    env: Env,
    data: Unknown,
    from: Unknown,
    to: Unknown,
) -> napi::Result<String> {
    run(&env, || {
        let data = input(&data, "data")?;
        let from = convert::format(&from, "from")?;
        let to = convert::format(&to, "to")?;
        let journey = parse_journey_bytes(data.bytes(), from, &LoadOptions::default())?;
        Ok(write_journey(&journey, to)?)
    })
}

/// The JSON Schema (draft 2020-12) of the journey file format.
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn journey_schema(env: Env) -> napi::Result<JsonValue> {
    run(&env, || Ok(JsonValue(cjm_core::journey_schema())))
}

/// The JSON Schema of the other values the API exchanges (problems, errors, options).
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn api_schema(env: Env) -> napi::Result<JsonValue> {
    run(&env, || Ok(JsonValue(cjm_core::api_schema())))
}

/// A new journey from a template: `classic` (default) or `ecommerce`, in `en` (default) or `ru`.
#[napi(
    ts_args_type = "template?: \"classic\" | \"ecommerce\", lang?: \"en\" | \"ru\"",
    ts_return_type = "Journey"
)]
pub fn new_journey(
    env: Env,
    template: Option<Unknown>,
    lang: Option<Unknown>,
) -> napi::Result<JourneyValue> {
    run(&env, || {
        let template = optional_string(template.as_ref(), "template")?;
        let lang = optional_string(lang.as_ref(), "lang")?;
        let journey = cjm_core::template(
            template.as_deref().unwrap_or("classic"),
            lang.as_deref().unwrap_or("en"),
        )?;
        journey_to_js(&journey)
    })
}

/// The version of cjm this package was built from.
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
