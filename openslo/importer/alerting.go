package importer

import (
	"fmt"
	"strings"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/slos"
)

// This file maps alerting: alert policies and their burn-rate conditions to
// tiers, notification targets to routes.

// policyItem maps one entry of an SLO's alertPolicies to a burn-rate tier
// and the routes of its severity.
func (im *importer) policyItem(o *openslo.Object, i int, item openslo.PolicyItem, window *slos.Window) (*slos.BurnTier, []string, []string) {
	field := fmt.Sprintf("spec.alertPolicies[%d]", i)
	if item.AlertPolicyRef != "" {
		p := im.byKind[openslo.KindAlertPolicy][item.AlertPolicyRef]
		if p == nil {
			im.problem(o, field+".alertPolicyRef", "%s names no AlertPolicy in the input", item.AlertPolicyRef)
			return nil, nil, nil
		}
		im.usedPolicies[p.Metadata.Name] = true
		return im.policy(p.Source, label(p), "", fmt.Sprintf("%s (%s)", label(p), where(p.Source)), p.Policy, window)
	}
	if item.Spec == nil || item.Metadata == nil {
		im.problem(o, field, "an alert policy is alertPolicyRef or an inline kind: AlertPolicy with metadata and spec")
		return nil, nil, nil
	}
	return im.policy(o.Source, label(o), field+".spec", fmt.Sprintf("AlertPolicy %s inline in %s", item.Metadata.Name, label(o)), item.Spec, window)
}

// policy maps an alert policy. obj and prefix name it in problems, name in
// comments.
func (im *importer) policy(src openslo.Source, obj, prefix, name string, p *openslo.AlertPolicySpec, window *slos.Window) (*slos.BurnTier, []string, []string) {
	bad := func(field, format string, args ...any) {
		im.probs = append(im.probs, openslo.Problem{Source: src, Object: obj, Field: joinField(prefix, field), Message: fmt.Sprintf(format, args...)})
	}
	if len(p.Conditions) != 1 {
		bad("conditions", "%d conditions; an alert policy has exactly one", len(p.Conditions))
	}
	var routes []string
	for i, t := range p.NotificationTargets {
		if id := im.route(src, obj, joinField(prefix, fmt.Sprintf("notificationTargets[%d]", i)), t); id != "" {
			routes = append(routes, id)
		}
	}
	if len(p.Conditions) != 1 {
		return nil, nil, nil
	}
	c := p.Conditions[0]
	cfield := "conditions[0]"
	cname := "inline"
	if c.ConditionRef != "" {
		co := im.byKind[openslo.KindAlertCondition][c.ConditionRef]
		if co == nil {
			bad(cfield+".conditionRef", "%s names no AlertCondition in the input", c.ConditionRef)
			return nil, nil, nil
		}
		c = openslo.ConditionItem{Metadata: &co.Metadata, Spec: co.Condition}
		cname = fmt.Sprintf("%s (%s)", co.Metadata.Name, where(co.Source))
	} else if c.Spec == nil {
		bad(cfield, "a condition is conditionRef or an inline kind: AlertCondition with spec")
		return nil, nil, nil
	} else {
		cfield += ".spec"
	}
	cs := c.Spec
	if k := cs.Condition.Kind; k != "" && k != "burnrate" {
		bad(cfield+".condition.kind", "kind %s: only burnrate conditions map to burn-rate tiers", k)
		return nil, nil, nil
	}
	if op := cs.Condition.Op; op != "" && op != "gt" && op != "gte" {
		bad(cfield+".condition.op", "op %s: a burn-rate tier fires when the burn rate is above its threshold (gt)", op)
	}
	sev := strings.ToLower(cs.Severity)
	if sev != "page" && sev != "ticket" {
		bad(cfield+".severity", "severity %q: the catalog's severities are page (wakes the on-call) and ticket", cs.Severity)
	}
	long, ok := openslo.ShorthandDuration(cs.Condition.LookbackWindow)
	if !ok {
		bad(cfield+".condition.lookbackWindow", "%q is not a duration from minutes to weeks", cs.Condition.LookbackWindow)
	}
	short := long / 12
	if cs.Condition.AlertAfter != "" && cs.Condition.AlertAfter != "0m" {
		if d, ok := openslo.ShorthandDuration(cs.Condition.AlertAfter); ok && d < long {
			short = d
		} else {
			bad(cfield+".condition.alertAfter", "%q: alertAfter becomes the short window, which must be shorter than lookbackWindow", cs.Condition.AlertAfter)
		}
	}
	if cs.Condition.Threshold <= 0 {
		bad(cfield+".condition.threshold", "burn-rate threshold %v must be above 0", cs.Condition.Threshold)
	}
	if window == nil || !ok || sev != "page" && sev != "ticket" || cs.Condition.Threshold <= 0 {
		if window == nil && ok && !im.checkingUnused {
			// The tier needs the SLO's window to turn the burn rate into a budget share.
			bad(cfield+".condition.threshold", "a burn rate needs the SLO's time window to become a share of the error budget")
		}
		return nil, nil, nil
	}
	budget := slos.Percent(openslo.Round(cs.Condition.Threshold * long.Hours() / window.Hours() * 100))
	lw, sw := slos.Duration(long), slos.Duration(short)
	t := &slos.BurnTier{Severity: sev, LongWindow: &lw, ShortWindow: &sw, Budget: &budget}
	im.notes.AddHead(t, "from %s, condition %s: burn rate > %v over %s", name, cname, cs.Condition.Threshold, cs.Condition.LookbackWindow)
	if cs.Condition.AlertAfter == "" || cs.Condition.AlertAfter == "0m" {
		im.notes.AddLine(t, "shortWindow", "no alertAfter: 1/12 of the long window")
	} else {
		im.notes.AddLine(t, "shortWindow", "alertAfter %s: the short window confirms the burn", cs.Condition.AlertAfter)
	}
	im.notes.AddLine(t, "budget", "burn rate %v × %s / %s window", cs.Condition.Threshold, slos.FormatDuration(long), window)
	if cs.Condition.Threshold < 1 {
		t.AllowSlowBurn = true
		im.notes.AddLine(t, "allowSlowBurn", "burn rate %v is below 1", cs.Condition.Threshold)
	}
	if p.AlertWhenNoData || p.AlertWhenResolved {
		im.warnings = append(im.warnings, openslo.Problem{Source: src, Object: obj, Field: joinField(prefix, "alertWhenNoData"), Message: "alertWhenNoData and alertWhenResolved have no catalog counterpart; ignored"})
	}
	if sev == "page" {
		return t, routes, nil
	}
	return t, nil, routes
}

func joinField(prefix, field string) string {
	if prefix == "" {
		return "spec." + field
	}
	return prefix + "." + field
}

// route maps a notification target to a route and returns its ID.
func (im *importer) route(src openslo.Source, obj, field string, t openslo.TargetItem) string {
	var name string
	var spec *openslo.TargetSpec
	var meta *openslo.Metadata
	from := ""
	if t.TargetRef != "" {
		to := im.byKind[openslo.KindAlertNotificationTarget][t.TargetRef]
		if to == nil {
			im.probs = append(im.probs, openslo.Problem{Source: src, Object: obj, Field: field + ".targetRef", Message: fmt.Sprintf("%s names no AlertNotificationTarget in the input", t.TargetRef)})
			return ""
		}
		name, spec, meta = to.Metadata.Name, to.Target, &to.Metadata
		from = fmt.Sprintf("from AlertNotificationTarget %s (%s)", name, where(to.Source))
	} else {
		if t.Spec == nil || t.Metadata == nil || t.Metadata.Name == "" {
			im.probs = append(im.probs, openslo.Problem{Source: src, Object: obj, Field: field, Message: "a notification target is targetRef or an inline kind: AlertNotificationTarget with metadata.name and spec"})
			return ""
		}
		name, spec, meta = t.Metadata.Name, t.Spec, t.Metadata
		from = fmt.Sprintf("from AlertNotificationTarget %s inline in %s (%s)", name, obj, where(src))
	}
	if r := im.routes[name]; r != nil || im.checkingUnused {
		return name
	}
	typ := map[string]string{"pagerduty": "pagerduty", "pager": "pagerduty", "opsgenie": "opsgenie", "slack": "slack", "email": "email", "mail": "email"}[strings.ToLower(strings.TrimSpace(spec.Target))]
	if typ == "" {
		im.probs = append(im.probs, openslo.Problem{Source: src, Object: obj, Field: field + ".spec.target", Message: fmt.Sprintf("target %q: the catalog routes to pagerduty, opsgenie, slack or email", spec.Target)})
		return ""
	}
	r := &slos.Route{ID: name, Type: typ, Description: spec.Description}
	im.notes.AddHead(r, "%s", from)
	a := meta.Annotations
	switch typ {
	case "email":
		if e := a[openslo.AnnotationEmails]; e != "" {
			r.Emails = strings.Split(e, ",")
		} else {
			r.Emails = []string{"oncall@example.com"}
			im.notes.AddLine(r, "emails", "%s: the addresses to mail", FillIn)
		}
	default:
		if s := a[openslo.AnnotationSecret]; s != "" {
			r.Secret = s
		} else {
			r.Secret = im.orgName() + "/oncall/" + name
			im.notes.AddLine(r, "secret", "%s: the Secrets Manager secret holding the %s", FillIn, map[string]string{"pagerduty": "PagerDuty routing key", "opsgenie": "Opsgenie API key", "slack": "Slack bot token"}[typ])
		}
	}
	if typ == "slack" {
		if c := a[openslo.AnnotationChannel]; c != "" {
			r.Channel = c
		} else {
			r.Channel = "#" + strings.ToLower(name)
			im.notes.AddLine(r, "channel", "%s: the channel the bot posts to", FillIn)
		}
	}
	if typ == "opsgenie" {
		r.Region = a[openslo.AnnotationOpsgenieRegion]
	}
	im.routes[name] = r
	im.file.Routes = append(im.file.Routes, r)
	return name
}

// placeholderRoute is the route of services whose alert policies name no
// notification target.
func (im *importer) placeholderRoute() *slos.Route {
	r := im.routes["oncall"]
	if r == nil {
		r = &slos.Route{ID: "oncall", Type: "pagerduty", Secret: im.orgName() + "/oncall/pagerduty"}
		im.notes.AddHead(r, "no notification target in the input: a placeholder route")
		im.notes.AddLine(r, "secret", "%s: the Secrets Manager secret holding the PagerDuty routing key", FillIn)
		im.routes["oncall"] = r
		im.file.Routes = append(im.file.Routes, r)
	}
	return r
}
