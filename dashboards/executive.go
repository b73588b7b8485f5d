package dashboards

import (
	"fmt"
	"sort"
	"strings"

	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
)

// Executive is an environment's executive latency view: one row per
// service, by tier then name, with a text widget that says what the row
// shows, the service's headline latency SLI against its threshold, its
// attainment against the objective and its error budget remaining.
// Services without an SLO are left out; an environment whose catalog turns
// the view off has none.
func Executive(org string, e *plan.Environment) []Dashboard {
	if e.Executive == nil {
		return nil
	}
	svcs := append([]*plan.Service{}, e.Services...)
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
func Headline(svc *plan.Service) *plan.SLO {
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
func executiveRow(org string, e *plan.Environment, svc *plan.Service, x *plan.SLO) section {
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

// Where the executive view's pages deploy. The first RoutingExecutivePages
// pages stay in the environment's routing stack, where the whole view lived
// before it outgrew one template; page p beyond them goes to executive
// stack ExecutiveStack(p) (<org>-<env>-executive-2, -3, …), each holding
// ExecutivePagesPerStack pages. Placement depends on the page index only, so
// page p always deploys from the same stack: a growing catalog adds stacks
// at the end and never moves a named dashboard from one stack to another
// (CloudWatch dashboard names are global per account and region, and a
// dashboard moved between stacks is created by one and deleted by the
// other: slocat evolve flags it).
//
// The numbers keep every stack well under CloudFormation's 1 MB template
// limit. A page's body is at most MaxBodyBytes (96 KiB) of JSON; in the
// template it is a JSON string, where escaping at worst doubles it (every
// '"' and '\' gains a backslash): 192 KiB, plus under 1 KiB for the
// resource's type, logical ID, DashboardName (at most 255 characters) and
// construct path. Four pages are then at most 4 × 193 KiB = 772 KiB, plus
// about 1 KiB of template around them: an executive stack stays under
// 0.76 MiB, leaving over 250 KiB; in practice the bodies escape to about
// 110 KiB a page, 440 KiB a stack. The routing stack's four pages leave it
// the same 250 KiB for its own resources (routes, dead-letter queue,
// exports: about 10 KiB for three routes). Four pages in the routing stack
// keep every catalog of up to about 390 services per environment (about
// 3,900 SLOs) exactly where it deployed before; the 1,000-SLO generated
// catalog has two pages.
const (
	RoutingExecutivePages  = 4
	ExecutivePagesPerStack = 4
)

// ExecutiveStack is the number of the stack that holds page p (1-based) of
// the executive view: 1 is the routing stack, k >= 2 the executive stack
// <org>-<env>-executive-k.
func ExecutiveStack(p int) int {
	if p <= RoutingExecutivePages {
		return 1
	}
	return 2 + (p-RoutingExecutivePages-1)/ExecutivePagesPerStack
}

// ExecutiveStackName is the name of the stack that holds page p (1-based)
// of an environment's executive view.
func ExecutiveStackName(org, env string, p int) string {
	if k := ExecutiveStack(p); k > 1 {
		return names.ExecutiveStackName(org, env, k)
	}
	return names.RoutingStackName(org, env)
}

// ExecutiveStacks lists the stacks that hold the pages of an executive
// view, in page order, each with its pages (1-based, ascending): the routing
// stack first when there are pages.
func ExecutiveStacks(org, env string, pages []Dashboard) []ExecutivePlacement {
	var out []ExecutivePlacement
	for i := range pages {
		name := ExecutiveStackName(org, env, i+1)
		if len(out) == 0 || out[len(out)-1].Stack != name {
			out = append(out, ExecutivePlacement{Stack: name, Number: ExecutiveStack(i + 1)})
		}
		out[len(out)-1].Pages = append(out[len(out)-1].Pages, pages[i])
	}
	return out
}

// ExecutivePlacement is one stack that holds pages of an executive view:
// its name, its number (1 for the routing stack) and its pages.
type ExecutivePlacement struct {
	Stack  string
	Number int
	Pages  []Dashboard
}

// PlacementText says which stack holds which pages, as in
// "acme-prod-routing (pages 1-4), acme-prod-executive-2 (pages 5-6)".
func PlacementText(xs []ExecutivePlacement) string {
	var parts []string
	first := 1
	for _, x := range xs {
		last := first + len(x.Pages) - 1
		if last == first {
			parts = append(parts, fmt.Sprintf("%s (page %d)", x.Stack, first))
		} else {
			parts = append(parts, fmt.Sprintf("%s (pages %d-%d)", x.Stack, first, last))
		}
		first = last + 1
	}
	return strings.Join(parts, ", ")
}
