// Package alarmeval evaluates CloudWatch metric alarms and composite alarms
// over metric series, in plain Go: what state an alarm would have been in at
// each minute, given the datapoints CloudWatch would have read. It knows the
// alarm settings (period, M out of N datapoints, missing-data treatment,
// comparison), the low-traffic guard the project writes as metric math
// (IF(samples >= N, value)), requests per second (requests/PERIOD(requests))
// and composites (AND, OR); it knows nothing of the
// catalog's files or of the CDK.
//
// The rules, as AWS documents them:
//   - Alarm evaluation (period, evaluation periods, datapoints to alarm; an
//     alarm with a period of a minute or more is evaluated every minute over
//     the last periods ending then):
//     https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html
//   - Missing data (the four treatments and the evaluation range):
//     https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
//   - Metric math IF (a false condition with no false value yields no
//     datapoint):
//     https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
//   - Composite alarms (ALARM(x) is true only while x is in ALARM):
//     https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html
package alarmeval

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// State is an alarm state.
type State uint8

// Alarm states. InsufficientData is the zero value: the state of an alarm
// before its first evaluation.
const (
	InsufficientData State = iota
	OK
	Alarm
)

// String is the state as CloudWatch spells it.
func (s State) String() string {
	switch s {
	case OK:
		return "OK"
	case Alarm:
		return "ALARM"
	}
	return "INSUFFICIENT_DATA"
}

// Missing-data treatments, as CloudFormation's TreatMissingData spells them.
const (
	Missing      = "missing"
	NotBreaching = "notBreaching"
	Breaching    = "breaching"
	Ignore       = "ignore"
)

// Point is one datapoint of a metric series: the value of the period that
// starts at Time (CloudWatch stamps a datapoint with the start of its period).
type Point struct {
	Time  time.Time
	Value float64
}

// Series is a metric series in time order. A period with no point is missing.
type Series []Point

// Sorted returns the series in time order; the input is not changed.
// get-metric-data returns newest first by default.
func (s Series) Sorted() Series {
	out := append(Series(nil), s...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// window returns the points with start ≤ Time < end of a sorted series.
func (s Series) window(start, end time.Time) Series {
	i := sort.Search(len(s), func(i int) bool { return !s[i].Time.Before(start) })
	j := sort.Search(len(s), func(j int) bool { return !s[j].Time.Before(end) })
	return s[i:j]
}

// Source gives the datapoint of one alarm period, [start, end), and whether
// there is one. Sources compose: Aggregate reads a series, Guard and Min
// combine sources as the project's metric-math alarms do.
type Source func(start, end time.Time) (float64, bool)

// Aggregate returns the source that computes statistic stat over the points
// of a sorted series that fall in each period. Sum and SampleCount add,
// Maximum and Minimum take the extreme, Average takes the mean of the
// points (exact when each point is one sample or the points weigh the same).
// A percentile cannot be derived from finer percentiles: a period holding one
// point takes it, one holding several takes their maximum, which can only
// make the replay page more than CloudWatch would; export percentiles at the
// alarm's period to avoid it.
func Aggregate(s Series, stat string) Source {
	return func(start, end time.Time) (float64, bool) {
		pts := s.window(start, end)
		if len(pts) == 0 {
			return 0, false
		}
		switch stat {
		case "Sum", "SampleCount":
			var sum float64
			for _, p := range pts {
				sum += p.Value
			}
			return sum, true
		case "Minimum":
			m := math.Inf(1)
			for _, p := range pts {
				m = math.Min(m, p.Value)
			}
			return m, true
		case "Average":
			var sum float64
			for _, p := range pts {
				sum += p.Value
			}
			return sum / float64(len(pts)), true
		}
		// Maximum, and percentiles (see above).
		m := math.Inf(-1)
		for _, p := range pts {
			m = math.Max(m, p.Value)
		}
		return m, true
	}
}

// Guard is the low-traffic guard IF(samples >= min, value): a period whose
// sample count is below min, or missing, yields no datapoint, because metric
// math's IF without a false value drops the datapoint when the condition is
// false.
func Guard(value, samples Source, min float64) Source {
	return func(start, end time.Time) (float64, bool) {
		n, ok := samples(start, end)
		if !ok || n < min {
			return 0, false
		}
		return value(start, end)
	}
}

// PerSecond is value/PERIOD(value): each period's datapoint divided by the
// period's length in seconds, as the validated-load alarm turns a request
// count into requests per second (PERIOD returns a metric's period in
// seconds). A period without a datapoint has none.
func PerSecond(value Source) Source {
	return func(start, end time.Time) (float64, bool) {
		v, ok := value(start, end)
		if !ok {
			return 0, false
		}
		return v / end.Sub(start).Seconds(), true
	}
}

// Min is MIN([a, b]) per period. A period where either source has no
// datapoint has none: the lower of one value is not the lower of both, and
// a tier alarm must not fire on one window alone.
func Min(a, b Source) Source {
	return func(start, end time.Time) (float64, bool) {
		x, okx := a(start, end)
		y, oky := b(start, end)
		if !okx || !oky {
			return 0, false
		}
		return math.Min(x, y), true
	}
}

// Rule is a metric alarm's evaluation settings.
type Rule struct {
	Comparison        string // CloudFormation ComparisonOperator, e.g. GreaterThanThreshold
	Threshold         float64
	Period            time.Duration
	EvaluationPeriods int    // N
	DatapointsToAlarm int    // M; 0 means N
	TreatMissingData  string // missing (the default when empty), notBreaching, breaching, ignore
	// EvaluationRange is how many periods CloudWatch reads at each
	// evaluation, newest first; 0 means EvaluationPeriods + 2. CloudWatch
	// reads "a higher number of data points than the number specified as
	// Evaluation Periods" without publishing how many; its documentation's
	// worked example reads 5 for 3 evaluation periods, which is the default.
	EvaluationRange int
}

// Validate reports settings CloudWatch would refuse or that cannot be evaluated.
func (r Rule) Validate() error {
	if _, err := compare(r.Comparison, 0, 0); err != nil {
		return err
	}
	switch r.TreatMissingData {
	case "", Missing, NotBreaching, Breaching, Ignore:
	default:
		return fmt.Errorf("unknown TreatMissingData %q", r.TreatMissingData)
	}
	if r.Period <= 0 || r.EvaluationPeriods < 1 {
		return fmt.Errorf("period %s and evaluation periods %d must be positive", r.Period, r.EvaluationPeriods)
	}
	if r.DatapointsToAlarm > r.EvaluationPeriods {
		return fmt.Errorf("datapoints to alarm %d is more than evaluation periods %d", r.DatapointsToAlarm, r.EvaluationPeriods)
	}
	return nil
}

// Step is how often CloudWatch evaluates the alarm: every minute for a
// period of a minute or more, every 10 seconds for a high-resolution period.
func (r Rule) Step() time.Duration {
	if r.Period < time.Minute {
		return 10 * time.Second
	}
	return time.Minute
}

// Breaches says whether a datapoint value breaches the threshold.
func (r Rule) Breaches(v float64) bool {
	b, _ := compare(r.Comparison, v, r.Threshold)
	return b
}

func compare(op string, v, threshold float64) (bool, error) {
	switch op {
	case "GreaterThanThreshold":
		return v > threshold, nil
	case "GreaterThanOrEqualToThreshold":
		return v >= threshold, nil
	case "LessThanThreshold":
		return v < threshold, nil
	case "LessThanOrEqualToThreshold":
		return v <= threshold, nil
	}
	return false, fmt.Errorf("comparison %q cannot be replayed (anomaly-band comparisons need the band CloudWatch learned)", op)
}

// Decide returns the state after one evaluation of the datapoints of the
// evaluation range, newest first (nil for a missing period), given the
// state before it. It follows "How alarm state is evaluated when data is
// missing" in
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html:
//   - at least N real datapoints in the range: the N most recent real ones
//     decide, however many periods are missing between them, and the
//     missing-data treatment plays no part;
//   - fewer than N but some: every real datapoint counts, and the rest of
//     the N are filled with the treatment, as few as possible: breaching
//     fills count as breaching, notBreaching fills as not breaching; with
//     missing and ignore the fills count as neither, so the real datapoints
//     alone must reach M;
//   - none: missing goes to INSUFFICIENT_DATA, ignore keeps the state,
//     breaching goes to ALARM, notBreaching to OK.
//
// ALARM needs M breaching datapoints among those N; otherwise the state is OK.
func (r Rule) Decide(points []*float64, prev State) State {
	n := r.EvaluationPeriods
	m := r.DatapointsToAlarm
	if m == 0 {
		m = n
	}
	real, breaching := 0, 0
	for _, p := range points {
		if p == nil {
			continue
		}
		if real == n {
			break
		}
		real++
		if r.Breaches(*p) {
			breaching++
		}
	}
	treat := r.TreatMissingData
	if treat == "" {
		treat = Missing
	}
	if real == 0 {
		switch treat {
		case Breaching:
			if n >= m {
				return Alarm
			}
			return OK
		case NotBreaching:
			return OK
		case Ignore:
			return prev
		}
		return InsufficientData
	}
	if real < n && treat == Breaching {
		breaching += n - real
	}
	if breaching >= m {
		return Alarm
	}
	return OK
}

// Grid is the evaluation times of a replay: Start, Start+Step, … (Count of them).
type Grid struct {
	Start time.Time
	Step  time.Duration
	Count int
}

// At is the i-th evaluation time.
func (g Grid) At(i int) time.Time { return g.Start.Add(time.Duration(i) * g.Step) }

// GridFor is the grid on which rule r is evaluated over data from start to
// end: its first evaluation once N whole periods lie in the data, its last
// at end. Earlier evaluations would read periods before the data as missing,
// which they were not: they are only outside the export.
func GridFor(r Rule, start, end time.Time) Grid {
	first := start.Add(time.Duration(max(r.EvaluationPeriods, 1)) * r.Period)
	if end.Before(first) {
		return Grid{Start: first, Step: r.Step()}
	}
	return Grid{Start: first, Step: r.Step(), Count: int(end.Sub(first)/r.Step()) + 1}
}

// Timeline is an alarm's state at each time of a grid.
type Timeline struct {
	Grid
	States []State
}

// Evaluate replays an alarm over a source: at each time t of the grid it
// reads the datapoints of the evaluation range, the periods ending at t,
// t−Period, … (newest first), and decides the state from them and the state
// before.
func Evaluate(r Rule, src Source, g Grid) (Timeline, error) {
	if err := r.Validate(); err != nil {
		return Timeline{}, err
	}
	size := r.EvaluationRange
	if size == 0 {
		size = r.EvaluationPeriods + 2
	}
	size = max(size, r.EvaluationPeriods)
	tl := Timeline{Grid: g, States: make([]State, g.Count)}
	points := make([]*float64, size)
	values := make([]float64, size)
	prev := InsufficientData
	for i := range g.Count {
		t := g.At(i)
		for k := range size {
			end := t.Add(-time.Duration(k) * r.Period)
			v, ok := src(end.Add(-r.Period), end)
			points[k] = nil
			if ok {
				values[k] = v
				points[k] = &values[k]
			}
		}
		prev = r.Decide(points, prev)
		tl.States[i] = prev
	}
	return tl, nil
}

// And is the composite rule ALARM(a) AND ALARM(b) AND …: ALARM while every
// child is in ALARM, else OK. The timelines must share a grid.
func And(ts ...Timeline) (Timeline, error) {
	return composite(ts, func(n, of int) bool { return n == of })
}

// Or is the composite rule ALARM(a) OR ALARM(b) OR …: ALARM while any child is.
func Or(ts ...Timeline) (Timeline, error) {
	return composite(ts, func(n, of int) bool { return n > 0 })
}

func composite(ts []Timeline, fires func(inAlarm, of int) bool) (Timeline, error) {
	if len(ts) == 0 {
		return Timeline{}, fmt.Errorf("a composite needs at least one alarm")
	}
	g := ts[0].Grid
	for _, t := range ts[1:] {
		if !t.Start.Equal(g.Start) || t.Step != g.Step || t.Count != g.Count {
			return Timeline{}, fmt.Errorf("composite children evaluated on different grids")
		}
	}
	out := Timeline{Grid: g, States: make([]State, g.Count)}
	for i := range g.Count {
		n := 0
		for _, t := range ts {
			if t.States[i] == Alarm {
				n++
			}
		}
		out.States[i] = OK
		if fires(n, len(ts)) {
			out.States[i] = Alarm
		}
	}
	return out, nil
}

// Episode is one stay in ALARM: from the first evaluation in ALARM to the
// first one after it that is not (End), or to the end of the replay (Open).
type Episode struct {
	Start, End time.Time
	Open       bool
}

// Duration is how long the episode lasted.
func (e Episode) Duration() time.Duration { return e.End.Sub(e.Start) }

// Episodes lists the timeline's stays in ALARM in time order. An episode
// still open at the last evaluation ends a step after it.
func (t Timeline) Episodes() []Episode {
	var out []Episode
	in := false
	for i, s := range t.States {
		switch {
		case s == Alarm && !in:
			out = append(out, Episode{Start: t.At(i)})
			in = true
		case s != Alarm && in:
			out[len(out)-1].End = t.At(i)
			in = false
		}
	}
	if in {
		out[len(out)-1].End = t.At(t.Count)
		out[len(out)-1].Open = true
	}
	return out
}

// String renders the timeline as one letter per evaluation: A (ALARM),
// o (OK), - (INSUFFICIENT_DATA); tests compare timelines with it.
func (t Timeline) String() string {
	var b strings.Builder
	for _, s := range t.States {
		b.WriteByte("-oA"[s])
	}
	return b.String()
}
