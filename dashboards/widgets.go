package dashboards

import (
	"fmt"
	"regexp"

	"github.com/slocatalog/slocatalog/plan"
)

// Widget sizes, in grid units.
const (
	half      = GridWidth / 2
	rowHeight = 6
)

// metricRow is one entry of a metric widget's "metrics" array: namespace,
// name, then dimension name/value pairs, then rendering properties.
func metricRow(m plan.Metric, render map[string]any) []any {
	row := []any{m.Namespace, m.Name}
	for _, d := range m.Dimensions {
		row = append(row, d.Name, d.Value)
	}
	if len(render) > 0 {
		row = append(row, render)
	}
	return row
}

// expressionRow is a metric-math entry of a "metrics" array.
func expressionRow(id, expression, label string) []any {
	return []any{map[string]any{"id": id, "expression": expression, "label": label}}
}

// line is a horizontal annotation: a threshold drawn across a graph.
type line struct {
	value float64
	label string
}

// graph is a time-series metric widget.
func graph(title, region string, period int, rows [][]any, lines []line, width int) Widget {
	p := map[string]any{
		"title":   title,
		"region":  region,
		"view":    "timeSeries",
		"stacked": false,
		"period":  max(period, 60),
		"metrics": rows,
	}
	if len(lines) > 0 {
		var hs []any
		for _, l := range lines {
			hs = append(hs, map[string]any{"value": l.value, "label": l.label})
		}
		p["annotations"] = map[string]any{"horizontal": hs}
	}
	return Widget{Type: "metric", Width: width, Height: rowHeight, Properties: p}
}

// single is a single-value metric widget (the latest value).
func single(title, region string, period int, rows [][]any, width int) Widget {
	return Widget{Type: "metric", Width: width, Height: rowHeight, Properties: map[string]any{
		"title": title, "region": region, "view": "singleValue", "period": max(period, 60), "metrics": rows,
	}}
}

// text is a Markdown text widget.
func text(markdown string, width, height int) Widget {
	return Widget{Type: "text", Width: width, Height: height, Properties: map[string]any{"markdown": markdown}}
}

// alarmStatus is an alarm status widget over up to 100 alarm ARNs.
func alarmStatus(title string, arns []string) Widget {
	// 4 alarms a row, one row a unit, and a row for the title.
	return Widget{Type: "alarm", Width: GridWidth, Height: max(2, 1+(len(arns)+3)/4), Properties: map[string]any{
		"title": title, "alarms": arns, "sortBy": "stateUpdatedTimestamp",
	}}
}

// maxAlarmsPerWidget is how many alarms an alarm status widget lists
// (Dashboard Body Structure, "Properties of an Alarm Status Widget Object").
const maxAlarmsPerWidget = 100

var identifier = regexp.MustCompile(`\b[a-z][A-Za-z0-9_]*\b`)

// queryRows turns a count (a metric or an expression over named metrics)
// into hidden "metrics" rows whose result has the id prefix+"result".
// Input ids get the prefix too, so that two queries share one widget.
func queryRows(q *plan.Query, prefix, label string) [][]any {
	if q.Metric != nil {
		return [][]any{metricRow(*q.Metric, map[string]any{"id": prefix + "result", "stat": statOr(q.Metric.Stat, "Sum"), "label": label})}
	}
	ids := map[string]bool{}
	var rows [][]any
	for _, in := range q.Inputs {
		ids[in.ID] = true
		rows = append(rows, metricRow(in.Metric, map[string]any{"id": prefix + in.ID, "stat": statOr(in.Metric.Stat, "Sum"), "visible": false}))
	}
	expr := identifier.ReplaceAllStringFunc(q.Expression, func(id string) string {
		if ids[id] {
			return prefix + id
		}
		return id
	})
	return append(rows, expressionRow(prefix+"result", expr, label))
}

func statOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func alarmARN(region, account, name string) string {
	return fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", region, account, name)
}
