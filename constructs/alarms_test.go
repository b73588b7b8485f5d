package constructs

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/plan"
)

// latencyMetric is a metric with one dimension.
var latencyMetric = plan.Metric{Namespace: "Acme/Shop", Name: "Latency", Dimensions: []plan.Dimension{{Name: "Stage", Value: "live"}}}

// TestStaticAlarm: a static alarm says every value of its props: name after
// org, env, service and id, the logical ID without dashes, a percentile as
// ExtendedStatistic, the id and severity tags, and a description that adds
// severity, owner and runbook (no catalog line: it has no position). The
// factory records it for the roll-up of its severity.
func TestStaticAlarm(t *testing.T) {
	stack := newStack()
	factory := testFactory()
	factory.Static(stack, StaticAlarmProps{
		ID:                "checkout-latency",
		Description:       "Checkout p99 above 300 ms.",
		Severity:          "page",
		Metric:            latencyMetric,
		Statistic:         "p99",
		PeriodSeconds:     300,
		Comparison:        "GreaterThanThreshold",
		Threshold:         300,
		EvaluationPeriods: 5,
		DatapointsToAlarm: 3,
		MissingData:       "notBreaching",
	})
	alarm := synth(t, stack).get(t, "checkoutlatency", "AWS::CloudWatch::Alarm")
	wantProps(t, "checkoutlatency", alarm, map[string]any{
		"AlarmName":          "acme-prod-checkout-checkout-latency",
		"AlarmDescription":   "Checkout p99 above 300 ms.\nSeverity: page. Service: checkout (owner team-pay). Runbook: https://runbooks.example.com/checkout",
		"Namespace":          "Acme/Shop",
		"MetricName":         "Latency",
		"Dimensions":         []any{map[string]any{"Name": "Stage", "Value": "live"}},
		"ExtendedStatistic":  "p99",
		"Statistic":          nil,
		"Period":             300,
		"ComparisonOperator": "GreaterThanThreshold",
		"Threshold":          300,
		"EvaluationPeriods":  5,
		"DatapointsToAlarm":  3,
		"TreatMissingData":   "notBreaching",
		"ActionsEnabled":     true,
		"AlarmActions":       nil, // service alarms are routed by EventBridge
		"Tags":               []any{map[string]any{"Key": TagID, "Value": "checkout-latency"}, map[string]any{"Key": TagSeverity, "Value": "page"}},
	})
	created := factory.Alarms()
	if len(created) != 1 {
		t.Fatalf("factory created %d alarms, want 1", len(created))
	}
	if c := created[0]; c.Name != "acme-prod-checkout-checkout-latency" || c.Severity != "page" || !c.InRollup || c.ID != "checkout-latency" || c.Scope != stack {
		t.Errorf("created alarm = %+v", c)
	}
}

// TestStaticAlarmDefaults: the props a static alarm leaves out take their
// documented defaults (one minute, one of one period, missing data
// "missing", threshold 0), and a plain statistic is Statistic.
func TestStaticAlarmDefaults(t *testing.T) {
	stack := newStack()
	(&AlarmFactory{Org: testOrg, Env: testEnv}).Static(stack, StaticAlarmProps{
		ID:         "queue-depth",
		Severity:   "ticket",
		Metric:     plan.Metric{Namespace: "AWS/SQS", Name: "ApproximateNumberOfMessagesVisible"},
		Statistic:  "Maximum",
		Comparison: "GreaterThanThreshold",
	})
	alarm := synth(t, stack).get(t, "queuedepth", "AWS::CloudWatch::Alarm")
	wantProps(t, "queuedepth", alarm, map[string]any{
		"AlarmName":         "acme-prod-routing-queue-depth", // no service: routing
		"AlarmDescription":  "Severity: ticket.",
		"Statistic":         "Maximum",
		"ExtendedStatistic": nil,
		"Dimensions":        nil,
		"Period":            60,
		"Threshold":         0,
		"EvaluationPeriods": 1,
		"DatapointsToAlarm": 1,
		"TreatMissingData":  plan.DefaultMissingData,
	})
}

// TestStaticAlarmNeedsRequiredProps: a static alarm without a comparison
// panics before anything is made, instead of deploying an empty operator.
func TestStaticAlarmNeedsRequiredProps(t *testing.T) {
	stack := newStack()
	factory := testFactory()
	defer func() {
		if recover() == nil {
			t.Error("Static without a comparison did not panic")
		}
		if n := len(factory.Alarms()); n != 0 {
			t.Errorf("factory created %d alarms", n)
		}
	}()
	factory.Static(stack, StaticAlarmProps{ID: "x", Severity: "page", Metric: latencyMetric, Statistic: "Average"})
}

// TestFromPlanStatic: a catalog alarm without anomaly band or minimum
// samples is a plain metric alarm with the plan's values, and its
// description names the catalog file and id (never the line).
func TestFromPlanStatic(t *testing.T) {
	stack := newStack()
	testFactory().FromPlan(stack, &plan.Alarm{
		ID: "errors", Description: "5xx above 10 a minute.", Metric: latencyMetric, Statistic: "Sum",
		Threshold: 10, Comparison: "GreaterThanThreshold", PeriodSeconds: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3,
		MissingData: "missing", Severity: "ticket", Pos: diag.Pos{File: "services/checkout.yaml", Line: 42, Col: 7},
	})
	alarm := synth(t, stack).get(t, "errors", "AWS::CloudWatch::Alarm")
	wantProps(t, "errors", alarm, map[string]any{
		"AlarmName":         "acme-prod-checkout-errors",
		"Statistic":         "Sum",
		"Threshold":         10,
		"Period":            60,
		"EvaluationPeriods": 5,
		"DatapointsToAlarm": 3,
		"TreatMissingData":  "missing",
		"Metrics":           nil,
	})
	if d := alarm.text("AlarmDescription"); !strings.HasSuffix(d, "\nCatalog: services/checkout.yaml (errors)") || strings.Contains(d, "42") {
		t.Errorf("description %q does not end with the catalog file and id alone", d)
	}
}

// TestFromPlanGuarded: a catalog alarm with minSamples reads its statistic
// only in periods with enough samples (metric math IF), missing data does
// not breach, and the description says so.
func TestFromPlanGuarded(t *testing.T) {
	stack := newStack()
	testFactory().FromPlan(stack, &plan.Alarm{
		ID: "p99", Metric: latencyMetric, Statistic: "p99", Threshold: 250, Comparison: "GreaterThanThreshold",
		PeriodSeconds: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, MissingData: "breaching", Severity: "page", MinSamples: 20,
	})
	alarm := synth(t, stack).get(t, "p99", "AWS::CloudWatch::Alarm")
	wantProps(t, "p99", alarm, map[string]any{
		"Threshold":        250,
		"TreatMissingData": "notBreaching",
		"MetricName":       nil,
		"Metrics": []any{
			map[string]any{"Id": "value", "ReturnData": false, "MetricStat": map[string]any{
				"Metric": map[string]any{"Namespace": "Acme/Shop", "MetricName": "Latency", "Dimensions": []any{map[string]any{"Name": "Stage", "Value": "live"}}},
				"Period": 60, "Stat": "p99"}},
			map[string]any{"Id": "samples", "ReturnData": false, "MetricStat": map[string]any{
				"Metric": map[string]any{"Namespace": "Acme/Shop", "MetricName": "Latency", "Dimensions": []any{map[string]any{"Name": "Stage", "Value": "live"}}},
				"Period": 60, "Stat": "SampleCount"}},
			map[string]any{"Id": "guarded", "Expression": "IF(samples >= 20, value)", "Label": "p99 when at least 20 samples", "ReturnData": true},
		},
	})
	if d := alarm.text("AlarmDescription"); !strings.HasPrefix(d, "Periods with fewer than 20 samples are ignored.\n") {
		t.Errorf("description %q does not start with the guard", d)
	}
}

// TestFromPlanAnomaly: an anomaly alarm compares its metric with the band
// of an explicit AnomalyDetector on the same metric and dimensions, which
// it depends on.
func TestFromPlanAnomaly(t *testing.T) {
	stack := newStack()
	testFactory().FromPlan(stack, &plan.Alarm{
		ID: "traffic", Metric: latencyMetric, Statistic: "Average", Comparison: "LessThanLowerOrGreaterThanUpperThreshold",
		Anomaly: &plan.Anomaly{Band: 2.5, Direction: "both"}, PeriodSeconds: 300, EvaluationPeriods: 3, DatapointsToAlarm: 3,
		MissingData: "missing", Severity: "ticket",
	})
	tpl := synth(t, stack)
	detector := tpl.get(t, "trafficdetector", "AWS::CloudWatch::AnomalyDetector")
	wantJSON(t, "trafficdetector.SingleMetricAnomalyDetector", detector.Properties["SingleMetricAnomalyDetector"],
		`{"Dimensions":[{"Name":"Stage","Value":"live"}],"MetricName":"Latency","Namespace":"Acme/Shop","Stat":"Average"}`)
	alarm := tpl.get(t, "traffic", "AWS::CloudWatch::Alarm")
	wantProps(t, "traffic", alarm, map[string]any{
		"ComparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold",
		"ThresholdMetricId":  "band",
		"Threshold":          nil,
	})
	band := alarm.Properties["Metrics"].([]any)[1]
	wantJSON(t, "traffic band", band, `{"Expression":"ANOMALY_DETECTION_BAND(m1, 2.5)","Id":"band","Label":"expected range","ReturnData":true}`)
	if !slices.Contains(alarm.DependsOn, "trafficdetector") {
		t.Errorf("traffic depends on %v, want its detector", alarm.DependsOn)
	}
}

// TestComposite: a composite is in ALARM when any child is: its rule names
// the children by name in name order whatever order they come in, it
// depends on its sibling children by logical ID, and it carries the
// factory's actions. The caller's slice is left as it was.
func TestComposite(t *testing.T) {
	stack := newStack()
	factory := testFactory()
	factory.Actions = []string{"arn:aws:sns:eu-west-1:123456789012:ops"}
	for _, id := range []string{"b-errors", "a-latency"} {
		factory.Static(stack, StaticAlarmProps{ID: id, Severity: "page", Metric: latencyMetric, Statistic: "Average", Comparison: "GreaterThanThreshold"})
	}
	children := factory.Alarms()
	factory.Composite(stack, CompositeAlarmProps{ID: "rollup-page", Description: "Any page alarm of checkout.", Severity: "page", Children: children})
	if children[0].ID != "b-errors" {
		t.Errorf("Composite reordered the caller's children: %s first", children[0].ID)
	}
	composite := synth(t, stack).get(t, "rolluppage", "AWS::CloudWatch::CompositeAlarm")
	wantProps(t, "rolluppage", composite, map[string]any{
		"AlarmName":        "acme-prod-checkout-rollup-page",
		"AlarmRule":        `ALARM("acme-prod-checkout-a-latency") OR ALARM("acme-prod-checkout-b-errors")`,
		"AlarmDescription": "Any page alarm of checkout.\nSeverity: page. Service: checkout (owner team-pay). Runbook: https://runbooks.example.com/checkout",
		"AlarmActions":     []any{"arn:aws:sns:eu-west-1:123456789012:ops"},
		"OKActions":        []any{"arn:aws:sns:eu-west-1:123456789012:ops"},
		"Tags":             []any{map[string]any{"Key": TagID, "Value": "rollup-page"}, map[string]any{"Key": TagSeverity, "Value": "page"}},
	})
	wantJSON(t, "rolluppage.DependsOn", composite.DependsOn, `["alatency","berrors"]`)
}

// TestCompositeNests: more children than one rule holds (maxRuleAlarms)
// are split into part composites without actions, and the top composite
// ORs the parts.
func TestCompositeNests(t *testing.T) {
	stack := newStack()
	factory := testFactory()
	factory.Actions = []string{"arn:aws:sns:eu-west-1:123456789012:ops"}
	for i := range maxRuleAlarms + 1 {
		factory.Static(stack, StaticAlarmProps{ID: fmt.Sprintf("alarm-%03d", i), Severity: "ticket", Metric: latencyMetric, Statistic: "Average", Comparison: "GreaterThanThreshold"})
	}
	factory.Composite(stack, CompositeAlarmProps{ID: "rollup-ticket", Severity: "ticket", Children: factory.Alarms()})
	tpl := synth(t, stack)
	wantJSON(t, "composites", tpl.logicalIDs("AWS::CloudWatch::CompositeAlarm"), `["rollupticket","rollupticketpart1","rollupticketpart2"]`)
	part1 := tpl.get(t, "rollupticketpart1", "AWS::CloudWatch::CompositeAlarm")
	if n := strings.Count(part1.text("AlarmRule"), "ALARM("); n != maxRuleAlarms {
		t.Errorf("part 1 names %d alarms, want %d", n, maxRuleAlarms)
	}
	wantProps(t, "rollupticketpart2", tpl.get(t, "rollupticketpart2", "AWS::CloudWatch::CompositeAlarm"), map[string]any{
		"AlarmRule":    fmt.Sprintf(`ALARM("acme-prod-checkout-alarm-%03d")`, maxRuleAlarms),
		"AlarmActions": nil,
	})
	top := tpl.get(t, "rollupticket", "AWS::CloudWatch::CompositeAlarm")
	wantProps(t, "rollupticket", top, map[string]any{
		"AlarmRule":    `ALARM("acme-prod-checkout-rollup-ticket-part1") OR ALARM("acme-prod-checkout-rollup-ticket-part2")`,
		"AlarmActions": []any{"arn:aws:sns:eu-west-1:123456789012:ops"},
	})
	wantJSON(t, "rollupticket.DependsOn", top.DependsOn, `["rollupticketpart1","rollupticketpart2"]`)
}
