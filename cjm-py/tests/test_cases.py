"""Runs the language-neutral case files (``tests/cases/**/*.json``, see ``tests/README.md``)."""

from __future__ import annotations

import io
import json
import math
import re
import warnings
from pathlib import Path
from typing import Any

import cjm
import pytest

ROOT = Path(__file__).resolve().parents[2] / "tests"
CASES = sorted((ROOT / "cases").glob("**/*.json"))


def case_id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def input_bytes(case: dict[str, Any]) -> bytes:
    if "generate" in case:
        g = case["generate"]
        text = (
            str(g.get("prefix", "")) + str(g["repeat"]) * int(g["times"]) + str(g.get("suffix", ""))
        )
        return text.encode("utf-8")
    return (ROOT / str(case["input"])).read_bytes()


def input_format(case: dict[str, Any]) -> str:
    if "format" in case:
        return str(case["format"])
    return cjm._cjm.format_from_path(case["input"])


def load(case: dict[str, Any]) -> cjm.Journey:
    return cjm.loads(input_bytes(case), input_format(case), max_bytes=case.get("max_bytes"))


def as_plain(journey: cjm.Journey) -> Any:
    return json.loads(journey.dumps("json"))


def run_validate(case: dict[str, Any]) -> None:
    options = case.get("options", {})
    today = options.get("today")
    # The core checks staleness only when told today's date; so does the case format.
    stale: int | None = options.get("stale_after_days", 180) if today is not None else None
    problems = load(case).validate(today=today, stale_after_days=stale)
    got = [{"code": p.code, "severity": p.severity, "path": p.path} for p in problems]
    want = [{k: p[k] for k in ("code", "severity", "path")} for p in case["expect"]["problems"]]
    assert got == want, "\n".join(f"{p.severity} {p.code} {p.path}: {p.message}" for p in problems)


def run_load(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if "error" in expect:
        want = expect["error"]
        with pytest.raises(cjm.CjmError) as caught:
            load(case)
        error = caught.value
        got = {"code": error.code, "kind": error.kind}
        for field in ("line", "column", "path"):
            if field in want:
                got[field] = getattr(error, field)
        assert got == want, str(error)
    else:
        expected = json.loads((ROOT / expect["journey"]).read_bytes())
        assert as_plain(load(case)) == expected


def run_convert(case: dict[str, Any]) -> None:
    output = load(case).dumps(case["to"])
    assert output == (ROOT / case["expect"]["output"]).read_bytes().decode("utf-8")


def run_roundtrip(case: dict[str, Any]) -> None:
    journey = load(case)
    written = journey.dumps(case["to"])
    again = cjm.loads(written, case["to"])
    assert as_plain(again) == as_plain(journey), written


def contains(actual: Any, expected: Any, path: str = "") -> None:
    """``expected`` must be contained in ``actual`` (``tests/README.md``): objects by the keys
    given (``None`` expects None or absence), arrays element-wise with the same length, numbers
    within 1e-9 relative, everything else equal."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r}, expected an object"
        for key, value in expected.items():
            contains(actual.get(key), value, f"{path}/{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: {actual!r}, expected an array"
        assert len(actual) == len(expected), (
            f"{path}: {len(actual)} items, expected {len(expected)}: {actual!r}"
        )
        for index, (a, e) in enumerate(zip(actual, expected)):
            contains(a, e, f"{path}/{index}")
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        is_number = isinstance(actual, (int, float)) and not isinstance(actual, bool)
        assert is_number, f"{path}: {actual!r}, expected {expected!r}"
        assert math.isclose(actual, expected, rel_tol=0.0, abs_tol=1e-9 * max(abs(expected), 1)), (
            f"{path}: {actual!r}, expected {expected!r}"
        )
    else:
        same = type(actual) is type(expected) and actual == expected
        assert same, f"{path}: {actual!r}, expected {expected!r}"


def analysis(case: dict[str, Any]) -> dict[str, Any]:
    """Runs an analysis op through the public API and returns the result's ``to_dict()``."""
    op = case["op"]
    options = case.get("options", {})
    if op in ("nps", "csat", "ces"):
        survey: Any = {"nps": cjm.nps, "csat": cjm.csat, "ces": cjm.ces}[op]
        return dict(survey(case["responses"]).to_dict())
    journey = load(case)
    weights = options.get("weights")
    result: Any
    if op == "curve":
        result = journey.emotion_curve(options.get("persona"))
    elif op == "friction":
        result = journey.friction(weights)
    elif op == "gaps":
        result = cjm.gaps(journey)
    elif op == "compare":
        to_be_path = ROOT / case["input_to_be"]
        to_be = cjm.loads(to_be_path.read_bytes(), input_format(case))
        result = cjm.gaps(journey, to_be, weights=weights)
    elif op == "plan":
        result = journey.plan()
    elif op == "health":
        assert "today" in options, "a health case names its date"
        result = journey.health(
            today=options["today"],
            stale_after_days=options.get("stale_after_days", 180),
            weights=weights,
        )
    else:
        raise AssertionError(f"unknown analysis op {op!r}")
    return dict(result.to_dict())


def read_options(case: dict[str, Any]) -> dict[str, Any]:
    """The case's ``read`` options as keyword arguments; a key the API does not know (every
    key of :class:`cjm.ReadOptionsDict` is one) fails the case instead of being ignored."""
    read = dict(case.get("read", {}))
    known = cjm.ReadOptionsDict.__optional_keys__ | cjm.ReadOptionsDict.__required_keys__
    unknown = sorted(set(read) - known)
    assert not unknown, f"unknown read option(s) {unknown}"
    return read


def event_analysis(case: dict[str, Any]) -> dict[str, Any]:
    """Runs an event op: ``compare_funnel`` and ``loyalty`` get the log read by pandas (a
    DataFrame goes through pyarrow), ``funnel`` and ``paths`` its path (read by the core)."""
    op = case["op"]
    options = case.get("options", {})
    path = ROOT / case["events"]
    read = read_options(case)
    spec = case.get("spec", {})
    result: Any
    if op == "funnel":
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = cjm.funnel(
                path,
                spec["steps"],
                spec["window"],
                mode=spec.get("mode", "default"),
                by=spec.get("by"),
                interval=spec.get("interval"),
                **read,
            )
        # Every warning in the result reaches the user as a UserWarning, and no other.
        assert [str(w.message) for w in caught if w.category is UserWarning] == result.warnings
        if "skipped_rows" in case["expect"]:
            log = cjm._events.event_log(path, **read)
            assert log.skipped_rows == case["expect"]["skipped_rows"]
    elif op == "paths":
        result = cjm.paths(str(path), goal=options.get("goal"), top=options.get("top"), **read)
    elif op == "compare_funnel":
        import pandas as pd

        split = case["split"]
        segment = split.get("segment")
        periods = split.get("periods")
        result = cjm.compare_funnel(
            pd.read_csv(path),
            spec["steps"],
            spec["window"],
            mode=spec.get("mode", "default"),
            # Object forms as pairs; the CLI's text forms as they are.
            split=segment
            if isinstance(segment, str)
            else ((segment["column"], segment["value"]) if segment else None),
            periods=periods
            if isinstance(periods, str)
            else ((periods["a"], periods["b"]) if periods else None),
            **read,
        )
    elif op == "loyalty":
        import pandas as pd

        result = cjm.loyalty(pd.read_csv(path), options.get("purchase_event", "purchase"), **read)
    elif op == "retention":
        # The log read by polars (its empty cells are nulls): DataFrames and files agree.
        import polars as pl

        result = cjm.retention(
            pl.read_csv(path),
            spec["start"],
            spec.get("return_event"),
            interval=spec.get("interval", "week"),
            periods=spec.get("periods", 8),
            unbounded=spec.get("unbounded", False),
            **read,
        )
    elif op == "apply":
        unknown = sorted(set(options) - {"window", "evidence_id"})
        assert not unknown, f"unknown apply option(s) {unknown}"
        applied, report = cjm.apply_events(load(case), path, **options, **read)
        return {"journey": dict(applied.to_dict()), "report": dict(report.to_dict())}
    else:
        raise AssertionError(f"unknown event op {op!r}")
    return dict(result.to_dict())


EVENT_OPS = ("funnel", "paths", "compare_funnel", "loyalty", "retention", "apply")


def run_analysis(case: dict[str, Any]) -> None:
    expect = case["expect"]
    run = event_analysis if case["op"] in EVENT_OPS else analysis
    if "error" in expect:
        want = expect["error"]
        with pytest.raises(cjm.CjmError) as caught:
            run(case)
        error = caught.value
        got: dict[str, Any] = {"code": error.code, "kind": error.kind}
        for field in ("path", "line", "column"):
            if field in want:
                got[field] = getattr(error, field)
        assert got == want, str(error)
    else:
        result = run(case)
        # What the Python API returns is plain JSON data.
        assert json.loads(json.dumps(result, allow_nan=False)) == result
        contains(result, expect["result"])
        if "table" in expect:
            check_table(result, expect["table"])


def check_table(result: dict[str, Any], want: dict[str, str]) -> None:
    """The result class whose table ``want["kind"]`` is, given the result's data: its CSV must
    equal the expected file and its DataFrame must hold the same columns and rows."""
    import pandas as pd

    classes = [getattr(cjm, name) for name in cjm.__all__]
    (cls,) = [c for c in classes if getattr(c, "_TABLE", None) == want["kind"]]
    table = cls(result)
    expected = (ROOT / want["csv"]).read_text(encoding="utf-8")
    assert table.to_csv() == expected
    frame = table.to_pandas()
    from_csv = pd.read_csv(io.StringIO(expected), keep_default_na=False, na_values=[""])
    assert list(frame.columns) == list(from_csv.columns)
    assert len(frame) == len(from_csv)


_BAR = re.compile(r'<rect\b[^>]*\bclass="bar"[^>]*>')
_WIDTH = re.compile(r'\bwidth="([^"]*)"')


def run_funnel_chart(case: dict[str, Any]) -> None:
    """The funnel chart: ``expect.svg`` holds substring counts and bar widths."""
    spec = case["spec"]
    result = cjm.funnel(
        ROOT / case["events"],
        spec["steps"],
        spec["window"],
        mode=spec.get("mode", "default"),
        by=spec.get("by"),
        **read_options(case),
    )
    svg = result.to_svg(**case.get("options", {}))
    want = case["expect"]["svg"]
    for needle, count in want["count"].items():
        assert svg.count(needle) == count, f"{needle!r} occurs {svg.count(needle)} times"
    if "bars" in want:
        widths = []
        for tag in _BAR.findall(svg):
            found = _WIDTH.search(tag)
            assert found, tag
            widths.append(float(found.group(1)))
        contains(widths, want["bars"], "/bars")


RUNNERS = {
    "validate": run_validate,
    "load": run_load,
    "convert": run_convert,
    "roundtrip": run_roundtrip,
    **dict.fromkeys(
        ("curve", "friction", "gaps", "compare", "plan", "health", "nps", "csat", "ces"),
        run_analysis,
    ),
    **dict.fromkeys(EVENT_OPS, run_analysis),
    "funnel_chart": run_funnel_chart,
}

# Ops the Python API does not bind (none at the moment). Listed by name so any other unknown
# op still fails.
NOT_YET_BOUND: set[str] = set()


OPTION_KEYS: dict[str, list[str]] = json.loads((ROOT / "fronts.json").read_bytes())["options"]


@pytest.mark.parametrize("path", CASES, ids=[case_id(p) for p in CASES])
def test_case(path: Path) -> None:
    case = json.loads(path.read_bytes())
    if case["op"] in NOT_YET_BOUND:
        pytest.skip(f"op {case['op']!r} is not in the Python API yet")
    assert case["op"] in RUNNERS, f"unknown op {case['op']!r}"
    # A key the op does not take fails the case: a misspelt option would test the default.
    unknown = sorted(set(case.get("options", {})) - set(OPTION_KEYS.get(case["op"], [])))
    assert not unknown, f"unknown option(s) {unknown} for op {case['op']!r}"
    RUNNERS[case["op"]](case)


def test_cases_exist() -> None:
    """The shared cases are part of the suite: finding none means the runner looks wrongly."""
    assert CASES, f"no case files under {ROOT / 'cases'}"
    ops = {json.loads(p.read_bytes())["op"] for p in CASES}
    assert {"curve", "friction", "gaps", "compare", "plan", "health", "nps"} <= ops
    assert set(EVENT_OPS) <= ops


def test_contains_is_strict_where_it_must_be() -> None:
    contains({"a": 1.0, "b": None}, {"a": 1.0 + 1e-12, "b": None, "c": None})
    for actual, expected in [
        ({"a": 1.0}, {"a": 1.1}),
        ([1, 2], [1]),
        ({"a": True}, {"a": 1}),
        ({"a": 0}, {"a": False}),
        ({"a": None}, {"a": {}}),
        ({"a": "x"}, {"a": "y"}),
    ]:
        with pytest.raises(AssertionError):
            contains(actual, expected)
