package plandiff

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/internal/generated"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
)

// serviceCompare compares one service of an environment; old or new is nil
// when the service is added or removed.
type serviceCompare struct {
	env           *envCompare
	old, new      *plan.Service
	changedRoutes map[string]bool
	accountMoved  bool // the environment's account, region or org changed
	oldStacks     []string
	newStacks     []string
	oldAlarms     map[string]generated.Alarm
}

func (c *serviceCompare) compare(name string) *ServiceDiff {
	sd := &ServiceDiff{Name: name, Change: Changed}
	var oldObjs, newObjs []generated.Object
	if c.old != nil {
		// Named as under the new org: a renamed org renames every alarm
		// and stack (said once at the top), and the diff shows what else
		// changes.
		oldObjs = generated.Objects(c.env.newOrg, c.env.old.Name, c.old)
		c.oldStacks = generated.Stacks(c.env.newOrg, c.env.old.Name, c.old)
	}
	if c.new != nil {
		newObjs = generated.Objects(c.env.newOrg, c.env.new.Name, c.new)
		c.newStacks = generated.Stacks(c.env.newOrg, c.env.new.Name, c.new)
	}
	switch {
	case c.old == nil:
		sd.Change, sd.Summary = Added, serviceSummary(c.new, newObjs)
		for _, s := range c.newStacks {
			c.env.stack(s, "create")
		}
		return sd
	case c.new == nil:
		sd.Change, sd.Summary = Removed, serviceSummary(c.old, oldObjs)
		for _, s := range generated.Stacks(c.env.oldOrg, c.env.old.Name, c.old) {
			c.env.stack(s, "delete")
		}
		return sd
	}
	sd.Fields = diffFields(serviceFields(c.old), serviceFields(c.new), nil, nil)
	if c.env.oldOrg != c.env.newOrg {
		for _, s := range generated.Stacks(c.env.oldOrg, c.env.old.Name, c.old) {
			c.env.stack(s, "delete")
		}
		for _, s := range c.newStacks {
			c.env.stack(s, "create")
		}
	}
	c.oldAlarms = map[string]generated.Alarm{}
	for _, o := range oldObjs {
		for _, a := range o.Alarms {
			c.oldAlarms[a.Name] = a
		}
	}
	oldByKey := byName(oldObjs, objectKey)
	newByKey := byName(newObjs, objectKey)
	oldPlans, newPlans := planObjects(c.old), planObjects(c.new)
	keys := unionKeys(oldByKey, newByKey)
	slices.SortStableFunc(keys, func(a, b string) int { return kindRank(a) - kindRank(b) })
	for _, k := range keys {
		if od := c.object(oldByKey[k], newByKey[k], oldPlans[k], newPlans[k]); od != nil {
			sd.Objects = append(sd.Objects, od)
		}
	}
	if x := c.serviceDashboard(); x != nil {
		sd.Objects = append(sd.Objects, x)
	}
	sd.Objects = append(sd.Objects, tradeOffs(c.old, c.new)...)
	oldRoll := generated.Rollups(c.env.newOrg, c.env.old.Name, c.old, oldObjs)
	newRoll := generated.Rollups(c.env.newOrg, c.env.new.Name, c.new, newObjs)
	sd.AlarmsAdded, sd.AlarmsRemoved = alarmDelta(oldRoll, newRoll)
	sd.Effects = c.routingEffects(newRoll)
	last := ""
	if len(c.newStacks) > 0 {
		last = c.newStacks[len(c.newStacks)-1]
	}
	if len(sd.Fields) > 0 || len(sd.AlarmsAdded)+len(sd.AlarmsRemoved) > 0 || len(sd.Effects) > 0 || c.accountMoved {
		c.env.stack(last, "update") // the roll-ups and routing rules
	}
	for _, od := range sd.Objects {
		if od.RecordOnly {
			continue
		}
		c.env.stack(od.Stack, "update")
		if len(od.AlarmsAdded)+len(od.AlarmsRemoved) > 0 {
			c.env.stack(last, "update") // the roll-up's rule names its alarms
		}
	}
	if len(sd.Fields) > 0 || c.accountMoved {
		// Owner, runbook and tags are in every alarm's description and tags.
		for _, s := range c.newStacks {
			c.env.stack(s, "update")
		}
	}
	if len(c.oldStacks) != len(c.newStacks) {
		sd.Effects = append(sd.Effects, fmt.Sprintf("the service is split into %d stacks (was %d): objects move between parts", len(c.newStacks), len(c.oldStacks)))
		for _, s := range c.newStacks {
			if !slices.Contains(c.oldStacks, s) {
				c.env.stack(s, "create")
			} else {
				c.env.stack(s, "update")
			}
		}
		for _, s := range c.oldStacks {
			if !slices.Contains(c.newStacks, s) {
				c.env.stack(s, "delete")
			}
		}
	}
	if len(sd.Fields) == 0 && len(sd.Objects) == 0 && len(sd.AlarmsAdded)+len(sd.AlarmsRemoved) == 0 && len(sd.Effects) == 0 {
		return nil
	}
	return sd
}

// routingEffects says where each roll-up of the new plan now goes, when
// the service's routes of its severity, or a route itself, changed.
func (c *serviceCompare) routingEffects(rollups []generated.Alarm) []string {
	var out []string
	for _, r := range rollups {
		oldRoutes, newRoutes := generated.Routes(c.old, r.Severity), generated.Routes(c.new, r.Severity)
		changed := slices.ContainsFunc(newRoutes, func(id string) bool { return c.changedRoutes[id] })
		switch {
		case !slices.Equal(oldRoutes, newRoutes):
			out = append(out, fmt.Sprintf("%s alarms (%s) now go to %s (was %s)", r.Severity, r.Name, listOr(newRoutes, "no route"), listOr(oldRoutes, "no route")))
		case changed:
			out = append(out, fmt.Sprintf("%s alarms (%s) go to a route whose payload changes: %s", r.Severity, r.Name, strings.Join(newRoutes, ", ")))
		}
	}
	return out
}

func listOr(list []string, none string) string {
	if len(list) == 0 {
		return none
	}
	return strings.Join(list, ", ")
}

// objectKey identifies an object within a service: kind/id.
func objectKey(o generated.Object) string { return o.Kind + "/" + o.ID }

var kindOrder = []string{generated.KindSLO, generated.KindAlarm, generated.KindCanary, generated.KindRUM, generated.KindTrace}

func kindRank(key string) int {
	kind, _, _ := strings.Cut(key, "/")
	return slices.Index(kindOrder, kind)
}

// planObjects indexes the plan values of a service's objects by objectKey.
func planObjects(s *plan.Service) map[string]any {
	m := map[string]any{}
	for _, x := range s.SLOs {
		m[generated.KindSLO+"/"+x.ID] = x
	}
	for _, a := range s.Alarms {
		m[generated.KindAlarm+"/"+a.ID] = a
	}
	for _, x := range s.Canaries {
		m[generated.KindCanary+"/"+x.Name] = x
	}
	for _, x := range s.RUM {
		m[generated.KindRUM+"/"+x.Name] = x
	}
	for _, x := range s.Traces {
		m[generated.KindTrace+"/"+x.Name] = x
	}
	return m
}

// object compares one object; o or n (and its plan value) is zero when it
// is added or removed.
func (c *serviceCompare) object(o, n generated.Object, oldPlan, newPlan any) *ObjectDiff {
	od := &ObjectDiff{Kind: o.Kind, ID: o.ID, Change: Changed}
	if n.Kind != "" {
		od.Kind, od.ID = n.Kind, n.ID
		od.Stack = generated.StackOf(c.newStacks, n.ID)
	} else {
		od.Stack = generated.StackOf(c.oldStacks, o.ID)
	}
	od.AlarmsAdded, od.AlarmsRemoved = alarmDelta(o.Alarms, n.Alarms)
	switch {
	case oldPlan == nil:
		od.Change, od.Summary = Added, summary(newPlan)
		od.Effects = rollupEffects("joins", c.env.newOrg, c.env.new.Name, c.new, n.Alarms)
		return od
	case newPlan == nil:
		od.Change, od.Summary = Removed, summary(oldPlan)
		od.Effects = rollupEffects("leaves", c.env.newOrg, c.env.old.Name, c.old, o.Alarms)
		return od
	}
	if samePlan(oldPlan, newPlan) && len(od.AlarmsAdded)+len(od.AlarmsRemoved) == 0 && generated.StackOf(c.oldStacks, o.ID) == od.Stack {
		return nil // most objects of a large catalog: nothing to print
	}
	oldF, oldFrom := fields(oldPlan)
	newF, newFrom := fields(newPlan)
	od.Fields = diffFields(oldF, newF, oldFrom, newFrom)
	if x, ok := newPlan.(*plan.SLO); ok {
		o := oldPlan.(*plan.SLO)
		od.Effects = append(sloEffects(o, x), baselineEffects(o, x)...)
		if samePlan(withoutRecords(o), withoutRecords(x)) && len(od.AlarmsAdded)+len(od.AlarmsRemoved) == 0 && generated.StackOf(c.oldStacks, o.ID) == od.Stack {
			od.RecordOnly = true
			od.Effects = append(od.Effects, recordOnly)
		}
	}
	od.Effects = append(od.Effects, c.severityEffects(n.Alarms)...)
	if old := generated.StackOf(c.oldStacks, o.ID); old != od.Stack {
		od.Effects = append(od.Effects, fmt.Sprintf("moves from stack %s to %s", old, od.Stack))
	}
	if len(od.Fields) == 0 && len(od.Effects) == 0 && len(od.AlarmsAdded)+len(od.AlarmsRemoved) == 0 {
		return nil
	}
	return od
}

// samePlan reports whether two plan values of one object make the same
// thing: equal but for where the catalog declares them (Pos) and where
// their cascading values come from (Origins), which the diff shows only
// beside a changed value.
func samePlan(a, b any) bool {
	switch x := a.(type) {
	case *plan.SLO:
		y, ok := b.(*plan.SLO)
		if !ok {
			return false
		}
		xc, yc := *withoutRecords(x), *withoutRecords(y)
		xc.Pos, yc.Pos, xc.Origins, yc.Origins = diag.Pos{}, diag.Pos{}, plan.SLOOrigins{}, plan.SLOOrigins{}
		return reflect.DeepEqual(xc, yc) && sameBaseline(x.Baseline, y.Baseline)
	case *plan.Alarm:
		y, ok := b.(*plan.Alarm)
		if !ok {
			return false
		}
		xc, yc := *x, *y
		xc.Pos, yc.Pos, xc.Origins, yc.Origins = diag.Pos{}, diag.Pos{}, plan.AlarmOrigins{}, plan.AlarmOrigins{}
		return reflect.DeepEqual(xc, yc)
	case *plan.Canary:
		y, ok := b.(*plan.Canary)
		if !ok {
			return false
		}
		xc, yc := *x, *y
		xc.Pos, yc.Pos = diag.Pos{}, diag.Pos{}
		return reflect.DeepEqual(xc, yc)
	case *plan.RUM:
		y, ok := b.(*plan.RUM)
		if !ok {
			return false
		}
		xc, yc := *x, *y
		xc.Pos, yc.Pos = diag.Pos{}, diag.Pos{}
		return reflect.DeepEqual(xc, yc)
	case *plan.Trace:
		y, ok := b.(*plan.Trace)
		if !ok {
			return false
		}
		xc, yc := *x, *y
		xc.Pos, yc.Pos = diag.Pos{}, diag.Pos{}
		return reflect.DeepEqual(xc, yc)
	}
	return false
}

// rollupEffects says which roll-ups the alarms of an added object join
// (verb "joins") or of a removed object leave ("leaves"), and where those go.
func rollupEffects(verb, org, env string, svc *plan.Service, alarms []generated.Alarm) []string {
	var out []string
	for _, sev := range generated.Severities {
		if !slices.ContainsFunc(alarms, func(a generated.Alarm) bool { return a.Rollup && a.Severity == sev }) {
			continue
		}
		out = append(out, fmt.Sprintf("%s the %s roll-up %s (→ %s)", verb, sev, names.AlarmName(org, env, svc.Name, names.RollupID(sev)), listOr(generated.Routes(svc, sev), "no route")))
	}
	return out
}

// severityEffects says which alarms change severity, and so roll-up and routes.
func (c *serviceCompare) severityEffects(alarms []generated.Alarm) []string {
	var out []string
	for _, a := range alarms {
		prev, ok := c.oldAlarms[a.Name]
		if !ok || prev.Severity == a.Severity {
			continue
		}
		routes := listOr(generated.Routes(c.new, a.Severity), "no route")
		out = append(out, fmt.Sprintf("alarm %s moves from the %s roll-up to the %s roll-up (%s → %s)", a.Name, prev.Severity, a.Severity,
			listOr(generated.Routes(c.old, prev.Severity), "no route"), routes))
	}
	return out
}

// alarmDelta returns the names of the alarms only in b (added) and only in
// a (removed), in the order given.
func alarmDelta(a, b []generated.Alarm) (added, removed []string) {
	in := func(list []generated.Alarm, name string) bool {
		return slices.ContainsFunc(list, func(x generated.Alarm) bool { return x.Name == name })
	}
	for _, x := range b {
		if !in(a, x.Name) {
			added = append(added, x.Name)
		}
	}
	for _, x := range a {
		if !in(b, x.Name) {
			removed = append(removed, x.Name)
		}
	}
	return added, removed
}

func serviceSummary(s *plan.Service, objs []generated.Object) string {
	counts := map[string]int{}
	alarms := 0
	for _, o := range objs {
		counts[o.Kind]++
		alarms += len(o.Alarms)
	}
	var parts []string
	for _, k := range kindOrder {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], plural(counts[k], KindName(k))))
		}
	}
	return fmt.Sprintf("owner %s, tier %d: %s; %d CloudWatch %s", s.Owner, s.Tier, listOr(parts, "nothing"), alarms, plural(alarms, "alarm"))
}

func plural(n int, word string) string {
	if n == 1 || word == "" {
		return word
	}
	switch {
	case word == "SLO":
		return "SLOs"
	case strings.HasSuffix(word, "y"):
		return strings.TrimSuffix(word, "y") + "ies"
	}
	return word + "s"
}
