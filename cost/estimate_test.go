package cost

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
)

// onePlan is a plan of one environment (us-east-1) with one service.
func onePlan(svc *plan.Service, routes ...*plan.Route) *plan.Plan {
	return &plan.Plan{Org: "acme", Environments: []*plan.Environment{{Name: "prod", Account: "123456789012", Region: "us-east-1", Routes: routes, Services: []*plan.Service{svc}}}}
}

// lines returns the service's lines of one object and item, by item.
func lines(t *testing.T, r *Report, object string) map[string]Line {
	t.Helper()
	out := map[string]Line{}
	for _, s := range r.Environments[0].Services {
		for _, l := range s.Lines {
			if l.Object == object {
				out[l.Item] = l
			}
		}
	}
	return out
}

func estimate(catalogPlan *plan.Plan, a Assumptions) *Report {
	return Estimate(catalogPlan, "", DefaultPrices(), a)
}

func check(t *testing.T, ls map[string]Line, item string, quantity float64, cents int64) {
	t.Helper()
	l, ok := ls[item]
	if !ok {
		t.Errorf("no %q line; lines: %v", item, ls)
		return
	}
	if l.Quantity != quantity || l.Cents != cents {
		t.Errorf("%s: quantity %v, %d cents; want %v, %d cents", item, l.Quantity, l.Cents, quantity, cents)
	}
}

func metric(ns, name string) plan.Metric {
	return plan.Metric{Namespace: ns, Name: name, Dimensions: []plan.Dimension{{Name: "X", Value: "y"}}}
}

func TestCatalogAlarmPrices(t *testing.T) {
	svc := &plan.Service{Name: "api", Alarms: []*plan.Alarm{
		{ID: "static", Metric: metric("N", "M"), PeriodSeconds: 60, Severity: "ticket"},
		{ID: "fast", Metric: metric("N", "M"), PeriodSeconds: 10, Severity: "ticket"},
		{ID: "guarded", Metric: metric("N", "M"), PeriodSeconds: 60, MinSamples: 50, Severity: "page"},
		{ID: "band", Metric: metric("N", "M"), PeriodSeconds: 300, Anomaly: &plan.Anomaly{Band: 2, Direction: "upper"}, Severity: "page"},
		{ID: "fast-band", Metric: metric("N", "M"), PeriodSeconds: 30, Anomaly: &plan.Anomaly{Band: 2, Direction: "upper"}, Severity: "page"},
	}}
	r := estimate(onePlan(svc), DefaultAssumptions())
	// A metric alarm: one alarm metric at $0.10.
	check(t, lines(t, r, "alarm static"), "alarm metrics", 1, 10)
	// A 10-second period: high resolution, $0.30 a metric.
	check(t, lines(t, r, "alarm fast"), "alarm metrics, high resolution", 1, 30)
	// minSamples: metric math of the value and its sample count, 2 metrics.
	check(t, lines(t, r, "alarm guarded"), "alarm metrics", 2, 20)
	// An anomaly band: 3 metrics billed (the metric and the band's bounds).
	check(t, lines(t, r, "alarm band"), "alarm metrics", 3, 30)
	check(t, lines(t, r, "alarm fast-band"), "alarm metrics, high resolution", 3, 90)
	// Roll-ups: one OR composite per severity with alarms, $0.50 each.
	check(t, lines(t, r, "roll-up page"), "composite alarms", 1, 50)
	check(t, lines(t, r, "roll-up ticket"), "composite alarms", 1, 50)
}

func latencySLO(id string, minRequests int, period int) *plan.SLO {
	m := metric("AWS/ApplicationELB", "TargetResponseTime")
	return &plan.SLO{ID: id, Kind: "latency", Objective: 99.9, Window: plan.DefaultWindow, MinRequests: minRequests,
		Tiers: plan.DefaultTiers(28 * 24), Latency: &plan.Latency{Metric: &m, Percentile: "p99", Threshold: 300, Unit: "Milliseconds", PeriodSeconds: period}}
}

func TestSLOPrices(t *testing.T) {
	op := &plan.SLO{ID: "op", Kind: "availability", Objective: 99.9, Window: plan.DefaultWindow, MinRequests: 20, Tiers: plan.DefaultTiers(28 * 24),
		Ratio: &plan.Ratio{Operation: "GET /"}}
	svc := &plan.Service{Name: "api", SLOs: []*plan.SLO{latencySLO("guarded", 20, 60), latencySLO("plain", 0, 300), op}}
	r := estimate(onePlan(svc), DefaultAssumptions())
	if n := len(plan.DefaultTiers(28 * 24)); n != 4 {
		t.Fatalf("the default tiers are %d; this test counts 4", n)
	}
	guarded := lines(t, r, "slo guarded")
	// 2 signals per 60 s period for 730 hours: 87,600 signals at $1.50 a million.
	check(t, guarded, "Application Signals SLO", 87600, 13)
	// 4 tiers, each one metric math alarm of both windows' burn rates and
	// the request count (minRequests), and the no-data alarm: 13 metrics.
	check(t, guarded, "alarm metrics", 13, 130)
	// No composite: a tier is one alarm.
	if _, ok := guarded["composite alarms"]; ok {
		t.Errorf("a tier makes a composite: %v", guarded["composite alarms"])
	}
	plain := lines(t, r, "slo plain")
	check(t, plain, "Application Signals SLO", 17520, 3)
	// Without minRequests each tier alarm reads the two burn rates alone.
	check(t, plain, "alarm metrics", 9, 90)
	// An Application Signals operation of a service without key
	// attributes: no request count to guard with, no no-data alarm.
	check(t, lines(t, r, "slo op"), "alarm metrics", 8, 80)
	svc.AppSignals = &plan.AppSignals{Name: "api", Environment: "eks:c/prod"}
	check(t, lines(t, estimate(onePlan(svc), DefaultAssumptions()), "slo op"), "alarm metrics", 13, 130)
}

// TestLoadGuardPrice: an SLO that states its load has a validated-load
// alarm, metric math over its request count alone: one alarm metric at the
// standard-resolution price; a guard turned off, or an SLO whose requests
// cannot be counted, adds none.
func TestLoadGuardPrice(t *testing.T) {
	loaded := latencySLO("loaded", 0, 300)
	loaded.LoadRPS, loaded.LoadGuard = 500, &plan.LoadGuard{For: 15 * time.Minute, Severity: "ticket"}
	off := latencySLO("off", 0, 300)
	off.LoadRPS = 500
	op := &plan.SLO{ID: "op", Kind: "availability", Objective: 99.9, Window: plan.DefaultWindow, Tiers: plan.DefaultTiers(28 * 24),
		Ratio: &plan.Ratio{Operation: "GET /"}, LoadRPS: 500, LoadGuard: &plan.LoadGuard{For: 15 * time.Minute, Severity: "ticket"}}
	svc := &plan.Service{Name: "api", SLOs: []*plan.SLO{loaded, off, op}}
	r := estimate(onePlan(svc), DefaultAssumptions())
	// The 8 burn-rate windows and the no-data alarm (as TestSLOPrices's
	// plain SLO), and the validated-load alarm: 10 metrics at $0.10.
	check(t, lines(t, r, "slo loaded"), "alarm metrics", 10, 100)
	check(t, lines(t, r, "slo off"), "alarm metrics", 9, 90)
	// An operation of a service without key attributes: no count, no guard.
	check(t, lines(t, r, "slo op"), "alarm metrics", 8, 80)
	alarms := SLOAlarms("acme", "prod", svc, loaded)
	last := alarms[len(alarms)-1]
	if last.Name != "acme-prod-api-loaded-over-load" || last.Kind != KindMath || last.Metrics != 1 || last.PeriodSeconds != 60 || !last.Rollup || last.Severity != "ticket" {
		t.Errorf("validated-load alarm %+v", last)
	}
}

func TestCanaryPrices(t *testing.T) {
	svc := &plan.Service{Name: "web", Canaries: []*plan.Canary{
		{Name: "five", Schedule: 5 * time.Minute, Severity: "page", Steps: []plan.CanaryStep{{Name: "a", LatencyBudget: time.Second}, {Name: "b"}}},
		{Name: "hourly", Schedule: time.Hour, Severity: "ticket"},
	}}
	r := estimate(onePlan(svc), DefaultAssumptions())
	five := lines(t, r, "canary five")
	// 730 h / 5 min = 8,760 runs at $0.0012.
	check(t, five, "canary runs", 8760, 1051)
	// The success alarm and one duration alarm per step with a budget.
	check(t, five, "alarm metrics", 2, 20)
	check(t, lines(t, r, "canary hourly"), "canary runs", 730, 88)
}

func TestRUMPrices(t *testing.T) {
	cls := 0.1
	svc := &plan.Service{Name: "web", RUM: []*plan.RUM{
		{Name: "site", SampleRate: 0.1, Severity: "ticket", LCP: 2500 * time.Millisecond, INP: 200 * time.Millisecond, CLS: &cls},
		{Name: "other", SampleRate: 0.5, Severity: "ticket"},
	}}
	a := DefaultAssumptions()
	r := estimate(onePlan(svc), a)
	// Sessions missing: the default is assumed and said.
	site := lines(t, r, "rum site")
	check(t, site, "RUM events", DefaultRUMSessions*0.1*DefaultRUMEventsPerSession, 200)
	if !site["RUM events"].Assumed || !strings.Contains(strings.Join(r.Assumed, "\n"), "--rum-sessions") {
		t.Errorf("missing sessions must be marked assumed and named in the notes: %+v %q", site["RUM events"], r.Assumed)
	}
	// One Web Vitals alarm per budget.
	check(t, site, "alarm metrics", 3, 30)
	// Given per environment and per monitor: the most specific wins.
	a.RUMSessions = map[string]float64{"prod": 1000000, "prod/other": 10000}
	r = estimate(onePlan(svc), a)
	if !lines(t, r, "rum site")["RUM events"].Assumed {
		t.Error("events per session left at the default: the line rests on an assumption")
	}
	a.Given.RUMEventsPerSession = true
	r = estimate(onePlan(svc), a)
	check(t, lines(t, r, "rum site"), "RUM events", 2000000, 2000)
	check(t, lines(t, r, "rum other"), "RUM events", 100000, 100)
	if lines(t, r, "rum site")["RUM events"].Assumed || strings.Contains(strings.Join(r.Assumed, "\n"), "--rum-sessions") {
		t.Errorf("given sessions and events are not assumed: %q", r.Assumed)
	}
}

func TestTraceGroupPrices(t *testing.T) {
	svc := &plan.Service{Name: "api", Traces: []*plan.Trace{{Name: "slow", Insights: true}, {Name: "plain"}}}
	a := DefaultAssumptions()
	a.InsightsTraces = 3000000
	r := estimate(onePlan(svc), a)
	check(t, lines(t, r, "trace-group slow"), "X-Ray Insights", 3000000, 300)
	if ls := lines(t, r, "trace-group plain"); len(ls) != 0 {
		t.Errorf("a group without Insights costs nothing: %v", ls)
	}
}

func TestRoutingPrices(t *testing.T) {
	svc := &plan.Service{Name: "api", Page: []string{"pd", "mail"}, Ticket: []string{"slack"},
		Alarms: []*plan.Alarm{{ID: "p", PeriodSeconds: 60, Severity: "page"}, {ID: "t", PeriodSeconds: 60, Severity: "ticket"}}}
	routes := []*plan.Route{{ID: "mail", Type: "email", Emails: []string{"a@x", "b@x"}}, {ID: "pd", Type: "pagerduty"}, {ID: "slack", Type: "slack"}}
	a := DefaultAssumptions()
	a.Transitions = 1000000
	r := estimate(onePlan(svc, routes...), a)
	page := lines(t, r, "roll-up page")
	// Each state change calls the PagerDuty API destination ($0.20 a
	// million), publishes to the email route's topic ($0.50 a million) and
	// mails both addresses ($2 per 100,000).
	check(t, page, "API destination calls", 1000000, 20)
	check(t, page, "SNS publishes", 1000000, 50)
	check(t, page, "SNS emails", 2000000, 4000)
	check(t, lines(t, r, "roll-up ticket"), "API destination calls", 1000000, 20)
	// The routing stack: the dead-letter alarm, mailed to every email
	// route's addresses through the operations topic.
	var routing *ServiceTotal
	for _, s := range r.Environments[0].Services {
		if s.Name == "routing" {
			routing = s
		}
	}
	if routing == nil || len(routing.Lines) != 3 || routing.Lines[0].Cents != 10 || routing.Lines[2].Quantity != 2000000 {
		t.Errorf("routing stack lines: %+v", routing)
	}
}

func TestNestedRollups(t *testing.T) {
	svc := &plan.Service{Name: "big"}
	for i := range 120 {
		svc.Alarms = append(svc.Alarms, &plan.Alarm{ID: "a" + strconv.Itoa(i), PeriodSeconds: 60, Severity: "page"})
	}
	// 120 children: three parts of at most 50 under a top composite.
	check(t, lines(t, estimate(onePlan(svc), DefaultAssumptions()), "roll-up page"), "composite alarms", 4, 200)
	if got := Rollup("o", "e", svc, "page", 50); len(got) != 1 {
		t.Errorf("50 children fit one composite, got %d", len(got))
	}
}

func TestCents(t *testing.T) {
	for usd, want := range map[float64]int64{0.005: 1, 0.0049: 0, 10.512: 1051, 0.1314: 13, 0.1 * 8: 80, 1.005: 101, 0: 0, 0.00002: 0} {
		if got := cents(usd); got != want {
			t.Errorf("cents(%v) = %d, want %d", usd, got, want)
		}
	}
	for c, want := range map[int64]string{0: "0.00", 5: "0.05", 14547: "145.47", 123456789: "1,234,567.89"} {
		if got := FormatCents(c); got != want {
			t.Errorf("FormatCents(%d) = %q, want %q", c, got, want)
		}
	}
}

// TestTotalsAddUp checks that every total, as printed, is the sum of the
// amounts printed above it, on the default catalog and on a plan made of
// lines under a cent.
func TestTotalsAddUp(t *testing.T) {
	cat, _, err := pipeline.Load("../catalog")
	if err != nil {
		t.Fatal(err)
	}
	tiny := &plan.Service{Name: "tiny", Page: []string{"pd"}}
	for i := range 7 {
		tiny.Alarms = append(tiny.Alarms, &plan.Alarm{ID: "a" + strconv.Itoa(i), PeriodSeconds: 60, Severity: "page"})
	}
	a := DefaultAssumptions()
	a.Transitions = 33333 // 0.67 cents of API destination calls
	for name, r := range map[string]*Report{
		"default": estimate(cat.Plan, DefaultAssumptions()),
		"tiny":    estimate(onePlan(tiny, &plan.Route{ID: "pd", Type: "pagerduty"}), a),
	} {
		var sum int64
		for _, e := range r.Environments {
			var es int64
			for _, s := range e.Services {
				var ss int64
				for _, l := range s.Lines {
					ss += l.Cents
				}
				if ss != s.Cents {
					t.Errorf("%s %s/%s: lines add to %d, total %d", name, e.Name, s.Name, ss, s.Cents)
				}
				es += s.Cents
			}
			if es != e.Cents {
				t.Errorf("%s %s: services add to %d, total %d", name, e.Name, es, e.Cents)
			}
			sum += e.Cents
		}
		if sum != r.Cents {
			t.Errorf("%s: environments add to %d, total %d", name, sum, r.Cents)
		}
		var text bytes.Buffer
		if err := WriteReport(&text, r, "text"); err != nil {
			t.Fatal(err)
		}
		checkPrintedTotals(t, name, text.String())
	}
}

// checkPrintedTotals adds the monthly column of a text report's tables and
// compares each sum with the total printed under it, and the environment
// and grand totals with the sums of the printed totals.
func checkPrintedTotals(t *testing.T, name, text string) {
	t.Helper()
	parse := func(s string) int64 {
		s = strings.ReplaceAll(s, ",", "")
		whole, frac, _ := strings.Cut(s, ".")
		w, err1 := strconv.ParseInt(whole, 10, 64)
		f, err2 := strconv.ParseInt(frac, 10, 64)
		if err1 != nil || err2 != nil || len(frac) != 2 {
			t.Fatalf("%s: %q is not an amount", name, s)
		}
		return w*100 + f
	}
	total := regexp.MustCompile(`^  total\s+([\d,]+\.\d\d)$`)
	envTotal := regexp.MustCompile(`^\S+ \(\S+\) total: ([\d,]+\.\d\d)$`)
	grand := regexp.MustCompile(`^Total: ([\d,]+\.\d\d) `)
	var service, env, all int64
	tables := 0
	end := 0 // where the monthly column of the current table ends
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "  object"):
			end = strings.Index(line, "monthly") + len("monthly")
		case total.MatchString(line):
			if got := parse(total.FindStringSubmatch(line)[1]); got != service {
				t.Errorf("%s: printed total %d cents, printed lines add to %d", name, got, service)
			}
			env += service
			service, end = 0, 0
			tables++
		case envTotal.MatchString(line):
			if got := parse(envTotal.FindStringSubmatch(line)[1]); got != env {
				t.Errorf("%s: printed %q, printed service totals add to %d", name, line, env)
			}
			all += env
			env = 0
		case grand.MatchString(line):
			if got := parse(grand.FindStringSubmatch(line)[1]); got != all {
				t.Errorf("%s: printed %q, environment totals add to %d", name, line, all)
			}
		case strings.HasPrefix(line, "  ") && end > 0 && len(line) > end:
			fields := strings.Fields(line[:end])
			service += parse(fields[len(fields)-1])
		}
	}
	if tables == 0 {
		t.Errorf("%s: no table found in\n%s", name, text)
	}
}

func TestPriceTable(t *testing.T) {
	p := DefaultPrices()
	if p.Region != "us-east-1" || p.Currency != "USD" {
		t.Errorf("region %q currency %q", p.Region, p.Currency)
	}
	if _, err := time.Parse("2006-01-02", p.Date); err != nil {
		t.Errorf("date %q: %v", p.Date, err)
	}
	pages := map[string]string{
		"cloudwatch.":         "https://aws.amazon.com/cloudwatch/pricing/",
		"applicationsignals.": "https://aws.amazon.com/cloudwatch/pricing/",
		"synthetics.":         "https://aws.amazon.com/cloudwatch/pricing/",
		"rum.":                "https://aws.amazon.com/cloudwatch/pricing/",
		"xray.":               "https://aws.amazon.com/xray/pricing/",
		"eventbridge.":        "https://aws.amazon.com/eventbridge/pricing/",
		"sns.":                "https://aws.amazon.com/sns/pricing/",
	}
	for _, key := range []string{PriceAlarmMetric, PriceAlarmMetricHighRes, PriceCompositeAlarm, PriceDashboard, PriceAppSignalsSignal,
		PriceCanaryRun, PriceRUMEvent, PriceInsightsTrace, PriceAPIDestination, PriceSNSPublish, PriceSNSEmail} {
		l := p.Get(key)
		want := ""
		for prefix, page := range pages {
			if strings.HasPrefix(key, prefix) {
				want = page
			}
		}
		if l.Source != want || l.USD <= 0 || l.Unit == "" {
			t.Errorf("%s: source %q (want %q), usd %v, unit %q", key, l.Source, want, l.USD, l.Unit)
		}
	}
	if len(p.Lines) != len(pages)+4 {
		t.Errorf("%d price lines; every line needs a constant and a test", len(p.Lines))
	}
}

func TestOverride(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "eu.json")
	os.WriteFile(file, []byte(`{"region": "eu-west-1", "date": "2026-12-01", "prices": [{"key": "synthetics.canary-run", "usd": 0.0013, "per": 1}]}`), 0o644)
	p, err := Override(DefaultPrices(), file)
	if err != nil {
		t.Fatal(err)
	}
	if p.Region != "eu-west-1" || p.Date != "2026-12-01" || p.Get(PriceCanaryRun).USD != 0.0013 || p.Get(PriceCanaryRun).Unit != "canary run" || p.Get(PriceCanaryRun).Source != file {
		t.Errorf("override: %+v %+v", p, p.Get(PriceCanaryRun))
	}
	if DefaultPrices().Get(PriceCanaryRun).USD != 0.0012 || p.Get(PriceAlarmMetric).USD != 0.10 {
		t.Error("an override changes only the lines it lists")
	}
	for body, want := range map[string]string{
		`{"prices": [{"key": "canary-run", "usd": 1, "per": 1}]}`:                                          `unknown price "canary-run"`,
		`{"prices": [{"key": "sns.email", "usd": 1}]}`:                                                     "per > 0",
		`{"prices": [{"key": "sns.email", "usd": -1, "per": 1}]}`:                                          "negative",
		`{"prices": [{"key": "sns.email", "usd": 1, "per": 1}, {"key": "sns.email", "usd": 1, "per": 1}]}`: "twice",
		`{"price": []}`: "unknown field",
	} {
		os.WriteFile(file, []byte(body), 0o644)
		if _, err := Override(DefaultPrices(), file); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", body, err, want)
		}
	}
}

func TestJSONReport(t *testing.T) {
	cat, _, err := pipeline.Load("../catalog")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteReport(&b, estimate(cat.Plan, DefaultAssumptions()), "json"); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Cents        int64
		USD          string
		Environments []struct{ Cents int64 }
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Environments) != 2 || got.USD != FormatCents(got.Cents) || got.Environments[0].Cents+got.Environments[1].Cents != got.Cents {
		t.Errorf("json report: %+v", got)
	}
}
