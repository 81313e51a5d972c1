"""Problems and exceptions. The native module raises these through :func:`_from_info`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from ._types import ErrorInfoDict, ErrorKind, LocationDict, ProblemDict, Severity

__all__ = [
    "CjmError",
    "DataError",
    "IoError",
    "ParseError",
    "Problem",
    "UsageError",
    "ValidationError",
]


@dataclass(frozen=True)
class Problem:
    """One finding of the validator: a stable ``code``, its ``severity``, a JSON pointer
    ``path`` to the offending value and a human ``message``.

    When a code has more problems than are listed (1000 by default), its list ends with a
    summary entry whose ``omitted`` is the number of the rest; ``count`` is how many
    problems an entry stands for (1, or ``omitted``)."""

    code: str
    severity: Severity
    path: str
    message: str
    omitted: int = 0

    @property
    def count(self) -> int:
        return self.omitted if self.omitted > 0 else 1

    @property
    def is_error(self) -> bool:
        """Errors make a journey invalid; warnings are advice."""
        return self.severity == "error"

    def to_dict(self) -> ProblemDict:
        data: ProblemDict = {
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
        }
        if self.omitted:
            data["omitted"] = self.omitted
        return data

    @classmethod
    def from_dict(cls, data: ProblemDict) -> Problem:
        return cls(
            data["code"], data["severity"], data["path"], data["message"], data.get("omitted", 0)
        )

    def __str__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return f"{self.severity} {self.code}{where}: {self.message}"


class CjmError(Exception):
    """Base of every error cjm raises.

    ``code`` is stable and machine-readable (see ``docs/errors.md``); ``kind`` is one of
    ``parse``, ``validation``, ``usage``, ``data``. ``path`` (a JSON pointer), ``line`` and
    ``column`` locate the problem when known; ``problems`` lists every problem of a
    :class:`ValidationError`.
    """

    kind: ErrorKind = "parse"

    def __init__(
        self,
        message: str,
        *,
        code: str,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        problems: tuple[Problem, ...] | list[Problem] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.path = path
        self.line = line
        self.column = column
        self.problems: list[Problem] = list(problems)

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_from_info, (self.to_dict(),))

    def to_dict(self) -> ErrorInfoDict:
        """The error as the plain data every cjm front exchanges (``ErrorInfo``)."""
        location: LocationDict = {}
        if self.path is not None:
            location["path"] = self.path
        if self.line is not None:
            location["line"] = self.line
        if self.column is not None:
            location["column"] = self.column
        info: ErrorInfoDict = {
            "kind": self.kind,
            "code": self.code,
            "message": self.message,
            "location": location,
        }
        if self.problems:
            info["problems"] = [p.to_dict() for p in self.problems]
        return info


class ParseError(CjmError, ValueError):
    """The input could not be read as a journey: syntax, types, encoding, size or depth."""

    kind: ErrorKind = "parse"


class ValidationError(CjmError, ValueError):
    """The journey was read but has errors; ``problems`` lists all of them (warnings too)."""

    kind: ErrorKind = "validation"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


class UsageError(CjmError, ValueError):
    """The call itself was wrong: unknown format, template, language or option."""

    kind: ErrorKind = "usage"


class DataError(CjmError, ValueError):
    """Event data could not be used."""

    kind: ErrorKind = "data"


class IoError(UsageError, OSError):
    """A file could not be read or written (code ``io``, kind ``usage``).

    Also an :class:`OSError` with ``errno``, ``strerror`` and ``filename`` set and, for the
    common causes, the matching built-in class as well (``FileNotFoundError``,
    ``PermissionError``, ``IsADirectoryError``, ``NotADirectoryError``), so code that catches
    those keeps working.
    """

    kind: ErrorKind = "usage"

    def __init__(
        self,
        message: str,
        *,
        code: str = "io",
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        problems: tuple[Problem, ...] | list[Problem] = (),
        errno: int | None = None,
        strerror: str | None = None,
        filename: str | None = None,
    ) -> None:
        super().__init__(message, code=code, path=path, line=line, column=column, problems=problems)
        self.errno = errno
        self.strerror = strerror
        self.filename = filename


class _FileNotFoundIoError(IoError, FileNotFoundError):
    pass


class _PermissionIoError(IoError, PermissionError):
    pass


class _IsADirectoryIoError(IoError, IsADirectoryError):
    pass


class _NotADirectoryIoError(IoError, NotADirectoryError):
    pass


_IO_CLASSES: tuple[tuple[type[OSError], type[IoError]], ...] = (
    (FileNotFoundError, _FileNotFoundIoError),
    (PermissionError, _PermissionIoError),
    (IsADirectoryError, _IsADirectoryIoError),
    (NotADirectoryError, _NotADirectoryIoError),
)


def _io_error(error: OSError, action: str, path: str) -> IoError:
    """The cjm error (code ``io``) for an ``OSError`` met while reading or writing ``path``."""
    cls = next((io for base, io in _IO_CLASSES if isinstance(error, base)), IoError)
    reason = error.strerror or str(error)
    return cls(
        f"cannot {action} {path!r}: {reason}",
        errno=error.errno,
        strerror=error.strerror,
        filename=path,
    )


_CLASSES: dict[str, type[CjmError]] = {
    "parse": ParseError,
    "validation": ValidationError,
    "usage": UsageError,
    "data": DataError,
}


def _from_info(info: ErrorInfoDict) -> CjmError:
    """Builds the exception for an ``ErrorInfo`` (called by the native module)."""
    location = info.get("location") or cast(LocationDict, {})
    cls = IoError if info["code"] == "io" else _CLASSES.get(info.get("kind", "parse"), CjmError)
    return cls(
        info["message"],
        code=info["code"],
        path=location.get("path"),
        line=location.get("line"),
        column=location.get("column"),
        problems=[Problem.from_dict(p) for p in info.get("problems", [])],
    )


#: How many characters of an input an error message quotes at most (as the core's ``excerpt``).
EXCERPT_CHARS = 200


def _excerpt(text: str) -> str:
    """``text`` as quoted in an error message: cut at :data:`EXCERPT_CHARS` characters with
    ``…``, so a huge header or value is never echoed whole."""
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def _usage(code: str, message: str) -> UsageError:
    return UsageError(message, code=code)
