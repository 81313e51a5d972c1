"""Event logs from files, DataFrames and Arrow tables, handed to the core.

Files go to the core's readers as bytes. Tables go through the Arrow C stream interface
(``__arrow_c_stream__``: pyarrow, polars, pandas, DuckDB, …) without copying, and the core's
Arrow reader (the one Parquet files go through) reads their columns: no row passes through Python
objects and every rule (column types, nulls, timestamps, time units) is the core's.
"""

from __future__ import annotations

import importlib
import os
import stat
from typing import Any, Callable, Literal, Optional, TypedDict, Union

from . import _cjm
from ._errors import DataError, ParseError, _excerpt, _io_error, _usage
from ._types import ColumnMapDict, TimeUnit

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
    columns: ColumnMapDict | None = None,
) -> _cjm.NativeEventLog:
    """The native log of ``events`` (a file path, a DataFrame or an Arrow table); reading
    reports to ``progress`` (bytes of CSV/NDJSON, rows of Parquet and tables). Epoch-number
    timestamps (integer or float columns, numbers in files) are read in ``time_unit`` (see
    :data:`TimeUnit`); ISO-8601 text and typed timestamps carry their own unit. ``columns``
    names the user, time, event and value columns when they are not ``user_id``,
    ``timestamp``, ``event`` and ``value`` (e.g. ``{"user": "distinct_id", "time": "ts"}``)."""
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
        return _cjm.read_event_log(
            _read_file(path), fmt, skip_bad_rows, progress, time_unit, columns
        )
    table = _arrow_stream(events)
    # pyarrow tables say how many rows they hold, polars DataFrames their height: progress
    # counts up to it (otherwise one report comes at the end).
    total = getattr(table, "num_rows", getattr(table, "height", None))
    total = total if isinstance(total, int) else None
    return _cjm.read_arrow(table, total, skip_bad_rows, progress, time_unit, columns)


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


def _arrow_stream(events: Any) -> Any:
    """Something with ``__arrow_c_stream__`` for ``events``. A pandas DataFrame is converted by
    pyarrow column by column, so that duplicate names reach the core (which refuses them as it
    does in files) and a column pyarrow cannot convert is reported with its first bad row."""
    if type(events).__module__.split(".", 1)[0] == "pandas":
        pa, _ = _pyarrow()
        names = [str(name) for name in events.columns]
        arrays = [_pandas_column(pa, events, index) for index in range(len(names))]
        return pa.Table.from_arrays(arrays, names=names)
    if hasattr(events, "__arrow_c_stream__"):
        return events
    raise TypeError(
        "events must be a DataFrame (pandas, polars), a pyarrow Table, anything exporting "
        "__arrow_c_stream__, or a path to a CSV, NDJSON or Parquet file, not "
        f"{type(events).__name__}"
    )


def _pandas_column(pa: Any, frame: Any, index: int) -> Any:
    """Column ``index`` of a pandas DataFrame as an Arrow array, or the typed error naming the
    first row that makes the conversion fail (found by halving; error path only)."""

    def convert(series: Any) -> Any:
        try:
            return pa.array(series, from_pandas=True)
        except (pa.ArrowException, ValueError, TypeError):
            return None

    series = frame.iloc[:, index]
    array = convert(series)
    if array is not None:
        return array
    good, bad = 0, len(series)
    while bad - good > 1:
        middle = (good + bad) // 2
        if convert(series.iloc[:middle]) is None:
            bad = middle
        else:
            good = middle
    cell = series.iloc[bad - 1]
    raise DataError(
        f"row {bad}, column {_excerpt(str(frame.columns[index]))!r}: "
        f"{type(cell).__name__} value {cell!r:.80} does not fit the column's other values",
        code="invalid_value",
        line=bad,
        column=index + 1,
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
