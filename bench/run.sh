#!/usr/bin/env bash
# The funnel benchmark of `make bench`: cjm (Rust, 1 thread and all threads) against DuckDB,
# pandas and cjm from Python on the same deterministic synthetic log, checked to agree.
#
#   bash bench/run.sh                          # 1 M and 10 M events
#   BENCH_SIZES="1000000" bash bench/run.sh    # only 1 M
#   BENCH_PANDAS_MAX_EVENTS=1000000 bash bench/run.sh   # pandas at <= 1 M events only
#   BENCH_MERMAID_ONLY=1 bash bench/run.sh     # only the Mermaid import step (last step)
#
# Creates .venv if missing and installs bench/requirements.txt (idempotent), builds the
# bench_funnel example, writes the columns to build/bench/N, and exits non-zero when any
# peer's per-step counts differ from cjm's. Run from anywhere; paths are from the repo root.
set -euo pipefail
# Last step: the Mermaid import benchmark (1 M actors; goal under 2 s, read from the printed
# figure, never a failure of the script).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
REQUIREMENTS="bench/requirements.txt"
STAMP="$VENV/.cjm-bench-requirements"
SIZES="${BENCH_SIZES:-1000000 10000000}"
SEED="${BENCH_SEED:-42}"

log() { printf '==> %s\n' "$*" >&2; }

mermaid_step() {
    local actors="${BENCH_MERMAID_ACTORS:-1000000}"
    log "Mermaid import: $actors actors"
    cargo build --release --quiet -p cjm-core --example bench_mermaid
    local line
    line="$("$ROOT/target/release/examples/bench_mermaid" --actors "$actors" | tail -n 1)"
    echo "$line"
    local seconds
    seconds="$(printf '%s\n' "$line" | sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p')"
    if [ -z "$seconds" ]; then
        echo "Mermaid import: no time in the benchmark's output" >&2
        return 1
    fi
    if awk -v s="$seconds" 'BEGIN { exit !(s < 2) }'; then
        echo "Mermaid import: ${seconds} s for $actors actors (goal: under 2 s): under the goal"
    else
        echo "Mermaid import: ${seconds} s for $actors actors (goal: under 2 s): OVER the goal"
    fi
}

if [ -n "${BENCH_MERMAID_ONLY:-}" ]; then
    mermaid_step
    exit 0
fi

if [ ! -x "$PY" ]; then
    log "creating $VENV"
    python3 -m venv "$VENV"
fi
if ! cmp -s "$REQUIREMENTS" "$STAMP"; then
    log "installing $REQUIREMENTS"
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
    cp "$REQUIREMENTS" "$STAMP"
fi

log "building the bench_funnel example"
cargo build --release --quiet -p cjm-core --example bench_funnel
BIN="$ROOT/target/release/examples/bench_funnel"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }

for N in $SIZES; do
    DIR="build/bench/$N"
    mkdir -p "$DIR"
    log "cjm (Rust): $N events, seed $SEED"
    "$TIME" -v "$BIN" --events "$N" --seed "$SEED" --out "$DIR" >"$DIR/rust.out" 2>"$DIR/rust.time"
    KB="$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$DIR/rust.time")"
    [ -n "$KB" ] || { echo "no peak RSS in $DIR/rust.time" >&2; exit 1; }
    "$PY" - "$DIR/rust.out" "$KB" "$DIR/rust.json" <<'PYEOF'
import json, sys
out, kb, dest = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rust = json.loads(open(out).read().strip().splitlines()[-1])
rust["peak_rss_mb"] = kb / 1024
open(dest, "w").write(json.dumps(rust))
print(json.dumps(rust))
PYEOF
    log "peers: $N events"
    "$PY" bench/peers.py "$DIR" --rust "$DIR/rust.json"
done

mermaid_step
