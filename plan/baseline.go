package plan

import (
	"fmt"
	"slices"
	"time"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/spec"
)

// DefaultBaselineMaxAge is how old a baseline may grow when no defaults set
// baseline.maxAge: a quarter, the cadence of a Well-Architected review.
const DefaultBaselineMaxAge = 90 * 24 * time.Hour

// Baseline is an SLO's baseline with its effective maximum age in one
// environment.
type Baseline struct {
	Value     spec.Measure
	LoadRPS   float64
	Measured  time.Time // the day, at 00:00 UTC
	Evidence  string
	MaxAge    time.Duration
	MaxAgeSrc Origin
}

// Due is the day the baseline should be measured again by.
func (b *Baseline) Due() time.Time { return b.Measured.Add(b.MaxAge) }

// Headroom is how far the baseline is from failing the SLO: for a latency
// SLO the threshold minus the measured latency, in the SLI's unit, and as a
// share of the threshold; for an availability SLO the measured share minus
// the objective, in percentage points, and as a share of the error budget.
// ok is false when the SLO has neither.
func (b *Baseline) Headroom(slo *SLO) (amount, percent float64, ok bool) {
	switch {
	case slo.Latency != nil && !b.Value.IsPercent:
		measured, err := (spec.Threshold{Dur: b.Value.Latency, IsDur: true}).In(slo.Latency.Unit)
		if err != nil || slo.Latency.Threshold <= 0 {
			return 0, 0, false
		}
		amount = slo.Latency.Threshold - measured
		return amount, 100 * amount / slo.Latency.Threshold, true
	case slo.Kind == "availability" && b.Value.IsPercent:
		budget := 100 - slo.Objective
		if budget <= 0 {
			return 0, 0, false
		}
		amount = b.Value.Percent - slo.Objective
		return amount, 100 * amount / budget, true
	}
	return 0, 0, false
}

// TradeOff is one entry of a service's trade-off register.
type TradeOff struct {
	ID, Axis, Choice, AcceptedCost, Criteria, Evidence string
	SLOs                                               []string
	Pos                                                diag.Pos
}

// baselineMaxAge is the effective baseline.maxAge of a service in an
// environment (layers: service, environment, org defaults) and its origin.
func baselineMaxAge(ls []layer) (time.Duration, Origin) {
	sec := func(d *spec.Defaults) *spec.BaselineDefaults { return d.Baseline }
	v, o := pickLayered(spec.Duration(DefaultBaselineMaxAge), nil, ls, sec, func(d *spec.BaselineDefaults) (*spec.Duration, spec.Meta) { return d.MaxAge, d.Meta }, "maxAge")
	return v.D(), o
}

// baselinePlan is the plan of an SLO's baseline, nil when it has none (or
// one whose value or date did not decode).
func baselinePlan(b *spec.Baseline, ls []layer) *Baseline {
	if b == nil || b.Value == nil || b.Measured == nil {
		return nil
	}
	bp := &Baseline{Value: *b.Value, Measured: b.Measured.Time, Evidence: b.Evidence}
	if b.Load != nil {
		bp.LoadRPS = float64(*b.Load)
	}
	bp.MaxAge, bp.MaxAgeSrc = baselineMaxAge(ls)
	return bp
}

// tradeOffPlans are the plans of a service's trade-off register, in the
// catalog's order.
func tradeOffPlans(s *spec.Service, rel func(diag.Pos) diag.Pos) []*TradeOff {
	var out []*TradeOff
	for _, t := range s.TradeOffs {
		out = append(out, &TradeOff{ID: t.ID, Axis: t.Axis, Choice: t.Choice, AcceptedCost: t.AcceptedCost, Criteria: t.Criteria, Evidence: t.Evidence, SLOs: t.SLOs, Pos: rel(t.Pos)})
	}
	return out
}

// StaleBaselines warns about every SLO baseline that today is older than
// its effective baseline.maxAge in an environment the SLO runs in, or that
// is dated after today. Warnings do not make a catalog invalid; the date is
// the caller's, so that the check is repeatable (slocat validate --today).
func StaleBaselines(c *spec.Catalog, today time.Time) diag.Diagnostics {
	var ds diag.Diagnostics
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
				ds = append(ds, diag.Diagnostic{Pos: at, Check: diag.CheckBaselineStale, Severity: diag.SeverityWarning,
					Message: fmt.Sprintf("baseline of SLO %q is dated %s, after today (%s)", slo.ID, b.Measured, day.Format(time.DateOnly)),
					Hint:    "write the day the load test ran"})
				continue
			}
			for _, e := range c.Environments {
				if len(s.Environments) > 0 && !slices.Contains(s.Environments, e.Name) {
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
				limit := fmt.Sprintf("maxAge %s from %s", spec.FormatDuration(maxAge), from)
				if from.Pos.IsZero() {
					limit = fmt.Sprintf("the built-in maxAge %s", spec.FormatDuration(maxAge))
				}
				ds = append(ds, diag.Diagnostic{Pos: at, Check: diag.CheckBaselineStale, Severity: diag.SeverityWarning,
					Message: fmt.Sprintf("baseline of SLO %q was measured %s, %d days ago: older than %s", slo.ID, b.Measured, int(age/(24*time.Hour)), limit),
					Hint:    "run the load test again and update value, load, measured and evidence"})
			}
		}
	}
	ds.Sort()
	return ds
}
