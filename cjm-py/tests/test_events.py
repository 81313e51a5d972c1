"""Event analytics and rendering through the Python API: inputs, timestamp types, errors."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import cjm
import pytest

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

STEPS = ["view", "cart", "purchase"]


@pytest.fixture
def basic(repo: Path) -> Path:
    return repo / "tests" / "inputs" / "events" / "basic.csv"


def test_pandas_polars_arrow_and_file_give_the_same_funnel(basic: Path) -> None:
    want = cjm.funnel(basic, STEPS, "7d", by="platform")
    frame = pd.read_csv(basic)
    inputs: list[Any] = [
        frame,
        pl.read_csv(basic),
        pa.Table.from_pandas(frame),
        str(basic),
        frame.astype({"event": "category", "platform": "category"}),
    ]
    for events in inputs:
        assert cjm.funnel(events, STEPS, "7d", by="platform") == want, type(events)
    table = want.to_pandas()
    assert list(table["group"]) == ["(all)"] * 3 + ["app"] * 3 + ["web"] * 3
    assert want.to_polars().shape == (9, 10)
    assert table["users"].tolist()[:3] == [4, 3, 2]


def test_anything_exporting_an_arrow_stream_is_read(basic: Path) -> None:
    # A RecordBatchReader (a stream that can be read once) and a table split into many batches
    # go through the same Arrow C stream as DataFrames do.
    want = cjm.funnel(basic, STEPS, "7d", by="platform")
    table = pa.Table.from_pandas(pd.read_csv(basic))
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=3))
    assert cjm.funnel(reader, STEPS, "7d", by="platform") == want
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=2))
    assert chunked.column("user_id").num_chunks > 1
    assert cjm.funnel(chunked, STEPS, "7d", by="platform") == want

    class Stream:
        """Not a DataFrame of any library: only the Arrow PyCapsule protocol."""

        def __arrow_c_stream__(self, requested_schema: object = None) -> object:
            return table.__arrow_c_stream__(requested_schema)

    assert cjm.funnel(Stream(), STEPS, "7d", by="platform") == want


def test_skip_bad_rows_works_on_dataframes_as_on_files(basic: Path) -> None:
    frame = pd.read_csv(basic)
    bad = frame.copy()
    bad.loc[0, "timestamp"] = "not a time"
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(bad, STEPS, "7d")
    assert (caught.value.code, caught.value.line) == ("invalid_timestamp", 1)
    csv_path = basic.parent / "bad-first-row.csv"
    try:
        bad.to_csv(csv_path, index=False)
        from_file = cjm.funnel(csv_path, STEPS, "7d", skip_bad_rows=True)
    finally:
        csv_path.unlink()
    for events in (bad, pl.from_pandas(bad), pa.Table.from_pandas(bad)):
        assert cjm.funnel(events, STEPS, "7d", skip_bad_rows=True) == from_file, type(events)
        assert cjm._events.event_log(events, skip_bad_rows=True).skipped_rows == 1


def test_timestamp_types(basic: Path) -> None:
    frame = pd.read_csv(basic)
    want = cjm.funnel(frame, STEPS, "7d")
    stamps = pd.to_datetime(frame["timestamp"], utc=True)
    seconds = (stamps - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
    variants = {
        "datetime64[ns, UTC]": stamps,
        "datetime64 naive": stamps.dt.tz_localize(None),
        "datetime64[ms]": stamps.dt.tz_localize(None).astype("datetime64[ms]"),
        "epoch seconds": seconds,
        "epoch ms": seconds * 1000,
        "offset text": stamps.dt.tz_convert("Europe/Moscow").dt.strftime("%Y-%m-%d %H:%M:%S%z"),
        "naive text": stamps.dt.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    for name, column in variants.items():
        got = cjm.funnel(frame.assign(timestamp=column), STEPS, "7d")
        assert got == want, name
    python_datetimes = pl.DataFrame(
        {
            "user_id": ["a", "a"],
            "timestamp": [
                datetime.datetime(2024, 5, 1, 10, tzinfo=datetime.timezone.utc),
                datetime.datetime(2024, 5, 1, 11, tzinfo=datetime.timezone.utc),
            ],
            "event": ["view", "cart"],
        }
    )
    result = cjm.funnel(python_datetimes, ["view", "cart"], datetime.timedelta(hours=2))
    assert result.total["steps"][1]["users"] == 1
    assert result.total["steps"][1]["time_from_previous"]["median"] == 3600.0


def test_integer_user_ids_and_values(basic: Path) -> None:
    frame = pd.read_csv(basic)
    numbered = frame.assign(user_id=frame["user_id"].str[1:].astype("int64"))
    assert cjm.funnel(numbered, STEPS) == cjm.funnel(frame, STEPS)
    priced = frame.assign(value=[10.0 if e == "purchase" else None for e in frame["event"]])
    assert cjm.loyalty(priced).average_order_value == 10.0


def test_null_cells_are_data_errors_with_their_row(basic: Path) -> None:
    frame = pd.read_csv(basic)
    frame.loc[3, "user_id"] = None
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(frame, STEPS)
    assert caught.value.code == "missing_value"
    assert caught.value.line == 4
    assert caught.value.column == 1
    frame = pd.read_csv(basic)
    frame.loc[5, "timestamp"] = "not-a-time"
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(pl.from_pandas(frame), STEPS)
    assert (caught.value.code, caught.value.line) == ("invalid_timestamp", 6)
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(frame.drop(columns=["event"]), STEPS)
    assert caught.value.code == "missing_column"


def test_bad_arguments(basic: Path) -> None:
    with pytest.raises(cjm.UsageError):
        cjm.funnel(basic, STEPS, "soon")
    with pytest.raises(cjm.UsageError):
        cjm.funnel(basic, STEPS, mode="sideways")
    with pytest.raises(cjm.UsageError):
        cjm.compare_funnel(basic, STEPS)
    with pytest.raises(TypeError):
        cjm.funnel([1, 2, 3], STEPS)


def test_compare_paths_and_apply(repo: Path, basic: Path) -> None:
    comparison = cjm.compare_funnel(pd.read_csv(basic), STEPS, split=("platform", "web"))
    assert comparison.a_label == "platform = web"
    assert comparison.to_pandas()["step"].tolist() == ["cart", "purchase"]
    periods = cjm.compare_funnel(
        basic, STEPS, periods=("2024-05-01..2024-05-02", "2024-05-02..2024-05-12")
    )
    assert len(periods.steps) == 2
    paths = cjm.paths(basic, goal="purchase")
    assert paths.level == "event"
    assert set(paths.to_pandas().columns) >= {"from", "to", "share"}
    journey = cjm.load(repo / "examples" / "sports-nutrition" / "journey.yaml")
    events = pd.DataFrame(
        {
            "user_id": ["u1", "u1", "u1", "u2"],
            "timestamp": [
                "2026-09-01T10:00:00Z",
                "2026-09-01T10:05:00Z",
                "2026-09-01T10:20:00Z",
                "2026-09-02T10:00:00Z",
            ],
            "event": ["ad_click_social", "catalog_view", "checkout_start", "ad_click_search"],
        }
    )
    applied, report = cjm.apply_events(journey, events)
    assert (report.events, report.users) == (4, 2)
    assert journey.apply(events) == applied
    assert applied != journey
    assert cjm.paths(events, journey=journey).level == "touchpoint"


def test_rendering(repo: Path, tmp_path: Path) -> None:
    journey = cjm.load(repo / "examples" / "sports-nutrition" / "journey.yaml")
    svg = journey.render_svg()
    assert svg.startswith("<svg")
    assert svg == journey._repr_svg_()
    assert journey.render_svg(theme="dark", language="ru", lanes=["touchpoints"]) != svg
    with pytest.raises(cjm.UsageError):
        journey.render_svg(colour="red")
    with pytest.raises(cjm.UsageError):
        journey.render_svg(theme="sepia")
    to_be = cjm.load(repo / "examples" / "sports-nutrition" / "journey-to-be.yaml")
    report = journey.report(to_be=to_be, today="2026-11-27")
    assert "<html" in report.html.lower()
    assert report._repr_html_() == report.html
    assert report != journey.report(today="2026-11-27")
    report.save(tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text("utf-8") == report.html
    journey.save(tmp_path / "map.svg")
    assert (tmp_path / "map.svg").read_text("utf-8") == svg
    journey.save(tmp_path / "report.html")
    assert "<html" in (tmp_path / "report.html").read_text("utf-8").lower()
    journey.save(tmp_path / "j.yaml")
    assert cjm.load(tmp_path / "j.yaml") == journey
    curve = journey.emotion_curve()
    assert (curve._repr_svg_() or "").startswith("<svg")
    assert (journey.friction()._repr_svg_() or "").startswith("<svg")
    assert journey.friction({"emotion": 0.5})._repr_svg_() is None
    assert cjm.EmotionCurve(curve.to_dict())._repr_svg_() is None


def _step_users(result: Any) -> list[int]:
    return [int(step["users"]) for step in result.to_dict()["total"]["steps"]]


def test_microsecond_epoch_columns_integer_and_float(repo: Path) -> None:
    # GA4-like epoch microseconds (tests/cases/events/funnel-epoch-us.json works the counts out):
    # read as us, the 7d window is 7 real days; read as ms they would be dates around the year
    # 56 000, outside the years 1900-2200, and are refused naming row 1 (line 2 of the file).
    path = repo / "tests" / "inputs" / "events" / "epoch-us.csv"
    frame = pd.read_csv(path)
    assert str(frame["timestamp"].dtype) == "int64"
    floats = frame.astype({"timestamp": "float64"})
    for events in (path, frame, floats, pl.from_pandas(floats), pa.Table.from_pandas(frame)):
        assert _step_users(cjm.funnel(events, STEPS, "7d")) == [4, 3, 2], type(events)
        assert _step_users(cjm.funnel(events, STEPS, "7d", time_unit="us")) == [4, 3, 2]
        with pytest.raises(cjm.DataError) as caught:
            cjm.funnel(events, STEPS, "7d", time_unit="ms")
        row = 2 if isinstance(events, Path) else 1
        assert (caught.value.code, caught.value.line, caught.value.column) == (
            "invalid_timestamp",
            row,
            2,
        )
    # Integers and floats convert alike: 1714557600123456 us is ...123 ms in both.
    cart = cjm.funnel(floats, STEPS, "7d").total["steps"][1]["time_from_previous"]
    assert cart["median"] == 91800.531
    assert cjm.loyalty(floats, time_unit="us").to_dict() == cjm.loyalty(path).to_dict()


@pytest.mark.parametrize("dtype", ["int64", "float64"])
def test_epoch_numbers_outside_1990_to_2100_name_column_and_row(dtype: str) -> None:
    frame = pd.DataFrame(
        {
            "user_id": ["a", "a", "b"],
            "Timestamp": pd.Series([1_714_557_600, 1_714_557_660, 5], dtype=dtype),
            "event": ["view", "cart", "view"],
        }
    )
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(frame, STEPS)
    error = caught.value
    assert (error.code, error.kind, error.line, error.column) == ("invalid_timestamp", "data", 3, 2)
    assert "row 3" in str(error), str(error)
    assert '"Timestamp"' in str(error), str(error)
    assert "seconds" in str(error)
    # An explicit unit applies no 1990-2100 check: 5 s is 1970-01-01T00:00:05Z.
    result = cjm.funnel(frame, STEPS, time_unit="s")
    assert _step_users(result) == [2, 1, 0]
    assert result.total["steps"][1]["time_from_previous"]["median"] == 60.0
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(frame.iloc[2:], STEPS)
    assert "s 631152000..4102444800" in str(caught.value), str(caught.value)


def test_time_unit_names_are_checked(basic: Path) -> None:
    for events in (basic, pd.read_csv(basic)):
        with pytest.raises(cjm.UsageError) as caught:
            cjm.funnel(events, STEPS, time_unit="sec")  # type: ignore[arg-type]
        assert caught.value.code == "invalid_option"
    # ISO-8601 text carries its own unit: any time_unit reads it the same.
    assert cjm.funnel(basic, STEPS, time_unit="ns") == cjm.funnel(basic, STEPS)


def test_columns_map_renamed_fields_for_files_and_frames(repo: Path) -> None:
    path = repo / "tests" / "inputs" / "events" / "renamed-columns.csv"
    columns: cjm.ColumnMapDict = {
        "user": "anonymous_id",
        "event": "event_type",
        "time": "event_time",
        "value": "amount",
    }
    # The file, pandas (its empty user_id cells are NaN) and polars read alike: a1 converts,
    # a2 only views, a3's cart has no view before it.
    for events in (path, pd.read_csv(path), pl.read_csv(path)):
        result = cjm.funnel(events, ["view", "cart", "purchase"], columns=columns)
        assert _step_users(result) == [2, 1, 1]
    with pytest.raises(cjm.DataError) as missing:
        cjm.funnel(path, ["view"], columns={**columns, "user": "visitor_id"})
    assert missing.value.code == "missing_column"
    assert "visitor_id" in str(missing.value)
    with pytest.raises(cjm.UsageError) as unknown:
        cjm.funnel(path, ["view"], columns={"usr": "anonymous_id"})  # type: ignore[arg-type]
    assert unknown.value.code == "invalid_option"
    with pytest.raises(cjm.UsageError) as twice:
        cjm.funnel(path, ["view"], columns={**columns, "time": "anonymous_id"})
    assert twice.value.code == "invalid_option"
    assert "mapped to both" in str(twice.value)


def test_gzip_event_logs_read_as_the_plain_ones(repo: Path, tmp_path: Path) -> None:
    events = repo / "tests" / "inputs" / "events"
    assert cjm.funnel(events / "basic.csv.gz", STEPS) == cjm.funnel(events / "basic.csv", STEPS)
    # A bomb (300 MiB of one byte in about 300 KB) is refused at 256 MiB, not inflated whole.
    import gzip

    bomb = tmp_path / "bomb.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as out:
        chunk = b"a" * (1 << 20)
        for _ in range(300):
            out.write(chunk)
    with pytest.raises(cjm.ParseError) as caught:
        cjm.funnel(bomb, STEPS)
    assert caught.value.code == "input_too_large"


def test_error_messages_cut_a_huge_header_at_200_characters() -> None:
    huge = "h" * 1_000_000
    table = pa.table({"user_id": ["u"], huge: [1]})
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(table, ["a", "b"])
    assert caught.value.code == "missing_column"
    message = str(caught.value)
    assert len(message) < 400, len(message)
    assert "h" * 150 in message
    assert message.count("h") < 300
    assert "…" in message


@pytest.mark.parametrize("compression", ["snappy", "zstd", "none"])
@pytest.mark.parametrize("page_version", ["1.0", "2.0"])
@pytest.mark.parametrize("page_size", [64, 1 << 20])
def test_parquet_as_writers_make_it_reads_like_the_csv(
    tmp_path: Path, compression: str, page_version: str, page_size: int
) -> None:
    # The page and footer checks run before decoding refuse nothing a writer makes: pyarrow
    # with every codec cjm reads, both page versions, tiny pages (many per chunk), page index.
    pq = pytest.importorskip("pyarrow.parquet")
    csv = pytest.importorskip("pyarrow.csv")
    source = Path(__file__).resolve().parents[2] / "examples/sports-nutrition/events.csv"
    path = tmp_path / "events.parquet"
    pq.write_table(
        csv.read_csv(source),
        path,
        compression=compression,
        data_page_version=page_version,
        data_page_size=page_size,
        write_page_index=True,
    )
    steps = ["catalog_view", "product_view", "checkout_start", "order_placed"]
    expected = cjm.funnel(source, steps, "7d").to_dict()["total"]["steps"]
    got = cjm.funnel(path, steps, "7d").to_dict()["total"]["steps"]
    assert [s["users"] for s in got] == [s["users"] for s in expected]
    assert got[0]["users"] > 0
