#!/usr/bin/env python3
"""The peers of the cjm funnel benchmark: DuckDB, pandas and (when it exists) cjm from Python.

    python bench/peers.py build/bench/N [--rust build/bench/N/rust.json]

DIR holds the raw little-endian columns written by `bench_funnel --out DIR` (users.i64,
times.i64 in ms since epoch, events.u32 indexing names.txt). Each peer runs in its own child
process (so its peak RSS is its own), loads the columns with numpy, and times the same funnel
best of 3 in that process on the same data: 5 steps view -> search -> cart -> checkout ->
purchase, 7-day window from the first step, inclusive, ClickHouse windowFunnel default mode.

In that mode the greedy result equals: a user reaches step k when some step-1 event starts a
chain of steps 1..k in order (by time, then step, so a next step may share the previous step's
timestamp), all within 7 days of that start, taking the earliest possible next step
(cjm-core/tests/funnel_properties.rs proves it against the core on random logs).

Every peer's per-step user counts must equal the Rust counts: a mismatch exits non-zero.
Prints a table of seconds, events/s, ratio peer/cjm (1 thread and all threads) and peak RSS,
and writes DIR/results.json.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STEPS = ["view", "search", "cart", "checkout", "purchase"]
WINDOW_MS = 7 * 86_400_000
RUNS = 3
# Peers in the order they are run and printed. pandas may be skipped at large sizes with
# BENCH_PANDAS_MAX_EVENTS (see bench/run.sh).
PEERS = ["duckdb_int", "duckdb_int_1thread", "duckdb_str", "pandas", "cjm_py"]


def rss_mb() -> float:
    """Peak RSS of this process so far, in MB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(directory: Path) -> tuple[Any, Any, Any, list[str]]:
    import numpy as np

    users = np.fromfile(directory / "users.i64", dtype="<i8")
    times = np.fromfile(directory / "times.i64", dtype="<i8")
    events = np.fromfile(directory / "events.u32", dtype="<u4")
    names = (directory / "names.txt").read_text().splitlines()
    assert len(users) == len(times) == len(events), "columns differ in length"
    return users, times, events, names


def step_codes(names: list[str]) -> list[int]:
    return [names.index(step) for step in STEPS]


def best_of(runs: int, f: Callable[[], list[int]]) -> tuple[float, list[int]]:
    best, out = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - start)
    assert out is not None
    return best, out


# --- DuckDB -----------------------------------------------------------------------------------


def duckdb_sql(codes: list[int]) -> str:
    """Chained joins: for each start (user, t0) of step 1, the earliest next step at or after
    the previous one and within the window; a start survives join k when it reached step k."""
    parts = [
        (
            "WITH e AS (SELECT user_id AS u, t, ev FROM events "
            f"WHERE ev IN ({', '.join(map(str, codes))})),"
        ),
        f"s1 AS (SELECT DISTINCT u, t AS t0, t AS tp FROM e WHERE ev = {codes[0]})",
    ]
    for k in range(1, len(codes)):
        parts.append(
            f", s{k + 1} AS (SELECT s.u, s.t0, min(e.t) AS tp FROM s{k} s JOIN e "
            f"ON e.u = s.u AND e.ev = {codes[k]} AND e.t >= s.tp AND e.t <= s.t0 + {WINDOW_MS} "
            "GROUP BY s.u, s.t0)"
        )
    counts = ", ".join(
        f"(SELECT count(DISTINCT u) FROM s{k + 1})" for k in range(len(codes))
    )
    parts.append(f" SELECT {counts}")
    return "\n".join(parts)


def run_duckdb(
    users: Any,
    times: Any,
    events: Any,
    names: list[str],
    *,
    string_ids: bool,
    threads: int | None,
) -> tuple[float, list[int], dict[str, Any]]:
    import duckdb
    import pyarrow as pa
    import pyarrow.compute as pc

    user_col = pa.array(users)
    if string_ids:
        # 'u' || id, built once outside the timed part.
        user_col = pc.binary_join_element_wise("u", pc.cast(user_col, pa.string()), "")
    table = pa.table(
        {"user_id": user_col, "t": pa.array(times), "ev": pa.array(events)}
    )
    con = duckdb.connect()
    if threads is not None:
        con.execute(f"SET threads = {threads}")
    con.register("events", table)
    sql = duckdb_sql(step_codes(names))
    seconds, counts = best_of(
        RUNS, lambda: [int(c) for c in con.execute(sql).fetchone()]
    )
    used = con.execute("SELECT current_setting('threads')").fetchone()[0]
    return seconds, counts, {"threads": int(used)}


# --- pandas -----------------------------------------------------------------------------------


def pandas_funnel(df: Any, codes: list[int]) -> list[int]:
    import pandas as pd

    starts = (
        df.loc[df["ev"] == codes[0], ["u", "t"]]
        .drop_duplicates()
        .rename(columns={"t": "t0"})
    )
    starts["tp"] = starts["t0"]
    chains = starts.sort_values("tp")
    counts = [int(chains["u"].nunique())]
    for code in codes[1:]:
        right = df.loc[df["ev"] == code, ["u", "t"]].sort_values("t")
        # Earliest event of this step at or after the previous step, same user.
        merged = pd.merge_asof(
            chains,
            right,
            left_on="tp",
            right_on="t",
            by="u",
            direction="forward",
            allow_exact_matches=True,
        )
        merged = merged[merged["t"].notna()]
        merged = merged[merged["t"] <= merged["t0"] + WINDOW_MS]
        chains = merged.assign(tp=merged["t"].astype("int64"))[
            ["u", "t0", "tp"]
        ].sort_values("tp")
        counts.append(int(chains["u"].nunique()))
    return counts


def run_pandas(
    users: Any, times: Any, events: Any, names: list[str]
) -> tuple[float, list[int], dict[str, Any]]:
    import pandas as pd

    df = pd.DataFrame({"u": users, "t": times, "ev": events})
    codes = step_codes(names)
    seconds, counts = best_of(RUNS, lambda: pandas_funnel(df, codes))
    return seconds, counts, {"threads": 1}


# --- cjm from Python --------------------------------------------------------------------------


def run_cjm_py(
    users: Any, times: Any, events: Any, names: list[str]
) -> tuple[float, list[int], dict[str, Any]] | str:
    try:
        import cjm
    except ImportError as error:
        return f"cjm is not importable ({error})"
    if not hasattr(cjm, "funnel"):
        return "cjm (Python) exposes no columnar funnel yet (no cjm.funnel): skipped"
    import pyarrow as pa

    table = pa.table(
        {
            "user_id": pa.array(users),
            "timestamp": pa.array(times),
            "event": pa.DictionaryArray.from_arrays(
                pa.array(events.astype("int32")), pa.array(names)
            ),
        }
    )

    def once() -> list[int]:
        result = cjm.funnel(table, steps=STEPS, window="7d", time_unit="ms")
        total = result["total"] if isinstance(result, dict) else result.total
        steps = total["steps"] if isinstance(total, dict) else total.steps
        return [int(s["users"] if isinstance(s, dict) else s.users) for s in steps]

    try:
        seconds, counts = best_of(RUNS, once)
    except (TypeError, KeyError, AttributeError) as error:
        return f"cjm.funnel exists but its call shape is not the one assumed here ({error}): skipped"
    return seconds, counts, {"threads": os.cpu_count() or 1}


# --- child process: one peer --------------------------------------------------------------------


def child(directory: Path, peer: str) -> None:
    users, times, events, names = load(directory)
    loaded = rss_mb()
    if peer == "duckdb_int":
        out = run_duckdb(users, times, events, names, string_ids=False, threads=None)
    elif peer == "duckdb_int_1thread":
        out = run_duckdb(users, times, events, names, string_ids=False, threads=1)
    elif peer == "duckdb_str":
        out = run_duckdb(users, times, events, names, string_ids=True, threads=None)
    elif peer == "pandas":
        out = run_pandas(users, times, events, names)
    elif peer == "cjm_py":
        out = run_cjm_py(users, times, events, names)
    else:
        raise SystemExit(f"unknown peer {peer}")
    if isinstance(out, str):
        print(json.dumps({"peer": peer, "skipped": out}))
        return
    seconds, counts, extra = out
    print(
        json.dumps(
            {
                "peer": peer,
                "seconds": seconds,
                "counts": counts,
                "peak_rss_mb": rss_mb(),
                "rss_after_load_mb": loaded,
                **extra,
            }
        )
    )


# --- parent: run the peers, check, print --------------------------------------------------------


def fmt_rate(events: int, seconds: float) -> str:
    return f"{events / seconds / 1e6:8.1f} M/s"


def main() -> int:
    args = sys.argv[1:]
    if len(args) >= 3 and args[1] == "--peer":
        child(Path(args[0]), args[2])
        return 0
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    directory = Path(args[0])
    rust_path = (
        Path(args[args.index("--rust") + 1])
        if "--rust" in args
        else directory / "rust.json"
    )
    rust = json.loads(rust_path.read_text())
    events = int(rust["events"])
    expected = [int(c) for c in rust["counts"]]
    input_mb = events * 20 / 1e6  # user i64 + time i64 + event u32

    pandas_max = int(os.environ.get("BENCH_PANDAS_MAX_EVENTS", "0") or 0)
    results: list[dict[str, Any]] = []
    failed = False
    for peer in PEERS:
        if peer == "pandas" and pandas_max and events > pandas_max:
            note = f"pandas skipped at {events} events (BENCH_PANDAS_MAX_EVENTS={pandas_max})"
            print(f"note: {note}", flush=True)
            results.append({"peer": peer, "skipped": note})
            continue
        print(f"running {peer} ...", file=sys.stderr, flush=True)
        proc = subprocess.run(
            [sys.executable, __file__, str(directory), "--peer", peer],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            print(f"FAIL: {peer} exited with {proc.returncode}")
            return 1
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(result)
        if "skipped" in result:
            print(f"note: {result['skipped']}", flush=True)
            continue
        if result["counts"] != expected:
            print(
                f"MISMATCH: {peer} counts {result['counts']} != cjm (Rust) {expected}"
            )
            failed = True

    one, every = rust["funnel_seconds_1_thread"], rust["funnel_seconds_all_threads"]
    build = rust[
        "build_seconds"
    ]  # EventLog::from_columns: dense user ids from the raw columns
    print()
    print(
        f"funnel over {events:,} events, {rust['users']:,} users, seed {rust['seed']}, "
        f"counts {expected}; best of {RUNS}; input columns {input_mb:.0f} MB (N x 20 B)"
    )
    header = (
        f"{'peer':<28} {'threads':>7} {'seconds':>9} {'events/s':>12} "
        f"{'peer/cjm 1t':>11} {'peer/cjm all':>12} {'peak RSS MB':>11} {'RSS/input':>9} "
        f"{'above load MB':>13} {'peer/cjm 1t+build':>17}"
    )
    print(header)
    print("-" * len(header))
    rust_rss = rust.get("peak_rss_mb")

    def rss_cell(mb: float) -> str:
        return f"{mb:11.0f} {mb / input_mb:9.2f}"

    print(
        f"{'cjm (Rust), 1 thread':<28} {1:>7} {one:9.3f} {fmt_rate(events, one):>12} "
        f"{'1.00':>11} {'':>12} " + (rss_cell(rust_rss) if rust_rss else "")
    )
    print(
        f"{'cjm (Rust), all threads':<28} {rust['threads']:>7} {every:9.3f} "
        f"{fmt_rate(events, every):>12} {'':>11} {'1.00':>12} "
        f"{'(same process)':>11}"
    )
    print(f"{'cjm (Rust), EventLog build':<28} {1:>7} {build:9.3f}")
    print(
        f"{'cjm (Rust), build + 1 thr':<28} {1:>7} {one + build:9.3f} "
        f"{fmt_rate(events, one + build):>12}"
    )
    owned = rust.get("build_owned_seconds")
    if owned is not None:
        print(f"{'cjm (Rust), build (owned)':<28} {1:>7} {owned:9.3f}")
        print(
            f"{'cjm (Rust), owned + all thr':<28} {rust['threads']:>7} {owned + every:9.3f} "
            f"{fmt_rate(events, owned + every):>12}"
        )
    working = rust.get("working_bytes_build_and_funnel")
    if working is not None:
        working_mb = working / 1e6
        print(
            f"cjm (Rust) working memory of one build + funnel from the columns: "
            f"{working_mb:.0f} MB = {working_mb / input_mb:.2f} x the input columns; "
            f"with the input itself {(working_mb + input_mb) / input_mb:.2f} x"
        )
    working_owned = rust.get("working_bytes_owned_build_and_funnel")
    if working_owned is not None:
        owned_mb = working_owned / 1e6
        print(
            f"cjm (Rust) the same with owned columns (time and event moved into the log): "
            f"{owned_mb:.0f} MB = {owned_mb / input_mb:.2f} x; with the input itself "
            f"{(owned_mb + input_mb) / input_mb:.2f} x"
        )
    cpu = rust.get("funnel_cpu_seconds_1_thread")
    if cpu is not None:
        print(
            f"cjm (Rust) 1-thread funnel CPU time {cpu:.3f} s "
            f"({fmt_rate(events, cpu)} events/s of CPU time)"
        )
    labels = {
        "duckdb_int": "DuckDB, integer ids",
        "duckdb_int_1thread": "DuckDB, integer ids, 1 thr",
        "duckdb_str": "DuckDB, string ids",
        "pandas": "pandas merge_asof",
        "cjm_py": "cjm (Python)",
    }
    for r in results:
        if "skipped" in r:
            print(f"{labels[r['peer']]:<28} {'skipped':>7}")
            continue
        s = r["seconds"]
        print(
            f"{labels[r['peer']]:<28} {r['threads']:>7} {s:9.3f} {fmt_rate(events, s):>12} "
            f"{s / one:11.1f} {s / every:12.1f} {rss_cell(r['peak_rss_mb'])} "
            f"{r['peak_rss_mb'] - r['rss_after_load_mb']:13.0f} {s / (one + build):17.1f}"
        )
    print()
    print(
        "ratios: peer seconds / cjm funnel seconds (1 thread, all threads), and / (EventLog "
        "build + 1-thread funnel), the end-to-end time from the same raw columns."
    )
    print(
        "peak RSS: Rust from /usr/bin/time -v (whole example process: generator columns, "
        "EventLog and funnel); Python peers from getrusage in a child process per peer "
        "(interpreter + numpy columns + the peer's own copies); 'above load' is that peak less "
        "the RSS right after loading the columns (the peer's own working memory, library "
        "imports included)."
    )
    (directory / "results.json").write_text(
        json.dumps({"rust": rust, "peers": results, "input_mb": input_mb}, indent=1)
    )
    if failed:
        print("FAIL: a peer's counts differ from cjm's")
        return 1
    print(f"all peers agree with cjm: {expected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
