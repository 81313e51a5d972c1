"""Generate ``cjm-py/python/cjm/_types.py`` and ``_results_generated.py`` from the JSON Schemas.

    python cjm-py/scripts/gen_types.py            # rewrite the files
    python cjm-py/scripts/gen_types.py --check    # exit 1 when a file is out of date

The schemas (``docs/schema/journey.schema.json`` and ``api.schema.json``) are generated from the
Rust model by ``cargo run -p cjm-cli -- schema [--api]``; this script turns them into TypedDicts
(``JourneyDict``, ``StageDict``, ..., ``ProblemDict``) and ``Literal`` aliases, so the Python types
are never typed by hand.

Why not datamodel-code-generator: its TypedDict output targets Python 3.10+ only (``X | None`` in
the runtime ``TypedDict(...)`` call, ``typing.TypeAlias``) and needs ``typing_extensions``; the
package supports 3.9 with no runtime dependency, so this small stdlib-only generator writes
3.9-compatible code in the project's own names. It handles the subset of draft 2020-12 that the
schemas use: ``$defs``/``$ref``, ``type`` (also as a list with ``null``), ``enum``, ``const``,
``oneOf``/``anyOf``, ``items``, ``additionalProperties`` and ``required``; inline objects are
moved into named TypedDicts (see ``Generator.hoist``).

``_results_generated.py`` holds one base class per result class of ``cjm._results`` (listed in
``RESULTS``) with a typed read-only property per top-level field of its ``api.schema.json``
definition, so those accessors follow the schema instead of being typed by hand.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = [
    ("journey", ROOT / "docs" / "schema" / "journey.schema.json"),
    ("api", ROOT / "docs" / "schema" / "api.schema.json"),
]
OUTPUT = ROOT / "cjm-py" / "python" / "cjm" / "_types.py"
RESULTS_OUTPUT = ROOT / "cjm-py" / "python" / "cjm" / "_results_generated.py"
LINE = 100

# The result classes of ``cjm._results``, named after their ``api.schema.json`` definitions, and
# the fields that get no generated accessor. Every other field gets one, so a field added to the
# schema shows up as an attribute.
RESULTS: dict[str, tuple[str, ...]] = {
    "EmotionCurve": (),
    "FrictionReport": (),
    "GapReport": (),
    "Comparison": (),
    "Plan": (),
    "Health": (),
    # Wrapped by hand in Health, FrictionReport and EmotionCurve.
    "ScoreReport": ("health", "friction", "curves"),
    "NpsResult": (),
    "CsatResult": (),
    "CesResult": (),
    # Not attributes so far (only in to_dict()): adding one changes the public API.
    "FunnelResult": ("mode",),
    "FunnelComparison": (),
    "PathsResult": (),
    "LoyaltyResult": ("time_to_second_purchase",),
    "RetentionResult": (),
    "ApplyReport": ("unmapped_names",),
}

Schema = dict[str, Any]


# The option objects and result wrappers of the JavaScript fronts (cjm-core's js_options.rs):
# camelCase JS shapes that Python never takes or returns.
JS_ONLY = frozenset(
    {
        "LoadJourneyOptions",
        "ValidateJourneyOptions",
        "EmotionCurveOptions",
        "FrictionOptions",
        "FrictionWeightsOptions",
        "HealthOptions",
        "EventsOptions",
        "PathsOptions",
        "LoyaltyOptions",
        "ApplyEventsOptions",
        "EventsRead",
        "ApplyEventsResult",
    }
)


class Generator:
    def __init__(self) -> None:
        self.defs: dict[str, Schema] = {}
        self.origin: dict[str, str] = {}
        self.used: set[str] = set()

    # -- collecting ---------------------------------------------------------------------------

    def add_schema(self, label: str, schema: Schema) -> None:
        for name, definition in schema.get("$defs", {}).items():
            if name not in JS_ONLY:
                self.add_def(name, definition, label)
        if label == "journey":
            root = {k: v for k, v in schema.items() if k not in ("$defs", "$schema", "$id")}
            self.add_def("Journey", root, label)

    def add_def(self, name: str, definition: Schema, label: str) -> None:
        # A schema embedded in another (the api schema's ``$defs/Journey``) keeps its ``$id``
        # and ``$schema``: identifiers, not part of the type.
        definition = {k: v for k, v in definition.items() if k not in ("$id", "$schema")}
        definition = self.hoist(name, definition, label, top=True)
        if name in self.defs and self.defs[name] != definition:
            raise SystemExit(
                f"$defs/{name} differs between the {self.origin[name]} and {label} schemas"
            )
        self.defs[name] = definition
        self.origin[name] = label

    def hoist(self, name: str, schema: Any, label: str, *, top: bool = False) -> Any:
        """Moves inline objects with properties into definitions of their own (a TypedDict
        needs a name), replacing them with a ``$ref``. An object under property ``p`` of
        ``Name`` becomes ``Name`` + ``P``; a one-key object among the ``oneOf`` branches of
        ``Name`` (serde's externally tagged variant ``{"key": {...}}``) becomes
        ``Name`` + ``Key`` + ``Variant``, and the object under its key ``Name`` + ``Key``."""
        if not isinstance(schema, dict):
            return schema
        if "properties" in schema and not top:
            self.add_def(name, schema, label)
            return {"$ref": f"#/$defs/{name}"}
        out = dict(schema)
        if "properties" in schema:
            out["properties"] = {
                key: self.hoist(name + camel(key), value, label)
                for key, value in schema["properties"].items()
            }
        for key in ("oneOf", "anyOf"):
            if key in schema:
                branches = []
                for index, branch in enumerate(schema[key]):
                    props = branch.get("properties", {}) if isinstance(branch, dict) else {}
                    if len(props) == 1:
                        (tag,) = props
                        variant = dict(branch)
                        variant["properties"] = {
                            tag: self.hoist(name + camel(tag), props[tag], label)
                        }
                        branches.append(self.hoist(f"{name}{camel(tag)}Variant", variant, label))
                    else:
                        branches.append(self.hoist(f"{name}{index}", branch, label))
                out[key] = branches
        if "items" in schema:
            out["items"] = self.hoist(name + "Item", schema["items"], label)
        if isinstance(schema.get("additionalProperties"), dict):
            out["additionalProperties"] = self.hoist(
                name + "Value", schema["additionalProperties"], label
            )
        return out

    # -- naming -------------------------------------------------------------------------------

    def is_object(self, name: str) -> bool:
        return "properties" in self.defs[name]

    def py_name(self, name: str) -> str:
        return f"{name}Dict" if self.is_object(name) else name

    # -- annotations --------------------------------------------------------------------------

    def refs(self, schema: Any) -> set[str]:
        found: set[str] = set()
        if isinstance(schema, dict):
            ref = schema.get("$ref")
            if isinstance(ref, str):
                found.add(ref_name(ref))
            for value in schema.values():
                found |= self.refs(value)
        elif isinstance(schema, list):
            for value in schema:
                found |= self.refs(value)
        return found

    def annotation(self, schema: Any, *, pep604: bool = False) -> str:
        """The Python type of ``schema``. ``pep604`` spells unions ``X | None`` (for
        ``_results_generated``, whose annotations are never evaluated) and leaves
        ``self.used``, the imports of ``_types.py``, alone."""
        if schema is True or schema == {}:
            self.use("Any", pep604)
            return "Any"
        if not isinstance(schema, dict):
            raise SystemExit(f"unsupported schema: {schema!r}")
        if "$ref" in schema:
            return self.py_name(ref_name(schema["$ref"]))
        if "const" in schema:
            return literal([schema["const"]])
        if "enum" in schema:
            return literal(schema["enum"])
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self.union([self.annotation(b, pep604=pep604) for b in schema[key]], pep604)
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.annotation(schema["allOf"][0], pep604=pep604)
        kind = schema.get("type")
        if kind is None:
            self.use("Any", pep604)
            return "Any"
        if isinstance(kind, list):
            parts = [
                self.annotation({**schema, "type": k}, pep604=pep604) for k in kind if k != "null"
            ]
            joined = self.union(parts, pep604)
            if "null" not in kind:
                return joined
            return self.optional(joined, pep604)
        if kind == "string":
            return "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "null":
            return "None"
        if kind == "array":
            return f"list[{self.annotation(schema.get('items', {}), pep604=pep604)}]"
        if kind == "object":
            if "properties" in schema:
                raise SystemExit("inline objects with properties are not supported: use $defs")
            extra = schema.get("additionalProperties", True)
            return f"dict[str, {self.annotation(extra, pep604=pep604)}]"
        raise SystemExit(f"unsupported type {kind!r}")

    def union(self, parts: list[str], pep604: bool = False) -> str:
        if all(p.startswith("Literal[") for p in parts):
            values = [v for p in parts for v in split_literal(p)]
            return f"Literal[{', '.join(values)}]"
        unique = [p for p in dict.fromkeys(parts) if p != "None"]
        if len(unique) == 1:
            joined = unique[0]
        elif pep604:
            joined = " | ".join(unique)
        else:
            self.used.add("Union")
            joined = f"Union[{', '.join(unique)}]"
        if "None" in parts:
            return self.optional(joined, pep604)
        return joined

    def optional(self, annotation: str, pep604: bool) -> str:
        if pep604:
            return f"{annotation} | None"
        self.used.add("Optional")
        return f"Optional[{annotation}]"

    def use(self, name: str, pep604: bool) -> None:
        if not pep604:
            self.used.add(name)

    # -- output -------------------------------------------------------------------------------

    def order(self) -> list[str]:
        """Definitions with every dependency before its users (class bodies run at import)."""
        done: list[str] = []
        visiting: set[str] = set()

        def visit(name: str) -> None:
            if name in done:
                return
            if name in visiting:
                raise SystemExit(f"recursive schema at {name}: not supported")
            visiting.add(name)
            for dep in sorted(self.refs(self.defs[name])):
                visit(dep)
            visiting.discard(name)
            done.append(name)

        for name in self.defs:
            visit(name)
        return done

    def render(self) -> str:
        names = self.order()
        body: list[str] = []
        for name in names:
            body.append("")
            if self.is_object(name):
                body.extend(self.render_object(name))
            else:
                body.extend(self.render_alias(name))
        imports = sorted(self.used | {"Literal", "TypedDict"})
        out: list[str] = [
            "# Generated by cjm-py/scripts/gen_types.py from docs/schema/journey.schema.json and",
            "# docs/schema/api.schema.json. Do not edit: change the Rust model, regenerate the",
            "# schemas (cargo run -p cjm-cli -- schema [--api]), then run the script.",
            '"""Plain data cjm exchanges: journeys, problems, errors, options and results."""',
            "",
            f"from typing import {', '.join(imports)}",
            "",
            "__all__ = [",
            *(f'    "{n}",' for n in sorted(self.py_name(n) for n in names)),
            "]",
            *body,
        ]
        return "\n".join(out) + "\n"

    def render_alias(self, name: str) -> list[str]:
        schema = self.defs[name]
        value = self.annotation(schema)
        lines = [""]
        head = f"{name} = "
        if len(head) + len(value) <= LINE or not value.startswith("Literal["):
            lines.append(head + value)
        else:
            lines.append(f"{head}Literal[")
            lines.extend(f"    {v}," for v in split_literal(value))
            lines.append("]")
        lines.extend(docstring(schema.get("description"), ""))
        return lines

    def render_object(self, name: str) -> list[str]:
        schema = self.defs[name]
        required = set(schema.get("required", []))
        props: dict[str, Schema] = schema["properties"]
        py_name = self.py_name(name)
        doc = schema.get("description") or schema.get("title") or name
        if schema.get("additionalProperties") is True:
            doc = doc.rstrip() + (
                "\n\nKeys not listed here are allowed and kept on round trip; custom data goes "
                "under keys starting with ``x-``."
            )
        optional = [k for k in props if k not in required]
        mandatory = [k for k in props if k in required]
        lines: list[str] = [""]
        base = "TypedDict"
        if optional and mandatory and not identifiers(mandatory):
            # Required keys that are not identifiers (``from``) need the functional form, which
            # cannot inherit: the required block comes first and the named class adds the rest.
            required_base = f"_{py_name}Required"
            lines.extend(
                self.render_fields_block(required_base, mandatory, props, total=True, doc=None)
            )
            lines.extend(["", ""])
            if identifiers(optional):
                lines.extend(
                    self.render_fields_block(
                        py_name, optional, props, total=False, doc=doc, base=required_base
                    )
                )
                return lines
            optional_base = f"_{py_name}Optional"
            lines.extend(
                self.render_fields_block(optional_base, optional, props, total=False, doc=None)
            )
            lines.extend(["", ""])
            lines.append(f"class {py_name}({optional_base}, {required_base}):")
            lines.extend(docstring(doc, "    "))
            return lines
        if optional and mandatory:
            base = f"_{py_name}Optional"
            lines.extend(self.render_fields_block(base, optional, props, total=False, doc=None))
            lines.extend(["", ""])
        if mandatory:
            lines.extend(
                self.render_fields_block(py_name, mandatory, props, total=True, doc=doc, base=base)
            )
        else:
            lines.extend(self.render_fields_block(py_name, optional, props, total=False, doc=doc))
        return lines

    def render_fields_block(
        self,
        name: str,
        keys: list[str],
        props: dict[str, Schema],
        *,
        total: bool,
        doc: str | None,
        base: str = "TypedDict",
    ) -> list[str]:
        lines: list[str] = []
        if identifiers(keys):
            args = base if total else f"{base}, total=False"
            lines.append(f"class {name}({args}):")
            if doc:
                lines.extend(docstring(doc, "    "))
                lines.append("")
            for key in keys:
                lines.extend(comment(field_doc(props[key]), "    "))
                lines.append(f"    {key}: {self.annotation(props[key])}")
            return lines
        if base != "TypedDict" or doc:
            raise SystemExit(f"{name}: a functional TypedDict cannot have a base or docstring")
        lines.append(f"{name} = TypedDict(")
        lines.append(f'    "{name}",')
        lines.append("    {")
        for key in keys:
            lines.extend(comment(field_doc(props[key]), "        "))
            lines.append(f'        "{key}": {self.annotation(props[key])},')
        lines.append("    },")
        if not total:
            lines.append("    total=False,")
        lines.append(")")
        return lines

    # -- result accessors ---------------------------------------------------------------------

    def render_results(self) -> str:
        body: list[str] = []
        annotations: list[str] = []
        for name, skipped in RESULTS.items():
            if name not in self.defs or not self.is_object(name):
                raise SystemExit(f"RESULTS: no object $defs/{name} in the api schema")
            props: dict[str, Schema] = self.defs[name]["properties"]
            unknown = sorted(set(skipped) - set(props))
            if unknown:
                raise SystemExit(f"RESULTS: $defs/{name} has no field {unknown[0]!r}")
            summary = self.defs[name].get("description") or ""
            body.extend(["", ""])
            body.append(f"class {name}Fields(_Result[{self.py_name(name)}]):")
            body.extend(docstring(rst(f"Fields of ``{name}``. {summary}".strip()), "    "))
            body.extend(["", "    __slots__ = ()"])
            for key, schema in props.items():
                if key in skipped:
                    continue
                if not identifiers([key]):
                    raise SystemExit(f"$defs/{name}: field {key!r} is not an attribute name")
                value = self.annotation(schema, pep604=True)
                annotations.append(value)
                body.append("")
                body.append("    @property")
                body.append(f"    def {key}(self) -> {value}:")
                text = field_doc(schema)
                body.extend(docstring(rst(text) if text else None, "        "))
                body.append(f'        return cast("{value}", self._get("{key}"))')
        # Only names that occur in an annotation are imported (ruff would flag the rest).
        words = {w for value in annotations for w in re.findall(r"[A-Za-z_]\w*", value)}
        typing = [*sorted(words & {"Any", "Literal"}), "cast"]
        defined = {self.py_name(n) for n in self.defs}
        types = sorted((words & defined) | {self.py_name(n) for n in RESULTS})
        out: list[str] = [
            "# Generated by cjm-py/scripts/gen_types.py from docs/schema/api.schema.json; "
            "do not edit.",
            "# Change the Rust model, regenerate the schemas, then run the script.",
            '"""Typed read-only accessors for the top-level fields of each result: the bases of',
            "the classes in ``_results``, which add what is more than a field (tables, charts,",
            'wrappers)."""',
            "",
            "from __future__ import annotations",
            "",
            f"from typing import {', '.join(typing)}",
            "",
            "from ._result_base import _Result",
            "from ._types import (",
            *(f"    {t}," for t in types),
            ")",
            "",
            "__all__ = [",
            *(f'    "{n}Fields",' for n in sorted(RESULTS)),
            "]",
            *body,
        ]
        too_long = [line for line in out if len(line) > LINE]
        if too_long:
            # ruff format would wrap it, and the format check would then fail.
            raise SystemExit(f"generated line over {LINE} characters: {too_long[0]!r}")
        return "\n".join(out) + "\n"


def identifiers(keys: list[str]) -> bool:
    """Whether every key can be a class-syntax TypedDict field."""
    return all(k.isidentifier() and not keyword.iskeyword(k) for k in keys)


def camel(key: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in key.replace("-", "_").split("_"))


def ref_name(ref: str) -> str:
    prefix = "#/$defs/"
    if not ref.startswith(prefix):
        raise SystemExit(f"unsupported $ref {ref!r}")
    return ref[len(prefix) :]


def literal(values: list[Any]) -> str:
    # (Literal is always imported: every enum in the schemas becomes one.)
    return f"Literal[{', '.join(json.dumps(v, ensure_ascii=False) for v in values)}]"


def split_literal(text: str) -> list[str]:
    inner = text[len("Literal[") : -1]
    return [json.dumps(v, ensure_ascii=False) for v in json.loads(f"[{inner}]")]


def field_doc(schema: Schema) -> str | None:
    text = schema.get("description")
    if "default" in schema and schema["default"] not in ([], None):
        default = json.dumps(schema["default"], ensure_ascii=False)
        text = f"{text} (default {default})" if text else f"Default {default}."
    return text


def rst(text: str) -> str:
    """Markdown code spans (the schema's descriptions) as reStructuredText literals (docstrings)."""
    if '"""' in text or "\\" in text:
        raise SystemExit(f"description cannot go into a docstring: {text!r}")
    return re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text)


def comment(text: str | None, indent: str) -> list[str]:
    if not text:
        return []
    width = LINE - len(indent) - 2
    return [f"{indent}# {line}" for line in textwrap.wrap(" ".join(text.split()), width)]


def docstring(text: str | None, indent: str) -> list[str]:
    if not text:
        return []
    width = LINE - len(indent) - 3
    paragraphs = [textwrap.wrap(" ".join(p.split()), width) for p in text.strip().split("\n\n")]
    body: list[str] = []
    for i, para in enumerate(paragraphs):
        if i:
            body.append("")
        body.extend(para)
    if len(body) == 1 and len(indent) + 6 + len(body[0]) <= LINE:
        return [f'{indent}"""{body[0]}"""']
    lines = [f'{indent}"""{body[0]}']
    lines.extend(f"{indent}{line}" if line else "" for line in body[1:])
    lines.append(f'{indent}"""')
    return lines


def generate() -> dict[Path, str]:
    """Every generated file with its expected text."""
    generator = Generator()
    for label, path in SCHEMAS:
        generator.add_schema(label, json.loads(path.read_text(encoding="utf-8")))
    return {OUTPUT: generator.render(), RESULTS_OUTPUT: generator.render_results()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a file is out of date")
    args = parser.parse_args()
    stale = 0
    for output, text in generate().items():
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current == text:
            continue
        if args.check:
            print(
                f"{output.relative_to(ROOT)} is out of date: run {Path(__file__).name}",
                file=sys.stderr,
            )
            stale = 1
        else:
            output.write_text(text, encoding="utf-8")
            print(f"wrote {output.relative_to(ROOT)}")
    return stale


if __name__ == "__main__":
    sys.exit(main())
