package dashboards

import (
	"fmt"
	"sort"

	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/slos"
)

// Executive is an environment's executive latency view: one row per
// service, by tier then name, with a text widget that says what the row
// shows, the service's headline latency SLI against its threshold, its
// attainment against the objective and its error budget remaining.
// Services without an SLO are left out; an environment whose catalog turns
// the view off has none.
func Executive(org string, e *slos.EnvPlan) []Dashboard {
	if e.Executive == nil {
		return nil
	}
	svcs := append([]*slos.ServicePlan{}, e.Services...)
	sort.SliceStable(svcs, func(i, j int) bool {
		if svcs[i].Tier != svcs[j].Tier {
			return svcs[i].Tier < svcs[j].Tier
		}
		return svcs[i].Name < svcs[j].Name
	})
	var sections []section
	for _, svc := range svcs {
		if x := Headline(svc); x != nil {
			sections = append(sections, executiveRow(org, e, svc, x))
		}
	}
	header := func(page int) []Widget {
		md := fmt.Sprintf("# Latency of %s %s\nOne row per service, most critical tier first (tier, then name). Each row: the service, "+
			"its owner and its headline SLO (its first latency SLO); that SLI's latency at the percentile the SLO is stated at; the SLO's "+
			"attainment over its window; and its error budget remaining: the SLO meets its objective while the budget is above zero.", org, e.Name)
		if page > 1 {
			md += fmt.Sprintf(" Page %d.", page)
		}
		return []Widget{text(md, GridWidth, 3)}
	}
	return paginate(ExecutiveName(org, e.Name), start(e.Executive.TimeRange), header, sections)
}

// Headline is the SLO a service is judged by on the executive view: its
// first latency SLO, else its first SLO, else nil.
func Headline(svc *slos.ServicePlan) *slos.SLOPlan {
	for _, x := range svc.SLOs {
		if x.Latency != nil {
			return x
		}
	}
	if len(svc.SLOs) > 0 {
		return svc.SLOs[0]
	}
	return nil
}

// executiveRow is a service's row. It holds no value an SLO edit changes
// (objective, threshold, goal, window): the routing stack that holds the
// view then changes only when a service comes, goes or changes tier or
// owner, or its headline SLO or that SLO's percentile changes, and an
// objective change still redeploys one stack (TestIncrementalChange). The
// row measures against the objective through the error budget: it is met
// while budget remains above zero. The service dashboard draws the numbers.
func executiveRow(org string, e *slos.EnvPlan, svc *slos.ServicePlan, x *slos.SLOPlan) section {
	what := fmt.Sprintf("**%s** (tier %d, %s)\n\nHeadline SLO `%s`. Thresholds and objective: dashboard %s.",
		svc.Name, svc.Tier, svc.Owner, x.ID, ServiceName(org, e.Name, svc.Name))
	att := metrics.Attainment(x)
	left := metrics.BudgetRemaining(x)
	var sli Widget
	if src, ok := metrics.SLISource(svc, x); ok && x.Latency != nil {
		sli = graph(fmt.Sprintf("%s: %s latency", svc.Name, x.Latency.Percentile), e.Region, 60,
			[][]any{metricRow(src, map[string]any{"stat": x.Latency.Percentile, "label": x.Latency.Percentile})}, nil, 8)
	} else {
		sli = text(fmt.Sprintf("**%s** has no latency SLO: its headline `%s` is drawn by attainment and budget.", svc.Name, x.ID), 8, rowHeight)
	}
	return section{
		text(what, 6, rowHeight),
		sli,
		single(svc.Name+": attainment %", e.Region, 300,
			[][]any{metricRow(att, map[string]any{"stat": att.Stat, "label": "attainment"})}, 5),
		single(svc.Name+": error budget remaining", e.Region, 300,
			[][]any{metricRow(left, map[string]any{"stat": left.Stat, "label": "budget remaining"})}, 5),
	}
}
