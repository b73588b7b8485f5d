package constructs

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// Two tiers of a 30-day window, with the SRE Workbook's factors.
var (
	pageTier   = plan.Tier{Severity: "page", Long: time.Hour, Short: 5 * time.Minute, BudgetPercent: 2, Factor: 14.4}
	ticketTier = plan.Tier{Severity: "ticket", Long: 24 * time.Hour, Short: 2 * time.Hour, BudgetPercent: 10, Factor: 3}
)

// latencySLO is a latency SLO on a CloudWatch metric, declared in a catalog file.
func latencySLO() *plan.SLO {
	return &plan.SLO{
		ID: "pay-latency", Name: "checkout-pay-latency", Goal: "pay p99 < 500 ms", Kind: "latency",
		Objective: 99.9, Window: spec.Window{Rolling: 30 * 24 * time.Hour},
		Tiers:   []plan.Tier{pageTier, ticketTier},
		Latency: &plan.Latency{Metric: &plan.Metric{Namespace: "Acme/Shop", Name: "PayLatency"}, Percentile: "p99", Threshold: 500, Unit: "ms", PeriodSeconds: 60},
		Pos:     diag.Pos{File: "services/checkout.yaml", Line: 10},
	}
}

// TestSLOLatency: a latency SLO on a metric makes its Application Signals
// SLO (goal, rolling interval, one burn-rate configuration per distinct
// look-back window, the metric's percentile against the threshold), one
// burn-rate alarm per tier reading the SLO's BurnRate over both windows
// above the tier's factor, and a no-data ticket on the SLI's metric. It
// states no load, so it has no validated-load alarm.
func TestSLOLatency(t *testing.T) {
	stack := newStack()
	NewSLO(stack, testFactory(), latencySLO())
	tpl := synth(t, stack)
	wantJSON(t, "resources", tpl.logicalIDs(""), `["paylatency","paylatencynodata","paylatencypage1h5mburn","paylatencyticket1d2hburn"]`)

	slo := tpl.get(t, "paylatency", "AWS::ApplicationSignals::ServiceLevelObjective")
	wantProps(t, "paylatency", slo, map[string]any{
		"Name":                   "checkout-pay-latency",
		"Description":            "pay p99 < 500 ms",
		"Goal":                   map[string]any{"AttainmentGoal": 99.9, "Interval": map[string]any{"RollingInterval": map[string]any{"Duration": 30, "DurationUnit": "DAY"}}},
		"BurnRateConfigurations": []any{map[string]any{"LookBackWindowMinutes": 5}, map[string]any{"LookBackWindowMinutes": 60}, map[string]any{"LookBackWindowMinutes": 120}, map[string]any{"LookBackWindowMinutes": 1440}},
		"Sli": map[string]any{
			"ComparisonOperator": "LessThan",
			"MetricThreshold":    500,
			"SliMetric": map[string]any{
				"PeriodSeconds": 60,
				"MetricDataQueries": []any{map[string]any{"Id": "m1", "ReturnData": true, "MetricStat": map[string]any{
					"Metric": map[string]any{"Namespace": "Acme/Shop", "MetricName": "PayLatency"}, "Period": 60, "Stat": "p99"}}},
			},
		},
		"Tags": []any{map[string]any{"Key": TagID, "Value": "pay-latency"}},
	})

	page := tpl.get(t, "paylatencypage1h5mburn", "AWS::CloudWatch::Alarm")
	wantProps(t, "paylatencypage1h5mburn", page, map[string]any{
		"AlarmName":          "acme-prod-checkout-pay-latency-page-1h-5m-burn",
		"Threshold":          14.4,
		"ComparisonOperator": "GreaterThanThreshold",
		"EvaluationPeriods":  1,
		"DatapointsToAlarm":  1,
		"TreatMissingData":   "notBreaching",
		"Tags":               []any{map[string]any{"Key": TagID, "Value": "pay-latency-page-1h-5m-burn"}, map[string]any{"Key": TagSeverity, "Value": "page"}},
	})
	queries := page.Properties["Metrics"].([]any)
	wantJSON(t, "page tier long window", queries[0], `{"Id":"long","MetricStat":{"Metric":{"Dimensions":[{"Name":"BurnRateWindowMinutes","Value":"60"},{"Name":"SloName","Value":"checkout-pay-latency"}],"MetricName":"BurnRate","Namespace":"AWS/ApplicationSignals"},"Period":60,"Stat":"Maximum"},"ReturnData":false}`)
	wantJSON(t, "page tier expression", queries[len(queries)-1], `{"Expression":"MIN([long, short])","Id":"tier","Label":"lower of the burn rates over 1h and 5m","ReturnData":true}`)
	if d := page.text("AlarmDescription"); !strings.HasPrefix(d, "SLO pay-latency (pay p99 < 500 ms) burns its error budget faster than 14.4×") ||
		!strings.HasSuffix(d, "\nCatalog: services/checkout.yaml (pay-latency-page-1h-5m-burn)") {
		t.Errorf("page tier description %q", d)
	}
	wantProps(t, "paylatencyticket1d2hburn", tpl.get(t, "paylatencyticket1d2hburn", "AWS::CloudWatch::Alarm"), map[string]any{"Threshold": 3})

	wantProps(t, "paylatencynodata", tpl.get(t, "paylatencynodata", "AWS::CloudWatch::Alarm"), map[string]any{
		"AlarmName":          "acme-prod-checkout-pay-latency-no-data",
		"Namespace":          "Acme/Shop",
		"MetricName":         "PayLatency",
		"Statistic":          "SampleCount",
		"Period":             300,
		"ComparisonOperator": "LessThanOrEqualToThreshold",
		"Threshold":          0,
		"EvaluationPeriods":  3,
		"DatapointsToAlarm":  3,
		"TreatMissingData":   "breaching",
		"Tags":               []any{map[string]any{"Key": TagID, "Value": "pay-latency-no-data"}, map[string]any{"Key": TagSeverity, "Value": "ticket"}},
	})
}

// TestSLOAvailability: an availability SLO whose total is an expression
// over two metrics is request-based (total as the expression's queries,
// bad count as one metric), runs over calendar months with a maintenance
// window, and its tiers ignore minutes under minRequests, counting the
// total's expression.
func TestSLOAvailability(t *testing.T) {
	stage := func(name string) plan.Metric {
		return plan.Metric{Namespace: "Acme/Shop", Name: "Orders", Stat: "Sum", Dimensions: []plan.Dimension{{Name: "Stage", Value: name}}}
	}
	stack := newStack()
	NewSLO(stack, testFactory(), &plan.SLO{
		ID: "orders", Name: "checkout-orders", Goal: "99.9% of orders succeed", Kind: "availability",
		Objective: 99.9, Window: spec.Window{CalendarMonth: true}, MinRequests: 10,
		Tiers: []plan.Tier{pageTier},
		Ratio: &plan.Ratio{
			Bad:   &plan.Query{Metric: &plan.Metric{Namespace: "Acme/Shop", Name: "OrdersFailed", Stat: "Sum"}},
			Total: &plan.Query{Expression: "canary + live", Inputs: []plan.NamedMetric{{ID: "canary", Metric: stage("canary")}, {ID: "live", Metric: stage("live")}}},
		},
		Exclusions: []plan.Exclusion{{Start: time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC), Duration: 2 * time.Hour, Recurrence: "cron(0 2 ? * SUN *)", Reason: "weekly maintenance"}},
	})
	tpl := synth(t, stack)
	slo := tpl.get(t, "orders", "AWS::ApplicationSignals::ServiceLevelObjective")
	wantJSON(t, "orders.Goal.Interval", slo.Properties["Goal"].(map[string]any)["Interval"],
		`{"CalendarInterval":{"Duration":1,"DurationUnit":"MONTH","StartTime":1767225600}}`)
	wantJSON(t, "orders.ExclusionWindows", slo.Properties["ExclusionWindows"],
		`[{"Reason":"weekly maintenance","RecurrenceRule":{"Expression":"cron(0 2 ? * SUN *)"},"StartTime":"2026-03-01T02:00:00Z","Window":{"Duration":2,"DurationUnit":"HOUR"}}]`)
	sli := slo.Properties["RequestBasedSli"].(map[string]any)["RequestBasedSliMetric"].(map[string]any)
	wantJSON(t, "orders bad count", sli["MonitoredRequestCountMetric"],
		`{"BadCountMetric":[{"Id":"m1","MetricStat":{"Metric":{"MetricName":"OrdersFailed","Namespace":"Acme/Shop"},"Period":60,"Stat":"Sum"},"ReturnData":true}]}`)
	total := sli["TotalRequestCountMetric"].([]any)
	if len(total) != 3 {
		t.Fatalf("total count has %d queries, want the 2 inputs and the expression", len(total))
	}
	wantJSON(t, "orders total expression", total[2], `{"Expression":"canary + live","Id":"result","ReturnData":true}`)

	tier := tpl.get(t, "orderspage1h5mburn", "AWS::CloudWatch::Alarm")
	var ids []string
	for _, q := range tier.Properties["Metrics"].([]any) {
		ids = append(ids, q.(map[string]any)["Id"].(string))
	}
	if !slices.Contains(ids, "requests") {
		t.Errorf("tier queries %v count no requests", ids)
	}
	queries := tier.Properties["Metrics"].([]any)
	wantJSON(t, "orders tier expression", queries[len(queries)-1].(map[string]any)["Expression"], `"IF(requests >= 10, MIN([long, short]))"`)
	if d := tier.text("AlarmDescription"); !strings.Contains(d, "Minutes with fewer than 10 requests are ignored.") {
		t.Errorf("tier description %q does not state the guard", d)
	}
}

// TestLoadGuard: an SLO that states its load gets a validated-load alarm:
// requests per second of the SLI's own count above the load for every
// minute of the guard's duration (N of N), missing data not breaching, at
// the guard's severity.
func TestLoadGuard(t *testing.T) {
	slo := latencySLO()
	slo.Tiers = nil
	slo.LoadRPS = 40
	slo.LoadGuard = &plan.LoadGuard{For: 30 * time.Minute, Severity: "page"}
	stack := newStack()
	NewSLO(stack, testFactory(), slo)
	tpl := synth(t, stack)
	guard := tpl.get(t, "paylatencyoverload", "AWS::CloudWatch::Alarm")
	wantProps(t, "paylatencyoverload", guard, map[string]any{
		"AlarmName":          "acme-prod-checkout-pay-latency-over-load",
		"Threshold":          40,
		"ComparisonOperator": "GreaterThanThreshold",
		"EvaluationPeriods":  30,
		"DatapointsToAlarm":  30,
		"TreatMissingData":   "notBreaching",
		"Tags":               []any{map[string]any{"Key": TagID, "Value": "pay-latency-over-load"}, map[string]any{"Key": TagSeverity, "Value": "page"}},
	})
	queries := guard.Properties["Metrics"].([]any)
	wantJSON(t, "requests", queries[0], `{"Id":"requests","MetricStat":{"Metric":{"MetricName":"PayLatency","Namespace":"Acme/Shop"},"Period":60,"Stat":"SampleCount"},"ReturnData":false}`)
	last := queries[len(queries)-1].(map[string]any)
	if last["Id"] != "rps" || last["ReturnData"] != true || last["Label"] != "requests/s (validated load 40)" {
		t.Errorf("last query %v is not the requests/s the alarm compares", last)
	}

	// Turned off (nil guard), or without a load: no alarm.
	slo.LoadGuard = nil
	stack = newStack()
	NewSLO(stack, testFactory(), slo)
	if ids := synth(t, stack).logicalIDs("AWS::CloudWatch::Alarm"); slices.Contains(ids, "paylatencyoverload") {
		t.Errorf("an SLO without a load guard has alarms %v", ids)
	}
}
