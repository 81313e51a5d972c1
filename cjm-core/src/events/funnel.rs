//! Funnels over event logs with ClickHouse `windowFunnel` semantics, as mergeable partial states.
//!
//! Per user, events are ordered by time; events with the same timestamp are ordered by step
//! (as ClickHouse sorts `(timestamp, step)` pairs), so a step and the next one at the same
//! instant count as converting. The window runs from the chain's first step:
//! `timestamp ≤ first + window` (inclusive).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::log::EventLog;
use crate::duration::parse_duration;
use crate::error::{CjmError, Result};

/// ClickHouse `windowFunnel` modes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FunnelMode {
    /// Steps in order, other events in between allowed.
    #[default]
    Default,
    /// Once the chain has started, any event that is not the next step ends it.
    StrictOrder,
    /// A repeated step event ends the chain.
    StrictDeduplication,
    /// Each step must come strictly later than the previous one (no same-instant steps).
    StrictIncrease,
}

/// What funnel to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunnelSpec {
    /// Event names of the steps, in order (at most 32).
    pub steps: Vec<String>,
    /// Conversion window from the first step: `7d`, `12h`, `P7D`, …
    pub window: String,
    #[serde(default)]
    pub mode: FunnelMode,
    /// Segment column to break the funnel down by (a user's value on their first event).
    #[serde(default)]
    pub by: Option<String>,
}

pub const MAX_STEPS: usize = 32;

/// Counts and durations for one group of users; merging two states of disjoint users gives
/// exactly the state of their union.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GroupState {
    /// Distinct users with any event.
    pub users: u64,
    /// `reached[k]`: users whose furthest step is at least k + 1.
    pub reached: Vec<u64>,
    /// Per step k ≥ 1: milliseconds from step k−1 to step k, one entry per converting user.
    pub from_previous_ms: Vec<Vec<i64>>,
    /// Per step k ≥ 1: milliseconds from step 1 to step k.
    pub from_start_ms: Vec<Vec<i64>>,
}

impl GroupState {
    pub(crate) fn new(steps: usize) -> GroupState {
        GroupState {
            users: 0,
            reached: vec![0; steps],
            from_previous_ms: vec![Vec::new(); steps],
            from_start_ms: vec![Vec::new(); steps],
        }
    }

    pub(crate) fn merge(&mut self, other: &GroupState) {
        self.users += other.users;
        for (a, b) in self.reached.iter_mut().zip(&other.reached) {
            *a += b;
        }
        for (a, b) in self
            .from_previous_ms
            .iter_mut()
            .zip(&other.from_previous_ms)
        {
            a.extend_from_slice(b);
        }
        for (a, b) in self.from_start_ms.iter_mut().zip(&other.from_start_ms) {
            a.extend_from_slice(b);
        }
    }
}

/// A funnel's partial state: compute per shard of users, [`FunnelState::merge`], then
/// [`FunnelState::finish`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunnelState {
    pub steps: Vec<String>,
    pub window_ms: i64,
    pub mode: FunnelMode,
    pub by: Option<String>,
    pub total: GroupState,
    pub groups: BTreeMap<String, GroupState>,
}

/// Time between steps, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimeStats {
    pub users: u64,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunnelStep {
    pub step: String,
    /// Users reaching this step (within the window, in order).
    pub users: u64,
    /// users ÷ users of step 1.
    pub conversion_from_start: Option<f64>,
    /// users ÷ users of the previous step.
    pub conversion_from_previous: Option<f64>,
    /// Users of the previous step who did not reach this one.
    pub dropped: u64,
    /// dropped ÷ users of the previous step.
    pub drop_off: Option<f64>,
    pub time_from_previous: TimeStats,
    pub time_from_start: TimeStats,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunnelGroup {
    /// The segment value (absent for the whole population).
    pub group: Option<String>,
    /// Distinct users with any event.
    pub users: u64,
    pub steps: Vec<FunnelStep>,
}

/// A finished funnel: the whole population, then one group per segment value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunnelResult {
    pub steps: Vec<String>,
    pub window_seconds: f64,
    pub mode: FunnelMode,
    pub by: Option<String>,
    pub total: FunnelGroup,
    pub groups: Vec<FunnelGroup>,
}

/// Parses a window such as `7d` into milliseconds.
pub fn window_ms(window: &str) -> Result<i64> {
    parse_duration(window)
        .filter(|s| *s > 0.0 && *s < 1e12)
        .map(|s| (s * 1000.0).round() as i64)
        .ok_or_else(|| {
            CjmError::usage(
                "invalid_option",
                format!("window {window:?} is not a positive duration such as 30m, 12h, 7d or P7D"),
            )
        })
}

fn check_spec(spec: &FunnelSpec) -> Result<i64> {
    if spec.steps.is_empty() || spec.steps.len() > MAX_STEPS {
        return Err(CjmError::usage(
            "invalid_option",
            format!(
                "a funnel needs 1 to {MAX_STEPS} steps, got {}",
                spec.steps.len()
            ),
        ));
    }
    window_ms(&spec.window)
}

/// Step slot: (time of the chain's first step, time this step was reached, time of the
/// previous step when it was reached).
type Slot = Option<(i64, i64, i64)>;

/// ClickHouse `windowFunnel` over one user's events, already ordered by `(time, code)`, where
/// code 0 is "not a step" and k + 1 is step k. Returns the level reached and the final slots.
pub(crate) fn user_funnel(
    events: impl IntoIterator<Item = (i64, u8)>,
    steps: usize,
    window: i64,
    mode: FunnelMode,
    slots: &mut [Slot],
) -> usize {
    for slot in slots.iter_mut() {
        *slot = None;
    }
    let strict_order = mode == FunnelMode::StrictOrder;
    let mut first_event = false;
    for (time, code) in events {
        if code == 0 {
            if strict_order && first_event {
                break;
            }
            continue;
        }
        let k = (code - 1) as usize;
        if k == 0 {
            slots[0] = Some((time, time, time));
            first_event = true;
        } else if (mode == FunnelMode::StrictDeduplication && slots[k].is_some())
            || (strict_order && first_event && slots[k - 1].is_none())
        {
            // A repeated step (strict_deduplication) or a skipped step (strict_order) ends the chain.
            break;
        } else if let Some((first, previous, _)) = slots[k - 1] {
            let mut matched = time <= first.saturating_add(window);
            if mode == FunnelMode::StrictIncrease {
                matched &= previous < time;
            }
            if matched {
                slots[k] = Some((first, time, previous));
                if k + 1 == steps {
                    return steps;
                }
            }
        }
    }
    (0..steps)
        .rev()
        .find(|k| slots[*k].is_some())
        .map_or(0, |k| k + 1)
}

impl FunnelState {
    pub fn empty(spec: &FunnelSpec) -> Result<FunnelState> {
        let window = check_spec(spec)?;
        Ok(FunnelState {
            steps: spec.steps.clone(),
            window_ms: window,
            mode: spec.mode,
            by: spec.by.clone(),
            total: GroupState::new(spec.steps.len()),
            groups: BTreeMap::new(),
        })
    }

    /// Adds another state computed over other users with the same spec.
    pub fn merge(&mut self, other: &FunnelState) -> Result<()> {
        if self.steps != other.steps
            || self.window_ms != other.window_ms
            || self.mode != other.mode
            || self.by != other.by
        {
            return Err(CjmError::usage(
                "incompatible_states",
                "only funnel states of the same steps, window, mode and breakdown can be merged",
            ));
        }
        self.total.merge(&other.total);
        for (key, group) in &other.groups {
            self.groups
                .entry(key.clone())
                .or_insert_with(|| GroupState::new(self.steps.len()))
                .merge(group);
        }
        Ok(())
    }

    /// Computes the finished funnel (counts, rates and time statistics).
    pub fn finish(&self) -> FunnelResult {
        FunnelResult {
            steps: self.steps.clone(),
            window_seconds: self.window_ms as f64 / 1000.0,
            mode: self.mode,
            by: self.by.clone(),
            total: finish_group(None, &self.total, &self.steps),
            groups: self
                .groups
                .iter()
                .map(|(k, g)| finish_group(Some(k.clone()), g, &self.steps))
                .collect(),
        }
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[i64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1] as f64 / 1000.0)
}

pub(crate) fn time_stats(durations: &[i64]) -> TimeStats {
    let mut sorted = durations.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let median = if n == 0 {
        None
    } else if n % 2 == 1 {
        Some(sorted[n / 2] as f64 / 1000.0)
    } else {
        Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2000.0)
    };
    TimeStats {
        users: n as u64,
        mean: (n > 0)
            .then(|| sorted.iter().map(|d| *d as i128).sum::<i128>() as f64 / n as f64 / 1000.0),
        median,
        p90: percentile(&sorted, 0.9),
    }
}

fn finish_group(group: Option<String>, state: &GroupState, names: &[String]) -> FunnelGroup {
    let first = state.reached.first().copied().unwrap_or(0);
    let steps = names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let users = state.reached.get(k).copied().unwrap_or(0);
            let previous = if k == 0 {
                None
            } else {
                state.reached.get(k - 1).copied()
            };
            let empty = Vec::new();
            FunnelStep {
                step: name.clone(),
                users,
                conversion_from_start: ratio(users, first),
                conversion_from_previous: previous.and_then(|p| ratio(users, p)),
                dropped: previous.map_or(0, |p| p.saturating_sub(users)),
                drop_off: previous.and_then(|p| ratio(p.saturating_sub(users), p)),
                time_from_previous: time_stats(if k == 0 {
                    &empty
                } else {
                    &state.from_previous_ms[k]
                }),
                time_from_start: time_stats(if k == 0 {
                    &empty
                } else {
                    &state.from_start_ms[k]
                }),
            }
        })
        .collect();
    FunnelGroup {
        group,
        users: state.users,
        steps,
    }
}

/// Groups rows by user, each user's rows ordered by (time, code), via a counting sort on the
/// dense user index. Returns (offsets per user, (time, code) per row in that order).
pub(crate) fn by_user(
    log: &EventLog,
    codes: &[u8],
    keep: impl Fn(u8) -> bool,
    range: std::ops::Range<usize>,
) -> (Vec<usize>, Vec<(i64, u8)>, Vec<u32>) {
    let (lo, users) = (range.start, range.len());
    let mut offsets = vec![0usize; users + 1];
    for (row, &user) in log.user.iter().enumerate() {
        let u = (user as usize).wrapping_sub(lo);
        if u < users && keep(codes[log.event[row] as usize]) {
            offsets[u + 1] += 1;
        }
    }
    for u in 0..users {
        offsets[u + 1] += offsets[u];
    }
    let mut cursor = offsets.clone();
    let total = offsets[users];
    let mut events = vec![(0i64, 0u8); total];
    let mut rows = vec![0u32; total];
    for (row, &user) in log.user.iter().enumerate() {
        let u = (user as usize).wrapping_sub(lo);
        if u >= users {
            continue;
        }
        let code = codes[log.event[row] as usize];
        if keep(code) {
            let at = cursor[u];
            events[at] = (log.time[row], code);
            rows[at] = row as u32;
            cursor[u] += 1;
        }
    }
    for u in 0..users {
        let (a, b) = (offsets[u], offsets[u + 1]);
        let (run, run_rows) = (&mut events[a..b], &mut rows[a..b]);
        if run.len() <= 32 {
            // Insertion sort: runs are short (a user's events) and often nearly sorted.
            // Stable, so rows with equal (time, code) keep input order.
            for i in 1..run.len() {
                let (e, r) = (run[i], run_rows[i]);
                let mut j = i;
                while j > 0 && run[j - 1] > e {
                    run[j] = run[j - 1];
                    run_rows[j] = run_rows[j - 1];
                    j -= 1;
                }
                run[j] = e;
                run_rows[j] = r;
            }
        } else {
            let mut pairs: Vec<((i64, u8), u32)> =
                run.iter().copied().zip(run_rows.iter().copied()).collect();
            pairs.sort_by_key(|(e, _)| *e);
            for (i, (e, r)) in pairs.into_iter().enumerate() {
                run[i] = e;
                run_rows[i] = r;
            }
        }
    }
    (offsets, events, rows)
}

/// Like [`by_user`] for the funnel, which needs neither row numbers nor more than 6 bits of
/// step code: each event is one `u64` key, `(time − base) << 6 | code`, so the scatter moves
/// half the bytes and sorting a user's run compares plain integers in (time, code) order.
/// Returns `None` when the log's time span does not fit in 58 bits.
fn by_user_keys(
    log: &EventLog,
    codes: &[u8],
    keep: impl Fn(u8) -> bool,
    range: std::ops::Range<usize>,
) -> Option<(Vec<usize>, Vec<u64>, i64)> {
    let base = *log.time.iter().min()?;
    let max = *log.time.iter().max()?;
    if (max as i128 - base as i128) >= (1i128 << 57) {
        return None;
    }
    let (lo, users) = (range.start, range.len());
    let mut offsets = vec![0usize; users + 1];
    for (row, &user) in log.user.iter().enumerate() {
        let u = (user as usize).wrapping_sub(lo);
        if u < users && keep(codes[log.event[row] as usize]) {
            offsets[u + 1] += 1;
        }
    }
    for u in 0..users {
        offsets[u + 1] += offsets[u];
    }
    let mut cursor = offsets.clone();
    let mut keys = vec![0u64; offsets[users]];
    for ((&user, &time), &event) in log.user.iter().zip(&log.time).zip(&log.event) {
        let u = (user as usize).wrapping_sub(lo);
        if u >= users {
            continue;
        }
        let code = codes[event as usize];
        if keep(code) {
            keys[cursor[u]] = (((time - base) as u64) << 6) | u64::from(code);
            cursor[u] += 1;
        }
    }
    for u in 0..users {
        let run = &mut keys[offsets[u]..offsets[u + 1]];
        if run.len() <= 32 {
            for i in 1..run.len() {
                let key = run[i];
                let mut j = i;
                while j > 0 && run[j - 1] > key {
                    run[j] = run[j - 1];
                    j -= 1;
                }
                run[j] = key;
            }
        } else {
            run.sort_unstable();
        }
    }
    Some((offsets, keys, base))
}

/// Computes a funnel's partial state over an event log.
pub fn funnel_state(log: &EventLog, spec: &FunnelSpec) -> Result<FunnelState> {
    funnel_state_for_users(log, spec, 0..log.user_ids.len())
}

/// Computes the funnel on `threads` threads, each over a share of the users, and merges their
/// states: the same result as [`funnel_state`].
#[cfg(not(target_family = "wasm"))]
pub fn funnel_state_parallel(
    log: &EventLog,
    spec: &FunnelSpec,
    threads: usize,
) -> Result<FunnelState> {
    let users = log.user_ids.len();
    let threads = threads.clamp(1, 64).min(users.max(1));
    if threads == 1 {
        return funnel_state(log, spec);
    }
    let chunk = users.div_ceil(threads);
    let parts: Vec<Result<FunnelState>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let range = (t * chunk).min(users)..((t + 1) * chunk).min(users);
                scope.spawn(move || funnel_state_for_users(log, spec, range))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(CjmError::usage(
                        "internal_error",
                        "a funnel worker thread failed",
                    ))
                })
            })
            .collect()
    });
    let mut state = FunnelState::empty(spec)?;
    for part in parts {
        state.merge(&part?)?;
    }
    Ok(state)
}

/// The funnel's partial state over the users whose dense index is in `range`.
fn funnel_state_for_users(
    log: &EventLog,
    spec: &FunnelSpec,
    range: std::ops::Range<usize>,
) -> Result<FunnelState> {
    let mut state = FunnelState::empty(spec)?;
    let segment = match &spec.by {
        Some(name) => Some(log.segment(name)?),
        None => None,
    };
    let steps = spec.steps.len();
    // Each event name maps to the first step that names it (a name used twice is an error).
    let mut codes = vec![0u8; log.event_names.len()];
    for (k, step) in spec.steps.iter().enumerate() {
        if spec.steps[..k].contains(step) {
            return Err(CjmError::usage(
                "invalid_option",
                format!("step {step:?} appears twice"),
            ));
        }
        if let Some(id) = log.event_names.iter().position(|n| n == step) {
            codes[id] = k as u8 + 1;
        }
    }
    let strict_order = spec.mode == FunnelMode::StrictOrder;
    // Only strict_order needs the events that are not steps.
    let lo = range.start;
    let keep = |code: u8| strict_order || code != 0;
    // Per user, (time, code) pairs in order: packed keys when the time span allows (always, for
    // real logs), else the general grouping.
    let (offsets, keys, base, events) = match by_user_keys(log, &codes, keep, range.clone()) {
        Some((offsets, keys, base)) => (offsets, keys, base, Vec::new()),
        None => {
            let (offsets, events, _rows) = by_user(log, &codes, keep, range.clone());
            (offsets, Vec::new(), 0, events)
        }
    };
    // Every dense user index belongs to a user with at least one event. For the breakdown, each
    // user's first event (earliest time, then input order) gives the segment value; kept in
    // per-user arrays so the scan reads the time column sequentially.
    let first_row: Vec<u32> = if segment.is_some() {
        let mut first_time = vec![i64::MAX; range.len()];
        let mut first_row = vec![u32::MAX; range.len()];
        for (row, (&user, &time)) in log.user.iter().zip(&log.time).enumerate() {
            let u = (user as usize).wrapping_sub(lo);
            if u < first_row.len() && (time < first_time[u] || first_row[u] == u32::MAX) {
                first_time[u] = time;
                first_row[u] = row as u32;
            }
        }
        first_row
    } else {
        Vec::new()
    };
    let mut slots: Vec<Slot> = vec![None; steps];
    for user in 0..range.len() {
        let (a, b) = (offsets[user], offsets[user + 1]);
        let level = if events.is_empty() {
            let decode = |key: &u64| (base + (key >> 6) as i64, (key & 63) as u8);
            user_funnel(
                keys[a..b].iter().map(decode),
                steps,
                state.window_ms,
                spec.mode,
                &mut slots,
            )
        } else {
            user_funnel(
                events[a..b].iter().copied(),
                steps,
                state.window_ms,
                spec.mode,
                &mut slots,
            )
        };
        let record = |group: &mut GroupState| {
            group.users += 1;
            for (k, slot) in slots.iter().enumerate().take(level) {
                group.reached[k] += 1;
                if k > 0
                    && let Some((start, time, previous)) = slot
                {
                    group.from_previous_ms[k].push(time - previous);
                    group.from_start_ms[k].push(time - start);
                }
            }
        };
        record(&mut state.total);
        if let Some(segment) = segment {
            let first = first_row[user];
            let value = segment.values[segment.codes[first as usize] as usize].clone();
            let group = state
                .groups
                .entry(value)
                .or_insert_with(|| GroupState::new(steps));
            record(group);
        }
    }
    Ok(state)
}

/// Computes a funnel over an event log.
pub fn funnel(log: &EventLog, spec: &FunnelSpec) -> Result<FunnelResult> {
    Ok(funnel_state(log, spec)?.finish())
}
