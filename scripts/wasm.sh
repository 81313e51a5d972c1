#!/usr/bin/env bash
# Builds and tests the browser/WASM package (cjm-wasm).
#
#   bash scripts/wasm.sh setup   idempotent installs: a Rust toolchain that targets wasm32, the
#                                wasm-bindgen CLI matching the crate's pinned version, Chromium,
#                                and the npm devDependencies of cjm-wasm/ (from its lockfile)
#   bash scripts/wasm.sh build   cargo build for wasm32 (target dir target/wasm), then
#                                wasm-bindgen --target web -> cjm-wasm/pkg/ and
#                                --target nodejs -> cjm-wasm/pkg-node/ (wasm-opt when present)
#   bash scripts/wasm.sh test    setup + build, then `node --test cjm-wasm/tests/`
#                                (every tests/cases/** case, hostile inputs, types, Chromium,
#                                and the www/ viewer in Chromium -> build/screenshots/viewer.png)
#
# Toolchain: a normal toolchain is used when it has the wasm32-unknown-unknown std. Otherwise
# `rustup target add` is tried once under a short timeout, and the fallback is Debian's
# rustc-web + rust-web-src + lld-22 with std built from source (-Zbuild-std); see
# the project's shared notes (shared/notes/toolchain.md beside the checkout). Environment knobs:
#   CJM_WASM_TOOLCHAIN=normal|debian   force a route
#   CJM_WASM_RUSTUP_TIMEOUT=20         seconds allowed for `rustup target add`
#   CJM_WASM_NO_OPT=1                  skip wasm-opt even when it is installed
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly TARGET=wasm32-unknown-unknown
readonly TARGET_DIR=target/wasm
readonly CRATE_DIR=cjm-wasm
readonly WASM_FILE="$TARGET_DIR/$TARGET/release/cjm_wasm.wasm"
readonly DEBIAN_RUSTC=/usr/bin/rustc
readonly RUSTUP_FAILED_MARK="$TARGET_DIR/.rustup-target-add-failed"
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$CRATE_DIR/Cargo.toml")
readonly WASM_BINDGEN_VERSION

log() { printf '[wasm.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ -n "$WASM_BINDGEN_VERSION" ]] || die "cannot read the pinned wasm-bindgen version from $CRATE_DIR/Cargo.toml"

# --- toolchain ---------------------------------------------------------------------------------

# True when the given rustc has a prebuilt std for the wasm target.
has_wasm_std() {
  local libdir
  libdir=$("$1" --print target-libdir --target "$TARGET" 2>/dev/null) || return 1
  compgen -G "$libdir/libstd-*.rlib" >/dev/null
}

debian_route_ready() {
  [[ -x "$DEBIAN_RUSTC" ]] || return 1
  [[ -d "$("$DEBIAN_RUSTC" --print sysroot)/lib/rustlib/src/rust/library" ]] || return 1
  command -v rust-lld >/dev/null || command -v ld.lld-22 >/dev/null
}

# Prints "normal" or "debian": the route `build` will take.
toolchain_route() {
  case "${CJM_WASM_TOOLCHAIN:-}" in
    normal | debian) echo "$CJM_WASM_TOOLCHAIN"; return ;;
    "") ;;
    *) die "CJM_WASM_TOOLCHAIN must be normal or debian" ;;
  esac
  if has_wasm_std rustc; then echo normal; else echo debian; fi
}

apt_missing() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done
}

apt_install() {
  local missing
  mapfile -t missing < <(apt_missing "$@")
  ((${#missing[@]})) || return 0
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    sudo=(sudo)
  fi
  log "apt: installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

setup_toolchain() {
  if [[ -z "${CJM_WASM_TOOLCHAIN:-}" ]] && ! has_wasm_std rustc && [[ ! -e "$RUSTUP_FAILED_MARK" ]] \
    && command -v rustup >/dev/null; then
    local seconds=${CJM_WASM_RUSTUP_TIMEOUT:-20}
    log "trying: rustup target add $TARGET (timeout ${seconds}s)"
    if ! timeout "$seconds" rustup target add "$TARGET" >/dev/null 2>&1 || ! has_wasm_std rustc; then
      mkdir -p "$TARGET_DIR"
      echo "rustup target add $TARGET failed or timed out on $(date -u +%FT%TZ); delete this file to retry" \
        >"$RUSTUP_FAILED_MARK"
      log "rustup cannot add $TARGET here; using Debian's rustc-web (remembered in $RUSTUP_FAILED_MARK)"
    fi
  fi
  local packages=(chromium)
  if [[ "$(toolchain_route)" == debian ]]; then
    packages+=(rustc-web rust-web-src lld-22)
  fi
  apt_install "${packages[@]}"
  if [[ "$(toolchain_route)" == debian ]] && ! debian_route_ready; then
    die "Debian route incomplete: need $DEBIAN_RUSTC, its std source (rust-web-src) and rust-lld (lld-22)"
  fi
  log "toolchain: $(toolchain_route) ($(rustc_for_route) --version: $("$(rustc_for_route)" --version))"
}

rustc_for_route() {
  if [[ "$(toolchain_route)" == debian ]]; then echo "$DEBIAN_RUSTC"; else command -v rustc; fi
}

setup_wasm_bindgen() {
  local have=""
  if command -v wasm-bindgen >/dev/null; then
    have=$(wasm-bindgen --version | awk '{print $2}')
  fi
  if [[ "$have" == "$WASM_BINDGEN_VERSION" ]]; then
    return
  fi
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (found: ${have:-none}); takes a few minutes"
  # --locked fails on this network (a yanked webpki-roots); a plain install works.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --quiet
  have=$(wasm-bindgen --version | awk '{print $2}')
  [[ "$have" == "$WASM_BINDGEN_VERSION" ]] \
    || die "wasm-bindgen on PATH is $have, not $WASM_BINDGEN_VERSION: check PATH (~/.cargo/bin first)"
}

setup_npm() {
  command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are required"
  local stamp="$CRATE_DIR/node_modules/.package-lock.json"
  if [[ -f "$stamp" && "$stamp" -nt "$CRATE_DIR/package-lock.json" && "$stamp" -nt "$CRATE_DIR/package.json" ]]; then
    return
  fi
  log "npm: installing devDependencies of $CRATE_DIR (from package-lock.json)"
  # playwright-core never downloads a browser; the tests drive Debian's /usr/bin/chromium.
  (cd "$CRATE_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
}

cmd_setup() {
  setup_toolchain
  setup_wasm_bindgen
  setup_npm
}

# --- build -------------------------------------------------------------------------------------

# The nodejs glue require()s the crate's inline_js snippets, but wasm-bindgen writes them as ES
# modules, which Node 20 cannot require: turn each `export function f(` into CommonJS.
commonjs_snippets() {
  local file names
  while IFS= read -r -d '' file; do
    if grep -vE '^export function [A-Za-z_$][A-Za-z0-9_$]*\(' "$file" | grep -qE '^\s*(export|import)\b'; then
      die "$file: only \`export function name(\` snippets can be made CommonJS"
    fi
    names=$(sed -nE 's/^export function ([A-Za-z_$][A-Za-z0-9_$]*)\(.*/\1/p' "$file" | paste -sd, -)
    sed -i -E 's/^export function /function /' "$file"
    printf '\nmodule.exports = { %s };\n' "${names//,/, }" >>"$file"
  done < <(find "$1" -path '*/snippets/*' -name '*.js' -print0)
}

cmd_build() {
  local route
  route=$(toolchain_route)
  # Profile for the browser: small code, abort on panic (the core never panics). Set through the
  # environment because profiles live in the workspace root, which other crates share.
  local env=(
    CARGO_PROFILE_RELEASE_OPT_LEVEL=s
    CARGO_PROFILE_RELEASE_LTO=fat
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
    CARGO_PROFILE_RELEASE_PANIC=abort
    CARGO_PROFILE_RELEASE_DEBUG=false
  )
  local cargo_args=(build -p cjm-wasm --release --target "$TARGET" --target-dir "$TARGET_DIR")
  if [[ "$route" == debian ]]; then
    debian_route_ready || die "Debian toolchain missing: run \`bash scripts/wasm.sh setup\`"
    env+=(RUSTC="$DEBIAN_RUSTC" RUSTC_BOOTSTRAP=1)
    cargo_args+=(-Zbuild-std=std,panic_abort)
  fi
  log "cargo (${route} toolchain): ${cargo_args[*]}"
  env "${env[@]}" cargo "${cargo_args[@]}"

  command -v wasm-bindgen >/dev/null || die "wasm-bindgen missing: run \`bash scripts/wasm.sh setup\`"
  local have
  have=$(wasm-bindgen --version | awk '{print $2}')
  [[ "$have" == "$WASM_BINDGEN_VERSION" ]] \
    || die "wasm-bindgen CLI is $have but the crate pins $WASM_BINDGEN_VERSION: run \`bash scripts/wasm.sh setup\`"

  rm -rf "$CRATE_DIR/pkg" "$CRATE_DIR/pkg-node"
  wasm-bindgen --target web --out-dir "$CRATE_DIR/pkg" "$WASM_FILE"
  wasm-bindgen --target nodejs --out-dir "$CRATE_DIR/pkg-node" "$WASM_FILE"
  # The nodejs glue is CommonJS; cjm-wasm/package.json says "type": "module".
  printf '{\n  "type": "commonjs"\n}\n' >"$CRATE_DIR/pkg-node/package.json"
  commonjs_snippets "$CRATE_DIR/pkg-node"

  if [[ -z "${CJM_WASM_NO_OPT:-}" ]] && command -v wasm-opt >/dev/null; then
    local file
    for file in "$CRATE_DIR/pkg/cjm_wasm_bg.wasm" "$CRATE_DIR/pkg-node/cjm_wasm_bg.wasm"; do
      if wasm-opt -Os --all-features "$file" -o "$file.opt" 2>/dev/null; then
        mv "$file.opt" "$file"
      else
        rm -f "$file.opt"
        log "wasm-opt could not process $file; keeping it unoptimised"
      fi
    done
  fi
  bash scripts/copy-examples.sh "$CRATE_DIR/examples"
  node "$CRATE_DIR/examples-gen.mjs"
  local size
  size=$(stat -c %s "$CRATE_DIR/pkg/cjm_wasm_bg.wasm")
  log "built $CRATE_DIR/pkg/ and $CRATE_DIR/pkg-node/ (cjm_wasm_bg.wasm: $size bytes)"
}

# --- test --------------------------------------------------------------------------------------

cmd_test() {
  cmd_setup
  cmd_build
  log "node --test $CRATE_DIR/tests/"
  node --test "$CRATE_DIR/tests/"
}

case "${1:-}" in
  setup) cmd_setup ;;
  build) cmd_build ;;
  test) cmd_test ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
