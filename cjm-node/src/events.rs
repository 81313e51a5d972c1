//! Event-log analysis: funnels (also from a file, off the JS thread and on several threads),
//! paths, funnel comparisons, loyalty and applying a log to a map. The log is read by the core
//! (`read_events_csv` / `read_events_ndjson`); each result carries `skipped_rows`, the bad rows
//! skipped with `skipBadRows: true` (0 otherwise).

use cjm_core::ErrorCode;
use cjm_core::{ApplyOptions, CjmError, ColumnMap, EventLog, FunnelSpec, PathOptions, ReadOptions};
use napi::bindgen_prelude::{AsyncTask, Task};
use napi::{Env, JsValue, Unknown};
use napi_derive::napi;
use serde_json::Value;

use crate::convert::{Input, Options, data, input, optional_number, optional_string, string};
use crate::error::{Failure, Outcome, guard, invalid_argument, run};
use crate::journey;
use crate::output::{JsonValue, json};

use cjm_core::EventFormat;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use napi::bindgen_prelude::{FromNapiValue, Function, JsObjectValue, Object, ObjectRef};
use napi::sys;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};

/// `options.onProgress` as a thread-safe function: the worker calls it without blocking
/// (`Progress` objects: `{ phase, unit, done, total }`). It returning `false`, throwing
/// (anything, not only an `Error`) or returning a promise (any thenable) that rejects cancels
/// the job at its next report, which then rejects with `cancelled`; what was thrown or the
/// rejection reason is the error's `cause` and is described in its message.
pub struct ProgressSink {
    function: ThreadsafeFunction<Value, (), Value, napi::Status, false>,
    shared: Arc<Shared>,
}

/// What the worker, the JS-thread wrapper around `onProgress` and the promise handlers it
/// attaches share.
#[derive(Default)]
struct Shared {
    stop: AtomicBool,
    /// Reports queued or promises not settled yet.
    pending: AtomicUsize,
    /// Set on the JS thread once the job settled: a later rejection is no longer kept.
    settled: AtomicBool,
    thrown: Mutex<Option<Thrown>>,
}

/// What `onProgress` threw, or the reason its promise rejected with.
struct Thrown {
    /// E.g. `threw 42`, `returned a promise that rejected: Error: boom`.
    description: String,
    /// An object `{ value }` holding the value (references to primitives need Node-API 10);
    /// created, read and released on the JS thread only.
    holder: Option<ObjectRef<false>>,
}

impl Shared {
    /// Keeps the first failure of `onProgress` and asks the job to stop. JS thread only.
    fn fail(&self, env: sys::napi_env, how: &str, value: sys::napi_value) {
        self.stop.store(true, Ordering::Relaxed);
        if self.settled.load(Ordering::Relaxed) {
            return;
        }
        let Ok(mut slot) = self.thrown.lock() else {
            return;
        };
        if slot.is_some() {
            return;
        }
        let description = format!("{how} {}", describe(env, value));
        let holder = (|| {
            let mut object = Object::from_raw(env, create_object(env)?);
            // SAFETY: `value` is a live value of the current scope.
            let value = unsafe { Unknown::from_raw_unchecked(env, value) };
            object.set_named_property("value", value).ok()?;
            object.create_ref::<false>().ok()
        })();
        *slot = Some(Thrown {
            description,
            holder,
        });
    }

    fn done(&self) {
        self.pending.fetch_sub(1, Ordering::SeqCst);
    }
}

fn create_object(env: sys::napi_env) -> Option<sys::napi_value> {
    let mut raw = std::ptr::null_mut();
    // SAFETY: a plain napi call on the JS thread.
    (unsafe { sys::napi_create_object(env, &mut raw) } == sys::Status::napi_ok).then_some(raw)
}

/// Takes the pending JS exception out of the env, so that nothing is left thrown.
fn take_exception(env: sys::napi_env) -> Option<sys::napi_value> {
    let mut exception = std::ptr::null_mut();
    // SAFETY: a plain napi call on the JS thread.
    let status = unsafe { sys::napi_get_and_clear_last_exception(env, &mut exception) };
    (status == sys::Status::napi_ok && !exception.is_null()).then_some(exception)
}

/// Calls `function` with `args` and `this`: its result, or what it threw (never left pending).
fn call(
    env: sys::napi_env,
    this: sys::napi_value,
    function: sys::napi_value,
    args: &[sys::napi_value],
) -> Result<sys::napi_value, Option<sys::napi_value>> {
    let mut result = std::ptr::null_mut();
    // SAFETY: live values of the current scope, on the JS thread.
    let status = unsafe {
        sys::napi_call_function(env, this, function, args.len(), args.as_ptr(), &mut result)
    };
    if status == sys::Status::napi_ok {
        Ok(result)
    } else {
        Err(take_exception(env))
    }
}

fn type_of(env: sys::napi_env, value: sys::napi_value) -> Option<napi::ValueType> {
    // SAFETY: a live value of the current scope.
    unsafe { Unknown::from_raw_unchecked(env, value) }
        .get_type()
        .ok()
}

/// A short description of any JS value for a message: numbers and the like as JS writes them,
/// strings quoted, an `Error` by its message, other objects as JSON; cut at 200 characters.
/// Never leaves an exception pending.
fn describe(env: sys::napi_env, value: sys::napi_value) -> String {
    use napi::ValueType;
    let text = |value: sys::napi_value| -> Option<String> {
        // SAFETY: a live value of the current scope.
        unsafe { <String as FromNapiValue>::from_napi_value(env, value) }.ok()
    };
    let coerced = |value: sys::napi_value| -> Option<String> {
        let mut string = std::ptr::null_mut();
        // SAFETY: coercing a primitive runs no JS code.
        let status = unsafe { sys::napi_coerce_to_string(env, value, &mut string) };
        if status != sys::Status::napi_ok {
            take_exception(env);
            return None;
        }
        text(string)
    };
    let description = match type_of(env, value) {
        Some(ValueType::String) => text(value).map(|s| format!("{s:?}")),
        Some(ValueType::Symbol) => Some("a symbol".into()),
        Some(ValueType::Function) => Some("a function".into()),
        Some(ValueType::Object) => {
            let mut is_error = false;
            // SAFETY: a live value of the current scope.
            unsafe { sys::napi_is_error(env, value, &mut is_error) };
            if is_error {
                let mut message = std::ptr::null_mut();
                // SAFETY: reading a property may run a getter; its exception is taken below.
                let status = unsafe {
                    sys::napi_get_named_property(env, value, c"message".as_ptr(), &mut message)
                };
                if status != sys::Status::napi_ok {
                    take_exception(env);
                }
                (status == sys::Status::napi_ok)
                    .then(|| text(message))
                    .flatten()
                    .map(|m| format!("Error: {m}"))
                    .or_else(|| Some("an Error".into()))
            } else {
                json_stringify(env, value)
                    .and_then(text)
                    .or_else(|| Some("an object".into()))
            }
        }
        Some(_) => coerced(value),
        None => None,
    };
    cjm_core::excerpt(&description.unwrap_or_else(|| "a value".into()))
}

/// `JSON.stringify(value)`, or `None` when it throws or gives `undefined`.
fn json_stringify(env: sys::napi_env, value: sys::napi_value) -> Option<sys::napi_value> {
    let property = |object: sys::napi_value, name: &std::ffi::CStr| {
        let mut result = std::ptr::null_mut();
        // SAFETY: reading a property on the JS thread; an exception is taken below.
        let status =
            unsafe { sys::napi_get_named_property(env, object, name.as_ptr(), &mut result) };
        if status == sys::Status::napi_ok {
            Some(result)
        } else {
            take_exception(env);
            None
        }
    };
    let mut global = std::ptr::null_mut();
    // SAFETY: a plain napi call on the JS thread.
    if unsafe { sys::napi_get_global(env, &mut global) } != sys::Status::napi_ok {
        return None;
    }
    let json = property(global, c"JSON")?;
    let stringify = property(json, c"stringify")?;
    let result = call(env, json, stringify, &[value]).ok()?;
    (type_of(env, result) == Some(napi::ValueType::String)).then_some(result)
}

/// Looks at what `onProgress` returned: `false` stops; a thenable gets handlers that stop on a
/// rejection (or on `false`), so that a rejected promise never goes unhandled.
fn inspect(env: sys::napi_env, shared: &Arc<Shared>, returned: sys::napi_value) {
    use napi::ValueType;
    match type_of(env, returned) {
        Some(ValueType::Boolean) => {
            // SAFETY: a boolean of the current scope.
            if let Ok(false) = unsafe { <bool as FromNapiValue>::from_napi_value(env, returned) } {
                shared.stop.store(true, Ordering::Relaxed);
            }
        }
        Some(ValueType::Object | ValueType::Function) => {
            let mut then = std::ptr::null_mut();
            // SAFETY: reading a property may run a getter; its exception is taken below.
            let status =
                unsafe { sys::napi_get_named_property(env, returned, c"then".as_ptr(), &mut then) };
            if status != sys::Status::napi_ok {
                if let Some(thrown) = take_exception(env) {
                    shared.fail(env, "returned a value whose `then` threw", thrown);
                }
                return;
            }
            if type_of(env, then) != Some(ValueType::Function) {
                return;
            }
            if let Err(thrown) = follow(env, shared, returned, then) {
                shared.fail(env, "returned a thenable whose `then` threw", thrown);
            }
        }
        _ => {}
    }
}

/// Calls `then(onFulfilled, onRejected)` on a thenable; the job waits for it to settle (see
/// [`ProgressSink::drain`]). The handlers never throw, so the promise `then` returns never
/// rejects.
fn follow(
    env: sys::napi_env,
    shared: &Arc<Shared>,
    thenable: sys::napi_value,
    then: sys::napi_value,
) -> Result<(), sys::napi_value> {
    let env_ = Env::from_raw(env);
    let once = Arc::new(AtomicBool::new(false));
    let handler = |rejected: bool| {
        let (shared, once) = (shared.clone(), once.clone());
        env_.create_function_from_closure::<Unknown, (), _>(
            if rejected {
                "onRejected"
            } else {
                "onFulfilled"
            },
            move |ctx| {
                // A thenable may call its handlers more than once: count it settled once.
                if once.swap(true, Ordering::SeqCst) {
                    return Ok(());
                }
                let env = ctx.env.raw();
                let value = ctx.get::<Unknown>(0).ok().map(|v| v.raw());
                let value = match value {
                    Some(value) => value,
                    None => {
                        let mut undefined = std::ptr::null_mut();
                        // SAFETY: a plain napi call on the JS thread.
                        unsafe { sys::napi_get_undefined(env, &mut undefined) };
                        undefined
                    }
                };
                if rejected {
                    shared.fail(env, "returned a promise that rejected:", value);
                } else {
                    inspect_fulfilled(env, &shared, value);
                }
                shared.done();
                Ok(())
            },
        )
        .map(|f| f.raw())
    };
    let (Ok(on_fulfilled), Ok(on_rejected)) = (handler(false), handler(true)) else {
        take_exception(env);
        return Ok(());
    };
    shared.pending.fetch_add(1, Ordering::SeqCst);
    match call(env, thenable, then, &[on_fulfilled, on_rejected]) {
        Ok(_) => Ok(()),
        Err(thrown) => {
            if !once.swap(true, Ordering::SeqCst) {
                shared.done();
            }
            match thrown {
                Some(thrown) => Err(thrown),
                None => Ok(()),
            }
        }
    }
}

/// A promise that `onProgress` returned resolved with `value`: `false` stops, like a `false`
/// returned directly.
fn inspect_fulfilled(env: sys::napi_env, shared: &Shared, value: sys::napi_value) {
    if type_of(env, value) == Some(napi::ValueType::Boolean) {
        // SAFETY: a boolean of the current scope.
        if let Ok(false) = unsafe { <bool as FromNapiValue>::from_napi_value(env, value) } {
            shared.stop.store(true, Ordering::Relaxed);
        }
    }
}

impl ProgressSink {
    fn read(options: &Options) -> Outcome<Option<ProgressSink>> {
        let Some(value) = options.get("onProgress") else {
            return Ok(None);
        };
        match value.get_type()? {
            napi::ValueType::Undefined | napi::ValueType::Null => Ok(None),
            napi::ValueType::Function => {
                let raw_env = value.value().env;
                // SAFETY: a value of type function, from the current scope.
                let user =
                    unsafe { Function::<Value, Unknown>::from_napi_value(raw_env, value.raw())? }
                        .create_ref()?;
                let shared = Arc::new(Shared::default());
                let inner = shared.clone();
                // The thread-safe function calls this wrapper, which calls `onProgress` and
                // catches whatever it throws or rejects with, so nothing escapes to Node as an
                // uncaught exception or an unhandled rejection.
                let js_env = Env::from_raw(raw_env);
                let wrapper = js_env.create_function_from_closure::<Value, (), _>(
                    "onProgress",
                    move |ctx| {
                        let env = ctx.env.raw();
                        let outcome = (|| {
                            let user = user.borrow_back(ctx.env).ok()?;
                            let progress = ctx.get::<Unknown>(0).ok()?;
                            let mut undefined = std::ptr::null_mut();
                            // SAFETY: a plain napi call on the JS thread.
                            unsafe { sys::napi_get_undefined(env, &mut undefined) };
                            Some(call(env, undefined, user.raw(), &[progress.raw()]))
                        })();
                        match outcome {
                            Some(Ok(returned)) => inspect(env, &inner, returned),
                            Some(Err(Some(thrown))) => inner.fail(env, "threw", thrown),
                            Some(Err(None)) | None => {}
                        }
                        inner.done();
                        Ok(())
                    },
                )?;
                let function = wrapper
                    .build_threadsafe_function::<Value>()
                    .callee_handled::<false>()
                    .build()?;
                Ok(Some(ProgressSink { function, shared }))
            }
            _ => Err(invalid_argument("options.onProgress must be a function")),
        }
    }

    /// Hands one report to JS (queued, not waited for); `false` once JS asked to stop.
    fn report(&self, progress: cjm_core::Progress) -> bool {
        if self.shared.stop.load(Ordering::Relaxed) {
            return false;
        }
        let value = serde_json::to_value(progress).unwrap_or(Value::Null);
        self.shared.pending.fetch_add(1, Ordering::SeqCst);
        let status = self
            .function
            .call(value, ThreadsafeFunctionCallMode::NonBlocking);
        if status != napi::Status::Ok {
            self.shared.done();
        }
        true
    }

    /// Waits (a few seconds at most) until JS has seen every report and every promise
    /// `onProgress` returned has settled, so that the promise of the job settles after them.
    fn drain(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.shared.pending.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// The job's outcome once JS has seen every report: a throw or a rejection in `onProgress`
    /// fails it with `cancelled` even when it came after the last report.
    fn outcome<T>(&self, outcome: Result<T, CjmError>) -> Result<T, CjmError> {
        let description = self
            .shared
            .thrown
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(|t| t.description.clone()));
        match (description, outcome) {
            (Some(description), Ok(_)) => Err(cancelled(&description)),
            (Some(description), Err(error)) if error.code() == "cancelled" => {
                Err(cancelled(&description))
            }
            (_, outcome) => outcome,
        }
    }

    /// On the JS thread, once the job settled: the value `onProgress` threw or rejected with
    /// (to become the error's `cause`), and no more kept after this.
    fn take_cause<'env>(&self, env: &'env Env) -> Option<Unknown<'env>> {
        self.shared.settled.store(true, Ordering::Relaxed);
        let holder = self.shared.thrown.lock().ok()?.as_mut()?.holder.take()?;
        let value = holder
            .get_value(env)
            .and_then(|object| object.get_named_property::<Unknown>("value"))
            .ok();
        let _ = holder.unref(env);
        value
    }
}

fn cancelled(description: &str) -> CjmError {
    CjmError::usage(
        ErrorCode::Cancelled,
        format!("cancelled: options.onProgress {description}"),
    )
}

fn event_format(options: &Options) -> Outcome<Option<EventFormat>> {
    match optional_string(options.get("format"), "options.format")? {
        None => Ok(None),
        Some(name) => Ok(Some(EventFormat::from_name(&name)?)),
    }
}

fn read_options(options: &Options) -> Outcome<ReadOptions> {
    let skip_bad_rows = match options.get("skipBadRows") {
        None => false,
        Some(value) => match value.get_type()? {
            napi::ValueType::Undefined | napi::ValueType::Null => false,
            napi::ValueType::Boolean => unsafe {
                <bool as napi::bindgen_prelude::FromNapiValue>::from_napi_value(
                    value.value().env,
                    value.raw(),
                )?
            },
            _ => return Err(invalid_argument("options.skipBadRows must be a boolean")),
        },
    };
    let time_unit = match optional_string(options.get("timeUnit"), "options.timeUnit")? {
        None => cjm_core::TimeUnit::Auto,
        Some(name) => cjm_core::TimeUnit::from_name(&name)?,
    };
    let columns = match options.get("columns") {
        Some(value) if !crate::convert::is_nullish(value)? => {
            crate::convert::data::<ColumnMap>(value, "options.columns", &ColumnMap::ROLES)?
        }
        _ => ColumnMap::default(),
    };
    Ok(ReadOptions {
        skip_bad_rows,
        time_unit,
        columns,
    })
}

/// Reads the `events` argument and the read options (`format`, `skipBadRows`, `timeUnit`) of
/// `options`.
fn log(events: &Unknown, options: &Options) -> Outcome<EventLog> {
    let events: Input = input(events, "events")?;
    let format = event_format(options)?.unwrap_or(EventFormat::Csv);
    Ok(cjm_core::read_events(
        events.bytes(),
        format,
        &read_options(options)?,
    )?)
}

/// A core result as JSON with the log's `skipped_rows` added.
fn with_skipped<T: serde::Serialize>(result: &T, log: &EventLog) -> Outcome<JsonValue> {
    let mut value = json(result)?;
    if let Value::Object(map) = &mut value.0 {
        map.insert("skipped_rows".into(), log.skipped_rows.into());
    }
    Ok(value)
}

fn spec(value: &Unknown) -> Outcome<FunnelSpec> {
    data(
        value,
        "spec",
        &["steps", "window", "mode", "by", "interval"],
    )
}

/// A ClickHouse-style `windowFunnel` over an event log (CSV by default, or NDJSON).
#[napi(
    ts_args_type = "events: string | Uint8Array, spec: FunnelSpec, options?: EventsOptions",
    ts_return_type = "FunnelResult & EventsRead"
)]
pub fn funnel(
    env: Env,
    events: Unknown,
    spec: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let options = Options::read(
            options.as_ref(),
            "options",
            &["format", "skipBadRows", "timeUnit", "columns"],
        )?;
        let spec = self::spec(&spec)?;
        let log = log(&events, &options)?;
        with_skipped(&cjm_core::funnel(&log, &spec)?, &log)
    })
}

/// `funnelFromFile`: the path and spec are checked on the JS thread; reading the file, parsing
/// it and the funnel (on every core) run on libuv's thread pool.
pub struct FunnelFile {
    request: Result<(String, EventFormat, ReadOptions, FunnelSpec), CjmError>,
    progress: Option<ProgressSink>,
}

impl Task for FunnelFile {
    type Output = Result<Value, CjmError>;
    type JsValue = JsonValue;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let request = std::mem::replace(
            &mut self.request,
            Err(CjmError::usage(crate::error::INTERNAL, "task ran twice")),
        );
        Ok(guard(|| {
            let (path, format, options, spec) = request?;
            let bytes = read_event_file(&path)?;
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let sink = self.progress.as_ref();
            let mut report = sink.map(|sink| |p| sink.report(p));
            let read = cjm_core::read_events_with(
                &bytes,
                format,
                &options,
                cjm_core::progress_fn(&mut report),
            );
            let state = read.and_then(|log| {
                let state = cjm_core::funnel_state_with(
                    &log,
                    &spec,
                    threads,
                    cjm_core::progress_fn(&mut report),
                )?;
                Ok((log, state))
            });
            let (log, state) = match sink {
                Some(sink) => {
                    sink.drain();
                    sink.outcome(state)?
                }
                None => state?,
            };
            let result = state.finish();
            Ok(with_skipped(&result, &log)?.0)
        })
        .map_err(|failure| match failure {
            Failure::Cjm(error) => error,
            Failure::Js(error) => CjmError::usage(crate::error::INTERNAL, error.reason),
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        let cause = self
            .progress
            .as_ref()
            .and_then(|sink| sink.take_cause(&env));
        match (output, cause) {
            (Err(error), Some(cause)) if error.code() == "cancelled" => {
                Err(crate::error::with_cause(&env, &error, cause))
            }
            (output, _) => run(&env, || Ok(JsonValue(output?))),
        }
    }
}

/// The most an event log is read from something that is not a regular file (a pipe, a FIFO,
/// a device such as `/dev/zero`): 1 GiB, as in the CLI and Python. Regular files are read whole.
const MAX_EVENT_STREAM_BYTES: u64 = 1 << 30;

fn read_event_file(path: &str) -> Result<Vec<u8>, CjmError> {
    use std::io::Read;
    let io =
        |e: std::io::Error| CjmError::usage(crate::error::IO, format!("cannot read {path:?}: {e}"));
    let file = std::fs::File::open(path).map_err(io)?;
    let regular = file.metadata().map_err(io)?.is_file();
    let limit = if regular {
        u64::MAX - 1
    } else {
        MAX_EVENT_STREAM_BYTES
    };
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(CjmError::parse(
            ErrorCode::InputTooLarge,
            format!(
                "{path:?} is not a regular file and goes on past the limit of {limit} bytes; nothing past it was read"
            ),
            cjm_core::Location::default(),
        ));
    }
    Ok(bytes)
}

/// The funnel of an event file, computed off the JS thread. The format comes from the extension
/// (`.csv`, `.ndjson`/`.jsonl`, `.parquet`) unless `options.format` names it. `onProgress`
/// receives `Progress` reports and may return `false` to cancel.
#[napi(
    ts_args_type = "path: string, spec: FunnelSpec, options?: EventsFileOptions",
    ts_return_type = "Promise<FunnelResult & EventsRead>"
)]
pub fn funnel_from_file(
    env: Env,
    path: Unknown,
    spec: Unknown,
    options: Option<Unknown>,
) -> napi::Result<AsyncTask<FunnelFile>> {
    let mut progress = None;
    let request = guard(|| {
        let path = string(&path, "path")?;
        let spec = self::spec(&spec)?;
        let options = Options::read(
            options.as_ref(),
            "options",
            &["format", "skipBadRows", "timeUnit", "columns", "onProgress"],
        )?;
        progress = ProgressSink::read(&options)?;
        let format = match event_format(&options)? {
            Some(format) => format,
            None => EventFormat::from_path(&path)?,
        };
        Ok((path, format, read_options(&options)?, spec))
    });
    let request = match request {
        Ok(request) => Ok(request),
        Err(Failure::Cjm(error)) => Err(error),
        Err(failure) => return Err(crate::error::to_napi(&env, failure)),
    };
    Ok(AsyncTask::new(FunnelFile { request, progress }))
}

/// The directly-follows graph between events, or between the touchpoints of `journey` (mapped
/// through their `events` patterns), with loops, backtracking and drop-off paths before `goal`.
#[napi(
    ts_args_type = "events: string | Uint8Array, options?: PathsOptions",
    ts_return_type = "PathsResult & EventsRead"
)]
pub fn paths(env: Env, events: Unknown, options: Option<Unknown>) -> napi::Result<JsonValue> {
    run(&env, || {
        let options = Options::read(
            options.as_ref(),
            "options",
            &[
                "journey",
                "goal",
                "top",
                "format",
                "skipBadRows",
                "timeUnit",
                "columns",
            ],
        )?;
        let journey = match options.get("journey") {
            Some(value)
                if !matches!(
                    value.get_type()?,
                    napi::ValueType::Undefined | napi::ValueType::Null
                ) =>
            {
                Some(journey(value, "options.journey")?)
            }
            _ => None,
        };
        let top = match optional_number(options.get("top"), "options.top")? {
            None => None,
            Some(n) if n.fract() == 0.0 && n >= 0.0 && n <= u32::MAX as f64 => Some(n as usize),
            Some(n) => {
                return Err(invalid_argument(format!(
                    "options.top must be a whole number (0 or more), not {n}"
                )));
            }
        };
        let path_options = PathOptions {
            goal: optional_string(options.get("goal"), "options.goal")?,
            top,
        };
        let log = log(&events, &options)?;
        with_skipped(
            &cjm_core::paths(&log, journey.as_ref(), &path_options)?,
            &log,
        )
    })
}

/// A funnel compared between two segments or two periods, step by step, with two-proportion
/// tests.
#[napi(
    ts_args_type = "events: string | Uint8Array, spec: FunnelSpec, split: Split, options?: EventsOptions",
    ts_return_type = "FunnelComparison & EventsRead"
)]
pub fn compare_funnel(
    env: Env,
    events: Unknown,
    spec: Unknown,
    split: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let options = Options::read(
            options.as_ref(),
            "options",
            &["format", "skipBadRows", "timeUnit", "columns"],
        )?;
        let spec = self::spec(&spec)?;
        let split: cjm_core::SplitInput = data(&split, "split", &["segment", "periods"])?;
        let split = split.resolve()?;
        let log = log(&events, &options)?;
        with_skipped(&cjm_core::compare_funnel(&log, &spec, &split)?, &log)
    })
}

/// Repeat purchases: buyers, repeat buyers, time between purchases.
#[napi(
    ts_args_type = "events: string | Uint8Array, options: LoyaltyOptions",
    ts_return_type = "LoyaltyResult & EventsRead"
)]
pub fn loyalty(env: Env, events: Unknown, options: Option<Unknown>) -> napi::Result<JsonValue> {
    run(&env, || {
        let options = Options::read(
            options.as_ref(),
            "options",
            &[
                "purchaseEvent",
                "format",
                "skipBadRows",
                "timeUnit",
                "columns",
            ],
        )?;
        let Some(purchase) =
            optional_string(options.get("purchaseEvent"), "options.purchaseEvent")?
        else {
            return Err(invalid_argument(
                "options.purchaseEvent (the name of the purchase event) is required",
            ));
        };
        let log = log(&events, &options)?;
        with_skipped(&cjm_core::loyalty(&log, &purchase)?, &log)
    })
}

/// Retention by cohort: who came back in each day, week or month after their first start
/// event (docs/events.md).
#[napi(
    ts_args_type = "events: string | Uint8Array, spec: RetentionSpec, options?: EventsOptions",
    ts_return_type = "RetentionResult & EventsRead"
)]
pub fn retention(
    env: Env,
    events: Unknown,
    spec: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let options = Options::read(
            options.as_ref(),
            "options",
            &["format", "skipBadRows", "timeUnit", "columns"],
        )?;
        let spec: cjm_core::RetentionSpec = data(
            &spec,
            "spec",
            &["start", "return_event", "interval", "periods", "unbounded"],
        )?;
        let log = log(&events, &options)?;
        with_skipped(&cjm_core::retention(&log, &spec)?, &log)
    })
}

/// Writes the measured conversion, drop-off, time and traffic into a copy of the journey.
/// Returns `{ journey, report, skipped_rows }`; the journey passed in is not changed.
#[napi(
    ts_args_type = "journey: Journey, events: string | Uint8Array, options?: ApplyEventsOptions",
    ts_return_type = "ApplyEventsResult"
)]
pub fn apply_events(
    env: Env,
    journey: Unknown,
    events: Unknown,
    options: Option<Unknown>,
) -> napi::Result<JsonValue> {
    run(&env, || {
        let journey = self::journey(&journey, "journey")?;
        let options = Options::read(
            options.as_ref(),
            "options",
            &[
                "window",
                "evidenceId",
                "format",
                "skipBadRows",
                "timeUnit",
                "columns",
            ],
        )?;
        let defaults = ApplyOptions::default();
        let apply = ApplyOptions {
            window: optional_string(options.get("window"), "options.window")?
                .unwrap_or(defaults.window),
            evidence_id: optional_string(options.get("evidenceId"), "options.evidenceId")?
                .unwrap_or(defaults.evidence_id),
        };
        let log = log(&events, &options)?;
        let (journey, report) = cjm_core::apply_events(&journey, &log, &apply)?;
        Ok(JsonValue(serde_json::json!({
            "journey": cjm_core::journey_to_value(&journey)?,
            "report": json(&report)?.0,
            "skipped_rows": log.skipped_rows,
        })))
    })
}
