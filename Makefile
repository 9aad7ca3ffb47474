# coopimpact — the two commands people need are `make run` and `make test`.
# Every target does its own set-up on a fresh clone (assets, test servers).

SHELL     := /bin/bash
GO        ?= go
DATA      ?= ./data
ADDR      ?= 127.0.0.1:8080
TOOLS     := $(CURDIR)/.tools/bin
MINIO_VERSION := v0.0.0-20260212201848-7aac2a2c5b7c
MINIO_BIN ?= $(TOOLS)/minio
FUZZTIME  ?= 30s
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
NODE_MODS := node_modules/.package-lock.json
ECHARTS   := dashboards/static/vendor/echarts.min.js
HTMX      := dashboards/static/vendor/htmx.min.js
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench lint build assets tools chromium fuzz docs clean

## run: build, load the demo network into an empty data folder, serve the portal
run: build
	./bin/coopimpact demo --data $(DATA) --if-empty
	./bin/coopimpact serve --data $(DATA) --addr $(ADDR)

## build: the single binary in bin/coopimpact (front-end assets embedded)
build: assets
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/coopimpact ./cmd/coopimpact

## assets: front-end libraries from the npm registry, pinned by package-lock.json
## (echarts and htmx are embedded; axe-core stays in node_modules for the browser tests)
assets: $(ECHARTS) $(HTMX)
$(NODE_MODS): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@
$(ECHARTS): $(NODE_MODS)
	mkdir -p $(dir $@)
	cp node_modules/echarts/dist/echarts.min.js $@
$(HTMX): $(NODE_MODS)
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

## tools: what the tests need that the machine may lack (MinIO server, Chromium)
tools: $(MINIO_BIN) chromium
chromium:
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }
$(MINIO_BIN):
	@echo "building the MinIO server for the object-storage tests (about 3 minutes, once)"
	GOBIN=$(TOOLS) $(GO) install github.com/minio/minio@$(MINIO_VERSION)

## test: vet, every Go test (DuckDB file, real MinIO), short fuzz runs
test: assets tools lint
	MINIO_BIN=$(MINIO_BIN) $(GO) test -count=1 -timeout 30m ./...
	@echo "object-storage contract suite against a real MinIO server:"
	set -o pipefail; MINIO_BIN=$(MINIO_BIN) $(GO) test -count=1 -v -run '^TestS3$$' ./internal/blob/ | grep -E 'MinIO|^--- |^ok|^FAIL' | grep -v '^    --- PASS'
	FUZZ_FRESH=1 bash .ci/fuzz

## fuzz: every fuzz target for FUZZTIME each (default 30s; FUZZTIME=5m make fuzz for longer)
fuzz:
	FUZZTIME=$(FUZZTIME) bash .ci/fuzz

## bench: benchmarks with their ratios to the limits the issues name
bench: assets
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...

## lint: gofmt and go vet must be clean
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## docs: regenerate the documents generated from the catalogues
docs:
	$(GO) run ./cmd/coopimpact ingest datasets --markdown > docs/datasets.md
	$(GO) run ./cmd/coopimpact metrics docs > docs/indicators.md

clean:
	rm -rf bin $(dir $(ECHARTS))
