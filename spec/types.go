package spec

// This file is the catalog's schema: the YAML keys, their documentation (doc
// tags, which also feed schema/catalog.schema.json) and allowed values (enum
// tags, checked by the decoder). Checks that span fields live in validate.go.

// File is one catalog file. A catalog is one or more files; their lists are
// concatenated and org may be set in one file only.
type File struct {
	Meta         `yaml:"-"`
	Org          *Org           `yaml:"org" doc:"Organisation-wide settings and defaults; set in one file of the catalog."`
	Environments []*Environment `yaml:"environments" doc:"AWS accounts and regions the monitoring is deployed to."`
	Routes       []*Route       `yaml:"routes" doc:"On-call targets that alarms are routed to."`
	Services     []*Service     `yaml:"services" doc:"Services with their owners, SLOs, alarms, canaries, RUM monitors and trace groups."`
}

// Org holds organisation-wide settings.
type Org struct {
	Meta     `yaml:"-"`
	Name     string            `yaml:"name" required:"true" doc:"Short organisation name, used as the prefix of stack and resource names: lower case letters, digits and dashes, starting with a letter, at most 20 characters."`
	Tags     map[string]string `yaml:"tags" doc:"Tags applied to every generated resource."`
	Defaults *Defaults         `yaml:"defaults" doc:"Defaults for every environment, service and SLO; the most specific level wins."`
}

// Defaults are settings that cascade org → environment → service → SLO/alarm.
type Defaults struct {
	Meta      `yaml:"-"`
	SLO       *SLODefaults       `yaml:"slo" doc:"Defaults for SLOs."`
	Alarm     *AlarmDefaults     `yaml:"alarm" doc:"Defaults for alarms."`
	Canary    *CanaryDefaults    `yaml:"canary" doc:"Defaults for canaries."`
	Dashboard *DashboardDefaults `yaml:"dashboard" doc:"Defaults for the CloudWatch dashboards."`
	Baseline  *BaselineDefaults  `yaml:"baseline" doc:"Defaults for SLOs' performance baselines."`
	LoadGuard *LoadGuard         `yaml:"loadGuard" doc:"Defaults for the validated-load guard of SLOs that state a load."`
}

// LoadGuard is the validated-load guard of an SLO that states its load: an
// alarm when the SLI's request rate stays above the load for a while, as the
// objective then holds at a load nobody tested. It cascades org →
// environment → service → SLO; each level overrides only what it sets.
type LoadGuard struct {
	Meta     `yaml:"-"`
	Disabled *bool     `yaml:"disabled" doc:"Make no validated-load alarm here."`
	For      *Duration `yaml:"for" doc:"How long the request rate must stay above the load before the alarm fires: whole minutes, 1m to 1d; default 15m."`
	Severity *string   `yaml:"severity" enum:"page|ticket" doc:"Who is told when traffic stays above the validated load; default ticket."`
}

// DashboardDefaults are the cascading settings of the CloudWatch dashboards:
// a service's (service, environment and org defaults) and the environment's
// executive view (environment and org defaults).
type DashboardDefaults struct {
	Meta      `yaml:"-"`
	Disabled  *bool     `yaml:"disabled" doc:"Make no dashboard here (at org or environment level, the executive view too)."`
	TimeRange *Duration `yaml:"timeRange" doc:"How far back graphs look when the dashboard opens, 5m to 455d; default 12h for a service, 7d for the executive view."`
}

// SLODefaults are the cascading settings of an SLO.
type SLODefaults struct {
	Meta        `yaml:"-"`
	Objective   *Percent  `yaml:"objective" doc:"Share of good events (or good periods) promised, e.g. 99.9%."`
	Window      *Window   `yaml:"window" doc:"Compliance window: a rolling window of whole days from 1d to 365d (e.g. 28d, 30d, 7d), or calendar-month."`
	MinRequests *int      `yaml:"minRequests" doc:"Low-traffic guard: burn-rate alarms ignore minutes with fewer requests than this."`
	Alerting    *Alerting `yaml:"alerting" doc:"Burn-rate alerting policy."`
}

// AlarmDefaults are the cascading settings of an alarm.
type AlarmDefaults struct {
	Meta              `yaml:"-"`
	Period            *Duration `yaml:"period" doc:"Metric period: 10s, 20s, 30s or a multiple of 60s."`
	EvaluationPeriods *int      `yaml:"evaluationPeriods" doc:"N in 'M of N': how many recent periods are evaluated."`
	DatapointsToAlarm *int      `yaml:"datapointsToAlarm" doc:"M in 'M of N': how many of them must breach."`
	MissingData       *string   `yaml:"missingData" enum:"missing|notBreaching|breaching|ignore" doc:"How periods without data are treated."`
	Severity          *string   `yaml:"severity" enum:"page|ticket" doc:"Who is told: page wakes the on-call, ticket files work for office hours."`
}

// CanaryDefaults are the cascading settings of a canary.
type CanaryDefaults struct {
	Meta     `yaml:"-"`
	Schedule *Duration `yaml:"schedule" doc:"How often the canary runs, 1m to 1h."`
	Timeout  *Duration `yaml:"timeout" doc:"Run timeout; at most the schedule and 14m."`
	Severity *string   `yaml:"severity" enum:"page|ticket" doc:"Severity of the canary's alarms."`
}

// Environment is one AWS account and region the monitoring is deployed to.
type Environment struct {
	Meta      `yaml:"-"`
	Name      string               `yaml:"name" required:"true" doc:"Environment name, e.g. prod: lower case letters, digits and dashes, starting with a letter, at most 16 characters."`
	Account   string               `yaml:"account" required:"true" doc:"12-digit AWS account ID (quote it)."`
	Region    string               `yaml:"region" required:"true" doc:"AWS region, e.g. eu-west-1."`
	Defaults  *Defaults            `yaml:"defaults" doc:"Defaults for this environment, over the org's."`
	Vars      map[string]string    `yaml:"vars" doc:"Named values that differ per environment (load balancers, clusters, tables, hosts); metric namespaces, names and dimensions, canary URLs, RUM domains and X-Ray filters use them as {vars.NAME}."`
	Overrides map[string]*Override `yaml:"overrides" doc:"Per-environment overrides keyed by service/id of an SLO, alarm or canary."`
}

// Override changes one SLO, alarm or canary in one environment.
type Override struct {
	Meta        `yaml:"-"`
	Threshold   *Threshold `yaml:"threshold" doc:"Alarm or latency-SLI threshold in this environment."`
	Objective   *Percent   `yaml:"objective" doc:"SLO objective in this environment."`
	MinRequests *int       `yaml:"minRequests" doc:"Low-traffic guard in this environment."`
	Severity    *string    `yaml:"severity" enum:"page|ticket" doc:"Severity in this environment."`
	Disabled    bool       `yaml:"disabled" doc:"Leave the object out of this environment."`
}

// Route is an on-call target. Secrets are referenced, never written inline.
type Route struct {
	Meta        `yaml:"-"`
	ID          string   `yaml:"id" required:"true" doc:"Route ID that services refer to: lower case letters, digits and dashes, starting with a letter, at most 63 characters."`
	Type        string   `yaml:"type" required:"true" enum:"pagerduty|opsgenie|email|slack" doc:"Kind of target."`
	Secret      string   `yaml:"secret" doc:"Secrets Manager secret name or ARN holding the PagerDuty routing key, Opsgenie API key or Slack bot token (xoxb-…)."`
	Channel     string   `yaml:"channel" doc:"Slack channel the bot posts to (type slack): #name or a channel ID such as C0123ABCD; invite the bot to it."`
	Emails      []string `yaml:"emails" doc:"Email addresses (type email)."`
	Region      string   `yaml:"region" enum:"us|eu" doc:"Opsgenie API region (type opsgenie); default us."`
	Description string   `yaml:"description" doc:"Who is behind this route."`
}

// Service is one service with everything that watches it.
type Service struct {
	Meta               `yaml:"-"`
	Name               string             `yaml:"name" required:"true" doc:"Service name, unique in the catalog: lower case letters, digits and dashes, starting with a letter, at most 40 characters."`
	Owner              string             `yaml:"owner" required:"true" doc:"Owning team."`
	Tier               int                `yaml:"tier" doc:"Criticality tier, 1 (most critical) to 4."`
	Description        string             `yaml:"description" doc:"What the service does."`
	Runbook            string             `yaml:"runbook" doc:"Runbook URL linked from every alarm of the service."`
	Tags               map[string]string  `yaml:"tags" doc:"Tags on every resource of the service."`
	Environments       []string           `yaml:"environments" doc:"Environments the service runs in; default all."`
	Oncall             *Oncall            `yaml:"oncall" required:"true" doc:"Route IDs per severity."`
	ApplicationSignals *AppSignalsService `yaml:"applicationSignals" doc:"The service's identity in CloudWatch Application Signals."`
	Defaults           *Defaults          `yaml:"defaults" doc:"Defaults for this service, over the environment's."`
	SLOs               []*SLO             `yaml:"slos" doc:"Service level objectives."`
	Alarms             []*Alarm           `yaml:"alarms" doc:"Percentile and anomaly-detection alarms on any metric."`
	Canaries           []*Canary          `yaml:"canaries" doc:"Synthetics canaries for user journeys."`
	RUM                []*RUMMonitor      `yaml:"rum" doc:"CloudWatch RUM app monitors."`
	Traces             []*TraceGroup      `yaml:"traces" doc:"X-Ray groups."`
	TradeOffs          []*TradeOff        `yaml:"tradeoffs" doc:"The service's trade-off register: each performance decision with what it gives up, how it is accepted and the evidence."`
}

// Oncall maps severities to route IDs.
type Oncall struct {
	Meta   `yaml:"-"`
	Page   []string `yaml:"page" doc:"Routes that page the on-call (at most 5)."`
	Ticket []string `yaml:"ticket" doc:"Routes that open a ticket (at most 5)."`
}

// AppSignalsService is a service's key attributes in Application Signals.
type AppSignalsService struct {
	Meta        `yaml:"-"`
	Name        string `yaml:"name" required:"true" doc:"Service name as Application Signals reports it."`
	Environment string `yaml:"environment" required:"true" doc:"Application Signals environment, e.g. eks:streamforge/prod; {env} is replaced by the catalog environment name."`
}

// SLO is one service level objective.
type SLO struct {
	Meta             `yaml:"-"`
	ID               string       `yaml:"id" required:"true" doc:"Stable ID, unique in the service: lower case letters, digits and dashes, starting with a letter, at most 63 characters; resource names and logical IDs derive from it."`
	Goal             string       `yaml:"goal" required:"true" doc:"The promise in words, e.g. 'browse API p99 < 300 ms at 8,000 RPS'."`
	Description      string       `yaml:"description" doc:"Longer description."`
	SLI              *SLI         `yaml:"sli" required:"true" doc:"What is measured: latency or availability."`
	Objective        *Percent     `yaml:"objective" doc:"Share of good events or periods, e.g. 99.9%; cascades from defaults."`
	Window           *Window      `yaml:"window" doc:"Compliance window: whole days from 1d to 365d (e.g. 28d) or calendar-month; cascades from defaults."`
	WarningThreshold *Percent     `yaml:"warningThreshold" doc:"Warn when this share of the error budget remains, e.g. 30%."`
	Load             *Rate        `yaml:"load" doc:"Validated load the objective holds at, e.g. 8000rps; traffic above it for a while raises the validated-load alarm (see loadGuard)."`
	LoadGuard        *LoadGuard   `yaml:"loadGuard" doc:"The validated-load alarm of this SLO (needs load); cascades from defaults."`
	MinRequests      *int         `yaml:"minRequests" doc:"Low-traffic guard: burn-rate alarms ignore minutes with fewer requests than this; cascades from defaults."`
	Exclusions       []*Exclusion `yaml:"exclusions" doc:"Maintenance windows excluded from the SLO."`
	Alerting         *Alerting    `yaml:"alerting" doc:"Burn-rate alerting policy; cascades from defaults."`
	Baseline         *Baseline    `yaml:"baseline" doc:"The SLI measured under a known load, which later measurements compare against."`
}

// SLI is exactly one of latency or availability.
type SLI struct {
	Meta         `yaml:"-"`
	Latency      *LatencySLI `yaml:"latency" doc:"Period-based latency SLI: a period is good when the percentile is under the threshold."`
	Availability *RatioSLI   `yaml:"availability" doc:"Request-based SLI: good (or bad) requests over total requests."`
}

// LatencySLI measures a latency percentile against a threshold.
type LatencySLI struct {
	Meta       `yaml:"-"`
	Metric     *Metric    `yaml:"metric" doc:"CloudWatch metric holding the latency (or set operation)."`
	Operation  string     `yaml:"operation" doc:"Application Signals operation, e.g. 'GET /browse' (needs the service's applicationSignals)."`
	Percentile Percentile `yaml:"percentile" required:"true" doc:"A CloudWatch percentile above p0 and below p100, with at most three decimals: p50, p90, p95, p99, p99.9, p99.999."`
	Threshold  *Threshold `yaml:"threshold" required:"true" doc:"Latency threshold with a unit, e.g. 300ms."`
	Period     *Duration  `yaml:"period" doc:"Length of a period, 1m to 15m; default 1m."`
}

// RatioSLI measures good (or bad) requests against total requests.
type RatioSLI struct {
	Meta      `yaml:"-"`
	Operation string       `yaml:"operation" doc:"Application Signals operation; good = requests without a fault."`
	Good      *MetricQuery `yaml:"good" doc:"Good requests."`
	Bad       *MetricQuery `yaml:"bad" doc:"Bad requests (instead of good)."`
	Total     *MetricQuery `yaml:"total" doc:"All requests."`
}

// MetricQuery is one metric or a metric-math expression over named metrics.
type MetricQuery struct {
	Meta       `yaml:"-"`
	Metric     *Metric            `yaml:"metric" doc:"A single metric."`
	Expression string             `yaml:"expression" doc:"Metric math over the metrics below, e.g. 'm1 - m2'."`
	Metrics    map[string]*Metric `yaml:"metrics" doc:"Metrics named for the expression; names start with a lower-case letter."`
}

// Metric names one CloudWatch metric.
type Metric struct {
	Meta       `yaml:"-"`
	Namespace  string            `yaml:"namespace" required:"true" doc:"CloudWatch namespace, e.g. AWS/ApplicationELB."`
	Name       string            `yaml:"name" required:"true" doc:"Metric name."`
	Dimensions map[string]string `yaml:"dimensions" doc:"Dimensions (at most 30)."`
	Unit       string            `yaml:"unit" enum:"Seconds|Milliseconds|Microseconds|Count|Percent|Bytes|Count/Second|None" doc:"The metric's unit; duration thresholds convert to it (default Milliseconds)."`
	Statistic  *Statistic        `yaml:"statistic" doc:"Statistic for counts in ratio SLIs (default Sum)."`
}

// Exclusion is a maintenance window left out of the SLO.
type Exclusion struct {
	Meta       `yaml:"-"`
	Start      string    `yaml:"start" required:"true" doc:"First start, RFC 3339 (2026-01-04T02:00:00Z)."`
	Duration   *Duration `yaml:"duration" required:"true" doc:"Length of each window, e.g. 2h."`
	Recurrence string    `yaml:"recurrence" doc:"rate(VALUE UNIT) with unit hour, day or month (rate(7 days)), or a six-field AWS cron with ? in day-of-month or day-of-week (cron(0 2 ? * SUN *)); once when absent."`
	Reason     string    `yaml:"reason" doc:"Why the window is excluded."`
}

// Alerting is a burn-rate alerting policy.
type Alerting struct {
	Meta     `yaml:"-"`
	Disabled bool        `yaml:"disabled" doc:"Turn burn-rate alerts off for the SLO."`
	Tiers    []*BurnTier `yaml:"tiers" doc:"Custom tiers; default: page 2%/1h+5m and 5%/6h+30m, ticket 10%/1d+2h and 10%/3d+6h (scaled for short windows)."`
}

// BurnTier alerts when both windows burn faster than the budget share allows.
type BurnTier struct {
	Meta          `yaml:"-"`
	Severity      string    `yaml:"severity" required:"true" enum:"page|ticket" doc:"Severity of the tier."`
	LongWindow    *Duration `yaml:"longWindow" required:"true" doc:"Long look-back window, e.g. 1h."`
	ShortWindow   *Duration `yaml:"shortWindow" required:"true" doc:"Short look-back window, e.g. 5m (usually 1/12 of the long one)."`
	Budget        *Percent  `yaml:"budget" required:"true" doc:"Share of the error budget spent in the long window that fires the tier, e.g. 2%."`
	AllowSlowBurn bool      `yaml:"allowSlowBurn" doc:"Accept a tier whose burn-rate factor is below 1 (it fires in normal operation)."`
}

// Alarm is a static or anomaly-detection alarm on one metric.
type Alarm struct {
	Meta              `yaml:"-"`
	ID                string     `yaml:"id" required:"true" doc:"Stable ID, unique in the service: lower case letters, digits and dashes, starting with a letter, at most 63 characters."`
	Description       string     `yaml:"description" doc:"What the alarm means and what to do."`
	Metric            *Metric    `yaml:"metric" required:"true" doc:"The metric watched."`
	Statistic         *Statistic `yaml:"statistic" required:"true" doc:"p99, Average, Sum, …"`
	Threshold         *Threshold `yaml:"threshold" doc:"Static threshold (number in the metric's unit, or a duration)."`
	Comparison        string     `yaml:"comparison" enum:"above|above-or-equal|below|below-or-equal" doc:"Static comparison; default above."`
	Anomaly           *Anomaly   `yaml:"anomaly" doc:"Anomaly-detection band instead of a threshold."`
	Period            *Duration  `yaml:"period" doc:"Metric period; cascades from defaults."`
	EvaluationPeriods *int       `yaml:"evaluationPeriods" doc:"N of 'M of N'; cascades from defaults."`
	DatapointsToAlarm *int       `yaml:"datapointsToAlarm" doc:"M of 'M of N'; cascades from defaults."`
	MissingData       *string    `yaml:"missingData" enum:"missing|notBreaching|breaching|ignore" doc:"Missing-data treatment; cascades from defaults."`
	Severity          *string    `yaml:"severity" enum:"page|ticket" doc:"page or ticket; cascades from defaults."`
	MinSamples        *int       `yaml:"minSamples" doc:"Low-traffic guard: periods with fewer samples never breach."`
}

// Anomaly is an anomaly-detection band.
type Anomaly struct {
	Meta      `yaml:"-"`
	Band      *float64 `yaml:"band" doc:"Band width in standard deviations; default 2."`
	Direction string   `yaml:"direction" enum:"upper|lower|both" doc:"Which side of the band alarms; default upper."`
}

// Canary is a Synthetics canary walking one user journey.
type Canary struct {
	Meta        `yaml:"-"`
	Name        string            `yaml:"name" required:"true" doc:"Canary name: lower case, digits, _ and -; at most 255."`
	Description string            `yaml:"description" doc:"The journey in words."`
	Schedule    *Duration         `yaml:"schedule" doc:"How often it runs, 1m to 1h; cascades from defaults."`
	Timeout     *Duration         `yaml:"timeout" doc:"Run timeout; cascades from defaults."`
	Severity    *string           `yaml:"severity" enum:"page|ticket" doc:"Severity of its alarms; cascades from defaults."`
	Env         map[string]string `yaml:"env" doc:"Non-secret environment variables for the script."`
	Steps       []*CanaryStep     `yaml:"steps" required:"true" doc:"HTTP steps, run in order."`
}

// CanaryStep is one HTTP request of a journey.
type CanaryStep struct {
	Meta          `yaml:"-"`
	Name          string            `yaml:"name" required:"true" doc:"Step name."`
	Method        string            `yaml:"method" enum:"GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS" doc:"HTTP method; default GET."`
	URL           string            `yaml:"url" required:"true" doc:"Absolute http:// or https:// URL; {env} is replaced by the environment name and {vars.NAME} by the environment's value."`
	Headers       map[string]string `yaml:"headers" doc:"Request headers (no secrets)."`
	Body          string            `yaml:"body" doc:"Request body."`
	ExpectStatus  int               `yaml:"expectStatus" doc:"Expected HTTP status; default 200."`
	LatencyBudget *Duration         `yaml:"latencyBudget" doc:"The step fails when slower than this."`
}

// RUMMonitor is a CloudWatch RUM app monitor for one web app.
type RUMMonitor struct {
	Meta        `yaml:"-"`
	Name        string      `yaml:"name" required:"true" doc:"App monitor name."`
	Domains     []string    `yaml:"domains" required:"true" doc:"1 to 5 domains, without scheme (www.example.com, *.example.com)."`
	SampleRate  *float64    `yaml:"sampleRate" doc:"Share of sessions recorded, 0 to 1; default 0.1."`
	Telemetries []string    `yaml:"telemetries" enum:"errors|performance|http" doc:"What is collected; default all three."`
	XRay        *bool       `yaml:"xray" doc:"Send traces to X-Ray; default true."`
	CWLogs      bool        `yaml:"cwLogs" doc:"Copy events to CloudWatch Logs."`
	Budgets     *WebVitals  `yaml:"budgets" doc:"Web Vitals budgets that alarm."`
	Severity    *string     `yaml:"severity" enum:"page|ticket" doc:"Severity of the Web Vitals alarms; default ticket."`
	Extra       *RUMOptions `yaml:"options" doc:"Further options."`
}

// RUMOptions are rarely changed RUM settings.
type RUMOptions struct {
	Meta         `yaml:"-"`
	AllowCookies *bool `yaml:"allowCookies" doc:"Let the web client set cookies to follow sessions; default true."`
}

// WebVitals are Core Web Vitals budgets.
type WebVitals struct {
	Meta       `yaml:"-"`
	Percentile Percentile `yaml:"percentile" doc:"Percentile compared with the budgets; default p75."`
	LCP        *Duration  `yaml:"lcp" doc:"Largest Contentful Paint budget, e.g. 2.5s."`
	INP        *Duration  `yaml:"inp" doc:"Interaction to Next Paint budget, e.g. 200ms."`
	CLS        *float64   `yaml:"cls" doc:"Cumulative Layout Shift budget, e.g. 0.1."`
}

// TraceGroup is an X-Ray group, with optional sampling.
type TraceGroup struct {
	Meta          `yaml:"-"`
	Name          string    `yaml:"name" required:"true" doc:"Group name, at most 32 characters."`
	Filter        string    `yaml:"filter" required:"true" doc:"X-Ray filter expression (AWS grammar: keyword operator value, joined by AND, OR, NOT and parentheses; checked with its position)."`
	Insights      bool      `yaml:"insights" doc:"Turn on X-Ray Insights for the group."`
	Notifications bool      `yaml:"notifications" doc:"Send Insights notifications to EventBridge (needs insights)."`
	Sampling      *Sampling `yaml:"sampling" doc:"A sampling rule for the group's service."`
}

// Sampling is an X-Ray sampling rule.
type Sampling struct {
	Meta      `yaml:"-"`
	Rate      float64 `yaml:"rate" required:"true" doc:"Fixed rate after the reservoir, 0 to 1."`
	Reservoir int     `yaml:"reservoir" doc:"Requests per second sampled before the rate applies."`
	Priority  int     `yaml:"priority" doc:"Rule priority, 1 to 9999; default 1000."`
	URLPath   string  `yaml:"urlPath" doc:"URL path the rule matches; default *."`
}

// TradeOff is one decision of a service's trade-off register: performance
// bought with something else (freshness, durability, money, storage), with
// the criteria it is accepted by and the evidence that it was.
type TradeOff struct {
	Meta         `yaml:"-"`
	ID           string   `yaml:"id" required:"true" doc:"Stable ID, unique among the service's trade-offs: lower case letters, digits and dashes, starting with a letter, at most 63 characters."`
	Axis         string   `yaml:"axis" required:"true" enum:"consistency|durability|cost|latency|space|time" doc:"What performance is traded against: consistency, durability, cost, latency, space or time."`
	Choice       string   `yaml:"choice" required:"true" doc:"The decision, e.g. 'cache browse responses in Valkey for 60 s'."`
	AcceptedCost string   `yaml:"acceptedCost" required:"true" doc:"What it gives up, e.g. 'a title edit shows up to 60 s late'."`
	Criteria     string   `yaml:"criteria" required:"true" doc:"Acceptance criteria, measured before and after, e.g. 'browse p99 < 300 ms at 8,000 RPS; invalidation on publish within 5 s'."`
	Evidence     string   `yaml:"evidence" doc:"https:// link to the evidence: a load-test report, canary result or before/after dashboard."`
	SLOs         []string `yaml:"slos" doc:"IDs of the service's SLOs the decision affects."`
}

// Baseline is an SLO's SLI measured under a known load: the reference that
// later measurements and reviews compare against.
type Baseline struct {
	Meta     `yaml:"-"`
	Value    *Measure `yaml:"value" required:"true" doc:"The SLI measured: a latency with a time unit (220ms) for a latency SLO, the share of good requests (99.97%) for an availability SLO."`
	Load     *Rate    `yaml:"load" doc:"Load it was measured at, e.g. 8000rps; without it the report cannot say the baseline holds at the SLO's load."`
	Measured *Date    `yaml:"measured" required:"true" doc:"Day of the measurement, YYYY-MM-DD; slocat validate warns when it is older than defaults.baselineMaxAge."`
	Evidence string   `yaml:"evidence" doc:"https:// link to the load-test report."`
}

// BaselineDefaults are the cascading settings of performance baselines
// (org, environment and service defaults).
type BaselineDefaults struct {
	Meta   `yaml:"-"`
	MaxAge *Duration `yaml:"maxAge" doc:"How old a baseline may grow before slocat validate warns that it is due to be measured again, in whole days from 1d; default 90d (a quarterly review)."`
}
