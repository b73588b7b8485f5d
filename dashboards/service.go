package dashboards

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/internal/generated"
	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
	"github.com/slocatalog/slocatalog/synthetics"
)

// start is a dashboard's "start": how far back its graphs look when it
// opens, as a negative ISO 8601 duration (-P7D, -PT12H, -PT90M).
func start(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("-P%dD", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("-PT%dH", d/time.Hour)
	}
	return fmt.Sprintf("-PT%dM", d/time.Minute)
}

// Service is a service's dashboards in an environment: usually one, more
// when it outgrows CloudWatch's limits (named …-2, …-3). Each has the
// header (owner, tier, runbook, on-call routes, goals) and the alarm status
// of every alarm of the service; then per SLO its attainment, error budget,
// burn rates, SLI and traffic; per canary its success and step durations;
// per RUM monitor its Web Vitals; and links to the X-Ray groups.
//
// A service whose dashboard the catalog turns off has none.
func Service(org string, e *plan.Environment, svc *plan.Service) []Dashboard {
	if svc.Dashboard == nil {
		return nil
	}
	base := ServiceName(org, e.Name, svc.Name)
	header := pageHeader(e, svc, base)
	var sections []section
	for _, w := range alarmWidgets(e, AlarmNames(org, e.Name, svc)) {
		sections = append(sections, section{w})
	}
	for _, x := range svc.SLOs {
		sections = append(sections, sloSection(e, svc, x))
	}
	for _, c := range svc.Canaries {
		sections = append(sections, canarySection(e, c))
	}
	for _, r := range svc.RUM {
		sections = append(sections, rumSection(e, r))
	}
	if len(svc.Traces) > 0 {
		sections = append(sections, section{traceLinks(e, svc)})
	}
	return paginate(base, start(svc.Dashboard.TimeRange), header, sections)
}

// pageHeader is the header of each page of a service's dashboard.
func pageHeader(e *plan.Environment, svc *plan.Service, base string) func(page int) []Widget {
	return func(page int) []Widget {
		if page > 1 {
			// No goals here: an SLO edit then changes the first page and its own.
			md := fmt.Sprintf("# %s in %s, page %d\nThe first page, **%s**, has the owner, the on-call routes and the goals.", svc.Name, e.Name, page, base)
			return []Widget{text(md, GridWidth, 2)}
		}
		return []Widget{text(serviceHeader(e, svc), GridWidth, 6)}
	}
}

// AlarmPagesBefore18 is how many pages of a service's dashboard showed
// alarms when each burn-rate tier was three alarms (<slo>-<tier>-long,
// -short and their AND <slo>-<tier>; issue 18 made it one). A split
// service places its pages by this count (stacks.DashboardPart), so that
// the upgrade moves no page between parts: with a third of the tier alarms
// a service shows alarms on fewer pages, and counting the metric pages from
// the new number would move each into the part before its own, where it is
// created while the later part still holds its name. Pagination is greedy
// and the alarm widgets come first, so paginating them alone counts exactly
// the pages that showed alarms.
func AlarmPagesBefore18(org string, e *plan.Environment, svc *plan.Service) int {
	if svc.Dashboard == nil {
		return 0
	}
	// The validated-load alarms came with the same change: they were not
	// shown then, nor counted in the roll-ups (whose nested parts are alarms).
	unguarded := *svc
	unguarded.SLOs = make([]*plan.SLO, len(svc.SLOs))
	for i, x := range svc.SLOs {
		c := *x
		c.LoadGuard = nil
		unguarded.SLOs[i] = &c
	}
	alarmNames := AlarmNames(org, e.Name, &unguarded)
	burn := map[string]bool{}
	for _, x := range svc.SLOs {
		for _, t := range x.Tiers {
			burn[names.AlarmName(org, e.Name, svc.Name, names.TierAlarmID(x.ID, t.Name()))] = true
			alarmNames = append(alarmNames, names.AlarmName(org, e.Name, svc.Name, x.ID+"-"+t.Name()+"-long"),
				names.AlarmName(org, e.Name, svc.Name, x.ID+"-"+t.Name()+"-short"),
				names.AlarmName(org, e.Name, svc.Name, x.ID+"-"+t.Name()))
		}
	}
	alarmNames = slices.DeleteFunc(alarmNames, func(n string) bool { return burn[n] })
	sort.Strings(alarmNames)
	var sections []section
	for _, w := range alarmWidgets(e, alarmNames) {
		sections = append(sections, section{w})
	}
	base := ServiceName(org, e.Name, svc.Name)
	pages := 0
	for _, d := range paginate(base, start(svc.Dashboard.TimeRange), pageHeader(e, svc, base), sections) {
		if d.Alarms > 0 {
			pages++
		}
	}
	return pages
}

func serviceHeader(e *plan.Environment, svc *plan.Service) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s in %s\n", svc.Name, e.Name)
	fmt.Fprintf(&b, "**Owner** %s · **Tier** %d", svc.Owner, svc.Tier)
	if svc.Runbook != "" {
		fmt.Fprintf(&b, " · [Runbook](%s)", svc.Runbook)
	}
	fmt.Fprintf(&b, "\n\n**Page** → %s · **Ticket** → %s\n", routes(svc.Page), routes(svc.Ticket))
	if svc.Description != "" {
		fmt.Fprintf(&b, "\n%s\n", svc.Description)
	}
	for _, x := range svc.SLOs {
		fmt.Fprintf(&b, "\n* **%s**: %s (%s%% over %s)", x.ID, x.Goal, generated.Num(x.Objective), x.Window)
	}
	return b.String()
}

func routes(ids []string) string {
	if len(ids) == 0 {
		return "(none)"
	}
	return strings.Join(ids, ", ")
}

// alarmWidgets shows the state of the named alarms of a service, 100 a widget.
func alarmWidgets(e *plan.Environment, alarmNames []string) []Widget {
	var out []Widget
	for i := 0; i < len(alarmNames); i += maxAlarmsPerWidget {
		chunk := alarmNames[i:min(i+maxAlarmsPerWidget, len(alarmNames))]
		arns := make([]string, len(chunk))
		for j, n := range chunk {
			arns[j] = alarmARN(e.Region, e.Account, n)
		}
		title := "Alarms"
		if len(alarmNames) > maxAlarmsPerWidget {
			title = fmt.Sprintf("Alarms %d–%d of %d", i+1, i+len(chunk), len(alarmNames))
		}
		out = append(out, alarmStatus(title, arns))
	}
	return out
}

// maxRuleAlarms mirrors constructs' limit on alarms per composite rule, past
// which a roll-up nests composites named rollup-SEVERITY-partN.
const maxRuleAlarms = 50

// AlarmNames is the name of every alarm the CDK app makes for a service in
// an environment, sorted: the alarms of its catalog objects and its
// roll-ups as internal/generated lists them (what report and explain show),
// with the nested parts of a roll-up over maxRuleAlarms alarms.
// The golden templates hold it (stacks.TestGoldenTemplates: the alarm
// widgets of every dashboard body).
func AlarmNames(org, env string, svc *plan.Service) []string {
	objects := generated.Objects(org, env, svc)
	rolled := map[string]int{}
	var alarmNames []string
	for _, o := range objects {
		for _, a := range o.Alarms {
			alarmNames = append(alarmNames, a.Name)
			if a.Rollup {
				rolled[a.Severity]++
			}
		}
	}
	for _, r := range generated.Rollups(org, env, svc, objects) {
		alarmNames = append(alarmNames, r.Name)
		if n := rolled[r.Severity]; n > maxRuleAlarms {
			for i := 0; i*maxRuleAlarms < n; i++ {
				alarmNames = append(alarmNames, fmt.Sprintf("%s-part%d", r.Name, i+1))
			}
		}
	}
	sort.Strings(alarmNames)
	return alarmNames
}

// sloSection is an SLO's two rows: attainment, error budget remaining and
// burn rates; then the SLI and the traffic against the SLO's load.
func sloSection(e *plan.Environment, svc *plan.Service, x *plan.SLO) section {
	period := 60
	if x.Latency != nil {
		period = x.Latency.PeriodSeconds
	}
	att := metrics.Attainment(x)
	left := metrics.BudgetRemaining(x)
	out := section{
		graph(x.ID+": attainment %", e.Region, 300,
			[][]any{metricRow(att, map[string]any{"stat": att.Stat, "label": "attainment"})},
			[]line{{x.Objective, "objective " + generated.Num(x.Objective) + "%"}}, 6),
		graph(x.ID+": error budget remaining", e.Region, 300,
			[][]any{metricRow(left, map[string]any{"stat": left.Stat, "label": "budget remaining"})},
			[]line{{0, "budget spent"}}, 6),
		burnWidget(e, x),
	}
	out = append(out, sliWidget(e, svc, x, period))
	if w, ok := trafficWidget(e, svc, x); ok {
		out = append(out, w)
	}
	return out
}

// burnWidget draws the burn rate over each look-back window the SLO's tiers
// use, with each tier's factor as a line.
func burnWidget(e *plan.Environment, x *plan.SLO) Widget {
	seen := map[time.Duration]bool{}
	var windows []time.Duration
	var lines []line
	for _, t := range x.Tiers {
		for _, w := range []time.Duration{t.Long, t.Short} {
			if !seen[w] {
				seen[w] = true
				windows = append(windows, w)
			}
		}
		lines = append(lines, line{round4(t.Factor), fmt.Sprintf("%s %s/%s ×%s", t.Severity, spec.FormatDuration(t.Long), spec.FormatDuration(t.Short), generated.Num(float64(int64(t.Factor*100+0.5))/100))})
	}
	sort.Slice(windows, func(i, j int) bool { return windows[i] < windows[j] })
	var rows [][]any
	for _, w := range windows {
		m := metrics.BurnRate(x, w)
		rows = append(rows, metricRow(m, map[string]any{"stat": m.Stat, "label": "burn rate " + spec.FormatDuration(w)}))
	}
	if len(rows) == 0 {
		return text(fmt.Sprintf("**%s**: burn-rate alerting is off, so Application Signals computes no burn rate.", x.ID), half, rowHeight)
	}
	return graph(x.ID+": burn rate per look-back window", e.Region, 60, rows, lines, half)
}

// sliWidget draws the SLI: the latency percentiles p50, p90 and p99 (and
// the SLI's own) of its source with the threshold as a line, or the good
// (or bad) and total counts with the good share against the objective.
func sliWidget(e *plan.Environment, svc *plan.Service, x *plan.SLO, period int) Widget {
	if l := x.Latency; l != nil {
		src, ok := metrics.SLISource(svc, x)
		if !ok {
			return text(fmt.Sprintf("**%s**: the SLI's operation %q has no Application Signals service to read from.", x.ID, l.Operation), half, rowHeight)
		}
		stats := []string{"p50", "p90", "p99"}
		if !contains(stats, l.Percentile) {
			stats = append(stats, l.Percentile)
		}
		var rows [][]any
		for _, s := range stats {
			rows = append(rows, metricRow(src, map[string]any{"stat": s, "label": s}))
		}
		return graph(fmt.Sprintf("%s: SLI %s %s/%s", x.ID, l.Percentile, src.Namespace, src.Name), e.Region, period, rows,
			[]line{{l.Threshold, fmt.Sprintf("threshold %s %s", generated.Num(l.Threshold), generated.UnitAbbrev(l.Unit))}}, half)
	}
	r := x.Ratio
	if r == nil {
		return text(fmt.Sprintf("**%s**: no SLI.", x.ID), half, rowHeight)
	}
	if r.Operation != "" {
		if svc.AppSignals == nil {
			return text(fmt.Sprintf("**%s**: the SLI's operation %q has no Application Signals service to read from.", x.ID, r.Operation), half, rowHeight)
		}
		lat := metrics.AppSignalsLatency(svc, r.Operation)
		faults := metrics.AppSignalsFaults(svc, r.Operation)
		return graph(fmt.Sprintf("%s: SLI availability of %s", x.ID, r.Operation), e.Region, period, [][]any{
			metricRow(lat, map[string]any{"id": "total", "stat": "SampleCount", "label": "requests"}),
			metricRow(faults, map[string]any{"id": "faults", "stat": faults.Stat, "label": "faults"}),
			expressionRow("share", "100*(1-faults/total)", "good %"),
		}, []line{{x.Objective, "objective " + generated.Num(x.Objective) + "%"}}, half)
	}
	var rows [][]any
	share := ""
	switch {
	case r.Good != nil:
		rows = append(rows, queryRows(r.Good, "good_", "good")...)
		share = "100*good_result/total_result"
	case r.Bad != nil:
		rows = append(rows, queryRows(r.Bad, "bad_", "bad")...)
		share = "100*(1-bad_result/total_result)"
	}
	rows = append(rows, queryRows(r.Total, "total_", "total")...)
	rows = append(rows, expressionRow("share", share, "good %"))
	return graph(x.ID+": SLI good / bad / total", e.Region, period, rows,
		[]line{{x.Objective, "objective " + generated.Num(x.Objective) + "%"}}, half)
}

// trafficWidget draws the requests per second the SLI counts against the
// load the SLO is stated at.
func trafficWidget(e *plan.Environment, svc *plan.Service, x *plan.SLO) (Widget, bool) {
	rate, ok := metrics.RequestRate(svc, x)
	if !ok {
		return Widget{}, false
	}
	var lines []line
	if x.LoadRPS > 0 {
		label := "load " + generated.Num(x.LoadRPS) + " rps"
		if g := x.LoadGuard; g != nil {
			// The validated-load alarm reads the same expression.
			label += fmt.Sprintf(" (%s after %s above)", g.Severity, spec.FormatDuration(g.For))
		}
		lines = append(lines, line{x.LoadRPS, label})
	}
	var rows [][]any
	for _, in := range rate.Inputs {
		rows = append(rows, metricRow(in.Metric, map[string]any{"id": in.ID, "stat": in.Stat, "visible": false}))
	}
	if rate.Count != "" {
		rows = append(rows, []any{map[string]any{"id": "requests", "expression": rate.Count, "label": "requests", "visible": false}})
	}
	rows = append(rows, expressionRow("rps", rate.Rate, "requests/s"))
	return graph(x.ID+": traffic (requests/s)", e.Region, 60, rows, lines, half), true
}

// canarySection is a canary's success percentage against the 90% its alarm
// watches, and each step's duration against its latency budget.
func canarySection(e *plan.Environment, c *plan.Canary) section {
	name := synthetics.CanaryName(e.Name, c.Name)
	period := int(max(c.Schedule, time.Minute) / time.Second)
	ok := metrics.CanarySuccess(name)
	out := section{graph("canary "+c.Name+": success %", e.Region, period,
		[][]any{metricRow(ok, map[string]any{"stat": ok.Stat, "label": "SuccessPercent"})},
		[]line{{90, "alarm below 90%"}}, half)}
	var rows [][]any
	var lines []line
	for _, st := range c.Steps {
		d := metrics.CanaryStepDuration(name, st.Name)
		rows = append(rows, metricRow(d, map[string]any{"stat": d.Stat, "label": st.Name}))
		if st.LatencyBudget > 0 {
			lines = append(lines, line{float64(st.LatencyBudget.Milliseconds()), st.Name + " budget " + spec.FormatDuration(st.LatencyBudget)})
		}
	}
	if len(rows) > 0 {
		out = append(out, graph("canary "+c.Name+": step duration (ms)", e.Region, period, rows, lines, half))
	}
	return out
}

// rumSection is a RUM monitor's Web Vitals at its budget percentile, each
// against its budget.
func rumSection(e *plan.Environment, r *plan.RUM) section {
	var out section
	vitals := metrics.WebVitals(r, names.RUMName(e.Name, r.Name))
	for _, v := range vitals {
		out = append(out, graph(fmt.Sprintf("RUM %s: %s %s", r.Name, v.Metric.Name, r.Percentile), e.Region, 300,
			[][]any{metricRow(v.Metric, map[string]any{"stat": v.Metric.Stat, "label": r.Percentile})},
			[]line{{v.Budget, "budget " + generated.Num(v.Budget) + v.Unit}}, max(GridWidth/max(len(vitals), 1), 6)))
	}
	if len(out) == 0 {
		out = section{text(fmt.Sprintf("**RUM %s** has no Web Vitals budget.", r.Name), GridWidth, 2)}
	}
	return out
}

// traceLinks links to the X-Ray console for each trace group.
func traceLinks(e *plan.Environment, svc *plan.Service) Widget {
	var b strings.Builder
	b.WriteString("## X-Ray groups\n")
	for _, t := range svc.Traces {
		fmt.Fprintf(&b, "\n* [%s](https://%s.console.aws.amazon.com/xray/home?region=%s#/groups): `%s`", t.Name, e.Region, e.Region, t.Filter)
	}
	return text(b.String(), GridWidth, 2+len(svc.Traces))
}

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
