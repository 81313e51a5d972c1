//! Event logs that are wrong in ways a reader must name precisely, and briefly.

use cjm_core::{EventFormat, ReadOptions, read_events};

#[test]
fn an_array_in_an_ndjson_event_is_named_as_an_array_not_as_empty() {
    let text =
        "{\"user_id\": \"u\", \"timestamp\": \"2024-05-01T10:00:00Z\", \"event\": [\"x\"]}\n";
    let error = read_events(
        text.as_bytes(),
        EventFormat::Ndjson,
        &ReadOptions::default(),
    )
    .expect_err("an array is no event name");
    let info = error.info();
    assert_eq!(info.code, "invalid_value");
    assert_eq!(
        (info.location.line, info.location.column),
        (Some(1), Some(3))
    );
    assert!(
        info.message.contains("event is a JSON array"),
        "{}",
        info.message
    );
    // null stays an empty cell, reported as missing.
    let null = text.replace("[\"x\"]", "null");
    let error = read_events(
        null.as_bytes(),
        EventFormat::Ndjson,
        &ReadOptions::default(),
    )
    .expect_err("no event name");
    assert_eq!(error.info().code, "missing_value");
}

#[test]
fn a_huge_header_is_not_echoed_whole() {
    let header = format!(
        "user_id,{},event\nu,2024-05-01,view\n",
        "x".repeat(1_000_000)
    );
    let error = read_events(header.as_bytes(), EventFormat::Csv, &ReadOptions::default())
        .expect_err("no timestamp column");
    let info = error.info();
    assert_eq!(info.code, "missing_column");
    assert!(info.message.len() < 1_000, "{} bytes", info.message.len());
    assert!(info.message.contains('…'));
}
