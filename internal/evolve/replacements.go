package evolve

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// This file checks create-only changes on custom-named resources that keep
// their name (KindReplace).

// replacements finds create-only changes on custom-named resources that keep
// their name.
func (c *checker) replacements() error {
	for _, id := range c.rep.Order {
		stack, prev := c.new.Stack(id), c.old.Stack(id)
		if prev == nil {
			continue
		}
		for _, lid := range slices.Sorted(maps.Keys(stack.Template.Resources)) {
			now, was := stack.Template.Resources[lid], prev.Template.Resources[lid]
			if was == nil {
				continue
			}
			schema, err := c.schemas.Type(now.Type, stack.Region)
			if err != nil {
				return err
			}
			if schema == nil {
				c.skipped[now.Type] = true
				continue
			}
			var changed []string
			if was.Type != now.Type {
				changed = append(changed, "Type (was "+was.Type+")")
			} else {
				for _, prop := range schema.CreateOnly {
					wasValue, wasSet := lookup(was.Properties, prop)
					nowValue, nowSet := lookup(now.Properties, prop)
					if wasSet != nowSet || canonical(wasValue) != canonical(nowValue) {
						changed = append(changed, strings.TrimPrefix(prop, "/properties/"))
					}
				}
			}
			if len(changed) == 0 {
				continue
			}
			var kept []string
			renamed := false
			for _, prop := range schema.NameProperties() {
				nowValue, nowSet := lookup(now.Properties, "/properties/"+prop)
				wasValue, wasSet := lookup(was.Properties, "/properties/"+prop)
				if !nowSet {
					continue
				}
				if !wasSet || canonical(wasValue) != canonical(nowValue) {
					renamed = true
				}
				kept = append(kept, fmt.Sprintf("%s %s", prop, scalar(nowValue)))
			}
			if len(kept) == 0 || renamed {
				continue // CloudFormation names the new resource, or it has a new name
			}
			c.add(Hazard{KindReplace, id, lid, now.Type, fmt.Sprintf("create-only %s changed, so CloudFormation must replace it, but it keeps its custom name (%s): the update fails (\"cannot update a stack when a custom-named resource requires replacing\")",
				strings.Join(changed, ", "), strings.Join(kept, ", "))})
		}
	}
	return nil
}
