#!/usr/bin/env bash
# Fuzz cjm-core with cargo-fuzz (libFuzzer), one target at a time. Called by `make fuzz`; not
# part of `make test` or CI.
#
#   FUZZ_SECONDS=60        seconds per target (libFuzzer -max_total_time)
#   FUZZ_TARGETS="a b"     targets to run (default: all, `cargo fuzz list`)
#   FUZZ_RSS_MB=2048       -rss_limit_mb (an input using more is reported as out of memory)
#   FUZZ_TIMEOUT=1         -timeout in seconds (an input taking longer is reported as a hang)
#   FUZZ_SANITIZER=address address | none (none is faster; needed for the stable fallback)
#   FUZZ_DEBUG_ASSERTIONS=1  build with debug assertions, so integer overflow panics as in a
#                          debug build (0 = plain release)
#   FUZZ_ARGS="..."        extra libFuzzer flags, e.g. "-max_len=65536 -jobs=1"
#
# Installs cargo-fuzz from crates.io when `cargo fuzz --version` fails. Uses the nightly
# toolchain when rustup has one (or can install it within 5 minutes); otherwise the stable
# toolchain with RUSTC_BOOTSTRAP=1 (sanitizer none). Seed corpora are copied from tests/ into
# fuzz/corpus/<target>/ (git-ignored) on every run; libFuzzer adds what it finds there.
# Crashes land in fuzz/artifacts/<target>/, logs in fuzz/logs/<target>.log. Exit status 1 when
# any target crashed, hung or ran out of memory.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FUZZ="$ROOT/fuzz"
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
RSS_MB=${FUZZ_RSS_MB:-2048}
TIMEOUT=${FUZZ_TIMEOUT:-1}
SANITIZER=${FUZZ_SANITIZER:-address}
DEBUG_ASSERTIONS=${FUZZ_DEBUG_ASSERTIONS:-1}

# --- cargo-fuzz (idempotent) -------------------------------------------------------------
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz (crates.io, a few minutes)"
  cargo install cargo-fuzz
fi

# --- toolchain: nightly, else stable with RUSTC_BOOTSTRAP ---------------------------------
TOOLCHAIN=()
if cargo +nightly --version >/dev/null 2>&1; then
  TOOLCHAIN=(+nightly)
elif command -v rustup >/dev/null && timeout 300 rustup toolchain install nightly --profile minimal >/dev/null 2>&1 \
     && cargo +nightly --version >/dev/null 2>&1; then
  TOOLCHAIN=(+nightly)
else
  echo "== no nightly toolchain: using stable with RUSTC_BOOTSTRAP=1 and --sanitizer none"
  export RUSTC_BOOTSTRAP=1
  SANITIZER=none
fi
BUILD_FLAGS=(-O --sanitizer "$SANITIZER")
[ "$DEBUG_ASSERTIONS" = 1 ] && BUILD_FLAGS+=(-a)

cd "$FUZZ"
if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a TARGETS <<<"$FUZZ_TARGETS"
else
  mapfile -t TARGETS < <(cargo "${TOOLCHAIN[@]}" fuzz list)
fi

# --- seed corpora ------------------------------------------------------------------------
seed() { # seed TARGET FILE...
  local dir="$FUZZ/corpus/$1"; shift
  mkdir -p "$dir"
  local f
  for f in "$@"; do
    [ -f "$f" ] && cp -f "$f" "$dir/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  return 0
}
T="$ROOT/tests"
shopt -s nullglob
JSON=("$T"/inputs/*.json "$T"/expected/*.json)
YAML=("$T"/inputs/*.yaml "$ROOT"/examples/*/*.yaml)
MMD=("$T"/inputs/*.mmd "$T"/expected/*.mmd)
CSV=("$T"/inputs/*.csv "$T"/expected/*.csv)
for target in "${TARGETS[@]}"; do
  case "$target" in
    journey_json) seed "$target" "${JSON[@]}" ;;
    journey_yaml) seed "$target" "${YAML[@]}" ;;
    journey_mermaid) seed "$target" "${MMD[@]}" ;;
    journey_csv) seed "$target" "${CSV[@]}" ;;
    events_csv | funnel) seed "$target" "$T"/inputs/events/*.csv "$T"/inputs/events/*.gz ;;
    events_ndjson) seed "$target" "$T"/inputs/events/*.ndjson "$T"/inputs/events/*.jsonl "$FUZZ"/seeds/events_ndjson/* ;;
    events_parquet) seed "$target" "$T"/inputs/events/*.parquet ;;
    strings) seed "$target" "$FUZZ"/seeds/strings/* ;;
    steps) seed "$target" "$FUZZ"/seeds/steps/* ;;
    render) seed "$target" "${JSON[@]}" ;;
    roundtrip) seed "$target" "${JSON[@]}" "${YAML[@]}" "${MMD[@]}" "${CSV[@]}" ;;
  esac
  # Regression inputs the fuzzer found earlier: tests/inputs/fuzz/<target>-*.
  seed "$target" "$T"/inputs/fuzz/"$target"-*
done
# The render target reads JSON: add the YAML examples converted to JSON when a cjm binary is
# already built (never builds one here).
CJM=""
for c in "$ROOT"/target/release/cjm "$ROOT"/target/debug/cjm; do [ -x "$c" ] && CJM=$c && break; done
if [ -n "$CJM" ] && [[ " ${TARGETS[*]} " == *" render "* ]]; then
  for y in "${YAML[@]}"; do
    "$CJM" convert "$y" "$FUZZ/corpus/render/seed-yaml-$(basename "$(dirname "$y")")-$(basename "$y" .yaml).json" >/dev/null 2>&1 || true
  done
fi

# --- build once, then run each target ----------------------------------------------------
echo "== cargo ${TOOLCHAIN[*]} fuzz build ${BUILD_FLAGS[*]}"
cargo "${TOOLCHAIN[@]}" fuzz build "${BUILD_FLAGS[@]}"
BIN_DIR="$FUZZ/target/$(rustc -vV | sed -n 's/^host: //p')/release"
mkdir -p "$FUZZ/logs"
declare -A EXECS RATE STATUS
failed=0
for target in "${TARGETS[@]}"; do
  log="$FUZZ/logs/$target.log"
  echo "== $target: ${SECONDS_PER_TARGET}s (log: fuzz/logs/$target.log) $(date -u +%H:%M:%S)"
  set +e
  # The binary built above, run directly: `cargo fuzz run` would rebuild it first whenever
  # cjm-core changed meanwhile, so targets of one run would test different code.
  mkdir -p "$FUZZ/artifacts/$target"
  # shellcheck disable=SC2086
  "$BIN_DIR/$target" -artifact_prefix="$FUZZ/artifacts/$target/" \
    -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb="$RSS_MB" -timeout="$TIMEOUT" \
    -print_final_stats=1 ${FUZZ_ARGS:-} "corpus/$target" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  secs=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  EXECS[$target]=${execs:-?}
  RATE[$target]=${secs:-?}
  if grep -q 'ERROR: libFuzzer: timeout' "$log"; then
    STATUS[$target]="HANG"
  elif grep -q -e 'ERROR: libFuzzer: out-of-memory' -e 'malloc(.*) exceeds limit' "$log"; then
    STATUS[$target]="OOM"
  elif grep -q -e 'ERROR: libFuzzer: deadly signal' -e 'ERROR: AddressSanitizer' -e 'panicked at' "$log"; then
    STATUS[$target]="CRASH"
  elif [ "$rc" -ne 0 ]; then
    STATUS[$target]="FAILED (exit $rc, see log)"
  else
    STATUS[$target]="ok"
  fi
  case "${STATUS[$target]}" in
    ok) ;;
    *)
      failed=1
      artifact=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/Test unit written to //' || true)
      [ -n "$artifact" ] && STATUS[$target]+=": $artifact"
      ;;
  esac
  echo "   ${STATUS[$target]}, ${EXECS[$target]} executions, ${RATE[$target]} exec/s"
done

echo
echo "== fuzz summary (${SECONDS_PER_TARGET}s per target)"
printf '%-18s %14s %10s  %s\n' target executions exec/s result
for target in "${TARGETS[@]}"; do
  printf '%-18s %14s %10s  %s\n' "$target" "${EXECS[$target]}" "${RATE[$target]}" "${STATUS[$target]}"
done
[ "$failed" = 0 ] || echo "Reproduce: cd fuzz && cargo ${TOOLCHAIN[*]} fuzz run ${BUILD_FLAGS[*]} <target> <artifact>; minimise: cargo ${TOOLCHAIN[*]} fuzz tmin ${BUILD_FLAGS[*]} <target> <artifact>"
exit "$failed"
