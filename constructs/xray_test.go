package constructs

import (
	"testing"

	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// TestTraceGroup: a trace group has its filter and Insights settings; its
// sampling rule applies to the service, with priority 1000 and every URL
// path unless the catalog says otherwise.
func TestTraceGroup(t *testing.T) {
	stack := newStack()
	NewTraceGroup(stack, testFactory(), &plan.Trace{
		Name: "checkout-faults", Filter: `service("checkout") AND fault = true`, Insights: true,
		Sampling: &spec.Sampling{Rate: 0.05, Reservoir: 2},
	}, "checkout-api")
	tpl := synth(t, stack)
	wantJSON(t, "resources", tpl.logicalIDs(""), `["samplingcheckoutfaults","xraycheckoutfaults"]`)
	wantProps(t, "xraycheckoutfaults", tpl.get(t, "xraycheckoutfaults", "AWS::XRay::Group"), map[string]any{
		"GroupName":             "checkout-faults",
		"FilterExpression":      `service("checkout") AND fault = true`,
		"InsightsConfiguration": map[string]any{"InsightsEnabled": true, "NotificationsEnabled": false},
		"Tags":                  []any{map[string]any{"Key": TagID, "Value": "checkout-faults"}},
	})
	wantJSON(t, "sampling rule", tpl.get(t, "samplingcheckoutfaults", "AWS::XRay::SamplingRule").Properties["SamplingRule"],
		`{"FixedRate":0.05,"HTTPMethod":"*","Host":"*","Priority":1000,"ReservoirSize":2,"ResourceARN":"*","RuleName":"checkout-faults","ServiceName":"checkout-api","ServiceType":"*","URLPath":"*","Version":1}`)

	// Without sampling: the group alone.
	stack = newStack()
	NewTraceGroup(stack, testFactory(), &plan.Trace{Name: "slow", Filter: "responsetime > 1"}, "checkout-api")
	wantJSON(t, "resources without sampling", synth(t, stack).logicalIDs(""), `["xrayslow"]`)
}
