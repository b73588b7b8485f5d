# slocatalog: the two commands a fresh machine needs are `make demo` and `make test`.
GO ?= go

.PHONY: demo test vet bench fuzz generate

demo:
	$(GO) run ./cmd/slocat validate --plan catalog

test: vet
	$(GO) test -count=1 ./...

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

bench:
	$(GO) test ./test -run '^$$' -bench . -benchmem

fuzz:
	$(GO) test ./slos -run '^$$' -fuzz FuzzLoad -fuzztime 5m

# Regenerate the JSON Schema and docs/catalog.md from the Go types (review the diff).
generate:
	$(GO) test ./slos -run 'TestSchemaIsCurrent|TestReferenceIsCurrent' -update
