// Package metrics is the one place that says which CloudWatch metric a plan
// value is measured by: its namespace, name, dimensions and statistic. The
// alarm factory (package constructs) alarms on these metrics and the
// dashboards (package dashboards) draw them, so a graph always shows what
// its alarm evaluates. It is plain Go over package plan: no CDK.
package metrics

import (
	"cmp"
	"fmt"
	"regexp"
	"time"

	"github.com/slocatalog/slocatalog/plan"
)

// Application Signals publishes, per SLO, metrics in the
// AWS/ApplicationSignals namespace with the dimension SloName (BurnRate also
// with BurnRateWindowMinutes, one per configured look-back window):
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-ServiceLevelObjectives.html
// Its service metrics (Latency, Error, Fault) are in ApplicationSignals.
const (
	SLONamespace        = "AWS/ApplicationSignals"
	BurnRateName        = "BurnRate"
	AttainmentName      = "AttainmentRate"
	BudgetRemainingName = "ErrorBudgetRemaining"
	AppSignalsNamespace = "ApplicationSignals"
)

// Synthetics publishes canary metrics in CloudWatchSynthetics with the
// dimension CanaryName (and StepName per step):
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_metrics.html
const SyntheticsNamespace = "CloudWatchSynthetics"

// RUM publishes Web Vitals in the AWS/RUM namespace with the dimension
// application_name (the app monitor's name):
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-RUM-metrics.html
const RUMNamespace = "AWS/RUM"

func sloMetric(name, sloName string, extra ...plan.Dimension) plan.Metric {
	return plan.Metric{Namespace: SLONamespace, Name: name, Stat: "Maximum",
		Dimensions: append(extra, plan.Dimension{Name: "SloName", Value: sloName})}
}

// BurnRate is an SLO's burn rate over one look-back window.
func BurnRate(x *plan.SLO, window time.Duration) plan.Metric {
	return sloMetric(BurnRateName, x.Name, plan.Dimension{Name: "BurnRateWindowMinutes", Value: fmt.Sprint(int(window / time.Minute))})
}

// Attainment is an SLO's attainment over its interval, in percent.
func Attainment(x *plan.SLO) plan.Metric {
	m := sloMetric(AttainmentName, x.Name)
	m.Stat = "Minimum"
	return m
}

// BudgetRemaining is the error budget an SLO has left over its interval.
func BudgetRemaining(x *plan.SLO) plan.Metric {
	m := sloMetric(BudgetRemainingName, x.Name)
	m.Stat = "Minimum"
	return m
}

// SLISource is the metric an SLI is computed from (its latency metric, its
// total count, or the Application Signals Latency metric of its
// operation), with the statistic that counts its requests. ok is false when
// an operation-based SLI's service has no Application Signals attributes.
func SLISource(svc *plan.Service, x *plan.SLO) (m plan.Metric, ok bool) {
	operation := ""
	switch {
	case x.Latency != nil && x.Latency.Metric != nil:
		return *x.Latency.Metric, true
	case x.Latency != nil:
		operation = x.Latency.Operation
	case x.Ratio != nil && x.Ratio.Operation != "":
		operation = x.Ratio.Operation
	case x.Ratio != nil && x.Ratio.Total != nil && x.Ratio.Total.Metric != nil:
		return *x.Ratio.Total.Metric, true
	case x.Ratio != nil && x.Ratio.Total != nil && len(x.Ratio.Total.Inputs) > 0:
		return x.Ratio.Total.Inputs[0].Metric, true
	}
	if operation == "" || svc.AppSignals == nil {
		return plan.Metric{}, false
	}
	return AppSignalsLatency(svc, operation), true
}

// AppSignalsLatency is the Application Signals Latency metric of one
// operation of a service.
func AppSignalsLatency(svc *plan.Service, operation string) plan.Metric {
	return plan.Metric{Namespace: AppSignalsNamespace, Name: "Latency", Dimensions: []plan.Dimension{
		{Name: "Environment", Value: svc.AppSignals.Environment},
		{Name: "Operation", Value: operation},
		{Name: "Service", Value: svc.AppSignals.Name},
	}}
}

// AppSignalsFaults is the Application Signals Fault metric (server-side
// failures) of one operation of a service, summed.
func AppSignalsFaults(svc *plan.Service, operation string) plan.Metric {
	m := AppSignalsLatency(svc, operation)
	m.Name, m.Stat = "Fault", "Sum"
	return m
}

// RequestCount is the metric and statistic that count an SLI's requests:
// samples of a latency metric, or the total of an availability SLI.
func RequestCount(svc *plan.Service, x *plan.SLO) (plan.Metric, string, bool) {
	m, ok := SLISource(svc, x)
	if !ok {
		return m, "", false
	}
	if x.Latency != nil || (x.Ratio != nil && x.Ratio.Operation != "") || m.Stat == "" {
		return m, "SampleCount", true
	}
	return m, m.Stat, true
}

// RequestsPerSecond is the metric-math expression that turns the request
// count of a period (the query with id "requests", from RequestCount) into
// requests per second. PERIOD returns a metric's period in seconds:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
const RequestsPerSecond = "requests/PERIOD(requests)"

// RateQuery is an SLI's requests per second as metric-math queries: the
// metrics it reads (Inputs, never returned), the count of a period under the
// id "requests" (Count: an expression over the inputs, or "" when the one
// input is "requests" itself) and the rate under the id "rps" (Rate). The
// validated-load alarm compares the rate with an SLO's load and the traffic
// widget draws it, so the graph shows what the alarm evaluates.
type RateQuery struct {
	Inputs []StatQuery
	Count  string
	Rate   string
}

// StatQuery is one metric of a RateQuery with its id and statistic.
type StatQuery struct {
	ID     string
	Metric plan.Metric
	Stat   string
}

// totalPrefix prefixes the input ids of an availability SLI's total
// expression, so that none can be "requests" or "rps".
const totalPrefix = "total_"

// identifier matches the ids in a metric-math expression.
var identifier = regexp.MustCompile(`\b[a-z][A-Za-z0-9_]*\b`)

// RequestRate is the SLI's requests per second: RequestCount over
// PERIOD, or, when an availability SLI's total is metric math, that
// expression over all of its inputs (RequestCount has only the first)
// divided by the period of its first input. ok is false when the requests
// cannot be counted (RequestCount).
func RequestRate(svc *plan.Service, x *plan.SLO) (RateQuery, bool) {
	if x.Ratio != nil && x.Ratio.Operation == "" && x.Ratio.Total != nil && x.Ratio.Total.Metric == nil && len(x.Ratio.Total.Inputs) > 0 {
		t := x.Ratio.Total
		q := RateQuery{}
		ids := map[string]bool{}
		for _, in := range t.Inputs {
			ids[in.ID] = true
			q.Inputs = append(q.Inputs, StatQuery{totalPrefix + in.ID, in.Metric, cmp.Or(in.Metric.Stat, "Sum")})
		}
		q.Count = identifier.ReplaceAllStringFunc(t.Expression, func(id string) string {
			if ids[id] {
				return totalPrefix + id
			}
			return id
		})
		q.Rate = fmt.Sprintf("requests/PERIOD(%s)", q.Inputs[0].ID)
		return q, true
	}
	m, stat, ok := RequestCount(svc, x)
	if !ok {
		return RateQuery{}, false
	}
	return RateQuery{Inputs: []StatQuery{{"requests", m, stat}}, Rate: RequestsPerSecond}, true
}

// Metric math IDs of a burn-rate tier alarm's inputs: the SLO's BurnRate
// over the tier's long and short windows, and the SLI's request count when
// the SLO has a low-traffic guard.
const (
	TierLongID     = "long"
	TierShortID    = "short"
	TierRequestsID = "requests"
)

// TierExpression is the metric math of a burn-rate tier's one alarm: the
// lower of the two windows' burn rates, so the alarm is above the tier's
// factor only when both windows are, and with minRequests > 0 only in
// minutes with at least that many requests (IF without a false value yields
// no datapoint, and missing data does not breach). constructs.NewSLO
// deploys this string and package alarmeval's tests evaluate it, so the
// proof that it is the AND of the guarded windows follows any change.
func TierExpression(minRequests int) string {
	min := fmt.Sprintf("MIN([%s, %s])", TierLongID, TierShortID)
	if minRequests <= 0 {
		return min
	}
	return fmt.Sprintf("IF(%s >= %d, %s)", TierRequestsID, minRequests, min)
}

// CanarySuccess is the share of a canary's runs that passed, in percent.
func CanarySuccess(canaryName string) plan.Metric {
	return plan.Metric{Namespace: SyntheticsNamespace, Name: "SuccessPercent", Stat: "Average",
		Dimensions: []plan.Dimension{{Name: "CanaryName", Value: canaryName}}}
}

// CanaryStepDuration is how long one step of a canary took, in milliseconds.
func CanaryStepDuration(canaryName, step string) plan.Metric {
	return plan.Metric{Namespace: SyntheticsNamespace, Name: "Duration", Stat: "Maximum",
		Dimensions: []plan.Dimension{{Name: "CanaryName", Value: canaryName}, {Name: "StepName", Value: step}}}
}

// Vital is one Web Vital a RUM monitor has a budget for.
type Vital struct {
	ID     string // lcp, inp, cls: the suffix of its alarm's id
	Metric plan.Metric
	Budget float64 // in Unit
	Unit   string  // "ms" or ""
}

// WebVitals are the Web Vitals of a RUM monitor (appMonitor is its AWS
// name) that have a budget, at the monitor's budget percentile.
func WebVitals(r *plan.RUM, appMonitor string) []Vital {
	metric := func(name string) plan.Metric {
		return plan.Metric{Namespace: RUMNamespace, Name: name, Stat: r.Percentile,
			Dimensions: []plan.Dimension{{Name: "application_name", Value: appMonitor}}}
	}
	var out []Vital
	if r.LCP > 0 {
		out = append(out, Vital{"lcp", metric("WebVitalsLargestContentfulPaint"), float64(r.LCP.Milliseconds()), "ms"})
	}
	if r.INP > 0 {
		out = append(out, Vital{"inp", metric("WebVitalsInteractionToNextPaint"), float64(r.INP.Milliseconds()), "ms"})
	}
	if r.CLS != nil {
		out = append(out, Vital{"cls", metric("WebVitalsCumulativeLayoutShift"), *r.CLS, ""})
	}
	return out
}
