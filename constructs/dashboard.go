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
func NewDashboards(scope func(i int) cdkconstructs.Construct, id string, boards []dashboards.Dashboard) {
	for i, board := range boards {
		constructID := id
		if i > 0 {
			constructID = fmt.Sprintf("%s-%d", id, i+1)
		}
		awscloudwatch.NewCfnDashboard(scope(i), jsii.String(constructID), &awscloudwatch.CfnDashboardProps{
			DashboardName: jsii.String(board.Name),
			DashboardBody: jsii.String(board.Body),
		})
	}
}
