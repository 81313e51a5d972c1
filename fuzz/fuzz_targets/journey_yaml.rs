//! Journey Yaml: `parse_journey_bytes(data, Format::Yaml, ..)`, then validate and summarise.
#![no_main]

use cjm_core::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cjm_fuzz::load_journey(data, Format::Yaml);
});
