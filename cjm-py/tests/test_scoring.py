"""Scoring and gap analysis through the Python API: result objects, DataFrames, survey inputs,
errors, and identical serialisation with the CLI."""

from __future__ import annotations

import datetime
import io
import json
import pickle
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any, cast, get_args

import cjm
import pandas as pd
import polars as pl
import pytest
from cjm import _result_base, _results

REPO = Path(__file__).resolve().parents[2]

SPORTS = REPO / "examples" / "sports-nutrition" / "journey.yaml"
SPORTS_TO_BE = REPO / "examples" / "sports-nutrition" / "journey-to-be.yaml"
SCORING = REPO / "tests" / "inputs" / "scoring.yaml"
TODAY = "2026-11-27"


@pytest.fixture(scope="module")
def sports() -> cjm.Journey:
    return cjm.load(SPORTS)


@pytest.fixture(scope="module")
def sports_to_be() -> cjm.Journey:
    return cjm.load(SPORTS_TO_BE)


@pytest.fixture(scope="module")
def scoring() -> cjm.Journey:
    return cjm.load(SCORING)


# -- the worked example (docs/scoring.md) ------------------------------------------------------


def test_sports_nutrition_top_gaps(sports: cjm.Journey) -> None:
    gaps = sports.gaps().gaps
    assert [g["subject"] for g in gaps[:2]] == ["post-delivery-vacuum", "post-order-anxiety"]
    assert [g["severity"] for g in gaps[:2]] == pytest.approx([0.70, 0.48])
    top = sports.health(today=TODAY).top_gaps
    assert [g["subject"] for g in top[:2]] == ["post-delivery-vacuum", "post-order-anxiety"]


def test_sports_nutrition_worked_example(sports: cjm.Journey) -> None:
    friction = sports.friction()
    by_touchpoint = {t["touchpoint"]: t["score"] for t in friction.touchpoints}
    assert by_touchpoint["first-use"]["index"] == pytest.approx(70.9, abs=0.05)
    assert by_touchpoint["first-use"]["coverage"] == pytest.approx(0.5)
    assert by_touchpoint["order-confirmation-email"]["index"] == pytest.approx(54.1, abs=0.05)
    plan = sports.plan()
    assert plan.items[0]["id"] == "usage-instructions"
    assert plan.items[0]["score"] == pytest.approx(7200)


# -- result objects ----------------------------------------------------------------------------

RESULT_DICTS: dict[type[Any], Any] = {
    cjm.EmotionCurve: cjm.EmotionCurveDict,
    cjm.FrictionReport: cjm.FrictionReportDict,
    cjm.GapReport: cjm.GapReportDict,
    cjm.Comparison: cjm.ComparisonDict,
    cjm.Plan: cjm.PlanDict,
    cjm.Health: cjm.HealthDict,
    cjm.ScoreReport: cjm.ScoreReportDict,
    cjm.NpsResult: cjm.NpsResultDict,
    cjm.CsatResult: cjm.CsatResultDict,
    cjm.CesResult: cjm.CesResultDict,
}


@pytest.mark.parametrize("cls", list(RESULT_DICTS), ids=lambda c: c.__name__)
def test_every_top_level_field_is_an_attribute(cls: type[Any]) -> None:
    fields = set(RESULT_DICTS[cls].__annotations__)
    # Plain fields are generated into a base class (cjm._results_generated): look up the MRO.
    attributes = {
        name
        for klass in cls.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, property)
    }
    assert attributes == fields
    assert cls.__module__ == "cjm"
    assert cls.__name__ in cjm.__all__


def all_results(
    sports: cjm.Journey, sports_to_be: cjm.Journey
) -> list[Any]:  # one of each result class
    return [
        sports.emotion_curve(),
        sports.friction(),
        sports.gaps(),
        cjm.gaps(sports, sports_to_be),
        sports.plan(),
        sports.health(today=TODAY),
        sports.score(today=TODAY),
        cjm.nps([10, 9, 8, 3]),
        cjm.csat([5, 4, 3]),
        cjm.ces([7, 6, 5, 1]),
    ]


def test_results_are_frozen_values(sports: cjm.Journey, sports_to_be: cjm.Journey) -> None:
    for result in all_results(sports, sports_to_be):
        data = result.to_dict()
        assert isinstance(data, dict)
        # Attributes are the top-level fields of to_dict().
        for key, value in data.items():
            attribute = getattr(result, key)
            if isinstance(attribute, _result_base._Result):
                assert attribute.to_dict() == value
            elif isinstance(attribute, list) and attribute and hasattr(attribute[0], "to_dict"):
                assert [a.to_dict() for a in attribute] == value
            else:
                assert attribute == value
        # Frozen: no assignment, and changing what to_dict() returned changes nothing.
        with pytest.raises(AttributeError):
            result.anything = 1
        with pytest.raises(AttributeError):
            del result._data
        data.clear()
        assert result.to_dict() != {}
        # Equal by value, unhashable like the dicts they hold, picklable, readable.
        assert type(result)(result.to_dict()) == result
        assert result != data
        with pytest.raises(TypeError):
            hash(result)
        assert pickle.loads(pickle.dumps(result)) == result
        assert repr(result).startswith(f"<cjm.{type(result).__name__} ")
        # Plain JSON data.
        again = json.loads(json.dumps(result.to_dict(), allow_nan=False))
        assert again == result.to_dict()


def test_lists_returned_by_attributes_are_copies(sports: cjm.Journey) -> None:
    report = sports.gaps()
    report.gaps.clear()
    assert report.gaps


def test_reprs(sports: cjm.Journey) -> None:
    assert repr(sports.friction()).startswith("<cjm.FrictionReport index=28.81 coverage=")
    assert repr(sports.gaps()).endswith("top='post-delivery-vacuum' (0.7)>")
    assert repr(cjm.nps([10, 9, 8, 3])) == (
        "<cjm.NpsResult nps=25 interval=[-44.16, 72.73] responses=4>"
    )


def test_curves(scoring: cjm.Journey) -> None:
    curves = scoring.emotion_curves()
    assert [c.persona for c in curves] == [None, "a", "b"]
    assert curves[0] == scoring.emotion_curve()
    assert curves[1] == scoring.emotion_curve("a")
    stats = curves[0].stats
    assert stats is not None
    assert stats["mean"] == pytest.approx(-0.208333333333)
    report = scoring.score(today=TODAY)
    assert report.curves == curves
    assert report.friction == scoring.friction()
    assert report.health == scoring.health(today=TODAY)


def test_health_defaults_to_the_current_date(scoring: cjm.Journey) -> None:
    updated = datetime.date.fromisoformat(str(scoring.updated))
    expected = (datetime.date.today() - updated).days
    assert scoring.health().days_since_update == expected
    assert scoring.health(today=datetime.date(2026, 11, 27)).days_since_update == 26
    assert scoring.health(today=datetime.datetime(2026, 11, 27, 23, 59)).days_since_update == 26


def test_weights(scoring: cjm.Journey) -> None:
    default = scoring.friction()
    assert default.weights["emotion"] == 0.25
    emotion_only = {str(kind): 0.0 for kind in _results.COMPONENT_KINDS} | {"emotion": 1.0}
    report = scoring.friction(emotion_only)
    assert [t["score"].get("index") for t in report.touchpoints] == [0.0, 50.0, 62.5]
    # Omitted components keep their defaults; any Mapping works.
    partial = scoring.friction(types.MappingProxyType({"emotion": 0.4}))
    assert partial.weights == {**default.weights, "emotion": 0.4}
    assert scoring.friction(None) == default
    assert scoring.health(today=TODAY, weights={"emotion": 1}).friction != (
        scoring.health(today=TODAY).friction
    )


@pytest.mark.parametrize(
    "weights",
    [{"emotoin": 1.0}, {"emotion": "high"}, {"emotion": float("nan")}, [("emotion", 1.0)], 3],
    ids=["unknown-name", "string", "nan", "list", "number"],
)
def test_bad_weights_are_usage_errors(scoring: cjm.Journey, weights: Any) -> None:
    for call in (
        lambda: scoring.friction(weights),
        lambda: scoring.health(today=TODAY, weights=weights),
        lambda: scoring.score(today=TODAY, weights=weights),
        lambda: cjm.gaps(scoring, scoring, weights=weights),
    ):
        with pytest.raises(cjm.UsageError) as caught:
            call()
        assert caught.value.code == "invalid_option"
        assert isinstance(caught.value, ValueError)


def test_usage_errors(scoring: cjm.Journey) -> None:
    with pytest.raises(cjm.UsageError) as caught:
        scoring.emotion_curve("nobody")
    assert caught.value.code == "unknown_persona"
    assert "a, b" in caught.value.message
    with pytest.raises(cjm.UsageError) as caught:
        scoring.health(today="27.11.2026")
    assert caught.value.code == "invalid_option"
    with pytest.raises(cjm.UsageError) as caught:
        scoring.score(today=TODAY, stale_after_days=-1)
    assert caught.value.code == "invalid_option"
    with pytest.raises(TypeError):
        scoring.emotion_curve(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        scoring.compare(scoring.to_dict())  # type: ignore[arg-type]


def test_gaps_function(scoring: cjm.Journey, sports: cjm.Journey) -> None:
    report = cjm.gaps(scoring)
    assert isinstance(report, cjm.GapReport)
    assert report == scoring.gaps() == cjm.gaps(scoring.to_dict())
    same = cjm.gaps(scoring, scoring.to_dict())
    assert isinstance(same, cjm.Comparison)
    assert same.worse == []
    assert same.added == same.removed == []
    assert same == scoring.compare(scoring)


# -- survey metrics ----------------------------------------------------------------------------

NPS_ANSWERS = [10, 9, 8, 3]


@pytest.mark.parametrize(
    "responses",
    [
        NPS_ANSWERS,
        tuple(NPS_ANSWERS),
        [float(a) for a in NPS_ANSWERS],
        iter(NPS_ANSWERS),
        pd.Series(NPS_ANSWERS),
        pd.Series(NPS_ANSWERS, dtype="Int64"),
        pd.Series([float(a) for a in NPS_ANSWERS]),
        pl.Series(NPS_ANSWERS),
        pd.Series(NPS_ANSWERS).to_numpy(),
    ],
    ids=[
        "list",
        "tuple",
        "floats",
        "iterator",
        "pandas",
        "pandas-Int64",
        "pandas-float",
        "polars",
        "numpy",
    ],
)
def test_survey_inputs(responses: Any) -> None:
    result = cjm.nps(responses)
    assert result.nps == 25.0
    assert (result.promoters, result.passives, result.detractors) == (2, 1, 1)


def test_survey_metrics() -> None:
    csat = cjm.csat((5, 4, 4, 3, 2, 5, 1, 4))
    assert csat.csat == 62.5
    assert csat.interval["low"] == pytest.approx(30.574239460262735)
    ces = cjm.ces(pd.Series([7, 6, 5, 5, 3, 2, 1]))
    assert ces.easy == 4
    assert ces.mean == pytest.approx(4.142857142857143)


def test_survey_errors() -> None:
    with pytest.raises(cjm.DataError) as caught:
        cjm.nps([])
    assert caught.value.code == "no_responses"
    with pytest.raises(cjm.DataError) as caught:
        cjm.nps([10, 11])
    assert (caught.value.code, caught.value.path) == ("invalid_response", "/1")
    with pytest.raises(cjm.DataError) as caught:
        cjm.csat([5, 4.5])
    assert (caught.value.code, caught.value.path) == ("invalid_response", "/1")
    # Missing answers are refused by the core, with their position.
    for missing in (
        [5, None, 4],
        pd.Series([5, None, 4], dtype="Int64"),
        pd.Series([5.0, float("nan"), 4.0]),
        pl.Series([5, None, 4]),
    ):
        with pytest.raises(cjm.DataError) as caught:
            cjm.ces(missing)
        assert (caught.value.code, caught.value.path) == ("invalid_response", "/1")
    for wrong in ("9", b"9", 9, {"a": 9}, [9, "10"], [True, 9]):
        with pytest.raises(TypeError):
            cjm.nps(cast(Any, wrong))


def test_survey_does_not_import_dataframe_libraries() -> None:
    code = (
        "import sys, cjm; cjm.nps([10, 9]); cjm.csat((5,)); cjm.ces(iter([7])); "
        "cjm.load(sys.argv[1]).friction(); "
        "assert not {'numpy', 'pandas', 'polars'} & set(sys.modules), sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code, str(SCORING)], check=True)


# -- DataFrames --------------------------------------------------------------------------------


def frames(result: Any) -> tuple[pd.DataFrame, pl.DataFrame]:
    pandas_frame = result.to_pandas()
    polars_frame = result.to_polars()
    assert isinstance(pandas_frame, pd.DataFrame)
    assert isinstance(polars_frame, pl.DataFrame)
    assert list(pandas_frame.columns) == polars_frame.columns
    assert pandas_frame.shape == polars_frame.shape
    return pandas_frame, polars_frame


def test_curve_frames(scoring: cjm.Journey) -> None:
    curve = scoring.emotion_curve("a")
    p, q = frames(curve)
    assert list(p.columns) == [
        "persona",
        "stage",
        "touchpoint",
        "touchpoint_name",
        "value",
        "score",
        "sample_size",
        "margin",
    ]
    assert p.shape == (3, 8)
    assert list(p["value"]) == [1.0, -0.5, -1.0]
    assert list(p["persona"]) == ["a", "a", "a"]
    assert str(p["sample_size"].dtype) == "Int64"
    assert p["sample_size"].isna().tolist() == [True, True, False]
    assert q["sample_size"].to_list() == [None, None, 100]
    assert q.schema["margin"] == pl.Float64
    # Points map to rows; the persona column tells concatenated curves apart.
    every = pd.concat([c.to_pandas() for c in scoring.emotion_curves()])
    assert len(every) == sum(len(c.points) for c in scoring.emotion_curves())


def test_friction_frames(scoring: cjm.Journey, sports: cjm.Journey) -> None:
    report = scoring.friction()
    p, q = frames(report)
    components = list(get_args(cjm.ComponentKind))
    assert list(p.columns) == [
        "stage",
        "touchpoint",
        "name",
        "traffic",
        "index",
        "coverage",
        *components,
    ]
    assert components[:3] == ["emotion", "pain", "drop_off"]
    assert p.shape == (3, 6 + 8)
    assert list(p["index"]) == pytest.approx([9.23076923076923, 45.0, 47.5])
    # Contributions sum to the index; missing evidence is NaN / null, not 0.
    assert (p[components].sum(axis=1) - p["index"]).abs().max() < 1e-9
    assert p.loc[0, "drop_off"] == pytest.approx(9.23076923076923)
    assert p["drop_off"].isna().tolist() == [False, True, False]
    assert q["support"].to_list() == [None, None, None]
    assert q.schema["support"] == pl.Float64
    assert q["traffic"].to_list() == [None, None, 400.0]
    # The worked example: the first use leads.
    top = sports.friction().to_pandas().sort_values("index", ascending=False).iloc[0]
    assert top["touchpoint"] == "first-use"


def test_gap_frames(sports: cjm.Journey) -> None:
    report = sports.gaps()
    p, q = frames(report)
    assert list(p.columns) == [
        "kind",
        "severity",
        "stage",
        "touchpoint",
        "subject",
        "message",
        "evidence",
    ]
    assert len(p) == len(report.gaps)
    assert list(p["subject"][:2]) == ["post-delivery-vacuum", "post-order-anxiety"]
    assert q.schema["evidence"] == pl.List(pl.String)
    assert isinstance(p.loc[0, "evidence"], list)


def test_comparison_frames(sports: cjm.Journey, sports_to_be: cjm.Journey) -> None:
    comparison = cjm.gaps(sports, sports_to_be)
    p, _ = frames(comparison)
    assert list(p.columns) == [
        "stage",
        "touchpoint",
        "emotion_before",
        "emotion_after",
        "emotion_change",
        "friction_before",
        "friction_after",
        "friction_change",
    ]
    assert len(p) == len(comparison.touchpoints)
    first_use = p[p["touchpoint"] == "first-use"].iloc[0]
    assert first_use["friction_change"] < 0


def test_plan_frames_and_csv(sports: cjm.Journey, scoring: cjm.Journey) -> None:
    plan = sports.plan()
    p, q = frames(plan)
    # Every item field, in the order of the core's CSV table.
    assert set(p.columns) == set(cjm.PlanItemDict.__annotations__)
    assert ",".join(p.columns) == plan.to_csv().splitlines()[0]
    assert len(p) == len(plan.items)
    assert list(p["rank"]) == list(range(1, len(p) + 1))
    assert str(p["rank"].dtype) == "int64"
    assert str(p["high_priority"].dtype) == "bool"
    assert q.schema["flags"] == pl.List(pl.String)
    assert q.schema["addresses"] == pl.List(pl.String)
    csv = plan.to_csv()
    lines = csv.splitlines()
    assert lines[0].startswith("rank,id,title,method,score")
    assert len(lines) == len(plan.items) + 1
    # The CSV reads back as the same table (numbers rounded to 6 places by the core).
    back = pd.read_csv(io.StringIO(csv), keep_default_na=False)
    assert list(back["id"]) == list(p["id"])
    # An empty plan still has typed columns.
    empty = cjm.Plan({"items": [], "unaddressed_pain_points": []})
    p, q = frames(empty)
    assert p.shape == (0, 18)
    assert q.schema["score"] == pl.Float64
    assert empty.to_csv().count("\n") == 1
    assert scoring.plan().to_csv().count("\n") == 4


def test_survey_frames() -> None:
    p, q = frames(cjm.nps(NPS_ANSWERS))
    assert list(p.columns) == [
        "responses",
        "promoters",
        "passives",
        "detractors",
        "nps",
        "interval_low",
        "interval_high",
    ]
    assert p.shape == (1, 7)
    assert p.loc[0, "nps"] == 25.0
    assert q.schema["responses"] == pl.Int64
    p, q = frames(cjm.csat([5, 4, 3]))
    assert list(p.columns) == ["responses", "satisfied", "csat", "interval_low", "interval_high"]
    p, q = frames(cjm.ces([7, 6, 5, 1]))
    assert list(p.columns) == [
        "responses",
        "mean",
        "mean_interval_low",
        "mean_interval_high",
        "easy",
        "share_easy",
        "share_interval_low",
        "share_interval_high",
    ]
    assert q.row(0, named=True)["easy"] == 3


def test_missing_dataframe_library_is_named(
    monkeypatch: pytest.MonkeyPatch, scoring: cjm.Journey
) -> None:
    report = scoring.friction()
    for module, method in (("pandas", report.to_pandas), ("polars", report.to_polars)):
        monkeypatch.setitem(sys.modules, module, None)
        with pytest.raises(ImportError, match=f"needs the '{module}' package.*pip install"):
            method()


# -- identical serialisation across fronts -----------------------------------------------------


def cli(*args: str) -> str:
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("cargo is not installed: the CLI cannot be run")
    done = subprocess.run(
        [cargo, "run", "-q", "-p", "cjm-cli", "--", *args],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("path", [SPORTS, SCORING], ids=lambda p: Path(p).name)
def test_json_identity_with_the_cli(path: Path) -> None:
    journey = cjm.load(path)
    report = json.loads(cli("score", str(path), "--format", "json", "--today", TODAY))
    score = journey.score(today=TODAY)
    assert score.to_dict() == report
    assert score.health.to_dict() == report["health"]
    assert journey.health(today=TODAY).to_dict() == report["health"]
    assert journey.friction().to_dict() == report["friction"]
    assert [c.to_dict() for c in journey.emotion_curves()] == report["curves"]
    plan = json.loads(cli("plan", str(path), "--format", "json"))
    assert journey.plan().to_dict() == plan
    assert journey.plan().to_csv() == cli("plan", str(path), "--format", "csv")
    gaps = json.loads(cli("gaps", str(path), "--format", "json"))
    assert gaps == {"gaps": journey.gaps().to_dict(), "comparison": None}


def test_json_identity_of_comparison_with_the_cli(
    sports: cjm.Journey, sports_to_be: cjm.Journey
) -> None:
    weights = {"emotion": 0.5, "errors": 0.0}
    out = cli(
        "gaps", str(SPORTS), str(SPORTS_TO_BE), "--format", "json", "--weights", json.dumps(weights)
    )
    assert json.loads(out) == {
        "gaps": cjm.gaps(sports).to_dict(),
        "comparison": cjm.gaps(sports, sports_to_be, weights=weights).to_dict(),
    }
