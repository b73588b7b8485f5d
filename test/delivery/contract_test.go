package delivery

// The receivers' contracts, from their API documentation:
//
// PagerDuty Events API v2, https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
// and https://github.com/PagerDuty/api-schema/blob/main/reference/events-v2/openapiv3.json:
// POST https://events.pagerduty.com/v2/enqueue, a JSON object with
// routing_key (the 32-character integration key), event_action
// trigger|acknowledge|resolve, dedup_key (at most 255 characters; a resolve
// must carry the trigger's), and for a trigger payload.summary (at most
// 1,024), payload.severity critical|error|warning|info, payload.source and
// payload.timestamp (ISO 8601); custom_details is any object, links a list
// of {href, text}.
//
// Opsgenie Alert API, https://docs.opsgenie.com/docs/alert-api: create is
// POST /v2/alerts with "Authorization: GenieKey KEY": message (required, at
// most 130 characters), alias (512), description (15,000), priority P1-P5,
// tags (20 of 50 characters), details (an object of strings), entity (512),
// source and user (100), note (25,000). Close is POST
// /v2/alerts/{identifier}/close?identifierType=alias with an optional body
// of user, source and note.
//
// Slack chat.postMessage, https://api.slack.com/methods/chat.postMessage:
// POST https://slack.com/api/chat.postMessage, "Authorization: Bearer
// TOKEN" (required for JSON bodies:
// https://api.slack.com/changelog/2017-10-keeping-up-with-the-jsons), a JSON
// body with channel and text (the text every notification shows). The
// EventBridge partner page says the same: "ensure that the payload sent to
// the Slack API has 'channel' and 'text' key/value pairs",
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destination-partners.html#eb-api-destination-slack
//
// SNS email: the subscriber reads the message text as delivered, so it must
// read as text: no placeholder, no \n or \u003c escape shown literally,
// and it names the alarm and its state.
//
// Every payload: no <placeholder> left unfilled and no \u003c escape.

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slocatalog/slocatalog/internal/eventbridge"
)

// received is a request as its receiver sees it.
type received struct {
	method string
	url    *url.URL // as addressed: https://host/path?query
	header http.Header
	body   []byte
}

var (
	leftPlaceholder = regexp.MustCompile(`<[A-Za-z0-9_.\-]+>`)
	escapedAngle    = regexp.MustCompile(`(?i)\\u003[ce]`)
)

// payload is the input EventBridge gives the target for the delivery's
// event, or the problems that stop it.
func payload(d *delivery) ([]byte, []string) {
	switch {
	case d.transformer != nil:
		if err := d.transformer.Check(); err != nil {
			return nil, []string{"PutTargets would refuse the input transformer: " + err.Error()}
		}
		out, err := d.transformer.Apply(d.event, d.rule)
		var inv *eventbridge.InvalidJSONError
		if errors.As(err, &inv) {
			return nil, []string{fmt.Sprintf("EventBridge would deliver invalid JSON (%v) for a reason holding quotes: %s", inv.Err, clip(inv.Output))}
		}
		if err != nil {
			return nil, []string{err.Error()}
		}
		return out, nil
	case d.input != nil:
		return d.input, nil
	case d.inputPath != "":
		p, err := eventbridge.ParsePath(d.inputPath)
		if err != nil {
			return nil, []string{err.Error()}
		}
		ev, _ := eventbridge.DecodeJSON(d.event)
		v, ok := p.Lookup(ev)
		if !ok {
			return nil, []string{"InputPath " + d.inputPath + " is not in the event"}
		}
		b, _ := eventbridge.Marshal(v)
		return b, nil
	}
	return d.event, nil
}

// request is the HTTP request that reaches the receiver (for an SNS topic,
// the message as a text/plain POST, standing in for the email).
func request(d *delivery, body []byte) (*http.Request, []string) {
	if d.dest == nil {
		req, err := http.NewRequest(http.MethodPost, "https://email.invalid/"+url.PathEscape(d.name), bytes.NewReader(body))
		if err != nil {
			return nil, []string{err.Error()}
		}
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
		return req, nil
	}
	var problems []string
	if strings.Contains(d.endpointRaw, "{{resolve:") {
		problems = append(problems, fmt.Sprintf("InvocationEndpoint %s is a secret resolved into a property that DescribeApiDestination shows", d.endpointRaw))
	}
	u, err := url.Parse(d.dest.Endpoint)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, append(problems, fmt.Sprintf("InvocationEndpoint %s is not an https URL of the %s API; nothing can be delivered", d.endpointRaw, d.kind))
	}
	req, err := eventbridge.NewRequest(d.dest, d.hp, d.event, body)
	if err != nil {
		return nil, append(problems, err.Error())
	}
	return req, problems
}

// check holds a received request to its receiver's contract.
func check(d *delivery, r *received) []string {
	var p []string
	bad := func(format string, a ...any) { p = append(p, fmt.Sprintf(format, a...)) }
	if escapedAngle.Match(r.body) {
		bad("body has a \\u003c/\\u003e escape, so EventBridge filled no placeholder: %s", clip(r.body))
	}
	if d.kind == email {
		checkEmail(d, string(r.body), bad)
		return p
	}
	if r.method != http.MethodPost {
		bad("method %s, want POST", r.method)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		bad("Content-Type %q, want application/json", ct)
	}
	v, err := eventbridge.DecodeJSON(r.body)
	if err != nil {
		bad("body is not JSON (%v): %s", err, clip(r.body))
		return p
	}
	body, ok := v.(map[string]any)
	if !ok {
		bad("body is not a JSON object: %s", clip(r.body))
		return p
	}
	walkStrings(v, "", func(path, s string) {
		if m := leftPlaceholder.FindString(s); m != "" {
			bad("%s still holds the placeholder %s: %q", path, m, clip([]byte(s)))
		}
	})
	switch d.kind {
	case pagerDuty:
		checkPagerDuty(d, r, body, bad)
	case opsgenie:
		checkOpsgenie(d, r, body, bad)
	case slack:
		checkSlack(d, r, body, bad)
	}
	return p
}

func checkPagerDuty(d *delivery, r *received, body map[string]any, bad func(string, ...any)) {
	if u := r.url; u.Scheme != "https" || (u.Host != "events.pagerduty.com" && u.Host != "events.eu.pagerduty.com") || u.Path != "/v2/enqueue" {
		bad("endpoint %s, want https://events.pagerduty.com/v2/enqueue", u)
	}
	key, _ := body["routing_key"].(string)
	switch {
	case key == "":
		bad("routing_key missing from the body (the connection's body parameters must add it)")
	case d.route != nil && d.route.Secret != "" && key != (secrets{}).value(d.route.Secret):
		bad("routing_key %q is not the value of secret %s", key, d.route.Secret)
	case len(key) != 32:
		bad("routing_key %q is not 32 characters", key)
	}
	want := map[string]string{"ALARM": "trigger", "OK": "resolve"}[d.state]
	if a, _ := body["event_action"].(string); a != want {
		bad("event_action %q on %s, want %q", a, d.state, want)
	}
	dedup, _ := body["dedup_key"].(string)
	if dedup != d.alarmARN {
		bad("dedup_key %q, want the alarm ARN %s", dedup, d.alarmARN)
	}
	if n := utf8.RuneCountInString(dedup); n > 255 {
		bad("dedup_key of %d characters, at most 255", n)
	}
	if want != "trigger" {
		return
	}
	pl, ok := body["payload"].(map[string]any)
	if !ok {
		bad("payload missing or not an object")
		return
	}
	summary, _ := pl["summary"].(string)
	switch n := utf8.RuneCountInString(summary); {
	case n == 0:
		bad("payload.summary missing")
	case n > 1024:
		bad("payload.summary of %d characters, at most 1024", n)
	case !strings.Contains(summary, d.alarm):
		bad("payload.summary %q does not name the alarm %s", summary, d.alarm)
	}
	switch s, _ := pl["severity"].(string); s {
	case "critical", "error", "warning", "info":
	default:
		bad("payload.severity %q, want critical, error, warning or info", s)
	}
	if s, _ := pl["source"].(string); s == "" {
		bad("payload.source missing")
	}
	ts, _ := pl["timestamp"].(string)
	if !iso8601(ts) {
		bad("payload.timestamp %q is not an ISO 8601 date-time", ts)
	}
	if cd, ok := pl["custom_details"]; ok {
		if _, isObj := cd.(map[string]any); !isObj {
			bad("payload.custom_details is not an object")
		}
	}
	if links, ok := body["links"]; ok {
		l, _ := links.([]any)
		for i, e := range l {
			if m, _ := e.(map[string]any); m == nil || m["href"] == nil {
				bad("links[%d] has no href", i)
			}
		}
	}
}

func checkOpsgenie(d *delivery, r *received, body map[string]any, bad func(string, ...any)) {
	host := "api.opsgenie.com"
	if d.route != nil && d.route.Region == "eu" {
		host = "api.eu.opsgenie.com"
	}
	if r.url.Scheme != "https" || r.url.Host != host {
		bad("endpoint %s, want https://%s", r.url, host)
	}
	if d.route != nil && d.route.Secret != "" {
		if a, want := r.header.Get("Authorization"), "GenieKey "+(secrets{}).value(d.route.Secret); a != want {
			bad("Authorization %q, want %q (the GenieKey from secret %s)", a, want, d.route.Secret)
		}
	} else if a := r.header.Get("Authorization"); !strings.HasPrefix(a, "GenieKey ") {
		bad("Authorization %q, want GenieKey KEY", a)
	}
	limit := func(field string, n int) {
		if v, ok := body[field]; ok {
			s, isStr := v.(string)
			if !isStr {
				bad("%s is not a string", field)
			} else if c := utf8.RuneCountInString(s); c > n {
				bad("%s of %d characters, at most %d", field, c, n)
			}
		}
	}
	limit("user", 100)
	limit("source", 100)
	limit("note", 25000)
	if d.state == "OK" {
		m := regexp.MustCompile(`^/v2/alerts/(.+)/close$`).FindStringSubmatch(r.url.Path)
		if m == nil {
			bad("endpoint %s on OK, want POST /v2/alerts/{alias}/close?identifierType=alias", r.url)
		} else if m[1] != d.alarmARN {
			bad("closes alert %q, want the alias %s (the alarm ARN)", m[1], d.alarmARN)
		}
		if it := r.url.Query().Get("identifierType"); it != "alias" {
			bad("identifierType %q on close, want alias", it)
		}
		return
	}
	if r.url.Path != "/v2/alerts" {
		bad("endpoint %s on ALARM, want POST /v2/alerts", r.url)
	}
	msg, _ := body["message"].(string)
	switch n := utf8.RuneCountInString(msg); {
	case n == 0:
		bad("message missing")
	case n > 130:
		bad("message of %d characters, at most 130: %q", n, msg)
	case !strings.Contains(msg, d.alarm):
		bad("message %q does not name the alarm %s", msg, d.alarm)
	}
	if alias, _ := body["alias"].(string); alias != d.alarmARN {
		bad("alias %q, want the alarm ARN %s", alias, d.alarmARN)
	}
	limit("alias", 512)
	limit("description", 15000)
	limit("entity", 512)
	if pr, ok := body["priority"]; ok {
		if s, _ := pr.(string); !regexp.MustCompile(`^P[1-5]$`).MatchString(s) {
			bad("priority %v, want P1 to P5", pr)
		}
	}
	if tags, ok := body["tags"]; ok {
		l, isList := tags.([]any)
		if !isList || len(l) > 20 {
			bad("tags %v: a list of at most 20", tags)
		}
		for _, tg := range l {
			if s, _ := tg.(string); s == "" || utf8.RuneCountInString(s) > 50 {
				bad("tag %v: a string of 1 to 50 characters", tg)
			}
		}
	}
	if det, ok := body["details"]; ok {
		m, isObj := det.(map[string]any)
		if !isObj {
			bad("details is not an object")
		}
		for k, v := range m {
			if _, isStr := v.(string); !isStr {
				bad("details.%s is not a string", k)
			}
		}
	}
}

func checkSlack(d *delivery, r *received, body map[string]any, bad func(string, ...any)) {
	if u := r.url; u.Scheme != "https" || u.Host != "slack.com" || u.Path != "/api/chat.postMessage" {
		bad("endpoint %s, want https://slack.com/api/chat.postMessage", u)
	}
	if a := r.header.Get("Authorization"); !strings.HasPrefix(a, "Bearer ") || len(strings.TrimSpace(strings.TrimPrefix(a, "Bearer "))) == 0 {
		bad("Authorization %q, want Bearer TOKEN (the bot token, from the connection)", a)
	}
	ch, _ := body["channel"].(string)
	if ch == "" {
		bad("channel missing")
	} else if want := routeChannel(d); want != "" && ch != want {
		bad("channel %q, want the route's channel %q", ch, want)
	}
	text, _ := body["text"].(string)
	switch {
	case text == "":
		bad("text missing")
	case !strings.Contains(text, d.alarm) || !strings.Contains(text, d.state):
		bad("text %q does not name the alarm %s and its state %s", text, d.alarm, d.state)
	}
}

func checkEmail(d *delivery, text string, bad func(string, ...any)) {
	if m := leftPlaceholder.FindString(text); m != "" {
		bad("email text still holds the placeholder %s: %s", m, clip([]byte(text)))
	}
	if strings.Contains(text, `\n`) {
		bad("email text shows a literal \\n: %s", clip([]byte(text)))
	}
	if !strings.Contains(text, d.alarm) || !strings.Contains(text, d.state) {
		bad("email text does not name the alarm %s and its state %s: %s", d.alarm, d.state, clip([]byte(text)))
	}
}

// routeChannel is the Slack channel the catalog gives the delivery's
// route, read by name so that the check works before and after the route
// plan has such a field.
func routeChannel(d *delivery) string {
	if d.route == nil {
		return ""
	}
	f := reflect.ValueOf(d.route).Elem().FieldByName("Channel")
	if !f.IsValid() || f.Kind() != reflect.String {
		return ""
	}
	return f.String()
}

// iso8601 accepts RFC 3339 and the offset without a colon that PagerDuty's
// own example uses (2015-07-17T08:42:58.315+0000).
func iso8601(s string) bool {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

func walkStrings(v any, path string, f func(path, s string)) {
	switch x := v.(type) {
	case string:
		f(path, x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkStrings(x[k], strings.TrimPrefix(path+"."+k, "."), f)
		}
	case []any:
		for i, e := range x {
			walkStrings(e, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

func clip(b []byte) string {
	const n = 300
	if r := []rune(string(b)); len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(b)
}
