//! The friction index: 0 (smooth) to 100 (customers struggle), explained component by component.
//! Formulas and the reasons for the default weights: `docs/scoring.md`.

use crate::error::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::curve::combined_value;
use super::weighted_mean;
use crate::duration::parse_duration;
use crate::model::{Journey, Metric, MetricKind, PainPoint, Stage, Touchpoint};

/// How much each kind of evidence counts. Only the ratios matter: weights are renormalised over
/// the components that are known for each touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FrictionWeights {
    pub emotion: f64,
    pub pain: f64,
    /// `dropOff` is read too: JavaScript options are camelCase.
    #[serde(alias = "dropOff")]
    pub drop_off: f64,
    pub effort: f64,
    pub time: f64,
    pub support: f64,
    pub backtracking: f64,
    pub errors: f64,
}

impl FrictionWeights {
    /// Weights from plain data: a map of component names to numbers, absent ones at their
    /// default. An unknown component or a value that is not a number is `invalid_option`.
    pub fn from_value(value: serde_json::Value) -> crate::error::Result<FrictionWeights> {
        if !value.is_object() {
            return Err(crate::error::CjmError::usage(
                ErrorCode::InvalidOption,
                "weights must be a mapping of component names to numbers",
            ));
        }
        serde_json::from_value(value).map_err(|e| {
            crate::error::CjmError::usage(ErrorCode::InvalidOption, format!("weights: {e}"))
        })
    }
}

impl Default for FrictionWeights {
    fn default() -> Self {
        FrictionWeights {
            emotion: 0.25,
            pain: 0.25,
            drop_off: 0.15,
            effort: 0.10,
            time: 0.05,
            support: 0.08,
            backtracking: 0.07,
            errors: 0.05,
        }
    }
}

/// The evidence a friction score can combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    Emotion,
    Pain,
    DropOff,
    Effort,
    Time,
    Support,
    Backtracking,
    Errors,
}

impl ComponentKind {
    /// Every component, in the order reports list them.
    pub const ALL: [ComponentKind; 8] = [
        ComponentKind::Emotion,
        ComponentKind::Pain,
        ComponentKind::DropOff,
        ComponentKind::Effort,
        ComponentKind::Time,
        ComponentKind::Support,
        ComponentKind::Backtracking,
        ComponentKind::Errors,
    ];

    /// The component's name as files and results spell it (`drop_off`).
    pub fn name(self) -> &'static str {
        match self {
            ComponentKind::Emotion => "emotion",
            ComponentKind::Pain => "pain",
            ComponentKind::DropOff => "drop_off",
            ComponentKind::Effort => "effort",
            ComponentKind::Time => "time",
            ComponentKind::Support => "support",
            ComponentKind::Backtracking => "backtracking",
            ComponentKind::Errors => "errors",
        }
    }
}

const KINDS: [ComponentKind; 8] = ComponentKind::ALL;

impl FrictionWeights {
    fn weight(&self, kind: ComponentKind) -> f64 {
        let w = match kind {
            ComponentKind::Emotion => self.emotion,
            ComponentKind::Pain => self.pain,
            ComponentKind::DropOff => self.drop_off,
            ComponentKind::Effort => self.effort,
            ComponentKind::Time => self.time,
            ComponentKind::Support => self.support,
            ComponentKind::Backtracking => self.backtracking,
            ComponentKind::Errors => self.errors,
        };
        // Negative or non-finite weights would break the 0–100 bound: they count as 0.
        if w.is_finite() && w > 0.0 { w } else { 0.0 }
    }

    fn total(&self) -> f64 {
        KINDS.iter().map(|k| self.weight(*k)).sum()
    }
}

/// One component's part in a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Component {
    pub kind: ComponentKind,
    /// The component's own level, 0 (none) to 1 (worst).
    pub value: f64,
    /// Its weight after renormalisation over the known components (the weights sum to 1).
    pub weight: f64,
    /// Index points it adds: 100 × weight × value. The contributions sum to the index.
    pub contribution: f64,
}

/// A friction score with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FrictionScore {
    /// 0–100; absent when nothing is known.
    pub index: Option<f64>,
    /// Share of the total weight whose evidence is known, 0–1.
    pub coverage: f64,
    pub components: Vec<Component>,
    /// Components with no evidence here (not counted as zero).
    pub missing: Vec<ComponentKind>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TouchpointFriction {
    pub stage: String,
    pub touchpoint: String,
    pub name: String,
    /// Customers reaching the touchpoint, when known (weights the stage score).
    pub traffic: Option<f64>,
    pub score: FrictionScore,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StageFriction {
    pub stage: String,
    pub name: String,
    pub traffic: Option<f64>,
    pub score: FrictionScore,
}

/// Friction for every touchpoint, every stage and the journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FrictionReport {
    pub weights: FrictionWeights,
    pub journey: FrictionScore,
    pub stages: Vec<StageFriction>,
    pub touchpoints: Vec<TouchpointFriction>,
}

/// Component levels known at one place; `None` = no evidence.
#[derive(Debug, Clone, Copy, Default)]
struct Levels([Option<f64>; 8]);

impl Levels {
    fn get(&self, kind: ComponentKind) -> Option<f64> {
        self.0[kind as usize]
    }

    fn set(&mut self, kind: ComponentKind, value: Option<f64>) {
        if let Some(v) = value.filter(|v| v.is_finite()) {
            self.0[kind as usize] = Some(v.clamp(0.0, 1.0) + 0.0);
        }
    }
}

/// A rate as a 0..1 share. `%` and `percent` divide by 100; `per N …` / `на N …` (per N orders,
/// customers, …) divide by N; a plain value must already be a share. A value that cannot be a
/// share in its unit is treated as unknown rather than clamped to 100 %.
pub(crate) fn as_share(metric: &Metric) -> Option<f64> {
    let value = metric.value.filter(|v| v.is_finite() && *v >= 0.0)?;
    let unit = metric.unit.as_deref().unwrap_or("").trim().to_lowercase();
    let divisor = if unit == "%" || unit == "percent" {
        100.0
    } else if let Some(rest) = unit
        .strip_prefix("per ")
        .or_else(|| unit.strip_prefix("на "))
    {
        rest.split_whitespace()
            .next()
            .and_then(|n| n.parse::<f64>().ok())
            .filter(|n| *n > 0.0)?
    } else {
        1.0
    };
    let share = value / divisor;
    (share <= 1.0).then_some(share)
}

/// The metric of `kind` with a value: a measured one (`source: events`) before one entered by
/// hand, since data beats a guess; otherwise the first in the list.
fn metric_of(metrics: &[Metric], kind: MetricKind) -> Option<&Metric> {
    let usable = |m: &&Metric| m.kind == kind && m.value.is_some_and(f64::is_finite);
    metrics
        .iter()
        .filter(usable)
        .find(|m| m.is_measured())
        .or_else(|| metrics.iter().find(usable))
}

/// Pain level: the chance a customer meets at least one pain point, each counted as
/// severity/5 × share affected (0.5 when unknown). Adding a pain point never lowers it.
fn pain_level(pains: &[&PainPoint]) -> f64 {
    let spared: f64 = pains
        .iter()
        .map(|p| {
            let severity = (p.severity.clamp(1, 5) as f64) / 5.0;
            let share = p
                .share_affected
                .filter(|s| s.is_finite())
                .unwrap_or(0.5)
                .clamp(0.0, 1.0);
            1.0 - severity * share
        })
        .product();
    1.0 - spared
}

/// Seconds in a time metric, by its unit (seconds when absent).
pub(crate) fn metric_seconds(metric: &Metric) -> Option<f64> {
    let value = metric.value.filter(|v| v.is_finite() && *v >= 0.0)?;
    let unit = metric.unit.as_deref().unwrap_or("s").trim().to_lowercase();
    let factor = match unit.as_str() {
        "" | "s" | "sec" | "seconds" => 1.0,
        "m" | "min" | "minutes" => 60.0,
        "h" | "hours" => 3600.0,
        "d" | "day" | "days" => 86400.0,
        "w" | "weeks" => 604_800.0,
        other => return parse_duration(&format!("1{other}")).map(|f| value * f),
    };
    Some(value * factor)
}

/// Levels from metrics (shared by touchpoints and stages).
fn metric_levels(levels: &mut Levels, metrics: &[Metric]) {
    let drop = metric_of(metrics, MetricKind::DropOff)
        .and_then(as_share)
        .or_else(|| {
            metric_of(metrics, MetricKind::Conversion)
                .and_then(as_share)
                .map(|c| 1.0 - c)
        })
        .or_else(|| metric_of(metrics, MetricKind::BounceRate).and_then(as_share));
    levels.set(ComponentKind::DropOff, drop);
    let effort = metric_of(metrics, MetricKind::Ces).and_then(|m| {
        let value = m.value?;
        let unit = m.unit.as_deref().unwrap_or("").trim().to_lowercase();
        if unit == "%" || unit == "share" || unit == "percent" {
            // CES reported as the share answering "easy" (≥ 5 of 7).
            as_share(m).map(|easy| 1.0 - easy)
        } else {
            // CES 2.0 mean on 1..7, 7 = very easy.
            Some((7.0 - value) / 6.0)
        }
    });
    levels.set(ComponentKind::Effort, effort);
    levels.set(
        ComponentKind::Support,
        metric_of(metrics, MetricKind::SupportContacts).and_then(as_share),
    );
    let back = metric_of(metrics, MetricKind::BacktrackRate).and_then(as_share);
    let loops = metric_of(metrics, MetricKind::LoopRate).and_then(as_share);
    let backtracking = match (back, loops) {
        (None, None) => None,
        (b, l) => Some(1.0 - (1.0 - b.unwrap_or(0.0)) * (1.0 - l.unwrap_or(0.0))),
    };
    levels.set(ComponentKind::Backtracking, backtracking);
    levels.set(
        ComponentKind::Errors,
        metric_of(metrics, MetricKind::ErrorRate).and_then(as_share),
    );
}

fn touchpoint_levels(journey: &Journey, tp: &Touchpoint) -> Levels {
    let mut levels = Levels::default();
    levels.set(
        ComponentKind::Emotion,
        combined_value(journey, tp).map(|v| (-v).max(0.0)),
    );
    metric_levels(&mut levels, &tp.metrics);
    // Pain points are the map's own record: where anything else is known about the touchpoint,
    // none listed is a known zero. A touchpoint with nothing known at all has no index, so an
    // empty placeholder never lowers its stage's friction.
    let anything_known = levels.0.iter().any(Option::is_some);
    if anything_known || !tp.pain_points.is_empty() {
        levels.set(
            ComponentKind::Pain,
            Some(pain_level(&tp.pain_points.iter().collect::<Vec<_>>())),
        );
    }
    levels
}

/// Customers reaching a touchpoint: a `traffic` metric, else the largest sample behind its
/// conversion or drop-off.
pub(crate) fn traffic(metrics: &[Metric]) -> Option<f64> {
    if let Some(t) = metric_of(metrics, MetricKind::Traffic).and_then(|m| m.value) {
        return (t >= 0.0).then_some(t);
    }
    metrics
        .iter()
        .filter(|m| matches!(m.kind, MetricKind::Conversion | MetricKind::DropOff))
        .filter_map(|m| m.sample_size)
        .max()
        .map(|n| n as f64)
}

fn score(levels: &Levels, weights: &FrictionWeights) -> FrictionScore {
    // Only the ratios of the weights matter: when their sum overflows (weights near 1e308),
    // they are scaled to at most 1 first.
    let scale = if weights.total().is_finite() {
        1.0
    } else {
        KINDS.iter().map(|k| weights.weight(*k)).fold(0.0, f64::max)
    };
    let weight = |kind: ComponentKind| weights.weight(kind) / scale;
    // + 0.0: an empty sum is -0 in Rust; output has no -0.
    let total: f64 = KINDS.iter().map(|k| weight(*k)).sum::<f64>() + 0.0;
    let known: f64 = KINDS
        .iter()
        .filter(|k| levels.get(**k).is_some())
        .map(|k| weight(*k))
        .sum::<f64>()
        + 0.0;
    let mut components = Vec::new();
    let mut missing = Vec::new();
    for kind in KINDS {
        match levels.get(kind) {
            Some(value) if known > 0.0 => {
                let weight = weight(kind) / known;
                components.push(Component {
                    kind,
                    value,
                    weight,
                    contribution: 100.0 * weight * value,
                });
            }
            _ => missing.push(kind),
        }
    }
    let index = (known > 0.0).then(|| {
        components
            .iter()
            .map(|c| c.contribution)
            .sum::<f64>()
            .clamp(0.0, 100.0)
            + 0.0
    });
    FrictionScore {
        index,
        coverage: if total > 0.0 { known / total } else { 0.0 },
        components,
        missing,
    }
}

/// Weighted mean of levels per component over the places where it is known. Weights are
/// traffic when every place has it, else equal.
fn aggregate(parts: &[(Levels, Option<f64>)]) -> Levels {
    let by_traffic = !parts.is_empty() && parts.iter().all(|(_, t)| t.is_some_and(|t| t > 0.0));
    let mut out = Levels::default();
    for kind in KINDS {
        let known = parts.iter().filter_map(|(levels, traffic)| {
            let w = if by_traffic {
                traffic.unwrap_or(1.0)
            } else {
                1.0
            };
            levels.get(kind).map(|v| (v, w))
        });
        out.set(kind, weighted_mean(known));
    }
    out
}

fn stage_levels(stage: &Stage, touchpoints: &[(Levels, Option<f64>)]) -> Levels {
    let mut levels = aggregate(touchpoints);
    // Stage-level pain points add to the touchpoints' pain.
    if !stage.pain_points.is_empty() {
        let inner = levels.get(ComponentKind::Pain).unwrap_or(0.0);
        let own = pain_level(&stage.pain_points.iter().collect::<Vec<_>>());
        levels.0[ComponentKind::Pain as usize] = Some(1.0 - (1.0 - inner) * (1.0 - own));
    }
    // Stage-level measurements describe the stage directly and take precedence.
    let mut own = Levels::default();
    metric_levels(&mut own, &stage.metrics);
    let time = stage
        .expected_duration
        .as_deref()
        .and_then(parse_duration)
        .and_then(|expected| {
            let actual =
                metric_of(&stage.metrics, MetricKind::TimeInStage).and_then(metric_seconds)?;
            (expected > 0.0).then(|| (actual / expected - 1.0).clamp(0.0, 1.0))
        });
    own.set(ComponentKind::Time, time);
    for kind in KINDS {
        if kind != ComponentKind::Pain && own.get(kind).is_some() {
            levels.0[kind as usize] = own.get(kind);
        }
    }
    levels
}

/// Friction for every touchpoint, stage and the journey.
pub fn friction(journey: &Journey, weights: &FrictionWeights) -> FrictionReport {
    let mut touchpoints = Vec::new();
    let mut stages = Vec::new();
    let mut stage_parts = Vec::new();
    for stage in &journey.stages {
        let parts: Vec<(Levels, Option<f64>)> = stage
            .touchpoints
            .iter()
            .map(|tp| (touchpoint_levels(journey, tp), traffic(&tp.metrics)))
            .collect();
        for (tp, (levels, traffic)) in stage.touchpoints.iter().zip(&parts) {
            touchpoints.push(TouchpointFriction {
                stage: stage.id.clone(),
                touchpoint: tp.id.clone(),
                name: tp.name.clone(),
                traffic: *traffic,
                score: score(levels, weights),
            });
        }
        let levels = stage_levels(stage, &parts);
        let stage_traffic = traffic(&stage.metrics)
            .or_else(|| parts.iter().filter_map(|(_, t)| *t).reduce(f64::max));
        stages.push(StageFriction {
            stage: stage.id.clone(),
            name: stage.name.clone(),
            traffic: stage_traffic,
            score: score(&levels, weights),
        });
        stage_parts.push((levels, stage_traffic));
    }
    FrictionReport {
        weights: weights.clone(),
        journey: score(&aggregate(&stage_parts), weights),
        stages,
        touchpoints,
    }
}
