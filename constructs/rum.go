package constructs

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsrum"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
)

// RUMProps describes a web app's RUM app monitor, made by NewRUM.
type RUMProps struct {
	// Alarms is the service's alarm factory; it makes the Web Vitals alarms. Required.
	Alarms *AlarmFactory
	// Monitor is the planned app monitor: name, domains, sampling, telemetries, budgets. Required.
	Monitor *plan.RUM
	// Environment is where the monitor lives: its name is part of the
	// monitor's name (names.RUMName), its account and region of the
	// monitor's ARN, and the region is a stack output. Required.
	Environment *plan.Environment
}

// NewRUM makes a web app's RUM app monitor with the Cognito identity pool
// whose unauthenticated (guest) role may only send events to this monitor,
// the stack outputs the page's snippet needs, and Web Vitals alarms.
func NewRUM(scope cdkconstructs.Construct, props RUMProps) {
	monitor := props.Monitor
	name := names.RUMName(props.Environment.Name, monitor.Name)
	pool := awscognito.NewCfnIdentityPool(scope, jsii.String(monitor.Name+"-identities"), &awscognito.CfnIdentityPoolProps{
		IdentityPoolName:               jsii.String(name + "-rum"),
		AllowUnauthenticatedIdentities: jsii.Bool(true),
	})
	cdknag.NagSuppressions_AddResourceSuppressions(pool, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-COG7"),
		Reason: jsii.String("CloudWatch RUM's web client signs its events as an unauthenticated (guest) Cognito identity: " +
			"visitors are not signed in. The guest role may only call rum:PutRumEvents on this one app monitor."),
	}}, nil)
	poolID := pool.Ref() // tokens: read once, each read crosses into jsii
	appMonitorArn := fmt.Sprintf("arn:aws:rum:%s:%s:appmonitor/%s", props.Environment.Region, props.Environment.Account, name)
	guest := awsiam.NewCfnRole(scope, jsii.String(monitor.Name+"-guest-role"), &awsiam.CfnRoleProps{
		Description: jsii.String("Unauthenticated visitors of " + name + " send RUM events, nothing else"),
		AssumeRolePolicyDocument: policyDocument(map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity",
			"Condition": map[string]any{
				"StringEquals":           map[string]any{"cognito-identity.amazonaws.com:aud": *poolID},
				"ForAnyValue:StringLike": map[string]any{"cognito-identity.amazonaws.com:amr": "unauthenticated"},
			},
		}),
		Policies: &[]interface{}{&awsiam.CfnRole_PolicyProperty{
			PolicyName:     jsii.String("put-rum-events"),
			PolicyDocument: policyDocument(map[string]any{"Effect": "Allow", "Action": "rum:PutRumEvents", "Resource": appMonitorArn}),
		}},
	})
	guestArn := guest.AttrArn()
	awscognito.NewCfnIdentityPoolRoleAttachment(scope, jsii.String(monitor.Name+"-roles"), &awscognito.CfnIdentityPoolRoleAttachmentProps{
		IdentityPoolId: poolID,
		Roles:          map[string]interface{}{"unauthenticated": *guestArn},
	})
	telemetries := make([]*string, len(monitor.Telemetries))
	for i, telemetry := range monitor.Telemetries {
		telemetries[i] = jsii.String(telemetry)
	}
	domains := make([]*string, len(monitor.Domains))
	for i, domain := range monitor.Domains {
		domains[i] = jsii.String(domain)
	}
	appMonitor := awsrum.NewCfnAppMonitor(scope, jsii.String(monitor.Name), &awsrum.CfnAppMonitorProps{
		Name:         jsii.String(name),
		DomainList:   &domains,
		CwLogEnabled: jsii.Bool(monitor.CWLogs),
		AppMonitorConfiguration: &awsrum.CfnAppMonitor_AppMonitorConfigurationProperty{
			AllowCookies:      jsii.Bool(monitor.AllowCookies),
			EnableXRay:        jsii.Bool(monitor.XRay),
			SessionSampleRate: jsii.Number(monitor.SampleRate),
			Telemetries:       &telemetries,
			IdentityPoolId:    poolID,
			GuestRoleArn:      guestArn,
		},
		Tags: props.Alarms.tags(monitor.Name, monitor.Severity),
	})
	for _, output := range []struct{ id, value, description string }{
		{monitor.Name + names.OutputAppMonitorID, *appMonitor.AttrId(), "RUM app monitor id of " + name},
		{monitor.Name + names.OutputIdentityPool, *poolID, "Cognito identity pool of " + name},
		{monitor.Name + names.OutputGuestRoleArn, *guestArn, "Guest role of " + name},
		{monitor.Name + names.OutputRUMRegion, props.Environment.Region, "Region of " + name},
	} {
		awscdk.NewCfnOutput(scope, jsii.String(names.OutputName(output.id)), &awscdk.CfnOutputProps{Value: jsii.String(output.value), Description: jsii.String(output.description)})
	}
	for _, vital := range metrics.WebVitals(monitor, name) {
		props.Alarms.Static(scope, StaticAlarmProps{
			ID:                fmt.Sprintf("%s-%s", monitor.Name, vital.ID),
			Description:       fmt.Sprintf("%s of %s at %s above its budget of %s%s for 3 of the last 5 periods of 5 minutes (real users).", vital.Metric.Name, name, monitor.Percentile, formatNumber(vital.Budget), vital.Unit),
			Severity:          monitor.Severity,
			Metric:            vital.Metric,
			Statistic:         monitor.Percentile,
			PeriodSeconds:     300,
			Comparison:        "GreaterThanThreshold",
			Threshold:         vital.Budget,
			EvaluationPeriods: 5,
			DatapointsToAlarm: 3,
			MissingData:       "notBreaching",
		})
	}
}
