//! Survey metrics (NPS, CSAT, CES) and the statistics the funnel comparisons use, exposed for
//! oracle tests.

use pyo3::prelude::*;

use crate::convert::result_to_py;
use crate::error::OrRaise;

/// Net Promoter Score from 0–10 answers.
#[pyfunction]
pub(crate) fn nps(py: Python<'_>, responses: Vec<f64>) -> PyResult<Bound<'_, PyAny>> {
    let result = cjm_core::nps(&responses).or_raise(py)?;
    result_to_py(py, serde_json::to_value(&result))
}

/// CSAT (top-2-box) from 1–5 answers.
#[pyfunction]
pub(crate) fn csat(py: Python<'_>, responses: Vec<f64>) -> PyResult<Bound<'_, PyAny>> {
    let result = cjm_core::csat(&responses).or_raise(py)?;
    result_to_py(py, serde_json::to_value(&result))
}

/// CES 2.0 from 1–7 answers.
#[pyfunction]
pub(crate) fn ces(py: Python<'_>, responses: Vec<f64>) -> PyResult<Bound<'_, PyAny>> {
    let result = cjm_core::ces(&responses).or_raise(py)?;
    result_to_py(py, serde_json::to_value(&result))
}

/// `x2/n2 − x1/n1` with Newcombe's interval and Fisher's exact test or the z-test, as the funnel
/// comparisons compute it; `None` when a side has no trials or more successes than trials.
#[pyfunction]
pub(crate) fn two_proportions(
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
pub(crate) fn wilson_interval(successes: u64, n: u64) -> Option<(f64, f64)> {
    cjm_core::wilson_interval(successes, n).map(|i| (i.low, i.high))
}

/// Two-sided p-value of Fisher's exact test for `x1` of `n1` against `x2` of `n2`.
#[pyfunction]
pub(crate) fn fisher_exact(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    cjm_core::fisher_exact_two_sided(x1, n1, x2, n2)
}

/// The `p` quantile of Student's t with `df` degrees of freedom.
#[pyfunction]
pub(crate) fn student_t_quantile(p: f64, df: f64) -> Option<f64> {
    cjm_core::student_t_quantile(p, df)
}
