package slos

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Naming rules. Each cites the AWS page that fixes it.
var (
	orgNameRE     = regexp.MustCompile(`^[a-z][a-z0-9-]{0,19}$`)
	envNameRE     = regexp.MustCompile(`^[a-z][a-z0-9-]{0,15}$`)
	serviceNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)
	idRE          = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	accountRE     = regexp.MustCompile(`^[0-9]{12}$`)
	regionRE      = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`)
	// Application Signals SLO name:
	// https://docs.aws.amazon.com/applicationsignals/latest/APIReference/API_CreateServiceLevelObjective.html
	sloNameRE = lengthRE{regexp.MustCompile(`^[0-9A-Za-z][-._0-9A-Za-z ]*[0-9A-Za-z]$`), 2, 128}
	// Synthetics canary name:
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-synthetics-canary.html
	canaryNameRE = lengthRE{regexp.MustCompile(`^[0-9a-z_-]+$`), 1, 255}
	// RUM app monitor name:
	// https://docs.aws.amazon.com/cloudwatchrum/latest/APIReference/API_CreateAppMonitor.html
	rumNameRE = lengthRE{regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]+$`), 1, 255}
	// RUM domain: a host name or *.host, no scheme, no path.
	domainRE = regexp.MustCompile(`^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	// Secrets Manager secret name or ARN:
	// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
	secretNameRE = lengthRE{regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`), 1, 512}
	secretARNRE  = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$`)
	// Slack channel names: https://api.slack.com/methods/conversations.create (at most 80, lower case);
	// channel IDs start with C (public), G (private) or D (direct).
	slackChannelRE = regexp.MustCompile(`^#[a-z0-9][a-z0-9._-]{0,79}$|^[CGD][A-Z0-9]{8,}$`)
	hexKeyRE       = regexp.MustCompile(`^[0-9a-fA-F]{32}$|^[0-9a-fA-F-]{36}$`)
	emailRE        = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	metricIDRE     = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)
	exprIdentRE    = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	tagKeyRE       = lengthRE{regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$`), 1, 128}
	tagValueRE     = lengthRE{regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`), 0, 256}
	maxRouteCount  = 5 // EventBridge: at most 5 targets per rule (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html)
)

// lengthRE is a pattern with its length limit in characters kept apart:
// Go's regexp compiles a bounded repeat such as {0,256} into that many
// copies of its character class, which for the tag patterns cost 16 MB and
// 60 ms at every start of slocat.
type lengthRE struct {
	re       *regexp.Regexp
	min, max int
}

// MatchString reports whether s has min to max characters and matches.
func (l lengthRE) MatchString(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= l.min && n <= l.max && l.re.MatchString(s)
}

// validator runs the checks that need more than one field or a look across
// the catalog. Every check adds to diags and goes on.
type validator struct {
	c      *Catalog
	diags  *Diagnostics
	routes map[string]*Route
	envs   map[string]*Environment
	svcs   map[string]*Service
	ids    map[string]Pos // SLO and alarm IDs of the service being checked
	// failed holds the places where a value did not decode (reported by
	// the load stage): checks of the zero left there would only repeat it.
	failed map[Pos]bool
	// partial: a file could not be read or parsed, so what it declares
	// is missing; references to it are not reported as dangling.
	partial bool
}

// decodeFailed reports whether the value at p failed to decode.
func (v *validator) decodeFailed(p Pos) bool { return v.failed[p] }

func (v *validator) errf(p Pos, check, hint, format string, args ...any) {
	v.diags.Add(p, check, hint, format, args...)
}

// Validate runs every catalog check and adds what it finds to diags. It
// tolerates a partly decoded catalog: values that failed to decode are left
// out and already reported.
func Validate(c *Catalog, diags *Diagnostics) {
	v := &validator{c: c, diags: diags, routes: map[string]*Route{}, envs: map[string]*Environment{}, svcs: map[string]*Service{}, partial: fileErrors(*diags)}
	for _, d := range *diags {
		if strings.HasPrefix(d.Check, "schema/") {
			if v.failed == nil {
				v.failed = map[Pos]bool{}
			}
			v.failed[d.Pos] = true
		}
	}
	first := Pos{}
	if len(c.Files) > 0 {
		first = Pos{File: c.Files[0], Line: 1, Col: 1}
	}
	if c.Org == nil {
		if !fileErrors(*diags) {
			v.errf(first, CheckOrg, "add org: {name: ...} to one file", "the catalog has no org")
		}
	} else {
		if c.Org.Name != "" && !orgNameRE.MatchString(c.Org.Name) {
			v.errf(c.Org.Val("name"), CheckName, "lower case letters, digits and dashes, starting with a letter, at most 20", "org name %q is not a valid name", c.Org.Name)
		}
		v.tags(c.Org.Meta, c.Org.Tags)
		v.defaults(c.Org.Defaults)
	}
	if len(c.Environments) == 0 && !fileErrors(*diags) {
		v.errf(first, CheckEnvironments, "add environments: [{name: prod, account: \"123456789012\", region: eu-west-1}]", "the catalog has no environments")
	}
	for _, e := range c.Environments {
		v.environment(e)
	}
	for _, r := range c.Routes {
		v.route(r)
	}
	for _, s := range c.Services {
		if s.Name == "" {
			continue
		}
		if prev, dup := v.svcs[s.Name]; dup {
			v.errf(s.Val("name"), CheckDuplicateID, fmt.Sprintf("first declared at %s", prev.Val("name")), "service %q is declared twice", s.Name)
			continue
		}
		v.svcs[s.Name] = s
	}
	for _, s := range c.Services {
		v.service(s)
	}
	for _, e := range c.Environments {
		for key, o := range e.Overrides {
			v.override(e, key, o)
		}
	}
}

// fileErrors reports whether a file could not be read or parsed at all; the
// catalog-wide "missing" checks then say nothing, as the file may hold it.
func fileErrors(ds Diagnostics) bool {
	for _, d := range ds {
		if strings.HasPrefix(d.Check, "input/") || d.Check == CheckYAMLSyntax || d.Check == CheckYAMLTab || d.Check == CheckYAMLAnchor || d.Check == CheckYAMLAlias || (d.Check == CheckSchemaUnknownKey && d.Pos.Col == 1) {
			return true
		}
	}
	return false
}

func (v *validator) tags(m Meta, tags map[string]string) {
	for k, val := range tags {
		if !tagKeyRE.MatchString(k) || strings.HasPrefix(strings.ToLower(k), "aws:") {
			v.errf(m.MapKey("tags", k), CheckTag, "tag keys are 1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:", "tag key %q is not allowed", k)
		}
		if !tagValueRE.MatchString(val) {
			v.errf(m.MapKey("tags", k), CheckTag, "tag values are at most 256 letters, digits, spaces and _.:/=+-@", "tag value %q of %q is not allowed", val, k)
		}
	}
}

func (v *validator) environment(e *Environment) {
	if e.Name != "" {
		if !envNameRE.MatchString(e.Name) {
			v.errf(e.Val("name"), CheckName, "lower case letters, digits and dashes, starting with a letter, at most 16", "environment name %q is not a valid name", e.Name)
		}
		if prev, dup := v.envs[e.Name]; dup {
			v.errf(e.Val("name"), CheckDuplicateID, fmt.Sprintf("first declared at %s", prev.Val("name")), "environment %q is declared twice", e.Name)
		} else {
			v.envs[e.Name] = e
		}
	}
	if e.Account != "" && !accountRE.MatchString(e.Account) {
		v.errf(e.Val("account"), CheckAccount, "an AWS account ID is 12 digits; quote it so YAML keeps leading zeros", "account %q is not a 12-digit AWS account ID", e.Account)
	}
	if e.Region != "" && !regionRE.MatchString(e.Region) {
		v.errf(e.Val("region"), CheckRegion, "e.g. us-east-1, eu-west-1, ap-south-1", "%q is not an AWS region", e.Region)
	}
	for _, name := range slices.Sorted(maps.Keys(e.Vars)) {
		if !validVarName(name) {
			v.errf(e.MapKey("vars", name), CheckVar, "a var name is a letter, then letters, digits and _", "var name %q is not valid", name)
		}
	}
	v.defaults(e.Defaults)
}

func (v *validator) route(r *Route) {
	if r.ID != "" {
		if !idRE.MatchString(r.ID) {
			v.errf(r.Val("id"), CheckName, "lower case letters, digits and dashes, starting with a letter", "route id %q is not a valid id", r.ID)
		}
		if prev, dup := v.routes[r.ID]; dup {
			v.errf(r.Val("id"), CheckDuplicateID, fmt.Sprintf("first declared at %s", prev.Val("id")), "route %q is declared twice", r.ID)
		} else {
			v.routes[r.ID] = r
		}
	}
	switch r.Type {
	case "pagerduty", "opsgenie", "slack":
		if r.Secret == "" {
			v.errf(r.Pos, CheckRouteSecret, "name the Secrets Manager secret that holds the key or bot token", "%s route %q needs a secret", r.Type, r.ID)
		}
		if len(r.Emails) > 0 {
			v.errf(r.Val("emails"), CheckRouteField, "emails belong to routes of type email", "%s route %q cannot have emails", r.Type, r.ID)
		}
	case "email":
		if len(r.Emails) == 0 {
			v.errf(r.Pos, CheckRouteEmail, "list the addresses under emails", "email route %q has no addresses", r.ID)
		}
		if r.Secret != "" {
			v.errf(r.Val("secret"), CheckRouteField, "email routes need no secret", "email route %q cannot have a secret", r.ID)
		}
		for i, a := range r.Emails {
			if !emailRE.MatchString(a) {
				v.errf(r.Item("emails", i), CheckRouteEmail, "", "%q is not an email address", a)
			}
		}
	}
	switch {
	case r.Type == "slack" && r.Channel == "":
		v.errf(r.Pos, CheckRouteChannel, "name the channel the bot posts to, e.g. channel: \"#alerts\" or a channel ID such as C0123ABCD", "slack route %q needs a channel", r.ID)
	case r.Type == "slack" && !slackChannelRE.MatchString(r.Channel):
		v.errf(r.Val("channel"), CheckRouteChannel, "a channel is #name (lower case letters, digits, -, _ and ., at most 80) or an ID such as C0123ABCD", "%q is not a Slack channel", r.Channel)
	case r.Type != "slack" && r.Channel != "":
		v.errf(r.Val("channel"), CheckRouteField, "channel is the Slack channel of a slack route", "%s route %q cannot have a channel", r.Type, r.ID)
	}
	if r.Region != "" && r.Type != "opsgenie" {
		v.errf(r.Val("region"), CheckRouteField, "region is the Opsgenie API region", "%s route %q cannot have a region", r.Type, r.ID)
	}
	if s := r.Secret; s != "" {
		switch {
		case strings.Contains(s, "://"):
			v.errf(r.Val("secret"), CheckRouteInlineSecret, "store the URL in Secrets Manager and write the secret's name or ARN here", "secret of route %q looks like an inline URL; secrets never go in the catalog", r.ID)
		case strings.HasPrefix(s, "xox"):
			v.errf(r.Val("secret"), CheckRouteInlineSecret, "store the Slack token in Secrets Manager and write the secret's name or ARN here", "secret of route %q looks like an inline Slack token; secrets never go in the catalog", r.ID)
		case hexKeyRE.MatchString(s):
			v.errf(r.Val("secret"), CheckRouteInlineSecret, "store the key in Secrets Manager and write the secret's name or ARN here", "secret of route %q looks like an inline key; secrets never go in the catalog", r.ID)
		case strings.HasPrefix(s, "arn:") && !secretARNRE.MatchString(s):
			v.errf(r.Val("secret"), CheckRouteSecret, "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME", "%q is not a Secrets Manager secret ARN", s)
		case !strings.HasPrefix(s, "arn:") && !secretNameRE.MatchString(s):
			v.errf(r.Val("secret"), CheckRouteSecret, "secret names use letters, digits and /_+=.@-", "%q is not a Secrets Manager secret name", s)
		}
	}
}

func (v *validator) service(s *Service) {
	if s.Name != "" && !serviceNameRE.MatchString(s.Name) {
		v.errf(s.Val("name"), CheckName, "lower case letters, digits and dashes, starting with a letter, at most 40", "service name %q is not a valid name", s.Name)
	}
	if ReservedServiceName(s.Name) {
		v.errf(s.Val("name"), CheckName, "an environment's routing and executive stacks are named <org>-<env>-routing and <org>-<env>-executive-<n>; choose another name", "service name %q is reserved", s.Name)
	}
	if s.Meta.Has("tier") && (s.Tier < 1 || s.Tier > 4) {
		v.errf(s.Val("tier"), CheckRange, "1 is the most critical, 4 the least", "tier %d is out of range 1-4", s.Tier)
	}
	if s.Runbook != "" {
		if u, err := url.Parse(s.Runbook); err != nil || u.Scheme != "https" || u.Host == "" {
			v.errf(s.Val("runbook"), CheckURL, "write an https:// URL", "runbook %q is not an https URL", s.Runbook)
		}
	}
	v.tags(s.Meta, s.Tags)
	for i, e := range s.Environments {
		if _, ok := v.envs[e]; !ok && !v.partial {
			v.errf(s.Item("environments", i), CheckReference, didYouMeanOr(e, slices.Sorted(maps.Keys(v.envs)), "declare it under environments"), "service %q names environment %q, which does not exist", s.Name, e)
		}
	}
	if o := s.Oncall; o != nil {
		for sev, ids := range map[string][]string{"page": o.Page, "ticket": o.Ticket} {
			if len(ids) > maxRouteCount {
				v.errf(o.Val(sev), CheckRouteTargets, "an EventBridge rule takes at most 5 targets; use fewer routes or an SNS topic with several subscriptions", "%s has %d routes; at most %d", sev, len(ids), maxRouteCount)
			}
			seen := map[string]bool{}
			for i, id := range ids {
				if _, ok := v.routes[id]; !ok && !v.partial {
					v.errf(o.Item(sev, i), CheckReference, didYouMeanOr(id, slices.Sorted(maps.Keys(v.routes)), "declare it under routes"), "route %q does not exist", id)
				}
				if seen[id] {
					v.errf(o.Item(sev, i), CheckDuplicateID, "", "route %q is listed twice", id)
				}
				seen[id] = true
			}
		}
	}
	v.defaults(s.Defaults)
	if v.ids == nil {
		v.ids = map[string]Pos{}
	}
	ids := v.ids // one map, emptied for each service
	clear(ids)
	unique := func(kind, id string, p Pos) {
		if id == "" {
			return
		}
		if !idRE.MatchString(id) {
			v.errf(p, CheckName, "lower case letters, digits and dashes, starting with a letter, at most 63", "%s id %q is not a valid id", kind, id)
		}
		if ReservedID(id) {
			v.errf(p, CheckName, "the service's roll-up alarms are named rollup-page and rollup-ticket; choose another id", "%s id %q is reserved", kind, id)
		}
		if prev, dup := ids[id]; dup {
			v.errf(p, CheckDuplicateID, fmt.Sprintf("first used at %s", prev), "id %q is used twice in service %q", id, s.Name)
			return
		}
		ids[id] = p
	}
	for _, slo := range s.SLOs {
		unique("slo", slo.ID, slo.Val("id"))
		v.slo(s, slo)
	}
	for _, a := range s.Alarms {
		unique("alarm", a.ID, a.Val("id"))
		v.alarm(a)
	}
	v.generatedIDs(s)
	canaries := map[string]Pos{}
	for _, c := range s.Canaries {
		v.canary(c)
		if prev, dup := canaries[c.Name]; dup && c.Name != "" {
			v.errf(c.Val("name"), CheckDuplicateID, fmt.Sprintf("first declared at %s", prev), "canary %q is declared twice in service %q", c.Name, s.Name)
		} else {
			canaries[c.Name] = c.Val("name")
		}
	}
	traces := map[string]Pos{}
	for _, t := range s.Traces {
		if prev, dup := traces[t.Name]; dup && t.Name != "" {
			v.errf(t.Val("name"), CheckDuplicateID, fmt.Sprintf("first declared at %s", prev), "trace group %q is declared twice in service %q", t.Name, s.Name)
		} else {
			traces[t.Name] = t.Val("name")
		}
	}
	for _, r := range s.RUM {
		v.rum(r)
	}
	for _, t := range s.Traces {
		v.trace(t)
	}
	v.tradeOffs(s)
}

func (v *validator) defaults(d *Defaults) {
	if d == nil {
		return
	}
	if a := d.Alarm; a != nil {
		v.alarmTiming(a.Meta, a.Period, a.EvaluationPeriods, a.DatapointsToAlarm)
	}
	// A dashboard opens on 5 minutes at least; CloudWatch keeps metrics 15
	// months (455 days): https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html
	if db := d.Dashboard; db != nil && db.TimeRange != nil {
		if r := db.TimeRange.D(); r < 5*time.Minute || r > 455*24*time.Hour {
			v.errf(db.Val("timeRange"), CheckDashboardRange, "a dashboard opens on 5m to 455d of history, e.g. 12h or 7d", "dashboard timeRange %s is out of range", db.TimeRange)
		}
	}
	if g := d.LoadGuard; g != nil {
		v.loadGuard(g)
	}
	if s := d.SLO; s != nil {
		v.objective(s.Meta, s.Objective)
		v.window(s.Meta, s.Window)
		v.minCount(s.Meta, "minRequests", s.MinRequests)
		v.alerting(s.Alerting)
	}
	if c := d.Canary; c != nil {
		v.schedule(c.Meta, c.Schedule, c.Timeout)
	}
	v.baselineDefaults(d.Baseline)
}

func (v *validator) objective(m Meta, p *Percent) {
	if p == nil {
		return
	}
	switch {
	case *p == 100:
		v.errf(m.Val("objective"), CheckSLOObjective, "an objective of 100% leaves no error budget; promise something below 100%, e.g. 99.9%", "objective %s leaves no error budget", p)
	case *p > 100 || *p <= 0:
		v.errf(m.Val("objective"), CheckSLOObjective, "", "objective %s is out of range; it must be above 0%% and below 100%%", p)
	}
}

func (v *validator) window(m Meta, w *Window) {
	if w == nil || w.CalendarMonth {
		return
	}
	if w.Rolling < 24*time.Hour || w.Rolling > 365*24*time.Hour || w.Rolling%(24*time.Hour) != 0 {
		v.errf(m.Val("window"), CheckSLOWindow, "use whole days from 1d to 365d, e.g. 28d", "window %s is out of range", w)
	}
}

func (v *validator) minCount(m Meta, key string, n *int) {
	if n != nil && *n < 1 {
		v.errf(m.Val(key), CheckRange, "", "%s must be at least 1", key)
	}
}

// alerting checks what a policy says on its own; checks that need the SLO
// window run when the plan is built.
func (v *validator) alerting(a *Alerting) {
	if a == nil {
		return
	}
	if a.Disabled && len(a.Tiers) > 0 {
		v.errf(a.Val("tiers"), CheckSLOAlerting, "remove the tiers or disabled: true", "alerting is disabled but has tiers")
	}
	windows := map[time.Duration]bool{}
	for _, t := range a.Tiers {
		for _, w := range []struct {
			key string
			d   *Duration
		}{{"longWindow", t.LongWindow}, {"shortWindow", t.ShortWindow}} {
			if w.d == nil {
				continue
			}
			windows[w.d.D()] = true
			// Look-back windows: 1 to 10,080 minutes, whole minutes.
			// https://docs.aws.amazon.com/applicationsignals/latest/APIReference/API_BurnRateConfiguration.html
			if w.d.D() < time.Minute || w.d.D() > 10080*time.Minute || w.d.D()%time.Minute != 0 {
				v.errf(t.Val(w.key), CheckSLOBurnWindow, "look-back windows are whole minutes from 1m to 7d", "%s %s is out of range", w.key, w.d)
			}
		}
		if t.LongWindow != nil && t.ShortWindow != nil && *t.ShortWindow >= *t.LongWindow {
			v.errf(t.Val("shortWindow"), CheckSLOBurnWindow, "the short window confirms the long one is still burning: make it about 1/12 of it", "shortWindow %s is not shorter than longWindow %s", t.ShortWindow, t.LongWindow)
		}
		if t.Budget != nil && (*t.Budget <= 0 || *t.Budget > 100) {
			v.errf(t.Val("budget"), CheckSLOBurnBudget, "", "budget %s is out of range; it must be above 0%% and at most 100%%", t.Budget)
		}
	}
	// BurnRateConfigurations: at most 10 per SLO.
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationsignals-servicelevelobjective.html
	if len(windows) > 10 {
		v.errf(a.Val("tiers"), CheckSLOBurnWindow, "Application Signals keeps at most 10 burn-rate look-back windows per SLO; share windows between tiers", "the tiers use %d distinct look-back windows; at most 10", len(windows))
	}
}

func (v *validator) slo(s *Service, slo *SLO) {
	v.objective(slo.Meta, slo.Objective)
	v.window(slo.Meta, slo.Window)
	v.minCount(slo.Meta, "minRequests", slo.MinRequests)
	v.alerting(slo.Alerting)
	if w := slo.WarningThreshold; w != nil && (*w <= 0 || *w >= 100) {
		v.errf(slo.Val("warningThreshold"), CheckSLOObjective, "", "warningThreshold %s must be above 0%% and below 100%%", w)
	}
	if l := slo.Load; l != nil && *l <= 0 {
		v.errf(slo.Val("load"), CheckRange, "", "load must be above 0rps")
	}
	if g := slo.LoadGuard; g != nil {
		if slo.Load == nil && !slo.Broken() {
			v.errf(slo.Key("loadGuard"), CheckLoadGuard, "state the load the objective was validated at, e.g. load: 8000rps, or remove loadGuard", "SLO %q has loadGuard but no load to guard", slo.ID)
		}
		v.loadGuard(g)
	}
	for _, x := range slo.Exclusions {
		v.exclusion(x)
	}
	v.baseline(slo)
	sli := slo.SLI
	if sli == nil {
		return
	}
	switch {
	case sli.Latency != nil && sli.Availability != nil:
		v.errf(sli.Key("availability"), CheckSLOSLI, "split it into two SLOs", "an SLI is latency or availability, not both")
	case sli.Latency == nil && sli.Availability == nil:
		v.errf(sli.Pos, CheckSLOSLI, "add latency: or availability:", "the SLI names no measurement")
	case sli.Latency != nil:
		l := sli.Latency
		v.metricOrOperation(s, l.Meta, l.Metric, l.Operation)
		if l.Threshold != nil {
			v.threshold(l.Meta, l.Threshold, l.Metric)
		}
		if p := l.Period; p != nil && (p.D() < time.Minute || p.D() > 15*time.Minute || p.D()%time.Minute != 0) {
			// PeriodSeconds 60-900: https://docs.aws.amazon.com/applicationsignals/latest/APIReference/API_ServiceLevelIndicatorConfig.html
			v.errf(l.Val("period"), CheckSLOPeriod, "use whole minutes from 1m to 15m", "period %s is out of range", p)
		}
	case sli.Availability != nil:
		a := sli.Availability
		if a.Operation != "" {
			if s.ApplicationSignals == nil {
				v.errf(a.Val("operation"), CheckSLOSLI, "add applicationSignals: {name, environment} to the service", "operation %q needs the service's Application Signals identity", a.Operation)
			}
			if a.Good != nil || a.Bad != nil || a.Total != nil {
				v.errf(a.Val("operation"), CheckSLOSLI, "use operation, or good/bad and total metrics", "operation and good/bad/total cannot be combined")
			}
			return
		}
		switch {
		case a.Good != nil && a.Bad != nil:
			v.errf(a.Key("bad"), CheckSLOSLI, "count good requests or bad requests, not both", "good and bad cannot both be set")
		case a.Good == nil && a.Bad == nil:
			v.errf(a.Pos, CheckSLOSLI, "add good: (or bad:) and total:, or operation:", "the availability SLI needs good or bad requests")
		}
		if a.Total == nil && (a.Good != nil || a.Bad != nil) {
			v.errf(a.Pos, CheckSLOSLI, "add total: with the count of all requests", "the availability SLI needs total requests")
		}
		for _, q := range []*MetricQuery{a.Good, a.Bad, a.Total} {
			v.query(q)
		}
	}
}

func (v *validator) metricOrOperation(s *Service, m Meta, metric *Metric, op string) {
	switch {
	case metric != nil && op != "":
		v.errf(m.Val("operation"), CheckSLOSLI, "use metric or operation", "metric and operation cannot both be set")
	case metric == nil && op == "":
		v.errf(m.Pos, CheckSLOSLI, "add metric: {namespace, name} or operation: (Application Signals)", "the SLI names no metric")
	case op != "" && s.ApplicationSignals == nil:
		v.errf(m.Val("operation"), CheckSLOSLI, "add applicationSignals: {name, environment} to the service", "operation %q needs the service's Application Signals identity", op)
	}
	v.metric(metric)
}

func (v *validator) metric(m *Metric) {
	if m == nil {
		return
	}
	// At most 30 dimensions per metric:
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html
	if len(m.Dimensions) > 30 {
		v.errf(m.Val("dimensions"), CheckMetricDimensions, "", "a metric has at most 30 dimensions, not %d", len(m.Dimensions))
	}
	// Namespaces are 1 to 255 characters, not starting with ":":
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Metric.html
	switch {
	case m.Namespace == "" && m.Meta.Has("namespace"):
		v.errf(m.Val("namespace"), CheckMetricNamespace, "name the CloudWatch namespace, e.g. AWS/ApplicationELB or Acme/Checkout", "namespace is empty")
	case len(m.Namespace) > 255 || strings.HasPrefix(m.Namespace, ":"):
		v.errf(m.Val("namespace"), CheckMetricNamespace, "", "namespace %q is not valid", m.Namespace)
	}
}

func (v *validator) query(q *MetricQuery) {
	if q == nil {
		return
	}
	switch {
	case q.Metric != nil && q.Expression != "":
		v.errf(q.Val("expression"), CheckMetricQuery, "use metric, or expression with metrics", "metric and expression cannot both be set")
		return
	case q.Metric == nil && q.Expression == "":
		v.errf(q.Pos, CheckMetricQuery, "add metric: or expression: with metrics:", "the count names no metric")
		return
	case q.Metric != nil:
		if len(q.Metrics) > 0 {
			v.errf(q.Val("metrics"), CheckMetricQuery, "metrics name the inputs of an expression", "metrics without an expression")
		}
		v.metric(q.Metric)
		return
	}
	if len(q.Metrics) == 0 {
		v.errf(q.Val("expression"), CheckMetricQuery, "name the expression's inputs under metrics: {m1: {...}}", "expression %q has no metrics", q.Expression)
		return
	}
	used := map[string]bool{}
	for _, id := range exprIdentRE.FindAllString(q.Expression, -1) {
		if id[0] >= 'a' && id[0] <= 'z' {
			used[id] = true
			if _, ok := q.Metrics[id]; !ok {
				names := slices.Sorted(maps.Keys(q.Metrics))
				v.errf(q.Val("expression"), CheckMetricQuery, didYouMeanOr(id, names, "name it under metrics"), "expression uses %q, which is not among its metrics", id)
				if m := suggest(id, names); m != "" {
					used[m] = true // one typo, one report: the metric it misspells is not "unused" too
				}
			}
		}
	}
	if strings.Count(q.Expression, "(") != strings.Count(q.Expression, ")") {
		v.errf(q.Val("expression"), CheckMetricQuery, "", "expression %q has unbalanced parentheses", q.Expression)
	}
	for _, id := range slices.Sorted(maps.Keys(q.Metrics)) {
		if !metricIDRE.MatchString(id) {
			v.errf(q.MapKey("metrics", id), CheckMetricQuery, "metric math ids start with a lower-case letter, then letters, digits and _", "metric id %q is not valid", id)
		} else if !used[id] {
			v.errf(q.MapKey("metrics", id), CheckMetricQuery, "remove it or use it in the expression", "metric %q is not used by the expression", id)
		}
		v.metric(q.Metrics[id])
	}
}

func (v *validator) threshold(m Meta, t *Threshold, metric *Metric) {
	if t.IsDur && t.Dur <= 0 || !t.IsDur && t.Value < 0 && metric != nil && isTimeUnit(metric.Unit) {
		v.errf(m.Val("threshold"), CheckRange, "", "threshold %s must be above zero", t)
	}
	if t.IsDur && metric != nil && metric.Unit != "" && !isTimeUnit(metric.Unit) {
		v.errf(m.Val("threshold"), CheckMetricUnit, fmt.Sprintf("write a number in %s, or set the metric's unit to Milliseconds", metric.Unit), "threshold %s is a duration but the metric's unit is %s", t, metric.Unit)
	}
}

func isTimeUnit(u string) bool {
	return u == "" || u == "Seconds" || u == "Milliseconds" || u == "Microseconds"
}

func (v *validator) exclusion(x *Exclusion) {
	if x.Start != "" {
		if _, err := time.Parse(time.RFC3339, x.Start); err != nil {
			v.errf(x.Val("start"), CheckSLOExclusion, "write an RFC 3339 time, e.g. 2026-01-04T02:00:00Z", "start %q is not a time", x.Start)
		}
	}
	if x.Duration != nil && (x.Duration.D() < time.Minute || x.Duration.D()%time.Minute != 0) {
		v.errf(x.Val("duration"), CheckSLOExclusion, "use whole minutes, hours or days", "duration %s is out of range", x.Duration)
	}
	if x.Recurrence != "" {
		if msg, hint := CheckRecurrence(x.Recurrence); msg != "" {
			v.errf(x.Val("recurrence"), CheckSLOExclusion, hint, "recurrence %q %s", x.Recurrence, msg)
		}
	}
}

// alarmTiming checks period, evaluation periods and datapoints against the
// limits of PutMetricAlarm:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
// Period is 10, 20, 30 or a multiple of 60 seconds; period × evaluation
// periods is at most one day for periods under an hour and at most 7 days
// otherwise; DatapointsToAlarm ≤ EvaluationPeriods.
//
// Here each value is checked as written; the span and M ≤ N compare
// effective values, which cascade from defaults, so the planner checks them
// once per alarm (CheckAlarmSpan, CheckAlarmDatapoints).
func (v *validator) alarmTiming(m Meta, period *Duration, eval, dta *int) {
	if period != nil && !validAlarmPeriod(period.D()) {
		v.errf(m.Val("period"), CheckAlarmPeriod, "CloudWatch alarms take periods of 10s, 20s, 30s or a multiple of 60s", "period %s is not a valid alarm period", period)
	}
	if eval != nil && *eval < 1 {
		v.errf(m.Val("evaluationPeriods"), CheckAlarmDatapoints, "", "evaluationPeriods must be at least 1")
	}
	if dta != nil && *dta < 1 {
		v.errf(m.Val("datapointsToAlarm"), CheckAlarmDatapoints, "", "datapointsToAlarm must be at least 1")
	}
}

// MaxLoadGuardFor is the longest a validated-load alarm may wait: it
// evaluates one-minute periods, and CloudWatch takes period × evaluation
// periods of at most one day for periods under an hour (PutMetricAlarm:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
const MaxLoadGuardFor = 24 * time.Hour

// loadGuard checks a validated-load guard as written: for is whole minutes
// from 1m to 1d, as the alarm evaluates one-minute periods.
func (v *validator) loadGuard(g *LoadGuard) {
	if g.For == nil {
		return
	}
	if d := g.For.D(); d < time.Minute || d > MaxLoadGuardFor || d%time.Minute != 0 {
		v.errf(g.Val("for"), CheckLoadGuard, "the alarm counts one-minute periods, at most a day of them: write whole minutes from 1m to 1d, e.g. 15m", "loadGuard for %s is not whole minutes from 1m to 1d", g.For)
	}
}

// generatedIDs reports a catalog id of the service that is the id of an
// alarm made for one of its SLOs (<slo-id>-no-data, <slo-id>-over-load): the
// two would share a CloudWatch alarm name, or a CloudFormation logical ID,
// which drops the dashes.
func (v *validator) generatedIDs(s *Service) {
	made := map[string]string{} // logical ID → the SLO whose alarm it is
	for _, slo := range s.SLOs {
		if slo.ID == "" {
			continue
		}
		for _, id := range SLOAlarmIDs(slo.ID) {
			made[OutputName(id)] = slo.ID
		}
	}
	if len(made) == 0 {
		return
	}
	check := func(kind, id string, p Pos) {
		if slo, ok := made[OutputName(id)]; ok && id != "" {
			v.errf(p, CheckGeneratedID, fmt.Sprintf("SLO %s has alarms %s; choose another id", slo, strings.Join(SLOAlarmIDs(slo), " and ")), "%s id %q is the id of an alarm made for SLO %q", kind, id, slo)
		}
	}
	for _, slo := range s.SLOs {
		check("slo", slo.ID, slo.Val("id"))
	}
	for _, a := range s.Alarms {
		check("alarm", a.ID, a.Val("id"))
	}
}

func (v *validator) alarm(a *Alarm) {
	v.metric(a.Metric)
	v.alarmTiming(a.Meta, a.Period, a.EvaluationPeriods, a.DatapointsToAlarm)
	switch {
	case a.Threshold != nil && a.Anomaly != nil:
		v.errf(a.Key("anomaly"), CheckAlarmKind, "an alarm compares with a static threshold or an anomaly band; make two alarms", "threshold and anomaly cannot both be set")
	case a.Threshold == nil && a.Anomaly == nil && a.ID != "":
		v.errf(a.Pos, CheckAlarmKind, "add threshold: (e.g. 300ms) or anomaly: {band: 2}", "alarm %q has neither threshold nor anomaly", a.ID)
	}
	if a.Threshold != nil {
		v.threshold(a.Meta, a.Threshold, a.Metric)
	}
	if a.Anomaly != nil {
		if a.Comparison != "" {
			v.errf(a.Val("comparison"), CheckAlarmKind, "set anomaly.direction: upper, lower or both", "comparison applies to static thresholds")
		}
		if b := a.Anomaly.Band; b != nil && (*b <= 0 || *b > 100) {
			v.errf(a.Anomaly.Val("band"), CheckRange, "a band of 2 standard deviations is usual", "band %g is out of range", *b)
		}
	}
	if a.MinSamples != nil {
		v.minCount(a.Meta, "minSamples", a.MinSamples)
	}
}

func (v *validator) schedule(m Meta, sched, timeout *Duration) {
	if sched != nil && !validSchedule(sched.D()) {
		v.errf(m.Val("schedule"), CheckCanarySchedule, "run a journey at least hourly: 1m to 60m in whole minutes", "schedule %s is out of range", sched)
	}
	if timeout != nil && !validCanaryTimeout(timeout.D()) {
		v.errf(m.Val("timeout"), CheckCanaryTimeout, "use 3s to 14m", "timeout %s is out of range", timeout)
	}
	// Timeout against schedule is a check on effective values: the planner runs it.
}

func (v *validator) canary(c *Canary) {
	if c.Name != "" && !canaryNameRE.MatchString(c.Name) {
		v.errf(c.Val("name"), CheckCanaryName, "canary names are 1-255 lower-case letters, digits, _ and -", "canary name %q breaks the AWS pattern", c.Name)
	}
	v.schedule(c.Meta, c.Schedule, c.Timeout)
	if c.Meta.Has("steps") && len(c.Steps) == 0 {
		v.errf(c.Val("steps"), CheckCanarySteps, "", "canary %q has no steps", c.Name)
	}
	for _, st := range c.Steps {
		if st.URL != "" {
			u, err := url.Parse(refsForSyntax(st.URL))
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				v.errf(st.Val("url"), CheckCanaryURL, "write an absolute http:// or https:// URL", "%q is not an absolute URL", st.URL)
			}
		}
		if st.Meta.Has("expectStatus") && !v.decodeFailed(st.Val("expectStatus")) && (st.ExpectStatus < 100 || st.ExpectStatus > 599) {
			v.errf(st.Val("expectStatus"), CheckCanaryStatus, "", "expectStatus %d is not an HTTP status", st.ExpectStatus)
		}
		if b := st.LatencyBudget; b != nil && b.D() <= 0 {
			v.errf(st.Val("latencyBudget"), CheckRange, "", "latencyBudget must be above zero")
		}
		if st.Body != "" && !v.decodeFailed(st.Val("method")) && (st.Method == "" || st.Method == "GET" || st.Method == "HEAD") {
			v.errf(st.Val("body"), CheckCanaryBody, "set method: POST (or PUT, PATCH)", "a %s request has no body", cmp.Or(st.Method, "GET"))
		}
		for h := range st.Headers {
			if l := strings.ToLower(h); l == "authorization" || l == "x-api-key" || strings.Contains(l, "token") {
				v.errf(st.MapKey("headers", h), CheckCanarySecret, "read credentials from Secrets Manager in a custom script; never write them in the catalog", "header %q carries a credential", h)
			}
		}
	}
}

func (v *validator) rum(r *RUMMonitor) {
	if r.Name != "" && !rumNameRE.MatchString(r.Name) {
		v.errf(r.Val("name"), CheckRUMName, "letters, digits and ._-/#, at most 255", "app monitor name %q is not valid", r.Name)
	}
	// 1 to 5 domains: https://docs.aws.amazon.com/cloudwatchrum/latest/APIReference/API_CreateAppMonitor.html
	if r.Meta.Has("domains") && (len(r.Domains) < 1 || len(r.Domains) > 5) {
		v.errf(r.Val("domains"), CheckRUMDomains, "an app monitor covers 1 to 5 domains; use *.example.com or a second monitor", "%d domains; an app monitor takes 1 to 5", len(r.Domains))
	}
	for i, d := range r.Domains {
		switch {
		case strings.Contains(d, "://"):
			v.errf(r.Item("domains", i), CheckRUMDomains, fmt.Sprintf("write %q", strings.SplitN(strings.SplitN(d, "://", 2)[1], "/", 2)[0]), "domain %q has a scheme", d)
		case !domainRE.MatchString(refsForSyntax(d)):
			v.errf(r.Item("domains", i), CheckRUMDomains, "a host name such as www.example.com or *.example.com, without path or port", "%q is not a domain", d)
		}
	}
	if s := r.SampleRate; s != nil && (*s < 0 || *s > 1) {
		v.errf(r.Val("sampleRate"), CheckRUMSampleRate, "a share of sessions from 0 to 1, e.g. 0.1 for 10%", "sampleRate %g is out of range 0-1", *s)
	}
	if b := r.Budgets; b != nil {
		if b.CLS != nil && *b.CLS < 0 {
			v.errf(b.Val("cls"), CheckRange, "", "cls budget must not be negative")
		}
		for k, d := range map[string]*Duration{"lcp": b.LCP, "inp": b.INP} {
			if d != nil && d.D() <= 0 {
				v.errf(b.Val(k), CheckRange, "", "%s budget must be above zero", k)
			}
		}
	}
}

func (v *validator) trace(t *TraceGroup) {
	// Group name 1-32 characters: https://docs.aws.amazon.com/xray/latest/api/API_CreateGroup.html
	if t.Name != "" && len(t.Name) > 32 {
		v.errf(t.Val("name"), CheckXRayName, "X-Ray group names are at most 32 characters", "group name %q is %d characters", t.Name, len(t.Name))
	}
	if t.Filter != "" {
		if msg, hint, off := CheckFilter(refsForSyntax(t.Filter)); msg != "" {
			p := t.Val("filter")
			if p.Len > 1 && off >= 0 && !strings.ContainsRune(t.Filter, '\n') {
				shift := off
				if p.Len == len([]rune(t.Filter))+2 {
					shift++ // quoted scalar
				}
				p.Col += shift
				p.Len = 1
			}
			if hint == "" {
				hint = "see the X-Ray filter expression syntax"
			}
			v.errf(p, CheckXRayFilter, hint, "filter expression: %s", msg)
		}
	}
	if t.Notifications && !t.Insights {
		v.errf(t.Val("notifications"), CheckXRayInsights, "set insights: true", "notifications need insights")
	}
	if s := t.Sampling; s != nil {
		if s.Rate < 0 || s.Rate > 1 {
			v.errf(s.Val("rate"), CheckXRaySampling, "", "rate %g is out of range 0-1", s.Rate)
		}
		if s.Reservoir < 0 {
			v.errf(s.Val("reservoir"), CheckXRaySampling, "", "reservoir must not be negative")
		}
		if s.Meta.Has("priority") && (s.Priority < 1 || s.Priority > 9999) {
			v.errf(s.Val("priority"), CheckXRaySampling, "", "priority %d is out of range 1-9999", s.Priority)
		}
	}
}

// override checks an environment override: its key names an SLO, alarm or
// canary, every value it sets passes the checks the value passes where it
// is declared, and every value it sets has an effect on that object.
func (v *validator) override(e *Environment, key string, o *Override) {
	svc, id, ok := strings.Cut(key, "/")
	p := e.MapKey("overrides", key)
	if !ok {
		v.errf(p, CheckReference, "write service/id, e.g. catalog-browse/browse-latency", "override key %q is not service/id", key)
		return
	}
	s, found := v.svcs[svc]
	if !found && v.partial {
		return // the service may be in the file that did not parse
	}
	if !found {
		v.errf(p, CheckReference, didYouMeanOr(svc, slices.Sorted(maps.Keys(v.svcs)), ""), "override %q names service %q, which does not exist", key, svc)
		return
	}
	var names []string
	for _, x := range s.SLOs {
		names = append(names, x.ID)
		if x.ID == id {
			latency := x.SLI != nil && x.SLI.Latency != nil
			v.overrideValues(key, "SLO", o, map[string]bool{"threshold": latency, "objective": true, "minRequests": true})
			return
		}
	}
	for _, x := range s.Alarms {
		names = append(names, x.ID)
		if x.ID == id {
			v.overrideValues(key, "alarm", o, map[string]bool{"threshold": x.Anomaly == nil, "severity": true})
			return
		}
	}
	for _, x := range s.Canaries {
		names = append(names, x.Name)
		if x.Name == id {
			v.overrideValues(key, "canary", o, map[string]bool{"severity": true})
			return
		}
	}
	v.errf(p, CheckReference, didYouMeanOr(id, names, ""), "override %q names %q, which is not an SLO, alarm or canary of %s", key, id, svc)
}

// overrideValues checks the values an override sets on an object of the
// given kind; applies says which keys have an effect on it.
func (v *validator) overrideValues(key, kind string, o *Override, applies map[string]bool) {
	if o == nil {
		return
	}
	for _, k := range []string{"threshold", "objective", "minRequests", "severity"} {
		if !o.Meta.Has(k) || applies[k] {
			continue
		}
		hint := fmt.Sprintf("remove it; an override of a %s takes %s", kind, strings.Join(appliedKeys(applies), ", "))
		if k == "threshold" && kind == "SLO" {
			hint = "an availability SLO has no threshold: override objective, or remove it"
		} else if k == "threshold" {
			hint = "an anomaly alarm has no threshold: remove it, or override the band on the alarm"
		}
		v.errf(o.Key(k), CheckOverride, hint, "override %q sets %s, which has no effect on %s %s", key, k, kind, key)
	}
	v.objective(o.Meta, o.Objective)
	v.minCount(o.Meta, "minRequests", o.MinRequests)
	if t := o.Threshold; t != nil && t.IsDur && t.Dur <= 0 {
		v.errf(o.Val("threshold"), CheckRange, "", "threshold %s must be above zero", t)
	}
}

// appliedKeys is the keys of applies that are true, in name order.
func appliedKeys(applies map[string]bool) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(applies)) {
		if applies[k] {
			out = append(out, k)
		}
	}
	out = append(out, "disabled")
	return out
}
