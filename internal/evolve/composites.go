package evolve

import (
	"fmt"
	"maps"
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
	for _, stack := range a.Stacks {
		for _, id := range slices.Sorted(maps.Keys(stack.Template.Resources)) {
			res := stack.Template.Resources[id]
			if res.Type != "AWS::CloudWatch::CompositeAlarm" {
				continue
			}
			for _, match := range alarmRef.FindAllStringSubmatch(scalar(res.Properties["AlarmRule"]), -1) {
				out[stack.Env()+"|"+match[1]] = append(out[stack.Env()+"|"+match[1]], holder{stack: stack.ID, logicalID: id, typ: res.Type, name: scalar(res.Properties["AlarmName"])})
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
		stack, prev := c.new.Stack(id), c.old.Stack(id)
		if prev == nil {
			continue
		}
		for _, lid := range slices.Sorted(maps.Keys(prev.Template.Resources)) {
			composite := prev.Template.Resources[lid]
			if composite.Type != "AWS::CloudWatch::CompositeAlarm" {
				continue
			}
			name := scalar(composite.Properties["AlarmName"])
			if now := stack.Template.Resources[lid]; name == "" || (now != nil && now.Type == composite.Type && scalar(now.Properties["AlarmName"]) == name) {
				continue // kept, or named by CloudFormation
			}
			for _, user := range oldRefs[prev.Env()+"|"+name] {
				var why string
				switch {
				case user.stack == id:
					continue
				case c.new.Stack(user.stack) == nil:
					why = fmt.Sprintf("stack %s, which left the app, keeps composite %s naming it until the stack is deleted", user.stack, user.logicalID)
				case c.new.Before(user.stack, id):
					continue // the referencing rule changes first
				default:
					order := "deploys after " + id
					if !c.new.Before(id, user.stack) {
						order = "may deploy at the same time (no dependency orders them)"
					}
					why = fmt.Sprintf("stack %s %s, and until then its composite %s names it in its rule", user.stack, order, user.logicalID)
				}
				c.add(Hazard{KindComposite, id, lid, composite.Type, fmt.Sprintf(
					"deletes composite alarm %s in its cleanup, but %s; CloudWatch does not delete a composite alarm another composite depends on, so the delete fails (a failed cleanup does not roll the update back) and the alarm, with the alarms it names that the stack deletes after it, may stay behind outside any stack. After cdk deploy, run: aws cloudwatch delete-alarms --region %s --alarm-names %s",
					name, why, prev.Region, strings.Join(append([]string{name}, goneChildren(composite, stack)...), " "))})
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
	for _, res := range s.Template.Resources {
		if name := scalar(res.Properties["AlarmName"]); name != "" {
			kept[name] = true
		}
	}
	var out []string
	for _, match := range alarmRef.FindAllStringSubmatch(scalar(composite.Properties["AlarmRule"]), -1) {
		if !kept[match[1]] && !slices.Contains(out, match[1]) {
			out = append(out, match[1])
		}
	}
	return out
}
