"""Writes the Parquet event logs of tests/inputs/events from basic.csv (same rows and order).

    .venv/bin/python cjm-py/scripts/make_parquet_inputs.py

- basic.parquet: snappy; user_id text, timestamp a Parquet timestamp (ms, UTC), event
  dictionary-encoded, platform text. Its funnel must equal basic.csv's.
- basic-epoch.parquet: zstd; user_id an integer (u1 -> 1), timestamp int64 epoch seconds, event
  plain text: the same funnel.
- wrong-type.parquet: timestamp stored as booleans (a column of the wrong type).
- missing-column.parquet: no event column.
- null-user.parquet: basic.parquet's first three rows, the third with a null user_id.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parents[2] / "tests" / "inputs" / "events"


def main() -> None:
    with open(HERE / "basic.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    times = [datetime.datetime.strptime(r["timestamp"], "%Y-%m-%dT%H:%M:%S%z") for r in rows]
    basic = pa.table(
        {
            "user_id": pa.array([r["user_id"] for r in rows], pa.string()),
            "timestamp": pa.array(times, pa.timestamp("ms", tz="UTC")),
            "event": pa.array([r["event"] for r in rows], pa.string()).dictionary_encode(),
            "platform": pa.array([r["platform"] for r in rows], pa.string()),
        }
    )
    pq.write_table(basic, HERE / "basic.parquet", compression="snappy")
    epoch = pa.table(
        {
            "user_id": pa.array([int(r["user_id"].lstrip("u")) for r in rows], pa.int64()),
            "timestamp": pa.array([int(t.timestamp()) for t in times], pa.int64()),
            "event": pa.array([r["event"] for r in rows], pa.string()),
            "platform": pa.array([r["platform"] for r in rows], pa.string()),
        }
    )
    pq.write_table(epoch, HERE / "basic-epoch.parquet", compression="zstd")
    wrong = pa.table(
        {
            "user_id": pa.array([r["user_id"] for r in rows], pa.string()),
            "timestamp": pa.array([True] * len(rows), pa.bool_()),
            "event": pa.array([r["event"] for r in rows], pa.string()),
        }
    )
    pq.write_table(wrong, HERE / "wrong-type.parquet", compression="snappy")
    pq.write_table(basic.drop_columns(["event"]), HERE / "missing-column.parquet")
    head = basic.slice(0, 3)
    users = pa.array(["u4", "u1", None], pa.string())
    pq.write_table(head.set_column(0, "user_id", users), HERE / "null-user.parquet")


if __name__ == "__main__":
    main()
