package plan

import (
	"fmt"
	"slices"
	"time"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/spec"
)

// Environment is one environment: its routes and its services.
type Environment struct {
	Name, Account, Region string
	Routes                []*Route   // routes used by the environment's services, by ID
	Executive             *Dashboard // the executive latency view; nil when turned off
	Services              []*Service
}

// Route is an on-call target in one environment.
type Route struct {
	ID, Type, Secret, Region, Description string
	Channel                               string // Slack channel (type slack)
	Emails                                []string
}

// Dashboard is one dashboard's settings.
type Dashboard struct {
	TimeRange time.Duration // how far back graphs look when it opens
}

// Default dashboard time ranges.
const (
	DefaultServiceTimeRange   = 12 * time.Hour
	DefaultExecutiveTimeRange = 7 * 24 * time.Hour
)

// Service is one service in one environment.
type Service struct {
	Dashboard                         *Dashboard // nil when turned off
	Name, Owner, Runbook, Description string
	Tier                              int
	Tags                              map[string]string // org, then service tags
	Page, Ticket                      []string          // route IDs
	AppSignals                        *AppSignals
	SLOs                              []*SLO
	Alarms                            []*Alarm
	Canaries                          []*Canary
	RUM                               []*RUM
	Traces                            []*Trace
	File                              string // catalog file that declares the service, relative to the catalog root
	// TradeOffs is the service's trade-off register, in the catalog's order.
	TradeOffs []*TradeOff
}

// AppSignals is a service's Application Signals key attributes.
type AppSignals struct{ Name, Environment string }

// Origin says where an effective value came from.
type Origin struct {
	From string // "slo", "service defaults", "environment prod defaults", "org defaults", "environment prod override", "built-in"
	Pos  diag.Pos
}

// String renders the origin for people.
func (o Origin) String() string {
	if o.Pos.IsZero() {
		return o.From
	}
	return fmt.Sprintf("%s (%s)", o.From, o.Pos)
}

// Metric is one CloudWatch metric with dimensions in name order.
type Metric struct {
	Namespace, Name, Unit, Stat string
	Dimensions                  []Dimension
}

// Dimension is a metric dimension.
type Dimension struct{ Name, Value string }

// Query is a metric or a metric-math expression over named metrics.
type Query struct {
	Metric     *Metric
	Expression string
	Inputs     []NamedMetric // sorted by ID
}

// NamedMetric is an input of a metric-math expression.
type NamedMetric struct {
	ID     string
	Metric Metric
}

// SLO is one SLO in one environment.
type SLO struct {
	ID, Name, Goal, Description string
	Kind                        string // "latency" (period-based) or "availability" (request-based)
	Objective                   float64
	Window                      spec.Window
	WarningThreshold            float64 // 0 when unset
	LoadRPS                     float64
	LoadGuard                   *LoadGuard // nil without load, or when turned off
	MinRequests                 int
	Budget                      ErrorBudget
	Tiers                       []Tier // empty when alerting is disabled
	Exclusions                  []Exclusion
	Latency                     *Latency
	Ratio                       *Ratio
	Origins                     SLOOrigins
	Pos                         diag.Pos
	Baseline                    *Baseline // nil when the SLO has none
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

// LoadGuard is the validated-load guard of an SLO: an alarm of Severity
// when the SLI's request rate stays above the SLO's load for For.
type LoadGuard struct {
	For      time.Duration // whole minutes, 1m to 1d
	Severity string
}

// DefaultLoadGuardFor is how long traffic must stay above an SLO's load
// before its validated-load alarm fires, when no level of the catalog says.
const DefaultLoadGuardFor = 15 * time.Minute

// Latency is a period-based latency SLI.
type Latency struct {
	Metric        *Metric // nil when Operation is set
	Operation     string
	Percentile    string
	Threshold     float64 // in Unit
	Unit          string
	PeriodSeconds int
}

// Ratio is a request-based SLI.
type Ratio struct {
	Operation string // Application Signals operation; the rest is empty when set
	Good, Bad *Query
	Total     *Query
}

// Exclusion is a maintenance window.
type Exclusion struct {
	Start      time.Time
	Duration   time.Duration
	Recurrence string
	Reason     string
}

// Alarm is one metric alarm.
type Alarm struct {
	ID, Name, Description string
	Metric                Metric
	Statistic             string
	Threshold             float64 // static alarms
	Comparison            string  // CloudFormation ComparisonOperator
	Anomaly               *Anomaly
	PeriodSeconds         int
	EvaluationPeriods     int
	DatapointsToAlarm     int
	MissingData           string
	Severity              string
	MinSamples            int
	Origins               AlarmOrigins
	Pos                   diag.Pos
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

// Anomaly is an anomaly-detection band.
type Anomaly struct {
	Band      float64
	Direction string // upper, lower, both
}

// Canary is one Synthetics canary.
type Canary struct {
	Name, Description string
	Schedule, Timeout time.Duration
	Severity          string
	Env               map[string]string
	Steps             []CanaryStep
	Pos               diag.Pos
}

// CanaryStep is one HTTP step.
type CanaryStep struct {
	Name, Method, URL, Body string
	Headers                 map[string]string
	ExpectStatus            int
	LatencyBudget           time.Duration // 0 when unset
}

// RUM is one RUM app monitor.
type RUM struct {
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
	Pos          diag.Pos
}

// Trace is one X-Ray group.
type Trace struct {
	Name, Filter            string
	Insights, Notifications bool
	Sampling                *spec.Sampling
	Pos                     diag.Pos
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
var DefaultWindow = spec.Window{Rolling: 28 * 24 * time.Hour}

// Service returns the environment's plan of the named service, or nil.
func (e *Environment) Service(name string) *Service {
	for _, s := range e.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// SLO returns the service's SLO with the id, or nil.
func (s *Service) SLO(id string) *SLO {
	for _, slo := range s.SLOs {
		if slo.ID == id {
			return slo
		}
	}
	return nil
}

// Alarm returns the service's alarm with the id, or nil.
func (s *Service) Alarm(id string) *Alarm {
	for _, a := range s.Alarms {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// Canary returns the service's canary with the name, or nil.
func (s *Service) Canary(name string) *Canary {
	for _, c := range s.Canaries {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Plan says exactly which resources the catalog makes, per environment and
// service, with every default resolved. It is plain data: the CDK constructs
// build from it and the CLI prints it.
type Plan struct {
	Org          string
	Tags         map[string]string
	Environments []*Environment
}
