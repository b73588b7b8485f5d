package constructs

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
)

// Retry and dead-letter settings of every routing target. EventBridge keeps
// retrying for up to 24 hours and 185 attempts, the maxima:
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html
const (
	retryAttempts = 185
	retryMaxAge   = 24 * 3600
)

// eventPaths are the parts of a CloudWatch Alarm State Change event that a
// payload may use: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
// Everything else a payload says (the alarm's name, account, region,
// service, runbook) is known when the rule is made and written literally.
var eventPaths = map[string]string{
	"arn":    "$.resources[0]",
	"time":   "$.time",
	"reason": "$.detail.state.reason",
}

// OncallRuleName is the EventBridge rule that routes a service's roll-up
// alarm of one severity when it fires (resolve false) or clears (resolve true).
func OncallRuleName(org, env, service, severity string, resolve bool) string {
	n := names.RuleName(org, env, service, severity)
	if resolve {
		n += "-ok"
	}
	return n
}

// NewOncallRules routes a service's severity roll-up alarm to its routes:
// one rule when the alarm fires and one when it clears, so that PagerDuty
// and Opsgenie incidents are resolved by the same dedup key (the alarm ARN).
func NewOncallRules(scope cdkconstructs.Construct, r *Routing, svc *plan.Service, severity, rollup string, routes []string) {
	alarm := PayloadProps{Env: r.Env, Account: r.Account, Region: r.Region, Service: svc, Severity: severity, Alarm: rollup}
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
			p := alarm
			p.Route, p.Resolve = t.Route, resolve
			targets = append(targets, target(r, t, p))
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

func target(r *Routing, t *RouteTarget, p PayloadProps) *awsevents.CfnRule_TargetProperty {
	template := Payload(p)
	target := &awsevents.CfnRule_TargetProperty{
		Id:               jsii.String(t.Route.ID),
		Arn:              jsii.String(t.Arn),
		DeadLetterConfig: &awsevents.CfnRule_DeadLetterConfigProperty{Arn: jsii.String(r.DLQArn)},
		RetryPolicy: &awsevents.CfnRule_RetryPolicyProperty{
			MaximumRetryAttempts:     jsii.Number(retryAttempts),
			MaximumEventAgeInSeconds: jsii.Number(retryMaxAge),
		},
		InputTransformer: &awsevents.CfnRule_InputTransformerProperty{
			InputPathsMap: InputPaths(template),
			InputTemplate: jsii.String(template),
		},
	}
	if t.UsesRole {
		target.RoleArn = jsii.String(r.EventsRoleArn)
	}
	if t.Route.Type == "opsgenie" && p.Resolve {
		target.Arn = jsii.String(t.CloseArn)
		// The alert alias is the alarm ARN; it fills the * of the close endpoint.
		target.HttpParameters = &awsevents.CfnRule_HttpParametersProperty{PathParameterValues: &[]*string{jsii.String(eventPaths["arn"])}}
	}
	return target
}

// InputPaths is the InputPathsMap of a payload template: the event paths of
// the placeholders it uses, and no others.
func InputPaths(template string) map[string]interface{} {
	out := map[string]interface{}{}
	for name, path := range eventPaths {
		if strings.Contains(template, "<"+name+">") {
			out[name] = path
		}
	}
	return out
}
