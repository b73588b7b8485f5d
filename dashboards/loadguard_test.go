package dashboards

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
)

// TestLoadGuardOnDashboard: an SLO that states its load has a traffic
// widget with the load as a horizontal annotation that names the guard,
// drawing the expression its validated-load alarm evaluates, and the alarm
// in the service's alarm status; with the guard off, the load line stays
// and the alarm goes.
func TestLoadGuardOnDashboard(t *testing.T) {
	catalog := strings.Replace(cascadeCatalog, "        objective: 99.9%\n", "        objective: 99.9%\n        load: 1000rps\n        loadGuard: {for: 10m}\n", 1)
	for _, c := range []struct {
		what, edit string
		alarm      bool
		label      string
	}{
		{"guarded", "", true, `{"label":"load 1000 rps (ticket after 10m above)","value":1000}`},
		{"off", "loadGuard: {for: 10m, disabled: true}", false, `{"label":"load 1000 rps","value":1000}`},
	} {
		text := catalog
		if c.edit != "" {
			text = strings.Replace(text, "loadGuard: {for: 10m}", c.edit, 1)
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		cat, _, err := pipeline.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		var prod *plan.Environment
		for _, e := range cat.Plan.Environments {
			if e.Name == "prod" {
				prod = e
			}
		}
		body := Service("acme", prod, prod.Service("search"))[0].Body
		if !strings.Contains(body, c.label) || !strings.Contains(body, `"expression":"requests/PERIOD(requests)"`) {
			t.Errorf("%s: no traffic widget with %s", c.what, c.label)
		}
		if got := strings.Contains(body, "alarm:acme-prod-search-latency-over-load"); got != c.alarm {
			t.Errorf("%s: alarm status lists the validated-load alarm: %t, want %t", c.what, got, c.alarm)
		}
	}
}
