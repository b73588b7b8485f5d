package report

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/dashboards"
	"github.com/slocatalog/slocatalog/internal/generated"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// This file writes the report's performance-review artifacts: the
// escalation runbook and dashboards of each service, each SLO's baseline
// with its headroom, and each service's trade-off register. Nothing here
// depends on the day the report is written: a baseline says when it is due,
// and `slocat validate` warns when that day has passed.

// dashboardURL is a dashboard's page in the CloudWatch console.
func dashboardURL(region, name string) string {
	return fmt.Sprintf("https://%s.console.aws.amazon.com/cloudwatch/home?region=%s#dashboards/dashboard/%s", region, region, url.PathEscape(name))
}

// dashboardText names a dashboard with its link and time range, or says
// that the defaults turn it off.
func dashboardText(region, name string, d *plan.Dashboard) string {
	if d == nil {
		return "none (turned off by `defaults.dashboard.disabled`)"
	}
	return fmt.Sprintf("[%s](%s), opens on the last %s", code(name), dashboardURL(region, name), spec.FormatDuration(d.TimeRange))
}

// executive writes the line that names an environment's executive view.
func (r *writer) executive(e *plan.Environment) {
	r.printf("Executive latency view: %s.\n\n", dashboardText(e.Region, dashboards.ExecutiveName(r.plan.Org, e.Name), e.Executive))
	// Pages the routing stack has no room for deploy from executive stacks
	// (dashboards.ExecutiveStack); said only when there are any.
	if xs := dashboards.ExecutiveStacks(r.plan.Org, e.Name, dashboards.Executive(r.plan.Org, e)); len(xs) > 1 {
		r.printf("Its pages deploy from %s.\n\n", dashboards.PlacementText(xs))
	}
}

// routeKinds names route types as people know them.
var routeKinds = map[string]string{"pagerduty": "PagerDuty", "opsgenie": "Opsgenie", "slack": "Slack", "email": "email"}

// escalation writes a service's escalation runbook in one environment:
// per severity, the roll-up alarm, each route with its kind and
// destination, and the objects whose alarms go there; then the runbook and
// dashboards an on-call opens first.
func (r *writer) escalation(e *plan.Environment, s *plan.Service, objs []generated.Object, level int) {
	org := r.plan.Org
	r.printf("%s Escalation\n\n", heading(level))
	runbook := "none"
	if s.Runbook != "" {
		runbook = r.text(s.Runbook)
	}
	r.printf("Runbook: %s. Dashboard: %s. Executive view: %s.\n\n", runbook,
		dashboardText(e.Region, dashboards.ServiceName(org, e.Name, s.Name), s.Dashboard),
		dashboardText(e.Region, dashboards.ExecutiveName(org, e.Name), e.Executive))
	routes := map[string]*plan.Route{}
	for _, rt := range e.Routes {
		routes[rt.ID] = rt
	}
	rollups := generated.Rollups(org, e.Name, s, objs)
	if len(rollups) == 0 {
		r.printf("No alarm of %s pages or tickets anyone.\n\n", code(s.Name))
		return
	}
	r.printf("| severity | roll-up alarm | route | kind | destination | for |\n|---|---|---|---|---|---|\n")
	for _, ro := range rollups {
		what := r.severityObjects(objs, ro.Severity)
		ids := generated.Routes(s, ro.Severity)
		if len(ids) == 0 {
			r.printf("| %s | %s | none | | | %s |\n", ro.Severity, code(ro.Name), what)
		}
		for _, id := range ids {
			rt := routes[id]
			kind, dest := "", ""
			if rt != nil {
				kind, dest = routeKinds[rt.Type], target(rt)
				if rt.Description != "" {
					dest += ": " + r.text(rt.Description)
				}
			}
			r.printf("| %s | %s | %s | %s | %s | %s |\n", ro.Severity, code(ro.Name), code(id), kind, dest, what)
		}
	}
	r.printf("\n")
}

// severityObjects lists the objects with an alarm in severity's roll-up.
func (r *writer) severityObjects(objs []generated.Object, severity string) string {
	var out []string
	for _, o := range objs {
		for _, a := range o.Alarms {
			if a.Rollup && a.Severity == severity {
				out = append(out, kindWords[o.Kind]+" "+code(o.ID))
				break
			}
		}
	}
	return strings.Join(out, ", ")
}

var kindWords = map[string]string{generated.KindSLO: "SLO", generated.KindAlarm: "alarm", generated.KindCanary: "canary", generated.KindRUM: "RUM monitor", generated.KindTrace: "trace group"}

// baseline writes an SLO's baseline rows: what was measured, at what
// load, when and where the report is, when it is due again, and the
// headroom to the SLO's threshold (or objective) in this environment.
func (r *writer) baseline(x *plan.SLO) {
	b := x.Baseline
	if b == nil {
		return
	}
	line := b.Value.String()
	if l := x.Latency; l != nil && !b.Value.IsPercent {
		v, _ := (spec.Threshold{Dur: b.Value.Latency, IsDur: true}).In(l.Unit)
		line = fmt.Sprintf("%s %s %s", l.Percentile, generated.Num(generated.Round(v, 3)), generated.UnitAbbrev(l.Unit))
	}
	switch {
	case b.LoadRPS > 0:
		line += fmt.Sprintf(" at %s rps", generated.Thousands(b.LoadRPS))
	default:
		line += " (load not recorded)"
	}
	line += ", measured " + b.Measured.Format(time.DateOnly)
	row := r.text(line)
	if b.Evidence != "" {
		row += fmt.Sprintf(" ([load-test report](%s))", b.Evidence)
	}
	r.printf("| baseline | %s |\n", row)
	r.printf("| baseline due | %s (maxAge %s from %s) |\n", b.Due().Format(time.DateOnly), spec.FormatDuration(b.MaxAge), r.text(b.MaxAgeSrc.From))
	if amount, pct, ok := b.Headroom(x); ok {
		var h string
		if x.Latency != nil {
			unit := generated.UnitAbbrev(x.Latency.Unit)
			h = fmt.Sprintf("%s %s (%s%% of the %s %s threshold)", generated.Num(generated.Round(amount, 3)), unit, generated.Num(generated.Round(pct, 1)), generated.Num(x.Latency.Threshold), unit)
		} else {
			h = fmt.Sprintf("%s points (%s%% of the error budget above the %s%% objective)", generated.Num(generated.Round(amount, 4)), generated.Num(generated.Round(pct, 1)), generated.Num(x.Objective))
		}
		if amount < 0 {
			h += ": the baseline misses the SLO"
		}
		if b.LoadRPS > 0 && x.LoadRPS > b.LoadRPS {
			h += fmt.Sprintf("; measured below the SLO's load of %s rps", generated.Thousands(x.LoadRPS))
		}
		r.printf("| headroom | %s |\n", r.text(h))
	}
}

// tradeOffs writes a service's trade-off register, its heading at level.
func (r *writer) tradeOffs(s *plan.Service, level int) {
	if len(s.TradeOffs) == 0 {
		return
	}
	r.printf("%s Trade-off register of %s\n\n", heading(level), code(s.Name))
	r.printf("| decision | axis | choice | accepted cost | acceptance criteria | evidence | SLOs |\n|---|---|---|---|---|---|---|\n")
	for _, t := range s.TradeOffs {
		evidence := "none"
		if t.Evidence != "" {
			evidence = fmt.Sprintf("[link](%s)", t.Evidence)
		}
		r.printf("| %s | %s | %s | %s | %s | %s | %s |\n", code(t.ID), t.Axis, r.text(t.Choice), r.text(t.AcceptedCost), r.text(t.Criteria), evidence, codes(t.SLOs))
	}
	r.printf("\n")
}

// firstPlan is a service's plan in the first environment that runs it: the
// trade-off register is the same in every environment.
func firstPlan(catalogPlan *plan.Plan, name string) *plan.Service {
	for _, e := range catalogPlan.Environments {
		if s := e.Service(name); s != nil {
			return s
		}
	}
	return nil
}
