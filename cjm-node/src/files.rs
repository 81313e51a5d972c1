//! Reading and writing journey files on libuv's thread pool, off the JS thread.

use cjm_core::ErrorCode;
use std::fs::File;
use std::io::Read;

use cjm_core::{
    CjmError, Format, Journey, LoadOptions, Location, parse_journey_bytes, write_journey,
};
use napi::Env;
use napi::bindgen_prelude::Task;

use crate::error::{Failure, IO, guard};
use crate::output::JourneyValue;

fn io_error(action: &str, path: &str, error: std::io::Error) -> CjmError {
    CjmError::usage(IO, format!("cannot {action} {path:?}: {error}"))
}

/// Reads at most `max_bytes + 1` bytes, so a huge file is refused without reading it whole.
fn read_limited(path: &str, options: &LoadOptions) -> Result<Vec<u8>, CjmError> {
    let file = File::open(path).map_err(|e| io_error("open", path, e))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > options.max_bytes as u64 {
        return Err(CjmError::parse(
            ErrorCode::InputTooLarge,
            format!(
                "{path:?} is {size} bytes, more than the limit of {} bytes; raise maxBytes if this is intended",
                options.max_bytes
            ),
            Location::default(),
        ));
    }
    // The size is only a hint (the file may change): never reserve more than 64 MiB up front.
    let mut bytes = Vec::with_capacity(size.min(64 << 20) as usize);
    file.take((options.max_bytes as u64).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error("read", path, e))?;
    Ok(bytes)
}

/// `loadJourneyFile`: the arguments were already checked on the JS thread; a failure found
/// there is carried here so that the promise rejects rather than the call throwing.
pub struct LoadFile {
    pub request: Result<(String, Format, LoadOptions), CjmError>,
}

impl Task for LoadFile {
    type Output = Result<Journey, CjmError>;
    type JsValue = JourneyValue;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let request = std::mem::replace(
            &mut self.request,
            Err(CjmError::usage(crate::error::INTERNAL, "task ran twice")),
        );
        Ok(guard(|| {
            let (path, format, options) = request?;
            let bytes = read_limited(&path, &options)?;
            Ok(parse_journey_bytes(&bytes, format, &options)?)
        })
        .map_err(|failure| match failure {
            Failure::Cjm(error) => error,
            Failure::Js(error) => CjmError::usage(crate::error::INTERNAL, error.reason),
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        crate::error::run(&env, || JourneyValue::new(&output?))
    }
}

/// `saveJourneyFile`: the journey is read from JS on the JS thread; writing it out and the file
/// I/O happen here.
pub struct SaveFile {
    pub request: Result<(Journey, String, Format), CjmError>,
}

impl Task for SaveFile {
    type Output = Result<(), CjmError>;
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let request = std::mem::replace(
            &mut self.request,
            Err(CjmError::usage(crate::error::INTERNAL, "task ran twice")),
        );
        Ok(guard(|| {
            let (journey, path, format) = request?;
            let text = write_journey(&journey, format)?;
            std::fs::write(&path, text).map_err(|e| io_error("write", &path, e))?;
            Ok(())
        })
        .map_err(|failure| match failure {
            Failure::Cjm(error) => error,
            Failure::Js(error) => CjmError::usage(crate::error::INTERNAL, error.reason),
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        crate::error::run(&env, || Ok(output?))
    }
}
