#!/usr/bin/env bash
# PNG screenshots of what cjm draws, to look at (and to attach to issues):
#   build/screenshots/map.png     the sports-nutrition map, Russian labels (cjm render, then
#                                 rsvg-convert)
#   build/screenshots/report.png  the HTML report of the sports-nutrition store with its event
#                                 data, as `make demo` builds it (headless Chromium, full page)
#   build/screenshots/viewer.png  the browser viewer with the example open, taken by the viewer
#                                 test of cjm-wasm (cjm-wasm/tests/viewer.test.mjs)
# Installs what it needs, idempotently: librsvg2-bin via apt when rsvg-convert is missing, and
# through `bash scripts/wasm.sh setup` Chromium and the npm packages of cjm-wasm.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly OUT=build/screenshots
readonly SN=examples/sports-nutrition
readonly CJM=target/release/cjm
readonly STEPS=catalog_view,product_view,checkout_start,order_placed

log() { echo "==> $*" >&2; }
die() { echo "screenshots.sh: $*" >&2; exit 1; }

apt_install() {
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "need root (or sudo) to install: $*"
    sudo=(sudo)
  fi
  log "apt: installing $*"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v rsvg-convert >/dev/null || apt_install librsvg2-bin
command -v python3 >/dev/null || die "python3 is required (it generates the example's events)"

log "cargo build --release -p cjm-cli"
cargo build --release -q -p cjm-cli
mkdir -p "$OUT"

log "map: $OUT/map.png"
"$CJM" render "$SN/journey.yaml" -o "$OUT/map.svg" --lang ru
rsvg-convert --background-color=white "$OUT/map.svg" -o "$OUT/map.png"

log "report: $OUT/report.html (with 20 000 customers' events, as in make demo)"
python3 "$SN/generate_events.py" --users 20000 --seed 7 >"$OUT/sports-nutrition-events.csv"
"$CJM" report "$SN/journey.yaml" --to-be "$SN/journey-to-be.yaml" \
  --events "$OUT/sports-nutrition-events.csv" --steps "$STEPS" --lang ru -o "$OUT/report.html"

log "Chromium and playwright-core (bash scripts/wasm.sh setup)"
bash scripts/wasm.sh setup

log "report: $OUT/report.png"
node scripts/screenshot-page.mjs "$OUT/report.html" "$OUT/report.png" 1440

log "viewer: $OUT/viewer.png (bash scripts/wasm.sh build; node --test cjm-wasm/tests/viewer.test.mjs)"
bash scripts/wasm.sh build
rm -f "$OUT/viewer.png"
node --test cjm-wasm/tests/viewer.test.mjs
[[ -s "$OUT/viewer.png" ]] || die "the viewer test wrote no $OUT/viewer.png"

log "done: $OUT/map.png $OUT/report.png $OUT/viewer.png"
