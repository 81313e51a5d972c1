# cjm — every install step lives here or in scripts/*.sh, idempotently, so a fresh clone on a
# fresh machine of this kind runs `make test` and `make demo` with nothing installed by hand.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
CJM := target/release/cjm
DEMO := build/demo
GEN_TYPES := scripts/gen-types

.PHONY: test demo setup setup-rust test-rust test-py test-node test-wasm types schema check-generated cli clean

## test: every suite — Rust, Python, Node, WASM (Node and headless Chromium)
test: test-rust test-py test-node
	@echo "make test: all suites passed"

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
	$(MAKE) --no-print-directory check-generated

## check-generated: the committed schema and TypeScript types match the code
check-generated: setup-rust
	$(CARGO) run -q -p cjm-cli -- schema | diff -u docs/schema/journey.schema.json - \
	  || { echo "docs/schema/journey.schema.json is stale: run make types"; exit 1; }
	$(CARGO) run -q -p cjm-cli -- schema --api | diff -u docs/schema/api.schema.json - \
	  || { echo "docs/schema/api.schema.json is stale: run make types"; exit 1; }
	node $(GEN_TYPES)/gen.mjs --check

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

## demo: validate and convert the bundled examples, print a readable summary
demo: cli
	@mkdir -p $(DEMO)
	@echo "== Validating the examples =="
	$(CJM) validate examples/*/*.yaml
	@echo
	@echo "== Converting =="
	$(CJM) convert examples/sports-nutrition/journey.yaml $(DEMO)/sports-nutrition.json
	$(CJM) convert examples/sports-nutrition/journey.yaml $(DEMO)/sports-nutrition.mmd
	$(CJM) convert examples/sports-nutrition/journey.yaml $(DEMO)/sports-nutrition.csv
	$(CJM) convert $(DEMO)/sports-nutrition.json $(DEMO)/sports-nutrition.roundtrip.yaml
	$(CJM) convert examples/ecommerce/journey.yaml $(DEMO)/ecommerce.mmd
	$(CJM) new --template ecommerce --lang ru -o $(DEMO)/new-ecommerce.ru.yaml
	@echo
	@echo "== Summary =="
	$(CJM) info examples/*/*.yaml
	@echo
	@echo "Mermaid (paste into GitHub or mermaid.live): $(DEMO)/sports-nutrition.mmd"
	@head -12 $(DEMO)/sports-nutrition.mmd
	@echo "Outputs are in $(DEMO)/"

clean:
	rm -rf build target cjm-wasm/pkg cjm-wasm/pkg-node
