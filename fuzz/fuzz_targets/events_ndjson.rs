//! Event log Ndjson: `read_events(data, EventFormat::Ndjson, ..)` strict and with `skip_bad_rows`;
//! a log that loads gets its period, a funnel over its first events.
#![no_main]

use cjm_core::EventFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(log) = cjm_fuzz::read_log(data, EventFormat::Ndjson) {
        cjm_fuzz::funnel_over_first_events(&log);
    }
});
