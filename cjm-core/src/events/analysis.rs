//! Paths, segment and period comparisons, and loyalty over event logs.

use crate::error::ErrorCode;
use std::collections::{BTreeMap, HashMap, HashSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::funnel::{
    FunnelGroup, FunnelSpec, FunnelState, GroupState, TimeStats, by_user, funnel_state, time_stats,
};
use super::log::{EventLog, parse_timestamp};
use crate::error::{CjmError, Result};
use crate::model::Journey;
// Re-exported from here so the comparisons' statistics sit with `compare_funnel` in the API.
pub use crate::score::stats::two_proportions;
use crate::score::{Interval, ProportionTest, wilson_interval};

/// `*` matches any run of characters; everything else literally.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Which touchpoint (and stage) each event name belongs to, from the touchpoints' `events`
/// patterns (exact names or globs with `*`); the first matching touchpoint in journey order wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventMapping {
    /// (touchpoint id, stage index, patterns) in journey order.
    pub touchpoints: Vec<(String, usize, Vec<String>)>,
    pub stages: Vec<String>,
}

impl EventMapping {
    pub fn from_journey(journey: &Journey) -> EventMapping {
        let mut touchpoints = Vec::new();
        for (s, stage) in journey.stages.iter().enumerate() {
            for tp in &stage.touchpoints {
                if !tp.events.is_empty() {
                    touchpoints.push((tp.id.clone(), s, tp.events.to_vec()));
                }
            }
        }
        EventMapping {
            touchpoints,
            stages: journey.stages.iter().map(|s| s.id.clone()).collect(),
        }
    }

    /// Touchpoint index for an event name.
    pub fn touchpoint_of(&self, event: &str) -> Option<usize> {
        self.touchpoints
            .iter()
            .position(|(_, _, patterns)| patterns.iter().any(|p| glob_match(p, event)))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub events: u64,
    pub users: u64,
    /// events ÷ all transitions leaving `from`.
    pub share: f64,
    pub median_seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NodeStats {
    pub node: String,
    pub events: u64,
    pub users: u64,
    /// Users who come back to this node after another (A → B → A).
    pub loop_users: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Backtrack {
    pub from_stage: String,
    pub to_stage: String,
    pub users: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DropOffPath {
    /// The last nodes (up to three) before the user's events end.
    pub path: Vec<String>,
    pub users: u64,
}

/// The directly-follows graph of a log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PathsResult {
    /// `event` (raw event names) or `touchpoint` (mapped through the journey).
    pub level: String,
    pub nodes: Vec<NodeStats>,
    /// Most frequent first.
    pub transitions: Vec<Transition>,
    /// Moves to an earlier stage (with a journey).
    pub backtracking: Vec<Backtrack>,
    /// For users who never reach `goal`: how their events end, most common first.
    pub drop_off_paths: Vec<DropOffPath>,
    /// Events no touchpoint pattern matches (with a journey).
    pub unmapped_events: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct PathOptions {
    /// Node whose absence marks a dropped-off user (an event name, or a touchpoint id with a
    /// journey).
    pub goal: Option<String>,
    /// How many drop-off paths to keep (default 10).
    pub top: Option<usize>,
}

/// Each user's node sequence (consecutive repeats collapsed) with times, and how many events
/// each node has (identical rows counted once).
fn sequences(
    log: &EventLog,
    node_of_event: &[Option<u32>],
    nodes: usize,
) -> (Vec<Vec<(u32, i64)>>, Vec<u64>) {
    let codes = vec![1u8; log.event_names.len()];
    let (offsets, events, rows) = by_user(log, &codes, |_| true, 0..log.user_ids.len());
    let mut node_events = vec![0u64; nodes];
    let sequences = (0..log.user_ids.len())
        .map(|u| {
            let mut seq: Vec<(u32, i64)> = Vec::new();
            for i in offsets[u]..offsets[u + 1] {
                let row = rows[i] as usize;
                if let Some(node) = node_of_event[log.event[row] as usize] {
                    node_events[node as usize] += 1;
                    if seq.last().is_none_or(|(n, _)| *n != node) {
                        seq.push((node, events[i].0));
                    }
                }
            }
            seq
        })
        .collect();
    (sequences, node_events)
}

fn median_ms(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2] as f64 / 1000.0
    } else {
        // i128: two i64 durations may not add up in i64.
        (i128::from(values[n / 2 - 1]) + i128::from(values[n / 2])) as f64 / 2000.0
    })
}

/// The directly-follows graph between events, or between the journey's touchpoints.
pub fn paths(
    log: &EventLog,
    journey: Option<&Journey>,
    options: &PathOptions,
) -> Result<PathsResult> {
    let mapping = journey.map(EventMapping::from_journey);
    let (names, node_of_event, unmapped): (Vec<String>, Vec<Option<u32>>, u64) = match &mapping {
        Some(m) => {
            let nodes: Vec<Option<u32>> = log
                .event_names
                .iter()
                .map(|e| m.touchpoint_of(e).map(|i| i as u32))
                .collect();
            let unmapped = log
                .event
                .iter()
                .filter(|e| nodes[**e as usize].is_none())
                .count() as u64;
            (
                m.touchpoints.iter().map(|t| t.0.clone()).collect(),
                nodes,
                unmapped,
            )
        }
        None => (
            log.event_names.clone(),
            (0..log.event_names.len() as u32).map(Some).collect(),
            0,
        ),
    };
    let goal = match &options.goal {
        Some(g) => Some(names.iter().position(|n| n == g).ok_or_else(|| {
            CjmError::usage(
                ErrorCode::InvalidOption,
                format!("goal {g:?} is not a node of the paths"),
            )
        })? as u32),
        None => None,
    };
    let (sequences, node_events) = sequences(log, &node_of_event, names.len());
    let mut node_users = vec![0u64; names.len()];
    let mut loop_users = vec![0u64; names.len()];
    let mut edges: HashMap<(u32, u32), (u64, u64, Vec<i64>)> = HashMap::new();
    let mut back: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    let mut endings: HashMap<Vec<u32>, u64> = HashMap::new();
    for seq in sequences {
        let distinct: HashSet<u32> = seq.iter().map(|(n, _)| *n).collect();
        for n in &distinct {
            node_users[*n as usize] += 1;
        }
        let mut looped = HashSet::new();
        for w in seq.windows(3) {
            if w[0].0 == w[2].0 {
                looped.insert(w[0].0);
            }
        }
        for n in looped {
            loop_users[n as usize] += 1;
        }
        let mut seen_edges = HashSet::new();
        let mut seen_back = HashSet::new();
        for w in seq.windows(2) {
            let entry = edges.entry((w[0].0, w[1].0)).or_insert((0, 0, Vec::new()));
            entry.0 += 1;
            entry.2.push(w[1].1.saturating_sub(w[0].1));
            if seen_edges.insert((w[0].0, w[1].0)) {
                entry.1 += 1;
            }
            if let Some(m) = &mapping {
                let (a, b) = (
                    m.touchpoints[w[0].0 as usize].1,
                    m.touchpoints[w[1].0 as usize].1,
                );
                if b < a && seen_back.insert((a, b)) {
                    *back.entry((a, b)).or_insert(0) += 1;
                }
            }
        }
        if let Some(goal) = goal
            && !seq.is_empty()
            && !distinct.contains(&goal)
        {
            let tail: Vec<u32> = seq.iter().rev().take(3).rev().map(|(n, _)| *n).collect();
            *endings.entry(tail).or_insert(0) += 1;
        }
    }
    let mut leaving = vec![0u64; names.len()];
    for ((a, _), (events, _, _)) in &edges {
        leaving[*a as usize] += events;
    }
    let mut transitions: Vec<Transition> = edges
        .into_iter()
        .map(|((a, b), (events, users, mut durations))| Transition {
            from: names[a as usize].clone(),
            to: names[b as usize].clone(),
            events,
            users,
            share: events as f64 / leaving[a as usize].max(1) as f64,
            median_seconds: median_ms(&mut durations),
        })
        .collect();
    transitions.sort_by(|x, y| {
        y.events
            .cmp(&x.events)
            .then(x.from.cmp(&y.from))
            .then(x.to.cmp(&y.to))
    });
    let mut drop_off_paths: Vec<DropOffPath> = endings
        .into_iter()
        .map(|(path, users)| DropOffPath {
            path: path.iter().map(|n| names[*n as usize].clone()).collect(),
            users,
        })
        .collect();
    drop_off_paths.sort_by(|a, b| b.users.cmp(&a.users).then(a.path.cmp(&b.path)));
    drop_off_paths.truncate(options.top.unwrap_or(10));
    Ok(PathsResult {
        level: if mapping.is_some() {
            "touchpoint"
        } else {
            "event"
        }
        .into(),
        nodes: names
            .iter()
            .enumerate()
            .map(|(i, n)| NodeStats {
                node: n.clone(),
                events: node_events[i],
                users: node_users[i],
                loop_users: loop_users[i],
            })
            .collect(),
        transitions,
        backtracking: back
            .into_iter()
            .filter_map(|((a, b), users)| {
                let stages = &mapping.as_ref()?.stages;
                Some(Backtrack {
                    from_stage: stages.get(a)?.clone(),
                    to_stage: stages.get(b)?.clone(),
                    users,
                })
            })
            .collect(),
        drop_off_paths,
        unmapped_events: unmapped,
    })
}

/// How to split users or events into the two sides of a comparison. The bindings read a
/// [`SplitInput`], which also takes the CLI's text forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// Users whose segment `column` equals `value` (on their first event) against all others.
    Segment { column: String, value: String },
    /// Events in period A against events in period B; each `FROM..TO`, TO exclusive.
    Periods { a: String, b: String },
}

impl Split {
    /// `COLUMN=VALUE` (the CLI's `--split`): users whose segment `COLUMN` is `VALUE`.
    pub fn segment_from_text(text: &str) -> Result<Split> {
        match text.split_once('=') {
            Some((column, value)) if !column.trim().is_empty() => Ok(Split::Segment {
                column: column.trim().to_string(),
                value: value.to_string(),
            }),
            _ => Err(CjmError::usage(
                ErrorCode::InvalidOption,
                format!(
                    "split takes COLUMN=VALUE (e.g. platform=app), not {:?}",
                    crate::excerpt(text)
                ),
            )),
        }
    }

    /// `FROM..TO,FROM..TO` (the CLI's `--periods`): period A, then period B.
    pub fn periods_from_text(text: &str) -> Result<Split> {
        match text.split_once(',') {
            Some((a, b)) if a.contains("..") && b.contains("..") => Ok(Split::Periods {
                a: a.trim().to_string(),
                b: b.trim().to_string(),
            }),
            _ => Err(CjmError::usage(
                ErrorCode::InvalidOption,
                format!(
                    "periods takes FROM..TO,FROM..TO (e.g. 2026-09-01..2026-10-01,2026-10-01..2026-11-01), not {:?}",
                    crate::excerpt(text)
                ),
            )),
        }
    }
}

/// A split as every front takes it: the object forms of [`Split`], or the CLI's text forms
/// (`{"segment": "platform=app"}`, `{"periods": "FROM..TO,FROM..TO"}`); [`SplitInput::resolve`]
/// reads the text, so a bad one is the same `invalid_option` everywhere.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Split")]
pub enum SplitInput {
    /// Users whose segment `column` equals `value` (on their first event) against all others;
    /// or the text `COLUMN=VALUE`.
    Segment(SegmentInput),
    /// Events in period A against events in period B; each `FROM..TO`, TO exclusive; or the
    /// text `FROM..TO,FROM..TO`.
    Periods(PeriodsInput),
}

#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum SegmentInput {
    Fields { column: String, value: String },
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PeriodsInput {
    Fields { a: String, b: String },
    Text(String),
}

impl SplitInput {
    /// The split, its text form read (`invalid_option` when it does not parse).
    pub fn resolve(self) -> Result<Split> {
        match self {
            SplitInput::Segment(SegmentInput::Fields { column, value }) => {
                Ok(Split::Segment { column, value })
            }
            SplitInput::Segment(SegmentInput::Text(text)) => Split::segment_from_text(&text),
            SplitInput::Periods(PeriodsInput::Fields { a, b }) => Ok(Split::Periods { a, b }),
            SplitInput::Periods(PeriodsInput::Text(text)) => Split::periods_from_text(&text),
        }
    }
}

/// One step of a comparison. Every p-value comes with its counts: `a_users` of `a_base` against
/// `b_users` of `b_base`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepComparison {
    pub step: String,
    /// Users reaching this step on each side.
    pub a_users: u64,
    pub b_users: u64,
    /// Users at step 1 on each side: the base of the conversions.
    pub a_base: u64,
    pub b_base: u64,
    /// Conversion from step 1 on each side.
    pub a_conversion: Option<f64>,
    pub b_conversion: Option<f64>,
    /// b − a.
    pub difference: Option<f64>,
    /// 95 % interval of the difference: Newcombe's hybrid score interval (from the two Wilson
    /// intervals), within −1..1.
    pub interval: Option<Interval>,
    /// The test behind `p_value`: Fisher's exact test when an expected count of the 2×2 table
    /// (reached or not × side) is below 5, else the pooled two-proportion z-test. Null when a
    /// side has nobody at step 1.
    pub test: Option<ProportionTest>,
    /// Two-proportion z statistic (pooled); z-test only.
    pub z: Option<f64>,
    /// Two-sided p-value of `test`.
    pub p_value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunnelComparison {
    pub a_label: String,
    pub b_label: String,
    pub a: FunnelGroup,
    pub b: FunnelGroup,
    /// One per step after the first.
    pub steps: Vec<StepComparison>,
}

fn parse_period(text: &str) -> Result<(i64, i64)> {
    let bad = || {
        CjmError::usage(
            ErrorCode::InvalidOption,
            format!(
                "period {:?} must be FROM..TO, e.g. 2024-04-20..2024-05-19",
                crate::error::excerpt(text)
            ),
        )
    };
    let (from, to) = text.split_once("..").ok_or_else(bad)?;
    let (from, to) = (
        parse_timestamp(from).ok_or_else(bad)?,
        parse_timestamp(to).ok_or_else(bad)?,
    );
    if from >= to {
        return Err(bad());
    }
    Ok((from, to))
}

/// A copy of the log keeping the rows `keep` accepts.
fn filter_rows(log: &EventLog, keep: impl Fn(usize) -> bool) -> EventLog {
    let names: Vec<&str> = log.segments.iter().map(|s| s.name.as_str()).collect();
    let mut out = EventLog::new(&names);
    for row in 0..log.len() {
        if keep(row) {
            let segments: Vec<&str> = log
                .segments
                .iter()
                .map(|s| s.values[s.codes[row] as usize].as_str())
                .collect();
            let value = log.value.as_ref().map(|v| v[row]).filter(|v| v.is_finite());
            out.push(
                &log.user_ids[log.user[row] as usize],
                log.time[row],
                &log.event_names[log.event[row] as usize],
                &segments,
                value,
            );
        }
    }
    out
}

/// Compares a funnel between two segments or two periods, step by step.
pub fn compare_funnel(
    log: &EventLog,
    spec: &FunnelSpec,
    split: &Split,
) -> Result<FunnelComparison> {
    let (a_label, b_label, a, b) = match split {
        Split::Segment { column, value } => {
            let spec = FunnelSpec {
                by: Some(column.clone()),
                ..spec.clone()
            };
            let state = funnel_state(log, &spec)?;
            let mut rest = GroupState::new(state.steps.len());
            let mut chosen = None;
            for (key, group) in &state.groups {
                if key == value {
                    chosen = Some(group.clone());
                } else {
                    rest.merge(group);
                }
            }
            let chosen = chosen.ok_or_else(|| {
                CjmError::usage(
                    ErrorCode::InvalidOption,
                    format!("no user has {column} = {value:?}"),
                )
            })?;
            let (a_label, b_label) = (format!("{column} = {value}"), format!("{column} ≠ {value}"));
            let finish = |group: GroupState, label: &str| {
                FunnelState {
                    groups: Default::default(),
                    total: group,
                    ..state.clone()
                }
                .finish()
                .total
                .with_group(label.to_string())
            };
            let (a, b) = (finish(chosen, &a_label), finish(rest, &b_label));
            (a_label, b_label, a, b)
        }
        Split::Periods { a, b } => {
            let (a_range, b_range) = (parse_period(a)?, parse_period(b)?);
            let side = |(from, to): (i64, i64), label: &str| -> Result<FunnelGroup> {
                let part = filter_rows(log, |row| log.time[row] >= from && log.time[row] < to);
                Ok(funnel_state(
                    &part,
                    &FunnelSpec {
                        by: None,
                        ..spec.clone()
                    },
                )?
                .finish()
                .total
                .with_group(label.to_string()))
            };
            (a.clone(), b.clone(), side(a_range, a)?, side(b_range, b)?)
        }
    };
    let (na, nb) = (
        a.steps.first().map_or(0, |s| s.users),
        b.steps.first().map_or(0, |s| s.users),
    );
    let steps = a
        .steps
        .iter()
        .zip(&b.steps)
        .skip(1)
        .map(|(sa, sb)| {
            let comparison = two_proportions(sa.users, na, sb.users, nb);
            StepComparison {
                step: sa.step.clone(),
                a_users: sa.users,
                b_users: sb.users,
                a_base: na,
                b_base: nb,
                a_conversion: sa.conversion_from_start,
                b_conversion: sb.conversion_from_start,
                difference: comparison.as_ref().map(|c| c.difference),
                interval: comparison.as_ref().map(|c| c.interval.clone()),
                test: comparison.as_ref().map(|c| c.test),
                z: comparison.as_ref().and_then(|c| c.z),
                p_value: comparison.as_ref().and_then(|c| c.p_value),
            }
        })
        .collect();
    Ok(FunnelComparison {
        a_label,
        b_label,
        a,
        b,
        steps,
    })
}

impl FunnelGroup {
    fn with_group(mut self, label: String) -> FunnelGroup {
        self.group = Some(label);
        self
    }
}

/// Repeat purchases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LoyaltyResult {
    pub purchase_event: String,
    /// Users with at least one purchase.
    pub customers: u64,
    /// Users with two or more.
    pub repeat_customers: u64,
    pub repeat_rate: Option<f64>,
    /// Wilson 95 % interval of the repeat rate.
    pub interval: Option<Interval>,
    pub purchases_per_customer: Option<f64>,
    /// From the first purchase to the second.
    pub time_to_second_purchase: TimeStats,
    /// Mean `value` per purchase, when the log has values.
    pub average_order_value: Option<f64>,
}

/// The mean of finite values without overflow (each is divided by the count before summing, so
/// the sum stays within the largest magnitude); `None` for none, and never `-0`.
pub(crate) fn finite_mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean: f64 = values.iter().map(|v| v / n).sum();
    Some(mean.clamp(-f64::MAX, f64::MAX) + 0.0)
}

/// Repeat-purchase rate and time to the second purchase.
pub fn loyalty(log: &EventLog, purchase_event: &str) -> Result<LoyaltyResult> {
    let Some(id) = log.event_names.iter().position(|n| n == purchase_event) else {
        return Err(CjmError::usage(
            ErrorCode::InvalidOption,
            format!("no event is named {purchase_event:?}"),
        ));
    };
    let mut codes = vec![0u8; log.event_names.len()];
    codes[id] = 1;
    let (offsets, events, rows) = by_user(log, &codes, |c| c == 1, 0..log.user_ids.len());
    let (mut customers, mut repeat, mut purchases) = (0u64, 0u64, 0u64);
    let mut gaps = Vec::new();
    let mut amounts = Vec::new();
    for u in 0..log.user_ids.len() {
        let run = &events[offsets[u]..offsets[u + 1]];
        if run.is_empty() {
            continue;
        }
        customers += 1;
        purchases += run.len() as u64;
        if run.len() >= 2 {
            repeat += 1;
            gaps.push(run[1].0.saturating_sub(run[0].0));
        }
        if let Some(values) = &log.value {
            for i in offsets[u]..offsets[u + 1] {
                let v = values[rows[i] as usize];
                if v.is_finite() {
                    amounts.push(v);
                }
            }
        }
    }
    let stats = time_stats(&gaps);
    Ok(LoyaltyResult {
        purchase_event: purchase_event.to_string(),
        customers,
        repeat_customers: repeat,
        repeat_rate: (customers > 0).then(|| repeat as f64 / customers as f64),
        interval: wilson_interval(repeat, customers),
        purchases_per_customer: (customers > 0).then(|| purchases as f64 / customers as f64),
        time_to_second_purchase: stats,
        average_order_value: finite_mean(&amounts),
    })
}
