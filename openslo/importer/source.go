package importer

import (
	"strings"

	"github.com/slocatalog/slocatalog/openslo"
	catalog "github.com/slocatalog/slocatalog/spec"
)

// This file maps metric sources to catalog metric queries: CloudWatch
// metrics, CloudWatch metric math, and other types through the --map file.

// query is a mapped metric source.
type query struct {
	*catalog.MetricQuery
	op         string // Application Signals operation
	asName     string // Application Signals service and environment
	asEnv      string
	metricName string
}

// source maps one metric source to a catalog metric query and its
// statistic.
func (im *importer) source(object *openslo.Object, source *openslo.MetricSource, field string, catalogSLO *catalog.SLO) (*query, string) {
	sourceType := source.Type
	if source.MetricSourceRef != "" {
		dataSource := im.byKind[openslo.KindDataSource][source.MetricSourceRef]
		switch {
		case dataSource == nil && sourceType == "":
			im.problem(object, field+".metricSourceRef", "%s names no DataSource in the input, and the source has no type", source.MetricSourceRef)
			return nil, ""
		case dataSource != nil && sourceType == "":
			sourceType = dataSource.DataSource.Type
		}
	}
	if strings.EqualFold(sourceType, "CloudWatch") {
		return im.cloudWatch(object, source, field, catalogSLO)
	}
	if entry := im.opt.Map.match(object, source, sourceType, field); entry != nil {
		mapped := &query{MetricQuery: entry.query()}
		im.notes.AddLine(catalogSLO, "sli", "%s %s from --map %s:%d", field, sourceType, im.opt.Map.File, entry.line)
		stat := "Sum"
		if mapped.Metric != nil && mapped.Metric.Statistic != nil {
			stat = string(*mapped.Metric.Statistic)
		}
		return mapped, stat
	}
	if sourceType == "" {
		sourceType = "(no type)"
	}
	im.problem(object, field+".type", "metric source %s has no CloudWatch mapping; give one with --map FILE or edit the output", sourceType)
	return nil, ""
}

// cloudWatch maps a CloudWatch metric source.
func (im *importer) cloudWatch(object *openslo.Object, source *openslo.MetricSource, field string, catalogSLO *catalog.SLO) (*query, string) {
	var spec openslo.CloudWatchSpec
	if err := openslo.DecodeStrict(&source.Spec, &spec); err != nil {
		im.problem(object, field+".spec", "%v", err)
		return nil, ""
	}
	if spec.Region != "" {
		im.regions[spec.Region] = true
	}
	if spec.AccountID != "" {
		im.notes.AddLine(catalogSLO, "sli", "%s.spec.accountId %s: the catalog reads metrics of the environment's own account", field, spec.AccountID)
		im.warn(object, field+".spec.accountId", "cross-account metrics are read from the environment's account")
	}
	switch {
	case spec.SQL != "":
		im.problem(object, field+".spec.sql", "CloudWatch Metrics Insights (sql) has no catalog counterpart; give namespace, metricName and stat, or json metric math")
		return nil, ""
	case spec.JSON != "":
		if spec.MetricName != "" || spec.Namespace != "" {
			im.problem(object, field+".spec.json", "give json or namespace/metricName, not both")
			return nil, ""
		}
		return im.metricMath(object, spec.JSON, field+".spec.json")
	}
	if spec.Namespace == "" || spec.MetricName == "" || spec.Stat == "" {
		im.problem(object, field+".spec", "a CloudWatch metric needs namespace, metricName and stat")
		return nil, ""
	}
	metric := &catalog.Metric{Namespace: spec.Namespace, Name: spec.MetricName, Unit: spec.Unit}
	for _, dim := range spec.Dimensions {
		if metric.Dimensions == nil {
			metric.Dimensions = map[string]string{}
		}
		metric.Dimensions[dim.Name] = dim.Value
	}
	mapped := &query{MetricQuery: &catalog.MetricQuery{Metric: metric}, metricName: spec.MetricName}
	if spec.Stat != "Sum" {
		stat := catalog.Statistic(spec.Stat)
		metric.Statistic = &stat
	}
	if spec.Namespace == openslo.AppSignalsNamespace && len(spec.Dimensions) == 3 && metric.Dimensions["Service"] != "" && metric.Dimensions["Operation"] != "" && metric.Dimensions["Environment"] != "" {
		mapped.op, mapped.asName, mapped.asEnv = metric.Dimensions["Operation"], metric.Dimensions["Service"], metric.Dimensions["Environment"]
	}
	return mapped, spec.Stat
}

// metricMath maps the json form: MetricDataQueries, one returning data.
func (im *importer) metricMath(object *openslo.Object, js, field string) (*query, string) {
	queries, err := openslo.ParseQueries(js)
	if err != nil {
		im.problem(object, field, "not the JSON of CloudWatch MetricDataQueries: %v", err)
		return nil, ""
	}
	var result *openslo.MetricDataQuery
	inputs := map[string]*catalog.Metric{}
	for i := range queries {
		dataQuery := &queries[i]
		if dataQuery.ReturnData == nil || *dataQuery.ReturnData {
			if result != nil {
				im.problem(object, field, "queries %s and %s both return data; exactly one may (set ReturnData: false on the others)", result.ID, dataQuery.ID)
				return nil, ""
			}
			result = dataQuery
		}
		if dataQuery.MetricStat != nil {
			metric := &catalog.Metric{Namespace: dataQuery.MetricStat.Metric.Namespace, Name: dataQuery.MetricStat.Metric.MetricName, Unit: dataQuery.MetricStat.Unit}
			for _, dim := range dataQuery.MetricStat.Metric.Dimensions {
				if metric.Dimensions == nil {
					metric.Dimensions = map[string]string{}
				}
				metric.Dimensions[dim.Name] = dim.Value
			}
			if dataQuery.MetricStat.Stat != "Sum" {
				stat := catalog.Statistic(dataQuery.MetricStat.Stat)
				metric.Statistic = &stat
			}
			inputs[dataQuery.ID] = metric
		}
	}
	if result == nil {
		im.problem(object, field, "no query returns data")
		return nil, ""
	}
	if result.Expression == "" {
		metric := inputs[result.ID]
		if metric == nil {
			im.problem(object, field, "query %s has neither Expression nor MetricStat", result.ID)
			return nil, ""
		}
		return &query{MetricQuery: &catalog.MetricQuery{Metric: metric}, metricName: metric.Name}, result.MetricStat.Stat
	}
	delete(inputs, result.ID)
	return &query{MetricQuery: &catalog.MetricQuery{Expression: result.Expression, Metrics: inputs}}, "Sum"
}
