package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/slocatalog/slocatalog/dashboards"
	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
)

// dashboardSchema compiles test/dashboard-body.schema.json, the documented
// "Dashboard Body Structure and Syntax" written down as a JSON Schema.
func dashboardSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	const file = "dashboard-body.schema.json"
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(file, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(file)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// allDashboards computes every dashboard of a plan as the CDK app makes
// them: per environment the executive view and each service's dashboards.
func allDashboards(p *plan.Plan) []dashboards.Dashboard {
	var out []dashboards.Dashboard
	for _, e := range p.Environments {
		out = append(out, dashboards.Executive(p.Org, e)...)
		for _, svc := range e.Services {
			out = append(out, dashboards.Service(p.Org, e, svc)...)
		}
	}
	return out
}

func loadCatalog(t testing.TB, dir string) *plan.Plan {
	t.Helper()
	cat, _, err := pipeline.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return cat.Plan
}

// generated writes and loads a generated catalog.
func generated(t testing.TB, o gen.Options) *plan.Plan {
	t.Helper()
	dir := t.TempDir()
	if err := gen.Write(dir, o); err != nil {
		t.Fatal(err)
	}
	return loadCatalog(t, dir)
}

func decode(t *testing.T, body string) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestDashboardBodiesMatchSchema validates every dashboard body of the
// default catalog and of a generated 1,000-SLO catalog against the schema.
func TestDashboardBodiesMatchSchema(t *testing.T) {
	schema := dashboardSchema(t)
	for name, catalogPlan := range map[string]*plan.Plan{
		"default":   loadCatalog(t, "../catalog"),
		"1000 SLOs": generated(t, gen.Options{Services: 100, SLOs: 1000}),
	} {
		ds := allDashboards(catalogPlan)
		if len(ds) == 0 {
			t.Fatalf("%s: no dashboards", name)
		}
		for _, d := range ds {
			if err := schema.Validate(decode(t, d.Body)); err != nil {
				t.Errorf("%s: %s: %v", name, d.Name, err)
			}
		}
	}
}

// TestDashboardSchemaRejectsMissingField: the schema is not vacuous; a
// widget that loses a field the documentation requires fails it.
func TestDashboardSchemaRejectsMissingField(t *testing.T) {
	schema := dashboardSchema(t)
	catalogPlan := loadCatalog(t, "../catalog")
	body := dashboards.Service(catalogPlan.Org, catalogPlan.Environments[0], catalogPlan.Environments[0].Services[0])[0].Body
	cases := []struct {
		widgetType string
		drop       func(w map[string]any)
		what       string
	}{
		{"text", func(w map[string]any) { delete(w["properties"].(map[string]any), "markdown") }, "text widget without markdown"},
		{"metric", func(w map[string]any) { delete(w["properties"].(map[string]any), "region") }, "metric widget without region"},
		{"metric", func(w map[string]any) { delete(w["properties"].(map[string]any), "metrics") }, "metric widget without metrics"},
		{"alarm", func(w map[string]any) { delete(w["properties"].(map[string]any), "alarms") }, "alarm widget without alarms"},
		{"metric", func(w map[string]any) { delete(w, "properties") }, "widget without properties"},
		{"metric", func(w map[string]any) { delete(w, "type") }, "widget without type"},
		{"metric", func(w map[string]any) { w["width"] = 25.0 }, "widget wider than the grid"},
	}
	if err := schema.Validate(decode(t, body)); err != nil {
		t.Fatalf("the unchanged body fails: %v", err)
	}
	for _, c := range cases {
		v := decode(t, body).(map[string]any)
		found := false
		for _, w := range v["widgets"].([]any) {
			w := w.(map[string]any)
			if w["type"] == c.widgetType {
				c.drop(w)
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("%s: the body has no %s widget", c.what, c.widgetType)
		}
		if err := schema.Validate(v); err == nil {
			t.Errorf("%s: the schema accepts it", c.what)
		}
	}
}

// checkLayout holds dashboards to CloudWatch's limits and a clean grid:
// widgets inside 24 units, none overlapping, at most 500, the body within
// MaxBodyBytes, names as PutDashboard accepts and unique.
func checkLayout(t *testing.T, ds []dashboards.Dashboard) {
	t.Helper()
	names := map[string]bool{}
	for _, d := range ds {
		if !dashboards.NamePattern.MatchString(d.Name) {
			t.Errorf("%s: not a dashboard name", d.Name)
		}
		if names[d.Name] {
			t.Errorf("%s: two dashboards have this name", d.Name)
		}
		names[d.Name] = true
		if len(d.Body) > dashboards.MaxBodyBytes {
			t.Errorf("%s: body of %d bytes", d.Name, len(d.Body))
		}
		var b dashboards.Body
		if err := json.Unmarshal([]byte(d.Body), &b); err != nil {
			t.Fatal(err)
		}
		if len(b.Widgets) > dashboards.MaxWidgets || len(b.Widgets) != d.Widgets {
			t.Errorf("%s: %d widgets (says %d)", d.Name, len(b.Widgets), d.Widgets)
		}
		cells := map[[2]int]int{}
		for i, w := range b.Widgets {
			if w.X < 0 || w.Y < 0 || w.Width < 1 || w.Height < 1 || w.X+w.Width > dashboards.GridWidth {
				t.Errorf("%s: widget %d at x=%d width=%d", d.Name, i, w.X, w.Width)
			}
			for x := w.X; x < w.X+w.Width; x++ {
				for y := w.Y; y < w.Y+w.Height; y++ {
					if j, ok := cells[[2]int{x, y}]; ok {
						t.Errorf("%s: widgets %d and %d overlap at (%d,%d)", d.Name, j, i, x, y)
						return
					}
					cells[[2]int{x, y}] = i
				}
			}
		}
	}
}

// TestDashboardLayout checks the layout and limits on the default catalog
// and a generated 1,000-SLO catalog.
func TestDashboardLayout(t *testing.T) {
	checkLayout(t, allDashboards(loadCatalog(t, "../catalog")))
	catalogPlan := generated(t, gen.Options{Services: 100, SLOs: 1000})
	ds := allDashboards(catalogPlan)
	checkLayout(t, ds)
	services := 0
	for _, e := range catalogPlan.Environments {
		services += len(e.Services)
	}
	if len(ds) < services+len(catalogPlan.Environments) {
		t.Errorf("%d dashboards for %d services in %d environments", len(ds), services, len(catalogPlan.Environments))
	}
}

// TestDashboardSplit: a service too large for one dashboard gets more, named
// …-2, …-3, each within the limits; the split is the same every time.
func TestDashboardSplit(t *testing.T) {
	catalogPlan := generated(t, gen.Options{Services: 1, SLOs: 120})
	e := catalogPlan.Environments[0]
	ds := dashboards.Service(catalogPlan.Org, e, e.Services[0])
	if len(ds) < 2 {
		t.Fatalf("one dashboard of %d widgets, %d bytes for 120 SLOs", ds[0].Widgets, len(ds[0].Body))
	}
	base := dashboards.ServiceName(catalogPlan.Org, e.Name, e.Services[0].Name)
	for i, d := range ds {
		want := base
		if i > 0 {
			want = fmt.Sprintf("%s-%d", base, i+1)
		}
		if d.Name != want {
			t.Errorf("dashboard %d is %s, want %s", i, d.Name, want)
		}
	}
	checkLayout(t, ds)
	again := dashboards.Service(catalogPlan.Org, e, e.Services[0])
	for i := range ds {
		if ds[i].Body != again[i].Body {
			t.Fatalf("%s differs between two runs", ds[i].Name)
		}
	}
	t.Logf("120 SLOs in one service: %d dashboards", len(ds))
}
