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
