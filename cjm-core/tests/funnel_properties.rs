//! The funnel against an independent reference on random logs, and sharded merging.

use cjm_core::{EventLog, FunnelMode, FunnelSpec, FunnelState, funnel, funnel_state};
use proptest::prelude::*;

const STEPS: [&str; 3] = ["a", "b", "c"];
const NAMES: [&str; 4] = ["a", "b", "c", "x"];

/// Reference for the default mode: a user reaches level k when some
/// occurrence of step 1 starts a chain of steps 1..k, in order (events ordered by time, then
/// step), all within `window` of the start. For a fixed start, taking the earliest possible next
/// step is optimal, so trying every start is exhaustive.
fn reference_level(events: &[(i64, usize)], window: i64, strict_increase: bool) -> usize {
    let mut sorted = events.to_vec();
    sorted.sort();
    let mut best = 0;
    for (i, &(t0, s0)) in sorted.iter().enumerate() {
        if s0 != 0 {
            continue;
        }
        let (mut level, mut last_time, mut position) = (1, t0, i);
        for step in 1..STEPS.len() {
            let next = sorted
                .iter()
                .enumerate()
                .skip(position + 1)
                .find(|(_, (t, s))| {
                    *s == step && *t <= t0 + window && (!strict_increase || *t > last_time)
                });
            match next {
                Some((j, (t, _))) => {
                    level = step + 1;
                    last_time = *t;
                    position = j;
                }
                None => break,
            }
        }
        best = best.max(level);
    }
    best
}

fn logs() -> impl Strategy<Value = Vec<(u8, i64, usize)>> {
    // (user, time in seconds, event index into NAMES); small ranges force ties and repeats.
    proptest::collection::vec((0u8..6, 0i64..20, 0usize..4), 0..60)
}

fn build(rows: &[(u8, i64, usize)]) -> EventLog {
    let mut log = EventLog::new(&["shard"]);
    for (user, time, event) in rows {
        let shard = (user % 3).to_string();
        log.push(
            &format!("u{user}"),
            time * 1000,
            NAMES[*event],
            &[shard.as_str()],
            None,
        );
    }
    log
}

fn spec(mode: FunnelMode) -> FunnelSpec {
    FunnelSpec {
        steps: STEPS.iter().map(|s| s.to_string()).collect(),
        window: "5s".into(),
        mode,
        by: None,
        interval: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn default_funnel_matches_the_reference(rows in logs()) {
        // strict_increase is not compared: like ClickHouse, a repeated first step restarts the
        // chain, so `a@13 a@18 b@18` stops at level 1 although a@13 → b@18 would be strictly
        // increasing (covered by a case file instead).
        let (mode, strict) = (FunnelMode::Default, false);
        let result = funnel(&build(&rows), &spec(mode)).expect("funnel");
        let mut expected = [0u64; 3];
        for user in 0..6u8 {
            let events: Vec<(i64, usize)> = rows
                .iter()
                .filter(|(u, _, e)| *u == user && *e < 3)
                .map(|(_, t, e)| (t * 1000, *e))
                .collect();
            for count in expected.iter_mut().take(reference_level(&events, 5000, strict)) {
                *count += 1;
            }
        }
        let got: Vec<u64> = result.total.steps.iter().map(|s| s.users).collect();
        prop_assert_eq!(got, expected.to_vec());
    }

    #[test]
    fn merged_shards_equal_the_single_pass(rows in logs(), mode in 0usize..4) {
        let mode = [FunnelMode::Default, FunnelMode::StrictOrder, FunnelMode::StrictDeduplication, FunnelMode::StrictIncrease][mode];
        let spec = FunnelSpec { by: Some("shard".into()), ..spec(mode) };
        let single = funnel_state(&build(&rows), &spec).expect("funnel").finish();
        let mut merged = FunnelState::empty(&spec).expect("state");
        for shard in 0..3u8 {
            let part: Vec<_> = rows.iter().copied().filter(|(u, _, _)| u % 3 == shard).collect();
            merged.merge(&funnel_state(&build(&part), &spec).expect("funnel")).expect("merge");
        }
        prop_assert_eq!(merged.finish(), single);
    }
}

/// A deterministic log big enough for the blocked grouping to span many blocks and for the
/// parallel funnel to use its threads (≥ 131 072 rows): `users` users, times in seconds below
/// `span`, rows in random order, built from integer columns like the Python front does.
fn large_log(rows: usize, users: u64, span: i64, seed: u64) -> EventLog {
    let mut state = seed;
    let mut next = |n: u64| {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    };
    let (mut user, mut time, mut event) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rows {
        user.push(next(users) as i64 * 7 + 3);
        time.push(next(span as u64) as i64 * 1000);
        event.push(next(NAMES.len() as u64) as u32);
    }
    let mut log = EventLog::from_columns(
        &user,
        &time,
        &event,
        NAMES.iter().map(|s| s.to_string()).collect(),
    )
    .expect("columns");
    let shard: Vec<u32> = log.user.iter().map(|u| u % 3).collect();
    log.add_segment("shard", shard, vec!["0".into(), "1".into(), "2".into()])
        .expect("segment");
    log
}

/// Per-step user counts of the reference over a whole log.
fn reference_counts(log: &EventLog, window: i64) -> Vec<u64> {
    let mut per_user: Vec<Vec<(i64, usize)>> = vec![Vec::new(); log.user_ids.len()];
    for row in 0..log.len() {
        let e = log.event[row] as usize;
        if e < STEPS.len() {
            per_user[log.user[row] as usize].push((log.time[row], e));
        }
    }
    let mut counts = vec![0u64; STEPS.len()];
    for events in &per_user {
        for count in counts
            .iter_mut()
            .take(reference_level(events, window, false))
        {
            *count += 1;
        }
    }
    counts
}

#[test]
fn blocked_and_threaded_funnels_match_the_reference_on_a_large_log() {
    // 300 000 rows of 20 000 users over a day, 1-hour window: ~15 events per user.
    let log = large_log(300_000, 20_000, 86_400, 7);
    let spec = FunnelSpec {
        window: "1h".into(),
        by: Some("shard".into()),
        ..spec(FunnelMode::Default)
    };
    let single = funnel_state(&log, &spec).expect("funnel").finish();
    let got: Vec<u64> = single.total.steps.iter().map(|s| s.users).collect();
    assert_eq!(got, reference_counts(&log, 3_600_000));
    let distinct = log
        .user
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len() as u64;
    assert!(distinct > 19_900, "{distinct} distinct users");
    assert_eq!(single.total.users, distinct);
    assert_eq!(
        single.groups.iter().map(|g| g.users).sum::<u64>(),
        distinct,
        "every user is in exactly one group"
    );
    for mode in [
        FunnelMode::Default,
        FunnelMode::StrictOrder,
        FunnelMode::StrictDeduplication,
        FunnelMode::StrictIncrease,
    ] {
        let spec = FunnelSpec {
            mode,
            ..spec.clone()
        };
        let single = funnel_state(&log, &spec).expect("funnel").finish();
        for threads in [2, 3, 8] {
            let parallel = cjm_core::funnel_state_parallel(&log, &spec, threads)
                .expect("funnel")
                .finish();
            assert_eq!(parallel, single, "{mode:?} on {threads} threads");
        }
    }
}

#[test]
fn funnel_over_a_time_span_too_wide_to_pack_matches_the_reference() {
    // Times spread over ±2^61 ms do not fit the packed 58-bit keys; the general grouping runs.
    let mut log = EventLog::new(&[]);
    let far = 1i64 << 61;
    let rows = [
        ("u1", -far, "a"),
        ("u1", -far + 1000, "b"),
        ("u1", far, "c"),
        ("u2", far - 2000, "a"),
        ("u2", far - 1000, "b"),
        ("u2", far, "c"),
        ("u3", 0, "b"),
    ];
    for (user, time, event) in rows {
        log.push(user, time, event, &[], None);
    }
    let result = funnel(&log, &spec(FunnelMode::Default)).expect("funnel");
    let got: Vec<u64> = result.total.steps.iter().map(|s| s.users).collect();
    // u1 reaches b (c is far outside 5 s), u2 all three, u3 never starts.
    assert_eq!(got, vec![2, 2, 1]);
    assert_eq!(got, reference_counts(&log, 5000));

    // Spans at the packing's edge (2^56 .. 2^58 ms): packed or general, never a shift of 64.
    for bits in [56, 57, 58] {
        let span = 1i64 << bits;
        let log = EventLog::from_columns(
            &[1, 1, 1, 2, 2],
            &[0, 1000, span, span - 1000, span],
            &[0, 1, 2, 0, 1],
            NAMES.iter().map(|s| s.to_string()).collect(),
        )
        .expect("columns");
        let result = funnel(&log, &spec(FunnelMode::Default)).expect("funnel");
        let got: Vec<u64> = result.total.steps.iter().map(|s| s.users).collect();
        assert_eq!(got, vec![2, 2, 0], "span 2^{bits}");
    }
}

#[test]
fn funnel_reports_progress_in_users_and_stops_when_cancelled() {
    let log = large_log(300_000, 200_000, 86_400, 11);
    let users = log.user_ids.len() as u64;
    let spec = spec(FunnelMode::Default);
    let expected = funnel_state(&log, &spec).expect("funnel");
    for threads in [1, 2] {
        let mut seen = Vec::new();
        let mut callback = |p: cjm_core::Progress| {
            assert_eq!(p.phase, cjm_core::ProgressPhase::Funnel);
            assert_eq!(p.total, users);
            seen.push(p.done);
            true
        };
        let state =
            cjm_core::funnel_state_with(&log, &spec, threads, Some(&mut callback)).expect("funnel");
        assert_eq!(state, expected, "{threads} threads");
        assert_eq!(seen.first(), Some(&0));
        assert_eq!(seen.last(), Some(&users));
        assert!(seen.len() >= 3, "reports in between: {seen:?}");
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");

        let mut calls = 0;
        let mut cancel_second = |_: cjm_core::Progress| {
            calls += 1;
            calls < 2
        };
        let error = cjm_core::funnel_state_with(&log, &spec, threads, Some(&mut cancel_second))
            .expect_err("cancelled");
        assert_eq!(error.code(), "cancelled");
        assert_eq!(calls, 2, "no call after the cancelling one");
    }
}
