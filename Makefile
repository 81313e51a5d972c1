# cjm — every install step lives here or in scripts/*.sh, idempotently, so a fresh clone on a
# fresh machine of this kind runs `make test` and `make demo` with nothing installed by hand.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
CJM := target/release/cjm
DEMO := build/demo
GEN_TYPES := scripts/gen-types

.PHONY: fuzz bench screenshots test demo dist test-readme setup setup-rust test-rust test-py test-node test-wasm types schema check-generated cli clean

## test: every suite — Rust, Python, Node, WASM (Node and headless Chromium)
test: test-rust test-py test-node test-wasm test-readme
	@echo "make test: all suites passed"

## dist: the installable packages in dist/ (Python wheel + sdist, cjm-node and cjm-wasm tarballs)
dist:
	bash scripts/dist.sh

## test-readme: every python/js/ts block of the READMEs, run outside the repo against dist/
test-readme: dist
	python3 scripts/readme_test.py

## setup: install everything the suites need (idempotent)
setup: setup-rust
	bash scripts/py.sh setup
	bash scripts/node.sh setup
	bash scripts/wasm.sh setup

setup-rust: $(GEN_TYPES)/node_modules/.package-lock.json
	@command -v cargo >/dev/null || { echo "cargo is required (rustup toolchain)"; exit 1; }

$(GEN_TYPES)/node_modules/.package-lock.json: $(GEN_TYPES)/package-lock.json
	cd $(GEN_TYPES) && npm ci --no-audit --no-fund

test-rust: setup-rust
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test -p cjm-core -p cjm-cli
	$(CARGO) test -p cjm-core --features streaming-yaml --test yaml_readers --test fuzz_regressions
	# The fuzz targets build against today's API (make fuzz itself needs cargo-fuzz and nightly).
	$(CARGO) check --manifest-path fuzz/Cargo.toml --bins
	$(MAKE) --no-print-directory check-generated

## check-generated: the committed schema and TypeScript types match the code
check-generated: setup-rust
	$(CARGO) run -q -p cjm-cli -- schema | diff -u docs/schema/journey.schema.json - \
	  || { echo "docs/schema/journey.schema.json is stale: run make types"; exit 1; }
	$(CARGO) run -q -p cjm-cli -- schema --api | diff -u docs/schema/api.schema.json - \
	  || { echo "docs/schema/api.schema.json is stale: run make types"; exit 1; }
	node $(GEN_TYPES)/gen.mjs --check
	python3 cjm-py/scripts/gen_types.py --check

## types: regenerate docs/schema/*.json and docs/types/cjm.d.ts from the Rust model
types: setup-rust
	$(CARGO) run -q -p cjm-cli -- schema > docs/schema/journey.schema.json
	$(CARGO) run -q -p cjm-cli -- schema --api > docs/schema/api.schema.json
	node $(GEN_TYPES)/gen.mjs
	python3 cjm-py/scripts/gen_types.py

test-py:
	bash scripts/py.sh test

test-node:
	bash scripts/node.sh test

test-wasm:
	bash scripts/wasm.sh test

cli:
	$(CARGO) build --release -p cjm-cli

## demo: validate, score and convert the examples, fill the map from events, render it
SN := examples/sports-nutrition
demo: cli
	@mkdir -p $(DEMO)
	@echo "== 1. Validate the examples =="
	$(CJM) validate examples/*/*.yaml
	$(CJM) info examples/*/*.yaml
	@echo
	@echo "== 2. Convert: JSON, Mermaid (GitHub renders it), CSV for spreadsheets, a new map from a template =="
	$(CJM) convert $(SN)/journey.yaml $(DEMO)/sports-nutrition.json
	$(CJM) convert $(SN)/journey.yaml $(DEMO)/sports-nutrition.mmd
	$(CJM) convert $(SN)/journey.yaml $(DEMO)/sports-nutrition.csv
	$(CJM) new --template ecommerce --lang ru -o $(DEMO)/new-ecommerce.ru.yaml
	@head -8 $(DEMO)/sports-nutrition.mmd
	@echo
	@echo "== 3. Where customers struggle: score, gaps (as-is vs to-be), the improvement plan =="
	$(CJM) score $(SN)/journey.yaml
	$(CJM) gaps $(SN)/journey.yaml $(SN)/journey-to-be.yaml > $(DEMO)/gaps.txt
	@head -30 $(DEMO)/gaps.txt
	$(CJM) plan $(SN)/journey.yaml
	@echo
	@echo "== 4. From real data: 20 000 customers' events (a checkout problem and few repeat orders built in) =="
	python3 $(SN)/generate_events.py --users 20000 --seed 7 > $(DEMO)/sports-nutrition-events.csv
	$(CJM) funnel $(DEMO)/sports-nutrition-events.csv --steps catalog_view,product_view,checkout_start,order_placed --window 7d --by platform
	$(CJM) compare $(DEMO)/sports-nutrition-events.csv --steps checkout_start,checkout_payment,order_placed --window 1d --split platform=app
	$(CJM) loyalty $(DEMO)/sports-nutrition-events.csv --purchase-event order_placed
	$(CJM) apply $(SN)/journey.yaml $(DEMO)/sports-nutrition-events.csv -o $(DEMO)/sports-nutrition-with-data.yaml
	$(CJM) score $(DEMO)/sports-nutrition-with-data.yaml > $(DEMO)/score-with-data.txt
	@head -14 $(DEMO)/score-with-data.txt
	@echo
	@echo "== 5. The visual map and the report =="
	$(CJM) render $(SN)/journey.yaml -o $(DEMO)/sports-nutrition-map.svg --lang ru
	$(CJM) render $(SN)/journey.yaml -o $(DEMO)/sports-nutrition-comparison.svg --chart comparison --to-be $(SN)/journey-to-be.yaml --lang ru
	$(CJM) report $(SN)/journey.yaml --to-be $(SN)/journey-to-be.yaml --events $(DEMO)/sports-nutrition-events.csv --steps catalog_view,product_view,checkout_start,order_placed --lang ru -o $(DEMO)/sports-nutrition-report.html
	$(CJM) report examples/ecommerce/journey.yaml -o $(DEMO)/ecommerce-report.html
	@echo
	@echo "Outputs are in $(DEMO)/: open sports-nutrition-report.html in a browser (works offline)."

## screenshots: build/screenshots/{map,report,viewer}.png — the sports-nutrition map (Russian),
## its HTML report with event data and the browser viewer (installs rsvg-convert and Chromium
## when missing)
screenshots:
	bash scripts/screenshots.sh

## fuzz: cargo-fuzz every parser and entry point, one target at a time (not in CI, not in
## `make test`); FUZZ_SECONDS per target (default 60), FUZZ_TARGETS to pick; see fuzz/README.md
fuzz:
	bash scripts/fuzz.sh

## bench: funnel benchmark against DuckDB and pandas (see docs/performance.md)
bench:
	bash bench/run.sh

clean:
	rm -rf build target cjm-wasm/pkg cjm-wasm/pkg-node
