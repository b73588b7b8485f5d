package delivery

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/internal/eventbridge"
	"github.com/slocatalog/slocatalog/plan"
)

// Receiver kinds.
const (
	pagerDuty = "pagerduty"
	opsgenie  = "opsgenie"
	slack     = "slack"
	email     = "email"
)

// eventTime is when the test alarms change state.
var eventTime = time.Date(2026, 11, 27, 10, 4, 40, 0, time.UTC)

// testReason is the state reason of every test event. Real reasons are
// free text of up to 1,023 characters written by CloudWatch (SetAlarmState
// StateReason); this one holds double quotes, a backslash and a > so that
// a template that splices it into a JSON string unescaped is caught.
func testReason(child string) string {
	return child + ` transitioned to ALARM at Friday 27 November, 2026 10:04:40 UTC; probe said "p99 > 300 ms" at C:\synthetics\browse`
}

// delivery is one rule target for one event: what EventBridge sends and
// to which receiver.
type delivery struct {
	name        string // stack/rule/target
	kind        string // receiver
	state       string // ALARM or OK
	alarm       string // alarm name the rule matches
	alarmARN    string
	route       *plan.Route // the catalog route of the target (by target id), if any
	event       []byte
	transformer *eventbridge.Transformer
	input       []byte // a constant Input, when the target has no transformer
	inputPath   string
	dest        *eventbridge.Destination // nil for an SNS topic
	endpointRaw string                   // InvocationEndpoint as written in the template
	hp          *eventbridge.HTTPParameters
	rule        eventbridge.Context
}

// deliveries lists every target of every AWS::Events::Rule of the
// assembly. A target that cannot be followed is a problem, not a skip.
func deliveries(a *assembly) (out []*delivery, problems []string) {
	for _, stack := range a.stackNames() {
		t := a.stacks[stack]
		env := a.envs[stack]
		for _, id := range sortedResourceIDs(t) {
			r := t.Resources[id]
			if r.Type != "AWS::Events::Rule" {
				continue
			}
			name, _ := a.str(stack, r.Properties["Name"])
			if name == "" {
				name = id
			}
			alarm, state, err := matchedAlarm(r.Properties["EventPattern"])
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s/%s: %v", stack, id, err))
				continue
			}
			targets, _ := r.Properties["Targets"].([]any)
			if len(targets) == 0 {
				problems = append(problems, fmt.Sprintf("%s/%s: rule has no targets", stack, id))
			}
			for _, tv := range targets {
				tg, _ := tv.(map[string]any)
				tid, _ := tg["Id"].(string)
				d := &delivery{
					name:     fmt.Sprintf("%s/%s/%s", stack, id, tid),
					state:    state,
					alarm:    alarm,
					alarmARN: fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", env.Region, env.Account, alarm),
					rule: eventbridge.Context{
						RuleARN:       fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", env.Region, env.Account, name),
						RuleName:      name,
						IngestionTime: eventTime.Add(time.Second),
					},
				}
				for _, rt := range env.Routes {
					if rt.ID == tid {
						d.route = rt
					}
				}
				d.event = alarmEvent(env, alarm, state)
				if err := a.fillTarget(stack, tg, d); err != nil {
					problems = append(problems, fmt.Sprintf("%s: %v", d.name, err))
					continue
				}
				out = append(out, d)
			}
		}
	}
	return out, problems
}

// matchedAlarm reads the alarm name and state of an alarm state-change
// rule's event pattern.
func matchedAlarm(p any) (alarm, state string, err error) {
	pat, _ := p.(map[string]any)
	first := func(v any) string {
		l, _ := v.([]any)
		if len(l) == 1 {
			s, _ := l[0].(string)
			return s
		}
		return ""
	}
	if first(pat["source"]) != "aws.cloudwatch" || first(pat["detail-type"]) != "CloudWatch Alarm State Change" {
		return "", "", fmt.Errorf("event pattern %s is not for one CloudWatch alarm state change", show(p))
	}
	detail, _ := pat["detail"].(map[string]any)
	st, _ := detail["state"].(map[string]any)
	alarm, state = first(detail["alarmName"]), first(st["value"])
	if alarm == "" || (state != "ALARM" && state != "OK") {
		return "", "", fmt.Errorf("event pattern %s names no single alarm and state ALARM or OK", show(p))
	}
	return alarm, state, nil
}

// alarmEvent is the event CloudWatch sends when a composite alarm (a
// roll-up) changes state, shaped like the composite-alarm example of
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
// (reasonData is a JSON document carried as a string).
func alarmEvent(env *plan.Environment, alarm, state string) []byte {
	arn := fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", env.Region, env.Account, alarm)
	child := arn + "-child"
	previous := map[string]string{"ALARM": "OK", "OK": "ALARM"}[state]
	reason := testReason(child)
	if state == "OK" {
		reason = strings.Replace(reason, "to ALARM", "to OK", 1)
	}
	stamp := eventTime.Format("2006-01-02T15:04:05.000-0700")
	ev := map[string]any{
		"version":     "0",
		"id":          "2dde0eb1-528b-d2d5-9ca6-6d590caf2329",
		"detail-type": "CloudWatch Alarm State Change",
		"source":      "aws.cloudwatch",
		"account":     env.Account,
		"time":        eventTime.Format(time.RFC3339),
		"region":      env.Region,
		"resources":   []any{arn},
		"detail": map[string]any{
			"alarmName": alarm,
			"state": map[string]any{
				"value":      state,
				"reason":     reason,
				"reasonData": `{"triggeringAlarms":[{"arn":"` + child + `","state":{"value":"` + state + `","timestamp":"` + stamp + `"}}]}`,
				"timestamp":  stamp,
			},
			"previousState": map[string]any{
				"value":     previous,
				"reason":    "arn:aws:cloudwatch:" + env.Region + ":" + env.Account + ":alarm:" + alarm + "-child transitioned to " + previous,
				"timestamp": eventTime.Add(-time.Hour).Format("2006-01-02T15:04:05.000-0700"),
			},
			"configuration": map[string]any{
				"alarmRule":                        `ALARM("` + alarm + `-child")`,
				"actionsSuppressor":                "",
				"actionsSuppressorWaitPeriod":      0,
				"actionsSuppressorExtensionPeriod": 0,
			},
		},
	}
	b, err := eventbridge.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return b
}

// fillTarget reads the target's input and follows its Arn to an API
// destination (with its connection) or an SNS topic.
func (a *assembly) fillTarget(stack string, tg map[string]any, d *delivery) error {
	if it, ok := tg["InputTransformer"].(map[string]any); ok {
		tr := &eventbridge.Transformer{InputPathsMap: map[string]string{}}
		paths, _ := it["InputPathsMap"].(map[string]any)
		for k, v := range paths {
			s, err := a.str(stack, v)
			if err != nil {
				return err
			}
			tr.InputPathsMap[k] = s
		}
		s, err := a.str(stack, it["InputTemplate"])
		if err != nil {
			return err
		}
		tr.InputTemplate = s
		d.transformer = tr
	} else if in, ok := tg["Input"]; ok {
		s, err := a.str(stack, in)
		if err != nil {
			return err
		}
		d.input = []byte(s)
	} else if p, ok := tg["InputPath"].(string); ok {
		d.inputPath = p
	}
	d.hp = &eventbridge.HTTPParameters{}
	if hp, ok := tg["HttpParameters"].(map[string]any); ok {
		vals, _ := hp["PathParameterValues"].([]any)
		for _, v := range vals {
			s, err := a.str(stack, v)
			if err != nil {
				return err
			}
			d.hp.PathParameterValues = append(d.hp.PathParameterValues, s)
		}
		for key, dst := range map[string]*map[string]string{"HeaderParameters": &d.hp.Headers, "QueryStringParameters": &d.hp.QueryString} {
			m, _ := hp[key].(map[string]any)
			for k, v := range m {
				s, err := a.str(stack, v)
				if err != nil {
					return err
				}
				if *dst == nil {
					*dst = map[string]string{}
				}
				(*dst)[k] = s
			}
		}
	}
	target, err := a.resolve(stack, tg["Arn"])
	if err != nil {
		return fmt.Errorf("target Arn: %v", err)
	}
	switch target.typ {
	case "AWS::SNS::Topic":
		d.kind = email
		if d.route != nil && d.route.Type != email {
			return fmt.Errorf("route %s is %s but the target is an SNS topic", d.route.ID, d.route.Type)
		}
		return nil
	case "AWS::Events::ApiDestination":
	default:
		return fmt.Errorf("target is a %s (%s/%s); the harness knows SNS topics and API destinations", target.typ, target.stack, target.id)
	}
	endpoint, err := a.str(target.stack, target.props["InvocationEndpoint"])
	if err != nil {
		return err
	}
	d.endpointRaw = endpoint
	filled, _ := secrets{}.fill(endpoint)
	method, _ := a.str(target.stack, target.props["HttpMethod"])
	connRef, err := a.resolve(target.stack, target.props["ConnectionArn"])
	if err != nil {
		return fmt.Errorf("connection: %v", err)
	}
	if connRef.typ != "AWS::Events::Connection" {
		return fmt.Errorf("ConnectionArn of %s names a %s", target.id, connRef.typ)
	}
	conn, err := a.connection(connRef)
	if err != nil {
		return err
	}
	d.dest = &eventbridge.Destination{Endpoint: filled, Method: method, Connection: conn}
	d.kind = kindOf(filled)
	if d.kind == "" && d.route != nil {
		d.kind = d.route.Type
	}
	if d.kind == "" {
		return fmt.Errorf("endpoint %s is no receiver the harness knows and target id %q is no route of the catalog", endpoint, d.name)
	}
	if d.route != nil && d.route.Type != d.kind {
		return fmt.Errorf("route %s is %s but the endpoint %s is %s's", d.route.ID, d.route.Type, endpoint, d.kind)
	}
	return nil
}

// kindOf tells the receiver from an endpoint's host.
func kindOf(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return ""
	}
	switch h := u.Hostname(); {
	case h == "events.pagerduty.com" || h == "events.eu.pagerduty.com":
		return pagerDuty
	case h == "api.opsgenie.com" || h == "api.eu.opsgenie.com":
		return opsgenie
	case h == "slack.com" || h == "hooks.slack.com":
		return slack
	}
	return ""
}

func sortedResourceIDs(t *cfnTemplate) []string {
	ids := make([]string, 0, len(t.Resources))
	for id := range t.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
