#!/usr/bin/env bash
# Copies the example journeys and event log that ship inside the packages into DEST (the same
# layout in every package): DEST/sports-nutrition/{journey.yaml,journey-to-be.yaml,events.csv},
# DEST/ecommerce/journey.yaml. Called by scripts/{py,node,wasm}.sh; the copies are git-ignored.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:?usage: copy-examples.sh DEST}"
rm -rf "$dest"
mkdir -p "$dest/sports-nutrition" "$dest/ecommerce"
cp "$root"/examples/sports-nutrition/{journey.yaml,journey-to-be.yaml,events.csv} "$dest/sports-nutrition/"
cp "$root/examples/ecommerce/journey.yaml" "$dest/ecommerce/"
