package importer

import (
	"fmt"
	"strings"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/slos"
	"gopkg.in/yaml.v3"
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
	m := &Map{File: name}
	if len(root.Content) == 0 {
		return m, nil
	}
	if err := openslo.DecodeStrict(root.Content[0], m); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	// Lines for messages: the entries in order under queries.
	for _, n := range root.Content[0].Content {
		if n.Kind == yaml.SequenceNode {
			for i, item := range n.Content {
				if i < len(m.Queries) {
					m.Queries[i].line = item.Line
				}
			}
		}
	}
	for i, e := range m.Queries {
		if e.SLO == "" && e.Part == "" && e.Type == "" && e.Query == "" {
			return nil, fmt.Errorf("%s: queries[%d]: give at least one of slo, part, type, query", name, i)
		}
		if (e.Metric == nil) == (e.Expression == "") {
			return nil, fmt.Errorf("%s: queries[%d]: give metric, or expression and metrics", name, i)
		}
		if e.Part != "" && e.Part != "good" && e.Part != "bad" && e.Part != "total" && e.Part != "threshold" {
			return nil, fmt.Errorf("%s: queries[%d]: part %q is not good, bad, total or threshold", name, i, e.Part)
		}
	}
	return m, nil
}

// match returns the first entry that matches a metric source, or nil.
func (m *Map) match(o *openslo.Object, ms *openslo.MetricSource, typ, field string) *MapEntry {
	if m == nil {
		return nil
	}
	part := "threshold"
	for _, p := range []string{"good", "bad", "total"} {
		if strings.Contains(field, "."+p+".") {
			part = p
		}
	}
	var spec struct {
		Query string `yaml:"query"`
	}
	_ = ms.Spec.Decode(&spec)
	sliName := ""
	if o.SLO != nil {
		if o.SLO.Indicator != nil {
			sliName = o.SLO.Indicator.Metadata.Name
		}
		sliName = firstNonEmpty(sliName, o.SLO.IndicatorRef)
	}
	for _, e := range m.Queries {
		if e.SLO != "" && e.SLO != o.Metadata.Name && e.SLO != sliName ||
			e.Part != "" && e.Part != part ||
			e.Type != "" && e.Type != typ ||
			e.Query != "" && strings.TrimSpace(e.Query) != strings.TrimSpace(spec.Query) {
			continue
		}
		e.used = true
		return e
	}
	return nil
}

// query returns the entry's CloudWatch query as a catalog count.
func (e *MapEntry) query() *slos.MetricQuery {
	conv := func(m *MapMetric) *slos.Metric {
		x := &slos.Metric{Namespace: m.Namespace, Name: m.Name, Dimensions: m.Dimensions, Unit: m.Unit}
		if m.Statistic != "" && m.Statistic != "Sum" {
			s := slos.Statistic(m.Statistic)
			x.Statistic = &s
		}
		return x
	}
	if e.Metric != nil {
		return &slos.MetricQuery{Metric: conv(e.Metric)}
	}
	q := &slos.MetricQuery{Expression: e.Expression, Metrics: map[string]*slos.Metric{}}
	for k, v := range e.Metrics {
		q.Metrics[k] = conv(v)
	}
	return q
}
