package evolve

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// This file checks exports: CloudFormation refuses to remove or change an
// export another stack imports, and export names are unique per account
// and region (KindExport).

// exportOutput is the logical ID of the output that exports name.
func exportOutput(s *Stack, name string) string {
	for _, id := range slices.Sorted(maps.Keys(s.Template.Outputs)) {
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
		stack := c.new.Stack(id)
		prev := c.old.Stack(id)
		newExports := stack.exports()
		if prev != nil {
			oldExports := prev.exports()
			for _, name := range slices.Sorted(maps.Keys(oldExports)) {
				what := "removes"
				if v, ok := newExports[name]; ok {
					if v == oldExports[name] {
						continue
					}
					what = "changes the value of"
				}
				c.importersOf(stack, prev, name, what)
			}
		}
		// An export new to this stack that another stack exports today.
		for _, name := range slices.Sorted(maps.Keys(newExports)) {
			if prev != nil {
				if _, ok := prev.exports()[name]; ok {
					continue
				}
			}
			for _, other := range c.old.Stacks {
				if other.ID == id || other.Env() != stack.Env() {
					continue
				}
				if _, ok := other.exports()[name]; !ok {
					continue
				}
				otherNext := c.new.Stack(other.ID)
				switch {
				case otherNext == nil:
					c.add(Hazard{KindExport, id, exportOutput(stack, name), "Export", fmt.Sprintf("creates export %s, which stack %s (no longer in the app, still deployed) exports: export names are unique per account and region", name, other.ID)})
				case c.new.Before(other.ID, id):
					// the other stack deploys first and drops it
				default:
					c.add(Hazard{KindExport, id, exportOutput(stack, name), "Export", fmt.Sprintf("creates export %s, which stack %s still exports when %s deploys (it does not deploy first): export names are unique per account and region", name, other.ID, id)})
				}
			}
		}
	}
}

// importersOf reports the stacks that still import an export that s
// (previously prev) removes or changes when it deploys.
func (c *checker) importersOf(s, prev *Stack, name, what string) {
	outputID := exportOutput(prev, name)
	for _, importer := range c.old.Stacks {
		if importer.ID == s.ID || importer.Env() != s.Env() {
			continue
		}
		places := c.importsOf(importer)[name]
		if len(places) == 0 {
			continue
		}
		importerNext := c.new.Stack(importer.ID)
		var why string
		switch {
		case importerNext == nil:
			why = fmt.Sprintf("stack %s, which left the app and stays deployed until it is deleted, imports it (%s): delete %s first", importer.ID, strings.Join(places, ", "), importer.ID)
		case c.new.Before(importer.ID, s.ID):
			if stillImports := c.importsOf(importerNext)[name]; len(stillImports) > 0 {
				why = fmt.Sprintf("stack %s deploys first and still imports it (%s)", importer.ID, strings.Join(stillImports, ", "))
			}
		default:
			order := "deploys after " + s.ID
			if !c.new.Before(s.ID, importer.ID) {
				order = "may deploy at the same time (no dependency orders them)"
			}
			why = fmt.Sprintf("stack %s %s, and its deployed template imports it (%s)", importer.ID, order, strings.Join(places, ", "))
			if stillImports := c.importsOf(importerNext)[name]; len(stillImports) > 0 && what == "removes" {
				why += "; its new template still imports it too"
			}
		}
		if why != "" {
			c.add(Hazard{KindExport, s.ID, outputID, "Export", fmt.Sprintf("%s export %s while it is in use: %s; CloudFormation refuses to remove or modify an export that another stack imports", what, name, why)})
		}
	}
}
