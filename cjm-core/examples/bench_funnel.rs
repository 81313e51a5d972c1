//! Funnel benchmark data and the Rust side of `make bench`.
//!
//! Generates a deterministic synthetic event log (splitmix64 with a seed; about ten events per
//! user; rows in random order), optionally writes it as raw little-endian columns for the other
//! peers of the benchmark (`users.i64`, `times.i64`, `events.u32`, `names.txt`), and times the
//! cjm funnel on one thread and on all threads. Prints one JSON line.
//!
//!     cargo run --release -p cjm-core --example bench_funnel -- --events 10000000 --out build/bench/10m

use std::io::Write;
use std::time::Instant;

use cjm_core::{EventLog, FunnelMode, FunnelSpec, funnel_state, funnel_state_parallel};

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub const STEPS: [&str; 5] = ["view", "search", "cart", "checkout", "purchase"];
const OTHER: [&str; 15] = [
    "home", "scroll", "click", "banner", "login", "logout", "wishlist", "review", "compare",
    "share", "chat", "faq", "profile", "coupon", "filter",
];

/// The synthetic log: each user's events follow the funnel with decreasing probability,
/// interleaved with other events, spread over 30 days; then all rows are shuffled.
fn generate(events: usize, seed: u64) -> (Vec<i64>, Vec<i64>, Vec<u32>, Vec<String>) {
    let mut rng = SplitMix(seed);
    let users = (events / 10).max(1) as u64;
    let names: Vec<String> = STEPS
        .iter()
        .chain(OTHER.iter())
        .map(|s| s.to_string())
        .collect();
    let (mut user, mut time, mut event) = (
        Vec::with_capacity(events),
        Vec::with_capacity(events),
        Vec::with_capacity(events),
    );
    let start = 1_714_521_600_000i64; // 2024-05-01T00:00:00Z
    while user.len() < events {
        let u = rng.below(users) as i64;
        let mut t = start + rng.below(30 * 86_400_000) as i64;
        let session = 1 + rng.below(19) as usize;
        let mut step = 0usize;
        for _ in 0..session {
            if user.len() >= events {
                break;
            }
            t += rng.below(3 * 86_400_000 / 4) as i64;
            let e = if step < STEPS.len() && rng.below(100) < 45 {
                step += 1;
                (step - 1) as u32
            } else {
                (STEPS.len() as u64 + rng.below(OTHER.len() as u64)) as u32
            };
            user.push(u);
            time.push(t);
            event.push(e);
        }
    }
    // Fisher–Yates: the rows arrive unsorted.
    for i in (1..events).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        user.swap(i, j);
        time.swap(i, j);
        event.swap(i, j);
    }
    (user, time, event, names)
}

fn write_columns(
    dir: &str,
    user: &[i64],
    time: &[i64],
    event: &[u32],
    names: &[String],
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let bytes = |values: Vec<u8>, file: &str| std::fs::write(format!("{dir}/{file}"), values);
    bytes(
        user.iter().flat_map(|v| v.to_le_bytes()).collect(),
        "users.i64",
    )?;
    bytes(
        time.iter().flat_map(|v| v.to_le_bytes()).collect(),
        "times.i64",
    )?;
    bytes(
        event.iter().flat_map(|v| v.to_le_bytes()).collect(),
        "events.u32",
    )?;
    let mut f = std::fs::File::create(format!("{dir}/names.txt"))?;
    for n in names {
        writeln!(f, "{n}")?;
    }
    Ok(())
}

/// Best wall time of `runs` calls; each call's result is dropped before the next starts, so
/// two results never coexist (they would inflate the peak memory).
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        drop(last.take());
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed().as_secs_f64());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

/// This process's resident memory now and its peak since the last [`reset_peak`], in bytes
/// (Linux `/proc/self/status`; `None` elsewhere).
fn rss() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// CPU time of the calling thread, in seconds (Linux `/proc/thread-self/schedstat`): unlike
/// wall time it leaves out the time other processes on a shared machine hold the core.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Resets the peak resident memory (`VmHWM`) to the current resident memory.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let events: usize = arg("--events")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = arg("--seed").and_then(|v| v.parse().ok()).unwrap_or(42);
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(3);
    let (user, time, event, names) = generate(events, seed);
    if let Some(dir) = arg("--out") {
        write_columns(&dir, &user, &time, &event, &names).expect("write columns");
    }
    let spec = FunnelSpec {
        steps: STEPS.iter().map(|s| s.to_string()).collect(),
        window: "7d".into(),
        mode: FunnelMode::Default,
        by: None,
        interval: None,
    };
    let input_bytes = (user.len() * 8 + time.len() * 8 + event.len() * 4) as u64;
    // Memory of one end-to-end run from the columns the caller holds, before any timing runs:
    // the peak over the build (copying the time and event columns) and the funnel, less the
    // resident memory before it (the input columns themselves, the generator's leftovers).
    reset_peak();
    let before = rss();
    let log = EventLog::from_columns(&user, &time, &event, names.clone()).expect("columns");
    let state = funnel_state(&log, &spec).expect("funnel");
    let after = rss();
    drop((log, state));
    let working_bytes = match (before, after) {
        (Some((rss_before, _)), Some((_, peak))) => Some(peak.saturating_sub(rss_before)),
        _ => None,
    };
    // The same with owned columns: the log takes the time and event columns (cloned before
    // the measurement, standing for columns the caller hands over) instead of copying them.
    let (time_copy, event_copy) = (time.clone(), event.clone());
    reset_peak();
    let before = rss();
    let log =
        EventLog::from_owned_columns(&user, time_copy, event_copy, names.clone()).expect("columns");
    let state = funnel_state(&log, &spec).expect("funnel");
    let after = rss();
    drop((log, state));
    let working_owned_bytes = match (before, after) {
        (Some((rss_before, _)), Some((_, peak))) => Some(peak.saturating_sub(rss_before)),
        _ => None,
    };
    let (build_s, log) = best_of(runs, || {
        EventLog::from_columns(&user, &time, &event, names.clone()).expect("columns")
    });
    drop(log);
    // Owned columns are moved into the log without a copy; the clones are made outside the
    // timing.
    let mut owned_s = f64::INFINITY;
    let mut log = None;
    for _ in 0..runs {
        drop(log.take());
        let (t, e) = (time.clone(), event.clone());
        let start = Instant::now();
        log = Some(EventLog::from_owned_columns(&user, t, e, names.clone()).expect("columns"));
        owned_s = owned_s.min(start.elapsed().as_secs_f64());
    }
    let log = log.expect("at least one run");
    let mut one_cpu_s = f64::INFINITY;
    let (one_s, state) = best_of(runs, || {
        let cpu = thread_cpu_seconds();
        let state = funnel_state(&log, &spec).expect("funnel");
        if let (Some(a), Some(b)) = (cpu, thread_cpu_seconds()) {
            one_cpu_s = one_cpu_s.min(b - a);
        }
        state
    });
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (all_s, parallel) = best_of(runs, || {
        funnel_state_parallel(&log, &spec, threads).expect("funnel")
    });
    let result = state.finish();
    assert_eq!(
        result,
        parallel.finish(),
        "parallel and single-threaded funnels agree"
    );
    let counts: Vec<u64> = result.total.steps.iter().map(|s| s.users).collect();
    // The same funnel with property filters (issue 12: a filtered funnel costs at most 1.5× the
    // unfiltered one): a `platform` column (web, app, tv) and filters on four of the steps.
    let mut log = log;
    let mut platform = SplitMix(seed ^ 0x5EED);
    let codes: Vec<u32> = (0..log.len()).map(|_| platform.below(3) as u32).collect();
    log.add_segment(
        "platform",
        codes,
        vec!["web".into(), "app".into(), "tv".into()],
    )
    .expect("segment");
    let filtered = FunnelSpec {
        steps: vec![
            "view[platform!=tv]".into(),
            "search".into(),
            "cart[platform~^(web|app)$]".into(),
            "checkout|purchase[platform=tv]".into(),
            "purchase[platform=web]|purchase[platform=app]".into(),
        ],
        ..spec.clone()
    };
    let (filtered_s, filtered_state) =
        best_of(runs, || funnel_state(&log, &filtered).expect("funnel"));
    let filtered_counts: Vec<u64> = filtered_state
        .finish()
        .total
        .steps
        .iter()
        .map(|s| s.users)
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "events": events,
            "users": log.user_ids.len(),
            "seed": seed,
            "counts": counts,
            "build_seconds": build_s,
            "build_owned_seconds": owned_s,
            "input_bytes": input_bytes,
            "working_bytes_build_and_funnel": working_bytes,
            "working_bytes_owned_build_and_funnel": working_owned_bytes,
            "funnel_seconds_1_thread": one_s,
            "funnel_cpu_seconds_1_thread": one_cpu_s,
            "funnel_seconds_all_threads": all_s,
            "filtered_counts": filtered_counts,
            "filtered_funnel_seconds_1_thread": filtered_s,
            "filtered_over_plain_1_thread": filtered_s / one_s,
            "threads": threads,
            "events_per_second_1_thread": events as f64 / one_s,
            "events_per_second_with_build_1_thread": events as f64 / (one_s + build_s),
            "events_per_second_with_owned_build_1_thread": events as f64 / (one_s + owned_s),
        })
    );
}
