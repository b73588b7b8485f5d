// Package generated says what the CDK app makes from a plan, without linking
// the CDK: the CloudWatch alarms each catalog object makes (by name and
// severity), the service roll-ups they join, and the stack that holds each
// object. slocat diff and slocat report read it; the constructs and stacks
// packages are the reference, and test/report holds the two to each other.
package generated

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/internal/shard"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// Alarm is one CloudWatch alarm a catalog object makes.
type Alarm struct {
	Name     string // CloudWatch alarm name (names.AlarmName)
	Severity string // page or ticket
	// Rollup says whether the service's roll-up of Severity includes the
	// alarm (every alarm a catalog object makes today).
	Rollup bool
	What   string // what fires it, for people
}

// Object is a catalog object of a service together with what it makes.
type Object struct {
	Kind   string // slo, alarm, canary, rum, trace
	ID     string // the id or name in the catalog
	Alarms []Alarm
}

// Kinds of catalog objects, in the order they are listed.
const (
	KindSLO    = "slo"
	KindAlarm  = "alarm"
	KindCanary = "canary"
	KindRUM    = "rum"
	KindTrace  = "trace"
)

// Severities in the order their roll-ups are made.
var Severities = []string{"page", "ticket"}

// SLOAlarms are the alarms of an SLO: per burn-rate tier one alarm on both
// windows above the tier's factor (which the roll-up of the tier's severity
// includes), a no-data alarm raised as a ticket, and the validated-load alarm of an
// SLO that states its load (constructs.NewSLO).
func SLOAlarms(org, env, service string, x *plan.SLO) []Alarm {
	name := func(id string) string { return names.AlarmName(org, env, service, id) }
	var out []Alarm
	for _, t := range x.Tiers {
		out = append(out, Alarm{Name: name(names.TierAlarmID(x.ID, t.Name())), Severity: t.Severity, Rollup: true,
			What: fmt.Sprintf("burn rate > %s over both %s and %s", Num(Round(t.Factor, 4)), spec.FormatDuration(t.Long), spec.FormatDuration(t.Short))})
	}
	out = append(out, Alarm{Name: name(x.ID + "-no-data"), Severity: "ticket", Rollup: true, What: "no SLI data for 15 minutes"})
	if g := x.LoadGuard; g != nil {
		out = append(out, Alarm{Name: name(names.OverLoadID(x.ID)), Severity: g.Severity, Rollup: true,
			What: fmt.Sprintf("traffic above the validated load of %s rps for %s", Thousands(x.LoadRPS), spec.FormatDuration(g.For))})
	}
	return out
}

// CatalogAlarm is the one alarm of a catalog alarm (constructs.FromPlan).
func CatalogAlarm(org, env, service string, a *plan.Alarm) []Alarm {
	return []Alarm{{Name: names.AlarmName(org, env, service, a.ID), Severity: a.Severity, Rollup: true, What: "the catalog alarm"}}
}

// CanaryAlarms are a canary's success-rate alarm and one duration alarm per
// step with a latency budget (constructs.NewCanary).
func CanaryAlarms(org, env, service string, c *plan.Canary) []Alarm {
	out := []Alarm{{Name: names.AlarmName(org, env, service, c.Name+"-success"), Severity: c.Severity, Rollup: true, What: "success below 90%"}}
	steps := slices.Clone(c.Steps)
	slices.SortStableFunc(steps, func(a, b plan.CanaryStep) int { return strings.Compare(a.Name, b.Name) })
	for _, st := range steps {
		if st.LatencyBudget > 0 {
			out = append(out, Alarm{Name: names.AlarmName(org, env, service, fmt.Sprintf("%s-%s-duration", c.Name, st.Name)), Severity: c.Severity, Rollup: true,
				What: "step " + st.Name + " over " + spec.FormatDuration(st.LatencyBudget)})
		}
	}
	return out
}

// RUMAlarms are a RUM monitor's Web Vitals alarms, one per budget set
// (constructs.NewRUM).
func RUMAlarms(org, env, service string, r *plan.RUM) []Alarm {
	var out []Alarm
	add := func(id, what string) {
		out = append(out, Alarm{Name: names.AlarmName(org, env, service, r.Name+"-"+id), Severity: r.Severity, Rollup: true, What: what})
	}
	if r.LCP > 0 {
		add("lcp", fmt.Sprintf("LCP %s over %s", r.Percentile, formatMillis(r.LCP)))
	}
	if r.INP > 0 {
		add("inp", fmt.Sprintf("INP %s over %s", r.Percentile, formatMillis(r.INP)))
	}
	if r.CLS != nil {
		add("cls", fmt.Sprintf("CLS %s over %s", r.Percentile, Num(*r.CLS)))
	}
	return out
}

// Objects lists every catalog object of a service in an environment with
// the alarms it makes: SLOs, alarms, canaries, RUM monitors and trace
// groups, each kind in the plan's order (by id).
func Objects(org, env string, svc *plan.Service) []Object {
	out := make([]Object, 0, len(svc.SLOs)+len(svc.Alarms)+len(svc.Canaries)+len(svc.RUM)+len(svc.Traces))
	for _, x := range svc.SLOs {
		out = append(out, Object{KindSLO, x.ID, SLOAlarms(org, env, svc.Name, x)})
	}
	for _, a := range svc.Alarms {
		out = append(out, Object{KindAlarm, a.ID, CatalogAlarm(org, env, svc.Name, a)})
	}
	for _, c := range svc.Canaries {
		out = append(out, Object{KindCanary, c.Name, CanaryAlarms(org, env, svc.Name, c)})
	}
	for _, r := range svc.RUM {
		out = append(out, Object{KindRUM, r.Name, RUMAlarms(org, env, svc.Name, r)})
	}
	for _, t := range svc.Traces {
		out = append(out, Object{KindTrace, t.Name, nil})
	}
	return out
}

// Rollups are the roll-up alarms of a service: one per severity that at
// least one rolled-up alarm has (stacks.buildService). EventBridge routes
// each to the service's routes of its severity.
func Rollups(org, env string, svc *plan.Service, objects []Object) []Alarm {
	has := map[string]bool{}
	for _, o := range objects {
		for _, a := range o.Alarms {
			if a.Rollup {
				has[a.Severity] = true
			}
		}
	}
	var out []Alarm
	for _, sev := range Severities {
		if has[sev] {
			out = append(out, Alarm{Name: names.AlarmName(org, env, svc.Name, names.RollupID(sev)), Severity: sev, What: "any " + sev + " alarm of " + svc.Name})
		}
	}
	return out
}

// Routes are the service's route ids of a severity.
func Routes(svc *plan.Service, severity string) []string {
	if severity == "page" {
		return svc.Page
	}
	return svc.Ticket
}

// maxResources is how many resources a generated stack may hold
// (stacks.MaxResources).
const maxResources = 400

// resources estimates how many resources a service makes (stacks.Resources).
func resources(svc *plan.Service) int {
	n := 0
	for _, x := range svc.SLOs {
		n += 2 + 3*len(x.Tiers)
	}
	for _, a := range svc.Alarms {
		n++
		if a.Anomaly != nil {
			n++
		}
	}
	for _, c := range svc.Canaries {
		n += 3
		for _, st := range c.Steps {
			if st.LatencyBudget > 0 {
				n++
			}
		}
	}
	n += 7 * len(svc.RUM)
	for _, t := range svc.Traces {
		n++
		if t.Sampling != nil {
			n++
		}
	}
	return n + 2*(1+2)
}

// Generates reports whether the service makes a stack at all: a service
// with no object makes none (stacks.Generates).
func Generates(svc *plan.Service) bool {
	return len(svc.Alarms)+len(svc.SLOs)+len(svc.Canaries)+len(svc.RUM)+len(svc.Traces) > 0
}

// Parts is how many stacks a service is split into (stacks.Parts).
func Parts(svc *plan.Service) int {
	return max(1, (resources(svc)+maxResources-1)/maxResources)
}

// Stacks are the names of a service's stacks: the service stack, then its
// parts in deploy order. The last holds the roll-ups and routing rules.
func Stacks(org, env string, svc *plan.Service) []string {
	if !Generates(svc) {
		return nil
	}
	name := names.ServiceStackName(org, env, svc.Name)
	out := []string{name}
	for i := 2; i <= Parts(svc); i++ {
		out = append(out, fmt.Sprintf("%s-part%d", name, i))
	}
	return out
}

// StackOf is the stack that holds the object with the id (an SLO or alarm
// id, a canary, RUM monitor or trace group name), among the stacks of
// Stacks.
func StackOf(stacks []string, id string) string {
	if len(stacks) == 0 {
		return ""
	}
	return stacks[shard.Jump(id, len(stacks))]
}

// formatMillis renders a Web Vitals budget: 2500 ms as 2.5s, 200 ms as 200ms.
func formatMillis(d time.Duration) string {
	if d%time.Second == 0 || d >= time.Second {
		return Num(d.Seconds()) + "s"
	}
	return Num(float64(d.Milliseconds())) + "ms"
}
