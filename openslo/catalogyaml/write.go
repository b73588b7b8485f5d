// Package catalogyaml writes a catalog file (spec.File) as YAML with a
// comment beside each value: where it came from, or what to fill in. The
// OpenSLO importer uses it to write the catalog it makes; the catalog's own
// reader needs none of it.
package catalogyaml

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/spec"
)

// Write renders a catalog file as YAML, with header comment lines first and
// the comments beside the values they are about.
func Write(f *spec.File, comments Comments, header []string) ([]byte, error) {
	w := catalogWriter{notes: comments}
	doc := w.file(f)
	var lines string
	for _, h := range header {
		lines += h + "\n"
	}
	doc.HeadComment = lines
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// catalogWriter builds the YAML nodes of a catalog file.
type catalogWriter struct{ notes Comments }

// mapping is a mapping node under construction for one object.
type mapping struct {
	n   *yaml.Node
	obj any
	w   *catalogWriter
}

// object starts the mapping node of obj, with its head comment.
func (w *catalogWriter) object(obj any, flow bool) *mapping {
	node := &yaml.Node{Kind: yaml.MappingNode}
	if flow {
		node.Style = yaml.FlowStyle
	}
	if comment := w.notes[obj]; comment != nil {
		for i, line := range comment.Head {
			if i > 0 {
				node.HeadComment += "\n"
			}
			node.HeadComment += "# " + line
		}
	}
	return &mapping{n: node, obj: obj, w: w}
}

// add appends key and its value, unless the value is nil (left out), with
// the key's line comment: beside a scalar or flow value, else beside the key.
func (m *mapping) add(key string, value *yaml.Node) {
	if value == nil {
		return
	}
	keyNode := &yaml.Node{Kind: yaml.ScalarNode, Value: key}
	if comment := m.w.notes[m.obj]; comment != nil && comment.Line[key] != "" {
		if value.Kind == yaml.ScalarNode || value.Style == yaml.FlowStyle {
			value.LineComment = "# " + comment.Line[key]
		} else {
			keyNode.LineComment = "# " + comment.Line[key]
		}
	}
	m.n.Content = append(m.n.Content, keyNode, value)
}

func str(s string) *yaml.Node {
	if s == "" {
		return nil
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Value: s}
}

// quoted is a string that must stay a string (an account ID, a channel).
func quoted(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: s, Style: yaml.DoubleQuotedStyle}
}

func intNode(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.Itoa(n), Tag: "!!int"}
}

func boolNode(b bool) *yaml.Node {
	if !b {
		return nil
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Value: "true", Tag: "!!bool"}
}

func list(items []*yaml.Node, flow bool) *yaml.Node {
	if len(items) == 0 {
		return nil
	}
	n := &yaml.Node{Kind: yaml.SequenceNode, Content: items}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

func strList(ss []string) *yaml.Node {
	var items []*yaml.Node
	for _, s := range ss {
		items = append(items, str(s))
	}
	return list(items, true)
}

func strMap(values map[string]string) *yaml.Node {
	if len(values) == 0 {
		return nil
	}
	node := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, key := range slices.Sorted(maps.Keys(values)) {
		node.Content = append(node.Content, str(key), quoted(values[key]))
	}
	return node
}

func (w *catalogWriter) file(f *spec.File) *yaml.Node {
	root := w.object(f, false)
	if f.Org != nil {
		org := w.object(f.Org, false)
		org.add("name", str(f.Org.Name))
		root.add("org", org.n)
	}
	var envs, routes, services []*yaml.Node
	for _, env := range f.Environments {
		entry := w.object(env, false)
		entry.add("name", str(env.Name))
		entry.add("account", quoted(env.Account))
		entry.add("region", str(env.Region))
		envs = append(envs, entry.n)
	}
	for _, route := range f.Routes {
		entry := w.object(route, false)
		entry.add("id", str(route.ID))
		entry.add("type", str(route.Type))
		entry.add("secret", str(route.Secret))
		if route.Channel != "" {
			entry.add("channel", quoted(route.Channel))
		}
		entry.add("emails", strList(route.Emails))
		entry.add("region", str(route.Region))
		entry.add("description", str(route.Description))
		routes = append(routes, entry.n)
	}
	for _, svc := range f.Services {
		services = append(services, w.service(svc))
	}
	root.add("environments", list(envs, false))
	root.add("routes", list(routes, false))
	root.add("services", list(services, false))
	return root.n
}

func (w *catalogWriter) service(s *spec.Service) *yaml.Node {
	entry := w.object(s, false)
	entry.add("name", str(s.Name))
	entry.add("owner", str(s.Owner))
	if s.Tier > 0 {
		entry.add("tier", intNode(s.Tier))
	}
	entry.add("description", str(s.Description))
	entry.add("runbook", str(s.Runbook))
	oncall := w.object(s.Oncall, true)
	oncall.add("page", strList(s.Oncall.Page))
	oncall.add("ticket", strList(s.Oncall.Ticket))
	entry.add("oncall", oncall.n)
	if identity := s.ApplicationSignals; identity != nil {
		appSignals := w.object(identity, true)
		appSignals.add("name", str(identity.Name))
		appSignals.add("environment", str(identity.Environment))
		entry.add("applicationSignals", appSignals.n)
	}
	var items []*yaml.Node
	for _, slo := range s.SLOs {
		items = append(items, w.slo(slo))
	}
	entry.add("slos", list(items, false))
	return entry.n
}

func (w *catalogWriter) slo(s *spec.SLO) *yaml.Node {
	entry := w.object(s, false)
	entry.add("id", str(s.ID))
	entry.add("goal", str(s.Goal))
	entry.add("description", str(s.Description))
	entry.add("sli", w.sli(s.SLI))
	if s.Objective != nil {
		entry.add("objective", str(s.Objective.String()))
	}
	if s.Window != nil {
		entry.add("window", str(s.Window.String()))
	}
	if s.WarningThreshold != nil {
		entry.add("warningThreshold", str(s.WarningThreshold.String()))
	}
	if s.Load != nil {
		entry.add("load", str(strconv.FormatFloat(float64(*s.Load), 'f', -1, 64)+"rps"))
	}
	if s.MinRequests != nil {
		entry.add("minRequests", intNode(*s.MinRequests))
	}
	var exclusions []*yaml.Node
	for _, exclusion := range s.Exclusions {
		item := w.object(exclusion, true)
		item.add("start", quoted(exclusion.Start))
		item.add("duration", str(exclusion.Duration.String()))
		item.add("recurrence", str(exclusion.Recurrence))
		item.add("reason", str(exclusion.Reason))
		exclusions = append(exclusions, item.n)
	}
	entry.add("exclusions", list(exclusions, false))
	if s.Alerting != nil {
		alerting := w.object(s.Alerting, false)
		var tiers []*yaml.Node
		for _, tier := range s.Alerting.Tiers {
			item := w.object(tier, false)
			item.add("severity", str(tier.Severity))
			item.add("longWindow", str(tier.LongWindow.String()))
			item.add("shortWindow", str(tier.ShortWindow.String()))
			item.add("budget", str(tier.Budget.String()))
			item.add("allowSlowBurn", boolNode(tier.AllowSlowBurn))
			tiers = append(tiers, item.n)
		}
		alerting.add("tiers", list(tiers, false))
		entry.add("alerting", alerting.n)
	}
	return entry.n
}

func (w *catalogWriter) sli(s *spec.SLI) *yaml.Node {
	entry := w.object(s, false)
	if latency := s.Latency; latency != nil {
		kind := w.object(latency, false)
		kind.add("metric", w.metric(latency.Metric))
		kind.add("operation", str(latency.Operation))
		kind.add("percentile", str(string(latency.Percentile)))
		kind.add("threshold", str(latency.Threshold.String()))
		if latency.Period != nil {
			kind.add("period", str(latency.Period.String()))
		}
		entry.add("latency", kind.n)
	}
	if availability := s.Availability; availability != nil {
		kind := w.object(availability, false)
		kind.add("operation", str(availability.Operation))
		kind.add("good", w.query(availability.Good))
		kind.add("bad", w.query(availability.Bad))
		kind.add("total", w.query(availability.Total))
		entry.add("availability", kind.n)
	}
	return entry.n
}

func (w *catalogWriter) query(q *spec.MetricQuery) *yaml.Node {
	if q == nil {
		return nil
	}
	entry := w.object(q, false)
	entry.add("metric", w.metric(q.Metric))
	entry.add("expression", str(q.Expression))
	if len(q.Metrics) > 0 {
		metrics := &yaml.Node{Kind: yaml.MappingNode}
		for _, key := range slices.Sorted(maps.Keys(q.Metrics)) {
			metrics.Content = append(metrics.Content, str(key), w.metric(q.Metrics[key]))
		}
		entry.add("metrics", metrics)
	}
	return entry.n
}

func (w *catalogWriter) metric(m *spec.Metric) *yaml.Node {
	if m == nil {
		return nil
	}
	entry := w.object(m, false)
	entry.add("namespace", str(m.Namespace))
	entry.add("name", str(m.Name))
	entry.add("dimensions", strMap(m.Dimensions))
	entry.add("unit", str(m.Unit))
	if m.Statistic != nil {
		entry.add("statistic", str(string(*m.Statistic)))
	}
	return entry.n
}

// Comments are the comments of a catalog file: per object (a pointer into
// the file), a head comment, and per key, a line comment.
type Comments map[any]*Comment

// Comment is the head comment of an object and the line comments of its keys.
type Comment struct {
	Head []string
	Line map[string]string
}

// AddHead adds a line to the head comment of obj.
func (c Comments) AddHead(obj any, format string, args ...any) {
	comment := c.of(obj)
	comment.Head = append(comment.Head, fmt.Sprintf(format, args...))
}

// AddLine adds to the line comment of key in obj, after a semicolon when
// the key has one already.
func (c Comments) AddLine(obj any, key, format string, args ...any) {
	comment := c.of(obj)
	text := fmt.Sprintf(format, args...)
	if old := comment.Line[key]; old != "" {
		text = old + "; " + text
	}
	comment.Line[key] = text
}

// of returns the comment of obj, adding an empty one.
func (c Comments) of(obj any) *Comment {
	comment := c[obj]
	if comment == nil {
		comment = &Comment{Line: map[string]string{}}
		c[obj] = comment
	}
	return comment
}
