package slos

import (
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// This file holds the catalog's records of performance work (PERF 5 of the
// AWS Well-Architected Performance Efficiency pillar): each SLO's baseline
// measured under a known load, and each service's trade-off register. They
// make no AWS resource; the report and the diff show them, and validate
// warns when a baseline is due to be measured again.

// DefaultBaselineMaxAge is how old a baseline may grow when no defaults set
// baseline.maxAge: a quarter, the cadence of a Well-Architected review.
const DefaultBaselineMaxAge = 90 * 24 * time.Hour

// Measure is a measured SLI value with its unit: a latency (220ms, 1.6s) or
// a share of good requests (99.97%).
type Measure struct {
	Latency   time.Duration // set when IsPercent is false
	Percent   float64       // set when IsPercent is true
	IsPercent bool
}

func (m *Measure) setScalar(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if strings.HasSuffix(s, "%") {
		f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 100 {
			return hinted("write a percentage from 0% to 100%, e.g. 99.97%", "%q is not a percentage", s)
		}
		*m = Measure{Percent: f, IsPercent: true}
		return nil
	}
	d, err := ParseDuration(s)
	if err != nil {
		return hinted("write it with its unit: a latency (220ms) or a share of good requests (99.97%)", "measured value %q has no unit", s)
	}
	*m = Measure{Latency: d}
	return nil
}

// String renders the value as the catalog writes it.
func (m Measure) String() string {
	if m.IsPercent {
		return strconv.FormatFloat(m.Percent, 'f', -1, 64) + "%"
	}
	return FormatDuration(m.Latency)
}

func (Measure) jsonSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": `^([0-9]+(\.[0-9]+)?(ms|s|m|h|d|w)|[0-9]+(\.[0-9]+)?%)$`, "examples": []string{"220ms", "99.97%"}}
}

// Date is a calendar day, written YYYY-MM-DD.
type Date struct{ time.Time }

func (d *Date) setScalar(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return hinted("write the day as YYYY-MM-DD, e.g. 2026-11-16", "%q is not a date", s)
	}
	*d = Date{t}
	return nil
}

// String renders the day as YYYY-MM-DD.
func (d Date) String() string { return d.Format(time.DateOnly) }

func (Date) jsonSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, "examples": []string{"2026-11-16"}}
}

// BaselinePlan is an SLO's baseline with its effective maximum age in one
// environment.
type BaselinePlan struct {
	Value     Measure
	LoadRPS   float64
	Measured  time.Time // the day, at 00:00 UTC
	Evidence  string
	MaxAge    time.Duration
	MaxAgeSrc Origin
}

// Due is the day the baseline should be measured again by.
func (b *BaselinePlan) Due() time.Time { return b.Measured.Add(b.MaxAge) }

// Headroom is how far the baseline is from failing the SLO: for a latency
// SLO the threshold minus the measured latency, in the SLI's unit, and as a
// share of the threshold; for an availability SLO the measured share minus
// the objective, in percentage points, and as a share of the error budget.
// ok is false when the SLO has neither.
func (b *BaselinePlan) Headroom(x *SLOPlan) (amount, percent float64, ok bool) {
	switch {
	case x.Latency != nil && !b.Value.IsPercent:
		measured, err := (Threshold{Dur: b.Value.Latency, IsDur: true}).In(x.Latency.Unit)
		if err != nil || x.Latency.Threshold <= 0 {
			return 0, 0, false
		}
		amount = x.Latency.Threshold - measured
		return amount, 100 * amount / x.Latency.Threshold, true
	case x.Kind == "availability" && b.Value.IsPercent:
		budget := 100 - x.Objective
		if budget <= 0 {
			return 0, 0, false
		}
		amount = b.Value.Percent - x.Objective
		return amount, 100 * amount / budget, true
	}
	return 0, 0, false
}

// TradeOffPlan is one entry of a service's trade-off register.
type TradeOffPlan struct {
	ID, Axis, Choice, AcceptedCost, Criteria, Evidence string
	SLOs                                               []string
	Pos                                                Pos
}

// baselineMaxAge is the effective baseline.maxAge of a service in an
// environment (layers: service, environment, org defaults) and its origin.
func baselineMaxAge(ls []layer) (time.Duration, Origin) {
	sec := func(d *Defaults) *BaselineDefaults { return d.Baseline }
	v, o := pickLayered(Duration(DefaultBaselineMaxAge), nil, ls, sec, func(d *BaselineDefaults) (*Duration, Meta) { return d.MaxAge, d.Meta }, "maxAge")
	return v.D(), o
}

// baselinePlan is the plan of an SLO's baseline, nil when it has none (or
// one whose value or date did not decode).
func baselinePlan(b *Baseline, ls []layer) *BaselinePlan {
	if b == nil || b.Value == nil || b.Measured == nil {
		return nil
	}
	bp := &BaselinePlan{Value: *b.Value, Measured: b.Measured.Time, Evidence: b.Evidence}
	if b.Load != nil {
		bp.LoadRPS = float64(*b.Load)
	}
	bp.MaxAge, bp.MaxAgeSrc = baselineMaxAge(ls)
	return bp
}

// tradeOffPlans are the plans of a service's trade-off register, in the
// catalog's order.
func tradeOffPlans(s *Service, rel func(Pos) Pos) []*TradeOffPlan {
	var out []*TradeOffPlan
	for _, t := range s.TradeOffs {
		out = append(out, &TradeOffPlan{ID: t.ID, Axis: t.Axis, Choice: t.Choice, AcceptedCost: t.AcceptedCost, Criteria: t.Criteria, Evidence: t.Evidence, SLOs: t.SLOs, Pos: rel(t.Pos)})
	}
	return out
}

// httpsURL reports whether s is an absolute https:// URL.
func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// evidence checks an evidence link.
func (v *validator) evidence(m Meta, link string) {
	if link != "" && !httpsURL(link) {
		v.errf(m.Val("evidence"), CheckURL, "link the report: write an https:// URL", "evidence %q is not an https URL", link)
	}
}

// baselineDefaults checks defaults.baseline.
func (v *validator) baselineDefaults(b *BaselineDefaults) {
	if b == nil || b.MaxAge == nil {
		return
	}
	if d := b.MaxAge.D(); d < 24*time.Hour || d%(24*time.Hour) != 0 {
		v.errf(b.Val("maxAge"), CheckRange, "write whole days, e.g. 90d for a quarterly review", "baseline maxAge %s is out of range; it must be whole days, at least 1d", b.MaxAge)
	}
}

// baseline checks an SLO's baseline against its SLI: a latency SLO is
// measured in time, an availability SLO as a share of good requests.
func (v *validator) baseline(slo *SLO) {
	b := slo.Baseline
	if b == nil {
		return
	}
	v.evidence(b.Meta, b.Evidence)
	if b.Load != nil && *b.Load <= 0 {
		v.errf(b.Val("load"), CheckRange, "", "baseline load must be above 0rps")
	}
	if b.Value == nil || slo.SLI == nil {
		return
	}
	switch {
	case slo.SLI.Latency != nil && slo.SLI.Availability == nil && b.Value.IsPercent:
		v.errf(b.Val("value"), CheckBaselineUnit, "a latency SLO's baseline is a latency: write it with a time unit, e.g. 220ms", "baseline %s of latency SLO %q is a percentage", b.Value, slo.ID)
	case slo.SLI.Availability != nil && slo.SLI.Latency == nil && !b.Value.IsPercent:
		v.errf(b.Val("value"), CheckBaselineUnit, "an availability SLO's baseline is the share of good requests: write a percentage, e.g. 99.97%", "baseline %s of availability SLO %q is a duration", b.Value, slo.ID)
	}
}

// tradeOffs checks a service's trade-off register: unique, well-formed
// IDs, evidence links, and SLO IDs that the service declares.
func (v *validator) tradeOffs(s *Service) {
	seen := map[string]Pos{}
	var sloIDs map[string]bool
	for _, t := range s.TradeOffs {
		if t.ID != "" {
			if !idRE.MatchString(t.ID) {
				v.errf(t.Val("id"), CheckName, "lower case letters, digits and dashes, starting with a letter, at most 63", "trade-off id %q is not a valid id", t.ID)
			}
			if prev, dup := seen[t.ID]; dup {
				v.errf(t.Val("id"), CheckDuplicateID, fmt.Sprintf("first declared at %s", prev), "trade-off %q is declared twice in service %q", t.ID, s.Name)
			} else {
				seen[t.ID] = t.Val("id")
			}
		}
		v.evidence(t.Meta, t.Evidence)
		if len(t.SLOs) > 0 && sloIDs == nil {
			sloIDs = map[string]bool{}
			for _, x := range s.SLOs {
				sloIDs[x.ID] = true
			}
		}
		for i, id := range t.SLOs {
			if !sloIDs[id] {
				v.errf(t.Item("slos", i), CheckTradeOffSLO, didYouMeanOr(id, slices.Sorted(maps.Keys(sloIDs)), "name an SLO of service "+s.Name), "trade-off %q names SLO %q, which service %q does not declare", t.ID, id, s.Name)
			}
		}
	}
}

// StaleBaselines warns about every SLO baseline that today is older than
// its effective baseline.maxAge in an environment the SLO runs in, or that
// is dated after today. Warnings do not make a catalog invalid; the date is
// the caller's, so that the check is repeatable (slocat validate --today).
func StaleBaselines(c *Catalog, today time.Time) Diagnostics {
	var ds Diagnostics
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	p := &planner{c: c}
	for _, s := range c.Services {
		for _, slo := range s.SLOs {
			b := slo.Baseline
			if b == nil || b.Measured == nil {
				continue
			}
			at := b.Val("measured")
			if b.Measured.After(day) {
				ds = append(ds, Diagnostic{Pos: at, Check: CheckBaselineStale, Severity: SeverityWarning,
					Message: fmt.Sprintf("baseline of SLO %q is dated %s, after today (%s)", slo.ID, b.Measured, day.Format(time.DateOnly)),
					Hint:    "write the day the load test ran"})
				continue
			}
			for _, e := range c.Environments {
				if len(s.Environments) > 0 && !contains(s.Environments, e.Name) {
					continue
				}
				if o := p.override(e, s, slo.ID); o != nil && o.Disabled {
					continue
				}
				maxAge, from := baselineMaxAge(p.layers(e, s))
				age := day.Sub(b.Measured.Time)
				if age <= maxAge {
					continue
				}
				limit := fmt.Sprintf("maxAge %s from %s", FormatDuration(maxAge), from)
				if from.Pos.IsZero() {
					limit = fmt.Sprintf("the built-in maxAge %s", FormatDuration(maxAge))
				}
				ds = append(ds, Diagnostic{Pos: at, Check: CheckBaselineStale, Severity: SeverityWarning,
					Message: fmt.Sprintf("baseline of SLO %q was measured %s, %d days ago: older than %s", slo.ID, b.Measured, int(age/(24*time.Hour)), limit),
					Hint:    "run the load test again and update value, load, measured and evidence"})
			}
		}
	}
	ds.Sort()
	return ds
}

// TimestampsAsText retags the unquoted timestamps of a YAML tree (measured:
// 2026-11-16) as strings, which is how editors (YAML 1.2) and the catalog's
// own types read them; yaml.v3 would decode them as times. It returns n.
func TimestampsAsText(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!timestamp" {
		n.Tag = "!!str"
	}
	for _, c := range n.Content {
		TimestampsAsText(c)
	}
	return n
}
