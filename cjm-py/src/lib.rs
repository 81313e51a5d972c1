//! `cjm._cjm`: the native half of the Python package `cjm`.
//!
//! This crate only converts types and maps errors; every rule lives in `cjm-core`. Journeys
//! stay Rust values inside [`NativeJourney`](journey::NativeJourney); plain data (dicts, lists,
//! problems, schemas) crosses the boundary as Python objects built straight from
//! `serde_json::Value`s. Errors become the exception classes of `cjm._errors` (`ParseError`,
//! `ValidationError`, …), built from the core's [`ErrorInfo`](cjm_core::ErrorInfo).
//!
//! Modules: [`error`] (core errors as exceptions), [`convert`] (Python data <-> JSON values and
//! option readers), [`journey`] (the journey handle and journey functions), [`events`] (event
//! logs and their analyses), [`render`] (SVG and the HTML report), [`stats`] (survey metrics and
//! statistics).

mod convert;
mod error;
mod events;
mod journey;
mod render;
mod stats;

use cjm_core::{DEFAULT_MAX_BYTES, FORMAT_VERSION, Format, TEMPLATE_LANGUAGES, TEMPLATE_NAMES};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

#[pymodule]
fn _cjm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<journey::NativeJourney>()?;
    m.add_class::<events::NativeEventLog>()?;
    m.add_function(wrap_pyfunction!(events::read_event_log, m)?)?;
    m.add_function(wrap_pyfunction!(events::read_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(render::render_svg, m)?)?;
    m.add_function(wrap_pyfunction!(render::render_chart, m)?)?;
    m.add_function(wrap_pyfunction!(render::render_funnel, m)?)?;
    m.add_function(wrap_pyfunction!(render::report_html, m)?)?;
    m.add_function(wrap_pyfunction!(journey::loads, m)?)?;
    m.add_function(wrap_pyfunction!(journey::from_dict, m)?)?;
    m.add_function(wrap_pyfunction!(journey::convert, m)?)?;
    m.add_function(wrap_pyfunction!(journey::template, m)?)?;
    m.add_function(wrap_pyfunction!(journey::schema, m)?)?;
    m.add_function(wrap_pyfunction!(journey::api_schema, m)?)?;
    m.add_function(wrap_pyfunction!(journey::format_from_path, m)?)?;
    m.add_function(wrap_pyfunction!(journey::compare, m)?)?;
    m.add_function(wrap_pyfunction!(journey::result_table, m)?)?;
    m.add_function(wrap_pyfunction!(journey::table_csv, m)?)?;
    m.add_function(wrap_pyfunction!(stats::nps, m)?)?;
    m.add_function(wrap_pyfunction!(stats::csat, m)?)?;
    m.add_function(wrap_pyfunction!(stats::ces, m)?)?;
    m.add_function(wrap_pyfunction!(events::event_format_of, m)?)?;
    m.add_function(wrap_pyfunction!(stats::two_proportions, m)?)?;
    m.add_function(wrap_pyfunction!(stats::wilson_interval, m)?)?;
    m.add_function(wrap_pyfunction!(stats::fisher_exact, m)?)?;
    m.add_function(wrap_pyfunction!(stats::student_t_quantile, m)?)?;
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
