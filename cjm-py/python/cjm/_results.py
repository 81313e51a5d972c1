"""Results of the scoring and gap analysis: frozen wrappers around the core's plain data.

Every number is computed by the Rust core (definitions: ``docs/scoring.md``); these classes only
give the result dicts typed attribute access, a readable ``repr`` and DataFrame export.
pandas and polars are imported only when ``to_pandas()`` / ``to_polars()`` is called.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Optional, cast, get_args

from . import _cjm
from ._errors import CjmError, _usage
from ._results_generated import (
    ApplyReportFields,
    CesResultFields,
    ComparisonFields,
    CsatResultFields,
    EmotionCurveFields,
    FrictionReportFields,
    FunnelComparisonFields,
    FunnelResultFields,
    GapReportFields,
    HealthFields,
    LoyaltyResultFields,
    NpsResultFields,
    PathsResultFields,
    PlanFields,
    RetentionResultFields,
    ScoreReportFields,
)
from ._types import (
    AppliedMetricDict,
    ComponentKind,
    CurveStatsDict,
    FrictionWeightsDict,
    GapDict,
)

if TYPE_CHECKING:
    import pandas
    import polars

__all__ = [
    "ApplyReport",
    "CesResult",
    "Comparison",
    "CsatResult",
    "EmotionCurve",
    "FrictionReport",
    "FunnelComparison",
    "FunnelResult",
    "GapReport",
    "Health",
    "LoyaltyResult",
    "NpsResult",
    "PathsResult",
    "Plan",
    "Report",
    "RetentionResult",
    "ScoreReport",
]

#: The friction components in the core's order; each gets a contribution column.
COMPONENT_KINDS: tuple[ComponentKind, ...] = get_args(ComponentKind)

# Column types of the core's tables and their DataFrame types. Explicit types keep a column's
# type stable when every value in it is missing (an empty plan, a journey without traffic data).
_PANDAS_DTYPES: dict[str, str | None] = {
    "text": None,  # pandas' own default string type
    "float": "float64",  # missing -> NaN
    "int": "int64",
    "optional_int": "Int64",  # nullable integer: missing -> <NA>
    "bool": "bool",
    "text_list": "object",  # lists of ids
}


def _require(module: str, method: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"{method}() needs the '{module}' package, which is not installed: pip install {module}"
        ) from error


class _Table:
    """What the results that are tables share: the core's table of the result (the same rows,
    columns and values in every front; ``docs/tables.md``) as a pandas or polars DataFrame or as
    CSV. Each class's description says what a row is."""

    __slots__ = ()
    #: The core's name of the table (``cjm._cjm.result_table``).
    _TABLE: ClassVar[str]
    _data: Any

    def _columns(self) -> list[dict[str, Any]]:
        return cast("list[dict[str, Any]]", _cjm.result_table(self._TABLE, self._data)["columns"])

    def to_pandas(self) -> pandas.DataFrame:
        """The table as a pandas DataFrame (a missing number is NaN, or <NA> in a nullable
        integer column; lists of ids are lists). Cells are not neutralised: use
        :meth:`to_csv` for text a spreadsheet opens."""
        pd = _require("pandas", "to_pandas")
        columns = self._columns()
        data = {c["name"]: pd.Series(c["values"], dtype=_PANDAS_DTYPES[c["type"]]) for c in columns}
        return cast("pandas.DataFrame", pd.DataFrame(data, columns=[c["name"] for c in columns]))

    def to_polars(self) -> polars.DataFrame:
        """The table as a polars DataFrame (missing values are null, lists are list columns)."""
        pl = _require("polars", "to_polars")
        kinds = {
            "text": pl.String,
            "float": pl.Float64,
            "int": pl.Int64,
            "optional_int": pl.Int64,
            "bool": pl.Boolean,
            "text_list": pl.List(pl.String),
        }
        columns = self._columns()
        data = {c["name"]: c["values"] for c in columns}
        schema = {c["name"]: kinds[c["type"]] for c in columns}
        return cast("polars.DataFrame", pl.DataFrame(data, schema=schema))

    def to_csv(self) -> str:
        """The table as CSV text (what the CLI prints with ``--format csv``): numbers with at
        most six decimals, lists joined with ``,``, and a leading ``'`` on cells a spreadsheet
        would run as formulas."""
        return _cjm.table_csv(self._TABLE, self._data)


def _number(value: float | None) -> str:
    return "None" if value is None else f"{value:.4g}"


# -- emotion curve ------------------------------------------------------------------------------


class EmotionCurve(EmotionCurveFields, _Table):
    """How a persona (or everyone, ``persona`` None) feels along the journey: the points in
    journey order and their statistics (mean, valleys, peak–end, …; ``docs/scoring.md``).
    Table: one row per point (persona, stage, touchpoint, touchpoint_name, value −1..+1,
    score on the journey's scale, sample_size, margin)."""

    __slots__ = ()
    _TABLE = "emotion_curve"

    # Overrides the generated accessor only for a fuller docstring than the schema's.
    @property
    def stats(self) -> CurveStatsDict | None:
        """Absent (None) when no touchpoint is scored."""
        return cast(Optional[CurveStatsDict], self._get("stats"))

    def _repr_svg_(self) -> str | None:
        """The curve as an SVG chart (shown inline in Jupyter), when the journey is known."""
        if self._source is None:
            return None
        persona = self._data.get("persona")
        options = {"personas": [persona] if persona else []}
        try:
            return _cjm.render_chart(self._source, "curve", options)
        except CjmError:  # Jupyter's repr must not raise (output_too_large)
            return None

    def _describe(self) -> str:
        stats = self._data.get("stats")
        mean = _number(stats["mean"]) if stats else "None"
        return f"persona={self.persona!r} points={len(self._data['points'])} mean={mean}"


# -- friction -----------------------------------------------------------------------------------


class FrictionReport(FrictionReportFields, _Table):
    """The friction index (0–100) of every touchpoint, every stage and the journey, each with
    the components it combines and their contributions in index points. Table: one row per
    touchpoint (stage, touchpoint, name, traffic, index, coverage, then one column per
    component kind — ``emotion``, ``pain``, ``drop_off``, … — holding its contribution in
    index points; they sum to ``index``)."""

    __slots__ = ()
    _TABLE = "friction"

    # Overrides the generated accessor only for a fuller docstring than the schema's.
    @property
    def weights(self) -> FrictionWeightsDict:
        """The weights used (before renormalisation over the known components)."""
        return cast(FrictionWeightsDict, self._get("weights"))

    def _repr_svg_(self) -> str | None:
        """The friction strip as SVG (shown inline in Jupyter), when the journey is known and
        the default weights were used (the chart draws those)."""
        if self._source is None:
            return None
        try:
            return _cjm.render_chart(self._source, "friction", None)
        except CjmError:  # Jupyter's repr must not raise (output_too_large)
            return None

    def _describe(self) -> str:
        journey = self._data["journey"]
        return (
            f"index={_number(journey.get('index'))} coverage={_number(journey['coverage'])} "
            f"stages={len(self._data['stages'])} touchpoints={len(self._data['touchpoints'])}"
        )


# -- gaps ---------------------------------------------------------------------------------------


def _describe_gaps(gaps: Sequence[GapDict]) -> str:
    top = f" top={gaps[0]['subject']!r} ({_number(gaps[0]['severity'])})" if gaps else ""
    return f"gaps={len(gaps)}{top}"


class GapReport(GapReportFields, _Table):
    """Where the journey falls short, most severe first, with each metric's target status and
    the touchpoints where personas feel very differently. Table: one row per gap, most severe
    first (kind, severity, stage, touchpoint, subject, message, evidence ids)."""

    __slots__ = ()
    _TABLE = "gaps"

    def _describe(self) -> str:
        return _describe_gaps(self._data["gaps"])


class Comparison(ComparisonFields, _Table):
    """As-is against to-be: emotion, friction and metric changes, touchpoints added and removed,
    and the places where the to-be map is worse. Table: one row per touchpoint in both maps
    (stage, touchpoint, emotion before/after/change — positive is better —, friction
    before/after/change — negative is better)."""

    __slots__ = ()
    _TABLE = "comparison"

    # Overrides the generated accessor only for a fuller docstring than the schema's.
    @property
    def worse(self) -> list[GapDict]:
        """Where the to-be map is worse (``to_be_worse`` gaps), most severe first."""
        return cast("list[GapDict]", self._get("worse"))

    def _describe(self) -> str:
        data = self._data
        return (
            f"touchpoints={len(data['touchpoints'])} added={len(data['added'])} "
            f"removed={len(data['removed'])} worse={len(data['worse'])}"
        )


# -- plan ---------------------------------------------------------------------------------------


class Plan(PlanFields, _Table):
    """The improvement plan: opportunities ranked by RICE (then value/effort), linked to the
    gaps they address, and the pain points nothing addresses. Table: one row per item in rank
    order, with every :class:`PlanItemDict` field (``addresses`` and ``flags`` are lists)."""

    __slots__ = ()
    _TABLE = "plan"

    def _describe(self) -> str:
        return (
            f"items={len(self._data['items'])} "
            f"unaddressed_pain_points={len(self._data['unaddressed_pain_points'])}"
        )


# -- health and the score report ----------------------------------------------------------------


class Health(HealthFields):
    """One summary for a dashboard: curve statistics, friction, targets, evidence coverage,
    freshness, validation counts, the top gaps and plan warnings."""

    __slots__ = ()

    def _describe(self) -> str:
        data = self._data
        return (
            f"journey={data['journey']!r} friction={_number(data.get('friction'))} "
            f"errors={data['errors']} warnings={data['warnings']} "
            f"{_describe_gaps(data['top_gaps']).replace('gaps=', 'top_gaps=', 1)}"
        )


class ScoreReport(ScoreReportFields):
    """Everything ``cjm score`` reports: health, friction and the emotion curves (everyone's
    first, then one per persona)."""

    __slots__ = ()

    # Not generated (gen_types.RESULTS): the parts are wrapped in their result classes.
    @property
    def health(self) -> Health:
        return Health(self._get("health"))

    @property
    def friction(self) -> FrictionReport:
        return FrictionReport(self._get("friction"))

    @property
    def curves(self) -> list[EmotionCurve]:
        return [EmotionCurve(curve) for curve in self._get("curves")]

    def _describe(self) -> str:
        health = self._data["health"]
        return (
            f"journey={health['journey']!r} friction={_number(health.get('friction'))} "
            f"curves={len(self._data['curves'])}"
        )


# -- survey metrics -----------------------------------------------------------------------------


class NpsResult(NpsResultFields, _Table):
    """Net Promoter Score (−100..100) from 0–10 answers, with a 95 % interval. Table: one row
    (responses, promoters, passives, detractors, nps, interval_low, interval_high)."""

    __slots__ = ()
    _TABLE = "nps"

    def _describe(self) -> str:
        i = self._data["interval"]
        return (
            f"nps={_number(self._data['nps'])} interval=[{_number(i['low'])}, "
            f"{_number(i['high'])}] responses={self._data['responses']}"
        )


class CsatResult(CsatResultFields, _Table):
    """Customer Satisfaction (% answering 4 or 5 of 1–5) with its Wilson 95 % interval. Table:
    one row (responses, satisfied, csat, interval_low, interval_high; percent)."""

    __slots__ = ()
    _TABLE = "csat"

    def _describe(self) -> str:
        i = self._data["interval"]
        return (
            f"csat={_number(self._data['csat'])} interval=[{_number(i['low'])}, "
            f"{_number(i['high'])}] responses={self._data['responses']}"
        )


class CesResult(CesResultFields, _Table):
    """Customer Effort Score (CES 2.0, 1–7): the mean and the share answering 5 or more, each
    with a 95 % interval. Table: one row (responses, mean, mean_interval_low/high, easy,
    share_easy, share_interval_low/high)."""

    __slots__ = ()
    _TABLE = "ces"

    def _describe(self) -> str:
        return (
            f"mean={_number(self._data['mean'])} share_easy={_number(self._data['share_easy'])} "
            f"responses={self._data['responses']}"
        )


# -- event analytics ----------------------------------------------------------------------------


_CHART_OPTIONS = ("theme", "language", "title", "max_output_bytes")


def _chart_options(options: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(options) - set(_CHART_OPTIONS))
    if unknown:
        raise _usage(
            "invalid_option",
            f"unknown chart option {unknown[0]!r}; known: {', '.join(_CHART_OPTIONS)}",
        )
    return {k: v for k, v in options.items() if not (k == "max_output_bytes" and v is None)}


class FunnelResult(FunnelResultFields, _Table):
    """A funnel (ClickHouse ``windowFunnel`` semantics): the whole population, then one group
    per value of the ``by`` column, each with users, conversion, drop-off and time per step.
    Table: one row per group and step, the whole population first with ``group`` ``"(all)"``
    (group, step_index, step, users, conversion_from_start, conversion_from_previous,
    dropped, drop_off, median_seconds_from_previous, median_seconds_from_start)."""

    __slots__ = ()
    _TABLE = "funnel"

    def to_svg(self, **options: Any) -> str:
        """The funnel chart as SVG: a bar per step (the whole population, then each group)
        with the conversion from the start and from the previous step and the users who
        dropped. Options: ``theme`` (``light``/``dark``), ``language`` (``en``/``ru``),
        ``title`` (bool), ``max_output_bytes`` (default 64 MiB, ``0`` no limit; over it:
        :class:`UsageError` ``output_too_large``); others raise :class:`UsageError`
        (``invalid_option``)."""
        return _cjm.render_funnel(self._data, _chart_options(options))

    def _repr_svg_(self) -> str | None:
        try:
            return self.to_svg()
        except CjmError:  # Jupyter's repr must not raise (output_too_large)
            return None

    def save(self, path: str | os.PathLike[str], **options: Any) -> None:
        """Writes the chart (:meth:`to_svg`, same options) as an SVG file (UTF-8)."""
        svg = self.to_svg(**options)
        with open(os.fspath(path), "wb") as file:
            file.write(svg.encode("utf-8"))

    def _describe(self) -> str:
        total = self._data["total"]
        last = total["steps"][-1] if total["steps"] else None
        conversion = _number(last.get("conversion_from_start")) if last else "None"
        return (
            f"steps={len(self._data['steps'])} users={total['users']} "
            f"groups={len(self._data['groups'])} conversion={conversion}"
        )


class FunnelComparison(FunnelComparisonFields, _Table):
    """A funnel in two segments or two periods (``a`` and ``b``) and, per step after the first,
    the difference in conversion with its 95 % interval (Newcombe's hybrid score) and the
    p-value of the test used (``fisher_exact`` when an expected count is below 5, else
    ``z_test``), beside the counts it came from. Table: one row per step after the first
    (step, a_users, a_base, b_users, b_base, a_conversion, b_conversion, difference b − a,
    interval_low, interval_high, test, z, p_value)."""

    __slots__ = ()
    _TABLE = "funnel_comparison"

    # Overrides the generated accessor only to keep the published type list[Any]
    # (the schema's items are StepComparisonDict).
    @property
    def steps(self) -> list[Any]:
        return cast("list[Any]", self._get("steps"))

    def _describe(self) -> str:
        return f"a={self._data['a_label']!r} b={self._data['b_label']!r}"


class PathsResult(PathsResultFields, _Table):
    """The directly-follows graph of a log (events, or touchpoints with a journey): nodes,
    transitions most frequent first, backtracking between stages and drop-off paths. Table:
    one row per transition, most frequent first (from, to, events, users, share,
    median_seconds)."""

    __slots__ = ()
    _TABLE = "paths"

    # These override the generated accessors only to keep the published type list[Any]
    # (the schema's items are NodeStatsDict, TransitionDict, ...).
    @property
    def nodes(self) -> list[Any]:
        return cast("list[Any]", self._get("nodes"))

    @property
    def transitions(self) -> list[Any]:
        return cast("list[Any]", self._get("transitions"))

    @property
    def backtracking(self) -> list[Any]:
        return cast("list[Any]", self._get("backtracking"))

    @property
    def drop_off_paths(self) -> list[Any]:
        return cast("list[Any]", self._get("drop_off_paths"))

    def _describe(self) -> str:
        return (
            f"level={self._data['level']!r} nodes={len(self._data['nodes'])} "
            f"transitions={len(self._data['transitions'])}"
        )


class LoyaltyResult(LoyaltyResultFields, _Table):
    """Repeat purchases: customers, repeat customers and rate (Wilson interval), purchases per
    customer, time to the second purchase, average order value. Table: one row
    (purchase_event, customers, repeat_customers, repeat_rate, interval_low, interval_high,
    purchases_per_customer, median_seconds_to_second_purchase, average_order_value)."""

    __slots__ = ()
    _TABLE = "loyalty"

    def _describe(self) -> str:
        return (
            f"customers={self._data['customers']} "
            f"repeat_rate={_number(self._data.get('repeat_rate'))}"
        )


class RetentionResult(RetentionResultFields, _Table):
    """Retention by cohort: ``cohorts`` (the UTC day, ISO week or month of each user's first
    start event) with per-period users covered, retained and rate, and the ``overall`` curve
    with Wilson intervals. Table: one row per cohort and period, ``(all)`` first (cohort,
    period, users, retained, rate, interval_low, interval_high)."""

    __slots__ = ()
    _TABLE = "retention"

    def _describe(self) -> str:
        rates = [_number(point.get("rate")) for point in self._data["overall"][:4]]
        return f"users={self._data['users']} rates={rates}"


class ApplyReport(ApplyReportFields, _Table):
    """What applying an event log to a journey did: events, users, unmapped events, the data
    period and how many metrics were written. Table: one row per metric (path, id, kind,
    action, value, unit, sample_size)."""

    __slots__ = ()
    _TABLE = "applied"

    # Overrides the generated accessor only for a fuller docstring than the schema's.
    @property
    def metrics(self) -> list[AppliedMetricDict]:
        """Every metric of the written journey with its JSON Pointer and what ``apply`` did:
        ``added``, ``replaced`` (a measured metric of an earlier run) or ``left_alone``."""
        return cast("list[AppliedMetricDict]", self._get("metrics"))

    def _describe(self) -> str:
        data = self._data
        return (
            f"events={data['events']} users={data['users']} "
            f"unmapped_events={data['unmapped_events']} metrics_written={data['metrics_written']}"
        )


# -- the HTML report ----------------------------------------------------------------------------


class Report:
    """A self-contained HTML report of a journey (shown inline in Jupyter)."""

    __slots__ = ("html",)

    html: str

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the report (UTF-8)."""
        with open(os.fspath(path), "wb") as file:
            file.write(self.html.encode("utf-8"))

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<cjm.Report {len(self.html)} characters>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return self.html == other.html

    __hash__ = None  # type: ignore[assignment]
