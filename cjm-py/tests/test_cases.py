"""Runs the language-neutral case files (``tests/cases/**/*.json``, see ``tests/README.md``)."""

from __future__ import annotations

import json
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


RUNNERS = {
    "validate": run_validate,
    "load": run_load,
    "convert": run_convert,
    "roundtrip": run_roundtrip,
}


@pytest.mark.parametrize("path", CASES, ids=[case_id(p) for p in CASES])
def test_case(path: Path) -> None:
    case = json.loads(path.read_bytes())
    assert case["op"] in RUNNERS, f"unknown op {case['op']!r}"
    RUNNERS[case["op"]](case)


def test_cases_exist() -> None:
    """The shared cases are part of the suite: finding none means the runner looks wrongly."""
    assert CASES, f"no case files under {ROOT / 'cases'}"
