"""Results of the scoring and gap analysis: frozen wrappers around the core's plain data.

Every number is computed by the Rust core (definitions: ``docs/scoring.md``); these classes only
give the result dicts typed attribute access, a readable ``repr`` and DataFrame export.
pandas and polars are imported only when ``to_pandas()`` / ``to_polars()`` is called.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Optional, cast, get_args

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
    ScoreReportFields,
)
from ._types import (
    AppliedMetricDict,
    ComponentKind,
    CurveStatsDict,
    FrictionWeightsDict,
    FunnelGroupDict,
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
    "ScoreReport",
]

#: The friction components in the core's order; each gets a contribution column.
COMPONENT_KINDS: tuple[ComponentKind, ...] = get_args(ComponentKind)

# -- tables -------------------------------------------------------------------------------------

# Column kinds and their DataFrame types. Explicit types keep a column's type stable when every
# value in it is missing (an empty plan, a journey without traffic data).
_PANDAS_DTYPES: dict[str, str | None] = {
    "str": None,  # pandas' own default string type
    "float": "float64",  # missing -> NaN
    "int": "int64",
    "int?": "Int64",  # nullable integer: missing -> <NA>
    "bool": "bool",
    "list": "object",  # lists of strings
}

Columns = Sequence[tuple[str, str]]

APPLIED_COLUMNS: Columns = (
    ("path", "str"),
    ("id", "str"),
    ("kind", "str"),
    ("action", "str"),
    ("value", "float"),
    ("unit", "str"),
    ("sample_size", "int?"),
)


def _require(module: str, method: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"{method}() needs the '{module}' package, which is not installed: pip install {module}"
        ) from error


def _polars_dtype(pl: Any, kind: str) -> Any:
    return {
        "str": pl.String,
        "float": pl.Float64,
        "int": pl.Int64,
        "int?": pl.Int64,
        "bool": pl.Boolean,
        "list": pl.List(pl.String),
    }[kind]


def _to_pandas(columns: Columns, rows: Iterable[Mapping[str, Any]]) -> pandas.DataFrame:
    pd = _require("pandas", "to_pandas")
    rows = list(rows)
    data = {
        name: pd.Series([row.get(name) for row in rows], dtype=_PANDAS_DTYPES[kind])
        for name, kind in columns
    }
    return cast("pandas.DataFrame", pd.DataFrame(data, columns=[name for name, _ in columns]))


def _to_polars(columns: Columns, rows: Iterable[Mapping[str, Any]]) -> polars.DataFrame:
    pl = _require("polars", "to_polars")
    rows = list(rows)
    data = {name: [row.get(name) for row in rows] for name, _ in columns}
    schema = {name: _polars_dtype(pl, kind) for name, kind in columns}
    return cast("polars.DataFrame", pl.DataFrame(data, schema=schema))


def _number(value: float | None) -> str:
    return "None" if value is None else f"{value:.4g}"


# -- emotion curve ------------------------------------------------------------------------------

CURVE_COLUMNS: Columns = (
    ("persona", "str"),
    ("stage", "str"),
    ("touchpoint", "str"),
    ("touchpoint_name", "str"),
    ("value", "float"),
    ("score", "float"),
    ("sample_size", "int?"),
    ("margin", "float"),
)


class EmotionCurve(EmotionCurveFields):
    """How a persona (or everyone, ``persona`` None) feels along the journey: the points in
    journey order and their statistics (mean, valleys, peak–end, …; ``docs/scoring.md``)."""

    __slots__ = ()

    # Overrides the generated accessor only for a fuller docstring than the schema's.
    @property
    def stats(self) -> CurveStatsDict | None:
        """Absent (None) when no touchpoint is scored."""
        return cast(Optional[CurveStatsDict], self._get("stats"))

    def _rows(self) -> list[dict[str, Any]]:
        persona = self._data.get("persona")
        return [{"persona": persona, **point} for point in self._data["points"]]

    def to_pandas(self) -> pandas.DataFrame:
        """One row per point: persona, stage, touchpoint, touchpoint_name, value (−1..+1), score
        (on the journey's scale), sample_size, margin."""
        return _to_pandas(CURVE_COLUMNS, self._rows())

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas`."""
        return _to_polars(CURVE_COLUMNS, self._rows())

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

FRICTION_COLUMNS: Columns = (
    ("stage", "str"),
    ("touchpoint", "str"),
    ("name", "str"),
    ("traffic", "float"),
    ("index", "float"),
    ("coverage", "float"),
    *((kind, "float") for kind in COMPONENT_KINDS),
)


class FrictionReport(FrictionReportFields):
    """The friction index (0–100) of every touchpoint, every stage and the journey, each with
    the components it combines and their contributions in index points."""

    __slots__ = ()

    # Overrides the generated accessor only for a fuller docstring than the schema's.
    @property
    def weights(self) -> FrictionWeightsDict:
        """The weights used (before renormalisation over the known components)."""
        return cast(FrictionWeightsDict, self._get("weights"))

    def _rows(self) -> list[dict[str, Any]]:
        rows = []
        for tp in self._data["touchpoints"]:
            score = tp["score"]
            row: dict[str, Any] = {
                "stage": tp["stage"],
                "touchpoint": tp["touchpoint"],
                "name": tp["name"],
                "traffic": tp.get("traffic"),
                "index": score.get("index"),
                "coverage": score["coverage"],
            }
            for component in score["components"]:
                row[component["kind"]] = component["contribution"]
            rows.append(row)
        return rows

    def to_pandas(self) -> pandas.DataFrame:
        """One row per touchpoint: stage, touchpoint, name, traffic, index, coverage, then one
        column per component kind (``emotion``, ``pain``, ``drop_off``, …) holding its
        contribution in index points (they sum to ``index``); missing evidence is NaN."""
        return _to_pandas(FRICTION_COLUMNS, self._rows())

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas` (missing values are null)."""
        return _to_polars(FRICTION_COLUMNS, self._rows())

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

GAP_COLUMNS: Columns = (
    ("kind", "str"),
    ("severity", "float"),
    ("stage", "str"),
    ("touchpoint", "str"),
    ("subject", "str"),
    ("message", "str"),
    ("evidence", "list"),
)


def _describe_gaps(gaps: Sequence[GapDict]) -> str:
    top = f" top={gaps[0]['subject']!r} ({_number(gaps[0]['severity'])})" if gaps else ""
    return f"gaps={len(gaps)}{top}"


class GapReport(GapReportFields):
    """Where the journey falls short, most severe first, with each metric's target status and
    the touchpoints where personas feel very differently."""

    __slots__ = ()

    def to_pandas(self) -> pandas.DataFrame:
        """One row per gap, most severe first: kind, severity, stage, touchpoint, subject,
        message, evidence (a list of ids)."""
        return _to_pandas(GAP_COLUMNS, self._data["gaps"])

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas` (``evidence`` is a list column)."""
        return _to_polars(GAP_COLUMNS, self._data["gaps"])

    def _describe(self) -> str:
        return _describe_gaps(self._data["gaps"])


COMPARISON_COLUMNS: Columns = (
    ("stage", "str"),
    ("touchpoint", "str"),
    ("emotion_before", "float"),
    ("emotion_after", "float"),
    ("emotion_change", "float"),
    ("friction_before", "float"),
    ("friction_after", "float"),
    ("friction_change", "float"),
)


class Comparison(ComparisonFields):
    """As-is against to-be: emotion, friction and metric changes, touchpoints added and
    removed, and the places where the to-be map is worse."""

    __slots__ = ()

    # Overrides the generated accessor only for a fuller docstring than the schema's.
    @property
    def worse(self) -> list[GapDict]:
        """Where the to-be map is worse (``to_be_worse`` gaps), most severe first."""
        return cast("list[GapDict]", self._get("worse"))

    def to_pandas(self) -> pandas.DataFrame:
        """One row per touchpoint in both maps: stage, touchpoint, emotion before/after/change
        (normalised, positive is better), friction before/after/change (negative is better)."""
        return _to_pandas(COMPARISON_COLUMNS, self._data["touchpoints"])

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas`."""
        return _to_polars(COMPARISON_COLUMNS, self._data["touchpoints"])

    def _describe(self) -> str:
        data = self._data
        return (
            f"touchpoints={len(data['touchpoints'])} added={len(data['added'])} "
            f"removed={len(data['removed'])} worse={len(data['worse'])}"
        )


# -- plan ---------------------------------------------------------------------------------------

PLAN_COLUMNS: Columns = (
    ("rank", "int"),
    ("id", "str"),
    ("title", "str"),
    ("method", "str"),
    ("score", "float"),
    ("reach", "float"),
    ("impact", "float"),
    ("confidence", "float"),
    ("effort", "float"),
    ("addresses", "list"),
    ("addressed_severity", "float"),
    ("high_priority", "bool"),
    ("stage", "str"),
    ("touchpoint", "str"),
    ("owner", "str"),
    ("due", "str"),
    ("status", "str"),
    ("flags", "list"),
)


class Plan(PlanFields):
    """The improvement plan: opportunities ranked by RICE (then value/effort), linked to the
    gaps they address, and the pain points nothing addresses."""

    __slots__ = ()

    def to_csv(self) -> str:
        """The plan as CSV (one row per item, the same text as ``cjm plan --format csv``);
        cells a spreadsheet would run as formulas get a leading ``'``."""
        return _cjm.plan_csv(self._data)

    def to_pandas(self) -> pandas.DataFrame:
        """One row per item in rank order, with every :class:`PlanItemDict` field
        (``addresses`` and ``flags`` are lists). Cells are not neutralised: use
        :meth:`to_csv` for text a spreadsheet opens."""
        return _to_pandas(PLAN_COLUMNS, self._data["items"])

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas` (``addresses`` and ``flags`` are list columns)."""
        return _to_polars(PLAN_COLUMNS, self._data["items"])

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


def _flat(data: Mapping[str, Any]) -> dict[str, Any]:
    """Nested intervals become ``<name>_low`` / ``<name>_high`` columns."""
    row: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            for inner, item in value.items():
                row[f"{key}_{inner}"] = item
        else:
            row[key] = value
    return row


NPS_COLUMNS: Columns = (
    ("responses", "int"),
    ("promoters", "int"),
    ("passives", "int"),
    ("detractors", "int"),
    ("nps", "float"),
    ("interval_low", "float"),
    ("interval_high", "float"),
)
CSAT_COLUMNS: Columns = (
    ("responses", "int"),
    ("satisfied", "int"),
    ("csat", "float"),
    ("interval_low", "float"),
    ("interval_high", "float"),
)
CES_COLUMNS: Columns = (
    ("responses", "int"),
    ("mean", "float"),
    ("mean_interval_low", "float"),
    ("mean_interval_high", "float"),
    ("easy", "int"),
    ("share_easy", "float"),
    ("share_interval_low", "float"),
    ("share_interval_high", "float"),
)


class NpsResult(NpsResultFields):
    """Net Promoter Score (−100..100) from 0–10 answers, with a 95 % interval."""

    __slots__ = ()

    def to_pandas(self) -> pandas.DataFrame:
        """One row: responses, promoters, passives, detractors, nps, interval_low,
        interval_high."""
        return _to_pandas(NPS_COLUMNS, [_flat(self._data)])

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas`."""
        return _to_polars(NPS_COLUMNS, [_flat(self._data)])

    def _describe(self) -> str:
        i = self._data["interval"]
        return (
            f"nps={_number(self._data['nps'])} interval=[{_number(i['low'])}, "
            f"{_number(i['high'])}] responses={self._data['responses']}"
        )


class CsatResult(CsatResultFields):
    """Customer Satisfaction (% answering 4 or 5 of 1–5) with its Wilson 95 % interval."""

    __slots__ = ()

    def to_pandas(self) -> pandas.DataFrame:
        """One row: responses, satisfied, csat, interval_low, interval_high (percent)."""
        return _to_pandas(CSAT_COLUMNS, [_flat(self._data)])

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas`."""
        return _to_polars(CSAT_COLUMNS, [_flat(self._data)])

    def _describe(self) -> str:
        i = self._data["interval"]
        return (
            f"csat={_number(self._data['csat'])} interval=[{_number(i['low'])}, "
            f"{_number(i['high'])}] responses={self._data['responses']}"
        )


class CesResult(CesResultFields):
    """Customer Effort Score (CES 2.0, 1–7): the mean and the share answering 5 or more, each
    with a 95 % interval."""

    __slots__ = ()

    def to_pandas(self) -> pandas.DataFrame:
        """One row: responses, mean, mean_interval_low/high, easy, share_easy,
        share_interval_low/high (percent)."""
        return _to_pandas(CES_COLUMNS, [_flat(self._data)])

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas`."""
        return _to_polars(CES_COLUMNS, [_flat(self._data)])

    def _describe(self) -> str:
        return (
            f"mean={_number(self._data['mean'])} share_easy={_number(self._data['share_easy'])} "
            f"responses={self._data['responses']}"
        )


# -- event analytics ----------------------------------------------------------------------------

FUNNEL_COLUMNS: Columns = (
    ("group", "str"),
    ("step_index", "int"),
    ("step", "str"),
    ("users", "int"),
    ("conversion_from_start", "float"),
    ("conversion_from_previous", "float"),
    ("dropped", "int"),
    ("drop_off", "float"),
    ("median_seconds_from_previous", "float"),
    ("median_seconds_from_start", "float"),
)


_CHART_OPTIONS = ("theme", "language", "title", "max_output_bytes")


def _chart_options(options: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(options) - set(_CHART_OPTIONS))
    if unknown:
        raise _usage(
            "invalid_option",
            f"unknown chart option {unknown[0]!r}; known: {', '.join(_CHART_OPTIONS)}",
        )
    return {k: v for k, v in options.items() if not (k == "max_output_bytes" and v is None)}


#: The ``group`` of the whole population in funnel tables (a group is a segment value).
ALL_USERS = "(all)"


def _funnel_rows(groups: Iterable[FunnelGroupDict]) -> list[dict[str, Any]]:
    rows = []
    for group in groups:
        label = group.get("group")
        for index, step in enumerate(group["steps"]):
            rows.append(
                {
                    "group": ALL_USERS if label is None else label,
                    "step_index": index + 1,
                    "step": step["step"],
                    "users": step["users"],
                    "conversion_from_start": step.get("conversion_from_start"),
                    "conversion_from_previous": step.get("conversion_from_previous"),
                    "dropped": step["dropped"],
                    "drop_off": step.get("drop_off"),
                    "median_seconds_from_previous": step["time_from_previous"].get("median"),
                    "median_seconds_from_start": step["time_from_start"].get("median"),
                }
            )
    return rows


class FunnelResult(FunnelResultFields):
    """A funnel (ClickHouse ``windowFunnel`` semantics): the whole population, then one group
    per value of the ``by`` column, each with users, conversion, drop-off and time per step."""

    __slots__ = ()

    def _rows(self) -> list[dict[str, Any]]:
        return _funnel_rows([self._data["total"], *self._data["groups"]])

    def to_pandas(self) -> pandas.DataFrame:
        """One row per group and step (the whole population first, ``group`` ``"(all)"``): group,
        step_index, step, users, conversion_from_start, conversion_from_previous, dropped,
        drop_off, median_seconds_from_previous, median_seconds_from_start."""
        return _to_pandas(FUNNEL_COLUMNS, self._rows())

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas`."""
        return _to_polars(FUNNEL_COLUMNS, self._rows())

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


COMPARISON_STEP_COLUMNS: Columns = (
    ("step", "str"),
    ("a_users", "int"),
    ("a_base", "int"),
    ("b_users", "int"),
    ("b_base", "int"),
    ("a_conversion", "float"),
    ("b_conversion", "float"),
    ("difference", "float"),
    ("interval_low", "float"),
    ("interval_high", "float"),
    ("test", "str"),
    ("z", "float"),
    ("p_value", "float"),
)


class FunnelComparison(FunnelComparisonFields):
    """A funnel in two segments or two periods (``a`` and ``b``) and, per step after the
    first, the difference in conversion with its 95 % interval (Newcombe's hybrid score) and
    the p-value of the test used (``fisher_exact`` when an expected count is below 5, else
    ``z_test``), beside the counts it came from."""

    __slots__ = ()

    # Overrides the generated accessor only to keep the published type list[Any]
    # (the schema's items are StepComparisonDict).
    @property
    def steps(self) -> list[Any]:
        return cast("list[Any]", self._get("steps"))

    def _rows(self) -> list[dict[str, Any]]:
        return [_flat(step) for step in self._data["steps"]]

    def to_pandas(self) -> pandas.DataFrame:
        """One row per step after the first: step, a_users, a_base, b_users, b_base,
        a_conversion, b_conversion, difference (b − a), interval_low, interval_high, test, z,
        p_value."""
        return _to_pandas(COMPARISON_STEP_COLUMNS, self._rows())

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas`."""
        return _to_polars(COMPARISON_STEP_COLUMNS, self._rows())

    def _describe(self) -> str:
        return f"a={self._data['a_label']!r} b={self._data['b_label']!r}"


TRANSITION_COLUMNS: Columns = (
    ("from", "str"),
    ("to", "str"),
    ("events", "int"),
    ("users", "int"),
    ("share", "float"),
    ("median_seconds", "float"),
)


class PathsResult(PathsResultFields):
    """The directly-follows graph of a log (events, or touchpoints with a journey): nodes,
    transitions most frequent first, backtracking between stages and drop-off paths."""

    __slots__ = ()

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

    def to_pandas(self) -> pandas.DataFrame:
        """One row per transition, most frequent first: from, to, events, users, share,
        median_seconds."""
        return _to_pandas(TRANSITION_COLUMNS, self._data["transitions"])

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas`."""
        return _to_polars(TRANSITION_COLUMNS, self._data["transitions"])

    def _describe(self) -> str:
        return (
            f"level={self._data['level']!r} nodes={len(self._data['nodes'])} "
            f"transitions={len(self._data['transitions'])}"
        )


LOYALTY_COLUMNS: Columns = (
    ("purchase_event", "str"),
    ("customers", "int"),
    ("repeat_customers", "int"),
    ("repeat_rate", "float"),
    ("interval_low", "float"),
    ("interval_high", "float"),
    ("purchases_per_customer", "float"),
    ("median_seconds_to_second_purchase", "float"),
    ("average_order_value", "float"),
)


class LoyaltyResult(LoyaltyResultFields):
    """Repeat purchases: customers, repeat customers and rate (Wilson interval), purchases
    per customer, time to the second purchase, average order value."""

    __slots__ = ()

    def _row(self) -> dict[str, Any]:
        data = self._data
        interval: dict[str, Any] = dict(data.get("interval") or {})
        return {
            "purchase_event": data["purchase_event"],
            "customers": data["customers"],
            "repeat_customers": data["repeat_customers"],
            "repeat_rate": data.get("repeat_rate"),
            "interval_low": interval.get("low"),
            "interval_high": interval.get("high"),
            "purchases_per_customer": data.get("purchases_per_customer"),
            "median_seconds_to_second_purchase": data["time_to_second_purchase"].get("median"),
            "average_order_value": data.get("average_order_value"),
        }

    def to_pandas(self) -> pandas.DataFrame:
        """One row with the counts, the rate and its interval, and the medians."""
        return _to_pandas(LOYALTY_COLUMNS, [self._row()])

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas`."""
        return _to_polars(LOYALTY_COLUMNS, [self._row()])

    def _describe(self) -> str:
        return (
            f"customers={self._data['customers']} "
            f"repeat_rate={_number(self._data.get('repeat_rate'))}"
        )


class ApplyReport(ApplyReportFields):
    """What applying an event log to a journey did: events, users, unmapped events, the data
    period and how many metrics were written."""

    __slots__ = ()

    # Overrides the generated accessor only for a fuller docstring than the schema's.
    @property
    def metrics(self) -> list[AppliedMetricDict]:
        """Every metric of the written journey with its JSON Pointer and what ``apply`` did:
        ``added``, ``replaced`` (a measured metric of an earlier run) or ``left_alone``."""
        return cast("list[AppliedMetricDict]", self._get("metrics"))

    def to_pandas(self) -> pandas.DataFrame:
        """One row per metric: path, id, kind, action, value, unit, sample_size."""
        return _to_pandas(APPLIED_COLUMNS, self.metrics)

    def to_polars(self) -> polars.DataFrame:
        """Same table as :meth:`to_pandas`."""
        return _to_polars(APPLIED_COLUMNS, self.metrics)

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
