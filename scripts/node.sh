#!/usr/bin/env bash
# Builds and tests the Node package (cjm-node, napi-rs v3) from a fresh clone.
#
#   scripts/node.sh setup   install the npm dev dependencies (npm ci) and build the native addon
#                           (release) with its ESM loader, index.d.ts and the copied cjm.d.ts
#   scripts/node.sh test    setup, then run every test in cjm-node/__test__ with node:test
#
# Needs node (>= 20), npm and cargo on PATH; reaches only the npm registry and crates.io.
# Safe to run repeatedly: npm ci is skipped while node_modules matches package-lock.json, and
# cargo rebuilds only what changed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pkg="$root/cjm-node"

die() {
  echo "node.sh: $*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not on PATH ($2)"
}

install_deps() {
  cd "$pkg"
  local stamp=node_modules/.cjm-node-install-stamp
  local want
  if [[ -f package-lock.json ]]; then
    want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -d node_modules/@napi-rs/cli ]]; then
      echo "node.sh: npm dependencies are up to date"
      return
    fi
    echo "node.sh: npm ci"
    npm ci --no-audit --no-fund
  else
    echo "node.sh: no package-lock.json yet; npm install"
    npm install --no-audit --no-fund
    want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
  fi
  echo "$want" >"$stamp"
}

build() {
  cd "$pkg"
  echo "node.sh: napi build --platform --release --esm"
  npm run --silent build
  bash "$root/scripts/copy-examples.sh" "$pkg/examples"
  for file in index.js index.d.ts cjm.d.ts; do
    [[ -f "$file" ]] || die "the build did not produce cjm-node/$file"
  done
  compgen -G "cjm-node.*.node" >/dev/null || die "the build did not produce cjm-node/cjm-node.*.node"
}

setup() {
  need node "install Node.js 20 or newer"
  need npm "it comes with Node.js"
  need cargo "install Rust with rustup"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  ((major >= 20)) || die "Node.js $(node --version) is too old: cjm-node needs 20 or newer"
  install_deps
  build
}

run_tests() {
  setup
  cd "$root"
  echo "node.sh: node --test cjm-node/__test__/*.test.mjs"
  node --test cjm-node/__test__/*.test.mjs
}

case "${1:-}" in
  setup) setup ;;
  test) run_tests ;;
  *)
    echo "usage: scripts/node.sh setup|test" >&2
    exit 2
    ;;
esac
