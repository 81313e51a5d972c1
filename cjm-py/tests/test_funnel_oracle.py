"""Funnels checked against independent engines on random event logs.

* Step counts against ClickHouse's own ``windowFunnel`` (in-process through chdb), in all four
  modes and several windows. ClickHouse reads the same CSV file cjm reads (it parses the ISO-8601
  timestamps itself) and gets ``SELECT DISTINCT`` rows: an exact duplicate row (same user, time
  and event) is one event in cjm.
* Time to convert of two-step funnels against DuckDB SQL (an ASOF JOIN): per user, the first
  step-2 event whose latest step-1 event at or before it (the same instant counts as before) is
  within the window; the time is the distance between the two.

The logs are small and seeded (``random.Random``), full of ties, repeats, restarts and exact
duplicate rows, with times in whole seconds or quarter seconds from 2024-05-01.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cjm
import pytest

chdb = pytest.importorskip("chdb")
duckdb = pytest.importorskip("duckdb")

BASE = datetime.datetime(2024, 5, 1, 9, 30, tzinfo=datetime.timezone.utc)
MODES = ("default", "strict_order", "strict_deduplication", "strict_increase")
#: (cjm's window, the same in milliseconds for ClickHouse). cjm refuses a zero window ("not a
#: positive duration"); on these logs (times on a 250 ms grid) 1 ms is the same as ClickHouse's
#: window 0: only same-instant steps chain.
WINDOWS = (("0.001s", 1), ("1s", 1_000), ("5s", 5_000), ("1m", 60_000), ("7d", 604_800_000))
STEP_NAMES = ("s1", "s2", "s3", "s4")
OTHER_NAMES = ("x", "y")
SEEDS = range(40)
#: ClickHouse reads the CSV file itself; the timestamp text becomes UInt64 milliseconds, the
#: type windowFunnel takes (it refuses DateTime64), so windows are in milliseconds too.
CH_EVENTS = (
    "SELECT DISTINCT user_id, "
    "toUInt64(toUnixTimestamp64Milli(parseDateTime64BestEffort(timestamp, 3, 'UTC'))) AS ts, "
    "event FROM file('{path}', CSVWithNames, "
    "'user_id String, timestamp String, event String')"
)


@dataclass(frozen=True)
class Log:
    """A random event log: rows of (user, milliseconds from BASE, event) and its funnel steps."""

    rows: list[tuple[str, int, str]]
    steps: list[str]
    duplicates: int
    #: How the timestamps are written: hours east of UTC, or None for UTC without an offset.
    zone: int | None = 0

    def write(self, path: Path) -> Path:
        """Writes the log as CSV, the timestamps as ISO-8601 text in the log's zone."""
        lines = ["user_id,timestamp,event"]
        offset_zone = datetime.timezone(datetime.timedelta(hours=self.zone or 0))
        for user, offset, event in self.rows:
            stamp = (BASE + datetime.timedelta(milliseconds=offset)).astimezone(offset_zone)
            text = stamp.isoformat(timespec="milliseconds")
            if self.zone is None:
                text = text.replace("+00:00", "")
            lines.append(f"{user},{text},{event}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def random_log(seed: int, *, duplicates: bool, steps: int | None = None) -> Log:
    """A log of 1–30 users whose events crowd into a few seconds (or a few minutes) so that
    ties, repeated steps, chains restarted by a new first step and exact duplicate rows are
    common; ``duplicates`` adds exact copies of some rows."""
    rng = random.Random(seed * 7919 + (1 if duplicates else 0))
    count = steps if steps is not None else rng.randint(2, 4)
    names = list(STEP_NAMES[:count])
    # Non-step events are rare in some logs and common in others (strict_order ends chains).
    others = list(OTHER_NAMES[: rng.randint(0, len(OTHER_NAMES))])
    vocabulary = names * rng.randint(1, 3) + others
    unit = rng.choice((1_000, 1_000, 250))  # whole seconds or quarter seconds
    span = rng.choice((4, 10, 30, 240))  # in units: 1 s to 4 min
    rows: list[tuple[str, int, str]] = []
    for user in range(rng.randint(1, 30)):
        name = f"u{user:02d}"
        clock = rng.randint(0, span)
        for _ in range(rng.randint(1, 12)):
            # Mostly forward in small steps (ties when 0), sometimes anywhere in the span.
            clock = rng.randint(0, span) if rng.random() < 0.2 else clock + rng.choice((0, 0, 1, 2))
            rows.append((name, clock * unit, rng.choice(vocabulary)))
    # Random rows collide now and then: without ``duplicates`` the log has no exact repeats.
    rows = list(dict.fromkeys(rows))
    copies = 0
    if duplicates:
        for _ in range(rng.randint(1, max(1, len(rows) // 3))):
            rows.append(rng.choice(rows))
            copies += 1
    rng.shuffle(rows)
    return Log(rows, names, copies, rng.choice((0, None, 3, -5)))


def step_users(result: cjm.FunnelResult) -> list[int]:
    return [step["users"] for step in result.total["steps"]]


@dataclass(frozen=True)
class Oracle:
    """A log written as CSV, with ClickHouse's answers for every mode and window."""

    log: Log
    path: Path
    #: Distinct users.
    users: int
    #: (mode, window in ms) → users whose windowFunnel level is ≥ k, for k = 1, 2, …
    reached: dict[tuple[str, int], list[int]]


def clickhouse_oracle(log: Log, path: Path) -> Oracle:
    """One query per log: windowFunnel per user for every mode and window, then the users at
    each level or above."""
    conditions = ", ".join(f"event = '{step}'" for step in log.steps)
    combinations = [(mode, window_ms) for mode in MODES for _, window_ms in WINDOWS]
    levels: list[str] = []
    reached: list[str] = []
    for index, (mode, window_ms) in enumerate(combinations):
        parameters = str(window_ms) if mode == "default" else f"{window_ms}, '{mode}'"
        levels.append(f"windowFunnel({parameters})(ts, {conditions}) AS level{index}")
        reached.extend(f"countIf(level{index} >= {k})" for k in range(1, len(log.steps) + 1))
    sql = (
        f"SELECT count(), {', '.join(reached)} FROM (SELECT user_id, {', '.join(levels)} "
        f"FROM ({CH_EVENTS.format(path=path)}) GROUP BY user_id)"
    )
    cells = [int(cell) for cell in chdb.query(sql, "CSV").data().strip().split(",")]
    users, counts = cells[0], cells[1:]
    width = len(log.steps)
    return Oracle(
        log,
        path,
        users,
        {
            combination: counts[index * width : (index + 1) * width]
            for index, combination in enumerate(combinations)
        },
    )


@pytest.fixture(scope="module")
def oracles(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, list[Oracle]]:
    """ClickHouse's answers for every seed, without and with duplicate rows (computed once)."""
    directory = tmp_path_factory.mktemp("funnel-oracle")
    return {
        duplicates: [
            clickhouse_oracle(log, log.write(directory / f"log-{seed}-{duplicates}.csv"))
            for seed in SEEDS
            for log in [random_log(seed, duplicates=duplicates)]
        ]
        for duplicates in (False, True)
    }


def test_clickhouse_reads_the_intended_events(tmp_path: Path) -> None:
    """The oracle's own plumbing: ClickHouse parses the timestamps (in every zone the logs are
    written in) to the intended milliseconds, and DISTINCT drops exactly the repeated rows."""
    base_ms = int(BASE.timestamp() * 1000)
    zones: set[int | None] = set()
    for seed in range(8):
        log = random_log(seed, duplicates=True)
        zones.add(log.zone)
        path = log.write(tmp_path / f"log-{seed}.csv")
        sql = f"SELECT user_id, ts, event FROM ({CH_EVENTS.format(path=path)}) ORDER BY ALL"
        got = [
            (user, int(ts) - base_ms, event)
            for user, ts, event in (
                [cell.strip('"') for cell in line.split(",")]
                for line in chdb.query(sql, "CSV").data().splitlines()
            )
        ]
        assert got == sorted(set(log.rows)), seed
        assert len(log.rows) > len(got), seed
    assert len(zones) >= 3, zones


#: Every mode on logs without and with exact duplicate rows (one event each, as in ClickHouse
#: after DISTINCT).
COUNT_CASES = [
    pytest.param(mode, duplicates, id=f"{mode}-{'dups' if duplicates else 'distinct'}")
    for mode in MODES
    for duplicates in (False, True)
]


@pytest.mark.parametrize(("mode", "duplicates"), COUNT_CASES)
def test_step_counts_equal_clickhouse_window_funnel(
    oracles: dict[bool, list[Oracle]], mode: str, duplicates: bool
) -> None:
    compared = 0
    mismatches: list[str] = []
    for seed, oracle in zip(SEEDS, oracles[duplicates]):
        assert (oracle.log.duplicates > 0) == duplicates
        for window, window_ms in WINDOWS:
            result = cjm.funnel(oracle.path, oracle.log.steps, window, mode)
            assert result.total["users"] == oracle.users, seed
            got, want = step_users(result), oracle.reached[mode, window_ms]
            compared += 1
            if got != want:
                mismatches.append(f"seed {seed} window {window}: cjm {got} ClickHouse {want}")
    assert compared == len(SEEDS) * len(WINDOWS)
    assert not mismatches, "\n".join(mismatches)


def test_the_same_log_as_a_dataframe_gives_the_same_funnel(tmp_path: Path) -> None:
    """cjm reads the log from a pandas DataFrame with datetime64 timestamps as from the CSV."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    for seed in range(0, 40, 4):
        log = random_log(seed, duplicates=True)
        path = log.write(tmp_path / f"log-{seed}.csv")
        frame = pd.DataFrame(log.rows, columns=["user_id", "offset", "event"])
        frame["timestamp"] = pd.Timestamp(BASE) + pd.to_timedelta(frame.pop("offset"), unit="ms")
        for mode in MODES:
            assert cjm.funnel(frame, log.steps, "5s", mode) == cjm.funnel(
                path, log.steps, "5s", mode
            )


# -------------------------------------------------------------------------------------------
# Time to convert (two steps, default mode) against DuckDB

TIMES_SQL = """
WITH events AS (
    SELECT DISTINCT user_id, epoch_ms(CAST("timestamp" AS TIMESTAMPTZ)) AS ts, event
    FROM read_csv($path, header = true,
                  columns = {'user_id': 'VARCHAR', 'timestamp': 'VARCHAR', 'event': 'VARCHAR'})
),
a AS (SELECT user_id, ts FROM events WHERE event = $a),
b AS (SELECT user_id, ts FROM events WHERE event = $b),
-- Each B with the latest A at or before it (the same instant counts as before).
pairs AS (
    SELECT b.user_id, b.ts AS b_ts, b.ts - a.ts AS took
    FROM b ASOF JOIN a ON b.user_id = a.user_id AND b.ts >= a.ts
),
windows AS (SELECT unnest($windows) AS window_ms),
-- Per window and user, the first B whose latest A is within the window.
converted AS (
    SELECT window_ms, user_id, arg_min(took, b_ts) AS took
    FROM pairs JOIN windows ON took <= window_ms
    GROUP BY window_ms, user_id
),
ranked AS (
    SELECT window_ms, took,
           row_number() OVER (PARTITION BY window_ms ORDER BY took) AS rank,
           count(*) OVER (PARTITION BY window_ms) AS n
    FROM converted
)
SELECT
    window_ms,
    count(*) AS users,
    avg(took) / 1000.0 AS mean,
    median(took) / 1000.0 AS median,
    -- Nearest rank: the ⌈0.9·n⌉-th smallest.
    max(took) FILTER (WHERE rank = ceil(0.9 * n)) / 1000.0 AS p90
FROM ranked
GROUP BY window_ms
"""


def duckdb_times(path: Path, a: str, b: str) -> dict[int, dict[str, Any]]:
    """Per window (ms): users converting from ``a`` to ``b`` and the mean, median and p90 of
    their times, in seconds; a window nobody converts within has no row (no users)."""
    empty: dict[str, Any] = {"users": 0, "mean": None, "median": None, "p90": None}
    stats = {window_ms: empty for _, window_ms in WINDOWS}
    connection = duckdb.connect()
    try:
        parameters = {
            "path": str(path),
            "a": a,
            "b": b,
            "windows": [window_ms for _, window_ms in WINDOWS],
        }
        rows = connection.execute(TIMES_SQL, parameters).fetchall()
    finally:
        connection.close()
    for window_ms, users, mean, median, p90 in rows:
        stats[int(window_ms)] = {"users": int(users), "mean": mean, "median": median, "p90": p90}
    return stats


def same_stats(got: Mapping[str, Any], want: Mapping[str, Any]) -> bool:
    """Equal users, and mean, median and p90 equal within 1e-9 s (or both absent)."""
    if got["users"] != want["users"]:
        return False
    for key in ("mean", "median", "p90"):
        mine, theirs = got.get(key), want[key]
        if (mine is None) != (theirs is None):
            return False
        if mine is not None and not math.isclose(mine, float(theirs), rel_tol=0, abs_tol=1e-9):
            return False
    return True


@pytest.mark.parametrize("duplicates", [False, True], ids=["distinct", "dups"])
def test_time_to_convert_equals_duckdb(tmp_path: Path, duplicates: bool) -> None:
    compared = converted = 0
    mismatches: list[str] = []
    for seed in SEEDS:
        log = random_log(seed, duplicates=duplicates, steps=2)
        path = log.write(tmp_path / f"log-{seed}.csv")
        a, b = log.steps
        oracle = duckdb_times(path, a, b)
        for window, window_ms in WINDOWS:
            want = oracle[window_ms]
            second = cjm.funnel(path, log.steps, window).total["steps"][1]
            compared += 1
            converted += want["users"]
            assert second["users"] == want["users"], (seed, window)
            times = {"from_previous": second["time_from_previous"]}
            times["from_start"] = second["time_from_start"]
            for which, got in times.items():
                if not same_stats(got, want):
                    mismatches.append(f"seed {seed} window {window} {which}: {got} vs {want}")
    assert compared == len(SEEDS) * len(WINDOWS)
    assert converted > 100, "the logs convert often enough to compare times"
    assert not mismatches, "\n".join(mismatches)
