//! Journey health: one summary a dashboard can show.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::curve::{CurveStats, emotion_curve};
use super::friction::{FrictionWeights, friction};
use super::gaps::{Gap, TargetStatus, analyze_gaps};
use super::plan::plan;
use crate::model::Journey;
use crate::validate::{Problem, Severity, ValidateOptions, validate};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TargetCounts {
    pub met: usize,
    pub at_risk: usize,
    pub missed: usize,
    pub unknown: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Health {
    pub journey: String,
    /// Statistics of the combined emotion curve.
    pub curve: Option<CurveStats>,
    /// Journey friction index 0–100.
    pub friction: Option<f64>,
    pub friction_coverage: f64,
    pub targets: TargetCounts,
    /// Share of touchpoints that cite evidence (an id, a sampled score, or an evidenced metric
    /// or pain point).
    pub evidence_coverage: f64,
    /// Days since `updated`, when both it and `today` are known.
    pub days_since_update: Option<i64>,
    pub errors: usize,
    pub warnings: usize,
    /// The three most severe gaps.
    pub top_gaps: Vec<Gap>,
    pub unaddressed_pain_points: usize,
    pub high_priority_without_owner: usize,
}

/// Summarises a journey's state for a dashboard.
pub fn health(journey: &Journey, options: &ValidateOptions, weights: &FrictionWeights) -> Health {
    let problems = validate(journey, options);
    let count = |keep: &dyn Fn(&Problem) -> bool| -> usize {
        let total: u64 = problems
            .iter()
            .filter(|p| keep(p))
            .map(Problem::count)
            .sum();
        usize::try_from(total).unwrap_or(usize::MAX)
    };
    let errors = count(&|p| p.severity == Severity::Error);
    let evidence_warnings = count(&|p| p.code == "no_evidence");
    let touchpoints = journey.touchpoints().count();
    let gaps = analyze_gaps(journey);
    let mut targets = TargetCounts::default();
    for status in &gaps.metrics {
        match status.status {
            TargetStatus::Met => targets.met += 1,
            TargetStatus::AtRisk => targets.at_risk += 1,
            TargetStatus::Missed => targets.missed += 1,
            TargetStatus::Unknown => targets.unknown += 1,
        }
    }
    let plan = plan(journey, &gaps);
    let date = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    let friction = friction(journey, weights);
    Health {
        journey: journey.id.clone(),
        curve: emotion_curve(journey, None).ok().and_then(|c| c.stats),
        friction: friction.journey.index,
        friction_coverage: friction.journey.coverage,
        targets,
        evidence_coverage: if touchpoints == 0 {
            0.0
        } else {
            (touchpoints - evidence_warnings.min(touchpoints)) as f64 / touchpoints as f64
        },
        days_since_update: match (date(&options.today), date(&journey.updated)) {
            (Some(today), Some(updated)) => Some((today - updated).num_days()),
            _ => None,
        },
        errors,
        warnings: problems.len() - errors,
        top_gaps: gaps.gaps.iter().take(3).cloned().collect(),
        unaddressed_pain_points: plan.unaddressed_pain_points.len(),
        high_priority_without_owner: plan
            .items
            .iter()
            .filter(|i| i.flags.contains(&super::plan::PlanFlag::NoOwner))
            .count(),
    }
}
