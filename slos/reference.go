package slos

import (
	"fmt"
	"reflect"
	"strings"
)

// referenceTypes are the catalog objects in the order the reference shows them.
var referenceTypes = []reflect.Type{
	reflect.TypeOf(File{}), reflect.TypeOf(Org{}), reflect.TypeOf(Defaults{}),
	reflect.TypeOf(SLODefaults{}), reflect.TypeOf(AlarmDefaults{}), reflect.TypeOf(CanaryDefaults{}),
	reflect.TypeOf(DashboardDefaults{}), reflect.TypeOf(LoadGuard{}), reflect.TypeOf(Environment{}), reflect.TypeOf(Override{}), reflect.TypeOf(Route{}),
	reflect.TypeOf(Service{}), reflect.TypeOf(Oncall{}), reflect.TypeOf(AppSignalsService{}),
	reflect.TypeOf(SLO{}), reflect.TypeOf(SLI{}), reflect.TypeOf(LatencySLI{}), reflect.TypeOf(RatioSLI{}),
	reflect.TypeOf(MetricQuery{}), reflect.TypeOf(Metric{}), reflect.TypeOf(Exclusion{}),
	reflect.TypeOf(Alerting{}), reflect.TypeOf(BurnTier{}), reflect.TypeOf(Alarm{}), reflect.TypeOf(Anomaly{}),
	reflect.TypeOf(Canary{}), reflect.TypeOf(CanaryStep{}), reflect.TypeOf(RUMMonitor{}), reflect.TypeOf(RUMOptions{}),
	reflect.TypeOf(WebVitals{}), reflect.TypeOf(TraceGroup{}), reflect.TypeOf(Sampling{}),
}

// Reference renders docs/catalog.md: every object of the catalog, each key
// with its type, whether it is required, its description, and an example.
// The examples (reference_examples.go) are decoded by a test, so they stay valid.
func Reference() string {
	var b strings.Builder
	b.WriteString("<!-- Generated from slos/types.go and slos/reference_examples.go by\n     go test ./slos -run TestReferenceIsCurrent -update. Do not edit. -->\n")
	b.WriteString("# Catalog reference\n\n")
	b.WriteString("A catalog is a folder of YAML files (or one file). Each file may hold any of `org`, `environments`, `routes` and `services`; lists from all files are joined, and `org` is set in exactly one file. Unknown keys are errors. Durations take a unit (`300ms`, `60s`, `5m`, `1h`, `28d`, `1w`); percentages take a `%` sign (`99.9%`); rates take `rps` (`8000rps`).\n\n")
	b.WriteString("Settings under `defaults` cascade: org → environment → service → the SLO, alarm or canary itself, and an environment's `overrides` win over all of them in that environment. `slocat explain SERVICE/ID` prints each effective value and where it came from.\n\n")
	b.WriteString("Contents: ")
	for i, t := range referenceTypes {
		if i > 0 {
			b.WriteString(" · ")
		}
		fmt.Fprintf(&b, "[%s](#%s)", objectName(t), strings.ToLower(t.Name()))
	}
	b.WriteString("\n")
	for _, t := range referenceTypes {
		fmt.Fprintf(&b, "\n<a id=\"%s\"></a>\n## %s\n\n", strings.ToLower(t.Name()), objectName(t))
		if d := typeDocs[t.Name()]; d != "" {
			b.WriteString(d + "\n\n")
		}
		b.WriteString("| key | type | required | description |\n|---|---|---|---|\n")
		si := infoOf(t)
		for _, f := range si.fields {
			req := ""
			if f.required {
				req = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.name, typeName(t.Field(f.index).Type, f.enum), req, strings.ReplaceAll(f.doc, "|", "\\|"))
		}
		if ex, ok := referenceExamples[t.Name()]; ok {
			fmt.Fprintf(&b, "\nExample:\n\n```yaml\n%s```\n", ex)
		}
	}
	return b.String()
}

func objectName(t reflect.Type) string {
	if n, ok := objectNames[t.Name()]; ok {
		return n
	}
	return t.Name()
}

var objectNames = map[string]string{
	"File": "catalog file", "Org": "org", "Defaults": "defaults", "SLODefaults": "defaults.slo",
	"AlarmDefaults": "defaults.alarm", "CanaryDefaults": "defaults.canary", "DashboardDefaults": "defaults.dashboard",
	"LoadGuard": "loadGuard", "Environment": "environment",
	"Override": "override", "Route": "route", "Service": "service", "Oncall": "oncall",
	"AppSignalsService": "applicationSignals", "SLO": "slo", "SLI": "sli", "LatencySLI": "sli.latency",
	"RatioSLI": "sli.availability", "MetricQuery": "count (good, bad, total)", "Metric": "metric",
	"Exclusion": "exclusion", "Alerting": "alerting", "BurnTier": "burn-rate tier", "Alarm": "alarm",
	"Anomaly": "anomaly", "Canary": "canary", "CanaryStep": "canary step", "RUMMonitor": "rum",
	"RUMOptions": "rum options", "WebVitals": "Web Vitals budgets", "TraceGroup": "trace group", "Sampling": "sampling",
}

func typeName(t reflect.Type, enum []string) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case reflect.TypeOf(Duration(0)):
		return "duration"
	case reflect.TypeOf(Percent(0)):
		return "percentage"
	case reflect.TypeOf(Rate(0)):
		return "rate"
	case reflect.TypeOf(Threshold{}):
		return "number or duration"
	case reflect.TypeOf(Percentile("")):
		return "percentile"
	case reflect.TypeOf(Statistic("")):
		return "statistic"
	case reflect.TypeOf(Window{}):
		return "window"
	}
	switch t.Kind() {
	case reflect.Struct:
		return fmt.Sprintf("[%s](#%s)", objectName(t), strings.ToLower(t.Name()))
	case reflect.Slice:
		return "list of " + typeName(t.Elem(), enum)
	case reflect.Map:
		return "map of " + typeName(t.Elem(), nil)
	case reflect.String:
		if enum != nil {
			return "one of `" + strings.Join(enum, "`, `") + "`"
		}
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int:
		return "integer"
	case reflect.Float64:
		return "number"
	}
	return t.String()
}

// ChecksReference renders the checks section of docs/catalog.md: every
// registered check with the stages it runs in, what it refuses, and an
// example diagnostic, which example returns ("" when there is none).
func ChecksReference(example func(CheckInfo) string) string {
	var b strings.Builder
	b.WriteString("\n<a id=\"checks\"></a>\n## Checks\n\n")
	b.WriteString("Every diagnostic names the check that found it, e.g. `(canary/name)`. Checks run in three stages: **load** reads and decodes each file, **validate** checks what was written, **plan** checks effective values once every default and override is resolved, and reports them where the deciding value was written. `slocat validate` runs all three. A problem with a value set by a default or an override is reported once, at that line, with a note naming the objects it affects.\n\n")
	b.WriteString("| check | stage | refuses |\n|---|---|---|\n")
	for _, c := range Checks {
		fmt.Fprintf(&b, "| [`%s`](#check-%s) | %s | %s |\n", c.ID, strings.ReplaceAll(c.ID, "/", "-"), c.Stage, strings.ReplaceAll(c.Refuses, "|", "\\|"))
	}
	for _, c := range Checks {
		fmt.Fprintf(&b, "\n<a id=\"check-%s\"></a>\n### %s\n\n%s: refuses %s.\n", strings.ReplaceAll(c.ID, "/", "-"), c.ID, upperFirst(c.Stage.String()), c.Refuses)
		if ex := example(c); ex != "" {
			fmt.Fprintf(&b, "\n```\n%s```\n", ex)
		}
	}
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
