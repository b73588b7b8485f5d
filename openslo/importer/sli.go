package importer

import (
	"strconv"
	"time"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/slos"
)

// This file maps an SLO's indicator and budgeting method to a latency or
// availability SLI.

// sliFor maps the SLI and the objective, after the budgeting method.
func (im *importer) sliFor(o *openslo.Object, sli *openslo.SLISpec, field, method string, obj openslo.Objective, objField string, x *slos.SLO) *slos.SLI {
	switch {
	case sli.ThresholdMetric != nil && sli.RatioMetric != nil:
		im.problem(o, field, "give thresholdMetric or ratioMetric, not both")
	case sli.ThresholdMetric != nil:
		if method != "Timeslices" {
			im.problem(o, "spec.budgetingMethod", "%s with a thresholdMetric counts each event against the threshold; the catalog's latency SLI is period-based (Timeslices: a period is good when the percentile is under the threshold)", method)
			im.latency(o, sli, field, obj, objField, x) // for the problems of its sources
			return nil
		}
		return im.latency(o, sli, field, obj, objField, x)
	case sli.RatioMetric != nil:
		methodOK := method == "Occurrences"
		if !methodOK {
			im.problem(o, "spec.budgetingMethod", "%s with a ratioMetric judges time slices by their good/total ratio; the catalog's availability SLI is request-based (Occurrences)", method)
		}
		if obj.Op != "" || obj.Value != nil {
			im.warn(o, objField+".op", "op and value belong to threshold metrics; ignored on a ratio metric (the OpenSLO validator refuses them)")
			im.notes.AddLine(x, "objective", "op %s ignored: a ratio objective has none", obj.Op)
		}
		if methodOK && (obj.TimeSliceTarget != nil || obj.TimeSliceWindow != "") {
			im.warn(o, objField+".timeSliceTarget", "time slices belong to the Timeslices method; ignored with Occurrences")
		}
		a := im.availability(o, sli.RatioMetric, field+".ratioMetric", x)
		if !methodOK {
			return nil
		}
		return a
	default:
		im.problem(o, field, "the SLI has neither thresholdMetric nor ratioMetric")
	}
	return nil
}

// latency maps a threshold metric with Timeslices to a period-based SLI.
func (im *importer) latency(o *openslo.Object, sli *openslo.SLISpec, field string, obj openslo.Objective, objField string, x *slos.SLO) *slos.SLI {
	l := &slos.LatencySLI{}
	switch obj.Op {
	case "lt", "lte":
	case "":
		im.problem(o, objField+".op", "a threshold objective needs op (lt or lte)")
	default:
		im.problem(o, objField+".op", "op %s: the catalog's latency SLI is good when the percentile is under the threshold (lt or lte)", obj.Op)
	}
	if obj.Value == nil {
		im.problem(o, objField+".value", "a threshold objective needs value")
		return nil
	}
	if obj.TimeSliceWindow != "" {
		d, ok := openslo.ShorthandDuration(obj.TimeSliceWindow)
		if !ok {
			if n, err := strconv.Atoi(obj.TimeSliceWindow); err == nil && n > 0 {
				d, ok = time.Duration(n)*time.Minute, true
			}
		}
		if !ok {
			im.problem(o, objField+".timeSliceWindow", "%q is not a duration", obj.TimeSliceWindow)
		} else if d != slos.DefaultSLIPeriod {
			p := slos.Duration(d)
			l.Period = &p
		}
	}
	if t := obj.TimeSliceTarget; t != nil && *t != 1 {
		im.notes.AddLine(l, "period", "timeSliceTarget %v: one percentile per period, so a period is good or not", *t)
	}
	q, stat := im.source(o, &sli.ThresholdMetric.MetricSource, field+".thresholdMetric.metricSource", x)
	if q == nil {
		return nil
	}
	switch {
	case q.op != "":
		l.Operation = q.op
	case q.Metric != nil:
		l.Metric = q.Metric
		l.Metric.Statistic = nil
	default:
		im.problem(o, field+".thresholdMetric.metricSource", "metric math: the catalog's latency SLI reads one metric")
		return nil
	}
	if !slos.Statistic(stat).IsPercentile() {
		im.problem(o, field+".thresholdMetric.metricSource.spec.stat", "stat %q: the catalog's latency SLI compares a percentile (p50 … p99.9) with the threshold", stat)
		return nil
	}
	l.Percentile = slos.Percentile(stat)
	l.Threshold = &slos.Threshold{Value: *obj.Value}
	unit := "Milliseconds"
	if l.Metric != nil && l.Metric.Unit != "" {
		unit = l.Metric.Unit
	}
	im.notes.AddLine(l, "threshold", "value %v of %s, in %s", *obj.Value, objField, unit)
	if obj.Op == "lte" {
		im.notes.AddLine(l, "threshold", "op lte read as under")
	}
	return &slos.SLI{Latency: l}
}

// availability maps a ratio metric with Occurrences to a request-based SLI.
func (im *importer) availability(o *openslo.Object, r *openslo.RatioMetric, field string, x *slos.SLO) *slos.SLI {
	if r.Raw != nil {
		im.problem(o, field+".raw", "a precomputed ratio has no catalog counterpart; give good (or bad) and total counts")
		return nil
	}
	if r.Total == nil || (r.Good == nil) == (r.Bad == nil) {
		im.problem(o, field, "a ratio metric needs total and one of good or bad")
		return nil
	}
	a := &slos.RatioSLI{}
	num, numField := r.Good, "good"
	if r.Bad != nil {
		num, numField = r.Bad, "bad"
	}
	nq, nstat := im.source(o, &num.MetricSource, field+"."+numField+".metricSource", x)
	tq, tstat := im.source(o, &r.Total.MetricSource, field+".total.metricSource", x)
	if nq == nil || tq == nil {
		return nil
	}
	if r.Counter != nil && *r.Counter {
		im.notes.AddLine(a, numField, "counter: true in the input; CloudWatch counts are per period, check the metric is not cumulative")
	}
	if nq.op != "" || tq.op != "" {
		if numField == "bad" && nq.op != "" && nq.op == tq.op && nq.metricName == "Fault" && nstat == "Sum" && tq.metricName == "Latency" && tstat == "SampleCount" {
			a.Operation = nq.op
			im.notes.AddLine(a, "operation", "from Application Signals metrics Fault (Sum) over Latency (SampleCount)")
			return &slos.SLI{Availability: a}
		}
		nq.op, tq.op = "", ""
	}
	if numField == "bad" {
		a.Bad = nq.MetricQuery
	} else {
		a.Good = nq.MetricQuery
	}
	a.Total = tq.MetricQuery
	return &slos.SLI{Availability: a}
}
