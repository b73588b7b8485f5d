package schema

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite generated files (the JSON Schema) from the Go types")

// TestSchemaIsCurrent fails when schema/catalog.schema.json no longer matches
// the Go types. Regenerate with: go test ./schema -run TestSchemaIsCurrent -update
func TestSchemaIsCurrent(t *testing.T) {
	got, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	const path = "../schema/catalog.schema.json"
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run go test ./schema -run TestSchemaIsCurrent -update and review the diff", path)
	}
}
