package stacks

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/dashboards"
	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/internal/shard"
	"github.com/slocatalog/slocatalog/plan"
)

// TestExecutiveStacks: a catalog whose executive view outgrows the routing
// stack's share of pages (600 services, about 8 pages) synthesizes: the
// routing stack keeps the first pages, executive stacks hold the rest,
// each dashboard in the stack its page index names, and every stack is
// under 1 MB. Shard 1 of 1,000 holds the routing and executive stacks and
// almost no service, so the synth takes seconds.
func TestExecutiveStacks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "catalog")
	if err := gen.Write(dir, gen.Options{Services: 600, SLOs: 1200}); err != nil {
		t.Fatal(err)
	}
	cat := loadPlan(t, dir)
	out := t.TempDir()
	sum, err := Synth(cat.Plan, Options{Outdir: out, Env: "prod", Shard: shard.Spec{Index: 1, Count: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	var e *plan.Environment
	for _, x := range cat.Plan.Environments {
		if x.Name == "prod" {
			e = x
		}
	}
	pages := dashboards.Executive(cat.Plan.Org, e)
	if len(pages) <= dashboards.RoutingExecutivePages {
		t.Fatalf("%d executive pages: the test needs more than the routing stack's %d", len(pages), dashboards.RoutingExecutivePages)
	}
	sizes := map[string]int64{}
	for _, st := range sum.Stacks {
		sizes[st.Name] = st.TemplateBytes
		if st.TemplateBytes > 800<<10 {
			t.Errorf("%s: %d bytes, over 800 KiB", st.Name, st.TemplateBytes)
		}
	}
	want := map[string]string{} // dashboard -> stack
	for i, d := range pages {
		want[d.Name] = dashboards.ExecutiveStackName(cat.Plan.Org, e.Name, i+1)
	}
	got := map[string]string{}
	for _, x := range dashboards.ExecutiveStacks(cat.Plan.Org, e.Name, pages) {
		if _, ok := sizes[x.Stack]; !ok {
			t.Fatalf("no stack %s in the assembly", x.Stack)
		}
		tpl := readTemplate(t, out, x.Stack)
		for _, r := range tpl.ofType("AWS::CloudWatch::Dashboard") {
			name := str(r.Properties["DashboardName"])
			if strings.HasPrefix(name, dashboards.ExecutiveName(cat.Plan.Org, e.Name)) {
				got[name] = x.Stack
			}
		}
		if x.Number > 1 {
			t.Logf("%s: %d pages, %d bytes", x.Stack, len(x.Pages), sizes[x.Stack])
			if len(tpl.Resources) != len(x.Pages) {
				t.Errorf("%s holds %d resources, want its %d pages only", x.Stack, len(tpl.Resources), len(x.Pages))
			}
			for i := range x.Pages {
				id := fmt.Sprintf("executivedashboard%d", dashboards.RoutingExecutivePages+(x.Number-2)*dashboards.ExecutivePagesPerStack+i+1)
				found := false
				for lid := range tpl.Resources {
					found = found || strings.HasPrefix(lid, id)
				}
				if !found {
					t.Errorf("%s: no resource with logical ID %s…", x.Stack, id)
				}
			}
		}
	}
	for name, st := range want {
		if got[name] != st {
			t.Errorf("dashboard %s in %q, want %s", name, got[name], st)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d executive dashboards in the templates, want %d", len(got), len(want))
	}
}
