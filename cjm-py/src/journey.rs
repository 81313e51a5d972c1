//! The journey handle (`NativeJourney`) and the journey-level functions: reading, writing,
//! converting, templates, schemas, comparison and the plan as CSV.

use cjm_core::{DEFAULT_MAX_BYTES, Format, Journey, LoadOptions};
use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::{
    PyReader, checked_options, friction_weights, parse_format, problems_to_py, result_to_py,
    validate_options, value_to_py,
};
use crate::error::OrRaise;

/// An immutable journey held as a Rust value; the Python class `cjm.Journey` wraps it.
#[pyclass(frozen, module = "cjm._cjm", name = "NativeJourney")]
pub(crate) struct NativeJourney {
    pub(crate) inner: Journey,
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

/// Reads a journey from UTF-8 bytes in a format, refusing inputs over `max_bytes`.
#[pyfunction]
#[pyo3(signature = (data, format, max_bytes = None))]
pub(crate) fn loads(
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
pub(crate) fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<NativeJourney> {
    let value = PyReader { path: Vec::new() }.read(data).or_raise(py)?;
    let inner = cjm_core::journey_from_value(value).or_raise(py)?;
    Ok(NativeJourney { inner })
}

/// Reads `data` in one format and writes it in another.
#[pyfunction]
#[pyo3(signature = (data, from_format, to_format, max_bytes = None))]
pub(crate) fn convert(
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
pub(crate) fn template(py: Python<'_>, name: &str, lang: &str) -> PyResult<NativeJourney> {
    let inner = cjm_core::template(name, lang).or_raise(py)?;
    Ok(NativeJourney { inner })
}

/// The JSON Schema of the journey file format.
#[pyfunction]
pub(crate) fn schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    value_to_py(py, &cjm_core::journey_schema())
}

/// The JSON Schema of the API values (problems, errors, options).
#[pyfunction]
pub(crate) fn api_schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    value_to_py(py, &cjm_core::api_schema())
}

/// The format a file name's extension stands for.
#[pyfunction]
pub(crate) fn format_from_path(py: Python<'_>, path: &str) -> PyResult<&'static str> {
    Ok(Format::from_path(path).or_raise(py)?.name())
}

/// As-is against to-be: emotion, friction and metric deltas and where the to-be map is worse.
#[pyfunction]
#[pyo3(signature = (as_is, to_be, weights))]
pub(crate) fn compare<'py>(
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

/// A result (as the other functions return it) as the table of `kind` (`funnel`, `plan`, …):
/// `{"columns": [{"name", "type", "values"}]}`, the table every front shows.
#[pyfunction]
pub(crate) fn result_table<'py>(
    py: Python<'py>,
    kind: &str,
    result: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let table = table_of(kind, result).or_raise(py)?;
    result_to_py(py, serde_json::to_value(&table))
}

/// The table of `kind` of a result as CSV text, formula-like cells neutralised.
#[pyfunction]
pub(crate) fn table_csv(py: Python<'_>, kind: &str, result: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(cjm_core::table_csv(&table_of(kind, result).or_raise(py)?))
}

fn table_of(kind: &str, result: &Bound<'_, PyAny>) -> cjm_core::Result<cjm_core::Table> {
    let kind = cjm_core::TableKind::from_name(kind)?;
    let value = PyReader { path: Vec::new() }.read(result)?;
    cjm_core::result_table(kind, &value)
}
