"""Hostile DataFrames and Arrow tables: every edge type ends in a typed cjm error with its code,
column and row (as the core's CSV and Parquet readers report them), never in an ArrowInvalid,
ArrowNotImplementedError or ValueError, and never in a silently wrapped or infinite number."""

from __future__ import annotations

from typing import Any

import cjm
import pytest

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

USERS = ["u1", "u2"]
TIMES = ["2024-05-01T10:00:00Z", "2024-05-02T10:00:00Z"]
EVENTS = ["view", "view"]


def frame(**columns: Any) -> Any:
    data: dict[str, Any] = {"user_id": USERS, "timestamp": TIMES, "event": EVENTS}
    data.update(columns)
    return pd.DataFrame(data)


def data_error(events: Any, **kwargs: Any) -> cjm.DataError:
    with pytest.raises(cjm.DataError) as caught:
        cjm.funnel(events, ["view"], **kwargs)
    error = caught.value
    assert error.kind == "data"
    return error


def where(error: cjm.DataError) -> tuple[str, int | None, int | None]:
    return (error.code, error.line, error.column)


def test_a_clean_frame_reads() -> None:
    assert cjm.funnel(frame(value=[1.5, None]), ["view"]).total["users"] == 2


@pytest.mark.parametrize("unit", ["s", "ms", "us"])
def test_far_future_datetime64_is_refused_not_wrapped(unit: str) -> None:
    # 2**61 seconds cast to milliseconds with safe=False used to wrap to some other year.
    far = {"s": 2**61, "ms": 2**62, "us": 2**62}[unit]
    times = np.array([1_714_557_600 * {"s": 1, "ms": 1000, "us": 10**6}[unit], far])
    error = data_error(frame(timestamp=times.astype(f"datetime64[{unit}]")))
    assert where(error) == ("invalid_timestamp", 2, 2)
    assert "1900-2200" in error.message


def test_datetime_before_1900_is_refused() -> None:
    times = pd.to_datetime(["2024-05-01", "1800-01-02"])
    error = data_error(frame(event=EVENTS, timestamp=times))
    assert where(error) == ("invalid_timestamp", 2, 2)


def test_iso_text_before_1900_and_after_2200_is_refused() -> None:
    for late in ["1899-12-31T23:59:59Z", "2201-01-01T00:00:00Z", "10000-01-01T00:00:00"]:
        error = data_error(frame(timestamp=[TIMES[0], late]))
        assert where(error) == ("invalid_timestamp", 2, 2), late


def test_arrow_timestamp_of_2_to_the_62_ms_is_refused() -> None:
    table = pa.table(
        {
            "user_id": USERS,
            "event": EVENTS,
            "timestamp": pa.array([1_714_557_600_000, 2**62], pa.timestamp("ms", tz="UTC")),
        }
    )
    assert where(data_error(table)) == ("invalid_timestamp", 2, 3)


def test_the_years_1900_and_2200_are_accepted() -> None:
    times = pd.to_datetime(["1900-01-01T00:00:00", "2200-12-31T23:59:59"])
    assert cjm.funnel(frame(timestamp=times), ["view"]).total["users"] == 2


@pytest.mark.parametrize("bad", [float("inf"), 1e300, -1e300])
def test_infinite_and_huge_float_timestamps(bad: float) -> None:
    error = data_error(frame(timestamp=[1_714_557_600.0, bad]))
    assert where(error) == ("invalid_timestamp", 2, 2)


def test_nan_timestamp_is_a_missing_value() -> None:
    # pandas holds NaN in a float column as null: a missing timestamp, as an empty CSV cell.
    error = data_error(frame(timestamp=[1_714_557_600.0, float("nan")]))
    assert where(error) == ("missing_value", 2, 2)


def test_uint64_max_user_id() -> None:
    users = np.array([1, 2**64 - 1], dtype=np.uint64)
    error = data_error(frame(user_id=users))
    assert where(error) == ("invalid_value", 2, 1)


def test_bytes_in_event_are_the_wrong_column_type() -> None:
    error = data_error(frame(event=[b"view", b"\xff"]))
    assert where(error) == ("wrong_column_type", None, 3)


def test_dicts_in_event_are_the_wrong_column_type() -> None:
    error = data_error(frame(event=[{"a": 1}, {"a": 2}]))
    assert where(error) == ("wrong_column_type", None, 3)


def test_a_dict_among_texts_names_its_row() -> None:
    error = data_error(frame(event=["view", {"a": 2}]))
    assert where(error) == ("invalid_value", 2, 3)


def test_text_in_value_that_is_no_number() -> None:
    error = data_error(frame(value=["1.5", "abc"]))
    assert where(error) == ("invalid_value", 2, 4)
    error = data_error(frame(value=[1.5, "abc"]))
    assert where(error) == ("invalid_value", 2, 4)


def test_numeric_text_in_value_is_read_and_blank_is_no_value() -> None:
    result = cjm.loyalty(frame(event=["buy", "buy"], value=["2.5", " "]), "buy")
    assert result.average_order_value == 2.5


@pytest.mark.parametrize("bad", [float("inf"), float("-inf")])
def test_infinite_value_is_refused_as_in_csv(bad: float) -> None:
    error = data_error(frame(value=[1.5, bad]))
    assert where(error) == ("invalid_value", 2, 4)


def test_text_inf_and_nan_in_value_are_refused_as_in_csv() -> None:
    for text in ["inf", "NaN"]:
        error = data_error(frame(value=["1", text]))
        assert where(error) == ("invalid_value", 2, 4), text


def test_nan_value_is_no_value() -> None:
    result = cjm.loyalty(frame(event=["buy", "buy"], value=[4.0, float("nan")]), "buy")
    assert result.average_order_value == 4.0


def test_duplicate_column_names_in_pandas() -> None:
    df = pd.DataFrame(
        [["u1", TIMES[0], "view", "u2"]], columns=["user_id", "timestamp", "event", "user_id"]
    )
    error = data_error(df)
    assert where(error) == ("duplicate_column", None, 4)


def test_duplicate_column_names_in_arrow_ignore_case_and_spaces() -> None:
    table = pa.table(
        [pa.array(USERS), pa.array(TIMES), pa.array(EVENTS), pa.array(["a", "b"])],
        names=["user_id", "timestamp", "event", " Event"],
    )
    assert where(data_error(table)) == ("duplicate_column", None, 4)


def test_duplicate_csv_header_is_refused_the_same_way(tmp_path: Any) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("user_id,timestamp,event,USER_ID\nu1,2024-05-01T10:00:00Z,view,u2\n")
    assert where(data_error(str(path))) == ("duplicate_column", 1, 4)
