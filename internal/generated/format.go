package generated

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// Num renders a number in its shortest form: 99.95, 13.44, 300.
func Num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Round rounds f to digits decimal places.
func Round(f float64, digits int) float64 {
	p, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', digits, 64), 64)
	return p
}

// Thousands renders a whole number with thousands separators: 1,209,600.
func Thousands(f float64) string {
	s := strconv.FormatFloat(f, 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && c != '-' && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// UnitAbbrev abbreviates a CloudWatch unit: Milliseconds as ms.
func UnitAbbrev(u string) string {
	switch u {
	case "Milliseconds":
		return "ms"
	case "Seconds":
		return "s"
	case "Microseconds":
		return "µs"
	}
	return u
}

// SLI describes an SLO's indicator in one line.
func SLI(x *plan.SLO) string {
	switch {
	case x.Latency != nil:
		src := x.Latency.Operation
		if x.Latency.Metric != nil {
			src = x.Latency.Metric.Namespace + "/" + x.Latency.Metric.Name
		}
		return fmt.Sprintf("latency %s < %s %s per %ds [%s]", x.Latency.Percentile, Num(x.Latency.Threshold), UnitAbbrev(x.Latency.Unit), x.Latency.PeriodSeconds, src)
	case x.Ratio != nil && x.Ratio.Operation != "":
		return fmt.Sprintf("availability [%s]", x.Ratio.Operation)
	case x.Ratio != nil && x.Ratio.Bad != nil:
		return "availability 1 - bad/total"
	}
	return "availability good/total"
}

// BudgetAmount is an SLO's error budget as one number and its unit: bad
// minutes (latency SLIs, period-based), failed requests at the SLO's load
// (availability SLIs with a load), or a share of requests.
func BudgetAmount(x *plan.SLO) (float64, string) {
	switch {
	case x.Kind == "latency":
		return x.Budget.Minutes, "bad minutes"
	case x.Budget.Requests > 0:
		return x.Budget.Requests, "failed requests"
	}
	return x.Budget.Fraction * 100, "% of requests"
}

// Budget renders an SLO's error budget: "201.6 bad minutes", "1,209,600
// failed requests at 8,000 rps", "0.05% of requests".
func Budget(x *plan.SLO) string {
	v, unit := BudgetAmount(x)
	return FormatBudget(v, unit, x.LoadRPS)
}

// FormatBudget renders an amount of BudgetAmount.
func FormatBudget(v float64, unit string, loadRPS float64) string {
	switch unit {
	case "bad minutes":
		return Num(Round(v, 1)) + " bad minutes"
	case "failed requests":
		return fmt.Sprintf("%s failed requests at %s rps", Thousands(v), Thousands(loadRPS))
	}
	return Num(Round(v, 6)) + "% of requests"
}

// Tier renders a burn-rate tier: page 1h/5m ×13.44 (2% of the budget).
func Tier(t plan.Tier) string {
	return fmt.Sprintf("%s %s/%s ×%s (%s%% of the budget)", t.Severity, spec.FormatDuration(t.Long), spec.FormatDuration(t.Short), Num(Round(t.Factor, 4)), Num(Round(t.BudgetPercent, 4)))
}

// MarkdownCode renders s as a Markdown code span, with a fence longer than
// any run of backticks in it; a | is escaped so that it holds in a table.
func MarkdownCode(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + strings.ReplaceAll(oneLine(s), "|", `\|`) + fence
}

// markdownSpecial are the characters that would start emphasis, links,
// HTML or tables in text we did not write.
var markdownSpecial = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `&lt;`, ">", `&gt;`, "|", `\|`, "#", `\#`)

// MarkdownText makes catalog text literal in Markdown, on one line (it
// may stand in a table cell).
func MarkdownText(s string) string { return markdownSpecial.Replace(oneLine(s)) }

// oneLine joins the lines of s with spaces.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
