//! Inputs the fuzzer (`make fuzz`, see fuzz/README.md) found, each kept as a file under
//! `tests/inputs/fuzz/` and asserted here to fail with a typed error instead of a panic.

#[cfg(feature = "parquet")]
use cjm_core::{ErrorKind, EventFormat, ReadOptions, read_events};

#[allow(dead_code)]
fn input(name: &str) -> Vec<u8> {
    let path = format!("{}/../tests/inputs/fuzz/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// events_parquet: one flipped bit in `tests/inputs/events/basic-epoch.parquet` gives a column
/// chunk a negative start, on which the `parquet` crate (60.1) panics ("column start and length
/// should not be negative", `ColumnChunkMetaData::byte_range`). cjm-core catches decoder panics
/// and reports the file as unreadable.
#[cfg(feature = "parquet")]
#[test]
fn parquet_negative_column_start_is_invalid_parquet() {
    let bytes = input("events_parquet-negative-column-start.parquet");
    for skip_bad_rows in [false, true] {
        let options = ReadOptions {
            skip_bad_rows,
            ..ReadOptions::default()
        };
        let error = read_events(&bytes, EventFormat::Parquet, &options).unwrap_err();
        assert_eq!(error.code(), "invalid_parquet", "{error}");
        assert_eq!(error.kind(), ErrorKind::Data, "{error}");
    }
}

/// events_parquet, OPEN: a 1.3 KB mutation of `tests/inputs/events/null-user.parquet` whose
/// snappy page header declares an uncompressed size of about 1.4 GB. The `parquet` crate (60.1,
/// `decode_page` → `SnappyCodec::decompress`) zero-fills a buffer of the declared size before
/// decompressing, then fails (`snappy: corrupt input`). The result is the right typed error
/// (`invalid_parquet`), but only after 1.4 GB of RSS and ~5 s (debug build; ~2 s in the
/// fuzzer's release+ASan build, reported as a hang by `-timeout=1`). Ignored until cjm-core
/// bounds what a Parquet page may declare (or the dependency does); run with `--ignored`.
#[cfg(feature = "parquet")]
#[test]
#[ignore = "open: parquet 60.1 allocates a page's declared size (1.4 GB from a 1.3 KB file)"]
fn parquet_huge_declared_page_size_fails_quickly() {
    let bytes = input("events_parquet-huge-page-size.parquet");
    let start = std::time::Instant::now();
    let result = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default());
    let elapsed = start.elapsed();
    let error = result.unwrap_err();
    eprintln!("{} after {elapsed:?}", error);
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(elapsed.as_secs_f64() < 1.0, "took {elapsed:?}");
}
