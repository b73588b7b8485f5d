package evolve

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Kind is what sort of hazard a finding is.
type Kind string

// Hazard kinds.
const (
	// KindExport: an export is removed or changed while a stack still
	// imports it. CloudFormation refuses: "You can't modify or remove an
	// output value that is referenced by another stack", and refuses to
	// delete a stack whose exports are imported
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-importvalue.html).
	KindExport Kind = "export"
	// KindName: a custom-named resource is created while its name is still
	// taken: it moved to another stack that deploys first (or alongside),
	// or to another logical ID (CloudFormation creates the new resource
	// before it deletes the old one). "Resource names must be unique across
	// all your active stacks"
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html).
	KindName Kind = "name"
	// KindReplace: a create-only property of a custom-named resource
	// changes while its name does not: "You can't perform an update that
	// causes a custom-named resource to be replaced" (same page).
	KindReplace Kind = "replace"
	// KindParameter: a stack reads an SSM parameter (a dynamic reference
	// {{resolve:ssm:NAME}}, or a template parameter of an SSM parameter
	// type) that a stack of the app creates, but the creating stack does
	// not deploy first, or no longer creates it, or changes its value while
	// the reader's template stays the same (cdk deploy skips an unchanged
	// stack, and CloudFormation reads the value only in a stack operation:
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm.html).
	KindParameter Kind = "parameter"
	// KindComposite: a stack deletes a composite alarm in its cleanup while
	// a composite alarm of a stack that deploys later (or left the app)
	// still names it in its rule. CloudWatch does not delete a composite
	// alarm that another composite depends on ("you can't delete any
	// composite alarm that is part of the cycle because there is always
	// still a composite alarm that depends on that alarm",
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html);
	// a failed delete in the cleanup does not fail the update, so the alarm
	// stays in the account, outside any stack. It happens once, when the
	// burn-rate tiers of a split service stop being composites (issue 18):
	// a tier composite in part k is referenced by the roll-up of the last
	// part, which deploys after it. The fix is a command after cdk deploy.
	KindComposite Kind = "composite"
	// KindRemoved: a stack left the app. cdk deploy never deletes it: its
	// resources (alarms that page) and its imports stay until it is deleted.
	KindRemoved Kind = "removed"
)

// Hazard is one reason the deploy would stop, or leave something behind.
type Hazard struct {
	Kind      Kind
	Stack     string // the stack whose deploy fails, or the removed stack
	LogicalID string // resource or output logical ID; empty for a stack
	Type      string // resource type, "Export" for an output's export
	Reason    string
}

func (h Hazard) String() string {
	id := h.LogicalID
	if id == "" {
		id = "-"
	}
	return fmt.Sprintf("%s: %s %s (%s): %s", h.Kind, h.Stack, id, h.Type, h.Reason)
}

// Removal is a stack that left the app and must be deleted by hand.
type Removal struct {
	Stack           string // artifact id in the previous assembly
	Name            string // CloudFormation stack name
	Account, Region string
	// AfterDeploy: delete it only once cdk deploy is done, because a stack
	// that stays imports one of its exports until its new template is
	// deployed. Otherwise delete it before the deploy, so its imports do
	// not hold the exports the deploy removes.
	AfterDeploy bool
}

// Report is the outcome of Check.
type Report struct {
	Order    []string // the new assembly's stacks in CDK's deploy order
	Hazards  []Hazard
	Removals []Removal // in a safe order: dependents first
	Skipped  []string  // resource types without a schema (not checked)
}

// Failed reports whether the change needs attention before cdk deploy:
// any hazard, or, unless allowRemovals, a stack or an orphaned composite
// alarm to delete by hand (the report prints the commands).
func (r *Report) Failed(allowRemovals bool) bool {
	for _, h := range r.Hazards {
		if (h.Kind != KindRemoved && h.Kind != KindComposite) || !allowRemovals {
			return true
		}
	}
	return false
}

// Of returns the hazards of some kinds.
func (r *Report) Of(kinds ...Kind) []Hazard {
	var out []Hazard
	for _, h := range r.Hazards {
		for _, k := range kinds {
			if h.Kind == k {
				out = append(out, h)
			}
		}
	}
	return out
}

// checker holds what Check computes once per assembly.
type checker struct {
	old, new *Assembly
	schemas  *Schemas
	rep      *Report
	imports  map[*Stack]map[string][]string
	skipped  map[string]bool
}

// Check walks the new assembly's stacks in CDK's deploy order, the stacks
// of old being what is deployed, and reports what CloudFormation would
// refuse. CDK deploys a stack only after the stacks it depends on are
// complete and, with --concurrency, may deploy stacks that do not depend on
// each other at the same time ("--concurrency: maximum number of
// simultaneous deployments (dependency permitting)",
// https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-deploy.html); so a
// step is safe only when the dependencies force its order. Each stack
// update finishes with its cleanup (old and replaced resources deleted)
// before the stack counts as deployed.
func Check(old, new *Assembly, schemas *Schemas) (*Report, error) {
	c := &checker{old: old, new: new, schemas: schemas, rep: &Report{},
		imports: map[*Stack]map[string][]string{}, skipped: map[string]bool{}}
	for _, s := range new.DeployOrder() {
		c.rep.Order = append(c.rep.Order, s.ID)
	}
	c.exports()
	c.parameters()
	if err := c.names(); err != nil {
		return nil, err
	}
	if err := c.replacements(); err != nil {
		return nil, err
	}
	c.composites()
	c.removals()
	c.rep.Skipped = sortedKeys(c.skipped)
	return c.rep, nil
}

func (c *checker) add(h Hazard) { c.rep.Hazards = append(c.rep.Hazards, h) }

func (c *checker) importsOf(s *Stack) map[string][]string {
	if s == nil {
		return nil
	}
	m, ok := c.imports[s]
	if !ok {
		m = s.imports()
		c.imports[s] = m
	}
	return m
}

// exportOutput is the logical ID of the output that exports name.
func exportOutput(s *Stack, name string) string {
	for _, id := range sortedKeys(s.Template.Outputs) {
		if o := s.Template.Outputs[id]; o.Export != nil && scalar(o.Export.Name) == name {
			return id
		}
	}
	return ""
}

// exports finds exports removed or changed while still imported, and
// exports that move to another stack.
func (c *checker) exports() {
	for _, id := range c.rep.Order {
		s := c.new.Stack(id)
		prev := c.old.Stack(id)
		newExp := s.exports()
		if prev != nil {
			oldExp := prev.exports()
			for _, name := range sortedKeys(oldExp) {
				what := "removes"
				if v, ok := newExp[name]; ok {
					if v == oldExp[name] {
						continue
					}
					what = "changes the value of"
				}
				c.importersOf(s, prev, name, what)
			}
		}
		// An export new to this stack that another stack exports today.
		for _, name := range sortedKeys(newExp) {
			if prev != nil {
				if _, ok := prev.exports()[name]; ok {
					continue
				}
			}
			for _, u := range c.old.Stacks {
				if u.ID == id || u.Env() != s.Env() {
					continue
				}
				if _, ok := u.exports()[name]; !ok {
					continue
				}
				nu := c.new.Stack(u.ID)
				switch {
				case nu == nil:
					c.add(Hazard{KindExport, id, exportOutput(s, name), "Export", fmt.Sprintf("creates export %s, which stack %s (no longer in the app, still deployed) exports: export names are unique per account and region", name, u.ID)})
				case c.new.Before(u.ID, id):
					// u drops it first
				default:
					c.add(Hazard{KindExport, id, exportOutput(s, name), "Export", fmt.Sprintf("creates export %s, which stack %s still exports when %s deploys (it does not deploy first): export names are unique per account and region", name, u.ID, id)})
				}
			}
		}
	}
}

// importersOf reports the stacks that still import an export that s
// (previously prev) removes or changes when it deploys.
func (c *checker) importersOf(s, prev *Stack, name, what string) {
	out := exportOutput(prev, name)
	for _, t := range c.old.Stacks {
		if t.ID == s.ID || t.Env() != s.Env() {
			continue
		}
		places := c.importsOf(t)[name]
		if len(places) == 0 {
			continue
		}
		nt := c.new.Stack(t.ID)
		var why string
		switch {
		case nt == nil:
			why = fmt.Sprintf("stack %s, which left the app and stays deployed until it is deleted, imports it (%s): delete %s first", t.ID, strings.Join(places, ", "), t.ID)
		case c.new.Before(t.ID, s.ID):
			if p := c.importsOf(nt)[name]; len(p) > 0 {
				why = fmt.Sprintf("stack %s deploys first and still imports it (%s)", t.ID, strings.Join(p, ", "))
			}
		default:
			order := "deploys after " + s.ID
			if !c.new.Before(s.ID, t.ID) {
				order = "may deploy at the same time (no dependency orders them)"
			}
			why = fmt.Sprintf("stack %s %s, and its deployed template imports it (%s)", t.ID, order, strings.Join(places, ", "))
			if p := c.importsOf(nt)[name]; len(p) > 0 && what == "removes" {
				why += "; its new template still imports it too"
			}
		}
		if why != "" {
			c.add(Hazard{KindExport, s.ID, out, "Export", fmt.Sprintf("%s export %s while it is in use: %s; CloudFormation refuses to remove or modify an export that another stack imports", what, name, why)})
		}
	}
}

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
