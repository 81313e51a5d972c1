//! Properties the scoring must keep on any journey.

use cjm_core::{
    EmotionScale, EmotionScore, FrictionScore, FrictionWeights, Journey, Metric, MetricKind,
    PainPoint, Persona, ScoreMethod, Stage, ThinVec, Touchpoint, analyze_gaps, compare_journeys,
    friction, plan,
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
        evidence: ThinVec::new(),
        source: None,
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
        personas: ThinVec::new(),
        evidence: ThinVec::new(),
        extensions: Default::default(),
    }
}

fn journeys() -> impl Strategy<Value = Journey> {
    (0usize..=3).prop_flat_map(|personas| {
        proptest::collection::vec(proptest::collection::vec(tp_spec(personas), 1..4), 1..4)
            .prop_map(move |stages| build(&stages, personas))
    })
}

/// Every friction score of a report, journey first.
fn scores(journey: &Journey) -> Vec<FrictionScore> {
    let report = friction(journey, &FrictionWeights::default());
    std::iter::once(report.journey)
        .chain(report.stages.into_iter().map(|s| s.score))
        .chain(report.touchpoints.into_iter().map(|t| t.score))
        .collect()
}

/// Every friction index of a report, journey first.
fn indices(journey: &Journey) -> Vec<Option<f64>> {
    scores(journey).into_iter().map(|s| s.index).collect()
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
    fn friction_is_the_weighted_sum_of_its_components(journey in journeys()) {
        // Not only within 0–100 (the index is clamped there): the index is exactly the sum of
        // the components' contributions, 100 × weight × level, with levels in 0–1 and the
        // weights renormalised over the known components to sum to 1; no known component, no
        // index.
        for score in scores(&journey) {
            prop_assert!((0.0..=1.0).contains(&score.coverage), "{}", score.coverage);
            let Some(index) = score.index else {
                prop_assert!(score.components.is_empty(), "{:?}", score.components);
                continue;
            };
            prop_assert!(!score.components.is_empty());
            let weights: f64 = score.components.iter().map(|c| c.weight).sum();
            prop_assert!((weights - 1.0).abs() < 1e-9, "weights sum to {weights}");
            let mut sum = 0.0;
            for c in &score.components {
                prop_assert!((0.0..=1.0).contains(&c.value), "{c:?}");
                prop_assert!((c.contribution - 100.0 * c.weight * c.value).abs() < 1e-9, "{c:?}");
                prop_assert!(!score.missing.contains(&c.kind), "{:?} both known and missing", c.kind);
                sum += c.contribution;
            }
            prop_assert!((index - sum).abs() < 1e-9, "index {index}, contributions sum to {sum}");
        }
    }

    #[test]
    fn adding_a_pain_point_never_lowers_friction(journey in journeys(), s in 0usize..3, t in 0usize..3, severity in 1i64..=5, share in proptest::option::of(0.0f64..=1.0)) {
        let mut worse = journey.clone();
        let s = s % worse.stages.len();
        let t = t % worse.stages[s].touchpoints.len();
        // Where nothing was known about the touchpoint, its first pain point is its first
        // evidence: the touchpoint then joins its stage's means (and may lower them, as any
        // newly known touchpoint does), so only its own index is bound to rise. Everywhere
        // else no index may fall.
        let was_unknown = friction(&journey, &FrictionWeights::default())
            .touchpoints
            .iter()
            .find(|tp| tp.stage == journey.stages[s].id && tp.touchpoint == journey.stages[s].touchpoints[t].id)
            .is_some_and(|tp| tp.score.index.is_none());
        let tp_id = worse.stages[s].touchpoints[t].id.clone();
        worse.stages[s].touchpoints[t].pain_points.push(pain(9999, severity, share));
        if was_unknown {
            let after = friction(&worse, &FrictionWeights::default());
            let own = after.touchpoints.iter().find(|tp| tp.touchpoint == tp_id).and_then(|tp| tp.score.index);
            prop_assert!(own.is_some(), "a pain point makes the touchpoint's friction known");
        } else {
            prop_assert!(not_lower(&indices(&journey), &indices(&worse)));
        }
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
    fn the_plan_ranks_by_method_then_score_keeping_ties_in_file_order(reach in proptest::collection::vec(proptest::option::of(1.0f64..100.0), 1..8)) {
        // Impact, confidence and effort are 1: an opportunity with a reach is scored RICE =
        // reach, one without by value/effort = 1. RICE items come first, each method by score
        // (highest first); equal scores keep the file's order; ranks count from 1; the top third
        // is high priority (the pain they address is not severe enough to be by itself).
        let mut journey = build(&[vec![TpSpec { scores: vec![], pains: vec![(3, Some(0.5))], conversion: None, ces: None, traffic: None }]], 0);
        for (i, r) in reach.iter().enumerate() {
            journey.opportunities.push(cjm_core::Opportunity {
                id: format!("o{i}"),
                title: "o".into(),
                description: None,
                addresses: cjm_core::thin_vec!["pain1".into()],
                stage: None,
                touchpoint: None,
                metrics: ThinVec::new(),
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
        prop_assert_eq!(first.items.len(), reach.len());
        let top = reach.len().div_ceil(3);
        for (index, item) in first.items.iter().enumerate() {
            prop_assert_eq!(item.rank, index + 1);
            let i = item.id[1..].parse::<usize>().expect("id o<index>");
            match reach[i] {
                Some(r) => {
                    prop_assert_eq!(item.method, ScoreMethod::Rice);
                    prop_assert_eq!(item.score, Some(r.round()));
                }
                None => {
                    prop_assert_eq!(item.method, ScoreMethod::ValueEffort);
                    prop_assert_eq!(item.score, Some(1.0));
                }
            }
            prop_assert_eq!(item.high_priority, index < top, "rank {}", item.rank);
        }
        for pair in first.items.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            prop_assert!(a.method <= b.method, "{:?} before {:?}", a.method, b.method);
            if a.method == b.method {
                prop_assert!(a.score >= b.score, "{:?} before {:?}", a.score, b.score);
            }
            if a.method == b.method && a.score == b.score {
                let index = |id: &str| id[1..].parse::<usize>().unwrap_or(0);
                prop_assert!(index(&a.id) < index(&b.id), "ties keep file order");
            }
        }
    }
}
