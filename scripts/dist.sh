#!/usr/bin/env bash
# make dist: the installable packages, into dist/:
#   cjm-<v>-cp39-abi3-<platform>.whl and cjm-<v>.tar.gz   Python (maturin: wheel and sdist)
#   cjm-node-<v>.tgz                                     Node (npm pack; the native addon for this platform)
#   cjm-wasm-<v>.tgz                                     browser + Node WASM (npm pack; pkg/, pkg-node/, types)
# Each package carries the example journeys and event log (scripts/copy-examples.sh).
# Reuses the builds of scripts/{py,node,wasm}.sh (their setup is idempotent).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/dist"
cd "$ROOT"
rm -rf "$DIST"
mkdir -p "$DIST"

bash scripts/py.sh setup
bash scripts/copy-examples.sh cjm-py/python/cjm/_examples
# The wheel from the tree (reusing target/); the sdist on its own (`build --sdist` would compile
# the wheel a second time from the unpacked sdist).
VIRTUAL_ENV="$ROOT/.venv" PATH="$ROOT/.venv/bin:$PATH" \
  .venv/bin/maturin build --release --quiet -m cjm-py/Cargo.toml -o "$DIST"
.venv/bin/maturin sdist -m cjm-py/Cargo.toml -o "$DIST" >/dev/null

bash scripts/node.sh setup
(cd cjm-node && npm pack --silent --pack-destination "$DIST" >/dev/null)

bash scripts/wasm.sh setup
bash scripts/wasm.sh build
(cd cjm-wasm && npm pack --silent --pack-destination "$DIST" >/dev/null)

echo "dist.sh: built"
ls -l "$DIST"
