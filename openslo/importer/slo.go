package importer

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/slos"
)

// This file maps SLO objects: services, IDs, time windows, objectives and
// what the exporter kept in annotations.

// service returns the catalog service named name, creating it (from the
// Service object of that name when there is one).
func (im *importer) service(name string, from *openslo.Object) *slos.Service {
	if s := im.services[name]; s != nil {
		return s
	}
	s := &slos.Service{Name: name, Oncall: &slos.Oncall{}}
	im.services[name] = s
	im.file.Services = append(im.file.Services, s)
	if so := im.byKind[openslo.KindService][name]; so != nil {
		im.notes.AddHead(s, "from Service %s (%s)", name, where(so.Source))
		s.Description = firstNonEmpty(so.Service.Description, so.Metadata.DisplayName)
		s.Owner = owner(so.Metadata)
		s.Runbook = so.Metadata.Annotations[openslo.AnnotationRunbook]
		s.Tier, _ = strconv.Atoi(so.Metadata.Annotations[openslo.AnnotationTier])
	} else {
		im.notes.AddHead(s, "from spec.service of SLO %s (%s); the input has no Service object", from.Metadata.Name, where(from.Source))
	}
	if s.Owner == "" {
		s.Owner = owner(from.Metadata)
	}
	if s.Owner == "" {
		s.Owner = "FILL-IN"
		im.notes.AddLine(s, "owner", "%s: the owning team (OpenSLO has no owner; a label team or owner, or annotation %s, gives it)", FillIn, openslo.AnnotationOwner)
	}
	return s
}

// owner reads the owner of an object from the exporter's annotation or an
// owner or team label.
func owner(m openslo.Metadata) string {
	if v := m.Annotations[openslo.AnnotationOwner]; v != "" {
		return v
	}
	for _, k := range []string{"owner", "team"} {
		n, ok := m.Labels[k]
		if !ok {
			continue
		}
		if n.Value != "" {
			return n.Value
		}
		if len(n.Content) > 0 {
			return n.Content[0].Value
		}
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// slo maps one SLO object to one catalog SLO per objective.
func (im *importer) slo(o *openslo.Object) {
	spec := o.SLO
	n0 := len(im.probs)
	if spec.Service == "" {
		im.problem(o, "spec.service", "the SLO names no service; the catalog files every SLO under one")
		return
	}
	sli, sliField, sliFrom := im.indicator(o)
	if sli == nil {
		return
	}
	window, windowNote := im.window(o)
	method := spec.BudgetingMethod
	if len(spec.Objectives) == 0 {
		im.problem(o, "spec.objectives", "the SLO has no objective")
		return
	}
	var tiers []*slos.BurnTier
	var page, ticket []string
	for i, item := range spec.AlertPolicies {
		t, p, tk := im.policyItem(o, i, item, window)
		if t != nil {
			tiers = append(tiers, t)
		}
		page, ticket = append(page, p...), append(ticket, tk...)
	}
	var made []*slos.SLO
	for i, obj := range spec.Objectives {
		field := fmt.Sprintf("spec.objectives[%d]", i)
		x := &slos.SLO{ID: sloID(spec.Service, o.Metadata.Name), Description: spec.Description}
		if len(spec.Objectives) > 1 {
			x.ID += "-" + objectiveSlug(obj, i)
		}
		x.Goal = firstNonEmpty(o.Metadata.DisplayName, spec.Description, o.Metadata.Name)
		if obj.DisplayName != "" && len(spec.Objectives) > 1 {
			x.Goal += ": " + obj.DisplayName
		}
		im.notes.AddHead(x, "from SLO %s (%s), %s; SLI %s", o.Metadata.Name, where(o.Source), field, sliFrom)
		x.Objective = im.target(o, field, obj)
		x.Window = window
		if windowNote != "" {
			im.notes.AddLine(x, "window", "%s", windowNote)
		}
		x.SLI = im.sliFor(o, sli, sliField, method, obj, field, x)
		im.annotations(o, x)
		if len(tiers) > 0 {
			x.Alerting = &slos.Alerting{Tiers: tiers}
		} else {
			im.notes.AddLine(x, "goal", "no alert policy: the catalog's default burn-rate tiers apply")
		}
		made = append(made, x)
	}
	if len(im.probs) > n0 {
		return
	}
	svc := im.service(spec.Service, o)
	svc.SLOs = append(svc.SLOs, made...)
	svc.Oncall.Page = appendNew(svc.Oncall.Page, page...)
	svc.Oncall.Ticket = appendNew(svc.Oncall.Ticket, ticket...)
	for _, x := range made {
		im.appSignals(o, svc, x)
	}
}

func appendNew(list []string, add ...string) []string {
	for _, a := range add {
		found := false
		for _, l := range list {
			found = found || l == a
		}
		if !found {
			list = append(list, a)
		}
	}
	return list
}

// sloID is the catalog ID of an SLO: its name without the service prefix
// that exported names carry.
func sloID(service, name string) string {
	if id := strings.TrimPrefix(name, service+"-"); id != name && id != "" {
		return id
	}
	return name
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

func objectiveSlug(obj openslo.Objective, i int) string {
	if s := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(obj.DisplayName), "-"), "-"); s != "" {
		return s
	}
	return strconv.Itoa(i + 1)
}

// indicator returns the SLI of an SLO, inline or referenced, the field path
// of its spec and a phrase saying where it came from.
func (im *importer) indicator(o *openslo.Object) (*openslo.SLISpec, string, string) {
	spec := o.SLO
	switch {
	case spec.Indicator != nil && spec.IndicatorRef != "":
		im.problem(o, "spec.indicatorRef", "give indicator or indicatorRef, not both")
	case spec.Indicator != nil:
		return &spec.Indicator.Spec, "spec.indicator.spec", firstNonEmpty(spec.Indicator.Metadata.Name, "(unnamed)") + " inline"
	case spec.IndicatorRef != "":
		sli := im.byKind[openslo.KindSLI][spec.IndicatorRef]
		if sli == nil {
			im.problem(o, "spec.indicatorRef", "%s names no SLI in the input", spec.IndicatorRef)
			return nil, "", ""
		}
		return sli.SLI, "spec (SLI " + sli.Metadata.Name + ")", fmt.Sprintf("%s (%s)", sli.Metadata.Name, where(sli.Source))
	default:
		im.problem(o, "spec.indicator", "the SLO has neither indicator nor indicatorRef")
	}
	return nil, "", ""
}

// window maps the SLO's time window.
func (im *importer) window(o *openslo.Object) (*slos.Window, string) {
	tw := o.SLO.TimeWindow
	switch len(tw) {
	case 0:
		return nil, ""
	case 1:
	default:
		im.problem(o, "spec.timeWindow", "%d time windows; OpenSLO allows exactly one", len(tw))
		return nil, ""
	}
	w := tw[0]
	num, unit, ok := openslo.ParseShorthand(w.Duration)
	if !ok {
		im.problem(o, "spec.timeWindow[0].duration", "%q is not a duration shorthand (a number and one of m, h, d, w, M, Q, Y)", w.Duration)
		return nil, ""
	}
	// Neither rolling nor anchored to a calendar: read as rolling, noted.
	rolling := w.IsRolling || w.Calendar == nil
	if !rolling {
		if unit == "M" && num == 1 {
			note := ""
			if w.Calendar != nil && (w.Calendar.TimeZone != "" && w.Calendar.TimeZone != "UTC" && w.Calendar.TimeZone != "Etc/UTC" || w.Calendar.StartTime != "" && !strings.Contains(w.Calendar.StartTime, "-01 00:00:00")) {
				note = fmt.Sprintf("calendar startTime %s, timeZone %s: the catalog's calendar month starts on the 1st at 00:00 UTC", w.Calendar.StartTime, w.Calendar.TimeZone)
				im.warn(o, "spec.timeWindow[0].calendar", "%s", note)
			}
			return &slos.Window{CalendarMonth: true}, note
		}
		hint := ""
		if unit == "m" {
			hint = " (m is minutes; a month is M)"
		}
		im.problem(o, "spec.timeWindow[0].duration", "calendar-aligned window %s%s: the catalog's only calendar window is one month (1M); use 1M or a rolling window", w.Duration, hint)
		return nil, ""
	}
	var d time.Duration
	switch unit {
	case "d":
		d = time.Duration(num) * 24 * time.Hour
	case "w":
		d = time.Duration(num) * 7 * 24 * time.Hour
	default:
		im.problem(o, "spec.timeWindow[0].duration", "rolling window %s: the catalog's rolling windows are whole days from 1d to 365d", w.Duration)
		return nil, ""
	}
	if d < 24*time.Hour || d > 365*24*time.Hour {
		im.problem(o, "spec.timeWindow[0].duration", "rolling window %s: the catalog's rolling windows are whole days from 1d to 365d", w.Duration)
		return nil, ""
	}
	note := ""
	if w.Calendar == nil && !w.IsRolling {
		note = "isRolling false without calendar: read as rolling"
	}
	return &slos.Window{Rolling: d}, note
}

// target maps target or targetPercent to the catalog's objective.
func (im *importer) target(o *openslo.Object, field string, obj openslo.Objective) *slos.Percent {
	var p float64
	switch {
	case obj.Target != nil && obj.TargetPercent != nil:
		im.problem(o, field+".targetPercent", "give target or targetPercent, not both")
		return nil
	case obj.Target != nil:
		p = *obj.Target * 100
	case obj.TargetPercent != nil:
		p = *obj.TargetPercent
	default:
		im.problem(o, field+".target", "the objective has neither target nor targetPercent")
		return nil
	}
	if p <= 0 || p >= 100 {
		im.problem(o, field+".target", "target %v is out of range: it is a share above 0 and below 1 (targetPercent: above 0, below 100)", p/100)
		return nil
	}
	v := slos.Percent(openslo.Round(p))
	return &v
}

// annotations reads what the exporter kept in annotations.
func (im *importer) annotations(o *openslo.Object, x *slos.SLO) {
	a := o.Metadata.Annotations
	if v := a[openslo.AnnotationLoad]; v != "" {
		if f, err := strconv.ParseFloat(strings.TrimSuffix(v, "rps"), 64); err == nil {
			r := slos.Rate(f)
			x.Load = &r
		}
	}
	if v := a[openslo.AnnotationMinRequests]; v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			x.MinRequests = &n
		}
	}
	if v := a[openslo.AnnotationExclusions]; v != "" {
		var exs []openslo.Exclusion
		if err := json.Unmarshal([]byte(v), &exs); err != nil {
			im.problem(o, "metadata.annotations."+openslo.AnnotationExclusions, "not a JSON list of {start, duration, recurrence, reason}: %v", err)
		}
		for _, e := range exs {
			d, err := slos.ParseDuration(e.Duration)
			if err != nil {
				im.problem(o, "metadata.annotations."+openslo.AnnotationExclusions, "duration %q: %v", e.Duration, err)
				continue
			}
			dur := slos.Duration(d)
			x.Exclusions = append(x.Exclusions, &slos.Exclusion{Start: e.Start, Duration: &dur, Recurrence: e.Recurrence, Reason: e.Reason})
		}
	}
	if v := a[openslo.AnnotationWarningThreshold]; v != "" {
		if f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64); err == nil {
			p := slos.Percent(f)
			x.WarningThreshold = &p
		}
	}
}

// appSignals sets the service's Application Signals identity from an SLI
// on an operation.
func (im *importer) appSignals(o *openslo.Object, svc *slos.Service, x *slos.SLO) {
	var ms *openslo.MetricSource
	if x.SLI == nil {
		return
	}
	if (x.SLI.Latency == nil || x.SLI.Latency.Operation == "") && (x.SLI.Availability == nil || x.SLI.Availability.Operation == "") {
		return
	}
	sli, _, _ := im.indicator(o)
	switch {
	case sli.ThresholdMetric != nil:
		ms = &sli.ThresholdMetric.MetricSource
	case sli.RatioMetric != nil && sli.RatioMetric.Total != nil:
		ms = &sli.RatioMetric.Total.MetricSource
	default:
		return
	}
	var cw openslo.CloudWatchSpec
	if openslo.DecodeStrict(&ms.Spec, &cw) != nil {
		return
	}
	dims := map[string]string{}
	for _, d := range cw.Dimensions {
		dims[d.Name] = d.Value
	}
	as := &slos.AppSignalsService{Name: dims["Service"], Environment: dims["Environment"]}
	if svc.ApplicationSignals == nil {
		svc.ApplicationSignals = as
		im.notes.AddLine(svc, "applicationSignals", "from the Service and Environment dimensions of SLO %s", o.Metadata.Name)
	} else if svc.ApplicationSignals.Name != as.Name || svc.ApplicationSignals.Environment != as.Environment {
		im.problem(o, "spec.indicator", "Application Signals service %s in %s, but service %s is %s in %s: one service has one identity", as.Name, as.Environment, svc.Name, svc.ApplicationSignals.Name, svc.ApplicationSignals.Environment)
	}
}
