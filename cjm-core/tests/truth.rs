//! Figures written into maps mean what their names say: regression tests for the numbers a
//! review found wrong (friction of empty touchpoints, flat valleys, targets of 0).

use cjm_core::{
    EmotionScore, Extensions, Format, FrictionScore, FrictionWeights, Journey, Touchpoint,
    analyze_gaps, emotion_curve, friction, parse_journey,
};

fn example(name: &str) -> Journey {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
        .join("journey.yaml");
    parse_journey(
        &std::fs::read_to_string(path).expect("example"),
        Format::Yaml,
    )
    .expect("parse")
}

fn emotion(score: f64) -> EmotionScore {
    EmotionScore {
        persona: None,
        score,
        sample_size: None,
        extensions: Extensions::new(),
    }
}

fn assert_contributions_sum(score: &FrictionScore, place: &str) {
    let sum: f64 = score.components.iter().map(|c| c.contribution).sum();
    match score.index {
        Some(index) => assert!((sum - index).abs() < 1e-9, "{place}: {sum} vs {index}"),
        None => assert!(
            score.components.is_empty(),
            "{place}: components without an index"
        ),
    }
}

#[test]
fn an_empty_touchpoint_has_no_index_and_changes_no_stage() {
    for name in ["sports-nutrition", "ecommerce"] {
        let journey = example(name);
        let before = friction(&journey, &FrictionWeights::default());
        for s in 0..journey.stages.len() {
            let mut with_empty = journey.clone();
            with_empty.stages[s]
                .touchpoints
                .push(Touchpoint::new("placeholder", "To be researched"));
            let after = friction(&with_empty, &FrictionWeights::default());
            assert_eq!(
                after.stages[s].score, before.stages[s].score,
                "{name} stage {s}"
            );
            assert_eq!(after.journey, before.journey, "{name} stage {s}");
            let empty = after
                .touchpoints
                .iter()
                .find(|t| t.touchpoint == "placeholder")
                .expect("placeholder scored");
            assert_eq!(empty.score.index, None);
            assert_eq!(empty.score.coverage, 0.0);
            assert_eq!(empty.score.missing.len(), 8);
        }
        for tp in &before.touchpoints {
            assert_contributions_sum(&tp.score, &tp.touchpoint);
        }
        for stage in &before.stages {
            assert_contributions_sum(&stage.score, &stage.stage);
        }
        assert_contributions_sum(&before.journey, name);
    }
}

#[test]
fn a_touchpoint_with_only_an_emotion_knows_it_has_no_pain() {
    let mut journey = Journey::new("j", "J");
    let mut stage = cjm_core::Stage::new("s", "S");
    let mut tp = Touchpoint::new("t", "T");
    tp.emotions.push(emotion(1.0));
    stage.touchpoints.push(tp);
    journey.stages.push(stage);
    let report = friction(&journey, &FrictionWeights::default());
    let score = &report.touchpoints[0].score;
    // Emotion +1 of −2..+2 (level 0) and no pain listed (a known 0): index 0, two components.
    assert_eq!(score.index, Some(0.0));
    assert_eq!(score.components.len(), 2);
}

#[test]
fn a_flat_valley_is_one_valley() {
    let mut journey = Journey::new("j", "J");
    let mut stage = cjm_core::Stage::new("s", "S");
    for (i, score) in [1.0, -1.0, -1.0, -1.0, 0.0, -2.0, -2.0]
        .into_iter()
        .enumerate()
    {
        let mut tp = Touchpoint::new(format!("t{i}"), format!("T{i}"));
        tp.emotions.push(emotion(score));
        stage.touchpoints.push(tp);
    }
    journey.stages.push(stage);
    let curve = emotion_curve(&journey, None).expect("curve");
    let stats = curve.stats.expect("stats");
    let valleys: Vec<&str> = stats
        .valleys
        .iter()
        .map(|v| v.touchpoint.as_str())
        .collect();
    // The plateau t1..t3 counts once (at t1); t5..t6 runs to the end, deepest, so first.
    assert_eq!(valleys, ["t5", "t1"]);
}

#[test]
fn a_target_of_zero_reports_the_distance_not_a_percentage() {
    let journey = parse_journey(
        r#"
id: j
title: J
stages:
  - id: s
    name: S
    metrics: [{name: Payment errors, kind: error_rate, value: 0.02, target: 0}]
    touchpoints: [{id: t, name: T}]
"#,
        Format::Yaml,
    )
    .expect("journey");
    let gaps = analyze_gaps(&journey);
    let gap = gaps
        .gaps
        .iter()
        .find(|g| g.subject == "Payment errors")
        .expect("gap");
    assert!(!gap.message.contains('%'), "{}", gap.message);
    assert!(gap.message.contains("0.02 off target"), "{}", gap.message);
}
