package plandiff

import (
	"path/filepath"
	"testing"

	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
)

// TestExecutiveStacks: a catalog that grows past the routing stack's share
// of executive pages creates an executive stack; shrinking back deletes it.
func TestExecutiveStacks(t *testing.T) {
	load := func(services int) *plan.Plan {
		dir := filepath.Join(t.TempDir(), "catalog")
		if err := gen.Write(dir, gen.Options{Services: services, SLOs: 2 * services}); err != nil {
			t.Fatal(err)
		}
		cat, _, err := pipeline.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		return cat.Plan
	}
	small, large := load(300), load(600)
	for _, c := range []struct {
		old, new *plan.Plan
		want     string
	}{{small, large, "create"}, {large, small, "delete"}} {
		d := Compare(c.old, c.new)
		for _, e := range d.Environments {
			got := map[string]string{}
			for _, s := range e.Stacks {
				got[s.Name] = s.Change
			}
			if name := names.ExecutiveStackName("bench", e.Name, 2); got[name] != c.want {
				t.Errorf("%s: %s is %q, want %q", e.Name, name, got[name], c.want)
			}
		}
	}
}
