package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/spec"
)

// Map names the CloudWatch metric for metric sources of other types
// (Prometheus, Datadog, …). It is the --map file of slocat import openslo:
//
//	queries:
//	  - slo: main-page          # the SLO or SLI name (optional)
//	    part: good              # good, bad, total or threshold (optional)
//	    type: Prometheus        # the metric source type (optional)
//	    query: sum(rate(...))   # the source's spec.query (optional)
//	    metric: {namespace: AWS/ApplicationELB, name: HTTPCode_Target_2XX_Count}
//	    # or expression: and metrics:, as in a catalog count
//
// An entry matches a source when every selector it sets is equal; the first
// matching entry wins.
type Map struct {
	File    string      `yaml:"-"`
	Queries []*MapEntry `yaml:"queries"`
}

// MapEntry is one entry of a Map: selectors and the CloudWatch query.
type MapEntry struct {
	SLO        string                `yaml:"slo"`
	Part       string                `yaml:"part"`
	Type       string                `yaml:"type"`
	Query      string                `yaml:"query"`
	Metric     *MapMetric            `yaml:"metric"`
	Expression string                `yaml:"expression"`
	Metrics    map[string]*MapMetric `yaml:"metrics"`

	line int
	used bool
}

// MapMetric is a CloudWatch metric as a catalog writes it.
type MapMetric struct {
	Namespace  string            `yaml:"namespace"`
	Name       string            `yaml:"name"`
	Dimensions map[string]string `yaml:"dimensions"`
	Unit       string            `yaml:"unit"`
	Statistic  string            `yaml:"statistic"`
}

// ReadMap parses a --map file.
func ReadMap(name string, data []byte) (*Map, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	result := &Map{File: name}
	if len(root.Content) == 0 {
		return result, nil
	}
	if err := openslo.DecodeStrict(root.Content[0], result); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	// Lines for messages: the entries in order under queries.
	for _, node := range root.Content[0].Content {
		if node.Kind == yaml.SequenceNode {
			for index, item := range node.Content {
				if index < len(result.Queries) {
					result.Queries[index].line = item.Line
				}
			}
		}
	}
	for index, entry := range result.Queries {
		if entry.SLO == "" && entry.Part == "" && entry.Type == "" && entry.Query == "" {
			return nil, fmt.Errorf("%s: queries[%d]: give at least one of slo, part, type, query", name, index)
		}
		if (entry.Metric == nil) == (entry.Expression == "") {
			return nil, fmt.Errorf("%s: queries[%d]: give metric, or expression and metrics", name, index)
		}
		if entry.Part != "" && !slices.Contains([]string{"good", "bad", "total", "threshold"}, entry.Part) {
			return nil, fmt.Errorf("%s: queries[%d]: part %q is not good, bad, total or threshold", name, index, entry.Part)
		}
	}
	return result, nil
}

// match returns the first entry that matches a metric source, or nil.
func (m *Map) match(object *openslo.Object, source *openslo.MetricSource, sourceType, field string) *MapEntry {
	if m == nil {
		return nil
	}
	part := "threshold"
	for _, name := range []string{"good", "bad", "total"} {
		if strings.Contains(field, "."+name+".") {
			part = name
		}
	}
	var spec struct {
		Query string `yaml:"query"`
	}
	_ = source.Spec.Decode(&spec)
	sliName := ""
	if object.SLO != nil {
		if object.SLO.Indicator != nil {
			sliName = object.SLO.Indicator.Metadata.Name
		}
		sliName = cmp.Or(sliName, object.SLO.IndicatorRef)
	}
	for _, entry := range m.Queries {
		if entry.SLO != "" && entry.SLO != object.Metadata.Name && entry.SLO != sliName ||
			entry.Part != "" && entry.Part != part ||
			entry.Type != "" && entry.Type != sourceType ||
			entry.Query != "" && strings.TrimSpace(entry.Query) != strings.TrimSpace(spec.Query) {
			continue
		}
		entry.used = true
		return entry
	}
	return nil
}

// query returns the entry's CloudWatch query as a catalog count.
func (e *MapEntry) query() *spec.MetricQuery {
	toCatalog := func(mapMetric *MapMetric) *spec.Metric {
		metric := &spec.Metric{Namespace: mapMetric.Namespace, Name: mapMetric.Name, Dimensions: mapMetric.Dimensions, Unit: mapMetric.Unit}
		if mapMetric.Statistic != "" && mapMetric.Statistic != "Sum" {
			stat := spec.Statistic(mapMetric.Statistic)
			metric.Statistic = &stat
		}
		return metric
	}
	if e.Metric != nil {
		return &spec.MetricQuery{Metric: toCatalog(e.Metric)}
	}
	mapped := &spec.MetricQuery{Expression: e.Expression, Metrics: map[string]*spec.Metric{}}
	for name, input := range e.Metrics {
		mapped.Metrics[name] = toCatalog(input)
	}
	return mapped
}
