//! Event logs: the `NativeEventLog` handle, built from numpy columns (DataFrames and Arrow
//! tables, split into columns by the Python half) or read from CSV, NDJSON or Parquet bytes with
//! progress reports, and its analyses (funnel, paths, comparisons, loyalty, apply).

use cjm_core::ErrorCode;
use cjm_core::{
    ApplyOptions, CjmError, EventLog, FunnelSpec, Location, PathOptions, ReadOptions, SplitInput,
    apply_events,
};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyBool;
use serde_json::Value;

use crate::convert::{options_from_py, result_to_py, value_to_py};
use crate::error::{OrRaise, raise};
use crate::journey::NativeJourney;

/// An event log held as a Rust value (columns); built once, analysed by several calls.
#[pyclass(frozen, module = "cjm._cjm", name = "NativeEventLog")]
pub(crate) struct NativeEventLog {
    inner: EventLog,
}

fn codes(array: &PyReadonlyArray1<'_, i32>, column: &str) -> cjm_core::Result<Vec<u32>> {
    let slice = array.as_slice().map_err(|_| {
        CjmError::usage(
            ErrorCode::InvalidOption,
            format!("column {column}: array is not contiguous"),
        )
    })?;
    slice
        .iter()
        .enumerate()
        .map(|(row, code)| {
            u32::try_from(*code).map_err(|_| {
                CjmError::usage(
                    ErrorCode::InvalidOption,
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
            ErrorCode::InvalidOption,
            format!("column {column}: array is not contiguous"),
        )
    })
}

/// A timestamp column from numpy: int64 (milliseconds, or epoch numbers) or float64 (epoch
/// numbers).
#[derive(FromPyObject)]
pub(crate) enum TimeArray<'py> {
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
pub(crate) fn event_log_from_columns(
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
                    ErrorCode::InvalidOption,
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
                        ErrorCode::InvalidOption,
                        "the value column differs in length".to_string(),
                    ));
                }
                if let Some(row) = values.iter().position(|v| v.is_infinite()) {
                    return Err(CjmError::Data {
                        code: ErrorCode::InvalidValue,
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
pub(crate) fn event_format_of(py: Python<'_>, path: &str) -> PyResult<&'static str> {
    Ok(cjm_core::EventFormat::from_path(path).or_raise(py)?.name())
}

/// Reads a CSV (`csv`) or newline-delimited JSON (`ndjson`) event log from UTF-8 bytes,
/// reporting progress (`{phase, unit, done, total}` dicts) to `progress` if given.
#[pyfunction]
#[pyo3(signature = (data, format, skip_bad_rows = false, progress = None, time_unit = "auto"))]
pub(crate) fn read_event_log(
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
