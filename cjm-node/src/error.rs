//! Turning core errors into JS `Error` objects with `code`, `kind`, `location` and `problems`,
//! and keeping Rust panics on this side of the boundary.

use cjm_core::ErrorCode;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use cjm_core::CjmError;
use napi::bindgen_prelude::{JsObjectValue, Object};
use napi::{Env, JsValue, Status, sys};

/// Code of errors about the call's own arguments (thrown as `TypeError`).
pub const INVALID_ARGUMENT: ErrorCode = ErrorCode::InvalidArgument;
/// Code of file-system failures, as the CLI reports them.
pub const IO: ErrorCode = ErrorCode::Io;
/// Code of a Rust panic caught at the boundary (a bug in cjm; never expected).
pub const INTERNAL: ErrorCode = ErrorCode::InternalError;

/// Why a call failed.
pub enum Failure {
    /// An error in cjm's terms; it becomes a JS `Error` with `code`, `kind`, `location`, `problems`.
    Cjm(CjmError),
    /// A napi failure or a JS exception that is already pending (e.g. a throwing getter);
    /// passed through as it is.
    Js(napi::Error),
}

impl From<CjmError> for Failure {
    fn from(error: CjmError) -> Self {
        Failure::Cjm(error)
    }
}

impl From<napi::Error> for Failure {
    fn from(error: napi::Error) -> Self {
        Failure::Js(error)
    }
}

pub type Outcome<T> = std::result::Result<T, Failure>;

/// A usage error about an argument of the call.
pub fn invalid_argument(message: impl Into<String>) -> Failure {
    Failure::Cjm(CjmError::usage(INVALID_ARGUMENT, message))
}

/// Runs `f`, turning a panic into an `internal_error` instead of letting it unwind into Node.
pub fn guard<T>(f: impl FnOnce() -> Outcome<T>) -> Outcome<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(Failure::Cjm(CjmError::usage(
            INTERNAL,
            format!("internal error in cjm (please report it): {detail}"),
        )))
    })
}

/// Runs `f` on the JS thread and converts its failure into the error napi throws.
pub fn run<T>(env: &Env, f: impl FnOnce() -> Outcome<T>) -> napi::Result<T> {
    guard(f).map_err(|failure| to_napi(env, failure))
}

/// The napi error to throw or reject with: for core errors, a real JS `Error` object carrying
/// the core's stable code, kind, location and problems.
pub fn to_napi(env: &Env, failure: Failure) -> napi::Error {
    match failure {
        Failure::Js(error) => error,
        Failure::Cjm(error) => match js_error(env, &error) {
            Ok(object) => napi::Error::from(object.to_unknown()),
            // Creating the object failed (out of memory?): fall back to a plain error.
            Err(_) => napi::Error::new(Status::GenericFailure, error.to_string()),
        },
    }
}

/// The JS `Error` for a core error with `cause` set to a JS value (what a callback threw).
pub fn with_cause(env: &Env, error: &CjmError, cause: napi::Unknown) -> napi::Error {
    match js_error(env, error) {
        Ok(mut object) => {
            if object.set_named_property("cause", cause).is_err() {
                // Setting a data property on a fresh object only fails when out of memory.
                return napi::Error::new(Status::GenericFailure, error.to_string());
            }
            // Without coercion: `cause` may be anything, e.g. a symbol, which cannot become text.
            napi::Error::from_unknown_without_coercion(object.to_unknown())
        }
        Err(_) => napi::Error::new(Status::GenericFailure, error.to_string()),
    }
}

fn js_error<'env>(env: &'env Env, error: &CjmError) -> napi::Result<Object<'env>> {
    let info = error.info();
    let message = env.create_string(&info.message)?;
    let code = env.create_string(&info.code)?;
    let mut raw = ptr::null_mut();
    let status = unsafe {
        if info.code == INVALID_ARGUMENT.as_str() {
            sys::napi_create_type_error(env.raw(), code.raw(), message.raw(), &mut raw)
        } else {
            sys::napi_create_error(env.raw(), code.raw(), message.raw(), &mut raw)
        }
    };
    if status != sys::Status::napi_ok {
        return Err(napi::Error::new(
            Status::from(status),
            "cannot create the error object".to_string(),
        ));
    }
    let mut object = Object::from_raw(env.raw(), raw);
    if info.code != INVALID_ARGUMENT.as_str() {
        object.set_named_property("name", "CjmError")?;
    }
    object.set_named_property("kind", crate::output::json(&info.kind)?)?;
    object.set_named_property("location", crate::output::json(&info.location)?)?;
    object.set_named_property("problems", crate::output::json(&info.problems)?)?;
    Ok(object)
}
