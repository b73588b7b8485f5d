package evolve

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// This file lists the stacks that left the app (KindRemoved).

// removals lists the stacks that left the app, dependents first.
func (c *checker) removals() {
	order := c.old.DeployOrder()
	for i := len(order) - 1; i >= 0; i-- {
		gone := order[i]
		if c.new.Stack(gone.ID) != nil {
			continue
		}
		removal := Removal{Stack: gone.ID, Name: gone.Name, Account: gone.Account, Region: gone.Region}
		var users []string
		exports := gone.exports()
		for _, other := range c.old.Stacks {
			otherNext := c.new.Stack(other.ID)
			if otherNext == nil || other.Env() != gone.Env() {
				continue
			}
			for name := range exports {
				if len(c.importsOf(otherNext)[name]) > 0 {
					c.add(Hazard{KindExport, other.ID, strings.Join(c.importsOf(otherNext)[name], ","), "Export",
						fmt.Sprintf("imports export %s of %s, which left the app: the stack cannot be deleted while it is imported", name, gone.ID)})
				} else if len(c.importsOf(other)[name]) > 0 {
					removal.AfterDeploy = true
					users = append(users, other.ID)
				}
			}
		}
		slices.Sort(users)
		reason := fmt.Sprintf("left the app; cdk deploy does not delete it, so its resources stay deployed (and its alarms keep notifying): delete it %s", map[bool]string{false: "before cdk deploy", true: "after cdk deploy"}[removal.AfterDeploy])
		if removal.AfterDeploy {
			reason += fmt.Sprintf(" (%s import its exports until then)", strings.Join(slices.Compact(users), ", "))
		}
		var kept []string
		for _, id := range slices.Sorted(maps.Keys(gone.Template.Resources)) {
			if res := gone.Template.Resources[id]; res.retained() {
				if _, desc, named, _ := c.nameKey(gone, res); named {
					kept = append(kept, fmt.Sprintf("%s (%s)", id, desc))
				} else {
					kept = append(kept, id)
				}
			}
		}
		if len(kept) > 0 {
			reason += fmt.Sprintf("; deleting it keeps %s (DeletionPolicy Retain): delete them by hand, or a stack that creates the same names later fails", strings.Join(kept, ", "))
		}
		c.add(Hazard{KindRemoved, gone.ID, "", "AWS::CloudFormation::Stack", reason})
		c.rep.Removals = append(c.rep.Removals, removal)
	}
}
