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
	"github.com/slocatalog/slocatalog/slos"
)

// NewRUM makes a web app's RUM app monitor with the Cognito identity pool
// whose unauthenticated (guest) role may only send events to this monitor,
// the stack outputs the page's snippet needs, and Web Vitals alarms.
func NewRUM(scope cdkconstructs.Construct, f *AlarmFactory, r *slos.RUMPlan, env, account, region string) {
	name := slos.RUMName(env, r.Name)
	pool := awscognito.NewCfnIdentityPool(scope, jsii.String(r.Name+"-identities"), &awscognito.CfnIdentityPoolProps{
		IdentityPoolName:               jsii.String(name + "-rum"),
		AllowUnauthenticatedIdentities: jsii.Bool(true),
	})
	cdknag.NagSuppressions_AddResourceSuppressions(pool, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-COG7"),
		Reason: jsii.String("CloudWatch RUM's web client signs its events as an unauthenticated (guest) Cognito identity: " +
			"visitors are not signed in. The guest role may only call rum:PutRumEvents on this one app monitor."),
	}}, nil)
	poolID := pool.Ref() // tokens: read once, each read crosses into jsii
	appMonitorArn := fmt.Sprintf("arn:aws:rum:%s:%s:appmonitor/%s", region, account, name)
	guest := awsiam.NewCfnRole(scope, jsii.String(r.Name+"-guest-role"), &awsiam.CfnRoleProps{
		Description: jsii.String("Unauthenticated visitors of " + name + " send RUM events, nothing else"),
		AssumeRolePolicyDocument: pd(map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity",
			"Condition": map[string]any{
				"StringEquals":           map[string]any{"cognito-identity.amazonaws.com:aud": *poolID},
				"ForAnyValue:StringLike": map[string]any{"cognito-identity.amazonaws.com:amr": "unauthenticated"},
			},
		}),
		Policies: &[]interface{}{&awsiam.CfnRole_PolicyProperty{
			PolicyName:     jsii.String("put-rum-events"),
			PolicyDocument: pd(map[string]any{"Effect": "Allow", "Action": "rum:PutRumEvents", "Resource": appMonitorArn}),
		}},
	})
	guestArn := guest.AttrArn()
	awscognito.NewCfnIdentityPoolRoleAttachment(scope, jsii.String(r.Name+"-roles"), &awscognito.CfnIdentityPoolRoleAttachmentProps{
		IdentityPoolId: poolID,
		Roles:          map[string]interface{}{"unauthenticated": *guestArn},
	})
	tel := make([]*string, len(r.Telemetries))
	for i, t := range r.Telemetries {
		tel[i] = jsii.String(t)
	}
	domains := make([]*string, len(r.Domains))
	for i, d := range r.Domains {
		domains[i] = jsii.String(d)
	}
	mon := awsrum.NewCfnAppMonitor(scope, jsii.String(r.Name), &awsrum.CfnAppMonitorProps{
		Name:         jsii.String(name),
		DomainList:   &domains,
		CwLogEnabled: jsii.Bool(r.CWLogs),
		AppMonitorConfiguration: &awsrum.CfnAppMonitor_AppMonitorConfigurationProperty{
			AllowCookies:      jsii.Bool(r.AllowCookies),
			EnableXRay:        jsii.Bool(r.XRay),
			SessionSampleRate: jsii.Number(r.SampleRate),
			Telemetries:       &tel,
			IdentityPoolId:    poolID,
			GuestRoleArn:      guestArn,
		},
		Tags: f.tags(r.Name, r.Severity),
	})
	for _, o := range []struct{ id, value, desc string }{
		{r.Name + slos.OutputAppMonitorID, *mon.AttrId(), "RUM app monitor id of " + name},
		{r.Name + slos.OutputIdentityPool, *poolID, "Cognito identity pool of " + name},
		{r.Name + slos.OutputGuestRoleArn, *guestArn, "Guest role of " + name},
		{r.Name + slos.OutputRUMRegion, region, "Region of " + name},
	} {
		awscdk.NewCfnOutput(scope, jsii.String(slos.OutputName(o.id)), &awscdk.CfnOutputProps{Value: jsii.String(o.value), Description: jsii.String(o.desc)})
	}
	for _, v := range metrics.WebVitals(r, name) {
		f.Static(scope, StaticAlarmProps{
			ID:                fmt.Sprintf("%s-%s", r.Name, v.ID),
			Description:       fmt.Sprintf("%s of %s at %s above its budget of %s%s for 3 of the last 5 periods of 5 minutes (real users).", v.Metric.Name, name, r.Percentile, num(v.Budget), v.Unit),
			Severity:          r.Severity,
			Metric:            v.Metric,
			Statistic:         r.Percentile,
			PeriodSeconds:     300,
			Comparison:        "GreaterThanThreshold",
			Threshold:         v.Budget,
			EvaluationPeriods: 5,
			DatapointsToAlarm: 3,
			MissingData:       "notBreaching",
		})
	}
}
