//! Rendering: the journey map and the other charts as SVG, the funnel chart, the HTML report.

use cjm_core::{RenderOptions, ReportOptions};
use pyo3::prelude::*;

use crate::convert::{checked_options, options_from_py};
use crate::error::OrRaise;
use crate::journey::NativeJourney;

/// The journey map as SVG.
#[pyfunction]
#[pyo3(signature = (journey, options))]
pub(crate) fn render_svg(
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
pub(crate) fn render_chart(
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
pub(crate) fn render_funnel(
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
pub(crate) fn report_html(
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
