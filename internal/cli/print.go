package cli

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/slocatalog/slocatalog/dashboards"
	"github.com/slocatalog/slocatalog/internal/generated"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

func tiers(ts []plan.Tier) string {
	if len(ts) == 0 {
		return "burn-rate alerts off"
	}
	var parts []string
	for _, t := range ts {
		parts = append(parts, fmt.Sprintf("%s %s/%s ×%s", t.Severity, spec.FormatDuration(t.Long), spec.FormatDuration(t.Short), generated.Num(generated.Round(t.Factor, 4))))
	}
	return strings.Join(parts, ", ")
}

// loadGuard describes an SLO's validated-load alarm in one line.
func loadGuard(x *plan.SLO) string {
	g := x.LoadGuard
	if g == nil {
		return fmt.Sprintf("off (load %s rps)", generated.Thousands(x.LoadRPS))
	}
	return fmt.Sprintf("%s when above %s rps for %s (%s)", g.Severity, generated.Thousands(x.LoadRPS), spec.FormatDuration(g.For), names.OverLoadID(x.ID))
}

// loadGuardShort is the validated-load alarm for the plan's SLO line.
func loadGuardShort(x *plan.SLO) string {
	if g := x.LoadGuard; g != nil && x.LoadRPS > 0 {
		return fmt.Sprintf("; %s above %s rps for %s", g.Severity, generated.Thousands(x.LoadRPS), spec.FormatDuration(g.For))
	}
	return ""
}

func alarmLine(a *plan.Alarm) string {
	cmp := map[string]string{
		"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=", "LessThanThreshold": "<", "LessThanOrEqualToThreshold": "<=",
	}
	var what string
	if a.Anomaly != nil {
		what = fmt.Sprintf("anomaly %s band %s", a.Anomaly.Direction, generated.Num(a.Anomaly.Band))
	} else {
		what = fmt.Sprintf("%s %s %s", cmp[a.Comparison], generated.Num(a.Threshold), generated.UnitAbbrev(a.Metric.Unit))
	}
	guard := ""
	if a.MinSamples > 0 {
		guard = fmt.Sprintf(", ≥%d samples", a.MinSamples)
	}
	return fmt.Sprintf("%s %s/%s %s, %d of %d × %ds%s", a.Statistic, a.Metric.Namespace, a.Metric.Name, strings.TrimSpace(what), a.DatapointsToAlarm, a.EvaluationPeriods, a.PeriodSeconds, guard)
}

// printPlan prints what the catalog makes, per environment and service.
func printPlan(w io.Writer, p *plan.Plan) {
	for _, e := range p.Environments {
		fmt.Fprintf(w, "\nenvironment %s (account %s, %s)\n", e.Name, e.Account, e.Region)
		var rs []string
		for _, r := range e.Routes {
			rs = append(rs, r.ID+" ("+r.Type+")")
		}
		fmt.Fprintf(w, "  routes: %s\n", strings.Join(rs, ", "))
		exec := dashboards.Executive(p.Org, e)
		fmt.Fprintf(w, "  executive view: %s\n", dashboardNames(exec))
		if xs := dashboards.ExecutiveStacks(p.Org, e.Name, exec); len(xs) > 1 {
			fmt.Fprintf(w, "  executive view stacks: %s\n", dashboards.PlacementText(xs))
		}
		for _, s := range e.Services {
			fmt.Fprintf(w, "  service %s (owner %s, tier %d) page→%s ticket→%s\n", s.Name, s.Owner, s.Tier, orNone(s.Page), orNone(s.Ticket))
			if len(s.SLOs)+len(s.Alarms)+len(s.Canaries)+len(s.RUM)+len(s.Traces) > 0 {
				fmt.Fprintf(w, "    dashboard: %s\n", dashboardNames(dashboards.Service(p.Org, e, s)))
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for _, x := range s.SLOs {
				fmt.Fprintf(tw, "    slo\t%s\t%s%% over %s\t%s\tbudget %s\t%s%s\n", x.ID, generated.Num(x.Objective), x.Window, generated.SLI(x), generated.Budget(x), tiers(x.Tiers), loadGuardShort(x))
			}
			for _, a := range s.Alarms {
				fmt.Fprintf(tw, "    alarm\t%s\t%s\t%s\n", a.ID, a.Severity, alarmLine(a))
			}
			for _, c := range s.Canaries {
				fmt.Fprintf(tw, "    canary\t%s\t%s\tevery %s, %d %s\n", c.Name, c.Severity, spec.FormatDuration(c.Schedule), len(c.Steps), plural(len(c.Steps), "step", "steps"))
			}
			for _, r := range s.RUM {
				fmt.Fprintf(tw, "    rum\t%s\t%s\t%s, sample %s\n", r.Name, r.Severity, strings.Join(r.Domains, " "), generated.Num(r.SampleRate))
			}
			for _, t := range s.Traces {
				fmt.Fprintf(tw, "    xray\t%s\t\t%s\n", t.Name, t.Filter)
			}
			tw.Flush()
		}
	}
}

// dashboardNames lists dashboards with their widget counts.
func dashboardNames(ds []dashboards.Dashboard) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s (%d %s)", d.Name, d.Widgets, plural(d.Widgets, "widget", "widgets")))
	}
	if len(parts) == 0 {
		return "(none)"
	}
	return strings.Join(parts, ", ")
}

func orNone(ss []string) string {
	if len(ss) == 0 {
		return "(none)"
	}
	return strings.Join(ss, ",")
}

func explainSLO(w io.Writer, e *plan.Environment, x *plan.SLO) {
	fmt.Fprintf(w, "SLO %s in %s: %s\n", x.Name, e.Name, x.Goal)
	fmt.Fprintf(w, "  sli:        %s\n", generated.SLI(x))
	fmt.Fprintf(w, "  budget:     %s\n", generated.Budget(x))
	fmt.Fprintf(w, "  tiers:      %s\n", tiers(x.Tiers))
	fmt.Fprintf(w, "  dashboard:  %s\n", sloOnDashboards(e, x))
	if b := x.Baseline; b != nil {
		fmt.Fprintf(w, "  baseline:   %s\n", baselineLine(x))
	}
	vals := map[string]string{
		"objective":   generated.Num(x.Objective) + "%",
		"window":      x.Window.String(),
		"minRequests": strconv.Itoa(x.MinRequests),
		"alerting":    fmt.Sprintf("%d tiers", len(x.Tiers)),
	}
	if x.LoadRPS > 0 {
		fmt.Fprintf(w, "  load guard: %s\n", loadGuard(x))
		vals["loadGuard.disabled"] = strconv.FormatBool(x.LoadGuard == nil)
		if g := x.LoadGuard; g != nil {
			vals["loadGuard.for"] = spec.FormatDuration(g.For)
			vals["loadGuard.severity"] = g.Severity
		}
	}
	if x.Latency != nil {
		vals["threshold"] = generated.Num(x.Latency.Threshold) + " " + generated.UnitAbbrev(x.Latency.Unit)
	}
	origins := x.Origins.List()
	if x.LoadGuard == nil {
		// Turned off: its duration and severity have no effect.
		origins = slices.DeleteFunc(origins, func(o plan.NamedOrigin) bool { return o.Key == "loadGuard.for" || o.Key == "loadGuard.severity" })
	}
	if b := x.Baseline; b != nil {
		vals["baseline.maxAge"] = spec.FormatDuration(b.MaxAge)
		origins = append(origins, plan.NamedOrigin{Key: "baseline.maxAge", Origin: b.MaxAgeSrc})
		// Keys in name order, as the plan lists them.
		slices.SortStableFunc(origins, func(a, b plan.NamedOrigin) int { return strings.Compare(a.Key, b.Key) })
	}
	printOrigins(w, vals, origins)
}

func explainAlarm(w io.Writer, e *plan.Environment, a *plan.Alarm) {
	fmt.Fprintf(w, "alarm %s in %s: %s\n", a.Name, e.Name, alarmLine(a))
	fmt.Fprintf(w, "  metric:     %s\n", metricText(a.Metric))
	if svc := serviceOf(e, func(s *plan.Service) bool { return s.Alarm(a.ID) == a }); svc != nil {
		// The alarm's name is ORG-ENV-SERVICE-ID, the dashboard's ORG-ENV-SERVICE.
		fmt.Fprintf(w, "  dashboard:  alarm status on %s\n", strings.TrimSuffix(a.Name, "-"+a.ID))
	}
	vals := map[string]string{
		"period":            fmt.Sprintf("%ds", a.PeriodSeconds),
		"evaluationPeriods": strconv.Itoa(a.EvaluationPeriods),
		"datapointsToAlarm": strconv.Itoa(a.DatapointsToAlarm),
		"missingData":       a.MissingData,
		"severity":          a.Severity,
		"threshold":         generated.Num(a.Threshold),
	}
	printOrigins(w, vals, a.Origins.List())
}

// serviceOf is the service of e that holds an object.
func serviceOf(e *plan.Environment, holds func(*plan.Service) bool) *plan.Service {
	for _, s := range e.Services {
		if holds(s) {
			return s
		}
	}
	return nil
}

// sloOnDashboards says where an SLO is drawn: its rows on the service's
// dashboard, and the executive view when it is the service's headline.
func sloOnDashboards(e *plan.Environment, x *plan.SLO) string {
	svc := serviceOf(e, func(s *plan.Service) bool { return s.SLO(x.ID) == x })
	if svc == nil {
		return "(none)"
	}
	s := "the " + svc.Name + " dashboard"
	if dashboards.Headline(svc) == x {
		s += " and the " + e.Name + " executive view (headline)"
	}
	return s
}

// metricText is a metric with its dimensions as the environment sees them.
func metricText(m plan.Metric) string {
	s := m.Namespace + " " + m.Name
	for _, d := range m.Dimensions {
		s += fmt.Sprintf(" %s=%s", d.Name, d.Value)
	}
	return s
}

// printVars prints the environment's vars that an object uses.
func printVars(w io.Writer, env string, uses []plan.VarUse) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, u := range uses {
		fmt.Fprintf(tw, "  vars.%s:\t%s\tfrom environment %s vars (%s)\n", u.Name, u.Value, env, u.Pos)
	}
	tw.Flush()
}

func printOrigins(w io.Writer, vals map[string]string, origins []plan.NamedOrigin) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, o := range origins {
		fmt.Fprintf(tw, "  %s:\t%s\tfrom %s\n", o.Key, vals[o.Key], o.Origin)
	}
	tw.Flush()
}

// baselineLine is an SLO's baseline in one line: what was measured, at what
// load and when, the day it is due again, and the headroom to the SLO in this environment.
func baselineLine(x *plan.SLO) string {
	b := x.Baseline
	line := b.Value.String()
	if l := x.Latency; l != nil && !b.Value.IsPercent {
		v, _ := (spec.Threshold{Dur: b.Value.Latency, IsDur: true}).In(l.Unit)
		line = fmt.Sprintf("%s %s %s", l.Percentile, generated.Num(v), generated.UnitAbbrev(l.Unit))
	}
	if b.LoadRPS > 0 {
		line += " at " + generated.Num(b.LoadRPS) + " rps"
	}
	line += fmt.Sprintf(", measured %s, due again %s", b.Measured.Format(time.DateOnly), b.Due().Format(time.DateOnly))
	if amount, pct, ok := b.Headroom(x); ok {
		if x.Latency != nil {
			line += fmt.Sprintf("; headroom %s %s (%s%% of the threshold)", generated.Num(math.Round(amount*1000)/1000), generated.UnitAbbrev(x.Latency.Unit), generated.Num(math.Round(pct*10)/10))
		} else {
			line += fmt.Sprintf("; headroom %s points (%s%% of the error budget)", generated.Num(math.Round(amount*10000)/10000), generated.Num(math.Round(pct*10)/10))
		}
	}
	return line
}
