//! Duplicate keys, YAML tags, multi-document YAML, hexadecimal/octal numbers and integers
//! beyond 64 bits (issue 10, item 12). The shared cases in `tests/cases/load` hold one input of
//! each; these are the edge cases around them. Expected places are counted by hand.

use cjm_core::{CjmError, Format, parse_journey};
use serde_json::json;

fn error(text: &str, format: Format) -> (String, Option<u64>, Option<u64>, Option<String>) {
    match parse_journey(text, format) {
        Ok(journey) => panic!("loaded, expected an error: {journey:?}"),
        Err(e) => {
            let info = e.info();
            let l = e.location();
            (info.code.to_string(), l.line, l.column, l.path)
        }
    }
}

fn code_at(
    code: &str,
    line: u64,
    column: u64,
    path: Option<&str>,
) -> (String, Option<u64>, Option<u64>, Option<String>) {
    (
        code.to_string(),
        Some(line),
        Some(column),
        path.map(str::to_string),
    )
}

fn loads(text: &str, format: Format) -> serde_json::Value {
    let journey = parse_journey(text, format).unwrap_or_else(|e: CjmError| panic!("{e}"));
    cjm_core::journey_to_value(&journey).expect("as value")
}

#[test]
fn json_duplicate_keys_are_found_after_decoding_escapes() {
    // "\u006b" is "k": the same key. The second starts at column 43.
    let text = r#"{"id": "a", "title": "T", "x-a": {"k": 1, "\u006b": 2}}"#;
    assert_eq!(
        error(text, Format::Json),
        code_at("duplicate_key", 1, 43, Some("/x-a/k"))
    );
    // The same key in two different objects is no duplicate.
    let text = r#"{"id": "a", "title": "T", "x-a": {"k": 1}, "x-b": {"k": 2}}"#;
    assert_eq!(loads(text, Format::Json)["x-b"], json!({"k": 2}));
    // Inside an array of objects, the pointer names the element.
    let text = "{\"id\": \"a\", \"title\": \"T\",\n \"stages\": [{\"id\": \"s\", \"name\": \"S\"},\n  {\"id\": \"t\", \"name\": \"T\", \"name\": \"U\"}]}";
    assert_eq!(
        error(text, Format::Json),
        code_at("duplicate_key", 3, 28, Some("/stages/1/name"))
    );
}

#[test]
fn json_syntax_and_depth_errors_are_unchanged() {
    assert_eq!(error("{\"id\": \"a\",, }", Format::Json).0, "json_syntax");
    let deep = format!(
        r#"{{"id": "a", "title": "T", "x-a": {}{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    assert_eq!(error(&deep, Format::Json).0, "too_deep");
}

#[test]
fn json_integers_at_the_64_bit_limits_load_and_floats_are_floats() {
    let text = r#"{"id": "a", "title": "T", "x-max": 18446744073709551615, "x-min": -9223372036854775808, "x-float": 1e30, "x-big-float": 18446744073709551616.0}"#;
    let value = loads(text, Format::Json);
    assert_eq!(value["x-max"], json!(u64::MAX));
    assert_eq!(value["x-min"], json!(i64::MIN));
    assert_eq!(value["x-float"], json!(1e30));
    assert_eq!(value["x-big-float"], json!(18446744073709551616.0));
    // One below i64::MIN, at column 36.
    let text = r#"{"id": "a", "title": "T", "x-min": -9223372036854775809}"#;
    assert_eq!(
        error(text, Format::Json),
        code_at("number_out_of_range", 1, 36, Some("/x-min"))
    );
}

#[test]
fn yaml_duplicate_keys_in_flow_and_as_numbers() {
    // `1` and "1" are both read as the key "1".
    let text = "id: a\ntitle: T\nx-a: {1: a, \"1\": b}\n";
    assert_eq!(
        error(text, Format::Yaml),
        code_at("duplicate_key", 3, 13, Some("/x-a/1"))
    );
    // A duplicate inside a sequence element.
    let text = "id: a\ntitle: T\nstages:\n  - id: s\n    name: S\n    name: U\n";
    assert_eq!(
        error(text, Format::Yaml),
        code_at("duplicate_key", 6, 5, Some("/stages/0/name"))
    );
}

#[test]
fn yaml_exclamation_marks_in_text_are_no_tags() {
    let text = "id: a\ntitle: Hello !world\ndescription: |\n  !not a tag\n  - !nor this\n# !comment\nx-a: [a, '!b', \"!c\"]\nx-b: !!str 5\nx-c: don't !x\nx-d: !!int 7\n";
    let value = loads(text, Format::Yaml);
    assert_eq!(value["title"], json!("Hello !world"));
    assert_eq!(value["description"], json!("!not a tag\n- !nor this\n"));
    assert_eq!(value["x-a"], json!(["a", "!b", "!c"]));
    assert_eq!(value["x-b"], json!("5"));
    assert_eq!(value["x-c"], json!("don't !x"));
    assert_eq!(value["x-d"], json!(7));
}

#[test]
fn yaml_tags_outside_the_core_schema_are_refused_where_they_stand() {
    // In a flow sequence: `!foo` at column 10.
    assert_eq!(
        error("id: a\ntitle: T\nx-a: [a, !foo b]\n", Format::Yaml).0,
        "yaml_tag"
    );
    assert_eq!(
        error("id: a\ntitle: T\nx-a: [a, !foo b]\n", Format::Yaml).1,
        Some(3)
    );
    assert_eq!(
        error("id: a\ntitle: T\nx-a: [a, !foo b]\n", Format::Yaml).2,
        Some(10)
    );
    // A block scalar tagged !!binary, and a tagged mapping.
    assert_eq!(
        error(
            "id: a\ntitle: T\nx-a: !!binary |\n  aGVsbG8=\n",
            Format::Yaml
        ),
        code_at("yaml_tag", 3, 6, None)
    );
    assert_eq!(
        error("id: a\ntitle: T\nx-a: !!set {a, b}\n", Format::Yaml),
        code_at("yaml_tag", 3, 6, None)
    );
    // After an anchor.
    assert_eq!(
        error(
            "id: a\ntitle: T\nx-a: &k !!timestamp 2001-12-14\n",
            Format::Yaml
        ),
        code_at("yaml_tag", 3, 9, None)
    );
}

#[test]
fn yaml_second_document_is_located() {
    let text = "id: a\ntitle: T\n...\n# comment\nid: b\n";
    assert_eq!(
        error(text, Format::Yaml),
        (String::from("yaml_syntax"), Some(5), Some(1), None)
    );
    let text = "# c\n---\nid: a\ntitle: T\n--- \nid: b\n";
    assert_eq!(
        error(text, Format::Yaml),
        (String::from("yaml_syntax"), Some(5), Some(1), None)
    );
}

#[test]
fn yaml_hex_and_octal_are_numbers_only_where_numbers_are_expected() {
    let text = "id: a\ntitle: 0x1F\nemotion_scale: {min: -0x2, max: 0o12}\nx-n: 0o17\n";
    let value = loads(text, Format::Yaml);
    assert_eq!(value["title"], json!("0x1F"));
    assert_eq!(value["emotion_scale"], json!({"min": -2.0, "max": 10.0}));
    assert_eq!(value["x-n"], json!(15));
    // A later error on the same line keeps its column: `0x1` is padded to 3 characters.
    let text = "id: a\ntitle: T\nemotion_scale: {min: 0x1, max: high}\n";
    assert_eq!(
        error(text, Format::Yaml),
        code_at("wrong_type", 3, 32, Some("/emotion_scale/max"))
    );
}

#[test]
fn yaml_integers_beyond_128_bits_are_refused_but_big_floats_load() {
    let text =
        "id: a\ntitle: T\nx-a: 1.0e30\nx-b: 2e19\nx-c: 99999999999999999999999999999999999999999\n";
    assert_eq!(
        error(text, Format::Yaml),
        code_at("number_out_of_range", 5, 6, Some("/x-c"))
    );
    let value = loads("id: a\ntitle: T\nx-a: 1.0e30\nx-b: 2e19\n", Format::Yaml);
    assert_eq!(value["x-b"], json!(2e19));
    // Beyond 128 bits in hexadecimal the reader keeps the text: no number is changed.
    let value = loads(
        "id: a\ntitle: T\nx-a: 0xffffffffffffffffffffffffffffffffffff\n",
        Format::Yaml,
    );
    assert_eq!(
        value["x-a"],
        json!("0xffffffffffffffffffffffffffffffffffff")
    );
}
