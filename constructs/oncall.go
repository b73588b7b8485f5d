package constructs

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/slos"
)

// Retry and dead-letter settings of every routing target. EventBridge keeps
// retrying for up to 24 hours and 185 attempts, the maxima:
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html
const (
	retryAttempts = 185
	retryMaxAge   = 24 * 3600
)

// inputPaths are the parts of a CloudWatch Alarm State Change event that the
// payload templates use.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
var inputPaths = map[string]interface{}{
	"alarm":   "$.detail.alarmName",
	"state":   "$.detail.state.value",
	"reason":  "$.detail.state.reason",
	"arn":     "$.resources[0]",
	"time":    "$.time",
	"account": "$.account",
	"region":  "$.region",
}

// OncallRuleName is the EventBridge rule that routes a service's roll-up
// alarm of one severity when it fires (resolve false) or clears (resolve true).
func OncallRuleName(org, env, service, severity string, resolve bool) string {
	n := slos.RuleName(org, env, service, severity)
	if resolve {
		n += "-ok"
	}
	return n
}

// NewOncallRules routes a service's severity roll-up alarm to its routes:
// one rule when the alarm fires and one when it clears, so that PagerDuty
// and Opsgenie incidents are resolved by the same dedup key (the alarm ARN).
func NewOncallRules(scope cdkconstructs.Construct, r *Routing, svc *slos.ServicePlan, severity, rollup string, routes []string) {
	for _, resolve := range []bool{false, true} {
		state := "ALARM"
		if resolve {
			state = "OK"
		}
		var targets []interface{}
		for _, id := range routes {
			t := r.Targets[id]
			if t == nil {
				panic(fmt.Sprintf("constructs: route %q has no target in %s; the plan lists every used route", id, r.Env))
			}
			targets = append(targets, target(r, t, svc, severity, resolve))
		}
		awsevents.NewCfnRule(scope, jsii.String(fmt.Sprintf("route-%s-%s", severity, state)), &awsevents.CfnRuleProps{
			Name:        jsii.String(OncallRuleName(r.Org, r.Env, svc.Name, severity, resolve)),
			Description: jsii.String(fmt.Sprintf("%s %s of %s: %s to on-call", severity, state, svc.Name, map[bool]string{false: "fire", true: "resolve"}[resolve])),
			State:       jsii.String("ENABLED"),
			// Only this service's roll-up alarm matches: catalog alarms, nothing else.
			EventPattern: map[string]interface{}{
				"source":      []string{"aws.cloudwatch"},
				"detail-type": []string{"CloudWatch Alarm State Change"},
				"detail": map[string]interface{}{
					"alarmName": []string{rollup},
					"state":     map[string]interface{}{"value": []string{state}},
				},
			},
			Targets: &targets,
		})
	}
}

func target(r *Routing, t *RouteTarget, svc *slos.ServicePlan, severity string, resolve bool) *awsevents.CfnRule_TargetProperty {
	p := &awsevents.CfnRule_TargetProperty{
		Id:               jsii.String(t.Route.ID),
		Arn:              jsii.String(t.Arn),
		DeadLetterConfig: &awsevents.CfnRule_DeadLetterConfigProperty{Arn: jsii.String(r.DLQArn)},
		RetryPolicy: &awsevents.CfnRule_RetryPolicyProperty{
			MaximumRetryAttempts:     jsii.Number(retryAttempts),
			MaximumEventAgeInSeconds: jsii.Number(retryMaxAge),
		},
		InputTransformer: &awsevents.CfnRule_InputTransformerProperty{
			InputPathsMap: inputPaths,
			InputTemplate: jsii.String(Payload(t.Route.Type, svc, severity, resolve)),
		},
	}
	if t.UsesRole {
		p.RoleArn = jsii.String(r.EventsRoleArn)
	}
	if t.Route.Type == "opsgenie" && resolve {
		p.Arn = jsii.String(t.CloseArn)
		// The alert alias is the alarm ARN; it fills the * of the close endpoint.
		p.HttpParameters = &awsevents.CfnRule_HttpParametersProperty{PathParameterValues: &[]*string{jsii.String("$.resources[0]")}}
	}
	return p
}

// Payload is the input-transformer template for a route type: the body the
// provider's API expects, with <placeholders> filled from the event.
//   - PagerDuty Events API v2: https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
//   - Opsgenie Alert API: https://docs.opsgenie.com/docs/alert-api
//   - Slack incoming webhooks: https://api.slack.com/messaging/webhooks
//   - SNS (email): a plain-text message.
func Payload(routeType string, svc *slos.ServicePlan, severity string, resolve bool) string {
	runbook := svc.Runbook
	var v any
	switch routeType {
	case "pagerduty":
		if resolve {
			v = map[string]any{"event_action": "resolve", "dedup_key": "<arn>"}
			break
		}
		pdSeverity := map[string]string{"page": "critical", "ticket": "warning"}[severity]
		body := map[string]any{
			"event_action": "trigger",
			"dedup_key":    "<arn>",
			"payload": map[string]any{
				"summary":   "<alarm> is in ALARM",
				"severity":  pdSeverity,
				"source":    "<account>/<region>",
				"timestamp": "<time>",
				"component": svc.Name,
				"group":     svc.Owner,
				"custom_details": map[string]any{
					"reason": "<reason>", "service": svc.Name, "owner": svc.Owner, "runbook": runbook,
				},
			},
			"client": "slocatalog",
		}
		if runbook != "" {
			body["links"] = []any{map[string]any{"href": runbook, "text": "Runbook"}}
		}
		v = body
	case "opsgenie":
		if resolve {
			v = map[string]any{"source": "slocatalog", "note": "<alarm> is OK: <reason>"}
			break
		}
		v = map[string]any{
			"message":     "<alarm> is in ALARM",
			"alias":       "<arn>",
			"description": "<reason>",
			"priority":    map[string]string{"page": "P1", "ticket": "P3"}[severity],
			"source":      "slocatalog",
			"tags":        []string{svc.Name, svc.Owner, severity},
			"details":     map[string]any{"service": svc.Name, "owner": svc.Owner, "runbook": runbook, "account": "<account>", "region": "<region>"},
		}
	case "slack":
		icon := ":rotating_light:"
		if resolve {
			icon = ":white_check_mark:"
		}
		text := fmt.Sprintf("%s [%s] <alarm> is <state>: <reason>", icon, severity)
		if runbook != "" {
			text += "\nRunbook: " + runbook
		}
		v = map[string]any{"text": text}
	default: // email through SNS: plain text
		s := fmt.Sprintf("\"[%s] <alarm> is <state> at <time> (<account>, <region>).\\nReason: <reason>\\nService: %s, owner %s.", severity, svc.Name, svc.Owner)
		if runbook != "" {
			s += "\\nRunbook: " + runbook
		}
		return s + "\""
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps of strings always marshal
	}
	return string(b)
}
