package importer

import (
	"fmt"
	"strings"

	"github.com/slocatalog/slocatalog/openslo"
	catalog "github.com/slocatalog/slocatalog/spec"
)

// This file maps alerting: alert policies and their burn-rate conditions to
// tiers, notification targets to routes.

// policyItem maps one entry of an SLO's alertPolicies to a burn-rate tier
// and the routes of its severity.
func (im *importer) policyItem(object *openslo.Object, i int, item openslo.PolicyItem, window *catalog.Window) (*catalog.BurnTier, []string, []string) {
	field := fmt.Sprintf("spec.alertPolicies[%d]", i)
	if item.AlertPolicyRef != "" {
		policy := im.byKind[openslo.KindAlertPolicy][item.AlertPolicyRef]
		if policy == nil {
			im.problem(object, field+".alertPolicyRef", "%s names no AlertPolicy in the input", item.AlertPolicyRef)
			return nil, nil, nil
		}
		im.usedPolicies[policy.Metadata.Name] = true
		return im.policy(policy.Source, label(policy), "", fmt.Sprintf("%s (%s)", label(policy), where(policy.Source)), policy.Policy, window)
	}
	if item.Spec == nil || item.Metadata == nil {
		im.problem(object, field, "an alert policy is alertPolicyRef or an inline kind: AlertPolicy with metadata and spec")
		return nil, nil, nil
	}
	return im.policy(object.Source, label(object), field+".spec", fmt.Sprintf("AlertPolicy %s inline in %s", item.Metadata.Name, label(object)), item.Spec, window)
}

// policy maps an alert policy. obj and prefix name it in problems, name in
// comments.
func (im *importer) policy(src openslo.Source, objectLabel, prefix, name string, policy *openslo.AlertPolicySpec, window *catalog.Window) (*catalog.BurnTier, []string, []string) {
	bad := func(field, format string, args ...any) {
		im.probs = append(im.probs, openslo.Problem{Source: src, Object: objectLabel, Field: joinField(prefix, field), Message: fmt.Sprintf(format, args...)})
	}
	if len(policy.Conditions) != 1 {
		bad("conditions", "%d conditions; an alert policy has exactly one", len(policy.Conditions))
	}
	var routes []string
	for i, target := range policy.NotificationTargets {
		if id := im.route(src, objectLabel, joinField(prefix, fmt.Sprintf("notificationTargets[%d]", i)), target); id != "" {
			routes = append(routes, id)
		}
	}
	if len(policy.Conditions) != 1 {
		return nil, nil, nil
	}
	cond := policy.Conditions[0]
	condField := "conditions[0]"
	condName := "inline"
	if cond.ConditionRef != "" {
		condObject := im.byKind[openslo.KindAlertCondition][cond.ConditionRef]
		if condObject == nil {
			bad(condField+".conditionRef", "%s names no AlertCondition in the input", cond.ConditionRef)
			return nil, nil, nil
		}
		cond = openslo.ConditionItem{Metadata: &condObject.Metadata, Spec: condObject.Condition}
		condName = fmt.Sprintf("%s (%s)", condObject.Metadata.Name, where(condObject.Source))
	} else if cond.Spec == nil {
		bad(condField, "a condition is conditionRef or an inline kind: AlertCondition with spec")
		return nil, nil, nil
	} else {
		condField += ".spec"
	}
	condSpec := cond.Spec
	if k := condSpec.Condition.Kind; k != "" && k != "burnrate" {
		bad(condField+".condition.kind", "kind %s: only burnrate conditions map to burn-rate tiers", k)
		return nil, nil, nil
	}
	if op := condSpec.Condition.Op; op != "" && op != "gt" && op != "gte" {
		bad(condField+".condition.op", "op %s: a burn-rate tier fires when the burn rate is above its threshold (gt)", op)
	}
	severity := strings.ToLower(condSpec.Severity)
	if severity != "page" && severity != "ticket" {
		bad(condField+".severity", "severity %q: the catalog's severities are page (wakes the on-call) and ticket", condSpec.Severity)
	}
	long, ok := openslo.ShorthandDuration(condSpec.Condition.LookbackWindow)
	if !ok {
		bad(condField+".condition.lookbackWindow", "%q is not a duration from minutes to weeks", condSpec.Condition.LookbackWindow)
	}
	short := long / 12
	if condSpec.Condition.AlertAfter != "" && condSpec.Condition.AlertAfter != "0m" {
		if alertAfter, ok := openslo.ShorthandDuration(condSpec.Condition.AlertAfter); ok && alertAfter < long {
			short = alertAfter
		} else {
			bad(condField+".condition.alertAfter", "%q: alertAfter becomes the short window, which must be shorter than lookbackWindow", condSpec.Condition.AlertAfter)
		}
	}
	if condSpec.Condition.Threshold <= 0 {
		bad(condField+".condition.threshold", "burn-rate threshold %v must be above 0", condSpec.Condition.Threshold)
	}
	if window == nil || !ok || severity != "page" && severity != "ticket" || condSpec.Condition.Threshold <= 0 {
		if window == nil && ok && !im.checkingUnused {
			// The tier needs the SLO's window to turn the burn rate into a budget share.
			bad(condField+".condition.threshold", "a burn rate needs the SLO's time window to become a share of the error budget")
		}
		return nil, nil, nil
	}
	budget := catalog.Percent(openslo.Round(condSpec.Condition.Threshold * long.Hours() / window.Hours() * 100))
	longWindow, shortWindow := catalog.Duration(long), catalog.Duration(short)
	tier := &catalog.BurnTier{Severity: severity, LongWindow: &longWindow, ShortWindow: &shortWindow, Budget: &budget}
	im.notes.AddHead(tier, "from %s, condition %s: burn rate > %v over %s", name, condName, condSpec.Condition.Threshold, condSpec.Condition.LookbackWindow)
	if condSpec.Condition.AlertAfter == "" || condSpec.Condition.AlertAfter == "0m" {
		im.notes.AddLine(tier, "shortWindow", "no alertAfter: 1/12 of the long window")
	} else {
		im.notes.AddLine(tier, "shortWindow", "alertAfter %s: the short window confirms the burn", condSpec.Condition.AlertAfter)
	}
	im.notes.AddLine(tier, "budget", "burn rate %v × %s / %s window", condSpec.Condition.Threshold, catalog.FormatDuration(long), window)
	if condSpec.Condition.Threshold < 1 {
		tier.AllowSlowBurn = true
		im.notes.AddLine(tier, "allowSlowBurn", "burn rate %v is below 1", condSpec.Condition.Threshold)
	}
	if policy.AlertWhenNoData || policy.AlertWhenResolved {
		im.warnings = append(im.warnings, openslo.Problem{Source: src, Object: objectLabel, Field: joinField(prefix, "alertWhenNoData"), Message: "alertWhenNoData and alertWhenResolved have no catalog counterpart; ignored"})
	}
	if severity == "page" {
		return tier, routes, nil
	}
	return tier, nil, routes
}

func joinField(prefix, field string) string {
	if prefix == "" {
		return "spec." + field
	}
	return prefix + "." + field
}

// route maps a notification target to a route and returns its ID.
func (im *importer) route(src openslo.Source, objectLabel, field string, item openslo.TargetItem) string {
	var name string
	var spec *openslo.TargetSpec
	var meta *openslo.Metadata
	from := ""
	if item.TargetRef != "" {
		targetObject := im.byKind[openslo.KindAlertNotificationTarget][item.TargetRef]
		if targetObject == nil {
			im.probs = append(im.probs, openslo.Problem{Source: src, Object: objectLabel, Field: field + ".targetRef", Message: fmt.Sprintf("%s names no AlertNotificationTarget in the input", item.TargetRef)})
			return ""
		}
		name, spec, meta = targetObject.Metadata.Name, targetObject.Target, &targetObject.Metadata
		from = fmt.Sprintf("from AlertNotificationTarget %s (%s)", name, where(targetObject.Source))
	} else {
		if item.Spec == nil || item.Metadata == nil || item.Metadata.Name == "" {
			im.probs = append(im.probs, openslo.Problem{Source: src, Object: objectLabel, Field: field, Message: "a notification target is targetRef or an inline kind: AlertNotificationTarget with metadata.name and spec"})
			return ""
		}
		name, spec, meta = item.Metadata.Name, item.Spec, item.Metadata
		from = fmt.Sprintf("from AlertNotificationTarget %s inline in %s (%s)", name, objectLabel, where(src))
	}
	if route := im.routes[name]; route != nil || im.checkingUnused {
		return name
	}
	routeType := map[string]string{"pagerduty": "pagerduty", "pager": "pagerduty", "opsgenie": "opsgenie", "slack": "slack", "email": "email", "mail": "email"}[strings.ToLower(strings.TrimSpace(spec.Target))]
	if routeType == "" {
		im.probs = append(im.probs, openslo.Problem{Source: src, Object: objectLabel, Field: field + ".spec.target", Message: fmt.Sprintf("target %q: the catalog routes to pagerduty, opsgenie, slack or email", spec.Target)})
		return ""
	}
	route := &catalog.Route{ID: name, Type: routeType, Description: spec.Description}
	im.notes.AddHead(route, "%s", from)
	annotations := meta.Annotations
	switch routeType {
	case "email":
		if emails := annotations[openslo.AnnotationEmails]; emails != "" {
			route.Emails = strings.Split(emails, ",")
		} else {
			route.Emails = []string{"oncall@example.com"}
			im.notes.AddLine(route, "emails", "%s: the addresses to mail", FillIn)
		}
	default:
		if secret := annotations[openslo.AnnotationSecret]; secret != "" {
			route.Secret = secret
		} else {
			route.Secret = im.orgName() + "/oncall/" + name
			im.notes.AddLine(route, "secret", "%s: the Secrets Manager secret holding the %s", FillIn, map[string]string{"pagerduty": "PagerDuty routing key", "opsgenie": "Opsgenie API key", "slack": "Slack bot token"}[routeType])
		}
	}
	if routeType == "slack" {
		if channel := annotations[openslo.AnnotationChannel]; channel != "" {
			route.Channel = channel
		} else {
			route.Channel = "#" + strings.ToLower(name)
			im.notes.AddLine(route, "channel", "%s: the channel the bot posts to", FillIn)
		}
	}
	if routeType == "opsgenie" {
		route.Region = annotations[openslo.AnnotationOpsgenieRegion]
	}
	im.routes[name] = route
	im.file.Routes = append(im.file.Routes, route)
	return name
}

// placeholderRoute is the route of services whose alert policies name no
// notification target.
func (im *importer) placeholderRoute() *catalog.Route {
	route := im.routes["oncall"]
	if route == nil {
		route = &catalog.Route{ID: "oncall", Type: "pagerduty", Secret: im.orgName() + "/oncall/pagerduty"}
		im.notes.AddHead(route, "no notification target in the input: a placeholder route")
		im.notes.AddLine(route, "secret", "%s: the Secrets Manager secret holding the PagerDuty routing key", FillIn)
		im.routes["oncall"] = route
		im.file.Routes = append(im.file.Routes, route)
	}
	return route
}
