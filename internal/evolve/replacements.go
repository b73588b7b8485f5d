package evolve

import (
	"fmt"
	"strings"
)

// This file checks create-only changes on custom-named resources that keep
// their name (KindReplace).

// replacements finds create-only changes on custom-named resources that keep
// their name.
func (c *checker) replacements() error {
	for _, id := range c.rep.Order {
		s, prev := c.new.Stack(id), c.old.Stack(id)
		if prev == nil {
			continue
		}
		for _, lid := range sortedKeys(s.Template.Resources) {
			r, o := s.Template.Resources[lid], prev.Template.Resources[lid]
			if o == nil {
				continue
			}
			sc, err := c.schemas.Type(r.Type, s.Region)
			if err != nil {
				return err
			}
			if sc == nil {
				c.skipped[r.Type] = true
				continue
			}
			var changed []string
			if o.Type != r.Type {
				changed = append(changed, "Type (was "+o.Type+")")
			} else {
				for _, p := range sc.CreateOnly {
					ov, oset := lookup(o.Properties, p)
					nv, nset := lookup(r.Properties, p)
					if oset != nset || canonical(ov) != canonical(nv) {
						changed = append(changed, strings.TrimPrefix(p, "/properties/"))
					}
				}
			}
			if len(changed) == 0 {
				continue
			}
			var kept []string
			renamed := false
			for _, p := range sc.NameProperties() {
				nv, nset := lookup(r.Properties, "/properties/"+p)
				ov, oset := lookup(o.Properties, "/properties/"+p)
				if !nset {
					continue
				}
				if !oset || canonical(ov) != canonical(nv) {
					renamed = true
				}
				kept = append(kept, fmt.Sprintf("%s %s", p, scalar(nv)))
			}
			if len(kept) == 0 || renamed {
				continue // CloudFormation names the new resource, or it has a new name
			}
			c.add(Hazard{KindReplace, id, lid, r.Type, fmt.Sprintf("create-only %s changed, so CloudFormation must replace it, but it keeps its custom name (%s): the update fails (\"cannot update a stack when a custom-named resource requires replacing\")",
				strings.Join(changed, ", "), strings.Join(kept, ", "))})
		}
	}
	return nil
}
