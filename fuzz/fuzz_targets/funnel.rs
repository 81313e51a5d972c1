//! Funnels over arbitrary small CSV event logs: `funnel` in every mode (steps = the log's first
//! event names, with and without a segment breakdown), `compare_funnel` by segment and by
//! period, `paths`, `loyalty`. Asserts no panic and per-step user counts that never grow.
#![no_main]

use cjm_core::EventFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(log) = cjm_fuzz::read_log(data, EventFormat::Csv) {
        cjm_fuzz::exercise_log(&log, data.len());
    }
});
