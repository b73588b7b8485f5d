package dashboards

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
)

const cascadeCatalog = `org:
  name: acme
  defaults:
    dashboard: {timeRange: 3d}
environments:
  - name: prod
    account: "123456789012"
    region: eu-west-1
  - name: dev
    account: "210987654321"
    region: eu-west-1
    defaults:
      dashboard: {disabled: true}
routes:
  - {id: oncall, type: pagerduty, secret: acme/pd}
services:
  - name: checkout
    owner: team-checkout
    oncall: {page: [oncall], ticket: [oncall]}
    defaults:
      dashboard: {timeRange: 90m}
    alarms:
      - {id: p99, metric: {namespace: Acme, name: Latency}, statistic: p99, threshold: 300ms}
  - name: search
    owner: team-search
    oncall: {page: [oncall], ticket: [oncall]}
    slos:
      - id: latency
        goal: p99 < 200 ms
        sli: {latency: {metric: {namespace: Acme, name: SearchLatency}, percentile: p99, threshold: 200ms}}
        objective: 99.9%
`

// TestDashboardDefaultsCascade: the dashboard settings cascade org →
// environment → service like every other default; disabled makes none.
func TestDashboardDefaultsCascade(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(cascadeCatalog), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, _, err := pipeline.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	envs := map[string]*plan.Environment{}
	for _, e := range cat.Plan.Environments {
		envs[e.Name] = e
	}
	prod, dev := envs["prod"], envs["dev"]
	checks := []struct {
		what string
		ds   []Dashboard
		want string // "" = no dashboard
	}{
		{"prod checkout (service sets 90m)", Service("acme", prod, prod.Service("checkout")), `"start":"-PT90M"`},
		{"prod search (org sets 3d)", Service("acme", prod, prod.Service("search")), `"start":"-P3D"`},
		{"prod executive (org sets 3d)", Executive("acme", prod), `"start":"-P3D"`},
		{"dev checkout (environment turns off)", Service("acme", dev, dev.Service("checkout")), ""},
		{"dev executive (environment turns off)", Executive("acme", dev), ""},
	}
	for _, c := range checks {
		switch {
		case c.want == "" && len(c.ds) > 0:
			t.Errorf("%s: %d dashboards, want none", c.what, len(c.ds))
		case c.want != "" && len(c.ds) == 0:
			t.Errorf("%s: no dashboard", c.what)
		case c.want != "" && !strings.Contains(c.ds[0].Body, c.want):
			t.Errorf("%s: body lacks %s", c.what, c.want)
		}
	}
}

func TestStart(t *testing.T) {
	for d, want := range map[time.Duration]string{12 * time.Hour: "-PT12H", 7 * 24 * time.Hour: "-P7D", 90 * time.Minute: "-PT90M", 5 * time.Minute: "-PT5M"} {
		if got := start(d); got != want {
			t.Errorf("start(%v) = %s, want %s", d, got, want)
		}
	}
}
