//! Properties the scoring must keep on any journey.

use cjm_core::{
    EmotionScale, EmotionScore, FrictionWeights, Journey, Metric, MetricKind, PainPoint, Persona,
    Stage, Touchpoint, analyze_gaps, compare_journeys, friction, plan,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct TpSpec {
    scores: Vec<Option<i8>>, // per persona, −2..=2
    pains: Vec<(i64, Option<f64>)>,
    conversion: Option<f64>,
    ces: Option<f64>,
    traffic: Option<u64>,
}

fn tp_spec(personas: usize) -> impl Strategy<Value = TpSpec> {
    (
        proptest::collection::vec(proptest::option::of(-2i8..=2), personas),
        proptest::collection::vec((1i64..=5, proptest::option::of(0.0f64..=1.0)), 0..3),
        proptest::option::of(0.0f64..=1.0),
        proptest::option::of(1.0f64..=7.0),
        proptest::option::of(1u64..10_000),
    )
        .prop_map(|(scores, pains, conversion, ces, traffic)| TpSpec {
            scores,
            pains,
            conversion,
            ces,
            traffic,
        })
}

fn metric(kind: MetricKind, value: f64, sample_size: Option<u64>) -> Metric {
    Metric {
        id: None,
        kind,
        name: None,
        value: Some(value),
        target: None,
        baseline: None,
        unit: None,
        direction: None,
        sample_size,
        period: None,
        evidence: Vec::new(),
        extensions: Default::default(),
    }
}

fn build(stages: &[Vec<TpSpec>], personas: usize) -> Journey {
    let mut journey = Journey::new("j", "J");
    journey.personas = (0..personas)
        .map(|p| Persona::new(format!("p{p}"), format!("P{p}")))
        .collect();
    let mut pain_id = 0;
    for (s, tps) in stages.iter().enumerate() {
        let mut stage = Stage::new(format!("s{s}"), format!("S{s}"));
        for (t, spec) in tps.iter().enumerate() {
            let mut tp = Touchpoint::new(format!("s{s}t{t}"), "T");
            for (p, score) in spec.scores.iter().enumerate() {
                if let Some(score) = score {
                    tp.emotions.push(EmotionScore {
                        persona: Some(format!("p{p}")),
                        score: f64::from(*score),
                        sample_size: None,
                        extensions: Default::default(),
                    });
                }
            }
            for (severity, share) in &spec.pains {
                pain_id += 1;
                tp.pain_points.push(pain(pain_id, *severity, *share));
            }
            if let Some(c) = spec.conversion {
                tp.metrics
                    .push(metric(MetricKind::Conversion, c, spec.traffic));
            }
            if let Some(c) = spec.ces {
                tp.metrics.push(metric(MetricKind::Ces, c, None));
            }
            stage.touchpoints.push(tp);
        }
        journey.stages.push(stage);
    }
    journey
}

fn pain(id: usize, severity: i64, share: Option<f64>) -> PainPoint {
    PainPoint {
        id: format!("pain{id}"),
        description: "pain".into(),
        severity,
        share_affected: share,
        personas: Vec::new(),
        evidence: Vec::new(),
        extensions: Default::default(),
    }
}

fn journeys() -> impl Strategy<Value = Journey> {
    (0usize..=3).prop_flat_map(|personas| {
        proptest::collection::vec(proptest::collection::vec(tp_spec(personas), 1..4), 1..4)
            .prop_map(move |stages| build(&stages, personas))
    })
}

/// Every friction index of a report, journey first.
fn indices(journey: &Journey) -> Vec<Option<f64>> {
    let report = friction(journey, &FrictionWeights::default());
    std::iter::once(report.journey.index)
        .chain(report.stages.iter().map(|s| s.score.index))
        .chain(report.touchpoints.iter().map(|t| t.score.index))
        .collect()
}

fn not_lower(before: &[Option<f64>], after: &[Option<f64>]) -> bool {
    before.iter().zip(after).all(|(b, a)| match (b, a) {
        (Some(b), Some(a)) => *a >= *b - 1e-9,
        (None, _) => true,
        (Some(_), None) => false,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn friction_stays_within_0_and_100(journey in journeys()) {
        for index in indices(&journey).into_iter().flatten() {
            prop_assert!((0.0..=100.0).contains(&index), "{index}");
        }
    }

    #[test]
    fn adding_a_pain_point_never_lowers_friction(journey in journeys(), s in 0usize..3, t in 0usize..3, severity in 1i64..=5, share in proptest::option::of(0.0f64..=1.0)) {
        let mut worse = journey.clone();
        let s = s % worse.stages.len();
        let t = t % worse.stages[s].touchpoints.len();
        worse.stages[s].touchpoints[t].pain_points.push(pain(9999, severity, share));
        prop_assert!(not_lower(&indices(&journey), &indices(&worse)));
    }

    #[test]
    fn worsening_an_emotion_never_lowers_friction(journey in journeys(), s in 0usize..3, t in 0usize..3, e in 0usize..3, by in 0.0f64..=4.0) {
        let mut worse = journey.clone();
        let s = s % worse.stages.len();
        let t = t % worse.stages[s].touchpoints.len();
        let emotions = &mut worse.stages[s].touchpoints[t].emotions;
        if !emotions.is_empty() {
            let e = e % emotions.len();
            emotions[e].score = (emotions[e].score - by).max(-2.0);
        }
        prop_assert!(not_lower(&indices(&journey), &indices(&worse)));
    }

    #[test]
    fn rescaling_the_emotion_scale_changes_nothing(journey in journeys()) {
        // −2..+2 → 1..10: score' = 1 + (score + 2) × 9/4.
        let mut rescaled = journey.clone();
        rescaled.emotion_scale = EmotionScale { min: 1.0, max: 10.0 };
        for stage in &mut rescaled.stages {
            for tp in &mut stage.touchpoints {
                for e in &mut tp.emotions {
                    e.score = 1.0 + (e.score + 2.0) * 9.0 / 4.0;
                }
            }
        }
        let (a, b) = (indices(&journey), indices(&rescaled));
        for (x, y) in a.iter().zip(&b) {
            match (x, y) {
                (Some(x), Some(y)) => prop_assert!((x - y).abs() < 1e-9, "{x} vs {y}"),
                _ => prop_assert_eq!(x, y),
            }
        }
        let (ga, gb) = (analyze_gaps(&journey), analyze_gaps(&rescaled));
        prop_assert_eq!(ga.gaps.len(), gb.gaps.len());
        for (x, y) in ga.gaps.iter().zip(&gb.gaps) {
            prop_assert!((x.severity - y.severity).abs() < 1e-9);
            prop_assert_eq!(&x.subject, &y.subject);
        }
    }

    #[test]
    fn comparing_a_journey_with_itself_finds_no_gap(journey in journeys()) {
        let comparison = compare_journeys(&journey, &journey, &FrictionWeights::default());
        prop_assert!(comparison.worse.is_empty());
        prop_assert!(comparison.added.is_empty() && comparison.removed.is_empty());
        for delta in &comparison.touchpoints {
            prop_assert!(delta.emotion_change.unwrap_or(0.0) == 0.0 && delta.friction_change.unwrap_or(0.0) == 0.0);
        }
    }

    #[test]
    fn the_plan_order_is_stable(reach in proptest::collection::vec(proptest::option::of(1.0f64..100.0), 1..8)) {
        // Opportunities with equal scores keep the file's order; the same input gives the same plan.
        let mut journey = build(&[vec![TpSpec { scores: vec![], pains: vec![(3, Some(0.5))], conversion: None, ces: None, traffic: None }]], 0);
        for (i, r) in reach.iter().enumerate() {
            journey.opportunities.push(cjm_core::Opportunity {
                id: format!("o{i}"),
                title: "o".into(),
                description: None,
                addresses: vec!["pain1".into()],
                stage: None,
                touchpoint: None,
                metrics: Vec::new(),
                reach: r.map(|r| r.round()),
                impact: Some(1.0),
                confidence: Some(1.0),
                effort: Some(1.0),
                owner: None,
                due: None,
                status: Default::default(),
                extensions: Default::default(),
            });
        }
        let gaps = analyze_gaps(&journey);
        let first = plan(&journey, &gaps);
        prop_assert_eq!(&first, &plan(&journey, &gaps));
        for pair in first.items.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.method == b.method && a.score == b.score {
                let index = |id: &str| id[1..].parse::<usize>().unwrap_or(0);
                prop_assert!(index(&a.id) < index(&b.id), "ties keep file order");
            }
        }
    }
}
