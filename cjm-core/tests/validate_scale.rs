//! Validation of large journeys: a bounded list of problems per code with an exact count of the
//! rest, and messages that still point at the first definition of a duplicated id.

use cjm_core::{Format, Problem, Severity, ValidateOptions, parse_journey, validate};
use serde_json::json;

/// `n` touchpoints in one stage, none citing evidence (one `no_evidence` warning each).
fn journey_with_touchpoints(n: usize) -> cjm_core::Journey {
    let touchpoints: Vec<_> = (0..n)
        .map(|i| json!({"id": format!("t{i}"), "name": "n"}))
        .collect();
    let value = json!({"id": "j", "title": "T", "stages": [{"id": "s", "name": "S", "touchpoints": touchpoints}]});
    parse_journey(&value.to_string(), Format::Json).expect("valid journey")
}

#[test]
fn problems_past_the_limit_are_counted_in_one_summary_entry() {
    let journey = journey_with_touchpoints(2500);
    let problems = validate(&journey, &ValidateOptions::default());
    let listed: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.code == "no_evidence" && p.omitted == 0)
        .collect();
    assert_eq!(listed.len(), 1000);
    // Listed in document order: the first thousand touchpoints.
    assert_eq!(listed[999].path, "/stages/0/touchpoints/999");
    let summary = problems.last().expect("a summary entry");
    assert_eq!(
        (summary.code.as_str(), summary.severity, summary.omitted),
        ("no_evidence", Severity::Warning, 1500)
    );
    assert!(
        summary
            .message
            .starts_with("1500 more no_evidence warnings"),
        "{}",
        summary.message
    );
    let total: u64 = problems
        .iter()
        .filter(|p| p.code == "no_evidence")
        .map(Problem::count)
        .sum();
    assert_eq!(total, 2500);

    let every = ValidateOptions {
        max_problems_per_code: None,
        ..ValidateOptions::default()
    };
    let all = validate(&journey, &every);
    assert_eq!(all.iter().filter(|p| p.code == "no_evidence").count(), 2500);
    assert!(all.iter().all(|p| p.omitted == 0));
}

#[test]
fn duplicates_name_the_first_definition_and_opportunities_their_touchpoints_stage() {
    let value = json!({
        "id": "j", "title": "T",
        "stages": [
            {"id": "a", "name": "A", "touchpoints": [{"id": "t1", "name": "one"}]},
            {"id": "b", "name": "B", "touchpoints": [{"id": "t2", "name": "two"}, {"id": "t1", "name": "again"}],
             "metrics": [{"id": "m", "name": "M", "kind": "conversion", "value": 0.1}]}
        ],
        "metrics": [{"id": "m", "name": "M", "kind": "conversion", "value": 0.2}],
        "opportunities": [{"id": "o", "title": "O", "stage": "b", "touchpoint": "t1"}]
    });
    let journey = parse_journey(&value.to_string(), Format::Json).expect("parses");
    let problems = validate(&journey, &ValidateOptions::default());
    let find = |code: &str, path: &str| {
        problems
            .iter()
            .find(|p| p.code == code && p.path == path)
            .unwrap_or_else(|| panic!("no {code} at {path}: {problems:#?}"))
    };
    let touchpoint = find("duplicate_id", "/stages/1/touchpoints/1/id");
    assert!(
        touchpoint
            .message
            .contains("already used at /stages/0/touchpoints/0"),
        "{}",
        touchpoint.message
    );
    let metric = find("duplicate_id", "/stages/1/metrics/0/id");
    assert!(
        metric.message.contains("already used at /metrics/0"),
        "{}",
        metric.message
    );
    // t1 is first defined in stage a, so the opportunity's stage b disagrees with it.
    let inconsistent = find("inconsistent_reference", "/opportunities/0/touchpoint");
    assert!(
        inconsistent
            .message
            .contains(r#"belongs to stage "a", not "b""#),
        "{}",
        inconsistent.message
    );
}
