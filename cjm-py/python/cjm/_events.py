"""Event logs from DataFrames, Arrow tables and files, handed to the core column by column.

No row goes through Python objects: the columns are read through pyarrow (polars
``to_arrow()``, ``pa.Table.from_pandas``), ``event``, string ``user_id`` and segment columns are
dictionary-encoded, text timestamps become int64 milliseconds with Arrow compute kernels, epoch
numbers (integer or float) go to the core as they are (it applies the time unit and its checks),
and numpy views of the resulting arrays go to the native module. pyarrow is imported only for
tables.
"""

from __future__ import annotations

import importlib
import os
from typing import Any, Callable, Literal, Optional, TypedDict, Union

from . import _cjm
from ._errors import DataError, _usage
from ._types import TimeUnit

#: An event log: a pandas or polars DataFrame, a pyarrow Table, or a path to a CSV, NDJSON or
#: Parquet file with the columns ``user_id``, ``timestamp``, ``event``, optionally ``value``;
#: every other column is a segment (``platform``, ``persona``, …).
Events = Union[str, "os.PathLike[str]", Any]


class ProgressDict(TypedDict):
    """A progress report: ``done`` out of ``total`` (never decreasing, ending at ``total``)."""

    phase: Literal["read", "group", "funnel", "paths"]
    unit: Literal["bytes", "rows", "users"]
    done: int
    total: int


#: A progress callback: called with a :class:`ProgressDict` (at most about ten times a second,
#: and at the end of each phase); returning ``False`` cancels with a :class:`UsageError` coded
#: ``cancelled``, and an exception it raises cancels and is raised again.
ProgressCallback = Callable[[ProgressDict], Optional[bool]]

#: The names of :data:`TimeUnit`: ``auto`` (the default) takes the unit in which a column's
#: first epoch number lands between 1990-01-01 and 2100-01-01 and requires every later number to
#: land there in the same unit; ``s``, ``ms``, ``us`` and ``ns`` are read as they are.
_TIME_UNITS = ("auto", "s", "ms", "us", "ns")

_RESERVED = ("user_id", "timestamp", "event", "value")
_NDJSON = (".ndjson", ".jsonl")
_PARQUET = (".parquet", ".pq")


def _pyarrow() -> tuple[Any, Any]:
    try:
        pa = importlib.import_module("pyarrow")
        pc = importlib.import_module("pyarrow.compute")
    except ImportError as error:
        raise ImportError(
            "event logs given as DataFrames or tables need the 'pyarrow' package: "
            "pip install pyarrow"
        ) from error
    return pa, pc


def event_log(
    events: Events,
    *,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
    time_unit: TimeUnit = "auto",
) -> _cjm.NativeEventLog:
    """The native log of ``events`` (a file path, a DataFrame or an Arrow table); reading
    reports to ``progress`` (bytes of CSV/NDJSON, rows of Parquet and tables). Epoch-number
    timestamps (integer or float columns, numbers in files) are read in ``time_unit`` (see
    :data:`TimeUnit`); ISO-8601 text and typed timestamps carry their own unit."""
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable, not {type(progress).__name__}")
    if time_unit not in _TIME_UNITS:
        raise _usage(
            "invalid_option",
            f"unknown time unit {time_unit!r}; use 'auto', 's', 'ms', 'us' or 'ns'",
        )
    if isinstance(events, _cjm.NativeEventLog):
        return events
    if isinstance(events, (str, os.PathLike)):
        path = os.fspath(events)
        # Parquet goes through the core's reader like CSV and NDJSON, so bad rows, skipping and
        # timestamps follow the same rules as in the CLI and Node.
        lowered = path.lower()
        fmt = (
            "parquet"
            if lowered.endswith(_PARQUET)
            else "ndjson"
            if lowered.endswith(_NDJSON)
            else "csv"
        )
        with open(path, "rb") as file:
            data = file.read()
        return _cjm.read_event_log(data, fmt, skip_bad_rows, progress, time_unit)
    table = _to_arrow(events)
    _report(progress, table.num_rows, table.num_rows)
    return _from_table(table, time_unit)


def _report(progress: ProgressCallback | None, done: int, total: int) -> None:
    """Reports reading ``done`` rows out of ``total``."""
    if progress is None:
        return
    report: ProgressDict = {"phase": "read", "unit": "rows", "done": done, "total": total}
    if progress(report) is False:
        raise _usage("cancelled", "cancelled by the progress callback")


def _to_arrow(events: Any) -> Any:
    pa, _ = _pyarrow()
    if isinstance(events, pa.Table):
        return events
    module = type(events).__module__.split(".", 1)[0]
    if module == "polars" and hasattr(events, "to_arrow"):
        return events.to_arrow()
    if module == "pandas":
        return pa.Table.from_pandas(events, preserve_index=False)
    raise TypeError(
        "events must be a pandas or polars DataFrame, a pyarrow Table or a path to a CSV, "
        f"NDJSON or Parquet file, not {type(events).__name__}"
    )


def _first_null(pc: Any, column: Any) -> int:
    return int(pc.index(pc.is_null(column), True).as_py())


def _missing(name: str, row: int, column: int) -> DataError:
    return DataError(
        f"row {row + 1}: {name} is missing (null)",
        code="missing_value",
        line=row + 1,
        column=column + 1,
    )


def _encode(pa: Any, pc: Any, column: Any) -> tuple[Any, list[str]]:
    """Dictionary codes (numpy int32) and the values as text."""
    if not pa.types.is_dictionary(column.type):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            column = column.cast(pa.string())
        column = pc.dictionary_encode(column)
    names = column.dictionary.cast(pa.string()).to_pylist()
    codes = column.indices.cast(pa.int32()).to_numpy(zero_copy_only=False)
    return codes, names


_OFFSET = r"(Z|z|[+-]\d\d(:?\d\d)?)$"


def _parse_times(pa: Any, pc: Any, column: Any) -> Any:
    """ISO-8601 text as int64 ms; text without an offset is UTC (as the core reads it)."""
    column = pc.utf8_trim_whitespace(column)
    with_offset = pc.match_substring_regex(column, _OFFSET)
    aware = pc.if_else(with_offset, column, None).cast(pa.timestamp("ms", tz="UTC"))
    naive = pc.if_else(with_offset, None, column).cast(pa.timestamp("ms"))
    return pc.if_else(with_offset, aware.cast(pa.int64()), naive.cast(pa.int64()))


def _times_ms(pa: Any, pc: Any, column: Any, index: int) -> Any:
    """Typed timestamps, dates and ISO-8601 text as int64 ms (epoch numbers go to the core)."""
    kind = column.type
    if pa.types.is_timestamp(kind):
        return pc.cast(column, pa.timestamp("ms", kind.tz), safe=False).cast(pa.int64())
    if pa.types.is_date(kind):
        return column.cast(pa.timestamp("ms")).cast(pa.int64())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        try:
            return _parse_times(pa, pc, column)
        except pa.ArrowInvalid:
            pass
        # Find the first bad row by halving (only on this error path).
        low, high = 0, len(column)
        while high - low > 1:
            middle = (low + high) // 2
            try:
                _parse_times(pa, pc, column.slice(low, middle - low))
                low = middle
            except pa.ArrowInvalid:
                high = middle
        raise DataError(
            f"row {low + 1}: timestamp {column[low].as_py()!r} is not an ISO-8601 date-time",
            code="invalid_timestamp",
            line=low + 1,
            column=index + 1,
        )
    raise DataError(
        f"the timestamp column has type {kind}; use timestamps, dates, epoch numbers or "
        "ISO-8601 text",
        code="wrong_column_type",
        column=index + 1,
    )


def _from_table(table: Any, time_unit: TimeUnit) -> _cjm.NativeEventLog:
    pa, pc = _pyarrow()
    names = [str(n) for n in table.column_names]
    lowered = [n.strip().lower() for n in names]
    for need in ("user_id", "timestamp", "event"):
        if need not in lowered:
            raise DataError(
                f"the event log needs a {need!r} column (found: {', '.join(names)})",
                code="missing_column",
            )
    columns: dict[str, tuple[int, Any]] = {}
    for index, name in enumerate(names):
        chunked = table.column(index)
        # combine_chunks() copies even a single chunk; one chunk is used as it is.
        column = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
        if lowered[index] != "value" and column.null_count:
            raise _missing(name, _first_null(pc, column), index)
        columns[lowered[index] if lowered[index] in _RESERVED else name] = (index, column)

    users = columns["user_id"][1]
    user_names: list[str] | None = None
    if pa.types.is_integer(users.type):
        user_codes = users.cast(pa.int64()).to_numpy(zero_copy_only=False)
    else:
        codes, user_names = _encode(pa, pc, users)
        user_codes = codes.astype("int64")
    time_index, times = columns["timestamp"]
    if pa.types.is_dictionary(times.type):
        times = times.cast(times.type.value_type)
    # Epoch numbers, integer or float, go to the core as they are: it applies the time unit
    # (and auto's 1990-2100 check) while copying them, naming the column and row of a bad one.
    epoch_unit: str | None = None
    if pa.types.is_integer(times.type):
        epoch_unit = time_unit
        time_values = times.cast(pa.int64()).to_numpy(zero_copy_only=False)
    elif pa.types.is_floating(times.type):
        epoch_unit = time_unit
        time_values = times.cast(pa.float64()).to_numpy(zero_copy_only=False)
    else:
        time_values = _times_ms(pa, pc, times, time_index).to_numpy(zero_copy_only=False)
    event_codes, event_names = _encode(pa, pc, columns["event"][1])
    segments = [
        (name, *_encode(pa, pc, column))
        for name, (_, column) in columns.items()
        if name not in _RESERVED
    ]
    values = None
    if "value" in columns:
        value = columns["value"][1].cast(pa.float64())
        values = pc.fill_null(value, float("nan")).to_numpy(zero_copy_only=False)
    return _cjm.event_log_from_columns(
        user_codes,
        time_values,
        event_codes,
        event_names,
        user_names,
        segments,
        values,
        time_unit=epoch_unit,
        time_column=(names[time_index], time_index + 1),
    )


def window_text(window: Any) -> str:
    """A window as the core reads it: ``7d``, ``12h``, ``P7D`` or a ``timedelta``."""
    if isinstance(window, str):
        return window
    seconds = getattr(window, "total_seconds", None)
    if callable(seconds):
        # Milliseconds, the engine's resolution: int(seconds) would turn 1.5 s into 1 s.
        return f"{round(seconds() * 1000)}ms"
    raise _usage("invalid_option", f"window must be a duration like '7d', not {window!r}")
