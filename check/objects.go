package check

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/spec"
)

// alarmTiming checks period, evaluation periods and datapoints against the
// limits of PutMetricAlarm:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
// Period is 10, 20, 30 or a multiple of 60 seconds; period × evaluation
// periods is at most one day for periods under an hour and at most 7 days
// otherwise; DatapointsToAlarm ≤ EvaluationPeriods.
//
// Here each value is checked as written; the span and M ≤ N compare
// effective values, which cascade from defaults, so the planner checks them
// once per alarm (CheckAlarmSpan, CheckAlarmDatapoints).
func (v *validator) alarmTiming(m spec.Meta, period *spec.Duration, eval, dta *int) {
	if period != nil && !spec.ValidAlarmPeriod(period.D()) {
		v.errf(m.Val("period"), diag.CheckAlarmPeriod, "CloudWatch alarms take periods of 10s, 20s, 30s or a multiple of 60s", "period %s is not a valid alarm period", period)
	}
	if eval != nil && *eval < 1 {
		v.errf(m.Val("evaluationPeriods"), diag.CheckAlarmDatapoints, "", "evaluationPeriods must be at least 1")
	}
	if dta != nil && *dta < 1 {
		v.errf(m.Val("datapointsToAlarm"), diag.CheckAlarmDatapoints, "", "datapointsToAlarm must be at least 1")
	}
}

func (v *validator) alarm(a *spec.Alarm) {
	v.metric(a.Metric)
	v.alarmTiming(a.Meta, a.Period, a.EvaluationPeriods, a.DatapointsToAlarm)
	switch {
	case a.Threshold != nil && a.Anomaly != nil:
		v.errf(a.Key("anomaly"), diag.CheckAlarmKind, "an alarm compares with a static threshold or an anomaly band; make two alarms", "threshold and anomaly cannot both be set")
	case a.Threshold == nil && a.Anomaly == nil && a.ID != "":
		v.errf(a.Pos, diag.CheckAlarmKind, "add threshold: (e.g. 300ms) or anomaly: {band: 2}", "alarm %q has neither threshold nor anomaly", a.ID)
	}
	if a.Threshold != nil {
		v.threshold(a.Meta, a.Threshold, a.Metric)
	}
	if a.Anomaly != nil {
		if a.Comparison != "" {
			v.errf(a.Val("comparison"), diag.CheckAlarmKind, "set anomaly.direction: upper, lower or both", "comparison applies to static thresholds")
		}
		if b := a.Anomaly.Band; b != nil && (*b <= 0 || *b > 100) {
			v.errf(a.Anomaly.Val("band"), diag.CheckRange, "a band of 2 standard deviations is usual", "band %g is out of range", *b)
		}
	}
	if a.MinSamples != nil {
		v.minCount(a.Meta, "minSamples", a.MinSamples)
	}
}

func (v *validator) schedule(m spec.Meta, sched, timeout *spec.Duration) {
	if sched != nil && !spec.ValidSchedule(sched.D()) {
		v.errf(m.Val("schedule"), diag.CheckCanarySchedule, "run a journey at least hourly: 1m to 60m in whole minutes", "schedule %s is out of range", sched)
	}
	if timeout != nil && !spec.ValidCanaryTimeout(timeout.D()) {
		v.errf(m.Val("timeout"), diag.CheckCanaryTimeout, "use 3s to 14m", "timeout %s is out of range", timeout)
	}
	// Timeout against schedule is a check on effective values: the planner runs it.
}

func (v *validator) canary(c *spec.Canary) {
	if c.Name != "" && !canaryNameRE.MatchString(c.Name) {
		v.errf(c.Val("name"), diag.CheckCanaryName, "canary names are 1-255 lower-case letters, digits, _ and -", "canary name %q breaks the AWS pattern", c.Name)
	}
	v.schedule(c.Meta, c.Schedule, c.Timeout)
	if c.Meta.Has("steps") && len(c.Steps) == 0 {
		v.errf(c.Val("steps"), diag.CheckCanarySteps, "", "canary %q has no steps", c.Name)
	}
	for _, st := range c.Steps {
		if st.URL != "" {
			u, err := url.Parse(spec.RefsForSyntax(st.URL))
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				v.errf(st.Val("url"), diag.CheckCanaryURL, "write an absolute http:// or https:// URL", "%q is not an absolute URL", st.URL)
			}
		}
		if st.Meta.Has("expectStatus") && !v.decodeFailed(st.Val("expectStatus")) && (st.ExpectStatus < 100 || st.ExpectStatus > 599) {
			v.errf(st.Val("expectStatus"), diag.CheckCanaryStatus, "", "expectStatus %d is not an HTTP status", st.ExpectStatus)
		}
		if b := st.LatencyBudget; b != nil && b.D() <= 0 {
			v.errf(st.Val("latencyBudget"), diag.CheckRange, "", "latencyBudget must be above zero")
		}
		if st.Body != "" && !v.decodeFailed(st.Val("method")) && (st.Method == "" || st.Method == "GET" || st.Method == "HEAD") {
			v.errf(st.Val("body"), diag.CheckCanaryBody, "set method: POST (or PUT, PATCH)", "a %s request has no body", cmp.Or(st.Method, "GET"))
		}
		for h := range st.Headers {
			if l := strings.ToLower(h); l == "authorization" || l == "x-api-key" || strings.Contains(l, "token") {
				v.errf(st.MapKey("headers", h), diag.CheckCanarySecret, "read credentials from Secrets Manager in a custom script; never write them in the catalog", "header %q carries a credential", h)
			}
		}
	}
}

func (v *validator) rum(r *spec.RUMMonitor) {
	if r.Name != "" && !rumNameRE.MatchString(r.Name) {
		v.errf(r.Val("name"), diag.CheckRUMName, "letters, digits and ._-/#, at most 255", "app monitor name %q is not valid", r.Name)
	}
	// 1 to 5 domains: https://docs.aws.amazon.com/cloudwatchrum/latest/APIReference/API_CreateAppMonitor.html
	if r.Meta.Has("domains") && (len(r.Domains) < 1 || len(r.Domains) > 5) {
		v.errf(r.Val("domains"), diag.CheckRUMDomains, "an app monitor covers 1 to 5 domains; use *.example.com or a second monitor", "%d domains; an app monitor takes 1 to 5", len(r.Domains))
	}
	for i, d := range r.Domains {
		switch {
		case strings.Contains(d, "://"):
			v.errf(r.Item("domains", i), diag.CheckRUMDomains, fmt.Sprintf("write %q", strings.SplitN(strings.SplitN(d, "://", 2)[1], "/", 2)[0]), "domain %q has a scheme", d)
		case !domainRE.MatchString(spec.RefsForSyntax(d)):
			v.errf(r.Item("domains", i), diag.CheckRUMDomains, "a host name such as www.example.com or *.example.com, without path or port", "%q is not a domain", d)
		}
	}
	if s := r.SampleRate; s != nil && (*s < 0 || *s > 1) {
		v.errf(r.Val("sampleRate"), diag.CheckRUMSampleRate, "a share of sessions from 0 to 1, e.g. 0.1 for 10%", "sampleRate %g is out of range 0-1", *s)
	}
	if b := r.Budgets; b != nil {
		if b.CLS != nil && *b.CLS < 0 {
			v.errf(b.Val("cls"), diag.CheckRange, "", "cls budget must not be negative")
		}
		for k, d := range map[string]*spec.Duration{"lcp": b.LCP, "inp": b.INP} {
			if d != nil && d.D() <= 0 {
				v.errf(b.Val(k), diag.CheckRange, "", "%s budget must be above zero", k)
			}
		}
	}
}

func (v *validator) trace(t *spec.TraceGroup) {
	// Group name 1-32 characters: https://docs.aws.amazon.com/xray/latest/api/API_CreateGroup.html
	if t.Name != "" && len(t.Name) > 32 {
		v.errf(t.Val("name"), diag.CheckXRayName, "X-Ray group names are at most 32 characters", "group name %q is %d characters", t.Name, len(t.Name))
	}
	if t.Filter != "" {
		if msg, hint, off := filterProblem(spec.RefsForSyntax(t.Filter)); msg != "" {
			p := t.Val("filter")
			if p.Len > 1 && off >= 0 && !strings.ContainsRune(t.Filter, '\n') {
				shift := off
				if p.Len == len([]rune(t.Filter))+2 {
					shift++ // quoted scalar
				}
				p.Col += shift
				p.Len = 1
			}
			if hint == "" {
				hint = "see the X-Ray filter expression syntax"
			}
			v.errf(p, diag.CheckXRayFilter, hint, "filter expression: %s", msg)
		}
	}
	if t.Notifications && !t.Insights {
		v.errf(t.Val("notifications"), diag.CheckXRayInsights, "set insights: true", "notifications need insights")
	}
	if s := t.Sampling; s != nil {
		if s.Rate < 0 || s.Rate > 1 {
			v.errf(s.Val("rate"), diag.CheckXRaySampling, "", "rate %g is out of range 0-1", s.Rate)
		}
		if s.Reservoir < 0 {
			v.errf(s.Val("reservoir"), diag.CheckXRaySampling, "", "reservoir must not be negative")
		}
		if s.Meta.Has("priority") && (s.Priority < 1 || s.Priority > 9999) {
			v.errf(s.Val("priority"), diag.CheckXRaySampling, "", "priority %d is out of range 1-9999", s.Priority)
		}
	}
}

// override checks an environment override: its key names an SLO, alarm or
// canary, every value it sets passes the checks the value passes where it
// is declared, and every value it sets has an effect on that object.
func (v *validator) override(e *spec.Environment, key string, o *spec.Override) {
	svc, id, ok := strings.Cut(key, "/")
	p := e.MapKey("overrides", key)
	if !ok {
		v.errf(p, diag.CheckReference, "write service/id, e.g. catalog-browse/browse-latency", "override key %q is not service/id", key)
		return
	}
	s, found := v.svcs[svc]
	if !found && v.partial {
		return // the service may be in the file that did not parse
	}
	if !found {
		v.errf(p, diag.CheckReference, diag.DidYouMeanOr(svc, slices.Sorted(maps.Keys(v.svcs)), ""), "override %q names service %q, which does not exist", key, svc)
		return
	}
	var ids []string
	for _, x := range s.SLOs {
		ids = append(ids, x.ID)
		if x.ID == id {
			latency := x.SLI != nil && x.SLI.Latency != nil
			v.overrideValues(key, "SLO", o, map[string]bool{"threshold": latency, "objective": true, "minRequests": true})
			return
		}
	}
	for _, x := range s.Alarms {
		ids = append(ids, x.ID)
		if x.ID == id {
			v.overrideValues(key, "alarm", o, map[string]bool{"threshold": x.Anomaly == nil, "severity": true})
			return
		}
	}
	for _, x := range s.Canaries {
		ids = append(ids, x.Name)
		if x.Name == id {
			v.overrideValues(key, "canary", o, map[string]bool{"severity": true})
			return
		}
	}
	v.errf(p, diag.CheckReference, diag.DidYouMeanOr(id, ids, ""), "override %q names %q, which is not an SLO, alarm or canary of %s", key, id, svc)
}

// overrideValues checks the values an override sets on an object of the
// given kind; applies says which keys have an effect on it.
func (v *validator) overrideValues(key, kind string, o *spec.Override, applies map[string]bool) {
	if o == nil {
		return
	}
	for _, k := range []string{"threshold", "objective", "minRequests", "severity"} {
		if !o.Meta.Has(k) || applies[k] {
			continue
		}
		hint := fmt.Sprintf("remove it; an override of a %s takes %s", kind, strings.Join(appliedKeys(applies), ", "))
		if k == "threshold" && kind == "SLO" {
			hint = "an availability SLO has no threshold: override objective, or remove it"
		} else if k == "threshold" {
			hint = "an anomaly alarm has no threshold: remove it, or override the band on the alarm"
		}
		v.errf(o.Key(k), diag.CheckOverride, hint, "override %q sets %s, which has no effect on %s %s", key, k, kind, key)
	}
	v.objective(o.Meta, o.Objective)
	v.minCount(o.Meta, "minRequests", o.MinRequests)
	if t := o.Threshold; t != nil && t.IsDur && t.Dur <= 0 {
		v.errf(o.Val("threshold"), diag.CheckRange, "", "threshold %s must be above zero", t)
	}
}

// appliedKeys is the keys of applies that are true, in name order.
func appliedKeys(applies map[string]bool) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(applies)) {
		if applies[k] {
			out = append(out, k)
		}
	}
	out = append(out, "disabled")
	return out
}
