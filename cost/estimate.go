package cost

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// MonthHours is the length of the month every rate is turned into a
// monthly count with: 730 hours (365 days × 24 h / 12, about 30.42 days),
// the month AWS's own pricing examples use.
const MonthHours = 730

// month is MonthHours as a duration.
const month = MonthHours * time.Hour

// Defaults of the figures the catalog does not hold.
const (
	DefaultRUMSessions         = 100000 // sessions a month per app monitor
	DefaultRUMEventsPerSession = 20
	DefaultTransitions         = 10      // state changes a month per routed alarm (5 fire, 5 resolve)
	DefaultInsightsTraces      = 1000000 // traces a month each Insights group processes
)

// Assumptions are the usage figures that the catalog does not hold.
type Assumptions struct {
	// RUMSessions is sessions a month by "ENV/MONITOR", "ENV" or "" (every
	// app monitor); the most specific key wins. A monitor with none gets
	// DefaultRUMSessions and the report says so.
	RUMSessions         map[string]float64
	RUMEventsPerSession float64
	// Transitions is state changes a month of each alarm that sends
	// notifications: a service's roll-ups and the dead-letter alarm.
	Transitions float64
	// InsightsTraces is traces a month that each X-Ray group with
	// Insights processes (those its filter matches).
	InsightsTraces float64
	// Given says which of the figures above the user gave; the others are
	// defaults, which the report marks and lists as assumed.
	Given struct{ RUMEventsPerSession, Transitions, InsightsTraces bool }
}

// DefaultAssumptions returns the defaults above.
func DefaultAssumptions() Assumptions {
	return Assumptions{RUMEventsPerSession: DefaultRUMEventsPerSession, Transitions: DefaultTransitions, InsightsTraces: DefaultInsightsTraces}
}

// sessions returns the sessions a month of a monitor, and whether they were
// given (false: the default was assumed).
func (a Assumptions) sessions(env, monitor string) (float64, bool) {
	for _, k := range []string{env + "/" + monitor, env, ""} {
		if v, ok := a.RUMSessions[k]; ok {
			return v, true
		}
	}
	return DefaultRUMSessions, false
}

// Line is one priced item of one object: Quantity units at the price Key.
type Line struct {
	Env      string  `json:"environment"`
	Service  string  `json:"service"` // "routing" for the environment's routing stack
	Object   string  `json:"object"`  // "slo browse-latency", "alarm x", "canary y", "roll-up page", ...
	Item     string  `json:"item"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
	Price    string  `json:"price"` // price key
	Basis    string  `json:"basis"` // how the quantity was counted
	Assumed  bool    `json:"assumed,omitempty"`
	// Cents is the line's monthly amount rounded to cents; totals add
	// these, so a displayed total is the sum of its displayed lines.
	Cents int64 `json:"cents"`
}

// ServiceTotal is one service's (or routing stack's) lines and total.
type ServiceTotal struct {
	Name  string `json:"name"`
	Lines []Line `json:"lines"`
	Cents int64  `json:"cents"`
}

// EnvTotal is one environment's services and total.
type EnvTotal struct {
	Name     string          `json:"name"`
	Region   string          `json:"region"`
	Services []*ServiceTotal `json:"services"`
	Cents    int64           `json:"cents"`
}

// Report is the monthly cost of a plan.
type Report struct {
	Org          string      `json:"org"`
	Prices       *Prices     `json:"prices"`
	MonthHours   int         `json:"monthHours"`
	Environments []*EnvTotal `json:"environments"`
	Cents        int64       `json:"cents"`
	// Assumed lists the figures the estimate assumed; NotCounted what it
	// leaves out and why.
	Assumed    []string `json:"assumed"`
	NotCounted []string `json:"notCounted"`
}

// cents rounds a dollar amount to cents, half away from zero, after
// dropping float noise below a millionth of a cent.
func cents(usd float64) int64 {
	return int64(math.Round(math.Round(usd*1e8) / 1e6))
}

// estimator prices one plan.
type estimator struct {
	org     string
	prices  *Prices
	assume  Assumptions
	assumed map[string]bool
	notes   []string
}

func (x *estimator) assume1(note string) {
	if !x.assumed[note] {
		x.assumed[note] = true
		x.notes = append(x.notes, note)
	}
}

// line prices quantity units of key.
func (x *estimator) line(st *ServiceTotal, env, object, item string, quantity float64, key, basis string, assumed bool) {
	if quantity == 0 {
		return
	}
	p := x.prices.Get(key)
	l := Line{Env: env, Service: st.Name, Object: object, Item: item, Quantity: quantity, Unit: p.Unit, Price: key, Basis: basis, Assumed: assumed,
		Cents: cents(quantity * p.Each())}
	st.Lines = append(st.Lines, l)
	st.Cents += l.Cents
}

// alarmLines prices a group of alarms of one object: their alarm metrics
// (standard and high resolution apart) and their composites.
func (x *estimator) alarmLines(st *ServiceTotal, env, object string, alarms []Alarm, compositeBasis string) {
	var std, hi, composites []Alarm
	var stdMetrics, hiMetrics int
	for _, a := range alarms {
		switch {
		case a.Kind == KindComposite:
			composites = append(composites, a)
		case a.HighResolution():
			hi = append(hi, a)
			hiMetrics += a.BilledMetrics()
		default:
			std = append(std, a)
			stdMetrics += a.BilledMetrics()
		}
	}
	x.line(st, env, object, "alarm metrics", float64(stdMetrics), PriceAlarmMetric, describeAlarms(std), false)
	x.line(st, env, object, "alarm metrics, high resolution", float64(hiMetrics), PriceAlarmMetricHighRes, describeAlarms(hi), false)
	x.line(st, env, object, "composite alarms", float64(len(composites)), PriceCompositeAlarm, strings.TrimSpace(describeAlarms(composites)+" "+compositeBasis), false)
}

// describeAlarms says what the alarms are: "8 metric math × 2 metrics, 4
// composite, 1 metric".
func describeAlarms(alarms []Alarm) string {
	type key struct {
		kind    string
		metrics int
		hi      bool
	}
	counts := map[key]int{}
	var order []key
	for _, a := range alarms {
		k := key{a.Kind, a.Metrics, a.HighResolution()}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	var parts []string
	for _, k := range order {
		var s string
		switch k.kind {
		case KindComposite:
			s = fmt.Sprintf("%d composite", counts[k])
		case KindAnomaly:
			s = fmt.Sprintf("%d anomaly band × %d metrics", counts[k], anomalyBandMetrics)
		case KindMath:
			s = fmt.Sprintf("%d metric math × %d metric", counts[k], k.metrics)
			if k.metrics != 1 {
				s += "s"
			}
		default:
			s = fmt.Sprintf("%d metric alarm", counts[k])
		}
		if counts[k] > 1 && k.kind != KindMath && k.kind != KindAnomaly {
			s += "s"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// Estimate prices every object of the plan; env limits it to one
// environment when set.
func Estimate(catalogPlan *plan.Plan, env string, prices *Prices, assume Assumptions) *Report {
	x := &estimator{org: catalogPlan.Org, prices: prices, assume: assume, assumed: map[string]bool{}}
	r := &Report{Org: catalogPlan.Org, Prices: prices, MonthHours: MonthHours}
	for _, e := range catalogPlan.Environments {
		if env != "" && e.Name != env {
			continue
		}
		et := &EnvTotal{Name: e.Name, Region: e.Region}
		if e.Region != prices.Region {
			x.assume1(fmt.Sprintf("prices: the table's %s prices for %s, which is in %s (pass --prices with that region's figures)", prices.Region, e.Name, e.Region))
		}
		for _, s := range e.Services {
			st := x.service(e, s)
			if len(st.Lines) > 0 {
				et.Services = append(et.Services, st)
			}
		}
		et.Services = append(et.Services, x.routing(e))
		for _, st := range et.Services {
			et.Cents += st.Cents
		}
		r.Environments = append(r.Environments, et)
		r.Cents += et.Cents
	}
	r.Assumed = x.notes
	r.NotCounted = []string{
		"free tiers (10 alarm metrics, 100 canary runs, 3 dashboards a month per payer account; first 1 million SNS requests): not deducted",
		"dashboards: the plan lists none, so there is no dashboard line (cloudwatch.dashboard: 3.00 a month each beyond 3 free per account)",
		"metrics the monitored services publish, canary Lambda, S3 and logs, X-Ray traces recorded, Application Signals service telemetry: paid whether or not the catalog monitors them, or too small to count",
		"CloudWatch alarm state-change events and the EventBridge rules that deliver them: free (AWS service events on the default bus)",
	}
	return r
}

// service prices one service's objects.
func (x *estimator) service(e *plan.Environment, s *plan.Service) *ServiceTotal {
	st := &ServiceTotal{Name: s.Name}
	org := x.org
	all := ServiceAlarms(org, e.Name, s)
	for _, slo := range s.SLOs {
		object := "slo " + slo.ID
		period := 60
		basis := "request-based: 2 signals a minute"
		if slo.Latency != nil {
			period = slo.Latency.PeriodSeconds
			basis = fmt.Sprintf("period-based: 2 signals per %ds SLI period", period)
		}
		x.line(st, e.Name, object, "Application Signals SLO", 2*month.Seconds()/float64(period), PriceAppSignalsSignal, basis, false)
		x.alarmLines(st, e.Name, object, SLOAlarms(org, e.Name, s, slo), "")
	}
	for _, a := range s.Alarms {
		x.alarmLines(st, e.Name, "alarm "+a.ID, []Alarm{CatalogAlarm(org, e.Name, s, a)}, "")
	}
	for _, c := range s.Canaries {
		object := "canary " + c.Name
		if c.Schedule > 0 {
			x.line(st, e.Name, object, "canary runs", math.Round(month.Seconds()/c.Schedule.Seconds()), PriceCanaryRun,
				fmt.Sprintf("every %s for %d hours", spec.FormatDuration(c.Schedule), MonthHours), false)
		}
		x.alarmLines(st, e.Name, object, CanaryAlarms(org, e.Name, s, c), "")
	}
	for _, r := range s.RUM {
		object := "rum " + r.Name
		sessions, given := x.assume.sessions(e.Name, r.Name)
		if !given {
			x.assume1(fmt.Sprintf("RUM: %s sessions a month per app monitor (the catalog has no sessions figure; pass --rum-sessions)", formatCount(DefaultRUMSessions)))
		}
		if !x.assume.Given.RUMEventsPerSession {
			x.assume1(fmt.Sprintf("RUM: %s events per recorded session (--rum-events-per-session)", formatCount(x.assume.RUMEventsPerSession)))
		}
		x.line(st, e.Name, object, "RUM events", sessions*r.SampleRate*x.assume.RUMEventsPerSession, PriceRUMEvent,
			fmt.Sprintf("%s sessions × %s sampled × %s events", formatCount(sessions), formatCount(r.SampleRate*100)+"%", formatCount(x.assume.RUMEventsPerSession)),
			!given || !x.assume.Given.RUMEventsPerSession)
		x.alarmLines(st, e.Name, object, RUMAlarms(org, e.Name, s, r), "")
	}
	for _, t := range s.Traces {
		if !t.Insights {
			continue // an X-Ray group costs nothing without Insights
		}
		if !x.assume.Given.InsightsTraces {
			x.assume1(fmt.Sprintf("X-Ray Insights: %s traces a month processed per group with Insights (--insights-traces)", formatCount(x.assume.InsightsTraces)))
		}
		x.line(st, e.Name, "trace-group "+t.Name, "X-Ray Insights", x.assume.InsightsTraces, PriceInsightsTrace, "traces the group's filter matches", !x.assume.Given.InsightsTraces)
	}
	for _, sev := range Severities {
		var rollup []Alarm
		children := 0
		for _, a := range all {
			switch {
			case a.Kind == KindComposite && a.Severity == sev && strings.HasPrefix(a.Name, names.AlarmName(org, e.Name, s.Name, names.RollupID(sev))):
				rollup = append(rollup, a)
			case a.Rollup && a.Severity == sev:
				children++
			}
		}
		if len(rollup) == 0 {
			continue
		}
		object := "roll-up " + sev
		how := fmt.Sprintf("(OR of %d %s alarms)", children, sev)
		if len(rollup) > 1 {
			how = fmt.Sprintf("(OR of %d %s alarms in %d parts of at most %d)", children, sev, len(rollup)-1, maxRuleAlarms)
		}
		x.alarmLines(st, e.Name, object, rollup, how)
		routes := s.Ticket
		if sev == "page" {
			routes = s.Page
		}
		x.deliveries(st, e, object, routesOf(e, routes))
	}
	return st
}

// routesOf looks route IDs up in the environment.
func routesOf(e *plan.Environment, ids []string) []*plan.Route {
	var out []*plan.Route
	for _, id := range ids {
		for _, r := range e.Routes {
			if r.ID == id {
				out = append(out, r)
			}
		}
	}
	return out
}

// deliveries prices what one routed alarm's state changes send: an API
// destination call per PagerDuty, Opsgenie or Slack route, and per email
// route an SNS publish and an email per address.
func (x *estimator) deliveries(st *ServiceTotal, e *plan.Environment, object string, routes []*plan.Route) {
	if len(routes) == 0 {
		return
	}
	x.transitionsNote()
	assumed := !x.assume.Given.Transitions
	var api, topics, emails int
	var apiIDs, emailIDs []string
	for _, r := range routes {
		if r.Type == "email" {
			topics++
			emails += len(r.Emails)
			emailIDs = append(emailIDs, r.ID)
		} else {
			api++
			apiIDs = append(apiIDs, r.ID)
		}
	}
	n := x.assume.Transitions
	sort.Strings(apiIDs)
	sort.Strings(emailIDs)
	x.line(st, e.Name, object, "API destination calls", n*float64(api), PriceAPIDestination,
		fmt.Sprintf("%s state changes × %s", formatCount(n), strings.Join(apiIDs, ", ")), assumed)
	x.line(st, e.Name, object, "SNS publishes", n*float64(topics), PriceSNSPublish,
		fmt.Sprintf("%s state changes × %s", formatCount(n), strings.Join(emailIDs, ", ")), assumed)
	x.line(st, e.Name, object, "SNS emails", n*float64(emails), PriceSNSEmail,
		fmt.Sprintf("%s state changes × %s", formatCount(n), plural(emails, "address", "addresses")), assumed)
}

// transitionsNote lists the transition rate as assumed unless it was given.
func (x *estimator) transitionsNote() {
	if !x.assume.Given.Transitions {
		x.assume1(fmt.Sprintf("alarm routing: %s state changes a month per routed alarm (--transitions)", formatCount(x.assume.Transitions)))
	}
}

// routing prices an environment's routing stack: the dead-letter alarm,
// whose state changes the operations topic mails to every email route.
func (x *estimator) routing(e *plan.Environment) *ServiceTotal {
	st := &ServiceTotal{Name: "routing"}
	object := "alarm dead-letters-visible"
	x.alarmLines(st, e.Name, object, RoutingAlarms(x.org, e.Name), "")
	var emails int
	for _, r := range e.Routes {
		if r.Type == "email" {
			emails += len(r.Emails)
		}
	}
	n := x.assume.Transitions
	x.transitionsNote()
	assumed := !x.assume.Given.Transitions
	x.line(st, e.Name, object, "SNS publishes", n, PriceSNSPublish, fmt.Sprintf("%s state changes to the operations topic", formatCount(n)), assumed)
	x.line(st, e.Name, object, "SNS emails", n*float64(emails), PriceSNSEmail, fmt.Sprintf("%s state changes × %s", formatCount(n), plural(emails, "address", "addresses")), assumed)
	return st
}

// formatCount prints a count with thousands separators and no needless
// decimals: 8760, 1,000,000, 0.5.
func formatCount(f float64) string {
	if f != math.Trunc(f) || math.Abs(f) >= 1e15 {
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", f), "0"), ".")
	}
	s := fmt.Sprintf("%d", int64(math.Abs(f)))
	var b strings.Builder
	if f < 0 {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// FormatCents prints cents as dollars: 1234 → "12.34".
func FormatCents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%s.%02d", sign, formatCount(float64(c/100)), c%100)
}

// plural is "1 address", "2 addresses".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
