//! Journey Yaml: `parse_journey_bytes(data, Format::Yaml, ..)`, then validate and summarise; and
//! the streaming reader of plain YAML must give the journey the full reader gives.
#![no_main]

use cjm_core::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cjm_fuzz::load_journey(data, Format::Yaml);
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(difference) = cjm_core::yaml_readers_agree(text)
    {
        panic!("{difference}");
    }
});
