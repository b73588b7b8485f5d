package plandiff

import (
	"fmt"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/dashboards"
	"github.com/slocatalog/slocatalog/internal/generated"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// This file compares what the catalog records without making a resource
// (SLO baselines and trade-off registers), and the dashboards.

// Kinds that are not catalog objects with alarms.
const (
	KindTradeOff  = "tradeoff"
	KindDashboard = "dashboard"
)

// recordOnly is the effect line of a change that no deploy carries.
const recordOnly = "a catalog record only: no stack changes"

// baselineFields lists an SLO's baseline settings as the diff prints them.
func baselineFields(x *plan.SLO) []kv {
	b := x.Baseline
	if b == nil {
		return nil
	}
	value := b.Value.String()
	if l := x.Latency; l != nil && !b.Value.IsPercent {
		v, _ := (spec.Threshold{Dur: b.Value.Latency, IsDur: true}).In(l.Unit)
		value = generated.Num(generated.Round(v, 3)) + " " + generated.UnitAbbrev(l.Unit)
	}
	f := []kv{{"baseline value", value}}
	if b.LoadRPS > 0 {
		f = append(f, kv{"baseline load", generated.Num(b.LoadRPS) + " rps"})
	}
	return append(f, kv{"baseline measured", b.Measured.Format(time.DateOnly)}, kv{"baseline evidence", b.Evidence}, kv{"baseline maxAge", spec.FormatDuration(b.MaxAge)})
}

// headroom says how far an SLO's baseline is from failing it: the amount
// with its unit, the share, and what the share is of.
func headroom(x *plan.SLO) (amount, share, of string) {
	if x.Baseline == nil {
		return "", "", ""
	}
	a, pct, ok := x.Baseline.Headroom(x)
	if !ok {
		return "", "", ""
	}
	share = generated.Num(generated.Round(pct, 1)) + "%"
	if x.Latency != nil {
		return generated.Num(generated.Round(a, 3)) + " " + generated.UnitAbbrev(x.Latency.Unit), share, "the threshold"
	}
	return generated.Num(generated.Round(a, 4)) + " points", share, "the error budget"
}

// baselineEffects says how the headroom of an SLO's baseline moves.
func baselineEffects(o, n *plan.SLO) []string {
	oa, os, oof := headroom(o)
	na, ns, nof := headroom(n)
	switch {
	case na == "" || (oa == na && os == ns):
		return nil
	case oa == "" || oof != nof:
		return []string{fmt.Sprintf("headroom to the SLO: %s (%s of %s)", na, ns, nof)}
	}
	return []string{fmt.Sprintf("headroom to the SLO: %s → %s (%s → %s of %s)", oa, na, os, ns, nof)}
}

// withoutRecords is an SLO plan without what it only records (its
// baseline), to tell whether a change reaches a stack.
func withoutRecords(x *plan.SLO) *plan.SLO {
	c := *x
	c.Baseline = nil
	return &c
}

// sameBaseline reports whether two SLOs record the same baseline, wherever
// its maxAge is set.
func sameBaseline(a, b *plan.Baseline) bool {
	if a == nil || b == nil {
		return a == b
	}
	ac, bc := *a, *b
	ac.MaxAgeSrc, bc.MaxAgeSrc = plan.Origin{}, plan.Origin{}
	return ac == bc
}

func tradeOffFields(t *plan.TradeOff) []kv {
	return []kv{{"axis", t.Axis}, {"choice", t.Choice}, {"acceptedCost", t.AcceptedCost}, {"criteria", t.Criteria}, {"evidence", t.Evidence}, {"slos", strings.Join(t.SLOs, ", ")}}
}

// tradeOffs compares two services' trade-off registers, by ID.
func tradeOffs(old, new *plan.Service) []*ObjectDiff {
	oldT := byName(old.TradeOffs, func(t *plan.TradeOff) string { return t.ID })
	newT := byName(new.TradeOffs, func(t *plan.TradeOff) string { return t.ID })
	var out []*ObjectDiff
	for _, id := range unionKeys(oldT, newT) {
		o, n := oldT[id], newT[id]
		od := &ObjectDiff{Kind: KindTradeOff, ID: id, Change: Changed, Effects: []string{recordOnly}, RecordOnly: true}
		switch {
		case o == nil:
			od.Change, od.Summary = Added, n.Axis+": "+n.Choice
		case n == nil:
			od.Change, od.Summary = Removed, o.Axis+": "+o.Choice
		default:
			if od.Fields = diffFields(tradeOffFields(o), tradeOffFields(n), nil, nil); len(od.Fields) == 0 {
				continue
			}
		}
		out = append(out, od)
	}
	return out
}

// dashboardDiff compares a dashboard's settings; nil plans are dashboards
// that are turned off. stack is the stack that holds it.
func dashboardDiff(name string, old, new *plan.Dashboard, stack string) *ObjectDiff {
	od := &ObjectDiff{Kind: KindDashboard, ID: name, Change: Changed, Stack: stack}
	switch {
	case old == nil && new == nil:
		return nil
	case old == nil:
		od.Change, od.Summary = Added, "opens on the last "+spec.FormatDuration(new.TimeRange)
	case new == nil:
		od.Change, od.Summary = Removed, "turned off by defaults.dashboard.disabled"
	case old.TimeRange == new.TimeRange:
		return nil
	default:
		od.Fields = []Field{{Name: "timeRange", Old: spec.FormatDuration(old.TimeRange), New: spec.FormatDuration(new.TimeRange)}}
	}
	return od
}

// serviceDashboard compares a service's dashboard; it lives in the
// service's last stack (stacks.DashboardPart).
func (c *serviceCompare) serviceDashboard() *ObjectDiff {
	last := ""
	if len(c.newStacks) > 0 {
		last = c.newStacks[len(c.newStacks)-1]
	}
	return dashboardDiff(dashboards.ServiceName(c.env.newOrg, c.env.new.Name, c.new.Name), c.old.Dashboard, c.new.Dashboard, last)
}

// executive compares an environment's executive view; its first pages are
// in the routing stack, the object's stack (executiveStacks records the
// executive stacks that hold later pages).
func (c *envCompare) executive() *ObjectDiff {
	if c.old == nil || c.new == nil {
		return nil
	}
	return dashboardDiff(dashboards.ExecutiveName(c.newOrg, c.new.Name), c.old.Executive, c.new.Executive, names.RoutingStackName(c.newOrg, c.new.Name))
}
