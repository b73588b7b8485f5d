package alarmeval

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/metrics"
)

var t0 = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// minutes builds a one-minute series from a pattern: one character a minute
// from t0, X = breaching (value 10), 0 = not breaching (value 1), - = missing.
func minutes(pattern string) Series {
	var s Series
	for i, c := range pattern {
		switch c {
		case 'X':
			s = append(s, Point{t0.Add(time.Duration(i) * time.Minute), 10})
		case '0':
			s = append(s, Point{t0.Add(time.Duration(i) * time.Minute), 1})
		}
	}
	return s
}

// replay evaluates a 60 s "> 5" alarm over a minute pattern at every minute
// from the end of minute N (the first with N whole periods of data) to the
// end of the pattern: one letter per evaluation.
func replay(t *testing.T, r Rule, pattern string) string {
	t.Helper()
	r.Comparison, r.Threshold, r.Period = "GreaterThanThreshold", 5, time.Minute
	g := GridFor(r, t0, t0.Add(time.Duration(len(pattern))*time.Minute))
	tl, err := Evaluate(r, Aggregate(minutes(pattern), "Maximum"), g)
	if err != nil {
		t.Fatal(err)
	}
	return tl.String()
}

func f(v float64) *float64 { return &v }

// TestDecideMissingData holds Decide to the rules of "How alarm state is
// evaluated when data is missing" for 3 of 3 datapoints and an evaluation
// range of 5, newest datapoint last in each pattern as the AWS table writes it.
func TestDecideMissingData(t *testing.T) {
	cases := []struct {
		pattern                               string
		missing, ignore, breaching, notBreach State
	}{
		// Three real datapoints: the treatment plays no part.
		{"0-X-X", OK, OK, OK, OK},
		{"0XX-X", Alarm, Alarm, Alarm, Alarm},
		// One real datapoint, not breaching: two fills cannot reach 3.
		{"----0", OK, OK, OK, OK},
		// Nothing at all.
		{"-----", InsufficientData, Alarm /* the state before */, Alarm, OK},
		// Two real breaching: one fill decides.
		{"-X--X", OK, OK, Alarm, OK},
		// One real breaching: only breaching fills reach 3.
		{"--X--", OK, OK, Alarm, OK},
	}
	for _, c := range cases {
		var pts []*float64
		for i := len(c.pattern) - 1; i >= 0; i-- { // newest first
			switch c.pattern[i] {
			case 'X':
				pts = append(pts, f(10))
			case '0':
				pts = append(pts, f(1))
			default:
				pts = append(pts, nil)
			}
		}
		for treat, want := range map[string]State{Missing: c.missing, Ignore: c.ignore, Breaching: c.breaching, NotBreaching: c.notBreach} {
			r := Rule{Comparison: "GreaterThanThreshold", Threshold: 5, Period: time.Minute, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: treat}
			if got := r.Decide(pts, Alarm); got != want {
				t.Errorf("%s with %s: %s, want %s", c.pattern, treat, got, want)
			}
		}
	}
}

// TestMOfN: M breaching datapoints anywhere among the last N fire; fewer do not.
func TestMOfN(t *testing.T) {
	cases := []struct {
		m, n    int
		pattern string
		want    string
	}{
		// 3 of 5: the third breach in five minutes fires, and the alarm
		// clears as soon as fewer than three of the last five breach.
		{3, 5, "X0X0X00000", "Aooooo"},
		// 1 of 1: every breaching minute, no more.
		{1, 1, "0XX0X", "oAAoA"},
		// 5 of 5 needs five in a row.
		{5, 5, "XXXX0XXXXX", "oooooA"},
		// 2 of 3 at the edge: two breaches three minutes apart never share a window.
		{2, 3, "X00X00X", "ooooo"},
		{2, 3, "X0X", "A"},
	}
	for _, c := range cases {
		got := replay(t, Rule{EvaluationPeriods: c.n, DatapointsToAlarm: c.m, TreatMissingData: NotBreaching}, c.pattern)
		if got != c.want {
			t.Errorf("%d of %d over %s: %s, want %s", c.m, c.n, c.pattern, got, c.want)
		}
	}
}

// TestGaps replays a breach followed by a gap under each treatment, 2 of 3.
// The evaluation range (5) reaches back past the gap: while the range still
// holds three real datapoints they decide and the treatment plays no part
// (minutes 4 and 5); with two real breaching ones left, those two fire under
// every treatment (minute 6); then the treatment decides.
func TestGaps(t *testing.T) {
	pattern := "0XXX-----0"
	cases := map[string]string{
		Missing:      "AAAAAo-o",
		NotBreaching: "AAAAAooo",
		Breaching:    "AAAAAAAA",
		Ignore:       "AAAAAooo",
	}
	for treat, want := range cases {
		got := replay(t, Rule{EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: treat}, pattern)
		if got != want {
			t.Errorf("%s over %s: %s, want %s", treat, pattern, got, want)
		}
	}
	// 1 of 1 reading one period: a whole range missing shows each treatment
	// alone; ignore keeps ALARM through the gap.
	short := map[string]string{Missing: "AA--o", NotBreaching: "AAooo", Breaching: "AAAAo", Ignore: "AAAAo"}
	for treat, want := range short {
		got := replay(t, Rule{EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: treat, EvaluationRange: 1}, "XX--0")
		if got != want {
			t.Errorf("1 of 1, %s over XX--0: %s, want %s", treat, got, want)
		}
	}
}

// TestGuard: a period with fewer samples than the guard asks for yields no
// datapoint, so with notBreaching a p99 of a few requests never fires.
func TestGuard(t *testing.T) {
	values := minutes("XXXXXX")
	var samples Series
	for i, n := range []float64{500, 500, 3, 3, 3, 500} {
		samples = append(samples, Point{t0.Add(time.Duration(i) * time.Minute), n})
	}
	r := Rule{Comparison: "GreaterThanThreshold", Threshold: 5, Period: time.Minute, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: NotBreaching, EvaluationRange: 1}
	src := Guard(Aggregate(values, "p99"), Aggregate(samples, "SampleCount"), 200)
	tl, err := Evaluate(r, src, GridFor(r, t0, t0.Add(6*time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tl.String(), "AAoooA"; got != want {
		t.Errorf("guarded: %s, want %s", got, want)
	}
	// With the range CloudWatch reads by default (N+2), the last real
	// datapoint is still in reach one and two minutes into the quiet.
	r.EvaluationRange = 0
	tl, _ = Evaluate(r, src, GridFor(r, t0, t0.Add(6*time.Minute)))
	if got, want := tl.String(), "AAAAoA"; got != want {
		t.Errorf("guarded, default range: %s, want %s", got, want)
	}
}

// TestAggregate: five one-minute points make one 300 s datapoint per statistic.
func TestAggregate(t *testing.T) {
	var s Series
	for i, v := range []float64{4, 1, 3, 2, 5} {
		s = append(s, Point{t0.Add(time.Duration(i) * time.Minute), v})
	}
	for stat, want := range map[string]float64{"Sum": 15, "SampleCount": 15, "Maximum": 5, "Minimum": 1, "Average": 3, "p99": 5} {
		got, ok := Aggregate(s, stat)(t0, t0.Add(5*time.Minute))
		if !ok || got != want {
			t.Errorf("%s: %v %v, want %v", stat, got, ok, want)
		}
	}
	if _, ok := Aggregate(s, "Sum")(t0.Add(5*time.Minute), t0.Add(10*time.Minute)); ok {
		t.Error("a period with no points has a datapoint")
	}
}

// TestComparisons: each comparison operator at, above and below the threshold.
func TestComparisons(t *testing.T) {
	want := map[string][3]bool{ // below, at, above
		"GreaterThanThreshold":          {false, false, true},
		"GreaterThanOrEqualToThreshold": {false, true, true},
		"LessThanThreshold":             {true, false, false},
		"LessThanOrEqualToThreshold":    {true, true, false},
	}
	for op, w := range want {
		r := Rule{Comparison: op, Threshold: 5}
		for i, v := range []float64{4, 5, 6} {
			if got := r.Breaches(v); got != w[i] {
				t.Errorf("%s %v: %v, want %v", op, v, got, w[i])
			}
		}
	}
	if err := (Rule{Comparison: "GreaterThanUpperThreshold", Period: time.Minute, EvaluationPeriods: 1}).Validate(); err == nil {
		t.Error("an anomaly comparison validates")
	}
}

// TestCompositeAndEpisodes: AND fires only where both children are in
// ALARM, OR where either is; episodes give start, end and whether still open.
func TestCompositeAndEpisodes(t *testing.T) {
	g := Grid{Start: t0, Step: time.Minute, Count: 6}
	a := Timeline{Grid: g, States: []State{OK, Alarm, Alarm, Alarm, OK, Alarm}}
	b := Timeline{Grid: g, States: []State{Alarm, Alarm, InsufficientData, Alarm, OK, Alarm}}
	and, err := And(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if got := and.String(); got != "oAoAoA" {
		t.Errorf("AND: %s", got)
	}
	or, _ := Or(a, b)
	if got := or.String(); got != "AAAAoA" {
		t.Errorf("OR: %s", got)
	}
	eps := and.Episodes()
	if len(eps) != 3 || !eps[0].Start.Equal(t0.Add(time.Minute)) || eps[0].Duration() != time.Minute || eps[1].Open || !eps[2].Open {
		t.Errorf("episodes: %+v", eps)
	}
	if _, err := And(a, Timeline{Grid: Grid{Start: t0, Step: time.Minute, Count: 5}, States: make([]State, 5)}); err == nil {
		t.Error("AND of different grids")
	}
}

// TestMinOfGuardedWindows: one alarm on IF(requests >= N, MIN([long, short]))
// (metrics.TierExpression, the string constructs.NewSLO deploys) is in ALARM exactly when the AND of the two guarded window alarms is, as
// long as both burn-rate series have a datapoint every minute (the guard
// then drops the same minutes from both, and each alarm's look-back lands on
// the same minute). A gap in one series alone breaks the equivalence: that
// window's alarm looks back past the gap on its own, MIN has no datapoint
// there and looks back for both.
func TestMinOfGuardedWindows(t *testing.T) {
	r := Rule{Comparison: "GreaterThanThreshold", Threshold: 2, Period: time.Minute, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: NotBreaching}
	rng := rand.New(rand.NewPCG(18, 19))
	const n = 600
	g := GridFor(r, t0, t0.Add(n*time.Minute))
	for trial := range 50 {
		long, short, req := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			long[i], short[i], req[i] = 4*rng.Float64(), 4*rng.Float64(), float64(rng.IntN(40))
		}
		one, pair := minAndPair(r, g, long, short, req)
		if one.String() != pair.String() {
			t.Fatalf("trial %d: one alarm %s\npair      %s", trial, one, pair)
		}
	}
	// Minute 99: long under the factor, short over; 100-102: long over,
	// short missing, traffic enough. The evaluation at 101 reads minute 100:
	// the long alarm breaches there, the short one looks back to 99 and
	// breaches too; MIN looks back to 99 for both and does not.
	long, short, req := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		req[i] = 30
	}
	long[99], short[99] = 1, 3
	for i := 100; i < 103; i++ {
		long[i], short[i] = 3, math.NaN()
	}
	one, pair := minAndPair(r, g, long, short, req)
	if one.States[100] != OK || pair.States[100] != Alarm {
		t.Errorf("gap in the short window at minute 100: one alarm %s, pair %s", one.States[100], pair.States[100])
	}
}

// minAndPair replays a tier both ways over per-minute long and short burn
// rates (NaN: no datapoint) and request counts, with a guard of 20.
func minAndPair(r Rule, g Grid, long, short, req []float64) (one, pair Timeline) {
	series := func(vals []float64) Source {
		var s Series
		for i, v := range vals {
			if !math.IsNaN(v) {
				s = append(s, Point{t0.Add(time.Duration(i) * time.Minute), v})
			}
		}
		return Aggregate(s, "Maximum")
	}
	l, s, q := series(long), series(short), series(req)
	tier, err := Expression(metrics.TierExpression(20), map[string]Source{metrics.TierLongID: l, metrics.TierShortID: s, metrics.TierRequestsID: q})
	if err != nil {
		panic(err)
	}
	one, _ = Evaluate(r, tier, g)
	lt, _ := Evaluate(r, Guard(l, q, 20), g)
	st, _ := Evaluate(r, Guard(s, q, 20), g)
	pair, _ = And(lt, st)
	return one, pair
}

// TestValidatedLoad replays the validated-load alarm of an SLO stated at
// 100 rps with the default guard (constructs.LoadGuard): the request count
// of each minute as requests/PERIOD(requests), GreaterThanThreshold 100,
// 15 of 15 one-minute periods, missing data not breaching. Traffic exactly
// at the load never fires; above it for 15 minutes does, for 14 does not.
// A minute without data inside a 16-minute surge does not hold it off: the
// 15 most recent real datapoints of the evaluation range decide.
func TestValidatedLoad(t *testing.T) {
	r := Rule{Comparison: "GreaterThanThreshold", Threshold: 100, Period: time.Minute, EvaluationPeriods: 15, DatapointsToAlarm: 15, TreatMissingData: NotBreaching}
	// traffic is an hour of per-minute request counts: 80 rps, then a
	// stretch of the given length at rps (nil: missing), then 80 rps again.
	traffic := func(rps float64, surge int, gapAt int) Source {
		var s Series
		for i := range 60 {
			v := 80.0 * 60
			if i >= 20 && i < 20+surge {
				v = rps * 60
				if i == 20+gapAt {
					continue
				}
			}
			s = append(s, Point{t0.Add(time.Duration(i) * time.Minute), v})
		}
		return PerSecond(Aggregate(s, "Sum"))
	}
	for _, c := range []struct {
		what      string
		rps       float64
		surge     int
		gapAt     int
		wantAlarm bool
	}{
		{"exactly at the load for 30 minutes", 100, 30, -1, false},
		{"above the load for 15 minutes", 100.02, 15, -1, true},
		{"above the load for 14 minutes", 150, 14, -1, false},
		{"far above the load for 16 minutes with a minute of no data", 400, 16, 8, true},
		{"far above the load for 15 minutes with a minute of no data", 400, 15, 8, false},
	} {
		src := traffic(c.rps, c.surge, c.gapAt)
		tl, err := Evaluate(r, src, GridFor(r, t0, t0.Add(time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		eps := tl.Episodes()
		if got := len(eps) > 0; got != c.wantAlarm {
			t.Errorf("%s: alarm %t, want %t (%s)", c.what, got, c.wantAlarm, tl)
		}
		if c.wantAlarm && len(eps) == 1 && c.gapAt < 0 {
			// It fires at the end of the 15th minute above the load.
			if want := t0.Add(35 * time.Minute); !eps[0].Start.Equal(want) {
				t.Errorf("%s: fires at %s, want %s", c.what, eps[0].Start.Format("15:04"), want.Format("15:04"))
			}
		}
	}
	// The rate is the count over the period's seconds.
	if v, ok := PerSecond(Aggregate(Series{{t0, 6000}}, "Sum"))(t0, t0.Add(time.Minute)); !ok || v != 100 {
		t.Errorf("PerSecond: %v %t, want 100", v, ok)
	}
}

// TestExpression: the metric math the replay reads, and what it refuses.
func TestExpression(t *testing.T) {
	g := Grid{Start: t0, Step: time.Minute, Count: 4}
	series := func(vals ...float64) Source {
		var s Series
		for i, v := range vals {
			if !math.IsNaN(v) {
				s = append(s, Point{t0.Add(time.Duration(i) * time.Minute), v})
			}
		}
		return Aggregate(s, "Maximum")
	}
	vars := map[string]Source{
		"long": series(3, 3, 1, 3), "short": series(3, math.NaN(), 3, 3), "requests": series(30, 30, 30, 5),
	}
	r := Rule{Comparison: "GreaterThanThreshold", Threshold: 2, Period: time.Minute, EvaluationPeriods: 1, TreatMissingData: NotBreaching, EvaluationRange: 1}
	for _, tt := range []struct{ expr, want string }{
		{"long", "AAoA"},
		{"MIN([long, short])", "AooA"},
		{"IF(requests >= 20, MIN([long,short]))", "Aooo"},
		{metrics.TierExpression(0), "AooA"},
		{metrics.TierExpression(20), "Aooo"},
	} {
		src, err := Expression(tt.expr, vars)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		// Each minute is evaluated at its end, reading that minute only.
		tl, err := Evaluate(r, src, Grid{Start: g.Start.Add(time.Minute), Step: g.Step, Count: g.Count})
		if err != nil {
			t.Fatal(err)
		}
		if got := tl.String(); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.expr, got, tt.want)
		}
	}
	for _, bad := range []string{"", "MAX([long, short])", "IF(requests > 20, long)", "MIN([long, nope])", "long short", "IF(requests >= x, long)"} {
		if _, err := Expression(bad, vars); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
