package check

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/spec"
)

func (v *validator) objective(m spec.Meta, p *spec.Percent) {
	if p == nil {
		return
	}
	switch {
	case *p == 100:
		v.errf(m.Val("objective"), diag.CheckSLOObjective, "an objective of 100% leaves no error budget; promise something below 100%, e.g. 99.9%", "objective %s leaves no error budget", p)
	case *p > 100 || *p <= 0:
		v.errf(m.Val("objective"), diag.CheckSLOObjective, "", "objective %s is out of range; it must be above 0%% and below 100%%", p)
	}
}

func (v *validator) window(m spec.Meta, w *spec.Window) {
	if w == nil || w.CalendarMonth {
		return
	}
	if w.Rolling < 24*time.Hour || w.Rolling > 365*24*time.Hour || w.Rolling%(24*time.Hour) != 0 {
		v.errf(m.Val("window"), diag.CheckSLOWindow, "use whole days from 1d to 365d, e.g. 28d", "window %s is out of range", w)
	}
}

func (v *validator) minCount(m spec.Meta, key string, n *int) {
	if n != nil && *n < 1 {
		v.errf(m.Val(key), diag.CheckRange, "", "%s must be at least 1", key)
	}
}

// alerting checks what a policy says on its own; checks that need the SLO
// window run when the plan is built.
func (v *validator) alerting(a *spec.Alerting) {
	if a == nil {
		return
	}
	if a.Disabled && len(a.Tiers) > 0 {
		v.errf(a.Val("tiers"), diag.CheckSLOAlerting, "remove the tiers or disabled: true", "alerting is disabled but has tiers")
	}
	windows := map[time.Duration]bool{}
	for _, t := range a.Tiers {
		for _, w := range []struct {
			key string
			d   *spec.Duration
		}{{"longWindow", t.LongWindow}, {"shortWindow", t.ShortWindow}} {
			if w.d == nil {
				continue
			}
			windows[w.d.D()] = true
			// Look-back windows: 1 to 10,080 minutes, whole minutes.
			// https://docs.aws.amazon.com/applicationsignals/latest/APIReference/API_BurnRateConfiguration.html
			if w.d.D() < time.Minute || w.d.D() > 10080*time.Minute || w.d.D()%time.Minute != 0 {
				v.errf(t.Val(w.key), diag.CheckSLOBurnWindow, "look-back windows are whole minutes from 1m to 7d", "%s %s is out of range", w.key, w.d)
			}
		}
		if t.LongWindow != nil && t.ShortWindow != nil && *t.ShortWindow >= *t.LongWindow {
			v.errf(t.Val("shortWindow"), diag.CheckSLOBurnWindow, "the short window confirms the long one is still burning: make it about 1/12 of it", "shortWindow %s is not shorter than longWindow %s", t.ShortWindow, t.LongWindow)
		}
		if t.Budget != nil && (*t.Budget <= 0 || *t.Budget > 100) {
			v.errf(t.Val("budget"), diag.CheckSLOBurnBudget, "", "budget %s is out of range; it must be above 0%% and at most 100%%", t.Budget)
		}
	}
	// BurnRateConfigurations: at most 10 per SLO.
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationsignals-servicelevelobjective.html
	if len(windows) > 10 {
		v.errf(a.Val("tiers"), diag.CheckSLOBurnWindow, "Application Signals keeps at most 10 burn-rate look-back windows per SLO; share windows between tiers", "the tiers use %d distinct look-back windows; at most 10", len(windows))
	}
}

func (v *validator) slo(s *spec.Service, slo *spec.SLO) {
	v.objective(slo.Meta, slo.Objective)
	v.window(slo.Meta, slo.Window)
	v.minCount(slo.Meta, "minRequests", slo.MinRequests)
	v.alerting(slo.Alerting)
	if w := slo.WarningThreshold; w != nil && (*w <= 0 || *w >= 100) {
		v.errf(slo.Val("warningThreshold"), diag.CheckSLOObjective, "", "warningThreshold %s must be above 0%% and below 100%%", w)
	}
	if l := slo.Load; l != nil && *l <= 0 {
		v.errf(slo.Val("load"), diag.CheckRange, "", "load must be above 0rps")
	}
	if g := slo.LoadGuard; g != nil {
		if slo.Load == nil && !slo.Broken() {
			v.errf(slo.Key("loadGuard"), diag.CheckLoadGuard, "state the load the objective was validated at, e.g. load: 8000rps, or remove loadGuard", "SLO %q has loadGuard but no load to guard", slo.ID)
		}
		v.loadGuard(g)
	}
	for _, x := range slo.Exclusions {
		v.exclusion(x)
	}
	v.baseline(slo)
	sli := slo.SLI
	if sli == nil {
		return
	}
	switch {
	case sli.Latency != nil && sli.Availability != nil:
		v.errf(sli.Key("availability"), diag.CheckSLOSLI, "split it into two SLOs", "an SLI is latency or availability, not both")
	case sli.Latency == nil && sli.Availability == nil:
		v.errf(sli.Pos, diag.CheckSLOSLI, "add latency: or availability:", "the SLI names no measurement")
	case sli.Latency != nil:
		l := sli.Latency
		v.metricOrOperation(s, l.Meta, l.Metric, l.Operation)
		if l.Threshold != nil {
			v.threshold(l.Meta, l.Threshold, l.Metric)
		}
		if p := l.Period; p != nil && (p.D() < time.Minute || p.D() > 15*time.Minute || p.D()%time.Minute != 0) {
			// PeriodSeconds 60-900: https://docs.aws.amazon.com/applicationsignals/latest/APIReference/API_ServiceLevelIndicatorConfig.html
			v.errf(l.Val("period"), diag.CheckSLOPeriod, "use whole minutes from 1m to 15m", "period %s is out of range", p)
		}
	case sli.Availability != nil:
		a := sli.Availability
		if a.Operation != "" {
			if s.ApplicationSignals == nil {
				v.errf(a.Val("operation"), diag.CheckSLOSLI, "add applicationSignals: {name, environment} to the service", "operation %q needs the service's Application Signals identity", a.Operation)
			}
			if a.Good != nil || a.Bad != nil || a.Total != nil {
				v.errf(a.Val("operation"), diag.CheckSLOSLI, "use operation, or good/bad and total metrics", "operation and good/bad/total cannot be combined")
			}
			return
		}
		switch {
		case a.Good != nil && a.Bad != nil:
			v.errf(a.Key("bad"), diag.CheckSLOSLI, "count good requests or bad requests, not both", "good and bad cannot both be set")
		case a.Good == nil && a.Bad == nil:
			v.errf(a.Pos, diag.CheckSLOSLI, "add good: (or bad:) and total:, or operation:", "the availability SLI needs good or bad requests")
		}
		if a.Total == nil && (a.Good != nil || a.Bad != nil) {
			v.errf(a.Pos, diag.CheckSLOSLI, "add total: with the count of all requests", "the availability SLI needs total requests")
		}
		for _, q := range []*spec.MetricQuery{a.Good, a.Bad, a.Total} {
			v.query(q)
		}
	}
}

func (v *validator) metricOrOperation(s *spec.Service, m spec.Meta, metric *spec.Metric, op string) {
	switch {
	case metric != nil && op != "":
		v.errf(m.Val("operation"), diag.CheckSLOSLI, "use metric or operation", "metric and operation cannot both be set")
	case metric == nil && op == "":
		v.errf(m.Pos, diag.CheckSLOSLI, "add metric: {namespace, name} or operation: (Application Signals)", "the SLI names no metric")
	case op != "" && s.ApplicationSignals == nil:
		v.errf(m.Val("operation"), diag.CheckSLOSLI, "add applicationSignals: {name, environment} to the service", "operation %q needs the service's Application Signals identity", op)
	}
	v.metric(metric)
}

func (v *validator) metric(m *spec.Metric) {
	if m == nil {
		return
	}
	// At most 30 dimensions per metric:
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html
	if len(m.Dimensions) > 30 {
		v.errf(m.Val("dimensions"), diag.CheckMetricDimensions, "", "a metric has at most 30 dimensions, not %d", len(m.Dimensions))
	}
	// Namespaces are 1 to 255 characters, not starting with ":":
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Metric.html
	switch {
	case m.Namespace == "" && m.Meta.Has("namespace"):
		v.errf(m.Val("namespace"), diag.CheckMetricNamespace, "name the CloudWatch namespace, e.g. AWS/ApplicationELB or Acme/Checkout", "namespace is empty")
	case len(m.Namespace) > 255 || strings.HasPrefix(m.Namespace, ":"):
		v.errf(m.Val("namespace"), diag.CheckMetricNamespace, "", "namespace %q is not valid", m.Namespace)
	}
}

func (v *validator) query(q *spec.MetricQuery) {
	if q == nil {
		return
	}
	switch {
	case q.Metric != nil && q.Expression != "":
		v.errf(q.Val("expression"), diag.CheckMetricQuery, "use metric, or expression with metrics", "metric and expression cannot both be set")
		return
	case q.Metric == nil && q.Expression == "":
		v.errf(q.Pos, diag.CheckMetricQuery, "add metric: or expression: with metrics:", "the count names no metric")
		return
	case q.Metric != nil:
		if len(q.Metrics) > 0 {
			v.errf(q.Val("metrics"), diag.CheckMetricQuery, "metrics name the inputs of an expression", "metrics without an expression")
		}
		v.metric(q.Metric)
		return
	}
	if len(q.Metrics) == 0 {
		v.errf(q.Val("expression"), diag.CheckMetricQuery, "name the expression's inputs under metrics: {m1: {...}}", "expression %q has no metrics", q.Expression)
		return
	}
	used := map[string]bool{}
	for _, id := range exprIdentRE.FindAllString(q.Expression, -1) {
		if id[0] >= 'a' && id[0] <= 'z' {
			used[id] = true
			if _, ok := q.Metrics[id]; !ok {
				metricIDs := slices.Sorted(maps.Keys(q.Metrics))
				v.errf(q.Val("expression"), diag.CheckMetricQuery, diag.DidYouMeanOr(id, metricIDs, "name it under metrics"), "expression uses %q, which is not among its metrics", id)
				if m := diag.Suggest(id, metricIDs); m != "" {
					used[m] = true // one typo, one report: the metric it misspells is not "unused" too
				}
			}
		}
	}
	if strings.Count(q.Expression, "(") != strings.Count(q.Expression, ")") {
		v.errf(q.Val("expression"), diag.CheckMetricQuery, "", "expression %q has unbalanced parentheses", q.Expression)
	}
	for _, id := range slices.Sorted(maps.Keys(q.Metrics)) {
		if !metricIDRE.MatchString(id) {
			v.errf(q.MapKey("metrics", id), diag.CheckMetricQuery, "metric math ids start with a lower-case letter, then letters, digits and _", "metric id %q is not valid", id)
		} else if !used[id] {
			v.errf(q.MapKey("metrics", id), diag.CheckMetricQuery, "remove it or use it in the expression", "metric %q is not used by the expression", id)
		}
		v.metric(q.Metrics[id])
	}
}

func (v *validator) threshold(m spec.Meta, t *spec.Threshold, metric *spec.Metric) {
	if t.IsDur && t.Dur <= 0 || !t.IsDur && t.Value < 0 && metric != nil && isTimeUnit(metric.Unit) {
		v.errf(m.Val("threshold"), diag.CheckRange, "", "threshold %s must be above zero", t)
	}
	if t.IsDur && metric != nil && metric.Unit != "" && !isTimeUnit(metric.Unit) {
		v.errf(m.Val("threshold"), diag.CheckMetricUnit, fmt.Sprintf("write a number in %s, or set the metric's unit to Milliseconds", metric.Unit), "threshold %s is a duration but the metric's unit is %s", t, metric.Unit)
	}
}

func isTimeUnit(u string) bool {
	return u == "" || u == "Seconds" || u == "Milliseconds" || u == "Microseconds"
}

func (v *validator) exclusion(x *spec.Exclusion) {
	if x.Start != "" {
		if _, err := time.Parse(time.RFC3339, x.Start); err != nil {
			v.errf(x.Val("start"), diag.CheckSLOExclusion, "write an RFC 3339 time, e.g. 2026-01-04T02:00:00Z", "start %q is not a time", x.Start)
		}
	}
	if x.Duration != nil && (x.Duration.D() < time.Minute || x.Duration.D()%time.Minute != 0) {
		v.errf(x.Val("duration"), diag.CheckSLOExclusion, "use whole minutes, hours or days", "duration %s is out of range", x.Duration)
	}
	if x.Recurrence != "" {
		if msg, hint := recurrenceProblem(x.Recurrence); msg != "" {
			v.errf(x.Val("recurrence"), diag.CheckSLOExclusion, hint, "recurrence %q %s", x.Recurrence, msg)
		}
	}
}

// MaxLoadGuardFor is the longest a validated-load alarm may wait: it
// evaluates one-minute periods, and CloudWatch takes period × evaluation
// periods of at most one day for periods under an hour (PutMetricAlarm:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
const MaxLoadGuardFor = 24 * time.Hour

// loadGuard checks a validated-load guard as written: for is whole minutes
// from 1m to 1d, as the alarm evaluates one-minute periods.
func (v *validator) loadGuard(g *spec.LoadGuard) {
	if g.For == nil {
		return
	}
	if d := g.For.D(); d < time.Minute || d > MaxLoadGuardFor || d%time.Minute != 0 {
		v.errf(g.Val("for"), diag.CheckLoadGuard, "the alarm counts one-minute periods, at most a day of them: write whole minutes from 1m to 1d, e.g. 15m", "loadGuard for %s is not whole minutes from 1m to 1d", g.For)
	}
}
