//! Plain-data arguments (option objects, funnel specs, splits, survey answers) read into the
//! core's types, with the same rules as journeys (`JSON.stringify`'s) and cjm-node's checks:
//! snake_case keys as in `docs/types/cjm.d.ts`, unknown keys refused, non-finite numbers refused.

use js_sys::{Array, ArrayBuffer, Reflect};
use serde_json::Value as Json;
use wasm_bindgen::{JsCast, JsValue};

use crate::{
    Failure, MAX_VALUES, Options, Reader, Res, invalid_argument, plain_json_text, too_many_values,
    type_name,
};

/// A JS value as JSON data, read by `JSON.stringify`'s rules. NaN and ±Infinity are refused
/// (`invalid_argument`, naming their path): options and specs have no use for them.
pub(crate) fn plain_json(value: &JsValue, function: &str, name: &str) -> Res<Json> {
    let fast = plain_json_text(value, MAX_VALUES as u32);
    if let Some(text) = fast.as_string()
        && let Ok(json) = serde_json::from_str::<Json>(&text)
    {
        return Ok(json);
    }
    if fast.as_f64() == Some(0.0) {
        return Err(too_many_values().into());
    }
    let mut reader = Reader {
        values: 0,
        path: String::new(),
    };
    let (json, non_finite) = cjm_core::tree_to_json(&reader.value(value, "", 0)?);
    match non_finite.first() {
        Some(path) => Err(invalid_argument(format!(
            "{function}: {name}{path} must be a finite number, not NaN or Infinity"
        ))
        .into()),
        None => Ok(json),
    }
}

/// A plain-data argument as one of the core's types. `known` lists the top-level keys
/// accepted, so that a misspelt key does not pass silently.
pub(crate) fn data<T: serde::de::DeserializeOwned>(
    value: &JsValue,
    function: &str,
    name: &str,
    known: &[&str],
) -> Res<T> {
    if !value.is_object() || Array::is_array(value) || value.is_function() {
        return Err(invalid_argument(format!(
            "{function}: {name} must be an object, got {}",
            type_name(value)
        ))
        .into());
    }
    let json = plain_json(value, function, name)?;
    if let Json::Object(map) = &json
        && let Some(key) = map.keys().find(|k| !known.contains(&k.as_str()))
    {
        return Err(invalid_argument(format!(
            "{function}: unknown key {key:?} in {name}; the keys are {}",
            known.join(", ")
        ))
        .into());
    }
    serde_json::from_value(json)
        .map_err(|e| invalid_argument(format!("{function}: {name}: {e}")).into())
}

/// Like [`data`] for a type with defaults: the accepted keys are those of `T::default()`, and
/// `undefined`/`null` give the defaults.
pub(crate) fn optional_data<T>(value: Option<JsValue>, function: &str, name: &str) -> Res<T>
where
    T: serde::de::DeserializeOwned + serde::Serialize + Default,
{
    match value.filter(|v| !v.is_null() && !v.is_undefined()) {
        Some(value) => {
            let known = cjm_core::js_options::option_keys::<T>();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            data(&value, function, name, &known)
        }
        None => Ok(T::default()),
    }
}

/// An option holding a string; `undefined` and `null` mean "not given".
pub(crate) fn option_string(options: &Options, key: &str, function: &str) -> Res<Option<String>> {
    match options.get(key)? {
        None => Ok(None),
        Some(value) => match value.as_string() {
            Some(text) => Ok(Some(text)),
            None => Err(invalid_argument(format!(
                "{function}: options.{key} must be a string, got {}",
                type_name(&value)
            ))
            .into()),
        },
    }
}

/// Survey answers: an array of numbers or a numeric typed array (`Float64Array`,
/// `Uint8Array`, …). Whether each answer is on the scale is the core's call
/// (`invalid_response`, with the answer's position).
pub(crate) fn responses(value: &JsValue, function: &str) -> Res<Vec<f64>> {
    let is_typed = ArrayBuffer::is_view(value) && !value.is_instance_of::<js_sys::DataView>();
    if !Array::is_array(value) && !is_typed {
        return Err(invalid_argument(format!(
            "{function}: responses must be an array of numbers or a typed array, got {}",
            type_name(value)
        ))
        .into());
    }
    let length = Reflect::get(value, &JsValue::from_str("length"))
        .map_err(Failure::Js)?
        .as_f64()
        .unwrap_or(0.0);
    if length > MAX_VALUES as f64 {
        return Err(too_many_values().into());
    }
    let length = length as u32;
    let mut answers = Vec::with_capacity(length as usize);
    for index in 0..length {
        let item = Reflect::get_u32(value, index).map_err(Failure::Js)?;
        match item.as_f64() {
            Some(number) => answers.push(number),
            None => {
                return Err(invalid_argument(format!(
                    "{function}: responses[{index}] must be a number, got {}",
                    type_name(&item)
                ))
                .into());
            }
        }
    }
    Ok(answers)
}
