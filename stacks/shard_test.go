package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/internal/shard"
	"github.com/slocatalog/slocatalog/plan"
)

// TestShardsMakeTheWhole: the N shards of slocat synth --shard hold every
// template of the whole synth, each in exactly one shard and byte for byte
// the same; the routing stacks are in shard 1, all parts of a service in
// one shard, and no shard's manifest names a stack it does not hold (the
// CDK CLI refuses such an assembly). The default catalog (against the
// golden templates) for N = 1 to 4, and a generated catalog whose services
// are split into parts for N = 3.
func TestShardsMakeTheWhole(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		cat := loadPlan(t, "../catalog")
		want := templates(t, "testdata/golden")
		for n := 1; n <= 4; n++ {
			t.Run(fmt.Sprint(n), func(t *testing.T) { checkShards(t, cat.Plan, n, want) })
		}
	})
	t.Run("generated", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "catalog")
		if err := gen.Write(dir, gen.Options{Services: 4, SLOs: 160}); err != nil {
			t.Fatal(err)
		}
		cat := loadPlan(t, dir)
		split := 0
		for _, svc := range cat.Plan.Environments[0].Services {
			if Parts(svc) > 1 {
				split++
			}
		}
		if split == 0 {
			t.Fatal("no service of the generated catalog is split into parts; the test needs one")
		}
		whole := t.TempDir()
		if _, err := Synth(cat.Plan, Options{Outdir: whole, NoValidate: true}); err != nil {
			t.Fatal(err)
		}
		checkShards(t, cat.Plan, 3, templates(t, whole))
	})
}

func checkShards(t *testing.T, catalogPlan *plan.Plan, n int, want map[string][]byte) {
	t.Helper()
	got := map[string]int{} // template -> shard
	for i := 1; i <= n; i++ {
		dir := t.TempDir()
		// Validation does not change a template; off, the test is faster.
		if _, err := Synth(catalogPlan, Options{Outdir: dir, NoValidate: true, Shard: shard.Spec{Index: i, Count: n}}); err != nil {
			t.Fatalf("shard %d/%d: %v", i, n, err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
		for _, f := range files {
			name := filepath.Base(f)
			b, _ := os.ReadFile(f)
			if j, dup := got[name]; dup {
				t.Errorf("%s is in shards %d and %d of %d", name, j, i, n)
			}
			got[name] = i
			if w, ok := want[name]; !ok {
				t.Errorf("shard %d/%d wrote %s, which the whole synth does not", i, n, name)
			} else if !bytes.Equal(b, w) {
				t.Errorf("%s of shard %d/%d differs from the whole synth's", name, i, n)
			}
			if strings.HasSuffix(name, "-routing.template.json") && i != 1 {
				t.Errorf("routing stack %s is in shard %d/%d, not 1", name, i, n)
			}
		}
		checkManifestClosed(t, dir)
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("no shard of %d wrote %s", n, name)
		}
	}
	// A service's parts (name-partK) are in the shard of its first stack.
	for name, i := range got {
		base, _, ok := strings.Cut(name, "-part")
		if !ok {
			continue
		}
		if j := got[base+".template.json"]; j != i {
			t.Errorf("%s is in shard %d, its first stack in %d", name, i, j)
		}
	}
}

// checkManifestClosed fails if an artifact of the assembly depends on one
// the assembly does not hold.
func checkManifestClosed(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Artifacts map[string]struct {
			Dependencies []string `json:"dependencies"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for id, a := range m.Artifacts {
		for _, d := range a.Dependencies {
			if _, ok := m.Artifacts[d]; !ok {
				t.Errorf("%s: %s depends on %s, which is not in the assembly", dir, id, d)
			}
		}
	}
}
