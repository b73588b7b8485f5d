package evolve

import (
	"fmt"
	"strings"
)

// This file checks exports: CloudFormation refuses to remove or change an
// export another stack imports, and export names are unique per account
// and region (KindExport).

// exportOutput is the logical ID of the output that exports name.
func exportOutput(s *Stack, name string) string {
	for _, id := range sortedKeys(s.Template.Outputs) {
		if o := s.Template.Outputs[id]; o.Export != nil && scalar(o.Export.Name) == name {
			return id
		}
	}
	return ""
}

// exports finds exports removed or changed while still imported, and
// exports that move to another stack.
func (c *checker) exports() {
	for _, id := range c.rep.Order {
		s := c.new.Stack(id)
		prev := c.old.Stack(id)
		newExp := s.exports()
		if prev != nil {
			oldExp := prev.exports()
			for _, name := range sortedKeys(oldExp) {
				what := "removes"
				if v, ok := newExp[name]; ok {
					if v == oldExp[name] {
						continue
					}
					what = "changes the value of"
				}
				c.importersOf(s, prev, name, what)
			}
		}
		// An export new to this stack that another stack exports today.
		for _, name := range sortedKeys(newExp) {
			if prev != nil {
				if _, ok := prev.exports()[name]; ok {
					continue
				}
			}
			for _, u := range c.old.Stacks {
				if u.ID == id || u.Env() != s.Env() {
					continue
				}
				if _, ok := u.exports()[name]; !ok {
					continue
				}
				nu := c.new.Stack(u.ID)
				switch {
				case nu == nil:
					c.add(Hazard{KindExport, id, exportOutput(s, name), "Export", fmt.Sprintf("creates export %s, which stack %s (no longer in the app, still deployed) exports: export names are unique per account and region", name, u.ID)})
				case c.new.Before(u.ID, id):
					// u drops it first
				default:
					c.add(Hazard{KindExport, id, exportOutput(s, name), "Export", fmt.Sprintf("creates export %s, which stack %s still exports when %s deploys (it does not deploy first): export names are unique per account and region", name, u.ID, id)})
				}
			}
		}
	}
}

// importersOf reports the stacks that still import an export that s
// (previously prev) removes or changes when it deploys.
func (c *checker) importersOf(s, prev *Stack, name, what string) {
	out := exportOutput(prev, name)
	for _, t := range c.old.Stacks {
		if t.ID == s.ID || t.Env() != s.Env() {
			continue
		}
		places := c.importsOf(t)[name]
		if len(places) == 0 {
			continue
		}
		nt := c.new.Stack(t.ID)
		var why string
		switch {
		case nt == nil:
			why = fmt.Sprintf("stack %s, which left the app and stays deployed until it is deleted, imports it (%s): delete %s first", t.ID, strings.Join(places, ", "), t.ID)
		case c.new.Before(t.ID, s.ID):
			if p := c.importsOf(nt)[name]; len(p) > 0 {
				why = fmt.Sprintf("stack %s deploys first and still imports it (%s)", t.ID, strings.Join(p, ", "))
			}
		default:
			order := "deploys after " + s.ID
			if !c.new.Before(s.ID, t.ID) {
				order = "may deploy at the same time (no dependency orders them)"
			}
			why = fmt.Sprintf("stack %s %s, and its deployed template imports it (%s)", t.ID, order, strings.Join(places, ", "))
			if p := c.importsOf(nt)[name]; len(p) > 0 && what == "removes" {
				why += "; its new template still imports it too"
			}
		}
		if why != "" {
			c.add(Hazard{KindExport, s.ID, out, "Export", fmt.Sprintf("%s export %s while it is in use: %s; CloudFormation refuses to remove or modify an export that another stack imports", what, name, why)})
		}
	}
}
