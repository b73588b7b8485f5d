// Package stacks composes the constructs into CDK stacks: per environment a
// routing stack, and per (environment, service) a service stack. It only
// wires; what each resource looks like is decided in slos (the plan) and
// constructs (the resources).
package stacks

import (
	"fmt"
	"hash/fnv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/constructs"
	"github.com/slocatalog/slocatalog/slos"
)

// Severities in the order their roll-ups are made.
var Severities = []string{"page", "ticket"}

// Info describes one generated stack.
type Info struct {
	Name, Env, Service string // Service is empty for a routing stack
	Stack              awscdk.Stack
}

// RollupID is the id of a service's roll-up alarm of a severity
// (slos.RollupID; the catalog check keeps catalog ids off it).
func RollupID(severity string) string { return slos.RollupID(severity) }

// Build adds every stack of the plan to app, in a fixed order: per
// environment (by name) the routing stack, then the service stacks by name.
func Build(app awscdk.App, plan *slos.Plan, progress func(done, total int, name string)) []Info {
	var out []Info
	total, done := 0, 0
	svcParts := map[*slos.ServicePlan]int{}
	for _, e := range plan.Environments {
		total++
		for _, svc := range e.Services {
			if Generates(svc) {
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
	for _, e := range plan.Environments {
		env := &awscdk.Environment{Account: jsii.String(e.Account), Region: jsii.String(e.Region)}
		rname := slos.RoutingStackName(plan.Org, e.Name)
		rs := awscdk.NewStack(app, jsii.String(rname), &awscdk.StackProps{
			StackName:   jsii.String(rname),
			Env:         env,
			Description: jsii.String(fmt.Sprintf("slocatalog: on-call routing of %s %s (deploy first)", plan.Org, e.Name)),
			Tags:        stackTags(plan.Tags, map[string]string{constructs.TagService: "routing"}),
		})
		routing := constructs.NewRouting(rs, plan.Org, e)
		// The routing stack also holds what an environment's services share:
		// the canary artifacts bucket.
		var artifacts *constructs.Artifacts
		if hasCanaries(e) {
			artifacts = constructs.NewArtifacts(rs)
		}
		out = append(out, Info{Name: rname, Env: e.Name, Stack: rs})
		report(rname)
		for _, svc := range e.Services {
			if !Generates(svc) {
				continue
			}
			name := slos.ServiceStackName(plan.Org, e.Name, svc.Name)
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
			parts := []awscdk.Stack{main}
			for i := 2; i <= svcParts[svc]; i++ {
				parts = append(parts, newStack(fmt.Sprintf("%s-part%d", name, i), fmt.Sprintf("monitoring (part %d)", i)))
			}
			buildService(parts, plan.Org, e, svc, routing, artifacts)
		}
	}
	return out
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

// buildService fills a service's stacks: each SLO and alarm goes to the part
// its ID hashes to; the roll-ups and routing rules stay in the first stack,
// which CDK makes depend on the others (the roll-ups name their alarms).
func buildService(parts []awscdk.Stack, org string, e *slos.EnvPlan, svc *slos.ServicePlan, routing *constructs.Routing, artifacts *constructs.Artifacts) {
	st := parts[0]
	f := &constructs.AlarmFactory{Org: org, Env: e.Name, Service: svc}
	for _, x := range svc.SLOs {
		constructs.NewSLO(parts[Part(x.ID, len(parts))], f, x)
	}
	for _, a := range svc.Alarms {
		f.FromPlan(parts[Part(a.ID, len(parts))], a)
	}
	for _, c := range svc.Canaries {
		constructs.NewCanary(parts[Part(c.Name, len(parts))], f, artifacts, c, e.Name, e.Account, e.Region)
	}
	for _, r := range svc.RUM {
		constructs.NewRUM(parts[Part(r.Name, len(parts))], f, r, e.Name, e.Account, e.Region)
	}
	service := svc.Name
	if svc.AppSignals != nil {
		service = svc.AppSignals.Name
	}
	for _, t := range svc.Traces {
		constructs.NewTraceGroup(parts[Part(t.Name, len(parts))], f, t, service)
	}
	// One roll-up per severity, so on-call gets one page per service incident.
	for _, sev := range Severities {
		var children []constructs.Born
		for _, b := range f.Born() {
			if b.Severity == sev && b.Rollup {
				children = append(children, b)
			}
		}
		if len(children) == 0 {
			continue
		}
		id := RollupID(sev)
		f.Composite(st, id, fmt.Sprintf("Any %s alarm of %s is in ALARM.", sev, svc.Name), sev, children)
		routes := svc.Ticket
		if sev == "page" {
			routes = svc.Page
		}
		if len(routes) > 0 {
			constructs.NewOncallRules(st, routing, svc, sev, f.Name(id), routes)
		}
	}
}

// MaxResources is how many resources a generated stack may hold. The
// CloudFormation limit is 500 resources and 1 MB of template
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html);
// at about 2 KB per alarm, 400 keeps both with room to spare.
const MaxResources = 400

// Resources estimates how many resources a service makes.
func Resources(svc *slos.ServicePlan) int {
	n := 0
	for _, x := range svc.SLOs {
		// the SLO, two window alarms and an AND per tier, the no-data alarm
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
	return n + 2*(1+2) // per severity: a roll-up and two routing rules
}

func hasCanaries(e *slos.EnvPlan) bool {
	for _, s := range e.Services {
		if len(s.Canaries) > 0 {
			return true
		}
	}
	return false
}

// Parts is how many stacks a service is split into: one when it fits,
// otherwise a first stack for the roll-ups and routing rules plus enough
// parts for the SLOs and alarms.
func Parts(svc *slos.ServicePlan) int {
	n := Resources(svc)
	if n <= MaxResources {
		return 1
	}
	return 1 + (n+MaxResources-1)/MaxResources
}

// Part is the stack (0-based) that the object with a catalog id goes to: 0
// when the service fits one stack, otherwise one of the parts after the
// first, by a hash of the id, not its position, so adding or removing one
// object moves no other object between stacks (while the count of parts holds).
func Part(id string, parts int) int {
	if parts <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return 1 + int(h.Sum32()%uint32(parts-1))
}

// Generates reports whether a service has anything to deploy; a service with
// nothing gets no stack (CloudFormation refuses an empty template).
func Generates(svc *slos.ServicePlan) bool {
	return len(svc.Alarms)+len(svc.SLOs)+len(svc.Canaries)+len(svc.RUM)+len(svc.Traces) > 0
}
