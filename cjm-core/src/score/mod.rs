//! Scoring and gap analysis: the emotion curve, the friction index, survey metrics, gaps
//! (within a map and as-is vs to-be), the improvement plan and journey health.
//! Every formula is in `docs/scoring.md`.

mod curve;
mod friction;
mod gaps;
mod health;
mod plan;
pub(crate) mod stats;
mod survey;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use curve::{
    CurvePoint, CurveStats, Drop, EmotionCurve, PointRef, emotion_curve, emotion_curves,
};
pub use friction::{
    Component, ComponentKind, FrictionReport, FrictionScore, FrictionWeights, StageFriction,
    TouchpointFriction, friction,
};
pub use gaps::{
    Comparison, Gap, GapKind, GapReport, MetricDelta, MetricStatus, PersonaDivergence,
    PersonaScore, StageDelta, TargetStatus, TouchpointDelta, analyze_gaps, compare_journeys,
    metric_status, metric_statuses,
};
pub use health::{Health, TargetCounts, health};
pub use plan::{Plan, PlanFlag, PlanItem, ScoreMethod, UnaddressedPain, plan, plan_csv};
pub use stats::{
    ProportionTest, TwoProportions, fisher_exact_two_sided, newcombe_interval, student_t_quantile,
    t_interval_95, wilson_interval,
};
pub use survey::{CesResult, CsatResult, Interval, NpsResult, ces, csat, nps};

use crate::model::Journey;
use crate::validate::ValidateOptions;

/// A number fit for output: finite, with `-0` written as `0`; `None` (unknown) for NaN and
/// infinities. Every analysis result passes its computed numbers through it (docs/scoring.md).
pub(crate) fn tidy(value: f64) -> Option<f64> {
    value.is_finite().then_some(value + 0.0)
}

/// The weighted mean of finite numbers (pairs of value and weight > 0) without overflow: when
/// the plain Σ v·w / Σ w overflows, the weights are scaled to at most 1 and divided by their
/// sum before multiplying, so the sum stays within the largest magnitude.
pub(crate) fn weighted_mean(values: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = values
        .filter(|(v, w)| v.is_finite() && w.is_finite() && *w > 0.0)
        .collect();
    let largest = pairs.iter().map(|(_, w)| *w).fold(0.0, f64::max);
    if largest <= 0.0 {
        return None;
    }
    let (sum, weight) = (
        pairs.iter().map(|(v, w)| v * w).sum::<f64>(),
        pairs.iter().map(|(_, w)| w).sum::<f64>(),
    );
    if sum.is_finite() && weight.is_finite() {
        return tidy(sum / weight);
    }
    // Weights scaled to at most 1, so neither their sum nor the weighted sum overflows.
    let total: f64 = pairs.iter().map(|(_, w)| w / largest).sum();
    let mean: f64 = pairs.iter().map(|(v, w)| v * (w / largest / total)).sum();
    tidy(mean.clamp(-f64::MAX, f64::MAX))
}

/// Everything `cjm score` reports: health, friction and the emotion curves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScoreReport {
    pub health: Health,
    pub friction: FrictionReport,
    /// The combined curve first, then one per persona.
    pub curves: Vec<EmotionCurve>,
}

/// Scores a journey: health, friction and curves in one call.
pub fn score(
    journey: &Journey,
    options: &ValidateOptions,
    weights: &FrictionWeights,
) -> ScoreReport {
    ScoreReport {
        health: health(journey, options, weights),
        friction: friction(journey, weights),
        curves: emotion_curves(journey),
    }
}
