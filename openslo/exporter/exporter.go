// Package exporter turns one planned catalog environment (slos.EnvPlan)
// into OpenSLO v1 objects (openslo.Document), which openslo.WriteDocuments
// writes as YAML. What OpenSLO has no field for travels in slocatalog.dev/*
// annotations, which the importer reads back.
package exporter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/slos"
	"gopkg.in/yaml.v3"
)

// Export turns the SLOs of one planned environment into OpenSLO v1
// objects: a Service per service with SLOs, an SLO per SLO with its SLI
// inline (CloudWatch sources, with the environment's values), an
// AlertPolicy with one burn-rate AlertCondition per tier, and an
// AlertNotificationTarget per route the policies use. Values OpenSLO has no
// field for (owner, tier, runbook, load, minRequests, warningThreshold,
// exclusions, route secrets and channels) are annotations that Import reads
// back.
func Export(env *slos.EnvPlan) ([]openslo.Document, error) {
	var docs, policies []openslo.Document
	targets := map[string]bool{}
	routes := map[string]*slos.RoutePlan{}
	for _, r := range env.Routes {
		routes[r.ID] = r
	}
	for _, s := range env.Services {
		if len(s.SLOs) == 0 {
			continue
		}
		a := map[string]string{openslo.AnnotationOwner: s.Owner}
		if s.Tier > 0 {
			a[openslo.AnnotationTier] = strconv.Itoa(s.Tier)
		}
		if s.Runbook != "" {
			a[openslo.AnnotationRunbook] = s.Runbook
		}
		docs = append(docs, openslo.Document{APIVersion: openslo.APIVersion, Kind: openslo.KindService,
			Metadata: openslo.Metadata{Name: s.Name, Annotations: a},
			Spec:     openslo.ServiceSpec{Description: s.Description}})
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
			a[openslo.AnnotationSecret] = r.Secret
		}
		if r.Channel != "" {
			a[openslo.AnnotationChannel] = r.Channel
		}
		if len(r.Emails) > 0 {
			a[openslo.AnnotationEmails] = strings.Join(r.Emails, ",")
		}
		if r.Type == "opsgenie" && r.Region != "" {
			a[openslo.AnnotationOpsgenieRegion] = r.Region
		}
		docs = append(docs, openslo.Document{APIVersion: openslo.APIVersion, Kind: openslo.KindAlertNotificationTarget,
			Metadata: openslo.Metadata{Name: r.ID, Annotations: a},
			Spec:     openslo.TargetSpec{Target: r.Type, Description: r.Description}})
	}
	return docs, nil
}

func routeIDs(s *slos.ServicePlan, severity string) []string {
	if severity == "page" {
		return s.Page
	}
	return s.Ticket
}

// exportSLO writes one SLO and its alert policies.
func exportSLO(env *slos.EnvPlan, s *slos.ServicePlan, x *slos.SLOPlan) (openslo.Document, []openslo.Document, error) {
	name := s.Name + "-" + x.ID
	spec := openslo.SLOSpec{Description: x.Description, Service: s.Name}
	a := map[string]string{}
	if x.LoadRPS > 0 {
		a[openslo.AnnotationLoad] = strconv.FormatFloat(x.LoadRPS, 'f', -1, 64) + "rps"
	}
	if x.MinRequests > 0 {
		a[openslo.AnnotationMinRequests] = strconv.Itoa(x.MinRequests)
	}
	if x.WarningThreshold > 0 {
		a[openslo.AnnotationWarningThreshold] = strconv.FormatFloat(x.WarningThreshold, 'f', -1, 64) + "%"
	}
	if len(x.Exclusions) > 0 {
		exs := make([]openslo.Exclusion, len(x.Exclusions))
		for i, e := range x.Exclusions {
			exs[i] = openslo.Exclusion{Start: e.Start.Format(time.RFC3339), Duration: slos.FormatDuration(e.Duration), Recurrence: e.Recurrence, Reason: e.Reason}
		}
		b, err := json.Marshal(exs)
		if err != nil {
			return openslo.Document{}, nil, err
		}
		a[openslo.AnnotationExclusions] = string(b)
	}
	if x.Window.CalendarMonth {
		spec.TimeWindow = []openslo.TimeWindow{{Duration: "1M", Calendar: &openslo.Calendar{StartTime: "2020-01-01 00:00:00", TimeZone: "UTC"}}}
	} else {
		spec.TimeWindow = []openslo.TimeWindow{{Duration: fmt.Sprintf("%dd", int(x.Window.Rolling.Hours()/24)), IsRolling: true}}
	}
	target := openslo.Round(x.Objective / 100)
	obj := openslo.Objective{DisplayName: x.Goal, Target: &target}
	var sli openslo.SLISpec
	switch {
	case x.Latency != nil:
		l := x.Latency
		spec.BudgetingMethod = "Timeslices"
		m := l.Metric
		if l.Operation != "" {
			m = appSignalsMetric(s, l.Operation, "Latency", "Milliseconds")
		}
		src, err := statSource(env.Region, m, l.Percentile)
		if err != nil {
			return openslo.Document{}, nil, err
		}
		sli.ThresholdMetric = &openslo.MetricHolder{MetricSource: src}
		one := 1.0
		value := l.Threshold
		obj.Op, obj.Value, obj.TimeSliceTarget = "lt", &value, &one
		obj.TimeSliceWindow = fmt.Sprintf("%dm", l.PeriodSeconds/60)
	case x.Ratio != nil:
		r := x.Ratio
		spec.BudgetingMethod = "Occurrences"
		rm := &openslo.RatioMetric{}
		if r.Operation != "" {
			bad, err := statSource(env.Region, appSignalsMetric(s, r.Operation, "Fault", ""), "Sum")
			if err != nil {
				return openslo.Document{}, nil, err
			}
			total, err := statSource(env.Region, appSignalsMetric(s, r.Operation, "Latency", ""), "SampleCount")
			if err != nil {
				return openslo.Document{}, nil, err
			}
			rm.Bad, rm.Total = &openslo.MetricHolder{MetricSource: bad}, &openslo.MetricHolder{MetricSource: total}
		} else {
			var err error
			if rm.Good, err = querySource(env.Region, r.Good); err != nil {
				return openslo.Document{}, nil, err
			}
			if rm.Bad, err = querySource(env.Region, r.Bad); err != nil {
				return openslo.Document{}, nil, err
			}
			if rm.Total, err = querySource(env.Region, r.Total); err != nil {
				return openslo.Document{}, nil, err
			}
		}
		sli.RatioMetric = rm
	default:
		return openslo.Document{}, nil, fmt.Errorf("no SLI")
	}
	spec.Indicator = &openslo.InlineSLI{Metadata: openslo.Metadata{Name: name + "-sli"}, Spec: sli}
	spec.Objectives = []openslo.Objective{obj}
	var policies []openslo.Document
	for _, t := range x.Tiers {
		pname := name + "-" + t.Name()
		var nts []openslo.TargetItem
		for _, id := range routeIDs(s, t.Severity) {
			nts = append(nts, openslo.TargetItem{TargetRef: id})
		}
		policies = append(policies, openslo.Document{APIVersion: openslo.APIVersion, Kind: openslo.KindAlertPolicy,
			Metadata: openslo.Metadata{Name: pname},
			Spec: openslo.AlertPolicySpec{
				Description:        fmt.Sprintf("%s tier: %.4g%% of the error budget in %s, confirmed over %s", t.Severity, t.BudgetPercent, slos.FormatDuration(t.Long), slos.FormatDuration(t.Short)),
				AlertWhenBreaching: true,
				Conditions: []openslo.ConditionItem{{Kind: openslo.KindAlertCondition, Metadata: &openslo.Metadata{Name: pname}, Spec: &openslo.AlertConditionSpec{
					Severity: t.Severity,
					Condition: openslo.Condition{Kind: "burnrate", Op: "gt", Threshold: openslo.Round(t.Factor),
						LookbackWindow: openslo.Shorthand(t.Long), AlertAfter: openslo.Shorthand(t.Short)},
				}}},
				NotificationTargets: nts,
			}})
		spec.AlertPolicies = append(spec.AlertPolicies, openslo.PolicyItem{AlertPolicyRef: pname})
	}
	md := openslo.Metadata{Name: name, DisplayName: x.Goal}
	if len(a) > 0 {
		md.Annotations = a
	}
	return openslo.Document{APIVersion: openslo.APIVersion, Kind: openslo.KindSLO, Metadata: md, Spec: spec}, policies, nil
}

// appSignalsMetric is an Application Signals metric of a service's
// operation.
func appSignalsMetric(s *slos.ServicePlan, operation, name, unit string) *slos.MetricPlan {
	return &slos.MetricPlan{Namespace: openslo.AppSignalsNamespace, Name: name, Unit: unit, Dimensions: []slos.Dimension{
		{Name: "Environment", Value: s.AppSignals.Environment},
		{Name: "Operation", Value: operation},
		{Name: "Service", Value: s.AppSignals.Name},
	}}
}

// statSource is a CloudWatch source of one metric and statistic.
func statSource(region string, m *slos.MetricPlan, stat string) (openslo.MetricSource, error) {
	cw := openslo.CloudWatchSpec{Region: region, Namespace: m.Namespace, MetricName: m.Name, Stat: stat, Unit: m.Unit}
	for _, d := range m.Dimensions {
		cw.Dimensions = append(cw.Dimensions, openslo.CWDimension{Name: d.Name, Value: d.Value})
	}
	return cloudWatchSource(cw)
}

func cloudWatchSource(cw openslo.CloudWatchSpec) (openslo.MetricSource, error) {
	var n yaml.Node
	if err := n.Encode(cw); err != nil {
		return openslo.MetricSource{}, err
	}
	return openslo.MetricSource{Type: "CloudWatch", Spec: n}, nil
}

// querySource is a CloudWatch source of a catalog count: the stat form for
// one metric, the json (MetricDataQueries) form for metric math.
func querySource(region string, q *slos.QueryPlan) (*openslo.MetricHolder, error) {
	if q == nil {
		return nil, nil
	}
	if q.Metric != nil {
		src, err := statSource(region, q.Metric, defaultStat(q.Metric.Stat))
		return &openslo.MetricHolder{MetricSource: src}, err
	}
	f := false
	var qs []openslo.MetricDataQuery
	for _, in := range q.Inputs {
		m := openslo.CWMetric{Namespace: in.Metric.Namespace, MetricName: in.Metric.Name}
		for _, d := range in.Metric.Dimensions {
			m.Dimensions = append(m.Dimensions, openslo.APIDimension{Name: d.Name, Value: d.Value})
		}
		qs = append(qs, openslo.MetricDataQuery{ID: in.ID, MetricStat: &openslo.MetricStat{Metric: m, Period: 60, Stat: defaultStat(in.Metric.Stat), Unit: in.Metric.Unit}, ReturnData: &f})
	}
	t := true
	qs = append(qs, openslo.MetricDataQuery{ID: "sli", Expression: q.Expression, ReturnData: &t})
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
	src, err := cloudWatchSource(openslo.CloudWatchSpec{Region: region, JSON: js})
	return &openslo.MetricHolder{MetricSource: src}, err
}

func defaultStat(s string) string {
	if s == "" {
		return "Sum"
	}
	return s
}
