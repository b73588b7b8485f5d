package evolve

import (
	"fmt"
	"sort"
	"strings"
)

// This file lists the stacks that left the app (KindRemoved).

// removals lists the stacks that left the app, dependents first.
func (c *checker) removals() {
	order := c.old.DeployOrder()
	for i := len(order) - 1; i >= 0; i-- {
		s := order[i]
		if c.new.Stack(s.ID) != nil {
			continue
		}
		rm := Removal{Stack: s.ID, Name: s.Name, Account: s.Account, Region: s.Region}
		var users []string
		exp := s.exports()
		for _, t := range c.old.Stacks {
			nt := c.new.Stack(t.ID)
			if nt == nil || t.Env() != s.Env() {
				continue
			}
			for name := range exp {
				if len(c.importsOf(nt)[name]) > 0 {
					c.add(Hazard{KindExport, t.ID, strings.Join(c.importsOf(nt)[name], ","), "Export",
						fmt.Sprintf("imports export %s of %s, which left the app: the stack cannot be deleted while it is imported", name, s.ID)})
				} else if len(c.importsOf(t)[name]) > 0 {
					rm.AfterDeploy = true
					users = append(users, t.ID)
				}
			}
		}
		sort.Strings(users)
		reason := fmt.Sprintf("left the app; cdk deploy does not delete it, so its resources stay deployed (and its alarms keep notifying): delete it %s", map[bool]string{false: "before cdk deploy", true: "after cdk deploy"}[rm.AfterDeploy])
		if rm.AfterDeploy {
			reason += fmt.Sprintf(" (%s import its exports until then)", strings.Join(dedupe(users), ", "))
		}
		var kept []string
		for _, id := range sortedKeys(s.Template.Resources) {
			if r := s.Template.Resources[id]; r.retained() {
				if _, desc, named, _ := c.nameKey(s, r); named {
					kept = append(kept, fmt.Sprintf("%s (%s)", id, desc))
				} else {
					kept = append(kept, id)
				}
			}
		}
		if len(kept) > 0 {
			reason += fmt.Sprintf("; deleting it keeps %s (DeletionPolicy Retain): delete them by hand, or a stack that creates the same names later fails", strings.Join(kept, ", "))
		}
		c.add(Hazard{KindRemoved, s.ID, "", "AWS::CloudFormation::Stack", reason})
		c.rep.Removals = append(c.rep.Removals, rm)
	}
}

func dedupe(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
