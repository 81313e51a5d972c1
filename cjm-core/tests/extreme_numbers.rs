//! Extreme numbers (1e308, 1e-46, ±0) in a journey: every analysis result is finite and has no
//! `-0`, and validation names the absurd values `out_of_range`.

use cjm_core::{
    EmotionScale, Format, FrictionWeights, ValidateOptions, analyze_gaps, compare_journeys,
    emotion_curve, friction, parse_journey, plan, plan_csv, validate,
};
use serde_json::Value;

fn journey(text: &str) -> cjm_core::Journey {
    parse_journey(text, Format::Yaml).expect("journey")
}

fn extreme() -> cjm_core::Journey {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/inputs/extreme-numbers.yaml"),
    )
    .expect("input");
    journey(&text)
}

/// Every number in `value` (as JSON) is finite and not `-0`; a non-finite one would have been
/// written as `null`, so numbers are checked where the typed value is known to hold one.
fn assert_tidy(value: &Value, at: &str) {
    match value {
        Value::Number(n) => {
            let v = n.as_f64().expect("number");
            assert!(v.is_finite(), "{at}: {v}");
            assert!(!(v == 0.0 && v.is_sign_negative()), "{at}: negative zero");
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                assert_tidy(item, &format!("{at}/{i}"));
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                assert_tidy(item, &format!("{at}/{key}"));
            }
        }
        _ => {}
    }
}

#[test]
fn normalise_handles_huge_bounds_and_never_gives_minus_zero() {
    let huge = EmotionScale {
        min: -1e308,
        max: 1e308,
    };
    assert_eq!(huge.normalise(1e308), 1.0);
    assert_eq!(huge.normalise(-1e308), -1.0);
    assert_eq!(huge.normalise(5e307), 0.5);
    let zero = huge.normalise(-0.0);
    assert_eq!(zero, 0.0);
    assert!(zero.is_sign_positive());
    let usual = EmotionScale::default();
    assert!(usual.normalise(-0.0).is_sign_positive());
    // Outside the scale: the nearer end.
    assert_eq!(usual.normalise(1e308), 1.0);
    assert_eq!(usual.normalise(-7.0), -1.0);
    assert_eq!(usual.normalise(1.0), 0.5);
    let max = EmotionScale {
        min: -f64::MAX,
        max: f64::MAX,
    };
    assert_eq!(max.normalise(f64::MAX), 1.0);
    assert_eq!(max.denormalise(1.0), f64::MAX);
    assert_eq!(max.denormalise(0.0), 0.0);
}

#[test]
fn curve_plan_friction_and_gaps_stay_finite() {
    let j = extreme();
    let curve = emotion_curve(&j, None).expect("curve");
    let values: Vec<f64> = curve.points.iter().map(|p| p.value).collect();
    assert_eq!(values, [1.0, -1.0, 0.0]);
    assert!(curve.points[2].value.is_sign_positive());
    assert!(curve.points[2].score.is_sign_positive());
    let stats = curve.stats.as_ref().expect("stats");
    assert_eq!(
        (
            stats.mean,
            stats.peak_end,
            stats.area_below_neutral,
            stats.volatility
        ),
        (0.0, -0.5, 1.0, 1.5)
    );
    assert_tidy(&serde_json::to_value(&curve).unwrap(), "curve");

    let gaps = analyze_gaps(&j);
    assert_tidy(&serde_json::to_value(&gaps).unwrap(), "gaps");
    let p = plan(&j, &gaps);
    let scores: Vec<Option<f64>> = p.items.iter().map(|i| i.score).collect();
    assert_eq!(scores, [Some(f64::MAX), Some(0.0), Some(2.0 * 0.5 / 1e-46)]);
    assert!(p.items[2].reach.expect("reach").is_sign_positive());
    assert_tidy(&serde_json::to_value(&p).unwrap(), "plan");
    let csv = plan_csv(&p);
    assert!(
        !csv.contains("inf") && !csv.contains("NaN") && !csv.contains(",-0"),
        "{csv}"
    );
    assert!(csv.contains("1.7976931348623157e308"), "{csv}");
    assert!(csv.contains("1e-46"), "{csv}");

    let f = friction(&j, &FrictionWeights::default());
    assert_tidy(&serde_json::to_value(&f).unwrap(), "friction");
    // Friction weights near the largest float: only their ratios matter.
    let huge = FrictionWeights {
        emotion: 1e308,
        pain: 1e308,
        drop_off: 1e308,
        effort: 1e308,
        time: 1e308,
        support: 1e308,
        backtracking: 1e308,
        errors: 1e308,
    };
    let f = friction(&j, &huge);
    let t2 = &f.touchpoints[1].score;
    // t2 is at -1: emotion level 1, pain 0 (none listed), all weights equal: (1 + 0)/2.
    assert_eq!(t2.index, Some(50.0));
    assert_eq!(t2.coverage, 2.0 / 8.0);
    assert_tidy(&serde_json::to_value(&f).unwrap(), "friction");
}

#[test]
fn metric_differences_that_overflow_are_unknown() {
    let text = r#"
id: m
title: Metrics near the largest float
stages:
  - id: s
    name: S
    touchpoints:
      - id: t
        name: T
        metrics:
          - {kind: conversion, value: -1.0e308, target: 1.0e308}
          - {kind: traffic, value: 1.0e308}
      - id: u
        name: U
        emotions: [{score: -0.0}]
        metrics:
          - {kind: traffic, value: 1.0e308}
          - {kind: drop_off, value: 0.5}
      - id: v
        name: V
        metrics:
          - {kind: traffic, value: 1.0e308}
          - {kind: drop_off, value: 0.25}
"#;
    let j = journey(text);
    let gaps = analyze_gaps(&j);
    let status = &gaps.metrics[0];
    assert_eq!((status.gap, status.shortfall), (None, None));
    assert_eq!(status.status, cjm_core::TargetStatus::Missed);
    let target_gap = gaps
        .gaps
        .iter()
        .find(|g| g.touchpoint.as_deref() == Some("t") && g.severity > 0.0)
        .expect("the missed target is a gap");
    assert_eq!(target_gap.severity, 0.5);
    assert_tidy(&serde_json::to_value(&gaps).unwrap(), "gaps");

    // Traffic 1e308 at every touchpoint: the traffic-weighted stage drop-off is the plain mean
    // of 0.5 and 0.25 (the sums would overflow), not unknown.
    let f = friction(&j, &FrictionWeights::default());
    let stage = &f.stages[0].score;
    let drop = stage
        .components
        .iter()
        .find(|c| c.kind == cjm_core::ComponentKind::DropOff)
        .expect("drop-off is known");
    assert!((drop.value - 0.375).abs() < 1e-12, "{}", drop.value);
    assert_tidy(&serde_json::to_value(&f).unwrap(), "friction");

    let mut to_be = j.clone();
    to_be.stages[0].touchpoints[0].metrics[0].value = Some(1.0e308);
    let comparison = compare_journeys(&j, &to_be, &FrictionWeights::default());
    assert_eq!(comparison.metrics[0].change, None);
    assert_tidy(&serde_json::to_value(&comparison).unwrap(), "comparison");
}

#[test]
fn validation_names_absurd_values_out_of_range() {
    let problems = validate(&extreme(), &ValidateOptions::default());
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.code.as_str(), p.path.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("out_of_range", "/emotion_scale/min"),
            ("out_of_range", "/emotion_scale/max"),
            ("out_of_range", "/opportunities/0/reach"),
            ("out_of_range", "/opportunities/0/effort"),
            ("out_of_range", "/opportunities/1/effort"),
            ("out_of_range", "/opportunities/2/reach"),
            ("out_of_range", "/opportunities/2/impact"),
            ("out_of_range", "/opportunities/2/effort"),
        ]
    );
    // The limits themselves are accepted.
    let text = r#"
id: b
title: At the limits
updated: "2026-11-01"
emotion_scale: {min: -1000000, max: 1000000}
stages:
  - id: s
    name: S
    touchpoints:
      - {id: t, name: T, evidence: [e]}
evidence: [{id: e, kind: analytics, title: E}]
opportunities:
  - {id: o, title: O, reach: 1.0e12, impact: 1000000, confidence: 1, effort: 1.0e-6}
  - {id: p, title: P, effort: 1000000}
"#;
    assert_eq!(validate(&journey(text), &ValidateOptions::default()), []);
}

#[test]
fn durations_of_logs_built_from_extreme_columns_never_wrap() {
    use cjm_core::{EventLog, PathOptions, loyalty, paths};
    // from_columns takes times as given (readers check 1900-2200): analyses must still not
    // overflow. Each user goes a -> b across 2^63 ms, more than i64 holds: the duration
    // saturates at i64::MAX ms, and the median of two such (an even count) is summed in i128;
    // before, paths reported a median of -9.2e15 s.
    let far = 1i64 << 62;
    let log = EventLog::from_columns(
        &[1, 1, 2, 2],
        &[-far, far, -far, far],
        &[0, 1, 0, 1],
        vec!["a".to_string(), "b".to_string()],
    )
    .expect("columns");
    let result = paths(&log, None, &PathOptions::default()).expect("paths");
    let median = result.transitions[0].median_seconds.expect("median");
    assert_eq!(median, i64::MAX as f64 / 1000.0);
    let result = loyalty(&log, "b").expect("loyalty");
    assert_eq!(result.customers, 2);
    let result = loyalty(&log, "a").expect("loyalty");
    assert_eq!(result.time_to_second_purchase.median, None);
}

#[test]
fn average_order_value_of_huge_amounts_does_not_overflow() {
    use cjm_core::{EventFormat, ReadOptions, loyalty, read_events};
    let csv = "user_id,timestamp,event,value\nu1,2024-05-01,buy,1e308\nu2,2024-05-01,buy,1e308\n";
    let log = read_events(csv.as_bytes(), EventFormat::Csv, &ReadOptions::default()).unwrap();
    let result = loyalty(&log, "buy").expect("loyalty");
    assert_eq!(result.average_order_value, Some(1e308));
}
