// Package stacks composes the constructs into CDK stacks: per environment a
// routing stack (and, for a large catalog, executive stacks that hold the
// executive view's later pages), and per (environment, service) a service
// stack. It only
// wires; what each resource looks like is decided in package plan and
// constructs (the resources).
package stacks

import (
	"fmt"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/constructs"
	"github.com/slocatalog/slocatalog/dashboards"
	"github.com/slocatalog/slocatalog/internal/shard"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
)

// Severities in the order their roll-ups are made.
var Severities = []string{"page", "ticket"}

// Info describes one generated stack.
type Info struct {
	Name, Env, Service string // Service is empty for a routing or executive stack
	Stack              awscdk.Stack
}

// RollupID is the id of a service's roll-up alarm of a severity
// (names.RollupID; the catalog check keeps catalog ids off it).
func RollupID(severity string) string { return names.RollupID(severity) }

// Build adds every stack of the plan to app, in a fixed order: per
// environment (by name) the routing stack, its executive stacks in order,
// then the service stacks by name.
func Build(app awscdk.App, catalogPlan *plan.Plan, progress func(done, total int, name string)) []Info {
	return BuildShard(app, catalogPlan, shard.Spec{}, progress)
}

// BuildShard adds the stacks of one shard of the plan to app, in Build's
// order: the routing and executive stacks if the shard holds them, and the stacks of the
// services it holds (shard.Spec). Every stack is built as in the whole app,
// so its template is the same byte for byte; only a service stack's
// dependency on its routing stack is left out when the routing stack is in
// another shard (an assembly cannot name an artifact it does not hold).
func BuildShard(app awscdk.App, catalogPlan *plan.Plan, sh shard.Spec, progress func(done, total int, name string)) []Info {
	var out []Info
	total, done := 0, 0
	svcParts := map[*plan.Service]int{}
	executive := map[*plan.Environment][]dashboards.ExecutivePlacement{}
	for _, e := range catalogPlan.Environments {
		if sh.HoldsRouting() {
			executive[e] = dashboards.ExecutiveStacks(catalogPlan.Org, e.Name, dashboards.Executive(catalogPlan.Org, e))
			total++
			if n := len(executive[e]); n > 1 {
				total += n - 1
			}
		}
		for _, svc := range e.Services {
			if Generates(svc) && sh.HoldsService(svc.Name) {
				svcParts[svc] = Parts(svc)
				total += svcParts[svc]
			}
		}
	}
	report := func(name string) {
		done++
		if progress != nil {
			progress(done, total, name)
		}
	}
	for _, e := range catalogPlan.Environments {
		env := &awscdk.Environment{Account: jsii.String(e.Account), Region: jsii.String(e.Region)}
		var rs awscdk.Stack // nil when another shard holds it
		if sh.HoldsRouting() {
			rname := names.RoutingStackName(catalogPlan.Org, e.Name)
			rs = routingStack(app, rname, catalogPlan, e, env, executive[e])
			out = append(out, Info{Name: rname, Env: e.Name, Stack: rs})
			report(rname)
			for _, x := range executive[e] {
				if x.Number == 1 {
					continue
				}
				out = append(out, Info{Name: x.Stack, Env: e.Name, Stack: executiveStack(app, x, catalogPlan, e, env)})
				report(x.Stack)
			}
		}
		for _, svc := range e.Services {
			if !Generates(svc) || !sh.HoldsService(svc.Name) {
				continue
			}
			name := names.ServiceStackName(catalogPlan.Org, e.Name, svc.Name)
			tags := map[string]string{constructs.TagService: svc.Name, constructs.TagOwner: svc.Owner, constructs.TagFile: svc.File}
			newStack := func(name, what string) awscdk.Stack {
				st := awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{
					StackName:   jsii.String(name),
					Env:         env,
					Description: jsii.String(fmt.Sprintf("slocatalog: %s of %s in %s (owner %s)", what, svc.Name, e.Name, svc.Owner)),
					Tags:        stackTags(svc.Tags, tags),
				})
				out = append(out, Info{Name: name, Env: e.Name, Service: svc.Name, Stack: st})
				report(name)
				return st
			}
			main := newStack(name, "monitoring")
			// The routing stack deploys first (its parameters, queue, role and
			// bucket must exist), though nothing is imported from it.
			if rs != nil {
				main.AddStackDependency(rs, jsii.String("reads the routing parameters"))
			}
			parts := []awscdk.Stack{main}
			for i := 2; i <= svcParts[svc]; i++ {
				p := newStack(fmt.Sprintf("%s-part%d", name, i), fmt.Sprintf("monitoring (part %d)", i))
				// A chain: each part deploys after the one before it.
				p.AddStackDependency(parts[len(parts)-1], jsii.String("the parts of a service deploy in order"))
				parts = append(parts, p)
			}
			buildService(parts, catalogPlan.Org, e, svc)
		}
	}
	return out
}

// routingStack builds an environment's routing stack.
// It holds the executive view's first pages (those placed in stack 1).
func routingStack(app awscdk.App, name string, catalogPlan *plan.Plan, e *plan.Environment, env *awscdk.Environment, executive []dashboards.ExecutivePlacement) awscdk.Stack {
	rs := awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{
		StackName:   jsii.String(name),
		Env:         env,
		Description: jsii.String(fmt.Sprintf("slocatalog: on-call routing of %s %s (deploy first)", catalogPlan.Org, e.Name)),
		Tags:        stackTags(catalogPlan.Tags, map[string]string{constructs.TagService: "routing"}),
	})
	routing := constructs.NewRouting(rs, catalogPlan.Org, e)
	// The routing stack also holds what an environment's services share:
	// the canary artifacts bucket.
	var artifacts *constructs.Artifacts
	if hasCanaries(e) {
		artifacts = constructs.NewArtifacts(rs, catalogPlan.Org, e.Name)
	}
	legacyExports(rs, routing, artifacts)
	// The executive latency view spans the environment's services: its
	// first pages are here, the rest in executive stacks.
	if len(executive) > 0 && executive[0].Number == 1 {
		constructs.NewDashboards(func(int) cdkconstructs.Construct { return rs }, "executive-dashboard", executive[0].Pages)
	}
	return rs
}

// executiveStack builds an environment's executive stack: pages of the
// executive view beyond the routing stack's (dashboards.ExecutiveStack).
// It holds only dashboards, whose bodies name metrics by namespace, name
// and dimensions (the executive view has no alarm widget): no reference to
// another stack, no parameter, no import, and so no dependency; CloudWatch
// accepts a dashboard whose metrics have no data yet, so it may deploy
// before, after or alongside the routing and service stacks. Each page
// keeps the logical ID it had in the routing stack (executive-dashboard-N).
func executiveStack(app awscdk.App, x dashboards.ExecutivePlacement, catalogPlan *plan.Plan, e *plan.Environment, env *awscdk.Environment) awscdk.Stack {
	st := awscdk.NewStack(app, jsii.String(x.Stack), &awscdk.StackProps{
		StackName:   jsii.String(x.Stack),
		Env:         env,
		Description: jsii.String(fmt.Sprintf("slocatalog: executive latency view of %s %s, pages %d to %d", catalogPlan.Org, e.Name, firstPage(x.Number), firstPage(x.Number)+len(x.Pages)-1)),
		Tags:        stackTags(catalogPlan.Tags, map[string]string{constructs.TagService: "executive"}),
	})
	for i, d := range x.Pages {
		constructs.NewDashboards(func(int) cdkconstructs.Construct { return st }, fmt.Sprintf("executive-dashboard-%d", firstPage(x.Number)+i), []dashboards.Dashboard{d})
	}
	return st
}

// firstPage is the first page (1-based) of executive stack k >= 2.
func firstPage(k int) int {
	return dashboards.RoutingExecutivePages + (k-2)*dashboards.ExecutivePagesPerStack + 1
}

// stackTags merges tag maps for a stack. CloudFormation applies a stack's
// tags to every resource of the stack that supports tags, so each resource
// carries its service, owner and catalog file without one crossing into
// jsii per resource (and with @aws-cdk/core:explicitStackTags, only once).
func stackTags(extra, own map[string]string) *map[string]*string {
	out := map[string]*string{}
	for _, m := range []map[string]string{extra, own} {
		for k, v := range m {
			out[k] = jsii.String(v)
		}
	}
	return &out
}

// legacyExports keeps the exports that service stacks synthesized before
// this release import (the route targets, the dead-letter queue, the events
// role, the canary bucket), under the names CDK gave them, so that
// deploying this release (routing first) removes no export while the
// deployed service stacks still import it; they stop importing when they
// deploy, and no stack of this release imports anything. Stack.exportValue
// is CDK's way to keep an export whose reference went away:
// https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.Stack.html#exportwbrvalueexportedvalue-options
// A later release may drop them: nothing imports them then.
func legacyExports(rs awscdk.Stack, r *constructs.Routing, a *constructs.Artifacts) {
	var values []string
	for _, id := range sortedTargets(r) {
		t := r.Targets[id]
		values = append(values, t.Arn)
		if t.CloseArn != "" {
			values = append(values, t.CloseArn)
		}
	}
	values = append(values, r.DLQArn)
	if r.EventsRoleArn != "" {
		values = append(values, r.EventsRoleArn)
	}
	if a != nil {
		values = append(values, a.BucketArn, a.Bucket)
	}
	for _, v := range values {
		rs.ExportValue(jsii.String(v), nil)
	}
}

func sortedTargets(r *constructs.Routing) []string {
	ids := make([]string, 0, len(r.Targets))
	for id := range r.Targets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// buildService fills a service's stacks: each SLO, alarm, canary, RUM
// monitor and trace group goes to the part its ID hashes to (Part); the
// roll-ups and routing rules go to the last part, which deploys after the
// others (the roll-ups name their alarms, which must exist).
//
// Service stacks reach the routing stack's values by name (SSM parameters
// and fixed names, see constructs.RoutingByName), never by export.
func buildService(parts []awscdk.Stack, org string, e *plan.Environment, svc *plan.Service) {
	st := parts[len(parts)-1]
	buckets := map[awscdk.Stack]*constructs.Artifacts{}
	artifacts := func(part awscdk.Stack) *constructs.Artifacts {
		if buckets[part] == nil {
			buckets[part] = constructs.ArtifactsByName(part, org, e.Name)
		}
		return buckets[part]
	}
	factory := &constructs.AlarmFactory{Org: org, Env: e.Name, Service: svc}
	for _, slo := range svc.SLOs {
		constructs.NewSLO(parts[Part(slo.ID, len(parts))], factory, slo)
	}
	for _, alarmPlan := range svc.Alarms {
		factory.FromPlan(parts[Part(alarmPlan.ID, len(parts))], alarmPlan)
	}
	for _, canary := range svc.Canaries {
		part := parts[Part(canary.Name, len(parts))]
		constructs.NewCanary(part, constructs.CanaryProps{Alarms: factory, Artifacts: artifacts(part), Canary: canary, Environment: e})
	}
	for _, monitor := range svc.RUM {
		constructs.NewRUM(parts[Part(monitor.Name, len(parts))], constructs.RUMProps{Alarms: factory, Monitor: monitor, Environment: e})
	}
	boards := dashboards.Service(org, e, svc)
	anchored := 0
	if len(parts) > 1 {
		anchored = dashboards.AlarmPagesBefore18(org, e, svc)
	}
	constructs.NewDashboards(func(i int) cdkconstructs.Construct { return parts[DashboardPart(boards, anchored, i, len(parts))] }, "dashboard", boards)
	service := svc.Name
	if svc.AppSignals != nil {
		service = svc.AppSignals.Name
	}
	for _, trace := range svc.Traces {
		constructs.NewTraceGroup(parts[Part(trace.Name, len(parts))], factory, trace, service)
	}
	// One roll-up per severity, so on-call gets one page per service incident.
	for _, sev := range Severities {
		var children []constructs.CreatedAlarm
		for _, alarm := range factory.Alarms() {
			if alarm.Severity == sev && alarm.InRollup {
				children = append(children, alarm)
			}
		}
		if len(children) == 0 {
			continue
		}
		id := RollupID(sev)
		factory.Composite(st, constructs.CompositeAlarmProps{
			ID:          id,
			Description: fmt.Sprintf("Any %s alarm of %s is in ALARM.", sev, svc.Name),
			Severity:    sev,
			Children:    children,
		})
		routes := svc.Ticket
		if sev == "page" {
			routes = svc.Page
		}
		if len(routes) > 0 {
			constructs.NewOncallRules(st, constructs.OncallRulesProps{
				Routing:     constructs.RoutingByName(st, org, e, routes),
				Service:     svc,
				Severity:    sev,
				RollupAlarm: factory.Name(id),
				Routes:      routes,
			})
		}
	}
}

// DashboardPart is the stack (0-based, among parts) that holds the i-th of
// a service's dashboards, given how many of the first pages are anchored in
// the last part (dashboards.AlarmPagesBefore18). A dashboard that shows
// alarms goes to the last part, which deploys after every alarm of the
// service (with the roll-ups); so do the first anchored pages. The others,
// which show metrics only, take turns over the parts from the last one
// down, so that no part's template outgrows 1 MB.
//
// The anchor is the number of pages that showed alarms before issue 18 cut
// a burn-rate tier from three alarms to one, never fewer than show alarms
// now: counting the metric pages from the smaller new number would move
// each into the part before its own on the upgrade, where it is created
// while the later part still holds its name.
func DashboardPart(ds []dashboards.Dashboard, anchored, i, parts int) int {
	if parts <= 1 || ds[i].Alarms > 0 || i < anchored {
		return parts - 1
	}
	k := 0 // the place of dashboard i among the pages not kept in the last part
	for j, d := range ds[:i] {
		if d.Alarms == 0 && j >= anchored {
			k++
		}
	}
	return parts - 1 - (k+1)%parts
}

// MaxResources is how many resources a generated stack may hold. The
// CloudFormation limit is 500 resources and 1 MB of template
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html);
// at about 2 KB per alarm, 400 keeps both with room to spare.
const MaxResources = 400

// Resources estimates how many resources a service makes.
func Resources(svc *plan.Service) int {
	n := 0
	for _, x := range svc.SLOs {
		// The SLO, the no-data alarm and 3 per burn-rate tier. A tier is one
		// alarm since issue 18 (it was two window alarms and their AND);
		// it still counts 3 so that no deployed service changes its number
		// of parts on the upgrade: fewer parts would move objects back into
		// earlier parts, created there while the later part still holds
		// their names (a name hazard in slocat evolve), and the part left
		// over would have to be deleted by hand. The estimate is then high
		// by 2 per tier, which MaxResources' margin below 500 absorbs. The
		// validated-load alarm (also issue 18's release) is not counted, for
		// the same reason: with four tiers the estimate is still high by 7.
		n += 2 + 3*len(x.Tiers)
	}
	for _, a := range svc.Alarms {
		n++
		if a.Anomaly != nil {
			n++ // the detector
		}
	}
	for _, c := range svc.Canaries {
		n += 3 // role, canary, success alarm
		for _, st := range c.Steps {
			if st.LatencyBudget > 0 {
				n++
			}
		}
	}
	// per RUM monitor: identity pool, guest role, role attachment, app
	// monitor, and up to three Web Vitals alarms
	n += 7 * len(svc.RUM)
	for _, t := range svc.Traces {
		n++
		if t.Sampling != nil {
			n++
		}
	}
	// Per severity: a roll-up and two routing rules. The dashboards (one per
	// 500 widgets) are not counted: counting them would move the split of a
	// deployed service, and MaxResources leaves them room below 500.
	return n + 2*(1+2)
}

func hasCanaries(e *plan.Environment) bool {
	for _, s := range e.Services {
		if len(s.Canaries) > 0 {
			return true
		}
	}
	return false
}

// Parts is how many stacks a service is split into: one when it fits,
// otherwise enough for its resources at MaxResources each.
func Parts(svc *plan.Service) int {
	return max(1, (Resources(svc)+MaxResources-1)/MaxResources)
}

// Part is the stack (0-based) that the object with a catalog id goes to
// among parts stacks: a jump consistent hash of the id (Lamping and Veach,
// "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014,
// https://arxiv.org/abs/1406.2294). When a service grows from n to n+1
// parts, the objects that move go to the new part only, and no other
// object moves. The parts deploy in a chain (part k after part k-1), so a
// moved object is deleted by the stack it leaves before the stack it joins
// creates it: custom names (alarms, SLOs, canaries) are never taken twice.
// (A service that shrinks moves objects back; slocat evolve reports it.)
func Part(id string, parts int) int { return shard.Jump(id, parts) }

// Generates reports whether a service has anything to deploy; a service with
// nothing gets no stack (CloudFormation refuses an empty template).
func Generates(svc *plan.Service) bool {
	return len(svc.Alarms)+len(svc.SLOs)+len(svc.Canaries)+len(svc.RUM)+len(svc.Traces) > 0
}
