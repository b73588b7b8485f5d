package constructs

import (
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/plan"
)

// testEnvironment has one route of each kind that needs a different target.
func testEnvironment() *plan.Environment {
	return &plan.Environment{Name: testEnv, Account: testAccount, Region: testRegion, Routes: []*plan.Route{
		{ID: "ops-mail", Type: "email", Emails: []string{"oncall@example.com"}},
		{ID: "pd", Type: "pagerduty", Secret: "acme/pd"},
		{ID: "og", Type: "opsgenie", Secret: "acme/og", Region: "eu"},
	}}
}

// TestRouting: an environment's routing stack has an encrypted SNS topic
// per email route, an API destination per on-call service (Opsgenie with a
// second one that closes alerts) whose connection takes the key from
// Secrets Manager, a retained dead-letter queue with a paging alarm that
// notifies the operations topic, the role that calls the destinations, and
// an SSM parameter per value the service stacks read.
func TestRouting(t *testing.T) {
	stack := newStack()
	routing := NewRouting(stack, testOrg, testEnvironment())
	tpl := synth(t, stack)

	wantProps(t, "deadletters", tpl.get(t, "deadletters", "AWS::SQS::Queue"), map[string]any{
		"QueueName":              "acme-prod-alarm-routing-dlq",
		"MessageRetentionPeriod": 14 * 24 * 3600,
		"KmsMasterKeyId":         map[string]any{"Fn::GetAtt": []any{"key", "Arn"}},
	})
	wantProps(t, "deadlettersvisible", tpl.get(t, "deadlettersvisible", "AWS::CloudWatch::Alarm"), map[string]any{
		"AlarmName":    "acme-prod-routing-dead-letters-visible",
		"Dimensions":   []any{map[string]any{"Name": "QueueName", "Value": "acme-prod-alarm-routing-dlq"}},
		"Threshold":    0,
		"AlarmActions": []any{map[string]any{"Ref": "ops"}},
		"OKActions":    []any{map[string]any{"Ref": "ops"}},
	})
	wantProps(t, "routeopsmail", tpl.get(t, "routeopsmail", "AWS::SNS::Topic"), map[string]any{
		"TopicName":      "acme-prod-ops-mail",
		"KmsMasterKeyId": map[string]any{"Fn::GetAtt": []any{"key", "Arn"}},
	})
	wantProps(t, "routeopsmail0", tpl.get(t, "routeopsmail0", "AWS::SNS::Subscription"), map[string]any{
		"Protocol": "email", "Endpoint": "oncall@example.com", "TopicArn": map[string]any{"Ref": "routeopsmail"},
	})
	wantJSON(t, "pagerduty auth", tpl.get(t, "routepdconnection", "AWS::Events::Connection").Properties["AuthParameters"],
		`{"ApiKeyAuthParameters":{"ApiKeyName":"X-Slocat-Route","ApiKeyValue":"pd"},"InvocationHttpParameters":{"BodyParameters":[{"IsValueSecret":true,"Key":"routing_key","Value":"{{resolve:secretsmanager:acme/pd:SecretString}}"}]}}`)
	wantProps(t, "routepddestination", tpl.get(t, "routepddestination", "AWS::Events::ApiDestination"), map[string]any{
		"Name":               "acme-prod-pd",
		"HttpMethod":         "POST",
		"InvocationEndpoint": "https://events.pagerduty.com/v2/enqueue",
		"ConnectionArn":      map[string]any{"Fn::GetAtt": []any{"routepdconnection", "Arn"}},
	})
	wantJSON(t, "opsgenie auth", tpl.get(t, "routeogconnection", "AWS::Events::Connection").Properties["AuthParameters"],
		`{"ApiKeyAuthParameters":{"ApiKeyName":"Authorization","ApiKeyValue":"GenieKey {{resolve:secretsmanager:acme/og:SecretString}}"}}`)
	wantProps(t, "routeogclosedestination", tpl.get(t, "routeogclosedestination", "AWS::Events::ApiDestination"), map[string]any{
		"Name":               "acme-prod-og-close",
		"InvocationEndpoint": "https://api.eu.opsgenie.com/v2/alerts/*/close?identifierType=alias",
	})
	role := tpl.get(t, "eventsrole", "AWS::IAM::Role")
	wantJSON(t, "events role may invoke", role.Properties["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"],
		`[{"Action":"events:InvokeApiDestination","Effect":"Allow","Resource":[{"Fn::GetAtt":["routepddestination","Arn"]},{"Fn::GetAtt":["routeogdestination","Arn"]},{"Fn::GetAtt":["routeogclosedestination","Arn"]}]}]`)
	for id, name := range map[string]string{
		"routeopsmailarn": "/slocatalog/acme/prod/route/ops-mail/arn",
		"routepdarn":      "/slocatalog/acme/prod/route/pd/arn",
		"routeogarn":      "/slocatalog/acme/prod/route/og/arn",
		"routeogclosearn": "/slocatalog/acme/prod/route/og/close-arn",
		"eventsrolearn":   "/slocatalog/acme/prod/events-role-arn",
	} {
		wantProps(t, id, tpl.get(t, id, "AWS::SSM::Parameter"), map[string]any{"Name": name, "Type": "String"})
	}

	if n := len(routing.Targets); n != 3 {
		t.Fatalf("routing has %d targets, want 3", n)
	}
	if mail, og := routing.Targets["ops-mail"], routing.Targets["og"]; mail.UsesRole || mail.CloseArn != "" || !og.UsesRole || og.CloseArn == "" {
		t.Errorf("targets: email %+v, opsgenie %+v", mail, og)
	}
	if routing.DLQArn == "" || routing.EventsRoleArn == "" {
		t.Errorf("routing misses the queue or role: %+v", routing)
	}
}

// TestOncallRules: a service's roll-up alarm has one rule when it fires and
// one when it clears, matching only that alarm; each target reaches its
// route through the SSM parameters (only those of the routes used) with
// the dead-letter queue and the longest retries, and Opsgenie's OK target
// closes the alert named by the alarm's ARN.
func TestOncallRules(t *testing.T) {
	stack := newStack()
	routes := []string{"pd", "og"}
	NewOncallRules(stack, OncallRulesProps{
		Routing:     RoutingByName(stack, testOrg, testEnvironment(), routes),
		Service:     testService(),
		Severity:    "page",
		RollupAlarm: "acme-prod-checkout-rollup-page",
		Routes:      routes,
	})
	tpl := synth(t, stack)
	wantJSON(t, "rules", tpl.logicalIDs("AWS::Events::Rule"), `["routepageALARM","routepageOK"]`)
	var defaults []string
	for _, p := range tpl.Parameters {
		if p.Type == "AWS::SSM::Parameter::Value<String>" && strings.HasPrefix(p.Default, "/slocatalog/") { // not CDK's bootstrap version
			defaults = append(defaults, p.Default)
		}
	}
	wantJSON(t, "parameters read", sortedStrings(defaults),
		`["/slocatalog/acme/prod/events-role-arn","/slocatalog/acme/prod/route/og/arn","/slocatalog/acme/prod/route/og/close-arn","/slocatalog/acme/prod/route/pd/arn"]`)

	for rule, state := range map[string]string{"routepageALARM": "ALARM", "routepageOK": "OK"} {
		r := tpl.get(t, rule, "AWS::Events::Rule")
		name := "acme-prod-checkout-page"
		if state == "OK" {
			name += "-ok"
		}
		wantProps(t, rule, r, map[string]any{
			"Name":  name,
			"State": "ENABLED",
			"EventPattern": map[string]any{"source": []any{"aws.cloudwatch"}, "detail-type": []any{"CloudWatch Alarm State Change"},
				"detail": map[string]any{"alarmName": []any{"acme-prod-checkout-rollup-page"}, "state": map[string]any{"value": []any{state}}}},
		})
		targets := r.Properties["Targets"].([]any)
		if len(targets) != 2 {
			t.Fatalf("%s has %d targets, want 2", rule, len(targets))
		}
		for i, id := range routes {
			target := targets[i].(map[string]any)
			if target["Id"] != id || target["RoleArn"] == nil || target["InputTransformer"] == nil {
				t.Errorf("%s target %d = %v", rule, i, target)
			}
			wantJSON(t, rule+" "+id+" dead letters", target["DeadLetterConfig"], `{"Arn":"arn:aws:sqs:eu-west-1:123456789012:acme-prod-alarm-routing-dlq"}`)
			wantJSON(t, rule+" "+id+" retries", target["RetryPolicy"], `{"MaximumEventAgeInSeconds":86400,"MaximumRetryAttempts":185}`)
		}
		_, closes := targets[1].(map[string]any)["HttpParameters"]
		if closes != (state == "OK") {
			t.Errorf("%s: Opsgenie target has HttpParameters %v, want them only when resolving", rule, closes)
		}
	}
	ok := tpl.get(t, "routepageOK", "AWS::Events::Rule").Properties["Targets"].([]any)[1].(map[string]any)
	wantJSON(t, "opsgenie close alias", ok["HttpParameters"], `{"PathParameterValues":["$.resources[0]"]}`)
}

// TestOncallRulesUnknownRoute: a route without a target is a planning
// error, and panics rather than making a rule that pages nobody.
func TestOncallRulesUnknownRoute(t *testing.T) {
	stack := newStack()
	defer func() {
		if recover() == nil {
			t.Error("NewOncallRules with an unknown route did not panic")
		}
	}()
	NewOncallRules(stack, OncallRulesProps{
		Routing: RoutingByName(stack, testOrg, testEnvironment(), []string{"pd"}), Service: testService(),
		Severity: "page", RollupAlarm: "acme-prod-checkout-rollup-page", Routes: []string{"missing"},
	})
}
