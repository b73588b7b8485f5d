package evolve

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// This file checks SSM parameters a stack reads while another stack
// creates or changes them (KindParameter).

// ssmRef matches a dynamic reference to an SSM String parameter, with an
// optional version: {{resolve:ssm:NAME}} or {{resolve:ssm:NAME:3}}.
var ssmRef = regexp.MustCompile(`\{\{resolve:ssm:([a-zA-Z0-9_.\-/]+)(?::\d+)?\}\}`)

// reads lists the SSM parameters a stack reads, with the logical IDs that
// do: dynamic references in its resources, and template parameters of the
// AWS::SSM::Parameter::Value<...> types whose default names an SSM
// parameter (CloudFormation reads it at each create or update:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types).
func (s *Stack) reads() map[string][]string {
	out := map[string][]string{}
	for _, id := range slices.Sorted(maps.Keys(s.Template.Parameters)) {
		param := s.Template.Parameters[id]
		if name, ok := param.Default.(string); ok && strings.HasPrefix(param.Type, "AWS::SSM::Parameter::Value<") {
			out[name] = append(out[name], "Parameters."+id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.Template.Resources)) {
		for _, match := range ssmRef.FindAllStringSubmatch(canonical(s.Template.Resources[id].Properties), -1) {
			if ids := out[match[1]]; len(ids) == 0 || ids[len(ids)-1] != id {
				out[match[1]] = append(out[match[1]], id)
			}
		}
	}
	return out
}

// parameter is an AWS::SSM::Parameter a stack creates.
type parameter struct {
	stack, logicalID, value string
}

// parameters indexes the SSM parameters an assembly creates, by account,
// region and name.
func parameters(a *Assembly) map[string]parameter {
	out := map[string]parameter{}
	for _, stack := range a.Stacks {
		for _, id := range slices.Sorted(maps.Keys(stack.Template.Resources)) {
			res := stack.Template.Resources[id]
			if res.Type != "AWS::SSM::Parameter" {
				continue
			}
			if name, ok := res.Properties["Name"].(string); ok {
				out[stack.Env()+"|"+name] = parameter{stack.ID, id, canonical(res.Properties["Value"])}
			}
		}
	}
	return out
}

// parameters checks each SSM parameter that a stack reads and a stack
// of the app creates.
func (c *checker) parameters() {
	oldParams, newParams := parameters(c.old), parameters(c.new)
	for _, id := range c.rep.Order {
		stack := c.new.Stack(id)
		prev := c.old.Stack(id)
		reads := stack.reads()
		for _, name := range slices.Sorted(maps.Keys(reads)) {
			key := stack.Env() + "|" + name
			where := strings.Join(reads[name], ", ")
			created, inNew := newParams[key]
			wasCreated, inOld := oldParams[key]
			var why string
			switch {
			case inNew && created.stack == id:
			case inNew && (!inOld || wasCreated.stack != created.stack) && !c.new.Before(created.stack, id):
				why = fmt.Sprintf("stack %s creates it but does not deploy first", created.stack)
			case inNew && inOld && wasCreated.value != created.value && !c.new.Before(created.stack, id):
				why = fmt.Sprintf("stack %s changes its value but does not deploy first: this stack may resolve the old value", created.stack)
			case !inNew && inOld:
				why = fmt.Sprintf("stack %s created it and no longer does: it is deleted while this stack still reads it", wasCreated.stack)
			case inNew && inOld && wasCreated.value != created.value && prev != nil && canonical(prev.Template) == canonical(stack.Template):
				why = fmt.Sprintf("stack %s changes its value, but this stack's template is unchanged, so cdk deploy skips it and it keeps the old value", created.stack)
			}
			if why != "" {
				c.add(Hazard{KindParameter, id, where, "AWS::SSM::Parameter", fmt.Sprintf("reads SSM parameter %s: %s", name, why)})
			}
		}
	}
}
