package check

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/spec"
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
	c      *spec.Catalog
	diags  *diag.Diagnostics
	routes map[string]*spec.Route
	envs   map[string]*spec.Environment
	svcs   map[string]*spec.Service
	ids    map[string]diag.Pos // SLO and alarm IDs of the service being checked
	// failed holds the places where a value did not decode (reported by
	// the load stage): checks of the zero left there would only repeat it.
	failed map[diag.Pos]bool
	// partial: a file could not be read or parsed, so what it declares
	// is missing; references to it are not reported as dangling.
	partial bool
}

// decodeFailed reports whether the value at p failed to decode.
func (v *validator) decodeFailed(p diag.Pos) bool { return v.failed[p] }

func (v *validator) errf(p diag.Pos, check, hint, format string, args ...any) {
	v.diags.Add(p, check, hint, format, args...)
}

// Validate runs every catalog check and adds what it finds to diags. It
// tolerates a partly decoded catalog: values that failed to decode are left
// out and already reported. diags must hold what load.Read reported: a
// value reported there is not reported again.
func Validate(c *spec.Catalog, diags *diag.Diagnostics) {
	v := &validator{c: c, diags: diags, routes: map[string]*spec.Route{}, envs: map[string]*spec.Environment{}, svcs: map[string]*spec.Service{}, partial: fileErrors(*diags)}
	for _, d := range *diags {
		if strings.HasPrefix(d.Check, "schema/") {
			if v.failed == nil {
				v.failed = map[diag.Pos]bool{}
			}
			v.failed[d.Pos] = true
		}
	}
	first := diag.Pos{}
	if len(c.Files) > 0 {
		first = diag.Pos{File: c.Files[0], Line: 1, Col: 1}
	}
	if c.Org == nil {
		if !fileErrors(*diags) {
			v.errf(first, diag.CheckOrg, "add org: {name: ...} to one file", "the catalog has no org")
		}
	} else {
		if c.Org.Name != "" && !orgNameRE.MatchString(c.Org.Name) {
			v.errf(c.Org.Val("name"), diag.CheckName, "lower case letters, digits and dashes, starting with a letter, at most 20", "org name %q is not a valid name", c.Org.Name)
		}
		v.tags(c.Org.Meta, c.Org.Tags)
		v.defaults(c.Org.Defaults)
	}
	if len(c.Environments) == 0 && !fileErrors(*diags) {
		v.errf(first, diag.CheckEnvironments, "add environments: [{name: prod, account: \"123456789012\", region: eu-west-1}]", "the catalog has no environments")
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
			v.errf(s.Val("name"), diag.CheckDuplicateID, fmt.Sprintf("first declared at %s", prev.Val("name")), "service %q is declared twice", s.Name)
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
func fileErrors(ds diag.Diagnostics) bool {
	for _, d := range ds {
		if strings.HasPrefix(d.Check, "input/") || d.Check == diag.CheckYAMLSyntax || d.Check == diag.CheckYAMLTab || d.Check == diag.CheckYAMLAnchor || d.Check == diag.CheckYAMLAlias || (d.Check == diag.CheckSchemaUnknownKey && d.Pos.Col == 1) {
			return true
		}
	}
	return false
}

func (v *validator) tags(m spec.Meta, tags map[string]string) {
	for k, val := range tags {
		if !tagKeyRE.MatchString(k) || strings.HasPrefix(strings.ToLower(k), "aws:") {
			v.errf(m.MapKey("tags", k), diag.CheckTag, "tag keys are 1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:", "tag key %q is not allowed", k)
		}
		if !tagValueRE.MatchString(val) {
			v.errf(m.MapKey("tags", k), diag.CheckTag, "tag values are at most 256 letters, digits, spaces and _.:/=+-@", "tag value %q of %q is not allowed", val, k)
		}
	}
}

func (v *validator) environment(e *spec.Environment) {
	if e.Name != "" {
		if !envNameRE.MatchString(e.Name) {
			v.errf(e.Val("name"), diag.CheckName, "lower case letters, digits and dashes, starting with a letter, at most 16", "environment name %q is not a valid name", e.Name)
		}
		if prev, dup := v.envs[e.Name]; dup {
			v.errf(e.Val("name"), diag.CheckDuplicateID, fmt.Sprintf("first declared at %s", prev.Val("name")), "environment %q is declared twice", e.Name)
		} else {
			v.envs[e.Name] = e
		}
	}
	if e.Account != "" && !accountRE.MatchString(e.Account) {
		v.errf(e.Val("account"), diag.CheckAccount, "an AWS account ID is 12 digits; quote it so YAML keeps leading zeros", "account %q is not a 12-digit AWS account ID", e.Account)
	}
	if e.Region != "" && !regionRE.MatchString(e.Region) {
		v.errf(e.Val("region"), diag.CheckRegion, "e.g. us-east-1, eu-west-1, ap-south-1", "%q is not an AWS region", e.Region)
	}
	for _, name := range slices.Sorted(maps.Keys(e.Vars)) {
		if !spec.ValidVarName(name) {
			v.errf(e.MapKey("vars", name), diag.CheckVar, "a var name is a letter, then letters, digits and _", "var name %q is not valid", name)
		}
	}
	v.defaults(e.Defaults)
}

func (v *validator) route(r *spec.Route) {
	if r.ID != "" {
		if !idRE.MatchString(r.ID) {
			v.errf(r.Val("id"), diag.CheckName, "lower case letters, digits and dashes, starting with a letter", "route id %q is not a valid id", r.ID)
		}
		if prev, dup := v.routes[r.ID]; dup {
			v.errf(r.Val("id"), diag.CheckDuplicateID, fmt.Sprintf("first declared at %s", prev.Val("id")), "route %q is declared twice", r.ID)
		} else {
			v.routes[r.ID] = r
		}
	}
	switch r.Type {
	case "pagerduty", "opsgenie", "slack":
		if r.Secret == "" {
			v.errf(r.Pos, diag.CheckRouteSecret, "name the Secrets Manager secret that holds the key or bot token", "%s route %q needs a secret", r.Type, r.ID)
		}
		if len(r.Emails) > 0 {
			v.errf(r.Val("emails"), diag.CheckRouteField, "emails belong to routes of type email", "%s route %q cannot have emails", r.Type, r.ID)
		}
	case "email":
		if len(r.Emails) == 0 {
			v.errf(r.Pos, diag.CheckRouteEmail, "list the addresses under emails", "email route %q has no addresses", r.ID)
		}
		if r.Secret != "" {
			v.errf(r.Val("secret"), diag.CheckRouteField, "email routes need no secret", "email route %q cannot have a secret", r.ID)
		}
		for i, a := range r.Emails {
			if !emailRE.MatchString(a) {
				v.errf(r.Item("emails", i), diag.CheckRouteEmail, "", "%q is not an email address", a)
			}
		}
	}
	switch {
	case r.Type == "slack" && r.Channel == "":
		v.errf(r.Pos, diag.CheckRouteChannel, "name the channel the bot posts to, e.g. channel: \"#alerts\" or a channel ID such as C0123ABCD", "slack route %q needs a channel", r.ID)
	case r.Type == "slack" && !slackChannelRE.MatchString(r.Channel):
		v.errf(r.Val("channel"), diag.CheckRouteChannel, "a channel is #name (lower case letters, digits, -, _ and ., at most 80) or an ID such as C0123ABCD", "%q is not a Slack channel", r.Channel)
	case r.Type != "slack" && r.Channel != "":
		v.errf(r.Val("channel"), diag.CheckRouteField, "channel is the Slack channel of a slack route", "%s route %q cannot have a channel", r.Type, r.ID)
	}
	if r.Region != "" && r.Type != "opsgenie" {
		v.errf(r.Val("region"), diag.CheckRouteField, "region is the Opsgenie API region", "%s route %q cannot have a region", r.Type, r.ID)
	}
	if s := r.Secret; s != "" {
		switch {
		case strings.Contains(s, "://"):
			v.errf(r.Val("secret"), diag.CheckRouteInlineSecret, "store the URL in Secrets Manager and write the secret's name or ARN here", "secret of route %q looks like an inline URL; secrets never go in the catalog", r.ID)
		case strings.HasPrefix(s, "xox"):
			v.errf(r.Val("secret"), diag.CheckRouteInlineSecret, "store the Slack token in Secrets Manager and write the secret's name or ARN here", "secret of route %q looks like an inline Slack token; secrets never go in the catalog", r.ID)
		case hexKeyRE.MatchString(s):
			v.errf(r.Val("secret"), diag.CheckRouteInlineSecret, "store the key in Secrets Manager and write the secret's name or ARN here", "secret of route %q looks like an inline key; secrets never go in the catalog", r.ID)
		case strings.HasPrefix(s, "arn:") && !secretARNRE.MatchString(s):
			v.errf(r.Val("secret"), diag.CheckRouteSecret, "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME", "%q is not a Secrets Manager secret ARN", s)
		case !strings.HasPrefix(s, "arn:") && !secretNameRE.MatchString(s):
			v.errf(r.Val("secret"), diag.CheckRouteSecret, "secret names use letters, digits and /_+=.@-", "%q is not a Secrets Manager secret name", s)
		}
	}
}

func (v *validator) service(s *spec.Service) {
	if s.Name != "" && !serviceNameRE.MatchString(s.Name) {
		v.errf(s.Val("name"), diag.CheckName, "lower case letters, digits and dashes, starting with a letter, at most 40", "service name %q is not a valid name", s.Name)
	}
	if names.ReservedServiceName(s.Name) {
		v.errf(s.Val("name"), diag.CheckName, "an environment's routing and executive stacks are named <org>-<env>-routing and <org>-<env>-executive-<n>; choose another name", "service name %q is reserved", s.Name)
	}
	if s.Meta.Has("tier") && (s.Tier < 1 || s.Tier > 4) {
		v.errf(s.Val("tier"), diag.CheckRange, "1 is the most critical, 4 the least", "tier %d is out of range 1-4", s.Tier)
	}
	if s.Runbook != "" {
		if u, err := url.Parse(s.Runbook); err != nil || u.Scheme != "https" || u.Host == "" {
			v.errf(s.Val("runbook"), diag.CheckURL, "write an https:// URL", "runbook %q is not an https URL", s.Runbook)
		}
	}
	v.tags(s.Meta, s.Tags)
	for i, e := range s.Environments {
		if _, ok := v.envs[e]; !ok && !v.partial {
			v.errf(s.Item("environments", i), diag.CheckReference, diag.DidYouMeanOr(e, slices.Sorted(maps.Keys(v.envs)), "declare it under environments"), "service %q names environment %q, which does not exist", s.Name, e)
		}
	}
	if o := s.Oncall; o != nil {
		for sev, ids := range map[string][]string{"page": o.Page, "ticket": o.Ticket} {
			if len(ids) > maxRouteCount {
				v.errf(o.Val(sev), diag.CheckRouteTargets, "an EventBridge rule takes at most 5 targets; use fewer routes or an SNS topic with several subscriptions", "%s has %d routes; at most %d", sev, len(ids), maxRouteCount)
			}
			seen := map[string]bool{}
			for i, id := range ids {
				if _, ok := v.routes[id]; !ok && !v.partial {
					v.errf(o.Item(sev, i), diag.CheckReference, diag.DidYouMeanOr(id, slices.Sorted(maps.Keys(v.routes)), "declare it under routes"), "route %q does not exist", id)
				}
				if seen[id] {
					v.errf(o.Item(sev, i), diag.CheckDuplicateID, "", "route %q is listed twice", id)
				}
				seen[id] = true
			}
		}
	}
	v.defaults(s.Defaults)
	if v.ids == nil {
		v.ids = map[string]diag.Pos{}
	}
	ids := v.ids // one map, emptied for each service
	clear(ids)
	unique := func(kind, id string, p diag.Pos) {
		if id == "" {
			return
		}
		if !idRE.MatchString(id) {
			v.errf(p, diag.CheckName, "lower case letters, digits and dashes, starting with a letter, at most 63", "%s id %q is not a valid id", kind, id)
		}
		if names.ReservedID(id) {
			v.errf(p, diag.CheckName, "the service's roll-up alarms are named rollup-page and rollup-ticket; choose another id", "%s id %q is reserved", kind, id)
		}
		if prev, dup := ids[id]; dup {
			v.errf(p, diag.CheckDuplicateID, fmt.Sprintf("first used at %s", prev), "id %q is used twice in service %q", id, s.Name)
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
	canaries := map[string]diag.Pos{}
	for _, c := range s.Canaries {
		v.canary(c)
		if prev, dup := canaries[c.Name]; dup && c.Name != "" {
			v.errf(c.Val("name"), diag.CheckDuplicateID, fmt.Sprintf("first declared at %s", prev), "canary %q is declared twice in service %q", c.Name, s.Name)
		} else {
			canaries[c.Name] = c.Val("name")
		}
	}
	traces := map[string]diag.Pos{}
	for _, t := range s.Traces {
		if prev, dup := traces[t.Name]; dup && t.Name != "" {
			v.errf(t.Val("name"), diag.CheckDuplicateID, fmt.Sprintf("first declared at %s", prev), "trace group %q is declared twice in service %q", t.Name, s.Name)
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

func (v *validator) defaults(d *spec.Defaults) {
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
			v.errf(db.Val("timeRange"), diag.CheckDashboardRange, "a dashboard opens on 5m to 455d of history, e.g. 12h or 7d", "dashboard timeRange %s is out of range", db.TimeRange)
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

// generatedIDs reports a catalog id of the service that is the id of an
// alarm made for one of its SLOs (<slo-id>-no-data, <slo-id>-over-load): the
// two would share a CloudWatch alarm name, or a CloudFormation logical ID,
// which drops the dashes.
func (v *validator) generatedIDs(s *spec.Service) {
	made := map[string]string{} // logical ID → the SLO whose alarm it is
	for _, slo := range s.SLOs {
		if slo.ID == "" {
			continue
		}
		for _, id := range names.SLOAlarmIDs(slo.ID) {
			made[names.OutputName(id)] = slo.ID
		}
	}
	if len(made) == 0 {
		return
	}
	check := func(kind, id string, p diag.Pos) {
		if slo, ok := made[names.OutputName(id)]; ok && id != "" {
			v.errf(p, diag.CheckGeneratedID, fmt.Sprintf("SLO %s has alarms %s; choose another id", slo, strings.Join(names.SLOAlarmIDs(slo), " and ")), "%s id %q is the id of an alarm made for SLO %q", kind, id, slo)
		}
	}
	for _, slo := range s.SLOs {
		check("slo", slo.ID, slo.Val("id"))
	}
	for _, a := range s.Alarms {
		check("alarm", a.ID, a.Val("id"))
	}
}
