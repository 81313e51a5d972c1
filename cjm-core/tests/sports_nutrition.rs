//! The acceptance check of the scoring issue: from the sports-nutrition file alone, the analysis
//! surfaces the post-delivery "vacuum" and the post-order anxiety as the top gaps, and ranks the
//! opportunities that address them at the top of the plan.

use cjm_core::{Format, GapKind, analyze_gaps, parse_journey, plan};

fn journey() -> cjm_core::Journey {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/sports-nutrition/journey.yaml"
    );
    parse_journey(
        &std::fs::read_to_string(path).expect("example"),
        Format::Yaml,
    )
    .expect("loads")
}

#[test]
fn vacuum_and_anxiety_are_the_top_gaps() {
    let report = analyze_gaps(&journey());
    let top: Vec<(&GapKind, &str)> = report
        .gaps
        .iter()
        .take(2)
        .map(|g| (&g.kind, g.subject.as_str()))
        .collect();
    assert_eq!(
        top,
        vec![
            (&GapKind::PainPoint, "post-delivery-vacuum"),
            (&GapKind::PainPoint, "post-order-anxiety")
        ]
    );
}

#[test]
fn opportunities_addressing_them_lead_the_plan() {
    let journey = journey();
    let plan = plan(&journey, &analyze_gaps(&journey));
    let first_addressing = |pain: &str| {
        plan.items
            .iter()
            .find(|i| i.addresses.iter().any(|a| a == pain))
            .expect("addressed")
    };
    let vacuum = first_addressing("post-delivery-vacuum");
    let anxiety = first_addressing("post-order-anxiety");
    assert_eq!(vacuum.rank, 1, "{}", vacuum.title);
    assert!(
        anxiety.rank <= 3,
        "{} is ranked {}",
        anxiety.title,
        anxiety.rank
    );
    assert!(vacuum.high_priority && anxiety.high_priority);
    assert!(
        vacuum.flags.is_empty() && anxiety.flags.is_empty(),
        "both have owners and due dates"
    );
}
