//! Step, window and period strings: `window_ms`, `parse_duration`, `parse_timestamp`, a
//! `FunnelSpec` from JSON (run over a fixed log when it parses), and the `FROM..TO` periods of
//! `compare_funnel(.., Split::Periods)` (the input split at the first `|` into A and B).
#![no_main]

use std::sync::OnceLock;

use cjm_core::{EventFormat, EventLog, FunnelMode, FunnelSpec, ReadOptions, Split};
use libfuzzer_sys::fuzz_target;

fn log() -> &'static EventLog {
    static LOG: OnceLock<EventLog> = OnceLock::new();
    LOG.get_or_init(|| {
        cjm_core::read_events(
            include_bytes!("../../tests/inputs/events/basic.csv"),
            EventFormat::Csv,
            &ReadOptions::default(),
        )
        .expect("tests/inputs/events/basic.csv loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(ms) = cjm_core::window_ms(text) {
        assert!(ms >= 0, "window {text:?} gave {ms} ms");
    }
    if let Some(seconds) = cjm_core::parse_duration(text) {
        let _ = seconds;
    }
    let _ = cjm_core::parse_timestamp(text);
    let log = log();
    if let Ok(spec) = serde_json::from_str::<FunnelSpec>(text) {
        if let Ok(result) = cjm_core::funnel(log, &spec) {
            cjm_fuzz::check_funnel(&result);
        }
        return;
    }
    let (a, b) = text.split_once('|').unwrap_or((text, text));
    let spec = FunnelSpec {
        steps: vec!["view".into(), "cart".into(), "purchase".into()],
        window: b.trim().into(),
        mode: FunnelMode::Default,
        by: None,
        interval: None,
    };
    let _ = cjm_core::funnel(log, &spec);
    let spec = FunnelSpec {
        window: "7d".into(),
        ..spec
    };
    let split = Split::Periods {
        a: a.into(),
        b: b.into(),
    };
    let _ = cjm_core::compare_funnel(log, &spec, &split);
});
