package constructs

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/dashboards"
)

// NewDashboards makes one AWS::CloudWatch::Dashboard per computed dashboard
// (package dashboards computes each body in Go, so each crosses into jsii
// once). The first has logical ID id, the next id-2, id-3, …; scope(i) is
// the stack that holds the i-th.
func NewDashboards(scope func(i int) cdkconstructs.Construct, id string, ds []dashboards.Dashboard) {
	for i, d := range ds {
		lid := id
		if i > 0 {
			lid = fmt.Sprintf("%s-%d", id, i+1)
		}
		awscloudwatch.NewCfnDashboard(scope(i), jsii.String(lid), &awscloudwatch.CfnDashboardProps{
			DashboardName: jsii.String(d.Name),
			DashboardBody: jsii.String(d.Body),
		})
	}
}
