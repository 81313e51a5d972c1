//! Gap analysis: where the experience falls short, ranked, with the evidence behind each gap.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::curve::{combined_value, persona_values};
use super::friction::{FrictionWeights, as_share, friction, metric_seconds};
use super::tidy;
use crate::model::{Direction, Journey, Metric, MetricKind, PainPoint};

/// What kind of shortfall a gap is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// A recorded pain point.
    PainPoint,
    /// A metric short of its target.
    MetricTarget,
    /// Customers expected something and felt below neutral, with no pain point recorded there.
    ExpectationUnmet,
    /// Feelings below neutral with no pain point or expectation recorded: research it.
    NegativeEmotion,
    /// Personas experience the same touchpoint very differently.
    PersonaDivergence,
    /// The to-be map is worse than the as-is map here.
    ToBeWorse,
    /// A metric entered by hand disagrees with the same kind of metric measured from events at
    /// the same place: one of them is wrong, or they measure different things.
    MeasurementConflict,
}

/// One shortfall, with a severity 0–1 (formulas: `docs/scoring.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Gap {
    pub kind: GapKind,
    pub severity: f64,
    pub stage: Option<String>,
    pub touchpoint: Option<String>,
    /// The pain point id, metric name or persona the gap is about.
    pub subject: String,
    pub message: String,
    /// Evidence ids behind the gap.
    pub evidence: Vec<String>,
}

/// Whether a metric reaches its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Met,
    /// Short of the target by at most 10 % of it.
    AtRisk,
    Missed,
    /// No value, no target or no direction.
    Unknown,
}

/// A metric's value against its target, honouring its direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MetricStatus {
    pub stage: Option<String>,
    pub touchpoint: Option<String>,
    pub metric: String,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub direction: Option<Direction>,
    /// value − target.
    pub gap: Option<f64>,
    /// How far from the target in the bad direction (negative when better than target).
    pub shortfall: Option<f64>,
    /// shortfall ÷ |target|.
    pub relative_shortfall: Option<f64>,
    pub status: TargetStatus,
    pub evidence: Vec<String>,
}

/// How differently personas feel at one touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PersonaDivergence {
    pub stage: String,
    pub touchpoint: String,
    /// Highest minus lowest normalised persona emotion (0–2).
    pub spread: f64,
    /// Each persona's normalised emotion, lowest first.
    pub scores: Vec<PersonaScore>,
}

/// A persona's normalised emotion at a touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PersonaScore {
    pub persona: String,
    pub value: f64,
}

/// Everything one journey says about its gaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GapReport {
    /// All gaps, most severe first.
    pub gaps: Vec<Gap>,
    pub metrics: Vec<MetricStatus>,
    /// Touchpoints where personas differ, largest spread first.
    pub divergence: Vec<PersonaDivergence>,
}

/// Share affected assumed for a pain point that does not say (documented in docs/scoring.md).
pub(crate) const DEFAULT_SHARE: f64 = 0.5;
/// A spread of at least this much (normalised; 1 point on −2..+2) is reported as divergence.
const DIVERGENCE_THRESHOLD: f64 = 0.5;
const AT_RISK: f64 = 0.10;

pub(crate) fn metric_label(metric: &Metric) -> String {
    metric.name.clone().unwrap_or_else(|| {
        serde_json::to_value(metric.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    })
}

pub(crate) fn pain_severity(pain: &PainPoint) -> f64 {
    let share = pain
        .share_affected
        .filter(|s| s.is_finite())
        .unwrap_or(DEFAULT_SHARE);
    (pain.severity.clamp(1, 5) as f64 / 5.0) * share.clamp(0.0, 1.0)
}

/// Half the shortfall relative to the larger of value and target (bounded 0–1 in both
/// directions): a missed target is a symptom against a goal the team chose, so it ranks below a
/// recorded pain point of the same size and the cause surfaces first.
fn target_gap_severity(status: &MetricStatus) -> f64 {
    match (status.value, status.target, status.shortfall) {
        (Some(v), Some(t), Some(short)) if short > 0.0 => {
            let scale = v.abs().max(t.abs());
            if scale > 0.0 {
                0.5 * (short / scale).min(1.0)
            } else {
                0.0
            }
        }
        // A shortfall beyond the largest float (so unknown): as large as it gets.
        (Some(_), Some(_), None) if status.status == TargetStatus::Missed => 0.5,
        _ => 0.0,
    }
}

/// Status of a metric against its target.
pub fn metric_status(
    metric: &Metric,
    stage: Option<&str>,
    touchpoint: Option<&str>,
) -> MetricStatus {
    let value = metric.value.and_then(tidy);
    let target = metric.target.and_then(tidy);
    let direction = metric.effective_direction();
    let (mut gap, mut shortfall, mut relative, mut status) =
        (None, None, None, TargetStatus::Unknown);
    if let (Some(v), Some(t)) = (value, target) {
        // A difference beyond the largest float (value and target near ±1e308) is unknown.
        gap = tidy(v - t);
        if let Some(d) = direction {
            let short = match d {
                Direction::HigherIsBetter => t - v,
                Direction::LowerIsBetter => v - t,
            };
            shortfall = tidy(short);
            let rel = if t != 0.0 {
                short / t.abs()
            } else if short > 0.0 {
                f64::INFINITY
            } else {
                0.0
            };
            relative = tidy(rel);
            status = if short <= 0.0 {
                TargetStatus::Met
            } else if rel <= AT_RISK {
                TargetStatus::AtRisk
            } else {
                TargetStatus::Missed
            };
        }
    }
    MetricStatus {
        stage: stage.map(str::to_string),
        touchpoint: touchpoint.map(str::to_string),
        metric: metric_label(metric),
        value,
        target,
        direction,
        gap,
        shortfall,
        relative_shortfall: relative,
        status,
        evidence: metric.evidence.to_vec(),
    }
}

/// Every metric of the journey with its target status, in document order.
pub fn metric_statuses(journey: &Journey) -> Vec<MetricStatus> {
    let mut out: Vec<MetricStatus> = journey
        .metrics
        .iter()
        .map(|m| metric_status(m, None, None))
        .collect();
    for stage in &journey.stages {
        out.extend(
            stage
                .metrics
                .iter()
                .map(|m| metric_status(m, Some(&stage.id), None)),
        );
        for tp in &stage.touchpoints {
            out.extend(
                tp.metrics
                    .iter()
                    .map(|m| metric_status(m, Some(&stage.id), Some(&tp.id))),
            );
        }
    }
    out
}

fn pain_gap(pain: &PainPoint, stage: &str, touchpoint: Option<&str>, emotion: Option<f64>) -> Gap {
    let share = pain
        .share_affected
        .filter(|s| s.is_finite())
        .map_or("share unknown".to_string(), |s| {
            format!("{:.0}% of customers", s * 100.0)
        });
    let feeling = emotion.map_or(String::new(), |v| format!("; emotion here {v:+.2}"));
    Gap {
        kind: GapKind::PainPoint,
        severity: pain_severity(pain),
        stage: Some(stage.to_string()),
        touchpoint: touchpoint.map(str::to_string),
        subject: pain.id.clone(),
        message: format!(
            "{} (severity {}/5, {share}{feeling})",
            pain.description, pain.severity
        ),
        evidence: pain.evidence.to_vec(),
    }
}

/// Relative difference above which a hand-entered metric and a measured one disagree: 20 % of
/// the larger, so rounding and a slightly different period pass, and 8.5 % against 83 % does not.
const CONFLICT_TOLERANCE: f64 = 0.2;

/// A metric's value on a scale shared by every unit of its kind: rates as shares, times in
/// seconds, anything else as written (and then only comparable in the same unit).
fn comparable(metric: &Metric) -> Option<(f64, String)> {
    use MetricKind::*;
    match metric.kind {
        Conversion | DropOff | BounceRate | BacktrackRate | LoopRate | ErrorRate
        | SupportContacts | RepeatPurchaseRate | Retention | Churn => {
            as_share(metric).map(|v| (v, "share".into()))
        }
        TimeInStage => metric_seconds(metric).map(|v| (v, "s".into())),
        _ => metric.value.filter(|v| v.is_finite()).map(|v| {
            let unit = metric.unit.as_deref().unwrap_or("").trim().to_lowercase();
            (v, unit)
        }),
    }
}

/// Hand-entered metrics that disagree with a measured metric of the same kind at the same place.
fn measurement_conflicts(journey: &Journey) -> Vec<Gap> {
    let mut places: Vec<(Option<&str>, Option<&str>, &[Metric])> =
        vec![(None, None, journey.metrics.as_slice())];
    for stage in &journey.stages {
        places.push((Some(&stage.id), None, &stage.metrics));
        for tp in &stage.touchpoints {
            places.push((Some(&stage.id), Some(&tp.id), &tp.metrics));
        }
    }
    let mut gaps = Vec::new();
    for (stage, touchpoint, metrics) in places {
        for measured in metrics.iter().filter(|m| m.is_measured()) {
            let Some((m_value, m_scale)) = comparable(measured) else {
                continue;
            };
            for hand in metrics
                .iter()
                .filter(|h| !h.is_measured() && h.kind == measured.kind)
            {
                let Some((h_value, h_scale)) = comparable(hand) else {
                    continue;
                };
                let scale = m_value.abs().max(h_value.abs());
                if h_scale != m_scale || scale == 0.0 {
                    continue;
                }
                let relative = (m_value - h_value).abs() / scale;
                if relative <= CONFLICT_TOLERANCE {
                    continue;
                }
                let show = |m: &Metric| {
                    let value = m.value.map_or("?".into(), |v| format!("{v}"));
                    match m.unit.as_deref() {
                        Some(unit) => format!("{value} {unit}"),
                        None => value,
                    }
                };
                gaps.push(Gap {
                    kind: GapKind::MeasurementConflict,
                    // Half weight, like a missed target: a lead to check, not yet a finding.
                    severity: 0.5 * relative.min(1.0),
                    stage: stage.map(str::to_string),
                    touchpoint: touchpoint.map(str::to_string),
                    subject: hand.id.clone().unwrap_or_else(|| metric_label(hand)),
                    message: format!(
                        "{} is entered as {} but the event log measures {} (n = {}{}): check which is right, or whether they measure different things",
                        metric_label(hand),
                        show(hand),
                        show(measured),
                        measured.sample_size.map_or("?".into(), |n| n.to_string()),
                        measured
                            .period
                            .as_deref()
                            .map_or(String::new(), |p| format!(", {p}")),
                    ),
                    evidence: measured.evidence.to_vec(),
                });
            }
        }
    }
    gaps
}

/// Ranks gaps: most severe first; ties keep document order.
fn rank(gaps: &mut [Gap]) {
    gaps.sort_by(|a, b| b.severity.total_cmp(&a.severity));
}

/// All gaps of one journey: pain points, missed targets, unmet expectations, unexplained low
/// feelings and persona divergence, ranked by severity.
pub fn analyze_gaps(journey: &Journey) -> GapReport {
    let mut gaps = Vec::new();
    let mut divergence = Vec::new();
    for stage in &journey.stages {
        for pain in &stage.pain_points {
            gaps.push(pain_gap(pain, &stage.id, None, None));
        }
        for tp in &stage.touchpoints {
            let emotion = combined_value(journey, tp);
            for pain in &tp.pain_points {
                gaps.push(pain_gap(pain, &stage.id, Some(&tp.id), emotion));
            }
            if let Some(v) = emotion
                && v < 0.0
                && tp.pain_points.is_empty()
            {
                let (kind, what) = if tp.expectations.is_empty() {
                    (
                        GapKind::NegativeEmotion,
                        "feelings below neutral and no pain point recorded: find out why"
                            .to_string(),
                    )
                } else {
                    (
                        GapKind::ExpectationUnmet,
                        format!(
                            "expected \"{}\" but felt below neutral",
                            tp.expectations.join("; ")
                        ),
                    )
                };
                gaps.push(Gap {
                    kind,
                    // Half weight: a low feeling without a recorded cause is a lead, not a finding.
                    severity: (-v).min(1.0) / 2.0,
                    stage: Some(stage.id.clone()),
                    touchpoint: Some(tp.id.clone()),
                    subject: tp.id.clone(),
                    message: format!("{}: {what} (emotion {v:+.2})", tp.name),
                    evidence: tp.evidence.to_vec(),
                });
            }
            let mut scores = persona_values(journey, tp);
            if scores.len() >= 2 {
                scores.sort_by(|a, b| a.1.total_cmp(&b.1));
                let spread = scores[scores.len() - 1].1 - scores[0].1;
                if spread >= DIVERGENCE_THRESHOLD {
                    gaps.push(Gap {
                        kind: GapKind::PersonaDivergence,
                        // Quarter weight of the 0–2 spread: a segment difference, not itself a failure.
                        severity: spread / 4.0,
                        stage: Some(stage.id.clone()),
                        touchpoint: Some(tp.id.clone()),
                        subject: scores[0].0.clone(),
                        message: format!(
                            "{}: {} feels {:+.2}, {} feels {:+.2}",
                            tp.name,
                            scores[0].0,
                            scores[0].1,
                            scores[scores.len() - 1].0,
                            scores[scores.len() - 1].1
                        ),
                        evidence: tp.evidence.to_vec(),
                    });
                    divergence.push(PersonaDivergence {
                        stage: stage.id.clone(),
                        touchpoint: tp.id.clone(),
                        spread,
                        scores: scores
                            .into_iter()
                            .map(|(persona, value)| PersonaScore { persona, value })
                            .collect(),
                    });
                }
            }
        }
    }
    let metrics = metric_statuses(journey);
    for status in &metrics {
        if matches!(status.status, TargetStatus::Missed | TargetStatus::AtRisk) {
            let relative = status.relative_shortfall.unwrap_or(1.0).max(0.0);
            gaps.push(Gap {
                kind: GapKind::MetricTarget,
                severity: target_gap_severity(status),
                stage: status.stage.clone(),
                touchpoint: status.touchpoint.clone(),
                subject: status.metric.clone(),
                message: format!(
                    "{} is {} against a target of {} ({})",
                    status.metric,
                    status.value.map_or("?".into(), |v| format!("{v}")),
                    status.target.map_or("?".into(), |v| format!("{v}")),
                    match (status.relative_shortfall, status.shortfall) {
                        // A target of 0 has no relative distance: say how far, in its unit.
                        (None, Some(short)) => format!("{short} off target"),
                        _ => format!("{:.0}% off target", relative * 100.0),
                    }
                ),
                evidence: status.evidence.clone(),
            });
        }
    }
    gaps.extend(measurement_conflicts(journey));
    rank(&mut gaps);
    divergence.sort_by(|a, b| b.spread.total_cmp(&a.spread));
    GapReport {
        gaps,
        metrics,
        divergence,
    }
}

/// A touchpoint in both maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TouchpointDelta {
    pub stage: String,
    pub touchpoint: String,
    pub emotion_before: Option<f64>,
    pub emotion_after: Option<f64>,
    /// after − before (normalised emotion; positive is better).
    pub emotion_change: Option<f64>,
    pub friction_before: Option<f64>,
    pub friction_after: Option<f64>,
    /// after − before (friction; negative is better).
    pub friction_change: Option<f64>,
}

/// A stage in both maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StageDelta {
    pub stage: String,
    pub friction_before: Option<f64>,
    pub friction_after: Option<f64>,
    pub friction_change: Option<f64>,
}

/// A metric in both maps (matched by id, else by kind and name at the same place).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MetricDelta {
    pub stage: Option<String>,
    pub touchpoint: Option<String>,
    pub metric: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub change: Option<f64>,
    /// Whether the change goes the metric's good way; absent when unknown or unchanged.
    pub improved: Option<bool>,
}

/// As-is against to-be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    pub touchpoints: Vec<TouchpointDelta>,
    pub stages: Vec<StageDelta>,
    pub metrics: Vec<MetricDelta>,
    /// Touchpoint ids only in the to-be map.
    pub added: Vec<String>,
    /// Touchpoint ids only in the as-is map.
    pub removed: Vec<String>,
    /// Places where the to-be map is worse, most severe first.
    pub worse: Vec<Gap>,
}

fn change(before: Option<f64>, after: Option<f64>) -> Option<f64> {
    tidy(after? - before?)
}

type MetricKey = (Option<String>, Option<String>, String);

fn located_metrics(journey: &Journey) -> Vec<(MetricKey, &Metric)> {
    let key = |m: &Metric, s: Option<&str>, t: Option<&str>| -> MetricKey {
        match &m.id {
            Some(id) => (None, None, format!("#{id}")),
            None => (
                s.map(str::to_string),
                t.map(str::to_string),
                metric_label(m),
            ),
        }
    };
    let mut out: Vec<(MetricKey, &Metric)> = journey
        .metrics
        .iter()
        .map(|m| (key(m, None, None), m))
        .collect();
    for stage in &journey.stages {
        out.extend(
            stage
                .metrics
                .iter()
                .map(|m| (key(m, Some(&stage.id), None), m)),
        );
        for tp in &stage.touchpoints {
            out.extend(
                tp.metrics
                    .iter()
                    .map(|m| (key(m, Some(&stage.id), Some(&tp.id)), m)),
            );
        }
    }
    out
}

/// Compares an as-is map with its to-be version, aligned by ids.
pub fn compare_journeys(as_is: &Journey, to_be: &Journey, weights: &FrictionWeights) -> Comparison {
    let before = friction(as_is, weights);
    let after = friction(to_be, weights);
    let mut touchpoints = Vec::new();
    let mut worse = Vec::new();
    for (stage, tp) in as_is.touchpoints() {
        let Some((_, new_tp)) = to_be.touchpoints().find(|(_, t)| t.id == tp.id) else {
            continue;
        };
        let emotion_before = combined_value(as_is, tp);
        let emotion_after = combined_value(to_be, new_tp);
        let friction_of = |report: &super::friction::FrictionReport| {
            report
                .touchpoints
                .iter()
                .find(|t| t.touchpoint == tp.id)
                .and_then(|t| t.score.index)
        };
        let (fb, fa) = (friction_of(&before), friction_of(&after));
        let delta = TouchpointDelta {
            stage: stage.id.clone(),
            touchpoint: tp.id.clone(),
            emotion_before,
            emotion_after,
            emotion_change: change(emotion_before, emotion_after),
            friction_before: fb,
            friction_after: fa,
            friction_change: change(fb, fa),
        };
        if let Some(c) = delta.emotion_change.filter(|c| *c < -1e-9) {
            worse.push(Gap {
                kind: GapKind::ToBeWorse,
                severity: (-c / 2.0).min(1.0),
                stage: Some(stage.id.clone()),
                touchpoint: Some(tp.id.clone()),
                subject: "emotion".into(),
                message: format!("{}: the to-be emotion is lower by {:.2}", tp.name, -c),
                evidence: new_tp.evidence.to_vec(),
            });
        }
        if let Some(c) = delta.friction_change.filter(|c| *c > 1e-9) {
            worse.push(Gap {
                kind: GapKind::ToBeWorse,
                severity: (c / 100.0).min(1.0),
                stage: Some(stage.id.clone()),
                touchpoint: Some(tp.id.clone()),
                subject: "friction".into(),
                message: format!("{}: the to-be friction is higher by {c:.1}", tp.name),
                evidence: new_tp.evidence.to_vec(),
            });
        }
        touchpoints.push(delta);
    }
    let stages = before
        .stages
        .iter()
        .filter_map(|b| {
            let a = after.stages.iter().find(|a| a.stage == b.stage)?;
            Some(StageDelta {
                stage: b.stage.clone(),
                friction_before: b.score.index,
                friction_after: a.score.index,
                friction_change: change(b.score.index, a.score.index),
            })
        })
        .collect();
    let new_metrics = located_metrics(to_be);
    let mut metrics = Vec::new();
    for (key, old) in located_metrics(as_is) {
        let Some((_, new)) = new_metrics.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let (b, a) = (
            old.value.filter(|v| v.is_finite()),
            new.value.filter(|v| v.is_finite()),
        );
        let delta = change(b, a);
        let improved = match (delta, old.effective_direction()) {
            (Some(d), Some(Direction::HigherIsBetter)) if d != 0.0 => Some(d > 0.0),
            (Some(d), Some(Direction::LowerIsBetter)) if d != 0.0 => Some(d < 0.0),
            _ => None,
        };
        if improved == Some(false) {
            worse.push(Gap {
                kind: GapKind::ToBeWorse,
                severity: match (b, delta) {
                    (Some(b), Some(d)) if b != 0.0 => (d.abs() / b.abs()).min(1.0),
                    _ => 1.0,
                },
                stage: key.0.clone(),
                touchpoint: key.1.clone(),
                subject: metric_label(old),
                message: format!(
                    "{} moves the wrong way: {:?} → {:?}",
                    metric_label(old),
                    b,
                    a
                ),
                evidence: new.evidence.to_vec(),
            });
        }
        metrics.push(MetricDelta {
            stage: key.0,
            touchpoint: key.1,
            metric: metric_label(old),
            before: b,
            after: a,
            change: delta,
            improved,
        });
    }
    let ids = |j: &Journey| {
        j.touchpoints()
            .map(|(_, t)| t.id.clone())
            .collect::<Vec<_>>()
    };
    let (old_ids, new_ids) = (ids(as_is), ids(to_be));
    rank(&mut worse);
    Comparison {
        touchpoints,
        stages,
        metrics,
        added: new_ids
            .iter()
            .filter(|id| !old_ids.contains(id))
            .cloned()
            .collect(),
        removed: old_ids
            .iter()
            .filter(|id| !new_ids.contains(id))
            .cloned()
            .collect(),
        worse,
    }
}
