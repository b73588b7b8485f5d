package constructs

import (
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/synthetics"
)

// TestCanary: a canary runs its generated script on its schedule with
// tracing, writes artifacts under its own prefix of the environment's
// bucket, runs as a role of its own, and has a success-rate alarm and a
// duration alarm for each step with a latency budget (none for a step
// without).
func TestCanary(t *testing.T) {
	stack := newStack()
	canary := &plan.Canary{
		Name: "home", Description: "home page loads", Schedule: 5 * time.Minute, Timeout: time.Minute, Severity: "page",
		Env: map[string]string{"BASE_URL": "https://shop.example.com"},
		Steps: []plan.CanaryStep{
			{Name: "load", Method: "GET", URL: "https://shop.example.com/", ExpectStatus: 200, LatencyBudget: 800 * time.Millisecond},
			{Name: "api", Method: "GET", URL: "https://shop.example.com/api/health", ExpectStatus: 200},
		},
	}
	NewCanary(stack, CanaryProps{
		Alarms:      testFactory(),
		Artifacts:   &Artifacts{Bucket: "acme-artifacts", BucketArn: "arn:aws:s3:::acme-artifacts"},
		Canary:      canary,
		Environment: testEnvironment(),
	})
	tpl := synth(t, stack)
	wantJSON(t, "resources", tpl.logicalIDs(""), `["home","homeloadduration","homerole","homesuccess"]`)
	run := tpl.get(t, "home", "AWS::Synthetics::Canary")
	wantProps(t, "home", run, map[string]any{
		"Name":                     "prod-home",
		"RuntimeVersion":           synthetics.Runtime,
		"ArtifactS3Location":       "s3://acme-artifacts/canary/prod-home",
		"Schedule":                 map[string]any{"Expression": "rate(5 minutes)"},
		"RunConfig":                map[string]any{"ActiveTracing": true, "TimeoutInSeconds": 60, "EnvironmentVariables": map[string]any{"BASE_URL": "https://shop.example.com"}},
		"StartCanaryAfterCreation": true,
		"SuccessRetentionPeriod":   retentionDays,
		"FailureRetentionPeriod":   retentionDays,
		"Tags":                     []any{map[string]any{"Key": TagID, "Value": "home"}, map[string]any{"Key": TagSeverity, "Value": "page"}},
	})
	if code := run.Properties["Code"].(map[string]any); code["Handler"] != synthetics.Handler || code["Script"] != synthetics.Script(canary) {
		t.Errorf("canary code is not the generated script under %s", synthetics.Handler)
	}
	wantProps(t, "homesuccess", tpl.get(t, "homesuccess", "AWS::CloudWatch::Alarm"), map[string]any{
		"AlarmName":          "acme-prod-checkout-home-success",
		"Namespace":          "CloudWatchSynthetics",
		"MetricName":         "SuccessPercent",
		"Dimensions":         []any{map[string]any{"Name": "CanaryName", "Value": "prod-home"}},
		"Statistic":          "Average",
		"Period":             300,
		"ComparisonOperator": "LessThanThreshold",
		"Threshold":          90,
		"EvaluationPeriods":  3,
		"DatapointsToAlarm":  2,
		"TreatMissingData":   "notBreaching",
	})
	wantProps(t, "homeloadduration", tpl.get(t, "homeloadduration", "AWS::CloudWatch::Alarm"), map[string]any{
		"MetricName":         "Duration",
		"Dimensions":         []any{map[string]any{"Name": "CanaryName", "Value": "prod-home"}, map[string]any{"Name": "StepName", "Value": "load"}},
		"Statistic":          "Maximum",
		"ComparisonOperator": "GreaterThanThreshold",
		"Threshold":          800,
	})
	role := tpl.get(t, "homerole", "AWS::IAM::Role")
	statements := role.Properties["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	wantJSON(t, "artifacts statement", statements[0], `{"Action":"s3:PutObject","Effect":"Allow","Resource":"arn:aws:s3:::acme-artifacts/canary/prod-home/*","Sid":"Artifacts"}`)
}

// TestArtifacts: the artifacts bucket and its access-log bucket are
// encrypted, block public access and expire; both refuse requests without
// TLS; the bucket's name is published for the service stacks.
func TestArtifacts(t *testing.T) {
	stack := newStack()
	NewArtifacts(stack, testOrg, testEnv)
	tpl := synth(t, stack)
	wantJSON(t, "resources", tpl.logicalIDs(""), `["canaryaccesslogs","canaryaccesslogspolicy","canaryartifacts","canaryartifactsbucket","canaryartifactspolicy"]`)
	for id, days := range map[string]int{"canaryartifacts": artifactDays, "canaryaccesslogs": accessLogDays} {
		wantProps(t, id, tpl.get(t, id, "AWS::S3::Bucket"), map[string]any{
			"BucketEncryption":               map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}},
			"PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
			"LifecycleConfiguration":         map[string]any{"Rules": []any{map[string]any{"ExpirationInDays": days, "Id": "expire", "Status": "Enabled"}}},
		})
	}
	logging := tpl.get(t, "canaryartifacts", "AWS::S3::Bucket").Properties["LoggingConfiguration"]
	wantJSON(t, "canaryartifacts.LoggingConfiguration", logging, `{"DestinationBucketName":{"Ref":"canaryaccesslogs"},"LogFilePrefix":"canary-artifacts/"}`)
	for _, id := range []string{"canaryartifactspolicy", "canaryaccesslogspolicy"} {
		statements := tpl.get(t, id, "AWS::S3::BucketPolicy").Properties["PolicyDocument"].(map[string]any)["Statement"].([]any)
		last := statements[len(statements)-1].(map[string]any)
		if last["Sid"] != "DenyInsecureTransport" || last["Effect"] != "Deny" {
			t.Errorf("%s does not end by denying insecure transport: %v", id, last)
		}
	}
	wantProps(t, "canaryartifactsbucket", tpl.get(t, "canaryartifactsbucket", "AWS::SSM::Parameter"), map[string]any{
		"Name":  "/slocatalog/acme/prod/canary-artifacts-bucket",
		"Type":  "String",
		"Value": map[string]any{"Ref": "canaryartifacts"},
	})
}
