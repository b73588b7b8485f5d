package constructs

import (
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssynthetics"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
	"github.com/slocatalog/slocatalog/synthetics"
)

// Canary artifacts are kept this many days; canary run results as long.
const (
	artifactDays  = 30
	accessLogDays = 90
	retentionDays = 30
)

// Artifacts is an environment's canary artifacts bucket.
type Artifacts struct {
	Bucket    string // name (a token)
	BucketArn string // token
}

// NewArtifacts makes the environment's canary artifacts bucket: encrypted,
// public access blocked, TLS only, expiring, with server access logs in a
// second bucket (which cdk-nag recognises as a log bucket by its policy).
func NewArtifacts(scope cdkconstructs.Construct, org, env string) *Artifacts {
	logs := bucket(scope, "canary-access-logs", accessLogDays, nil)
	logsName, logsArn := logs.Ref(), *logs.AttrArn() // tokens: read once
	awss3.NewCfnBucketPolicy(scope, jsii.String("canary-access-logs-policy"), &awss3.CfnBucketPolicyProps{
		Bucket: logsName,
		PolicyDocument: policyDocument(
			map[string]any{"Sid": "S3ServerAccessLogs", "Effect": "Allow", "Principal": map[string]any{"Service": "logging.s3.amazonaws.com"},
				"Action": "s3:PutObject", "Resource": logsArn + "/*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": *awscdk.Aws_ACCOUNT_ID()}}},
			denyInsecure("s3:*", []string{logsArn, logsArn + "/*"}),
		),
	})
	artifacts := bucket(scope, "canary-artifacts", artifactDays, &awss3.CfnBucket_LoggingConfigurationProperty{
		DestinationBucketName: logsName, LogFilePrefix: jsii.String("canary-artifacts/"),
	})
	arn, name := *artifacts.AttrArn(), artifacts.Ref()
	awss3.NewCfnBucketPolicy(scope, jsii.String("canary-artifacts-policy"), &awss3.CfnBucketPolicyProps{
		Bucket:         name,
		PolicyDocument: policyDocument(denyInsecure("s3:*", []string{arn, arn + "/*"})),
	})
	publish(scope, parameterProps{ID: "canary-artifacts-bucket", Org: org, Env: env, Key: "canary-artifacts-bucket", Value: *name,
		What: "name of the canary artifacts bucket"})
	return &Artifacts{Bucket: *name, BucketArn: arn}
}

// ArtifactsByName is the environment's canary artifacts bucket as a service
// stack (scope) reaches it: its name from the SSM parameter the routing
// stack writes, so that no service stack imports it.
func ArtifactsByName(scope cdkconstructs.Construct, org, env string) *Artifacts {
	name := readParameter(scope, RoutingParameter(org, env, "canary-artifacts-bucket"))
	return &Artifacts{Bucket: name, BucketArn: "arn:aws:s3:::" + name}
}

func bucket(scope cdkconstructs.Construct, id string, expirationDays int, logging *awss3.CfnBucket_LoggingConfigurationProperty) awss3.CfnBucket {
	return awss3.NewCfnBucket(scope, jsii.String(id), &awss3.CfnBucketProps{
		BucketEncryption: &awss3.CfnBucket_BucketEncryptionProperty{ServerSideEncryptionConfiguration: &[]interface{}{
			&awss3.CfnBucket_ServerSideEncryptionRuleProperty{ServerSideEncryptionByDefault: &awss3.CfnBucket_ServerSideEncryptionByDefaultProperty{SseAlgorithm: jsii.String("AES256")}},
		}},
		PublicAccessBlockConfiguration: &awss3.CfnBucket_PublicAccessBlockConfigurationProperty{
			BlockPublicAcls: jsii.Bool(true), BlockPublicPolicy: jsii.Bool(true), IgnorePublicAcls: jsii.Bool(true), RestrictPublicBuckets: jsii.Bool(true),
		},
		LifecycleConfiguration: &awss3.CfnBucket_LifecycleConfigurationProperty{Rules: &[]interface{}{
			&awss3.CfnBucket_RuleProperty{Id: jsii.String("expire"), Status: jsii.String("Enabled"), ExpirationInDays: jsii.Number(float64(expirationDays))},
		}},
		LoggingConfiguration: logging,
	})
}

// schedule is the Synthetics schedule expression for a run interval.
func schedule(interval time.Duration) string {
	minutes := int(interval / time.Minute)
	if minutes == 1 {
		return "rate(1 minute)"
	}
	return fmt.Sprintf("rate(%d minutes)", minutes)
}

// CanaryProps describes a catalog canary, made by NewCanary.
type CanaryProps struct {
	// Alarms is the service's alarm factory; it makes the canary's alarms. Required.
	Alarms *AlarmFactory
	// Artifacts is the environment's canary artifacts bucket as the stack
	// reaches it (NewArtifacts or ArtifactsByName). Required.
	Artifacts *Artifacts
	// Canary is the planned canary: name, schedule, timeout, steps, severity. Required.
	Canary *plan.Canary
	// Environment is where the canary runs: its name is part of the
	// canary's name (synthetics.CanaryName), its account and region are
	// named in the role's policies. Required.
	Environment *plan.Environment
}

// NewCanary makes a catalog canary: its execution role (only what the
// runtime needs: write its artifacts, its logs, its metrics and traces), the
// canary with its generated script, and alarms on its success rate and on
// each step's duration against the step's latency budget.
func NewCanary(scope cdkconstructs.Construct, props CanaryProps) {
	canary := props.Canary
	name := synthetics.CanaryName(props.Environment.Name, canary.Name)
	prefix := fmt.Sprintf("canary/%s", name)
	role := awsiam.NewCfnRole(scope, jsii.String(canary.Name+"-role"), &awsiam.CfnRoleProps{
		Description: jsii.String("Execution role of canary " + name),
		AssumeRolePolicyDocument: policyDocument(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": props.Environment.Account}}}),
		Policies: &[]interface{}{&awsiam.CfnRole_PolicyProperty{
			PolicyName: jsii.String("canary"),
			PolicyDocument: policyDocument(
				map[string]any{"Sid": "Artifacts", "Effect": "Allow", "Action": "s3:PutObject", "Resource": props.Artifacts.BucketArn + "/" + prefix + "/*"},
				map[string]any{"Sid": "ArtifactsBucket", "Effect": "Allow", "Action": "s3:GetBucketLocation", "Resource": props.Artifacts.BucketArn},
				map[string]any{"Sid": "Logs", "Effect": "Allow", "Action": []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
					"Resource": fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/aws/lambda/cwsyn-%s-*", props.Environment.Region, props.Environment.Account, name)},
				map[string]any{"Sid": "Metrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
					"Condition": map[string]any{"StringEquals": map[string]any{"cloudwatch:namespace": "CloudWatchSynthetics"}}},
				map[string]any{"Sid": "ListBuckets", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"},
				map[string]any{"Sid": "Traces", "Effect": "Allow", "Action": []string{"xray:PutTraceSegments"}, "Resource": "*"},
			),
		}},
	})
	cdknag.NagSuppressions_AddResourceSuppressions(role, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("Scoped as far as the services allow: cloudwatch:PutMetricData, s3:ListAllMyBuckets and xray:PutTraceSegments " +
			"take no resource ARN (metrics are limited to the CloudWatchSynthetics namespace by condition); artifact writes are limited to " +
			"this canary's prefix and logs to its own Lambda log groups, whose names end in an id the service chooses."),
	}}, nil)
	variables := map[string]interface{}{}
	for k, v := range canary.Env {
		variables[k] = v
	}
	run := &awssynthetics.CfnCanary_RunConfigProperty{
		TimeoutInSeconds: jsii.Number(canary.Timeout.Seconds()),
		ActiveTracing:    jsii.Bool(true),
	}
	if len(variables) > 0 {
		run.EnvironmentVariables = variables
	}
	awssynthetics.NewCfnCanary(scope, jsii.String(canary.Name), &awssynthetics.CfnCanaryProps{
		Name:                     jsii.String(name),
		RuntimeVersion:           jsii.String(synthetics.Runtime),
		ExecutionRoleArn:         role.AttrArn(),
		ArtifactS3Location:       jsii.String(fmt.Sprintf("s3://%s/%s", props.Artifacts.Bucket, prefix)),
		Code:                     &awssynthetics.CfnCanary_CodeProperty{Handler: jsii.String(synthetics.Handler), Script: jsii.String(synthetics.Script(canary))},
		Schedule:                 &awssynthetics.CfnCanary_ScheduleProperty{Expression: jsii.String(schedule(canary.Schedule))},
		RunConfig:                run,
		SuccessRetentionPeriod:   jsii.Number(retentionDays),
		FailureRetentionPeriod:   jsii.Number(retentionDays),
		StartCanaryAfterCreation: jsii.Bool(true),
		Tags:                     props.Alarms.tags(canary.Name, canary.Severity),
	})
	period := int(max(canary.Schedule, time.Minute) / time.Second)
	props.Alarms.Static(scope, StaticAlarmProps{
		ID:                canary.Name + "-success",
		Description:       fmt.Sprintf("Canary %s (%s) succeeded in fewer than 90%% of its runs in 2 of the last 3 periods.", name, canary.Description),
		Severity:          canary.Severity,
		Metric:            metrics.CanarySuccess(name),
		Statistic:         "Average",
		PeriodSeconds:     period,
		Comparison:        "LessThanThreshold",
		Threshold:         90,
		EvaluationPeriods: 3,
		DatapointsToAlarm: 2,
		MissingData:       "notBreaching",
	})
	steps := append([]plan.CanaryStep{}, canary.Steps...)
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].Name < steps[j].Name })
	for _, step := range steps {
		if step.LatencyBudget <= 0 {
			continue
		}
		props.Alarms.Static(scope, StaticAlarmProps{
			ID:                fmt.Sprintf("%s-%s-duration", canary.Name, step.Name),
			Description:       fmt.Sprintf("Step %s of canary %s took longer than its %s latency budget in 2 of the last 3 periods.", step.Name, name, spec.FormatDuration(step.LatencyBudget)),
			Severity:          canary.Severity,
			Metric:            metrics.CanaryStepDuration(name, step.Name),
			Statistic:         "Maximum",
			PeriodSeconds:     period,
			Comparison:        "GreaterThanThreshold",
			Threshold:         float64(step.LatencyBudget.Milliseconds()),
			EvaluationPeriods: 3,
			DatapointsToAlarm: 2,
			MissingData:       "notBreaching",
		})
	}
}
