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

// OncallRulesProps describes the routing rules of one severity roll-up
// alarm of a service, made by NewOncallRules.
type OncallRulesProps struct {
	// Routing is the environment's routing as the stack reaches it
	// (RoutingByName), with a target for every route in Routes. Required.
	Routing *Routing
	// Service is the service whose roll-up alarm is routed. Required.
	Service *plan.Service
	// Severity is the roll-up's severity, page or ticket. Required.
	Severity string
	// RollupAlarm is the name of the roll-up alarm, the only alarm the rules
	// match (AlarmFactory.Name of RollupID). Required.
	RollupAlarm string
	// Routes are the IDs of the routes the alarm goes to, in target order.
	// Default: none (rules without targets).
	Routes []string
}

// NewOncallRules routes a service's severity roll-up alarm to its routes:
// one rule when the alarm fires and one when it clears, so that PagerDuty
// and Opsgenie incidents are resolved by the same dedup key (the alarm ARN).
func NewOncallRules(scope cdkconstructs.Construct, props OncallRulesProps) {
	routing, svc := props.Routing, props.Service
	alarm := PayloadProps{Env: routing.Env, Account: routing.Account, Region: routing.Region, Service: svc, Severity: props.Severity, Alarm: props.RollupAlarm}
	for _, resolve := range []bool{false, true} {
		state := "ALARM"
		if resolve {
			state = "OK"
		}
		var targets []interface{}
		for _, id := range props.Routes {
			routeTarget := routing.Targets[id]
			if routeTarget == nil {
				panic(fmt.Sprintf("constructs: route %q has no target in %s; the plan lists every used route", id, routing.Env))
			}
			payload := alarm
			payload.Route, payload.Resolve = routeTarget.Route, resolve
			targets = append(targets, target(routing, routeTarget, payload))
		}
		awsevents.NewCfnRule(scope, jsii.String(fmt.Sprintf("route-%s-%s", props.Severity, state)), &awsevents.CfnRuleProps{
			Name:        jsii.String(OncallRuleName(routing.Org, routing.Env, svc.Name, props.Severity, resolve)),
			Description: jsii.String(fmt.Sprintf("%s %s of %s: %s to on-call", props.Severity, state, svc.Name, map[bool]string{false: "fire", true: "resolve"}[resolve])),
			State:       jsii.String("ENABLED"),
			// Only this service's roll-up alarm matches: catalog alarms, nothing else.
			EventPattern: map[string]interface{}{
				"source":      []string{"aws.cloudwatch"},
				"detail-type": []string{"CloudWatch Alarm State Change"},
				"detail": map[string]interface{}{
					"alarmName": []string{props.RollupAlarm},
					"state":     map[string]interface{}{"value": []string{state}},
				},
			},
			Targets: &targets,
		})
	}
}

// target is the EventBridge target of one route in one rule: the route's
// topic or API destination, with the payload as its input template.
func target(routing *Routing, routeTarget *RouteTarget, payload PayloadProps) *awsevents.CfnRule_TargetProperty {
	template := Payload(payload)
	target := &awsevents.CfnRule_TargetProperty{
		Id:               jsii.String(routeTarget.Route.ID),
		Arn:              jsii.String(routeTarget.Arn),
		DeadLetterConfig: &awsevents.CfnRule_DeadLetterConfigProperty{Arn: jsii.String(routing.DLQArn)},
		RetryPolicy: &awsevents.CfnRule_RetryPolicyProperty{
			MaximumRetryAttempts:     jsii.Number(retryAttempts),
			MaximumEventAgeInSeconds: jsii.Number(retryMaxAge),
		},
		InputTransformer: &awsevents.CfnRule_InputTransformerProperty{
			InputPathsMap: InputPaths(template),
			InputTemplate: jsii.String(template),
		},
	}
	if routeTarget.UsesRole {
		target.RoleArn = jsii.String(routing.EventsRoleArn)
	}
	if routeTarget.Route.Type == "opsgenie" && payload.Resolve {
		target.Arn = jsii.String(routeTarget.CloseArn)
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
