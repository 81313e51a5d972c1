//! A short outline of a journey: what it holds, at a glance.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Journey, JourneyState};

/// Counts and the most severe pain points, for listings and dashboards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub state: JourneyState,
    pub personas: usize,
    pub stages: usize,
    pub touchpoints: usize,
    pub pain_points: usize,
    pub opportunities: usize,
    pub metrics: usize,
    pub evidence: usize,
    /// Stage names in order.
    pub stage_names: Vec<String>,
    /// Pain points by severity (then share affected), most severe first, at most five.
    pub top_pain_points: Vec<PainPointRef>,
}

/// A pain point with where it sits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PainPointRef {
    pub id: String,
    pub description: String,
    pub severity: i64,
    pub share_affected: Option<f64>,
    pub stage: String,
    pub touchpoint: Option<String>,
}

/// Outlines a journey.
///
/// ```
/// let journey = cjm_core::template("classic", "en").unwrap();
/// let summary = cjm_core::summarize(&journey);
/// assert_eq!(summary.stages, 6);
/// ```
pub fn summarize(journey: &Journey) -> Summary {
    let mut pains: Vec<PainPointRef> = Vec::new();
    let mut metrics = journey.metrics.len();
    for stage in &journey.stages {
        metrics += stage.metrics.len();
        pains.extend(stage.pain_points.iter().map(|p| PainPointRef {
            id: p.id.clone(),
            description: p.description.clone(),
            severity: p.severity,
            share_affected: p.share_affected,
            stage: stage.id.clone(),
            touchpoint: None,
        }));
        for tp in &stage.touchpoints {
            metrics += tp.metrics.len();
            pains.extend(tp.pain_points.iter().map(|p| PainPointRef {
                id: p.id.clone(),
                description: p.description.clone(),
                severity: p.severity,
                share_affected: p.share_affected,
                stage: stage.id.clone(),
                touchpoint: Some(tp.id.clone()),
            }));
        }
    }
    let pain_points = pains.len();
    // Stable sort: equal pain points keep document order.
    pains.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then(
            b.share_affected
                .unwrap_or(0.0)
                .total_cmp(&a.share_affected.unwrap_or(0.0)),
        )
    });
    pains.truncate(5);
    Summary {
        id: journey.id.clone(),
        title: journey.title.clone(),
        state: journey.state,
        personas: journey.personas.len(),
        stages: journey.stages.len(),
        touchpoints: journey.touchpoints().count(),
        pain_points,
        opportunities: journey.opportunities.len(),
        metrics,
        evidence: journey.evidence.len(),
        stage_names: journey.stages.iter().map(|s| s.name.clone()).collect(),
        top_pain_points: pains,
    }
}
