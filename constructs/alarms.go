// Package constructs holds one CDK construct per monitoring concern, each
// built from a plan value of package slos. Every CloudWatch alarm is created
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
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/slos"
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
	Service  *slos.ServicePlan // nil for alarms that belong to no service (routing)
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
	return slos.AlarmName(f.Org, f.Env, svc, id)
}

// description builds the alarm description an on-call reads first.
func (f *AlarmFactory) description(text, severity, id string, pos slos.Pos) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(text))
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Severity: %s.", severity)
	if f.Service != nil {
		fmt.Fprintf(&b, " Service: %s (owner %s).", f.Service.Name, f.Service.Owner)
		if f.Service.Runbook != "" {
			fmt.Fprintf(&b, " Runbook: %s", f.Service.Runbook)
		}
	}
	// File and id, never the line: deployed text must not change when an
	// edit elsewhere in the file moves the object (slocat explain has the line).
	if pos.File != "" {
		fmt.Fprintf(&b, "\nCatalog: %s (%s)", pos.File, id)
	}
	s := b.String()
	if len(s) > maxDescription {
		s = s[:maxDescription-3] + "..."
	}
	return s
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
	for i, a := range f.Actions {
		out[i] = a
	}
	return &out
}

// metricAlarm is the one place a CfnAlarm is made: it applies name,
// description, tags, actions and the missing-data default.
func (f *AlarmFactory) metricAlarm(scope cdkconstructs.Construct, id, text, severity string, pos slos.Pos, p *awscloudwatch.CfnAlarmProps, rollup bool) awscloudwatch.CfnAlarm {
	name := f.Name(id)
	p.AlarmName = jsii.String(name)
	p.AlarmDescription = jsii.String(f.description(text, severity, id, pos))
	p.Tags = f.tags(id, severity)
	p.ActionsEnabled = jsii.Bool(true)
	p.AlarmActions = f.actions()
	p.OkActions = f.actions()
	if p.TreatMissingData == nil {
		p.TreatMissingData = jsii.String(slos.DefaultMissingData)
	}
	a := awscloudwatch.NewCfnAlarm(scope, jsii.String(id), p)
	f.created = append(f.created, CreatedAlarm{Name: name, Severity: severity, Dependable: a, InRollup: rollup, Scope: scope, ID: id})
	return a
}

// dimensions converts a metric's dimensions to the dimension type of one
// CloudFormation resource, made by dimension; nil when there are none, so
// the property is left out.
func dimensions[T any](ds []slos.Dimension, dimension func(name, value *string) T) *[]T {
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

func metricStat(id string, m slos.MetricPlan, stat string, period int, ret bool) *awscloudwatch.CfnAlarm_MetricDataQueryProperty {
	return &awscloudwatch.CfnAlarm_MetricDataQueryProperty{
		Id:         jsii.String(id),
		ReturnData: jsii.Bool(ret),
		MetricStat: &awscloudwatch.CfnAlarm_MetricStatProperty{
			Metric: &awscloudwatch.CfnAlarm_MetricProperty{
				Namespace:  jsii.String(m.Namespace),
				MetricName: jsii.String(m.Name),
				Dimensions: dimensions(m.Dimensions, alarmDimension),
			},
			Period: jsii.Number(float64(period)),
			Stat:   jsii.String(stat),
		},
	}
}

// FromPlan creates the alarm a catalog alarm asks for: a static threshold
// (with the low-traffic guard where minSamples is set) or an anomaly band
// with its detector.
func (f *AlarmFactory) FromPlan(scope cdkconstructs.Construct, a *slos.AlarmPlan) awscloudwatch.CfnAlarm {
	p := &awscloudwatch.CfnAlarmProps{
		ComparisonOperator: jsii.String(a.Comparison),
		EvaluationPeriods:  jsii.Number(float64(a.EvaluationPeriods)),
		DatapointsToAlarm:  jsii.Number(float64(a.DatapointsToAlarm)),
		TreatMissingData:   jsii.String(a.MissingData),
	}
	text := a.Description
	switch {
	case a.Anomaly != nil:
		// The band is computed by an explicit detector, so its model exists
		// before the alarm evaluates.
		det := awscloudwatch.NewCfnAnomalyDetector(scope, jsii.String(a.ID+"-detector"), &awscloudwatch.CfnAnomalyDetectorProps{
			SingleMetricAnomalyDetector: &awscloudwatch.CfnAnomalyDetector_SingleMetricAnomalyDetectorProperty{
				Namespace:  jsii.String(a.Metric.Namespace),
				MetricName: jsii.String(a.Metric.Name),
				Stat:       jsii.String(a.Statistic),
				Dimensions: dimensions(a.Metric.Dimensions, detectorDimension),
			},
		})
		p.Metrics = &[]interface{}{
			metricStat("m1", a.Metric, a.Statistic, a.PeriodSeconds, true),
			&awscloudwatch.CfnAlarm_MetricDataQueryProperty{
				Id:         jsii.String("band"),
				Expression: jsii.String(fmt.Sprintf("ANOMALY_DETECTION_BAND(m1, %s)", num(a.Anomaly.Band))),
				Label:      jsii.String("expected range"),
				ReturnData: jsii.Bool(true),
			},
		}
		p.ThresholdMetricId = jsii.String("band")
		alarm := f.metricAlarm(scope, a.ID, text, a.Severity, a.Pos, p, true)
		alarm.AddResourceDependency(det, jsii.String("the band needs its detector"))
		return alarm
	case a.MinSamples > 0:
		// Low-traffic guard: a period with fewer samples than asked yields no
		// datapoint, and missing data does not breach, so a p99 of three
		// requests never pages.
		p.Threshold = jsii.Number(a.Threshold)
		p.TreatMissingData = jsii.String("notBreaching")
		p.Metrics = &[]interface{}{
			metricStat("value", a.Metric, a.Statistic, a.PeriodSeconds, false),
			metricStat("samples", a.Metric, "SampleCount", a.PeriodSeconds, false),
			&awscloudwatch.CfnAlarm_MetricDataQueryProperty{
				Id:         jsii.String("guarded"),
				Expression: jsii.String(fmt.Sprintf("IF(samples >= %d, value)", a.MinSamples)),
				Label:      jsii.String(fmt.Sprintf("%s when at least %d samples", a.Statistic, a.MinSamples)),
				ReturnData: jsii.Bool(true),
			},
		}
		text = strings.TrimSpace(text + fmt.Sprintf(" Periods with fewer than %d samples are ignored.", a.MinSamples))
	default:
		p.Namespace = jsii.String(a.Metric.Namespace)
		p.MetricName = jsii.String(a.Metric.Name)
		p.Dimensions = dimensions(a.Metric.Dimensions, alarmDimension)
		p.Period = jsii.Number(float64(a.PeriodSeconds))
		p.Threshold = jsii.Number(a.Threshold)
		setStatistic(p, a.Statistic)
	}
	return f.metricAlarm(scope, a.ID, text, a.Severity, a.Pos, p, true)
}

// setStatistic sets a percentile as ExtendedStatistic and any other
// statistic as Statistic, as CloudWatch requires.
func setStatistic(p *awscloudwatch.CfnAlarmProps, stat string) {
	if slos.Statistic(stat).IsPercentile() {
		p.ExtendedStatistic = jsii.String(stat)
	} else {
		p.Statistic = jsii.String(stat)
	}
}

// Static creates a plain static-threshold alarm on one metric.
func (f *AlarmFactory) Static(scope cdkconstructs.Construct, id, text, severity string, m slos.MetricPlan, stat string, period int, comparison string, threshold float64, eval, datapoints int, missing string) awscloudwatch.CfnAlarm {
	p := &awscloudwatch.CfnAlarmProps{
		Namespace:          jsii.String(m.Namespace),
		MetricName:         jsii.String(m.Name),
		Dimensions:         dimensions(m.Dimensions, alarmDimension),
		Period:             jsii.Number(float64(period)),
		ComparisonOperator: jsii.String(comparison),
		Threshold:          jsii.Number(threshold),
		EvaluationPeriods:  jsii.Number(float64(eval)),
		DatapointsToAlarm:  jsii.Number(float64(datapoints)),
		TreatMissingData:   jsii.String(missing),
	}
	setStatistic(p, stat)
	return f.metricAlarm(scope, id, text, severity, slos.Pos{}, p, true)
}

// maxRuleAlarms is how many alarms one composite rule names before the
// factory nests composites. The AlarmRule expression is at most 10,240
// characters: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
const maxRuleAlarms = 50

// Composite creates an OR composite over children, nesting composites when
// there are more than fit in one rule. It returns the top composite.
func (f *AlarmFactory) Composite(scope cdkconstructs.Construct, id, text, severity string, children []CreatedAlarm) awscloudwatch.CfnCompositeAlarm {
	sort.Slice(children, func(i, j int) bool { return children[i].Name < children[j].Name })
	if len(children) > maxRuleAlarms {
		var parts []CreatedAlarm
		for i := 0; i*maxRuleAlarms < len(children); i++ {
			chunk := children[i*maxRuleAlarms : min((i+1)*maxRuleAlarms, len(children))]
			partID := fmt.Sprintf("%s-part%d", id, i+1)
			c := f.composite(scope, partID, text, severity, slos.Pos{}, " OR ", chunk, nil)
			parts = append(parts, CreatedAlarm{Name: f.Name(partID), Severity: severity, Dependable: c, Scope: scope, ID: partID})
		}
		children = parts
	}
	return f.composite(scope, id, text, severity, slos.Pos{}, " OR ", children, f.actions())
}

// composite is the one place a CfnCompositeAlarm is made: children joined
// by op (" OR "), with the factory's naming, description and tags,
// created after its children.
func (f *AlarmFactory) composite(scope cdkconstructs.Construct, id, text, severity string, pos slos.Pos, op string, children []CreatedAlarm, actions *[]interface{}) awscloudwatch.CfnCompositeAlarm {
	terms := make([]string, len(children))
	deps := make([]cdkconstructs.IDependable, len(children))
	ids := make([]string, 0, len(children))
	for i, c := range children {
		terms[i] = fmt.Sprintf("ALARM(%q)", c.Name)
		deps[i] = c.Dependable
		if id, ok := f.siblingLogicalID(scope, c); ok {
			ids = append(ids, id)
		}
	}
	c := awscloudwatch.NewCfnCompositeAlarm(scope, jsii.String(id), &awscloudwatch.CfnCompositeAlarmProps{
		AlarmName:        jsii.String(f.Name(id)),
		AlarmRule:        jsii.String(strings.Join(terms, op)),
		AlarmDescription: jsii.String(f.description(text, severity, id, pos)),
		ActionsEnabled:   jsii.Bool(true),
		AlarmActions:     actions,
		OkActions:        actions,
		Tags:             f.tags(id, severity),
	})
	switch {
	case len(children) == 0:
	case len(ids) == len(children):
		// All children are siblings in this stack: one crossing sets
		// DependsOn, where Node().AddDependency takes two.
		sort.Strings(ids)
		c.AddOverride(jsii.String("DependsOn"), ids)
	default:
		c.Node().AddDependency(deps...)
	}
	return c
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
	id := slos.OutputName(child.ID) // the same rule: ASCII letters and digits
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

func num(f float64) string { return fmt.Sprint(f) }
