package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// loadGuardCatalog sets the validated-load guard at every level: the org
// makes it 30m, environment stage turns it off, environment dev pages,
// service search waits 10m, and SLO search/pinned waits 1h; SLO
// search/quiet turns it off itself and search/unloaded states no load.
const loadGuardCatalog = `org:
  name: acme
  defaults:
    loadGuard: {for: 30m}
environments:
  - {name: prod, account: "123456789012", region: eu-west-1}
  - name: stage
    account: "123456789012"
    region: eu-central-1
    defaults:
      loadGuard: {disabled: true}
  - name: dev
    account: "210987654321"
    region: eu-west-1
    defaults:
      loadGuard: {severity: page}
routes:
  - {id: oncall, type: pagerduty, secret: acme/pd}
services:
  - name: checkout
    owner: team-checkout
    oncall: {page: [oncall], ticket: [oncall]}
    slos:
      - id: pay
        goal: pay p99 < 500 ms at 200 RPS
        sli: {latency: {metric: {namespace: Acme, name: PayLatency}, percentile: p99, threshold: 500ms}}
        objective: 99.9%
        load: 200rps
  - name: search
    owner: team-search
    oncall: {page: [oncall], ticket: [oncall]}
    defaults:
      loadGuard: {for: 10m}
    slos:
      - id: latency
        goal: p99 < 200 ms at 1,000 RPS
        sli: {latency: {metric: {namespace: Acme, name: SearchLatency}, percentile: p99, threshold: 200ms}}
        objective: 99.9%
        load: 1,000rps
      - id: pinned
        goal: p99 < 200 ms at 1,000 RPS
        sli: {latency: {metric: {namespace: Acme, name: SearchLatency}, percentile: p99, threshold: 200ms}}
        objective: 99.9%
        load: 1000rps
        loadGuard: {for: 1h, disabled: false}
      - id: quiet
        goal: p99 < 200 ms at 1,000 RPS
        sli: {latency: {metric: {namespace: Acme, name: SearchLatency}, percentile: p99, threshold: 200ms}}
        objective: 99.9%
        load: 1000rps
        loadGuard: {disabled: true}
      - id: unloaded
        goal: p99 < 200 ms
        sli: {latency: {metric: {namespace: Acme, name: SearchLatency}, percentile: p99, threshold: 200ms}}
        objective: 99.9%
`

// TestLoadGuardCascade: the validated-load guard cascades org →
// environment → service → SLO, each level overriding what it sets, and
// records where each setting came from; an SLO without load has none.
func TestLoadGuardCascade(t *testing.T) {
	catalogPlan := loadPlan(t, loadGuardCatalog)
	for _, c := range []struct {
		env, svc, slo string
		want          string // "for severity", or "off"
		forFrom       string // where for came from ("" to skip)
	}{
		{"prod", "checkout", "pay", "30m ticket", "org defaults"},
		{"prod", "search", "latency", "10m ticket", "service search defaults"},
		{"prod", "search", "pinned", "1h ticket", "slo"},
		{"prod", "search", "quiet", "off", ""},
		{"prod", "search", "unloaded", "off", ""},
		{"stage", "checkout", "pay", "off", ""},
		{"stage", "search", "pinned", "1h ticket", "slo"}, // the SLO's own disabled: false wins over stage's
		{"dev", "checkout", "pay", "30m ticket", "org defaults"},
	} {
		x := planSLO(t, catalogPlan, c.env, c.svc, c.slo)
		got := "off"
		if g := x.LoadGuard; g != nil {
			got = spec.FormatDuration(g.For) + " " + g.Severity
		}
		if c.env == "dev" && got != "off" {
			c.want = strings.Replace(c.want, "ticket", "page", 1) // dev pages
		}
		if got != c.want {
			t.Errorf("%s %s/%s: load guard %s, want %s", c.env, c.svc, c.slo, got, c.want)
		}
		if c.forFrom != "" && !strings.HasPrefix(x.Origins.LoadGuardFor.From, c.forFrom) {
			t.Errorf("%s %s/%s: for from %q, want %q", c.env, c.svc, c.slo, x.Origins.LoadGuardFor.From, c.forFrom)
		}
	}
	if o := planSLO(t, catalogPlan, "dev", "checkout", "pay").Origins.LoadGuardSeverity; o.From != "environment dev defaults" || o.Pos.IsZero() {
		t.Errorf("dev severity origin = %v, want environment dev defaults with a position", o)
	}
	if o := planSLO(t, catalogPlan, "stage", "checkout", "pay").Origins.LoadGuardDisabled; o.From != "environment stage defaults" {
		t.Errorf("stage disabled origin = %v, want environment stage defaults", o)
	}
	if o := planSLO(t, catalogPlan, "prod", "search", "unloaded").Origins.List(); strings.Contains(namedKeys(o), "loadGuard") {
		t.Errorf("an SLO without load lists load-guard origins: %s", namedKeys(o))
	}
}

// TestLoadGuardDefault: with nothing set, an SLO with load is guarded for
// 15 minutes as a ticket, from the built-in default.
func TestLoadGuardDefault(t *testing.T) {
	cat := strings.Replace(loadGuardCatalog, "    loadGuard: {for: 30m}\n", "", 1)
	x := planSLO(t, loadPlan(t, cat), "prod", "checkout", "pay")
	if x.LoadGuard == nil || x.LoadGuard.For != plan.DefaultLoadGuardFor || x.LoadGuard.Severity != "ticket" || x.LoadRPS != 200 {
		t.Fatalf("load guard %+v at %v rps, want 15m ticket at 200", x.LoadGuard, x.LoadRPS)
	}
	if x.Origins.LoadGuardFor.From != "built-in" || x.Origins.LoadGuardSeverity.From != "built-in" {
		t.Errorf("origins %v, %v; want built-in", x.Origins.LoadGuardFor, x.Origins.LoadGuardSeverity)
	}
}

// TestLoadGuardRefused: for out of range, and a page guard of a service
// without a page route, are refused with their checks.
func TestLoadGuardRefused(t *testing.T) {
	for _, c := range []struct{ what, from, to, want string }{
		{"for of a day and a minute", "{for: 30m}", "{for: 1441m}", "loadGuard for 1441m is not whole minutes from 1m to 1d"},
		{"for of no time", "{for: 30m}", "{for: 0s}", "loadGuard for 0s is not whole minutes"},
		{"for of 30 seconds", "{for: 30m}", "{for: 30s}", "loadGuard for 30s is not whole minutes"},
		{"page without a page route", "    loadGuard: {for: 30m}\n", "    loadGuard: {severity: page}\n", `SLO "pay" has severity page but service "checkout" has no page route`},
	} {
		cat := strings.Replace(loadGuardCatalog, c.from, c.to, 1)
		if strings.Contains(c.want, "page route") {
			cat = strings.ReplaceAll(cat, "{page: [oncall], ticket: [oncall]}", "{ticket: [oncall]}")
			cat = strings.Replace(cat, "      loadGuard: {severity: page}\n", "", 1) // dev's, so the org's is reported
		}
		_, diags := loadDiags(t, cat)
		if !strings.Contains(diags, c.want) {
			t.Errorf("%s: diagnostics lack %q:\n%s", c.what, c.want, diags)
		}
	}
	// A day exactly is CloudWatch's limit for one-minute periods, and allowed.
	if _, diags := loadDiags(t, strings.Replace(loadGuardCatalog, "{for: 30m}", "{for: 1d}", 1)); diags != "" {
		t.Errorf("for: 1d refused:\n%s", diags)
	}
}

func namedKeys(ns []plan.NamedOrigin) string {
	var keys []string
	for _, n := range ns {
		keys = append(keys, n.Key)
	}
	return strings.Join(keys, " ")
}

func loadDiags(t *testing.T, text string) (*Result, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, _, err := Load(dir)
	if err != nil {
		return nil, err.Error()
	}
	return cat, ""
}

func loadPlan(t *testing.T, text string) *plan.Plan {
	t.Helper()
	cat, diags := loadDiags(t, text)
	if diags != "" {
		t.Fatalf("catalog refused:\n%s", diags)
	}
	return cat.Plan
}

func planSLO(t *testing.T, p *plan.Plan, env, svc, id string) *plan.SLO {
	t.Helper()
	for _, e := range p.Environments {
		if e.Name != env {
			continue
		}
		if s := e.Service(svc); s != nil {
			if x := s.SLO(id); x != nil {
				return x
			}
		}
	}
	t.Fatalf("no SLO %s/%s in %s", svc, id, env)
	return nil
}
