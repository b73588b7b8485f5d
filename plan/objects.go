package plan

import (
	"cmp"
	"fmt"
	"time"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/spec"
)

// comparisons maps catalog comparisons to CloudFormation ComparisonOperator.
var comparisons = map[string]string{
	"above":          "GreaterThanThreshold",
	"above-or-equal": "GreaterThanOrEqualToThreshold",
	"below":          "LessThanThreshold",
	"below-or-equal": "LessThanOrEqualToThreshold",
}

// anomalyComparisons maps band directions to CloudFormation ComparisonOperator.
var anomalyComparisons = map[string]string{
	"upper": "GreaterThanUpperThreshold",
	"lower": "LessThanLowerThreshold",
	"both":  "LessThanLowerOrGreaterThanUpperThreshold",
}

func (p *planner) alarm(plan *Plan, e *spec.Environment, s *spec.Service, a *spec.Alarm, o *spec.Override, ls []layer) *Alarm {
	if a.Metric == nil || a.Statistic == nil {
		return nil
	}
	planned := &Alarm{ID: a.ID, Name: names.AlarmName(plan.Org, e.Name, s.Name, a.ID), Description: a.Description, Statistic: string(*a.Statistic), Pos: p.c.RelPos(a.Pos)}
	planned.Metric = metricPlan(a.Metric, string(*a.Statistic), e)
	sec := func(d *spec.Defaults) *spec.AlarmDefaults { return d.Alarm }
	period, po := pickLayered(spec.Duration(DefaultPeriod), []candidate[spec.Duration]{{a.Period, "alarm", a.Val("period")}}, ls, sec, func(d *spec.AlarmDefaults) (*spec.Duration, spec.Meta) { return d.Period, d.Meta }, "period")
	planned.Origins.Period = po
	planned.PeriodSeconds = int(period.D() / time.Second)
	planned.EvaluationPeriods, planned.Origins.EvaluationPeriods = pickLayered(DefaultEvaluationPeriods, []candidate[int]{{a.EvaluationPeriods, "alarm", a.Val("evaluationPeriods")}}, ls, sec, func(d *spec.AlarmDefaults) (*int, spec.Meta) { return d.EvaluationPeriods, d.Meta }, "evaluationPeriods")
	planned.DatapointsToAlarm, planned.Origins.DatapointsToAlarm = pickLayered(min(DefaultDatapoints, planned.EvaluationPeriods), []candidate[int]{{a.DatapointsToAlarm, "alarm", a.Val("datapointsToAlarm")}}, ls, sec, func(d *spec.AlarmDefaults) (*int, spec.Meta) { return d.DatapointsToAlarm, d.Meta }, "datapointsToAlarm")
	planned.MissingData, planned.Origins.MissingData = pickLayered(DefaultMissingData, []candidate[string]{{a.MissingData, "alarm", a.Val("missingData")}}, ls, sec, func(d *spec.AlarmDefaults) (*string, spec.Meta) { return d.MissingData, d.Meta }, "missingData")
	sev := []candidate[string]{overrideCandidate(o, e.Name, func(o *spec.Override) *string { return o.Severity }, "severity"), {a.Severity, "alarm", a.Val("severity")}}
	planned.Severity, planned.Origins.Severity = pickLayered(DefaultSeverity, sev, ls, sec, func(d *spec.AlarmDefaults) (*string, spec.Meta) { return d.Severity, d.Meta }, "severity")
	if planned.Origins.Severity.Pos.IsZero() {
		planned.Origins.Severity = Origin{From: "built-in", Pos: a.Val("id")}
	}
	// Effective timing, checked once on the resolved values and reported
	// where the deciding value was written.
	if planned.EvaluationPeriods >= 1 && planned.PeriodSeconds > 0 && spec.ValidAlarmPeriod(period.D()) {
		if span := period.D() * time.Duration(planned.EvaluationPeriods); span > spec.AlarmSpanLimit(period.D()) {
			src := moreSpecific(planned.Origins.EvaluationPeriods, po)
			p.report(src, a.Val("id"), diag.CheckAlarmSpan, "alarm "+a.ID, fmt.Sprintf("period × evaluationPeriods may be at most %s for a %s period", spec.FormatDuration(spec.AlarmSpanLimit(period.D())), period),
				"%d periods of %s span %s", planned.EvaluationPeriods, period, spec.FormatDuration(span))
		}
	}
	if planned.DatapointsToAlarm > planned.EvaluationPeriods && planned.EvaluationPeriods >= 1 && planned.DatapointsToAlarm >= 1 {
		src := moreSpecific(planned.Origins.DatapointsToAlarm, planned.Origins.EvaluationPeriods)
		p.report(src, a.Val("id"), diag.CheckAlarmDatapoints, "alarm "+a.ID, fmt.Sprintf("lower datapointsToAlarm to %d or raise evaluationPeriods", planned.EvaluationPeriods),
			"datapointsToAlarm %d is more than evaluationPeriods %d", planned.DatapointsToAlarm, planned.EvaluationPeriods)
	}
	if a.MinSamples != nil {
		planned.MinSamples = *a.MinSamples
	}
	if a.Anomaly != nil {
		planned.Anomaly = &Anomaly{Band: 2, Direction: cmp.Or(a.Anomaly.Direction, "upper")}
		if a.Anomaly.Band != nil {
			planned.Anomaly.Band = *a.Anomaly.Band
		}
		planned.Comparison = anomalyComparisons[planned.Anomaly.Direction]
	} else {
		th, org := pick(spec.Threshold{}, []candidate[spec.Threshold]{overrideCandidate(o, e.Name, func(o *spec.Override) *spec.Threshold { return o.Threshold }, "threshold"), {a.Threshold, "alarm", a.Val("threshold")}}...)
		planned.Origins.Threshold = org
		v, err := th.In(a.Metric.Unit)
		if err != nil && org.From != "alarm" { // the catalog's own value is checked by Validate
			p.diags.Add(org.Pos, diag.CheckMetricUnit, "", "%v", err)
		}
		planned.Threshold = v
		planned.Comparison = comparisons[cmp.Or(a.Comparison, "above")]
		if th.IsDur && planned.Metric.Unit == "" {
			planned.Metric.Unit = "Milliseconds"
		}
	}
	return planned
}

func (p *planner) canary(e *spec.Environment, c *spec.Canary, o *spec.Override, ls []layer) *Canary {
	planned := &Canary{Name: c.Name, Description: c.Description, Env: c.Env, Pos: p.c.RelPos(c.Pos)}
	sec := func(d *spec.Defaults) *spec.CanaryDefaults { return d.Canary }
	sched, so := pickLayered(spec.Duration(DefaultCanarySchedule), []candidate[spec.Duration]{{c.Schedule, "canary", c.Val("schedule")}}, ls, sec, func(d *spec.CanaryDefaults) (*spec.Duration, spec.Meta) { return d.Schedule, d.Meta }, "schedule")
	to, tor := pickLayered(spec.Duration(min(DefaultCanaryTimeout, sched.D())), []candidate[spec.Duration]{{c.Timeout, "canary", c.Val("timeout")}}, ls, sec, func(d *spec.CanaryDefaults) (*spec.Duration, spec.Meta) { return d.Timeout, d.Meta }, "timeout")
	planned.Schedule, planned.Timeout = sched.D(), to.D()
	// A schedule or timeout out of range is reported by Validate: the
	// comparison would only repeat it.
	if planned.Timeout > planned.Schedule && spec.ValidSchedule(planned.Schedule) && spec.ValidCanaryTimeout(planned.Timeout) {
		src := moreSpecific(tor, so)
		p.report(src, c.Val("name"), diag.CheckCanaryTimeout, "canary "+c.Name, "a run must end before the next starts",
			"timeout %s is longer than the schedule %s", to, sched)
	}
	sev := []candidate[string]{overrideCandidate(o, e.Name, func(o *spec.Override) *string { return o.Severity }, "severity"), {c.Severity, "canary", c.Val("severity")}}
	planned.Severity, _ = pickLayered(DefaultSeverity, sev, ls, sec, func(d *spec.CanaryDefaults) (*string, spec.Meta) { return d.Severity, d.Meta }, "severity")
	for _, st := range c.Steps {
		sp := CanaryStep{Name: st.Name, Method: cmp.Or(st.Method, "GET"), URL: fillEnv(st.URL, e), Body: st.Body, Headers: st.Headers, ExpectStatus: st.ExpectStatus}
		if sp.ExpectStatus == 0 {
			sp.ExpectStatus = 200
		}
		if st.LatencyBudget != nil {
			sp.LatencyBudget = st.LatencyBudget.D()
		}
		planned.Steps = append(planned.Steps, sp)
	}
	return planned
}

func rumPlan(r *spec.RUMMonitor, e *spec.Environment, rel func(diag.Pos) diag.Pos) *RUM {
	planned := &RUM{Name: r.Name, Domains: fillEnvAll(r.Domains, e), SampleRate: DefaultRUMSampleRate, Telemetries: r.Telemetries, XRay: true, CWLogs: r.CWLogs, AllowCookies: true, Severity: "ticket", Percentile: "p75", Pos: rel(r.Pos)}
	if r.SampleRate != nil {
		planned.SampleRate = *r.SampleRate
	}
	if len(planned.Telemetries) == 0 {
		planned.Telemetries = []string{"errors", "performance", "http"}
	}
	if r.XRay != nil {
		planned.XRay = *r.XRay
	}
	if r.Severity != nil {
		planned.Severity = *r.Severity
	}
	if r.Extra != nil && r.Extra.AllowCookies != nil {
		planned.AllowCookies = *r.Extra.AllowCookies
	}
	if b := r.Budgets; b != nil {
		if b.Percentile != "" {
			planned.Percentile = string(b.Percentile)
		}
		if b.LCP != nil {
			planned.LCP = b.LCP.D()
		}
		if b.INP != nil {
			planned.INP = b.INP.D()
		}
		planned.CLS = b.CLS
	}
	return planned
}

// dashboardPlan resolves a dashboard's settings from the layers of defaults
// (most specific first); nil when a layer turns it off.
func dashboardPlan(ls []layer, builtin time.Duration) *Dashboard {
	sec := func(d *spec.Defaults) *spec.DashboardDefaults { return d.Dashboard }
	if off, _ := pickLayered(false, nil, ls, sec, func(d *spec.DashboardDefaults) (*bool, spec.Meta) { return d.Disabled, d.Meta }, "disabled"); off {
		return nil
	}
	tr, _ := pickLayered(spec.Duration(builtin), nil, ls, sec, func(d *spec.DashboardDefaults) (*spec.Duration, spec.Meta) { return d.TimeRange, d.Meta }, "timeRange")
	return &Dashboard{TimeRange: tr.D()}
}
