package backtest

import (
	"fmt"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/internal/alarmeval"
	"github.com/slocatalog/slocatalog/slos"
)

// Application Signals publishes, per SLO and look-back window, a BurnRate
// metric with the dimensions SloName and BurnRateWindowMinutes:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-ServiceLevelObjectives.html
// (section "Calculate burn rates"). The project's tier alarms read its
// Maximum a minute (constructs/slo.go).
const (
	burnRateNamespace   = "AWS/ApplicationSignals"
	burnRateMetric      = "BurnRate"
	appSignalsNamespace = "ApplicationSignals"
)

// Input is one series an alarm reads.
type Input struct {
	Metric slos.MetricPlan
	Stat   string
	Period int // seconds: the alarm's period
}

// Target is one alarm or burn-rate tier of a service, as the stack makes it.
type Target struct {
	Service, ID string
	Tier        string // tier name (page-1h-5m) for a burn-rate tier, else empty
	Severity    string
	Summary     string  // what it watches, for people
	Inputs      []Input // every series it reads
	Skip        string  // why it cannot be replayed, or empty

	build func(d *Data) (alarmeval.Timeline, error)
}

// Name is "service/id" or "service/id tier".
func (t Target) Name() string {
	if t.Tier != "" {
		return t.Service + "/" + t.ID + " " + t.Tier
	}
	return t.Service + "/" + t.ID
}

// Targets lists the environment's alarms and burn-rate tiers in service
// order, each service's SLO tiers before its alarms.
func Targets(env *slos.EnvPlan) []Target {
	var out []Target
	for _, s := range env.Services {
		for _, x := range s.SLOs {
			for _, t := range x.Tiers {
				out = append(out, tierTarget(s, x, t))
			}
		}
		for _, a := range s.Alarms {
			out = append(out, alarmTarget(s, a))
		}
	}
	return out
}

// BurnRateMetric is the Application Signals BurnRate metric of an SLO over
// one look-back window.
func BurnRateMetric(sloName string, window time.Duration) slos.MetricPlan {
	return slos.MetricPlan{Namespace: burnRateNamespace, Name: burnRateMetric, Dimensions: []slos.Dimension{
		{Name: "BurnRateWindowMinutes", Value: fmt.Sprint(int(window / time.Minute))}, {Name: "SloName", Value: sloName},
	}}
}

// TierRule is the rule of one window's alarm of a burn-rate tier, as
// constructs/slo.go makes it: the window's burn rate above the factor in the
// last minute, 1 of 1, missing data not breaching.
func TierRule(t slos.Tier) alarmeval.Rule {
	return alarmeval.Rule{Comparison: "GreaterThanThreshold", Threshold: t.Factor, Period: time.Minute, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: alarmeval.NotBreaching}
}

// TierTimeline replays a tier: the AND of its long- and short-window alarms,
// each reading its burn-rate source (guarded already where the SLO has
// minRequests).
func TierTimeline(t slos.Tier, long, short alarmeval.Source, g alarmeval.Grid) (alarmeval.Timeline, error) {
	r := TierRule(t)
	l, err := alarmeval.Evaluate(r, long, g)
	if err != nil {
		return l, err
	}
	s, err := alarmeval.Evaluate(r, short, g)
	if err != nil {
		return s, err
	}
	return alarmeval.And(l, s)
}

func tierTarget(s *slos.ServicePlan, x *slos.SLOPlan, t slos.Tier) Target {
	tg := Target{Service: s.Name, ID: x.ID, Tier: t.Name(), Severity: t.Severity,
		Summary: fmt.Sprintf("burn rate > %s over %s and %s", trim(t.Factor), slos.FormatDuration(t.Long), slos.FormatDuration(t.Short))}
	long := Input{BurnRateMetric(x.Name, t.Long), "Maximum", 60}
	short := Input{BurnRateMetric(x.Name, t.Short), "Maximum", 60}
	tg.Inputs = []Input{long, short}
	req, reqStat, guarded := requestCount(s, x)
	guarded = guarded && x.MinRequests > 0
	if guarded {
		tg.Inputs = append(tg.Inputs, Input{req, reqStat, 60})
		tg.Summary += fmt.Sprintf(", ≥%d requests a minute", x.MinRequests)
	}
	tg.build = func(d *Data) (alarmeval.Timeline, error) {
		scale := 1.0
		if pub, ok := d.PublishedObjectives[x.Name]; ok && pub != x.Objective {
			// burn rate = bad fraction / (1 − objective): the same bad
			// fraction burns the budget of another objective at another rate.
			scale = (1 - pub/100) / (1 - x.Objective/100)
		}
		src := func(in Input) alarmeval.Source {
			v := scaled(alarmeval.Aggregate(d.Series[Key(in.Metric, in.Stat)], in.Stat), scale)
			if guarded {
				return alarmeval.Guard(v, alarmeval.Aggregate(d.Series[Key(req, reqStat)], reqStat), float64(x.MinRequests))
			}
			return v
		}
		return TierTimeline(t, src(long), src(short), alarmeval.GridFor(TierRule(t), d.Start, d.End))
	}
	return tg
}

// scaled multiplies a source's datapoints by k.
func scaled(src alarmeval.Source, k float64) alarmeval.Source {
	if k == 1 {
		return src
	}
	return func(start, end time.Time) (float64, bool) {
		v, ok := src(start, end)
		return v * k, ok
	}
}

func alarmTarget(s *slos.ServicePlan, a *slos.AlarmPlan) Target {
	tg := Target{Service: s.Name, ID: a.ID, Severity: a.Severity}
	if a.Anomaly != nil {
		tg.Summary = fmt.Sprintf("%s %s/%s anomaly band %s", a.Statistic, a.Metric.Namespace, a.Metric.Name, trim(a.Anomaly.Band))
		tg.Skip = "an anomaly band: the model CloudWatch learned is not in an export"
		return tg
	}
	rule := alarmeval.Rule{Comparison: a.Comparison, Threshold: a.Threshold, Period: time.Duration(a.PeriodSeconds) * time.Second,
		EvaluationPeriods: a.EvaluationPeriods, DatapointsToAlarm: a.DatapointsToAlarm, TreatMissingData: a.MissingData}
	value := Input{a.Metric, a.Statistic, a.PeriodSeconds}
	tg.Inputs = []Input{value}
	tg.Summary = fmt.Sprintf("%s %s/%s %s %s, %d of %d × %ds", a.Statistic, a.Metric.Namespace, a.Metric.Name, comparisonSymbol[a.Comparison], trim(a.Threshold), a.DatapointsToAlarm, a.EvaluationPeriods, a.PeriodSeconds)
	var samples Input
	if a.MinSamples > 0 {
		// The guarded alarm is metric math and treats missing data as not
		// breaching (constructs/alarms.go, FromPlan).
		samples = Input{a.Metric, "SampleCount", a.PeriodSeconds}
		tg.Inputs = append(tg.Inputs, samples)
		rule.TreatMissingData = alarmeval.NotBreaching
		tg.Summary += fmt.Sprintf(", ≥%d samples", a.MinSamples)
	} else if a.Metric.Namespace == "AWS/DynamoDB" {
		// "Alarms that evaluate metrics in the AWS/DynamoDB namespace always
		// ignore missing data even if you choose a different option":
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
		// (TreatMissingData).
		rule.TreatMissingData = alarmeval.Ignore
		tg.Summary += ", missing data ignored (AWS/DynamoDB)"
	}
	if err := rule.Validate(); err != nil {
		tg.Skip = err.Error()
		return tg
	}
	tg.build = func(d *Data) (alarmeval.Timeline, error) {
		src := alarmeval.Aggregate(d.Series[Key(value.Metric, value.Stat)], value.Stat)
		if a.MinSamples > 0 {
			src = alarmeval.Guard(src, alarmeval.Aggregate(d.Series[Key(samples.Metric, samples.Stat)], "SampleCount"), float64(a.MinSamples))
		}
		return alarmeval.Evaluate(rule, src, alarmeval.GridFor(rule, d.Start, d.End))
	}
	return tg
}

var comparisonSymbol = map[string]string{
	"GreaterThanThreshold":          ">",
	"GreaterThanOrEqualToThreshold": "≥",
	"LessThanThreshold":             "<",
	"LessThanOrEqualToThreshold":    "≤",
}

func trim(f float64) string { return strings.TrimSuffix(fmt.Sprintf("%.4g", f), ".0") }

// requestCount is the metric and statistic that count an SLI's requests,
// which the low-traffic guard of its tiers reads: the samples of a latency
// metric (or of Application Signals' Latency for an operation), or an
// availability SLI's total. It follows requestCount and sliSource in
// constructs/slo.go, which this package cannot import (it links the CDK).
func requestCount(svc *slos.ServicePlan, x *slos.SLOPlan) (slos.MetricPlan, string, bool) {
	operation := ""
	switch {
	case x.Latency != nil && x.Latency.Metric != nil:
		return *x.Latency.Metric, "SampleCount", true
	case x.Latency != nil:
		operation = x.Latency.Operation
	case x.Ratio != nil && x.Ratio.Operation != "":
		operation = x.Ratio.Operation
	case x.Ratio != nil && x.Ratio.Total != nil && x.Ratio.Total.Metric != nil:
		m := *x.Ratio.Total.Metric
		return m, statOr(m.Stat), true
	case x.Ratio != nil && x.Ratio.Total != nil && len(x.Ratio.Total.Inputs) > 0:
		m := x.Ratio.Total.Inputs[0].Metric
		return m, statOr(m.Stat), true
	}
	if operation == "" || svc.AppSignals == nil {
		return slos.MetricPlan{}, "", false
	}
	return slos.MetricPlan{Namespace: appSignalsNamespace, Name: "Latency", Dimensions: []slos.Dimension{
		{Name: "Environment", Value: svc.AppSignals.Environment},
		{Name: "Operation", Value: operation},
		{Name: "Service", Value: svc.AppSignals.Name},
	}}, "SampleCount", true
}

func statOr(s string) string {
	if s == "" {
		return "SampleCount"
	}
	return s
}

// Result is the replay of one target.
type Result struct {
	Target
	Episodes []alarmeval.Episode
	Absent   []string // keys of the series it reads that the export lacks
}

// InAlarm is the total time in ALARM.
func (r Result) InAlarm() time.Duration {
	var d time.Duration
	for _, e := range r.Episodes {
		d += e.Duration()
	}
	return d
}

// Report is the replay of one environment.
type Report struct {
	Env        string
	Start, End time.Time
	Results    []Result
}

// Replay evaluates every alarm and tier of the environment over the data.
// A target that reads a series the export lacks is reported with Absent set
// and not evaluated: a whole missing series says the export is incomplete,
// not that CloudWatch had no data.
func Replay(env *slos.EnvPlan, d *Data) (*Report, error) {
	rep := &Report{Env: env.Name, Start: d.Start, End: d.End}
	for _, t := range Targets(env) {
		res := Result{Target: t}
		if t.Skip == "" {
			for _, in := range t.Inputs {
				if k := Key(in.Metric, in.Stat); d.Series[k] == nil {
					res.Absent = append(res.Absent, k)
				}
			}
			if len(res.Absent) == 0 {
				tl, err := t.build(d)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", t.Name(), err)
				}
				res.Episodes = tl.Episodes()
			}
		}
		rep.Results = append(rep.Results, res)
	}
	return rep, nil
}
