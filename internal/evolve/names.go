package evolve

import (
	"fmt"
	"strings"
)

// This file checks custom names: a named resource created while its name
// is still taken (KindName).

// holder is where a named resource lives.
type holder struct {
	stack, logicalID, typ, name string
	retained                    bool
}

// nameKey is a resource's identity: the account and region, its name space
// and the values of its name properties; ok is false for a resource that
// has no custom name (or one made of values local to its stack).
func (c *checker) nameKey(s *Stack, r *Resource) (key, desc string, ok bool, err error) {
	sc, err := c.schemas.Type(r.Type, s.Region)
	if err != nil || sc == nil {
		if sc == nil && err == nil {
			c.skipped[r.Type] = true
		}
		return "", "", false, err
	}
	props := sc.NameProperties()
	if notUnique[r.Type] {
		props = nil
	}
	if len(props) == 0 && keyedByCreateOnly[r.Type] {
		for _, p := range sc.CreateOnly {
			props = append(props, strings.TrimPrefix(p, "/properties/"))
		}
	}
	var parts, descs []string
	for _, p := range props {
		v, set := lookup(r.Properties, "/properties/"+p)
		if !set {
			continue
		}
		if stackLocal(v) {
			return "", "", false, nil
		}
		parts = append(parts, p+"="+canonical(v))
		descs = append(descs, fmt.Sprintf("%s %s", p, scalar(v)))
	}
	if len(parts) == 0 {
		return "", "", false, nil
	}
	space := r.Type
	if alias, ok := nameSpaces[r.Type]; ok {
		space = alias
	}
	return s.Env() + "|" + space + "|" + strings.Join(parts, "|"), strings.Join(descs, ", "), true, nil
}

// nameSpaces: types whose names share another type's name space.
// CloudWatch metric and composite alarms share alarm names
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
var nameSpaces = map[string]string{"AWS::CloudWatch::CompositeAlarm": "AWS::CloudWatch::Alarm"}

// notUnique are types whose name property names nothing unique: Cognito
// identity pools are told apart by their service-made id, and two pools may
// share a name (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html).
var notUnique = map[string]bool{"AWS::Cognito::IdentityPool": true}

// keyedByCreateOnly are types with no name whose create-only properties
// identify them in the service: there is one anomaly detector per metric,
// statistic and dimensions
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutAnomalyDetector.html),
// so a second stack creating it collides, and deleting it from the first
// deletes the other's.
var keyedByCreateOnly = map[string]bool{"AWS::CloudWatch::AnomalyDetector": true}

// stackLocal reports whether a value refers to a resource or parameter of
// its own stack (a Ref, Fn::GetAtt or ${X} of something other than a pseudo
// parameter), so equal text in two stacks need not be the same value.
func stackLocal(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if r, ok := x["Ref"].(string); ok && len(x) == 1 {
			return !strings.HasPrefix(r, "AWS::")
		}
		if _, ok := x["Fn::GetAtt"]; ok {
			return true
		}
		if sub, ok := x["Fn::Sub"]; ok {
			s, _ := sub.(string)
			if l, ok := sub.([]any); ok && len(l) > 0 {
				s, _ = l[0].(string)
			}
			for _, m := range strings.Split(s, "${")[1:] {
				if !strings.HasPrefix(m, "AWS::") {
					return true
				}
			}
		}
		for _, e := range x {
			if stackLocal(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if stackLocal(e) {
				return true
			}
		}
	}
	return false
}

func (c *checker) index(a *Assembly, dup func(k string, first, second holder)) (map[string]holder, error) {
	out := map[string]holder{}
	for _, s := range a.Stacks {
		for _, id := range sortedKeys(s.Template.Resources) {
			r := s.Template.Resources[id]
			k, desc, ok, err := c.nameKey(s, r)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			h := holder{s.ID, id, r.Type, desc, r.retained()}
			if first, taken := out[k]; taken {
				if dup != nil {
					dup(k, first, h)
				}
				continue
			}
			out[k] = h
		}
	}
	return out, nil
}

// names finds custom-named resources created while their name is taken.
func (c *checker) names() error {
	oldIdx, err := c.index(c.old, nil)
	if err != nil {
		return err
	}
	newIdx, err := c.index(c.new, func(_ string, first, second holder) {
		c.add(Hazard{KindName, second.stack, second.logicalID, second.typ,
			fmt.Sprintf("%s is also the name of %s in %s: two resources cannot have one name", second.name, first.logicalID, first.stack)})
	})
	if err != nil {
		return err
	}
	for _, k := range sortedKeys(newIdx) {
		n := newIdx[k]
		o, ok := oldIdx[k]
		if !ok || (o.stack == n.stack && o.logicalID == n.logicalID) {
			continue
		}
		var why string
		switch {
		case o.retained:
			why = fmt.Sprintf("%s (%s) held it with DeletionPolicy %s: removing it there leaves it in the account, so the name stays taken", o.stack, o.logicalID, c.old.Stack(o.stack).Template.Resources[o.logicalID].DeletionPolicy)
		case o.stack == n.stack:
			why = fmt.Sprintf("logical ID %s held it before: CloudFormation creates %s before it deletes %s, and the name is still taken", o.logicalID, n.logicalID, o.logicalID)
		case c.new.Stack(o.stack) == nil:
			why = fmt.Sprintf("it belongs to %s (%s), which left the app and keeps it until the stack is deleted", o.stack, o.logicalID)
		case c.new.Before(o.stack, n.stack):
			continue // the old stack deploys first and deletes it in its cleanup
		default:
			order := "deploys first"
			if !c.new.Before(n.stack, o.stack) {
				order = "may deploy at the same time (no dependency orders them)"
			}
			why = fmt.Sprintf("it moves here from %s (%s), but %s %s: it is created while %s still holds the name, and %s then deletes it", o.stack, o.logicalID, n.stack, order, o.stack, o.stack)
		}
		c.add(Hazard{KindName, n.stack, n.logicalID, n.typ, fmt.Sprintf("%s: %s", n.name, why)})
	}
	return nil
}
