"""Hostile input: every case must end in a clear, typed cjm error, quickly, never in a crash."""

from __future__ import annotations

import json
import math
import time
from functools import partial
from typing import Any, Callable

import cjm
import pytest

PREFIX = '{"id": "x", "title": "t", "x-deep": '


def parse_error(data: str | bytes, format: str = "json", **kwargs: Any) -> cjm.ParseError:
    with pytest.raises(cjm.ParseError) as caught:
        cjm.loads(data, format, **kwargs)
    error = caught.value
    assert error.kind == "parse"
    assert error.message
    return error


@pytest.mark.parametrize(
    ("text", "format", "code"),
    [
        ("{", "json", "json_syntax"),
        ('{"id": "x", "title": "t"} trailing', "json", "json_syntax"),
        ("", "json", "json_syntax"),
        ("[]", "json", "wrong_type"),
        ("null", "json", "wrong_type"),
        ('{"id": "x"}', "json", "wrong_type"),
        ('{"id": "x", "title": "t", "format_version": -1}', "json", "wrong_type"),
        ('{"id": "x", "title": "t", "format_version": 99}', "json", "unsupported_version"),
        ("id: x\ntitle: t\nstages: [\n", "yaml", "yaml_syntax"),
        ("a: b: c", "yaml", "yaml_syntax"),
        ("42", "yaml", "wrong_type"),
        ("id: x\ntitle: t\nstages: {}", "yaml", "wrong_type"),
        ("\t- broken", "yaml", "yaml_syntax"),
        ("stage,touchpoint\n1,2,3,4\n", "csv", "csv_syntax"),
        ('stage,touchpoint\n"unterminated', "csv", "csv_syntax"),
        ("a,b\n", "csv", "csv_syntax"),
        ("", "csv", "csv_syntax"),
        ("graph TD\nA-->B", "mermaid", "mermaid_syntax"),
        ("journey\n  section A\n    task: abc: me", "mermaid", "mermaid_syntax"),
        ("", "mermaid", "mermaid_syntax"),
    ],
)
def test_malformed_input(text: str, format: str, code: str) -> None:
    assert parse_error(text, format).code == code


def test_json_syntax_location() -> None:
    error = parse_error('{"id": "x",\n "title": }')
    assert (error.code, error.line, error.column) == ("json_syntax", 2, 11)


def test_50_mb_input_is_refused_quickly() -> None:
    data = b" " * (50 * 1024 * 1024)
    start = time.perf_counter()
    for format in cjm.FORMATS:
        error = parse_error(data, format)
        assert error.code == "input_too_large"
    assert time.perf_counter() - start < 2.0
    assert parse_error(data.decode("ascii")).code == "input_too_large"


def test_50_mb_file_is_refused_without_reading_it_whole(tmp_path: Any) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as file:
        file.truncate(50 * 1024 * 1024)
    with pytest.raises(cjm.ParseError) as caught:
        cjm.load(path)
    assert caught.value.code == "input_too_large"


def test_max_bytes_zero_refuses_everything() -> None:
    assert parse_error('{"id": "x", "title": "t"}', max_bytes=0).code == "input_too_large"


@pytest.mark.parametrize("format", ["json", "yaml"])
def test_100_000_deep_nesting(format: str) -> None:
    error = parse_error(PREFIX + "[" * 100_000, format)
    assert error.code == "too_deep"


def test_100_000_deep_bare_nesting() -> None:
    assert parse_error("[" * 100_000).code in {"too_deep", "wrong_type"}
    assert parse_error("[" * 100_000, "yaml").code in {"too_deep", "wrong_type"}
    assert parse_error("{" * 100_000).code in {"too_deep", "json_syntax", "wrong_type"}


def test_100_000_deep_block_yaml() -> None:
    lines = "".join("  " * i + "- \n" for i in range(1, 2000))
    assert parse_error("id: x\ntitle: t\nx-deep:\n" + lines, "yaml").code == "too_deep"


def test_yaml_alias_bomb() -> None:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        rows.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    text = "\n".join([*rows, "id: x", "title: t", ""])
    start = time.perf_counter()
    error = parse_error(text, "yaml")
    assert error.code == "yaml_alias_limit"
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("format", cjm.FORMATS)
def test_invalid_utf8(format: str) -> None:
    error = parse_error(b"id: x\ntitle: caf\xc3\xa9 \xff\xfe\n", format)
    assert (error.code, error.line, error.column) == ("invalid_utf8", 2, 13)


def test_lone_surrogate_in_str_is_invalid_utf8() -> None:
    error = parse_error('{"id": "\ud800", "title": "t"}')
    assert (error.code, error.line, error.column) == ("invalid_utf8", 1, 9)


NAN_YAML = """\
id: x
title: t
stages:
  - id: s
    name: S
    touchpoints:
      - id: tp
        name: T
        emotions:
          - score: .nan
"""


def test_nan_in_yaml_is_reported_not_written() -> None:
    journey = cjm.loads(NAN_YAML, "yaml")
    errors = [p for p in journey.validate(today="2026-11-27") if p.is_error]
    assert [(p.code, p.path) for p in errors] == [
        ("non_finite_number", "/stages/0/touchpoints/0/emotions/0/score")
    ]
    for format in ("json", "yaml"):
        with pytest.raises(cjm.ParseError) as caught:
            journey.dumps(format)
        assert caught.value.code == "non_finite_number"
        assert caught.value.path == "/stages/0/touchpoints/0/emotions/0/score"
    with pytest.raises(cjm.ParseError):
        journey.to_dict()
    with pytest.raises(cjm.ValidationError):
        journey.check(today="2026-11-27")
    assert "x" in repr(journey)


@pytest.mark.parametrize("value", [".inf", "-.inf"])
def test_infinity_in_yaml(value: str) -> None:
    journey = cjm.loads(NAN_YAML.replace(".nan", value), "yaml")
    assert "non_finite_number" in [p.code for p in journey.validate(today="2026-11-27")]
    with pytest.raises(cjm.ParseError, match="NaN or infinity"):
        journey.dumps("json")


@pytest.mark.parametrize(
    ("data", "code", "path"),
    [
        (
            {"id": "x", "title": "t", "emotion_scale": {"min": math.nan, "max": 2}},
            "non_finite_number",
            "/emotion_scale/min",
        ),
        (
            {"id": "x", "title": "t", "emotion_scale": {"min": 1, "max": math.inf}},
            "non_finite_number",
            "/emotion_scale/max",
        ),
        ({"id": "x", "title": "t", 1: 2}, "wrong_type", None),
        ({"id": "x", "title": "t", "tags": {"a"}}, "wrong_type", "/tags"),
        ({"id": "x", "title": "t", "x-when": object()}, "wrong_type", "/x-when"),
        ({"id": "x", "title": "t", "x-n": 10**400}, "wrong_type", "/x-n"),
        ({"id": "x", "title": "t", "format_version": 2**40}, "wrong_type", "/format_version"),
        ({"id": "x", "title": "t", "x-a/b": {"k~": b"bytes"}}, "wrong_type", "/x-a~1b/k~0"),
        ({"id": "x", "title": "t", "x-s": "\ud800"}, "invalid_utf8", "/x-s"),
        ({"id": 5, "title": "t"}, "wrong_type", "/id"),
        ({"title": "t"}, "wrong_type", None),
    ],
)
def test_hostile_dicts(data: Any, code: str, path: str | None) -> None:
    with pytest.raises(cjm.ParseError) as caught:
        cjm.Journey.from_dict(data)
    assert (caught.value.code, caught.value.path) == (code, path)


@pytest.mark.parametrize("data", [None, 5, "text", [1, 2], b"{}"])
def test_from_dict_of_non_dicts(data: Any) -> None:
    with pytest.raises(cjm.ParseError) as caught:
        cjm.Journey.from_dict(data)
    assert caught.value.code == "wrong_type"


def test_deep_and_cyclic_dicts() -> None:
    deep: list[Any] = []
    current = deep
    for _ in range(100_000):
        inner: list[Any] = []
        current.append(inner)
        current = inner
    with pytest.raises(cjm.ParseError) as caught:
        cjm.Journey.from_dict({"id": "x", "title": "t", "x-deep": deep})
    assert caught.value.code == "too_deep"

    cyclic: dict[str, Any] = {"id": "x", "title": "t"}
    cyclic["x-self"] = cyclic
    with pytest.raises(cjm.ParseError) as caught:
        cjm.Journey.from_dict(cyclic)
    assert caught.value.code == "too_deep"


def test_large_int_becomes_float_like_json() -> None:
    journey = cjm.Journey.from_dict({"id": "x", "title": "t", "x-n": 10**30})
    assert journey.to_dict()["x-n"] == 1e30  # type: ignore[typeddict-item]


def test_control_characters_and_nul() -> None:
    journey = cjm.Journey.from_dict({"id": "x", "title": "a\x00b\x1b[31m"})
    for format in cjm.FORMATS:
        text = journey.dumps(format)
        assert isinstance(text, str)
    assert cjm.loads(journey.dumps("json")).title == "a\x00b\x1b[31m"
    assert cjm.loads(journey.dumps("yaml"), "yaml").title == "a\x00b\x1b[31m"


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff{}",
        "\x00" * 1000,
        "journey\n" + "  section " + "x" * 100_000,
        "journey\n  title t\n  section s\n    a: 99999999999999999999999: me",
        "journey\n  title t\n  section s\n    a: NaN: me",
        "journey\n  title t\n  section s\n    a: -inf: me",
        "stage,touchpoint,emotion\ns,t,NaN\n",
        "stage,touchpoint,emotion\ns,t,1e999\n",
        "stage,touchpoint\n" + "s,t\n" * 10_000,
        "id: x\ntitle: t\n" + "x-k: v\n" * 2,
        "id: !!binary aGVsbG8=\ntitle: t\n",
        "&a [*a]",
        "id: x\ntitle: t\nstages: *missing\n",
    ],
)
@pytest.mark.parametrize("format", cjm.FORMATS)
def test_no_input_crashes(text: str, format: str) -> None:
    """Whatever the input, the outcome is a Journey or a CjmError: no panic, no other error."""
    outcomes = [attempt(lambda: cjm.loads(text, format))]
    if isinstance(outcomes[0], cjm.Journey):
        journey = outcomes[0]
        outcomes.append(attempt(lambda: journey.validate(today="2026-11-27")))
        outcomes.extend(attempt(partial(journey.dumps, f)) for f in cjm.FORMATS)
        outcomes.append(attempt(journey.to_dict))
        # Scoring never fails on a journey that loaded, and its results are plain JSON.
        for result in (
            journey.score(today="2026-11-27"),
            journey.gaps(),
            journey.plan(),
            cjm.gaps(journey, journey),
        ):
            json.dumps(result.to_dict(), allow_nan=False)
        journey.plan().to_csv()
    errors = [o for o in outcomes if isinstance(o, cjm.CjmError)]
    assert all(e.code and e.kind in {"parse", "validation", "usage"} for e in errors)


def attempt(action: Callable[[], object]) -> object:
    try:
        return action()
    except cjm.CjmError as error:
        return error
