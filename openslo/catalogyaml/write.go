// Package catalogyaml writes a catalog file (slos.File) as YAML with a
// comment beside each value: where it came from, or what to fill in. The
// OpenSLO importer uses it to write the catalog it makes; the catalog's own
// reader needs none of it.
package catalogyaml

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"

	"github.com/slocatalog/slocatalog/slos"
	"gopkg.in/yaml.v3"
)

// Write renders a catalog file as YAML, with header comment lines first and
// the comments beside the values they are about.
func Write(f *slos.File, comments Comments, header []string) ([]byte, error) {
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

func (w *catalogWriter) object(obj any, flow bool) *mapping {
	n := &yaml.Node{Kind: yaml.MappingNode}
	if flow {
		n.Style = yaml.FlowStyle
	}
	if c := w.notes[obj]; c != nil {
		for i, h := range c.Head {
			if i > 0 {
				n.HeadComment += "\n"
			}
			n.HeadComment += "# " + h
		}
	}
	return &mapping{n: n, obj: obj, w: w}
}

func (m *mapping) add(key string, v *yaml.Node) {
	if v == nil {
		return
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Value: key}
	if c := m.w.notes[m.obj]; c != nil && c.Line[key] != "" {
		if v.Kind == yaml.ScalarNode || v.Style == yaml.FlowStyle {
			v.LineComment = "# " + c.Line[key]
		} else {
			k.LineComment = "# " + c.Line[key]
		}
	}
	m.n.Content = append(m.n.Content, k, v)
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

func strMap(m map[string]string) *yaml.Node {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, k := range keys {
		n.Content = append(n.Content, str(k), quoted(m[k]))
	}
	return n
}

func (w *catalogWriter) file(f *slos.File) *yaml.Node {
	m := w.object(f, false)
	if f.Org != nil {
		o := w.object(f.Org, false)
		o.add("name", str(f.Org.Name))
		m.add("org", o.n)
	}
	var envs, routes, services []*yaml.Node
	for _, e := range f.Environments {
		x := w.object(e, false)
		x.add("name", str(e.Name))
		x.add("account", quoted(e.Account))
		x.add("region", str(e.Region))
		envs = append(envs, x.n)
	}
	for _, r := range f.Routes {
		x := w.object(r, false)
		x.add("id", str(r.ID))
		x.add("type", str(r.Type))
		x.add("secret", str(r.Secret))
		if r.Channel != "" {
			x.add("channel", quoted(r.Channel))
		}
		x.add("emails", strList(r.Emails))
		x.add("region", str(r.Region))
		x.add("description", str(r.Description))
		routes = append(routes, x.n)
	}
	for _, s := range f.Services {
		services = append(services, w.service(s))
	}
	m.add("environments", list(envs, false))
	m.add("routes", list(routes, false))
	m.add("services", list(services, false))
	return m.n
}

func (w *catalogWriter) service(s *slos.Service) *yaml.Node {
	x := w.object(s, false)
	x.add("name", str(s.Name))
	x.add("owner", str(s.Owner))
	if s.Tier > 0 {
		x.add("tier", intNode(s.Tier))
	}
	x.add("description", str(s.Description))
	x.add("runbook", str(s.Runbook))
	on := w.object(s.Oncall, true)
	on.add("page", strList(s.Oncall.Page))
	on.add("ticket", strList(s.Oncall.Ticket))
	x.add("oncall", on.n)
	if a := s.ApplicationSignals; a != nil {
		as := w.object(a, true)
		as.add("name", str(a.Name))
		as.add("environment", str(a.Environment))
		x.add("applicationSignals", as.n)
	}
	var items []*yaml.Node
	for _, o := range s.SLOs {
		items = append(items, w.slo(o))
	}
	x.add("slos", list(items, false))
	return x.n
}

func (w *catalogWriter) slo(s *slos.SLO) *yaml.Node {
	x := w.object(s, false)
	x.add("id", str(s.ID))
	x.add("goal", str(s.Goal))
	x.add("description", str(s.Description))
	x.add("sli", w.sli(s.SLI))
	if s.Objective != nil {
		x.add("objective", str(s.Objective.String()))
	}
	if s.Window != nil {
		x.add("window", str(s.Window.String()))
	}
	if s.WarningThreshold != nil {
		x.add("warningThreshold", str(s.WarningThreshold.String()))
	}
	if s.Load != nil {
		x.add("load", str(strconv.FormatFloat(float64(*s.Load), 'f', -1, 64)+"rps"))
	}
	if s.MinRequests != nil {
		x.add("minRequests", intNode(*s.MinRequests))
	}
	var exs []*yaml.Node
	for _, e := range s.Exclusions {
		y := w.object(e, true)
		y.add("start", quoted(e.Start))
		y.add("duration", str(e.Duration.String()))
		y.add("recurrence", str(e.Recurrence))
		y.add("reason", str(e.Reason))
		exs = append(exs, y.n)
	}
	x.add("exclusions", list(exs, false))
	if s.Alerting != nil {
		a := w.object(s.Alerting, false)
		var tiers []*yaml.Node
		for _, t := range s.Alerting.Tiers {
			y := w.object(t, false)
			y.add("severity", str(t.Severity))
			y.add("longWindow", str(t.LongWindow.String()))
			y.add("shortWindow", str(t.ShortWindow.String()))
			y.add("budget", str(t.Budget.String()))
			y.add("allowSlowBurn", boolNode(t.AllowSlowBurn))
			tiers = append(tiers, y.n)
		}
		a.add("tiers", list(tiers, false))
		x.add("alerting", a.n)
	}
	return x.n
}

func (w *catalogWriter) sli(s *slos.SLI) *yaml.Node {
	x := w.object(s, false)
	if l := s.Latency; l != nil {
		y := w.object(l, false)
		y.add("metric", w.metric(l.Metric))
		y.add("operation", str(l.Operation))
		y.add("percentile", str(string(l.Percentile)))
		y.add("threshold", str(l.Threshold.String()))
		if l.Period != nil {
			y.add("period", str(l.Period.String()))
		}
		x.add("latency", y.n)
	}
	if a := s.Availability; a != nil {
		y := w.object(a, false)
		y.add("operation", str(a.Operation))
		y.add("good", w.query(a.Good))
		y.add("bad", w.query(a.Bad))
		y.add("total", w.query(a.Total))
		x.add("availability", y.n)
	}
	return x.n
}

func (w *catalogWriter) query(q *slos.MetricQuery) *yaml.Node {
	if q == nil {
		return nil
	}
	x := w.object(q, false)
	x.add("metric", w.metric(q.Metric))
	x.add("expression", str(q.Expression))
	if len(q.Metrics) > 0 {
		keys := make([]string, 0, len(q.Metrics))
		for k := range q.Metrics {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		ms := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range keys {
			ms.Content = append(ms.Content, str(k), w.metric(q.Metrics[k]))
		}
		x.add("metrics", ms)
	}
	return x.n
}

func (w *catalogWriter) metric(m *slos.Metric) *yaml.Node {
	if m == nil {
		return nil
	}
	x := w.object(m, false)
	x.add("namespace", str(m.Namespace))
	x.add("name", str(m.Name))
	x.add("dimensions", strMap(m.Dimensions))
	x.add("unit", str(m.Unit))
	if m.Statistic != nil {
		x.add("statistic", str(string(*m.Statistic)))
	}
	return x.n
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
