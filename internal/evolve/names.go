package evolve

import (
	"fmt"
	"maps"
	"slices"
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
	schema, err := c.schemas.Type(r.Type, s.Region)
	if err != nil || schema == nil {
		if schema == nil && err == nil {
			c.skipped[r.Type] = true
		}
		return "", "", false, err
	}
	props := schema.NameProperties()
	if notUnique[r.Type] {
		props = nil
	}
	if len(props) == 0 && keyedByCreateOnly[r.Type] {
		for _, prop := range schema.CreateOnly {
			props = append(props, strings.TrimPrefix(prop, "/properties/"))
		}
	}
	var parts, descs []string
	for _, prop := range props {
		value, set := lookup(r.Properties, "/properties/"+prop)
		if !set {
			continue
		}
		if stackLocal(value) {
			return "", "", false, nil
		}
		parts = append(parts, prop+"="+canonical(value))
		descs = append(descs, fmt.Sprintf("%s %s", prop, scalar(value)))
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

// index maps the name key of every custom-named resource of an assembly to
// where it lives; dup, when set, hears of a key taken twice (the first
// holder keeps it).
func (c *checker) index(a *Assembly, dup func(key string, first, second holder)) (map[string]holder, error) {
	out := map[string]holder{}
	for _, stack := range a.Stacks {
		for _, id := range slices.Sorted(maps.Keys(stack.Template.Resources)) {
			res := stack.Template.Resources[id]
			key, desc, ok, err := c.nameKey(stack, res)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			found := holder{stack.ID, id, res.Type, desc, res.retained()}
			if first, taken := out[key]; taken {
				if dup != nil {
					dup(key, first, found)
				}
				continue
			}
			out[key] = found
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
	for _, key := range slices.Sorted(maps.Keys(newIdx)) {
		now := newIdx[key]
		was, ok := oldIdx[key]
		if !ok || (was.stack == now.stack && was.logicalID == now.logicalID) {
			continue
		}
		var why string
		switch {
		case was.retained:
			why = fmt.Sprintf("%s (%s) held it with DeletionPolicy %s: removing it there leaves it in the account, so the name stays taken", was.stack, was.logicalID, c.old.Stack(was.stack).Template.Resources[was.logicalID].DeletionPolicy)
		case was.stack == now.stack:
			why = fmt.Sprintf("logical ID %s held it before: CloudFormation creates %s before it deletes %s, and the name is still taken", was.logicalID, now.logicalID, was.logicalID)
		case c.new.Stack(was.stack) == nil:
			why = fmt.Sprintf("it belongs to %s (%s), which left the app and keeps it until the stack is deleted", was.stack, was.logicalID)
		case c.new.Before(was.stack, now.stack):
			continue // the old stack deploys first and deletes it in its cleanup
		default:
			order := "deploys first"
			if !c.new.Before(now.stack, was.stack) {
				order = "may deploy at the same time (no dependency orders them)"
			}
			why = fmt.Sprintf("it moves here from %s (%s), but %s %s: it is created while %s still holds the name, and %s then deletes it", was.stack, was.logicalID, now.stack, order, was.stack, was.stack)
		}
		c.add(Hazard{KindName, now.stack, now.logicalID, now.typ, fmt.Sprintf("%s: %s", now.name, why)})
	}
	return nil
}
