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
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// calendarStart anchors calendar-month SLO intervals at a month boundary.
var calendarStart = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// NewSLO creates an SLO's AWS::ApplicationSignals::ServiceLevelObjective,
// one burn-rate alarm per tier (both windows above the tier's factor, in one
// metric math alarm that the service roll-up of the tier's severity
// includes), a no-data alarm routed as a ticket, and its validated-load
// alarm (LoadGuard).
func NewSLO(scope cdkconstructs.Construct, alarms *AlarmFactory, slo *plan.SLO) {
	svc := alarms.Service
	props := &awsapplicationsignals.CfnServiceLevelObjectiveProps{
		Name:        jsii.String(slo.Name),
		Description: jsii.String(truncate(slo.Goal, 1024)),
		Goal:        goal(slo),
		Tags:        alarms.tagsID(slo.ID),
	}
	if windows := windowsMinutes(slo.Tiers); len(windows) > 0 {
		var burnRates []interface{}
		for _, minutes := range windows {
			burnRates = append(burnRates, &awsapplicationsignals.CfnServiceLevelObjective_BurnRateConfigurationProperty{LookBackWindowMinutes: jsii.Number(float64(minutes))})
		}
		props.BurnRateConfigurations = &burnRates
	}
	if len(slo.Exclusions) > 0 {
		var exclusions []interface{}
		for _, exclusion := range slo.Exclusions {
			exclusionWindow := &awsapplicationsignals.CfnServiceLevelObjective_ExclusionWindowProperty{
				Window:    window(exclusion.Duration),
				StartTime: jsii.String(exclusion.Start.Format(time.RFC3339)),
			}
			if exclusion.Reason != "" {
				exclusionWindow.Reason = jsii.String(exclusion.Reason)
			}
			if exclusion.Recurrence != "" {
				exclusionWindow.RecurrenceRule = &awsapplicationsignals.CfnServiceLevelObjective_RecurrenceRuleProperty{Expression: jsii.String(exclusion.Recurrence)}
			}
			exclusions = append(exclusions, exclusionWindow)
		}
		props.ExclusionWindows = &exclusions
	}
	var keyAttrs map[string]interface{}
	if svc.AppSignals != nil {
		keyAttrs = map[string]interface{}{"Type": "Service", "Name": svc.AppSignals.Name, "Environment": svc.AppSignals.Environment}
	}
	switch {
	case slo.Latency != nil:
		latency := slo.Latency
		sli := &awsapplicationsignals.CfnServiceLevelObjective_SliMetricProperty{}
		if latency.Operation != "" {
			sli.KeyAttributes = keyAttrs
			sli.OperationName = jsii.String(latency.Operation)
			sli.MetricType = jsii.String("LATENCY")
			sli.Statistic = jsii.String(latency.Percentile)
		} else {
			sli.MetricDataQueries = &[]interface{}{sloQuery("m1", *latency.Metric, latency.Percentile, latency.PeriodSeconds, true)}
		}
		// The SLO's period: how long each good-or-bad period is, for either source.
		sli.PeriodSeconds = jsii.Number(float64(latency.PeriodSeconds))
		props.Sli = &awsapplicationsignals.CfnServiceLevelObjective_SliProperty{
			SliMetric:          sli,
			MetricThreshold:    jsii.Number(latency.Threshold),
			ComparisonOperator: jsii.String("LessThan"),
		}
	case slo.Ratio != nil:
		ratio := slo.Ratio
		sli := &awsapplicationsignals.CfnServiceLevelObjective_RequestBasedSliMetricProperty{}
		if ratio.Operation != "" {
			sli.KeyAttributes = keyAttrs
			sli.OperationName = jsii.String(ratio.Operation)
			sli.MetricType = jsii.String("AVAILABILITY")
		} else {
			sli.TotalRequestCountMetric = sloQueries(ratio.Total)
			monitored := &awsapplicationsignals.CfnServiceLevelObjective_MonitoredRequestCountMetricProperty{}
			if ratio.Good != nil {
				monitored.GoodCountMetric = sloQueries(ratio.Good)
			} else {
				monitored.BadCountMetric = sloQueries(ratio.Bad)
			}
			sli.MonitoredRequestCountMetric = monitored
		}
		props.RequestBasedSli = &awsapplicationsignals.CfnServiceLevelObjective_RequestBasedSliProperty{RequestBasedSliMetric: sli}
	}
	awsapplicationsignals.NewCfnServiceLevelObjective(scope, jsii.String(slo.ID), props)

	for _, tier := range slo.Tiers {
		alarms.tier(scope, slo, tier)
	}
	alarms.noData(scope, slo)
	alarms.LoadGuard(scope, slo)
}

// round rounds to four decimals, as descriptions show factors and shares.
func round(value float64) float64 {
	return float64(int64(value*10000+0.5)) / 10000
}

// windowsMinutes is every distinct look-back window of the tiers, in minutes, ascending.
func windowsMinutes(tiers []plan.Tier) []int {
	seen := map[int]bool{}
	var out []int
	for _, tier := range tiers {
		for _, window := range []time.Duration{tier.Long, tier.Short} {
			minutes := int(window / time.Minute)
			if !seen[minutes] {
				seen[minutes] = true
				out = append(out, minutes)
			}
		}
	}
	sort.Ints(out)
	return out
}

func goal(slo *plan.SLO) *awsapplicationsignals.CfnServiceLevelObjective_GoalProperty {
	goalProps := &awsapplicationsignals.CfnServiceLevelObjective_GoalProperty{AttainmentGoal: jsii.Number(slo.Objective)}
	if slo.WarningThreshold > 0 {
		goalProps.WarningThreshold = jsii.Number(slo.WarningThreshold)
	}
	if slo.Window.CalendarMonth {
		goalProps.Interval = &awsapplicationsignals.CfnServiceLevelObjective_IntervalProperty{CalendarInterval: &awsapplicationsignals.CfnServiceLevelObjective_CalendarIntervalProperty{
			StartTime: jsii.Number(float64(calendarStart.Unix())), Duration: jsii.Number(1), DurationUnit: jsii.String("MONTH"),
		}}
	} else {
		length, unit := durationUnit(slo.Window.Rolling)
		goalProps.Interval = &awsapplicationsignals.CfnServiceLevelObjective_IntervalProperty{RollingInterval: &awsapplicationsignals.CfnServiceLevelObjective_RollingIntervalProperty{
			Duration: jsii.Number(length), DurationUnit: jsii.String(unit),
		}}
	}
	return goalProps
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

func window(length time.Duration) *awsapplicationsignals.CfnServiceLevelObjective_WindowProperty {
	amount, unit := durationUnit(length)
	return &awsapplicationsignals.CfnServiceLevelObjective_WindowProperty{Duration: jsii.Number(amount), DurationUnit: jsii.String(unit)}
}

func sloQuery(id string, metric plan.Metric, stat string, period int, returnData bool) *awsapplicationsignals.CfnServiceLevelObjective_MetricDataQueryProperty {
	sloMetric := &awsapplicationsignals.CfnServiceLevelObjective_MetricProperty{
		Namespace:  jsii.String(metric.Namespace),
		MetricName: jsii.String(metric.Name),
		Dimensions: dimensions(metric.Dimensions, sloDimension),
	}
	return &awsapplicationsignals.CfnServiceLevelObjective_MetricDataQueryProperty{
		Id:         jsii.String(id),
		ReturnData: jsii.Bool(returnData),
		MetricStat: &awsapplicationsignals.CfnServiceLevelObjective_MetricStatProperty{Metric: sloMetric, Period: jsii.Number(float64(period)), Stat: jsii.String(stat)},
	}
}

// sloDimension is a dimension of an AWS::ApplicationSignals::ServiceLevelObjective
// metric (a property typed as a list of any).
func sloDimension(name, value *string) interface{} {
	return &awsapplicationsignals.CfnServiceLevelObjective_DimensionProperty{Name: name, Value: value}
}

// sloQueries turns a count (a metric, or an expression over named metrics)
// into the metric data queries of a request-based SLI.
func sloQueries(count *plan.Query) *[]interface{} {
	if count.Metric != nil {
		return &[]interface{}{sloQuery("m1", *count.Metric, count.Metric.Stat, 60, true)}
	}
	var out []interface{}
	for _, input := range count.Inputs {
		out = append(out, sloQuery(input.ID, input.Metric, input.Metric.Stat, 60, false))
	}
	out = append(out, &awsapplicationsignals.CfnServiceLevelObjective_MetricDataQueryProperty{
		Id: jsii.String("result"), Expression: jsii.String(count.Expression), ReturnData: jsii.Bool(true),
	})
	return &out
}

// TierID is the catalog-scoped id of a burn-rate tier's alarm (its name
// after names.AlarmName, its logical ID without the dashes).
func TierID(slo *plan.SLO, tier plan.Tier) string { return names.TierAlarmID(slo.ID, tier.Name()) }

// tier is a burn-rate tier's one alarm: metrics.TierExpression over the
// SLO's BurnRate for the long and the short window (and the request count
// when minRequests guards it) above the tier's factor. It fires when both
// windows burn too fast, as the AND composite of two window alarms did
// (package alarmeval proves the two equal), at one alarm instead of three.
func (f *AlarmFactory) tier(scope cdkconstructs.Construct, slo *plan.SLO, tier plan.Tier) {
	text := fmt.Sprintf("SLO %s (%s) burns its error budget faster than %s× the budget rate over both %s and %s (%s: %s%% of the %s error budget spent in %s).",
		slo.ID, slo.Goal, formatNumber(round(tier.Factor)), spec.FormatDuration(tier.Long), spec.FormatDuration(tier.Short),
		tier.Severity, formatNumber(round(tier.BudgetPercent)), slo.Window, spec.FormatDuration(tier.Long))
	queries := []interface{}{
		metricStat(metrics.TierLongID, metrics.BurnRate(slo, tier.Long), "Maximum", 60, false),
		metricStat(metrics.TierShortID, metrics.BurnRate(slo, tier.Short), "Maximum", 60, false),
	}
	label := fmt.Sprintf("lower of the burn rates over %s and %s", spec.FormatDuration(tier.Long), spec.FormatDuration(tier.Short))
	minRequests := 0
	if rate, ok := metrics.RequestRate(f.Service, slo); ok && slo.MinRequests > 0 {
		// Low-traffic guard: a minute with fewer requests than minRequests
		// yields no datapoint, and missing data does not breach. The count
		// is the SLI's own: one metric, or an availability total's
		// expression over all of its inputs (as the validated-load alarm).
		minRequests = slo.MinRequests
		queries = append(queries, requestQueries(rate, 60)...)
		label += fmt.Sprintf(" when at least %d requests a minute", slo.MinRequests)
		text += fmt.Sprintf(" Minutes with fewer than %d requests are ignored.", slo.MinRequests)
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
	f.metricAlarm(scope, alarmHeader{ID: TierID(slo, tier), Description: text, Severity: tier.Severity, Pos: slo.Pos}, &awscloudwatch.CfnAlarmProps{
		EvaluationPeriods:  jsii.Number(1),
		DatapointsToAlarm:  jsii.Number(1),
		Threshold:          jsii.Number(tier.Factor),
		ComparisonOperator: jsii.String("GreaterThanThreshold"),
		TreatMissingData:   jsii.String("notBreaching"),
		Metrics:            &queries,
	})
}

// noData alarms (as a ticket) when the SLI's source stops reporting: an SLO
// without data is silently "met".
func (f *AlarmFactory) noData(scope cdkconstructs.Construct, slo *plan.SLO) {
	source, ok := metrics.SLISource(f.Service, slo)
	if !ok {
		return
	}
	text := fmt.Sprintf("SLO %s (%s): its SLI (%s/%s) reported no data for 15 minutes; the SLO cannot be measured. Check the service and its instrumentation.", slo.ID, slo.Goal, source.Namespace, source.Name)
	f.Static(scope, StaticAlarmProps{
		ID:                slo.ID + "-no-data",
		Description:       text,
		Severity:          "ticket",
		Metric:            source,
		Statistic:         "SampleCount",
		PeriodSeconds:     300,
		Comparison:        "LessThanOrEqualToThreshold",
		Threshold:         0,
		EvaluationPeriods: 3,
		DatapointsToAlarm: 3,
		MissingData:       "breaching",
	})
}
