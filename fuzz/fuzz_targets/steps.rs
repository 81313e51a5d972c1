//! Step expressions (`event`, `a|b`, `event[key=value]`, `[k~regex]`, `[k>=n]`, quoted names):
//! the input is one step, run as the first step of a funnel (then `purchase`) over a fixed log
//! with property columns in all four modes; and `quote_event` of the input must read back as
//! exactly that event name.
#![no_main]

use std::sync::OnceLock;

use cjm_core::{EventFormat, EventLog, FunnelMode, FunnelSpec, ReadOptions};
use libfuzzer_sys::fuzz_target;

fn log() -> &'static EventLog {
    static LOG: OnceLock<EventLog> = OnceLock::new();
    LOG.get_or_init(|| {
        cjm_core::read_events(
            include_bytes!("../../tests/inputs/events/properties.csv"),
            EventFormat::Csv,
            &ReadOptions::default(),
        )
        .expect("tests/inputs/events/properties.csv loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let log = log();
    for mode in [
        FunnelMode::Default,
        FunnelMode::StrictOrder,
        FunnelMode::StrictDeduplication,
        FunnelMode::StrictIncrease,
    ] {
        let spec = FunnelSpec {
            steps: vec![text.to_string(), "purchase".into()],
            window: "1d".into(),
            mode,
            by: None,
            interval: None,
        };
        if let Ok(result) = cjm_core::funnel(log, &spec) {
            cjm_fuzz::check_funnel(&result);
        }
    }
    let quoted = cjm_core::quote_event(text);
    match cjm_core::parse_step(&quoted) {
        Ok(step) => {
            assert_eq!(step.alternatives.len(), 1, "{quoted:?}");
            assert_eq!(step.alternatives[0].event, text, "{quoted:?}");
            assert!(step.alternatives[0].filters.is_empty(), "{quoted:?}");
        }
        // Only an empty name, or one too long to be a step, has no step text.
        Err(_) => assert!(text.is_empty() || quoted.chars().count() > 4096, "{quoted:?}"),
    }
});
