package dashboards

import (
	"fmt"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// TestAlarmPagesBefore18IgnoresLoadGuards: the pages that showed alarms
// before one alarm per tier are counted without the validated-load alarms,
// which came with the same change; for services of every size around the
// page boundaries, the count with load guards equals the count without.
func TestAlarmPagesBefore18IgnoresLoadGuards(t *testing.T) {
	e := &plan.Environment{Name: "prod", Region: "eu-west-1"}
	service := func(n int, guarded bool) *plan.Service {
		svc := &plan.Service{Name: "shop", Dashboard: &plan.Dashboard{TimeRange: 12 * time.Hour}}
		for i := range n {
			x := &plan.SLO{ID: fmt.Sprintf("slo-%04d", i), Window: spec.Window{Rolling: 28 * 24 * time.Hour}, Objective: 99.9,
				Tiers: plan.DefaultTiers(28 * 24),
				Latency: &plan.Latency{Percentile: "p99", PeriodSeconds: 60, Unit: "Milliseconds",
					Metric: &plan.Metric{Namespace: "Acme/Shop", Name: fmt.Sprintf("Latency%d", i), Stat: "p99"}}}
			if guarded {
				x.LoadRPS = 100
				x.LoadGuard = &plan.LoadGuard{For: 15 * time.Minute, Severity: "ticket"}
			}
			svc.SLOs = append(svc.SLOs, x)
		}
		return svc
	}
	differed := false
	for n := 20; n <= 400; n += 4 {
		plain, guarded := AlarmPagesBefore18("acme", e, service(n, false)), AlarmPagesBefore18("acme", e, service(n, true))
		if plain != guarded {
			t.Errorf("%d SLOs: %d pages showed alarms before, %d counted with load guards", n, plain, guarded)
		}
		if len(AlarmNames("acme", e.Name, service(n, true))) != len(AlarmNames("acme", e.Name, service(n, false))) {
			differed = true
		}
	}
	if !differed {
		t.Fatal("the guarded services show no more alarms: the test proves nothing")
	}
}
