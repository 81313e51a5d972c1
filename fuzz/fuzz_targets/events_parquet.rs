//! Event log Parquet: `read_events(data, EventFormat::Parquet, ..)` strict and with
//! `skip_bad_rows`; a log that loads gets its period and a funnel over its first events.
//!
//! cjm-core reads Parquet through the `parquet`/`arrow` crates inside `catch_unwind` and turns
//! a decoder panic into an `invalid_parquet` error (documented in `events/parquet.rs`).
//! libFuzzer's panic hook aborts on *any* panic before it can unwind, so this target installs a
//! hook that lets panics raised inside those crates (and `bytes`, which they slice with) unwind
//! to that `catch_unwind` (they are counted as handled); any other panic still aborts and is
//! reported as a crash.
#![no_main]

use cjm_core::EventFormat;
use libfuzzer_sys::fuzz_target;

fn decoder_panic(info: &std::panic::PanicHookInfo<'_>) -> bool {
    info.location().is_some_and(|l| {
        let file = l.file();
        ["/parquet-", "/arrow-", "/bytes-"].iter().any(|c| file.contains(c))
    })
}

fuzz_target!(
    init: {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !decoder_panic(info) {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
        if let Some(log) = cjm_fuzz::read_log(data, EventFormat::Parquet) {
            cjm_fuzz::funnel_over_first_events(&log);
        }
    }
);
