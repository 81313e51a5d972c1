"""Retention against DuckDB SQL on random event logs.

The SQL is written from the definition in docs/events.md, independently of the Rust code: t0 is
a user's first start event; a return at t ≥ t0 falls in period ⌊(t − t0) / length⌋; a user
counts in period N when the log's last event is at or past the period's last millisecond
(t0 + (N + 1)·length − 1); cohorts are the UTC day, ISO week or month of t0.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path
from typing import Literal

import cjm
import pytest

duckdb = pytest.importorskip("duckdb")

BASE = datetime.datetime(2024, 4, 27, 6, 0, tzinfo=datetime.timezone.utc)
LENGTH_MS = {"day": 86_400_000, "week": 7 * 86_400_000, "month": 30 * 86_400_000}
COHORT_FORMAT = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m"}

SQL = """
WITH ev AS (
    SELECT user_id, epoch_ms(CAST("timestamp" AS TIMESTAMPTZ)) AS ts, event
    FROM read_csv($path, header = true,
                  columns = {'user_id': 'VARCHAR', 'timestamp': 'VARCHAR', 'event': 'VARCHAR'})
),
starts AS (SELECT user_id, min(ts) AS t0 FROM ev WHERE event = $start GROUP BY user_id),
last_event AS (SELECT max(ts) AS e FROM ev),
returns AS (
    SELECT s.user_id, (r.ts - s.t0) // $length AS p
    FROM starts s JOIN ev r ON r.user_id = s.user_id AND r.event = $ret AND r.ts >= s.t0
),
periods AS (SELECT unnest(range(0, $periods)) AS p),
cells AS (
    SELECT strftime(make_timestamp(s.t0 * 1000), $cohort_format) AS cohort, periods.p,
           s.t0 + (periods.p + 1) * $length - 1 <= last_event.e AS covered,
           EXISTS (SELECT 1 FROM returns r WHERE r.user_id = s.user_id AND
                   (CASE WHEN $unbounded THEN r.p >= periods.p ELSE r.p = periods.p END))
               AS kept
    FROM starts s, periods, last_event
)
SELECT cohort, p, count(*) FILTER (WHERE covered), count(*) FILTER (WHERE covered AND kept)
FROM cells GROUP BY GROUPING SETS ((cohort, p), (p)) ORDER BY cohort NULLS FIRST, p
"""


def random_log(seed: int, path: Path) -> None:
    rng = random.Random(seed)
    lines = ["user_id,timestamp,event"]
    span_hours = rng.choice((72, 400, 2000))
    for user in range(rng.randint(5, 60)):
        for _ in range(rng.randint(1, 15)):
            offset = datetime.timedelta(hours=rng.uniform(0, span_hours))
            stamp = (BASE + offset).isoformat(timespec="milliseconds")
            lines.append(f"u{user},{stamp},{rng.choice(('signup', 'visit', 'visit', 'buy'))}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("interval", ["day", "week", "month"])
@pytest.mark.parametrize("unbounded", [False, True])
def test_retention_equals_duckdb(
    tmp_path: Path, interval: Literal["day", "week", "month"], unbounded: bool
) -> None:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    compared = 0
    for seed in range(25):
        path = tmp_path / f"log-{seed}.csv"
        random_log(seed, path)
        for start, ret in (("signup", "visit"), ("visit", "visit"), ("signup", "buy")):
            periods = 6
            want = connection.execute(
                SQL,
                {
                    "path": str(path),
                    "start": start,
                    "ret": ret,
                    "length": LENGTH_MS[interval],
                    "periods": periods,
                    "cohort_format": COHORT_FORMAT[interval],
                    "unbounded": unbounded,
                },
            ).fetchall()
            result = cjm.retention(
                path, start, ret, interval=interval, periods=periods, unbounded=unbounded
            )
            got: list[tuple[str | None, int, int, int]] = [
                (None, c["period"], c["users"], c["retained"]) for c in result.overall
            ]
            for cohort in result.cohorts:
                got += [
                    (cohort["cohort"], c["period"], c["users"], c["retained"])
                    for c in cohort["periods"]
                ]
            assert sorted(got, key=lambda r: (r[0] or "", r[1])) == [
                (row[0], row[1], row[2], row[3]) for row in want
            ], (seed, start, ret)
            compared += 1
    assert compared == 75
