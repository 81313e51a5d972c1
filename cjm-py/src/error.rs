//! Core errors as Python exceptions: the classes of `cjm._errors` (`ParseError`,
//! `ValidationError`, …), built from the core's [`ErrorInfo`](cjm_core::ErrorInfo).

use cjm_core::CjmError;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::convert::value_to_py;

/// Turns a core error into the matching `cjm` exception (`cjm._errors._from_info`).
pub(crate) fn raise(py: Python<'_>, error: &CjmError) -> PyErr {
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

pub(crate) trait OrRaise<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for cjm_core::Result<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|error| raise(py, &error))
    }
}
