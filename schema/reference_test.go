package schema

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/load"
	"github.com/slocatalog/slocatalog/spec"
)

// TestReferenceExamples decodes every example of docs/catalog.md into its
// type: it must decode cleanly and use every key of the type.
func TestReferenceExamples(t *testing.T) {
	for _, typ := range referenceTypes {
		ex, ok := spec.Examples[typ.Name()]
		if !ok {
			t.Errorf("%s has no example", typ.Name())
			continue
		}
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(ex), &n); err != nil {
			t.Errorf("%s example: %v", typ.Name(), err)
			continue
		}
		var diags diag.Diagnostics
		load.DecodeNode(typ.Name(), n.Content[0], reflect.New(typ).Interface(), &diags)
		if len(diags) > 0 {
			t.Errorf("%s example does not decode: %v", typ.Name(), diags)
		}
		used := map[string]bool{}
		for i := 0; i+1 < len(n.Content[0].Content); i += 2 {
			used[n.Content[0].Content[i].Value] = true
		}
		for _, f := range spec.ObjectOf(typ).Fields {
			if !used[f.Name] {
				t.Errorf("%s example does not show key %q", typ.Name(), f.Name)
			}
		}
	}
}

// TestReferenceIsCurrent fails when docs/catalog.md is stale.
// Regenerate with: go test ./schema -run TestReferenceIsCurrent -update
func TestReferenceIsCurrent(t *testing.T) {
	const path = "../docs/catalog.md"
	got := Reference() + ChecksReference(corpusExample)
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
		t.Fatalf("%s is stale: run go test ./schema -run TestReferenceIsCurrent -update", path)
	}
}

// corpusExample is the first diagnostic of check c in the golden file of
// its invalid-corpus case: the header line and the source, caret, hint and
// note lines under it.
func corpusExample(c diag.CheckInfo) string {
	if c.Case == "" {
		return ""
	}
	b, err := os.ReadFile(filepath.Join("../test/testdata/invalid", c.Case+".golden"))
	if err != nil {
		return ""
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		header := strings.HasPrefix(line, "testdata/")
		switch {
		case len(out) == 0 && header && strings.HasSuffix(line, "("+c.ID+")"):
			out = append(out, line)
		case len(out) > 0 && (header || !strings.HasPrefix(line, " ")):
			return strings.Join(out, "\n") + "\n"
		case len(out) > 0:
			out = append(out, line)
		}
	}
	if len(out) > 0 {
		return strings.Join(out, "\n") + "\n"
	}
	return ""
}
