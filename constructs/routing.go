package constructs

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/slocatalog/slocatalog/plan"
)

// RouteTarget is what a service's routing rules need to reach one route.
type RouteTarget struct {
	Route    *plan.Route
	Arn      string // SNS topic or API destination ARN (a token)
	CloseArn string // Opsgenie: the API destination that closes an alert
	UsesRole bool   // API destinations are invoked with the events role
}

// Routing is an environment's shared routing: targets for every route the
// environment's services use, a dead-letter queue for undeliverable events,
// an alarm on it, and the role EventBridge uses to call API destinations.
//
// NewRouting returns it with tokens of the routing stack's resources, for
// use in that stack; RoutingByName returns the same values as service
// stacks reach them, by name, with no export between the stacks.
type Routing struct {
	Org, Env      string
	Account       string
	Region        string
	Targets       map[string]*RouteTarget
	DLQArn        string
	EventsRoleArn string // empty when no route is an API destination
}

// RoutingParameter is the name of the SSM parameter in which the routing
// stack publishes one of its values (key: "route/<id>/arn",
// "route/<id>/close-arn", "events-role-arn", "canary-artifacts-bucket").
func RoutingParameter(org, env, key string) string {
	return fmt.Sprintf("/slocatalog/%s/%s/%s", org, env, key)
}

// readParameter returns, in scope's stack, the value of an SSM String
// parameter as CloudFormation reads it when the stack deploys: CDK declares
// a template parameter of type AWS::SSM::Parameter::Value<String> whose
// default is the name, once per stack and name
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types).
// Unlike dynamic references, of which a template may hold 60
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html),
// a stack reads each parameter once however many targets and canaries use it.
func readParameter(scope cdkconstructs.Construct, name string) string {
	return *awsssm.StringParameter_ValueForStringParameter(scope, jsii.String(name), nil)
}

// DLQName is the name of an environment's routing dead-letter queue.
func DLQName(org, env string) string { return fmt.Sprintf("%s-%s-alarm-routing-dlq", org, env) }

// RoutingByName is an environment's routing as a service stack (scope)
// reaches it: route targets and the events role through the SSM parameters
// the routing stack writes, the dead-letter queue by the ARN its fixed name
// gives it. A service stack therefore imports nothing from the
// routing stack, and the routing stack may drop a route's target (a route
// switch, a rename, a route's last user gone) while a deployed service
// stack still targets it: CloudFormation refuses to remove an export in use,
// not a parameter
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-importvalue.html).
func RoutingByName(scope cdkconstructs.Construct, org string, environment *plan.Environment, routes []string) *Routing {
	routing := &Routing{Org: org, Env: environment.Name, Account: environment.Account, Region: environment.Region, Targets: map[string]*RouteTarget{},
		DLQArn: fmt.Sprintf("arn:aws:sqs:%s:%s:%s", environment.Region, environment.Account, DLQName(org, environment.Name))}
	used := map[string]bool{}
	for _, id := range routes {
		used[id] = true
	}
	for _, route := range environment.Routes {
		if !used[route.ID] {
			continue // read only the parameters the stack uses
		}
		target := &RouteTarget{Route: route, UsesRole: route.Type != "email",
			Arn: readParameter(scope, RoutingParameter(org, environment.Name, "route/"+route.ID+"/arn"))}
		if route.Type == "opsgenie" {
			target.CloseArn = readParameter(scope, RoutingParameter(org, environment.Name, "route/"+route.ID+"/close-arn"))
		}
		if target.UsesRole && routing.EventsRoleArn == "" {
			routing.EventsRoleArn = readParameter(scope, RoutingParameter(org, environment.Name, "events-role-arn"))
		}
		routing.Targets[route.ID] = target
	}
	return routing
}

// parameterProps is one routing value the routing stack publishes for the
// service stacks.
type parameterProps struct {
	ID    string // construct id of the AWS::SSM::Parameter
	Org   string // the organisation whose routing it is
	Env   string // the environment whose routing it is
	Key   string // the parameter's key under RoutingParameter
	Value string // the value (often a token)
	What  string // what the value is, for the parameter's description
}

// publish writes a routing value into its SSM parameter.
func publish(scope cdkconstructs.Construct, p parameterProps) {
	awsssm.NewCfnParameter(scope, jsii.String(p.ID), &awsssm.CfnParameterProps{
		Name:        jsii.String(RoutingParameter(p.Org, p.Env, p.Key)),
		Type:        jsii.String("String"),
		Value:       jsii.String(p.Value),
		Description: jsii.String(fmt.Sprintf("slocatalog %s-%s: %s (read by the service stacks)", p.Org, p.Env, p.What)),
	})
}

// Secret returns the CloudFormation dynamic reference that resolves a
// Secrets Manager secret at deploy time, so no secret text is ever in a
// template: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
func Secret(nameOrARN string) string {
	return "{{resolve:secretsmanager:" + nameOrARN + ":SecretString}}"
}

// policyDocument is an IAM policy document of the given statements.
func policyDocument(statements ...map[string]any) map[string]any {
	return map[string]any{"Version": "2012-10-17", "Statement": statements}
}

// denyInsecure is the statement that refuses requests not made over TLS.
func denyInsecure(action string, resource any) map[string]any {
	return map[string]any{
		"Sid":       "DenyInsecureTransport",
		"Effect":    "Deny",
		"Principal": map[string]any{"AWS": "*"},
		"Action":    action,
		"Resource":  resource,
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	}
}

// RuleArnPattern matches the ARNs of every routing rule of an environment.
func RuleArnPattern(org, env, account, region string) string {
	return fmt.Sprintf("arn:aws:events:%s:%s:rule/%s-%s-*", region, account, org, env)
}

// NewRouting builds the routing of one environment into scope.
func NewRouting(scope cdkconstructs.Construct, org string, environment *plan.Environment) *Routing {
	routing := &Routing{Org: org, Env: environment.Name, Account: environment.Account, Region: environment.Region, Targets: map[string]*RouteTarget{}}
	account, region := environment.Account, environment.Region
	key := awskms.NewCfnKey(scope, jsii.String("key"), &awskms.CfnKeyProps{
		Description:       jsii.String(fmt.Sprintf("slocatalog %s-%s: alarm routing topics and dead-letter queue", org, environment.Name)),
		EnableKeyRotation: jsii.Bool(true),
		KeyPolicy: policyDocument(
			map[string]any{"Sid": "AccountAdministers", "Effect": "Allow", "Principal": map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%s:root", account)}, "Action": "kms:*", "Resource": "*"},
			map[string]any{"Sid": "ServicesEncrypt", "Effect": "Allow",
				"Principal": map[string]any{"Service": []string{"events.amazonaws.com", "cloudwatch.amazonaws.com"}},
				"Action":    []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}}},
		),
	})
	// The key and the dead-letter queue outlive a replacement or deletion of
	// the stack: undelivered alarms in the queue stay readable, and the key
	// is not scheduled for deletion under them.
	key.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN, nil)
	keyArn := *key.AttrArn()

	dlq := awssqs.NewCfnQueue(scope, jsii.String("dead-letters"), &awssqs.CfnQueueProps{
		QueueName:              jsii.String(DLQName(org, environment.Name)),
		KmsMasterKeyId:         jsii.String(keyArn),
		MessageRetentionPeriod: jsii.Number(14 * 24 * 3600),
	})
	dlq.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN, nil)
	routing.DLQArn = *dlq.AttrArn()
	cdknag.NagSuppressions_AddResourceSuppressions(dlq, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-SQS3"),
		Reason: jsii.String("This queue is the dead-letter queue of the routing rules' targets (DeadLetterConfig), " +
			"which cdk-nag does not recognise; a dead-letter queue needs no dead-letter queue of its own."),
	}}, nil)
	awssqs.NewCfnQueuePolicy(scope, jsii.String("dead-letters-policy"), &awssqs.CfnQueuePolicyProps{
		Queues: &[]*string{dlq.Ref()},
		PolicyDocument: policyDocument(
			map[string]any{"Sid": "RoutingRulesDeadLetter", "Effect": "Allow", "Principal": map[string]any{"Service": "events.amazonaws.com"},
				"Action": "sqs:SendMessage", "Resource": routing.DLQArn,
				"Condition": map[string]any{"ArnLike": map[string]any{"aws:SourceArn": RuleArnPattern(org, environment.Name, account, region)}}},
			denyInsecure("sqs:*", routing.DLQArn),
		),
	})

	// The operations topic tells the email routes that routing itself failed.
	opsTopic := topic(scope, topicProps{ID: "ops", Name: fmt.Sprintf("%s-%s-alarm-routing-ops", org, environment.Name), KeyArn: keyArn, Publisher: "cloudwatch.amazonaws.com", Account: account})
	for _, route := range environment.Routes {
		if route.Type == "email" {
			for i, address := range route.Emails {
				awssns.NewCfnSubscription(scope, jsii.String(fmt.Sprintf("ops-%s-%d", route.ID, i)), &awssns.CfnSubscriptionProps{
					TopicArn: opsTopic, Protocol: jsii.String("email"), Endpoint: jsii.String(address),
				})
			}
		}
	}
	alarms := &AlarmFactory{Org: org, Env: environment.Name, Actions: []string{opsTopic}}
	alarms.Static(scope, StaticAlarmProps{
		ID:                "dead-letters-visible",
		Description:       "Alarm notifications could not be delivered to an on-call target and wait in the routing dead-letter queue. Check the connection and secret of the route named in the messages, then redrive them.",
		Severity:          "page",
		Metric:            plan.Metric{Namespace: "AWS/SQS", Name: "ApproximateNumberOfMessagesVisible", Dimensions: []plan.Dimension{{Name: "QueueName", Value: DLQName(org, environment.Name)}}},
		Statistic:         "Maximum",
		PeriodSeconds:     60,
		Comparison:        "GreaterThanThreshold",
		Threshold:         0,
		EvaluationPeriods: 1,
		DatapointsToAlarm: 1,
		MissingData:       "notBreaching",
	})

	var destinations []string
	for _, route := range environment.Routes {
		target := &RouteTarget{Route: route}
		id := "route-" + route.ID
		switch route.Type {
		case "email":
			target.Arn = topic(scope, topicProps{ID: id, Name: fmt.Sprintf("%s-%s-%s", org, environment.Name, route.ID), KeyArn: keyArn, Publisher: "events.amazonaws.com", Account: account})
			for i, address := range route.Emails {
				awssns.NewCfnSubscription(scope, jsii.String(fmt.Sprintf("%s-%d", id, i)), &awssns.CfnSubscriptionProps{
					TopicArn: jsii.String(target.Arn), Protocol: jsii.String("email"), Endpoint: jsii.String(address),
				})
			}
		case "pagerduty":
			// Events API v2: the routing key travels in the body, added by the
			// connection from the secret.
			connectionArn := connection(scope, connectionProps{ID: id, Route: route, APIKeyName: "X-Slocat-Route", APIKeyValue: route.ID,
				SecretBody: []map[string]string{{"routing_key": Secret(route.Secret)}}})
			target.Arn = destination(scope, destinationProps{ID: id, Name: fmt.Sprintf("%s-%s-%s", org, environment.Name, route.ID), ConnectionArn: connectionArn,
				Endpoint: "https://events.pagerduty.com/v2/enqueue"})
		case "opsgenie":
			host := "api.opsgenie.com"
			if route.Region == "eu" {
				host = "api.eu.opsgenie.com"
			}
			connectionArn := connection(scope, connectionProps{ID: id, Route: route, APIKeyName: "Authorization", APIKeyValue: "GenieKey " + Secret(route.Secret)})
			target.Arn = destination(scope, destinationProps{ID: id, Name: fmt.Sprintf("%s-%s-%s", org, environment.Name, route.ID), ConnectionArn: connectionArn,
				Endpoint: "https://" + host + "/v2/alerts"})
			target.CloseArn = destination(scope, destinationProps{ID: id + "-close", Name: fmt.Sprintf("%s-%s-%s-close", org, environment.Name, route.ID), ConnectionArn: connectionArn,
				Endpoint: "https://" + host + "/v2/alerts/*/close?identifierType=alias"})
		case "slack":
			// chat.postMessage with the bot token as a bearer token, kept in
			// the connection (whose secrets EventBridge stores in Secrets
			// Manager and never describes), not in the endpoint URL:
			// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destination-partners.html
			connectionArn := connection(scope, connectionProps{ID: id, Route: route, APIKeyName: "Authorization", APIKeyValue: "Bearer " + Secret(route.Secret)})
			target.Arn = destination(scope, destinationProps{ID: id, Name: fmt.Sprintf("%s-%s-%s", org, environment.Name, route.ID), ConnectionArn: connectionArn,
				Endpoint: "https://slack.com/api/chat.postMessage"})
		}
		publish(scope, parameterProps{ID: id + "-arn", Org: org, Env: environment.Name, Key: "route/" + route.ID + "/arn", Value: target.Arn,
			What: "ARN of the target of route " + route.ID})
		if target.CloseArn != "" {
			publish(scope, parameterProps{ID: id + "-close-arn", Org: org, Env: environment.Name, Key: "route/" + route.ID + "/close-arn", Value: target.CloseArn,
				What: "ARN of the close destination of route " + route.ID})
		}
		if target.UsesRole = route.Type != "email"; target.UsesRole {
			destinations = append(destinations, target.Arn)
			if target.CloseArn != "" {
				destinations = append(destinations, target.CloseArn)
			}
		}
		routing.Targets[route.ID] = target
	}
	if len(destinations) > 0 {
		role := awsiam.NewCfnRole(scope, jsii.String("events-role"), &awsiam.CfnRoleProps{
			Description: jsii.String("EventBridge calls the on-call API destinations of " + org + "-" + environment.Name),
			AssumeRolePolicyDocument: policyDocument(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}}}),
			Policies: &[]interface{}{&awsiam.CfnRole_PolicyProperty{
				PolicyName:     jsii.String("invoke-api-destinations"),
				PolicyDocument: policyDocument(map[string]any{"Effect": "Allow", "Action": "events:InvokeApiDestination", "Resource": destinations}),
			}},
		})
		routing.EventsRoleArn = *role.AttrArn()
		publish(scope, parameterProps{ID: "events-role-arn", Org: org, Env: environment.Name, Key: "events-role-arn", Value: routing.EventsRoleArn,
			What: "ARN of the role EventBridge calls the API destinations with"})
	}
	return routing
}

// topicProps describes an SNS topic of the routing stack.
type topicProps struct {
	ID        string // construct id of the topic; its policy is <ID>-policy
	Name      string // TopicName
	KeyArn    string // the KMS key that encrypts it
	Publisher string // the one service principal that may publish to it
	Account   string // the account the publisher must publish from
}

// topic makes a KMS-encrypted SNS topic that only the given service may
// publish to, over TLS only, and returns its ARN.
func topic(scope cdkconstructs.Construct, p topicProps) string {
	snsTopic := awssns.NewCfnTopic(scope, jsii.String(p.ID), &awssns.CfnTopicProps{
		TopicName:      jsii.String(p.Name),
		KmsMasterKeyId: jsii.String(p.KeyArn),
	})
	arn := *snsTopic.Ref()
	awssns.NewCfnTopicPolicy(scope, jsii.String(p.ID+"-policy"), &awssns.CfnTopicPolicyProps{
		Topics: &[]*string{jsii.String(arn)},
		PolicyDocument: policyDocument(
			map[string]any{"Sid": "ServicePublishes", "Effect": "Allow", "Principal": map[string]any{"Service": p.Publisher}, "Action": "sns:Publish", "Resource": arn,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": p.Account}}},
			denyInsecure("sns:Publish", arn),
		),
	})
	return arn
}

// connectionProps describes the EventBridge connection of an on-call route.
type connectionProps struct {
	ID          string              // the route's construct id; the connection's is <ID>-connection
	Route       *plan.Route         // the route, named in the description
	APIKeyName  string              // the header that carries the key
	APIKeyValue string              // the header's value, a secret's dynamic reference
	SecretBody  []map[string]string // body parameters added to every call, kept secret; none when nil
}

// connection makes an API-key EventBridge connection and returns its ARN.
func connection(scope cdkconstructs.Construct, p connectionProps) string {
	auth := &awsevents.CfnConnection_AuthParametersProperty{
		ApiKeyAuthParameters: &awsevents.CfnConnection_ApiKeyAuthParametersProperty{ApiKeyName: jsii.String(p.APIKeyName), ApiKeyValue: jsii.String(p.APIKeyValue)},
	}
	if len(p.SecretBody) > 0 {
		var bodyParameters []interface{}
		for _, secretParameters := range p.SecretBody {
			for key, value := range secretParameters {
				bodyParameters = append(bodyParameters, &awsevents.CfnConnection_ParameterProperty{Key: jsii.String(key), Value: jsii.String(value), IsValueSecret: jsii.Bool(true)})
			}
		}
		auth.InvocationHttpParameters = &awsevents.CfnConnection_ConnectionHttpParametersProperty{BodyParameters: &bodyParameters}
	}
	description := fmt.Sprintf("%s route %s", p.Route.Type, p.Route.ID)
	if p.Route.Description != "" {
		description += ": " + p.Route.Description
	}
	conn := awsevents.NewCfnConnection(scope, jsii.String(p.ID+"-connection"), &awsevents.CfnConnectionProps{
		AuthorizationType: jsii.String("API_KEY"),
		AuthParameters:    auth,
		Description:       jsii.String(truncate(description, 512)),
	})
	return *conn.AttrArn()
}

// destinationProps describes an EventBridge API destination of an on-call route.
type destinationProps struct {
	ID            string // the route's construct id; the destination's is <ID>-destination
	Name          string // the destination's name, cut to 64 characters
	ConnectionArn string // the connection that authorizes its calls
	Endpoint      string // the URL it POSTs to
}

// destination makes an API destination and returns its ARN.
func destination(scope cdkconstructs.Construct, p destinationProps) string {
	apiDestination := awsevents.NewCfnApiDestination(scope, jsii.String(p.ID+"-destination"), &awsevents.CfnApiDestinationProps{
		Name:                         jsii.String(truncate(p.Name, 64)),
		ConnectionArn:                jsii.String(p.ConnectionArn),
		HttpMethod:                   jsii.String("POST"),
		InvocationEndpoint:           jsii.String(p.Endpoint),
		InvocationRateLimitPerSecond: jsii.Number(10),
	})
	return *apiDestination.AttrArn()
}

func truncate(text string, length int) string {
	if len(text) <= length {
		return text
	}
	return strings.TrimRight(text[:length], "-")
}
