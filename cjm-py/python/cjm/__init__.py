"""cjm: Customer Journey Maps as data.

Read, validate, convert and write journey maps (JSON, YAML, Mermaid ``journey``, CSV), and score
them (emotion curves, friction, gaps, the improvement plan, health, NPS/CSAT/CES)::

    import cjm

    journey = cjm.load("journey.yaml")
    for problem in journey.validate():
        print(problem)
    print(journey.dumps("mermaid"))
    print(journey.friction().to_pandas())

Every rule lives in the Rust core (``cjm-core``); this package only converts types and maps
errors to :class:`CjmError` subclasses.
"""

from __future__ import annotations

import datetime
import math
import numbers
import os
import warnings
from collections.abc import Iterable, Mapping
from typing import Any, Literal, Optional, Union, cast, overload

from . import _cjm, _types, examples
from ._errors import (
    CjmError,
    DataError,
    IoError,
    ParseError,
    Problem,
    UsageError,
    ValidationError,
    _io_error,
    _usage,
)
from ._events import Events, ProgressCallback, ProgressDict, event_log, window_text
from ._results import (
    ApplyReport,
    CesResult,
    Comparison,
    CsatResult,
    EmotionCurve,
    FrictionReport,
    FunnelComparison,
    FunnelResult,
    GapReport,
    Health,
    LoyaltyResult,
    NpsResult,
    PathsResult,
    Plan,
    Report,
    RetentionResult,
    ScoreReport,
)
from ._types import *  # noqa: F403  (every generated TypedDict and Literal alias)
from ._types import (
    ColumnMapDict,
    EmotionScaleDict,
    EvidenceDict,
    Format,
    FrictionWeightsDict,
    FunnelMode,
    JourneyDict,
    JourneyState,
    MetricDict,
    OpportunityDict,
    PersonaDict,
    StageDict,
    TimeUnit,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_OUTPUT_BYTES",
    "FORMATS",
    "FORMAT_VERSION",
    "TEMPLATE_LANGUAGES",
    "TEMPLATE_NAMES",
    "ApplyReport",
    "CesResult",
    "CjmError",
    "Comparison",
    "CsatResult",
    "DataError",
    "EmotionCurve",
    "FrictionReport",
    "FunnelComparison",
    "FunnelResult",
    "GapReport",
    "Health",
    "IoError",
    "Journey",
    "LoyaltyResult",
    "NpsResult",
    "ParseError",
    "PathsResult",
    "Plan",
    "Problem",
    "ProgressCallback",
    "ProgressDict",
    "Report",
    "RetentionResult",
    "ScoreReport",
    "UsageError",
    "ValidationError",
    "__version__",
    "api_schema",
    "apply_events",
    "ces",
    "compare_funnel",
    "convert",
    "csat",
    "examples",
    "funnel",
    "gaps",
    "load",
    "loads",
    "loyalty",
    "nps",
    "paths",
    "retention",
    "schema",
    "template",
    "two_proportions",
    "validate",
]
__all__ += _types.__all__

__version__: str = _cjm.__version__

# Show the public classes as cjm.X in tracebacks and reprs (they live in private modules).
for _cls in (CjmError, ParseError, ValidationError, UsageError, DataError, IoError, Problem):
    _cls.__module__ = __name__
for _result in (
    EmotionCurve,
    FrictionReport,
    GapReport,
    Comparison,
    Plan,
    Health,
    ScoreReport,
    NpsResult,
    CsatResult,
    CesResult,
    FunnelResult,
    FunnelComparison,
    PathsResult,
    LoyaltyResult,
    RetentionResult,
    ApplyReport,
    Report,
):
    _result.__module__ = __name__
del _cls, _result

#: Format names cjm reads and writes (aliases such as ``yml`` and ``mmd`` are accepted too).
FORMATS: tuple[Format, ...] = cast("tuple[Format, ...]", _cjm.FORMATS)
#: Built-in template names for :func:`template`.
TEMPLATE_NAMES: tuple[str, ...] = _cjm.TEMPLATE_NAMES
#: Languages the templates come in.
TEMPLATE_LANGUAGES: tuple[str, ...] = _cjm.TEMPLATE_LANGUAGES
#: Inputs larger than this many bytes are refused unless ``max_bytes`` says otherwise.
DEFAULT_MAX_BYTES: int = _cjm.DEFAULT_MAX_BYTES
#: The default output budget of rendering (``max_output_bytes``): 64 MiB.
DEFAULT_MAX_OUTPUT_BYTES: int = _cjm.DEFAULT_MAX_OUTPUT_BYTES
#: The file-format version this library writes.
FORMAT_VERSION: int = _cjm.FORMAT_VERSION

StrPath = Union[str, "os.PathLike[str]"]
Today = Union[str, datetime.date, None]
#: Friction weights by component (``emotion``, ``pain``, ``drop_off``, ``effort``, ``time``,
#: ``support``, ``backtracking``, ``errors``); omitted components keep their defaults.
Weights = Union[FrictionWeightsDict, Mapping[str, float], None]
#: Survey answers: any iterable of numbers (list, tuple, numpy array, pandas or polars Series).
Responses = Iterable[Optional[float]]


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

        Raises :class:`ParseError` (``non_finite_number``) when a number is NaN or infinite,
        which JSON cannot carry.
        """
        return cast(JourneyDict, self._native.to_dict())

    def dumps(self, format: str = "json") -> str:
        """The journey written as ``json``, ``yaml``, ``mermaid`` or ``csv`` text.

        JSON and YAML are lossless; Mermaid and CSV keep what those formats can express, and a
        ``UserWarning`` lists what they drop (:meth:`conversion_losses`).
        """
        text = self._native.dumps(format)
        self._warn_losses(format)
        return text

    def conversion_losses(self, format: str) -> list[str]:
        """What writing the journey as ``format`` drops (empty for ``json`` and ``yaml``),
        e.g. ``["3 pain points", "to-be state"]`` for Mermaid."""
        return list(self._native.conversion_losses(format))

    def _warn_losses(self, format: str) -> None:
        losses = self._native.conversion_losses(format)
        if losses:
            # stacklevel 3: the warning points at the caller of dumps/save, not at cjm.
            warnings.warn(
                f"{format} cannot carry everything in this journey; dropped: {'; '.join(losses)}",
                UserWarning,
                stacklevel=3,
            )

    def save(self, path: StrPath, format: str | None = None) -> None:
        """Writes the journey to a file (UTF-8); the format comes from the extension unless
        given: ``.svg`` the map (:meth:`render_svg`), ``.html``/``.htm`` the report
        (:meth:`report`), otherwise a journey format (``.json``, ``.yaml``, ``.mmd``, ``.csv``).
        """
        path = os.fspath(path)
        kind = (format or os.path.splitext(path)[1].lstrip(".")).lower()
        if kind == "svg":
            text = self.render_svg()
        elif kind in ("html", "htm"):
            text = self.report().html
        else:
            name = format if format is not None else _cjm.format_from_path(path)
            text = self._native.dumps(name)
            self._warn_losses(name)
        try:
            with open(path, "wb") as file:
                file.write(text.encode("utf-8"))
        except OSError as error:
            raise _io_error(error, "write", path) from error

    def validate(
        self, *, today: Today = None, stale_after_days: int | None = _cjm.DEFAULT_STALE_AFTER_DAYS
    ) -> list[Problem]:
        """Every problem in the journey, errors and warnings, in document order. Raises nothing.

        ``today`` (a ``date`` or ``YYYY-MM-DD``) defaults to the current date and is what the
        ``updated`` date is judged against: a map older than ``stale_after_days`` gets a
        ``stale_map`` warning. ``stale_after_days=None`` skips that check.
        """
        day, days = _validate_options(today, stale_after_days)
        return [Problem.from_dict(p) for p in self._native.validate(day, days)]

    def check(
        self, *, today: Today = None, stale_after_days: int | None = _cjm.DEFAULT_STALE_AFTER_DAYS
    ) -> list[Problem]:
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

    # -- scoring and gap analysis (definitions: docs/scoring.md) ---------------------------------

    def emotion_curve(self, persona: str | None = None) -> EmotionCurve:
        """How ``persona`` (or everyone, when None) feels along the journey, normalised to
        −1..+1, with its statistics. Raises :class:`UsageError` (``unknown_persona``) for a
        persona the journey does not define."""
        if persona is not None and not isinstance(persona, str):
            raise TypeError(f"persona must be a str or None, not {type(persona).__name__}")
        return EmotionCurve(self._native.emotion_curve(persona), self._native)

    def emotion_curves(self) -> list[EmotionCurve]:
        """Everyone's curve first, then one per persona."""
        return [EmotionCurve(curve, self._native) for curve in self._native.emotion_curves()]

    def friction(self, weights: Weights = None) -> FrictionReport:
        """The friction index (0–100) of every touchpoint, stage and the journey, explained
        component by component. ``weights`` overrides some or all default weights; an unknown
        component or a value that is not a number raises :class:`UsageError`
        (``invalid_option``)."""
        source = self._native if weights is None else None  # charts use the default weights
        return FrictionReport(self._native.friction(_weights(weights)), source)

    def gaps(self) -> GapReport:
        """The journey's gaps, most severe first, with target statuses and persona divergence."""
        return GapReport(self._native.gaps())

    def compare(self, to_be: Journey, *, weights: Weights = None) -> Comparison:
        """This (as-is) journey against a to-be journey; see :func:`gaps`."""
        if not isinstance(to_be, Journey):
            raise TypeError(f"to_be must be a cjm.Journey, not {type(to_be).__name__}")
        return Comparison(_cjm.compare(self._native, to_be._native, _weights(weights)))

    def plan(self) -> Plan:
        """The opportunities ranked by RICE and linked to the gaps they address."""
        return Plan(self._native.plan())

    def health(
        self,
        *,
        today: Today = None,
        stale_after_days: int = _cjm.DEFAULT_STALE_AFTER_DAYS,
        weights: Weights = None,
    ) -> Health:
        """A dashboard summary as of ``today`` (a ``date`` or ``YYYY-MM-DD``; default the
        current date), which ``days_since_update`` and the staleness warning are judged
        against."""
        day, days = _score_options(today, stale_after_days)
        return Health(self._native.health(day, days, _weights(weights)))

    def score(
        self,
        *,
        today: Today = None,
        stale_after_days: int = _cjm.DEFAULT_STALE_AFTER_DAYS,
        weights: Weights = None,
    ) -> ScoreReport:
        """Health, friction and the emotion curves in one report: the same data as
        ``cjm score --format json``."""
        day, days = _score_options(today, stale_after_days)
        return ScoreReport(self._native.score(day, days, _weights(weights)))

    # -- rendering ----------------------------------------------------------------------------

    def render_svg(self, **options: Any) -> str:
        """The journey map as SVG. Options: ``lanes`` (list of lane names, default all),
        ``personas`` (ids whose curves are drawn, default all), ``theme`` (``light``/``dark``),
        ``language`` (``en``/``ru``), ``title`` (bool), ``max_output_bytes`` (the output budget,
        default :data:`DEFAULT_MAX_OUTPUT_BYTES` = 64 MiB, ``0`` no limit: a map whose
        estimated size is over it raises :class:`UsageError` ``output_too_large`` before
        anything is drawn). Unknown options raise :class:`UsageError` (``invalid_option``)."""
        return _cjm.render_svg(self._native, _render_options(options))

    def report(
        self,
        to_be: Journey | None = None,
        today: Today = None,
        funnel: FunnelResult | None = None,
        **options: Any,
    ) -> Report:
        """The self-contained HTML report (map, charts, gaps, plan; with ``to_be`` an as-is vs
        to-be section; with ``funnel``, a :class:`FunnelResult` from :func:`funnel`, a funnel
        section). ``today`` (default the current date) dates the freshness; other options as
        for :meth:`render_svg`."""
        if to_be is not None and not isinstance(to_be, Journey):
            raise TypeError(f"to_be must be a cjm.Journey, not {type(to_be).__name__}")
        if funnel is not None and not isinstance(funnel, FunnelResult):
            raise TypeError(f"funnel must be a cjm.FunnelResult, not {type(funnel).__name__}")
        day, _ = _validate_options(today, _cjm.DEFAULT_STALE_AFTER_DAYS)
        native_to_be = None if to_be is None else to_be._native
        data = None if funnel is None else funnel.to_dict()
        html = _cjm.report_html(self._native, _render_options(options), day, native_to_be, data)
        return Report(html)

    def _repr_svg_(self) -> str | None:
        # Jupyter's repr must not raise: a map over the output budget is simply not shown.
        try:
            return self.render_svg()
        except CjmError:
            return None

    # -- event data ---------------------------------------------------------------------------

    def apply(
        self,
        events: Events,
        window: Any = "30d",
        *,
        evidence_id: str = "event-log",
        time_unit: TimeUnit = "auto",
        columns: ColumnMapDict | None = None,
    ) -> Journey:
        """A copy of the journey with conversion, drop-off, time, traffic and loops measured
        from an event log (mapped through the touchpoints' ``events`` patterns; epoch-number
        timestamps in ``time_unit``, see :func:`funnel`). See :func:`apply_events` for the
        report of what was written."""
        return apply_events(
            self,
            events,
            window=window,
            evidence_id=evidence_id,
            time_unit=time_unit,
            columns=columns,
        )[0]

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


_RENDER_OPTIONS = ("lanes", "personas", "theme", "language", "title", "max_output_bytes")


def _render_options(options: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(options) - set(_RENDER_OPTIONS))
    if unknown:
        raise _usage(
            "invalid_option",
            f"unknown render option {unknown[0]!r}; known: {', '.join(_RENDER_OPTIONS)}",
        )
    return {
        key: list(v) if key in ("lanes", "personas") else v
        for key, v in options.items()
        # None means the default budget.
        if not (key == "max_output_bytes" and v is None)
    }


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


def _weights(weights: Weights) -> Any:
    # The core checks names and values (invalid_option); a Mapping of another kind is copied.
    return None if weights is None else _plain(weights)


def _score_options(today: Today, stale_after_days: int) -> tuple[str, int]:
    if stale_after_days is None:
        raise TypeError("stale_after_days must be an int")
    day, days = _validate_options(today, stale_after_days)
    return cast(str, day), cast(int, days)


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
    try:
        with open(path, "rb") as file:
            # Read one byte past the limit at most: the core then refuses the input as too
            # large without a huge file ever being read whole.
            data = file.read((DEFAULT_MAX_BYTES if limit is None else limit) + 1)
    except OSError as error:
        # Code ``io`` like the other fronts; still a FileNotFoundError (etc.) too.
        raise _io_error(error, "read", path) from error
    return Journey._wrap(_cjm.loads(data, name, limit))


def validate(
    journey: Journey | JourneyDict | Mapping[str, Any],
    *,
    today: Today = None,
    stale_after_days: int | None = _cjm.DEFAULT_STALE_AFTER_DAYS,
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


def _journey(journey: Journey | JourneyDict | Mapping[str, Any]) -> Journey:
    return journey if isinstance(journey, Journey) else Journey.from_dict(journey)


@overload
def gaps(
    as_is: Journey | JourneyDict | Mapping[str, Any],
    to_be: None = None,
    *,
    weights: Weights = None,
) -> GapReport: ...
@overload
def gaps(
    as_is: Journey | JourneyDict | Mapping[str, Any],
    to_be: Journey | JourneyDict | Mapping[str, Any],
    *,
    weights: Weights = None,
) -> Comparison: ...
def gaps(
    as_is: Journey | JourneyDict | Mapping[str, Any],
    to_be: Journey | JourneyDict | Mapping[str, Any] | None = None,
    *,
    weights: Weights = None,
) -> GapReport | Comparison:
    """The :class:`GapReport` of ``as_is``; with ``to_be``, the :class:`Comparison` of the
    two maps instead (emotion, friction and metric changes and where the to-be map is worse;
    ``weights`` are the friction weights used for it)."""
    journey = _journey(as_is)
    if to_be is None:
        return journey.gaps()
    return journey.compare(_journey(to_be), weights=weights)


def _responses(responses: Responses) -> list[float]:
    """Survey answers as floats. numpy arrays and pandas/polars Series are read through their
    own ``tolist``/``to_list`` (nothing is imported); a missing answer (None, NaN, pandas' NA)
    becomes NaN, which the core refuses as ``invalid_response`` with its position."""
    if isinstance(responses, (str, bytes, bytearray, Mapping)) or not isinstance(
        responses, Iterable
    ):
        raise TypeError(f"responses must be an iterable of numbers, not {type(responses).__name__}")
    values: Iterable[Any] = responses
    for name in ("tolist", "to_list"):
        convert = getattr(responses, name, None)
        if callable(convert):
            values = convert()
            break
    out: list[float] = []
    for position, value in enumerate(values):
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            out.append(float(value))
        elif value is None or type(value).__name__ == "NAType":
            out.append(math.nan)
        else:
            raise TypeError(
                f"response at position {position} is a {type(value).__name__}, not a number"
            )
    return out


def nps(responses: Responses) -> NpsResult:
    """Net Promoter Score from 0–10 answers: promoters (9–10) − detractors (0–6) in percent,
    with a 95 % interval. Raises :class:`DataError`: ``no_responses`` for none,
    ``invalid_response`` (``path`` ``/<position>``) for an answer that is not a whole number
    on the scale."""
    return NpsResult(_cjm.nps(_responses(responses)))


def csat(responses: Responses) -> CsatResult:
    """CSAT from 1–5 answers: the percentage answering 4 or 5, with its Wilson interval.
    Errors as for :func:`nps`."""
    return CsatResult(_cjm.csat(_responses(responses)))


def ces(responses: Responses) -> CesResult:
    """CES 2.0 from 1–7 answers: the mean and the percentage answering 5 or more, each with
    a 95 % interval. Errors as for :func:`nps`."""
    return CesResult(_cjm.ces(_responses(responses)))


def two_proportions(x1: int, n1: int, x2: int, n2: int) -> dict[str, Any] | None:
    """Compares ``x1`` of ``n1`` (side a) with ``x2`` of ``n2`` (side b) as the funnel
    comparisons do: ``difference`` (b − a), Newcombe's hybrid score 95 % ``interval``
    (``low``/``high``, within −1..1), ``test`` (``"fisher_exact"`` when an expected count of
    the 2×2 table is below 5, else ``"z_test"``), ``z`` (z-test only) and ``p_value``.
    ``None`` when a side has no trials or more successes than trials."""
    return _cjm.two_proportions(x1, n1, x2, n2)


# -- event analytics ------------------------------------------------------------------------------


def _threads() -> int:
    return max(1, min(os.cpu_count() or 1, 16))


def _spec(
    steps: Iterable[str], window: Any, mode: str, by: str | None, interval: str | None = None
) -> dict[str, Any]:
    if isinstance(steps, str):
        raise TypeError("steps must be a list of event names, not a str")
    spec = {"steps": list(steps), "window": window_text(window), "mode": mode, "by": by}
    if interval is not None:
        spec["interval"] = interval
    return spec


def funnel(
    events: Events,
    steps: Iterable[str],
    window: Any = "7d",
    mode: FunnelMode | str = "default",
    by: str | None = None,
    *,
    interval: Literal["day", "week", "month"] | None = None,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
    time_unit: TimeUnit = "auto",
    columns: ColumnMapDict | None = None,
) -> FunnelResult:
    """A funnel over an event log with ClickHouse ``windowFunnel`` semantics: ``steps`` in
    order within ``window`` (``7d``, ``12h``, ``P7D`` or a ``timedelta``) from the first step.
    A step is an event name or a step expression: any of several events (``"view|click"``),
    property filters on segment columns (``"purchase[platform=mobile]"``, ``[k!=v]``,
    ``[k~regex]``, ``[amount>=100]``; docs/events.md, "Steps");
    ``mode`` ``default``, ``strict_order``, ``strict_deduplication`` or ``strict_increase``;
    ``by`` a segment column to break it down by (several comma-separated: one group per
    combination); ``interval`` (``day``, ``week``, ``month``) gives conversion over time, a group
    per calendar period of each user's first step-1 event.

    ``events`` is a pandas or polars DataFrame, a pyarrow Table, or a path to a CSV, NDJSON or
    Parquet file (columns ``user_id``, ``timestamp``, ``event``, optionally ``value``; the
    others are segments). ``columns`` maps other names to those roles, e.g.
    ``{"user": "distinct_id", "time": "event_time", "event": "event_type"}`` (every event
    function takes it; docs/events.md). A null user, time or event cell raises
    :class:`DataError` (``missing_value``, ``line`` = its row); a null segment cell is the group
    ``"(none)"``. Epoch-number timestamps are read in ``time_unit``: ``"auto"`` (the unit in which
    the column's first number lands between 1990 and 2100; a number outside that range in the
    unit raises :class:`DataError` ``invalid_timestamp`` naming the column and row), or ``"s"``,
    ``"ms"``, ``"us"`` (GA4 exports), ``"ns"``. Every event function takes it.

    ``progress`` is called with :class:`ProgressDict` reports while the log is read (phase
    ``read``) and the funnel computed (phase ``funnel``, users); it returning ``False`` cancels
    (:class:`UsageError` ``cancelled``), an exception it raises cancels and is raised again.
    """
    log = event_log(
        events, skip_bad_rows=skip_bad_rows, progress=progress, time_unit=time_unit, columns=columns
    )
    spec = _spec(steps, window, mode, by, interval)
    result = FunnelResult(log.funnel(spec, _threads(), progress))
    for warning in result.warnings:
        # stacklevel 2: the warning points at the caller's line, not at cjm.
        warnings.warn(warning, UserWarning, stacklevel=2)
    return result


def paths(
    events: Events,
    journey: Journey | None = None,
    goal: str | None = None,
    *,
    top: int | None = None,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
    time_unit: TimeUnit = "auto",
    columns: ColumnMapDict | None = None,
) -> PathsResult:
    """The directly-follows graph of an event log; with ``journey``, of its touchpoints
    (events mapped through their patterns) with backtracking between stages. ``goal`` (an
    event, or a touchpoint id with a journey) adds the drop-off paths of users who never reach
    it. ``progress``: as for :func:`funnel`."""
    if journey is not None and not isinstance(journey, Journey):
        raise TypeError(f"journey must be a cjm.Journey, not {type(journey).__name__}")
    log = event_log(
        events, skip_bad_rows=skip_bad_rows, progress=progress, time_unit=time_unit, columns=columns
    )
    native = None if journey is None else journey._native
    return PathsResult(log.paths(native, {"goal": goal, "top": top}))


def compare_funnel(
    events: Events,
    steps: Iterable[str],
    window: Any = "7d",
    *,
    split: tuple[str, str] | str | None = None,
    periods: tuple[str, str] | str | None = None,
    mode: FunnelMode | str = "default",
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
    time_unit: TimeUnit = "auto",
    columns: ColumnMapDict | None = None,
) -> FunnelComparison:
    """A funnel compared step by step between users whose ``split=(column, value)`` segment
    matches and the others, or between two ``periods=("FROM..TO", "FROM..TO")`` (TO
    exclusive), with the difference in conversion, its interval, z and p-value. The CLI's
    text forms work too: ``split="platform=app"``, ``periods="FROM..TO,FROM..TO"``."""
    if (split is None) == (periods is None):
        raise _usage(
            "invalid_option",
            'give exactly one of split=(column, value) or "column=value", '
            'or periods=(from_to, from_to) or "FROM..TO,FROM..TO"',
        )
    # The text forms are the CLI's; the core reads them (and names the option in its errors).
    how: dict[str, Any]
    if split is not None:
        how = {
            "segment": split if isinstance(split, str) else _pair(split, "split", "column", "value")
        }
    else:
        how = {
            "periods": periods if isinstance(periods, str) else _pair(periods, "periods", "a", "b")
        }
    log = event_log(
        events, skip_bad_rows=skip_bad_rows, progress=progress, time_unit=time_unit, columns=columns
    )
    return FunnelComparison(log.compare_funnel(_spec(steps, window, mode, None), how))


def _pair(value: Any, option: str, first: str, second: str) -> dict[str, Any]:
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return {first: value[0], second: value[1]}
    raise _usage(
        "invalid_option", f"{option} takes a ({first}, {second}) pair or text, not {value!r:.200}"
    )


def loyalty(
    events: Events,
    purchase_event: str = "purchase",
    *,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
    time_unit: TimeUnit = "auto",
    columns: ColumnMapDict | None = None,
) -> LoyaltyResult:
    """Repeat purchases of ``purchase_event``: customers, repeat rate with its interval,
    purchases per customer, time to the second purchase, average order value."""
    log = event_log(
        events, skip_bad_rows=skip_bad_rows, progress=progress, time_unit=time_unit, columns=columns
    )
    return LoyaltyResult(log.loyalty(purchase_event))


def retention(
    events: Events,
    start: str,
    return_event: str | None = None,
    *,
    interval: Literal["day", "week", "month"] = "week",
    periods: int = 8,
    unbounded: bool = False,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
    time_unit: TimeUnit = "auto",
    columns: ColumnMapDict | None = None,
) -> RetentionResult:
    """Retention by cohort: each user's t0 is their first ``start`` event; they are retained in
    period N when a ``return_event`` (default: ``start``) falls N whole intervals after t0 (N or
    more with ``unbounded``). ``interval`` is ``day`` (24 h), ``week`` (7 days) or ``month``
    (30 days); cohorts are the UTC day, ISO week or month of t0. A period counts for a user once
    the log reaches its end. Both events are step expressions (``"signup[plan=pro]"``, see
    :func:`funnel`). ``to_pandas()`` gives one row per cohort and period (docs/events.md)."""
    log = event_log(
        events, skip_bad_rows=skip_bad_rows, progress=progress, time_unit=time_unit, columns=columns
    )
    spec: dict[str, Any] = {
        "start": start,
        "interval": interval,
        "periods": periods,
        "unbounded": unbounded,
    }
    if return_event is not None:
        spec["return_event"] = return_event
    return RetentionResult(log.retention(spec))


def apply_events(
    journey: Journey,
    events: Events,
    *,
    window: Any = "30d",
    evidence_id: str = "event-log",
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
    time_unit: TimeUnit = "auto",
    columns: ColumnMapDict | None = None,
) -> tuple[Journey, ApplyReport]:
    """The journey with the numbers measured from ``events`` written in (see
    :meth:`Journey.apply`), and the :class:`ApplyReport` of what was done."""
    if not isinstance(journey, Journey):
        raise TypeError(f"journey must be a cjm.Journey, not {type(journey).__name__}")
    log = event_log(
        events, skip_bad_rows=skip_bad_rows, progress=progress, time_unit=time_unit, columns=columns
    )
    options = {"window": window_text(window), "evidence_id": evidence_id}
    native, report = log.apply(journey._native, options)
    return Journey._wrap(native), ApplyReport(report)
