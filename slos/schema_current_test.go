package slos

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite generated files (the JSON Schema) from the Go types")

// TestSchemaIsCurrent fails when schema/catalog.schema.json no longer matches
// the Go types. Regenerate with: go test ./slos -run TestSchemaIsCurrent -update
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
		t.Fatalf("%s is stale: run go test ./slos -run TestSchemaIsCurrent -update and review the diff", path)
	}
}

// freeMaps are keys whose values are mappings of user data (any key is legal).
var freeMaps = map[string]bool{"dimensions": true, "tags": true, "headers": true, "env": true, "vars": true, "overrides": true, "metrics": true}

// schemaKeys returns every key node of the schema (not user data) in a file.
func schemaKeys(n *yaml.Node, out *[]*yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			schemaKeys(c, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			*out = append(*out, k)
			if freeMaps[k.Value] {
				// The values of a free map are schema objects only for overrides and metrics.
				if k.Value == "overrides" || k.Value == "metrics" {
					v := n.Content[i+1]
					for j := 1; j < len(v.Content); j += 2 {
						schemaKeys(v.Content[j], out)
					}
				}
				continue
			}
			schemaKeys(n.Content[i+1], out)
		}
	}
}
