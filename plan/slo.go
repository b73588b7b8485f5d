package plan

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/spec"
)

// tierIDCandidate is a catalog id of a service that could be taken by a
// burn-rate tier's alarm.
type tierIDCandidate struct {
	kind, id string
	pos      diag.Pos
}

// tierIDCandidates are the SLO and alarm ids of a service whose logical ID
// (the id without its dashes) ends as a tier alarm's does; usually none.
func tierIDCandidates(s *spec.Service) map[string]tierIDCandidate {
	var out map[string]tierIDCandidate
	add := func(kind, id string, pos diag.Pos) {
		if !strings.HasSuffix(strings.ReplaceAll(id, "-", ""), names.OutputName(names.TierAlarmSuffix)) {
			return
		}
		if out == nil {
			out = map[string]tierIDCandidate{}
		}
		out[names.OutputName(id)] = tierIDCandidate{kind, id, pos}
	}
	for _, slo := range s.SLOs {
		add("slo", slo.ID, slo.Val("id"))
	}
	for _, a := range s.Alarms {
		add("alarm", a.ID, a.Val("id"))
	}
	return out
}

// checkTierIDs refuses a catalog SLO or alarm id that is also the id of one
// of planned's burn-rate tier alarms (TierAlarmID, <slo>-<tier>-burn), by name or
// by CloudFormation logical ID: the two alarms would share a name or a
// logical ID. Tiers are known only here, after the defaults cascade.
func (p *planner) checkTierIDs(candidates map[string]tierIDCandidate, planned *SLO) {
	for _, t := range planned.Tiers {
		tier := names.TierAlarmID(planned.ID, t.Name())
		if c, ok := candidates[names.OutputName(tier)]; ok {
			p.diags.Add(c.pos, diag.CheckName, fmt.Sprintf("SLO %s's %s tier alarm is named %s; choose another id", planned.ID, t.Name(), tier),
				"%s id %q is taken by the alarm of a burn-rate tier", c.kind, c.id)
		}
	}
}

// MaxAlarmMetrics is how many metrics (MetricStat queries) one CloudWatch
// metric math alarm may read: "Alarms based on metric math expressions can
// reference a maximum of 10 metrics", a hard limit (CloudWatch user guide,
// alarm limits; PutMetricAlarm allows 10 MetricStat and 10 Expression
// queries).
const MaxAlarmMetrics = 10

// checkAlarmInputs refuses an availability SLI whose total expression has
// more inputs than its alarms can read: a burn-rate tier's alarm reads both
// windows' burn rates and, with the low-traffic guard, every input of the
// total; the validated-load alarm reads every input. Known only here, after
// minRequests, tiers and the load guard have cascaded.
func (p *planner) checkAlarmInputs(slo *spec.SLO, planned *SLO) {
	if slo.SLI == nil || slo.SLI.Availability == nil {
		return
	}
	a := slo.SLI.Availability
	if a.Operation != "" || a.Total == nil || a.Total.Metric != nil {
		return
	}
	n := len(a.Total.Metrics)
	at := a.Total.Val("expression")
	switch {
	case planned.MinRequests > 0 && len(planned.Tiers) > 0 && 2+n > MaxAlarmMetrics:
		p.diags.Add(at, diag.CheckMetricQuery, fmt.Sprintf("a CloudWatch alarm reads at most %d metrics: sum the inputs into at most %d metrics (a metric math alarm cannot read more)", MaxAlarmMetrics, MaxAlarmMetrics-2),
			"total has %d metrics; with the low-traffic guard each burn-rate tier's alarm would read %d (its two burn rates and every input)", n, 2+n)
	case planned.LoadGuard != nil && n > MaxAlarmMetrics:
		p.diags.Add(at, diag.CheckMetricQuery, fmt.Sprintf("a CloudWatch alarm reads at most %d metrics: sum the inputs into fewer metrics, or set loadGuard: {disabled: true}", MaxAlarmMetrics),
			"total has %d metrics; the validated-load alarm would read all of them", n)
	}
}

// metricPlan is a catalog metric as environment e sees it.
func metricPlan(m *spec.Metric, defaultStat string, e *spec.Environment) Metric {
	mp := Metric{Namespace: fillEnv(m.Namespace, e), Name: fillEnv(m.Name, e), Unit: m.Unit, Stat: defaultStat}
	if m.Statistic != nil {
		mp.Stat = string(*m.Statistic)
	}
	if len(m.Dimensions) > 0 {
		mp.Dimensions = make([]Dimension, 0, len(m.Dimensions))
		for k, v := range m.Dimensions {
			mp.Dimensions = append(mp.Dimensions, Dimension{k, fillEnv(v, e)})
		}
		slices.SortFunc(mp.Dimensions, func(a, b Dimension) int { return strings.Compare(a.Name, b.Name) })
	}
	return mp
}

func queryPlan(q *spec.MetricQuery, e *spec.Environment) *Query {
	if q == nil {
		return nil
	}
	if q.Metric != nil {
		m := metricPlan(q.Metric, "Sum", e)
		return &Query{Metric: &m}
	}
	qp := &Query{Expression: q.Expression}
	if len(q.Metrics) > 0 {
		qp.Inputs = make([]NamedMetric, 0, len(q.Metrics))
	}
	for id, m := range q.Metrics {
		qp.Inputs = append(qp.Inputs, NamedMetric{ID: id, Metric: metricPlan(m, "Sum", e)})
	}
	slices.SortFunc(qp.Inputs, func(a, b NamedMetric) int { return strings.Compare(a.ID, b.ID) })
	return qp
}

func (p *planner) slo(e *spec.Environment, s *spec.Service, sp *Service, slo *spec.SLO, o *spec.Override, ls []layer) *SLO {
	planned := &SLO{ID: slo.ID, Name: names.SLOName(e.Name, s.Name, slo.ID), Goal: slo.Goal, Description: slo.Description, Pos: p.c.RelPos(slo.Pos)}
	// The name always fits Application Signals' pattern and 128 characters:
	// environment (16), service (40) and id (63) names are checked by
	// Validate, and TestSLONameFits holds the sum under the limit.
	sloSec := func(d *spec.Defaults) *spec.SLODefaults { return d.SLO }
	objCands := []candidate[spec.Percent]{overrideCandidate(o, e.Name, func(o *spec.Override) *spec.Percent { return o.Objective }, "objective"), {slo.Objective, "slo", slo.Val("objective")}}
	var obj spec.Percent
	obj, planned.Origins.Objective = pickLayered(spec.Percent(-1), objCands, ls, sloSec, func(d *spec.SLODefaults) (*spec.Percent, spec.Meta) { return d.Objective, d.Meta }, "objective")
	if obj < 0 { // no level sets it
		if slo.Broken() || slo.Meta.Has("objective") {
			return nil // the cause (a misspelt or malformed objective) is reported already
		}
		p.diags.Add(slo.Pos, diag.CheckSLOObjective, "set objective: 99.9% on the SLO, or under defaults.slo", "SLO %q has no objective", slo.ID)
		return nil
	}
	planned.Objective = float64(obj)
	planned.Window, planned.Origins.Window = pickLayered(DefaultWindow, []candidate[spec.Window]{{slo.Window, "slo", slo.Val("window")}}, ls, sloSec, func(d *spec.SLODefaults) (*spec.Window, spec.Meta) { return d.Window, d.Meta }, "window")
	mr := []candidate[int]{overrideCandidate(o, e.Name, func(o *spec.Override) *int { return o.MinRequests }, "minRequests"), {slo.MinRequests, "slo", slo.Val("minRequests")}}
	planned.MinRequests, planned.Origins.MinRequests = pickLayered(0, mr, ls, sloSec, func(d *spec.SLODefaults) (*int, spec.Meta) { return d.MinRequests, d.Meta }, "minRequests")
	var alerting *spec.Alerting
	alerting, planned.Origins.Alerting = pickLayered[*spec.Alerting](nil, []candidate[*spec.Alerting]{{ptrIf(&slo.Alerting), "slo", slo.Val("alerting")}}, ls, sloSec, func(d *spec.SLODefaults) (**spec.Alerting, spec.Meta) { return ptrIf(&d.Alerting), d.Meta }, "alerting")
	if slo.WarningThreshold != nil {
		planned.WarningThreshold = float64(*slo.WarningThreshold)
	}
	if slo.Load != nil {
		planned.LoadRPS = float64(*slo.Load)
		planned.LoadGuard = loadGuardPlan(slo, ls, &planned.Origins)
	}
	planned.Budget = Budget(planned.Objective, planned.Window.Hours(), planned.LoadRPS)
	planned.Baseline = baselinePlan(slo.Baseline, ls)
	planned.Tiers = p.tiers(slo, alerting, planned)
	for _, ex := range slo.Exclusions {
		t, _ := time.Parse(time.RFC3339, ex.Start)
		var d time.Duration
		if ex.Duration != nil {
			d = ex.Duration.D()
		}
		planned.Exclusions = append(planned.Exclusions, Exclusion{Start: t.UTC(), Duration: d, Recurrence: ex.Recurrence, Reason: ex.Reason})
	}
	if sli := slo.SLI; sli != nil && sli.Latency != nil {
		l := sli.Latency
		planned.Kind = "latency"
		lp := &Latency{Operation: l.Operation, Percentile: string(l.Percentile), PeriodSeconds: int(DefaultSLIPeriod / time.Second)}
		if l.Period != nil {
			lp.PeriodSeconds = int(l.Period.D() / time.Second)
		}
		if l.Metric != nil {
			m := metricPlan(l.Metric, string(l.Percentile), e)
			m.Stat = string(l.Percentile)
			lp.Metric = &m
			lp.Unit = cmp.Or(l.Metric.Unit, "Milliseconds")
		} else {
			lp.Unit = "Milliseconds" // Application Signals publishes Latency in milliseconds
		}
		th, org := pick(spec.Threshold{}, []candidate[spec.Threshold]{overrideCandidate(o, e.Name, func(o *spec.Override) *spec.Threshold { return o.Threshold }, "threshold"), {l.Threshold, "slo", l.Val("threshold")}}...)
		planned.Origins.Threshold = org
		v, err := th.In(lp.Unit)
		if err != nil && org.From != "slo" { // the catalog's own value is checked by Validate
			p.diags.Add(org.Pos, diag.CheckMetricUnit, "", "%v", err)
		}
		lp.Threshold = v
		planned.Latency = lp
	} else if sli != nil && sli.Availability != nil {
		a := sli.Availability
		planned.Kind = "availability"
		planned.Ratio = &Ratio{Operation: a.Operation, Good: queryPlan(a.Good, e), Bad: queryPlan(a.Bad, e), Total: queryPlan(a.Total, e)}
	}
	return planned
}

// tiers resolves the burn-rate tiers of an SLO and checks them against its window.
func (p *planner) tiers(slo *spec.SLO, a *spec.Alerting, planned *SLO) []Tier {
	hours := planned.Window.Hours()
	if a == nil || len(a.Tiers) == 0 {
		if a != nil && a.Disabled {
			return nil
		}
		return DefaultTiers(hours)
	}
	var out []Tier
	seen := map[string]diag.Pos{}
	for _, t := range a.Tiers {
		if t.LongWindow == nil || t.ShortWindow == nil || t.Budget == nil {
			continue
		}
		tr := Tier{Severity: t.Severity, Long: t.LongWindow.D(), Short: t.ShortWindow.D(), BudgetPercent: float64(*t.Budget)}
		if prev, dup := seen[tr.Name()]; dup {
			p.diags.Add(t.Pos, diag.CheckSLOBurnTier, fmt.Sprintf("first declared at %s; change its windows or severity, or remove one", prev), "tier %s is declared twice", tr.Name())
			continue
		}
		seen[tr.Name()] = t.Pos
		if tr.Long.Hours() > hours {
			p.diags.Add(t.Val("longWindow"), diag.CheckSLOBurnWindow, fmt.Sprintf("a look-back window cannot be longer than the SLO window %s", planned.Window), "longWindow %s is longer than the SLO window of %q", spec.FormatDuration(tr.Long), slo.ID)
			continue
		}
		tr.Factor = BurnFactor(tr.BudgetPercent, hours, tr.Long)
		if tr.BudgetPercent <= 0 || tr.BudgetPercent > 100 {
			continue // out of range: reported by Validate, and no factor follows from it
		}
		if tr.Factor < 1 && !t.AllowSlowBurn {
			p.diags.Add(t.Val("budget"), diag.CheckSLOBurnFactor, fmt.Sprintf("raise budget to at least %s, shorten longWindow, or set allowSlowBurn: true", spec.Percent(math.Ceil(tr.Long.Hours()/hours*100*1000)/1000)), "tier %s fires at a burn rate of %.4g, below 1: it fires while the SLO is met", tr.Name(), tr.Factor)
			continue
		}
		out = append(out, tr)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity < out[j].Severity
		}
		return out[i].Long < out[j].Long
	})
	return out
}

// loadGuardPlan resolves the validated-load guard of an SLO that states its
// load: the SLO's own loadGuard, then the defaults layers (service,
// environment, org), then the built-in 15m as a ticket. It records where
// each setting came from in o; nil when a level turns the guard off.
func loadGuardPlan(slo *spec.SLO, ls []layer, o *SLOOrigins) *LoadGuard {
	sec := func(d *spec.Defaults) *spec.LoadGuard { return d.LoadGuard }
	var g spec.LoadGuard
	if slo.LoadGuard != nil {
		g = *slo.LoadGuard
	}
	var off bool
	off, o.LoadGuardDisabled = pickLayered(false, []candidate[bool]{{g.Disabled, "slo", g.Val("disabled")}}, ls, sec, func(d *spec.LoadGuard) (*bool, spec.Meta) { return d.Disabled, d.Meta }, "disabled")
	var d spec.Duration
	d, o.LoadGuardFor = pickLayered(spec.Duration(DefaultLoadGuardFor), []candidate[spec.Duration]{{g.For, "slo", g.Val("for")}}, ls, sec, func(d *spec.LoadGuard) (*spec.Duration, spec.Meta) { return d.For, d.Meta }, "for")
	var sev string
	sev, o.LoadGuardSeverity = pickLayered(DefaultSeverity, []candidate[string]{{g.Severity, "slo", g.Val("severity")}}, ls, sec, func(d *spec.LoadGuard) (*string, spec.Meta) { return d.Severity, d.Meta }, "severity")
	if off {
		return nil
	}
	return &LoadGuard{For: d.D(), Severity: sev}
}
