package slos

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Plan says exactly which resources the catalog makes, per environment and
// service, with every default resolved. It is plain data: the CDK constructs
// build from it and the CLI prints it.
type Plan struct {
	Org          string
	Tags         map[string]string
	Environments []*EnvPlan
}

// EnvPlan is one environment: its routes and its services.
type EnvPlan struct {
	Name, Account, Region string
	Routes                []*RoutePlan   // routes used by the environment's services, by ID
	Executive             *DashboardPlan // the executive latency view; nil when turned off
	Services              []*ServicePlan
}

// RoutePlan is an on-call target in one environment.
type RoutePlan struct {
	ID, Type, Secret, Region, Description string
	Channel                               string // Slack channel (type slack)
	Emails                                []string
}

// DashboardPlan is one dashboard's settings.
type DashboardPlan struct {
	TimeRange time.Duration // how far back graphs look when it opens
}

// Default dashboard time ranges.
const (
	DefaultServiceTimeRange   = 12 * time.Hour
	DefaultExecutiveTimeRange = 7 * 24 * time.Hour
)

// ServicePlan is one service in one environment.
type ServicePlan struct {
	Dashboard                         *DashboardPlan // nil when turned off
	Name, Owner, Runbook, Description string
	Tier                              int
	Tags                              map[string]string // org, then service tags
	Page, Ticket                      []string          // route IDs
	AppSignals                        *AppSignalsPlan
	SLOs                              []*SLOPlan
	Alarms                            []*AlarmPlan
	Canaries                          []*CanaryPlan
	RUM                               []*RUMPlan
	Traces                            []*TracePlan
	File                              string // catalog file that declares the service, relative to the catalog root
	// TradeOffs is the service's trade-off register, in the catalog's order.
	TradeOffs []*TradeOffPlan
}

// AppSignalsPlan is a service's Application Signals key attributes.
type AppSignalsPlan struct{ Name, Environment string }

// Origin says where an effective value came from.
type Origin struct {
	From string // "slo", "service defaults", "environment prod defaults", "org defaults", "environment prod override", "built-in"
	Pos  Pos
}

// String renders the origin for people.
func (o Origin) String() string {
	if o.Pos.IsZero() {
		return o.From
	}
	return fmt.Sprintf("%s (%s)", o.From, o.Pos)
}

// MetricPlan is one CloudWatch metric with dimensions in name order.
type MetricPlan struct {
	Namespace, Name, Unit, Stat string
	Dimensions                  []Dimension
}

// Dimension is a metric dimension.
type Dimension struct{ Name, Value string }

// QueryPlan is a metric or a metric-math expression over named metrics.
type QueryPlan struct {
	Metric     *MetricPlan
	Expression string
	Inputs     []NamedMetric // sorted by ID
}

// NamedMetric is an input of a metric-math expression.
type NamedMetric struct {
	ID     string
	Metric MetricPlan
}

// SLOPlan is one SLO in one environment.
type SLOPlan struct {
	ID, Name, Goal, Description string
	Kind                        string // "latency" (period-based) or "availability" (request-based)
	Objective                   float64
	Window                      Window
	WarningThreshold            float64 // 0 when unset
	LoadRPS                     float64
	LoadGuard                   *LoadGuardPlan // nil without load, or when turned off
	MinRequests                 int
	Budget                      ErrorBudget
	Tiers                       []Tier // empty when alerting is disabled
	Exclusions                  []ExclusionPlan
	Latency                     *LatencyPlan
	Ratio                       *RatioPlan
	Origins                     SLOOrigins
	Pos                         Pos
	Baseline                    *BaselinePlan // nil when the SLO has none
}

// SLOOrigins says where each cascading setting of an SLO came from. A
// setting that does not apply (threshold of an availability SLO) has a zero
// Origin.
type SLOOrigins struct {
	Objective, Window, MinRequests, Alerting, Threshold Origin
	// The validated-load guard's settings; zero when the SLO states no load.
	LoadGuardDisabled, LoadGuardFor, LoadGuardSeverity Origin
}

// List returns the settings that apply, by key name in name order.
func (o *SLOOrigins) List() []NamedOrigin {
	return namedOrigins([]NamedOrigin{{"alerting", o.Alerting},
		{"loadGuard.disabled", o.LoadGuardDisabled}, {"loadGuard.for", o.LoadGuardFor}, {"loadGuard.severity", o.LoadGuardSeverity},
		{"minRequests", o.MinRequests}, {"objective", o.Objective}, {"threshold", o.Threshold}, {"window", o.Window}})
}

// LoadGuardPlan is the validated-load guard of an SLO: an alarm of Severity
// when the SLI's request rate stays above the SLO's load for For.
type LoadGuardPlan struct {
	For      time.Duration // whole minutes, 1m to 1d
	Severity string
}

// DefaultLoadGuardFor is how long traffic must stay above an SLO's load
// before its validated-load alarm fires, when no level of the catalog says.
const DefaultLoadGuardFor = 15 * time.Minute

// LatencyPlan is a period-based latency SLI.
type LatencyPlan struct {
	Metric        *MetricPlan // nil when Operation is set
	Operation     string
	Percentile    string
	Threshold     float64 // in Unit
	Unit          string
	PeriodSeconds int
}

// RatioPlan is a request-based SLI.
type RatioPlan struct {
	Operation string // Application Signals operation; the rest is empty when set
	Good, Bad *QueryPlan
	Total     *QueryPlan
}

// ExclusionPlan is a maintenance window.
type ExclusionPlan struct {
	Start      time.Time
	Duration   time.Duration
	Recurrence string
	Reason     string
}

// AlarmPlan is one metric alarm.
type AlarmPlan struct {
	ID, Name, Description string
	Metric                MetricPlan
	Statistic             string
	Threshold             float64 // static alarms
	Comparison            string  // CloudFormation ComparisonOperator
	Anomaly               *AnomalyPlan
	PeriodSeconds         int
	EvaluationPeriods     int
	DatapointsToAlarm     int
	MissingData           string
	Severity              string
	MinSamples            int
	Origins               AlarmOrigins
	Pos                   Pos
}

// AlarmOrigins says where each cascading setting of an alarm came from. A
// setting that does not apply (threshold of an anomaly alarm) has a zero
// Origin.
type AlarmOrigins struct {
	Period, EvaluationPeriods, DatapointsToAlarm, MissingData, Severity, Threshold Origin
}

// List returns the settings that apply, by key name in name order.
func (o *AlarmOrigins) List() []NamedOrigin {
	return namedOrigins([]NamedOrigin{{"datapointsToAlarm", o.DatapointsToAlarm}, {"evaluationPeriods", o.EvaluationPeriods}, {"missingData", o.MissingData}, {"period", o.Period}, {"severity", o.Severity}, {"threshold", o.Threshold}})
}

// NamedOrigin is the origin of the setting under catalog key Key.
type NamedOrigin struct {
	Key string
	Origin
}

// namedOrigins drops the settings that do not apply.
func namedOrigins(all []NamedOrigin) []NamedOrigin {
	return slices.DeleteFunc(all, func(n NamedOrigin) bool { return n.From == "" })
}

// AnomalyPlan is an anomaly-detection band.
type AnomalyPlan struct {
	Band      float64
	Direction string // upper, lower, both
}

// CanaryPlan is one Synthetics canary.
type CanaryPlan struct {
	Name, Description string
	Schedule, Timeout time.Duration
	Severity          string
	Env               map[string]string
	Steps             []CanaryStepPlan
	Pos               Pos
}

// CanaryStepPlan is one HTTP step.
type CanaryStepPlan struct {
	Name, Method, URL, Body string
	Headers                 map[string]string
	ExpectStatus            int
	LatencyBudget           time.Duration // 0 when unset
}

// RUMPlan is one RUM app monitor.
type RUMPlan struct {
	Name         string
	Domains      []string
	SampleRate   float64
	Telemetries  []string
	XRay         bool
	CWLogs       bool
	AllowCookies bool
	Severity     string
	Percentile   string
	LCP, INP     time.Duration // 0 when unset
	CLS          *float64
	Pos          Pos
}

// TracePlan is one X-Ray group.
type TracePlan struct {
	Name, Filter            string
	Insights, Notifications bool
	Sampling                *Sampling
	Pos                     Pos
}

// Built-in defaults, used when no level of the catalog sets a value.
const (
	DefaultPeriod            = time.Minute
	DefaultEvaluationPeriods = 5
	DefaultDatapoints        = 3
	DefaultMissingData       = "missing"
	DefaultSeverity          = "ticket"
	DefaultCanarySchedule    = 5 * time.Minute
	DefaultCanaryTimeout     = time.Minute
	DefaultSLIPeriod         = time.Minute
	DefaultRUMSampleRate     = 0.1
)

// DefaultWindow is the SLO window when none is set.
var DefaultWindow = Window{Rolling: 28 * 24 * time.Hour}

// layer is one level of cascading defaults.
type layer struct {
	from string
	d    *Defaults
}

// cand is one candidate value for an effective setting.
type cand[T any] struct {
	v    *T
	from string
	pos  Pos
}

// pick returns the first set candidate, or the built-in default.
func pick[T any](builtin T, cs ...cand[T]) (T, Origin) {
	for _, c := range cs {
		if c.v != nil {
			return *c.v, Origin{From: c.from, Pos: c.pos}
		}
	}
	return builtin, Origin{From: "built-in"}
}

// pickLayered is pick over the own candidates, then the defaults layers
// (service, environment, org) for one setting, in that order. It reads the
// layers in place: building their candidates cost two allocations per
// setting per object.
func pickLayered[T any, D any](builtin T, own []cand[T], ls []layer, section func(*Defaults) *D, get func(*D) (*T, Meta), key string) (T, Origin) {
	for _, c := range own {
		if c.v != nil {
			return *c.v, Origin{From: c.from, Pos: c.pos}
		}
	}
	for _, l := range ls {
		if l.d == nil {
			continue
		}
		s := section(l.d)
		if s == nil {
			continue
		}
		if v, m := get(s); v != nil {
			return *v, Origin{From: l.from, Pos: m.Val(key)}
		}
	}
	return builtin, Origin{From: "built-in"}
}

// originRank orders the sources of an effective value from least to most
// specific: built-in, org defaults, environment defaults, service defaults,
// the object itself, an environment override.
func originRank(o Origin) int {
	switch {
	case o.Pos.IsZero():
		return 0
	case o.From == "org defaults":
		return 1
	case strings.HasPrefix(o.From, "environment ") && strings.HasSuffix(o.From, " defaults"):
		return 2
	case strings.HasPrefix(o.From, "service "):
		return 3
	case strings.HasPrefix(o.From, "environment ") && strings.HasSuffix(o.From, " override"):
		return 5
	}
	return 4 // the object itself
}

// moreSpecific returns the more specific of two origins: where the author
// last decided one of the values a check compares.
func moreSpecific(a, b Origin) Origin {
	if originRank(b) > originRank(a) {
		return b
	}
	return a
}

// tierIDCandidate is a catalog id of a service that could be taken by a
// burn-rate tier's alarm.
type tierIDCandidate struct {
	kind, id string
	pos      Pos
}

// tierIDCandidates are the SLO and alarm ids of a service whose logical ID
// (the id without its dashes) ends as a tier alarm's does; usually none.
func tierIDCandidates(s *Service) map[string]tierIDCandidate {
	var out map[string]tierIDCandidate
	add := func(kind, id string, pos Pos) {
		if !strings.HasSuffix(strings.ReplaceAll(id, "-", ""), OutputName(TierAlarmSuffix)) {
			return
		}
		if out == nil {
			out = map[string]tierIDCandidate{}
		}
		out[OutputName(id)] = tierIDCandidate{kind, id, pos}
	}
	for _, slo := range s.SLOs {
		add("slo", slo.ID, slo.Val("id"))
	}
	for _, a := range s.Alarms {
		add("alarm", a.ID, a.Val("id"))
	}
	return out
}

// checkTierIDs refuses a catalog SLO or alarm id that is also the id of one
// of x's burn-rate tier alarms (TierAlarmID, <slo>-<tier>-burn), by name or
// by CloudFormation logical ID: the two alarms would share a name or a
// logical ID. Tiers are known only here, after the defaults cascade.
func (p *planner) checkTierIDs(candidates map[string]tierIDCandidate, x *SLOPlan) {
	for _, t := range x.Tiers {
		tier := TierAlarmID(x.ID, t.Name())
		if c, ok := candidates[OutputName(tier)]; ok {
			p.diags.Add(c.pos, CheckName, fmt.Sprintf("SLO %s's %s tier alarm is named %s; choose another id", x.ID, t.Name(), tier),
				"%s id %q is taken by the alarm of a burn-rate tier", c.kind, c.id)
		}
	}
}

// MaxAlarmMetrics is how many metrics (MetricStat queries) one CloudWatch
// metric math alarm may read: "Alarms based on metric math expressions can
// reference a maximum of 10 metrics", a hard limit (CloudWatch user guide,
// alarm limits; PutMetricAlarm allows 10 MetricStat and 10 Expression
// queries).
const MaxAlarmMetrics = 10

// checkAlarmInputs refuses an availability SLI whose total expression has
// more inputs than its alarms can read: a burn-rate tier's alarm reads both
// windows' burn rates and, with the low-traffic guard, every input of the
// total; the validated-load alarm reads every input. Known only here, after
// minRequests, tiers and the load guard have cascaded.
func (p *planner) checkAlarmInputs(slo *SLO, x *SLOPlan) {
	// Read from the catalog, not x.Ratio: a check-only plan leaves it out.
	if slo.SLI == nil || slo.SLI.Availability == nil {
		return
	}
	a := slo.SLI.Availability
	if a.Operation != "" || a.Total == nil || a.Total.Metric != nil {
		return
	}
	n := len(a.Total.Metrics)
	at := a.Total.Val("expression")
	switch {
	case x.MinRequests > 0 && len(x.Tiers) > 0 && 2+n > MaxAlarmMetrics:
		p.diags.Add(at, CheckMetricQuery, fmt.Sprintf("a CloudWatch alarm reads at most %d metrics: sum the inputs into at most %d metrics (a metric math alarm cannot read more)", MaxAlarmMetrics, MaxAlarmMetrics-2),
			"total has %d metrics; with the low-traffic guard each burn-rate tier's alarm would read %d (its two burn rates and every input)", n, 2+n)
	case x.LoadGuard != nil && n > MaxAlarmMetrics:
		p.diags.Add(at, CheckMetricQuery, fmt.Sprintf("a CloudWatch alarm reads at most %d metrics: sum the inputs into fewer metrics, or set loadGuard: {disabled: true}", MaxAlarmMetrics),
			"total has %d metrics; the validated-load alarm would read all of them", n)
	}
}

// report adds a problem with an effective value at its source. Set on the
// object itself, it is reported there; set by a default or an override, it
// is reported once at that line with the objects it affects in a note.
// Nothing in the catalog sets it (built-in values): at the object, own.
func (p *planner) report(src Origin, own Pos, check, object, hint, format string, args ...any) {
	switch originRank(src) {
	case 0, 4:
		pos := src.Pos
		if pos.IsZero() {
			pos = own
		}
		kind, name, _ := strings.Cut(object, " ")
		p.diags.Add(pos, check, hint, "%s %q: "+format, append([]any{kind, name}, args...)...)
	default:
		p.diags.addShared(src.Pos, check, object, hint, format, args...)
	}
}

// planner builds the plan and runs the checks that need effective values.
type planner struct {
	c     *Catalog
	diags *Diagnostics
}

// BuildPlan resolves every default of a valid catalog and returns the plan,
// adding to diags what only the effective values show (a page alarm with no
// page route, period × evaluation periods over the limit, a tier that cannot
// fire).
func BuildPlan(c *Catalog, diags *Diagnostics) *Plan {
	plan := &Plan{}
	if c.Org != nil {
		plan.Org = c.Org.Name
		plan.Tags = c.Org.Tags
	}
	// Environments are planned concurrently: each reads the catalog and
	// writes only its own plan and diagnostics.
	envs := make([]*EnvPlan, len(c.Environments))
	envDiags := make([]Diagnostics, len(c.Environments))
	var wg sync.WaitGroup
	for i, e := range c.Environments {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &planner{c: c, diags: &envDiags[i]}
			envs[i] = p.environment(plan, e)
		}()
	}
	wg.Wait()
	for i := range envs {
		*diags = append(*diags, envDiags[i]...)
		plan.Environments = append(plan.Environments, envs[i])
	}
	sort.Slice(plan.Environments, func(i, j int) bool { return plan.Environments[i].Name < plan.Environments[j].Name })
	p := &planner{c: c, diags: diags}
	p.sharedAccounts()
	return plan
}

// sharedAccounts reports X-Ray groups that two environments in the same
// account and region would both create: X-Ray names (at most 32 characters)
// carry no environment prefix, unlike every other generated name.
func (p *planner) sharedAccounts() {
	first := map[string]*Environment{}
	for _, e := range p.c.Environments {
		key := e.Account + "/" + e.Region
		prev, ok := first[key]
		if !ok {
			first[key] = e
			continue
		}
		for _, s := range p.c.Services {
			inBoth := len(s.Environments) == 0 || (slices.Contains(s.Environments, e.Name) && slices.Contains(s.Environments, prev.Name))
			if !inBoth {
				continue
			}
			for _, t := range s.Traces {
				p.diags.Add(t.Val("name"), CheckXRayName, fmt.Sprintf("give the environments their own accounts or regions, or limit the service to one of them with environments: [%s]", prev.Name),
					"environments %s and %s share account %s in %s, where X-Ray group %q would be created twice", prev.Name, e.Name, e.Account, e.Region, t.Name)
			}
		}
	}
}

func (p *planner) environment(plan *Plan, e *Environment) *EnvPlan {
	c := p.c
	ep := &EnvPlan{Name: e.Name, Account: e.Account, Region: e.Region}
	envLayers := []layer{{"environment " + e.Name + " defaults", e.Defaults}}
	if c.Org != nil {
		envLayers = append(envLayers, layer{"org defaults", c.Org.Defaults})
	}
	ep.Executive = dashboardPlan(envLayers, DefaultExecutiveTimeRange)
	used := map[string]bool{}
	for _, s := range c.Services {
		if len(s.Environments) > 0 && !slices.Contains(s.Environments, e.Name) {
			continue
		}
		sp := p.service(plan, e, s)
		// EventBridge rule names are at most 64 characters:
		// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
		if n := RuleName(plan.Org, e.Name, s.Name, "ticket") + "-ok"; len(n) > 64 {
			p.diags.Add(s.Val("name"), CheckRouteRuleName, fmt.Sprintf("org, environment and service names together leave %d characters for the service name", 64-len(n)+len(s.Name)), "routing rule name %q is longer than 64 characters", n)
		}
		ep.Services = append(ep.Services, sp)
		for _, id := range sp.Page {
			used[id] = true
		}
		for _, id := range sp.Ticket {
			used[id] = true
		}
	}
	p.awsNames(e)
	for _, r := range c.Routes {
		if used[r.ID] {
			ep.Routes = append(ep.Routes, &RoutePlan{ID: r.ID, Type: r.Type, Secret: r.Secret, Region: cmp.Or(r.Region, "us"), Channel: r.Channel, Emails: r.Emails, Description: r.Description})
		}
	}
	sort.Slice(ep.Routes, func(i, j int) bool { return ep.Routes[i].ID < ep.Routes[j].ID })
	sort.Slice(ep.Services, func(i, j int) bool { return ep.Services[i].Name < ep.Services[j].Name })
	return ep
}

// awsNames reports names that AWS keeps unique per account and region and
// that two services of environment e would both create: canaries
// (<environment>-<name>), X-Ray groups and sampling rules (the trace
// group's name). Each is reported at its second declaration, once for all
// environments; twice in one service is Validate's to report.
func (p *planner) awsNames(e *Environment) {
	type first struct {
		pos Pos
		svc *Service
	}
	canaries := map[string]first{}
	traces := map[string]first{}
	for _, s := range p.c.Services {
		if len(s.Environments) > 0 && !slices.Contains(s.Environments, e.Name) {
			continue
		}
		for _, c := range s.Canaries {
			if o := p.override(e, s, c.Name); c.Name == "" || o != nil && o.Disabled {
				continue
			}
			prev, dup := canaries[c.Name]
			if !dup {
				canaries[c.Name] = first{c.Val("name"), s}
			} else if prev.svc != s {
				p.diags.Add(c.Val("name"), CheckCanaryName, fmt.Sprintf("first declared at %s; AWS canary names (<environment>-<name>) are unique per account and region: rename one", prev.pos),
					"canary %q is already declared by service %s", c.Name, prev.svc.Name)
			}
		}
		for _, t := range s.Traces {
			if t.Name == "" {
				continue
			}
			prev, dup := traces[t.Name]
			if !dup {
				traces[t.Name] = first{t.Val("name"), s}
			} else if prev.svc != s {
				p.diags.Add(t.Val("name"), CheckXRayName, fmt.Sprintf("first declared at %s; X-Ray group and sampling rule names are unique per account and region: rename one", prev.pos),
					"X-Ray group %q is already declared by service %s", t.Name, prev.svc.Name)
			}
		}
	}
}

func (p *planner) layers(e *Environment, s *Service) []layer {
	ls := []layer{{"service " + s.Name + " defaults", s.Defaults}, {"environment " + e.Name + " defaults", e.Defaults}}
	if p.c.Org != nil {
		ls = append(ls, layer{"org defaults", p.c.Org.Defaults})
	}
	return ls
}

func (p *planner) service(plan *Plan, e *Environment, s *Service) *ServicePlan {
	sp := &ServicePlan{Name: s.Name, Owner: s.Owner, Runbook: s.Runbook, Description: s.Description, Tier: s.Tier, File: p.c.relPos(s.Pos).File}
	sp.Tags = make(map[string]string, len(plan.Tags)+len(s.Tags))
	maps.Copy(sp.Tags, plan.Tags)
	maps.Copy(sp.Tags, s.Tags)
	if s.Oncall != nil {
		sp.Page, sp.Ticket = s.Oncall.Page, s.Oncall.Ticket
	}
	if a := s.ApplicationSignals; a != nil {
		sp.AppSignals = &AppSignalsPlan{Name: a.Name, Environment: fillEnv(a.Environment, e)}
	}
	p.checkRefs(e, s)
	ls := p.layers(e, s)
	sp.Dashboard = dashboardPlan(ls, DefaultServiceTimeRange)
	// needRoute reports an object of severity sev (kind and name say
	// which) that has no route to go to.
	needRoute := func(sev string, pos Pos, kind, name string) {
		routes := sp.Ticket
		if sev == "page" {
			routes = sp.Page
		}
		if len(routes) == 0 && s.Oncall != nil && !s.Oncall.Has(sev) {
			p.diags.Add(pos, CheckRouteMissing, fmt.Sprintf("add a route under oncall.%s of service %s", sev, s.Name), "%s %q has severity %s but service %q has no %s route", kind, name, sev, s.Name, sev)
		}
	}
	tierIDs := tierIDCandidates(s)
	for _, slo := range s.SLOs {
		o := p.override(e, s, slo.ID)
		if o != nil && o.Disabled {
			continue
		}
		if x := p.slo(e, s, sp, slo, o, ls); x != nil {
			if tierIDs != nil {
				p.checkTierIDs(tierIDs, x)
			}
			p.checkAlarmInputs(slo, x)
			sp.SLOs = append(sp.SLOs, x)
			for _, t := range x.Tiers {
				needRoute(t.Severity, slo.Val("id"), "SLO", slo.ID)
			}
			if g := x.LoadGuard; g != nil {
				at := slo.Val("id")
				if originRank(x.Origins.LoadGuardSeverity) >= 4 {
					at = x.Origins.LoadGuardSeverity.Pos
				}
				needRoute(g.Severity, at, "SLO", slo.ID)
			}
		}
	}
	for _, a := range s.Alarms {
		o := p.override(e, s, a.ID)
		if o != nil && o.Disabled {
			continue
		}
		if x := p.alarm(plan, e, s, a, o, ls); x != nil {
			sp.Alarms = append(sp.Alarms, x)
			// Reported at the alarm unless the alarm or an override
			// chose the severity: a new alarm that inherits it from the
			// defaults is the author's edit, not the default.
			at := a.Val("id")
			if originRank(x.Origins.Severity) >= 4 {
				at = x.Origins.Severity.Pos
			}
			needRoute(x.Severity, at, "alarm", a.ID)
		}
	}
	for _, c := range s.Canaries {
		o := p.override(e, s, c.Name)
		if o != nil && o.Disabled {
			continue
		}
		x := p.canary(e, c, o, ls)
		// The canary is named <environment>-<name> in AWS: 1 to 255 of [0-9a-z_-].
		if n := e.Name + "-" + c.Name; len(n) > 255 {
			p.diags.Add(c.Val("name"), CheckCanaryName, "shorten the canary name", "canary name %q is longer than 255 characters in environment %s", n, e.Name)
		}
		sp.Canaries = append(sp.Canaries, x)
		needRoute(x.Severity, c.Pos, "canary", c.Name)
	}
	for _, r := range s.RUM {
		x := rumPlan(r, e, p.c.relPos)
		sp.RUM = append(sp.RUM, x)
		if x.LCP > 0 || x.INP > 0 || x.CLS != nil {
			needRoute(x.Severity, r.Pos, "RUM monitor", r.Name)
		}
	}
	for _, t := range s.Traces {
		sp.Traces = append(sp.Traces, &TracePlan{Name: t.Name, Filter: fillEnv(t.Filter, e), Insights: t.Insights, Notifications: t.Notifications, Sampling: t.Sampling, Pos: p.c.relPos(t.Pos)})
	}
	sp.TradeOffs = tradeOffPlans(s, p.c.relPos)
	sort.Slice(sp.SLOs, func(i, j int) bool { return sp.SLOs[i].ID < sp.SLOs[j].ID })
	sort.Slice(sp.Alarms, func(i, j int) bool { return sp.Alarms[i].ID < sp.Alarms[j].ID })
	sort.Slice(sp.Canaries, func(i, j int) bool { return sp.Canaries[i].Name < sp.Canaries[j].Name })
	sort.Slice(sp.RUM, func(i, j int) bool { return sp.RUM[i].Name < sp.RUM[j].Name })
	sort.Slice(sp.Traces, func(i, j int) bool { return sp.Traces[i].Name < sp.Traces[j].Name })
	return sp
}

func (p *planner) override(e *Environment, s *Service, id string) *Override {
	if e.Overrides == nil {
		return nil
	}
	return e.Overrides[s.Name+"/"+id]
}

// ovrCand is the environment override of one setting, as a candidate that
// pick passes over when the override does not set it.
func ovrCand[T any](o *Override, env string, get func(*Override) *T, key string) cand[T] {
	if o == nil || get(o) == nil {
		return cand[T]{}
	}
	return cand[T]{get(o), "environment " + env + " override", o.Val(key)}
}

// metricPlan is a catalog metric as environment e sees it.
func metricPlan(m *Metric, defaultStat string, e *Environment) MetricPlan {
	mp := MetricPlan{Namespace: fillEnv(m.Namespace, e), Name: fillEnv(m.Name, e), Unit: m.Unit, Stat: defaultStat}
	if m.Statistic != nil {
		mp.Stat = string(*m.Statistic)
	}
	if len(m.Dimensions) > 0 {
		mp.Dimensions = make([]Dimension, 0, len(m.Dimensions))
		for k, v := range m.Dimensions {
			mp.Dimensions = append(mp.Dimensions, Dimension{k, fillEnv(v, e)})
		}
		slices.SortFunc(mp.Dimensions, func(a, b Dimension) int { return strings.Compare(a.Name, b.Name) })
	}
	return mp
}

func queryPlan(q *MetricQuery, e *Environment) *QueryPlan {
	if q == nil {
		return nil
	}
	if q.Metric != nil {
		m := metricPlan(q.Metric, "Sum", e)
		return &QueryPlan{Metric: &m}
	}
	qp := &QueryPlan{Expression: q.Expression}
	if len(q.Metrics) > 0 {
		qp.Inputs = make([]NamedMetric, 0, len(q.Metrics))
	}
	for id, m := range q.Metrics {
		qp.Inputs = append(qp.Inputs, NamedMetric{ID: id, Metric: metricPlan(m, "Sum", e)})
	}
	slices.SortFunc(qp.Inputs, func(a, b NamedMetric) int { return strings.Compare(a.ID, b.ID) })
	return qp
}

func (p *planner) slo(e *Environment, s *Service, sp *ServicePlan, slo *SLO, o *Override, ls []layer) *SLOPlan {
	x := &SLOPlan{ID: slo.ID, Name: SLOName(e.Name, s.Name, slo.ID), Goal: slo.Goal, Description: slo.Description, Pos: p.c.relPos(slo.Pos)}
	// The name always fits Application Signals' pattern and 128 characters:
	// environment (16), service (40) and id (63) names are checked by
	// Validate, and TestSLONameFits holds the sum under the limit.
	sloSec := func(d *Defaults) *SLODefaults { return d.SLO }
	objCands := []cand[Percent]{ovrCand(o, e.Name, func(o *Override) *Percent { return o.Objective }, "objective"), {slo.Objective, "slo", slo.Val("objective")}}
	var obj Percent
	obj, x.Origins.Objective = pickLayered(Percent(-1), objCands, ls, sloSec, func(d *SLODefaults) (*Percent, Meta) { return d.Objective, d.Meta }, "objective")
	if obj < 0 { // no level sets it
		if slo.Broken() || slo.Meta.Has("objective") {
			return nil // the cause (a misspelt or malformed objective) is reported already
		}
		p.diags.Add(slo.Pos, CheckSLOObjective, "set objective: 99.9% on the SLO, or under defaults.slo", "SLO %q has no objective", slo.ID)
		return nil
	}
	x.Objective = float64(obj)
	x.Window, x.Origins.Window = pickLayered(DefaultWindow, []cand[Window]{{slo.Window, "slo", slo.Val("window")}}, ls, sloSec, func(d *SLODefaults) (*Window, Meta) { return d.Window, d.Meta }, "window")
	mr := []cand[int]{ovrCand(o, e.Name, func(o *Override) *int { return o.MinRequests }, "minRequests"), {slo.MinRequests, "slo", slo.Val("minRequests")}}
	x.MinRequests, x.Origins.MinRequests = pickLayered(0, mr, ls, sloSec, func(d *SLODefaults) (*int, Meta) { return d.MinRequests, d.Meta }, "minRequests")
	var alerting *Alerting
	alerting, x.Origins.Alerting = pickLayered[*Alerting](nil, []cand[*Alerting]{{ptrIf(&slo.Alerting), "slo", slo.Val("alerting")}}, ls, sloSec, func(d *SLODefaults) (**Alerting, Meta) { return ptrIf(&d.Alerting), d.Meta }, "alerting")
	if slo.WarningThreshold != nil {
		x.WarningThreshold = float64(*slo.WarningThreshold)
	}
	if slo.Load != nil {
		x.LoadRPS = float64(*slo.Load)
		x.LoadGuard = loadGuardPlan(slo, ls, &x.Origins)
	}
	x.Budget = Budget(x.Objective, x.Window.Hours(), x.LoadRPS)
	x.Baseline = baselinePlan(slo.Baseline, ls)
	x.Tiers = p.tiers(slo, alerting, x)
	for _, ex := range slo.Exclusions {
		t, _ := time.Parse(time.RFC3339, ex.Start)
		var d time.Duration
		if ex.Duration != nil {
			d = ex.Duration.D()
		}
		x.Exclusions = append(x.Exclusions, ExclusionPlan{Start: t.UTC(), Duration: d, Recurrence: ex.Recurrence, Reason: ex.Reason})
	}
	if sli := slo.SLI; sli != nil && sli.Latency != nil {
		l := sli.Latency
		x.Kind = "latency"
		lp := &LatencyPlan{Operation: l.Operation, Percentile: string(l.Percentile), PeriodSeconds: int(DefaultSLIPeriod / time.Second)}
		if l.Period != nil {
			lp.PeriodSeconds = int(l.Period.D() / time.Second)
		}
		if l.Metric != nil {
			m := metricPlan(l.Metric, string(l.Percentile), e)
			m.Stat = string(l.Percentile)
			lp.Metric = &m
			lp.Unit = cmp.Or(l.Metric.Unit, "Milliseconds")
		} else {
			lp.Unit = "Milliseconds" // Application Signals publishes Latency in milliseconds
		}
		th, org := pick(Threshold{}, []cand[Threshold]{ovrCand(o, e.Name, func(o *Override) *Threshold { return o.Threshold }, "threshold"), {l.Threshold, "slo", l.Val("threshold")}}...)
		x.Origins.Threshold = org
		v, err := th.In(lp.Unit)
		if err != nil && org.From != "slo" { // the catalog's own value is checked by Validate
			p.diags.Add(org.Pos, CheckMetricUnit, "", "%v", err)
		}
		lp.Threshold = v
		x.Latency = lp
	} else if sli != nil && sli.Availability != nil {
		a := sli.Availability
		x.Kind = "availability"
		x.Ratio = &RatioPlan{Operation: a.Operation, Good: queryPlan(a.Good, e), Bad: queryPlan(a.Bad, e), Total: queryPlan(a.Total, e)}
	}
	return x
}

// ptrIf is p when the pointer it holds is set, else nil: an optional
// pointer setting as a candidate for pick.
func ptrIf[T any](p **T) **T {
	if *p == nil {
		return nil
	}
	return p
}

// tiers resolves the burn-rate tiers of an SLO and checks them against its window.
func (p *planner) tiers(slo *SLO, a *Alerting, x *SLOPlan) []Tier {
	hours := x.Window.Hours()
	if a == nil || len(a.Tiers) == 0 {
		if a != nil && a.Disabled {
			return nil
		}
		return DefaultTiers(hours)
	}
	var out []Tier
	seen := map[string]Pos{}
	for _, t := range a.Tiers {
		if t.LongWindow == nil || t.ShortWindow == nil || t.Budget == nil {
			continue
		}
		tr := Tier{Severity: t.Severity, Long: t.LongWindow.D(), Short: t.ShortWindow.D(), BudgetPercent: float64(*t.Budget)}
		if prev, dup := seen[tr.Name()]; dup {
			p.diags.Add(t.Pos, CheckSLOBurnTier, fmt.Sprintf("first declared at %s; change its windows or severity, or remove one", prev), "tier %s is declared twice", tr.Name())
			continue
		}
		seen[tr.Name()] = t.Pos
		if tr.Long.Hours() > hours {
			p.diags.Add(t.Val("longWindow"), CheckSLOBurnWindow, fmt.Sprintf("a look-back window cannot be longer than the SLO window %s", x.Window), "longWindow %s is longer than the SLO window of %q", FormatDuration(tr.Long), slo.ID)
			continue
		}
		tr.Factor = BurnFactor(tr.BudgetPercent, hours, tr.Long)
		if tr.BudgetPercent <= 0 || tr.BudgetPercent > 100 {
			continue // out of range: reported by Validate, and no factor follows from it
		}
		if tr.Factor < 1 && !t.AllowSlowBurn {
			p.diags.Add(t.Val("budget"), CheckSLOBurnFactor, fmt.Sprintf("raise budget to at least %s, shorten longWindow, or set allowSlowBurn: true", Percent(math.Ceil(tr.Long.Hours()/hours*100*1000)/1000)), "tier %s fires at a burn rate of %.4g, below 1: it fires while the SLO is met", tr.Name(), tr.Factor)
			continue
		}
		out = append(out, tr)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity < out[j].Severity
		}
		return out[i].Long < out[j].Long
	})
	return out
}

// comparisons maps catalog comparisons to CloudFormation ComparisonOperator.
var comparisons = map[string]string{
	"above":          "GreaterThanThreshold",
	"above-or-equal": "GreaterThanOrEqualToThreshold",
	"below":          "LessThanThreshold",
	"below-or-equal": "LessThanOrEqualToThreshold",
}

// anomalyComparisons maps band directions to CloudFormation ComparisonOperator.
var anomalyComparisons = map[string]string{
	"upper": "GreaterThanUpperThreshold",
	"lower": "LessThanLowerThreshold",
	"both":  "LessThanLowerOrGreaterThanUpperThreshold",
}

func (p *planner) alarm(plan *Plan, e *Environment, s *Service, a *Alarm, o *Override, ls []layer) *AlarmPlan {
	if a.Metric == nil || a.Statistic == nil {
		return nil
	}
	x := &AlarmPlan{ID: a.ID, Name: AlarmName(plan.Org, e.Name, s.Name, a.ID), Description: a.Description, Statistic: string(*a.Statistic), Pos: p.c.relPos(a.Pos)}
	x.Metric = metricPlan(a.Metric, string(*a.Statistic), e)
	sec := func(d *Defaults) *AlarmDefaults { return d.Alarm }
	period, po := pickLayered(Duration(DefaultPeriod), []cand[Duration]{{a.Period, "alarm", a.Val("period")}}, ls, sec, func(d *AlarmDefaults) (*Duration, Meta) { return d.Period, d.Meta }, "period")
	x.Origins.Period = po
	x.PeriodSeconds = int(period.D() / time.Second)
	x.EvaluationPeriods, x.Origins.EvaluationPeriods = pickLayered(DefaultEvaluationPeriods, []cand[int]{{a.EvaluationPeriods, "alarm", a.Val("evaluationPeriods")}}, ls, sec, func(d *AlarmDefaults) (*int, Meta) { return d.EvaluationPeriods, d.Meta }, "evaluationPeriods")
	x.DatapointsToAlarm, x.Origins.DatapointsToAlarm = pickLayered(min(DefaultDatapoints, x.EvaluationPeriods), []cand[int]{{a.DatapointsToAlarm, "alarm", a.Val("datapointsToAlarm")}}, ls, sec, func(d *AlarmDefaults) (*int, Meta) { return d.DatapointsToAlarm, d.Meta }, "datapointsToAlarm")
	x.MissingData, x.Origins.MissingData = pickLayered(DefaultMissingData, []cand[string]{{a.MissingData, "alarm", a.Val("missingData")}}, ls, sec, func(d *AlarmDefaults) (*string, Meta) { return d.MissingData, d.Meta }, "missingData")
	sev := []cand[string]{ovrCand(o, e.Name, func(o *Override) *string { return o.Severity }, "severity"), {a.Severity, "alarm", a.Val("severity")}}
	x.Severity, x.Origins.Severity = pickLayered(DefaultSeverity, sev, ls, sec, func(d *AlarmDefaults) (*string, Meta) { return d.Severity, d.Meta }, "severity")
	if x.Origins.Severity.Pos.IsZero() {
		x.Origins.Severity = Origin{From: "built-in", Pos: a.Val("id")}
	}
	// Effective timing, checked once on the resolved values and reported
	// where the deciding value was written.
	if x.EvaluationPeriods >= 1 && x.PeriodSeconds > 0 && validAlarmPeriod(period.D()) {
		if span := period.D() * time.Duration(x.EvaluationPeriods); span > AlarmSpanLimit(period.D()) {
			src := moreSpecific(x.Origins.EvaluationPeriods, po)
			p.report(src, a.Val("id"), CheckAlarmSpan, "alarm "+a.ID, fmt.Sprintf("period × evaluationPeriods may be at most %s for a %s period", FormatDuration(AlarmSpanLimit(period.D())), period),
				"%d periods of %s span %s", x.EvaluationPeriods, period, FormatDuration(span))
		}
	}
	if x.DatapointsToAlarm > x.EvaluationPeriods && x.EvaluationPeriods >= 1 && x.DatapointsToAlarm >= 1 {
		src := moreSpecific(x.Origins.DatapointsToAlarm, x.Origins.EvaluationPeriods)
		p.report(src, a.Val("id"), CheckAlarmDatapoints, "alarm "+a.ID, fmt.Sprintf("lower datapointsToAlarm to %d or raise evaluationPeriods", x.EvaluationPeriods),
			"datapointsToAlarm %d is more than evaluationPeriods %d", x.DatapointsToAlarm, x.EvaluationPeriods)
	}
	if a.MinSamples != nil {
		x.MinSamples = *a.MinSamples
	}
	if a.Anomaly != nil {
		x.Anomaly = &AnomalyPlan{Band: 2, Direction: cmp.Or(a.Anomaly.Direction, "upper")}
		if a.Anomaly.Band != nil {
			x.Anomaly.Band = *a.Anomaly.Band
		}
		x.Comparison = anomalyComparisons[x.Anomaly.Direction]
	} else {
		th, org := pick(Threshold{}, []cand[Threshold]{ovrCand(o, e.Name, func(o *Override) *Threshold { return o.Threshold }, "threshold"), {a.Threshold, "alarm", a.Val("threshold")}}...)
		x.Origins.Threshold = org
		v, err := th.In(a.Metric.Unit)
		if err != nil && org.From != "alarm" { // the catalog's own value is checked by Validate
			p.diags.Add(org.Pos, CheckMetricUnit, "", "%v", err)
		}
		x.Threshold = v
		x.Comparison = comparisons[cmp.Or(a.Comparison, "above")]
		if th.IsDur && x.Metric.Unit == "" {
			x.Metric.Unit = "Milliseconds"
		}
	}
	return x
}

func (p *planner) canary(e *Environment, c *Canary, o *Override, ls []layer) *CanaryPlan {
	x := &CanaryPlan{Name: c.Name, Description: c.Description, Env: c.Env, Pos: p.c.relPos(c.Pos)}
	sec := func(d *Defaults) *CanaryDefaults { return d.Canary }
	sched, so := pickLayered(Duration(DefaultCanarySchedule), []cand[Duration]{{c.Schedule, "canary", c.Val("schedule")}}, ls, sec, func(d *CanaryDefaults) (*Duration, Meta) { return d.Schedule, d.Meta }, "schedule")
	to, tor := pickLayered(Duration(min(DefaultCanaryTimeout, sched.D())), []cand[Duration]{{c.Timeout, "canary", c.Val("timeout")}}, ls, sec, func(d *CanaryDefaults) (*Duration, Meta) { return d.Timeout, d.Meta }, "timeout")
	x.Schedule, x.Timeout = sched.D(), to.D()
	// A schedule or timeout out of range is reported by Validate: the
	// comparison would only repeat it.
	if x.Timeout > x.Schedule && validSchedule(x.Schedule) && validCanaryTimeout(x.Timeout) {
		src := moreSpecific(tor, so)
		p.report(src, c.Val("name"), CheckCanaryTimeout, "canary "+c.Name, "a run must end before the next starts",
			"timeout %s is longer than the schedule %s", to, sched)
	}
	sev := []cand[string]{ovrCand(o, e.Name, func(o *Override) *string { return o.Severity }, "severity"), {c.Severity, "canary", c.Val("severity")}}
	x.Severity, _ = pickLayered(DefaultSeverity, sev, ls, sec, func(d *CanaryDefaults) (*string, Meta) { return d.Severity, d.Meta }, "severity")
	for _, st := range c.Steps {
		sp := CanaryStepPlan{Name: st.Name, Method: cmp.Or(st.Method, "GET"), URL: fillEnv(st.URL, e), Body: st.Body, Headers: st.Headers, ExpectStatus: st.ExpectStatus}
		if sp.ExpectStatus == 0 {
			sp.ExpectStatus = 200
		}
		if st.LatencyBudget != nil {
			sp.LatencyBudget = st.LatencyBudget.D()
		}
		x.Steps = append(x.Steps, sp)
	}
	return x
}

func rumPlan(r *RUMMonitor, e *Environment, rel func(Pos) Pos) *RUMPlan {
	x := &RUMPlan{Name: r.Name, Domains: fillEnvAll(r.Domains, e), SampleRate: DefaultRUMSampleRate, Telemetries: r.Telemetries, XRay: true, CWLogs: r.CWLogs, AllowCookies: true, Severity: "ticket", Percentile: "p75", Pos: rel(r.Pos)}
	if r.SampleRate != nil {
		x.SampleRate = *r.SampleRate
	}
	if len(x.Telemetries) == 0 {
		x.Telemetries = []string{"errors", "performance", "http"}
	}
	if r.XRay != nil {
		x.XRay = *r.XRay
	}
	if r.Severity != nil {
		x.Severity = *r.Severity
	}
	if r.Extra != nil && r.Extra.AllowCookies != nil {
		x.AllowCookies = *r.Extra.AllowCookies
	}
	if b := r.Budgets; b != nil {
		if b.Percentile != "" {
			x.Percentile = string(b.Percentile)
		}
		if b.LCP != nil {
			x.LCP = b.LCP.D()
		}
		if b.INP != nil {
			x.INP = b.INP.D()
		}
		x.CLS = b.CLS
	}
	return x
}

// Service returns the environment's plan of the named service, or nil.
func (e *EnvPlan) Service(name string) *ServicePlan {
	for _, s := range e.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// SLO returns the service's SLO with the id, or nil.
func (s *ServicePlan) SLO(id string) *SLOPlan {
	for _, x := range s.SLOs {
		if x.ID == id {
			return x
		}
	}
	return nil
}

// Alarm returns the service's alarm with the id, or nil.
func (s *ServicePlan) Alarm(id string) *AlarmPlan {
	for _, a := range s.Alarms {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// Canary returns the service's canary with the name, or nil.
func (s *ServicePlan) Canary(name string) *CanaryPlan {
	for _, c := range s.Canaries {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// dashboardPlan resolves a dashboard's settings from the layers of defaults
// (most specific first); nil when a layer turns it off.
func dashboardPlan(ls []layer, builtin time.Duration) *DashboardPlan {
	sec := func(d *Defaults) *DashboardDefaults { return d.Dashboard }
	if off, _ := pickLayered(false, nil, ls, sec, func(d *DashboardDefaults) (*bool, Meta) { return d.Disabled, d.Meta }, "disabled"); off {
		return nil
	}
	tr, _ := pickLayered(Duration(builtin), nil, ls, sec, func(d *DashboardDefaults) (*Duration, Meta) { return d.TimeRange, d.Meta }, "timeRange")
	return &DashboardPlan{TimeRange: tr.D()}
}

// loadGuardPlan resolves the validated-load guard of an SLO that states its
// load: the SLO's own loadGuard, then the defaults layers (service,
// environment, org), then the built-in 15m as a ticket. It records where
// each setting came from in o; nil when a level turns the guard off.
func loadGuardPlan(slo *SLO, ls []layer, o *SLOOrigins) *LoadGuardPlan {
	sec := func(d *Defaults) *LoadGuard { return d.LoadGuard }
	var g LoadGuard
	if slo.LoadGuard != nil {
		g = *slo.LoadGuard
	}
	var off bool
	off, o.LoadGuardDisabled = pickLayered(false, []cand[bool]{{g.Disabled, "slo", g.Val("disabled")}}, ls, sec, func(d *LoadGuard) (*bool, Meta) { return d.Disabled, d.Meta }, "disabled")
	var d Duration
	d, o.LoadGuardFor = pickLayered(Duration(DefaultLoadGuardFor), []cand[Duration]{{g.For, "slo", g.Val("for")}}, ls, sec, func(d *LoadGuard) (*Duration, Meta) { return d.For, d.Meta }, "for")
	var sev string
	sev, o.LoadGuardSeverity = pickLayered(DefaultSeverity, []cand[string]{{g.Severity, "slo", g.Val("severity")}}, ls, sec, func(d *LoadGuard) (*string, Meta) { return d.Severity, d.Meta }, "severity")
	if off {
		return nil
	}
	return &LoadGuardPlan{For: d.D(), Severity: sev}
}
