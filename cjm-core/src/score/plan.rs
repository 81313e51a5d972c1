//! The improvement plan: opportunities ranked by RICE, linked to the gaps they address.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::gaps::{GapKind, GapReport};
use super::tidy;
use crate::model::{Journey, Opportunity, OpportunityStatus};

/// How an item's score was computed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMethod {
    /// reach × impact × confidence ÷ effort.
    Rice,
    /// impact × confidence ÷ effort, when reach is unknown (confidence 1 when unknown).
    ValueEffort,
    /// Impact or effort unknown: ordered by the severity of what it addresses.
    Unscored,
}

/// Why an item needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanFlag {
    /// A high-priority item nobody owns.
    NoOwner,
    /// A high-priority item with no due date.
    NoDueDate,
    /// Addresses no pain point.
    AddressesNothing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItem {
    /// 1 = do first.
    pub rank: usize,
    pub id: String,
    pub title: String,
    pub method: ScoreMethod,
    pub score: Option<f64>,
    pub reach: Option<f64>,
    pub impact: Option<f64>,
    pub confidence: Option<f64>,
    pub effort: Option<f64>,
    pub addresses: Vec<String>,
    /// Sum of the severities of the pain-point gaps it addresses.
    pub addressed_severity: f64,
    /// High priority: top third of the active items, or addresses a gap of severity ≥ 0.4.
    pub high_priority: bool,
    pub stage: Option<String>,
    pub touchpoint: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: OpportunityStatus,
    pub flags: Vec<PlanFlag>,
}

/// A pain point no opportunity addresses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnaddressedPain {
    pub pain_point: String,
    pub severity: f64,
    pub stage: Option<String>,
    pub touchpoint: Option<String>,
    pub message: String,
}

/// Ranked opportunities and what is left uncovered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    /// Active items (idea, planned, in progress) first, by method then score; done and dropped
    /// items last.
    pub items: Vec<PlanItem>,
    /// Most severe first.
    pub unaddressed_pain_points: Vec<UnaddressedPain>,
}

const HIGH_SEVERITY: f64 = 0.4;

fn positive(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite() && *v > 0.0)
}

/// A product of finite factors ≥ 0 divided by `effort` > 0, never NaN or infinite: 0 when a
/// factor is 0; a result beyond the largest float counts as the largest float (1.8e308), so
/// ranking still puts it first.
fn ratio(factors: &[f64], effort: f64) -> f64 {
    if factors.contains(&0.0) {
        return 0.0;
    }
    let value = factors.iter().product::<f64>() / effort;
    if value.is_finite() {
        value + 0.0
    } else {
        f64::MAX
    }
}

fn score(o: &Opportunity) -> (ScoreMethod, Option<f64>) {
    let confidence = o
        .confidence
        .filter(|c| c.is_finite())
        .map(|c| c.clamp(0.0, 1.0));
    match (
        positive(o.reach),
        o.impact.filter(|i| i.is_finite() && *i >= 0.0),
        positive(o.effort),
    ) {
        (Some(reach), Some(impact), Some(effort)) => (
            ScoreMethod::Rice,
            Some(ratio(&[reach, impact, confidence.unwrap_or(1.0)], effort)),
        ),
        (None, Some(impact), Some(effort)) => (
            ScoreMethod::ValueEffort,
            Some(ratio(&[impact, confidence.unwrap_or(1.0)], effort)),
        ),
        _ => (ScoreMethod::Unscored, None),
    }
}

fn active(status: OpportunityStatus) -> bool {
    !matches!(status, OpportunityStatus::Done | OpportunityStatus::Dropped)
}

/// Ranks the journey's opportunities and lists pain points nothing addresses.
pub fn plan(journey: &Journey, gaps: &GapReport) -> Plan {
    let pain_gaps: Vec<_> = gaps
        .gaps
        .iter()
        .filter(|g| g.kind == GapKind::PainPoint)
        .collect();
    let mut items: Vec<PlanItem> = journey
        .opportunities
        .iter()
        .map(|o| {
            let (method, value) = score(o);
            let addressed: Vec<f64> = o
                .addresses
                .iter()
                .filter_map(|id| {
                    pain_gaps
                        .iter()
                        .find(|g| &g.subject == id)
                        .map(|g| g.severity)
                })
                .collect();
            PlanItem {
                rank: 0,
                id: o.id.clone(),
                title: o.title.clone(),
                method,
                score: value,
                reach: o.reach.and_then(tidy),
                impact: o.impact.and_then(tidy),
                confidence: o.confidence.and_then(tidy),
                effort: o.effort.and_then(tidy),
                addresses: o.addresses.to_vec(),
                // + 0.0: an empty sum is -0 in Rust; output has no -0.
                addressed_severity: addressed.iter().sum::<f64>() + 0.0,
                high_priority: addressed.iter().any(|s| *s >= HIGH_SEVERITY),
                stage: o.stage.clone(),
                touchpoint: o.touchpoint.clone(),
                owner: o.owner.clone().filter(|s| !s.trim().is_empty()),
                due: o.due.clone().filter(|s| !s.trim().is_empty()),
                status: o.status,
                flags: Vec::new(),
            }
        })
        .collect();
    // Stable sort: equal items keep the file's order, so the plan never reshuffles by itself.
    items.sort_by(|a, b| {
        active(b.status)
            .cmp(&active(a.status))
            .then(a.method.cmp(&b.method))
            .then(b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)))
            .then(b.addressed_severity.total_cmp(&a.addressed_severity))
    });
    let active_count = items.iter().filter(|i| active(i.status)).count();
    let top = active_count.div_ceil(3);
    for (index, item) in items.iter_mut().enumerate() {
        item.rank = index + 1;
        if !active(item.status) {
            item.high_priority = false;
            continue;
        }
        item.high_priority |= index < top;
        if item.high_priority && item.owner.is_none() {
            item.flags.push(PlanFlag::NoOwner);
        }
        if item.high_priority && item.due.is_none() {
            item.flags.push(PlanFlag::NoDueDate);
        }
        if item.addresses.is_empty() {
            item.flags.push(PlanFlag::AddressesNothing);
        }
    }
    let addressed: Vec<&String> = journey
        .opportunities
        .iter()
        .filter(|o| o.status != OpportunityStatus::Dropped)
        .flat_map(|o| &o.addresses)
        .collect();
    let unaddressed_pain_points = pain_gaps
        .iter()
        .filter(|g| !addressed.contains(&&g.subject))
        .map(|g| UnaddressedPain {
            pain_point: g.subject.clone(),
            severity: g.severity,
            stage: g.stage.clone(),
            touchpoint: g.touchpoint.clone(),
            message: g.message.clone(),
        })
        .collect();
    Plan {
        items,
        unaddressed_pain_points,
    }
}

/// The plan as a CSV table (one row per item); cells a spreadsheet would run as formulas are
/// neutralised with a leading `'`.
pub fn plan_csv(plan: &Plan) -> String {
    serde_json::to_value(plan)
        .ok()
        .and_then(|value| crate::result_table(crate::TableKind::Plan, &value).ok())
        .map_or(String::new(), |table| crate::table_csv(&table))
}
