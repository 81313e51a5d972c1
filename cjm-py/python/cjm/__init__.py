"""cjm: Customer Journey Maps as data.

Read, validate, convert and write journey maps (JSON, YAML, Mermaid ``journey``, CSV)::

    import cjm

    journey = cjm.load("journey.yaml")
    for problem in journey.validate():
        print(problem)
    print(journey.dumps("mermaid"))

Every rule lives in the Rust core (``cjm-core``); this package only converts types and maps
errors to :class:`CjmError` subclasses.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from typing import Any, Union, cast

from . import _cjm, _types
from ._errors import (
    CjmError,
    DataError,
    ParseError,
    Problem,
    UsageError,
    ValidationError,
    _usage,
)
from ._types import *  # noqa: F403  (every generated TypedDict and Literal alias)
from ._types import (
    EmotionScaleDict,
    EvidenceDict,
    Format,
    JourneyDict,
    JourneyState,
    MetricDict,
    OpportunityDict,
    PersonaDict,
    StageDict,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "FORMAT_VERSION",
    "TEMPLATE_LANGUAGES",
    "TEMPLATE_NAMES",
    "CjmError",
    "DataError",
    "Journey",
    "ParseError",
    "Problem",
    "UsageError",
    "ValidationError",
    "__version__",
    "api_schema",
    "convert",
    "load",
    "loads",
    "schema",
    "template",
    "validate",
]
__all__ += _types.__all__

__version__: str = _cjm.__version__

# Show the public classes as cjm.X in tracebacks and reprs (they live in private modules).
for _cls in (CjmError, ParseError, ValidationError, UsageError, DataError, Problem):
    _cls.__module__ = __name__
del _cls

#: Format names cjm reads and writes (aliases such as ``yml`` and ``mmd`` are accepted too).
FORMATS: tuple[Format, ...] = cast("tuple[Format, ...]", _cjm.FORMATS)
#: Built-in template names for :func:`template`.
TEMPLATE_NAMES: tuple[str, ...] = _cjm.TEMPLATE_NAMES
#: Languages the templates come in.
TEMPLATE_LANGUAGES: tuple[str, ...] = _cjm.TEMPLATE_LANGUAGES
#: Inputs larger than this many bytes are refused unless ``max_bytes`` says otherwise.
DEFAULT_MAX_BYTES: int = _cjm.DEFAULT_MAX_BYTES
#: The file-format version this library writes.
FORMAT_VERSION: int = _cjm.FORMAT_VERSION

StrPath = Union[str, "os.PathLike[str]"]
Today = Union[str, datetime.date, None]


class Journey:
    """A Customer Journey Map: personas walking through ordered stages of touchpoints.

    Immutable. Get one from :func:`load`, :func:`loads`, :func:`template` or
    :meth:`Journey.from_dict`; change one by editing :meth:`to_dict` and calling
    :meth:`from_dict` again.
    """

    __slots__ = ("_native",)
    __hash__ = None  # type: ignore[assignment]  # immutable, but equality is by value

    _native: _cjm.NativeJourney

    def __init__(self, data: Mapping[str, Any]) -> None:
        """Same as :meth:`Journey.from_dict`."""
        self._native = _cjm.from_dict(_plain(data))

    @classmethod
    def _wrap(cls, native: _cjm.NativeJourney) -> Journey:
        journey = cls.__new__(cls)
        journey._native = native
        return journey

    @classmethod
    def from_dict(cls, data: JourneyDict | Mapping[str, Any]) -> Journey:
        """A journey from plain data in the file format's shape (what :meth:`to_dict` returns).

        Raises :class:`ParseError` (``wrong_type`` with ``path`` set to a JSON pointer) when the
        data does not fit the model. Does not validate: call :meth:`validate` for that.
        """
        return cls._wrap(_cjm.from_dict(_plain(data)))

    def to_dict(self) -> JourneyDict:
        """The journey as plain data, exactly what its JSON file holds.

        Raises :class:`ValidationError` (``non_finite_number``) when a number is NaN or infinite,
        which JSON cannot carry.
        """
        return cast(JourneyDict, self._native.to_dict())

    def dumps(self, format: str = "json") -> str:
        """The journey written as ``json``, ``yaml``, ``mermaid`` or ``csv`` text.

        JSON and YAML are lossless; Mermaid and CSV keep what those formats can express.
        """
        return self._native.dumps(format)

    def save(self, path: StrPath, format: str | None = None) -> None:
        """Writes the journey to a file (UTF-8); the format comes from the extension unless
        given."""
        path = os.fspath(path)
        name = format if format is not None else _cjm.format_from_path(path)
        text = self._native.dumps(name)
        with open(path, "wb") as file:
            file.write(text.encode("utf-8"))

    def validate(self, *, today: Today = None, stale_after_days: int | None = 180) -> list[Problem]:
        """Every problem in the journey, errors and warnings, in document order. Raises nothing.

        ``today`` (a ``date`` or ``YYYY-MM-DD``) defaults to the current date and is what the
        ``updated`` date is judged against: a map older than ``stale_after_days`` gets a
        ``stale_map`` warning. ``stale_after_days=None`` skips that check.
        """
        day, days = _validate_options(today, stale_after_days)
        return [Problem.from_dict(p) for p in self._native.validate(day, days)]

    def check(self, *, today: Today = None, stale_after_days: int | None = 180) -> list[Problem]:
        """Like :meth:`validate`, but raises :class:`ValidationError` (with every problem in
        ``problems``) when there are errors. Returns the warnings otherwise."""
        day, days = _validate_options(today, stale_after_days)
        return [Problem.from_dict(p) for p in self._native.check(day, days)]

    # -- read-only views -----------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self._native.id

    @property
    def title(self) -> str:
        return self._native.title

    @property
    def description(self) -> str | None:
        return self._native.description

    @property
    def state(self) -> JourneyState:
        return cast(JourneyState, self._native.state)

    @property
    def owner(self) -> str | None:
        return self._native.owner

    @property
    def updated(self) -> str | None:
        return self._native.updated

    @property
    def format_version(self) -> int:
        return self._native.format_version

    @property
    def tags(self) -> list[str]:
        return self._native.tags

    @property
    def emotion_scale(self) -> EmotionScaleDict:
        default: EmotionScaleDict = {"min": -2.0, "max": 2.0}
        return self.to_dict().get("emotion_scale", default)

    @property
    def personas(self) -> list[PersonaDict]:
        return self.to_dict().get("personas", [])

    @property
    def stages(self) -> list[StageDict]:
        return self.to_dict().get("stages", [])

    @property
    def opportunities(self) -> list[OpportunityDict]:
        return self.to_dict().get("opportunities", [])

    @property
    def metrics(self) -> list[MetricDict]:
        return self.to_dict().get("metrics", [])

    @property
    def evidence(self) -> list[EvidenceDict]:
        return self.to_dict().get("evidence", [])

    # -- Python protocols -------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Journey):
            return NotImplemented
        return self._native == other._native

    def __repr__(self) -> str:
        stages, touchpoints, personas = self._native.counts()
        return (
            f"<cjm.Journey id={self.id!r} title={self.title!r} stages={stages} "
            f"touchpoints={touchpoints} personas={personas}>"
        )

    def __copy__(self) -> Journey:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Journey:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (loads, (self.dumps("json"), "json"))


def _plain(data: Mapping[str, Any]) -> Any:
    # The core reads dicts, lists and scalars; a top-level Mapping of another kind is copied.
    return data if isinstance(data, dict) or not isinstance(data, Mapping) else dict(data)


def _max_bytes(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_bytes must be an int or None, not {type(value).__name__}")
    if value < 0:
        raise _usage("invalid_option", f"max_bytes must not be negative, got {value}")
    return value


def _validate_options(today: Today, stale_after_days: int | None) -> tuple[str | None, int | None]:
    if stale_after_days is None:
        return None, None
    if isinstance(stale_after_days, bool) or not isinstance(stale_after_days, int):
        raise TypeError(
            f"stale_after_days must be an int or None, not {type(stale_after_days).__name__}"
        )
    if not 0 <= stale_after_days <= 0xFFFF_FFFF:
        raise _usage(
            "invalid_option",
            f"stale_after_days must be between 0 and 4294967295, got {stale_after_days}",
        )
    if today is None:
        day = datetime.date.today().isoformat()
    elif isinstance(today, datetime.datetime):
        day = today.date().isoformat()
    elif isinstance(today, datetime.date):
        day = today.isoformat()
    elif isinstance(today, str):
        day = today
    else:
        raise TypeError(
            f"today must be a date, a YYYY-MM-DD string or None, not {type(today).__name__}"
        )
    return day, stale_after_days


def _as_bytes(data: str | bytes | bytearray | memoryview) -> bytes:
    if isinstance(data, str):
        # "surrogatepass" lets the core report a lone surrogate as invalid_utf8 with its position.
        return data.encode("utf-8", "surrogatepass")
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"data must be str or bytes, not {type(data).__name__}")


def loads(
    data: str | bytes | bytearray | memoryview,
    format: str = "json",
    *,
    max_bytes: int | None = None,
) -> Journey:
    """Reads a journey from text or UTF-8 bytes in ``format`` (``json``, ``yaml``, ``mermaid``,
    ``csv``; aliases ``yml``, ``mmd``).

    Inputs over ``max_bytes`` (default :data:`DEFAULT_MAX_BYTES`) are refused with
    ``input_too_large`` before parsing. Raises :class:`ParseError` with ``code``, ``line``,
    ``column`` and ``path`` where known. Does not validate.
    """
    return Journey._wrap(_cjm.loads(_as_bytes(data), format, _max_bytes(max_bytes)))


def load(path: StrPath, format: str | None = None, *, max_bytes: int | None = None) -> Journey:
    """Reads a journey file; the format comes from the extension (``.json``, ``.yaml``/``.yml``,
    ``.mmd``, ``.csv``) unless given. See :func:`loads`."""
    path = os.fspath(path)
    name = format if format is not None else _cjm.format_from_path(path)
    limit = _max_bytes(max_bytes)
    with open(path, "rb") as file:
        # Read one byte past the limit at most: the core then refuses the input as too large
        # without a huge file ever being read whole.
        data = file.read((DEFAULT_MAX_BYTES if limit is None else limit) + 1)
    return Journey._wrap(_cjm.loads(data, name, limit))


def validate(
    journey: Journey | JourneyDict | Mapping[str, Any],
    *,
    today: Today = None,
    stale_after_days: int | None = 180,
) -> list[Problem]:
    """Every problem in a journey (or journey data); see :meth:`Journey.validate`."""
    if not isinstance(journey, Journey):
        journey = Journey.from_dict(journey)
    return journey.validate(today=today, stale_after_days=stale_after_days)


def convert(
    data: str | bytes | bytearray | memoryview,
    from_format: str,
    to_format: str,
    *,
    max_bytes: int | None = None,
) -> str:
    """Reads ``data`` as ``from_format`` and writes it as ``to_format``."""
    return _cjm.convert(_as_bytes(data), from_format, to_format, _max_bytes(max_bytes))


def template(name: str = "classic", lang: str = "en") -> Journey:
    """A new journey from a template: ``classic`` (awareness → loyalty) or ``ecommerce``
    (need → repeat purchase), in ``en`` or ``ru``."""
    return Journey._wrap(_cjm.template(name, lang))


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the journey file format."""
    return _cjm.schema()


def api_schema() -> dict[str, Any]:
    """The JSON Schema of the other values cjm exchanges: problems, errors, options."""
    return _cjm.api_schema()
