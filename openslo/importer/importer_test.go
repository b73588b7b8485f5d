package importer

import (
	"os"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/openslo/catalogyaml"
	"github.com/slocatalog/slocatalog/pipeline"
)

// sloDoc is an SLO on a CloudWatch latency metric; the test cases replace
// its window, method and policies.
func sloDoc(window, method, objective, policies string) string {
	return `apiVersion: openslo/v1
kind: SLO
metadata: {name: api-latency}
spec:
  service: api
  indicator:
    metadata: {name: api-p99}
    spec:
      thresholdMetric:
        metricSource:
          type: CloudWatch
          spec: {namespace: AWS/ApplicationELB, metricName: TargetResponseTime, stat: p99, unit: Seconds}
  timeWindow:
` + window + `
  budgetingMethod: ` + method + `
  objectives:
` + objective + `
  alertPolicies:
` + policies + "\n"
}

const (
	rolling28   = "    - {duration: 28d, isRolling: true}"
	latencyObj  = "    - {op: lt, value: 0.3, target: 0.995, timeSliceWindow: 1m}"
	noPolicies  = "    []"
	pagePolicy  = "    - alertPolicyRef: fast"
	fastPolicy  = "\n---\napiVersion: openslo/v1\nkind: AlertPolicy\nmetadata: {name: fast}\nspec:\n  conditions: [{conditionRef: fast}]\n  notificationTargets: [{targetRef: pd}]\n"
	pdTarget    = "---\napiVersion: openslo/v1\nkind: AlertNotificationTarget\nmetadata: {name: pd}\nspec: {target: pagerduty}\n"
	fastCondFmt = "---\napiVersion: openslo/v1\nkind: AlertCondition\nmetadata: {name: fast}\nspec:\n  severity: %SEV%\n  condition: {kind: burnrate, op: %OP%, threshold: 13.44, lookbackWindow: 1h%AFTER%}\n"
)

func importText(t *testing.T, text string) (*Result, openslo.Problems) {
	t.Helper()
	objs, probs := openslo.Read("in.yaml", []byte(text))
	if len(probs) > 0 {
		return nil, probs
	}
	res, probs := Import(objs, Options{Org: "acme", Envs: []Env{{"prod", "123456789012", "eu-west-1"}}})
	if len(probs) > 0 {
		return nil, probs
	}
	return res, nil
}

func TestWindows(t *testing.T) {
	for _, tc := range []struct {
		window, want, problem string
	}{
		{rolling28, "28d", ""},
		{"    - {duration: 4w, isRolling: true}", "28d", ""},
		{"    - {duration: 1M, isRolling: false, calendar: {startTime: '2026-01-01 00:00:00', timeZone: UTC}}", "calendar-month", ""},
		{"    - {duration: 1Q, calendar: {startTime: '2026-01-01 00:00:00', timeZone: UTC}}", "", "spec.timeWindow[0].duration: calendar-aligned window 1Q"},
		{"    - {duration: 1m, calendar: {startTime: '2026-01-01 00:00:00', timeZone: UTC}}", "", "(m is minutes; a month is M)"},
		{"    - {duration: 1M, isRolling: true}", "", "rolling window 1M: the catalog's rolling windows are whole days"},
		{"    - {duration: 28 days, isRolling: true}", "", `"28 days" is not a duration shorthand`},
		{"    - {duration: 60w, isRolling: true}", "", "rolling window 60w: the catalog's rolling windows are whole days from 1d to 365d"},
	} {
		res, probs := importText(t, sloDoc(tc.window, "Timeslices", latencyObj, noPolicies))
		if tc.problem != "" {
			if !strings.Contains(probs.Error(), tc.problem) {
				t.Errorf("%s: problems %q, want one containing %q", tc.window, probs.Error(), tc.problem)
			}
			continue
		}
		if len(probs) > 0 {
			t.Fatalf("%s: %v", tc.window, probs)
		}
		if got := res.File.Services[0].SLOs[0].Window.String(); got != tc.want {
			t.Errorf("%s: window %s, want %s", tc.window, got, tc.want)
		}
	}
}

func TestBurnRateConditions(t *testing.T) {
	for _, tc := range []struct {
		sev, op, after     string
		budget, short, bad string
	}{
		{sev: "page", op: "gt", after: ", alertAfter: 5m", budget: "2%", short: "5m"},
		{sev: "page", op: "gt", budget: "2%", short: "5m"}, // 1/12 of 1h
		{sev: "ticket", op: "gte", after: ", alertAfter: 10m", budget: "2%", short: "10m"},
		{sev: "sev1", op: "gt", bad: `severity "sev1": the catalog's severities are page`},
		{sev: "page", op: "lt", bad: "spec.conditions[0].condition.op: op lt"},
		{sev: "page", op: "gt", after: ", alertAfter: 2h", bad: "alertAfter becomes the short window"},
	} {
		cond := strings.NewReplacer("%SEV%", tc.sev, "%OP%", tc.op, "%AFTER%", tc.after).Replace(fastCondFmt)
		res, probs := importText(t, sloDoc(rolling28, "Timeslices", latencyObj, pagePolicy)+fastPolicy+pdTarget+cond)
		if tc.bad != "" {
			if !strings.Contains(probs.Error(), tc.bad) {
				t.Errorf("%+v: problems %q, want %q", tc, probs.Error(), tc.bad)
			}
			continue
		}
		if len(probs) > 0 {
			t.Fatalf("%+v: %v", tc, probs)
		}
		tier := res.File.Services[0].SLOs[0].Alerting.Tiers[0]
		if tier.Budget.String() != tc.budget || tier.ShortWindow.String() != tc.short || tier.LongWindow.String() != "1h" {
			t.Errorf("%+v: tier %s %s/%s %s", tc, tier.Severity, tier.LongWindow, tier.ShortWindow, tier.Budget)
		}
		r := res.File.Routes[0]
		if r.ID != "pd" || r.Type != "pagerduty" || r.Secret != "acme/oncall/pd" || !strings.Contains(res.Comments[r].Line["secret"], FillIn) {
			t.Errorf("route %+v, comment %v: want pd, pagerduty, acme/oncall/pd flagged %s", r, res.Comments[r], FillIn)
		}
	}
}

func TestMethodsAndSources(t *testing.T) {
	ratio := func(good, total, method, objective string) string {
		return `apiVersion: openslo/v1
kind: SLO
metadata: {name: orders}
spec:
  service: shop
  indicator:
    metadata: {name: orders}
    spec:
      ratioMetric:
        good: {metricSource: ` + good + `}
        total: {metricSource: ` + total + `}
  timeWindow: [{duration: 30d, isRolling: true}]
  budgetingMethod: ` + method + `
  objectives: [` + objective + `]
`
	}
	cw := `{type: CloudWatch, spec: {namespace: Shop, metricName: Orders, stat: Sum}}`
	for _, tc := range []struct {
		name, text, problem string
	}{
		{"occurrences ratio", ratio(cw, cw, "Occurrences", "{target: 0.999}"), ""},
		{"targetPercent", ratio(cw, cw, "Occurrences", "{targetPercent: 99.9}"), ""},
		{"ratio timeslices", ratio(cw, cw, "Timeslices", "{target: 0.999, timeSliceTarget: 0.9, timeSliceWindow: 1m}"), "spec.budgetingMethod: Timeslices with a ratioMetric"},
		{"threshold occurrences", sloDoc(rolling28, "Occurrences", latencyObj, noPolicies), "spec.budgetingMethod: Occurrences with a thresholdMetric"},
		{"datadog", ratio(`{type: Datadog, spec: {query: "sum:hits{*}"}}`, cw, "Occurrences", "{target: 0.99}"), "SLO orders: spec.indicator.spec.ratioMetric.good.metricSource.type: metric source Datadog has no CloudWatch mapping; give one with --map FILE or edit the output"},
		{"sql", ratio(`{type: CloudWatch, spec: {sql: "SELECT 1"}}`, cw, "Occurrences", "{target: 0.99}"), "good.metricSource.spec.sql: CloudWatch Metrics Insights"},
		{"unknown CloudWatch field", ratio(`{type: CloudWatch, spec: {namespace: A, metricName: B, stat: Sum, period: 60}}`, cw, "Occurrences", "{target: 0.99}"), "field period not found in CloudWatchSpec"},
		{"two results", ratio(`{type: CloudWatch, spec: {json: '[{"Id":"a","Expression":"1"},{"Id":"b","Expression":"2"}]'}}`, cw, "Occurrences", "{target: 0.99}"), "queries a and b both return data"},
		{"target 1", ratio(cw, cw, "Occurrences", "{target: 1}"), "spec.objectives[0].target: target 1 is out of range"},
		{"mean latency", strings.Replace(sloDoc(rolling28, "Timeslices", latencyObj, noPolicies), "stat: p99", "stat: Average", 1), `stat "Average": the catalog's latency SLI compares a percentile`},
		{"op above", sloDoc(rolling28, "Timeslices", "    - {op: gt, value: 0.3, target: 0.995}", noPolicies), "spec.objectives[0].op: op gt"},
		{"missing SLI", strings.Replace(ratio(cw, cw, "Occurrences", "{target: 0.99}"), "  indicator:\n    metadata: {name: orders}\n    spec:\n      ratioMetric:\n        good: {metricSource: "+cw+"}\n        total: {metricSource: "+cw+"}\n", "  indicatorRef: nowhere\n", 1), "spec.indicatorRef: nowhere names no SLI in the input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, probs := importText(t, tc.text)
			if tc.problem == "" {
				if len(probs) > 0 {
					t.Fatal(probs)
				}
				if res.File.Services[0].SLOs[0].Objective.String() != "99.9%" {
					t.Errorf("objective %s, want 99.9%%", res.File.Services[0].SLOs[0].Objective)
				}
				return
			}
			if !strings.Contains(probs.Error(), tc.problem) {
				t.Errorf("problems:\n%s\nwant one containing %q", probs.Error(), tc.problem)
			}
		})
	}
}

func TestReadMap(t *testing.T) {
	for _, tc := range []struct{ text, err string }{
		{"queries:\n  - {slo: a, metric: {namespace: N, name: M}}\n", ""},
		{"queries:\n  - {metric: {namespace: N, name: M}}\n", "give at least one of slo, part, type, query"},
		{"queries:\n  - {slo: a}\n", "give metric, or expression and metrics"},
		{"queries:\n  - {slo: a, part: numerator, metric: {namespace: N, name: M}}\n", `part "numerator"`},
		{"query: []\n", "field query not found"},
	} {
		_, err := ReadMap("map.yaml", []byte(tc.text))
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.err)
		}
	}
}

// TestImportValidates holds the writer to the catalog's own checks: an
// import with every kind of object loads without diagnostics.
func TestImportValidates(t *testing.T) {
	cond := strings.NewReplacer("%SEV%", "page", "%OP%", "gt", "%AFTER%", "").Replace(fastCondFmt)
	res, probs := importText(t, sloDoc(rolling28, "Timeslices", latencyObj, pagePolicy)+fastPolicy+pdTarget+cond)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	b, err := catalogyaml.Write(res.File, res.Comments, []string{"# test"})
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/c.yaml"
	if err := writeFile(path, b); err != nil {
		t.Fatal(err)
	}
	if _, _, err := pipeline.Check(path); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	for _, want := range []string{"# test\n", "# from SLO api-latency (in.yaml, document 1)", "budget: 2% # burn rate 13.44 × 1h / 28d window", "secret: acme/oncall/pd # FILL IN"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("output lacks %q:\n%s", want, b)
		}
	}
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }
