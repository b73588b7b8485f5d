package importer

import (
	"strings"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/slos"
)

// This file maps metric sources to catalog metric queries: CloudWatch
// metrics, CloudWatch metric math, and other types through the --map file.

// query is a mapped metric source.
type query struct {
	*slos.MetricQuery
	op         string // Application Signals operation
	asName     string // Application Signals service and environment
	asEnv      string
	metricName string
}

// source maps one metric source to a catalog metric query and its
// statistic.
func (im *importer) source(o *openslo.Object, ms *openslo.MetricSource, field string, x *slos.SLO) (*query, string) {
	typ := ms.Type
	if ms.MetricSourceRef != "" {
		ds := im.byKind[openslo.KindDataSource][ms.MetricSourceRef]
		switch {
		case ds == nil && typ == "":
			im.problem(o, field+".metricSourceRef", "%s names no DataSource in the input, and the source has no type", ms.MetricSourceRef)
			return nil, ""
		case ds != nil && typ == "":
			typ = ds.DataSource.Type
		}
	}
	if strings.EqualFold(typ, "CloudWatch") {
		return im.cloudWatch(o, ms, field, x)
	}
	if e := im.opt.Map.match(o, ms, typ, field); e != nil {
		q := &query{MetricQuery: e.query()}
		im.notes.AddLine(x, "sli", "%s %s from --map %s:%d", field, typ, im.opt.Map.File, e.line)
		stat := "Sum"
		if q.Metric != nil && q.Metric.Statistic != nil {
			stat = string(*q.Metric.Statistic)
		}
		return q, stat
	}
	if typ == "" {
		typ = "(no type)"
	}
	im.problem(o, field+".type", "metric source %s has no CloudWatch mapping; give one with --map FILE or edit the output", typ)
	return nil, ""
}

// cloudWatch maps a CloudWatch metric source.
func (im *importer) cloudWatch(o *openslo.Object, ms *openslo.MetricSource, field string, x *slos.SLO) (*query, string) {
	var cw openslo.CloudWatchSpec
	if err := openslo.DecodeStrict(&ms.Spec, &cw); err != nil {
		im.problem(o, field+".spec", "%v", err)
		return nil, ""
	}
	if cw.Region != "" {
		im.regions[cw.Region] = true
	}
	if cw.AccountID != "" {
		im.notes.AddLine(x, "sli", "%s.spec.accountId %s: the catalog reads metrics of the environment's own account", field, cw.AccountID)
		im.warn(o, field+".spec.accountId", "cross-account metrics are read from the environment's account")
	}
	switch {
	case cw.SQL != "":
		im.problem(o, field+".spec.sql", "CloudWatch Metrics Insights (sql) has no catalog counterpart; give namespace, metricName and stat, or json metric math")
		return nil, ""
	case cw.JSON != "":
		if cw.MetricName != "" || cw.Namespace != "" {
			im.problem(o, field+".spec.json", "give json or namespace/metricName, not both")
			return nil, ""
		}
		return im.metricMath(o, cw.JSON, field+".spec.json")
	}
	if cw.Namespace == "" || cw.MetricName == "" || cw.Stat == "" {
		im.problem(o, field+".spec", "a CloudWatch metric needs namespace, metricName and stat")
		return nil, ""
	}
	m := &slos.Metric{Namespace: cw.Namespace, Name: cw.MetricName, Unit: cw.Unit}
	for _, d := range cw.Dimensions {
		if m.Dimensions == nil {
			m.Dimensions = map[string]string{}
		}
		m.Dimensions[d.Name] = d.Value
	}
	q := &query{MetricQuery: &slos.MetricQuery{Metric: m}, metricName: cw.MetricName}
	if cw.Stat != "Sum" {
		s := slos.Statistic(cw.Stat)
		m.Statistic = &s
	}
	if cw.Namespace == openslo.AppSignalsNamespace && len(cw.Dimensions) == 3 && m.Dimensions["Service"] != "" && m.Dimensions["Operation"] != "" && m.Dimensions["Environment"] != "" {
		q.op, q.asName, q.asEnv = m.Dimensions["Operation"], m.Dimensions["Service"], m.Dimensions["Environment"]
	}
	return q, cw.Stat
}

// metricMath maps the json form: MetricDataQueries, one returning data.
func (im *importer) metricMath(o *openslo.Object, js, field string) (*query, string) {
	qs, err := openslo.ParseQueries(js)
	if err != nil {
		im.problem(o, field, "not the JSON of CloudWatch MetricDataQueries: %v", err)
		return nil, ""
	}
	var result *openslo.MetricDataQuery
	inputs := map[string]*slos.Metric{}
	stats := map[string]bool{}
	for i := range qs {
		q := &qs[i]
		if q.ReturnData == nil || *q.ReturnData {
			if result != nil {
				im.problem(o, field, "queries %s and %s both return data; exactly one may (set ReturnData: false on the others)", result.ID, q.ID)
				return nil, ""
			}
			result = q
		}
		if q.MetricStat != nil {
			m := &slos.Metric{Namespace: q.MetricStat.Metric.Namespace, Name: q.MetricStat.Metric.MetricName, Unit: q.MetricStat.Unit}
			for _, d := range q.MetricStat.Metric.Dimensions {
				if m.Dimensions == nil {
					m.Dimensions = map[string]string{}
				}
				m.Dimensions[d.Name] = d.Value
			}
			if q.MetricStat.Stat != "Sum" {
				s := slos.Statistic(q.MetricStat.Stat)
				m.Statistic = &s
			}
			stats[q.MetricStat.Stat] = true
			inputs[q.ID] = m
		}
	}
	if result == nil {
		im.problem(o, field, "no query returns data")
		return nil, ""
	}
	if result.Expression == "" {
		m := inputs[result.ID]
		if m == nil {
			im.problem(o, field, "query %s has neither Expression nor MetricStat", result.ID)
			return nil, ""
		}
		return &query{MetricQuery: &slos.MetricQuery{Metric: m}, metricName: m.Name}, result.MetricStat.Stat
	}
	delete(inputs, result.ID)
	return &query{MetricQuery: &slos.MetricQuery{Expression: result.Expression, Metrics: inputs}}, "Sum"
}
