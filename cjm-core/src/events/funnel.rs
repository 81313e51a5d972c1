//! Funnels over event logs with ClickHouse `windowFunnel` semantics, as mergeable partial states.
//!
//! Per user, events are ordered by time; events with the same timestamp are ordered by step
//! (as ClickHouse sorts `(timestamp, step)` pairs), so a step and the next one at the same
//! instant count as converting. The window runs from the chain's first step:
//! `timestamp ≤ first + window` (inclusive).

use crate::error::ErrorCode;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::log::{EventLog, Segment};
use super::progress::{ProgressFn, ProgressPhase, ProgressUnit, REPORT_EVERY, Reporter, cancelled};
use super::retention::TimeInterval;
use super::steps::{StepDef, StepMatcher, parse_step};
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
    /// The steps, in order (at most 32), each an event name or a step expression: any of
    /// several events (`view|click`) and property filters (`purchase[platform=mobile]`,
    /// `[k!=v]`, `[k~regex]`, `[amount>=100]`); docs/events.md, "Steps".
    pub steps: Vec<String>,
    /// Conversion window from the first step: `7d`, `12h`, `P7D`, …
    pub window: String,
    #[serde(default)]
    pub mode: FunnelMode,
    /// Segment column to break the funnel down by (a user's value on their first event); several
    /// columns comma-separated (`platform,channel`: one group per combination, named
    /// `web / ads`), unless the whole text names a column.
    #[serde(default)]
    pub by: Option<String>,
    /// Conversion over time: groups by the UTC day, ISO week or month of each user's first
    /// step-1 event (after the `by` values, when both are given); users without one are
    /// `(none)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<TimeInterval>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<TimeInterval>,
    pub total: GroupState,
    pub groups: BTreeMap<String, GroupState>,
    /// Per step: how many events of the log carry the step's name (all users, repeats
    /// included). A step with none is almost always a misspelt event name.
    #[serde(default)]
    pub step_events: Vec<u64>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<TimeInterval>,
    pub total: FunnelGroup,
    pub groups: Vec<FunnelGroup>,
    /// Things the numbers cannot show by themselves, e.g. a step whose event never occurs.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// Parses a window such as `7d` into milliseconds. A window of 0 keeps only same-instant
/// steps (as ClickHouse's `windowFunnel(0)`); a positive window below the millisecond the
/// engine counts in is refused rather than silently read as 0.
pub fn window_ms(window: &str) -> Result<i64> {
    let seconds = parse_duration(window)
        .filter(|s| *s < 1e12)
        .ok_or_else(|| {
            CjmError::usage(
                ErrorCode::InvalidOption,
                format!("window {window:?} is not a duration such as 1500ms, 30m, 12h, 7d or P7D"),
            )
        })?;
    let ms = (seconds * 1000.0).round() as i64;
    if ms == 0 && seconds > 0.0 {
        return Err(CjmError::usage(
            ErrorCode::InvalidOption,
            format!("window {window:?} is below the millisecond that event times are counted in"),
        ));
    }
    Ok(ms)
}

fn check_spec(spec: &FunnelSpec) -> Result<i64> {
    if spec.steps.is_empty() || spec.steps.len() > MAX_STEPS {
        return Err(CjmError::usage(
            ErrorCode::InvalidOption,
            format!(
                "a funnel needs 1 to {MAX_STEPS} steps, got {}",
                spec.steps.len()
            ),
        ));
    }
    parse_steps(&spec.steps)?;
    window_ms(&spec.window)
}

/// Parses every step (docs/events.md, "Steps"); the same step text twice is refused.
fn parse_steps(steps: &[String]) -> Result<Vec<StepDef>> {
    for (k, step) in steps.iter().enumerate() {
        if steps[..k].contains(step) {
            return Err(CjmError::usage(
                ErrorCode::InvalidOption,
                format!("step {step:?} appears twice"),
            ));
        }
    }
    steps.iter().map(|step| parse_step(step)).collect()
}

/// Step slot of ClickHouse's algorithm: (time of the chain's first step, latest time this step
/// was reached for that chain, the chain node of its earliest occurrence for that first step).
/// The first two drive the counts exactly as ClickHouse does; the node only serves the reported
/// times.
type Slot = Option<(i64, i64, u32)>;

/// A reached step in a user's chain: (time, index of the previous step's node or `NO_NODE`).
/// Nodes live in a per-run arena so every chain can be read back without copying it per event.
type ChainNode = (i64, u32);
const NO_NODE: u32 = u32::MAX;

/// The per-user working memory of [`user_funnel`], reused across users.
#[derive(Default)]
pub(crate) struct FunnelScratch {
    slots: Vec<Slot>,
    nodes: Vec<ChainNode>,
    /// Times of the chain that first reached the user's level, step 1 first.
    pub(crate) chain: Vec<i64>,
}

impl FunnelScratch {
    pub(crate) fn new(steps: usize) -> FunnelScratch {
        FunnelScratch {
            slots: vec![None; steps],
            nodes: Vec::new(),
            chain: Vec::with_capacity(steps),
        }
    }
}

/// ClickHouse `windowFunnel` over one user's events, already ordered by `(time, code)`, where
/// code 0 is "not a step" and k + 1 is step k. Exact repeats of an event (same time, same code)
/// count once. Returns the level reached; `scratch.chain` then holds the times of the chain that
/// first reached that level: its first step is the one ClickHouse's chain started from, and
/// every later step is the earliest occurrence that continued that chain, so times to steps
/// never decrease along the chain.
pub(crate) fn user_funnel(
    events: impl IntoIterator<Item = (i64, u8)>,
    steps: usize,
    window: i64,
    mode: FunnelMode,
    merge_repeats: bool,
    scratch: &mut FunnelScratch,
) -> usize {
    let FunnelScratch {
        slots,
        nodes,
        chain,
    } = scratch;
    slots.clear();
    slots.resize(steps, None);
    nodes.clear();
    chain.clear();
    let strict_order = mode == FunnelMode::StrictOrder;
    let mut first_event = false;
    let mut previous_event = None;
    let (mut level, mut level_node) = (0usize, NO_NODE);
    for (time, code) in events {
        // The same step at the same instant again is the same row (a duplicate row is one
        // event) unless the caller has told rows apart itself.
        if merge_repeats && previous_event == Some((time, code)) {
            continue;
        }
        previous_event = Some((time, code));
        if code == 0 {
            if strict_order && first_event {
                break;
            }
            continue;
        }
        let k = (code - 1) as usize;
        if k == 0 {
            nodes.push((time, NO_NODE));
            let node = (nodes.len() - 1) as u32;
            slots[0] = Some((time, time, node));
            first_event = true;
            if level == 0 {
                (level, level_node) = (1, node);
            }
        } else if (mode == FunnelMode::StrictDeduplication && slots[k].is_some())
            || (strict_order && first_event && slots[k - 1].is_none())
        {
            // A repeated step (strict_deduplication) or a skipped step (strict_order) ends the chain.
            break;
        } else if let Some((first, previous, previous_node)) = slots[k - 1] {
            let mut matched = time <= first.saturating_add(window);
            if mode == FunnelMode::StrictIncrease {
                matched &= previous < time;
            }
            if matched {
                let node = match slots[k] {
                    // The same chain reached this step again: keep its earliest occurrence.
                    Some((same_first, _, node)) if same_first == first => node,
                    _ => {
                        nodes.push((time, previous_node));
                        (nodes.len() - 1) as u32
                    }
                };
                slots[k] = Some((first, time, node));
                if k + 1 > level {
                    (level, level_node) = (k + 1, node);
                }
                if k + 1 == steps {
                    break;
                }
            }
        }
    }
    let mut node = level_node;
    while let Some(&(time, parent)) = nodes.get(node as usize) {
        chain.push(time);
        node = parent;
    }
    chain.reverse();
    level
}

impl FunnelState {
    pub fn empty(spec: &FunnelSpec) -> Result<FunnelState> {
        let window = check_spec(spec)?;
        Ok(FunnelState {
            steps: spec.steps.clone(),
            window_ms: window,
            mode: spec.mode,
            by: spec.by.clone(),
            interval: spec.interval,
            total: GroupState::new(spec.steps.len()),
            groups: BTreeMap::new(),
            step_events: vec![0; spec.steps.len()],
        })
    }

    /// Adds another state computed over other users with the same spec.
    pub fn merge(&mut self, other: &FunnelState) -> Result<()> {
        if self.steps != other.steps
            || self.window_ms != other.window_ms
            || self.mode != other.mode
            || self.by != other.by
            || self.interval != other.interval
        {
            return Err(CjmError::usage(
                ErrorCode::IncompatibleStates,
                "only funnel states of the same steps, window, mode and breakdown can be merged",
            ));
        }
        self.total.merge(&other.total);
        self.step_events.resize(self.steps.len(), 0);
        for (mine, theirs) in self.step_events.iter_mut().zip(&other.step_events) {
            *mine += theirs;
        }
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
            interval: self.interval,
            total: finish_group(None, &self.total, &self.steps),
            groups: self
                .groups
                .iter()
                .map(|(k, g)| finish_group(Some(k.clone()), g, &self.steps))
                .collect(),
            warnings: self
                .steps
                .iter()
                .zip(&self.step_events)
                .filter(|(_, events)| **events == 0)
                .map(|(step, _)| match parse_step(step) {
                    Ok(def) if def.is_filtered() => format!(
                        "step {step:?} matches no event in the log: check the event names and the property filters"
                    ),
                    _ => format!("step {step:?} never occurs in the log: check the event name"),
                })
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

/// Groups rows by user, each user's rows ordered by (time, code, event) with exact repeats (same
/// time, same event) dropped, via a counting sort on the dense user index. Returns (offsets per
/// user, (time, code) per kept row in that order, the kept rows).
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
    // Order each user's run by (time, code, event) and drop exact repeats (same time, same
    // event): identical rows are one event everywhere.
    let mut kept = 0usize;
    let mut run: Vec<((i64, u8), u32, u32)> = Vec::new();
    for u in 0..users {
        let (a, b) = (offsets[u], offsets[u + 1]);
        offsets[u] = kept;
        run.clear();
        run.extend((a..b).map(|i| (events[i], log.event[rows[i] as usize], rows[i])));
        // Stable, so rows with equal (time, code, event) keep input order.
        run.sort_by_key(|&(event, name, _)| (event, name));
        let mut previous = None;
        for &(event, name, row) in &run {
            if previous == Some((event.0, name)) {
                continue;
            }
            previous = Some((event.0, name));
            events[kept] = event;
            rows[kept] = row;
            kept += 1;
        }
    }
    offsets[users] = kept;
    events.truncate(kept);
    rows.truncate(kept);
    (offsets, events, rows)
}

/// How one event is packed into a `u64` for grouping:
/// `local user << (time_bits + 6) | (time − base) << 6 | code`, where the local user is the
/// dense user index within its block of `1 << block_bits` users. Sorting a user's keys then
/// orders the events by (time, code), as the funnel needs.
#[derive(Clone, Copy)]
struct Packing {
    base: i64,
    time_bits: u32,
    block_bits: u32,
}

/// Kept events per block the grouping aims at: a block's keys and its grouped copy (2 × 8 bytes
/// per event, 256 KiB) stay within a core's L2 cache, so the per-user work runs from cache.
const BLOCK_EVENTS: usize = 16 * 1024;

impl Packing {
    /// `None` when the time span needs more than 57 bits (spans of millions of years): the
    /// funnel then groups with the general [`by_user`]. Local user, time and code take at most
    /// 63 bits, so no shift reaches 64.
    fn new(log: &EventLog, users: usize, kept: usize) -> Option<Packing> {
        let (min, max) = log
            .time
            .iter()
            .fold((i64::MAX, i64::MIN), |(lo, hi), &t| (lo.min(t), hi.max(t)));
        if log.time.is_empty() {
            return Some(Packing {
                base: 0,
                time_bits: 0,
                block_bits: 0,
            });
        }
        let span = u64::try_from(max as i128 - min as i128).ok()?;
        let time_bits = 64 - span.leading_zeros();
        let per_user = kept.div_ceil(users.max(1)).max(1);
        let wanted = (BLOCK_EVENTS / per_user).max(1).next_power_of_two();
        let wanted_bits = wanted.trailing_zeros();
        let room = 57u32.checked_sub(time_bits)?;
        Some(Packing {
            base: min,
            time_bits,
            block_bits: wanted_bits.min(room),
        })
    }

    fn key(&self, local_user: usize, time: i64, code: u8) -> u64 {
        ((local_user as u64) << (self.time_bits + 6))
            | (((time - self.base) as u64) << 6)
            | u64::from(code)
    }

    fn local_user(&self, key: u64) -> usize {
        (key >> (self.time_bits + 6)) as usize
    }

    fn event(&self, key: u64) -> (i64, u8) {
        let low = key & ((1u64 << (self.time_bits + 6)) - 1);
        (self.base + (low >> 6) as i64, (low & 63) as u8)
    }
}

/// One thread's share of the rows, partitioned by block of users: block `b`'s keys are
/// `keys[starts[b]..ends[b]]`.
struct Partition {
    starts: Vec<usize>,
    ends: Vec<usize>,
    keys: Vec<u64>,
}

impl Partition {
    fn block(&self, block: usize) -> &[u64] {
        &self.keys[self.starts[block]..self.ends[block]]
    }
}

/// Partitions `rows` of the log by user block in two sequential passes (count, then scatter
/// into one contiguous run per block). With a few hundred blocks every write cursor stays in
/// cache, unlike a scatter straight into per-user runs across the whole log.
fn partition(
    log: &EventLog,
    steps: RowSteps<'_>,
    keep_all: bool,
    rows: std::ops::Range<usize>,
    blocks: usize,
    packing: Packing,
) -> Partition {
    match steps {
        RowSteps::EventCodes(codes) => {
            partition_by_event(log, codes, keep_all, rows, blocks, packing)
        }
        RowSteps::EventMasks(masks) => {
            let events = &log.event[rows.clone()];
            partition_by_mask(
                log,
                |i| masks[events[i] as usize],
                keep_all,
                rows,
                blocks,
                packing,
            )
        }
        RowSteps::RowMasks(masks) => {
            let masks = &masks[rows.clone()];
            partition_by_mask(log, |i| masks[i], keep_all, rows, blocks, packing)
        }
    }
}

/// How rows map to steps: by event name alone, one step at most (the usual funnel: a code per
/// event name, the fastest path), or row by row (filters, or events that are several steps).
#[derive(Clone, Copy)]
enum RowSteps<'a> {
    /// Per event code: 0, or step k + 1.
    EventCodes(&'a [u8]),
    /// Per event code: the steps (bit k for step k) of an event that is several.
    EventMasks(&'a [u32]),
    /// Per row: its steps.
    RowMasks(&'a [u32]),
}

fn partition_by_event(
    log: &EventLog,
    codes: &[u8],
    keep_all: bool,
    rows: std::ops::Range<usize>,
    blocks: usize,
    packing: Packing,
) -> Partition {
    let users = &log.user[rows.clone()];
    let events = &log.event[rows.clone()];
    let times = &log.time[rows];
    let shift = packing.block_bits;
    let mut starts = vec![0usize; blocks + 1];
    for (&user, &event) in users.iter().zip(events) {
        let kept = keep_all || codes[event as usize] != 0;
        starts[(user >> shift) as usize + 1] += usize::from(kept);
    }
    for b in 0..blocks {
        starts[b + 1] += starts[b];
    }
    let mut cursor = starts.clone();
    let mut keys = vec![0u64; starts[blocks]];
    let mask = (1usize << shift) - 1;
    for ((&user, &event), &time) in users.iter().zip(events).zip(times) {
        let code = codes[event as usize];
        if keep_all || code != 0 {
            let block = (user >> shift) as usize;
            keys[cursor[block]] = packing.key(user as usize & mask, time, code);
            cursor[block] += 1;
        }
    }
    cursor.truncate(blocks);
    starts.truncate(blocks);
    Partition {
        starts,
        ends: cursor,
        keys,
    }
}

/// Partitions rows whose steps come as a mask per row (`mask_of(i)` for the i-th row of
/// `rows`): one key per step a row is.
fn partition_by_mask(
    log: &EventLog,
    mask_of: impl Fn(usize) -> u32,
    keep_all: bool,
    rows: std::ops::Range<usize>,
    blocks: usize,
    packing: Packing,
) -> Partition {
    let users = &log.user[rows.clone()];
    let times = &log.time[rows];
    let shift = packing.block_bits;
    // Keys per row: one per step the row is; a row that is no step is kept (as code 0) only
    // for strict_order.
    let keys_of = |mask: u32| {
        if mask == 0 {
            usize::from(keep_all)
        } else {
            mask.count_ones() as usize
        }
    };
    let mut starts = vec![0usize; blocks + 1];
    for (i, &user) in users.iter().enumerate() {
        starts[(user >> shift) as usize + 1] += keys_of(mask_of(i));
    }
    for b in 0..blocks {
        starts[b + 1] += starts[b];
    }
    let mut cursor = starts.clone();
    let mut keys = vec![0u64; starts[blocks]];
    let mask_bits = (1usize << shift) - 1;
    for (i, (&user, &time)) in users.iter().zip(times).enumerate() {
        let mask = mask_of(i);
        if mask == 0 && !keep_all {
            continue;
        }
        let block = (user >> shift) as usize;
        let local = user as usize & mask_bits;
        if mask == 0 {
            keys[cursor[block]] = packing.key(local, time, 0);
            cursor[block] += 1;
        }
        let mut bits = mask;
        while bits != 0 {
            let code = bits.trailing_zeros() as u8 + 1;
            bits &= bits - 1;
            keys[cursor[block]] = packing.key(local, time, code);
            cursor[block] += 1;
        }
    }
    cursor.truncate(blocks);
    starts.truncate(blocks);
    Partition {
        starts,
        ends: cursor,
        keys,
    }
}

/// Counts and durations gathered over some users: the whole population and, with a breakdown,
/// one state per segment code.
struct Tally {
    total: GroupState,
    by_code: Vec<Option<GroupState>>,
}

impl Tally {
    fn new(steps: usize, segment_values: usize) -> Tally {
        Tally {
            total: GroupState::new(steps),
            by_code: vec![None; segment_values],
        }
    }

    fn record(&mut self, level: usize, chain: &[i64], segment_code: Option<u32>) {
        let steps = self.total.reached.len();
        record_user(&mut self.total, level, chain);
        if let Some(code) = segment_code {
            let group = self.by_code[code as usize].get_or_insert_with(|| GroupState::new(steps));
            record_user(group, level, chain);
        }
    }

    fn merge(&mut self, other: Tally) {
        self.total.merge(&other.total);
        for (mine, theirs) in self.by_code.iter_mut().zip(other.by_code) {
            match (mine.as_mut(), theirs) {
                (Some(a), Some(b)) => a.merge(&b),
                (None, Some(b)) => *mine = Some(b),
                _ => {}
            }
        }
    }
}

/// Counts a user at every step up to `level`, with the step times of `chain` (the times of
/// the chain that reached the level, step 1 first).
fn record_user(group: &mut GroupState, level: usize, chain: &[i64]) {
    group.users += 1;
    for k in 0..level {
        group.reached[k] += 1;
        if k > 0
            && let (Some(start), Some(previous), Some(time)) =
                (chain.first(), chain.get(k - 1), chain.get(k))
        {
            group.from_previous_ms[k].push(time.saturating_sub(*previous));
            group.from_start_ms[k].push(time.saturating_sub(*start));
        }
    }
}

/// What the per-block work needs besides the keys.
struct FunnelJob<'a> {
    steps: usize,
    window: i64,
    mode: FunnelMode,
    users: usize,
    packing: Packing,
    /// Per user: the segment code of their first event, when the funnel is broken down.
    first_codes: Option<&'a [u32]>,
    segment_values: usize,
}

impl FunnelJob<'_> {
    /// Groups each block's keys by user with a counting sort in cache, orders each user's run
    /// and runs the funnel per user. After each block, `on_block` gets the block's user count
    /// and returns whether to go on (`None` is returned when it says stop).
    fn run_blocks(
        &self,
        parts: &[Partition],
        blocks: std::ops::Range<usize>,
        on_block: &mut dyn FnMut(u64) -> bool,
    ) -> Option<Tally> {
        let mut tally = Tally::new(self.steps, self.segment_values);
        let mut scratch = FunnelScratch::new(self.steps);
        let per_block = 1usize << self.packing.block_bits;
        let mut counts = vec![0usize; per_block + 1];
        let mut grouped: Vec<u64> = Vec::new();
        for block in blocks {
            let first_user = block << self.packing.block_bits;
            let block_users = per_block.min(self.users.saturating_sub(first_user));
            counts[..=block_users].fill(0);
            let runs = || parts.iter().flat_map(|p| p.block(block).iter().copied());
            for key in runs() {
                counts[self.packing.local_user(key) + 1] += 1;
            }
            for u in 0..block_users {
                counts[u + 1] += counts[u];
            }
            grouped.clear();
            grouped.resize(counts[block_users], 0);
            for key in runs() {
                let u = self.packing.local_user(key);
                grouped[counts[u]] = key;
                counts[u] += 1;
            }
            // counts[u] is now the end of user u's run (and the start of user u + 1's).
            let mut start = 0;
            for u in 0..block_users {
                let run = &mut grouped[start..counts[u]];
                start = counts[u];
                sort_keys(run);
                let level = user_funnel(
                    run.iter().map(|&key| self.packing.event(key)),
                    self.steps,
                    self.window,
                    self.mode,
                    true,
                    &mut scratch,
                );
                let segment = self.first_codes.map(|codes| codes[first_user + u]);
                tally.record(level, &scratch.chain, segment);
            }
            if !on_block(block_users as u64) {
                return None;
            }
        }
        Some(tally)
    }
}

/// Sorts one user's keys: insertion sort for the usual short, often nearly sorted runs.
fn sort_keys(run: &mut [u64]) {
    if run.len() > 32 {
        run.sort_unstable();
        return;
    }
    for i in 1..run.len() {
        let key = run[i];
        let mut j = i;
        while j > 0 && run[j - 1] > key {
            run[j] = run[j - 1];
            j -= 1;
        }
        run[j] = key;
    }
}

/// Per user, the segment code of their first event (earliest time, then input order).
fn first_segment_codes(log: &EventLog, segment: &Segment) -> Vec<u32> {
    let users = log.user_ids.len();
    let mut first_time = vec![i64::MAX; users];
    let mut first_code = vec![u32::MAX; users];
    for ((&user, &time), &code) in log.user.iter().zip(&log.time).zip(&segment.codes) {
        let u = user as usize;
        if time < first_time[u] || first_code[u] == u32::MAX {
            first_time[u] = time;
            first_code[u] = code;
        }
    }
    first_code
}

/// Computes a funnel's partial state over an event log.
pub fn funnel_state(log: &EventLog, spec: &FunnelSpec) -> Result<FunnelState> {
    funnel_state_with(log, spec, 1, None)
}

/// Computes the funnel on up to `threads` threads (rows partitioned by user block in parallel,
/// then blocks of users shared out) and merges their states: the same result as
/// [`funnel_state`].
#[cfg(not(target_family = "wasm"))]
pub fn funnel_state_parallel(
    log: &EventLog,
    spec: &FunnelSpec,
    threads: usize,
) -> Result<FunnelState> {
    funnel_state_with(log, spec, threads, None)
}

/// [`funnel_state_parallel`] reporting progress (phase `funnel`, users done out of all users)
/// to `progress`, at most once per [`REPORT_EVERY`] users and once at the end; the funnel stops
/// with the `cancelled` error as soon as the callback returns `false`. The callback is called
/// on the calling thread only. Where threads are unavailable (WASM) it runs on one.
pub fn funnel_state_with(
    log: &EventLog,
    spec: &FunnelSpec,
    threads: usize,
    progress: Option<ProgressFn<'_>>,
) -> Result<FunnelState> {
    let mut reporter = Reporter::new(
        progress,
        ProgressPhase::Funnel,
        ProgressUnit::Users,
        log.user_ids.len() as u64,
    );
    reporter.report(0)?;
    let state = funnel_state_threads(log, spec, threads, &mut reporter)?;
    reporter.finish()?;
    Ok(state)
}

fn funnel_state_threads(
    log: &EventLog,
    spec: &FunnelSpec,
    threads: usize,
    reporter: &mut Reporter<'_, '_>,
) -> Result<FunnelState> {
    let mut state = FunnelState::empty(spec)?;
    let defs = parse_steps(&spec.steps)?;
    let matcher = StepMatcher::new(log, &defs, &spec.steps)?;
    let users = log.user_ids.len();
    // Only strict_order needs the events that are not steps.
    let keep_all = spec.mode == FunnelMode::StrictOrder;
    let (first_codes, group_names) = match user_groups(log, spec, &matcher)? {
        Some((codes, names)) => (Some(codes), names),
        None => (None, Vec::new()),
    };
    // Per step, how many rows are that step; and how many keys the funnel keeps (a row that is
    // several steps is one key per step).
    let mut kept = 0usize;
    let mut count = |mask: u32, rows: usize| {
        let mut bits = mask;
        while bits != 0 {
            state.step_events[bits.trailing_zeros() as usize] += rows as u64;
            bits &= bits - 1;
        }
        kept += rows
            * if mask == 0 {
                usize::from(keep_all)
            } else {
                mask.count_ones() as usize
            };
    };
    // With filters, each row's steps are worked out once, here (4 bytes a row).
    let row_masks: Option<Vec<u32>> = if matcher.is_plain() {
        let mut per_event = vec![0usize; log.event_names.len()];
        for &event in &log.event {
            per_event[event as usize] += 1;
        }
        for (n, mask) in per_event.iter().zip(matcher.plain_masks()) {
            count(*mask, *n);
        }
        None
    } else {
        let mut masks: Vec<u32> = Vec::with_capacity(log.len());
        for (row, &event) in log.event.iter().enumerate() {
            let mask = matcher.mask(row, event);
            masks.push(mask);
            count(mask, 1);
        }
        Some(masks)
    };
    let segment_values = group_names.len();
    // strict_deduplication ends a chain at a second event of a step; two different rows at the
    // same instant that are the same step (`a|b`, or one event with different properties) are
    // two events, as in ClickHouse. The packed keys cannot tell them apart, the general path can.
    let rows_told_apart =
        spec.mode == FunnelMode::StrictDeduplication && matcher.has_shared_steps();
    let packing = if rows_told_apart {
        None
    } else {
        Packing::new(log, users, kept)
    };
    // Each event name one step at most and no filters: a code per event name.
    let event_codes: Option<Vec<u8>> = (matcher.is_plain()
        && matcher.plain_masks().iter().all(|m| m.count_ones() <= 1))
    .then(|| {
        matcher
            .plain_masks()
            .iter()
            .map(|&m| {
                if m == 0 {
                    0
                } else {
                    m.trailing_zeros() as u8 + 1
                }
            })
            .collect()
    });
    let row_steps = match (&event_codes, &row_masks) {
        (Some(codes), _) => RowSteps::EventCodes(codes),
        (None, Some(masks)) => RowSteps::RowMasks(masks),
        (None, None) => RowSteps::EventMasks(matcher.plain_masks()),
    };
    let tally = if let Some(packing) = packing {
        let job = FunnelJob {
            steps: spec.steps.len(),
            window: state.window_ms,
            mode: spec.mode,
            users,
            packing,
            first_codes: first_codes.as_deref(),
            segment_values,
        };
        let blocks = users.div_ceil(1 << packing.block_bits);
        // Threads pay only when each gets a sizeable share of rows; WASM has none.
        let threads = if cfg!(target_family = "wasm") {
            1
        } else {
            threads.clamp(1, 64).min(log.len() / 65_536).max(1)
        };
        if threads == 1 {
            let part = partition(log, row_steps, keep_all, 0..log.len(), blocks, packing);
            let mut done = 0u64;
            let mut next_report = REPORT_EVERY;
            let mut failed = None;
            let tally = job.run_blocks(std::slice::from_ref(&part), 0..blocks, &mut |users| {
                done += users;
                if done >= next_report {
                    next_report = done + REPORT_EVERY;
                    if let Err(error) = reporter.report(done) {
                        failed = Some(error);
                        return false;
                    }
                }
                true
            });
            match (tally, failed) {
                (Some(tally), None) => tally,
                (_, error) => return Err(error.unwrap_or_else(cancelled)),
            }
        } else {
            run_threads(log, row_steps, keep_all, &job, blocks, threads, reporter)?
        }
    } else {
        tally_general(
            log,
            spec,
            state.window_ms,
            &matcher,
            keep_all,
            first_codes.as_deref(),
            segment_values,
        )
    };
    state.total = tally.total;
    for (code, group) in tally.by_code.into_iter().enumerate() {
        if let Some(group) = group {
            state.groups.insert(group_names[code].clone(), group);
        }
    }
    Ok(state)
}

/// Per user, the code of their group, and the groups' names: the values of the `by` columns on
/// their first event, then the period of their first step-1 event; `None` without either.
fn user_groups(
    log: &EventLog,
    spec: &FunnelSpec,
    matcher: &StepMatcher<'_>,
) -> Result<Option<(Vec<u32>, Vec<String>)>> {
    let columns: Vec<&Segment> = match spec.by.as_deref() {
        None => Vec::new(),
        Some(name) if log.segments.iter().any(|s| s.name == name) => vec![log.segment(name)?],
        Some(names) => names
            .split(',')
            .map(|name| log.segment(name.trim()))
            .collect::<Result<_>>()?,
    };
    if columns.is_empty() && spec.interval.is_none() {
        return Ok(None);
    }
    let users = log.user_ids.len();
    let mut parts: Vec<Vec<String>> = vec![Vec::new(); users];
    for segment in &columns {
        for (user, code) in first_segment_codes(log, segment).into_iter().enumerate() {
            parts[user].push(
                segment
                    .values
                    .get(code as usize)
                    .cloned()
                    .unwrap_or_default(),
            );
        }
    }
    if let Some(interval) = spec.interval {
        let mut first_step = vec![i64::MAX; users];
        for (row, ((&user, &time), &event)) in
            log.user.iter().zip(&log.time).zip(&log.event).enumerate()
        {
            if matcher.mask(row, event) & 1 != 0 && time < first_step[user as usize] {
                first_step[user as usize] = time;
            }
        }
        for (user, time) in first_step.into_iter().enumerate() {
            parts[user].push(if time == i64::MAX {
                super::log::NO_VALUE.to_string()
            } else {
                interval.cohort(time)
            });
        }
    }
    let mut names: Vec<String> = Vec::new();
    let mut index: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let codes = parts
        .into_iter()
        .map(|values| {
            let name = values.join(" / ");
            *index.entry(name.clone()).or_insert_with(|| {
                names.push(name);
                names.len() as u32 - 1
            })
        })
        .collect();
    Ok(Some((codes, names)))
}

/// The threaded funnel: each thread partitions a share of the rows, then each runs the funnel
/// over a share of the blocks, reading every thread's partition. The calling thread takes the
/// first share itself and reports the users done by all threads; when the callback cancels,
/// every thread stops at its next block.
fn run_threads(
    log: &EventLog,
    steps: RowSteps<'_>,
    keep_all: bool,
    job: &FunnelJob<'_>,
    blocks: usize,
    threads: usize,
    reporter: &mut Reporter<'_, '_>,
) -> Result<Tally> {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    let share = |n: usize, t: usize| (n * t / threads)..(n * (t + 1) / threads);
    let worker_failed =
        || CjmError::usage(ErrorCode::InternalError, "a funnel worker thread failed");
    let parts = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads)
            .map(|t| {
                let rows = share(log.len(), t);
                scope.spawn(move || partition(log, steps, keep_all, rows, blocks, job.packing))
            })
            .collect();
        let mut parts = vec![partition(
            log,
            steps,
            keep_all,
            share(log.len(), 0),
            blocks,
            job.packing,
        )];
        // Join every thread before looking at any result: a scope with an unjoined panicked
        // thread panics itself.
        let joined: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
        for part in joined {
            parts.push(part.map_err(|_| worker_failed())?);
        }
        Ok::<_, CjmError>(parts)
    })?;
    let parts = &parts;
    let done = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let (done, stop) = (&done, &stop);
    let mut failed = None;
    let tally = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads)
            .map(|t| {
                scope.spawn(move || {
                    job.run_blocks(parts, share(blocks, t), &mut |users| {
                        done.fetch_add(users, Ordering::Relaxed);
                        !stop.load(Ordering::Relaxed)
                    })
                })
            })
            .collect();
        let mut next_report = REPORT_EVERY;
        let mine = job.run_blocks(parts, share(blocks, 0), &mut |users| {
            let all = done.fetch_add(users, Ordering::Relaxed) + users;
            if all >= next_report {
                next_report = all + REPORT_EVERY;
                if let Err(error) = reporter.report(all) {
                    failed = Some(error);
                    stop.store(true, Ordering::Relaxed);
                    return false;
                }
            }
            true
        });
        let mut tally = mine;
        let joined: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
        for part in joined {
            let part = part.map_err(|_| worker_failed())?;
            tally = match (tally, part) {
                (Some(mut all), Some(part)) => {
                    all.merge(part);
                    Some(all)
                }
                _ => None,
            };
        }
        Ok::<_, CjmError>(tally)
    })?;
    match (tally, failed) {
        (Some(tally), None) => Ok(tally),
        (_, error) => Err(error.unwrap_or_else(cancelled)),
    }
}

/// The funnel's tally for logs whose time span does not pack into a key: per-user grouping of
/// `(time, code)` pairs with [`by_user`].
fn tally_general(
    log: &EventLog,
    spec: &FunnelSpec,
    window: i64,
    matcher: &StepMatcher<'_>,
    keep_all: bool,
    first_codes: Option<&[u32]>,
    segment_values: usize,
) -> Tally {
    let steps = spec.steps.len();
    let users = log.user_ids.len();
    // Rows are one event when they agree on everything the steps read: the event name and the
    // columns the filters read (`row_kinds`).
    let kinds = matcher.row_kinds(log);
    // Per user: (time, step code, row kind) of every kept key, ordered as the packed path
    // orders them, identical keys once.
    let mut runs: Vec<Vec<(i64, u8, u32)>> = vec![Vec::new(); users];
    for (row, ((&user, &time), &event)) in
        log.user.iter().zip(&log.time).zip(&log.event).enumerate()
    {
        let mask = matcher.mask(row, event);
        let kind = kinds.as_ref().map_or(event, |k| k[row]);
        let run = &mut runs[user as usize];
        if mask == 0 && keep_all {
            run.push((time, 0, kind));
        }
        let mut bits = mask;
        while bits != 0 {
            run.push((time, bits.trailing_zeros() as u8 + 1, kind));
            bits &= bits - 1;
        }
    }
    let mut tally = Tally::new(steps, segment_values);
    let mut scratch = FunnelScratch::new(steps);
    for (user, run) in runs.iter_mut().enumerate() {
        run.sort_unstable();
        run.dedup();
        let level = user_funnel(
            run.iter().map(|&(time, code, _)| (time, code)),
            steps,
            window,
            spec.mode,
            false,
            &mut scratch,
        );
        tally.record(level, &scratch.chain, first_codes.map(|c| c[user]));
    }
    tally
}

/// Computes a funnel over an event log.
pub fn funnel(log: &EventLog, spec: &FunnelSpec) -> Result<FunnelResult> {
    Ok(funnel_state(log, spec)?.finish())
}
