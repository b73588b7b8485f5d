package openslo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// Document is one OpenSLO object as the exporter writes it.
type Document struct {
	APIVersion string   `yaml:"apiVersion"`
	Kind       string   `yaml:"kind"`
	Metadata   Metadata `yaml:"metadata"`
	Spec       any      `yaml:"spec"`
}

// Export turns the SLOs of one planned environment into OpenSLO v1
// objects: a Service per service with SLOs, an SLO per SLO with its SLI
// inline (CloudWatch sources, with the environment's values), an
// AlertPolicy with one burn-rate AlertCondition per tier, and an
// AlertNotificationTarget per route the policies use. Values OpenSLO has no
// field for (owner, tier, runbook, load, minRequests, warningThreshold,
// exclusions, route secrets and channels) are annotations that Import reads
// back.
func Export(env *plan.Environment) ([]Document, error) {
	var docs, policies []Document
	targets := map[string]bool{}
	routes := map[string]*plan.Route{}
	for _, r := range env.Routes {
		routes[r.ID] = r
	}
	for _, s := range env.Services {
		if len(s.SLOs) == 0 {
			continue
		}
		a := map[string]string{AnnotationOwner: s.Owner}
		if s.Tier > 0 {
			a[AnnotationTier] = strconv.Itoa(s.Tier)
		}
		if s.Runbook != "" {
			a[AnnotationRunbook] = s.Runbook
		}
		docs = append(docs, Document{APIVersion: APIVersion, Kind: KindService,
			Metadata: Metadata{Name: s.Name, Annotations: a},
			Spec:     ServiceSpec{Description: s.Description}})
		for _, x := range s.SLOs {
			slo, ps, err := exportSLO(env, s, x)
			if err != nil {
				return nil, fmt.Errorf("SLO %s/%s: %w", s.Name, x.ID, err)
			}
			docs = append(docs, slo)
			policies = append(policies, ps...)
			for _, t := range x.Tiers {
				for _, id := range routeIDs(s, t.Severity) {
					targets[id] = true
				}
			}
		}
	}
	docs = append(docs, policies...)
	for _, r := range env.Routes {
		if !targets[r.ID] {
			continue
		}
		a := map[string]string{}
		if r.Secret != "" {
			a[AnnotationSecret] = r.Secret
		}
		if r.Channel != "" {
			a[AnnotationChannel] = r.Channel
		}
		if len(r.Emails) > 0 {
			a[AnnotationEmails] = strings.Join(r.Emails, ",")
		}
		if r.Type == "opsgenie" && r.Region != "" {
			a[AnnotationOpsgenieRegion] = r.Region
		}
		docs = append(docs, Document{APIVersion: APIVersion, Kind: KindAlertNotificationTarget,
			Metadata: Metadata{Name: r.ID, Annotations: a},
			Spec:     TargetSpec{Target: r.Type, Description: r.Description}})
	}
	return docs, nil
}

func routeIDs(s *plan.Service, severity string) []string {
	if severity == "page" {
		return s.Page
	}
	return s.Ticket
}

// exportSLO writes one SLO and its alert policies.
func exportSLO(env *plan.Environment, s *plan.Service, x *plan.SLO) (Document, []Document, error) {
	name := s.Name + "-" + x.ID
	sloSpec := SLOSpec{Description: x.Description, Service: s.Name}
	a := map[string]string{}
	if x.LoadRPS > 0 {
		a[AnnotationLoad] = strconv.FormatFloat(x.LoadRPS, 'f', -1, 64) + "rps"
	}
	if x.MinRequests > 0 {
		a[AnnotationMinRequests] = strconv.Itoa(x.MinRequests)
	}
	if x.WarningThreshold > 0 {
		a[AnnotationWarningThreshold] = strconv.FormatFloat(x.WarningThreshold, 'f', -1, 64) + "%"
	}
	if len(x.Exclusions) > 0 {
		exs := make([]exclusion, len(x.Exclusions))
		for i, e := range x.Exclusions {
			exs[i] = exclusion{Start: e.Start.Format(time.RFC3339), Duration: spec.FormatDuration(e.Duration), Recurrence: e.Recurrence, Reason: e.Reason}
		}
		b, err := json.Marshal(exs)
		if err != nil {
			return Document{}, nil, err
		}
		a[AnnotationExclusions] = string(b)
	}
	if x.Window.CalendarMonth {
		sloSpec.TimeWindow = []TimeWindow{{Duration: "1M", Calendar: &Calendar{StartTime: "2020-01-01 00:00:00", TimeZone: "UTC"}}}
	} else {
		sloSpec.TimeWindow = []TimeWindow{{Duration: fmt.Sprintf("%dd", int(x.Window.Rolling.Hours()/24)), IsRolling: true}}
	}
	target := round(x.Objective / 100)
	obj := Objective{DisplayName: x.Goal, Target: &target}
	var sli SLISpec
	switch {
	case x.Latency != nil:
		l := x.Latency
		sloSpec.BudgetingMethod = "Timeslices"
		m := l.Metric
		if l.Operation != "" {
			m = appSignalsMetric(s, l.Operation, "Latency", "Milliseconds")
		}
		src, err := statSource(env.Region, m, l.Percentile)
		if err != nil {
			return Document{}, nil, err
		}
		sli.ThresholdMetric = &MetricHolder{MetricSource: src}
		one := 1.0
		value := l.Threshold
		obj.Op, obj.Value, obj.TimeSliceTarget = "lt", &value, &one
		obj.TimeSliceWindow = fmt.Sprintf("%dm", l.PeriodSeconds/60)
	case x.Ratio != nil:
		r := x.Ratio
		sloSpec.BudgetingMethod = "Occurrences"
		rm := &RatioMetric{}
		if r.Operation != "" {
			bad, err := statSource(env.Region, appSignalsMetric(s, r.Operation, "Fault", ""), "Sum")
			if err != nil {
				return Document{}, nil, err
			}
			total, err := statSource(env.Region, appSignalsMetric(s, r.Operation, "Latency", ""), "SampleCount")
			if err != nil {
				return Document{}, nil, err
			}
			rm.Bad, rm.Total = &MetricHolder{MetricSource: bad}, &MetricHolder{MetricSource: total}
		} else {
			var err error
			if rm.Good, err = querySource(env.Region, r.Good); err != nil {
				return Document{}, nil, err
			}
			if rm.Bad, err = querySource(env.Region, r.Bad); err != nil {
				return Document{}, nil, err
			}
			if rm.Total, err = querySource(env.Region, r.Total); err != nil {
				return Document{}, nil, err
			}
		}
		sli.RatioMetric = rm
	default:
		return Document{}, nil, fmt.Errorf("no SLI")
	}
	sloSpec.Indicator = &InlineSLI{Metadata: Metadata{Name: name + "-sli"}, Spec: sli}
	sloSpec.Objectives = []Objective{obj}
	var policies []Document
	for _, t := range x.Tiers {
		pname := name + "-" + t.Name()
		var nts []TargetItem
		for _, id := range routeIDs(s, t.Severity) {
			nts = append(nts, TargetItem{TargetRef: id})
		}
		policies = append(policies, Document{APIVersion: APIVersion, Kind: KindAlertPolicy,
			Metadata: Metadata{Name: pname},
			Spec: AlertPolicySpec{
				Description:        fmt.Sprintf("%s tier: %.4g%% of the error budget in %s, confirmed over %s", t.Severity, t.BudgetPercent, spec.FormatDuration(t.Long), spec.FormatDuration(t.Short)),
				AlertWhenBreaching: true,
				Conditions: []ConditionItem{{Kind: KindAlertCondition, Metadata: &Metadata{Name: pname}, Spec: &AlertConditionSpec{
					Severity: t.Severity,
					Condition: Condition{Kind: "burnrate", Op: "gt", Threshold: round(t.Factor),
						LookbackWindow: shorthand(t.Long), AlertAfter: shorthand(t.Short)},
				}}},
				NotificationTargets: nts,
			}})
		sloSpec.AlertPolicies = append(sloSpec.AlertPolicies, PolicyItem{AlertPolicyRef: pname})
	}
	md := Metadata{Name: name, DisplayName: x.Goal}
	if len(a) > 0 {
		md.Annotations = a
	}
	return Document{APIVersion: APIVersion, Kind: KindSLO, Metadata: md, Spec: sloSpec}, policies, nil
}

// shorthand writes a duration in the largest OpenSLO unit (m, h, d, w)
// that divides it.
func shorthand(d interface{ Minutes() float64 }) string {
	m := int(d.Minutes())
	switch {
	case m%(7*24*60) == 0:
		return fmt.Sprintf("%dw", m/(7*24*60))
	case m%(24*60) == 0:
		return fmt.Sprintf("%dd", m/(24*60))
	case m%60 == 0:
		return fmt.Sprintf("%dh", m/60)
	}
	return fmt.Sprintf("%dm", m)
}

// appSignalsMetric is an Application Signals metric of a service's
// operation.
func appSignalsMetric(s *plan.Service, operation, name, unit string) *plan.Metric {
	return &plan.Metric{Namespace: appSignalsNamespace, Name: name, Unit: unit, Dimensions: []plan.Dimension{
		{Name: "Environment", Value: s.AppSignals.Environment},
		{Name: "Operation", Value: operation},
		{Name: "Service", Value: s.AppSignals.Name},
	}}
}

// statSource is a CloudWatch source of one metric and statistic.
func statSource(region string, m *plan.Metric, stat string) (MetricSource, error) {
	cw := CloudWatchSpec{Region: region, Namespace: m.Namespace, MetricName: m.Name, Stat: stat, Unit: m.Unit}
	for _, d := range m.Dimensions {
		cw.Dimensions = append(cw.Dimensions, CWDimension{Name: d.Name, Value: d.Value})
	}
	return cloudWatchSource(cw)
}

func cloudWatchSource(cw CloudWatchSpec) (MetricSource, error) {
	var n yaml.Node
	if err := n.Encode(cw); err != nil {
		return MetricSource{}, err
	}
	return MetricSource{Type: "CloudWatch", Spec: n}, nil
}

// querySource is a CloudWatch source of a catalog count: the stat form for
// one metric, the json (MetricDataQueries) form for metric math.
func querySource(region string, q *plan.Query) (*MetricHolder, error) {
	if q == nil {
		return nil, nil
	}
	if q.Metric != nil {
		src, err := statSource(region, q.Metric, defaultStat(q.Metric.Stat))
		return &MetricHolder{MetricSource: src}, err
	}
	f := false
	var qs []MetricDataQuery
	for _, in := range q.Inputs {
		m := CWMetric{Namespace: in.Metric.Namespace, MetricName: in.Metric.Name}
		for _, d := range in.Metric.Dimensions {
			m.Dimensions = append(m.Dimensions, APIDimension{Name: d.Name, Value: d.Value})
		}
		qs = append(qs, MetricDataQuery{ID: in.ID, MetricStat: &MetricStat{Metric: m, Period: 60, Stat: defaultStat(in.Metric.Stat), Unit: in.Metric.Unit}, ReturnData: &f})
	}
	t := true
	qs = append(qs, MetricDataQuery{ID: "sli", Expression: q.Expression, ReturnData: &t})
	// One query a line, so that the YAML shows it as a readable block.
	lines := make([]string, len(qs))
	for i, q := range qs {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(q); err != nil {
			return nil, err
		}
		lines[i] = "  " + strings.TrimSpace(buf.String())
	}
	js := "[\n" + strings.Join(lines, ",\n") + "\n]\n"
	src, err := cloudWatchSource(CloudWatchSpec{Region: region, JSON: js})
	return &MetricHolder{MetricSource: src}, err
}

func defaultStat(s string) string {
	if s == "" {
		return "Sum"
	}
	return s
}

// WriteDocuments renders OpenSLO objects as a multi-document YAML stream.
func WriteDocuments(docs []Document, header []string) ([]byte, error) {
	var buf bytes.Buffer
	for _, h := range header {
		buf.WriteString(h + "\n")
	}
	for _, d := range docs {
		buf.WriteString("---\n")
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(d); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}
