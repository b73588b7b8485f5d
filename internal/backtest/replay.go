package backtest

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/internal/alarmeval"
	"github.com/slocatalog/slocatalog/internal/generated"
	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// Input is one series an alarm reads.
type Input struct {
	Metric plan.Metric
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
	// FromSLI is what a latency tier reads when the export lacks its
	// BurnRate series: the SLI's percentile per period (and the guard's
	// requests), from which the burn rates are derived.
	FromSLI []Input
	Skip    string // why it cannot be replayed, or empty

	build func(d *Data, fromSLI bool) (alarmeval.Timeline, error)
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
func Targets(env *plan.Environment) []Target {
	var out []Target
	for _, s := range env.Services {
		for _, x := range s.SLOs {
			for _, t := range x.Tiers {
				out = append(out, tierTarget(s, x, t))
			}
			if x.LoadGuard != nil && x.LoadRPS > 0 {
				out = append(out, loadGuardTarget(s, x))
			}
		}
		for _, a := range s.Alarms {
			out = append(out, alarmTarget(s, a))
		}
	}
	return out
}

// TierRule is the rule of a burn-rate tier's alarm, as constructs/slo.go
// makes it: the tier's expression above the factor in the last minute, 1 of
// 1, missing data not breaching.
func TierRule(t plan.Tier) alarmeval.Rule {
	return alarmeval.Rule{Comparison: "GreaterThanThreshold", Threshold: t.Factor, Period: time.Minute, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: alarmeval.NotBreaching}
}

// TierTimeline replays a tier's alarm: metrics.TierExpression(minRequests),
// the string the alarm deploys, over the long and short windows' burn-rate
// sources and the request count (nil when minRequests is 0). It is in ALARM
// when both windows are above the factor in a minute with enough requests
// (the AND of the two guarded windows while both series report every
// minute; see alarmeval.TestMinOfGuardedWindows).
func TierTimeline(t plan.Tier, minRequests int, long, short, requests alarmeval.Source, g alarmeval.Grid) (alarmeval.Timeline, error) {
	vars := map[string]alarmeval.Source{metrics.TierLongID: long, metrics.TierShortID: short}
	if requests != nil {
		vars[metrics.TierRequestsID] = requests
	}
	src, err := alarmeval.Expression(metrics.TierExpression(minRequests), vars)
	if err != nil {
		return alarmeval.Timeline{}, err
	}
	return alarmeval.Evaluate(TierRule(t), src, g)
}

func tierTarget(s *plan.Service, x *plan.SLO, t plan.Tier) Target {
	tg := Target{Service: s.Name, ID: x.ID, Tier: t.Name(), Severity: t.Severity,
		Summary: fmt.Sprintf("burn rate > %s over %s and %s", trim(t.Factor), spec.FormatDuration(t.Long), spec.FormatDuration(t.Short))}
	long := Input{metrics.BurnRate(x, t.Long), "Maximum", 60}
	short := Input{metrics.BurnRate(x, t.Short), "Maximum", 60}
	tg.Inputs = []Input{long, short}
	// The deployed guard counts an availability total's whole expression
	// (metrics.RequestRate); the replay evaluates only MIN and IF, so for a
	// total over several metrics it reads the first (metrics.RequestCount).
	req, reqStat, guarded := metrics.RequestCount(s, x)
	guarded = guarded && x.MinRequests > 0
	if guarded {
		tg.Inputs = append(tg.Inputs, Input{req, reqStat, 60})
		tg.Summary += fmt.Sprintf(", ≥%d requests a minute", x.MinRequests)
	}
	var sli Input
	if l := x.Latency; l != nil {
		if m, ok := metrics.SLISource(s, x); ok {
			sli = Input{m, l.Percentile, l.PeriodSeconds}
			tg.FromSLI = append([]Input{sli}, tg.Inputs[2:]...)
		}
	}
	minRequests := 0
	if guarded {
		minRequests = x.MinRequests
	}
	tg.build = func(d *Data, fromSLI bool) (alarmeval.Timeline, error) {
		var requests alarmeval.Source
		if guarded {
			requests = alarmeval.Aggregate(d.Series[Key(req, reqStat)], reqStat)
		}
		g := alarmeval.GridFor(TierRule(t), d.Start, d.End)
		if fromSLI {
			bad := badPeriods(d.Series[Key(sli.Metric, sli.Stat)], x.Latency.Threshold)
			return TierTimeline(t, minRequests, burnFromSLI(bad, t.Long, x.Objective), burnFromSLI(bad, t.Short, x.Objective), requests, g)
		}
		scale := 1.0
		if pub, ok := d.PublishedObjectives[x.Name]; ok && pub != x.Objective {
			// burn rate = bad fraction / (1 − objective): the same bad
			// fraction burns the budget of another objective at another rate.
			scale = (1 - pub/100) / (1 - x.Objective/100)
		}
		src := func(in Input) alarmeval.Source {
			return scaled(alarmeval.Aggregate(d.Series[Key(in.Metric, in.Stat)], in.Stat), scale)
		}
		return TierTimeline(t, minRequests, src(long), src(short), requests, g)
	}
	return tg
}

// badPeriods is the running count of an SLI's periods and of its bad ones
// (the percentile at or above the threshold: Application Signals counts a
// period good when it is LessThan the threshold), by the start of each
// period in time order.
type badCount struct {
	times      []time.Time
	total, bad []int // counts of the periods before index i
}

func badPeriods(sli alarmeval.Series, threshold float64) badCount {
	c := badCount{total: []int{0}, bad: []int{0}}
	for i, p := range sli {
		c.times = append(c.times, p.Time)
		c.total = append(c.total, i+1)
		b := c.bad[i]
		if p.Value >= threshold {
			b++
		}
		c.bad = append(c.bad, b)
	}
	return c
}

// burnFromSLI derives the burn rate over a look-back window w, as
// Application Signals defines it: "burn rate = error rate over the
// look-back window / (100% - attainment goal percentage)"
// (https://docs.aws.amazon.com/applicationsignals/latest/APIReference/API_BurnRateConfiguration.html),
// the error rate of a period-based SLO being its bad periods over its
// periods. The datapoint of the minute that ends at end reads the periods
// that start in [end − w, end); periods with no datapoint are left out of
// both counts (an assumption: Application Signals does not document them),
// and a window with none has no burn rate.
func burnFromSLI(c badCount, w time.Duration, objective float64) alarmeval.Source {
	index := func(t time.Time) int {
		return sort.Search(len(c.times), func(i int) bool { return !c.times[i].Before(t) })
	}
	return func(_, end time.Time) (float64, bool) {
		i, j := index(end.Add(-w)), index(end)
		n := c.total[j] - c.total[i]
		if n == 0 {
			return 0, false
		}
		return float64(c.bad[j]-c.bad[i]) / float64(n) / (1 - objective/100), true
	}
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

// loadGuardTarget is an SLO's validated-load alarm (constructs.LoadGuard):
// the SLI's requests per second, requests/PERIOD(requests) over one-minute
// periods, above the load in every period of the guard's duration, missing
// data not breaching.
func loadGuardTarget(s *plan.Service, x *plan.SLO) Target {
	g := x.LoadGuard
	tg := Target{Service: s.Name, ID: names.OverLoadID(x.ID), Severity: g.Severity,
		Summary: fmt.Sprintf("requests/s > %s for %s", trim(x.LoadRPS), spec.FormatDuration(g.For))}
	if r := x.Ratio; r != nil && r.Operation == "" && r.Total != nil && r.Total.Metric == nil {
		tg.Skip = "its requests are a total expression over several metrics, which the replay does not evaluate"
		return tg
	}
	req, stat, ok := metrics.RequestCount(s, x)
	if !ok {
		tg.Skip = "the SLI's request count is not known"
		return tg
	}
	n := int(g.For / time.Minute)
	rule := alarmeval.Rule{Comparison: "GreaterThanThreshold", Threshold: x.LoadRPS, Period: time.Minute,
		EvaluationPeriods: n, DatapointsToAlarm: n, TreatMissingData: alarmeval.NotBreaching}
	in := Input{req, stat, 60}
	tg.Inputs = []Input{in}
	if err := rule.Validate(); err != nil {
		tg.Skip = err.Error()
		return tg
	}
	tg.build = func(d *Data, _ bool) (alarmeval.Timeline, error) {
		src := alarmeval.PerSecond(alarmeval.Aggregate(d.Series[Key(in.Metric, in.Stat)], in.Stat))
		return alarmeval.Evaluate(rule, src, alarmeval.GridFor(rule, d.Start, d.End))
	}
	return tg
}

func alarmTarget(s *plan.Service, a *plan.Alarm) Target {
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
	tg.build = func(d *Data, _ bool) (alarmeval.Timeline, error) {
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

// Result is the replay of one target.
type Result struct {
	Target
	Episodes []alarmeval.Episode
	Absent   []string // keys of the series it reads that the export lacks
	// DerivedFromSLI: the tier's burn rates were derived from its SLI
	// series, the export having no BurnRate series for it.
	DerivedFromSLI bool
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
	Notes      []string // caveats printed after the results
}

// StaleBurnRates notes, for a replay of cur over an export of what base
// deployed, each latency SLO whose SLI changes (threshold, percentile,
// period or metric) but whose tiers were replayed from BurnRate series:
// those measure the deployed SLI, so the replay cannot show the change.
func StaleBurnRates(base, cur *plan.Environment, rep *Report) []string {
	fromBurn := map[string]bool{}
	for _, res := range rep.Results {
		if res.Tier != "" && res.Replayed() && !res.DerivedFromSLI {
			fromBurn[res.Service+"/"+res.ID] = true
		}
	}
	var notes []string
	for _, s := range cur.Services {
		bs := base.Service(s.Name)
		if bs == nil {
			continue
		}
		for _, x := range s.SLOs {
			bx := bs.SLO(x.ID)
			if bx == nil || x.Latency == nil || bx.Latency == nil || !fromBurn[s.Name+"/"+x.ID] {
				continue
			}
			l, bl := x.Latency, bx.Latency
			bm, _ := metrics.SLISource(bs, bx)
			m, _ := metrics.SLISource(s, x)
			if l.Threshold != bl.Threshold || l.Percentile != bl.Percentile || l.PeriodSeconds != bl.PeriodSeconds || Key(m, "") != Key(bm, "") {
				notes = append(notes, fmt.Sprintf("%s/%s changes its SLI (%s < %s %s per %ds, was %s < %s %s per %ds): the BurnRate series measure the deployed one, so its tiers replay that; to replay the change, export the SLI series %q and leave the BurnRate series out",
					s.Name, x.ID, l.Percentile, trim(l.Threshold), generated.UnitAbbrev(l.Unit), l.PeriodSeconds, bl.Percentile, trim(bl.Threshold), generated.UnitAbbrev(bl.Unit), bl.PeriodSeconds, Key(m, l.Percentile)))
			}
		}
	}
	return notes
}

// Replay evaluates every alarm and tier of the environment over the data.
// A target that reads a series the export lacks is reported with Absent set
// and not evaluated: a whole missing series says the export is incomplete,
// not that CloudWatch had no data.
func Replay(env *plan.Environment, d *Data) (*Report, error) {
	rep := &Report{Env: env.Name, Start: d.Start, End: d.End}
	for _, t := range Targets(env) {
		res := Result{Target: t}
		if t.Skip == "" {
			res.Absent = absent(t.Inputs, d)
			if len(res.Absent) > 0 && len(t.FromSLI) > 0 && len(absent(t.FromSLI, d)) == 0 {
				res.Absent, res.DerivedFromSLI = nil, true
			}
			if len(res.Absent) == 0 {
				tl, err := t.build(d, res.DerivedFromSLI)
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

// absent lists the keys of the inputs the export lacks.
func absent(inputs []Input, d *Data) []string {
	var out []string
	for _, in := range inputs {
		if k := Key(in.Metric, in.Stat); d.Series[k] == nil {
			out = append(out, k)
		}
	}
	return out
}
