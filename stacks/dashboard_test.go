package stacks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/dashboards"
)

// cfnTemplate is the part of a template the dashboard checks read.
type cfnTemplate struct {
	Resources map[string]struct {
		Type       string
		Properties map[string]any
	}
}

func goldenTemplates(t *testing.T) map[string]cfnTemplate {
	t.Helper()
	files, err := filepath.Glob("testdata/golden/*.template.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden templates (%v)", err)
	}
	out := map[string]cfnTemplate{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tpl cfnTemplate
		if err := json.Unmarshal(b, &tpl); err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".template.json")] = tpl
	}
	return out
}

// metricKey identifies a metric: namespace, name and dimensions in name order.
func metricKey(ns, name string, dims map[string]string) string {
	keys := make([]string, 0, len(dims))
	for k := range dims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(ns + "|" + name)
	for _, k := range keys {
		fmt.Fprintf(&b, "|%s=%s", k, dims[k])
	}
	return b.String()
}

func str(v any) string { s, _ := v.(string); return s }

// cfnMetric reads a {Namespace, MetricName, Dimensions: [{Name, Value}]} object.
func cfnMetric(m map[string]any) string {
	dims := map[string]string{}
	ds, _ := m["Dimensions"].([]any)
	for _, d := range ds {
		d := d.(map[string]any)
		dims[str(d["Name"])] = str(d["Value"])
	}
	return metricKey(str(m["Namespace"]), str(m["MetricName"]), dims)
}

// walkMetrics finds every MetricStat.Metric under v.
func walkMetrics(v any, add func(string)) {
	switch v := v.(type) {
	case map[string]any:
		if ms, ok := v["MetricStat"].(map[string]any); ok {
			if m, ok := ms["Metric"].(map[string]any); ok {
				add(cfnMetric(m))
			}
		}
		for _, x := range v {
			walkMetrics(x, add)
		}
	case []any:
		for _, x := range v {
			walkMetrics(x, add)
		}
	}
}

// declared is what a template declares or AWS emits for what it declares:
// the metrics its alarms evaluate and its SLIs read; per SLO the
// Application Signals SLO metrics (AttainmentRate, ErrorBudgetRemaining,
// BurnRate per configured window); per SLI operation the Application
// Signals service metrics; per canary its Synthetics metrics (per step
// its script names); per app monitor its RUM Web Vitals. It also returns
// the template's alarm names.
func declared(tpl cfnTemplate, metrics, alarms map[string]bool) {
	add := func(k string) { metrics[k] = true }
	for _, r := range tpl.Resources {
		p := r.Properties
		switch r.Type {
		case "AWS::CloudWatch::Alarm":
			alarms[str(p["AlarmName"])] = true
			if p["MetricName"] != nil {
				add(cfnMetric(p))
			}
			walkMetrics(p["Metrics"], add)
		case "AWS::CloudWatch::CompositeAlarm":
			alarms[str(p["AlarmName"])] = true
		case "AWS::ApplicationSignals::ServiceLevelObjective":
			name := str(p["Name"])
			for _, m := range []string{"AttainmentRate", "ErrorBudgetRemaining"} {
				add(metricKey("AWS/ApplicationSignals", m, map[string]string{"SloName": name}))
			}
			brc, _ := p["BurnRateConfigurations"].([]any)
			for _, c := range brc {
				w := c.(map[string]any)["LookBackWindowMinutes"]
				add(metricKey("AWS/ApplicationSignals", "BurnRate", map[string]string{"SloName": name, "BurnRateWindowMinutes": fmt.Sprint(w)}))
			}
			walkMetrics(p, add)
			for _, sli := range []string{"Sli", "RequestBasedSli"} {
				s, _ := p[sli].(map[string]any)
				var m map[string]any
				if s != nil {
					m, _ = s["SliMetric"].(map[string]any)
					if m == nil {
						m, _ = s["RequestBasedSliMetric"].(map[string]any)
					}
				}
				if m == nil || m["OperationName"] == nil {
					continue
				}
				ka := m["KeyAttributes"].(map[string]any)
				dims := map[string]string{"Environment": str(ka["Environment"]), "Operation": str(m["OperationName"]), "Service": str(ka["Name"])}
				for _, name := range []string{"Latency", "Fault", "Error"} {
					add(metricKey("ApplicationSignals", name, dims))
				}
			}
		case "AWS::Synthetics::Canary":
			name := str(p["Name"])
			add(metricKey("CloudWatchSynthetics", "SuccessPercent", map[string]string{"CanaryName": name}))
			script := str(p["Code"].(map[string]any)["Script"])
			for _, step := range stepNames(script) {
				add(metricKey("CloudWatchSynthetics", "Duration", map[string]string{"CanaryName": name, "StepName": step}))
			}
		case "AWS::RUM::AppMonitor":
			for _, m := range []string{"WebVitalsLargestContentfulPaint", "WebVitalsInteractionToNextPaint", "WebVitalsCumulativeLayoutShift"} {
				add(metricKey("AWS/RUM", m, map[string]string{"application_name": str(p["Name"])}))
			}
		}
	}
}

// stepNames are the step names a canary script passes to executeStep.
func stepNames(script string) []string {
	var out []string
	for _, part := range strings.Split(script, "executeStep(")[1:] {
		if q := strings.IndexAny(part, "'\"`"); q >= 0 {
			rest := part[q+1:]
			if end := strings.IndexByte(rest, part[q]); end >= 0 {
				out = append(out, rest[:end])
			}
		}
	}
	return out
}

// dashboardWidgets are the widgets of every dashboard of a template.
func dashboardWidgets(t *testing.T, tpl cfnTemplate) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, r := range tpl.Resources {
		if r.Type != "AWS::CloudWatch::Dashboard" {
			continue
		}
		var body struct{ Widgets []map[string]any }
		if err := json.Unmarshal([]byte(str(r.Properties["DashboardBody"])), &body); err != nil {
			t.Fatal(err)
		}
		out[str(r.Properties["DashboardName"])] = body.Widgets
	}
	return out
}

// TestDashboardMetricsDeclared: every metric a dashboard of the default
// catalog draws is one the environment's templates declare (an alarm
// evaluates it, an SLI reads it) or one AWS emits for a resource they
// declare; and the alarm status widgets of a service show exactly the
// alarms of its stack. Both are read from the golden templates.
func TestDashboardMetricsDeclared(t *testing.T) {
	tpls := goldenTemplates(t)
	envMetrics := map[string]map[string]bool{}
	for name, tpl := range tpls {
		env := strings.SplitN(name, "-", 3)[1]
		if envMetrics[env] == nil {
			envMetrics[env] = map[string]bool{}
		}
		declared(tpl, envMetrics[env], map[string]bool{})
	}
	dashboardsSeen, metricsSeen := 0, 0
	for name, tpl := range tpls {
		env := strings.SplitN(name, "-", 3)[1]
		alarms := map[string]bool{}
		declared(tpl, map[string]bool{}, alarms)
		shown := map[string]bool{}
		ds := dashboardWidgets(t, tpl)
		if len(ds) == 0 {
			t.Errorf("%s: no dashboard", name)
		}
		for dname, widgets := range ds {
			dashboardsSeen++
			for _, w := range widgets {
				props := w["properties"].(map[string]any)
				if arns, ok := props["alarms"].([]any); ok {
					for _, a := range arns {
						s := str(a)
						shown[s[strings.Index(s, ":alarm:")+len(":alarm:"):]] = true
					}
				}
				rows, _ := props["metrics"].([]any)
				for _, row := range rows {
					row := row.([]any)
					if _, expr := row[0].(map[string]any); expr {
						continue
					}
					dims := map[string]string{}
					for i := 2; i+1 < len(row); i += 2 {
						if k, ok := row[i].(string); ok {
							dims[k] = str(row[i+1])
						}
					}
					key := metricKey(str(row[0]), str(row[1]), dims)
					metricsSeen++
					if !envMetrics[env][key] {
						t.Errorf("%s: dashboard %s draws %s, which nothing in %s declares", name, dname, key, env)
					}
				}
			}
		}
		if strings.HasSuffix(name, "-routing") {
			continue
		}
		for a := range alarms {
			if !shown[a] {
				t.Errorf("%s: alarm %s is on no alarm status widget", name, a)
			}
		}
		for a := range shown {
			if !alarms[a] {
				t.Errorf("%s: an alarm status widget shows %s, which the stack does not make", name, a)
			}
		}
	}
	t.Logf("%d dashboards, %d metric rows checked", dashboardsSeen, metricsSeen)
}

// TestDashboardPartAnchored: a split service whose alarms shrank from three
// pages to two (issue 18: one alarm per burn-rate tier) keeps every page in
// the part it was in, because the pages are counted from the three pages
// that showed alarms before (dashboards.AlarmPagesBefore18).
func TestDashboardPartAnchored(t *testing.T) {
	pages := func(alarms ...int) []dashboards.Dashboard {
		out := make([]dashboards.Dashboard, len(alarms))
		for i, a := range alarms {
			out[i].Alarms = a
		}
		return out
	}
	before := pages(800, 900, 257, 0, 0, 0, 0, 0)
	after := pages(900, 97, 0, 0, 0, 0, 0)
	for i := range after {
		// Before, the pages that showed alarms were the anchor (anchored 0 is
		// the rule of the day: only pages with alarms stay in the last part).
		if got, want := DashboardPart(after, 3, i, 7), DashboardPart(before, 0, i, 7); got != want {
			t.Errorf("page %d: part %d, was %d", i+1, got, want)
		}
	}
	if got := DashboardPart(after, 0, 3, 7); got == DashboardPart(before, 0, 3, 7) {
		t.Error("without the anchor the metric pages should move (the test would prove nothing)")
	}
}
