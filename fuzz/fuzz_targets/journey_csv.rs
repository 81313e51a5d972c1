//! Journey Csv: `parse_journey_bytes(data, Format::Csv, ..)`, then validate and summarise.
#![no_main]

use cjm_core::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cjm_fuzz::load_journey(data, Format::Csv);
});
