//! YAML aliases: ordinary reuse loads, linear and exponential expansion are refused (issue 10).

use std::time::Instant;

use cjm_core::{Format, LoadOptions, parse_journey, parse_journey_with};

/// The input of `tests/cases/load/yaml-linear-alias.json`: a 3 000-item anchor, 30 000 aliases.
fn linear_bomb(items: usize, references: usize) -> String {
    let mut text = String::from("id: linear\ntitle: Linear aliases\nstages: []\nx-items: &a [");
    text.push_str(&vec!["0"; items].join(","));
    text.push_str("]\nx-refs:\n");
    text.push_str(&"- *a\n".repeat(references));
    text
}

#[test]
fn linear_alias_expansion_is_refused_with_the_alias_named() {
    let text = linear_bomb(3_000, 30_000);
    let start = Instant::now();
    let error = parse_journey(&text, Format::Yaml).expect_err("90 M nodes must be refused");
    let elapsed = start.elapsed();
    assert_eq!(error.code(), "input_too_large");
    assert_eq!(error.kind(), cjm_core::ErrorKind::Parse);
    let location = error.location();
    // Line 6 is the first `- *a`; the alias starts after `- `.
    assert_eq!((location.line, location.column), (Some(6), Some(3)));
    let message = error.to_string();
    assert!(
        message.contains("alias *a is used 30000 time(s)"),
        "{message}"
    );
    assert!(
        message.contains("anchor &a at line 4, column 10"),
        "{message}"
    );
    // 156 066 bytes × 8 = 1 248 528 nodes.
    assert!(message.contains("more than 1248528 nodes"), "{message}");
    // Counting stops at the budget: nowhere near the time 90 M nodes would take.
    assert!(elapsed.as_secs() < 30, "took {elapsed:?}");
}

#[test]
fn a_long_string_referenced_many_times_is_refused_by_bytes() {
    // 200 000 bytes of text referenced 100 times: 20 MB of text from a 200 KB file, while the
    // node count (about 100) stays tiny. The byte budget is 8 × 200 KB ≈ 1.6 MB.
    let mut text = String::from("id: s\ntitle: t\nstages: []\nx-long: &long ");
    text.push_str(&"x".repeat(200_000));
    text.push_str("\nx-refs: [");
    text.push_str(&vec!["*long"; 100].join(", "));
    text.push_str("]\n");
    let error = parse_journey(&text, Format::Yaml).expect_err("refused");
    assert_eq!(error.code(), "input_too_large");
    assert!(error.to_string().contains("bytes of text"), "{error}");
    assert!(
        error
            .to_string()
            .contains("alias *long is used 100 time(s)"),
        "{error}"
    );
}

#[test]
fn ordinary_anchors_and_aliases_still_load() {
    let text = "\
id: reuse
title: Reuse
personas:
  - id: novice
    name: Novice
stages:
  - id: buy
    name: Buy
    touchpoints:
      - id: site
        name: Site
        emotions: &scores
          - persona: novice
            score: 1
        actions: &steps [look, compare, pick]
      - id: app
        name: App
        emotions: *scores
        actions: *steps
x-star: \"a * b & c\"
";
    let journey = parse_journey(text, Format::Yaml).expect("small reuse loads");
    let tps = &journey.stages[0].touchpoints;
    assert_eq!(tps[1].emotions, tps[0].emotions);
    assert_eq!(tps[1].actions, vec!["look", "compare", "pick"]);
}

#[test]
fn reuse_up_to_the_budget_loads() {
    // 100-item anchor × 2 000 references = 200 000 nodes, under the floor of 250 000.
    let text = linear_bomb(100, 2_000);
    let journey = parse_journey(&text, Format::Yaml).expect("loads");
    assert_eq!(
        journey
            .extensions
            .get("x-refs")
            .and_then(|v| v.as_array())
            .map(Vec::len),
        Some(2_000)
    );
    // The same file over the floor: 100 × 3 000 = 300 000 nodes > max(250 000, 8 × 15 266).
    let text = linear_bomb(100, 3_000);
    // 57 bytes of header, 199 of items, 10 of `]\nx-refs:\n`, 5 per reference.
    assert_eq!(text.len(), 57 + 199 + 10 + 5 * 3_000);
    let error = parse_journey(&text, Format::Yaml).expect_err("refused");
    assert_eq!(error.code(), "input_too_large");
}

#[test]
fn the_budget_never_exceeds_the_size_limit() {
    // 30-item anchor × 20 000 references: about 620 000 nodes from 100 126 bytes
    // (57 + 59 + 10 + 5 × 20 000). The relative budget, 8 × 100 126 = 801 008, admits it.
    let text = linear_bomb(30, 20_000);
    assert_eq!(text.len(), 100_126);
    let journey = parse_journey(&text, Format::Yaml).expect("under 8 per byte");
    assert_eq!(
        journey
            .extensions
            .get("x-refs")
            .and_then(|v| v.as_array())
            .map(Vec::len),
        Some(20_000)
    );
    // With a size limit of 200 000 bytes the budget is capped at 200 000, raised to the floor of
    // 250 000 nodes: the same file is refused although it is within the size limit.
    let options = LoadOptions { max_bytes: 200_000 };
    let error = parse_journey_with(&text, Format::Yaml, &options).expect_err("capped");
    assert_eq!(error.code(), "input_too_large");
    assert!(
        error.to_string().contains("more than 250000 nodes"),
        "{error}"
    );
}

#[test]
fn exponential_bomb_keeps_its_code() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/inputs/alias-bomb.yaml"
    ))
    .expect("read");
    let error = parse_journey(&text, Format::Yaml).expect_err("refused");
    assert_eq!(error.code(), "yaml_alias_limit");
}
