//! Retention: of the users who started (their first start event, t0), how many came back in
//! each period after it.
//!
//! A user is retained in period N when they have a return event at a time t ≥ t0 with
//! ⌊(t − t0) / interval⌋ = N (with `unbounded`, ≥ N: Amplitude's "unbounded" retention).
//! Periods are fixed lengths: a day (24 h), a week (7 days) or a month (30 days). Cohorts are the
//! UTC calendar period of t0: the day (`2024-05-01`), the ISO week (`2024-W18`) or the month
//! (`2024-05`). A period counts for a user only once the log reaches its end (the last event's
//! time is at or past the period's last millisecond): later periods are not yet observable, and
//! counting them would read as churn. The start and return events are step expressions
//! (docs/events.md, "Steps"), so they may be filtered by properties.

use chrono::{DateTime, Datelike};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::log::EventLog;
use super::steps::{StepMatcher, parse_step};
use crate::error::{CjmError, ErrorCode, Result};
use crate::score::{Interval, wilson_interval};

/// A period of time: the length of a retention period, and the calendar period cohorts (of
/// retention, of a funnel over time) are named by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeInterval {
    /// 24 hours.
    Day,
    /// 7 days.
    #[default]
    Week,
    /// 30 days.
    Month,
}

impl TimeInterval {
    fn ms(self) -> i64 {
        const DAY: i64 = 86_400_000;
        match self {
            TimeInterval::Day => DAY,
            TimeInterval::Week => 7 * DAY,
            TimeInterval::Month => 30 * DAY,
        }
    }

    /// `day`, `week` or `month`.
    pub fn from_name(name: &str) -> Result<TimeInterval> {
        match name.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(TimeInterval::Day),
            "week" => Ok(TimeInterval::Week),
            "month" => Ok(TimeInterval::Month),
            other => Err(CjmError::usage(
                ErrorCode::InvalidOption,
                format!("unknown interval {other:?}; use day, week or month"),
            )),
        }
    }

    /// The UTC calendar period a time falls in, as the cohort's name.
    pub(crate) fn cohort(self, ms: i64) -> String {
        let Some(time) = DateTime::from_timestamp_millis(ms) else {
            return String::new();
        };
        match self {
            TimeInterval::Day => time.format("%Y-%m-%d").to_string(),
            TimeInterval::Week => {
                let week = time.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            TimeInterval::Month => time.format("%Y-%m").to_string(),
        }
    }
}

/// The most periods a retention table has (a year of days).
pub const MAX_RETENTION_PERIODS: u32 = 366;

fn default_periods() -> u32 {
    8
}

/// What retention to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RetentionSpec {
    /// The start event (a step expression); a user's first one is their t0.
    pub start: String,
    /// The return event (a step expression); the start event when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_event: Option<String>,
    #[serde(default)]
    pub interval: TimeInterval,
    /// Periods 0 to `periods` - 1 (default 8, at most 366).
    #[serde(default = "default_periods")]
    pub periods: u32,
    /// Retained in period N means a return in period N or later.
    #[serde(default)]
    pub unbounded: bool,
}

/// One period of one cohort (or of all users).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RetentionCell {
    pub period: u32,
    /// Users whose period the log covers to its end.
    pub users: u64,
    /// Of them, the users retained in the period.
    pub retained: u64,
    /// `retained / users`; absent when no user's period is covered yet.
    pub rate: Option<f64>,
}

/// The users whose first start event falls in one calendar period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RetentionCohort {
    /// `2024-05-01`, `2024-W18` or `2024-05`.
    pub cohort: String,
    pub users: u64,
    pub periods: Vec<RetentionCell>,
}

/// A point of the overall retention curve, with its Wilson 95 % interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RetentionPoint {
    #[serde(flatten)]
    pub cell: RetentionCell,
    pub interval: Option<Interval>,
}

/// A retention table: cohorts by period, and the curve over all users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RetentionResult {
    pub start: String,
    pub return_event: String,
    pub interval: TimeInterval,
    pub unbounded: bool,
    /// Users with a start event.
    pub users: u64,
    pub cohorts: Vec<RetentionCohort>,
    pub overall: Vec<RetentionPoint>,
}

/// Computes retention over an event log.
pub fn retention(log: &EventLog, spec: &RetentionSpec) -> Result<RetentionResult> {
    if spec.periods == 0 || spec.periods > MAX_RETENTION_PERIODS {
        return Err(CjmError::usage(
            ErrorCode::InvalidOption,
            format!(
                "retention needs 1 to {MAX_RETENTION_PERIODS} periods, got {}",
                spec.periods
            ),
        ));
    }
    let return_text = spec
        .return_event
        .clone()
        .unwrap_or_else(|| spec.start.clone());
    let texts = [spec.start.clone(), return_text.clone()];
    let defs = [parse_step(&texts[0])?, parse_step(&texts[1])?];
    let matcher = StepMatcher::new(log, &defs, &texts)?;
    let (start_bit, return_bit) = (1u32, 2u32);
    let users = log.user_ids.len();
    let length = spec.interval.ms();
    let periods = spec.periods as usize;

    // t0: each user's first start event.
    let mut first = vec![i64::MAX; users];
    for (row, ((&user, &time), &event)) in
        log.user.iter().zip(&log.time).zip(&log.event).enumerate()
    {
        if matcher.mask(row, event) & start_bit != 0 && time < first[user as usize] {
            first[user as usize] = time;
        }
    }
    // Per user, the periods with a return: a bit per period (bounded), or the latest period
    // reached (unbounded; returns past the table count too).
    let words = periods.div_ceil(64);
    let mut returned = vec![0u64; if spec.unbounded { 0 } else { users * words }];
    let mut latest = vec![-1i64; if spec.unbounded { users } else { 0 }];
    for (row, ((&user, &time), &event)) in
        log.user.iter().zip(&log.time).zip(&log.event).enumerate()
    {
        let u = user as usize;
        let t0 = first[u];
        if t0 == i64::MAX || time < t0 || matcher.mask(row, event) & return_bit == 0 {
            continue;
        }
        let period = (time - t0) / length;
        if spec.unbounded {
            latest[u] = latest[u].max(period);
        } else if (period as usize) < periods {
            returned[u * words + period as usize / 64] |= 1 << (period % 64);
        }
    }
    let end = log.period().map_or(i64::MIN, |(_, last)| last);
    let covered = |t0: i64, period: usize| {
        t0.saturating_add((period as i64 + 1).saturating_mul(length)) <= end.saturating_add(1)
    };

    let mut by_cohort: std::collections::BTreeMap<String, (u64, Vec<(u64, u64)>)> =
        std::collections::BTreeMap::new();
    let mut overall = vec![(0u64, 0u64); periods];
    let mut starters = 0u64;
    for (u, &t0) in first.iter().enumerate() {
        if t0 == i64::MAX {
            continue;
        }
        starters += 1;
        let cohort = by_cohort
            .entry(spec.interval.cohort(t0))
            .or_insert_with(|| (0, vec![(0, 0); periods]));
        cohort.0 += 1;
        for p in 0..periods {
            if !covered(t0, p) {
                break;
            }
            let kept = if spec.unbounded {
                latest[u] >= p as i64
            } else {
                returned[u * words + p / 64] & (1 << (p % 64)) != 0
            };
            cohort.1[p].0 += 1;
            overall[p].0 += 1;
            if kept {
                cohort.1[p].1 += 1;
                overall[p].1 += 1;
            }
        }
    }
    let cell = |period: usize, (users, retained): (u64, u64)| RetentionCell {
        period: period as u32,
        users,
        retained,
        rate: (users > 0).then(|| retained as f64 / users as f64),
    };
    Ok(RetentionResult {
        start: texts[0].clone(),
        return_event: return_text,
        interval: spec.interval,
        unbounded: spec.unbounded,
        users: starters,
        cohorts: by_cohort
            .into_iter()
            .map(|(cohort, (users, cells))| RetentionCohort {
                cohort,
                users,
                periods: cells
                    .into_iter()
                    .enumerate()
                    .map(|(p, c)| cell(p, c))
                    .collect(),
            })
            .collect(),
        overall: overall
            .into_iter()
            .enumerate()
            .map(|(p, c)| RetentionPoint {
                cell: cell(p, c),
                interval: wilson_interval(c.1, c.0),
            })
            .collect(),
    })
}
