// Package exporter turns one planned catalog environment (plan.Environment)
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

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/plan"
	catalog "github.com/slocatalog/slocatalog/spec"
)

// Export turns the SLOs of one planned environment into OpenSLO v1
// objects: a Service per service with SLOs, an SLO per SLO with its SLI
// inline (CloudWatch sources, with the environment's values), an
// AlertPolicy with one burn-rate AlertCondition per tier, and an
// AlertNotificationTarget per route the policies use. Values OpenSLO has no
// field for (owner, tier, runbook, load, minRequests, warningThreshold,
// exclusions, route secrets and channels) are annotations that Import reads
// back.
func Export(env *plan.Environment) ([]openslo.Document, error) {
	var docs, policies []openslo.Document
	targets := map[string]bool{}
	routes := map[string]*plan.Route{}
	for _, route := range env.Routes {
		routes[route.ID] = route
	}
	for _, svc := range env.Services {
		if len(svc.SLOs) == 0 {
			continue
		}
		annotations := map[string]string{openslo.AnnotationOwner: svc.Owner}
		if svc.Tier > 0 {
			annotations[openslo.AnnotationTier] = strconv.Itoa(svc.Tier)
		}
		if svc.Runbook != "" {
			annotations[openslo.AnnotationRunbook] = svc.Runbook
		}
		docs = append(docs, openslo.Document{APIVersion: openslo.APIVersion, Kind: openslo.KindService,
			Metadata: openslo.Metadata{Name: svc.Name, Annotations: annotations},
			Spec:     openslo.ServiceSpec{Description: svc.Description}})
		for _, sloPlan := range svc.SLOs {
			sloDoc, sloPolicies, err := exportSLO(env, svc, sloPlan)
			if err != nil {
				return nil, fmt.Errorf("SLO %s/%s: %w", svc.Name, sloPlan.ID, err)
			}
			docs = append(docs, sloDoc)
			policies = append(policies, sloPolicies...)
			for _, tier := range sloPlan.Tiers {
				for _, id := range routeIDs(svc, tier.Severity) {
					targets[id] = true
				}
			}
		}
	}
	docs = append(docs, policies...)
	for _, route := range env.Routes {
		if !targets[route.ID] {
			continue
		}
		annotations := map[string]string{}
		if route.Secret != "" {
			annotations[openslo.AnnotationSecret] = route.Secret
		}
		if route.Channel != "" {
			annotations[openslo.AnnotationChannel] = route.Channel
		}
		if len(route.Emails) > 0 {
			annotations[openslo.AnnotationEmails] = strings.Join(route.Emails, ",")
		}
		if route.Type == "opsgenie" && route.Region != "" {
			annotations[openslo.AnnotationOpsgenieRegion] = route.Region
		}
		docs = append(docs, openslo.Document{APIVersion: openslo.APIVersion, Kind: openslo.KindAlertNotificationTarget,
			Metadata: openslo.Metadata{Name: route.ID, Annotations: annotations},
			Spec:     openslo.TargetSpec{Target: route.Type, Description: route.Description}})
	}
	return docs, nil
}

func routeIDs(svc *plan.Service, severity string) []string {
	if severity == "page" {
		return svc.Page
	}
	return svc.Ticket
}

// exportSLO writes one SLO and its alert policies.
func exportSLO(env *plan.Environment, svc *plan.Service, sloPlan *plan.SLO) (openslo.Document, []openslo.Document, error) {
	name := svc.Name + "-" + sloPlan.ID
	spec := openslo.SLOSpec{Description: sloPlan.Description, Service: svc.Name}
	annotations := map[string]string{}
	if sloPlan.LoadRPS > 0 {
		annotations[openslo.AnnotationLoad] = strconv.FormatFloat(sloPlan.LoadRPS, 'f', -1, 64) + "rps"
	}
	if sloPlan.MinRequests > 0 {
		annotations[openslo.AnnotationMinRequests] = strconv.Itoa(sloPlan.MinRequests)
	}
	if sloPlan.WarningThreshold > 0 {
		annotations[openslo.AnnotationWarningThreshold] = strconv.FormatFloat(sloPlan.WarningThreshold, 'f', -1, 64) + "%"
	}
	if len(sloPlan.Exclusions) > 0 {
		exclusions := make([]openslo.Exclusion, len(sloPlan.Exclusions))
		for i, exclusion := range sloPlan.Exclusions {
			exclusions[i] = openslo.Exclusion{Start: exclusion.Start.Format(time.RFC3339), Duration: catalog.FormatDuration(exclusion.Duration), Recurrence: exclusion.Recurrence, Reason: exclusion.Reason}
		}
		encoded, err := json.Marshal(exclusions)
		if err != nil {
			return openslo.Document{}, nil, err
		}
		annotations[openslo.AnnotationExclusions] = string(encoded)
	}
	if sloPlan.Window.CalendarMonth {
		spec.TimeWindow = []openslo.TimeWindow{{Duration: "1M", Calendar: &openslo.Calendar{StartTime: "2020-01-01 00:00:00", TimeZone: "UTC"}}}
	} else {
		spec.TimeWindow = []openslo.TimeWindow{{Duration: fmt.Sprintf("%dd", int(sloPlan.Window.Rolling.Hours()/24)), IsRolling: true}}
	}
	target := openslo.Round(sloPlan.Objective / 100)
	objective := openslo.Objective{DisplayName: sloPlan.Goal, Target: &target}
	var sli openslo.SLISpec
	switch {
	case sloPlan.Latency != nil:
		latency := sloPlan.Latency
		spec.BudgetingMethod = "Timeslices"
		metric := latency.Metric
		if latency.Operation != "" {
			metric = appSignalsMetric(svc, latency.Operation, "Latency", "Milliseconds")
		}
		source, err := statSource(env.Region, metric, latency.Percentile)
		if err != nil {
			return openslo.Document{}, nil, err
		}
		sli.ThresholdMetric = &openslo.MetricHolder{MetricSource: source}
		one := 1.0
		value := latency.Threshold
		objective.Op, objective.Value, objective.TimeSliceTarget = "lt", &value, &one
		objective.TimeSliceWindow = fmt.Sprintf("%dm", latency.PeriodSeconds/60)
	case sloPlan.Ratio != nil:
		ratio := sloPlan.Ratio
		spec.BudgetingMethod = "Occurrences"
		ratioMetric := &openslo.RatioMetric{}
		if ratio.Operation != "" {
			bad, err := statSource(env.Region, appSignalsMetric(svc, ratio.Operation, "Fault", ""), "Sum")
			if err != nil {
				return openslo.Document{}, nil, err
			}
			total, err := statSource(env.Region, appSignalsMetric(svc, ratio.Operation, "Latency", ""), "SampleCount")
			if err != nil {
				return openslo.Document{}, nil, err
			}
			ratioMetric.Bad, ratioMetric.Total = &openslo.MetricHolder{MetricSource: bad}, &openslo.MetricHolder{MetricSource: total}
		} else {
			var err error
			if ratioMetric.Good, err = querySource(env.Region, ratio.Good); err != nil {
				return openslo.Document{}, nil, err
			}
			if ratioMetric.Bad, err = querySource(env.Region, ratio.Bad); err != nil {
				return openslo.Document{}, nil, err
			}
			if ratioMetric.Total, err = querySource(env.Region, ratio.Total); err != nil {
				return openslo.Document{}, nil, err
			}
		}
		sli.RatioMetric = ratioMetric
	default:
		return openslo.Document{}, nil, fmt.Errorf("no SLI")
	}
	spec.Indicator = &openslo.InlineSLI{Metadata: openslo.Metadata{Name: name + "-sli"}, Spec: sli}
	spec.Objectives = []openslo.Objective{objective}
	var policies []openslo.Document
	for _, tier := range sloPlan.Tiers {
		policyName := name + "-" + tier.Name()
		var targets []openslo.TargetItem
		for _, id := range routeIDs(svc, tier.Severity) {
			targets = append(targets, openslo.TargetItem{TargetRef: id})
		}
		policies = append(policies, openslo.Document{APIVersion: openslo.APIVersion, Kind: openslo.KindAlertPolicy,
			Metadata: openslo.Metadata{Name: policyName},
			Spec: openslo.AlertPolicySpec{
				Description:        fmt.Sprintf("%s tier: %.4g%% of the error budget in %s, confirmed over %s", tier.Severity, tier.BudgetPercent, catalog.FormatDuration(tier.Long), catalog.FormatDuration(tier.Short)),
				AlertWhenBreaching: true,
				Conditions: []openslo.ConditionItem{{Kind: openslo.KindAlertCondition, Metadata: &openslo.Metadata{Name: policyName}, Spec: &openslo.AlertConditionSpec{
					Severity: tier.Severity,
					Condition: openslo.Condition{Kind: "burnrate", Op: "gt", Threshold: openslo.Round(tier.Factor),
						LookbackWindow: openslo.Shorthand(tier.Long), AlertAfter: openslo.Shorthand(tier.Short)},
				}}},
				NotificationTargets: targets,
			}})
		spec.AlertPolicies = append(spec.AlertPolicies, openslo.PolicyItem{AlertPolicyRef: policyName})
	}
	meta := openslo.Metadata{Name: name, DisplayName: sloPlan.Goal}
	if len(annotations) > 0 {
		meta.Annotations = annotations
	}
	return openslo.Document{APIVersion: openslo.APIVersion, Kind: openslo.KindSLO, Metadata: meta, Spec: spec}, policies, nil
}

// appSignalsMetric is an Application Signals metric of a service's
// operation.
func appSignalsMetric(svc *plan.Service, operation, name, unit string) *plan.Metric {
	return &plan.Metric{Namespace: openslo.AppSignalsNamespace, Name: name, Unit: unit, Dimensions: []plan.Dimension{
		{Name: "Environment", Value: svc.AppSignals.Environment},
		{Name: "Operation", Value: operation},
		{Name: "Service", Value: svc.AppSignals.Name},
	}}
}

// statSource is a CloudWatch source of one metric and statistic.
func statSource(region string, metric *plan.Metric, stat string) (openslo.MetricSource, error) {
	spec := openslo.CloudWatchSpec{Region: region, Namespace: metric.Namespace, MetricName: metric.Name, Stat: stat, Unit: metric.Unit}
	for _, dim := range metric.Dimensions {
		spec.Dimensions = append(spec.Dimensions, openslo.CWDimension{Name: dim.Name, Value: dim.Value})
	}
	return cloudWatchSource(spec)
}

func cloudWatchSource(spec openslo.CloudWatchSpec) (openslo.MetricSource, error) {
	var node yaml.Node
	if err := node.Encode(spec); err != nil {
		return openslo.MetricSource{}, err
	}
	return openslo.MetricSource{Type: "CloudWatch", Spec: node}, nil
}

// querySource is a CloudWatch source of a catalog count: the stat form for
// one metric, the json (MetricDataQueries) form for metric math.
func querySource(region string, query *plan.Query) (*openslo.MetricHolder, error) {
	if query == nil {
		return nil, nil
	}
	if query.Metric != nil {
		source, err := statSource(region, query.Metric, defaultStat(query.Metric.Stat))
		return &openslo.MetricHolder{MetricSource: source}, err
	}
	returnNo := false
	var queries []openslo.MetricDataQuery
	for _, input := range query.Inputs {
		metric := openslo.CWMetric{Namespace: input.Metric.Namespace, MetricName: input.Metric.Name}
		for _, dim := range input.Metric.Dimensions {
			metric.Dimensions = append(metric.Dimensions, openslo.APIDimension{Name: dim.Name, Value: dim.Value})
		}
		queries = append(queries, openslo.MetricDataQuery{ID: input.ID, MetricStat: &openslo.MetricStat{Metric: metric, Period: 60, Stat: defaultStat(input.Metric.Stat), Unit: input.Metric.Unit}, ReturnData: &returnNo})
	}
	returnYes := true
	queries = append(queries, openslo.MetricDataQuery{ID: "sli", Expression: query.Expression, ReturnData: &returnYes})
	// One query a line, so that the YAML shows it as a readable block.
	lines := make([]string, len(queries))
	for i, dataQuery := range queries {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(dataQuery); err != nil {
			return nil, err
		}
		lines[i] = "  " + strings.TrimSpace(buf.String())
	}
	js := "[\n" + strings.Join(lines, ",\n") + "\n]\n"
	source, err := cloudWatchSource(openslo.CloudWatchSpec{Region: region, JSON: js})
	return &openslo.MetricHolder{MetricSource: source}, err
}

func defaultStat(stat string) string {
	if stat == "" {
		return "Sum"
	}
	return stat
}
