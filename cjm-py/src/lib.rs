//! `cjm._cjm`: the native half of the Python package `cjm`.
//!
//! This crate only converts types and maps errors; every rule lives in `cjm-core`. Journeys
//! stay Rust values inside [`NativeJourney`]; plain data (dicts, lists, problems, schemas)
//! crosses the boundary as Python objects built straight from `serde_json::Value`s.
//! Errors become the exception classes of `cjm._errors` (`ParseError`, `ValidationError`, …),
//! built from the core's [`ErrorInfo`](cjm_core::ErrorInfo).

use cjm_core::{
    CjmError, DEFAULT_MAX_BYTES, FORMAT_VERSION, Format, Journey, LoadOptions, Location,
    TEMPLATE_LANGUAGES, TEMPLATE_NAMES, ValidateOptions,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// How deep plain Python data may nest before it is refused with `too_deep` (the same limit
/// serde_json applies to JSON text).
const MAX_DEPTH: usize = 128;

// ---------------------------------------------------------------------------------------------
// Errors

/// Turns a core error into the matching `cjm` exception (`cjm._errors._from_info`).
fn raise(py: Python<'_>, error: &CjmError) -> PyErr {
    let info = error.info();
    let build = || -> PyResult<PyErr> {
        let value = serde_json::to_value(&info)
            .map_err(|e| PyValueError::new_err(format!("cannot describe error: {e}")))?;
        let info = value_to_py(py, &value)?;
        let from_info = py.import("cjm._errors")?.getattr("_from_info")?;
        Ok(PyErr::from_value(from_info.call1((info,))?))
    };
    // Without the Python half (the native module imported on its own) fall back to ValueError.
    build().unwrap_or_else(|_| PyValueError::new_err(format!("[{}] {}", info.code, info.message)))
}

trait OrRaise<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for cjm_core::Result<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|error| raise(py, &error))
    }
}

// ---------------------------------------------------------------------------------------------
// serde_json::Value <-> Python objects

/// Builds Python objects from a JSON value (dicts keep the value's key order).
fn value_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
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
struct PyReader {
    path: Vec<String>,
}

impl PyReader {
    fn pointer(&self) -> String {
        self.path.iter().map(|s| format!("/{s}")).collect()
    }

    fn fail(&self, code: &'static str, message: String) -> CjmError {
        let pointer = self.pointer();
        let location = if pointer.is_empty() {
            Location::default()
        } else {
            Location::pointer(pointer)
        };
        CjmError::parse(code, message, location)
    }

    fn read(&mut self, obj: &Bound<'_, PyAny>) -> Result<Value, CjmError> {
        if self.path.len() > MAX_DEPTH {
            return Err(self.fail(
                "too_deep",
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
                Err(_) => Err(self.fail("wrong_type", "integer is too large".to_string())),
            };
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            let value = f.value();
            return Number::from_f64(value).map(Value::Number).ok_or_else(|| {
                self.fail(
                    "non_finite_number",
                    format!("{value} is not a finite number; journeys hold finite numbers only"),
                )
            });
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return match s.to_cow() {
                Ok(text) => Ok(Value::String(text.into_owned())),
                Err(_) => Err(self.fail(
                    "invalid_utf8",
                    "string is not valid Unicode (lone surrogate)".to_string(),
                )),
            };
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            let mut map = Map::with_capacity(dict.len());
            for (key, item) in dict.iter() {
                let Ok(key) = key.cast::<PyString>() else {
                    return Err(self.fail(
                        "wrong_type",
                        format!("dict keys must be strings, not {}", type_name(&key)),
                    ));
                };
                let key = key.to_cow().map_err(|_| {
                    self.fail("invalid_utf8", "dict key is not valid Unicode".to_string())
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
                "wrong_type",
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

fn parse_format(name: &str) -> cjm_core::Result<Format> {
    Format::from_name(name)
}

fn validate_options(today: Option<String>, stale_after_days: Option<u32>) -> ValidateOptions {
    match stale_after_days {
        Some(days) => ValidateOptions {
            today,
            stale_after_days: days,
        },
        None => ValidateOptions {
            today: None,
            ..ValidateOptions::default()
        },
    }
}

fn problems_to_py<'py>(
    py: Python<'py>,
    problems: &[cjm_core::Problem],
) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(problems)
        .map_err(|e| PyValueError::new_err(format!("cannot convert problems: {e}")))?;
    value_to_py(py, &value)
}

// ---------------------------------------------------------------------------------------------
// The journey handle

/// An immutable journey held as a Rust value; the Python class `cjm.Journey` wraps it.
#[pyclass(frozen, module = "cjm._cjm", name = "NativeJourney")]
struct NativeJourney {
    inner: Journey,
}

#[pymethods]
impl NativeJourney {
    /// The journey as plain data in the file format's shape.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = cjm_core::journey_to_value(&self.inner).or_raise(py)?;
        value_to_py(py, &value)
    }

    /// The journey written in a format (`json`, `yaml`, `mermaid`, `csv`).
    fn dumps(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        let format = parse_format(format).or_raise(py)?;
        let journey = &self.inner;
        py.detach(|| cjm_core::write_journey(journey, format))
            .or_raise(py)
    }

    /// Every problem as a list of dicts; `stale_after_days=None` skips the staleness check.
    #[pyo3(signature = (today, stale_after_days))]
    fn validate<'py>(
        &self,
        py: Python<'py>,
        today: Option<String>,
        stale_after_days: Option<u32>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = validate_options(today, stale_after_days);
        options.check().or_raise(py)?;
        let problems = cjm_core::validate(&self.inner, &options);
        problems_to_py(py, &problems)
    }

    /// Like `validate`, but raises `ValidationError` when there are errors.
    #[pyo3(signature = (today, stale_after_days))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        today: Option<String>,
        stale_after_days: Option<u32>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = validate_options(today, stale_after_days);
        options.check().or_raise(py)?;
        let problems = cjm_core::check(&self.inner, &options).or_raise(py)?;
        problems_to_py(py, &problems)
    }

    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }

    #[getter]
    fn description(&self) -> Option<&str> {
        self.inner.description.as_deref()
    }

    #[getter]
    fn owner(&self) -> Option<&str> {
        self.inner.owner.as_deref()
    }

    #[getter]
    fn updated(&self) -> Option<&str> {
        self.inner.updated.as_deref()
    }

    #[getter]
    fn state(&self) -> String {
        match serde_json::to_value(self.inner.state) {
            Ok(Value::String(s)) => s,
            _ => String::new(),
        }
    }

    #[getter]
    fn format_version(&self) -> u32 {
        self.inner.format_version
    }

    #[getter]
    fn tags(&self) -> Vec<String> {
        self.inner.tags.clone()
    }

    /// `(stages, touchpoints, personas)` counts, for `repr`.
    fn counts(&self) -> (usize, usize, usize) {
        (
            self.inner.stages.len(),
            self.inner.touchpoints().count(),
            self.inner.personas.len(),
        )
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

// ---------------------------------------------------------------------------------------------
// Functions

/// Reads a journey from UTF-8 bytes in a format, refusing inputs over `max_bytes`.
#[pyfunction]
#[pyo3(signature = (data, format, max_bytes = None))]
fn loads(
    py: Python<'_>,
    data: &[u8],
    format: &str,
    max_bytes: Option<usize>,
) -> PyResult<NativeJourney> {
    let format = parse_format(format).or_raise(py)?;
    let options = LoadOptions {
        max_bytes: max_bytes.unwrap_or(DEFAULT_MAX_BYTES),
    };
    let inner = py
        .detach(|| cjm_core::parse_journey_bytes(data, format, &options))
        .or_raise(py)?;
    Ok(NativeJourney { inner })
}

/// Builds a journey from plain data (what `NativeJourney.to_dict` returns).
#[pyfunction]
fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<NativeJourney> {
    let value = PyReader { path: Vec::new() }.read(data).or_raise(py)?;
    let inner = cjm_core::journey_from_value(value).or_raise(py)?;
    Ok(NativeJourney { inner })
}

/// Reads `data` in one format and writes it in another.
#[pyfunction]
#[pyo3(signature = (data, from_format, to_format, max_bytes = None))]
fn convert(
    py: Python<'_>,
    data: &[u8],
    from_format: &str,
    to_format: &str,
    max_bytes: Option<usize>,
) -> PyResult<String> {
    let from = parse_format(from_format).or_raise(py)?;
    let to = parse_format(to_format).or_raise(py)?;
    let options = LoadOptions {
        max_bytes: max_bytes.unwrap_or(DEFAULT_MAX_BYTES),
    };
    py.detach(|| {
        let journey = cjm_core::parse_journey_bytes(data, from, &options)?;
        cjm_core::write_journey(&journey, to)
    })
    .or_raise(py)
}

/// A new journey from a built-in template.
#[pyfunction]
fn template(py: Python<'_>, name: &str, lang: &str) -> PyResult<NativeJourney> {
    let inner = cjm_core::template(name, lang).or_raise(py)?;
    Ok(NativeJourney { inner })
}

/// The JSON Schema of the journey file format.
#[pyfunction]
fn schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    value_to_py(py, &cjm_core::journey_schema())
}

/// The JSON Schema of the API values (problems, errors, options).
#[pyfunction]
fn api_schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    value_to_py(py, &cjm_core::api_schema())
}

/// The format a file name's extension stands for.
#[pyfunction]
fn format_from_path(py: Python<'_>, path: &str) -> PyResult<&'static str> {
    Ok(Format::from_path(path).or_raise(py)?.name())
}

#[pymodule]
fn _cjm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeJourney>()?;
    m.add_function(wrap_pyfunction!(loads, m)?)?;
    m.add_function(wrap_pyfunction!(from_dict, m)?)?;
    m.add_function(wrap_pyfunction!(convert, m)?)?;
    m.add_function(wrap_pyfunction!(template, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(api_schema, m)?)?;
    m.add_function(wrap_pyfunction!(format_from_path, m)?)?;
    let formats: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
    m.add("FORMATS", PyTuple::new(m.py(), formats)?)?;
    m.add("TEMPLATE_NAMES", PyTuple::new(m.py(), TEMPLATE_NAMES)?)?;
    m.add(
        "TEMPLATE_LANGUAGES",
        PyTuple::new(m.py(), TEMPLATE_LANGUAGES)?,
    )?;
    m.add("DEFAULT_MAX_BYTES", DEFAULT_MAX_BYTES)?;
    m.add("FORMAT_VERSION", FORMAT_VERSION)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
