//! Event-log analysis: funnels (also from a file, off the JS thread and on several threads),
//! paths, funnel comparisons, loyalty and applying a log to a map. The log is read by the core
//! (`read_events_csv` / `read_events_ndjson`); each result carries `skipped_rows`, the bad rows
//! skipped with `skipBadRows: true` (0 otherwise).

use cjm_core::{ApplyOptions, CjmError, EventLog, FunnelSpec, PathOptions, ReadOptions};
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

use napi::bindgen_prelude::{FromNapiValue, Function};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};

/// `options.onProgress` as a thread-safe function: the worker calls it without blocking
/// (`Progress` objects: `{ phase, unit, done, total }`); it returning `false` (or throwing)
/// cancels the job at its next report, which then rejects with `cancelled`.
pub struct ProgressSink {
    function: ThreadsafeFunction<Value, Option<bool>, Value, napi::Status, false>,
    stop: Arc<AtomicBool>,
    thrown: Arc<Mutex<Option<String>>>,
    pending: Arc<AtomicUsize>,
}

impl ProgressSink {
    fn read(options: &Options) -> Outcome<Option<ProgressSink>> {
        let Some(value) = options.get("onProgress") else {
            return Ok(None);
        };
        match value.get_type()? {
            napi::ValueType::Undefined | napi::ValueType::Null => Ok(None),
            napi::ValueType::Function => {
                // SAFETY: a value of type function, from the current scope.
                let function = unsafe {
                    Function::<Value, Option<bool>>::from_napi_value(
                        value.value().env,
                        value.raw(),
                    )?
                };
                let function = function
                    .build_threadsafe_function::<Value>()
                    .callee_handled::<false>()
                    .build()?;
                Ok(Some(ProgressSink {
                    function,
                    stop: Arc::default(),
                    thrown: Arc::default(),
                    pending: Arc::default(),
                }))
            }
            _ => Err(invalid_argument("options.onProgress must be a function")),
        }
    }

    /// Hands one report to JS (queued, not waited for); `false` once JS asked to stop.
    fn report(&self, progress: cjm_core::Progress) -> bool {
        if self.stop.load(Ordering::Relaxed) {
            return false;
        }
        let value = serde_json::to_value(progress).unwrap_or(Value::Null);
        let (stop, thrown, pending) =
            (self.stop.clone(), self.thrown.clone(), self.pending.clone());
        self.pending.fetch_add(1, Ordering::SeqCst);
        let status = self.function.call_with_return_value(
            value,
            ThreadsafeFunctionCallMode::NonBlocking,
            move |returned, _env| {
                match returned {
                    Ok(Some(false)) => stop.store(true, Ordering::Relaxed),
                    Err(error) if error.status == napi::Status::PendingException => {
                        if let Ok(mut slot) = thrown.lock() {
                            slot.get_or_insert(error.reason.clone());
                        }
                        stop.store(true, Ordering::Relaxed);
                    }
                    _ => {}
                }
                pending.fetch_sub(1, Ordering::SeqCst);
                Ok(())
            },
        );
        if status != napi::Status::Ok {
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
        true
    }

    /// Waits (a few seconds at most) until JS has seen every report, so that the promise
    /// settles after the last `onProgress` call.
    fn drain(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.pending.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// The error to report when a job stopped with `cancelled`.
    fn cancelled(&self, error: CjmError) -> CjmError {
        match self.thrown.lock().ok().and_then(|slot| slot.clone()) {
            Some(reason) if error.code() == "cancelled" => CjmError::usage(
                "cancelled",
                format!("cancelled: options.onProgress threw: {reason}"),
            ),
            _ => error,
        }
    }
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
    Ok(ReadOptions {
        skip_bad_rows,
        time_unit,
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
    data(value, "spec", &["steps", "window", "mode", "by"])
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
            &["format", "skipBadRows", "timeUnit"],
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
            let bytes = std::fs::read(&path).map_err(|e| {
                CjmError::usage(crate::error::IO, format!("cannot read {path:?}: {e}"))
            })?;
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
                    state.map_err(|e| sink.cancelled(e))?
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
        run(&env, || Ok(JsonValue(output?)))
    }
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
            &["format", "skipBadRows", "timeUnit", "onProgress"],
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
            &["format", "skipBadRows", "timeUnit"],
        )?;
        let spec = self::spec(&spec)?;
        let split: cjm_core::Split = data(&split, "split", &["segment", "periods"])?;
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
            &["purchaseEvent", "format", "skipBadRows", "timeUnit"],
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
            &["window", "evidenceId", "format", "skipBadRows", "timeUnit"],
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
