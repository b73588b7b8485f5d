package eventbridge

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// docEvent is the EC2 example event of the input transformation page
// (eb-transform-target-input, "Input transform examples").
const docEvent = `{
  "version": "0",
  "id": "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "123456789012",
  "time": "2015-11-11T21:29:54Z",
  "region": "us-east-1",
  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  "detail": {"instance-id": "i-0123456789", "state": "RUNNING"}
}`

// docPaths is the page's Input Path, with the resources[0] entry it adds.
var docPaths = map[string]string{
	"timestamp": "$.time",
	"instance":  "$.detail.instance-id",
	"state":     "$.detail.state",
	"resource":  "$.resources[0]",
}

var docContext = Context{
	RuleARN:       "arn:aws:events:us-east-2:123456789012:rule/example",
	RuleName:      "example",
	IngestionTime: time.Date(2015, 11, 11, 21, 29, 55, 0, time.UTC),
}

func apply(t *testing.T, paths map[string]string, template, event string) string {
	t.Helper()
	tr := &Transformer{InputPathsMap: paths, InputTemplate: template}
	if err := tr.Check(); err != nil {
		t.Fatalf("Check(%s): %v", template, err)
	}
	out, err := tr.Apply([]byte(event), docContext)
	if err != nil {
		t.Fatalf("Apply(%s): %v", template, err)
	}
	return string(out)
}

// TestDocumentedExamples runs the rows of the page's example table (the
// template column) and compares with its output column, minified as the
// page says targets receive JSON.
func TestDocumentedExamples(t *testing.T) {
	for _, c := range []struct{ name, template, want string }{
		{"simple string", `"instance <instance> is in <state>"`, `"instance i-0123456789 is in RUNNING"`},
		{"string with escaped quotes", `"instance \"<instance>\" is in <state>"`, `"instance \"i-0123456789\" is in RUNNING"`},
		{"simple JSON", `{"instance" : <instance>, "state": <state>}`, `{"instance":"i-0123456789","state":"RUNNING"}`},
		{"JSON with strings and variables",
			`{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \"<instance>\" is in <state>"}`,
			`{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \"i-0123456789\" is in RUNNING"}`},
		{"JSON with a mix of variables and static information",
			`{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}`,
			`{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}`},
		{"reserved variables in a string", `"<aws.events.rule-name> triggered"`, `"example triggered"`},
		{"array index", `{"r": <resource>}`, `{"r":"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"}`},
		{"bare text (API reference)", `<instance> is in state <state>`, `i-0123456789 is in state RUNNING`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := apply(t, docPaths, c.template, docEvent); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestReservedVariablesInJSON is the page's "Including reserved variables
// in JSON" row: the event variables are objects, aws.events.event without
// the detail.
func TestReservedVariablesInJSON(t *testing.T) {
	got := apply(t, docPaths, `{"instance": <instance>, "ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>, "at": <aws.events.event.ingestion-time>, "originalEvent": <aws.events.event>, "full": <aws.events.event.json>}`, docEvent)
	var v struct {
		Instance, RuleArn, RuleName, At string
		OriginalEvent, Full             map[string]any
	}
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatalf("%v: %s", err, got)
	}
	if v.RuleArn != docContext.RuleARN || v.RuleName != "example" || v.At != "2015-11-11T21:29:55Z" {
		t.Errorf("reserved variables: %+v", v)
	}
	if _, ok := v.OriginalEvent["detail"]; ok || v.OriginalEvent["id"] != "7bf73129-1428-4cd3-a780-95db273d1602" {
		t.Errorf("aws.events.event must be the event without its detail: %v", v.OriginalEvent)
	}
	if _, ok := v.Full["detail"]; !ok {
		t.Errorf("aws.events.event.json must be the whole event: %v", v.Full)
	}
}

// A string value with a quote and a backslash: bare in a JSON value
// position it arrives as a valid JSON string holding exactly that text;
// inside quotes it is inserted unescaped ("EventBridge doesn't escape
// values extracted by Input Path"), which is not JSON.
func TestQuotesInValues(t *testing.T) {
	event := `{"detail":{"reason":"threshold \"p99 > 300 ms\" crossed at C:\\probe"}}`
	paths := map[string]string{"reason": "$.detail.reason"}
	want := `threshold "p99 > 300 ms" crossed at C:\probe`

	got := apply(t, paths, `{"description": <reason>}`, event)
	var v struct{ Description string }
	if err := json.Unmarshal([]byte(got), &v); err != nil || v.Description != want {
		t.Errorf("bare: %s (%v), want description %q", got, err, want)
	}

	tr := &Transformer{InputPathsMap: paths, InputTemplate: `{"description": "<reason>"}`}
	out, err := tr.Apply([]byte(event), docContext)
	var inv *InvalidJSONError
	if !errors.As(err, &inv) {
		t.Fatalf("quoted: want an InvalidJSONError, got %v: %s", err, out)
	}
	if string(inv.Output) != `{"description": "`+want+`"}` {
		t.Errorf("quoted: output %s", inv.Output)
	}

	if got := apply(t, paths, `"Reason: <reason>"`, event); got != `"Reason: `+want+`"` {
		t.Errorf("string template: %s", got)
	}
}

// "If a JSON path references a JSON object or array, but the variable is
// referenced in a string, EventBridge removes any internal quotes".
func TestObjectInString(t *testing.T) {
	got := apply(t, map[string]string{"detail": "$.detail"}, `"Detail is <detail>"`, `{"detail":{"key1":"value1","n":2}}`)
	if got != `"Detail is {key1:value1,n:2}"` {
		t.Errorf("got %s", got)
	}
	got = apply(t, map[string]string{"detail": "$.detail"}, `{"detail": <detail>}`, `{"detail":{"key1":"value1","n":2}}`)
	if got != `{"detail":{"key1":"value1","n":2}}` {
		t.Errorf("got %s", got)
	}
}

// A missing path: the variable "isn't created and won't appear in the
// output" (an empty string in a string template, as AWS delivers it).
func TestMissingPath(t *testing.T) {
	got := apply(t, map[string]string{"x": "$.detail.nothere", "s": "$.detail.state"}, `"state <s>, x <x>"`, docEvent)
	if got != `"state RUNNING, x "` {
		t.Errorf("got %s", got)
	}
}

// json.Marshal's \u003c escapes are not placeholders: EventBridge fills
// only literal <name>, so they arrive as the text "<arn>".
func TestEscapedPlaceholderStaysLiteral(t *testing.T) {
	got := apply(t, map[string]string{"arn": "$.resources[0]"}, `{"dedup_key":"\u003carn\u003e","a":<arn>}`, docEvent)
	var v map[string]string
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatal(err)
	}
	if v["dedup_key"] != "<arn>" || v["a"] != "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111" {
		t.Errorf("got %v", v)
	}
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		name     string
		paths    map[string]string
		template string
		want     string
	}{
		{"undefined", nil, `"<nothere>"`, "undefined variable"},
		{"object key", map[string]string{"k": "$.id"}, `{<k>: 1}`, "object key"},
		{"event in a string", nil, `"event <aws.events.event>"`, "only be a JSON field's value"},
		{"bracket key", map[string]string{"k": "$['id']"}, `"<k>"`, "bracket keys"},
		{"bad key", map[string]string{"a.b": "$.id"}, `"x"`, "not allowed"},
		{"not JSON", map[string]string{"k": "$.id"}, `{"a": <k>,}`, "not JSON"},
		{"too long", nil, `"` + strings.Repeat("x", MaxTemplateLength) + `"`, "characters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := (&Transformer{InputPathsMap: c.paths, InputTemplate: c.template}).Check()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Check: %v, want an error containing %q", err, c.want)
			}
		})
	}
	// A Slack link is text, not a placeholder.
	if err := (&Transformer{InputTemplate: `{"text": "see <https://x.example/a|Runbook>"}`}).Check(); err != nil {
		t.Errorf("Slack link: %v", err)
	}
}

func TestPaths(t *testing.T) {
	ev, err := DecodeJSON([]byte(`{"a":{"b-c":[{"d":1},{"d":2}],"e/f":"g"},"n":1.50}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{"$.a.b-c[1].d", "2"},
		{"$.a.e/f", `"g"`},
		{"$.a.b-c[*].d", "[1,2]"},
		{"$.a.b-c.*.d", "[1,2]"},
		{"$.n", "1.50"},
		{"$", `{"a":{"b-c":[{"d":1},{"d":2}],"e/f":"g"},"n":1.50}`},
	} {
		p, err := ParsePath(c.path)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		v, ok := p.Lookup(ev)
		b, _ := Marshal(v)
		if !ok || string(b) != c.want {
			t.Errorf("%s = %s (%v), want %s", c.path, b, ok, c.want)
		}
	}
	for _, bad := range []string{"detail", "$.a[x]", "$..a", "$.a[-1]", "$.a b"} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) should fail", bad)
		}
	}
}

func TestNewRequest(t *testing.T) {
	event := []byte(`{"resources":["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a/b c"]}`)
	d := &Destination{
		Endpoint: "https://api.example.com/v2/alerts/*/close?identifierType=alias",
		Connection: &Connection{
			AuthorizationType: AuthAPIKey, APIKeyName: "Authorization", APIKeyValue: "GenieKey k",
			Headers: []Parameter{{"X-Conn", "c"}}, QueryString: []Parameter{{"q", "conn"}},
			Body: []Parameter{{"routing_key", "rk"}},
		},
	}
	hp := &HTTPParameters{PathParameterValues: []string{"$.resources[0]"}, Headers: map[string]string{"X-Conn": "target", "X-T": "t"}, QueryString: map[string]string{"q": "target"}}
	req, err := NewRequest(d, hp, event, []byte(`{"note":"x","routing_key":"from-template"}`))
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.URL.Path != "/v2/alerts/arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a/b c/close" ||
		req.URL.EscapedPath() != "/v2/alerts/arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a%2Fb%20c/close" {
		t.Errorf("URL %s %s", req.Method, req.URL)
	}
	if q := req.URL.Query(); q.Get("identifierType") != "alias" || q.Get("q") != "conn" {
		t.Errorf("query %v", q)
	}
	h := req.Header
	if h.Get("Authorization") != "GenieKey k" || h.Get("X-Conn") != "c" || h.Get("X-T") != "t" || h.Get("Content-Type") != ContentType || h.Get("User-Agent") != UserAgent {
		t.Errorf("headers %v", h)
	}
	b, _ := io.ReadAll(req.Body)
	if string(b) != `{"note":"x","routing_key":"rk"}` {
		t.Errorf("body %s", b)
	}
	if _, err := NewRequest(d, &HTTPParameters{}, event, []byte(`"text"`)); err == nil {
		t.Error("wildcard without a path parameter value should fail")
	}
	d.Endpoint = "https://api.example.com/v2/alerts"
	if _, err := NewRequest(d, nil, event, []byte(`"text"`)); err == nil || !strings.Contains(err.Error(), "not a JSON object") {
		t.Errorf("body parameters on a string body: %v", err)
	}
}
