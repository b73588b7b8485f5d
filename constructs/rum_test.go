package constructs

import (
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/plan"
)

// TestRUM: a web app's monitor has its domains and sampling, signs events
// as a Cognito guest whose role may only put events to this monitor,
// publishes the snippet's values as outputs, and alarms on each Web Vital
// with a budget (none on one without).
func TestRUM(t *testing.T) {
	stack := newStack()
	NewRUM(stack, RUMProps{
		Alarms: testFactory(),
		Monitor: &plan.RUM{
			Name: "web", Domains: []string{"shop.example.com"}, SampleRate: 0.25, Telemetries: []string{"performance", "errors"},
			XRay: true, AllowCookies: true, Severity: "ticket", Percentile: "p75", LCP: 2500 * time.Millisecond,
		},
		Environment: testEnvironment(),
	})
	tpl := synth(t, stack)
	wantJSON(t, "resources", tpl.logicalIDs(""), `["web","webguestrole","webidentities","weblcp","webroles"]`)
	monitor := tpl.get(t, "web", "AWS::RUM::AppMonitor")
	wantProps(t, "web", monitor, map[string]any{
		"Name":         "prod-web",
		"DomainList":   []any{"shop.example.com"},
		"CwLogEnabled": false,
		"Tags":         []any{map[string]any{"Key": TagID, "Value": "web"}, map[string]any{"Key": TagSeverity, "Value": "ticket"}},
	})
	wantJSON(t, "web.AppMonitorConfiguration", monitor.Properties["AppMonitorConfiguration"],
		`{"AllowCookies":true,"EnableXRay":true,"GuestRoleArn":{"Fn::GetAtt":["webguestrole","Arn"]},"IdentityPoolId":{"Ref":"webidentities"},"SessionSampleRate":0.25,"Telemetries":["performance","errors"]}`)
	wantProps(t, "webidentities", tpl.get(t, "webidentities", "AWS::Cognito::IdentityPool"), map[string]any{
		"IdentityPoolName":               "prod-web-rum",
		"AllowUnauthenticatedIdentities": true,
	})
	guest := tpl.get(t, "webguestrole", "AWS::IAM::Role")
	wantJSON(t, "guest role policy", guest.Properties["Policies"],
		`[{"PolicyDocument":{"Statement":[{"Action":"rum:PutRumEvents","Effect":"Allow","Resource":"arn:aws:rum:eu-west-1:123456789012:appmonitor/prod-web"}],"Version":"2012-10-17"},"PolicyName":"put-rum-events"}]`)
	for _, name := range []string{"webAppMonitorId", "webIdentityPoolId", "webGuestRoleArn", "webRegion"} {
		if _, ok := tpl.Outputs[name]; !ok {
			t.Errorf("no output %s", name)
		}
	}
	wantJSON(t, "webRegion", tpl.Outputs["webRegion"].Value, `"eu-west-1"`)
	wantProps(t, "weblcp", tpl.get(t, "weblcp", "AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace":         "AWS/RUM",
		"MetricName":        "WebVitalsLargestContentfulPaint",
		"Dimensions":        []any{map[string]any{"Name": "application_name", "Value": "prod-web"}},
		"ExtendedStatistic": "p75",
		"Period":            300,
		"Threshold":         2500,
		"EvaluationPeriods": 5,
		"DatapointsToAlarm": 3,
		"TreatMissingData":  "notBreaching",
	})
}
