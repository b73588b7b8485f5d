package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/load"
	"github.com/slocatalog/slocatalog/plan"
)

func TestDefaultCatalogValidates(t *testing.T) {
	cat, src, err := Load("../catalog")
	if err != nil {
		var out bytes.Buffer
		err.(*diag.Error).Diags.Render(&out, src)
		t.Fatalf("default catalog is invalid:\n%s", out.String())
	}
	if len(cat.Plan.Environments) != 2 {
		t.Errorf("%d environments, want 2", len(cat.Plan.Environments))
	}
}

func TestHostileInput(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 30; i++ {
		name := fmt.Sprintf("l%d", i)
		bomb += fmt.Sprintf("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	tests := map[string]struct {
		in    []byte
		check string
	}{
		"alias bomb":  {[]byte(bomb), "yaml/alias"},
		"binary":      {[]byte("org:\n  name: \xff\xfe\n"), "input/binary"},
		"nul":         {[]byte("org: {name: a\x00}\n"), "input/binary"},
		"empty":       {[]byte(""), "input/empty"},
		"comments":    {[]byte("# nothing\n---\n"), "input/empty"},
		"tabs":        {[]byte("org:\n\tname: a\n"), "yaml/tab"},
		"scalar root": {[]byte("hello\n"), "schema/type"},
		"deep":        {[]byte(strings.Repeat("[", 20000) + strings.Repeat("]", 20000)), "yaml/syntax"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			load.Parse("x.yaml", tt.in, &diags)
			for _, d := range diags {
				if d.Check == tt.check {
					return
				}
			}
			t.Errorf("want a %s diagnostic, got %v", tt.check, diags)
		})
	}
}

func TestFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(load.MaxFileBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, _, err = Load(big)
	e, ok := err.(*diag.Error)
	if !ok || len(e.Diags) != 1 || e.Diags[0].Check != "input/size" {
		t.Fatalf("want one input/size diagnostic, got %v", err)
	}
}

// TestCascade checks that each setting comes from the most specific level
// that sets it, and that the plan says which.
func TestCascade(t *testing.T) {
	cat, _, err := Load("../catalog")
	if err != nil {
		t.Fatal(err)
	}
	find := func(env, svc, id string) (*plan.SLO, *plan.Alarm, *plan.Canary) {
		for _, e := range cat.Plan.Environments {
			if s := e.Service(svc); e.Name == env && s != nil {
				if x, a, c := s.SLO(id), s.Alarm(id), s.Canary(id); x != nil || a != nil || c != nil {
					return x, a, c
				}
			}
		}
		t.Fatalf("%s %s/%s not in plan", env, svc, id)
		return nil, nil, nil
	}
	// org default window 28d; billing's service default 30d; the SLO's own calendar-month.
	if x, _, _ := find("prod", "billing", "payment-success"); x.Window.String() != "30d" || x.Origins.Window.From != "service billing defaults" {
		t.Errorf("payment-success window %s from %s", x.Window, x.Origins.Window)
	}
	if x, _, _ := find("prod", "billing", "invoice-latency"); !x.Window.CalendarMonth || x.Origins.Window.From != "slo" {
		t.Errorf("invoice-latency window %s from %s", x.Window, x.Origins.Window)
	}
	if x, _, _ := find("prod", "catalog-browse", "browse-latency"); x.Window.String() != "28d" || x.Origins.Window.From != "org defaults" {
		t.Errorf("browse-latency window %s from %s", x.Window, x.Origins.Window)
	}
	// Environment override of a threshold, and of an objective.
	if x, _, _ := find("staging", "catalog-browse", "browse-latency"); x.Latency.Threshold != 450 || x.Origins.Threshold.From != "environment staging override" {
		t.Errorf("staging browse-latency threshold %g from %s", x.Latency.Threshold, x.Origins.Threshold)
	}
	if x, _, _ := find("prod", "catalog-browse", "browse-latency"); x.Latency.Threshold != 300 {
		t.Errorf("prod browse-latency threshold %g", x.Latency.Threshold)
	}
	if x, _, _ := find("staging", "live-events", "startup-latency"); x.Objective != 99 {
		t.Errorf("staging startup-latency objective %g", x.Objective)
	}
	// Environment defaults over org defaults; the object's own value over both.
	if _, a, _ := find("staging", "catalog-browse", "cache-hit-ratio"); a.Severity != "ticket" || a.Origins.Severity.From != "environment staging defaults" {
		t.Errorf("staging cache-hit-ratio severity %s from %s", a.Severity, a.Origins.Severity)
	}
	if _, a, _ := find("prod", "billing", "aurora-acu"); a.PeriodSeconds != 300 || a.EvaluationPeriods != 6 || a.Origins.Period.From != "alarm" {
		t.Errorf("aurora-acu period %d eval %d", a.PeriodSeconds, a.EvaluationPeriods)
	}
	if _, _, c := find("staging", "web-app", "web-signin"); c.Schedule.Minutes() != 15 || c.Severity != "ticket" {
		t.Errorf("staging web-signin schedule %v severity %s", c.Schedule, c.Severity)
	}
	// Disabled in staging only.
	for _, s := range cat.Plan.Environments[1].Services { // staging sorts after prod
		for _, a := range s.Alarms {
			if a.ID == "payment-errors" {
				t.Error("billing/payment-errors is disabled in staging but planned")
			}
		}
	}
}

// TestPlanIgnoresOrder: the plan does not depend on the order of files,
// services or list items in the catalog.
func TestPlanIgnoresOrder(t *testing.T) {
	a, _, err := Load("../catalog")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../catalog/*.yaml")
	rev := make([]string, len(files))
	for i, f := range files {
		rev[len(files)-1-i] = f
	}
	b, _, err := Load(rev...)
	if err != nil {
		t.Fatal(err)
	}
	// Reverse every service's SLOs and alarms in a third load.
	c, _, _ := Load("../catalog")
	for _, s := range c.Services {
		for i, j := 0, len(s.SLOs)-1; i < j; i, j = i+1, j-1 {
			s.SLOs[i], s.SLOs[j] = s.SLOs[j], s.SLOs[i]
		}
		for i, j := 0, len(s.Alarms)-1; i < j; i, j = i+1, j-1 {
			s.Alarms[i], s.Alarms[j] = s.Alarms[j], s.Alarms[i]
		}
	}
	var diags diag.Diagnostics
	cp := plan.Build(c.Catalog, &diags)
	for _, p := range []*plan.Plan{b.Plan, cp} {
		if !reflect.DeepEqual(stripPos(a.Plan), stripPos(p)) {
			t.Error("plan changed with the order of the catalog")
		}
	}
}

// stripPos renders a plan as JSON without source positions, which
// legitimately move when the catalog is reordered.
func stripPos(p *plan.Plan) string {
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		panic(err)
	}
	var strip func(any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			delete(x, "Pos")
			for _, c := range x {
				strip(c)
			}
		case []any:
			for _, c := range x {
				strip(c)
			}
		}
	}
	strip(v)
	out, _ := json.Marshal(v)
	return string(out)
}
