package slos

import (
	"os"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestReferenceExamples decodes every example of docs/catalog.md into its
// type: it must decode cleanly and use every key of the type.
func TestReferenceExamples(t *testing.T) {
	for _, typ := range referenceTypes {
		ex, ok := referenceExamples[typ.Name()]
		if !ok {
			t.Errorf("%s has no example", typ.Name())
			continue
		}
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(ex), &n); err != nil {
			t.Errorf("%s example: %v", typ.Name(), err)
			continue
		}
		var diags Diagnostics
		d := &decoder{file: typ.Name(), diags: &diags}
		v := reflect.New(typ).Elem()
		d.decode(n.Content[0], v, typ.Name(), nil)
		if len(diags) > 0 {
			t.Errorf("%s example does not decode: %v", typ.Name(), diags)
		}
		used := map[string]bool{}
		for i := 0; i+1 < len(n.Content[0].Content); i += 2 {
			used[n.Content[0].Content[i].Value] = true
		}
		for _, f := range infoOf(typ).fields {
			if !used[f.name] {
				t.Errorf("%s example does not show key %q", typ.Name(), f.name)
			}
		}
	}
}

// TestReferenceIsCurrent fails when docs/catalog.md is stale.
// Regenerate with: go test ./slos -run TestReferenceIsCurrent -update
func TestReferenceIsCurrent(t *testing.T) {
	const path = "../docs/catalog.md"
	got := Reference()
	if *update {
		if err := os.MkdirAll("../docs", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("%s is stale: run go test ./slos -run TestReferenceIsCurrent -update", path)
	}
}
