//! Renderers and analyses over arbitrary valid journeys: the bytes are read as a JSON journey;
//! if it loads and has no validation errors, every renderer (map, report, curve and friction
//! charts, comparison) and analysis (friction, gaps, plan, curves, score) runs on it. The
//! input's length picks theme, language, title, report date and to-be (so trailing whitespace
//! varies them).
#![no_main]

use cjm_core::{Format, ValidateOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(journey) = cjm_fuzz::load_journey(data, Format::Json)
        && cjm_core::check(&journey, &ValidateOptions::default()).is_ok()
    {
        cjm_fuzz::exercise_journey(&journey, data.len());
    }
});
