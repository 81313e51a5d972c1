//! What converting `tests/inputs/clean.yaml` to Mermaid drops, worked out by reading the
//! file: it has an `updated` date, a stage duration, two channels, one evidence reference on a
//! touchpoint, one pain point (with evidence, id `card-declined`), one journey metric, one
//! opportunity, one evidence entry and one score with a sample size.

use cjm_core::{Format, Journey, parse_journey};

fn clean() -> Journey {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/inputs/clean.yaml"
    ))
    .expect("read");
    parse_journey(&text, Format::Yaml).expect("loads")
}

#[test]
fn json_and_yaml_lose_nothing() {
    assert!(Format::Json.conversion_losses(&clean()).is_empty());
    assert!(Format::Yaml.conversion_losses(&clean()).is_empty());
}

#[test]
fn mermaid_losses_of_the_clean_journey() {
    assert_eq!(
        Format::Mermaid.conversion_losses(&clean()),
        [
            "the updated date",
            "1 stage duration",
            "2 touchpoint channels",
            "1 evidence reference",
            "1 pain point",
            "1 metric",
            "1 opportunity",
            "1 evidence entry",
            "1 sample size",
        ]
    );
}

#[test]
fn csv_losses_come_from_the_csv_table() {
    // The CSV writer's own list (`csv_table::csv_losses`): one `<JSON pointer>: <why>` per
    // dropped value. The table has no rows for opportunities.
    let losses = Format::Csv.conversion_losses(&clean());
    assert!(losses.iter().all(|l| l.starts_with('/')), "{losses:?}");
    assert!(
        losses.iter().any(|l| l.starts_with("/opportunities: ")),
        "{losses:?}"
    );
}

#[test]
fn mermaid_losses_of_scores() {
    let yaml = "\
id: scores
title: Scores
personas:
  - {id: ann, name: Ann}
  - {id: bob, name: Bob}
  - {id: ann-too, name: Ann}
stages:
  - id: s
    name: S
    touchpoints:
      - {id: a, name: A, emotions: [{persona: ann, score: 1}, {persona: bob, score: -1}]}
      - {id: b, name: B, emotions: [{score: 0.5}]}
      - {id: c, name: C, emotions: [{score: 1}, {persona: bob, score: 1}]}
      - {id: d, name: D, emotions: [{persona: ghost, score: 1}, {persona: ann-too, score: 1}]}
      - {id: e, name: E, emotions: [{score: 2}, {score: 2}]}
      - {id: f, name: F}
";
    let journey = parse_journey(yaml, Format::Yaml).expect("loads");
    // a: Ann +1 and Bob −1 become their mean 0 for both. b: 0.5 is between faces 3 (0) and 4 (1).
    // c: the all-personas score beside Bob's is dropped. d: `ghost` is no persona; `ann-too`
    // is named Ann, so its score goes to `ann`. e: two scores for all become one. f: unscored
    // is kept.
    assert_eq!(
        Format::Mermaid.conversion_losses(&journey),
        [
            "1 touchpoint whose personas score differently (written as their mean)",
            "1 score between Mermaid's whole faces (rounded)",
            "1 score for all personas beside per-persona scores",
            "1 repeated score",
            "1 score of an unknown persona (read back as a new persona)",
            "1 score of a persona sharing its name with another (actors are names)",
        ]
    );
}
