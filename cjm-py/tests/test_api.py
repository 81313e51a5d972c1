"""The Python API: loading, round trips, validation, exceptions and Python protocols."""

from __future__ import annotations

import copy
import datetime
import errno
import json
import pickle
from pathlib import Path
from typing import Any

import cjm
import pytest

YAML = """\
id: protein
title: Покупка протеина
updated: "2026-11-01"
personas:
  - id: beginner
    name: Новичок
evidence:
  - id: survey
    kind: survey
    title: Опрос покупателей
stages:
  - id: choose
    name: Выбор
    touchpoints:
      - id: reviews
        name: Читает отзывы
        channel: reviews
        emotions: [{persona: beginner, score: 1}]
        evidence: [survey]
  - id: pay
    name: Оплата
    touchpoints:
      - id: checkout
        name: Оформляет заказ
        emotions: [{persona: beginner, score: -1}]
        evidence: [survey]
"""


@pytest.fixture
def journey() -> cjm.Journey:
    return cjm.loads(YAML, "yaml")


# -- loading ----------------------------------------------------------------------------------


def test_loads_str_and_bytes_agree(journey: cjm.Journey) -> None:
    assert cjm.loads(YAML.encode("utf-8"), "yaml") == journey
    assert cjm.loads(bytearray(YAML.encode("utf-8")), "yml") == journey
    assert cjm.loads(memoryview(YAML.encode("utf-8")), "yaml") == journey


def test_cyrillic_survives(journey: cjm.Journey) -> None:
    assert journey.title == "Покупка протеина"
    assert journey.stages[1]["touchpoints"][0]["name"] == "Оформляет заказ"
    for format in cjm.FORMATS:
        assert "Оформляет заказ" in journey.dumps(format)


def test_load_from_path_picks_format_from_extension(tmp_path: Path, journey: cjm.Journey) -> None:
    for suffix in (".yaml", ".yml", ".json"):
        path = tmp_path / f"map{suffix}"
        journey.save(path)
        assert cjm.load(path) == journey
        assert cjm.load(str(path)) == journey
    (tmp_path / "map.txt").write_text(YAML, encoding="utf-8")
    assert cjm.load(tmp_path / "map.txt", "yaml") == journey


def test_load_unknown_extension_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "map.txt"
    path.write_text(YAML, encoding="utf-8")
    with pytest.raises(cjm.UsageError) as caught:
        cjm.load(path)
    assert caught.value.code == "unsupported_format"


def test_load_missing_file_is_an_io_error_and_still_a_file_not_found_error(
    tmp_path: Path,
) -> None:
    with pytest.raises(cjm.IoError) as caught:
        cjm.load(tmp_path / "nope.yaml")
    error = caught.value
    assert error.code == "io"
    assert error.kind == "usage"
    assert isinstance(error, cjm.CjmError)
    assert isinstance(error, cjm.UsageError)
    assert isinstance(error, FileNotFoundError)
    assert error.errno == errno.ENOENT
    assert error.filename == str(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(error)
    assert str(error).endswith("[io]")
    # A directory is an io error too, and an IsADirectoryError.
    with pytest.raises(cjm.IoError) as directory:
        cjm.load(tmp_path, format="yaml")
    assert isinstance(directory.value, IsADirectoryError)
    # Writing where no directory exists.
    with pytest.raises(cjm.IoError) as written:
        cjm.template().save(tmp_path / "missing" / "map.json")
    assert isinstance(written.value, FileNotFoundError)
    # The error survives pickling as an io error.
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, cjm.IoError)
    assert again.code == "io"


def test_event_file_missing_is_an_io_error(tmp_path: Path) -> None:
    with pytest.raises(cjm.IoError) as caught:
        cjm.funnel(tmp_path / "nope.csv", ["a", "b"])
    assert caught.value.code == "io"
    assert isinstance(caught.value, FileNotFoundError)


def test_load_respects_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(YAML, encoding="utf-8")
    with pytest.raises(cjm.ParseError) as caught:
        cjm.load(path, max_bytes=10)
    assert caught.value.code == "input_too_large"
    assert cjm.load(path, max_bytes=len(YAML.encode("utf-8"))).id == "protein"


def test_save_writes_utf8_without_newline_translation(tmp_path: Path, journey: cjm.Journey) -> None:
    path = tmp_path / "map.mmd"
    journey.save(path)
    assert path.read_bytes().decode("utf-8") == journey.dumps("mermaid")
    journey.save(tmp_path / "out.data", format="csv")
    assert (tmp_path / "out.data").read_bytes().decode("utf-8") == journey.dumps("csv")


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(cjm.UsageError) as caught:
        cjm.loads(YAML, "toml")
    assert caught.value.code == "unsupported_format"
    assert caught.value.kind == "usage"


def test_wrong_argument_types_raise_type_error() -> None:
    with pytest.raises(TypeError):
        cjm.loads(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cjm.loads(YAML, "yaml", max_bytes="10")  # type: ignore[arg-type]
    with pytest.raises(cjm.UsageError):
        cjm.loads(YAML, "yaml", max_bytes=-1)


# -- data round trips -------------------------------------------------------------------------


def test_dict_round_trip(journey: cjm.Journey) -> None:
    data = journey.to_dict()
    assert data["id"] == "protein"
    assert data["personas"][0]["name"] == "Новичок"
    again = cjm.Journey.from_dict(data)
    assert again == journey
    assert cjm.Journey(data) == journey
    assert again.to_dict() == data


def test_to_dict_matches_json_text(journey: cjm.Journey) -> None:
    assert journey.to_dict() == json.loads(journey.dumps("json"))
    assert list(journey.to_dict()) == list(json.loads(journey.dumps("json")))


def test_from_dict_accepts_tuples_and_mappings(journey: cjm.Journey) -> None:
    data: Any = journey.to_dict()
    data["tags"] = ("a", "b")
    assert cjm.Journey.from_dict(data).tags == ["a", "b"]
    from types import MappingProxyType

    assert cjm.Journey.from_dict(MappingProxyType(journey.to_dict())) == journey


def test_extensions_are_kept() -> None:
    data: Any = {"id": "x", "title": "t", "x-team": {"name": "Growth", "size": 3}}
    journey = cjm.Journey.from_dict(data)
    assert journey.to_dict()["x-team"] == {"name": "Growth", "size": 3}  # type: ignore[typeddict-item]
    assert cjm.loads(journey.dumps("yaml"), "yaml") == journey


def test_every_format_writes_and_reads(journey: cjm.Journey) -> None:
    for format in ("json", "yaml"):
        assert cjm.loads(journey.dumps(format), format) == journey
    for format in ("mermaid", "csv"):  # lossy: names and order survive
        again = cjm.loads(journey.dumps(format), format)
        assert [s["name"] for s in again.stages] == ["Выбор", "Оплата"]


def test_convert(journey: cjm.Journey) -> None:
    assert cjm.convert(YAML, "yaml", "json") == journey.dumps("json")
    assert cjm.convert(YAML.encode("utf-8"), "yml", "mmd") == journey.dumps("mermaid")
    with pytest.raises(cjm.ParseError):
        cjm.convert("{", "json", "yaml")
    with pytest.raises(cjm.ParseError) as caught:
        cjm.convert(YAML, "yaml", "json", max_bytes=5)
    assert caught.value.code == "input_too_large"


# -- properties and protocols -----------------------------------------------------------------


def test_properties(journey: cjm.Journey) -> None:
    assert journey.id == "protein"
    assert journey.description is None
    assert journey.owner is None
    assert journey.updated == "2026-11-01"
    assert journey.state == "as_is"
    assert journey.format_version == cjm.FORMAT_VERSION == 1
    assert journey.tags == []
    assert journey.emotion_scale == {"min": -2.0, "max": 2.0}
    assert [p["id"] for p in journey.personas] == ["beginner"]
    assert [s["id"] for s in journey.stages] == ["choose", "pay"]
    assert journey.opportunities == []
    assert journey.metrics == []
    assert [e["id"] for e in journey.evidence] == ["survey"]
    with pytest.raises(AttributeError):
        journey.title = "other"  # type: ignore[misc]


def test_repr(journey: cjm.Journey) -> None:
    text = repr(journey)
    assert "protein" in text
    assert "Покупка протеина" in text
    assert "stages=2" in text
    assert "touchpoints=2" in text
    assert "personas=1" in text


def test_equality(journey: cjm.Journey) -> None:
    assert journey == cjm.loads(YAML, "yaml")
    assert journey != cjm.template()
    assert journey != "protein"
    with pytest.raises(TypeError):
        hash(journey)


def test_pickle_and_copy(journey: cjm.Journey) -> None:
    assert pickle.loads(pickle.dumps(journey)) == journey
    assert copy.copy(journey) is journey
    assert copy.deepcopy(journey) is journey


# -- validation -------------------------------------------------------------------------------


def test_validate_clean_and_stale(journey: cjm.Journey) -> None:
    assert journey.validate(today="2026-11-27") == []
    problems = journey.validate(today=datetime.date(2027, 11, 27))
    assert [(p.code, p.severity, p.path) for p in problems] == [
        ("stale_map", "warning", "/updated")
    ]
    assert journey.validate(today=datetime.datetime(2027, 11, 27, 12, 0)) == problems
    assert journey.validate(today="2027-11-27", stale_after_days=400) == []
    assert journey.validate(today="2027-11-27", stale_after_days=None) == []


def test_validate_defaults_to_the_current_date(journey: cjm.Journey) -> None:
    far = cjm.Journey.from_dict({**journey.to_dict(), "updated": "2000-01-01"})
    assert "stale_map" in [p.code for p in far.validate()]


def test_validate_options_are_checked(journey: cjm.Journey) -> None:
    with pytest.raises(cjm.UsageError):
        journey.validate(stale_after_days=-1)
    with pytest.raises(TypeError):
        journey.validate(stale_after_days="180")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        journey.validate(today=20261127)  # type: ignore[arg-type]


def test_problem_dataclass() -> None:
    data: Any = {
        "id": "x",
        "title": "t",
        "stages": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}],
    }
    problems = cjm.validate(data, today="2026-11-27")
    duplicate = next(p for p in problems if p.code == "duplicate_id")
    assert duplicate == cjm.Problem("duplicate_id", "error", "/stages/1/id", duplicate.message)
    assert duplicate.is_error
    assert cjm.Problem.from_dict(duplicate.to_dict()) == duplicate
    assert "duplicate_id" in str(duplicate)
    with pytest.raises(AttributeError):
        duplicate.code = "x"  # type: ignore[misc]


def test_check_raises_validation_error_listing_problems() -> None:
    data: Any = {
        "id": "x",
        "title": "t",
        "stages": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}],
    }
    journey = cjm.Journey.from_dict(data)
    with pytest.raises(cjm.ValidationError) as caught:
        journey.check(today="2026-11-27")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.code == "invalid_journey"
    assert error.kind == "validation"
    assert error.path == "/stages/1/id"
    assert "duplicate_id" in [p.code for p in error.errors]
    assert all(isinstance(p, cjm.Problem) for p in error.problems)
    assert {p.code for p in error.problems} >= {"duplicate_id"}


def test_check_returns_warnings(journey: cjm.Journey) -> None:
    assert journey.check(today="2026-11-27") == []
    assert [p.code for p in journey.check(today="2030-01-01")] == ["stale_map"]


def test_module_validate_accepts_journey_or_dict(journey: cjm.Journey) -> None:
    assert cjm.validate(journey, today="2026-11-27") == []
    assert cjm.validate(journey.to_dict(), today="2026-11-27") == []


# -- templates and schemas --------------------------------------------------------------------


@pytest.mark.parametrize("name", cjm.TEMPLATE_NAMES)
@pytest.mark.parametrize("lang", cjm.TEMPLATE_LANGUAGES)
def test_templates(name: str, lang: str) -> None:
    journey = cjm.template(name, lang)
    assert journey.stages
    assert not [p for p in journey.validate(today="2026-11-27") if p.is_error]


def test_template_errors() -> None:
    with pytest.raises(cjm.UsageError) as caught:
        cjm.template("nope")
    assert caught.value.code == "unknown_template"
    with pytest.raises(cjm.UsageError) as caught:
        cjm.template("classic", "de")
    assert caught.value.code == "unknown_language"


def test_schemas_match_the_committed_files(repo: Path) -> None:
    committed = json.loads((repo / "docs/schema/journey.schema.json").read_text(encoding="utf-8"))
    assert cjm.schema() == committed
    api = json.loads((repo / "docs/schema/api.schema.json").read_text(encoding="utf-8"))
    assert cjm.api_schema() == api


def test_public_names() -> None:
    assert len(cjm.__all__) == len(set(cjm.__all__))
    for name in cjm.__all__:
        assert hasattr(cjm, name), name
    assert cjm.StageDict is cjm._types.StageDict
    assert "TouchpointDict" in cjm.__all__


def test_formats_and_constants() -> None:
    assert cjm.FORMATS == ("json", "yaml", "mermaid", "csv")
    assert cjm.DEFAULT_MAX_BYTES == 16 * 1024 * 1024
    assert cjm.__version__


# -- exceptions -------------------------------------------------------------------------------


def test_exception_hierarchy() -> None:
    for cls in (cjm.ParseError, cjm.ValidationError, cjm.UsageError, cjm.DataError):
        assert issubclass(cls, cjm.CjmError)
        assert issubclass(cls, ValueError)
        assert cls.__module__ == "cjm"
    assert issubclass(cjm.CjmError, Exception)


def test_json_syntax_error_has_line_and_column() -> None:
    with pytest.raises(cjm.ParseError) as caught:
        cjm.loads('{\n  "id": "x",\n  "title": "t",,\n}')
    error = caught.value
    assert error.code == "json_syntax"
    assert error.kind == "parse"
    assert (error.line, error.column) == (3, 16)
    assert "json_syntax" in str(error)
    assert error.message in str(error)


def test_yaml_syntax_error_has_line() -> None:
    with pytest.raises(cjm.ParseError) as caught:
        cjm.loads("id: x\ntitle: t\nstages: [\n", "yaml")
    assert caught.value.code == "yaml_syntax"
    assert caught.value.line is not None


def test_wrong_type_has_pointer_path() -> None:
    text = '{"id": "x", "title": "t", "stages": [{"id": "s", "name": "S", "touchpoints": 5}]}'
    with pytest.raises(cjm.ParseError) as caught:
        cjm.loads(text)
    error = caught.value
    assert error.code == "wrong_type"
    assert error.path == "/stages/0/touchpoints"
    assert error.line == 1


def test_wrong_type_in_dict_has_pointer_path() -> None:
    data: Any = {"id": "x", "title": "t", "stages": [{"id": "s", "name": 3}]}
    with pytest.raises(cjm.ParseError) as caught:
        cjm.Journey.from_dict(data)
    error = caught.value
    assert (error.code, error.path, error.line, error.column) == (
        "wrong_type",
        "/stages/0/name",
        None,
        None,
    )


def test_error_to_dict_and_pickle() -> None:
    with pytest.raises(cjm.ParseError) as caught:
        cjm.loads("[1")
    error = caught.value
    info = error.to_dict()
    assert info["kind"] == "parse"
    assert info["code"] == error.code
    assert info["location"].get("line") == 1
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cjm.ParseError
    assert again.to_dict() == info


def test_validation_error_pickles_with_problems() -> None:
    data: Any = {"id": "", "title": "t"}
    with pytest.raises(cjm.ValidationError) as caught:
        cjm.Journey.from_dict(data).check()
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.problems == caught.value.problems


def test_validate_lists_a_thousand_per_code_and_counts_the_rest() -> None:
    touchpoints = [{"id": f"t{i}", "name": "n"} for i in range(1200)]
    journey = cjm.Journey.from_dict(
        {"id": "j", "title": "T", "stages": [{"id": "s", "name": "S", "touchpoints": touchpoints}]}
    )
    problems = [p for p in journey.validate() if p.code == "no_evidence"]
    assert len(problems) == 1001
    summary = problems[-1]
    assert (summary.omitted, summary.count, summary.path) == (200, 200, "")
    assert sum(p.count for p in problems) == 1200
    assert summary.to_dict()["omitted"] == 200
    assert cjm.Problem.from_dict(summary.to_dict()) == summary


def test_examples_ship_with_the_package_and_match_the_repository() -> None:
    repo = Path(__file__).resolve().parents[2] / "examples"
    sources = {
        "sports-nutrition": "sports-nutrition/journey.yaml",
        "sports-nutrition-to-be": "sports-nutrition/journey-to-be.yaml",
        "ecommerce": "ecommerce/journey.yaml",
    }
    assert cjm.examples.names() == list(sources)
    for name, source in sources.items():
        assert cjm.examples.path(name).read_bytes() == (repo / source).read_bytes()
        journey = cjm.examples.load(name)
        assert not [p for p in journey.validate() if p.is_error]
    events = cjm.examples.events_path()
    assert events.read_bytes() == (repo / "sports-nutrition/events.csv").read_bytes()
    with pytest.raises(ValueError, match="ecommerce"):
        cjm.examples.path("nope")


def test_event_file_format_follows_the_cli_rule(tmp_path: Path) -> None:
    # The extension rule is the core's: `.txt` is refused as in the CLI, not read as CSV.
    text = tmp_path / "events.txt"
    text.write_text("user_id,timestamp,event\nu1,2024-05-01T00:00:00Z,view\n", "utf-8")
    with pytest.raises(cjm.UsageError) as caught:
        cjm.funnel(text, ["view"], "1d")
    assert caught.value.code == "unsupported_format"
    jsonl = tmp_path / "events.JSONL"
    jsonl.write_text('{"user_id": "u1", "timestamp": "2024-05-01T00:00:00Z", "event": "view"}\n')
    assert cjm.funnel(jsonl, ["view"], "1d").to_dict()["total"]["steps"][0]["users"] == 1


def test_unknown_friction_weight_is_invalid_option(journey: cjm.Journey) -> None:
    with pytest.raises(cjm.UsageError) as caught:
        journey.friction({"speed": 1.0})
    assert caught.value.code == "invalid_option"
    assert "speed" in caught.value.message
    assert (cjm.Journey.validate.__kwdefaults__ or {})["stale_after_days"] == 180
