// Package constructs holds one CDK construct per monitoring concern, each
// built from a plan value of package plan. Every CloudWatch alarm is created
// by AlarmFactory, which applies naming, description (severity, runbook,
// catalog source), tags and defaults, so a new kind of monitor cannot forget
// them.
//
// Constructs here are L1 (Cfn*) resources built from full props structs:
// crossing into the jsii runtime costs about 0.37 ms per L1 resource and
// about 1.7 ms per L2 Metric+Alarm pair, so values are computed in Go and
// each resource crosses once.
package constructs

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// Tag keys set on generated resources.
const (
	TagService  = "slocatalog:service"
	TagOwner    = "slocatalog:owner"
	TagFile     = "slocatalog:file"
	TagID       = "slocatalog:id"
	TagSeverity = "slocatalog:severity"
)

// maxDescription is CloudWatch's limit on AlarmDescription.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
const maxDescription = 1024

// CreatedAlarm is an alarm (or composite alarm) the factory created: its
// name and severity, the resource to depend on, and whether the service's
// roll-up of its severity includes it.
type CreatedAlarm struct {
	Name       string
	Severity   string
	Dependable cdkconstructs.IDependable
	InRollup   bool
	// Scope and ID are where the alarm was made; composites over alarms of
	// their own stack name them in DependsOn without asking jsii.
	Scope cdkconstructs.Construct
	ID    string
}

// AlarmFactory creates every alarm of one service in one environment.
type AlarmFactory struct {
	Org, Env string
	Service  *plan.Service // nil for alarms that belong to no service (routing)
	// Actions are alarm actions (ARNs); service alarms have none, as
	// EventBridge routes their state changes.
	Actions      []string
	created      []CreatedAlarm
	isStackScope map[cdkconstructs.Construct]bool // which scopes are stacks, asked once each
}

// Alarms returns the alarms the factory has created so far, in creation order.
func (f *AlarmFactory) Alarms() []CreatedAlarm { return f.created }

// Name is the CloudWatch alarm name for a catalog object of the service.
func (f *AlarmFactory) Name(id string) string {
	svc := "routing"
	if f.Service != nil {
		svc = f.Service.Name
	}
	return names.AlarmName(f.Org, f.Env, svc, id)
}

// alarmHeader is what the factory writes the same way on every alarm it
// makes, metric or composite.
type alarmHeader struct {
	ID          string   // catalog-scoped id: logical ID, tag, and name after AlarmFactory.Name
	Description string   // the alarm's own text, before the factory's severity, service and catalog lines
	Severity    string   // page or ticket
	Pos         diag.Pos // where the catalog declares the alarm; zero for alarms the catalog implies
}

// description builds the alarm description an on-call reads first.
func (f *AlarmFactory) description(header alarmHeader) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(header.Description))
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Severity: %s.", header.Severity)
	if f.Service != nil {
		fmt.Fprintf(&b, " Service: %s (owner %s).", f.Service.Name, f.Service.Owner)
		if f.Service.Runbook != "" {
			fmt.Fprintf(&b, " Runbook: %s", f.Service.Runbook)
		}
	}
	// File and id, never the line: deployed text must not change when an
	// edit elsewhere in the file moves the object (slocat explain has the line).
	if header.Pos.File != "" {
		fmt.Fprintf(&b, "\nCatalog: %s (%s)", header.Pos.File, header.ID)
	}
	text := b.String()
	if len(text) > maxDescription {
		text = text[:maxDescription-3] + "..."
	}
	return text
}

func (f *AlarmFactory) tags(id, severity string) *[]*awscdk.CfnTag {
	return &[]*awscdk.CfnTag{
		{Key: jsii.String(TagID), Value: jsii.String(id)},
		{Key: jsii.String(TagSeverity), Value: jsii.String(severity)},
	}
}

// tagsID tags a non-alarm resource with its catalog id.
func (f *AlarmFactory) tagsID(id string) *[]*awscdk.CfnTag {
	return &[]*awscdk.CfnTag{{Key: jsii.String(TagID), Value: jsii.String(id)}}
}

func (f *AlarmFactory) actions() *[]interface{} {
	if len(f.Actions) == 0 {
		return nil
	}
	out := make([]interface{}, len(f.Actions))
	for i, action := range f.Actions {
		out[i] = action
	}
	return &out
}

// metricAlarm is the one place a CfnAlarm is made: it sets the header's
// name, description and tags on props, and actions and the missing-data
// default. The service roll-up of the alarm's severity includes it.
func (f *AlarmFactory) metricAlarm(scope cdkconstructs.Construct, header alarmHeader, props *awscloudwatch.CfnAlarmProps) awscloudwatch.CfnAlarm {
	name := f.Name(header.ID)
	props.AlarmName = jsii.String(name)
	props.AlarmDescription = jsii.String(f.description(header))
	props.Tags = f.tags(header.ID, header.Severity)
	props.ActionsEnabled = jsii.Bool(true)
	props.AlarmActions = f.actions()
	props.OkActions = f.actions()
	if props.TreatMissingData == nil {
		props.TreatMissingData = jsii.String(plan.DefaultMissingData)
	}
	alarm := awscloudwatch.NewCfnAlarm(scope, jsii.String(header.ID), props)
	f.created = append(f.created, CreatedAlarm{Name: name, Severity: header.Severity, Dependable: alarm, InRollup: true, Scope: scope, ID: header.ID})
	return alarm
}

// dimensions converts a metric's dimensions to the dimension type of one
// CloudFormation resource, made by dimension; nil when there are none, so
// the property is left out.
func dimensions[T any](ds []plan.Dimension, dimension func(name, value *string) T) *[]T {
	if len(ds) == 0 {
		return nil
	}
	out := make([]T, len(ds))
	for i, d := range ds {
		out[i] = dimension(jsii.String(d.Name), jsii.String(d.Value))
	}
	return &out
}

// alarmDimension is a dimension of an AWS::CloudWatch::Alarm metric.
func alarmDimension(name, value *string) *awscloudwatch.CfnAlarm_DimensionProperty {
	return &awscloudwatch.CfnAlarm_DimensionProperty{Name: name, Value: value}
}

// detectorDimension is a dimension of an AWS::CloudWatch::AnomalyDetector metric.
func detectorDimension(name, value *string) *awscloudwatch.CfnAnomalyDetector_DimensionProperty {
	return &awscloudwatch.CfnAnomalyDetector_DimensionProperty{Name: name, Value: value}
}

func metricStat(id string, metric plan.Metric, statistic string, period int, returnData bool) *awscloudwatch.CfnAlarm_MetricDataQueryProperty {
	return &awscloudwatch.CfnAlarm_MetricDataQueryProperty{
		Id:         jsii.String(id),
		ReturnData: jsii.Bool(returnData),
		MetricStat: &awscloudwatch.CfnAlarm_MetricStatProperty{
			Metric: &awscloudwatch.CfnAlarm_MetricProperty{
				Namespace:  jsii.String(metric.Namespace),
				MetricName: jsii.String(metric.Name),
				Dimensions: dimensions(metric.Dimensions, alarmDimension),
			},
			Period: jsii.Number(float64(period)),
			Stat:   jsii.String(statistic),
		},
	}
}

// FromPlan creates the alarm a catalog alarm asks for: a static threshold
// (with the low-traffic guard where minSamples is set) or an anomaly band
// with its detector.
func (f *AlarmFactory) FromPlan(scope cdkconstructs.Construct, planned *plan.Alarm) awscloudwatch.CfnAlarm {
	props := &awscloudwatch.CfnAlarmProps{
		ComparisonOperator: jsii.String(planned.Comparison),
		EvaluationPeriods:  jsii.Number(float64(planned.EvaluationPeriods)),
		DatapointsToAlarm:  jsii.Number(float64(planned.DatapointsToAlarm)),
		TreatMissingData:   jsii.String(planned.MissingData),
	}
	text := planned.Description
	switch {
	case planned.Anomaly != nil:
		// The band is computed by an explicit detector, so its model exists
		// before the alarm evaluates.
		detector := awscloudwatch.NewCfnAnomalyDetector(scope, jsii.String(planned.ID+"-detector"), &awscloudwatch.CfnAnomalyDetectorProps{
			SingleMetricAnomalyDetector: &awscloudwatch.CfnAnomalyDetector_SingleMetricAnomalyDetectorProperty{
				Namespace:  jsii.String(planned.Metric.Namespace),
				MetricName: jsii.String(planned.Metric.Name),
				Stat:       jsii.String(planned.Statistic),
				Dimensions: dimensions(planned.Metric.Dimensions, detectorDimension),
			},
		})
		props.Metrics = &[]interface{}{
			metricStat("m1", planned.Metric, planned.Statistic, planned.PeriodSeconds, true),
			&awscloudwatch.CfnAlarm_MetricDataQueryProperty{
				Id:         jsii.String("band"),
				Expression: jsii.String(fmt.Sprintf("ANOMALY_DETECTION_BAND(m1, %s)", formatNumber(planned.Anomaly.Band))),
				Label:      jsii.String("expected range"),
				ReturnData: jsii.Bool(true),
			},
		}
		props.ThresholdMetricId = jsii.String("band")
		alarm := f.metricAlarm(scope, alarmHeader{ID: planned.ID, Description: text, Severity: planned.Severity, Pos: planned.Pos}, props)
		alarm.AddResourceDependency(detector, jsii.String("the band needs its detector"))
		return alarm
	case planned.MinSamples > 0:
		// Low-traffic guard: a period with fewer samples than asked yields no
		// datapoint, and missing data does not breach, so a p99 of three
		// requests never pages.
		props.Threshold = jsii.Number(planned.Threshold)
		props.TreatMissingData = jsii.String("notBreaching")
		props.Metrics = &[]interface{}{
			metricStat("value", planned.Metric, planned.Statistic, planned.PeriodSeconds, false),
			metricStat("samples", planned.Metric, "SampleCount", planned.PeriodSeconds, false),
			&awscloudwatch.CfnAlarm_MetricDataQueryProperty{
				Id:         jsii.String("guarded"),
				Expression: jsii.String(fmt.Sprintf("IF(samples >= %d, value)", planned.MinSamples)),
				Label:      jsii.String(fmt.Sprintf("%s when at least %d samples", planned.Statistic, planned.MinSamples)),
				ReturnData: jsii.Bool(true),
			},
		}
		text = strings.TrimSpace(text + fmt.Sprintf(" Periods with fewer than %d samples are ignored.", planned.MinSamples))
	default:
		props.Namespace = jsii.String(planned.Metric.Namespace)
		props.MetricName = jsii.String(planned.Metric.Name)
		props.Dimensions = dimensions(planned.Metric.Dimensions, alarmDimension)
		props.Period = jsii.Number(float64(planned.PeriodSeconds))
		props.Threshold = jsii.Number(planned.Threshold)
		setStatistic(props, planned.Statistic)
	}
	return f.metricAlarm(scope, alarmHeader{ID: planned.ID, Description: text, Severity: planned.Severity, Pos: planned.Pos}, props)
}

// setStatistic sets a percentile as ExtendedStatistic and any other
// statistic as Statistic, as CloudWatch requires.
func setStatistic(props *awscloudwatch.CfnAlarmProps, statistic string) {
	if spec.Statistic(statistic).IsPercentile() {
		props.ExtendedStatistic = jsii.String(statistic)
	} else {
		props.Statistic = jsii.String(statistic)
	}
}

// StaticAlarmProps describes a static-threshold alarm on one metric, made
// by AlarmFactory.Static. The service roll-up of its severity includes it.
type StaticAlarmProps struct {
	// ID is the alarm's catalog-scoped id: its logical ID, its tag, and its
	// name after AlarmFactory.Name. Required.
	ID string
	// Description is the alarm's own text; the factory adds the severity,
	// the service, its owner and runbook. Default: none.
	Description string
	// Severity is page or ticket, written in the description and the tag. Required.
	Severity string
	// Metric is the metric the alarm watches. Required.
	Metric plan.Metric
	// Statistic is a CloudWatch statistic (Average, Maximum, SampleCount, …)
	// or a percentile (p99), which is set as ExtendedStatistic. Required.
	Statistic string
	// PeriodSeconds is the length of one evaluated period. Default: 60 (plan.DefaultPeriod).
	PeriodSeconds int
	// Comparison is the CloudFormation ComparisonOperator, such as
	// GreaterThanThreshold. Required.
	Comparison string
	// Threshold is what the statistic is compared with. Default: 0.
	Threshold float64
	// EvaluationPeriods is how many recent periods are evaluated. Default: 1.
	EvaluationPeriods int
	// DatapointsToAlarm is how many of those periods must breach. Default:
	// EvaluationPeriods (all of them).
	DatapointsToAlarm int
	// MissingData is TreatMissingData: missing, notBreaching, breaching or
	// ignore. Default: plan.DefaultMissingData (missing).
	MissingData string
}

// Static creates a plain static-threshold alarm on one metric.
func (f *AlarmFactory) Static(scope cdkconstructs.Construct, props StaticAlarmProps) awscloudwatch.CfnAlarm {
	if props.ID == "" || props.Severity == "" || props.Statistic == "" || props.Comparison == "" {
		panic(fmt.Sprintf("constructs: static alarm %q needs an ID, a severity, a statistic and a comparison", props.ID))
	}
	period := props.PeriodSeconds
	if period == 0 {
		period = int(plan.DefaultPeriod / time.Second)
	}
	evaluationPeriods := max(props.EvaluationPeriods, 1)
	datapoints := props.DatapointsToAlarm
	if datapoints == 0 {
		datapoints = evaluationPeriods
	}
	missingData := props.MissingData
	if missingData == "" {
		missingData = plan.DefaultMissingData
	}
	cfnProps := &awscloudwatch.CfnAlarmProps{
		Namespace:          jsii.String(props.Metric.Namespace),
		MetricName:         jsii.String(props.Metric.Name),
		Dimensions:         dimensions(props.Metric.Dimensions, alarmDimension),
		Period:             jsii.Number(float64(period)),
		ComparisonOperator: jsii.String(props.Comparison),
		Threshold:          jsii.Number(props.Threshold),
		EvaluationPeriods:  jsii.Number(float64(evaluationPeriods)),
		DatapointsToAlarm:  jsii.Number(float64(datapoints)),
		TreatMissingData:   jsii.String(missingData),
	}
	setStatistic(cfnProps, props.Statistic)
	return f.metricAlarm(scope, alarmHeader{ID: props.ID, Description: props.Description, Severity: props.Severity}, cfnProps)
}

// maxRuleAlarms is how many alarms one composite rule names before the
// factory nests composites. The AlarmRule expression is at most 10,240
// characters: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
const maxRuleAlarms = 50

// CompositeAlarmProps describes a composite alarm that is in ALARM when any
// of its children is, made by AlarmFactory.Composite.
type CompositeAlarmProps struct {
	// ID is the composite's id: its logical ID, its tag, and its name after
	// AlarmFactory.Name. Required.
	ID string
	// Description is the composite's own text; the factory adds the
	// severity, the service, its owner and runbook. Default: none.
	Description string
	// Severity is page or ticket, written in the description and the tag. Required.
	Severity string
	// Children are the alarms it watches, in any order (the rule names them
	// by name). Required: at least one.
	Children []CreatedAlarm
}

// Composite creates an OR composite over its children with the factory's
// actions, nesting composites (<id>-part1, -part2, …, without actions) when
// there are more than fit in one rule. It returns the top composite.
func (f *AlarmFactory) Composite(scope cdkconstructs.Construct, props CompositeAlarmProps) awscloudwatch.CfnCompositeAlarm {
	children := slices.Clone(props.Children)
	sort.Slice(children, func(i, j int) bool { return children[i].Name < children[j].Name })
	if len(children) > maxRuleAlarms {
		var parts []CreatedAlarm
		for i := 0; i*maxRuleAlarms < len(children); i++ {
			part := props
			part.ID = fmt.Sprintf("%s-part%d", props.ID, i+1)
			part.Children = children[i*maxRuleAlarms : min((i+1)*maxRuleAlarms, len(children))]
			composite := f.composite(scope, part, nil)
			parts = append(parts, CreatedAlarm{Name: f.Name(part.ID), Severity: props.Severity, Dependable: composite, Scope: scope, ID: part.ID})
		}
		children = parts
	}
	top := props
	top.Children = children
	return f.composite(scope, top, f.actions())
}

// composite is the one place a CfnCompositeAlarm is made: its children
// (in the order given) joined by OR, with the factory's naming, description
// and tags and the given actions, created after its children.
func (f *AlarmFactory) composite(scope cdkconstructs.Construct, props CompositeAlarmProps, actions *[]interface{}) awscloudwatch.CfnCompositeAlarm {
	terms := make([]string, len(props.Children))
	dependables := make([]cdkconstructs.IDependable, len(props.Children))
	siblingIDs := make([]string, 0, len(props.Children))
	for i, child := range props.Children {
		terms[i] = fmt.Sprintf("ALARM(%q)", child.Name)
		dependables[i] = child.Dependable
		if logicalID, ok := f.siblingLogicalID(scope, child); ok {
			siblingIDs = append(siblingIDs, logicalID)
		}
	}
	composite := awscloudwatch.NewCfnCompositeAlarm(scope, jsii.String(props.ID), &awscloudwatch.CfnCompositeAlarmProps{
		AlarmName:        jsii.String(f.Name(props.ID)),
		AlarmRule:        jsii.String(strings.Join(terms, " OR ")),
		AlarmDescription: jsii.String(f.description(alarmHeader{ID: props.ID, Description: props.Description, Severity: props.Severity})),
		ActionsEnabled:   jsii.Bool(true),
		AlarmActions:     actions,
		OkActions:        actions,
		Tags:             f.tags(props.ID, props.Severity),
	})
	switch {
	case len(props.Children) == 0:
	case len(siblingIDs) == len(props.Children):
		// All children are siblings in this stack: one crossing sets
		// DependsOn, where Node().AddDependency takes two.
		sort.Strings(siblingIDs)
		composite.AddOverride(jsii.String("DependsOn"), siblingIDs)
	default:
		composite.Node().AddDependency(dependables...)
	}
	return composite
}

// siblingLogicalID returns the logical ID CDK gives child when it is a
// direct child of scope and scope is a stack: for a construct whose path in
// its stack is one ID, CDK uses that ID with everything but letters and
// digits removed (up to 255 characters). TestDependsOn checks every
// DependsOn of the synthesized templates against their resources.
func (f *AlarmFactory) siblingLogicalID(scope cdkconstructs.Construct, child CreatedAlarm) (string, bool) {
	if child.Scope != scope || child.ID == "" || !f.isStack(scope) {
		return "", false
	}
	id := names.OutputName(child.ID) // the same rule: ASCII letters and digits
	if id == "" || len(id) > 255 {
		return "", false
	}
	return id, true
}

// isStack reports whether scope is a stack, asking jsii once per scope.
func (f *AlarmFactory) isStack(scope cdkconstructs.Construct) bool {
	if f.isStackScope == nil {
		f.isStackScope = map[cdkconstructs.Construct]bool{}
	}
	isStack, ok := f.isStackScope[scope]
	if !ok {
		isStack = *awscdk.Stack_IsStack(scope)
		f.isStackScope[scope] = isStack
	}
	return isStack
}

// formatNumber writes a number in its shortest form (fmt's %v): 14.4, 0.5, 3.
func formatNumber(value float64) string { return fmt.Sprint(value) }
