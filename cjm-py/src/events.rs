//! Event logs: the `NativeEventLog` handle, read from anything exporting the Arrow C stream
//! interface (tables and DataFrames) or from CSV, NDJSON or Parquet bytes, with progress
//! reports, and its analyses (funnel, paths, comparisons, loyalty, apply).

use arrow_array::RecordBatchReader;
use arrow_array::ffi_stream::RecordBatchStreamReader;
use arrow_schema::ArrowError;
use cjm_core::ErrorCode;
use cjm_core::{
    ApplyOptions, CjmError, EventLog, FunnelSpec, Location, PathOptions, ReadOptions, SplitInput,
    apply_events,
};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyCapsule};
use serde_json::Value;

use crate::convert::{options_from_py, result_to_py, value_to_py};
use crate::error::{OrRaise, raise};
use crate::journey::NativeJourney;

/// An event log held as a Rust value (columns); built once, analysed by several calls.
#[pyclass(frozen, module = "cjm._cjm", name = "NativeEventLog")]
pub(crate) struct NativeEventLog {
    inner: EventLog,
}

/// Reads a log from anything that exports the Arrow C stream interface (a pyarrow Table or
/// RecordBatchReader, a polars or pandas DataFrame, a DuckDB relation, …): the batches are
/// imported without copying and read by the core's Arrow reader, the one Parquet files go
/// through. `total_rows`, when known, is what progress counts up to.
#[pyfunction]
#[pyo3(signature = (table, total_rows = None, skip_bad_rows = false, progress = None, time_unit = "auto", columns = None))]
pub(crate) fn read_arrow(
    py: Python<'_>,
    table: &Bound<'_, PyAny>,
    total_rows: Option<u64>,
    skip_bad_rows: bool,
    progress: Option<Py<PyAny>>,
    time_unit: &str,
    columns: Option<&Bound<'_, PyAny>>,
) -> PyResult<NativeEventLog> {
    let options = ReadOptions {
        skip_bad_rows,
        time_unit: cjm_core::TimeUnit::from_name(time_unit).or_raise(py)?,
        columns: options_from_py(columns, "columns").or_raise(py)?,
    };
    let capsule = table.call_method0("__arrow_c_stream__")?;
    let capsule = capsule.cast::<PyCapsule>()?;
    let stream = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
    // SAFETY: the capsule holds an ArrowArrayStream (its name says so); from_raw moves the
    // stream out and leaves a released one behind for the capsule's destructor.
    let reader = unsafe { RecordBatchStreamReader::from_raw(stream.as_ptr().cast()) }
        .map_err(|error| raise(py, &stream_error(error, 1)))?;
    let schema = reader.schema();
    let inner = with_progress(py, progress, |report| {
        cjm_core::read_record_batches(
            &schema,
            reader,
            total_rows,
            true,
            &options,
            report,
            &stream_error,
        )
    })?;
    Ok(NativeEventLog { inner })
}

/// Runs `job` without the GIL, reporting its progress to the Python callback `progress` if
/// given: the callback's own exception is raised when it cancelled the job, the core's error
/// otherwise.
fn with_progress<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    job: impl FnOnce(Option<cjm_core::ProgressFn>) -> cjm_core::Result<T> + Send,
) -> PyResult<T> {
    let mut sink = progress.map(|callback| PyProgress {
        callback,
        error: None,
        last: None,
    });
    let result = py.detach(|| {
        let mut report = sink.as_mut().map(|sink| |p| sink.report(p));
        job(cjm_core::progress_fn(&mut report))
    });
    match (result, sink) {
        (Ok(value), _) => Ok(value),
        (Err(error), Some(mut sink)) => Err(sink.failure(py, &error)),
        (Err(error), None) => Err(raise(py, &error)),
    }
}

/// The error for an Arrow stream that fails to deliver its schema or a batch.
fn stream_error(error: ArrowError, row: u64) -> CjmError {
    CjmError::Data {
        code: ErrorCode::InvalidValue,
        message: format!("the table could not be read from row {row} on: {error}"),
        location: Location {
            path: None,
            line: Some(row),
            column: None,
        },
    }
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
#[pyo3(signature = (data, format, skip_bad_rows = false, progress = None, time_unit = "auto", columns = None))]
pub(crate) fn read_event_log(
    py: Python<'_>,
    data: &[u8],
    format: &str,
    skip_bad_rows: bool,
    progress: Option<Py<PyAny>>,
    time_unit: &str,
    columns: Option<&Bound<'_, PyAny>>,
) -> PyResult<NativeEventLog> {
    let options = ReadOptions {
        skip_bad_rows,
        time_unit: cjm_core::TimeUnit::from_name(time_unit).or_raise(py)?,
        columns: options_from_py(columns, "columns").or_raise(py)?,
    };
    let format = cjm_core::EventFormat::from_name(format).or_raise(py)?;
    let inner = with_progress(py, progress, |report| {
        cjm_core::read_events_with(data, format, &options, report)
    })?;
    Ok(NativeEventLog { inner })
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
        let result = with_progress(py, progress, |report| {
            cjm_core::funnel_state_with(log, &spec, threads, report).map(|s| s.finish())
        })?;
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

    /// Retention by cohort (`spec`: a `RetentionSpec` as a dict).
    fn retention<'py>(
        &self,
        py: Python<'py>,
        spec: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let spec: cjm_core::RetentionSpec =
            options_from_py(Some(spec), "retention").or_raise(py)?;
        let log = &self.inner;
        let result = py.detach(|| cjm_core::retention(log, &spec)).or_raise(py)?;
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
