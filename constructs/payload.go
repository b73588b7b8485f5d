package constructs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/slocatalog/slocatalog/plan"
)

// PayloadProps is what one routing target tells its receiver about one
// roll-up alarm.
type PayloadProps struct {
	// Route is the receiver: its type decides the payload's shape.
	Route *plan.Route
	// Env, Account and Region are where the alarm lives.
	Env, Account, Region string
	// Service is the service whose roll-up alarm this is.
	Service *plan.Service
	// Severity is page or ticket.
	Severity string
	// Alarm is the roll-up alarm's name; the rule matches only this alarm.
	Alarm string
	// Resolve is true for the rule that fires when the alarm returns to OK.
	Resolve bool
}

// Placeholders are filled by EventBridge from the event (see eventPaths).
// EventBridge never escapes what it inserts inside a quoted string, and
// fills only literal <name> placeholders ("<" and ">" cannot be escaped):
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
// So a payload puts the ARN and time (which hold no quote or backslash)
// inside strings, and the free-text reason only as a bare JSON value, which
// EventBridge quotes itself.
//
// In Go the placeholders are NUL-framed names, which survive JSON encoding
// as \u0000name\u0000 and which no catalog text can hold (the YAML reader
// refuses control characters); jsonText turns them into <name> last.
const (
	placeholderArn    = "\x00arn\x00"
	placeholderTime   = "\x00time\x00"
	placeholderReason = "\x00reason\x00"
)

// placeholders are the names of every placeholder a payload may use.
var placeholders = []string{"arn", "time", "reason"}

// bare marks a placeholder that the template writes as a bare JSON value,
// without quotes, for EventBridge to fill with a quoted JSON string.
type bare string

// Receiver limits, from their API references.
const (
	opsgenieMessageMax  = 130  // https://docs.opsgenie.com/docs/alert-api
	pagerDutySummaryMax = 1024 // https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
)

// Payload is the input-transformer template for one route: the body the
// receiver's API expects, with the event's values as placeholders.
//   - PagerDuty Events API v2: https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
//     (routing_key is added to the body by the connection)
//   - Opsgenie Alert API, create and close by alias: https://docs.opsgenie.com/docs/alert-api
//   - Slack chat.postMessage: https://api.slack.com/methods/chat.postMessage
//   - email (SNS): one quoted string per line, the multi-line text form.
func Payload(p PayloadProps) string {
	svc := p.Service
	state, icon := "ALARM", ":rotating_light:"
	if p.Resolve {
		state, icon = "OK", ":white_check_mark:"
	}
	console := AlarmConsoleURL(p.Region, p.Alarm)
	headline := fmt.Sprintf("[%s] %s is %s: service %s (owner %s) in %s", p.Severity, p.Alarm, state, svc.Name, svc.Owner, p.Env)
	details := map[string]any{
		"service":     svc.Name,
		"owner":       svc.Owner,
		"environment": p.Env,
		"alarm":       p.Alarm,
		"console":     console,
	}
	if svc.Runbook != "" {
		details["runbook"] = svc.Runbook
	}
	var body any
	switch p.Route.Type {
	case "pagerduty":
		if p.Resolve {
			body = map[string]any{"event_action": "resolve", "dedup_key": placeholderArn}
			break
		}
		custom := map[string]any{"reason": bare(placeholderReason)}
		for key, detail := range details {
			custom[key] = detail
		}
		links := []any{map[string]any{"href": console, "text": "CloudWatch alarm"}}
		if svc.Runbook != "" {
			links = append([]any{map[string]any{"href": svc.Runbook, "text": "Runbook"}}, links...)
		}
		body = map[string]any{
			"event_action": "trigger",
			"dedup_key":    placeholderArn,
			"client":       "slocatalog",
			"client_url":   console,
			"links":        links,
			"payload": map[string]any{
				"summary":        clip(headline, pagerDutySummaryMax),
				"severity":       map[string]string{"page": "critical", "ticket": "warning"}[p.Severity],
				"source":         fmt.Sprintf("aws:%s:%s", p.Account, p.Region),
				"timestamp":      placeholderTime,
				"component":      svc.Name,
				"group":          svc.Owner,
				"class":          p.Severity,
				"custom_details": custom,
			},
		}
	case "opsgenie":
		if p.Resolve {
			body = map[string]any{"source": "slocatalog", "note": bare(placeholderReason)}
			break
		}
		body = map[string]any{
			"message":     clip(fmt.Sprintf("[%s] %s is ALARM", p.Severity, p.Alarm), opsgenieMessageMax),
			"alias":       placeholderArn,
			"description": bare(placeholderReason),
			"priority":    map[string]string{"page": "P1", "ticket": "P3"}[p.Severity],
			"source":      "slocatalog",
			"entity":      svc.Name,
			"tags":        []string{svc.Name, svc.Owner, p.Severity, p.Env},
			"details":     details,
		}
	case "slack":
		lines := []string{fmt.Sprintf("%s %s", icon, headline)}
		if svc.Runbook != "" {
			lines = append(lines, "Runbook: "+svc.Runbook)
		}
		lines = append(lines, "Alarm: "+console)
		text := strings.Join(lines, "\n")
		body = map[string]any{
			"channel":      p.Route.Channel,
			"text":         text,
			"unfurl_links": false,
			"blocks": []any{
				map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": text}},
				// The reason is free text: a bare value EventBridge quotes.
				map[string]any{"type": "section", "text": map[string]any{"type": "plain_text", "text": bare(placeholderReason)}},
			},
		}
	default: // email through SNS: plain text, one quoted string per line
		lines := []string{
			fmt.Sprintf("[%s] %s is %s at %s.", p.Severity, p.Alarm, state, placeholderTime),
			fmt.Sprintf("Service %s (owner %s) in %s, account %s, %s.", svc.Name, svc.Owner, p.Env, p.Account, p.Region),
			"Reason: " + placeholderReason,
		}
		if svc.Runbook != "" {
			lines = append(lines, "Runbook: "+svc.Runbook)
		}
		lines = append(lines, "Alarm: "+console)
		for i, line := range lines {
			lines[i] = jsonText(line)
		}
		return strings.Join(lines, "\n")
	}
	return jsonText(body)
}

// AlarmConsoleURL is the CloudWatch console page of an alarm.
func AlarmConsoleURL(region, alarm string) string {
	return fmt.Sprintf("https://%s.console.aws.amazon.com/cloudwatch/home?region=%s#alarmsV2:alarm/%s", region, region, url.PathEscape(alarm))
}

// jsonText encodes value as JSON with < and > left literal, then writes each
// placeholder as <name>: inside its string, or bare where value holds a bare.
// Text from the catalog cannot make a placeholder: its angle brackets
// become ‹ and ›.
func jsonText(value any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(literal(value)); err != nil {
		panic(err) // maps, slices, strings and bools always encode
	}
	text := strings.TrimSuffix(buf.String(), "\n")
	for _, name := range placeholders {
		text = strings.ReplaceAll(text, `"\u0001`+name+`\u0001"`, "<"+name+">")
		text = strings.ReplaceAll(text, `\u0000`+name+`\u0000`, "<"+name+">")
	}
	return text
}

// literal rewrites a payload value for encoding: strings lose their angle
// brackets and a bare placeholder becomes a string jsonText unquotes.
func literal(value any) any {
	switch typed := value.(type) {
	case bare:
		return "\x01" + strings.Trim(string(typed), "\x00") + "\x01"
	case string:
		return strings.NewReplacer("<", "‹", ">", "›").Replace(typed)
	case []string:
		out := make([]any, len(typed))
		for i, element := range typed {
			out[i] = literal(element)
		}
		return out
	case []any:
		out := make([]any, len(typed))
		for i, element := range typed {
			out[i] = literal(element)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(typed))
		for key, element := range typed {
			out[key] = literal(element)
		}
		return out
	}
	return value
}

func clip(text string, length int) string {
	if len(text) <= length {
		return text
	}
	return text[:length-3] + "..."
}
