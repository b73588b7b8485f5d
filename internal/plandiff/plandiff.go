// Package plandiff compares two plans (plan.Plan) per environment and
// service: routes, SLOs, alarms, canaries, RUM monitors and trace groups
// added, removed and changed, field by field, with what follows from each
// change (error budgets, burn-rate thresholds, the alarms that appear or go,
// the stacks that change). It is pure Go: slocat diff links no CDK.
package plandiff

import (
	"slices"
	"strings"

	"github.com/slocatalog/slocatalog/dashboards"
	"github.com/slocatalog/slocatalog/internal/generated"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
)

// Change says what happened to an environment, service or object.
type Change string

// The changes, as printed.
const (
	Added   Change = "added"
	Removed Change = "removed"
	Changed Change = "changed"
)

// Diff is every difference between two plans, in a fixed order:
// environments, routes and services by name, objects by kind then id.
type Diff struct {
	Org          string     `json:"org"`
	OrgChange    *Field     `json:"orgChange,omitempty"` // the org name changed: every resource is renamed
	Environments []*EnvDiff `json:"environments"`
}

// Empty reports whether the plans make the same thing.
func (d *Diff) Empty() bool { return d.OrgChange == nil && len(d.Environments) == 0 }

// EnvDiff is what changed in one environment.
type EnvDiff struct {
	Name   string        `json:"name"`
	Change Change        `json:"change"`
	Fields []Field       `json:"fields,omitempty"` // account, region
	Routes []*ObjectDiff `json:"routes,omitempty"`
	// Cost is the environment's monthly cost before and after, when it moves.
	Cost *CostChange `json:"cost,omitempty"`
	// Dashboards is the executive view, when it appears, goes or changes.
	Dashboards []*ObjectDiff  `json:"dashboards,omitempty"`
	Services   []*ServiceDiff `json:"services,omitempty"`
	Stacks     []StackChange  `json:"stacks,omitempty"`
}

// ServiceDiff is what changed in one service of an environment.
type ServiceDiff struct {
	Name    string        `json:"name"`
	Change  Change        `json:"change"`
	Summary string        `json:"summary,omitempty"` // an added or removed service
	Fields  []Field       `json:"fields,omitempty"`
	Effects []string      `json:"effects,omitempty"`
	Objects []*ObjectDiff `json:"objects,omitempty"`
	// Roll-up alarms that appear or go (the first or last alarm of a severity).
	AlarmsAdded   []string `json:"alarmsAdded,omitempty"`
	AlarmsRemoved []string `json:"alarmsRemoved,omitempty"`
}

// ObjectDiff is what changed in one route, SLO, alarm, canary, RUM monitor
// or trace group.
type ObjectDiff struct {
	Kind          string   `json:"kind"` // route, slo, alarm, canary, rum, trace
	ID            string   `json:"id"`
	Change        Change   `json:"change"`
	Summary       string   `json:"summary,omitempty"` // an added or removed object in one line
	Fields        []Field  `json:"fields,omitempty"`
	Effects       []string `json:"effects,omitempty"`
	AlarmsAdded   []string `json:"alarmsAdded,omitempty"`
	AlarmsRemoved []string `json:"alarmsRemoved,omitempty"`
	Stack         string   `json:"stack,omitempty"`
	// RecordOnly: what changed is recorded in the catalog only (a
	// baseline, a trade-off), and no stack changes for it.
	RecordOnly bool `json:"recordOnly,omitempty"`
}

// Field is one setting that changed: its value before and after (empty
// when it was or is not set).
type Field struct {
	Name string `json:"name"`
	Old  string `json:"old"`
	New  string `json:"new"`
	// From says where the new value comes from, when that changed too
	// (an environment override, a default).
	From string `json:"from,omitempty"`
}

// StackChange is a stack that a deploy creates, updates or deletes.
type StackChange struct {
	Name   string `json:"name"`
	Change string `json:"change"` // create, update, delete
}

// Kind names as printed.
var kindNames = map[string]string{
	"route": "route", generated.KindSLO: "SLO", generated.KindAlarm: "alarm",
	generated.KindCanary: "canary", generated.KindRUM: "RUM monitor", generated.KindTrace: "trace group",
	KindTradeOff: "trade-off", KindDashboard: "dashboard",
}

// KindName is a kind as people read it: SLO, RUM monitor.
func KindName(kind string) string { return kindNames[kind] }

// Compare returns what changes from plan old to plan new.
func Compare(old, new *plan.Plan) *Diff {
	d := &Diff{Org: new.Org, Environments: []*EnvDiff{}}
	if old.Org != new.Org {
		d.OrgChange = &Field{Name: "org", Old: old.Org, New: new.Org}
	}
	oldEnvs := byName(old.Environments, func(e *plan.Environment) string { return e.Name })
	newEnvs := byName(new.Environments, func(e *plan.Environment) string { return e.Name })
	for _, name := range unionKeys(oldEnvs, newEnvs) {
		c := &envCompare{oldOrg: old.Org, newOrg: new.Org, old: oldEnvs[name], new: newEnvs[name]}
		if ed := c.compare(name); ed != nil {
			d.Environments = append(d.Environments, ed)
		}
	}
	d.addCosts(old, new)
	return d
}

// envCompare compares one environment of the two plans; old or new is nil
// when the environment is added or removed.
type envCompare struct {
	oldOrg, newOrg string
	old, new       *plan.Environment
	stacks         map[string]string
}

func (c *envCompare) compare(name string) *EnvDiff {
	ed := &EnvDiff{Name: name, Change: Changed}
	c.stacks = map[string]string{}
	switch {
	case c.old == nil:
		ed.Change = Added
		c.stack(names.RoutingStackName(c.newOrg, name), "create")
	case c.new == nil:
		ed.Change = Removed
		c.stack(names.RoutingStackName(c.oldOrg, name), "delete")
	default:
		ed.Fields = diffFields([]kv{{"account", c.old.Account}, {"region", c.old.Region}}, []kv{{"account", c.new.Account}, {"region", c.new.Region}}, nil, nil)
		if c.oldOrg != c.newOrg {
			// Every stack is renamed: the old ones go, new ones come.
			c.stack(names.RoutingStackName(c.oldOrg, name), "delete")
			c.stack(names.RoutingStackName(c.newOrg, name), "create")
		} else if len(ed.Fields) > 0 {
			c.stack(names.RoutingStackName(c.newOrg, name), "update")
		}
	}
	ed.Routes = c.routes()
	if len(ed.Routes) > 0 && c.old != nil && c.new != nil {
		c.stack(names.RoutingStackName(c.newOrg, name), "update")
	}
	if x := c.executive(); x != nil {
		ed.Dashboards = append(ed.Dashboards, x)
		c.stack(x.Stack, "update")
	}
	c.executiveStacks()
	oldSvcs := byName(envServices(c.old), func(s *plan.Service) string { return s.Name })
	newSvcs := byName(envServices(c.new), func(s *plan.Service) string { return s.Name })
	// Routes whose change reaches the service stacks: the routing rules'
	// payloads follow the route's type and Slack channel; its secret,
	// addresses and region live in the routing stack only.
	changedRoutes := map[string]bool{}
	for _, r := range ed.Routes {
		for _, f := range r.Fields {
			if f.Name == "type" || f.Name == "channel" {
				changedRoutes[r.ID] = true
			}
		}
	}
	for _, sname := range unionKeys(oldSvcs, newSvcs) {
		sc := &serviceCompare{env: c, old: oldSvcs[sname], new: newSvcs[sname], changedRoutes: changedRoutes, accountMoved: len(ed.Fields) > 0 || c.oldOrg != c.newOrg}
		if sd := sc.compare(sname); sd != nil {
			ed.Services = append(ed.Services, sd)
		}
	}
	if ed.Change == Changed && len(ed.Fields) == 0 && len(ed.Routes) == 0 && len(ed.Dashboards) == 0 && len(ed.Services) == 0 && len(c.stacks) == 0 {
		return nil
	}
	for _, n := range sortedKeys(c.stacks) {
		ed.Stacks = append(ed.Stacks, StackChange{n, c.stacks[n]})
	}
	return ed
}

// executiveStacks records the executive stacks (beyond the routing stack)
// that the executive view's pages create, delete or change: a growing
// catalog adds stacks at the end, a shrinking one deletes them, and a stack
// whose pages' bodies change (a service comes or goes, a time range
// changes) updates. A page always deploys from the stack its index names
// (dashboards.ExecutiveStack), so none moves between stacks.
func (c *envCompare) executiveStacks() {
	stacksOf := func(org string, e *plan.Environment) map[string]string {
		out := map[string]string{}
		if e == nil {
			return out
		}
		for _, x := range dashboards.ExecutiveStacks(org, e.Name, dashboards.Executive(org, e)) {
			if x.Number == 1 {
				continue
			}
			var b strings.Builder
			for _, d := range x.Pages {
				b.WriteString(d.Name + "\x00" + d.Body + "\x00")
			}
			out[x.Stack] = b.String()
		}
		return out
	}
	old, new := stacksOf(c.oldOrg, c.old), stacksOf(c.newOrg, c.new)
	for _, n := range unionKeys(old, new) {
		o, inOld := old[n]
		nw, inNew := new[n]
		switch {
		case !inOld:
			c.stack(n, "create")
		case !inNew:
			c.stack(n, "delete")
		case o != nw:
			c.stack(n, "update")
		}
	}
}

// stack records a stack change; a create or delete wins over an update.
func (c *envCompare) stack(name, change string) {
	if name == "" {
		return
	}
	if prev, ok := c.stacks[name]; ok && prev != "update" {
		return
	}
	c.stacks[name] = change
}

func envServices(e *plan.Environment) []*plan.Service {
	if e == nil {
		return nil
	}
	return e.Services
}

func envRoutes(e *plan.Environment) []*plan.Route {
	if e == nil {
		return nil
	}
	return e.Routes
}

// routes compares the routes the environment's services use.
func (c *envCompare) routes() []*ObjectDiff {
	oldR := byName(envRoutes(c.old), func(r *plan.Route) string { return r.ID })
	newR := byName(envRoutes(c.new), func(r *plan.Route) string { return r.ID })
	var out []*ObjectDiff
	for _, id := range unionKeys(oldR, newR) {
		o, n := oldR[id], newR[id]
		od := &ObjectDiff{Kind: "route", ID: id, Change: Changed}
		switch {
		case o == nil:
			od.Change, od.Summary = Added, routeSummary(n)
			if c.old != nil {
				od.Effects = []string{"used by " + strings.Join(c.routeUsers(c.new, id), ", ")}
			}
		case n == nil:
			od.Change, od.Summary = Removed, routeSummary(o)
			if c.new != nil {
				od.Effects = []string{"no service of the environment uses it any more"}
			}
		default:
			od.Fields = diffFields(routeFields(o), routeFields(n), nil, nil)
			if len(od.Fields) == 0 {
				continue
			}
			od.Effects = []string{"reaches the on-call of " + strings.Join(c.routeUsers(c.new, id), ", ")}
		}
		if c.new != nil {
			od.Stack = names.RoutingStackName(c.newOrg, c.new.Name)
		} else {
			od.Stack = names.RoutingStackName(c.oldOrg, c.old.Name)
		}
		out = append(out, od)
	}
	return out
}

// routeUsers lists "service (page)" for each service of e that routes a
// severity to the route.
func (c *envCompare) routeUsers(e *plan.Environment, id string) []string {
	var out []string
	for _, s := range e.Services {
		var sevs []string
		for _, sev := range generated.Severities {
			if slices.Contains(generated.Routes(s, sev), id) {
				sevs = append(sevs, sev)
			}
		}
		if len(sevs) > 0 {
			out = append(out, s.Name+" ("+strings.Join(sevs, ", ")+")")
		}
	}
	return out
}

// byName indexes a list by a key.
func byName[T any](list []T, key func(T) string) map[string]T {
	m := make(map[string]T, len(list))
	for _, x := range list {
		m[key(x)] = x
	}
	return m
}

// unionKeys returns the keys of both maps, sorted.
func unionKeys[T any](a, b map[string]T) []string {
	seen := make(map[string]bool, len(a)+len(b))
	var out []string
	for _, m := range []map[string]T{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
