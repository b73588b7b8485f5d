// Package cost estimates the monthly AWS bill of what a catalog's plan
// synthesizes: CloudWatch alarms by kind, Application Signals SLOs,
// Synthetics canary runs, RUM events, X-Ray Insights, and the EventBridge
// and SNS deliveries of alarm routing. It reads only the plan (package
// slos) and links no CDK; what each plan object becomes is counted here the
// way package constructs builds it, and a test holds the count to the
// golden templates.
package cost

import (
	"fmt"
	"time"

	"github.com/slocatalog/slocatalog/metrics"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/plan"
)

// Alarm kinds, as a template shows them.
const (
	KindMetric    = "metric"    // AWS::CloudWatch::Alarm on one metric (MetricName)
	KindMath      = "math"      // AWS::CloudWatch::Alarm with Metrics[] (metric math)
	KindAnomaly   = "anomaly"   // AWS::CloudWatch::Alarm with ThresholdMetricId (an anomaly band)
	KindComposite = "composite" // AWS::CloudWatch::CompositeAlarm
)

// anomalyBandMetrics is how many alarm metrics CloudWatch bills for an
// anomaly-detection alarm: the metric and the band's upper and lower bound.
const anomalyBandMetrics = 3

// maxRuleAlarms mirrors constructs.maxRuleAlarms: a roll-up over more
// alarms than this is split into nested composites of at most this many.
const maxRuleAlarms = 50

// Alarm is one alarm that synthesis makes.
type Alarm struct {
	Name string
	Kind string
	// Metrics is how many metrics the alarm reads (MetricStat entries of a
	// metric-math or anomaly alarm; 1 for a metric alarm; 0 for a composite).
	Metrics       int
	PeriodSeconds int
	Severity      string
	// Rollup: the service's roll-up of Severity includes the alarm.
	Rollup bool
}

// BilledMetrics is how many alarm metrics CloudWatch bills for the alarm.
func (a Alarm) BilledMetrics() int {
	switch a.Kind {
	case KindComposite:
		return 0
	case KindAnomaly:
		return anomalyBandMetrics
	}
	return a.Metrics
}

// HighResolution reports whether the alarm evaluates periods shorter than a
// minute, which CloudWatch bills at the high-resolution price.
func (a Alarm) HighResolution() bool {
	return a.Kind != KindComposite && a.PeriodSeconds > 0 && a.PeriodSeconds < 60
}

// namer names a service's alarms as constructs.AlarmFactory does.
type namer struct{ org, env, service string }

func (n namer) name(id string) string { return names.AlarmName(n.org, n.env, n.service, id) }

// SLOAlarms is what constructs.NewSLO makes of an SLO besides the SLO
// itself: per burn-rate tier one metric math alarm reading both windows'
// burn rates (and the request count when minRequests guards it and the SLI's
// request count is known); and, when the SLI's source is known, a no-data
// alarm and the validated-load alarm of an SLO that states its load (metric
// math over the request count alone).
func SLOAlarms(org, env string, svc *plan.Service, x *plan.SLO) []Alarm {
	n := namer{org, env, svc.Name}
	_, known := metrics.SLISource(svc, x)
	rate, _ := metrics.RequestRate(svc, x) // the request count: one metric, or each input of a total expression
	read := 2                              // the long and the short window's burn rate
	if known && x.MinRequests > 0 {
		read += len(rate.Inputs)
	}
	var out []Alarm
	for _, t := range x.Tiers {
		out = append(out, Alarm{Name: n.name(names.TierAlarmID(x.ID, t.Name())), Kind: KindMath, Metrics: read, PeriodSeconds: 60, Severity: t.Severity, Rollup: true})
	}
	if known {
		out = append(out, Alarm{Name: n.name(x.ID + "-no-data"), Kind: KindMetric, Metrics: 1, PeriodSeconds: 300, Severity: "ticket", Rollup: true})
		if g := x.LoadGuard; g != nil && x.LoadRPS > 0 {
			// requests/PERIOD(requests): metric math over the request
			// count, one metric, or each input of a total expression.
			out = append(out, Alarm{Name: n.name(names.OverLoadID(x.ID)), Kind: KindMath, Metrics: len(rate.Inputs), PeriodSeconds: 60, Severity: g.Severity, Rollup: true})
		}
	}
	return out
}

// CatalogAlarm is what constructs.AlarmFactory.FromPlan makes of a catalog
// alarm: an anomaly band over one metric, metric math of the value and its
// sample count when minSamples guards it, or an alarm on the metric.
func CatalogAlarm(org, env string, svc *plan.Service, a *plan.Alarm) Alarm {
	out := Alarm{Name: namer{org, env, svc.Name}.name(a.ID), Kind: KindMetric, Metrics: 1, PeriodSeconds: a.PeriodSeconds, Severity: a.Severity, Rollup: true}
	switch {
	case a.Anomaly != nil:
		out.Kind = KindAnomaly
	case a.MinSamples > 0:
		out.Kind, out.Metrics = KindMath, 2
	}
	return out
}

// CanaryAlarms is constructs.NewCanary's alarms: the success rate, and the
// duration of each step with a latency budget, over periods of the
// schedule (at least a minute).
func CanaryAlarms(org, env string, svc *plan.Service, c *plan.Canary) []Alarm {
	n := namer{org, env, svc.Name}
	period := int(max(c.Schedule, time.Minute) / time.Second)
	out := []Alarm{{Name: n.name(c.Name + "-success"), Kind: KindMetric, Metrics: 1, PeriodSeconds: period, Severity: c.Severity, Rollup: true}}
	for _, st := range c.Steps {
		if st.LatencyBudget > 0 {
			out = append(out, Alarm{Name: n.name(fmt.Sprintf("%s-%s-duration", c.Name, st.Name)), Kind: KindMetric, Metrics: 1, PeriodSeconds: period, Severity: c.Severity, Rollup: true})
		}
	}
	return out
}

// RUMAlarms is constructs.NewRUM's Web Vitals alarms: one per budget set
// (LCP, INP, CLS), over 5-minute periods.
func RUMAlarms(org, env string, svc *plan.Service, r *plan.RUM) []Alarm {
	n := namer{org, env, svc.Name}
	var ids []string
	if r.LCP > 0 {
		ids = append(ids, "lcp")
	}
	if r.INP > 0 {
		ids = append(ids, "inp")
	}
	if r.CLS != nil {
		ids = append(ids, "cls")
	}
	var out []Alarm
	for _, id := range ids {
		out = append(out, Alarm{Name: n.name(r.Name + "-" + id), Kind: KindMetric, Metrics: 1, PeriodSeconds: 300, Severity: r.Severity, Rollup: true})
	}
	return out
}

// Rollup is a service's roll-up composites of one severity, as
// stacks.buildService makes them with constructs.AlarmFactory.Composite:
// none when no alarm of the severity rolls up, one OR composite over up
// to 50 children, or one part per 50 children under a top composite.
func Rollup(org, env string, svc *plan.Service, severity string, children int) []Alarm {
	if children == 0 {
		return nil
	}
	n := namer{org, env, svc.Name}
	id := names.RollupID(severity)
	var out []Alarm
	if children > maxRuleAlarms {
		for i := 0; i*maxRuleAlarms < children; i++ {
			out = append(out, Alarm{Name: n.name(fmt.Sprintf("%s-part%d", id, i+1)), Kind: KindComposite, Severity: severity})
		}
	}
	return append(out, Alarm{Name: n.name(id), Kind: KindComposite, Severity: severity})
}

// RoutingAlarms is the routing stack's one alarm: messages waiting in the
// dead-letter queue (constructs.NewRouting).
func RoutingAlarms(org, env string) []Alarm {
	return []Alarm{{Name: names.AlarmName(org, env, "routing", "dead-letters-visible"), Kind: KindMetric, Metrics: 1, PeriodSeconds: 60, Severity: "page"}}
}

// Severities are the roll-up severities, in the order stacks makes them.
var Severities = []string{"page", "ticket"}

// ServiceAlarms is every alarm of a service's stacks, the roll-ups last.
func ServiceAlarms(org, env string, svc *plan.Service) []Alarm {
	var out []Alarm
	for _, x := range svc.SLOs {
		out = append(out, SLOAlarms(org, env, svc, x)...)
	}
	for _, a := range svc.Alarms {
		out = append(out, CatalogAlarm(org, env, svc, a))
	}
	for _, c := range svc.Canaries {
		out = append(out, CanaryAlarms(org, env, svc, c)...)
	}
	for _, r := range svc.RUM {
		out = append(out, RUMAlarms(org, env, svc, r)...)
	}
	counts := map[string]int{}
	for _, a := range out {
		if a.Rollup {
			counts[a.Severity]++
		}
	}
	for _, sev := range Severities {
		out = append(out, Rollup(org, env, svc, sev, counts[sev])...)
	}
	return out
}
