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

/// events_parquet: a 1.3 KB mutation of `tests/inputs/events/null-user.parquet` whose snappy
/// page header declares an uncompressed size of about 1.4 GB. The `parquet` crate (60.1,
/// `decode_page`) zero-fills a buffer of the declared size before decompressing, so this cost
/// 1.4 GB and seconds before failing; the page is now refused from its header, before decoding
/// (the message names the page's sizes, which the decoder's own error would not).
#[cfg(feature = "parquet")]
#[test]
fn parquet_page_declaring_more_than_its_codec_can_hold_is_refused_before_decoding() {
    let bytes = input("events_parquet-huge-page-size.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(refused_by_the_walk(&error.to_string()), "{error}");
}

/// A well-typed file (basic.parquet with its dictionary page's uncompressed size raised from 112
/// to 8 191 bytes, more than 22 × its 95 snappy bytes + 1 KiB): refused from its sizes.
#[cfg(feature = "parquet")]
#[test]
fn parquet_well_typed_page_declaring_more_than_its_codec_can_hold_is_refused() {
    let bytes = input("events_parquet-crafted-page-beyond-codec.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    let message = error.to_string();
    assert!(
        message.contains("column \"timestamp\"")
            && message.contains("declares 8191 bytes uncompressed, more than its 95 compressed"),
        "{message}"
    );
}

/// Whether a message is one of the walk's (footer or page headers), which runs before decoding.
#[cfg(feature = "parquet")]
fn refused_by_the_walk(message: &str) -> bool {
    message.contains("its footer metadata") || message.contains("a page of column")
}

/// The page check refuses nothing a writer makes: zstd data pages v2, several per column chunk
/// with statistics and a page index (pyarrow), read to the same log as the snappy v1 file they
/// were written from.
#[cfg(feature = "parquet")]
#[test]
fn parquet_v2_pages_read_like_the_v1_file() {
    let read = |name: &str| {
        let path = format!(
            "{}/../tests/inputs/events/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(&path).expect(&path);
        read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).expect(name)
    };
    let v1 = read("basic.parquet");
    assert_eq!(v1.len(), 15);
    assert_eq!(read("basic-v2-pages.parquet"), v1);
}

/// events_parquet: a 1.2 KB file whose footer holds a list declared to have about two billion
/// booleans. The `parquet` crate (60.1, `skip_till_depth`) skips a boolean list element without
/// consuming its byte, so it looped for over a second (a hang to the fuzzer) before failing. The
/// footer is now walked first and refused as malformed Thrift.
#[cfg(feature = "parquet")]
#[test]
fn parquet_footer_with_an_endless_boolean_list_is_refused_before_decoding() {
    let bytes = input("events_parquet-bool-list-footer.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(
        error
            .to_string()
            .contains("footer metadata is not well-formed"),
        "{error}"
    );
}

/// events_parquet: a 1.1 KB file whose footer's FileMetaData struct ends after 11 of its 983
/// declared bytes (field 1 a 6-byte string, then the end); the decoder went on skipping through
/// the rest for 0.5 s (2 s in the fuzzer's build) before failing. A footer is exactly one
/// struct: it is refused before decoding.
#[cfg(feature = "parquet")]
#[test]
fn parquet_footer_whose_struct_ends_early_is_refused_before_decoding() {
    let bytes = input("events_parquet-short-footer-struct.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    // Refused by the footer walk, not by the decoder after its half second. (Its fields are also
    // mistyped, which the walk finds first; the next test has a footer that is only too short.)
    assert!(refused_by_the_walk(&error.to_string()), "{error}");
}

/// A well-typed footer followed by one more byte inside the declared metadata length.
#[cfg(feature = "parquet")]
#[test]
fn parquet_footer_with_bytes_after_its_struct_is_refused() {
    let bytes = input("events_parquet-crafted-footer-with-trailing-byte.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(
        error.to_string().contains("ends before the length"),
        "{error}"
    );
}

/// events_parquet: an 812-byte footer with an unknown field holding lists of lists nested 20 deep,
/// some of booleans. The decoder skips a boolean list element without reading a byte (the
/// protocol gives it one), so it read the following bytes as further list headers and iterated
/// for 1.5 s in the fuzzer's build. The footer walk skips as the decoder does and counts the
/// elements it would iterate: refused before decoding.
#[cfg(feature = "parquet")]
#[test]
fn parquet_footer_with_nested_boolean_lists_is_refused_before_decoding() {
    let bytes = input("events_parquet-nested-boolean-lists.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(refused_by_the_walk(&error.to_string()), "{error}");
}

/// events_parquet: a 1 KB footer whose column statistics hold field 9 as a boolean. The decoder
/// knows field 9 (`nan_count`, an i64) and read the following bytes as its number, then the rest
/// as other fields, down to a map of 54 million boolean pairs (0.2 s release, over 1 s in the
/// fuzzer's build). The walk's schema now has every field the decoder knows: refused.
#[cfg(feature = "parquet")]
#[test]
fn parquet_statistics_field_the_decoder_knows_is_checked_by_type() {
    let bytes = input("events_parquet-statistics-nan-count-as-bool.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(refused_by_the_walk(&error.to_string()), "{error}");
}

/// events_parquet: a 1.4 KB file whose `user_id` chunk is said to start at offset 3, inside the
/// leading magic; the decoder reads a page header there anyway, takes the bytes for a header whose
/// compressed size is a boolean, and skipped a map of 40 million entries (0.16 s release, over
/// 1 s in the fuzzer's build). Chunks starting in the magic are walked like any other: refused.
#[cfg(feature = "parquet")]
#[test]
fn parquet_chunk_starting_inside_the_magic_is_walked_too() {
    let bytes = input("events_parquet-chunk-inside-magic.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(refused_by_the_walk(&error.to_string()), "{error}");
}

/// events_parquet: a 1 KB file whose footer is well-formed Thrift but gives known fields the
/// wrong types; the decoder reads them by their schema type, so it took the following bytes for
/// other structures and skipped zero-byte boolean lists for 0.26 s (release; nesting can make it
/// hours). The footer is checked against the Parquet schema: refused before decoding.
#[cfg(feature = "parquet")]
#[test]
fn parquet_footer_field_of_the_wrong_type_is_refused_before_decoding() {
    let bytes = input("events_parquet-mistyped-footer-field.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(
        error
            .to_string()
            .contains("not well-formed Parquet metadata"),
        "{error}"
    );
}

/// events_parquet: a 1.1 KB file whose column chunks start with bytes that are no page header
/// (`G` repeated); the decoder's Thrift skipping read through them for 1.7 s (release) before
/// failing. A chunk's first page header must walk as Thrift: refused before decoding.
#[cfg(feature = "parquet")]
#[test]
fn parquet_chunk_that_does_not_start_with_a_page_header_is_refused_before_decoding() {
    let bytes = input("events_parquet-garbage-at-chunk-start.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(
        error.to_string().contains("not a well-formed page header"),
        "{error}"
    );
}

/// events_parquet: a 3.9 KB file whose `platform` chunk holds three well-formed pages, then bytes
/// that are no page header where the fourth should start; the decoder skipped through them for
/// 0.3 s (over 1 s in the fuzzer's build). Every page of a chunk must start with a header.
#[cfg(feature = "parquet")]
#[test]
fn parquet_chunk_with_garbage_where_a_later_page_starts_is_refused_before_decoding() {
    let bytes = input("events_parquet-garbage-after-a-page.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(error.to_string().contains("column \"platform\""), "{error}");
}

/// events_parquet: a 1 KB file whose `platform` chunk's second page runs past the chunk's end;
/// the decoder read on for 0.4 s. Refused before decoding.
#[cfg(feature = "parquet")]
#[test]
fn parquet_page_running_past_its_chunk_is_refused_before_decoding() {
    let bytes = input("events_parquet-page-past-chunk-end.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(refused_by_the_walk(&error.to_string()), "{error}");
}

/// A well-typed file whose `timestamp` dictionary page says 8 191 compressed bytes (95 in truth),
/// so the next page would start past the chunk's end.
#[cfg(feature = "parquet")]
#[test]
fn parquet_well_typed_page_running_past_its_chunk_is_refused() {
    let bytes = input("events_parquet-crafted-page-past-chunk.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    let message = error.to_string();
    assert!(
        message.contains("column \"timestamp\"")
            && message.contains("past the end of its column chunk"),
        "{message}"
    );
}

/// events_parquet: a page whose level data claims more bytes than the page holds; the `bytes`
/// crate panics when the `parquet` crate (60.1, `read_new_page`) slices it ("range end out of
/// bounds"). cjm-core catches decoder panics (`catch_unwind` around the reader) and reports the
/// file as unreadable.
#[cfg(feature = "parquet")]
#[test]
fn parquet_levels_past_the_page_end_are_invalid_parquet() {
    let bytes = input("events_parquet-levels-past-page-end.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
}

/// events_parquet: a 1.3 KB file whose first page header holds lists the `parquet` crate (60.1)
/// skips without consuming their bytes (as in the footer above): 3.7 s in the release CLI. Page
/// headers are walked before decoding, and one that starts as a page header but is not
/// well-formed Thrift is refused.
#[cfg(feature = "parquet")]
#[test]
fn parquet_page_header_that_does_not_walk_is_refused_before_decoding() {
    let bytes = input("events_parquet-endless-page-header.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(
        error
            .to_string()
            .contains("header that is not a well-formed page header"),
        "{error}"
    );
}

/// events_parquet: a 1.4 KB file whose INT64 column chunk claims 24 KB (past the file's end) and
/// whose dictionary page declares its value count with a 14-byte varint; the `parquet` crate
/// (60.1) reads that as a huge count and zero-fills room for that many values (`set_dict`): 13 GB
/// and 22 s in the release CLI. Chunks are now walked as far as the file goes, and the header is
/// refused (a varint longer than 10 bytes is not Thrift; a dictionary declaring more values
/// than its bytes can hold is refused too).
#[cfg(feature = "parquet")]
#[test]
fn parquet_dictionary_declaring_more_values_than_its_bytes_is_refused_before_decoding() {
    let bytes = input("events_parquet-huge-dictionary.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    assert!(refused_by_the_walk(&error.to_string()), "{error}");
}

/// A well-typed file whose `timestamp` dictionary page declares 63 values in 112 bytes (room for
/// 14 INT64s).
#[cfg(feature = "parquet")]
#[test]
fn parquet_well_typed_dictionary_declaring_more_values_than_its_bytes_is_refused() {
    let bytes = input("events_parquet-crafted-dictionary-overfull.parquet");
    let error = read_events(&bytes, EventFormat::Parquet, &ReadOptions::default()).unwrap_err();
    assert_eq!(error.code(), "invalid_parquet", "{error}");
    let message = error.to_string();
    assert!(
        message.contains("column \"timestamp\"")
            && message.contains("dictionary declaring 63 values, more than its 112 bytes"),
        "{message}"
    );
}

/// journey_yaml (differential): `{perab osn:, score: 0}` is a mapping to the streaming YAML
/// reader and a syntax error to the full one. Flow collections take the full reader, so every
/// front (with or without the streaming reader) refuses it alike.
#[test]
fn yaml_that_only_the_streaming_reader_accepts_is_refused_everywhere() {
    let bytes = input("journey_yaml-flow-key-colon.yaml");
    let text = std::str::from_utf8(&bytes).unwrap();
    let error = cjm_core::parse_journey(text, cjm_core::Format::Yaml).unwrap_err();
    assert_eq!(error.code(), "yaml_syntax", "{error}");
    assert_eq!(error.location().line, Some(22));
    #[cfg(feature = "streaming-yaml")]
    assert_eq!(cjm_core::yaml_readers_agree(text), Ok(()));
}

/// journey_yaml (differential): `namlue: 0842` under an unknown key (kept as data) was the
/// number 842.0 to the streaming YAML reader and the text "0842" to the full one. Numbers
/// outside plain decimal take the full reader, so every front reads the text.
#[test]
fn yaml_numbers_outside_plain_decimal_read_alike_everywhere() {
    let bytes = input("journey_yaml-leading-zero-number.yaml");
    let text = std::str::from_utf8(&bytes).unwrap();
    let journey = cjm_core::parse_journey(text, cjm_core::Format::Yaml).unwrap();
    let json = cjm_core::journey_to_value(&journey).unwrap();
    let kept = &json["stages"][0]["compares dering coffee onuchpoi~ts"][0]["namlue"];
    assert_eq!(kept, &serde_json::json!("0842"));
    #[cfg(feature = "streaming-yaml")]
    assert_eq!(cjm_core::yaml_readers_agree(text), Ok(()));
}

/// journey_yaml (differential): a `|` block scalar whose last line is a single space at the end
/// of the file; the streaming reader kept two line breaks, the full one one. Lines of nothing
/// but spaces take the full reader.
#[test]
fn yaml_block_scalar_before_a_space_only_line_reads_alike_everywhere() {
    let bytes = input("journey_yaml-block-scalar-space-line.yaml");
    let text = std::str::from_utf8(&bytes).unwrap();
    let journey = cjm_core::parse_journey(text, cjm_core::Format::Yaml).unwrap();
    let json = cjm_core::journey_to_value(&journey).unwrap();
    assert_eq!(
        json["1 i id"],
        serde_json::json!("<<<=<d: |\n<e< emotions:\n         -  nr3=<d: |\n")
    );
    #[cfg(feature = "streaming-yaml")]
    assert_eq!(cjm_core::yaml_readers_agree(text), Ok(()));
}

/// journey_yaml (differential): a `|` block scalar on the file's last line with no final line
/// break; the streaming reader ended the text with a line break, the full one did not. Files
/// without a final line break take the full reader.
#[test]
fn yaml_block_scalar_at_the_end_without_a_newline_reads_alike_everywhere() {
    let bytes = input("journey_yaml-block-scalar-at-end-without-newline.yaml");
    let text = std::str::from_utf8(&bytes).unwrap();
    let journey = cjm_core::parse_journey(text, cjm_core::Format::Yaml).unwrap();
    let json = cjm_core::journey_to_value(&journey).unwrap();
    assert_eq!(
        json["s 2 i i"],
        serde_json::json!("<<<=<d: |\n<e< emotionstitle: otionstitle:  <<<=<")
    );
    #[cfg(feature = "streaming-yaml")]
    assert_eq!(cjm_core::yaml_readers_agree(text), Ok(()));
}

/// journey_yaml (differential): `falSe` is text to YAML's core schema (the full reader) and a
/// boolean to the streaming parser. Odd casings of true, false and null take the full reader.
#[test]
fn yaml_odd_case_booleans_read_alike_everywhere() {
    let bytes = input("journey_yaml-odd-case-boolean.yaml");
    let text = std::str::from_utf8(&bytes).unwrap();
    let journey = cjm_core::parse_journey(text, cjm_core::Format::Yaml).unwrap();
    let json = cjm_core::journey_to_value(&journey).unwrap();
    assert_eq!(json["Bstages"], serde_json::json!("falSe"));
    #[cfg(feature = "streaming-yaml")]
    assert_eq!(cjm_core::yaml_readers_agree(text), Ok(()));
}
