#!/usr/bin/env python3
"""Runs every fenced ``python``, ``js``/``mjs`` and ``ts`` block of the READMEs as a user would:
from a fresh temporary directory outside the repository, against the packages ``make dist`` put
in ``dist/`` (a fresh venv with the wheel; a fresh npm project with the two tarballs).

- ``python`` blocks run with the venv's Python; ``js``/``mjs`` blocks run with ``node`` as ES
  modules; ``ts`` blocks are type-checked with ``tsc --noEmit --strict`` (they are browser code).
- A block that cannot run stands behind a marker on the line before its fence:
  ``<!-- readme-test: skip: why -->``; the reason is printed.
- Each block runs alone in its own empty directory: it must define what it uses.

Usage: python3 scripts/readme_test.py [README ...]   (default: the four READMEs)
Exit status 1 when any block fails. Needs python3 (3.9+), node, npm and the PyPI and npm
registries; stdlib only.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
READMES = ["README.md", "cjm-py/README.md", "cjm-node/README.md", "cjm-wasm/README.md"]
FENCE = re.compile(r"^```(\w+)?\s*$")
SKIP = re.compile(r"<!--\s*readme-test:\s*skip:\s*(.+?)\s*-->")
LANGUAGES = {"python": "python", "js": "js", "mjs": "js", "ts": "ts"}
# The DataFrame libraries the snippets use, at the versions the test suite pins.
PY_EXTRAS = ("pandas", "polars", "pyarrow", "numpy")


@dataclass
class Block:
    file: str
    line: int
    language: str
    code: str
    skip: str | None


def blocks(readme: str) -> list[Block]:
    lines = (ROOT / readme).read_text("utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        language = LANGUAGES.get(match.group(1) or "")
        if language is None:
            continue
        before = next((line for line in reversed(lines[:start]) if line.strip()), "")
        skip = SKIP.search(before)
        found.append(
            Block(readme, start + 1, language, "\n".join(body) + "\n", skip and skip.group(1))
        )
    return found


def run(command: list[str], cwd: Path, what: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0 and what:
        sys.exit(f"readme_test: {what} failed:\n{result.stdout}\n{result.stderr}")
    return result


def pinned(names: tuple[str, ...]) -> list[str]:
    pins = {}
    for line in (ROOT / "cjm-py/requirements-dev.txt").read_text("utf-8").splitlines():
        name, _, version = line.strip().partition("==")
        if version:
            pins[name.lower()] = f"{name}=={version}"
    return [pins.get(name, name) for name in names]


def python_env(work: Path) -> Path:
    wheels = sorted(DIST.glob("cjm-*.whl"))
    if not wheels:
        sys.exit("readme_test: no wheel in dist/: run `make dist`")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)], work, "creating a venv")
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, str(wheels[-1]), *pinned(PY_EXTRAS)], work, "installing the wheel")
    return python


def node_env(work: Path) -> Path:
    tarballs = [sorted(DIST.glob(f"{name}-*.tgz")) for name in ("cjm-node", "cjm-wasm")]
    if not all(tarballs):
        sys.exit("readme_test: no cjm-node / cjm-wasm tarball in dist/: run `make dist`")
    project = work / "node"
    project.mkdir()
    (project / "package.json").write_text(
        json.dumps({"name": "readme-snippets", "private": True, "type": "module"}), "utf-8"
    )
    dev = json.loads((ROOT / "cjm-node/package.json").read_text("utf-8"))["devDependencies"]
    tools = [f"{name}@{dev[name]}" for name in ("typescript", "@types/node")]
    install = ["npm", "install", "--no-audit", "--no-fund", "--silent"]
    run([*install, *(str(t[-1]) for t in tarballs), *tools], project, "installing the tarballs")
    return project


TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "noEmit": True,
        "target": "es2022",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "lib": ["es2022", "dom"],
        "types": ["node"],
        "skipLibCheck": False,
    },
    "include": ["snippet.ts"],
}


def main() -> int:
    readmes = sys.argv[1:] or READMES
    found = [block for readme in readmes for block in blocks(readme)]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="cjm-readme-") as temp:
        work = Path(temp)
        languages = {b.language for b in found if not b.skip}
        python = python_env(work) if "python" in languages else None
        project = node_env(work) if languages & {"js", "ts"} else None
        for n, block in enumerate(found):
            where = f"{block.file}:{block.line} ({block.language})"
            if block.skip:
                print(f"skip {where}: {block.skip}")
                continue
            if block.language == "python":
                assert python is not None
                folder = work / f"py-{n}"
                folder.mkdir()
                (folder / "snippet.py").write_text(block.code, "utf-8")
                result = run([str(python), "snippet.py"], folder, "")
            else:
                assert project is not None
                folder = project / f"snippet-{n}"
                folder.mkdir()
                if block.language == "js":
                    (folder / "snippet.mjs").write_text(block.code, "utf-8")
                    result = run(["node", "snippet.mjs"], folder, "")
                else:
                    (folder / "snippet.ts").write_text(block.code, "utf-8")
                    (folder / "tsconfig.json").write_text(json.dumps(TSCONFIG), "utf-8")
                    tsc = project / "node_modules" / ".bin" / "tsc"
                    result = run([str(tsc), "-p", "."], folder, "")
            if result.returncode == 0:
                print(f"ok   {where}")
            else:
                failures += 1
                print(f"FAIL {where}\n{result.stdout}{result.stderr}")
    print(f"readme_test: {len(found)} blocks, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
