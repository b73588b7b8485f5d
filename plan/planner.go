package plan

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/spec"
)

// report adds a problem with an effective value at its source. Set on the
// object itself, it is reported there; set by a default or an override, it
// is reported once at that line with the objects it affects in a note.
// Nothing in the catalog sets it (built-in values): at the object, own.
func (p *planner) report(src Origin, own diag.Pos, check, object, hint, format string, args ...any) {
	switch originRank(src) {
	case 0, 4:
		pos := src.Pos
		if pos.IsZero() {
			pos = own
		}
		kind, name, _ := strings.Cut(object, " ")
		p.diags.Add(pos, check, hint, "%s %q: "+format, append([]any{kind, name}, args...)...)
	default:
		p.diags.AddShared(src.Pos, check, object, hint, format, args...)
	}
}

// planner builds the plan and runs the checks that need effective values.
type planner struct {
	c     *spec.Catalog
	diags *diag.Diagnostics
}

// Build resolves every default of a valid catalog and returns the plan,
// adding to diags what only the effective values show (a page alarm with no
// page route, period × evaluation periods over the limit, a tier that cannot
// fire).
func Build(c *spec.Catalog, diags *diag.Diagnostics) *Plan {
	return build(c, diags, true)
}

// Check adds to diags what Build would, and keeps no plan: each service is
// planned exactly as Build plans it and dropped once checked, so the
// collector can reuse its memory for the next (on a 10,000-SLO catalog,
// validate's peak went from 122 MB with Build to about 107 MB). slocat
// validate runs it.
func Check(c *spec.Catalog, diags *diag.Diagnostics) {
	build(c, diags, false)
}

// build plans every environment, keeping the services' plans or not.
func build(c *spec.Catalog, diags *diag.Diagnostics, keepServices bool) *Plan {
	plan := &Plan{}
	if c.Org != nil {
		plan.Org = c.Org.Name
		plan.Tags = c.Org.Tags
	}
	// Environments are planned concurrently: each reads the catalog and
	// writes only its own plan and diagnostics.
	envs := make([]*Environment, len(c.Environments))
	envDiags := make([]diag.Diagnostics, len(c.Environments))
	var wg sync.WaitGroup
	for i, e := range c.Environments {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &planner{c: c, diags: &envDiags[i]}
			envs[i] = p.environment(plan, e, keepServices)
		}()
	}
	wg.Wait()
	for i := range envs {
		*diags = append(*diags, envDiags[i]...)
		plan.Environments = append(plan.Environments, envs[i])
	}
	sort.Slice(plan.Environments, func(i, j int) bool { return plan.Environments[i].Name < plan.Environments[j].Name })
	p := &planner{c: c, diags: diags}
	p.sharedAccounts()
	return plan
}

// sharedAccounts reports X-Ray groups that two environments in the same
// account and region would both create: X-Ray names (at most 32 characters)
// carry no environment prefix, unlike every other generated name.
func (p *planner) sharedAccounts() {
	first := map[string]*spec.Environment{}
	for _, e := range p.c.Environments {
		key := e.Account + "/" + e.Region
		prev, ok := first[key]
		if !ok {
			first[key] = e
			continue
		}
		for _, s := range p.c.Services {
			inBoth := len(s.Environments) == 0 || (slices.Contains(s.Environments, e.Name) && slices.Contains(s.Environments, prev.Name))
			if !inBoth {
				continue
			}
			for _, t := range s.Traces {
				p.diags.Add(t.Val("name"), diag.CheckXRayName, fmt.Sprintf("give the environments their own accounts or regions, or limit the service to one of them with environments: [%s]", prev.Name),
					"environments %s and %s share account %s in %s, where X-Ray group %q would be created twice", prev.Name, e.Name, e.Account, e.Region, t.Name)
			}
		}
	}
}

func (p *planner) environment(plan *Plan, e *spec.Environment, keepServices bool) *Environment {
	c := p.c
	ep := &Environment{Name: e.Name, Account: e.Account, Region: e.Region}
	envLayers := []layer{{"environment " + e.Name + " defaults", e.Defaults}}
	if c.Org != nil {
		envLayers = append(envLayers, layer{"org defaults", c.Org.Defaults})
	}
	ep.Executive = dashboardPlan(envLayers, DefaultExecutiveTimeRange)
	used := map[string]bool{}
	for _, s := range c.Services {
		if len(s.Environments) > 0 && !slices.Contains(s.Environments, e.Name) {
			continue
		}
		sp := p.service(plan, e, s)
		// EventBridge rule names are at most 64 characters:
		// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
		if n := names.RuleName(plan.Org, e.Name, s.Name, "ticket") + "-ok"; len(n) > 64 {
			p.diags.Add(s.Val("name"), diag.CheckRouteRuleName, fmt.Sprintf("org, environment and service names together leave %d characters for the service name", 64-len(n)+len(s.Name)), "routing rule name %q is longer than 64 characters", n)
		}
		if keepServices {
			ep.Services = append(ep.Services, sp)
		}
		for _, id := range sp.Page {
			used[id] = true
		}
		for _, id := range sp.Ticket {
			used[id] = true
		}
	}
	p.awsNames(e)
	for _, r := range c.Routes {
		if used[r.ID] {
			ep.Routes = append(ep.Routes, &Route{ID: r.ID, Type: r.Type, Secret: r.Secret, Region: cmp.Or(r.Region, "us"), Channel: r.Channel, Emails: r.Emails, Description: r.Description})
		}
	}
	sort.Slice(ep.Routes, func(i, j int) bool { return ep.Routes[i].ID < ep.Routes[j].ID })
	sort.Slice(ep.Services, func(i, j int) bool { return ep.Services[i].Name < ep.Services[j].Name })
	return ep
}

// awsNames reports names that AWS keeps unique per account and region and
// that two services of environment e would both create: canaries
// (<environment>-<name>), X-Ray groups and sampling rules (the trace
// group's name). Each is reported at its second declaration, once for all
// environments; twice in one service is Validate's to report.
func (p *planner) awsNames(e *spec.Environment) {
	type first struct {
		pos diag.Pos
		svc *spec.Service
	}
	canaries := map[string]first{}
	traces := map[string]first{}
	for _, s := range p.c.Services {
		if len(s.Environments) > 0 && !slices.Contains(s.Environments, e.Name) {
			continue
		}
		for _, c := range s.Canaries {
			if o := p.override(e, s, c.Name); c.Name == "" || o != nil && o.Disabled {
				continue
			}
			prev, dup := canaries[c.Name]
			if !dup {
				canaries[c.Name] = first{c.Val("name"), s}
			} else if prev.svc != s {
				p.diags.Add(c.Val("name"), diag.CheckCanaryName, fmt.Sprintf("first declared at %s; AWS canary names (<environment>-<name>) are unique per account and region: rename one", prev.pos),
					"canary %q is already declared by service %s", c.Name, prev.svc.Name)
			}
		}
		for _, t := range s.Traces {
			if t.Name == "" {
				continue
			}
			prev, dup := traces[t.Name]
			if !dup {
				traces[t.Name] = first{t.Val("name"), s}
			} else if prev.svc != s {
				p.diags.Add(t.Val("name"), diag.CheckXRayName, fmt.Sprintf("first declared at %s; X-Ray group and sampling rule names are unique per account and region: rename one", prev.pos),
					"X-Ray group %q is already declared by service %s", t.Name, prev.svc.Name)
			}
		}
	}
}

func (p *planner) layers(e *spec.Environment, s *spec.Service) []layer {
	ls := []layer{{"service " + s.Name + " defaults", s.Defaults}, {"environment " + e.Name + " defaults", e.Defaults}}
	if p.c.Org != nil {
		ls = append(ls, layer{"org defaults", p.c.Org.Defaults})
	}
	return ls
}

func (p *planner) service(plan *Plan, e *spec.Environment, s *spec.Service) *Service {
	sp := &Service{Name: s.Name, Owner: s.Owner, Runbook: s.Runbook, Description: s.Description, Tier: s.Tier, File: p.c.RelPos(s.Pos).File}
	sp.Tags = make(map[string]string, len(plan.Tags)+len(s.Tags))
	maps.Copy(sp.Tags, plan.Tags)
	maps.Copy(sp.Tags, s.Tags)
	if s.Oncall != nil {
		sp.Page, sp.Ticket = s.Oncall.Page, s.Oncall.Ticket
	}
	if a := s.ApplicationSignals; a != nil {
		sp.AppSignals = &AppSignals{Name: a.Name, Environment: fillEnv(a.Environment, e)}
	}
	p.checkRefs(e, s)
	ls := p.layers(e, s)
	sp.Dashboard = dashboardPlan(ls, DefaultServiceTimeRange)
	// needRoute reports an object of severity sev (kind and name say
	// which) that has no route to go to.
	needRoute := func(sev string, pos diag.Pos, kind, name string) {
		routes := sp.Ticket
		if sev == "page" {
			routes = sp.Page
		}
		if len(routes) == 0 && s.Oncall != nil && !s.Oncall.Has(sev) {
			p.diags.Add(pos, diag.CheckRouteMissing, fmt.Sprintf("add a route under oncall.%s of service %s", sev, s.Name), "%s %q has severity %s but service %q has no %s route", kind, name, sev, s.Name, sev)
		}
	}
	tierIDs := tierIDCandidates(s)
	for _, slo := range s.SLOs {
		o := p.override(e, s, slo.ID)
		if o != nil && o.Disabled {
			continue
		}
		if planned := p.slo(e, s, sp, slo, o, ls); planned != nil {
			if tierIDs != nil {
				p.checkTierIDs(tierIDs, planned)
			}
			p.checkAlarmInputs(slo, planned)
			sp.SLOs = append(sp.SLOs, planned)
			for _, t := range planned.Tiers {
				needRoute(t.Severity, slo.Val("id"), "SLO", slo.ID)
			}
			if g := planned.LoadGuard; g != nil {
				needRoute(g.Severity, decidedAt(planned.Origins.LoadGuardSeverity, slo.Val("id")), "SLO", slo.ID)
			}
		}
	}
	for _, a := range s.Alarms {
		o := p.override(e, s, a.ID)
		if o != nil && o.Disabled {
			continue
		}
		if planned := p.alarm(plan, e, s, a, o, ls); planned != nil {
			sp.Alarms = append(sp.Alarms, planned)
			needRoute(planned.Severity, decidedAt(planned.Origins.Severity, a.Val("id")), "alarm", a.ID)
		}
	}
	for _, c := range s.Canaries {
		o := p.override(e, s, c.Name)
		if o != nil && o.Disabled {
			continue
		}
		planned := p.canary(e, c, o, ls)
		// The canary is named <environment>-<name> in AWS: 1 to 255 of [0-9a-z_-].
		if n := e.Name + "-" + c.Name; len(n) > 255 {
			p.diags.Add(c.Val("name"), diag.CheckCanaryName, "shorten the canary name", "canary name %q is longer than 255 characters in environment %s", n, e.Name)
		}
		sp.Canaries = append(sp.Canaries, planned)
		needRoute(planned.Severity, c.Pos, "canary", c.Name)
	}
	for _, r := range s.RUM {
		planned := rumPlan(r, e, p.c.RelPos)
		sp.RUM = append(sp.RUM, planned)
		if planned.LCP > 0 || planned.INP > 0 || planned.CLS != nil {
			needRoute(planned.Severity, r.Pos, "RUM monitor", r.Name)
		}
	}
	for _, t := range s.Traces {
		sp.Traces = append(sp.Traces, &Trace{Name: t.Name, Filter: fillEnv(t.Filter, e), Insights: t.Insights, Notifications: t.Notifications, Sampling: t.Sampling, Pos: p.c.RelPos(t.Pos)})
	}
	sp.TradeOffs = tradeOffPlans(s, p.c.RelPos)
	sort.Slice(sp.SLOs, func(i, j int) bool { return sp.SLOs[i].ID < sp.SLOs[j].ID })
	sort.Slice(sp.Alarms, func(i, j int) bool { return sp.Alarms[i].ID < sp.Alarms[j].ID })
	sort.Slice(sp.Canaries, func(i, j int) bool { return sp.Canaries[i].Name < sp.Canaries[j].Name })
	sort.Slice(sp.RUM, func(i, j int) bool { return sp.RUM[i].Name < sp.RUM[j].Name })
	sort.Slice(sp.Traces, func(i, j int) bool { return sp.Traces[i].Name < sp.Traces[j].Name })
	return sp
}

func (p *planner) override(e *spec.Environment, s *spec.Service, id string) *spec.Override {
	if e.Overrides == nil {
		return nil
	}
	return e.Overrides[s.Name+"/"+id]
}
