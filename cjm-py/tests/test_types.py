"""Generated types and the native stub stay in step with the schemas and the native module."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, get_args

import cjm
from cjm import _cjm, _results, _results_generated, _types
from cjm._result_base import _Result

PACKAGE = Path(__file__).resolve().parents[1]
STUB = PACKAGE / "python" / "cjm" / "_cjm.pyi"
GENERATOR = PACKAGE / "scripts" / "gen_types.py"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_types", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_files_are_up_to_date() -> None:
    generator = load_generator()
    expected: dict[Path, str] = generator.generate()
    assert set(expected) == {generator.OUTPUT, generator.RESULTS_OUTPUT}
    for path, text in expected.items():
        current = path.read_text(encoding="utf-8")
        assert current == text, f"{path.name} is stale: run cjm-py/scripts/gen_types.py"


def test_generator_check_mode_passes() -> None:
    # What `gen_types.py --check` (the CLI drift check) reports on the committed files.
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_result_classes_derive_from_their_generated_fields(repo: Path) -> None:
    api = json.loads((repo / "docs/schema/api.schema.json").read_text(encoding="utf-8"))
    skipped: dict[str, tuple[str, ...]] = load_generator().RESULTS
    result_classes = {
        name for name in _results.__all__ if issubclass(getattr(_results, name), _Result)
    }
    assert set(skipped) == result_classes
    for name, not_generated in skipped.items():
        cls = getattr(cjm, name)
        base = getattr(_results_generated, f"{name}Fields")
        assert cls.__bases__[0] is base, name
        # Beyond its fields, a result may only be a table (the core's, see test_tables).
        assert cls.__bases__[1:] in ((), (_results._Table,)), name
        generated = {n for n, v in vars(base).items() if isinstance(v, property)}
        fields = set(api["$defs"][name]["properties"])
        assert generated == fields - set(not_generated), name
        # A field left out of the generated base is either wrapped by hand or not exposed.
        for field in not_generated:
            if hasattr(cls, field):
                assert isinstance(vars(cls).get(field), property), f"{name}.{field}"


def test_typeddicts_cover_the_schema_properties(repo: Path) -> None:
    journey = json.loads((repo / "docs/schema/journey.schema.json").read_text(encoding="utf-8"))
    api = json.loads((repo / "docs/schema/api.schema.json").read_text(encoding="utf-8"))
    defs: dict[str, Any] = {**journey["$defs"], **api["$defs"], "Journey": journey}
    # The JavaScript fronts' own option objects have no Python counterpart.
    js_only: frozenset[str] = load_generator().JS_ONLY
    for name, schema in defs.items():
        if name in js_only:
            assert not hasattr(_types, f"{name}Dict"), name
            continue
        if "properties" not in schema:
            assert get_args(getattr(_types, name)), name
            continue
        typed = getattr(_types, f"{name}Dict")
        assert set(typed.__annotations__) == set(schema["properties"]), name
        assert typed.__required_keys__ == frozenset(schema.get("required", [])), name


def test_literals_match_the_core() -> None:
    assert get_args(_types.Format) == cjm.FORMATS


def stub_names() -> tuple[set[str], dict[str, set[str]]]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    names: set[str] = set()
    members: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        if isinstance(node, ast.ClassDef):
            members[node.name] = {
                item.name for item in node.body if isinstance(item, ast.FunctionDef)
            }
    return names, members


def public(names: list[str]) -> set[str]:
    return {n for n in names if not n.startswith("_") or n == "__version__"}


def test_stub_matches_native_module() -> None:
    names, members = stub_names()
    native = public(dir(_cjm))
    assert names == native, f"only in stub: {names - native}; only in native: {native - names}"
    for cls_name, stub_members in members.items():
        cls = getattr(_cjm, cls_name)
        own = {n for n, _ in inspect.getmembers(cls) if n in cls.__dict__}
        native_members = public(list(own)) | ({"__eq__"} & own)
        stub_public = public(list(stub_members)) | ({"__eq__"} & stub_members)
        assert stub_public == native_members, cls_name


def test_stub_signatures_match_native_functions() -> None:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        native = inspect.signature(getattr(_cjm, node.name))
        stub = [a.arg for a in node.args.args]
        assert list(native.parameters) == stub, node.name
