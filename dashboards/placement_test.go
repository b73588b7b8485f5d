package dashboards

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/pipeline"
)

// TestExecutivePlacementBound: the placement constants keep every stack
// that holds executive pages well under CloudFormation's 1 MB, at the worst
// case: bodies of MaxBodyBytes whose every byte escapes to two.
func TestExecutivePlacementBound(t *testing.T) {
	const perPage = 2*MaxBodyBytes + 1<<10 // escaped body, resource around it
	const limit = 1 << 20
	for name, pages := range map[string]int{"routing": RoutingExecutivePages, "executive": ExecutivePagesPerStack} {
		// The routing stack's own resources get at least the same room.
		if worst := pages*perPage + 2<<10; worst > limit-200<<10 {
			t.Errorf("%s stack: %d pages take up to %d bytes, leaving under 200 KiB of 1 MB", name, pages, worst)
		}
	}
}

// TestExecutivePlacementByIndex: page p lands in the stack ExecutiveStack(p)
// names, whatever the catalog; stacks fill in order, the routing stack
// first, each with at most its share; a catalog that grows keeps every
// page where it was and adds stacks at the end. On a generated catalog of
// 600 services per environment (about 8 pages, one executive stack).
func TestExecutivePlacementByIndex(t *testing.T) {
	for p := 1; p <= 100; p++ {
		k := ExecutiveStack(p)
		want := 1
		if p > RoutingExecutivePages {
			want = 2 + (p-RoutingExecutivePages-1)/ExecutivePagesPerStack
		}
		if k != want || (p > 1 && k < ExecutiveStack(p-1)) {
			t.Fatalf("page %d: stack %d, want %d", p, k, want)
		}
	}
	placements := func(services int) (map[string]string, []ExecutivePlacement) {
		dir := filepath.Join(t.TempDir(), "catalog")
		if err := gen.Write(dir, gen.Options{Services: services, SLOs: 2 * services}); err != nil {
			t.Fatal(err)
		}
		cat, _, err := pipeline.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		e := cat.Plan.Environments[0]
		pages := Executive(cat.Plan.Org, e)
		xs := ExecutiveStacks(cat.Plan.Org, e.Name, pages)
		at := map[string]string{} // page name -> stack
		for i, x := range xs {
			if x.Number != i+1 {
				t.Errorf("stack %d is numbered %d", i+1, x.Number)
			}
			share := ExecutivePagesPerStack
			if x.Number == 1 {
				share = RoutingExecutivePages
				if x.Stack != names.RoutingStackName(cat.Plan.Org, e.Name) {
					t.Errorf("stack 1 is %s, not the routing stack", x.Stack)
				}
			} else if x.Stack != names.ExecutiveStackName(cat.Plan.Org, e.Name, x.Number) {
				t.Errorf("stack %d is %s", x.Number, x.Stack)
			}
			if len(x.Pages) > share || (i < len(xs)-1 && len(x.Pages) != share) {
				t.Errorf("%s holds %d pages (share %d)", x.Stack, len(x.Pages), share)
			}
			bytes := 0
			for _, d := range x.Pages {
				if len(d.Body) > MaxBodyBytes {
					t.Errorf("%s: body of %d bytes", d.Name, len(d.Body))
				}
				b, _ := json.Marshal(d.Body)
				bytes += len(b)
				at[d.Name] = x.Stack
			}
			if bytes > 700<<10 {
				t.Errorf("%s: %d bytes of escaped bodies", x.Stack, bytes)
			}
		}
		for i, d := range pages {
			if at[d.Name] != ExecutiveStackName(cat.Plan.Org, e.Name, i+1) {
				t.Errorf("page %d (%s) in %s", i+1, d.Name, at[d.Name])
			}
		}
		return at, xs
	}
	small, _ := placements(300)
	large, xs := placements(600)
	if len(xs) < 2 {
		t.Fatalf("600 services make %d stacks of executive pages; the test needs an executive stack", len(xs))
	}
	for name, st := range small {
		if large[name] != st {
			t.Errorf("%s moves from %s to %s as the catalog grows", name, st, large[name])
		}
	}
}
