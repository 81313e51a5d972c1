//! `cjm._cjm`: the native half of the Python package `cjm`.
//!
//! This crate only converts types and maps errors; every rule lives in `cjm-core`. Journeys
//! stay Rust values inside [`NativeJourney`]; plain data (dicts, lists, problems, schemas)
//! crosses the boundary as Python objects built straight from `serde_json::Value`s.
//! Errors become the exception classes of `cjm._errors` (`ParseError`, `ValidationError`, …),
//! built from the core's [`ErrorInfo`](cjm_core::ErrorInfo).

use cjm_core::{
    ApplyOptions, CjmError, DEFAULT_MAX_BYTES, EventLog, FORMAT_VERSION, Format, FrictionWeights,
    FunnelSpec, Journey, LoadOptions, Location, PathOptions, Plan, ReadOptions, RenderOptions,
    ReportOptions, SplitInput, TEMPLATE_LANGUAGES, TEMPLATE_NAMES, ValidateOptions, apply_events,
};
use numpy::PyReadonlyArray1;
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
            ..ValidateOptions::default()
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

/// A core result (`serde_json::to_value` of it) as plain Python data: the same serde
/// representation the CLI prints as JSON, so every front serialises results identically.
fn result_to_py<'py>(
    py: Python<'py>,
    value: serde_json::Result<Value>,
) -> PyResult<Bound<'py, PyAny>> {
    let value = value.map_err(|e| PyValueError::new_err(format!("cannot convert result: {e}")))?;
    value_to_py(py, &value)
}

/// Friction weights from plain data (`None`: the defaults). Keys the core does not know, and
/// values that are not finite numbers, are refused with `invalid_option`: a misspelt component
/// would otherwise be ignored without a word. Omitted components keep their defaults.
fn friction_weights(weights: Option<&Bound<'_, PyAny>>) -> cjm_core::Result<FrictionWeights> {
    let Some(obj) = weights.filter(|w| !w.is_none()) else {
        return Ok(FrictionWeights::default());
    };
    let value = PyReader { path: Vec::new() }
        .read(obj)
        .map_err(|e| CjmError::usage("invalid_option", format!("weights: {}", e.info().message)))?;
    FrictionWeights::from_value(value)
}

/// Validate options for health and scoring: `today` is checked (`invalid_option`).
fn checked_options(
    today: Option<String>,
    stale_after_days: u32,
) -> cjm_core::Result<ValidateOptions> {
    let options = ValidateOptions {
        today,
        stale_after_days,
        ..ValidateOptions::default()
    };
    options.check()?;
    Ok(options)
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

    /// What writing the journey in a format drops (empty for JSON and YAML).
    fn conversion_losses(&self, py: Python<'_>, format: &str) -> PyResult<Vec<String>> {
        let format = parse_format(format).or_raise(py)?;
        Ok(cjm_core::conversion_losses(&self.inner, format))
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

    /// The emotion curve of one persona, or of everyone (`persona=None`).
    #[pyo3(signature = (persona))]
    fn emotion_curve<'py>(
        &self,
        py: Python<'py>,
        persona: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let curve = cjm_core::emotion_curve(&self.inner, persona).or_raise(py)?;
        result_to_py(py, serde_json::to_value(&curve))
    }

    /// Everyone's curve first, then one per persona.
    fn emotion_curves<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let journey = &self.inner;
        let curves = py.detach(|| cjm_core::emotion_curves(journey));
        result_to_py(py, serde_json::to_value(&curves))
    }

    /// The friction report (every touchpoint, stage and the journey).
    #[pyo3(signature = (weights))]
    fn friction<'py>(
        &self,
        py: Python<'py>,
        weights: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let weights = friction_weights(weights).or_raise(py)?;
        let journey = &self.inner;
        let report = py.detach(|| cjm_core::friction(journey, &weights));
        result_to_py(py, serde_json::to_value(&report))
    }

    /// The ranked gaps, target statuses and persona divergence.
    fn gaps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let journey = &self.inner;
        let report = py.detach(|| cjm_core::analyze_gaps(journey));
        result_to_py(py, serde_json::to_value(&report))
    }

    /// The improvement plan (opportunities ranked, unaddressed pain points).
    fn plan<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let journey = &self.inner;
        let plan = py.detach(|| cjm_core::plan(journey, &cjm_core::analyze_gaps(journey)));
        result_to_py(py, serde_json::to_value(&plan))
    }

    /// Journey health as of `today` (YYYY-MM-DD).
    #[pyo3(signature = (today, stale_after_days, weights))]
    fn health<'py>(
        &self,
        py: Python<'py>,
        today: Option<String>,
        stale_after_days: u32,
        weights: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = checked_options(today, stale_after_days).or_raise(py)?;
        let weights = friction_weights(weights).or_raise(py)?;
        let journey = &self.inner;
        let health = py.detach(|| cjm_core::health(journey, &options, &weights));
        result_to_py(py, serde_json::to_value(&health))
    }

    /// Health, friction and curves in one report (what `cjm score --format json` prints).
    #[pyo3(signature = (today, stale_after_days, weights))]
    fn score<'py>(
        &self,
        py: Python<'py>,
        today: Option<String>,
        stale_after_days: u32,
        weights: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = checked_options(today, stale_after_days).or_raise(py)?;
        let weights = friction_weights(weights).or_raise(py)?;
        let journey = &self.inner;
        let report = py.detach(|| cjm_core::score(journey, &options, &weights));
        result_to_py(py, serde_json::to_value(&report))
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

/// As-is against to-be: emotion, friction and metric deltas and where the to-be map is worse.
#[pyfunction]
#[pyo3(signature = (as_is, to_be, weights))]
fn compare<'py>(
    py: Python<'py>,
    as_is: &NativeJourney,
    to_be: &NativeJourney,
    weights: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let weights = friction_weights(weights).or_raise(py)?;
    let (before, after) = (&as_is.inner, &to_be.inner);
    let comparison = py.detach(|| cjm_core::compare_journeys(before, after, &weights));
    result_to_py(py, serde_json::to_value(&comparison))
}

/// A plan (as `NativeJourney.plan` returns it) as CSV text, formula-like cells neutralised.
#[pyfunction]
fn plan_csv(py: Python<'_>, plan: &Bound<'_, PyAny>) -> PyResult<String> {
    let value = PyReader { path: Vec::new() }.read(plan).or_raise(py)?;
    let plan: Plan = serde_json::from_value(value)
        .map_err(|e| CjmError::usage("invalid_option", format!("not a plan: {e}")))
        .or_raise(py)?;
    Ok(cjm_core::plan_csv(&plan))
}

/// Net Promoter Score from 0–10 answers.
#[pyfunction]
fn nps(py: Python<'_>, responses: Vec<f64>) -> PyResult<Bound<'_, PyAny>> {
    let result = cjm_core::nps(&responses).or_raise(py)?;
    result_to_py(py, serde_json::to_value(&result))
}

/// CSAT (top-2-box) from 1–5 answers.
#[pyfunction]
fn csat(py: Python<'_>, responses: Vec<f64>) -> PyResult<Bound<'_, PyAny>> {
    let result = cjm_core::csat(&responses).or_raise(py)?;
    result_to_py(py, serde_json::to_value(&result))
}

/// CES 2.0 from 1–7 answers.
#[pyfunction]
fn ces(py: Python<'_>, responses: Vec<f64>) -> PyResult<Bound<'_, PyAny>> {
    let result = cjm_core::ces(&responses).or_raise(py)?;
    result_to_py(py, serde_json::to_value(&result))
}

/// `x2/n2 − x1/n1` with Newcombe's interval and Fisher's exact test or the z-test, as the funnel
/// comparisons compute it; `None` when a side has no trials or more successes than trials.
#[pyfunction]
fn two_proportions(
    py: Python<'_>,
    x1: u64,
    n1: u64,
    x2: u64,
    n2: u64,
) -> PyResult<Bound<'_, PyAny>> {
    let result = cjm_core::two_proportions(x1, n1, x2, n2);
    result_to_py(py, serde_json::to_value(&result))
}

/// Wilson 95 % interval of `successes` of `n` as `(low, high)` shares (for oracle tests).
#[pyfunction]
fn wilson_interval(successes: u64, n: u64) -> Option<(f64, f64)> {
    cjm_core::wilson_interval(successes, n).map(|i| (i.low, i.high))
}

/// Two-sided p-value of Fisher's exact test for `x1` of `n1` against `x2` of `n2`.
#[pyfunction]
fn fisher_exact(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    cjm_core::fisher_exact_two_sided(x1, n1, x2, n2)
}

/// The `p` quantile of Student's t with `df` degrees of freedom.
#[pyfunction]
fn student_t_quantile(p: f64, df: f64) -> Option<f64> {
    cjm_core::student_t_quantile(p, df)
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// Plain data (a dict of options) as a core options struct; bad fields are `invalid_option`.
fn options_from_py<T: serde::de::DeserializeOwned>(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> cjm_core::Result<T> {
    let value = match obj.filter(|o| !o.is_none()) {
        Some(obj) => PyReader { path: Vec::new() }.read(obj).map_err(|e| {
            CjmError::usage("invalid_option", format!("{what}: {}", e.info().message))
        })?,
        None => Value::Object(Map::new()),
    };
    serde_json::from_value(value)
        .map_err(|e| CjmError::usage("invalid_option", format!("{what}: {e}")))
}

/// The journey map as SVG.
#[pyfunction]
#[pyo3(signature = (journey, options))]
fn render_svg(
    py: Python<'_>,
    journey: &NativeJourney,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let options: RenderOptions = options_from_py(options, "render options").or_raise(py)?;
    let journey = &journey.inner;
    py.detach(|| cjm_core::render_svg(journey, &options))
        .or_raise(py)
}

/// One drawing as SVG: `map`, `curve`, `friction`, or `comparison` (with `to_be`).
#[pyfunction]
#[pyo3(signature = (journey, chart, options, to_be = None))]
fn render_chart(
    py: Python<'_>,
    journey: &NativeJourney,
    chart: &str,
    options: Option<&Bound<'_, PyAny>>,
    to_be: Option<&NativeJourney>,
) -> PyResult<String> {
    let options: RenderOptions = options_from_py(options, "render options").or_raise(py)?;
    let chart = cjm_core::Chart::from_name(chart).or_raise(py)?;
    let (journey, to_be) = (&journey.inner, to_be.map(|t| &t.inner));
    py.detach(|| cjm_core::render_chart(journey, chart, to_be, &options))
        .or_raise(py)
}

/// The funnel chart as SVG (`result`: a `FunnelResult` dict).
#[pyfunction]
#[pyo3(signature = (result, options))]
fn render_funnel(
    py: Python<'_>,
    result: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let result: cjm_core::FunnelResult =
        options_from_py(Some(result), "funnel result").or_raise(py)?;
    let options: RenderOptions = options_from_py(options, "render options").or_raise(py)?;
    py.detach(|| cjm_core::render_funnel_svg(&result, &options))
        .or_raise(py)
}

/// The self-contained HTML report; `funnel` (a `FunnelResult` dict) adds a funnel section.
#[pyfunction]
#[pyo3(signature = (journey, options, today, to_be, funnel = None))]
fn report_html(
    py: Python<'_>,
    journey: &NativeJourney,
    options: Option<&Bound<'_, PyAny>>,
    today: Option<String>,
    to_be: Option<&NativeJourney>,
    funnel: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let render: RenderOptions = options_from_py(options, "render options").or_raise(py)?;
    if let Some(day) = &today {
        checked_options(Some(day.clone()), 180).or_raise(py)?;
    }
    let funnel: Option<cjm_core::FunnelResult> = match funnel.filter(|f| !f.is_none()) {
        Some(f) => Some(options_from_py(Some(f), "funnel result").or_raise(py)?),
        None => None,
    };
    let options = ReportOptions {
        render,
        today,
        to_be: to_be.map(|j| j.inner.clone()),
        funnel,
    };
    let journey = &journey.inner;
    py.detach(|| cjm_core::render_report_html(journey, &options))
        .or_raise(py)
}

// ---------------------------------------------------------------------------------------------
// Event logs

/// An event log held as a Rust value (columns); built once, analysed by several calls.
#[pyclass(frozen, module = "cjm._cjm", name = "NativeEventLog")]
struct NativeEventLog {
    inner: EventLog,
}

fn codes(array: &PyReadonlyArray1<'_, i32>, column: &str) -> cjm_core::Result<Vec<u32>> {
    let slice = array.as_slice().map_err(|_| {
        CjmError::usage(
            "invalid_option",
            format!("column {column}: array is not contiguous"),
        )
    })?;
    slice
        .iter()
        .enumerate()
        .map(|(row, code)| {
            u32::try_from(*code).map_err(|_| {
                CjmError::usage(
                    "invalid_option",
                    format!("column {column}: negative code at row {}", row + 1),
                )
            })
        })
        .collect()
}

fn contiguous<'a, T: numpy::Element>(
    array: &'a PyReadonlyArray1<'_, T>,
    column: &str,
) -> cjm_core::Result<&'a [T]> {
    array.as_slice().map_err(|_| {
        CjmError::usage(
            "invalid_option",
            format!("column {column}: array is not contiguous"),
        )
    })
}

/// A timestamp column from numpy: int64 (milliseconds, or epoch numbers) or float64 (epoch
/// numbers).
#[derive(FromPyObject)]
enum TimeArray<'py> {
    Integers(PyReadonlyArray1<'py, i64>),
    Floats(PyReadonlyArray1<'py, f64>),
}

/// Builds a log from numpy arrays: user ids (int64; with `user_names`, codes into them), times
/// (int64 typed timestamps in `typed_unit`, milliseconds by default, each checked against the
/// years 1900-2200; with `time_unit`, int64 or float64 epoch numbers in that unit —
/// `auto`, `s`, `ms`, `us`, `ns` — read by the core's rule, errors naming `time_column`: its
/// name and number from 1), event codes (int32) into `event_names`, segments as (name, int32
/// codes, values) and an optional `value` column (float64, column number `value_column`:
/// NaN is no value, an infinity the data error `invalid_value`). No row goes through Python
/// objects.
#[pyfunction]
#[pyo3(signature = (users, times, events, event_names, user_names, segments, values, time_unit = None, time_column = ("timestamp".to_string(), 2), typed_unit = None, value_column = None))]
#[allow(clippy::too_many_arguments)]
fn event_log_from_columns(
    py: Python<'_>,
    users: PyReadonlyArray1<'_, i64>,
    times: TimeArray<'_>,
    events: PyReadonlyArray1<'_, i32>,
    event_names: Vec<String>,
    user_names: Option<Vec<String>>,
    segments: Vec<(String, PyReadonlyArray1<'_, i32>, Vec<String>)>,
    values: Option<PyReadonlyArray1<'_, f64>>,
    time_unit: Option<&str>,
    time_column: (String, u64),
    typed_unit: Option<&str>,
    value_column: Option<u64>,
) -> PyResult<NativeEventLog> {
    let users = contiguous(&users, "user_id").or_raise(py)?;
    let column = cjm_core::TimeColumn {
        name: &time_column.0,
        number: Some(time_column.1),
    };
    let unit = time_unit
        .map(cjm_core::TimeUnit::from_name)
        .transpose()
        .or_raise(py)?;
    let typed_unit = typed_unit
        .map(cjm_core::TimeUnit::from_name)
        .transpose()
        .or_raise(py)?;
    let times: Vec<i64> = match (&times, unit) {
        // Typed timestamps as the integers of their own unit (milliseconds when none is
        // named): converted without overflow and checked against the years 1900-2200.
        (TimeArray::Integers(values), None) => {
            let values = contiguous(values, "timestamp").or_raise(py)?;
            let unit = typed_unit.unwrap_or(cjm_core::TimeUnit::Milliseconds);
            cjm_core::typed_column_to_ms(values, unit, column).or_raise(py)?
        }
        (TimeArray::Integers(numbers), Some(unit)) => {
            let numbers = contiguous(numbers, "timestamp").or_raise(py)?;
            cjm_core::epoch_column_to_ms(numbers, unit, column).or_raise(py)?
        }
        (TimeArray::Floats(numbers), Some(unit)) => {
            let numbers = contiguous(numbers, "timestamp").or_raise(py)?;
            cjm_core::epoch_float_column_to_ms(numbers, unit, column).or_raise(py)?
        }
        (TimeArray::Floats(_), None) => {
            return Err(raise(
                py,
                &CjmError::usage(
                    "invalid_option",
                    "float timestamps are epoch numbers: give their time_unit",
                ),
            ));
        }
    };
    let events = codes(&events, "event").or_raise(py)?;
    let mut columns = Vec::with_capacity(segments.len());
    for (name, array, names) in &segments {
        columns.push((
            name.clone(),
            codes(array, name).or_raise(py)?,
            names.clone(),
        ));
    }
    let values = match &values {
        Some(v) => Some(contiguous(v, "value").or_raise(py)?),
        None => None,
    };
    let inner = py
        .detach(|| -> cjm_core::Result<EventLog> {
            let mut log = EventLog::from_owned_columns(users, times, events, event_names)?;
            if let Some(names) = &user_names {
                log.name_users_by_code(names);
            }
            for (name, codes, names) in columns {
                log.add_segment(&name, codes, names)?;
            }
            if let Some(values) = values {
                if values.len() != log.len() {
                    return Err(CjmError::usage(
                        "invalid_option",
                        "the value column differs in length".to_string(),
                    ));
                }
                if let Some(row) = values.iter().position(|v| v.is_infinite()) {
                    return Err(CjmError::Data {
                        code: "invalid_value",
                        message: format!(
                            "row {}: value {} is not a finite number",
                            row + 1,
                            values[row]
                        ),
                        location: Location {
                            path: None,
                            line: Some(row as u64 + 1),
                            column: value_column,
                        },
                    });
                }
                log.value = Some(values.to_vec());
            }
            Ok(log)
        })
        .or_raise(py)?;
    Ok(NativeEventLog { inner })
}

/// A Python progress callback called from Rust work running without the GIL: it takes the GIL
/// for each call, at most ten times a second (and always for the final report); an exception
/// it raises is kept, and cancels the work, to be raised again by the caller.
struct PyProgress {
    callback: Py<PyAny>,
    error: Option<PyErr>,
    last: Option<std::time::Instant>,
}

impl PyProgress {
    fn report(&mut self, progress: cjm_core::Progress) -> bool {
        let now = std::time::Instant::now();
        let last = progress.done >= progress.total;
        if !last
            && self
                .last
                .is_some_and(|t| now.duration_since(t) < std::time::Duration::from_millis(100))
        {
            return true;
        }
        self.last = Some(now);
        Python::attach(|py| {
            let value = serde_json::to_value(progress).unwrap_or(Value::Null);
            let result = value_to_py(py, &value).and_then(|arg| self.callback.call1(py, (arg,)));
            match result {
                // Only an explicit False cancels; None (no return) goes on.
                Ok(returned) => !returned.bind(py).is(PyBool::new(py, false)),
                Err(error) => {
                    self.error = Some(error);
                    false
                }
            }
        })
    }

    /// The exception to raise for a failed job: the callback's own, else the core's error.
    fn failure(&mut self, py: Python<'_>, error: &CjmError) -> PyErr {
        match self.error.take() {
            Some(raised) if error.code() == "cancelled" => raised,
            _ => raise(py, error),
        }
    }
}

/// The event-log format a path's extension names (`csv`, `ndjson`, `parquet`), by the core's
/// rule (the CLI's and Node's); an unknown extension is `unsupported_format`.
#[pyfunction]
fn event_format_of(py: Python<'_>, path: &str) -> PyResult<&'static str> {
    Ok(cjm_core::EventFormat::from_path(path).or_raise(py)?.name())
}

/// Reads a CSV (`csv`) or newline-delimited JSON (`ndjson`) event log from UTF-8 bytes,
/// reporting progress (`{phase, unit, done, total}` dicts) to `progress` if given.
#[pyfunction]
#[pyo3(signature = (data, format, skip_bad_rows = false, progress = None, time_unit = "auto"))]
fn read_event_log(
    py: Python<'_>,
    data: &[u8],
    format: &str,
    skip_bad_rows: bool,
    progress: Option<Py<PyAny>>,
    time_unit: &str,
) -> PyResult<NativeEventLog> {
    let options = ReadOptions {
        skip_bad_rows,
        time_unit: cjm_core::TimeUnit::from_name(time_unit).or_raise(py)?,
    };
    let format = cjm_core::EventFormat::from_name(format).or_raise(py)?;
    let mut sink = progress.map(|callback| PyProgress {
        callback,
        error: None,
        last: None,
    });
    let result = py.detach(|| {
        let mut report = sink.as_mut().map(|sink| |p| sink.report(p));
        cjm_core::read_events_with(data, format, &options, cjm_core::progress_fn(&mut report))
    });
    match (result, sink) {
        (Ok(inner), _) => Ok(NativeEventLog { inner }),
        (Err(error), Some(mut sink)) => Err(sink.failure(py, &error)),
        (Err(error), None) => Err(raise(py, &error)),
    }
}

#[pymethods]
impl NativeEventLog {
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    #[getter]
    fn skipped_rows(&self) -> u64 {
        self.inner.skipped_rows
    }

    #[getter]
    fn users(&self) -> usize {
        self.inner.user_ids.len()
    }

    #[getter]
    fn segments(&self) -> Vec<String> {
        self.inner.segments.iter().map(|s| s.name.clone()).collect()
    }

    /// A funnel (`spec`: a `FunnelSpec` dict), computed on `threads` threads, reporting its
    /// progress (users done) to `progress` if given.
    #[pyo3(signature = (spec, threads, progress = None))]
    fn funnel<'py>(
        &self,
        py: Python<'py>,
        spec: &Bound<'py, PyAny>,
        threads: usize,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let spec: FunnelSpec = options_from_py(Some(spec), "funnel").or_raise(py)?;
        let log = &self.inner;
        let mut sink = progress.map(|callback| PyProgress {
            callback,
            error: None,
            last: None,
        });
        let result = py.detach(|| {
            let mut report = sink.as_mut().map(|sink| |p| sink.report(p));
            cjm_core::funnel_state_with(log, &spec, threads, cjm_core::progress_fn(&mut report))
                .map(|s| s.finish())
        });
        let result = match (result, sink) {
            (Ok(result), _) => result,
            (Err(error), Some(mut sink)) => return Err(sink.failure(py, &error)),
            (Err(error), None) => return Err(raise(py, &error)),
        };
        result_to_py(py, serde_json::to_value(&result))
    }

    /// The directly-follows graph, of events or (with a journey) of touchpoints.
    #[pyo3(signature = (journey, options))]
    fn paths<'py>(
        &self,
        py: Python<'py>,
        journey: Option<&NativeJourney>,
        options: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options: PathOptions = options_from_py(Some(options), "paths").or_raise(py)?;
        let (log, journey) = (&self.inner, journey.map(|j| &j.inner));
        let result = py
            .detach(|| cjm_core::paths(log, journey, &options))
            .or_raise(py)?;
        result_to_py(py, serde_json::to_value(&result))
    }

    /// A funnel compared between two segments or two periods (`split`: a `Split` dict).
    #[pyo3(signature = (spec, split))]
    fn compare_funnel<'py>(
        &self,
        py: Python<'py>,
        spec: &Bound<'py, PyAny>,
        split: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let spec: FunnelSpec = options_from_py(Some(spec), "funnel").or_raise(py)?;
        let split: SplitInput = options_from_py(Some(split), "split").or_raise(py)?;
        let split = split.resolve().or_raise(py)?;
        let log = &self.inner;
        let result = py
            .detach(|| cjm_core::compare_funnel(log, &spec, &split))
            .or_raise(py)?;
        result_to_py(py, serde_json::to_value(&result))
    }

    /// Repeat purchases.
    fn loyalty<'py>(&self, py: Python<'py>, purchase_event: &str) -> PyResult<Bound<'py, PyAny>> {
        let log = &self.inner;
        let result = py
            .detach(|| cjm_core::loyalty(log, purchase_event))
            .or_raise(py)?;
        result_to_py(py, serde_json::to_value(&result))
    }

    /// The journey with the measured numbers written in, and what was done.
    #[pyo3(signature = (journey, options))]
    fn apply<'py>(
        &self,
        py: Python<'py>,
        journey: &NativeJourney,
        options: &Bound<'py, PyAny>,
    ) -> PyResult<(NativeJourney, Bound<'py, PyAny>)> {
        let options: ApplyOptions = options_from_py(Some(options), "apply").or_raise(py)?;
        let (log, journey) = (&self.inner, &journey.inner);
        let (inner, report) = py
            .detach(|| apply_events(journey, log, &options))
            .or_raise(py)?;
        Ok((
            NativeJourney { inner },
            result_to_py(py, serde_json::to_value(&report))?,
        ))
    }
}

#[pymodule]
fn _cjm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeJourney>()?;
    m.add_class::<NativeEventLog>()?;
    m.add_function(wrap_pyfunction!(event_log_from_columns, m)?)?;
    m.add_function(wrap_pyfunction!(read_event_log, m)?)?;
    m.add_function(wrap_pyfunction!(render_svg, m)?)?;
    m.add_function(wrap_pyfunction!(render_chart, m)?)?;
    m.add_function(wrap_pyfunction!(render_funnel, m)?)?;
    m.add_function(wrap_pyfunction!(report_html, m)?)?;
    m.add_function(wrap_pyfunction!(loads, m)?)?;
    m.add_function(wrap_pyfunction!(from_dict, m)?)?;
    m.add_function(wrap_pyfunction!(convert, m)?)?;
    m.add_function(wrap_pyfunction!(template, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(api_schema, m)?)?;
    m.add_function(wrap_pyfunction!(format_from_path, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(plan_csv, m)?)?;
    m.add_function(wrap_pyfunction!(nps, m)?)?;
    m.add_function(wrap_pyfunction!(csat, m)?)?;
    m.add_function(wrap_pyfunction!(ces, m)?)?;
    m.add_function(wrap_pyfunction!(event_format_of, m)?)?;
    m.add_function(wrap_pyfunction!(two_proportions, m)?)?;
    m.add_function(wrap_pyfunction!(wilson_interval, m)?)?;
    m.add_function(wrap_pyfunction!(fisher_exact, m)?)?;
    m.add_function(wrap_pyfunction!(student_t_quantile, m)?)?;
    let formats: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
    m.add("FORMATS", PyTuple::new(m.py(), formats)?)?;
    m.add("TEMPLATE_NAMES", PyTuple::new(m.py(), TEMPLATE_NAMES)?)?;
    m.add(
        "TEMPLATE_LANGUAGES",
        PyTuple::new(m.py(), TEMPLATE_LANGUAGES)?,
    )?;
    m.add("DEFAULT_MAX_BYTES", DEFAULT_MAX_BYTES)?;
    m.add(
        "DEFAULT_STALE_AFTER_DAYS",
        cjm_core::DEFAULT_STALE_AFTER_DAYS,
    )?;
    m.add(
        "DEFAULT_MAX_OUTPUT_BYTES",
        cjm_core::DEFAULT_MAX_OUTPUT_BYTES,
    )?;
    m.add("FORMAT_VERSION", FORMAT_VERSION)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
