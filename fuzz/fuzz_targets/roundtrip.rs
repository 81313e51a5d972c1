//! Conversion round trips: the input is read in the format its first byte picks (`{`/`[` JSON,
//! `j`/`%`/`-` Mermaid when the text starts with `journey` or a comment, `,`-first-line CSV,
//! else YAML; see `pick`), then written in every format; JSON and YAML must read back equal,
//! Mermaid and CSV must when `conversion_losses` lists nothing.
#![no_main]

use cjm_core::Format;
use libfuzzer_sys::fuzz_target;

fn pick(data: &[u8]) -> Format {
    let text = String::from_utf8_lossy(&data[..data.len().min(256)]);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let first_line = start.lines().next().unwrap_or("");
    if start.starts_with('{') || start.starts_with('[') {
        Format::Json
    } else if start.starts_with("journey")
        || start.starts_with("%%")
        || start.starts_with("---") && text.contains("journey")
    {
        Format::Mermaid
    } else if first_line.contains(',') && !first_line.contains(": ") {
        Format::Csv
    } else {
        Format::Yaml
    }
}

fuzz_target!(|data: &[u8]| {
    cjm_fuzz::roundtrip(data, pick(data));
});
