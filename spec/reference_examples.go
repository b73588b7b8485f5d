package spec

// Examples holds one YAML example per catalog object for
// docs/catalog.md. A test decodes each into its type and checks that it
// uses every key of the type, so the reference cannot drift from the code.
var Examples = map[string]string{
	"File": `org:
  name: streamforge
environments:
  - {name: prod, account: "123456789012", region: eu-west-1}
routes:
  - {id: platform-pagerduty, type: pagerduty, secret: streamforge/oncall/pagerduty}
services:
  - name: catalog-browse
    owner: team-discovery
    oncall: {page: [platform-pagerduty]}
`,
	"Org": `name: streamforge
tags:
  cost-center: platform-observability
defaults:
  slo: {window: 28d}
`,
	"Defaults": `slo:
  window: 28d
alarm:
  evaluationPeriods: 5
canary:
  schedule: 5m
dashboard:
  timeRange: 1d
baseline:
  maxAge: 90d
loadGuard:
  for: 15m
`,
	"SLODefaults": `objective: 99.9%
window: 28d
minRequests: 100
alerting:
  disabled: false
`,
	"AlarmDefaults": `period: 60s
evaluationPeriods: 5
datapointsToAlarm: 3
missingData: notBreaching
severity: ticket
`,
	"CanaryDefaults": `schedule: 5m
timeout: 1m
severity: page
`,
	"DashboardDefaults": `disabled: false
timeRange: 12h
`,
	"LoadGuard": `disabled: false
for: 15m              # the request rate stays above the SLO's load this long
severity: ticket
`,
	"BaselineDefaults": `maxAge: 90d   # warn when a baseline is older than a quarter
`,
	"Environment": `name: staging
account: "210987654321"
region: eu-west-1
vars:                 # used as {vars.browseLb} in the catalog's text
  browseLb: app/browse-staging/8f2a61c0d4e9b7a3
defaults:
  alarm: {severity: ticket}
overrides:
  catalog-browse/browse-latency:
    threshold: 450ms
`,
	"Override": `threshold: 450ms
objective: 99%
minRequests: 50
severity: ticket
disabled: false
`,
	"Route": `id: payments-opsgenie
type: opsgenie
secret: arn:aws:secretsmanager:eu-west-1:123456789012:secret:streamforge/oncall/opsgenie-AbCdEf
region: eu
emails: []            # for type email
channel: "#payments"  # for type slack
description: Payments team on-call in Opsgenie.
`,
	"Service": `name: catalog-browse
owner: team-discovery
tier: 1
description: Browse API behind the home page.
runbook: https://runbooks.streamforge.example/catalog-browse
tags: {domain: discovery}
environments: [prod, staging]
oncall:
  page: [platform-pagerduty]
  ticket: [discovery-slack]
applicationSignals:
  name: catalog-browse
  environment: eks:streamforge/{env}
defaults:
  slo: {window: 30d}
slos: []
alarms: []
canaries: []
rum: []
traces: []
tradeoffs: []
`,
	"Oncall": `page: [platform-pagerduty]
ticket: [discovery-slack, sre-email]
`,
	"AppSignalsService": `name: catalog-browse
environment: eks:streamforge/{env}
`,
	"SLO": `id: browse-latency
goal: browse API p99 < 300 ms at 8,000 RPS
description: The home page's browse rows.
sli:
  latency: {operation: GET /v1/browse, percentile: p99, threshold: 300ms}
objective: 99.5%
window: 28d
warningThreshold: 30%
load: 8000rps
loadGuard: {for: 30m}
minRequests: 100
exclusions:
  - {start: "2026-01-04T02:00:00Z", duration: 1h, recurrence: rate(7 days), reason: cache warm-up}
alerting:
  disabled: false
baseline:
  value: 220ms
  load: 8000rps
  measured: 2026-11-16
  evidence: https://loadtests.streamforge.example/catalog-browse/2026-11-16
`,
	"Baseline": `value: 220ms          # a latency SLO's baseline is a latency; an availability SLO's a percentage (99.97%)
load: 8000rps
measured: 2026-11-16  # slocat validate warns once it is older than defaults.baseline.maxAge
evidence: https://loadtests.streamforge.example/catalog-browse/2026-11-16
`,
	"TradeOff": `id: browse-cache-staleness
axis: consistency
choice: ElastiCache (Valkey) caches the browse response in front of OpenSearch.
acceptedCost: A 60-second staleness budget; a catalog edit can take up to 60 s to show.
criteria: Browse p99 < 300 ms at 8,000 RPS; every publish invalidates the cached rows it changes.
evidence: https://loadtests.streamforge.example/catalog-browse/2026-11-16
slos: [browse-latency]
`,
	"SLI": `latency:
  operation: GET /v1/browse
  percentile: p99
  threshold: 300ms
availability: null   # or an availability SLI instead of latency
`,
	"LatencySLI": `metric:
  namespace: StreamForge/SessionStore
  name: ReadLatency
  unit: Milliseconds
operation: ""         # or an Application Signals operation instead of metric
percentile: p99
threshold: 2ms
period: 5m
`,
	"RatioSLI": `operation: ""         # or an Application Signals operation instead of good/bad/total
good: null            # or count good requests instead of bad
bad:
  metric: {namespace: StreamForge/Billing, name: PaymentFailures}
total:
  metric: {namespace: StreamForge/Billing, name: PaymentAttempts}
`,
	"MetricQuery": `expression: invocations - errors
metric: null          # or a single metric instead of expression and metrics
metrics:
  invocations: {namespace: AWS/Lambda, name: Invocations, dimensions: {FunctionName: live-ingest-webhook}}
  errors: {namespace: AWS/Lambda, name: Errors, dimensions: {FunctionName: live-ingest-webhook}}
`,
	"Metric": `namespace: AWS/ApplicationELB
name: TargetResponseTime
unit: Seconds
statistic: Sum
dimensions:
  LoadBalancer: app/browse-prod/50dc6c495c0c9188
`,
	"Exclusion": `start: "2026-01-04T02:00:00Z"
duration: 2h
recurrence: cron(0 2 ? * SUN *)
reason: weekly database maintenance
`,
	"Alerting": `disabled: false
tiers:
  - {severity: page, longWindow: 1h, shortWindow: 5m, budget: 2%}
  - {severity: ticket, longWindow: 3d, shortWindow: 6h, budget: 10%}
`,
	"BurnTier": `severity: ticket
longWindow: 3d
shortWindow: 6h
budget: 5%
allowSlowBurn: true
`,
	"Alarm": `id: browse-p99-static
description: ALB target p99 above 300 ms; check the cache hit ratio first.
metric:
  namespace: AWS/ApplicationELB
  name: TargetResponseTime
  unit: Seconds
  dimensions: {LoadBalancer: app/browse-prod/50dc6c495c0c9188}
statistic: p99
threshold: 300ms
comparison: above
anomaly: null         # or an anomaly band instead of threshold and comparison
period: 60s
evaluationPeriods: 5
datapointsToAlarm: 3
missingData: notBreaching
severity: page
minSamples: 200
`,
	"Anomaly": `band: 3
direction: both
`,
	"Canary": `name: browse-home
description: Anonymous visitor opens the home page and a browse row.
schedule: 5m
timeout: 1m
severity: page
env: {REGION_HINT: eu}
steps:
  - {name: home, url: "https://{env}.streamforge.example/", latencyBudget: 1500ms}
`,
	"CanaryStep": `name: start
method: POST
url: https://api.{env}.streamforge.example/v1/live/start
headers: {Content-Type: application/json}
body: '{"event":"canary-always-on"}'
expectStatus: 201
latencyBudget: 2s
`,
	"RUMMonitor": `name: streamforge-web
domains: [www.streamforge.example, "*.streamforge.example"]
sampleRate: 0.1
telemetries: [errors, performance, http]
xray: true
cwLogs: false
budgets: {lcp: 2.5s, inp: 200ms, cls: 0.1}
severity: ticket
options: {allowCookies: true}
`,
	"RUMOptions": `allowCookies: false
`,
	"WebVitals": `percentile: p75
lcp: 2.5s
inp: 200ms
cls: 0.1
`,
	"TraceGroup": `name: browse-faults
filter: service("catalog-browse") AND (fault = true OR error = true)
insights: true
notifications: true
sampling: {rate: 0.05, reservoir: 5}
`,
	"Sampling": `rate: 0.05
reservoir: 5
priority: 100
urlPath: /v1/browse*
`,
}
