//! Feeding measured numbers back into the map.
//!
//! `apply` owns only the metrics it creates: each measured value is its own metric entry with
//! `source: events`, a stable id (so a later run replaces it) and its sample size and period.
//! Metrics entered by hand are never changed; when one disagrees with a measurement of the same
//! kind in the same place, gap analysis reports it.

use crate::error::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::analysis::{EventMapping, PathOptions, paths};
use super::funnel::{FunnelMode, FunnelSpec, by_user, funnel_state, window_ms};
use super::log::EventLog;
use super::steps::quote_event;
use crate::error::{CjmError, Result};
use crate::model::{
    Evidence, EvidenceKind, Extensions, Journey, Metric, MetricKind, MetricSource, ThinVec,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct ApplyOptions {
    /// Conversion window from entering the first stage (default `30d`); also bounds time in
    /// stage and backtracking.
    pub window: String,
    /// Id of the evidence entry describing the log (default `event-log`).
    pub evidence_id: String,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            window: "30d".into(),
            evidence_id: "event-log".into(),
        }
    }
}

/// What `apply` did with one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricAction {
    /// A measured metric added by this run.
    Added,
    /// A measured metric of an earlier run, given this run's value.
    Replaced,
    /// A metric `apply` did not create: left exactly as it was.
    LeftAlone,
}

/// One metric of the journey and what `apply` did with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AppliedMetric {
    /// JSON Pointer of the metric in the written journey, e.g. `/stages/2/metrics/1`.
    pub path: String,
    pub id: Option<String>,
    pub kind: MetricKind,
    pub action: MetricAction,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub sample_size: Option<u64>,
}

/// What `apply_events` did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ApplyReport {
    pub events: u64,
    pub users: u64,
    /// Events whose name no touchpoint pattern matches.
    pub unmapped_events: u64,
    /// The most frequent unmapped event names with their counts.
    pub unmapped_names: Vec<(String, u64)>,
    /// `FROM..TO` dates of the log.
    pub period: Option<String>,
    /// Measured metrics added or replaced.
    pub metrics_written: u64,
    /// Every metric of the written journey: added, replaced or left alone.
    pub metrics: Vec<AppliedMetric>,
}

fn date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The name a metric kind has in ids (`time_in_stage` → `time-in-stage`).
fn kind_slug(kind: MetricKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', "-")))
        .unwrap_or_else(|| "metric".into())
}

/// One measured value to write.
struct Measured {
    kind: MetricKind,
    value: f64,
    /// `share` (0..1), `h` or `users`.
    unit: &'static str,
    sample_size: u64,
    /// Named extra figures kept beside the value, in the written unit (`x-p90`).
    extra: Vec<(&'static str, f64)>,
}

/// Where measured metrics go: the stage's or touchpoint's list and the id prefix.
struct Owner<'a> {
    metrics: &'a mut ThinVec<Metric>,
    /// `stage.ID` or `touchpoint.ID`.
    id_prefix: String,
}

/// Writing context shared by every measured metric of one run.
struct Writer<'a> {
    period: &'a Option<String>,
    evidence: &'a str,
    written: u64,
}

/// Rounds to 6 significant digits: enough for any map, and free of float noise in files.
fn tidy(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let digits = 5 - value.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits.clamp(-300, 300));
    let rounded = (value * scale).round() / scale;
    if rounded.is_finite() { rounded } else { value }
}

impl Writer<'_> {
    /// Adds the measured metric, or replaces the one an earlier run wrote (same id,
    /// `source: events`). A hand metric of the same kind here lends its unit, so the two read
    /// side by side; it is never changed.
    fn write(&mut self, owner: &mut Owner<'_>, measured: Measured) -> Result<()> {
        let id = format!("{}.{}.events", owner.id_prefix, kind_slug(measured.kind));
        let hand_unit = owner
            .metrics
            .iter()
            .find(|m| m.kind == measured.kind && !m.is_measured() && m.unit.is_some())
            .and_then(|m| m.unit.clone());
        let (scale, unit) = unit_for(measured.unit, hand_unit.as_deref());
        let mut extensions = Extensions::new();
        for (name, value) in &measured.extra {
            extensions.insert(format!("x-{name}"), serde_json::json!(tidy(value * scale)));
        }
        let metric = Metric {
            id: Some(id.clone()),
            kind: measured.kind,
            name: None,
            value: Some(tidy(measured.value * scale)),
            target: None,
            baseline: None,
            unit: Some(unit),
            direction: None,
            sample_size: Some(measured.sample_size),
            period: self.period.clone(),
            evidence: thin_vec::thin_vec![self.evidence.to_string()],
            source: Some(MetricSource::Events),
            extensions,
        };
        match owner
            .metrics
            .iter()
            .position(|m| m.id.as_deref() == Some(id.as_str()))
        {
            Some(i) if owner.metrics[i].is_measured() => owner.metrics[i] = metric,
            Some(_) => {
                return Err(CjmError::usage(
                    ErrorCode::MetricIdTaken,
                    format!(
                        "a metric entered by hand already has the id {id:?} that apply gives its measured metric; rename it"
                    ),
                ));
            }
            None => owner.metrics.push(metric),
        }
        self.written += 1;
        Ok(())
    }
}

/// The factor and unit to write a measured value in: the hand metric's unit when it is a
/// percentage or a duration (so the two compare directly), else the measured unit.
fn unit_for(measured: &str, hand: Option<&str>) -> (f64, String) {
    match (hand.map(str::trim), measured) {
        (Some("%" | "percent"), "share") => (100.0, "%".to_string()),
        (Some(own), "h") => match crate::duration::parse_duration(&format!("1{own}")) {
            Some(seconds) if seconds > 0.0 => (3600.0 / seconds, own.to_string()),
            _ => (1.0, measured.to_string()),
        },
        _ => (1.0, measured.to_string()),
    }
}

/// Nearest-rank percentile of sorted milliseconds, in hours.
fn percentile_hours(sorted: &[i64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
    Some(sorted[rank - 1] as f64 / 3_600_000.0)
}

fn median_hours(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64 / 3_600_000.0),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 7_200_000.0),
    }
}

/// Per stage, measured from each user's stage sequence (identical rows once, ordered by time
/// then stage).
#[derive(Default, Clone)]
struct StageFlow {
    /// Users with any event in the stage.
    entered: u64,
    /// Per user who left for a later stage within the window: milliseconds from their first
    /// event in the stage to their first later event in a later stage.
    time_in_stage: Vec<i64>,
    /// Users who, within the window after entering, moved from this stage straight to an
    /// earlier one.
    backtracked: u64,
}

/// Time in stage and backtracking per stage. `stage_of_row` gives each log row's stage index.
fn stage_flows(
    log: &EventLog,
    stage_of_event: &[Option<usize>],
    stages: usize,
    window: i64,
) -> Vec<StageFlow> {
    let codes: Vec<u8> = stage_of_event
        .iter()
        .map(|s| u8::from(s.is_some()))
        .collect();
    let (offsets, events, rows) = by_user(log, &codes, |c| c == 1, 0..log.user_ids.len());
    let mut flows = vec![StageFlow::default(); stages];
    let mut sequence: Vec<(i64, usize)> = Vec::new();
    let mut first_in: Vec<Option<i64>> = vec![None; stages];
    let mut left: Vec<bool> = vec![false; stages];
    let mut backtracked: Vec<bool> = vec![false; stages];
    for user in 0..log.user_ids.len() {
        sequence.clear();
        for i in offsets[user]..offsets[user + 1] {
            if let Some(stage) = stage_of_event[log.event[rows[i] as usize] as usize] {
                sequence.push((events[i].0, stage));
            }
        }
        // Same-instant events in stage order, so a move forward at one instant reads as one.
        sequence.sort_unstable();
        first_in.fill(None);
        left.fill(false);
        backtracked.fill(false);
        for (i, &(time, stage)) in sequence.iter().enumerate() {
            if first_in[stage].is_none() {
                first_in[stage] = Some(time);
                flows[stage].entered += 1;
            }
            // The first event in a later stage ends the time in every earlier stage entered.
            for (earlier, entered) in first_in.iter().enumerate().take(stage) {
                if let Some(start) = *entered
                    && !left[earlier]
                {
                    left[earlier] = true;
                    let spent = time.saturating_sub(start);
                    if spent <= window {
                        flows[earlier].time_in_stage.push(spent);
                    }
                }
            }
            if let Some(&(next_time, next_stage)) = sequence.get(i + 1)
                && next_stage < stage
                && !backtracked[stage]
                && first_in[stage].is_some_and(|start| next_time.saturating_sub(start) <= window)
            {
                backtracked[stage] = true;
                flows[stage].backtracked += 1;
            }
        }
    }
    flows
}

/// Computes conversion, drop-off, time in stage and backtracking per stage, traffic and loops per
/// touchpoint from an event log (mapped through the touchpoints' `events` patterns), and writes
/// them into a copy of the journey as measured metrics (`source: events`) with sample sizes, the
/// data period and an evidence entry. Metrics it did not create are left exactly as they are.
pub fn apply_events(
    journey: &Journey,
    log: &EventLog,
    options: &ApplyOptions,
) -> Result<(Journey, ApplyReport)> {
    let mapping = EventMapping::from_journey(journey);
    if mapping.touchpoints.is_empty() {
        return Err(CjmError::usage(
            ErrorCode::NoEventRules,
            "no touchpoint has `events` patterns, so no event can be placed on the map",
        ));
    }
    let window = window_ms(&options.window)?;
    let stage_of_event: Vec<Option<usize>> = log
        .event_names
        .iter()
        .map(|e| mapping.touchpoint_of(e).map(|t| mapping.touchpoints[t].1))
        .collect();
    // A mapped log: every event renamed to its stage id, for the stage funnel.
    let mut staged = EventLog::new(&[]);
    let mut unmapped: std::collections::BTreeMap<String, u64> = Default::default();
    for row in 0..log.len() {
        let name = &log.event_names[log.event[row] as usize];
        match stage_of_event[log.event[row] as usize] {
            Some(s) => staged.push(
                &log.user_ids[log.user[row] as usize],
                log.time[row],
                &mapping.stages[s],
                &[],
                None,
            ),
            None => *unmapped.entry(name.clone()).or_insert(0) += 1,
        }
    }
    let period = log
        .period()
        .map(|(a, b)| format!("{}..{}", date(a), date(b)));
    let stages_with_events: Vec<String> = mapping
        .stages
        .iter()
        .filter(|s| staged.event_names.contains(s))
        .cloned()
        .collect();
    let mut out = journey.clone();
    let evidence_id = options.evidence_id.clone();
    let mut writer = Writer {
        period: &period,
        evidence: &evidence_id,
        written: 0,
    };
    let mut created: Vec<String> = Vec::new();
    if !stages_with_events.is_empty() {
        let spec = FunnelSpec {
            // Stage ids as step texts that match exactly them (an id may hold `|` or `[`).
            steps: stages_with_events
                .iter()
                .map(|id| quote_event(id))
                .collect(),
            window: options.window.clone(),
            mode: FunnelMode::Default,
            by: None,
            interval: None,
        };
        let result = funnel_state(&staged, &spec)?.finish();
        let flows = stage_flows(log, &stage_of_event, mapping.stages.len(), window);
        let route = paths(log, Some(journey), &PathOptions::default())?;
        for (k, stage_id) in stages_with_events.iter().enumerate() {
            let Some(s) = out.stages.iter().position(|s| &s.id == stage_id) else {
                continue;
            };
            let stage = &mut out.stages[s];
            let mut owner = Owner {
                metrics: &mut stage.metrics,
                id_prefix: format!("stage.{stage_id}"),
            };
            let here = &result.total.steps[k];
            let mut measured = Vec::new();
            if let Some(c) = result
                .total
                .steps
                .get(k + 1)
                .and_then(|next| next.conversion_from_previous)
            {
                for (kind, value) in [(MetricKind::Conversion, c), (MetricKind::DropOff, 1.0 - c)] {
                    measured.push(Measured {
                        kind,
                        value,
                        unit: "share",
                        sample_size: here.users,
                        extra: Vec::new(),
                    });
                }
            }
            let flow = &flows[s];
            let mut times = flow.time_in_stage.clone();
            times.sort_unstable();
            if let (Some(median), Some(p90)) = (median_hours(&times), percentile_hours(&times, 0.9))
            {
                measured.push(Measured {
                    kind: MetricKind::TimeInStage,
                    value: median,
                    unit: "h",
                    sample_size: times.len() as u64,
                    extra: vec![("p90", p90)],
                });
            }
            if flow.entered > 0 {
                measured.push(Measured {
                    kind: MetricKind::BacktrackRate,
                    value: flow.backtracked as f64 / flow.entered as f64,
                    unit: "share",
                    sample_size: flow.entered,
                    extra: Vec::new(),
                });
            }
            for m in measured {
                created.push(format!("{}.{}.events", owner.id_prefix, kind_slug(m.kind)));
                writer.write(&mut owner, m)?;
            }
        }
        for node in &route.nodes {
            let Some(tp) = out
                .stages
                .iter_mut()
                .flat_map(|s| s.touchpoints.iter_mut())
                .find(|t| t.id == node.node)
            else {
                continue;
            };
            if node.users == 0 {
                continue;
            }
            let mut owner = Owner {
                metrics: &mut tp.metrics,
                id_prefix: format!("touchpoint.{}", node.node),
            };
            for m in [
                Measured {
                    kind: MetricKind::Traffic,
                    value: node.users as f64,
                    unit: "users",
                    sample_size: node.users,
                    extra: Vec::new(),
                },
                Measured {
                    kind: MetricKind::LoopRate,
                    value: node.loop_users as f64 / node.users as f64,
                    unit: "share",
                    sample_size: node.users,
                    extra: Vec::new(),
                },
            ] {
                created.push(format!("{}.{}.events", owner.id_prefix, kind_slug(m.kind)));
                writer.write(&mut owner, m)?;
            }
            if !tp.evidence.contains(&evidence_id) {
                tp.evidence.push(evidence_id.clone());
            }
        }
    }
    let written = writer.written;
    let users = log.user_ids.len() as u64;
    let entry = Evidence {
        id: evidence_id.clone(),
        kind: EvidenceKind::Analytics,
        title: "Event log".into(),
        description: Some(format!(
            "{} events of {users} users, applied by cjm",
            log.len()
        )),
        source: None,
        date: log.period().map(|(_, b)| date(b)),
        period: period.clone(),
        sample_size: Some(users),
        extensions: Extensions::new(),
    };
    match out.evidence.iter_mut().find(|e| e.id == evidence_id) {
        Some(existing) => *existing = entry,
        None => out.evidence.push(entry),
    }
    let before: std::collections::HashSet<String> = all_metrics(journey)
        .filter(|(_, m)| m.is_measured())
        .filter_map(|(_, m)| m.id.clone())
        .collect();
    let metrics = all_metrics(&out)
        .map(|(path, m)| {
            let ours = m.id.as_ref().is_some_and(|id| created.contains(id));
            AppliedMetric {
                path,
                id: m.id.clone(),
                kind: m.kind,
                action: match (ours, m.id.as_ref().is_some_and(|id| before.contains(id))) {
                    (true, true) => MetricAction::Replaced,
                    (true, false) => MetricAction::Added,
                    (false, _) => MetricAction::LeftAlone,
                },
                value: m.value,
                unit: m.unit.clone(),
                sample_size: m.sample_size,
            }
        })
        .collect();
    let mut names: Vec<(String, u64)> = unmapped.into_iter().collect();
    let unmapped_events = names.iter().map(|(_, n)| n).sum();
    names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    names.truncate(20);
    Ok((
        out,
        ApplyReport {
            events: log.len() as u64,
            users,
            unmapped_events,
            unmapped_names: names,
            period,
            metrics_written: written,
            metrics,
        },
    ))
}

/// Every metric of a journey with its JSON Pointer, in document order.
fn all_metrics(journey: &Journey) -> impl Iterator<Item = (String, &Metric)> {
    let top = journey
        .metrics
        .iter()
        .enumerate()
        .map(|(m, metric)| (format!("/metrics/{m}"), metric));
    let stages = journey.stages.iter().enumerate().flat_map(|(s, stage)| {
        let own = stage
            .metrics
            .iter()
            .enumerate()
            .map(move |(m, metric)| (format!("/stages/{s}/metrics/{m}"), metric));
        let touchpoints = stage
            .touchpoints
            .iter()
            .enumerate()
            .flat_map(move |(t, tp)| {
                tp.metrics.iter().enumerate().map(move |(m, metric)| {
                    (format!("/stages/{s}/touchpoints/{t}/metrics/{m}"), metric)
                })
            });
        own.chain(touchpoints)
    });
    top.chain(stages)
}
