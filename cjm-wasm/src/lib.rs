//! # cjm-wasm
//!
//! The browser/WASM binding of **cjm** (wasm-bindgen). It converts types and maps errors; every
//! rule lives in `cjm-core`. The JS API is the same as cjm-node's (minus file access).
//!
//! Journeys cross the boundary as plain JS objects in the file format (snake_case keys, exactly
//! what `JSON.parse` of a journey file gives). Failures are thrown as a JS `Error` named
//! `CjmError` (a `TypeError` for wrong arguments) carrying the core's stable `code`, its `kind`,
//! a `location` and, for invalid journeys, the `problems`.
//!
//! Journey objects are read with `JSON.stringify`'s rules, through one `JSON.stringify` call
//! and the core's own reader when that text is exact. NaN and ±Infinity, which JSON cannot
//! carry, are kept (in a [`serde_yaml_ng::Value`] tree), so a YAML file with `score: .nan`
//! loads into a JS object with `NaN` and `validateJourney` reports `non_finite_number` at its
//! path, as the core does; writing such a journey as JSON or YAML fails with `non_finite_number`.

mod analysis;
mod data;
mod events;

use cjm_core::ErrorCode;
use cjm_core::{
    CjmError, DEFAULT_MAX_BYTES, Format, Journey, LoadOptions, Location, ValidateOptions,
};
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use serde::Serialize;
use serde_yaml_ng::{Mapping, Number, Value};
use std::sync::Once;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The generated types of the file format and of the API values (`Journey`, `Problem`,
/// `ErrorInfo`, `Format`, ...), from `docs/types/cjm.d.ts`.
#[wasm_bindgen(typescript_custom_section)]
const CJM_TYPES: &str = include_str!("../../docs/types/cjm.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const WASM_TYPES: &str = r#"
/** The name this package used for `EventFormat` before (the option interfaces are generated
 * from cjm-core into the types above). */
export type EventsFormat = EventFormat;
/**
 * What every cjm function throws: an `Error` named `CjmError` (a `TypeError` for wrong
 * arguments, code `invalid_argument`) carrying the core's stable code and location.
 */
export interface CjmError extends Error {
  /** Stable machine-readable code, e.g. `json_syntax`, `input_too_large`, `invalid_journey`. */
  code: string;
  kind: ErrorKind;
  location: Location;
  /** For `invalid_journey`: every problem found; otherwise empty. */
  problems: Problem[];
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn object_entries(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = fromEntries)]
    fn object_from_entries(entries: &Array) -> Result<Object, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = defineProperty)]
    fn define_property(
        target: &JsValue,
        key: &str,
        descriptor: &JsValue,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// `JSON.stringify(value)` when that text is exact; `0` when it met more than `max_values`
/// values (counted as [`Reader`] counts them); `undefined` when it threw (a cycle, a BigInt, a
/// throwing getter, nesting too deep for the engine) or met NaN or ±Infinity (which it would
/// write as `null`). The careful [`Reader`] then follows the same rules and reports the problem
/// with its JSON pointer.
#[wasm_bindgen(inline_js = r#"
export function plain_json_text(value, max_values) {
  let exact = true;
  let count = 0;
  const tooMany = {};
  function replacer(key, v) {
    const t = typeof v;
    if (Array.isArray(this) || !(t === "undefined" || t === "function" || t === "symbol")) {
      if (++count > max_values) throw tooMany;
    }
    if (t === "number" && !Number.isFinite(v)) exact = false;
    return v;
  }
  try {
    const text = JSON.stringify(value, replacer);
    return exact && typeof text === "string" ? text : undefined;
  } catch (error) {
    return error === tooMany ? 0 : undefined;
  }
}
"#)]
extern "C" {
    fn plain_json_text(value: &JsValue, max_values: u32) -> JsValue;
}

/// Nesting deeper than this is refused (`too_deep`), the same limit the core's parsers apply;
/// it also stops cyclic objects.
const MAX_DEPTH: usize = 128;

/// Most values read from one journey object (`input_too_large` beyond): bounds the work a
/// shared-object graph such as `{a: o, b: o}` nested many times over could cause.
const MAX_VALUES: usize = 1_000_000;

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A failure on the way: a core error, or an exception JS itself threw (a throwing getter or
/// proxy trap), which is re-thrown unchanged.
enum Failure {
    Cjm(CjmError),
    Js(JsValue),
}

impl From<CjmError> for Failure {
    fn from(error: CjmError) -> Self {
        Failure::Cjm(error)
    }
}

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Cjm(error) => js_error(&error),
            Failure::Js(value) => value,
        }
    }
}

type Res<T> = Result<T, Failure>;

/// Runs an exported function's body, turning a failure into what JS should see thrown.
fn run<T>(body: impl FnOnce() -> Res<T>) -> Result<T, JsValue> {
    // wasm32 aborts on panic (a bare `unreachable` trap). The core is built never to panic;
    // should it ever, log the message first so the report says where.
    static PANIC_HOOK: Once = Once::new();
    PANIC_HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error(&format!("cjm-wasm panicked: {info}"))
        }))
    });
    body().map_err(JsValue::from)
}

/// Reads a journey from text or bytes (`Uint8Array`, e.g. a `fetch` body or a Node `Buffer`).
/// Does not validate: call `validateJourney` for that.
///
/// Throws a `CjmError` (`kind: "parse"`) with the line, column and/or JSON pointer of the fault.
#[wasm_bindgen(js_name = loadJourney, unchecked_return_type = "Journey")]
pub fn load_journey(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LoadJourneyOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = Options::read(options, "loadJourney", &["format", "maxBytes"])?;
        let format = match options.get("format")? {
            Some(value) => format_arg(&value, "loadJourney", "options.format")?,
            None => Format::Json,
        };
        let max_bytes = match options.get("maxBytes")? {
            Some(value) => max_bytes_arg(&value)?,
            None => DEFAULT_MAX_BYTES,
        };
        let journey = load(&data, format, max_bytes, "loadJourney")?;
        Ok(to_js(&journey)?)
    })
}

/// Writes a journey as text: `"json"` (default), `"yaml"`, `"mermaid"` or `"csv"`.
#[wasm_bindgen(js_name = dumpJourney)]
pub fn dump_journey(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Format")] format: Option<JsValue>,
) -> Result<String, JsValue> {
    run(|| {
        let format = match format.filter(|f| !f.is_null()) {
            Some(value) => format_arg(&value, "dumpJourney", "format")?,
            None => Format::Json,
        };
        let journey = journey_from_js(&journey, "dumpJourney")?;
        Ok(cjm_core::write_journey(&journey, format)?)
    })
}

/// What writing the journey in a format drops (empty for JSON and YAML), e.g.
/// `["3 pain points", "to-be state"]` for Mermaid: call it before `dumpJourney` to warn users.
#[wasm_bindgen(js_name = conversionLosses, unchecked_return_type = "string[]")]
pub fn conversion_losses(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Format")] format: JsValue,
) -> Result<JsValue, JsValue> {
    run(|| {
        let format = format_arg(&format, "conversionLosses", "format")?;
        let journey = journey_from_js(&journey, "conversionLosses")?;
        Ok(to_js(&cjm_core::conversion_losses(&journey, format))?)
    })
}

/// Every problem in a journey, errors and warnings, in document order. Throws only when the
/// value is not a journey at all (`kind: "parse"`) or an option is wrong (`kind: "usage"`).
#[wasm_bindgen(js_name = validateJourney, unchecked_return_type = "Problem[]")]
pub fn validate_journey(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateJourneyOptions")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = validate_options(options, "validateJourney")?;
        let journey = journey_from_js(&journey, "validateJourney")?;
        Ok(to_js(&cjm_core::validate(&journey, &options))?)
    })
}

/// Like `validateJourney`, but throws a `CjmError` with `code: "invalid_journey"` and every
/// problem in `.problems` when there is at least one error. Returns the warnings.
#[wasm_bindgen(js_name = checkJourney, unchecked_return_type = "Problem[]")]
pub fn check_journey(
    #[wasm_bindgen(unchecked_param_type = "Journey")] journey: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateJourneyOptions")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    run(|| {
        let options = validate_options(options, "checkJourney")?;
        let journey = journey_from_js(&journey, "checkJourney")?;
        let warnings = cjm_core::check(&journey, &options)?;
        Ok(to_js(&warnings)?)
    })
}

/// Reads text or bytes in one format and writes them in another, e.g. YAML to Mermaid.
#[wasm_bindgen(js_name = convertJourney)]
pub fn convert_journey(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Format")] from: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Format")] to: JsValue,
) -> Result<String, JsValue> {
    run(|| {
        let from = format_arg(&from, "convertJourney", "from")?;
        let to = format_arg(&to, "convertJourney", "to")?;
        let journey = load(&data, from, DEFAULT_MAX_BYTES, "convertJourney")?;
        Ok(cjm_core::write_journey(&journey, to)?)
    })
}

/// The JSON Schema (draft 2020-12) of the journey file format.
#[wasm_bindgen(js_name = journeySchema, unchecked_return_type = "Record<string, unknown>")]
pub fn journey_schema() -> Result<JsValue, JsValue> {
    run(|| Ok(to_js(&cjm_core::journey_schema())?))
}

/// The JSON Schema of the other values the API exchanges (problems, errors, options).
#[wasm_bindgen(js_name = apiSchema, unchecked_return_type = "Record<string, unknown>")]
pub fn api_schema() -> Result<JsValue, JsValue> {
    run(|| Ok(to_js(&cjm_core::api_schema())?))
}

/// A new journey from a template: `"classic"` (default; awareness → loyalty) or `"ecommerce"`,
/// in `"en"` (default) or `"ru"`.
#[wasm_bindgen(js_name = newJourney, unchecked_return_type = "Journey")]
pub fn new_journey(
    #[wasm_bindgen(unchecked_optional_param_type = "\"classic\" | \"ecommerce\"")] template: Option<
        JsValue,
    >,
    #[wasm_bindgen(unchecked_optional_param_type = "\"en\" | \"ru\"")] lang: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    run(|| {
        let template = optional_string(template, "newJourney", "template")?;
        let lang = optional_string(lang, "newJourney", "lang")?;
        let journey = cjm_core::template(
            template.as_deref().unwrap_or("classic"),
            lang.as_deref().unwrap_or("en"),
        )?;
        Ok(to_js(&journey)?)
    })
}

/// The version of cjm this package was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

// ---------------------------------------------------------------------------------------------
// Arguments and options

/// Code of errors about the call's own arguments and options (thrown as `TypeError`), the same
/// code cjm-node uses.
const INVALID_ARGUMENT: ErrorCode = ErrorCode::InvalidArgument;

fn invalid_argument(message: String) -> CjmError {
    CjmError::usage(INVALID_ARGUMENT, message)
}

fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_string()
    } else if Array::is_array(value) {
        "an array".to_string()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// An options object: `undefined`/`null` for all defaults, otherwise an object whose keys are
/// all known (a misspelt option is an error, not silently ignored).
struct Options(Option<JsValue>);

impl Options {
    fn read(options: Option<JsValue>, function: &str, known: &[&str]) -> Res<Options> {
        let Some(options) = options.filter(|o| !o.is_null()) else {
            return Ok(Options(None));
        };
        if !options.is_object() || Array::is_array(&options) || options.is_function() {
            return Err(invalid_argument(format!(
                "{function}: options must be an object, got {}",
                type_name(&options)
            ))
            .into());
        }
        let keys = object_keys(&options).map_err(Failure::Js)?;
        for key in keys.iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                return Err(invalid_argument(format!(
                    "{function}: unknown option {key:?}; known options: {}",
                    known.join(", ")
                ))
                .into());
            }
        }
        Ok(Options(Some(options)))
    }

    /// The option's value, `None` when absent or `undefined`.
    fn get_raw(&self, key: &str) -> Res<Option<JsValue>> {
        let Some(options) = &self.0 else {
            return Ok(None);
        };
        let value = Reflect::get(options, &JsValue::from_str(key)).map_err(Failure::Js)?;
        Ok((!value.is_undefined()).then_some(value))
    }

    /// The option's value, `None` when absent, `undefined` or `null` (not given).
    fn get(&self, key: &str) -> Res<Option<JsValue>> {
        Ok(self.get_raw(key)?.filter(|value| !value.is_null()))
    }
}

fn format_arg(value: &JsValue, function: &str, what: &str) -> Res<Format> {
    match value.as_string() {
        Some(name) => Ok(Format::from_name(&name)?),
        None => Err(invalid_argument(format!(
            "{function}: {what} must be a format name (json, yaml, mermaid or csv), got {}",
            type_name(value)
        ))
        .into()),
    }
}

fn max_bytes_arg(value: &JsValue) -> Res<usize> {
    match value.as_f64() {
        Some(n) if n == f64::INFINITY => Ok(usize::MAX),
        // Fractions round down, as in cjm-node.
        Some(n) if n >= 0.0 => Ok(if n >= usize::MAX as f64 {
            usize::MAX
        } else {
            n as usize
        }),
        _ => Err(invalid_argument(format!(
            "loadJourney: options.maxBytes must be a number of bytes (0 or more), got {}",
            describe_number(value)
        ))
        .into()),
    }
}

fn describe_number(value: &JsValue) -> String {
    match value.as_f64() {
        Some(n) => format!("{n}"),
        None => type_name(value),
    }
}

fn optional_string(value: Option<JsValue>, function: &str, what: &str) -> Res<Option<String>> {
    match value.filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(value) => match value.as_string() {
            Some(text) => Ok(Some(text)),
            None => Err(invalid_argument(format!(
                "{function}: {what} must be a string, got {}",
                type_name(&value)
            ))
            .into()),
        },
    }
}

fn validate_options(options: Option<JsValue>, function: &str) -> Res<ValidateOptions> {
    let options = Options::read(options, function, &["today", "staleAfterDays"])?;
    validate_options_from(&options, function)
}

/// The `today` and `staleAfterDays` options (of `validateJourney`, `journeyHealth`, ...).
fn validate_options_from(options: &Options, function: &str) -> Res<ValidateOptions> {
    let today = match options.get_raw("today")? {
        None => Some(today()),
        Some(value) if value.is_null() => None,
        Some(value) => match value.as_string() {
            Some(date) => Some(date),
            None => {
                return Err(invalid_argument(format!(
                    "{function}: options.today must be a YYYY-MM-DD string or null, got {}",
                    type_name(&value)
                ))
                .into());
            }
        },
    };
    let mut stale_after_days = ValidateOptions::default().stale_after_days;
    if let Some(value) = options.get("staleAfterDays")? {
        stale_after_days = match value.as_f64() {
            Some(n) if (0.0..=f64::from(u32::MAX)).contains(&n) && n.fract() == 0.0 => n as u32,
            _ => {
                return Err(invalid_argument(format!(
                    "{function}: options.staleAfterDays must be a whole number of days (0 to {}), got {}",
                    u32::MAX,
                    describe_number(&value)
                ))
                .into());
            }
        };
    }
    Ok(ValidateOptions::checked(today, stale_after_days)?)
}

/// The current local date, YYYY-MM-DD.
fn today() -> String {
    let now = js_sys::Date::new_0();
    iso_date(now.get_full_year(), now.get_month() + 1, now.get_date())
}

fn iso_date(year: u32, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

// ---------------------------------------------------------------------------------------------
// Loading text and bytes

/// A JS string as Rust text; `Err` with its bytes, each lone surrogate encoded as the three
/// bytes Python's `surrogatepass` writes (`ED A0 80`…), when it is not well-formed UTF-16.
/// wasm-bindgen's conversion turns lone surrogates into U+FFFD silently, so only a string that
/// comes out holding U+FFFD is checked again, unit by unit.
pub(crate) fn js_text(js: &js_sys::JsString) -> Result<String, Vec<u8>> {
    let text = String::from(js);
    if !text.contains('\u{FFFD}') || js.is_valid_utf16() {
        return Ok(text);
    }
    Err(cjm_core::utf16_to_bytes(js.iter()))
}

fn load(data: &JsValue, format: Format, max_bytes: usize, function: &str) -> Res<Journey> {
    let options = LoadOptions { max_bytes };
    if let Some(text) = data.dyn_ref::<js_sys::JsString>() {
        // A JS string of n UTF-16 units is at least n bytes as UTF-8: refuse before copying it
        // into WASM memory, which never shrinks.
        let units = text.length() as usize;
        if units > max_bytes {
            return Err(too_large(units, max_bytes, true).into());
        }
        return Ok(match js_text(text) {
            Ok(text) => cjm_core::parse_journey_with(&text, format, &options)?,
            // Refused as invalid_utf8 at the surrogate's line and column, as in Python.
            Err(bytes) => cjm_core::parse_journey_bytes(&bytes, format, &options)?,
        });
    }
    let bytes = if let Some(bytes) = data.dyn_ref::<Uint8Array>() {
        bytes.clone()
    } else if let Some(buffer) = data.dyn_ref::<ArrayBuffer>() {
        Uint8Array::new(buffer)
    } else {
        return Err(invalid_argument(format!(
            "{function}: data must be a string or a Uint8Array, got {}",
            type_name(data)
        ))
        .into());
    };
    let length = bytes.length() as usize;
    if length > max_bytes {
        return Err(too_large(length, max_bytes, false).into());
    }
    Ok(cjm_core::parse_journey_bytes(
        &bytes.to_vec(),
        format,
        &options,
    )?)
}

/// The core's `input_too_large`, raised before the input is copied into WASM memory.
fn too_large(size: usize, max_bytes: usize, at_least: bool) -> CjmError {
    let size = if at_least {
        format!("at least {size}")
    } else {
        size.to_string()
    };
    CjmError::parse(
        ErrorCode::InputTooLarge,
        format!(
            "input is {size} bytes, more than the limit of {max_bytes} bytes; raise the size limit if this is intended"
        ),
        Location::default(),
    )
}

// ---------------------------------------------------------------------------------------------
// JS values -> journeys

/// Builds a journey from a JS object, read with `JSON.stringify`'s rules (the same as
/// cjm-node): own enumerable string keys, `toJSON()` honoured (a `Date` becomes its ISO string),
/// `undefined`, functions and symbols left out of objects and `null` in arrays, a `BigInt`
/// refused. Unlike JSON, NaN and ±Infinity are kept, so the validator reports them
/// (`non_finite_number`). A wrong type is reported with its JSON pointer, like
/// `cjm_core::journey_from_value`.
fn journey_from_js(value: &JsValue, function: &str) -> Res<Journey> {
    if !value.is_object() || Array::is_array(value) {
        return Err(invalid_argument(format!(
            "{function}: the journey must be an object, got {}",
            type_name(value)
        ))
        .into());
    }
    // Fast path for plain data: one string across the boundary, read by the core itself.
    let fast = plain_json_text(value, MAX_VALUES as u32);
    if let Some(text) = fast.as_string()
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(&text)
    {
        return Ok(cjm_core::journey_from_value(json)?);
    }
    if fast.as_f64() == Some(0.0) {
        return Err(too_many_values().into());
    }
    let mut reader = Reader {
        values: 0,
        path: String::new(),
    };
    Ok(cjm_core::journey_from_tree(reader.value(value, "", 0)?)?)
}

fn too_many_values() -> CjmError {
    CjmError::parse(
        ErrorCode::InputTooLarge,
        format!("the journey object holds more than {MAX_VALUES} values"),
        Location::default(),
    )
}

/// The careful reader: a JS value to a data tree by `JSON.stringify`'s rules, keeping NaN and
/// ±Infinity, bounded in depth and size, and re-throwing what a getter or proxy throws.
struct Reader {
    values: usize,
    /// JSON pointer of the value being read.
    path: String,
}

impl Reader {
    fn fail(&self, code: ErrorCode, message: String) -> Failure {
        Failure::Cjm(CjmError::parse(
            code,
            message,
            Location {
                path: (!self.path.is_empty()).then(|| self.path.clone()),
                line: None,
                column: None,
            },
        ))
    }

    fn count(&mut self) -> Res<()> {
        self.values += 1;
        if self.values > MAX_VALUES {
            return Err(too_many_values().into());
        }
        Ok(())
    }

    /// One value; `key` is its property name or index (handed to `toJSON`).
    fn value(&mut self, value: &JsValue, key: &str, depth: usize) -> Res<Value> {
        self.count()?;
        if value.is_object() {
            if depth >= MAX_DEPTH {
                return Err(self.fail(
                    ErrorCode::TooDeep,
                    format!(
                        "the journey object nests deeper than {MAX_DEPTH} levels (is it cyclic?)"
                    ),
                ));
            }
            let method = Reflect::get(value, &JsValue::from_str("toJSON")).map_err(Failure::Js)?;
            if let Some(method) = method.dyn_ref::<js_sys::Function>() {
                let replaced = method
                    .call1(value, &JsValue::from_str(key))
                    .map_err(Failure::Js)?;
                return self.after_to_json(&replaced, depth);
            }
            return self.after_to_json(value, depth);
        }
        self.leaf(value)
    }

    /// A value after `toJSON`: objects and arrays are read, other values as leaves.
    fn after_to_json(&mut self, value: &JsValue, depth: usize) -> Res<Value> {
        if Array::is_array(value) {
            self.array(value, depth)
        } else if value.is_object() {
            self.object(value, depth)
        } else if skipped(value) {
            Ok(Value::Null)
        } else {
            self.leaf(value)
        }
    }

    fn leaf(&self, value: &JsValue) -> Res<Value> {
        if value.is_null() || value.is_undefined() {
            Ok(Value::Null)
        } else if let Some(flag) = value.as_bool() {
            Ok(Value::Bool(flag))
        } else if let Some(number) = value.as_f64() {
            Ok(Value::Number(number_from_f64(number)))
        } else if let Some(text) = value.dyn_ref::<js_sys::JsString>() {
            match js_text(text) {
                Ok(text) => Ok(Value::String(text)),
                Err(_) => Err(self.fail(
                    ErrorCode::InvalidUtf8,
                    "string is not valid Unicode (lone surrogate)".to_string(),
                )),
            }
        } else if value.is_bigint() {
            Err(self.fail(
                ErrorCode::WrongType,
                "a BigInt is not journey data; use a number".to_string(),
            ))
        } else {
            Err(self.fail(
                ErrorCode::WrongType,
                format!("a {} is not journey data", type_name(value)),
            ))
        }
    }

    fn array(&mut self, value: &JsValue, depth: usize) -> Res<Value> {
        let length = Reflect::get(value, &JsValue::from_str("length"))
            .map_err(Failure::Js)?
            .as_f64()
            .unwrap_or(0.0) as u32;
        let mark = self.path.len();
        let mut items = Vec::new();
        for index in 0..length {
            let item = Reflect::get_u32(value, index).map_err(Failure::Js)?;
            let key = index.to_string();
            self.path.push('/');
            self.path.push_str(&key);
            let item = if skipped(&item) {
                self.count()?;
                Value::Null
            } else {
                self.value(&item, &key, depth + 1)?
            };
            self.path.truncate(mark);
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn object(&mut self, value: &JsValue, depth: usize) -> Res<Value> {
        let entries = object_entries(value).map_err(Failure::Js)?;
        let mark = self.path.len();
        let mut mapping = Mapping::new();
        for entry in entries.iter() {
            let entry: Array = Array::unchecked_from_js(entry);
            let key = entry.get(0).as_string().unwrap_or_default();
            let item: JsValue = entry.get(1);
            if skipped(&item) {
                continue;
            }
            self.path.push('/');
            self.path.push_str(&cjm_core::pointer_segment(&key));
            let item = self.value(&item, &key, depth + 1)?;
            self.path.truncate(mark);
            mapping.insert(Value::String(key), item);
        }
        Ok(Value::Mapping(mapping))
    }
}

/// What `JSON.stringify` leaves out of objects (and writes as `null` in arrays).
fn skipped(value: &JsValue) -> bool {
    value.is_undefined() || value.is_function() || value.is_symbol()
}

/// Whole numbers a JS number holds exactly become integers (so they fit integer fields such as
/// `format_version`); everything else, NaN and ±Infinity included, stays a float.
fn number_from_f64(number: f64) -> Number {
    if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER {
        Number::from(number as i64)
    } else {
        Number::from(number)
    }
}

// ---------------------------------------------------------------------------------------------
// Rust values -> JS values

/// Any serialisable value as plain JS data: objects, arrays, strings, numbers (NaN and
/// ±Infinity kept), booleans and `null`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, CjmError> {
    let tree = serde_yaml_ng::to_value(value).map_err(|e| {
        CjmError::usage(
            ErrorCode::SerializeFailed,
            format!("cannot convert the value to JS: {e}"),
        )
    })?;
    // Fast path: one JSON text and one `JSON.parse` instead of a boundary crossing per node.
    // JSON cannot carry NaN or ±Infinity, so trees holding them are built node by node.
    if all_finite(&tree)
        && let Ok(text) = serde_json::to_string(&tree)
        && let Ok(js) = js_sys::JSON::parse(&text)
    {
        return Ok(js);
    }
    tree_to_js(&tree)
}

fn all_finite(tree: &Value) -> bool {
    match tree {
        Value::Number(number) => number.as_f64().is_none_or(f64::is_finite),
        Value::Sequence(items) => items.iter().all(all_finite),
        Value::Mapping(mapping) => mapping.values().all(all_finite),
        Value::Tagged(tagged) => all_finite(&tagged.value),
        Value::Null | Value::Bool(_) | Value::String(_) => true,
    }
}

fn tree_to_js(tree: &Value) -> Result<JsValue, CjmError> {
    Ok(match tree {
        Value::Null => JsValue::NULL,
        Value::Bool(flag) => JsValue::from_bool(*flag),
        Value::Number(number) => JsValue::from_f64(number.as_f64().unwrap_or(f64::NAN)),
        Value::String(text) => JsValue::from_str(text),
        Value::Sequence(items) => {
            let array = Array::new_with_length(items.len() as u32);
            for (index, item) in items.iter().enumerate() {
                array.set(index as u32, tree_to_js(item)?);
            }
            array.into()
        }
        Value::Mapping(mapping) => {
            // Object.fromEntries defines own data properties, so a key such as "__proto__"
            // stays an ordinary key instead of replacing the object's prototype.
            let entries = Array::new_with_length(mapping.len() as u32);
            for (index, (key, item)) in mapping.iter().enumerate() {
                let key = match key {
                    Value::String(text) => JsValue::from_str(text),
                    other => {
                        return Err(CjmError::usage(
                            ErrorCode::SerializeFailed,
                            format!("cannot convert a map key {other:?} to JS"),
                        ));
                    }
                };
                let pair = Array::of2(&key, &tree_to_js(item)?);
                entries.set(index as u32, pair.into());
            }
            object_from_entries(&entries)
                .map_err(|_| {
                    CjmError::usage(
                        ErrorCode::SerializeFailed,
                        "cannot build a JS object".to_string(),
                    )
                })?
                .into()
        }
        Value::Tagged(tagged) => tree_to_js(&tagged.value)?,
    })
}

/// A JS `Error` named `CjmError` with the core's `code`, `kind`, `location` and `problems`.
fn js_error(error: &CjmError) -> JsValue {
    let info = error.info();
    // A wrong argument is a `TypeError`, as in cjm-node; every other failure an `Error` named
    // `CjmError`.
    let js: JsValue = if info.code == INVALID_ARGUMENT.as_str() {
        js_sys::TypeError::new(&info.message).into()
    } else {
        let js = js_sys::Error::new(&info.message);
        // Like the built-in errors' `name` (which sits on their prototype): not enumerable, so
        // the enumerable fields are exactly the core's ErrorInfo.
        let descriptor = Object::new();
        for (key, value) in [
            ("value", JsValue::from_str("CjmError")),
            ("writable", JsValue::TRUE),
            ("configurable", JsValue::TRUE),
        ] {
            let _ = Reflect::set(&descriptor, &JsValue::from_str(key), &value);
        }
        let _ = define_property(&js, "name", &descriptor);
        js.into()
    };
    let fields: [(&str, JsValue); 4] = [
        ("code", JsValue::from_str(&info.code)),
        ("kind", to_js(&info.kind).unwrap_or(JsValue::NULL)),
        ("location", to_js(&info.location).unwrap_or(JsValue::NULL)),
        ("problems", to_js(&info.problems).unwrap_or(JsValue::NULL)),
    ];
    for (key, value) in fields {
        // Setting a property on a fresh Error cannot fail.
        let _ = Reflect::set(&js, &JsValue::from_str(key), &value);
    }
    js
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_zero_padded() {
        assert_eq!(iso_date(2026, 1, 5), "2026-01-05");
        assert_eq!(iso_date(987, 12, 31), "0987-12-31");
    }

    #[test]
    fn whole_numbers_become_integers() {
        assert_eq!(number_from_f64(1.0).as_u64(), Some(1));
        assert_eq!(number_from_f64(-3.0).as_i64(), Some(-3));
        assert_eq!(number_from_f64(-0.0).as_i64(), Some(0));
        assert_eq!(number_from_f64(1.5).as_i64(), None);
        assert!(number_from_f64(f64::NAN).is_nan());
        assert!(number_from_f64(f64::INFINITY).is_infinite());
        assert_eq!(number_from_f64(1e300).as_i64(), None);
    }

    #[test]
    fn yaml_trees_keep_nan_through_the_model() {
        let tree: Value = serde_yaml_ng::from_str(
            "id: j\ntitle: T\nstages: [{id: s, name: S, touchpoints: [{id: t, name: N, emotions: [{score: .nan}]}]}]",
        )
        .unwrap();
        let journey: Journey = serde_yaml_ng::from_value(tree).unwrap();
        let problems = cjm_core::validate(&journey, &ValidateOptions::default());
        assert!(problems.iter().any(|p| p.code == "non_finite_number"
            && p.path == "/stages/0/touchpoints/0/emotions/0/score"));
        let back = serde_yaml_ng::to_value(&journey).unwrap();
        assert!(
            back["stages"][0]["touchpoints"][0]["emotions"][0]["score"]
                .as_f64()
                .is_some_and(f64::is_nan)
        );
    }
}
