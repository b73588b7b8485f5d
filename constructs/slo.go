package constructs

import (
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationsignals"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/slos"
)

// calendarStart anchors calendar-month SLO intervals at a month boundary.
var calendarStart = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// NewSLO creates an SLO's AWS::ApplicationSignals::ServiceLevelObjective,
// one burn-rate alarm per tier (both windows above the tier's factor, in one
// metric math alarm that the service roll-up of the tier's severity
// includes), a no-data alarm routed as a ticket, and its validated-load
// alarm (LoadGuard).
func NewSLO(scope cdkconstructs.Construct, f *AlarmFactory, x *slos.SLOPlan) {
	svc := f.Service
	props := &awsapplicationsignals.CfnServiceLevelObjectiveProps{
		Name:        jsii.String(x.Name),
		Description: jsii.String(truncate(x.Goal, 1024)),
		Goal:        goal(x),
		Tags:        f.tagsID(x.ID),
	}
	if ws := windowsMinutes(x.Tiers); len(ws) > 0 {
		var brc []interface{}
		for _, w := range ws {
			brc = append(brc, &awsapplicationsignals.CfnServiceLevelObjective_BurnRateConfigurationProperty{LookBackWindowMinutes: jsii.Number(float64(w))})
		}
		props.BurnRateConfigurations = &brc
	}
	if len(x.Exclusions) > 0 {
		var ex []interface{}
		for _, e := range x.Exclusions {
			w := &awsapplicationsignals.CfnServiceLevelObjective_ExclusionWindowProperty{
				Window:    window(e.Duration),
				StartTime: jsii.String(e.Start.Format(time.RFC3339)),
			}
			if e.Reason != "" {
				w.Reason = jsii.String(e.Reason)
			}
			if e.Recurrence != "" {
				w.RecurrenceRule = &awsapplicationsignals.CfnServiceLevelObjective_RecurrenceRuleProperty{Expression: jsii.String(e.Recurrence)}
			}
			ex = append(ex, w)
		}
		props.ExclusionWindows = &ex
	}
	var keyAttrs map[string]interface{}
	if svc.AppSignals != nil {
		keyAttrs = map[string]interface{}{"Type": "Service", "Name": svc.AppSignals.Name, "Environment": svc.AppSignals.Environment}
	}
	switch {
	case x.Latency != nil:
		l := x.Latency
		m := &awsapplicationsignals.CfnServiceLevelObjective_SliMetricProperty{}
		if l.Operation != "" {
			m.KeyAttributes = keyAttrs
			m.OperationName = jsii.String(l.Operation)
			m.MetricType = jsii.String("LATENCY")
			m.Statistic = jsii.String(l.Percentile)
		} else {
			m.MetricDataQueries = &[]interface{}{sloQuery("m1", *l.Metric, l.Percentile, l.PeriodSeconds, true)}
		}
		// The SLO's period: how long each good-or-bad period is, for either source.
		m.PeriodSeconds = jsii.Number(float64(l.PeriodSeconds))
		props.Sli = &awsapplicationsignals.CfnServiceLevelObjective_SliProperty{
			SliMetric:          m,
			MetricThreshold:    jsii.Number(l.Threshold),
			ComparisonOperator: jsii.String("LessThan"),
		}
	case x.Ratio != nil:
		r := x.Ratio
		m := &awsapplicationsignals.CfnServiceLevelObjective_RequestBasedSliMetricProperty{}
		if r.Operation != "" {
			m.KeyAttributes = keyAttrs
			m.OperationName = jsii.String(r.Operation)
			m.MetricType = jsii.String("AVAILABILITY")
		} else {
			m.TotalRequestCountMetric = sloQueries(r.Total)
			mon := &awsapplicationsignals.CfnServiceLevelObjective_MonitoredRequestCountMetricProperty{}
			if r.Good != nil {
				mon.GoodCountMetric = sloQueries(r.Good)
			} else {
				mon.BadCountMetric = sloQueries(r.Bad)
			}
			m.MonitoredRequestCountMetric = mon
		}
		props.RequestBasedSli = &awsapplicationsignals.CfnServiceLevelObjective_RequestBasedSliProperty{RequestBasedSliMetric: m}
	}
	awsapplicationsignals.NewCfnServiceLevelObjective(scope, jsii.String(x.ID), props)

	for _, t := range x.Tiers {
		f.tier(scope, x, t)
	}
	f.noData(scope, x)
	f.LoadGuard(scope, x)
}

func round(f float64) float64 {
	return float64(int64(f*10000+0.5)) / 10000
}

// windowsMinutes is every distinct look-back window of the tiers, in minutes, ascending.
func windowsMinutes(ts []slos.Tier) []int {
	seen := map[int]bool{}
	var out []int
	for _, t := range ts {
		for _, w := range []time.Duration{t.Long, t.Short} {
			m := int(w / time.Minute)
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	sort.Ints(out)
	return out
}

func goal(x *slos.SLOPlan) *awsapplicationsignals.CfnServiceLevelObjective_GoalProperty {
	g := &awsapplicationsignals.CfnServiceLevelObjective_GoalProperty{AttainmentGoal: jsii.Number(x.Objective)}
	if x.WarningThreshold > 0 {
		g.WarningThreshold = jsii.Number(x.WarningThreshold)
	}
	if x.Window.CalendarMonth {
		g.Interval = &awsapplicationsignals.CfnServiceLevelObjective_IntervalProperty{CalendarInterval: &awsapplicationsignals.CfnServiceLevelObjective_CalendarIntervalProperty{
			StartTime: jsii.Number(float64(calendarStart.Unix())), Duration: jsii.Number(1), DurationUnit: jsii.String("MONTH"),
		}}
	} else {
		d, unit := durationUnit(x.Window.Rolling)
		g.Interval = &awsapplicationsignals.CfnServiceLevelObjective_IntervalProperty{RollingInterval: &awsapplicationsignals.CfnServiceLevelObjective_RollingIntervalProperty{
			Duration: jsii.Number(d), DurationUnit: jsii.String(unit),
		}}
	}
	return g
}

// durationUnit expresses d in the largest of DAY, HOUR, MINUTE that divides it.
func durationUnit(d time.Duration) (float64, string) {
	switch {
	case d%(24*time.Hour) == 0:
		return float64(d / (24 * time.Hour)), "DAY"
	case d%time.Hour == 0:
		return float64(d / time.Hour), "HOUR"
	}
	return float64(d / time.Minute), "MINUTE"
}

func window(d time.Duration) *awsapplicationsignals.CfnServiceLevelObjective_WindowProperty {
	n, unit := durationUnit(d)
	return &awsapplicationsignals.CfnServiceLevelObjective_WindowProperty{Duration: jsii.Number(n), DurationUnit: jsii.String(unit)}
}

func sloQuery(id string, m slos.MetricPlan, stat string, period int, ret bool) *awsapplicationsignals.CfnServiceLevelObjective_MetricDataQueryProperty {
	metric := &awsapplicationsignals.CfnServiceLevelObjective_MetricProperty{
		Namespace:  jsii.String(m.Namespace),
		MetricName: jsii.String(m.Name),
		Dimensions: dimensions(m.Dimensions, sloDimension),
	}
	return &awsapplicationsignals.CfnServiceLevelObjective_MetricDataQueryProperty{
		Id:         jsii.String(id),
		ReturnData: jsii.Bool(ret),
		MetricStat: &awsapplicationsignals.CfnServiceLevelObjective_MetricStatProperty{Metric: metric, Period: jsii.Number(float64(period)), Stat: jsii.String(stat)},
	}
}

// sloDimension is a dimension of an AWS::ApplicationSignals::ServiceLevelObjective
// metric (a property typed as a list of any).
func sloDimension(name, value *string) interface{} {
	return &awsapplicationsignals.CfnServiceLevelObjective_DimensionProperty{Name: name, Value: value}
}

// sloQueries turns a count (a metric, or an expression over named metrics)
// into the metric data queries of a request-based SLI.
func sloQueries(q *slos.QueryPlan) *[]interface{} {
	if q.Metric != nil {
		return &[]interface{}{sloQuery("m1", *q.Metric, q.Metric.Stat, 60, true)}
	}
	var out []interface{}
	for _, in := range q.Inputs {
		out = append(out, sloQuery(in.ID, in.Metric, in.Metric.Stat, 60, false))
	}
	out = append(out, &awsapplicationsignals.CfnServiceLevelObjective_MetricDataQueryProperty{
		Id: jsii.String("result"), Expression: jsii.String(q.Expression), ReturnData: jsii.Bool(true),
	})
	return &out
}

// TierID is the catalog-scoped id of a burn-rate tier's alarm (its name
// after slos.AlarmName, its logical ID without the dashes).
func TierID(x *slos.SLOPlan, t slos.Tier) string { return slos.TierAlarmID(x.ID, t.Name()) }

// tier is a burn-rate tier's one alarm: metrics.TierExpression over the
// SLO's BurnRate for the long and the short window (and the request count
// when minRequests guards it) above the tier's factor. It fires when both
// windows burn too fast, as the AND composite of two window alarms did
// (package alarmeval proves the two equal), at one alarm instead of three.
func (f *AlarmFactory) tier(scope cdkconstructs.Construct, x *slos.SLOPlan, t slos.Tier) {
	text := fmt.Sprintf("SLO %s (%s) burns its error budget faster than %s× the budget rate over both %s and %s (%s: %s%% of the %s error budget spent in %s).",
		x.ID, x.Goal, num(round(t.Factor)), slos.FormatDuration(t.Long), slos.FormatDuration(t.Short),
		t.Severity, num(round(t.BudgetPercent)), x.Window, slos.FormatDuration(t.Long))
	queries := []interface{}{
		metricStat(metrics.TierLongID, metrics.BurnRate(x, t.Long), "Maximum", 60, false),
		metricStat(metrics.TierShortID, metrics.BurnRate(x, t.Short), "Maximum", 60, false),
	}
	label := fmt.Sprintf("lower of the burn rates over %s and %s", slos.FormatDuration(t.Long), slos.FormatDuration(t.Short))
	minRequests := 0
	if rate, ok := metrics.RequestRate(f.Service, x); ok && x.MinRequests > 0 {
		// Low-traffic guard: a minute with fewer requests than minRequests
		// yields no datapoint, and missing data does not breach. The count
		// is the SLI's own: one metric, or an availability total's
		// expression over all of its inputs (as the validated-load alarm).
		minRequests = x.MinRequests
		queries = append(queries, requestQueries(rate, 60)...)
		label += fmt.Sprintf(" when at least %d requests a minute", x.MinRequests)
		text += fmt.Sprintf(" Minutes with fewer than %d requests are ignored.", x.MinRequests)
	}
	queries = append(queries, &awscloudwatch.CfnAlarm_MetricDataQueryProperty{
		Id:         jsii.String("tier"),
		Expression: jsii.String(metrics.TierExpression(minRequests)),
		Label:      jsii.String(label),
		ReturnData: jsii.Bool(true),
	})
	// No dependency on the SLO resource: an alarm on a metric that does not
	// exist yet sees missing data (not breaching), and each dependency is one
	// more crossing into jsii.
	f.metricAlarm(scope, alarmHeader{ID: TierID(x, t), Description: text, Severity: t.Severity, Pos: x.Pos}, &awscloudwatch.CfnAlarmProps{
		EvaluationPeriods:  jsii.Number(1),
		DatapointsToAlarm:  jsii.Number(1),
		Threshold:          jsii.Number(t.Factor),
		ComparisonOperator: jsii.String("GreaterThanThreshold"),
		TreatMissingData:   jsii.String("notBreaching"),
		Metrics:            &queries,
	})
}

// noData alarms (as a ticket) when the SLI's source stops reporting: an SLO
// without data is silently "met".
func (f *AlarmFactory) noData(scope cdkconstructs.Construct, x *slos.SLOPlan) {
	m, ok := metrics.SLISource(f.Service, x)
	if !ok {
		return
	}
	text := fmt.Sprintf("SLO %s (%s): its SLI (%s/%s) reported no data for 15 minutes; the SLO cannot be measured. Check the service and its instrumentation.", x.ID, x.Goal, m.Namespace, m.Name)
	f.Static(scope, StaticAlarmProps{
		ID:                x.ID + "-no-data",
		Description:       text,
		Severity:          "ticket",
		Metric:            m,
		Statistic:         "SampleCount",
		PeriodSeconds:     300,
		Comparison:        "LessThanOrEqualToThreshold",
		Threshold:         0,
		EvaluationPeriods: 3,
		DatapointsToAlarm: 3,
		MissingData:       "breaching",
	})
}
