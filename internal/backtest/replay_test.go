package backtest

import (
	"strings"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/internal/alarmeval"
	"github.com/slocatalog/slocatalog/plan"
)

// burnRates derives, as Application Signals does for a period-based SLI,
// the burn rate over a window of w minutes at each minute from a bad
// fraction per minute: the datapoint of minute m covers minutes m-w+1..m.
// A budget fraction of 0.25 and bad fractions of 0.5 or 0.75 keep the
// arithmetic exact, so "exactly the factor" is exactly the factor.
func burnRates(bad []float64, w int, budget float64) alarmeval.Series {
	var s alarmeval.Series
	for m := range bad {
		var sum float64
		for i := max(0, m-w+1); i <= m; i++ {
			sum += bad[i]
		}
		s = append(s, alarmeval.Point{Time: dayStart.Add(time.Duration(m) * time.Minute), Value: sum / float64(w) / budget})
	}
	return s
}

// badFor is 300 minutes with the bad fraction b in minutes [from, to).
func badFor(b float64, from, to int) []float64 {
	out := make([]float64, 300)
	for m := from; m < to; m++ {
		out[m] = b
	}
	return out
}

// tierEpisodes replays a 1h/5m tier at factor 2 (budget fraction 0.25)
// over a bad-fraction series, with the guard where requests are given.
func tierEpisodes(t *testing.T, bad []float64, requests alarmeval.Series, minRequests float64) string {
	t.Helper()
	tier := plan.Tier{Severity: "page", Long: time.Hour, Short: 5 * time.Minute, Factor: 2}
	long := alarmeval.Aggregate(burnRates(bad, 60, 0.25), "Maximum")
	short := alarmeval.Aggregate(burnRates(bad, 5, 0.25), "Maximum")
	var count alarmeval.Source
	if requests != nil {
		count = alarmeval.Aggregate(requests, "SampleCount")
	}
	g := alarmeval.GridFor(TierRule(tier), dayStart, dayStart.Add(time.Duration(len(bad))*time.Minute))
	tl, err := TierTimeline(tier, int(minRequests), long, short, count, g)
	if err != nil {
		t.Fatal(err)
	}
	var eps []string
	for _, e := range tl.Episodes() {
		eps = append(eps, e.Start.Sub(dayStart).String()+"+"+e.Duration().String())
	}
	return strings.Join(eps, " ")
}

// TestTierBurnAtFactor: a burn of exactly the factor for exactly the long
// window spends exactly the tier's budget share and does not fire (the
// alarms compare GreaterThanThreshold); half as fast again fires once the
// long window crosses the factor, and stops a minute after the short
// window drops under it.
func TestTierBurnAtFactor(t *testing.T) {
	// 0.5 bad for 60 minutes: the 1h burn rate reaches 2.0 at minute 159.
	if got := tierEpisodes(t, badFor(0.5, 100, 160), nil, 0); got != "" {
		t.Errorf("burn of exactly the factor for the long window fired: %s", got)
	}
	// 0.75 bad: the 1h burn passes 2 with the 41st bad minute (140), read
	// at 141; the 5m burn stays above 2 until minute 160 (4 of 5 bad
	// minutes: 2.4), read at 161; at 162 it is 1.8.
	if got, want := tierEpisodes(t, badFor(0.75, 100, 160), nil, 0), "2h21m0s+21m0s"; got != want {
		t.Errorf("burn of 1.5× the factor: %s, want %s", got, want)
	}
	// A burn far above the factor for less than the long window can still
	// stay under it: 1.0 bad for 30 minutes is 2.0 over 1h, not above it.
	if got := tierEpisodes(t, badFor(1, 100, 130), nil, 0); got != "" {
		t.Errorf("30 minutes at twice the factor fired: %s", got)
	}
}

// TestTierGuard: minutes with fewer requests than minRequests yield no
// burn-rate datapoint, and missing data does not breach; the evaluation
// range still reaches back two minutes, so the tier stays in ALARM for two
// minutes into the quiet.
func TestTierGuard(t *testing.T) {
	bad := badFor(0.75, 100, 160)
	var req alarmeval.Series
	for m := range bad {
		n := 500.0
		if m >= 150 && m < 170 {
			n = 5
		}
		req = append(req, alarmeval.Point{Time: dayStart.Add(time.Duration(m) * time.Minute), Value: n})
	}
	// Evaluations 141-150 read minutes 140-149; 151 and 152 still find
	// minute 149 in the range; from 153 the range holds no datapoint.
	if got, want := tierEpisodes(t, bad, req, 20), "2h21m0s+12m0s"; got != want {
		t.Errorf("guarded: %s, want %s", got, want)
	}
	// Low traffic the whole burn: never fires.
	var quiet alarmeval.Series
	for m := range bad {
		quiet = append(quiet, alarmeval.Point{Time: dayStart.Add(time.Duration(m) * time.Minute), Value: 3})
	}
	if got := tierEpisodes(t, bad, quiet, 20); got != "" {
		t.Errorf("guarded at 3 requests a minute: %s", got)
	}
}

func TestReadCSV(t *testing.T) {
	in := "# label: Sum AWS/Lambda/Throttles FunctionName=f\ntimestamp,value\n2026-11-27T00:01:00Z,2\n1795737600,1\n"
	got, err := ReadCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	s := got["Sum AWS/Lambda/Throttles FunctionName=f"]
	if len(s) != 2 || s[0].Value != 1 || !s[0].Time.Equal(dayStart) || s[1].Value != 2 {
		t.Errorf("series: %+v", s)
	}
	for _, bad := range []string{"timestamp,value\n2026-11-27T00:01:00Z,2\n", "# label: x\nyesterday,1\n", "# label: x\n1795737600,lots\n"} {
		if _, err := ReadCSV(strings.NewReader(bad)); err == nil {
			t.Errorf("%q read", bad)
		}
	}
}

func TestReadMetricData(t *testing.T) {
	in := `{"MetricDataResults": [{"Id": "m1", "Label": "k", "Timestamps": ["2026-11-27T00:01:00+00:00", "2026-11-27T00:00:00+00:00"], "Values": [2, 1], "StatusCode": "Complete"}], "Messages": []}`
	got, err := ReadMetricData(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if s := got["k"]; len(s) != 2 || !s[0].Time.Equal(dayStart) || s[0].Value != 1 {
		t.Errorf("series: %+v", s)
	}
	partial := strings.Replace(in, "Complete", "PartialData", 1)
	if _, err := ReadMetricData(strings.NewReader(partial)); err == nil || !strings.Contains(err.Error(), "PartialData") {
		t.Errorf("PartialData: %v", err)
	}
}

// TestQueries: every series the replay reads is exported once, labelled
// with its key; percentiles at the alarm's period.
func TestQueries(t *testing.T) {
	env := examplePlan(t)
	qs := Queries(env)
	labels := map[string]bool{}
	for _, q := range qs {
		if labels[q.Label] {
			t.Errorf("%s exported twice", q.Label)
		}
		labels[q.Label] = true
	}
	for _, tg := range Targets(env) {
		for _, in := range tg.Inputs {
			if !labels[Key(in.Metric, in.Stat)] {
				t.Errorf("%s reads %s, which no query exports", tg.Name(), Key(in.Metric, in.Stat))
			}
		}
	}
}

// TestLoadGuardReplay: the validated-load alarm of an SLO stated at 100 rps
// (default guard: 15 of 15 one-minute periods) fires after 15 minutes of
// traffic above the load, not after 14, and never at the load itself.
func TestLoadGuardReplay(t *testing.T) {
	svc := &plan.Service{Name: "shop"}
	x := &plan.SLO{ID: "pay", LoadRPS: 100, LoadGuard: &plan.LoadGuard{For: 15 * time.Minute, Severity: "ticket"},
		Latency: &plan.Latency{Percentile: "p99", PeriodSeconds: 60, Metric: &plan.Metric{Namespace: "Acme/Shop", Name: "PayLatency", Stat: "p99"}}}
	tg := loadGuardTarget(svc, x)
	if tg.Skip != "" || tg.ID != "pay-over-load" || len(tg.Inputs) != 1 || tg.Inputs[0].Stat != "SampleCount" {
		t.Fatalf("target %+v", tg)
	}
	episodes := func(rps float64, minutes int) string {
		var s alarmeval.Series
		for m := range 120 {
			v := 80.0
			if m >= 30 && m < 30+minutes {
				v = rps
			}
			s = append(s, alarmeval.Point{Time: dayStart.Add(time.Duration(m) * time.Minute), Value: v * 60})
		}
		d := &Data{Series: map[string]alarmeval.Series{Key(tg.Inputs[0].Metric, "SampleCount"): s}, Start: dayStart, End: dayStart.Add(2 * time.Hour)}
		tl, err := tg.build(d, false)
		if err != nil {
			t.Fatal(err)
		}
		var eps []string
		for _, e := range tl.Episodes() {
			eps = append(eps, e.Start.Sub(dayStart).String())
		}
		return strings.Join(eps, " ")
	}
	if got := episodes(150, 15); got != "45m0s" {
		t.Errorf("15 minutes at 150 rps: episodes %q, want one from 45m0s", got)
	}
	if got := episodes(150, 14); got != "" {
		t.Errorf("14 minutes at 150 rps: %q, want none", got)
	}
	if got := episodes(100, 60); got != "" {
		t.Errorf("an hour at exactly the load: %q, want none", got)
	}
}
