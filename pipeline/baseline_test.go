package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/plan"
)

const baselineCatalog = `org:
  name: acme
  defaults:
    baseline: {maxAge: 30d}
environments:
  - name: prod
    account: "123456789012"
    region: eu-west-1
    defaults:
      baseline: {maxAge: 60d}
  - name: staging
    account: "210987654321"
    region: eu-west-1
    overrides:
      checkout/checkout-availability: {disabled: true}
routes:
  - {id: oncall, type: pagerduty, secret: acme/pd}
services:
  - name: checkout
    owner: team-checkout
    oncall: {page: [oncall], ticket: [oncall]}
    applicationSignals: {name: checkout, environment: "eks:acme/{env}"}
    slos:
      - id: checkout-latency
        goal: checkout p99 < 500 ms
        sli:
          latency: {operation: POST /checkout, percentile: p99, threshold: 500ms}
        objective: 99.9%
        baseline: {value: 0.24s, load: 5000rps, measured: 2026-10-01}
      - id: checkout-availability
        goal: 99.9% of checkouts succeed
        sli:
          availability: {operation: POST /checkout}
        objective: 99.9%
        baseline: {value: 99.85%, measured: 2026-10-01}
    tradeoffs:
      - {id: cart-cache, axis: consistency, choice: c, acceptedCost: a, criteria: k, slos: [checkout-latency]}
      - {id: cart-cache, axis: cost, choice: c, acceptedCost: a, criteria: k, evidence: "http://x.example/r"}
`

func loadBaselineCatalog(t *testing.T, text string) (*Result, error) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "acme.yaml")
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, _, err := Load(f)
	return cat, err
}

// TestTradeOffChecks: a trade-off id declared twice and an evidence link
// that is not https are each reported at the line written.
func TestTradeOffChecks(t *testing.T) {
	_, err := loadBaselineCatalog(t, baselineCatalog)
	var de *diag.Error
	if !errors.As(err, &de) {
		t.Fatalf("want diagnostics, got %v", err)
	}
	var got []string
	for _, d := range de.Diags {
		got = append(got, d.Check+" "+d.Message)
	}
	want := []string{
		`catalog/duplicate-id trade-off "cart-cache" is declared twice in service "checkout"`,
		`catalog/url evidence "http://x.example/r" is not an https URL`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestStaleBaselines: maxAge cascades per environment; an SLO disabled in
// an environment is not aged there; a baseline dated after today warns.
func TestStaleBaselines(t *testing.T) {
	text := strings.Replace(baselineCatalog, "      - {id: cart-cache, axis: cost, choice: c, acceptedCost: a, criteria: k, evidence: \"http://x.example/r\"}\n", "", 1)
	cat, err := loadBaselineCatalog(t, text)
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	messages := func(ds diag.Diagnostics) string {
		var out []string
		for _, d := range ds {
			if d.Severity != diag.SeverityWarning || d.Check != diag.CheckBaselineStale {
				t.Errorf("not a stale-baseline warning: %+v", d)
			}
			out = append(out, d.Message)
		}
		return strings.Join(out, "\n")
	}
	if ds := plan.StaleBaselines(cat.Catalog, day("2026-10-31")); len(ds) != 0 {
		t.Errorf("30 days old, maxAge 30d: want no warning, got\n%s", messages(ds))
	}
	// 31 days: staging (org's 30d) warns for the latency SLO only (the
	// availability SLO is disabled there); prod keeps 60d.
	got := messages(plan.StaleBaselines(cat.Catalog, day("2026-11-01")))
	if strings.Count(got, "\n") != 0 || !strings.Contains(got, `SLO "checkout-latency" was measured 2026-10-01, 31 days ago: older than maxAge 30d from org defaults`) {
		t.Errorf("31 days old: got\n%s", got)
	}
	got = messages(plan.StaleBaselines(cat.Catalog, day("2026-12-01")))
	for _, want := range []string{`"checkout-latency" was measured 2026-10-01, 61 days ago: older than maxAge 60d from environment prod defaults`, `"checkout-availability" was measured 2026-10-01, 61 days ago: older than maxAge 60d`} {
		if !strings.Contains(got, want) {
			t.Errorf("61 days old: no %q in\n%s", want, got)
		}
	}
	got = messages(plan.StaleBaselines(cat.Catalog, day("2026-09-30")))
	if strings.Count(got, "after today (2026-09-30)") != 2 {
		t.Errorf("dated after today: got\n%s", got)
	}
}

// TestHeadroom: a latency baseline's headroom is in the SLI's unit and a
// share of the threshold; an availability baseline's in points and a share
// of the error budget, negative when it misses the objective.
func TestHeadroom(t *testing.T) {
	text := strings.Replace(baselineCatalog, "      - {id: cart-cache, axis: cost, choice: c, acceptedCost: a, criteria: k, evidence: \"http://x.example/r\"}\n", "", 1)
	cat, err := loadBaselineCatalog(t, text)
	if err != nil {
		t.Fatal(err)
	}
	s := cat.Plan.Environments[0].Service("checkout") // prod
	lat, avail := s.SLO("checkout-latency"), s.SLO("checkout-availability")
	if a, p, ok := lat.Baseline.Headroom(lat); !ok || a != 260 || p != 52 {
		t.Errorf("latency headroom %v ms %v%% %v, want 260 ms 52%%", a, p, ok)
	}
	if a, p, ok := avail.Baseline.Headroom(avail); !ok || a > -0.0499 || a < -0.0501 || p > -49.9 || p < -50.1 {
		t.Errorf("availability headroom %v points %v%% %v, want -0.05 points -50%%", a, p, ok)
	}
	if got := lat.Baseline.Due().Format(time.DateOnly); got != "2026-11-30" {
		t.Errorf("due %s, want 2026-11-30 (prod's 60d)", got)
	}
	if len(s.TradeOffs) != 1 || s.TradeOffs[0].SLOs[0] != "checkout-latency" {
		t.Errorf("trade-offs %+v", s.TradeOffs)
	}
}
