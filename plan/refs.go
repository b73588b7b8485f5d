package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/spec"
)

// expandRefs returns s with every {env} and {vars.NAME} of environment e
// filled in, and the names of the vars e does not define.
func expandRefs(s string, e *spec.Environment) (string, []string) {
	return spec.FillRefs(s, e.Name, func(name string) (string, bool) {
		v, ok := e.Vars[name]
		return v, ok
	})
}

// refText is one piece of catalog text that may hold references, with the
// place it was written.
type refText struct {
	text string
	pos  diag.Pos
}

// refTexts collects catalog text that may hold references.
type refTexts []refText

// add keeps text only when it can hold a reference: most catalog text has
// no "{", and keeping every piece cost a third of validate's allocations.
func (r *refTexts) add(text string, pos diag.Pos) {
	if strings.Contains(text, "{") {
		*r = append(*r, refText{text, pos})
	}
}

// addField is add for the value of a field of m, whose place is looked up
// only when the text can hold a reference.
func (r *refTexts) addField(text string, m spec.Meta, field string) {
	if strings.Contains(text, "{") {
		*r = append(*r, refText{text, m.Val(field)})
	}
}

func (r *refTexts) metric(m *spec.Metric) {
	if m == nil {
		return
	}
	r.addField(m.Namespace, m.Meta, "namespace")
	r.addField(m.Name, m.Meta, "name")
	refs := false
	for _, v := range m.Dimensions {
		refs = refs || strings.Contains(v, "{")
	}
	if !refs {
		return
	}
	for _, k := range slices.Sorted(maps.Keys(m.Dimensions)) {
		r.add(m.Dimensions[k], m.MapKey("dimensions", k))
	}
}

func (r *refTexts) query(q *spec.MetricQuery) {
	if q == nil {
		return
	}
	r.metric(q.Metric)
	for _, k := range slices.Sorted(maps.Keys(q.Metrics)) {
		r.metric(q.Metrics[k])
	}
}

func (r *refTexts) slo(slo *spec.SLO) {
	if slo.SLI == nil {
		return
	}
	if l := slo.SLI.Latency; l != nil {
		r.metric(l.Metric)
	}
	if a := slo.SLI.Availability; a != nil {
		r.query(a.Good)
		r.query(a.Bad)
		r.query(a.Total)
	}
}

// serviceRefs lists every text of a service that may hold references.
func serviceRefs(s *spec.Service) refTexts {
	var out refTexts
	if a := s.ApplicationSignals; a != nil {
		out.add(a.Environment, a.Val("environment"))
	}
	for _, slo := range s.SLOs {
		out.slo(slo)
	}
	for _, a := range s.Alarms {
		out.metric(a.Metric)
	}
	for _, c := range s.Canaries {
		for _, st := range c.Steps {
			out.add(st.URL, st.Val("url"))
		}
	}
	for _, r := range s.RUM {
		for i, d := range r.Domains {
			out.add(d, r.Item("domains", i))
		}
	}
	for _, t := range s.Traces {
		out.add(t.Filter, t.Val("filter"))
	}
	return out
}

// VarUse is one {vars.NAME} that an object's text uses in an environment:
// the value it stands for there and where that value is written.
type VarUse struct {
	Name, Value string
	Pos         diag.Pos
}

// VarsUsed lists, sorted by name, the vars that the SLO or alarm id of
// service uses in environment env.
func VarsUsed(c *spec.Catalog, env, service, id string) []VarUse {
	var e *spec.Environment
	for _, candidate := range c.Environments {
		if candidate.Name == env {
			e = candidate
		}
	}
	if e == nil {
		return nil
	}
	var texts refTexts
	for _, s := range c.Services {
		if s.Name != service {
			continue
		}
		for _, slo := range s.SLOs {
			if slo.ID == id {
				texts.slo(slo)
			}
		}
		for _, a := range s.Alarms {
			if a.ID == id {
				texts.metric(a.Metric)
			}
		}
	}
	seen := map[string]bool{}
	var out []VarUse
	for _, t := range texts {
		spec.FillRefs(t.text, e.Name, func(name string) (string, bool) {
			v, ok := e.Vars[name]
			if ok && !seen[name] {
				seen[name] = true
				out = append(out, VarUse{Name: name, Value: v, Pos: e.MapKey("vars", name)})
			}
			return v, ok
		})
	}
	slices.SortFunc(out, func(a, b VarUse) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// checkRefs reports each var that a service's text uses and environment e
// does not define.
func (p *planner) checkRefs(e *spec.Environment, s *spec.Service) {
	for _, rt := range serviceRefs(s) {
		if !strings.Contains(rt.text, "{") {
			continue
		}
		_, missing := expandRefs(rt.text, e)
		for _, name := range missing {
			hint := fmt.Sprintf("add %s under vars of environment %s", name, e.Name)
			if known := slices.Sorted(maps.Keys(e.Vars)); len(known) > 0 {
				hint = diag.DidYouMeanOr(name, known, hint)
			}
			p.diags.Add(rt.pos, diag.CheckVar, hint, "{vars.%s} is not defined in environment %s, where service %s runs", name, e.Name, s.Name)
		}
	}
}

// fillEnv fills the references of s for environment e; checkRefs reports
// what it cannot fill.
func fillEnv(s string, e *spec.Environment) string {
	out, _ := expandRefs(s, e)
	return out
}

// fillEnvAll is fillEnv over a list; the list itself is returned when no
// item holds a reference.
func fillEnvAll(list []string, e *spec.Environment) []string {
	if !slices.ContainsFunc(list, func(s string) bool { return strings.Contains(s, "{") }) {
		return list
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fillEnv(s, e)
	}
	return out
}
