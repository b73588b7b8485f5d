package plandiff

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/internal/generated"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// kv is one setting of an object as printed, in the object's field order.
type kv struct{ name, value string }

// diffFields returns the settings whose value differs, in the order of new
// (then those only old has). from maps a setting to where its value came
// from; a change of origin is shown beside the new value.
func diffFields(old, new []kv, oldFrom, newFrom map[string]string) []Field {
	oldV := map[string]string{}
	for _, f := range old {
		oldV[f.name] = f.value
	}
	seen := map[string]bool{}
	var out []Field
	for _, f := range new {
		seen[f.name] = true
		if ov := oldV[f.name]; ov != f.value {
			fd := Field{Name: f.name, Old: ov, New: f.value}
			if newFrom[f.name] != oldFrom[f.name] {
				fd.From = newFrom[f.name]
			}
			out = append(out, fd)
		}
	}
	for _, f := range old {
		if !seen[f.name] && f.value != "" {
			out = append(out, Field{Name: f.name, Old: f.value})
		}
	}
	return out
}

// fields lists an object's settings and where the cascading ones came from.
func fields(object any) ([]kv, map[string]string) {
	switch x := object.(type) {
	case *plan.SLO:
		return sloFields(x)
	case *plan.Alarm:
		return alarmFields(x)
	case *plan.Canary:
		return canaryFields(x), nil
	case *plan.RUM:
		return rumFields(x), nil
	case *plan.Trace:
		return traceFields(x), nil
	}
	return nil, nil
}

// summary describes an added or removed object in one line.
func summary(object any) string {
	switch x := object.(type) {
	case *plan.SLO:
		return fmt.Sprintf("%s%% over %s, %s, error budget %s", generated.Num(x.Objective), x.Window, generated.SLI(x), generated.Budget(x))
	case *plan.Alarm:
		return fmt.Sprintf("%s %s, %s", x.Severity, metric(x.Metric), condition(x))
	case *plan.Canary:
		return fmt.Sprintf("%s, every %s, %d %s", x.Severity, spec.FormatDuration(x.Schedule), len(x.Steps), plural(len(x.Steps), "step"))
	case *plan.RUM:
		return fmt.Sprintf("%s, %s", x.Severity, strings.Join(x.Domains, ", "))
	case *plan.Trace:
		return x.Filter
	}
	return ""
}

func sloFields(x *plan.SLO) ([]kv, map[string]string) {
	f := []kv{{"goal", x.Goal}, {"description", x.Description}, {"kind", x.Kind}}
	if l := x.Latency; l != nil {
		src := l.Operation
		if l.Metric != nil {
			src = metric(*l.Metric)
		}
		f = append(f, kv{"sli", src}, kv{"percentile", l.Percentile}, kv{"threshold", generated.Num(l.Threshold) + " " + generated.UnitAbbrev(l.Unit)}, kv{"period", fmt.Sprintf("%ds", l.PeriodSeconds)})
	}
	if r := x.Ratio; r != nil {
		f = append(f, kv{"sli", ratio(r)})
	}
	f = append(f, kv{"objective", generated.Num(x.Objective) + "%"}, kv{"window", x.Window.String()})
	if x.WarningThreshold > 0 {
		f = append(f, kv{"warningThreshold", generated.Num(x.WarningThreshold) + "%"})
	}
	if x.LoadRPS > 0 {
		f = append(f, kv{"load", generated.Num(x.LoadRPS) + " rps"}, kv{"loadGuard", loadGuard(x.LoadGuard)})
	}
	if x.MinRequests > 0 {
		f = append(f, kv{"minRequests", fmt.Sprint(x.MinRequests)})
	}
	if len(x.Tiers) == 0 {
		f = append(f, kv{"alerting", "off"})
	}
	for _, t := range x.Tiers {
		f = append(f, kv{"tier " + t.Name(), fmt.Sprintf("%s%% of the budget in %s, ×%s", generated.Num(generated.Round(t.BudgetPercent, 4)), spec.FormatDuration(t.Long), generated.Num(generated.Round(t.Factor, 4)))})
	}
	for i, e := range x.Exclusions {
		s := fmt.Sprintf("%s for %s", e.Start.Format(time.RFC3339), spec.FormatDuration(e.Duration))
		if e.Recurrence != "" {
			s += ", " + e.Recurrence
		}
		if e.Reason != "" {
			s += " (" + e.Reason + ")"
		}
		f = append(f, kv{fmt.Sprintf("exclusion %d", i+1), s})
	}
	f = append(f, baselineFields(x)...)
	o := x.Origins
	from := ""
	if x.Baseline != nil {
		from = x.Baseline.MaxAgeSrc.From
	}
	return f, map[string]string{"baseline maxAge": from, "objective": o.Objective.From, "window": o.Window.From, "minRequests": o.MinRequests.From, "alerting": o.Alerting.From, "threshold": o.Threshold.From, "loadGuard": loadGuardFrom(x)}
}

// loadGuard is the validated-load guard as one value: severity and duration, or off.
func loadGuard(g *plan.LoadGuard) string {
	if g == nil {
		return "off"
	}
	return fmt.Sprintf("%s after %s above the load", g.Severity, spec.FormatDuration(g.For))
}

// loadGuardFrom is where the guard's settings came from: where it was
// turned off, or the sources of its duration and severity.
func loadGuardFrom(x *plan.SLO) string {
	o := x.Origins
	switch {
	case x.LoadRPS <= 0:
		return ""
	case x.LoadGuard == nil:
		return o.LoadGuardDisabled.From
	case o.LoadGuardFor.From == o.LoadGuardSeverity.From:
		return o.LoadGuardFor.From
	}
	return o.LoadGuardFor.From + ", " + o.LoadGuardSeverity.From
}

func ratio(r *plan.Ratio) string {
	if r.Operation != "" {
		return r.Operation
	}
	q := func(label string, q *plan.Query) string {
		if q == nil {
			return ""
		}
		if q.Metric != nil {
			return label + " " + metric(*q.Metric)
		}
		var in []string
		for _, m := range q.Inputs {
			in = append(in, m.ID+"="+metric(m.Metric))
		}
		return fmt.Sprintf("%s %s [%s]", label, q.Expression, strings.Join(in, "; "))
	}
	return strings.TrimSpace(strings.Join(slices.DeleteFunc([]string{q("good", r.Good), q("bad", r.Bad), q("total", r.Total)}, func(s string) bool { return s == "" }), ", "))
}

func metric(m plan.Metric) string {
	s := m.Namespace + " " + m.Name
	for _, d := range m.Dimensions {
		s += " " + d.Name + "=" + d.Value
	}
	if m.Unit != "" {
		s += " (" + m.Unit + ")"
	}
	return s
}

var comparisonSigns = map[string]string{
	"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": "≥", "LessThanThreshold": "<", "LessThanOrEqualToThreshold": "≤",
}

// condition says when an alarm fires: "p99 > 0.3", "Sum outside band 3 (both)".
func condition(a *plan.Alarm) string {
	if a.Anomaly != nil {
		return fmt.Sprintf("%s outside anomaly band %s (%s)", a.Statistic, generated.Num(a.Anomaly.Band), a.Anomaly.Direction)
	}
	return fmt.Sprintf("%s %s %s", a.Statistic, comparisonSigns[a.Comparison], generated.Num(a.Threshold))
}

func alarmFields(a *plan.Alarm) ([]kv, map[string]string) {
	f := []kv{{"description", a.Description}, {"metric", metric(a.Metric)}, {"statistic", a.Statistic}}
	if a.Anomaly != nil {
		f = append(f, kv{"anomaly band", fmt.Sprintf("%s (%s)", generated.Num(a.Anomaly.Band), a.Anomaly.Direction)})
	} else {
		f = append(f, kv{"threshold", comparisonSigns[a.Comparison] + " " + generated.Num(a.Threshold)})
	}
	f = append(f, kv{"period", fmt.Sprintf("%ds", a.PeriodSeconds)}, kv{"evaluationPeriods", fmt.Sprint(a.EvaluationPeriods)},
		kv{"datapointsToAlarm", fmt.Sprint(a.DatapointsToAlarm)}, kv{"missingData", a.MissingData}, kv{"severity", a.Severity})
	if a.MinSamples > 0 {
		f = append(f, kv{"minSamples", fmt.Sprint(a.MinSamples)})
	}
	o := a.Origins
	return f, map[string]string{"period": o.Period.From, "evaluationPeriods": o.EvaluationPeriods.From, "datapointsToAlarm": o.DatapointsToAlarm.From,
		"missingData": o.MissingData.From, "severity": o.Severity.From, "threshold": o.Threshold.From}
}

func canaryFields(c *plan.Canary) []kv {
	f := []kv{{"description", c.Description}, {"schedule", spec.FormatDuration(c.Schedule)}, {"timeout", spec.FormatDuration(c.Timeout)}, {"severity", c.Severity}}
	for _, k := range sortedKeys(c.Env) {
		f = append(f, kv{"env " + k, c.Env[k]})
	}
	for _, st := range c.Steps {
		s := fmt.Sprintf("%s %s → %d", st.Method, st.URL, st.ExpectStatus)
		if st.LatencyBudget > 0 {
			s += ", within " + spec.FormatDuration(st.LatencyBudget)
		}
		if st.Body != "" {
			s += ", body " + fmt.Sprintf("%q", st.Body)
		}
		for _, h := range sortedKeys(st.Headers) {
			s += fmt.Sprintf(", %s: %s", h, st.Headers[h])
		}
		f = append(f, kv{"step " + st.Name, s})
	}
	return f
}

func rumFields(r *plan.RUM) []kv {
	f := []kv{{"domains", strings.Join(r.Domains, ", ")}, {"sampleRate", generated.Num(r.SampleRate)}, {"telemetries", strings.Join(r.Telemetries, ", ")},
		{"xray", fmt.Sprint(r.XRay)}, {"cwLogs", fmt.Sprint(r.CWLogs)}, {"allowCookies", fmt.Sprint(r.AllowCookies)}, {"severity", r.Severity}, {"percentile", r.Percentile}}
	if r.LCP > 0 {
		f = append(f, kv{"lcp", spec.FormatDuration(r.LCP)})
	}
	if r.INP > 0 {
		f = append(f, kv{"inp", spec.FormatDuration(r.INP)})
	}
	if r.CLS != nil {
		f = append(f, kv{"cls", generated.Num(*r.CLS)})
	}
	return f
}

func traceFields(t *plan.Trace) []kv {
	f := []kv{{"filter", t.Filter}, {"insights", fmt.Sprint(t.Insights)}, {"notifications", fmt.Sprint(t.Notifications)}}
	if s := t.Sampling; s != nil {
		f = append(f, kv{"sampling", fmt.Sprintf("rate %s, reservoir %d/s, priority %d, path %s", generated.Num(s.Rate), s.Reservoir, s.Priority, defaultStr(s.URLPath, "*"))})
	}
	return f
}

func defaultStr(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func serviceFields(s *plan.Service) []kv {
	f := []kv{{"owner", s.Owner}, {"tier", fmt.Sprint(s.Tier)}, {"runbook", s.Runbook}, {"description", s.Description},
		{"page routes", strings.Join(s.Page, ", ")}, {"ticket routes", strings.Join(s.Ticket, ", ")}}
	if a := s.AppSignals; a != nil {
		f = append(f, kv{"applicationSignals", a.Name + " in " + a.Environment})
	}
	for _, k := range sortedKeys(s.Tags) {
		f = append(f, kv{"tag " + k, s.Tags[k]})
	}
	return f
}

func routeFields(r *plan.Route) []kv {
	return []kv{{"type", r.Type}, {"secret", r.Secret}, {"region", r.Region}, {"channel", r.Channel}, {"emails", strings.Join(r.Emails, ", ")}, {"description", r.Description}}
}

func routeSummary(r *plan.Route) string {
	switch {
	case r.Channel != "":
		return r.Type + " " + r.Channel
	case len(r.Emails) > 0:
		return r.Type + " " + strings.Join(r.Emails, ", ")
	}
	return r.Type + " " + r.Secret
}

// sloEffects says what follows from an SLO's change: its error budget, and
// the burn rate and bad share at which each tier fires.
func sloEffects(o, n *plan.SLO) []string {
	var out []string
	ov, ounit := generated.BudgetAmount(o)
	nv, nunit := generated.BudgetAmount(n)
	if ob, nb := generated.Budget(o), generated.Budget(n); ob != nb {
		if ounit == nunit && ov > 0 && nv > 0 && o.LoadRPS == n.LoadRPS {
			// "from 201.6 to 40.3 bad minutes": the numbers, then the unit once.
			oldNum, _ := strings.CutSuffix(ob, budgetUnit(n))
			if ounit == "% of requests" {
				oldNum += "%" // "from 0.1% to 0.05% of requests"
			}
			change := budgetChange(nv / ov)
			sep := " "
			if strings.Contains(change, " by ") {
				sep = ", "
			}
			out = append(out, fmt.Sprintf("%s%sfrom %s to %s", change, sep, oldNum, nb))
		} else if ounit == nunit && ov > 0 && nv > 0 {
			out = append(out, fmt.Sprintf("%s: %s → %s", budgetChange(nv/ov), ob, nb))
		} else {
			out = append(out, fmt.Sprintf("error budget %s → %s", ob, nb))
		}
	}
	oldTiers := map[string]plan.Tier{}
	for _, t := range o.Tiers {
		oldTiers[t.Name()] = t
	}
	for _, t := range n.Tiers {
		ot, ok := oldTiers[t.Name()]
		if !ok {
			continue
		}
		oFactor, nFactor := generated.Round(ot.Factor, 4), generated.Round(t.Factor, 4)
		oBad, nBad := badShare(ot.Factor, o.Objective), badShare(t.Factor, n.Objective)
		if oFactor == nFactor && oBad == nBad {
			continue
		}
		what := "minutes are bad"
		if n.Kind == "availability" {
			what = "requests fail"
		}
		s := fmt.Sprintf("tier %s fires when over %s of %s (was %s)", t.Name(), nBad, what, oBad)
		if oFactor != nFactor {
			s = fmt.Sprintf("tier %s: its alarm fires above burn rate %s (was %s), when over %s of %s (was %s)",
				t.Name(), generated.Num(nFactor), generated.Num(oFactor), nBad, what, oBad)
		}
		out = append(out, s)
	}
	return out
}

// budgetUnit is what follows the number in generated.Budget of x.
func budgetUnit(x *plan.SLO) string {
	b := generated.Budget(x)
	if i := strings.IndexAny(b, " %"); i >= 0 {
		return b[i:]
	}
	return ""
}

// badShare is the share of bad minutes or failed requests at which a burn
// rate of factor is reached: factor × (1 − objective), at most 100%.
func badShare(factor, objective float64) string {
	return generated.Num(generated.Round(math.Min(100, factor*(100-objective)), 4)) + "%"
}

// budgetChange says how a budget changes by ratio r (new/old).
func budgetChange(r float64) string {
	near := func(x float64) bool { return math.Abs(r-x) < 0.01*x }
	switch {
	case near(0.5):
		return "halves the error budget"
	case near(2):
		return "doubles the error budget"
	case near(1):
		return "keeps the error budget"
	case r < 1:
		return fmt.Sprintf("cuts the error budget by %s%%", generated.Num(generated.Round((1-r)*100, 1)))
	}
	return fmt.Sprintf("multiplies the error budget by %s", generated.Num(generated.Round(r, 2)))
}
