//! Event log Csv: `read_events(data, EventFormat::Csv, ..)` strict and with `skip_bad_rows`;
//! a log that loads gets its period, a funnel over its first events and loyalty.
#![no_main]

use cjm_core::EventFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(log) = cjm_fuzz::read_log(data, EventFormat::Csv) {
        let _ = log.period();
        let steps: Vec<String> = log.event_names.iter().take(3).cloned().collect();
        if !steps.is_empty() {
            let spec = cjm_core::FunnelSpec {
                steps,
                window: "7d".into(),
                mode: cjm_core::FunnelMode::Default,
                by: log.segments.first().map(|s| s.name.clone()),
            };
            if let Ok(result) = cjm_core::funnel(&log, &spec) {
                cjm_fuzz::check_funnel(&result);
            }
        }
    }
});
