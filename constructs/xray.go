package constructs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsxray"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/plan"
)

// NewTraceGroup makes an X-Ray group with its filter expression and
// Insights settings, and a sampling rule for the service where the catalog
// sets one.
func NewTraceGroup(scope cdkconstructs.Construct, alarms *AlarmFactory, trace *plan.Trace, service string) {
	awsxray.NewCfnGroup(scope, jsii.String("xray-"+trace.Name), &awsxray.CfnGroupProps{
		GroupName:        jsii.String(trace.Name),
		FilterExpression: jsii.String(trace.Filter),
		InsightsConfiguration: &awsxray.CfnGroup_InsightsConfigurationProperty{
			InsightsEnabled:      jsii.Bool(trace.Insights),
			NotificationsEnabled: jsii.Bool(trace.Notifications),
		},
		Tags: alarms.tagsID(trace.Name),
	})
	if sampling := trace.Sampling; sampling != nil {
		priority := sampling.Priority
		if priority == 0 {
			priority = 1000
		}
		awsxray.NewCfnSamplingRule(scope, jsii.String("sampling-"+trace.Name), &awsxray.CfnSamplingRuleProps{
			SamplingRule: &awsxray.CfnSamplingRule_SamplingRuleProperty{
				RuleName:      jsii.String(trace.Name),
				Priority:      jsii.Number(float64(priority)),
				FixedRate:     jsii.Number(sampling.Rate),
				ReservoirSize: jsii.Number(float64(sampling.Reservoir)),
				ServiceName:   jsii.String(service),
				ServiceType:   jsii.String("*"),
				Host:          jsii.String("*"),
				HttpMethod:    jsii.String("*"),
				UrlPath:       jsii.String(defaultPath(sampling.URLPath)),
				ResourceArn:   jsii.String("*"),
				Version:       jsii.Number(1),
			},
			Tags: alarms.tagsID(trace.Name),
		})
	}
}

func defaultPath(path string) string {
	if path == "" {
		return "*"
	}
	return path
}
