package backtest

// The example export: a realistic day of the example catalog's prod
// environment, as `aws cloudwatch get-metric-data` writes it (one result a
// line, newest datapoint first), committed as
// test/testdata/backtest/prod-day.json. TestExampleDay regenerates it and
// fails when the committed file differs; to change the day, edit
// exampleDay and run
//
//	go test ./internal/backtest -run TestExampleDay -update
//
// The day, 2026-11-27 UTC, for catalog-browse and session-store (the
// series its alarms and the browse-latency tiers read, and that SLO's SLI):
//   - traffic follows the day: 1,200 to 8,000 requests a second, lowest at
//     04:30, highest at 16:30;
//   - 03:00-03:40 the browse API is drained for a node-group rotation: the
//     ALB sees 120 requests a minute (under the alarm's 200-sample guard)
//     with a p99 of 0.9 s, and the Valkey cluster reports no CacheHitRate;
//   - 09:30-09:33 a deploy makes four slow minutes (ALB p99 0.35 s, SLI p99
//     above 300 ms): 13.33× the budget rate over 1h, just under the page
//     tier's 13.44;
//   - 14:02-14:44 the cache hit ratio falls to about 62% and 14:05-14:44
//     the browse p99 is 0.48-0.62 s: the incident of the day;
//   - 19:12-19:19 DynamoDB throttles session-store reads (15-40 a minute,
//     a metric DynamoDB publishes only while it throttles).
//
// Application Signals' BurnRate per look-back window is derived from the
// SLI's bad minutes as Application Signals defines it for a period-based
// SLO (bad periods in the window / periods in the window / error budget
// fraction), with three clean days before the day.

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
)

var update = flag.Bool("update", false, "rewrite test/testdata/backtest/prod-day.json")

const examplePath = "../../test/testdata/backtest/prod-day.json"

var dayStart = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// between says whether minute m of the day is in [from, to), both "15:04".
func between(m int, from, to string) bool {
	f, _ := time.Parse("15:04", from)
	t, _ := time.Parse("15:04", to)
	return m >= f.Hour()*60+f.Minute() && m < t.Hour()*60+t.Minute()
}

type result struct {
	ID         string    `json:"Id"`
	Label      string    `json:"Label"`
	Timestamps []string  `json:"Timestamps"`
	Values     []float64 `json:"Values"`
	StatusCode string    `json:"StatusCode"`
}

// exampleDay builds the export for the prod environment of the example catalog.
func exampleDay(t *testing.T, env *plan.Environment) []byte {
	rng := rand.New(rand.NewPCG(2026, 1127))
	jitter := func(v, rel float64) float64 { return v * (1 + rel*(2*rng.Float64()-1)) }
	const day = 24 * 60
	browse := env.Service("catalog-browse")
	static := browse.Alarm("browse-p99-static")
	cache := browse.Alarm("cache-hit-ratio")
	latency := browse.SLO("browse-latency")
	throttles := env.Service("session-store").Alarm("read-throttles")
	if static == nil || cache == nil || latency == nil || throttles == nil {
		t.Fatal("the example catalog no longer has the alarms and SLO the example day is for")
	}

	var results []result
	add := func(key string, value func(m int) (float64, bool)) {
		r := result{ID: fmt.Sprintf("m%d", len(results)+1), Label: key, StatusCode: "Complete"}
		for m := day - 1; m >= 0; m-- { // newest first, as the AWS CLI writes them
			if v, ok := value(m); ok {
				r.Timestamps = append(r.Timestamps, dayStart.Add(time.Duration(m)*time.Minute).Format("2006-01-02T15:04:05+00:00"))
				r.Values = append(r.Values, math.Round(v*1e4)/1e4)
			}
		}
		results = append(results, r)
	}

	rps := func(m int) float64 { // 1,200-8,000 a second, lowest at 04:30
		h := float64(m) / 60
		return 4600 - 3400*math.Cos(2*math.Pi*(h-4.5)/24)
	}
	drained := func(m int) bool { return between(m, "03:00", "03:40") }
	blip := func(m int) bool { return between(m, "09:30", "09:34") }
	incident := func(m int) bool { return between(m, "14:05", "14:45") }

	// The ALB: p99 in seconds and its sample count (requests) a minute.
	p99 := make([]float64, day)
	for m := range day {
		switch {
		case drained(m):
			p99[m] = jitter(0.9, 0.1)
		case blip(m):
			p99[m] = jitter(0.35, 0.02)
		case incident(m):
			p99[m] = jitter(0.55, 0.12)
		default:
			p99[m] = jitter(0.16+0.06*rps(m)/8000, 0.15)
		}
	}
	add(Key(static.Metric, static.Statistic), func(m int) (float64, bool) { return p99[m], true })
	add(Key(static.Metric, "SampleCount"), func(m int) (float64, bool) {
		if drained(m) {
			return 120, true
		}
		return math.Round(jitter(rps(m)*60, 0.05)), true
	})
	// Valkey hit ratio: no datapoints while drained.
	add(Key(cache.Metric, cache.Statistic), func(m int) (float64, bool) {
		switch {
		case drained(m):
			return 0, false
		case between(m, "14:02", "14:45"):
			return jitter(62, 0.05), true
		}
		return jitter(94, 0.02), true
	})
	// The SLI's requests a minute (the tiers' low-traffic guard).
	req, reqStat, _ := metrics.RequestCount(browse, latency)
	add(Key(req, reqStat), func(m int) (float64, bool) {
		if drained(m) {
			return 0, false // the service sees no requests
		}
		return math.Round(jitter(rps(m)*60, 0.05)), true
	})
	// The SLI itself: Application Signals' p99 latency of GET /v1/browse in
	// milliseconds, at or above 300 in the bad minutes; no datapoint while
	// drained. With it, the tiers can be replayed without the BurnRate
	// series (for a changed threshold).
	sli, _ := metrics.SLISource(browse, latency)
	add(Key(sli, latency.Latency.Percentile), func(m int) (float64, bool) {
		switch {
		case drained(m):
			return 0, false
		case blip(m):
			return jitter(340, 0.05), true
		case incident(m):
			return jitter(520, 0.15), true
		}
		return jitter(150+60*rps(m)/8000, 0.15), true
	})
	// BurnRate per look-back window from the SLI's bad minutes; three clean
	// days before the day.
	const history = 3 * day
	bad := make([]float64, history+day)
	for m := range day {
		if blip(m) || incident(m) {
			bad[history+m] = 1
		}
	}
	budget := 1 - latency.Objective/100
	seen := map[time.Duration]bool{}
	for _, tier := range latency.Tiers {
		for _, w := range []time.Duration{tier.Long, tier.Short} {
			if seen[w] {
				continue
			}
			seen[w] = true
			n := int(w / time.Minute)
			add(Key(metrics.BurnRate(latency, w), "Maximum"), func(m int) (float64, bool) {
				var sum float64
				for _, b := range bad[history+m-n+1 : history+m+1] {
					sum += b
				}
				return sum / float64(n) / budget, true
			})
		}
	}
	// DynamoDB publishes ReadThrottleEvents only while it throttles.
	add(Key(throttles.Metric, throttles.Statistic), func(m int) (float64, bool) {
		if between(m, "19:12", "19:20") {
			return math.Round(15 + 25*rng.Float64()), true
		}
		return 0, false
	})

	var b bytes.Buffer
	b.WriteString("{\"MetricDataResults\": [\n")
	for i, r := range results {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		if i < len(results)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("], \"Messages\": []}\n")
	return b.Bytes()
}

func examplePlan(t *testing.T) *plan.Environment {
	t.Helper()
	cat, _, err := pipeline.Load("../../catalog")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cat.Plan.Environments {
		if e.Name == "prod" {
			return e
		}
	}
	t.Fatal("no prod environment in the example catalog")
	return nil
}

// TestExampleDay holds the committed export to its generator and the replay
// of the example catalog over it to the day's story.
func TestExampleDay(t *testing.T) {
	env := examplePlan(t)
	want := exampleDay(t, env)
	if *update {
		if err := os.WriteFile(examplePath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what exampleDay generates; run go test ./internal/backtest -run TestExampleDay -update", examplePath)
	}
	d, err := ReadFiles([]string{examplePath})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Replay(env, d)
	if err != nil {
		t.Fatal(err)
	}
	when := map[string]string{}
	for _, r := range rep.Results {
		var eps []string
		for _, e := range r.Episodes {
			eps = append(eps, e.Start.Format("15:04")+"-"+e.End.Format("15:04"))
		}
		when[r.Name()] = strings.Join(eps, " ")
	}
	cases := map[string]string{
		// The incident: the page tiers from the fifth bad minute in 1h
		// (13.44 × 0.5% × 60 = 4.03) and the eleventh in 6h (5.6 × 0.5% ×
		// 360 = 10.08, with the four of 09:30) until the short window is
		// clean; the ticket tiers from the 21st bad minute of the day (2.8 ×
		// 0.5% × 1440 = 20.16) until fewer than two remain in 2h or 6h. A
		// tier evaluates a minute after the minute it reads.
		"catalog-browse/browse-latency page-1h-5m":   "14:10-14:50",
		"catalog-browse/browse-latency page-6h-30m":  "14:12-15:15",
		"catalog-browse/browse-latency ticket-1d-2h": "14:22-16:44",
		"catalog-browse/browse-latency ticket-3d-6h": "14:22-20:44",
		// The static p99 alarm (3 of 5) pages for the 09:30 deploy, which
		// the SLO shrugs off (13.33 < 13.44), and for the incident, from the
		// third slow minute until two of the last five are slow; not while
		// drained (120 samples a minute, under the guard of 200).
		"catalog-browse/browse-p99-static": "09:33-09:37 14:08-14:48",
		// The hit ratio, 3 of 5 below 80%; the drain's gap is no alarm
		// (missing data: INSUFFICIENT_DATA).
		"catalog-browse/cache-hit-ratio": "14:05-14:48",
		// DynamoDB: missing data is ignored. The third throttled minute
		// fires; after the last, the evaluation range still holds three
		// throttled minutes until 19:25.
		"session-store/read-throttles": "19:15-19:25",
	}
	for name, want := range cases {
		if got, ok := when[name]; !ok || got != want {
			t.Errorf("%s: fired %q, want %q", name, got, want)
		}
	}

	// Without the BurnRate series the tiers are derived from the SLI: the
	// page tiers, whose windows lie inside the day, fire as Application
	// Signals' burn rates made them fire; the ticket tiers fire earlier,
	// because their 1d and 3d windows reach back only to midnight (fewer
	// periods, the same bad ones: at 14:12, 12 bad minutes of the 813 with
	// a datapoint since midnight, the drain having none, pass 2.8 × 0.5%).
	for k := range d.Series {
		if strings.Contains(k, "/BurnRate ") {
			delete(d.Series, k)
		}
	}
	rep, err = Replay(env, d)
	if err != nil {
		t.Fatal(err)
	}
	derived := map[string]string{}
	for _, r := range rep.Results {
		if r.DerivedFromSLI {
			var eps []string
			for _, e := range r.Episodes {
				eps = append(eps, e.Start.Format("15:04")+"-"+e.End.Format("15:04"))
			}
			derived[r.Name()] = strings.Join(eps, " ")
		}
	}
	for _, tier := range []string{"page-1h-5m", "page-6h-30m"} {
		name := "catalog-browse/browse-latency " + tier
		if derived[name] != cases[name] {
			t.Errorf("%s from the SLI: %q, want %q as from BurnRate", name, derived[name], cases[name])
		}
	}
	if got := derived["catalog-browse/browse-latency ticket-1d-2h"]; got != "14:13-16:44" {
		t.Errorf("ticket-1d-2h from the SLI: %q", got)
	}
	if len(derived) != 4 {
		t.Errorf("derived from the SLI: %v, want the four browse-latency tiers", derived)
	}
}
