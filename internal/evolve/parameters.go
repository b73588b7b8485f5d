package evolve

import (
	"fmt"
	"regexp"
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
	for _, id := range sortedKeys(s.Template.Parameters) {
		p := s.Template.Parameters[id]
		if name, ok := p.Default.(string); ok && strings.HasPrefix(p.Type, "AWS::SSM::Parameter::Value<") {
			out[name] = append(out[name], "Parameters."+id)
		}
	}
	for _, id := range sortedKeys(s.Template.Resources) {
		for _, m := range ssmRef.FindAllStringSubmatch(canonical(s.Template.Resources[id].Properties), -1) {
			if l := out[m[1]]; len(l) == 0 || l[len(l)-1] != id {
				out[m[1]] = append(out[m[1]], id)
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
	for _, s := range a.Stacks {
		for _, id := range sortedKeys(s.Template.Resources) {
			r := s.Template.Resources[id]
			if r.Type != "AWS::SSM::Parameter" {
				continue
			}
			if name, ok := r.Properties["Name"].(string); ok {
				out[s.Env()+"|"+name] = parameter{s.ID, id, canonical(r.Properties["Value"])}
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
		s := c.new.Stack(id)
		prev := c.old.Stack(id)
		reads := s.reads()
		for _, name := range sortedKeys(reads) {
			key := s.Env() + "|" + name
			where := strings.Join(reads[name], ", ")
			p, inNew := newParams[key]
			op, inOld := oldParams[key]
			var why string
			switch {
			case inNew && p.stack == id:
			case inNew && (!inOld || op.stack != p.stack) && !c.new.Before(p.stack, id):
				why = fmt.Sprintf("stack %s creates it but does not deploy first", p.stack)
			case inNew && inOld && op.value != p.value && !c.new.Before(p.stack, id):
				why = fmt.Sprintf("stack %s changes its value but does not deploy first: this stack may resolve the old value", p.stack)
			case !inNew && inOld:
				why = fmt.Sprintf("stack %s created it and no longer does: it is deleted while this stack still reads it", op.stack)
			case inNew && inOld && op.value != p.value && prev != nil && canonical(prev.Template) == canonical(s.Template):
				why = fmt.Sprintf("stack %s changes its value, but this stack's template is unchanged, so cdk deploy skips it and it keeps the old value", p.stack)
			}
			if why != "" {
				c.add(Hazard{KindParameter, id, where, "AWS::SSM::Parameter", fmt.Sprintf("reads SSM parameter %s: %s", name, why)})
			}
		}
	}
}
