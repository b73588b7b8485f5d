package constructs

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// loadGuardPeriod is the period the validated-load alarm evaluates: its
// request rate is per second over one-minute periods, and it fires when
// every period of the guard's duration is above the load (M of N = N of N).
const loadGuardPeriod = time.Minute

// LoadGuard creates an SLO's validated-load alarm (<slo-id>-over-load) when
// the SLO states its load and the guard is on: metric math over the SLI's
// own request count (the Application Signals operation's requests, the
// availability SLI's total, metric or expression, or the latency metric's
// samples: metrics.RequestRate), in requests per second, above the load
// for every minute of the guard's duration. The service roll-up of the
// guard's severity includes it. Missing data does not breach: no traffic is
// not too much traffic.
//
// CloudWatch takes period × evaluation periods of at most a day for periods
// under an hour, and DatapointsToAlarm ≤ EvaluationPeriods (PutMetricAlarm:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html);
// check.MaxLoadGuardFor holds the guard's duration to the first, and M = N
// meets the second.
func (f *AlarmFactory) LoadGuard(scope cdkconstructs.Construct, slo *plan.SLO) {
	guard := slo.LoadGuard
	if guard == nil || slo.LoadRPS <= 0 {
		return
	}
	rate, ok := metrics.RequestRate(f.Service, slo)
	if !ok {
		return // no count to read: the SLI's operation has no Application Signals service
	}
	periods := max(int(guard.For/loadGuardPeriod), 1)
	load := formatNumber(slo.LoadRPS)
	source := rate.Inputs[0]
	counted := fmt.Sprintf("%s/%s %s", source.Metric.Namespace, source.Metric.Name, source.Stat)
	if rate.Count != "" {
		counted = "the SLI's total, " + rate.Count
	}
	text := fmt.Sprintf("SLO %s (%s) was validated at %s requests/s; its traffic (%s, per second) stayed above that for %s. The objective is now held at a load nobody tested: check capacity and the SLI, then re-validate the SLO at the new load or raise its load.",
		slo.ID, slo.Goal, load, counted, spec.FormatDuration(guard.For))
	queries := append(requestQueries(rate, int(loadGuardPeriod/time.Second)), &awscloudwatch.CfnAlarm_MetricDataQueryProperty{
		Id:         jsii.String("rps"),
		Expression: jsii.String(rate.Rate),
		Label:      jsii.String(fmt.Sprintf("requests/s (validated load %s)", load)),
		ReturnData: jsii.Bool(true),
	})
	props := &awscloudwatch.CfnAlarmProps{
		Metrics:            &queries,
		Threshold:          jsii.Number(slo.LoadRPS),
		ComparisonOperator: jsii.String("GreaterThanThreshold"),
		EvaluationPeriods:  jsii.Number(float64(periods)),
		DatapointsToAlarm:  jsii.Number(float64(periods)),
		TreatMissingData:   jsii.String("notBreaching"),
	}
	f.metricAlarm(scope, alarmHeader{ID: names.OverLoadID(slo.ID), Description: text, Severity: guard.Severity, Pos: slo.Pos}, props)
}

// requestQueries are the metric math queries that count an SLI's requests
// a period under the id "requests" (metrics.RequestRate): its one metric,
// or each input of an availability total and the total's expression. None
// is returned; the validated-load alarm and a tier's low-traffic guard
// read them.
func requestQueries(rate metrics.RateQuery, period int) []interface{} {
	var queries []interface{}
	for _, input := range rate.Inputs {
		queries = append(queries, metricStat(input.ID, input.Metric, input.Stat, period, false))
	}
	if rate.Count != "" {
		queries = append(queries, &awscloudwatch.CfnAlarm_MetricDataQueryProperty{
			Id: jsii.String(metrics.TierRequestsID), Expression: jsii.String(rate.Count), Label: jsii.String("requests"), ReturnData: jsii.Bool(false),
		})
	}
	return queries
}
