//! Plain Python data <-> `serde_json::Value`, and the option readers built on it: dicts,
//! lists, problems and results cross the boundary as Python objects built straight from JSON
//! values, and plain data is read back (checked) as JSON values for the core.

use cjm_core::ErrorCode;
use cjm_core::{CjmError, Format, FrictionWeights, Location, ValidateOptions};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// How deep plain Python data may nest before it is refused with `too_deep` (the same limit
/// serde_json applies to JSON text).
const MAX_DEPTH: usize = 128;

/// Builds Python objects from a JSON value (dicts keep the value's key order).
pub(crate) fn value_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, value_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Reads plain Python data (dict, list, tuple, str, int, float, bool, None) as a JSON value.
/// Anything else is a `wrong_type` parse error pointing at where it sits.
pub(crate) struct PyReader {
    pub(crate) path: Vec<String>,
}

impl PyReader {
    fn pointer(&self) -> String {
        self.path.iter().map(|s| format!("/{s}")).collect()
    }

    fn fail(&self, code: ErrorCode, message: String) -> CjmError {
        let pointer = self.pointer();
        let location = if pointer.is_empty() {
            Location::default()
        } else {
            Location::pointer(pointer)
        };
        CjmError::parse(code, message, location)
    }

    pub(crate) fn read(&mut self, obj: &Bound<'_, PyAny>) -> Result<Value, CjmError> {
        if self.path.len() > MAX_DEPTH {
            return Err(self.fail(
                ErrorCode::TooDeep,
                format!("data nests more than {MAX_DEPTH} levels deep"),
            ));
        }
        if obj.is_none() {
            return Ok(Value::Null);
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return Ok(Value::Bool(b.is_true()));
        }
        if obj.is_instance_of::<PyInt>() {
            if let Ok(i) = obj.extract::<i64>() {
                return Ok(Value::from(i));
            }
            if let Ok(u) = obj.extract::<u64>() {
                return Ok(Value::from(u));
            }
            // Like a long integer literal in JSON text: read as the nearest float.
            return match obj.extract::<f64>() {
                Ok(f) => Ok(Value::from(f)),
                Err(_) => Err(self.fail(ErrorCode::WrongType, "integer is too large".to_string())),
            };
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            let value = f.value();
            return Number::from_f64(value).map(Value::Number).ok_or_else(|| {
                self.fail(
                    ErrorCode::NonFiniteNumber,
                    format!("{value} is not a finite number; journeys hold finite numbers only"),
                )
            });
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return match s.to_cow() {
                Ok(text) => Ok(Value::String(text.into_owned())),
                Err(_) => Err(self.fail(
                    ErrorCode::InvalidUtf8,
                    "string is not valid Unicode (lone surrogate)".to_string(),
                )),
            };
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            let mut map = Map::with_capacity(dict.len());
            for (key, item) in dict.iter() {
                let Ok(key) = key.cast::<PyString>() else {
                    return Err(self.fail(
                        ErrorCode::WrongType,
                        format!("dict keys must be strings, not {}", type_name(&key)),
                    ));
                };
                let key = key.to_cow().map_err(|_| {
                    self.fail(
                        ErrorCode::InvalidUtf8,
                        "dict key is not valid Unicode".to_string(),
                    )
                })?;
                self.path.push(cjm_core::pointer_segment(&key));
                let value = self.read(&item)?;
                self.path.pop();
                map.insert(key.into_owned(), value);
            }
            return Ok(Value::Object(map));
        }
        let items = if let Ok(list) = obj.cast::<PyList>() {
            list.iter().collect::<Vec<_>>()
        } else if let Ok(tuple) = obj.cast::<PyTuple>() {
            tuple.iter().collect::<Vec<_>>()
        } else {
            return Err(self.fail(
                ErrorCode::WrongType,
                format!(
                    "cannot use a {} value: use dict, list, str, int, float, bool or None",
                    type_name(obj)
                ),
            ));
        };
        let mut array = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            self.path.push(index.to_string());
            array.push(self.read(item)?);
            self.path.pop();
        }
        Ok(Value::Array(array))
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "unknown".to_string())
}

pub(crate) fn parse_format(name: &str) -> cjm_core::Result<Format> {
    Format::from_name(name)
}

pub(crate) fn validate_options(
    today: Option<String>,
    stale_after_days: Option<u32>,
) -> ValidateOptions {
    match stale_after_days {
        Some(days) => ValidateOptions {
            today,
            stale_after_days: days,
            ..ValidateOptions::default()
        },
        None => ValidateOptions {
            today: None,
            ..ValidateOptions::default()
        },
    }
}

pub(crate) fn problems_to_py<'py>(
    py: Python<'py>,
    problems: &[cjm_core::Problem],
) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(problems)
        .map_err(|e| PyValueError::new_err(format!("cannot convert problems: {e}")))?;
    value_to_py(py, &value)
}

/// A core result (`serde_json::to_value` of it) as plain Python data: the same serde
/// representation the CLI prints as JSON, so every front serialises results identically.
pub(crate) fn result_to_py<'py>(
    py: Python<'py>,
    value: serde_json::Result<Value>,
) -> PyResult<Bound<'py, PyAny>> {
    let value = value.map_err(|e| PyValueError::new_err(format!("cannot convert result: {e}")))?;
    value_to_py(py, &value)
}

/// Friction weights from plain data (`None`: the defaults). Keys the core does not know, and
/// values that are not finite numbers, are refused with `invalid_option`: a misspelt component
/// would otherwise be ignored without a word. Omitted components keep their defaults.
pub(crate) fn friction_weights(
    weights: Option<&Bound<'_, PyAny>>,
) -> cjm_core::Result<FrictionWeights> {
    let Some(obj) = weights.filter(|w| !w.is_none()) else {
        return Ok(FrictionWeights::default());
    };
    let value = PyReader { path: Vec::new() }.read(obj).map_err(|e| {
        CjmError::usage(
            ErrorCode::InvalidOption,
            format!("weights: {}", e.info().message),
        )
    })?;
    FrictionWeights::from_value(value)
}

/// Validate options for health and scoring: `today` is checked (`invalid_option`).
pub(crate) fn checked_options(
    today: Option<String>,
    stale_after_days: u32,
) -> cjm_core::Result<ValidateOptions> {
    ValidateOptions::checked(today, stale_after_days)
}

/// Plain data (a dict of options) as a core options struct; bad fields are `invalid_option`.
pub(crate) fn options_from_py<T: serde::de::DeserializeOwned>(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> cjm_core::Result<T> {
    let value = match obj.filter(|o| !o.is_none()) {
        Some(obj) => PyReader { path: Vec::new() }.read(obj).map_err(|e| {
            CjmError::usage(
                ErrorCode::InvalidOption,
                format!("{what}: {}", e.info().message),
            )
        })?,
        None => Value::Object(Map::new()),
    };
    serde_json::from_value(value)
        .map_err(|e| CjmError::usage(ErrorCode::InvalidOption, format!("{what}: {e}")))
}
