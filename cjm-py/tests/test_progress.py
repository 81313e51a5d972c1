"""Parquet event files (through the core reader) and progress callbacks with cancellation."""

from __future__ import annotations

from pathlib import Path

import cjm
import pytest

pa = pytest.importorskip("pyarrow")

STEPS = ["view", "cart", "purchase"]


@pytest.fixture
def events_dir(repo: Path) -> Path:
    return repo / "tests" / "inputs" / "events"


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 000 rows (about 12 MB): several reports, one per 65 536 rows at most."""
    path = tmp_path_factory.mktemp("progress") / "big.csv"
    names = ("view", "cart", "purchase")
    lines = ["user_id,timestamp,event"]
    lines += [f"user-{i % 20_000},{1_700_000_000 + i},{names[i % 3]}" for i in range(400_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_parquet_file_gives_the_csv_funnel(events_dir: Path) -> None:
    want = cjm.funnel(events_dir / "basic.csv", STEPS, "7d", by="platform")
    assert want.to_dict()["total"]["users"] == 5
    for name in ("basic.parquet", "basic-epoch.parquet"):
        assert cjm.funnel(events_dir / name, STEPS, "7d", by="platform") == want, name
        assert cjm.funnel(str(events_dir / name), STEPS, "7d", by="platform") == want, name


def test_bad_parquet_files_raise_data_errors(events_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(events_dir / "wrong-type.parquet", STEPS)
    assert (caught.value.code, caught.value.column) == ("wrong_column_type", 2)
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(events_dir / "missing-column.parquet", STEPS)
    assert caught.value.code == "missing_column"
    data = (events_dir / "basic.parquet").read_bytes()
    for cut in (0, 100, len(data) // 2, len(data) - 3):
        path = tmp_path / f"cut-{cut}.parquet"
        path.write_bytes(data[:cut])
        with pytest.raises(cjm.DataError) as caught:
            cjm.funnel(path, STEPS)
        assert caught.value.code == "invalid_parquet", cut


def test_parquet_bad_rows_are_skipped_and_counted_as_in_the_cli(events_dir: Path) -> None:
    # null-user.parquet: the rows of basic.csv with one user id null (the CLI and Node read
    # it as one skipped row with skip_bad_rows, a missing_value error without).
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(events_dir / "null-user.parquet", STEPS)
    assert caught.value.code == "missing_value"
    assert caught.value.line is not None
    log = cjm._events.event_log(events_dir / "null-user.parquet", skip_bad_rows=True)
    assert log.skipped_rows == 1
    assert len(log) == 2


def test_integer_epoch_columns_follow_the_core_rule() -> None:
    table = pa.table(
        {
            "user_id": ["a", "a", "b"],
            "timestamp": [1_700_000_000, 1_700_000_060, -1],
            "event": ["view", "cart", "view"],
        }
    )
    # The first number picks the unit (seconds); a negative epoch is refused with its row.
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(table, STEPS)
    assert (caught.value.code, caught.value.line) == ("invalid_timestamp", 3)
    result = cjm.funnel(table.slice(0, 2), STEPS)
    steps = result.to_dict()["total"]["steps"]
    assert steps[1]["users"] == 1
    assert steps[1]["time_from_previous"]["median"] == 60.0
    # Milliseconds after seconds: one column holds one unit.
    mixed = table.slice(0, 2).set_column(
        1, "timestamp", pa.array([1_700_000_000, 1_700_000_060_000])
    )
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(mixed, STEPS)
    assert (caught.value.code, caught.value.line) == ("invalid_timestamp", 2)


def test_progress_is_monotonic_and_ends_at_the_total(big_csv: Path) -> None:
    seen: list[cjm.ProgressDict] = []
    result = cjm.funnel(big_csv, STEPS, progress=seen.append)
    assert result.to_dict()["total"]["users"] == 20_000
    size = big_csv.stat().st_size
    seen = [p for p in seen if p["phase"] == "read"]
    assert seen, "at least the final report"
    assert all(p["unit"] == "bytes" for p in seen)
    assert all(p["total"] == size for p in seen)
    done = [p["done"] for p in seen]
    assert done == sorted(done)
    assert done[-1] == size


def test_progress_of_parquet_and_tables_counts_rows(events_dir: Path) -> None:
    seen: list[cjm.ProgressDict] = []
    cjm.paths(events_dir / "basic.parquet", progress=seen.append)
    assert [(p["unit"], p["done"], p["total"]) for p in seen] == [("rows", 15, 15)]
    seen.clear()
    table = pa.table({"user_id": ["a"], "timestamp": [1_700_000_000], "event": ["view"]})
    cjm.funnel(table, ["view"], progress=seen.append)
    reports = [(p["phase"], p["done"], p["total"]) for p in seen]
    assert reports[0] == ("read", 1, 1)
    assert reports[-1] == ("funnel", 1, 1)
    assert {r[0] for r in reports} == {"read", "funnel"}


def test_returning_false_cancels(big_csv: Path) -> None:
    calls = 0

    def stop(_: cjm.ProgressDict) -> bool:
        nonlocal calls
        calls += 1
        return False

    with pytest.raises(cjm.UsageError) as caught:
        cjm.funnel(big_csv, STEPS, progress=stop)
    assert caught.value.code == "cancelled"
    assert calls == 1


def test_an_exception_in_the_callback_cancels_and_is_raised(
    big_csv: Path, events_dir: Path
) -> None:
    class Enough(Exception):
        pass

    def fail(_: cjm.ProgressDict) -> None:
        raise Enough("stop here")

    with pytest.raises(Enough, match="stop here"):
        cjm.funnel(big_csv, STEPS, progress=fail)
    with pytest.raises(Enough):
        cjm.loyalty(events_dir / "basic.parquet", progress=fail)
    with pytest.raises(TypeError):
        cjm.funnel(big_csv, STEPS, progress=3)  # type: ignore[arg-type]


def test_the_funnel_phase_reports_users_and_cancels(big_csv: Path) -> None:
    seen: list[cjm.ProgressDict] = []
    cjm.funnel(big_csv, STEPS, progress=seen.append)
    funnel = [p for p in seen if p["phase"] == "funnel"]
    assert funnel, [p["phase"] for p in seen]
    assert all(p["unit"] == "users" and p["total"] == 20_000 for p in funnel)
    done = [p["done"] for p in funnel]
    assert done == sorted(done)
    assert done[-1] == 20_000
    # Reading is over before the funnel starts.
    assert seen.index(funnel[0]) > 0
    assert seen[seen.index(funnel[0]) - 1]["phase"] == "read"

    def stop_in_funnel(p: cjm.ProgressDict) -> bool:
        return p["phase"] != "funnel"

    with pytest.raises(cjm.UsageError) as caught:
        cjm.funnel(big_csv, STEPS, progress=stop_in_funnel)
    assert caught.value.code == "cancelled"
