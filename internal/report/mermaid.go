package report

import (
	"bufio"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/slocatalog/slocatalog/internal/generated"
	"github.com/slocatalog/slocatalog/plan"
)

// maxObjectNodes is how many catalog objects of a service the flowchart
// draws one by one; a service with more is drawn one node per kind and
// severity ("40 SLOs"), so the diagram stays readable and under Mermaid's
// default limit of 500 edges.
const maxObjectNodes = 12

// mermaid writes the flowchart of alert routing in one environment: each
// catalog object that makes alarms → its service's roll-up of each
// severity its alarms have → the routes of that severity. Node ids are
// generated (s1, s1o2, r3); every label is quoted.
func mermaid(w *bufio.Writer, org string, e *plan.Environment) {
	fmt.Fprintf(w, "flowchart LR\n")
	routeIDs := map[string]string{}
	for i, rt := range e.Routes {
		routeIDs[rt.ID] = fmt.Sprintf("r%d", i+1)
	}
	var edges []string
	for si, s := range e.Services {
		sid := fmt.Sprintf("s%d", si+1)
		objs := generated.Objects(org, e.Name, s)
		rollups := generated.Rollups(org, e.Name, s, objs)
		if len(rollups) == 0 {
			continue
		}
		fmt.Fprintf(w, "  subgraph %s[%s]\n", sid, label("service "+s.Name))
		for _, n := range objectNodes(objs) {
			id := fmt.Sprintf("%so%d", sid, n.index)
			fmt.Fprintf(w, "    %s[%s]\n", id, label(n.label))
			for _, sev := range n.severities {
				edges = append(edges, fmt.Sprintf("  %s --> %s_%s\n", id, sid, sev))
			}
		}
		for _, ro := range rollups {
			fmt.Fprintf(w, "    %s_%s([%s])\n", sid, ro.Severity, label(ro.Severity+" roll-up: "+ro.Name))
			for _, route := range generated.Routes(s, ro.Severity) {
				if rid, ok := routeIDs[route]; ok {
					edges = append(edges, fmt.Sprintf("  %s_%s --> %s\n", sid, ro.Severity, rid))
				}
			}
		}
		fmt.Fprintf(w, "  end\n")
	}
	for _, rt := range e.Routes {
		fmt.Fprintf(w, "  %s{{%s}}\n", routeIDs[rt.ID], label(rt.ID+" ("+rt.Type+")"))
	}
	for _, edge := range edges {
		w.WriteString(edge)
	}
}

// node is one box of the flowchart: an object, or all objects of a kind.
type node struct {
	index      int
	label      string
	severities []string // roll-ups it feeds, in generated.Severities order
}

// objectNodes draws each object that makes rolled-up alarms, or, past
// maxObjectNodes, one node per kind with the count.
func objectNodes(objs []generated.Object) []node {
	var alarmed []generated.Object
	for _, o := range objs {
		if len(rolledSeverities(o.Alarms)) > 0 {
			alarmed = append(alarmed, o)
		}
	}
	var out []node
	if len(alarmed) <= maxObjectNodes {
		for i, o := range alarmed {
			out = append(out, node{i + 1, kindLabel(o.Kind) + " " + o.ID, rolledSeverities(o.Alarms)})
		}
		return out
	}
	type group struct {
		kind, sevs string
		count      int
		severities []string
	}
	var groups []*group
	find := map[string]*group{}
	for _, o := range alarmed {
		sevs := rolledSeverities(o.Alarms)
		key := o.Kind + "/" + strings.Join(sevs, ",")
		g := find[key]
		if g == nil {
			g = &group{kind: o.Kind, sevs: strings.Join(sevs, ","), severities: sevs}
			find[key] = g
			groups = append(groups, g)
		}
		g.count++
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].kind != groups[j].kind {
			return kindRank(groups[i].kind) < kindRank(groups[j].kind)
		}
		return groups[i].sevs < groups[j].sevs
	})
	for i, g := range groups {
		name := kindLabel(g.kind)
		if g.count != 1 {
			name += "s"
		}
		out = append(out, node{i + 1, fmt.Sprintf("%d %s (%s)", g.count, name, strings.ReplaceAll(g.sevs, ",", " and ")), g.severities})
	}
	return out
}

var kinds = []string{generated.KindSLO, generated.KindAlarm, generated.KindCanary, generated.KindRUM, generated.KindTrace}

func kindRank(kind string) int { return slices.Index(kinds, kind) }

func kindLabel(kind string) string {
	switch kind {
	case generated.KindSLO:
		return "SLO"
	case generated.KindRUM:
		return "RUM monitor"
	case generated.KindTrace:
		return "trace group"
	}
	return kind
}

// rolledSeverities are the severities of the roll-ups an object's alarms join.
func rolledSeverities(alarms []generated.Alarm) []string {
	var out []string
	for _, sev := range generated.Severities {
		if slices.ContainsFunc(alarms, func(a generated.Alarm) bool { return a.Rollup && a.Severity == sev }) {
			out = append(out, sev)
		}
	}
	return out
}

// label quotes a node label for Mermaid; a double quote in it becomes the
// entity code Mermaid reads (#quot;).
func label(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, "#quot;") + `"`
}
