//! The emotion curve: how a persona (or everyone) feels along the journey, and its statistics.

use crate::error::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{tidy, weighted_mean};
use crate::error::{CjmError, Result};
use crate::model::{EmotionScale, Journey, Touchpoint};

/// z for a two-sided 95 % interval.
pub(crate) const Z95: f64 = 1.959_963_984_540_054;

/// One point of the curve, in journey order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CurvePoint {
    pub stage: String,
    pub touchpoint: String,
    pub touchpoint_name: String,
    /// Emotion normalised to −1..+1 (0 is neutral).
    pub value: f64,
    /// The same emotion on the journey's declared scale.
    pub score: f64,
    /// Responses or users behind the score, when it comes from data.
    pub sample_size: Option<u64>,
    /// Half-width of a conservative 95 % interval on `value` (1.96 / √n, the bound for any
    /// answer distribution on a bounded scale); absent for scores not from data.
    pub margin: Option<f64>,
}

/// A point of the curve referred to from the statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PointRef {
    /// Position in `points`.
    pub index: usize,
    pub stage: String,
    pub touchpoint: String,
    pub value: f64,
}

/// A fall between two consecutive points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Drop {
    pub before: PointRef,
    pub after: PointRef,
    /// `after.value − before.value` (negative).
    pub change: f64,
}

/// What the curve says, in numbers (definitions: `docs/scoring.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CurveStats {
    pub points: usize,
    pub mean: f64,
    /// The lowest point(s).
    pub lowest: Vec<PointRef>,
    /// Local minima below neutral, deepest first.
    pub valleys: Vec<PointRef>,
    /// The highest point (first if tied).
    pub peak: PointRef,
    /// The last point.
    pub end: PointRef,
    /// Peak–end rule: mean of the most intense moment (largest |value|; on a tie the negative,
    /// then the earlier one) and the end.
    pub peak_end: f64,
    /// Σ max(0, −value) over points (each step has width 1).
    pub area_below_neutral: f64,
    /// The three largest falls between consecutive points, largest first.
    pub sharpest_drops: Vec<Drop>,
    /// Mean absolute change between consecutive points.
    pub volatility: f64,
    /// Share of points above neutral (TheyDo's "journey happiness").
    pub share_positive: f64,
}

/// The curve of one persona, or of everyone (`persona` absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmotionCurve {
    pub persona: Option<String>,
    pub points: Vec<CurvePoint>,
    /// Absent when no touchpoint is scored.
    pub stats: Option<CurveStats>,
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

fn usable_scale(scale: &EmotionScale) -> bool {
    scale.min.is_finite() && scale.max.is_finite() && scale.min < scale.max
}

/// The personas who go through a touchpoint: its `personas`, else everyone.
fn relevant_personas<'a>(journey: &'a Journey, tp: &'a Touchpoint) -> Vec<&'a str> {
    if tp.personas.is_empty() {
        journey.personas.iter().map(|p| p.id.as_str()).collect()
    } else {
        tp.personas.iter().map(String::as_str).collect()
    }
}

/// A persona's score at a touchpoint: its own entry, else the all-personas entry.
/// Returns the raw score and its sample size.
pub(crate) fn persona_score(tp: &Touchpoint, persona: &str) -> Option<(f64, Option<u64>)> {
    tp.emotions
        .iter()
        .find(|e| e.persona.as_deref() == Some(persona))
        .or_else(|| tp.emotions.iter().find(|e| e.persona.is_none()))
        .and_then(|e| finite(e.score).map(|s| (s, e.sample_size)))
}

/// Each relevant persona's normalised value at a touchpoint.
pub(crate) fn persona_values(journey: &Journey, tp: &Touchpoint) -> Vec<(String, f64)> {
    let scale = &journey.emotion_scale;
    if !usable_scale(scale) {
        return Vec::new();
    }
    relevant_personas(journey, tp)
        .into_iter()
        .filter_map(|p| persona_score(tp, p).map(|(s, _)| (p.to_string(), scale.normalise(s))))
        .collect()
}

/// Everyone's emotion at a touchpoint: the mean over the personas who go through it, weighted
/// by sample size when every score has one. Without personas, the mean of all scores.
/// Returns (raw score, sample size when all known).
pub(crate) fn combined_score(journey: &Journey, tp: &Touchpoint) -> Option<(f64, Option<u64>)> {
    let personas = relevant_personas(journey, tp);
    let scores: Vec<(f64, Option<u64>)> = if personas.is_empty() {
        tp.emotions
            .iter()
            .filter_map(|e| finite(e.score).map(|s| (s, e.sample_size)))
            .collect()
    } else {
        personas
            .iter()
            .filter_map(|p| persona_score(tp, p))
            .collect()
    };
    if scores.is_empty() {
        return None;
    }
    let all_sampled = scores.iter().all(|(_, n)| n.is_some_and(|n| n > 0));
    // Means that cannot overflow, even for scores near ±1e308.
    if all_sampled {
        let total: u64 = scores
            .iter()
            .fold(0u64, |sum, (_, n)| sum.saturating_add(n.unwrap_or(0)));
        let mean = weighted_mean(scores.iter().map(|(s, n)| (*s, n.unwrap_or(0) as f64)))?;
        Some((mean, Some(total)))
    } else {
        let mean = weighted_mean(scores.iter().map(|(s, _)| (*s, 1.0)))?;
        Some((mean, None))
    }
}

/// Combined normalised emotion at a touchpoint (−1..+1).
pub(crate) fn combined_value(journey: &Journey, tp: &Touchpoint) -> Option<f64> {
    if !usable_scale(&journey.emotion_scale) {
        return None;
    }
    combined_score(journey, tp).map(|(s, _)| journey.emotion_scale.normalise(s))
}

/// The emotion curve of one persona, or of everyone when `persona` is `None`.
///
/// ```
/// let journey = cjm_core::parse_journey(
///     "journey\n title T\n section S\n  A: 5: Ann\n  B: 1: Ann\n",
///     cjm_core::Format::Mermaid,
/// ).unwrap();
/// let curve = cjm_core::emotion_curve(&journey, Some("ann")).unwrap();
/// assert_eq!(curve.points.iter().map(|p| p.value).collect::<Vec<_>>(), vec![1.0, -1.0]);
/// assert_eq!(curve.stats.unwrap().sharpest_drops[0].change, -2.0);
/// ```
pub fn emotion_curve(journey: &Journey, persona: Option<&str>) -> Result<EmotionCurve> {
    if let Some(id) = persona
        && !journey.personas.iter().any(|p| p.id == id)
    {
        return Err(CjmError::usage(
            ErrorCode::UnknownPersona,
            format!(
                "no persona has id {id:?}; known: {}",
                journey
                    .personas
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let scale = &journey.emotion_scale;
    let mut points = Vec::new();
    if usable_scale(scale) {
        for (stage, tp) in journey.touchpoints() {
            let scored = match persona {
                Some(id) => {
                    let goes_through =
                        tp.personas.is_empty() || tp.personas.iter().any(|p| p == id);
                    if goes_through {
                        persona_score(tp, id)
                    } else {
                        None
                    }
                }
                None => combined_score(journey, tp),
            };
            if let Some((score, sample_size)) = scored {
                points.push(CurvePoint {
                    stage: stage.id.clone(),
                    touchpoint: tp.id.clone(),
                    touchpoint_name: tp.name.clone(),
                    value: scale.normalise(score),
                    score: tidy(score).unwrap_or(0.0),
                    sample_size,
                    margin: sample_size
                        .filter(|n| *n > 0)
                        .map(|n| Z95 / (n as f64).sqrt()),
                });
            }
        }
    }
    let stats = curve_stats(&points);
    Ok(EmotionCurve {
        persona: persona.map(str::to_string),
        points,
        stats,
    })
}

/// The combined curve followed by one curve per persona.
pub fn emotion_curves(journey: &Journey) -> Vec<EmotionCurve> {
    let mut curves = Vec::with_capacity(journey.personas.len() + 1);
    let ids = std::iter::once(None).chain(journey.personas.iter().map(|p| Some(p.id.as_str())));
    for id in ids {
        if let Ok(curve) = emotion_curve(journey, id) {
            curves.push(curve);
        }
    }
    curves
}

fn point_ref(points: &[CurvePoint], index: usize) -> PointRef {
    let p = &points[index];
    PointRef {
        index,
        stage: p.stage.clone(),
        touchpoint: p.touchpoint.clone(),
        value: p.value,
    }
}

const TIE: f64 = 1e-9;

pub(crate) fn curve_stats(points: &[CurvePoint]) -> Option<CurveStats> {
    let count = points.len();
    if count == 0 {
        return None;
    }
    let values: Vec<f64> = points.iter().map(|p| p.value).collect();
    let mean = values.iter().sum::<f64>() / count as f64 + 0.0;
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let lowest = (0..count)
        .filter(|&i| (values[i] - min).abs() <= TIE)
        .map(|i| point_ref(points, i))
        .collect();
    // A valley is a run of equal points (a flat bottom counts once, at its first point) below
    // neutral whose neighbours on both sides are higher (or the curve's ends).
    let mut valleys: Vec<PointRef> = Vec::new();
    let mut start = 0;
    while start < count {
        let v = values[start];
        let mut end = start;
        while end + 1 < count && (values[end + 1] - v).abs() <= TIE {
            end += 1;
        }
        let left = start == 0 || values[start - 1] > v;
        let right = end + 1 == count || values[end + 1] > v;
        if v < 0.0 && left && right {
            valleys.push(point_ref(points, start));
        }
        start = end + 1;
    }
    valleys.sort_by(|a, b| a.value.total_cmp(&b.value).then(a.index.cmp(&b.index)));
    let peak_index = (0..count).fold(0, |best, i| {
        if values[i] > values[best] + TIE {
            i
        } else {
            best
        }
    });
    // The most intense moment; between equally intense moments the negative one wins
    // (bad moments weigh more in memory), then the earlier one.
    let intense_index = (0..count).fold(0, |best, i| {
        let (a, b) = (values[i].abs(), values[best].abs());
        let tie = (a - b).abs() <= TIE;
        if a > b + TIE || (tie && values[i] < values[best] - TIE) {
            i
        } else {
            best
        }
    });
    let end = count - 1;
    let mut drops: Vec<Drop> = (1..count)
        .filter(|&i| values[i] < values[i - 1])
        .map(|i| Drop {
            before: point_ref(points, i - 1),
            after: point_ref(points, i),
            change: values[i] - values[i - 1],
        })
        .collect();
    drops.sort_by(|a, b| {
        a.change
            .total_cmp(&b.change)
            .then(a.after.index.cmp(&b.after.index))
    });
    drops.truncate(3);
    let volatility = if count < 2 {
        0.0
    } else {
        (1..count)
            .map(|i| (values[i] - values[i - 1]).abs())
            .sum::<f64>()
            / (count - 1) as f64
            + 0.0
    };
    Some(CurveStats {
        points: count,
        mean,
        lowest,
        valleys,
        peak: point_ref(points, peak_index),
        end: point_ref(points, end),
        peak_end: (values[intense_index] + values[end]) / 2.0 + 0.0,
        area_below_neutral: values.iter().map(|v| (-v).max(0.0)).sum::<f64>() + 0.0,
        sharpest_drops: drops,
        volatility,
        share_positive: values.iter().filter(|v| **v > 0.0).count() as f64 / count as f64,
    })
}
