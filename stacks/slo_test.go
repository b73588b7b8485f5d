package stacks

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/names"
)

// wantFactors are the burn-rate thresholds of the default tiers, as the SRE
// Workbook and Sloth state them (not computed by the code under test).
var wantFactors = map[string]map[string]float64{
	"28d":            {"page-1h-5m": 13.44, "page-6h-30m": 5.6, "ticket-1d-2h": 2.8, "ticket-3d-6h": 28.0 / 30},
	"30d":            {"page-1h-5m": 14.4, "page-6h-30m": 6, "ticket-1d-2h": 3, "ticket-3d-6h": 1},
	"calendar-month": {"page-1h-5m": 14.4, "page-6h-30m": 6, "ticket-1d-2h": 3, "ticket-3d-6h": 1},
	"7d":             {"page-1h-5m": 13.44, "page-6h-30m": 3.5, "ticket-1d-2h": 1.4, "ticket-3d-6h": 0.98},
}

type cfnResource struct {
	Type       string
	Properties map[string]any
}

// TestSLOResources: every SLO of the default catalog has its Application
// Signals SLO with a burn-rate configuration per look-back window, and page
// and ticket burn alarms, one per tier, whose thresholds equal the factors
// within 1e-9, reading both windows' BurnRate in metrics.TierExpression,
// which the service roll-up of the tier's severity includes; no composite
// but the roll-ups remains.
func TestSLOResources(t *testing.T) {
	dir, _ := defaultAssembly(t)
	cat := loadPlan(t, "../catalog")
	resources := map[string]cfnResource{} // by AlarmName or SLO Name
	files, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		var tpl struct{ Resources map[string]cfnResource }
		if err := json.Unmarshal(b, &tpl); err != nil {
			t.Fatal(err)
		}
		for _, r := range tpl.Resources {
			for _, k := range []string{"AlarmName", "Name"} {
				if n, ok := r.Properties[k].(string); ok {
					resources[r.Type+" "+n] = r
				}
			}
		}
	}
	checked := 0
	for _, e := range cat.Plan.Environments {
		for _, s := range e.Services {
			for _, x := range s.SLOs {
				slo, ok := resources["AWS::ApplicationSignals::ServiceLevelObjective "+x.Name]
				if !ok {
					t.Errorf("%s: no ServiceLevelObjective", x.Name)
					continue
				}
				var windows []int
				for _, c := range slo.Properties["BurnRateConfigurations"].([]any) {
					windows = append(windows, int(c.(map[string]any)["LookBackWindowMinutes"].(float64)))
				}
				want := []int{}
				seen := map[int]bool{}
				for _, tier := range x.Tiers {
					for _, w := range []int{int(tier.Long.Minutes()), int(tier.Short.Minutes())} {
						if !seen[w] {
							seen[w] = true
							want = append(want, w)
						}
					}
				}
				sort.Ints(want)
				if fmt.Sprint(windows) != fmt.Sprint(want) {
					t.Errorf("%s: burn-rate windows %v, want %v", x.Name, windows, want)
				}
				goal := slo.Properties["Goal"].(map[string]any)
				if goal["AttainmentGoal"].(float64) != x.Objective {
					t.Errorf("%s: attainment goal %v, want %v", x.Name, goal["AttainmentGoal"], x.Objective)
				}
				factors, defaults := wantFactors[x.Window.String()]
				if s.Name == "billing" && x.ID == "payment-success" {
					// custom tiers: page 2%/1h, 5%/6h, ticket 10%/3d over 30 days
					factors, defaults = map[string]float64{"page-1h-5m": 14.4, "page-6h-30m": 6, "ticket-3d-6h": 1}, true
				}
				if !defaults || len(x.Tiers) != len(factors) {
					t.Errorf("%s: %d tiers over %s; no expected factors for them", x.Name, len(x.Tiers), x.Window)
					continue
				}
				for _, tier := range x.Tiers {
					wantF, ok := factors[tier.Name()]
					if !ok {
						t.Errorf("%s: unexpected tier %s", x.Name, tier.Name())
						continue
					}
					name := names.AlarmName("streamforge", e.Name, s.Name, names.TierAlarmID(x.ID, tier.Name()))
					a, ok := resources["AWS::CloudWatch::Alarm "+name]
					if !ok {
						t.Errorf("no alarm %s", name)
						continue
					}
					if got := a.Properties["Threshold"].(float64); math.Abs(got-wantF) > 1e-9 {
						t.Errorf("%s: threshold %.12g, want %.12g", name, got, wantF)
					}
					m := js(a.Properties["Metrics"])
					for _, w := range []time.Duration{tier.Long, tier.Short} {
						if !strings.Contains(m, fmt.Sprintf(`{"Name":"BurnRateWindowMinutes","Value":"%d"}`, int(w.Minutes()))) {
							t.Errorf("%s: does not read the BurnRate over %s", name, w)
						}
					}
					// Every SLO of the catalog with minRequests has a known request count.
					if want := metrics.TierExpression(x.MinRequests); !strings.Contains(m, fmt.Sprintf(`"Expression":%q`, want)) {
						t.Errorf("%s: expression is not %s: %s", name, want, m)
					}
					for _, old := range []string{"AWS::CloudWatch::CompositeAlarm " + strings.TrimSuffix(name, names.TierAlarmSuffix), "AWS::CloudWatch::Alarm " + strings.TrimSuffix(name, names.TierAlarmSuffix) + "-long"} {
						if _, ok := resources[old]; ok {
							t.Errorf("%s: still made", old)
						}
					}
					rollup := resources["AWS::CloudWatch::CompositeAlarm "+names.AlarmName("streamforge", e.Name, s.Name, names.RollupID(tier.Severity))]
					if !strings.Contains(fmt.Sprint(rollup.Properties["AlarmRule"]), fmt.Sprintf("ALARM(%q)", name)) {
						t.Errorf("%s is not in the %s roll-up of %s", name, tier.Severity, s.Name)
					}
					checked++
				}
				if _, ok := resources[fmt.Sprintf("AWS::CloudWatch::Alarm streamforge-%s-%s-%s-no-data", e.Name, s.Name, x.ID)]; !ok {
					t.Errorf("%s: no no-data alarm", x.Name)
				}
			}
		}
	}
	if checked < 40 {
		t.Fatalf("only %d tiers checked", checked)
	}
}
