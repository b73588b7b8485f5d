package constructs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/plan"
)

// TestPayload: a PagerDuty trigger deduplicates by the alarm ARN and
// carries the reason as a bare value EventBridge quotes; its resolve is the
// dedup key alone; InputPaths lists only the placeholders a payload uses;
// catalog text cannot make a placeholder; and once EventBridge fills the
// placeholders the payload is JSON.
func TestPayload(t *testing.T) {
	service := testService()
	service.Owner = "team <pay>"
	props := PayloadProps{Route: &plan.Route{ID: "pd", Type: "pagerduty"}, Env: testEnv, Account: testAccount, Region: testRegion,
		Service: service, Severity: "page", Alarm: "acme-prod-checkout-rollup-page"}

	trigger := Payload(props)
	for _, want := range []string{`"dedup_key":"<arn>"`, `"reason":<reason>`, `"timestamp":"<time>"`, `"severity":"critical"`, `"group":"team ‹pay›"`} {
		if !strings.Contains(trigger, want) {
			t.Errorf("trigger payload lacks %s:\n%s", want, trigger)
		}
	}
	wantJSON(t, "trigger input paths", InputPaths(trigger), `{"arn":"$.resources[0]","reason":"$.detail.state.reason","time":"$.time"}`)
	filled := strings.NewReplacer("<arn>", "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:x", "<time>", "2026-01-01T00:00:00Z", "<reason>", `"Threshold crossed"`).Replace(trigger)
	if !json.Valid([]byte(filled)) {
		t.Errorf("filled trigger payload is not JSON:\n%s", filled)
	}

	props.Resolve = true
	resolve := Payload(props)
	if resolve != `{"dedup_key":"<arn>","event_action":"resolve"}` {
		t.Errorf("resolve payload = %s", resolve)
	}
	wantJSON(t, "resolve input paths", InputPaths(resolve), `{"arn":"$.resources[0]"}`)
}
