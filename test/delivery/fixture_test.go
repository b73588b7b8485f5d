package delivery

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/plan"
)

// The harness's own tests: a hand-written assembly whose payloads follow
// every contract must pass, and each way of breaking one must be caught.
// They need no CDK.

// fixturePlan is the catalog of the fixture: one environment, one route of
// each type.
func fixturePlan() *plan.Plan {
	return &plan.Plan{Org: "acme", Environments: []*plan.Environment{{
		Name: "prod", Account: "111122223333", Region: "eu-west-1",
		Routes: []*plan.Route{
			{ID: "pd", Type: "pagerduty", Secret: "acme/pd"},
			{ID: "og", Type: "opsgenie", Secret: "acme/og", Region: "eu"},
			{ID: "chat", Type: "slack", Secret: "acme/slack"},
			{ID: "mail", Type: "email"},
		},
	}}}
}

// goodTemplates are input templates that keep to the rules in
// /tmp/contracts.md: free text (the reason) only as a bare JSON value or in
// a string template; placeholders literal.
func goodTemplates() map[string]string {
	return map[string]string{
		"pd-ALARM":   `{"event_action":"trigger","dedup_key":<arn>,"client":"slocatalog","payload":{"summary":"<alarm> is in ALARM","severity":"critical","source":"<account>/<region>","timestamp":<time>,"component":"shop","custom_details":{"reason":<reason>,"service":"shop"}},"links":[{"href":"https://runbooks.example/shop","text":"Runbook"}]}`,
		"pd-OK":      `{"event_action":"resolve","dedup_key":<arn>}`,
		"og-ALARM":   `{"message":"<alarm> is in ALARM","alias":<arn>,"description":<reason>,"priority":"P1","source":"slocatalog","tags":["shop","page"],"details":{"service":"shop","account":<account>,"region":<region>}}`,
		"og-OK":      `{"source":"slocatalog","note":<reason>}`,
		"chat-ALARM": `{"channel":"C0SHOPALERTS","text":":rotating_light: [page] <alarm> is <state>","attachments":[{"text":<reason>}]}`,
		"chat-OK":    `{"channel":"C0SHOPALERTS","text":":white_check_mark: [page] <alarm> is <state>","attachments":[{"text":<reason>}]}`,
		"mail-ALARM": "\"[page] <alarm> is <state> at <time> (<account>, <region>).\"\n\"Reason: <reason>\"\n\"Service: shop, owner team-shop.\"",
		"mail-OK":    "\"[page] <alarm> is <state> at <time> (<account>, <region>).\"\n\"Reason: <reason>\"\n\"Service: shop, owner team-shop.\"",
	}
}

// writeFixture writes the routing and service stacks of the fixture, with
// the given input templates; edit may change a template before it is
// written.
func writeFixture(t *testing.T, templates map[string]string, edit func(routing, service map[string]any)) string {
	t.Helper()
	secret := func(id string) string { return "{{resolve:secretsmanager:" + id + ":SecretString}}" }
	conn := func(name, value string, body ...map[string]any) map[string]any {
		auth := map[string]any{"ApiKeyAuthParameters": map[string]any{"ApiKeyName": name, "ApiKeyValue": value}}
		if len(body) > 0 {
			var l []any
			for _, b := range body {
				l = append(l, b)
			}
			auth["InvocationHttpParameters"] = map[string]any{"BodyParameters": l}
		}
		return map[string]any{"Type": "AWS::Events::Connection", "Properties": map[string]any{"AuthorizationType": "API_KEY", "AuthParameters": auth}}
	}
	dest := func(conn, endpoint string) map[string]any {
		return map[string]any{"Type": "AWS::Events::ApiDestination", "Properties": map[string]any{
			"ConnectionArn": map[string]any{"Fn::GetAtt": []any{conn, "Arn"}}, "HttpMethod": "POST", "InvocationEndpoint": endpoint}}
	}
	routing := map[string]any{
		"Resources": map[string]any{
			"pdconn":  conn("X-Route", "pd", map[string]any{"Key": "routing_key", "Value": secret("acme/pd"), "IsValueSecret": true}),
			"pddest":  dest("pdconn", "https://events.pagerduty.com/v2/enqueue"),
			"ogconn":  conn("Authorization", "GenieKey "+secret("acme/og")),
			"ogdest":  dest("ogconn", "https://api.eu.opsgenie.com/v2/alerts"),
			"ogclose": dest("ogconn", "https://api.eu.opsgenie.com/v2/alerts/*/close?identifierType=alias"),
			"slconn":  conn("Authorization", "Bearer "+secret("acme/slack")),
			"sldest":  dest("slconn", "https://slack.com/api/chat.postMessage"),
			"topic":   map[string]any{"Type": "AWS::SNS::Topic", "Properties": map[string]any{}},
		},
		"Outputs": map[string]any{},
	}
	export := func(id string, value any) {
		routing["Outputs"].(map[string]any)[id] = map[string]any{"Value": value, "Export": map[string]any{"Name": "acme-prod-routing:" + id}}
	}
	for _, id := range []string{"pddest", "ogdest", "ogclose", "sldest"} {
		export(id, map[string]any{"Fn::GetAtt": []any{id, "Arn"}})
	}
	export("topic", map[string]any{"Ref": "topic"})

	paths := map[string]any{"alarm": "$.detail.alarmName", "state": "$.detail.state.value", "reason": "$.detail.state.reason",
		"arn": "$.resources[0]", "time": "$.time", "account": "$.account", "region": "$.region"}
	resources := map[string]any{}
	for _, state := range []string{"ALARM", "OK"} {
		var targets []any
		for _, route := range []string{"pd", "og", "chat", "mail"} {
			arn := map[string]string{"pd": "pddest", "og": "ogdest", "chat": "sldest", "mail": "topic"}[route]
			if route == "og" && state == "OK" {
				arn = "ogclose"
			}
			tg := map[string]any{
				"Id":               route,
				"Arn":              map[string]any{"Fn::ImportValue": "acme-prod-routing:" + arn},
				"InputTransformer": map[string]any{"InputPathsMap": paths, "InputTemplate": templates[route+"-"+state]},
			}
			if arn == "ogclose" {
				tg["HttpParameters"] = map[string]any{"PathParameterValues": []any{"$.resources[0]"}}
			}
			targets = append(targets, tg)
		}
		resources["route"+state] = map[string]any{"Type": "AWS::Events::Rule", "Properties": map[string]any{
			"Name": "acme-prod-shop-page-" + state,
			"EventPattern": map[string]any{"source": []any{"aws.cloudwatch"}, "detail-type": []any{"CloudWatch Alarm State Change"},
				"detail": map[string]any{"alarmName": []any{"acme-prod-shop--page"}, "state": map[string]any{"value": []any{state}}}},
			"Targets": targets,
		}}
	}
	service := map[string]any{"Resources": resources}
	if edit != nil {
		edit(routing, service)
	}
	dir := t.TempDir()
	for name, tpl := range map[string]any{"acme-prod-routing": routing, "acme-prod-shop": service} {
		b, err := json.MarshalIndent(tpl, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".template.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fixtureProblems runs the harness over a fixture and returns every
// problem, by delivery.
func fixtureProblems(t *testing.T, dir string) map[string][]string {
	t.Helper()
	a, err := loadAssembly(dir, fixturePlan())
	if err != nil {
		t.Fatal(err)
	}
	ds, problems := deliveries(a)
	out := map[string][]string{}
	if len(problems) > 0 {
		out["(assembly)"] = problems
	}
	srv := newReceiver(ds)
	defer srv.Close()
	for _, d := range ds {
		if p := deliver(srv, d); len(p) > 0 {
			out[d.kind+" "+d.state] = p
		}
	}
	if len(ds) != 8 {
		t.Errorf("%d deliveries, want 8", len(ds))
	}
	return out
}

// TestHarnessPassesGoodPayloads: payloads built by the rules pass every
// contract, so the harness cannot fail a correct design.
func TestHarnessPassesGoodPayloads(t *testing.T) {
	for k, p := range fixtureProblems(t, writeFixture(t, goodTemplates(), nil)) {
		t.Errorf("%s: %s", k, strings.Join(p, "\n\t"))
	}
}

// TestHarnessCatches: each way of breaking a contract is reported for the
// delivery it breaks.
func TestHarnessCatches(t *testing.T) {
	for _, c := range []struct {
		name, delivery, want string
		template             func(map[string]string)
		edit                 func(routing, service map[string]any)
	}{
		{name: "reason inside a JSON string", delivery: "opsgenie ALARM", want: "invalid JSON",
			template: func(m map[string]string) {
				m["og-ALARM"] = strings.Replace(m["og-ALARM"], `"description":<reason>`, `"description":"<reason>"`, 1)
			}},
		{name: "json.Marshal escapes", delivery: "pagerduty OK", want: "placeholder <arn>",
			template: func(m map[string]string) { m["pd-OK"] = `{"event_action":"resolve","dedup_key":"\u003carn\u003e"}` }},
		{name: "dedup key not the ARN", delivery: "pagerduty OK", want: "want the alarm ARN",
			template: func(m map[string]string) { m["pd-OK"] = `{"event_action":"resolve","dedup_key":"<alarm>"}` }},
		{name: "wrong event action", delivery: "pagerduty OK", want: "event_action",
			template: func(m map[string]string) { m["pd-OK"] = `{"event_action":"trigger","dedup_key":<arn>}` }},
		{name: "severity outside the enum", delivery: "pagerduty ALARM", want: "payload.severity",
			template: func(m map[string]string) {
				m["pd-ALARM"] = strings.Replace(m["pd-ALARM"], `"critical"`, `"page"`, 1)
			}},
		{name: "undefined variable", delivery: "slack ALARM", want: "undefined variable",
			template: func(m map[string]string) {
				m["chat-ALARM"] = strings.Replace(m["chat-ALARM"], "<state>", "<status>", 1)
			}},
		{name: "Slack without channel", delivery: "slack OK", want: "channel missing",
			template: func(m map[string]string) { m["chat-OK"] = `{"text":"<alarm> is <state>"}` }},
		{name: "email with a literal newline escape", delivery: "email ALARM", want: `literal \n`,
			template: func(m map[string]string) { m["mail-ALARM"] = `"[page] <alarm> is <state>.\nReason: <reason>"` }},
		{name: "Opsgenie message too long", delivery: "opsgenie ALARM", want: "at most 130",
			template: func(m map[string]string) {
				m["og-ALARM"] = strings.Replace(m["og-ALARM"], `is in ALARM`, "is in ALARM "+strings.Repeat("x", 120), 1)
			}},
		{name: "Slack webhook in the endpoint", delivery: "slack ALARM,slack OK", want: "DescribeApiDestination",
			edit: func(routing, _ map[string]any) {
				d := routing["Resources"].(map[string]any)["sldest"].(map[string]any)["Properties"].(map[string]any)
				d["InvocationEndpoint"] = "{{resolve:secretsmanager:acme/slack-webhook:SecretString}}"
			}},
		{name: "routing key missing", delivery: "pagerduty ALARM,pagerduty OK", want: "routing_key missing",
			edit: func(routing, _ map[string]any) {
				c := routing["Resources"].(map[string]any)["pdconn"].(map[string]any)["Properties"].(map[string]any)
				delete(c["AuthParameters"].(map[string]any), "InvocationHttpParameters")
			}},
		{name: "close without its path parameter", delivery: "opsgenie OK", want: "path wildcards",
			edit: func(_, service map[string]any) {
				rule := service["Resources"].(map[string]any)["routeOK"].(map[string]any)["Properties"].(map[string]any)
				for _, tg := range rule["Targets"].([]any) {
					delete(tg.(map[string]any), "HttpParameters")
				}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tpl := goodTemplates()
			if c.template != nil {
				c.template(tpl)
			}
			got := fixtureProblems(t, writeFixture(t, tpl, c.edit))
			want := strings.Split(c.delivery, ",")
			for _, w := range want {
				if p, ok := got[w]; !ok || !strings.Contains(strings.Join(p, "\n"), c.want) {
					t.Errorf("want a problem of %s containing %q; got %q", w, c.want, got)
				}
			}
			for k := range got {
				if !slices.Contains(want, k) {
					t.Errorf("unexpected problems of %s: %q", k, got[k])
				}
			}
		})
	}
}
