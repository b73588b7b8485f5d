package schema

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/spec"
)

// referenceTypes are the catalog objects in the order the reference shows them.
var referenceTypes = []reflect.Type{
	reflect.TypeOf(spec.File{}), reflect.TypeOf(spec.Org{}), reflect.TypeOf(spec.Defaults{}),
	reflect.TypeOf(spec.SLODefaults{}), reflect.TypeOf(spec.AlarmDefaults{}), reflect.TypeOf(spec.CanaryDefaults{}),
	reflect.TypeOf(spec.DashboardDefaults{}), reflect.TypeOf(spec.LoadGuard{}), reflect.TypeOf(spec.Environment{}), reflect.TypeOf(spec.Override{}), reflect.TypeOf(spec.Route{}),
	reflect.TypeOf(spec.Service{}), reflect.TypeOf(spec.Oncall{}), reflect.TypeOf(spec.AppSignalsService{}),
	reflect.TypeOf(spec.SLO{}), reflect.TypeOf(spec.SLI{}), reflect.TypeOf(spec.LatencySLI{}), reflect.TypeOf(spec.RatioSLI{}),
	reflect.TypeOf(spec.MetricQuery{}), reflect.TypeOf(spec.Metric{}), reflect.TypeOf(spec.Exclusion{}),
	reflect.TypeOf(spec.Alerting{}), reflect.TypeOf(spec.BurnTier{}), reflect.TypeOf(spec.Alarm{}), reflect.TypeOf(spec.Anomaly{}),
	reflect.TypeOf(spec.Canary{}), reflect.TypeOf(spec.CanaryStep{}), reflect.TypeOf(spec.RUMMonitor{}), reflect.TypeOf(spec.RUMOptions{}),
	reflect.TypeOf(spec.WebVitals{}), reflect.TypeOf(spec.TraceGroup{}), reflect.TypeOf(spec.Sampling{}),
}

// Reference renders docs/catalog.md: every object of the catalog, each key
// with its type, whether it is required, its description, and an example.
// The examples (reference_examples.go) are decoded by a test, so they stay valid.
func Reference() string {
	var b strings.Builder
	b.WriteString("<!-- Generated from spec/types.go and spec/reference_examples.go by\n     go test ./schema -run TestReferenceIsCurrent -update. Do not edit. -->\n")
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
		si := spec.ObjectOf(t)
		for _, f := range si.Fields {
			req := ""
			if f.Required {
				req = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Name, typeName(t.Field(f.Index).Type, f.Enum), req, strings.ReplaceAll(f.Doc, "|", "\\|"))
		}
		if ex, ok := spec.Examples[t.Name()]; ok {
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
	case reflect.TypeOf(spec.Duration(0)):
		return "duration"
	case reflect.TypeOf(spec.Percent(0)):
		return "percentage"
	case reflect.TypeOf(spec.Rate(0)):
		return "rate"
	case reflect.TypeOf(spec.Threshold{}):
		return "number or duration"
	case reflect.TypeOf(spec.Percentile("")):
		return "percentile"
	case reflect.TypeOf(spec.Statistic("")):
		return "statistic"
	case reflect.TypeOf(spec.Window{}):
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
func ChecksReference(example func(diag.CheckInfo) string) string {
	var b strings.Builder
	b.WriteString("\n<a id=\"checks\"></a>\n## Checks\n\n")
	b.WriteString("Every diagnostic names the check that found it, e.g. `(canary/name)`. Checks run in three stages: **load** reads and decodes each file, **validate** checks what was written, **plan** checks effective values once every default and override is resolved, and reports them where the deciding value was written. `slocat validate` runs all three. A problem with a value set by a default or an override is reported once, at that line, with a note naming the objects it affects.\n\n")
	b.WriteString("| check | stage | refuses |\n|---|---|---|\n")
	for _, c := range diag.Checks {
		fmt.Fprintf(&b, "| [`%s`](#check-%s) | %s | %s |\n", c.ID, strings.ReplaceAll(c.ID, "/", "-"), c.Stage, strings.ReplaceAll(c.Refuses, "|", "\\|"))
	}
	for _, c := range diag.Checks {
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
