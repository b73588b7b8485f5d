package importer

import (
	"strconv"
	"time"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// This file maps an SLO's indicator and budgeting method to a latency or
// availability SLI.

// sliFor maps the SLI and the objective, after the budgeting method.
func (im *importer) sliFor(object *openslo.Object, sli *openslo.SLISpec, field, method string, objective openslo.Objective, objField string, catalogSLO *spec.SLO) *spec.SLI {
	switch {
	case sli.ThresholdMetric != nil && sli.RatioMetric != nil:
		im.problem(object, field, "give thresholdMetric or ratioMetric, not both")
	case sli.ThresholdMetric != nil:
		if method != "Timeslices" {
			im.problem(object, "spec.budgetingMethod", "%s with a thresholdMetric counts each event against the threshold; the catalog's latency SLI is period-based (Timeslices: a period is good when the percentile is under the threshold)", method)
			im.latency(object, sli, field, objective, objField, catalogSLO) // for the problems of its sources
			return nil
		}
		return im.latency(object, sli, field, objective, objField, catalogSLO)
	case sli.RatioMetric != nil:
		methodOK := method == "Occurrences"
		if !methodOK {
			im.problem(object, "spec.budgetingMethod", "%s with a ratioMetric judges time slices by their good/total ratio; the catalog's availability SLI is request-based (Occurrences)", method)
		}
		if objective.Op != "" || objective.Value != nil {
			im.warn(object, objField+".op", "op and value belong to threshold metrics; ignored on a ratio metric (the OpenSLO validator refuses them)")
			im.notes.AddLine(catalogSLO, "objective", "op %s ignored: a ratio objective has none", objective.Op)
		}
		if methodOK && (objective.TimeSliceTarget != nil || objective.TimeSliceWindow != "") {
			im.warn(object, objField+".timeSliceTarget", "time slices belong to the Timeslices method; ignored with Occurrences")
		}
		availability := im.availability(object, sli.RatioMetric, field+".ratioMetric", catalogSLO)
		if !methodOK {
			return nil
		}
		return availability
	default:
		im.problem(object, field, "the SLI has neither thresholdMetric nor ratioMetric")
	}
	return nil
}

// latency maps a threshold metric with Timeslices to a period-based SLI.
func (im *importer) latency(object *openslo.Object, sli *openslo.SLISpec, field string, objective openslo.Objective, objField string, catalogSLO *spec.SLO) *spec.SLI {
	latency := &spec.LatencySLI{}
	switch objective.Op {
	case "lt", "lte":
	case "":
		im.problem(object, objField+".op", "a threshold objective needs op (lt or lte)")
	default:
		im.problem(object, objField+".op", "op %s: the catalog's latency SLI is good when the percentile is under the threshold (lt or lte)", objective.Op)
	}
	if objective.Value == nil {
		im.problem(object, objField+".value", "a threshold objective needs value")
		return nil
	}
	if objective.TimeSliceWindow != "" {
		period, ok := openslo.ShorthandDuration(objective.TimeSliceWindow)
		if !ok {
			if minutes, err := strconv.Atoi(objective.TimeSliceWindow); err == nil && minutes > 0 {
				period, ok = time.Duration(minutes)*time.Minute, true
			}
		}
		if !ok {
			im.problem(object, objField+".timeSliceWindow", "%q is not a duration", objective.TimeSliceWindow)
		} else if period != plan.DefaultSLIPeriod {
			catalogPeriod := spec.Duration(period)
			latency.Period = &catalogPeriod
		}
	}
	if sliceTarget := objective.TimeSliceTarget; sliceTarget != nil && *sliceTarget != 1 {
		im.notes.AddLine(latency, "period", "timeSliceTarget %v: one percentile per period, so a period is good or not", *sliceTarget)
	}
	mapped, stat := im.source(object, &sli.ThresholdMetric.MetricSource, field+".thresholdMetric.metricSource", catalogSLO)
	if mapped == nil {
		return nil
	}
	switch {
	case mapped.op != "":
		latency.Operation = mapped.op
	case mapped.Metric != nil:
		latency.Metric = mapped.Metric
		latency.Metric.Statistic = nil
	default:
		im.problem(object, field+".thresholdMetric.metricSource", "metric math: the catalog's latency SLI reads one metric")
		return nil
	}
	if !spec.Statistic(stat).IsPercentile() {
		im.problem(object, field+".thresholdMetric.metricSource.spec.stat", "stat %q: the catalog's latency SLI compares a percentile (p50 … p99.9) with the threshold", stat)
		return nil
	}
	latency.Percentile = spec.Percentile(stat)
	latency.Threshold = &spec.Threshold{Value: *objective.Value}
	unit := "Milliseconds"
	if latency.Metric != nil && latency.Metric.Unit != "" {
		unit = latency.Metric.Unit
	}
	im.notes.AddLine(latency, "threshold", "value %v of %s, in %s", *objective.Value, objField, unit)
	if objective.Op == "lte" {
		im.notes.AddLine(latency, "threshold", "op lte read as under")
	}
	return &spec.SLI{Latency: latency}
}

// availability maps a ratio metric with Occurrences to a request-based SLI.
func (im *importer) availability(object *openslo.Object, ratio *openslo.RatioMetric, field string, catalogSLO *spec.SLO) *spec.SLI {
	if ratio.Raw != nil {
		im.problem(object, field+".raw", "a precomputed ratio has no catalog counterpart; give good (or bad) and total counts")
		return nil
	}
	if ratio.Total == nil || (ratio.Good == nil) == (ratio.Bad == nil) {
		im.problem(object, field, "a ratio metric needs total and one of good or bad")
		return nil
	}
	availability := &spec.RatioSLI{}
	count, countField := ratio.Good, "good"
	if ratio.Bad != nil {
		count, countField = ratio.Bad, "bad"
	}
	countQuery, countStat := im.source(object, &count.MetricSource, field+"."+countField+".metricSource", catalogSLO)
	totalQuery, totalStat := im.source(object, &ratio.Total.MetricSource, field+".total.metricSource", catalogSLO)
	if countQuery == nil || totalQuery == nil {
		return nil
	}
	if ratio.Counter != nil && *ratio.Counter {
		im.notes.AddLine(availability, countField, "counter: true in the input; CloudWatch counts are per period, check the metric is not cumulative")
	}
	if countQuery.op != "" || totalQuery.op != "" {
		if countField == "bad" && countQuery.op != "" && countQuery.op == totalQuery.op && countQuery.metricName == "Fault" && countStat == "Sum" && totalQuery.metricName == "Latency" && totalStat == "SampleCount" {
			availability.Operation = countQuery.op
			im.notes.AddLine(availability, "operation", "from Application Signals metrics Fault (Sum) over Latency (SampleCount)")
			return &spec.SLI{Availability: availability}
		}
		countQuery.op, totalQuery.op = "", ""
	}
	if countField == "bad" {
		availability.Bad = countQuery.MetricQuery
	} else {
		availability.Good = countQuery.MetricQuery
	}
	availability.Total = totalQuery.MetricQuery
	return &spec.SLI{Availability: availability}
}
