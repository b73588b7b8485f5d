package constructs

import (
	"testing"

	cdkconstructs "github.com/aws/constructs-go/constructs/v10"

	"github.com/slocatalog/slocatalog/dashboards"
)

// TestDashboards: each computed dashboard is one AWS::CloudWatch::Dashboard
// with its name and body as computed; the first has the given id, the next
// id-2.
func TestDashboards(t *testing.T) {
	stack := newStack()
	NewDashboards(func(int) cdkconstructs.Construct { return stack }, "dashboard", []dashboards.Dashboard{
		{Name: "acme-prod-checkout", Body: `{"widgets":[]}`},
		{Name: "acme-prod-checkout-2", Body: `{"widgets":[{"type":"text"}]}`},
	})
	tpl := synth(t, stack)
	wantJSON(t, "resources", tpl.logicalIDs(""), `["dashboard","dashboard2"]`)
	wantProps(t, "dashboard", tpl.get(t, "dashboard", "AWS::CloudWatch::Dashboard"), map[string]any{
		"DashboardName": "acme-prod-checkout",
		"DashboardBody": `{"widgets":[]}`,
	})
	wantProps(t, "dashboard2", tpl.get(t, "dashboard2", "AWS::CloudWatch::Dashboard"), map[string]any{
		"DashboardName": "acme-prod-checkout-2",
		"DashboardBody": `{"widgets":[{"type":"text"}]}`,
	})
}
