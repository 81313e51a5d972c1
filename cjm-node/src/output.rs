//! Results handed to JS as plain data (objects, arrays, strings, numbers).

use cjm_core::ErrorCode;
use cjm_core::{CjmError, Format, Journey, write_journey};
use std::ptr;

use napi::bindgen_prelude::{Null, ToNapiValue, TypeName};
use napi::{Status, ValueType, sys};

use crate::convert::{Tree, parse_json};
use crate::error::Outcome;

/// Anything serde can write, as the equivalent JS value.
pub fn json<T: serde::Serialize>(value: &T) -> napi::Result<JsonValue> {
    serde_json::to_value(value)
        .map(JsonValue)
        .map_err(|e| napi::Error::new(Status::GenericFailure, e.to_string()))
}

/// A `serde_json::Value` handed to JS.
pub struct JsonValue(pub serde_json::Value);

impl ToNapiValue for JsonValue {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        unsafe { serde_json::Value::to_napi_value(env, val.0) }
    }
}

impl TypeName for JsonValue {
    fn type_name() -> &'static str {
        "Object"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

/// A journey as a plain JS object in the file format.
pub enum JourneyValue {
    /// The journey as JSON text, handed to the engine's `JSON.parse` (far faster than building
    /// the object property by property).
    Json(String),
    /// A journey holding NaN or ±Infinity, which JSON cannot carry but JS numbers can.
    Tree(Tree),
}

impl JourneyValue {
    pub fn new(journey: &Journey) -> Outcome<Self> {
        match write_journey(journey, Format::Json) {
            Ok(text) => Ok(JourneyValue::Json(text)),
            // The core refuses non-finite numbers for JSON; JS keeps them as they are.
            Err(
                refused @ CjmError::Parse {
                    code: ErrorCode::NonFiniteNumber,
                    ..
                },
            ) => serde_yaml_ng::to_value(journey)
                .map(JourneyValue::Tree)
                .map_err(|_| refused.into()),
            Err(error) => Err(error.into()),
        }
    }
}

impl ToNapiValue for JourneyValue {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        match val {
            JourneyValue::Json(text) => parse_json(env, &text),
            JourneyValue::Tree(tree) => unsafe { tree_to_js(env, &tree) },
        }
    }
}

impl TypeName for JourneyValue {
    fn type_name() -> &'static str {
        "Journey"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

fn check(status: sys::napi_status) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(
            Status::from(status),
            "cannot build the journey object".to_string(),
        ))
    }
}

/// Recursion is bounded: the tree comes from a journey the core parsed or we read with depth
/// limits.
unsafe fn tree_to_js(env: sys::napi_env, tree: &Tree) -> napi::Result<sys::napi_value> {
    unsafe {
        match tree {
            Tree::Null => Null::to_napi_value(env, Null),
            Tree::Bool(b) => bool::to_napi_value(env, *b),
            Tree::Number(n) => f64::to_napi_value(env, n.as_f64().unwrap_or(f64::NAN)),
            Tree::String(s) => <&str>::to_napi_value(env, s.as_str()),
            Tree::Sequence(items) => {
                let mut array = ptr::null_mut();
                check(sys::napi_create_array_with_length(
                    env,
                    items.len(),
                    &mut array,
                ))?;
                for (index, item) in items.iter().enumerate() {
                    let value = tree_to_js(env, item)?;
                    check(sys::napi_set_element(env, array, index as u32, value))?;
                }
                Ok(array)
            }
            Tree::Mapping(map) => {
                let mut object = ptr::null_mut();
                check(sys::napi_create_object(env, &mut object))?;
                for (key, item) in map {
                    let key = <&str>::to_napi_value(env, key.as_str().unwrap_or_default())?;
                    let value = tree_to_js(env, item)?;
                    check(sys::napi_set_property(env, object, key, value))?;
                }
                Ok(object)
            }
            Tree::Tagged(tagged) => tree_to_js(env, &tagged.value),
        }
    }
}
