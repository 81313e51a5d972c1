#!/usr/bin/env bash
# The Python front (cjm-py): build the extension into a venv and run its checks.
#
#   bash scripts/py.sh setup   create .venv if missing, install the pinned dev tools, build and
#                              install the extension (maturin develop --release)
#   bash scripts/py.sh test    setup, then ruff check, ruff format --check, mypy --strict, pytest
#
# Needs only python3 (>= 3.9, with venv and pip), cargo and PyPI. Run from anywhere.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
REQUIREMENTS="$ROOT/cjm-py/requirements-dev.txt"
STAMP="$VENV/.cjm-py-requirements"

log() { printf '==> %s\n' "$*" >&2; }

setup() {
    cd "$ROOT"
    if [ ! -x "$PY" ]; then
        log "creating $VENV"
        python3 -c 'import sys; assert sys.version_info >= (3, 9), "cjm needs Python 3.9+"'
        python3 -m venv "$VENV"
    fi
    if ! cmp -s "$REQUIREMENTS" "$STAMP"; then
        log "installing dev tools from cjm-py/requirements-dev.txt"
        "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$PY" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
        cp "$REQUIREMENTS" "$STAMP"
    fi
    bash "$ROOT/scripts/copy-examples.sh" "$ROOT/cjm-py/python/cjm/_examples"
    log "building the extension (maturin develop --release)"
    VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" \
        "$VENV/bin/maturin" develop --release --quiet -m cjm-py/Cargo.toml
}

# The oldest supported Python (3.9), when the machine has one: mypy 2 cannot target it, so an
# import-and-use smoke run against the abi3 extension catches 3.9-only breakage.
smoke_py39() {
    local candidate py39=""
    for candidate in python3.9 "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.9*/bin/python3.9; do
        if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 9)' >/dev/null 2>&1; then
            py39="$candidate"
            break
        fi
    done
    if [ -z "$py39" ]; then
        log "no Python 3.9 here: 3.9 smoke run skipped"
        return 0
    fi
    log "Python 3.9 smoke run ($py39)"
    "$py39" -I -c '
import sys
sys.path.insert(0, sys.argv[1])
import typing, cjm, cjm._types as t
j = cjm.template("ecommerce", "ru")
assert cjm.Journey.from_dict(j.to_dict()) == j and cjm.loads(j.dumps("yaml"), "yaml") == j
assert isinstance(j.validate(), list) and j.stages
typing.get_type_hints(t.JourneyDict); typing.get_type_hints(t.ErrorInfoDict)
typing.get_type_hints(t.ScoreReportDict); typing.get_type_hints(t.ComparisonDict)
report = j.score(today="2026-11-27", weights={"emotion": 0.5})
assert report.health.journey == j.id and report.friction.touchpoints and report.curves
assert cjm.load(sys.argv[2]).emotion_curve().points
assert j.gaps().to_dict()["gaps"] == cjm.gaps(j).gaps and cjm.gaps(j, j).worse == []
assert j.plan().to_csv().startswith("rank,") and j.emotion_curve().persona is None
assert cjm.nps((10, 9, 3)).promoters == 2 and cjm.csat([5]).csat == 100 and cjm.ces([7]).easy == 1
try:
    cjm.nps([11])
    raise AssertionError("nps([11]) did not raise")
except cjm.DataError as e:
    assert e.code == "invalid_response" and e.path == "/0"
try:
    cjm.loads("{")
except cjm.ParseError as e:
    assert e.code == "json_syntax"
print("3.9 smoke ok")
' "$ROOT/cjm-py/python" "$ROOT/tests/inputs/scoring.yaml"
}

run_tests() {
    setup
    cd "$ROOT"
    local paths=(cjm-py/python cjm-py/tests cjm-py/scripts examples/notebook/make_notebook.py)
    log "ruff check"
    "$VENV/bin/ruff" check "${paths[@]}"
    log "ruff format --check"
    "$VENV/bin/ruff" format --check "${paths[@]}"
    log "mypy --strict"
    (cd cjm-py && "$VENV/bin/mypy" --strict)
    smoke_py39
    log "pytest"
    "$PY" -m pytest cjm-py/tests -q
}

case "${1:-}" in
    setup) setup ;;
    test) run_tests ;;
    *)
        echo "usage: bash scripts/py.sh setup|test" >&2
        exit 2
        ;;
esac
