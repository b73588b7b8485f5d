package evolve

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// This file checks composite alarms deleted while a composite of another
// stack still names them (KindComposite).

// compositeRules indexes the composite alarms of an assembly by the alarm
// names their rules reference: referenced name -> "stack logicalID".
func compositeRules(a *Assembly) map[string][]holder {
	out := map[string][]holder{}
	for _, s := range a.Stacks {
		for _, id := range sortedKeys(s.Template.Resources) {
			r := s.Template.Resources[id]
			if r.Type != "AWS::CloudWatch::CompositeAlarm" {
				continue
			}
			for _, m := range alarmRef.FindAllStringSubmatch(scalar(r.Properties["AlarmRule"]), -1) {
				out[s.Env()+"|"+m[1]] = append(out[s.Env()+"|"+m[1]], holder{stack: s.ID, logicalID: id, typ: r.Type, name: scalar(r.Properties["AlarmName"])})
			}
		}
	}
	return out
}

// alarmRef matches an alarm named in a composite rule: ALARM("name"),
// OK(name), INSUFFICIENT_DATA('name').
var alarmRef = regexp.MustCompile(`(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*["']?([^"')]+?)["']?\s*\)`)

// composites finds composite alarms a stack deletes while a composite of a
// stack that does not deploy first still depends on them (KindComposite).
// Within one stack, CloudFormation updates the referencing rule before its
// cleanup deletes the old alarm, so only other stacks count.
func (c *checker) composites() {
	oldRefs := compositeRules(c.old)
	for _, id := range c.rep.Order {
		s, prev := c.new.Stack(id), c.old.Stack(id)
		if prev == nil {
			continue
		}
		for _, lid := range sortedKeys(prev.Template.Resources) {
			o := prev.Template.Resources[lid]
			if o.Type != "AWS::CloudWatch::CompositeAlarm" {
				continue
			}
			name := scalar(o.Properties["AlarmName"])
			if r := s.Template.Resources[lid]; name == "" || (r != nil && r.Type == o.Type && scalar(r.Properties["AlarmName"]) == name) {
				continue // kept, or named by CloudFormation
			}
			for _, u := range oldRefs[prev.Env()+"|"+name] {
				var why string
				switch {
				case u.stack == id:
					continue
				case c.new.Stack(u.stack) == nil:
					why = fmt.Sprintf("stack %s, which left the app, keeps composite %s naming it until the stack is deleted", u.stack, u.logicalID)
				case c.new.Before(u.stack, id):
					continue // the referencing rule changes first
				default:
					order := "deploys after " + id
					if !c.new.Before(id, u.stack) {
						order = "may deploy at the same time (no dependency orders them)"
					}
					why = fmt.Sprintf("stack %s %s, and until then its composite %s names it in its rule", u.stack, order, u.logicalID)
				}
				c.add(Hazard{KindComposite, id, lid, o.Type, fmt.Sprintf(
					"deletes composite alarm %s in its cleanup, but %s; CloudWatch does not delete a composite alarm another composite depends on, so the delete fails (a failed cleanup does not roll the update back) and the alarm, with the alarms it names that the stack deletes after it, may stay behind outside any stack. After cdk deploy, run: aws cloudwatch delete-alarms --region %s --alarm-names %s",
					name, why, prev.Region, strings.Join(append([]string{name}, goneChildren(o, s)...), " "))})
				break // one hazard per alarm
			}
		}
	}
}

// goneChildren are the alarms a composite's rule names that the stack's new
// template no longer makes (CloudFormation deletes them after the composite,
// which depends on them). Naming an alarm that no longer exists in
// delete-alarms is harmless: "If you specify any incorrect alarm names, the
// alarms you specify with correct names are still deleted" (DeleteAlarms,
// CloudWatch API reference; older copies of that page said the opposite).
// One command holds one composite, the most DeleteAlarms takes.
func goneChildren(composite *Resource, s *Stack) []string {
	kept := map[string]bool{}
	for _, r := range s.Template.Resources {
		if n := scalar(r.Properties["AlarmName"]); n != "" {
			kept[n] = true
		}
	}
	var out []string
	for _, m := range alarmRef.FindAllStringSubmatch(scalar(composite.Properties["AlarmRule"]), -1) {
		if !kept[m[1]] && !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}
