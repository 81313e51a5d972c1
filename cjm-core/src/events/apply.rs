//! Feeding measured numbers back into the map.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::analysis::{EventMapping, PathOptions, paths};
use super::funnel::{FunnelMode, FunnelSpec, funnel_state};
use super::log::EventLog;
use crate::error::{CjmError, Result};
use crate::model::{Evidence, EvidenceKind, Extensions, Journey, Metric, MetricKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct ApplyOptions {
    /// Conversion window from entering the first stage (default `30d`).
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
    pub metrics_written: u64,
}

fn date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Sets (or adds) the metric of `kind` among `metrics`, keeping its target, name and direction.
fn upsert(
    metrics: &mut Vec<Metric>,
    kind: MetricKind,
    value: f64,
    unit: &str,
    n: u64,
    period: &Option<String>,
    evidence: &str,
) -> u64 {
    let metric = match metrics.iter().position(|m| m.kind == kind) {
        Some(i) => &mut metrics[i],
        None => {
            metrics.push(Metric {
                id: None,
                kind,
                name: None,
                value: None,
                target: None,
                baseline: None,
                unit: None,
                direction: None,
                sample_size: None,
                period: None,
                evidence: Vec::new(),
                extensions: Extensions::new(),
            });
            let last = metrics.len() - 1;
            &mut metrics[last]
        }
    };
    // A metric the team already keeps in its own unit (a target of "3 days", "35 %") keeps it:
    // the measured value is converted into that unit, so the target stays comparable.
    let (value, unit) = match (metric.unit.as_deref().map(str::trim), unit) {
        (Some("%" | "percent"), "share") => (value * 100.0, "%".to_string()),
        (Some(own), "h") => match crate::duration::parse_duration(&format!("1{own}")) {
            Some(seconds) if seconds > 0.0 => (value * 3600.0 / seconds, own.to_string()),
            _ => (value, unit.to_string()),
        },
        _ => (value, unit.to_string()),
    };
    metric.value = Some((value * 10_000.0).round() / 10_000.0);
    metric.unit = Some(unit);
    metric.sample_size = Some(n);
    metric.period.clone_from(period);
    if !metric.evidence.iter().any(|e| e == evidence) {
        metric.evidence.push(evidence.to_string());
    }
    1
}

/// Computes conversion, drop-off, time in stage and backtracking per stage, traffic and loops per
/// touchpoint from an event log (mapped through the touchpoints' `events` patterns), and writes
/// them into a copy of the journey with sample sizes, the data period and an evidence entry.
pub fn apply_events(
    journey: &Journey,
    log: &EventLog,
    options: &ApplyOptions,
) -> Result<(Journey, ApplyReport)> {
    let mapping = EventMapping::from_journey(journey);
    if mapping.touchpoints.is_empty() {
        return Err(CjmError::usage(
            "no_event_rules",
            "no touchpoint has `events` patterns, so no event can be placed on the map",
        ));
    }
    // A mapped log: every event renamed to its stage id, for the stage funnel.
    let stage_of_event: Vec<Option<usize>> = log
        .event_names
        .iter()
        .map(|e| mapping.touchpoint_of(e).map(|t| mapping.touchpoints[t].1))
        .collect();
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
    let mut written = 0;
    let evidence_id = options.evidence_id.clone();
    if !stages_with_events.is_empty() {
        let spec = FunnelSpec {
            steps: stages_with_events.clone(),
            window: options.window.clone(),
            mode: FunnelMode::Default,
            by: None,
        };
        let result = funnel_state(&staged, &spec)?.finish();
        let route = paths(log, Some(journey), &PathOptions::default())?;
        for (k, stage_id) in stages_with_events.iter().enumerate() {
            let Some(stage) = out.stages.iter_mut().find(|s| &s.id == stage_id) else {
                continue;
            };
            let here = &result.total.steps[k];
            if let Some(next) = result.total.steps.get(k + 1) {
                if let Some(c) = next.conversion_from_previous {
                    written += upsert(
                        &mut stage.metrics,
                        MetricKind::Conversion,
                        c,
                        "share",
                        here.users,
                        &period,
                        &evidence_id,
                    );
                    written += upsert(
                        &mut stage.metrics,
                        MetricKind::DropOff,
                        1.0 - c,
                        "share",
                        here.users,
                        &period,
                        &evidence_id,
                    );
                }
                if let Some(median) = next.time_from_previous.median {
                    written += upsert(
                        &mut stage.metrics,
                        MetricKind::TimeInStage,
                        median / 3600.0,
                        "h",
                        next.time_from_previous.users,
                        &period,
                        &evidence_id,
                    );
                }
            }
            let back: u64 = route
                .backtracking
                .iter()
                .filter(|b| &b.from_stage == stage_id)
                .map(|b| b.users)
                .sum();
            if here.users > 0 {
                written += upsert(
                    &mut stage.metrics,
                    MetricKind::BacktrackRate,
                    (back as f64 / here.users as f64).min(1.0),
                    "share",
                    here.users,
                    &period,
                    &evidence_id,
                );
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
            written += upsert(
                &mut tp.metrics,
                MetricKind::Traffic,
                node.users as f64,
                "users",
                node.users,
                &period,
                &evidence_id,
            );
            written += upsert(
                &mut tp.metrics,
                MetricKind::LoopRate,
                node.loop_users as f64 / node.users as f64,
                "share",
                node.users,
                &period,
                &evidence_id,
            );
            if !tp.evidence.contains(&evidence_id) {
                tp.evidence.push(evidence_id.clone());
            }
        }
    }
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
        },
    ))
}
