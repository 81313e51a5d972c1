"""Funnels with property-filtered steps against ClickHouse's ``windowFunnel`` (through chdb).

Each random log has two property columns, ``platform`` (text) and ``amount`` (numbers, now and
then a word). Each random funnel mixes plain steps, any-of steps (``a|b``), filters of every
operator (``=``, ``!=``, ``~``, ``>``, ``>=``, ``<``, ``<=``, several per step) and steps that
overlap (``s1`` and ``s1[platform=web]``: one row satisfies both conditions, as a row may satisfy
several ``windowFunnel`` conditions). Each step text is translated by hand into the ClickHouse
condition it means, and the users at each level must be equal in all four modes.
"""

from __future__ import annotations

import datetime
import random
import warnings
from pathlib import Path

import cjm
import pytest

chdb = pytest.importorskip("chdb")

BASE = datetime.datetime(2024, 5, 1, 9, 30, tzinfo=datetime.timezone.utc)
MODES = ("default", "strict_order", "strict_deduplication", "strict_increase")
EVENTS = ("s1", "s2", "s3", "x")
PLATFORMS = ("web", "app", "mobile-web", "tv")
AMOUNTS = ("1", "2.5", "5", "10", "-3", "many")


def sql_text(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def random_step(rng: random.Random) -> tuple[str, str]:
    """A step text and its ClickHouse condition."""
    alternatives: list[tuple[str, str]] = []
    for event in rng.sample(EVENTS[:3], rng.choice((1, 1, 1, 2))):
        text, conditions = event, [f"event = {sql_text(event)}"]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            key = rng.choice(("platform", "amount"))
            if key == "platform":
                op = rng.choice(("=", "!=", "~"))
                value = rng.choice(PLATFORMS) if op != "~" else rng.choice(("^m", "web$", "a"))
                condition = {
                    "=": f"platform = {sql_text(value)}",
                    "!=": f"platform != {sql_text(value)}",
                    "~": f"match(platform, {sql_text(value)})",
                }[op]
            else:
                op = rng.choice((">", ">=", "<", "<="))
                value = rng.choice(("2.5", "5", "0"))
                condition = f"ifNull(toFloat64OrNull(amount) {op} {value}, 0)"
            text += f"[{key}{op}{value}]"
            conditions.append(condition)
        alternatives.append((text, "(" + " AND ".join(conditions) + ")"))
    return "|".join(t for t, _ in alternatives), "(" + " OR ".join(c for _, c in alternatives) + ")"


def random_case(seed: int, path: Path) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    rows: dict[tuple[str, int, str], tuple[str, str]] = {}
    for number in range(rng.randint(5, 40)):
        clock = rng.randint(0, 20)
        for _ in range(rng.randint(1, 12)):
            clock = rng.randint(0, 20) if rng.random() < 0.2 else clock + rng.choice((0, 1, 2))
            # One row per (user, time, event): a repeated row is one event in cjm, and
            # DISTINCT in ClickHouse would keep rows that differ only in their properties.
            rows[(f"u{number:02d}", clock * 1000, rng.choice(EVENTS))] = (
                rng.choice(PLATFORMS),
                rng.choice(AMOUNTS),
            )
    lines = ["user_id,timestamp,event,platform,amount"]
    for (user, offset, event), (platform, amount) in rows.items():
        stamp = (BASE + datetime.timedelta(milliseconds=offset)).isoformat()
        lines.append(f"{user},{stamp},{event},{platform},{amount}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    steps: list[str] = []
    conditions: list[str] = []
    if rng.random() < 0.5:
        # An overlapping pair: a plain step and the same event filtered.
        steps += ["s1", "s1[platform=web]"]
        conditions += ["(event = 's1')", "(event = 's1' AND platform = 'web')"]
    wanted = rng.randint(2, 4)
    while len(steps) < wanted:
        text, condition = random_step(rng)
        if text not in steps:
            steps.append(text)
            conditions.append(condition)
    return steps, conditions


def clickhouse_levels(path: Path, conditions: list[str], mode: str, window_ms: int) -> list[int]:
    parameters = str(window_ms) if mode == "default" else f"{window_ms}, '{mode}'"
    reached = ", ".join(f"countIf(level >= {k})" for k in range(1, len(conditions) + 1))
    sql = (
        f"SELECT {reached} FROM (SELECT user_id, windowFunnel({parameters})(ts, "
        f"{', '.join(conditions)}) AS level FROM (SELECT user_id, "
        "toUInt64(toUnixTimestamp64Milli(parseDateTime64BestEffort(timestamp, 3, 'UTC'))) AS ts, "
        f"event, platform, amount FROM file('{path}', CSVWithNames, 'user_id String, "
        "timestamp String, event String, platform String, amount String')) GROUP BY user_id)"
    )
    return [int(cell) for cell in chdb.query(sql, "CSV").data().strip().split(",")]


@pytest.mark.parametrize("mode", MODES)
def test_filtered_steps_equal_clickhouse_window_funnel(tmp_path: Path, mode: str) -> None:
    mismatches: list[str] = []
    filtered = 0
    for seed in range(60):
        path = tmp_path / f"log-{seed}.csv"
        steps, conditions = random_case(seed, path)
        filtered += any("[" in step for step in steps)
        for window, window_ms in (("2s", 2_000), ("10s", 10_000), ("1d", 86_400_000)):
            with warnings.catch_warnings():
                # A step no row passes is warned about; its 0 is still compared.
                warnings.simplefilter("ignore")
                result = cjm.funnel(path, steps, window, mode)
            got = [step["users"] for step in result.total["steps"]]
            want = clickhouse_levels(path, conditions, mode, window_ms)
            if got != want:
                mismatches.append(f"seed {seed} {window} {steps}: cjm {got} ClickHouse {want}")
    assert filtered >= 40, filtered
    assert not mismatches, "\n".join(mismatches)
