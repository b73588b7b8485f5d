package check

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"time"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/spec"
)

// This file holds the catalog's records of performance work (PERF 5 of the
// AWS Well-Architected Performance Efficiency pillar): each SLO's baseline
// measured under a known load, and each service's trade-off register. They
// make no AWS resource; the report and the diff show them, and validate
// warns when a baseline is due to be measured again.

// httpsURL reports whether s is an absolute https:// URL.
func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// evidence checks an evidence link.
func (v *validator) evidence(m spec.Meta, link string) {
	if link != "" && !httpsURL(link) {
		v.errf(m.Val("evidence"), diag.CheckURL, "link the report: write an https:// URL", "evidence %q is not an https URL", link)
	}
}

// baselineDefaults checks defaults.baseline.
func (v *validator) baselineDefaults(b *spec.BaselineDefaults) {
	if b == nil || b.MaxAge == nil {
		return
	}
	if d := b.MaxAge.D(); d < 24*time.Hour || d%(24*time.Hour) != 0 {
		v.errf(b.Val("maxAge"), diag.CheckRange, "write whole days, e.g. 90d for a quarterly review", "baseline maxAge %s is out of range; it must be whole days, at least 1d", b.MaxAge)
	}
}

// baseline checks an SLO's baseline against its SLI: a latency SLO is
// measured in time, an availability SLO as a share of good requests.
func (v *validator) baseline(slo *spec.SLO) {
	b := slo.Baseline
	if b == nil {
		return
	}
	v.evidence(b.Meta, b.Evidence)
	if b.Load != nil && *b.Load <= 0 {
		v.errf(b.Val("load"), diag.CheckRange, "", "baseline load must be above 0rps")
	}
	if b.Value == nil || slo.SLI == nil {
		return
	}
	switch {
	case slo.SLI.Latency != nil && slo.SLI.Availability == nil && b.Value.IsPercent:
		v.errf(b.Val("value"), diag.CheckBaselineUnit, "a latency SLO's baseline is a latency: write it with a time unit, e.g. 220ms", "baseline %s of latency SLO %q is a percentage", b.Value, slo.ID)
	case slo.SLI.Availability != nil && slo.SLI.Latency == nil && !b.Value.IsPercent:
		v.errf(b.Val("value"), diag.CheckBaselineUnit, "an availability SLO's baseline is the share of good requests: write a percentage, e.g. 99.97%", "baseline %s of availability SLO %q is a duration", b.Value, slo.ID)
	}
}

// tradeOffs checks a service's trade-off register: unique, well-formed
// IDs, evidence links, and SLO IDs that the service declares.
func (v *validator) tradeOffs(s *spec.Service) {
	seen := map[string]diag.Pos{}
	var sloIDs map[string]bool
	for _, t := range s.TradeOffs {
		if t.ID != "" {
			if !idRE.MatchString(t.ID) {
				v.errf(t.Val("id"), diag.CheckName, "lower case letters, digits and dashes, starting with a letter, at most 63", "trade-off id %q is not a valid id", t.ID)
			}
			if prev, dup := seen[t.ID]; dup {
				v.errf(t.Val("id"), diag.CheckDuplicateID, fmt.Sprintf("first declared at %s", prev), "trade-off %q is declared twice in service %q", t.ID, s.Name)
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
				v.errf(t.Item("slos", i), diag.CheckTradeOffSLO, diag.DidYouMeanOr(id, slices.Sorted(maps.Keys(sloIDs)), "name an SLO of service "+s.Name), "trade-off %q names SLO %q, which service %q does not declare", t.ID, id, s.Name)
			}
		}
	}
}
