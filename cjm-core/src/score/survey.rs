//! Survey metrics from raw responses, each with a 95 % confidence interval.

use crate::error::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::curve::Z95;
use super::stats::{t_interval_95, wilson_interval};
use crate::error::{CjmError, Location, Result};

/// A two-sided 95 % confidence interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Net Promoter Score from 0–10 answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NpsResult {
    pub responses: u64,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    /// % promoters − % detractors, −100..100.
    pub nps: f64,
    /// Adjusted Wald interval of Rocks (2016): add 0.75 promoters, 1.5 passives and
    /// 0.75 detractors (ñ = n + 3, p̃ the adjusted shares), then
    /// `100 (p̃_P − p̃_D) ± 1.96 · 100 √((p̃_P + p̃_D − (p̃_P − p̃_D)²) / ñ)`, clamped to
    /// −100..100. Never zero width, even when everyone answers alike.
    pub interval: Interval,
}

/// Customer Satisfaction (top-2-box) from 1–5 answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CsatResult {
    pub responses: u64,
    /// Answers of 4 or 5.
    pub satisfied: u64,
    /// Share satisfied, in percent.
    pub csat: f64,
    /// Wilson score interval, in percent.
    pub interval: Interval,
}

/// Customer Effort Score (CES 2.0) from 1–7 answers ("the company made it easy").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CesResult {
    pub responses: u64,
    pub mean: f64,
    /// Student's t interval `mean ± t(0.975, n − 1) · s / √n` (s: sample standard deviation),
    /// clamped to 1..7. With one answer there is no spread to estimate: the whole scale 1..7.
    pub mean_interval: Interval,
    /// Answers of 5 or more.
    pub easy: u64,
    /// Share answering 5 or more, in percent.
    pub share_easy: f64,
    /// Wilson score interval of `share_easy`, in percent.
    pub share_interval: Interval,
}

/// Checks every response is a whole number within `low..=high`.
fn answers(responses: &[f64], low: u8, high: u8, what: &str) -> Result<Vec<u8>> {
    if responses.is_empty() {
        return Err(CjmError::Data {
            code: ErrorCode::NoResponses,
            message: format!("{what} needs at least one response"),
            location: Location::default(),
        });
    }
    responses
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            if r.is_finite() && r.fract() == 0.0 && r >= f64::from(low) && r <= f64::from(high) {
                Ok(r as u8)
            } else {
                Err(CjmError::Data {
                    code: ErrorCode::InvalidResponse,
                    message: format!(
                        "{what} response {r} at position {i} is not a whole number from {low} to {high}"
                    ),
                    location: Location::pointer(format!("/{i}")),
                })
            }
        })
        .collect()
}

/// Pseudo-answers added by the adjusted Wald NPS interval (Rocks 2016; the defaults of
/// `nps_test(test = "adjusted.wald")` in the author's R package `NPS`, 2.x): promoters,
/// passives, detractors — 3 in all, like the 2 + 2 of Agresti–Coull for one proportion.
const NPS_PSEUDO_PROMOTERS: f64 = 0.75;
const NPS_PSEUDO_PASSIVES: f64 = 1.5;
const NPS_PSEUDO_DETRACTORS: f64 = 0.75;

/// The adjusted Wald 95 % interval of the NPS (Rocks, B. 2016, "Interval Estimation for the
/// 'Net Promoter Score'", The American Statistician 70(4)), in points −100..100:
/// with ñ = n + 3, p̃_P = (P + 0.75)/ñ and p̃_D = (D + 0.75)/ñ,
/// `100 (p̃_P − p̃_D) ± 100 · 1.96 √((p̃_P + p̃_D − (p̃_P − p̃_D)²) / ñ)`, clamped. The plain Wald
/// interval has zero width when every answer falls in one class; the pseudo-answers keep the
/// variance positive.
fn nps_adjusted_wald(promoters: u64, detractors: u64, n: u64) -> Interval {
    let adjusted_n = n as f64 + NPS_PSEUDO_PROMOTERS + NPS_PSEUDO_PASSIVES + NPS_PSEUDO_DETRACTORS;
    let pp = (promoters as f64 + NPS_PSEUDO_PROMOTERS) / adjusted_n;
    let pd = (detractors as f64 + NPS_PSEUDO_DETRACTORS) / adjusted_n;
    let score = pp - pd;
    let half = Z95 * ((pp + pd - score * score).max(0.0) / adjusted_n).sqrt();
    Interval {
        low: (100.0 * (score - half)).max(-100.0),
        high: (100.0 * (score + half)).min(100.0),
    }
}

/// NPS from 0–10 answers: promoters 9–10, passives 7–8, detractors 0–6.
///
/// ```
/// let r = cjm_core::nps(&[10.0, 9.0, 8.0, 3.0]).unwrap();
/// assert_eq!(r.nps, 25.0); // 50 % promoters − 25 % detractors
/// ```
pub fn nps(responses: &[f64]) -> Result<NpsResult> {
    let answers = answers(responses, 0, 10, "NPS")?;
    let n = answers.len() as u64;
    let promoters = answers.iter().filter(|a| **a >= 9).count() as u64;
    let detractors = answers.iter().filter(|a| **a <= 6).count() as u64;
    let (pp, pd) = (promoters as f64 / n as f64, detractors as f64 / n as f64);
    let interval = nps_adjusted_wald(promoters, detractors, n);
    Ok(NpsResult {
        responses: n,
        promoters,
        passives: n - promoters - detractors,
        detractors,
        nps: 100.0 * (pp - pd),
        interval,
    })
}

/// CSAT from 1–5 answers: the share of 4s and 5s.
pub fn csat(responses: &[f64]) -> Result<CsatResult> {
    let answers = answers(responses, 1, 5, "CSAT")?;
    let n = answers.len() as u64;
    let satisfied = answers.iter().filter(|a| **a >= 4).count() as u64;
    let interval = wilson_interval(satisfied, n).unwrap_or(Interval {
        low: 0.0,
        high: 1.0,
    });
    Ok(CsatResult {
        responses: n,
        satisfied,
        csat: 100.0 * satisfied as f64 / n as f64,
        interval: Interval {
            low: 100.0 * interval.low,
            high: 100.0 * interval.high,
        },
    })
}

/// CES 2.0 from 1–7 answers: the mean, and the share answering 5 or more.
pub fn ces(responses: &[f64]) -> Result<CesResult> {
    let answers = answers(responses, 1, 7, "CES")?;
    let n = answers.len() as u64;
    let values: Vec<f64> = answers.iter().map(|a| f64::from(*a)).collect();
    let mean = values.iter().sum::<f64>() / n as f64;
    let sample_sd = if n > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    let mean_interval = t_interval_95(mean, sample_sd, n).unwrap_or(Interval {
        low: 1.0,
        high: 7.0,
    });
    let easy = answers.iter().filter(|a| **a >= 5).count() as u64;
    let interval = wilson_interval(easy, n).unwrap_or(Interval {
        low: 0.0,
        high: 1.0,
    });
    Ok(CesResult {
        responses: n,
        mean,
        mean_interval: Interval {
            low: mean_interval.low.max(1.0),
            high: mean_interval.high.min(7.0),
        },
        easy,
        share_easy: 100.0 * easy as f64 / n as f64,
        share_interval: Interval {
            low: 100.0 * interval.low,
            high: 100.0 * interval.high,
        },
    })
}
