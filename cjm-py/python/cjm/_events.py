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
import math
import os
import stat
from typing import Any, Callable, Literal, Optional, TypedDict, Union

from . import _cjm
from ._errors import DataError, ParseError, _excerpt, _io_error, _usage
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
        # The format from the extension by the core's rule (the CLI's); every format goes
        # through the core's reader, so bad rows, skipping and timestamps follow its rules.
        fmt = _cjm.event_format_of(path)
        return _cjm.read_event_log(_read_file(path), fmt, skip_bad_rows, progress, time_unit)
    table = _to_arrow(events)
    _report(progress, table.num_rows, table.num_rows)
    return _from_table(table, time_unit)


#: The most an event log is read from something that is not a regular file (a pipe, a FIFO, a
#: device such as ``/dev/zero``): 1 GiB, as in the CLI. Regular files are read whole.
_MAX_STREAM_BYTES = 1 << 30


def _read_file(path: str) -> bytes:
    """The bytes of an event file, or :class:`IoError` / ``input_too_large``."""
    try:
        with open(path, "rb") as file:
            regular = stat.S_ISREG(os.fstat(file.fileno()).st_mode)
            data = file.read() if regular else file.read(_MAX_STREAM_BYTES + 1)
    except OSError as error:
        raise _io_error(error, "read", path) from error
    if not regular and len(data) > _MAX_STREAM_BYTES:
        raise ParseError(
            f"{path!r} is not a regular file and goes on past the limit of "
            f"{_MAX_STREAM_BYTES} bytes; nothing past it was read",
            code="input_too_large",
        )
    return data


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
        _check_unique([str(name) for name in events.columns])
        try:
            return pa.Table.from_pandas(events, preserve_index=False)
        except (pa.ArrowException, ValueError, TypeError) as error:
            raise _pandas_error(pa, events) from error
    raise TypeError(
        "events must be a pandas or polars DataFrame, a pyarrow Table or a path to a CSV, "
        f"NDJSON or Parquet file, not {type(events).__name__}"
    )


def _check_unique(names: list[str]) -> None:
    """Two columns of one name (ignoring case and surrounding spaces) are refused, naming the
    second, as the core's readers do (``duplicate_column``)."""
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        key = name.strip().lower()
        if not key:
            continue  # blank names are no names, as in the core's readers
        if key in seen:
            raise DataError(
                f"columns {seen[key] + 1} and {index + 1} are both named "
                f"{_excerpt(name.strip())!r}; column names must be unique",
                code="duplicate_column",
                column=index + 1,
            )
        seen[key] = index


def _pandas_error(pa: Any, frame: Any) -> Exception:
    """The typed error for a DataFrame pyarrow cannot convert: the first column that fails on
    its own, and in it the first row that makes it fail (found by halving; error path only)."""

    def fails(series: Any) -> bool:
        try:
            pa.array(series, from_pandas=True)
        except (pa.ArrowException, ValueError, TypeError):
            return True
        return False

    for index in range(frame.shape[1]):
        series = frame.iloc[:, index]
        if not fails(series):
            continue
        good, bad = 0, len(series)
        while bad - good > 1:
            middle = (good + bad) // 2
            if fails(series.iloc[:middle]):
                bad = middle
            else:
                good = middle
        cell = series.iloc[bad - 1]
        return DataError(
            f"row {bad}, column {_excerpt(str(frame.columns[index]))!r}: "
            f"{type(cell).__name__} value {cell!r:.80} does not fit the column's other values",
            code="invalid_value",
            line=bad,
            column=index + 1,
        )
    return DataError("the DataFrame cannot be converted to Arrow", code="wrong_column_type")


def _wrong_type(name: str, kind: Any, index: int, expected: str) -> DataError:
    return DataError(
        f"column {_excerpt(name)!r} is of type {kind}; it should hold {expected}",
        code="wrong_column_type",
        column=index + 1,
    )


def _is_text_or_integer(pa: Any, kind: Any) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
        or pa.types.is_integer(kind)
    )


def _first_true(pc: Any, mask: Any) -> int:
    """The index of the first true of a boolean array (nulls are false), -1 for none."""
    return int(pc.index(pc.fill_null(mask, False), True).as_py())


def _values(pa: Any, pc: Any, column: Any, name: str, index: int) -> Any:
    """The ``value`` column as float64 (null = no value): numbers, or numeric text (blank =
    no value); text that is no number, or an infinity, is the data error ``invalid_value``
    naming the row (infinities are found by the native module)."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return pc.cast(column, pa.float64(), safe=False)
    if not (
        pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)
    ):
        raise _wrong_type(name, kind, index, "numbers")
    text = pc.utf8_trim_whitespace(column.cast(pa.string()))
    text = pc.if_else(pc.equal(text, ""), None, text)
    try:
        numbers = text.cast(pa.float64())
        # Text "nan" or "inf" is no finite number, as in CSV.
        bad = _first_true(pc, pc.invert(pc.is_finite(numbers)))
    except pa.ArrowInvalid:
        numbers = None
        cells = text.to_pylist()  # error path only: find the first cell that is no number
        bad = next((row for row, cell in enumerate(cells) if not _is_number(cell)), 0)
    if bad < 0:
        return numbers
    raise DataError(
        f"row {bad + 1}: value {_excerpt(str(text[bad].as_py()))!r} is not a finite number",
        code="invalid_value",
        line=bad + 1,
        column=index + 1,
    )


def _is_number(cell: str | None) -> bool:
    try:
        return cell is None or math.isfinite(float(cell))
    except ValueError:
        return False


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


def _times_ms(pa: Any, pc: Any, column: Any, index: int) -> tuple[Any, str]:
    """Typed timestamps as int64 in their own unit (the core converts them without overflow and
    checks the years 1900-2200), dates and ISO-8601 text as int64 ms; with the unit's name.
    Epoch numbers go to the core as they are."""
    kind = column.type
    if pa.types.is_timestamp(kind):
        # The integers as stored (UTC): no cast between units here, which could wrap.
        return column.cast(pa.int64()), str(kind.unit)
    return _text_or_date_ms(pa, pc, column, index), "ms"


def _text_or_date_ms(pa: Any, pc: Any, column: Any, index: int) -> Any:
    """Dates and ISO-8601 text as int64 ms."""
    kind = column.type
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
            f"row {low + 1}: timestamp {_excerpt(str(column[low].as_py()))!r} is not an "
            "ISO-8601 date-time",
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
    _check_unique(names)
    for need in ("user_id", "timestamp", "event"):
        if need not in lowered:
            raise DataError(
                f"the event log needs a {need!r} column (found: {_excerpt(', '.join(names))})",
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

    for name, (index, column) in columns.items():
        if name in ("user_id", "event") and not _is_text_or_integer(pa, column.type):
            raise _wrong_type(names[index], column.type, index, "text or integers")
        if name not in _RESERVED and not (
            _is_text_or_integer(pa, column.type)
            or pa.types.is_boolean(column.type)
            or pa.types.is_floating(column.type)
        ):
            raise _wrong_type(names[index], column.type, index, "text, numbers or booleans")
    user_index, users = columns["user_id"]
    user_names: list[str] | None = None
    if pa.types.is_integer(users.type):
        if pa.types.is_uint64(users.type):
            too_large = _first_true(pc, pc.greater(users, pa.scalar(2**63 - 1, pa.uint64())))
            if too_large >= 0:
                raise DataError(
                    f"row {too_large + 1}: user_id {users[too_large].as_py()} is not a 64-bit "
                    "integer",
                    code="invalid_value",
                    line=too_large + 1,
                    column=user_index + 1,
                )
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
    typed_unit: str | None = None
    if pa.types.is_integer(times.type):
        epoch_unit = time_unit
        time_values = times.cast(pa.int64()).to_numpy(zero_copy_only=False)
    elif pa.types.is_floating(times.type):
        epoch_unit = time_unit
        time_values = times.cast(pa.float64()).to_numpy(zero_copy_only=False)
    else:
        typed, typed_unit = _times_ms(pa, pc, times, time_index)
        time_values = typed.to_numpy(zero_copy_only=False)
    event_codes, event_names = _encode(pa, pc, columns["event"][1])
    segments = [
        (name, *_encode(pa, pc, column))
        for name, (_, column) in columns.items()
        if name not in _RESERVED
    ]
    values = None
    value_index: int | None = None
    if "value" in columns:
        value_index, value_column = columns["value"]
        value = _values(pa, pc, value_column, names[value_index], value_index)
        values = pc.fill_null(value, float("nan")).to_numpy(zero_copy_only=False)
        value_index += 1
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
        typed_unit=typed_unit,
        value_column=value_index,
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
