//! `apply`: measured metrics are separate entries it owns; hand-entered metrics never change;
//! time in stage, backtracking and conversion mean what their names say.

use cjm_core::{
    ApplyOptions, EventLog, Format, GapKind, Journey, MetricAction, MetricKind, MetricSource,
    analyze_gaps, apply_events, parse_journey,
};
use proptest::prelude::*;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// Three stages with hand-entered metrics on the first, the way a team types them in.
fn journey() -> Journey {
    parse_journey(
        r#"
id: j
title: J
stages:
  - id: browse
    name: Browse
    metrics:
      - {name: Product view to cart, kind: conversion, value: 8.5, target: 11, unit: "%"}
      - {kind: time_in_stage, value: 5, target: 3, unit: days}
    touchpoints: [{id: catalog, name: Catalog, events: [catalog_view, product_view]}]
  - id: buy
    name: Buy
    touchpoints: [{id: pay, name: Pay, events: [order_placed]}]
  - id: use
    name: Use
    touchpoints: [{id: open, name: Open the product, events: [app_open]}]
"#,
        Format::Yaml,
    )
    .expect("journey")
}

fn log(rows: &[(&str, i64, &str)]) -> EventLog {
    let mut log = EventLog::new(&[]);
    for (user, time, event) in rows {
        // 2024-05-01T00:00:00Z, so every time is a realistic date.
        log.push(user, 1_714_521_600_000 + time, event, &[], None);
    }
    log
}

fn stage_metric(journey: &Journey, stage: &str, kind: MetricKind) -> cjm_core::Metric {
    journey
        .stages
        .iter()
        .find(|s| s.id == stage)
        .and_then(|s| s.metrics.iter().find(|m| m.kind == kind && m.is_measured()))
        .cloned()
        .unwrap_or_else(|| panic!("no measured {kind:?} on {stage}"))
}

#[test]
fn time_in_stage_runs_from_the_first_event_to_the_next_stage() {
    // The review's example: a customer browses the catalog on three days and buys five minutes
    // after the last visit. Time in "browse" is ~48 h, not the 5 minutes since the last visit.
    let rows = [
        ("u1", 0, "catalog_view"),
        ("u1", DAY, "catalog_view"),
        ("u1", 2 * DAY, "catalog_view"),
        ("u1", 2 * DAY + 5 * 60_000, "order_placed"),
    ];
    let (filled, _) =
        apply_events(&journey(), &log(&rows), &ApplyOptions::default()).expect("apply");
    let time = stage_metric(&filled, "browse", MetricKind::TimeInStage);
    // The hand metric is in days, so the measured one is written in days too: 48 h 5 min.
    assert_eq!(time.unit.as_deref(), Some("days"));
    let expected_days = (2.0 * 24.0 + 5.0 / 60.0) / 24.0;
    assert!((time.value.expect("value") - expected_days).abs() < 1e-5);
    assert_eq!(time.sample_size, Some(1));
    assert_eq!(time.source, Some(MetricSource::Events));
}

#[test]
fn time_in_stage_reports_median_p90_and_sample_size() {
    // Five users leave "browse" after 1, 2, 3, 4 and 10 hours; a sixth never leaves (not in
    // the sample); a seventh leaves after 40 days, outside the 30-day window (not in it either).
    let mut rows = Vec::new();
    let users = ["a", "b", "c", "d", "e"];
    for (user, hours) in users.iter().zip([1, 2, 3, 4, 10]) {
        rows.push((*user, 0, "catalog_view"));
        rows.push((*user, hours * HOUR, "order_placed"));
    }
    rows.push(("f", 0, "catalog_view"));
    rows.push(("g", 0, "catalog_view"));
    rows.push(("g", 40 * DAY, "order_placed"));
    let mut journey = journey();
    journey.stages[0].metrics.clear();
    let (filled, _) = apply_events(&journey, &log(&rows), &ApplyOptions::default()).expect("apply");
    let time = stage_metric(&filled, "browse", MetricKind::TimeInStage);
    assert_eq!(time.unit.as_deref(), Some("h"));
    assert_eq!(time.value, Some(3.0));
    assert_eq!(time.sample_size, Some(5));
    // Nearest rank: the ⌈0.9 × 5⌉ = 5th smallest.
    assert_eq!(time.extensions.get("x-p90"), Some(&serde_json::json!(10.0)));
}

#[test]
fn hand_metrics_are_never_changed_and_disagreement_is_a_gap() {
    // 10 users browse, 9 buy: measured stage conversion 90 % against a hand-entered 8.5 %
    // "Product view to cart" (another definition): the hand metric stays as typed, the
    // measured one is its own entry, and gap analysis reports the disagreement.
    let mut rows = Vec::new();
    let users: Vec<String> = (0..10).map(|u| format!("u{u}")).collect();
    for (u, user) in users.iter().enumerate() {
        rows.push((user.as_str(), 0, "catalog_view"));
        if u < 9 {
            rows.push((user.as_str(), HOUR, "order_placed"));
        }
    }
    let before = journey();
    let (filled, report) =
        apply_events(&before, &log(&rows), &ApplyOptions::default()).expect("apply");
    assert_eq!(filled.stages[0].metrics[..2], before.stages[0].metrics[..]);
    let conversion = stage_metric(&filled, "browse", MetricKind::Conversion);
    assert_eq!(
        conversion.id.as_deref(),
        Some("stage.browse.conversion.events")
    );
    assert_eq!(
        (conversion.value, conversion.unit.as_deref()),
        (Some(90.0), Some("%"))
    );
    assert_eq!(conversion.target, None);
    assert_eq!(conversion.sample_size, Some(10));
    let left_alone: Vec<&str> = report
        .metrics
        .iter()
        .filter(|m| m.action == MetricAction::LeftAlone)
        .map(|m| m.path.as_str())
        .collect();
    assert_eq!(left_alone, ["/stages/0/metrics/0", "/stages/0/metrics/1"]);
    assert!(
        report
            .metrics
            .iter()
            .all(|m| m.action != MetricAction::Replaced)
    );
    let conflicts: Vec<_> = analyze_gaps(&filled)
        .gaps
        .into_iter()
        .filter(|g| g.kind == GapKind::MeasurementConflict)
        .collect();
    // Conversion 8.5 % vs 90 %; time in stage 5 days vs 1 h.
    assert_eq!(conflicts.len(), 2, "{conflicts:?}");
    assert!(
        conflicts[0].message.contains("Product view to cart")
            || conflicts[1].message.contains("Product view to cart")
    );
}

#[test]
fn a_second_run_replaces_its_own_metrics_and_changes_nothing_else() {
    let rows = [
        ("u1", 0, "catalog_view"),
        ("u1", HOUR, "order_placed"),
        ("u2", 0, "catalog_view"),
    ];
    let (once, _) = apply_events(&journey(), &log(&rows), &ApplyOptions::default()).expect("apply");
    let (twice, report) =
        apply_events(&once, &log(&rows), &ApplyOptions::default()).expect("apply");
    assert_eq!(twice, once);
    assert!(
        report
            .metrics
            .iter()
            .any(|m| m.action == MetricAction::Replaced)
    );
    assert!(
        report
            .metrics
            .iter()
            .all(|m| m.action != MetricAction::Added)
    );
}

#[test]
fn backtracking_counts_users_within_the_window_over_those_who_entered() {
    // 4 users reach "buy". u1 goes back to browse an hour later (counts), u2 goes back after 40
    // days (outside the 30-day window: does not count), u3 goes back twice (counts once), u4
    // never goes back. Rate 2/4.
    let rows = [
        ("u1", 0, "catalog_view"),
        ("u1", HOUR, "order_placed"),
        ("u1", 2 * HOUR, "catalog_view"),
        ("u2", 0, "catalog_view"),
        ("u2", HOUR, "order_placed"),
        ("u2", 40 * DAY, "catalog_view"),
        ("u3", 0, "order_placed"),
        ("u3", HOUR, "catalog_view"),
        ("u3", 2 * HOUR, "order_placed"),
        ("u3", 3 * HOUR, "product_view"),
        ("u4", 0, "order_placed"),
    ];
    let (filled, _) =
        apply_events(&journey(), &log(&rows), &ApplyOptions::default()).expect("apply");
    let back = stage_metric(&filled, "buy", MetricKind::BacktrackRate);
    assert_eq!((back.value, back.sample_size), (Some(0.5), Some(4)));
}

fn random_rows() -> impl Strategy<Value = Vec<(u8, i64, usize)>> {
    proptest::collection::vec((0u8..8, 0i64..(60 * 24), 0usize..5), 0..80)
}

const EVENTS: [&str; 5] = [
    "catalog_view",
    "product_view",
    "order_placed",
    "app_open",
    "other",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn apply_is_idempotent_and_leaves_hand_metrics_alone(rows in random_rows()) {
        let users: Vec<String> = (0..8).map(|u| format!("u{u}")).collect();
        let rows: Vec<(&str, i64, &str)> = rows
            .iter()
            .map(|(u, minutes, e)| (users[*u as usize].as_str(), minutes * 60 * HOUR / 60, EVENTS[*e]))
            .collect();
        let log = log(&rows);
        let before = journey();
        let (once, report) = apply_events(&before, &log, &ApplyOptions::default()).expect("apply");
        let (twice, _) = apply_events(&once, &log, &ApplyOptions::default()).expect("apply");
        prop_assert_eq!(&twice, &once);
        // Every metric that was there before is still there, unchanged, at the same place.
        for (stage_before, stage_after) in before.stages.iter().zip(&once.stages) {
            prop_assert_eq!(&stage_after.metrics[..stage_before.metrics.len()], &stage_before.metrics[..]);
        }
        for m in &report.metrics {
            if m.action == MetricAction::LeftAlone {
                prop_assert!(m.id.as_deref().is_none_or(|id| !id.ends_with(".events")));
            }
        }
        for stage in &once.stages {
            for metric in stage.metrics.iter().filter(|m| m.is_measured()) {
                if matches!(metric.kind, MetricKind::BacktrackRate | MetricKind::Conversion | MetricKind::DropOff) {
                    let v = metric.value.expect("value");
                    prop_assert!((0.0..=100.0).contains(&v), "{:?} = {}", metric.kind, v);
                }
            }
        }
    }
}
