package load

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/diag"
)

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

// TestMisspeltKeyAnywhere misspells, one at a time, every key of the default
// catalog and checks that the loader rejects it by name, where it stands.
func TestMisspeltKeyAnywhere(t *testing.T) {
	files, _ := filepath.Glob("../catalog/*.yaml")
	tried := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var root yaml.Node
		if err := yaml.Unmarshal(b, &root); err != nil {
			t.Fatal(err)
		}
		var ks []*yaml.Node
		schemaKeys(&root, &ks)
		lines := strings.Split(string(b), "\n")
		for _, k := range ks {
			bad := k.Value[:len(k.Value)/2] + "x" + k.Value[len(k.Value)/2:]
			l := lines[k.Line-1]
			col := k.Column - 1
			mutated := append([]string{}, lines...)
			mutated[k.Line-1] = l[:col] + bad + l[col+len(k.Value):]
			var diags diag.Diagnostics
			file := Parse(f, []byte(strings.Join(mutated, "\n")), &diags)
			found := false
			for _, d := range diags {
				if d.Check == "schema/unknown-key" && d.Pos.Line == k.Line && d.Pos.Col == k.Column && strings.Contains(d.Message, fmt.Sprintf("%q", bad)) {
					found = true
				}
			}
			if !found || file == nil {
				t.Errorf("%s:%d:%d: misspelling %q as %q was not reported by name: %v", f, k.Line, k.Column, k.Value, bad, diags)
			}
			tried++
		}
	}
	if tried < 200 {
		t.Fatalf("only %d keys tried; the walk is broken", tried)
	}
}
