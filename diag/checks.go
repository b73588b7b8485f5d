package diag

import "strings"

// Stage says when a check runs. A catalog goes through three: load (read
// and decode each file), validate (what was written, object by object and
// across the catalog) and plan (effective values, once every default and
// override is resolved). `slocat validate` runs all three.
type Stage uint8

// The stages, as bits: a check with two aspects runs in two stages.
const (
	StageLoad Stage = 1 << iota
	StageValidate
	StagePlan
)

// String names the stages of s, e.g. "validate, plan".
func (s Stage) String() string {
	var names []string
	for _, n := range []struct {
		bit  Stage
		name string
	}{{StageLoad, "load"}, {StageValidate, "validate"}, {StagePlan, "plan"}} {
		if s&n.bit != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, ", ")
}

// Check IDs: every diagnostic carries one, so "what refuses this?" is a grep
// for the constant. Checks lists them with their stage and what they refuse.
const (
	CheckInputSize         = "input/size"
	CheckInputBinary       = "input/binary"
	CheckInputEmpty        = "input/empty"
	CheckYAMLSyntax        = "yaml/syntax"
	CheckYAMLTab           = "yaml/tab"
	CheckYAMLAnchor        = "yaml/anchor"
	CheckYAMLAlias         = "yaml/alias"
	CheckYAMLDuplicateKey  = "yaml/duplicate-key"
	CheckSchemaType        = "schema/type"
	CheckSchemaValue       = "schema/value"
	CheckSchemaEnum        = "schema/enum"
	CheckSchemaUnknownKey  = "schema/unknown-key"
	CheckSchemaRequired    = "schema/required"
	CheckDuplicateOrg      = "catalog/duplicate-org"
	CheckOrg               = "catalog/org"
	CheckEnvironments      = "catalog/environments"
	CheckName              = "catalog/name"
	CheckDuplicateID       = "catalog/duplicate-id"
	CheckAccount           = "catalog/account"
	CheckRegion            = "catalog/region"
	CheckVar               = "catalog/var"
	CheckTag               = "catalog/tag"
	CheckURL               = "catalog/url"
	CheckRange             = "catalog/range"
	CheckReference         = "catalog/reference"
	CheckOverride          = "catalog/override"
	CheckRouteSecret       = "route/secret"
	CheckRouteInlineSecret = "route/inline-secret"
	CheckRouteField        = "route/field"
	CheckRouteEmail        = "route/email"
	CheckRouteChannel      = "route/channel"
	CheckRouteTargets      = "route/targets"
	CheckRouteMissing      = "route/missing"
	CheckRouteRuleName     = "route/rule-name"
	CheckSLOObjective      = "slo/objective"
	CheckSLOWindow         = "slo/window"
	CheckSLOAlerting       = "slo/alerting"
	CheckSLOBurnWindow     = "slo/burn-window"
	CheckSLOBurnBudget     = "slo/burn-budget"
	CheckSLOBurnTier       = "slo/burn-tier"
	CheckSLOBurnFactor     = "slo/burn-factor"
	CheckSLOSLI            = "slo/sli"
	CheckSLOPeriod         = "slo/period"
	CheckSLOExclusion      = "slo/exclusion"
	CheckLoadGuard         = "slo/load-guard"
	CheckGeneratedID       = "catalog/generated-id"
	CheckMetricNamespace   = "metric/namespace"
	CheckMetricDimensions  = "metric/dimensions"
	CheckMetricQuery       = "metric/query"
	CheckMetricUnit        = "metric/unit"
	CheckAlarmPeriod       = "alarm/period"
	CheckAlarmDatapoints   = "alarm/datapoints"
	CheckAlarmSpan         = "alarm/span"
	CheckAlarmKind         = "alarm/kind"
	CheckCanaryName        = "canary/name"
	CheckCanarySchedule    = "canary/schedule"
	CheckDashboardRange    = "dashboard/time-range"
	CheckCanaryTimeout     = "canary/timeout"
	CheckCanarySteps       = "canary/steps"
	CheckCanaryURL         = "canary/url"
	CheckCanaryStatus      = "canary/status"
	CheckCanaryBody        = "canary/body"
	CheckCanarySecret      = "canary/secret"
	CheckRUMName           = "rum/name"
	CheckRUMDomains        = "rum/domains"
	CheckRUMSampleRate     = "rum/sample-rate"
	CheckXRayName          = "xray/name"
	CheckXRayFilter        = "xray/filter"
	CheckXRayInsights      = "xray/insights"
	CheckXRaySampling      = "xray/sampling"
	CheckBaselineUnit      = "baseline/unit"
	CheckBaselineStale     = "baseline/stale"
	CheckTradeOffSLO       = "tradeoff/slo"
)

// CheckInfo describes one check: its ID, the stages it runs in, what it
// refuses (one line), and the invalid-corpus case whose first diagnostic is
// its example (test/testdata/invalid/<Case>.yaml or the folder <Case>).
type CheckInfo struct {
	ID      string
	Stage   Stage
	Refuses string
	Case    string
}

// Checks is the registry of every check, in the order the reference lists
// them. A test fails when one has no case in the invalid corpus, or when a
// diagnostic carries an ID that is not here.
var Checks = []CheckInfo{
	{CheckInputSize, StageLoad, "a file over 16 MiB or a catalog over 64 MiB", ""},
	{CheckInputBinary, StageLoad, "a file that is not UTF-8 text", "binary"},
	{CheckInputEmpty, StageLoad, "a file with no catalog in it", "empty"},
	{CheckYAMLSyntax, StageLoad, "text that is not YAML", "yaml-colon-in-value"},
	{CheckYAMLTab, StageLoad, "a tab in indentation", "tab-indent"},
	{CheckYAMLAnchor, StageLoad, "YAML anchors (shared values belong under defaults)", "yaml-alias"},
	{CheckYAMLAlias, StageLoad, "YAML aliases", "yaml-alias"},
	{CheckYAMLDuplicateKey, StageLoad, "a key set twice in one mapping", "duplicate-key"},
	{CheckSchemaType, StageLoad, "a value of the wrong kind (a list for a string, text for a number)", "list-expected"},
	{CheckSchemaValue, StageLoad, "a value that does not parse as its type (a duration without unit, a percentage without %)", "objective-no-percent"},
	{CheckSchemaEnum, StageLoad, "a value outside its fixed list", "enum-typo"},
	{CheckSchemaUnknownKey, StageLoad, "a key the object does not have", "unknown-key-slo"},
	{CheckSchemaRequired, StageLoad, "a required key left out", "missing-goal"},
	{CheckDuplicateOrg, StageLoad, "org set in more than one file", "duplicate-org"},
	{CheckOrg, StageValidate, "a catalog without org", "org-missing"},
	{CheckEnvironments, StageValidate, "a catalog without environments", "environments-missing"},
	{CheckName, StageValidate | StagePlan, "an org, environment, service, route, SLO or alarm name outside its pattern or length, or taken by a generated alarm", "reserved-id"},
	{CheckDuplicateID, StageValidate, "a name declared twice where it must be unique", "duplicate-slo-id"},
	{CheckGeneratedID, StageValidate, "an SLO or alarm id taken by an alarm made for an SLO of the service (the SLO id followed by -no-data or -over-load)", "generated-id"},
	{CheckAccount, StageValidate, "an account that is not 12 digits", "account-digits"},
	{CheckRegion, StageValidate, "a region that is not an AWS region name", "region-bad"},
	{CheckVar, StageValidate | StagePlan, "a bad var name, or {vars.NAME} not defined where the service runs", "var-undefined"},
	{CheckTag, StageValidate, "a tag key or value AWS refuses", "tag-invalid"},
	{CheckURL, StageValidate, "a runbook or evidence link that is not an https:// URL", "runbook-url"},
	{CheckRange, StageValidate, "a number or duration outside its range (tier, minRequests, thresholds, budgets)", "range-tier"},
	{CheckReference, StageValidate, "a name that refers to nothing (environment, route, override key)", "dangling-route"},
	{CheckOverride, StageValidate, "an environment override that has no effect on its object", "override-no-effect"},
	{CheckRouteSecret, StageValidate, "a route without secret, or a secret that is no Secrets Manager name or ARN", "route-secret"},
	{CheckRouteInlineSecret, StageValidate, "a key, token or URL written in the catalog instead of a secret's name", "inline-secret"},
	{CheckRouteField, StageValidate, "a route field its type does not use", "slack-channel"},
	{CheckRouteEmail, StageValidate, "an email route without addresses or with a bad one", "email-route"},
	{CheckRouteChannel, StageValidate, "a Slack route without a valid channel", "slack-channel"},
	{CheckRouteTargets, StageValidate, "more than 5 routes for one severity (EventBridge targets)", "oncall-too-many"},
	{CheckRouteMissing, StagePlan, "an object whose effective severity has no route", "page-without-route"},
	{CheckRouteRuleName, StagePlan, "an EventBridge rule name over 64 characters", "rule-name-long"},
	{CheckSLOObjective, StageValidate | StagePlan, "an objective outside (0%, 100%), written or overridden, or none at all", "objective-100"},
	{CheckSLOWindow, StageValidate, "a window outside 1d to 365d in whole days", "slo-window"},
	{CheckSLOAlerting, StageValidate, "alerting disabled with tiers", "alerting-disabled-tiers"},
	{CheckSLOBurnWindow, StageValidate | StagePlan, "a look-back window out of range, longer than the SLO window, or too many of them", "burn-window-range"},
	{CheckSLOBurnBudget, StageValidate, "a tier budget outside (0%, 100%]", "burn-budget"},
	{CheckSLOBurnTier, StagePlan, "a burn-rate tier declared twice", "burn-tier-duplicate"},
	{CheckSLOBurnFactor, StagePlan, "a tier that fires at a burn rate below 1", "burn-factor-below-one"},
	{CheckSLOSLI, StageValidate, "an SLI that is neither or both of latency and availability, or lacks its metrics", "sli-empty"},
	{CheckSLOPeriod, StageValidate, "an SLI period outside 1m to 15m", "sli-period"},
	{CheckSLOExclusion, StageValidate, "an exclusion with a bad start, duration or rate/cron recurrence", "exclusion-recurrence"},
	{CheckLoadGuard, StageValidate, "a loadGuard on an SLO without load, or a for that is not whole minutes from 1m to 1d", "load-guard-for"},
	{CheckMetricNamespace, StageValidate, "an empty or malformed metric namespace", "metric-namespace-empty"},
	{CheckMetricDimensions, StageValidate, "a metric with more than 30 dimensions", "metric-dimensions"},
	{CheckMetricQuery, StageValidate, "a metric-math expression whose inputs do not match its metrics", "expression-unknown-metric"},
	{CheckMetricUnit, StageValidate | StagePlan, "a duration threshold on a metric whose unit is not time", "duration-on-count"},
	{CheckAlarmPeriod, StageValidate, "an alarm period other than 10s, 20s, 30s or a multiple of 60s", "alarm-period"},
	{CheckAlarmDatapoints, StageValidate | StagePlan, "evaluationPeriods or datapointsToAlarm below 1, or M of N with M > N", "alarm-datapoints"},
	{CheckAlarmSpan, StagePlan, "an effective period × evaluationPeriods over CloudWatch's limit", "alarm-span"},
	{CheckAlarmKind, StageValidate, "an alarm with both or neither of threshold and anomaly", "threshold-and-anomaly"},
	{CheckCanaryName, StageValidate | StagePlan, "a canary name AWS refuses, or {env}-{name} used twice in one environment", "canary-name"},
	{CheckCanarySchedule, StageValidate, "a schedule outside 1m to 60m", "canary-schedule"},
	{CheckDashboardRange, StageValidate, "a dashboard time range outside 5m to 455d", "dashboard-time-range"},
	{CheckCanaryTimeout, StageValidate | StagePlan, "a timeout outside 3s to 14m, or an effective timeout longer than the schedule", "canary-timeout"},
	{CheckCanarySteps, StageValidate, "a canary with an empty step list", "canary-steps"},
	{CheckCanaryURL, StageValidate, "a step URL that is not absolute http:// or https://", "canary-url"},
	{CheckCanaryStatus, StageValidate, "an expectStatus that is not an HTTP status", "canary-status"},
	{CheckCanaryBody, StageValidate, "a body on a GET or HEAD step", "canary-get-body"},
	{CheckCanarySecret, StageValidate, "a credential header written in the catalog", "canary-secret-header"},
	{CheckRUMName, StageValidate, "an app monitor name AWS refuses", "rum-name"},
	{CheckRUMDomains, StageValidate, "no domain, more than 5, or a domain with a scheme or path", "rum-domain-scheme"},
	{CheckRUMSampleRate, StageValidate, "a sampleRate outside 0 to 1", "rum-sample-rate"},
	{CheckXRayName, StageValidate | StagePlan, "an X-Ray group name over 32 characters or created twice in one account and region", "xray-name-length"},
	{CheckXRayFilter, StageValidate, "a filter expression that does not parse", "xray-filter-keyword"},
	{CheckXRayInsights, StageValidate, "notifications without insights", "xray-insights"},
	{CheckXRaySampling, StageValidate, "a sampling rate, reservoir or priority out of range", "xray-sampling"},
	{CheckBaselineUnit, StageValidate, "a baseline whose value does not fit its SLI: a latency SLO's in time, an availability SLO's in percent", "baseline-unit"},
	{CheckBaselineStale, StageValidate, "nothing, and warns (exit status 0) about a baseline older than its baseline.maxAge on the day slocat validate runs (--today), or dated after that day", "baseline-stale"},
	{CheckTradeOffSLO, StageValidate, "a trade-off naming an SLO its service does not declare", "tradeoff-slo"},
}

// checkByID indexes Checks.
var checkByID = func() map[string]*CheckInfo {
	m := make(map[string]*CheckInfo, len(Checks))
	for i := range Checks {
		m[Checks[i].ID] = &Checks[i]
	}
	return m
}()

// LookupCheck returns the registered check with the given ID.
func LookupCheck(id string) (CheckInfo, bool) {
	c, ok := checkByID[id]
	if !ok {
		return CheckInfo{}, false
	}
	return *c, true
}
