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
func NewTraceGroup(scope cdkconstructs.Construct, f *AlarmFactory, t *plan.Trace, service string) {
	awsxray.NewCfnGroup(scope, jsii.String("xray-"+t.Name), &awsxray.CfnGroupProps{
		GroupName:        jsii.String(t.Name),
		FilterExpression: jsii.String(t.Filter),
		InsightsConfiguration: &awsxray.CfnGroup_InsightsConfigurationProperty{
			InsightsEnabled:      jsii.Bool(t.Insights),
			NotificationsEnabled: jsii.Bool(t.Notifications),
		},
		Tags: f.tagsID(t.Name),
	})
	if s := t.Sampling; s != nil {
		priority := s.Priority
		if priority == 0 {
			priority = 1000
		}
		awsxray.NewCfnSamplingRule(scope, jsii.String("sampling-"+t.Name), &awsxray.CfnSamplingRuleProps{
			SamplingRule: &awsxray.CfnSamplingRule_SamplingRuleProperty{
				RuleName:      jsii.String(t.Name),
				Priority:      jsii.Number(float64(priority)),
				FixedRate:     jsii.Number(s.Rate),
				ReservoirSize: jsii.Number(float64(s.Reservoir)),
				ServiceName:   jsii.String(service),
				ServiceType:   jsii.String("*"),
				Host:          jsii.String("*"),
				HttpMethod:    jsii.String("*"),
				UrlPath:       jsii.String(defaultPath(s.URLPath)),
				ResourceArn:   jsii.String("*"),
				Version:       jsii.Number(1),
			},
			Tags: f.tagsID(t.Name),
		})
	}
}

func defaultPath(p string) string {
	if p == "" {
		return "*"
	}
	return p
}
