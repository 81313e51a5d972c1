//! Funnel step times against an independent reference on random logs: the times are those of
//! the chain that first reached the user's level, so time to step k never falls below time to
//! step k − 1, and exact duplicate rows count once.

use cjm_core::{EventLog, FunnelMode, FunnelSpec, funnel};
use proptest::prelude::*;

const STEPS: [&str; 3] = ["a", "b", "c"];
const NAMES: [&str; 4] = ["a", "b", "c", "x"];
const WINDOW_MS: i64 = 5000;

/// Greedy earliest chain from the step-1 event at `start` (index into `sorted`, ordered by time
/// then step): each next step is the first later occurrence within the window. Returns the
/// chain's (time, position) per reached step.
fn greedy_chain(sorted: &[(i64, usize)], start: usize) -> Vec<(i64, usize)> {
    let t0 = sorted[start].0;
    let mut chain = vec![(t0, start)];
    for step in 1..STEPS.len() {
        let after = chain.last().map_or(start, |c| c.1);
        match sorted
            .iter()
            .enumerate()
            .skip(after + 1)
            .find(|(_, (t, s))| *s == step && *t <= t0 + WINDOW_MS)
        {
            Some((j, (t, _))) => chain.push((*t, j)),
            None => break,
        }
    }
    chain
}

/// Reference per user (default mode): the level is the longest greedy chain over all starts;
/// the level is first reached at the earliest position any chain completes it; of the chains
/// completing it there, the one with the latest start is ClickHouse's (a later start overwrites
/// an earlier one); its times are the reported ones.
fn reference_chain(events: &[(i64, usize)]) -> Vec<i64> {
    let mut sorted = events.to_vec();
    sorted.sort();
    sorted.dedup();
    let chains: Vec<Vec<(i64, usize)>> = (0..sorted.len())
        .filter(|i| sorted[*i].1 == 0)
        .map(|i| greedy_chain(&sorted, i))
        .collect();
    let level = chains.iter().map(Vec::len).max().unwrap_or(0);
    if level == 0 {
        return Vec::new();
    }
    let reached_at = chains
        .iter()
        .filter(|c| c.len() == level)
        .map(|c| c[level - 1].1)
        .min()
        .unwrap_or(0);
    chains
        .iter()
        .filter(|c| c.len() == level && c[level - 1].1 == reached_at)
        .max_by_key(|c| c[0].1)
        .map(|c| c[..level].iter().map(|(t, _)| *t).collect())
        .unwrap_or_default()
}

fn user_events() -> impl Strategy<Value = Vec<(i64, usize)>> {
    // (time in seconds, event index into NAMES); small ranges force ties, repeats and duplicates.
    proptest::collection::vec((0i64..20, 0usize..4), 0..25)
}

fn single_user_log(events: &[(i64, usize)]) -> EventLog {
    let mut log = EventLog::new(&[]);
    for (time, event) in events {
        log.push("u", time * 1000, NAMES[*event], &[], None);
    }
    log
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn step_times_are_the_reaching_chain(events in user_events()) {
        let spec = FunnelSpec {
            steps: STEPS.iter().map(|s| s.to_string()).collect(),
            window: "5s".into(),
            mode: FunnelMode::Default,
            by: None,
            interval: None,
        };
        let result = funnel(&single_user_log(&events), &spec).expect("funnel");
        let steps: Vec<(i64, usize)> = events
            .iter()
            .filter(|(_, e)| *e < STEPS.len())
            .map(|(t, e)| (t * 1000, *e))
            .collect();
        let chain = reference_chain(&steps);
        let level = result.total.steps.iter().filter(|s| s.users == 1).count();
        prop_assert_eq!(level, chain.len());
        let mut previous_from_start = 0.0;
        for (k, step) in result.total.steps.iter().enumerate().take(level).skip(1) {
            let from_start = step.time_from_start.median.expect("a reached step has a time");
            let from_previous = step.time_from_previous.median.expect("a reached step has a time");
            prop_assert_eq!(from_start, (chain[k] - chain[0]) as f64 / 1000.0);
            prop_assert_eq!(from_previous, (chain[k] - chain[k - 1]) as f64 / 1000.0);
            prop_assert!(from_start >= previous_from_start, "time to step {} fell", k + 1);
            previous_from_start = from_start;
        }
    }

    #[test]
    fn duplicate_rows_change_nothing(events in user_events(), mode in 0usize..4) {
        let mode = [FunnelMode::Default, FunnelMode::StrictOrder, FunnelMode::StrictDeduplication, FunnelMode::StrictIncrease][mode];
        let spec = FunnelSpec {
            steps: STEPS.iter().map(|s| s.to_string()).collect(),
            window: "5s".into(),
            mode,
            by: None,
            interval: None,
        };
        let doubled: Vec<(i64, usize)> = events.iter().flat_map(|e| [*e, *e]).collect();
        let once = funnel(&single_user_log(&events), &spec).expect("funnel");
        let twice = funnel(&single_user_log(&doubled), &spec).expect("funnel");
        prop_assert_eq!(once.total, twice.total);
    }
}

#[test]
fn a_later_repeat_of_a_step_does_not_stretch_its_time() {
    // A@0, B@1, B@100: the user reached B one second after A.
    let result = funnel(
        &single_user_log(&[(0, 0), (1, 1), (100, 1)]),
        &FunnelSpec {
            steps: vec!["a".into(), "b".into()],
            window: "1h".into(),
            mode: FunnelMode::Default,
            by: None,
            interval: None,
        },
    )
    .expect("funnel");
    assert_eq!(result.total.steps[1].time_from_previous.median, Some(1.0));
}
