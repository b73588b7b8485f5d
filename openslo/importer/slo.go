package importer

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/openslo"
	catalog "github.com/slocatalog/slocatalog/spec"
)

// This file maps SLO objects: services, IDs, time windows, objectives and
// what the exporter kept in annotations.

// service returns the catalog service named name, creating it (from the
// Service object of that name when there is one).
func (im *importer) service(name string, from *openslo.Object) *catalog.Service {
	if svc := im.services[name]; svc != nil {
		return svc
	}
	svc := &catalog.Service{Name: name, Oncall: &catalog.Oncall{}}
	im.services[name] = svc
	im.file.Services = append(im.file.Services, svc)
	if serviceObject := im.byKind[openslo.KindService][name]; serviceObject != nil {
		im.notes.AddHead(svc, "from Service %s (%s)", name, where(serviceObject.Source))
		svc.Description = cmp.Or(serviceObject.Service.Description, serviceObject.Metadata.DisplayName)
		svc.Owner = owner(serviceObject.Metadata)
		svc.Runbook = serviceObject.Metadata.Annotations[openslo.AnnotationRunbook]
		svc.Tier, _ = strconv.Atoi(serviceObject.Metadata.Annotations[openslo.AnnotationTier])
	} else {
		im.notes.AddHead(svc, "from spec.service of SLO %s (%s); the input has no Service object", from.Metadata.Name, where(from.Source))
	}
	if svc.Owner == "" {
		svc.Owner = owner(from.Metadata)
	}
	if svc.Owner == "" {
		svc.Owner = "FILL-IN"
		im.notes.AddLine(svc, "owner", "%s: the owning team (OpenSLO has no owner; a label team or owner, or annotation %s, gives it)", FillIn, openslo.AnnotationOwner)
	}
	return svc
}

// owner reads the owner of an object from the exporter's annotation or an
// owner or team label.
func owner(meta openslo.Metadata) string {
	if v := meta.Annotations[openslo.AnnotationOwner]; v != "" {
		return v
	}
	for _, key := range []string{"owner", "team"} {
		label, ok := meta.Labels[key]
		if !ok {
			continue
		}
		if label.Value != "" {
			return label.Value
		}
		if len(label.Content) > 0 {
			return label.Content[0].Value
		}
	}
	return ""
}

// slo maps one SLO object to one catalog SLO per objective.
func (im *importer) slo(object *openslo.Object) {
	spec := object.SLO
	before := len(im.probs)
	if spec.Service == "" {
		im.problem(object, "spec.service", "the SLO names no service; the catalog files every SLO under one")
		return
	}
	sli, sliField, sliFrom := im.indicator(object)
	if sli == nil {
		return
	}
	window, windowNote := im.window(object)
	method := spec.BudgetingMethod
	if len(spec.Objectives) == 0 {
		im.problem(object, "spec.objectives", "the SLO has no objective")
		return
	}
	var tiers []*catalog.BurnTier
	var page, ticket []string
	for i, item := range spec.AlertPolicies {
		tier, pageRoutes, ticketRoutes := im.policyItem(object, i, item, window)
		if tier != nil {
			tiers = append(tiers, tier)
		}
		page, ticket = append(page, pageRoutes...), append(ticket, ticketRoutes...)
	}
	var made []*catalog.SLO
	for i, objective := range spec.Objectives {
		field := fmt.Sprintf("spec.objectives[%d]", i)
		catalogSLO := &catalog.SLO{ID: sloID(spec.Service, object.Metadata.Name), Description: spec.Description}
		if len(spec.Objectives) > 1 {
			catalogSLO.ID += "-" + objectiveSlug(objective, i)
		}
		catalogSLO.Goal = cmp.Or(object.Metadata.DisplayName, spec.Description, object.Metadata.Name)
		if objective.DisplayName != "" && len(spec.Objectives) > 1 {
			catalogSLO.Goal += ": " + objective.DisplayName
		}
		im.notes.AddHead(catalogSLO, "from SLO %s (%s), %s; SLI %s", object.Metadata.Name, where(object.Source), field, sliFrom)
		catalogSLO.Objective = im.target(object, field, objective)
		catalogSLO.Window = window
		if windowNote != "" {
			im.notes.AddLine(catalogSLO, "window", "%s", windowNote)
		}
		catalogSLO.SLI = im.sliFor(object, sli, sliField, method, objective, field, catalogSLO)
		im.annotations(object, catalogSLO)
		if len(tiers) > 0 {
			catalogSLO.Alerting = &catalog.Alerting{Tiers: tiers}
		} else {
			im.notes.AddLine(catalogSLO, "goal", "no alert policy: the catalog's default burn-rate tiers apply")
		}
		made = append(made, catalogSLO)
	}
	if len(im.probs) > before {
		return
	}
	svc := im.service(spec.Service, object)
	svc.SLOs = append(svc.SLOs, made...)
	svc.Oncall.Page = appendNew(svc.Oncall.Page, page...)
	svc.Oncall.Ticket = appendNew(svc.Oncall.Ticket, ticket...)
	for _, catalogSLO := range made {
		im.appSignals(object, svc, catalogSLO)
	}
}

// appendNew appends the items of add that list does not hold yet.
func appendNew(list []string, add ...string) []string {
	for _, item := range add {
		if !slices.Contains(list, item) {
			list = append(list, item)
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

func objectiveSlug(objective openslo.Objective, index int) string {
	if slug := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(objective.DisplayName), "-"), "-"); slug != "" {
		return slug
	}
	return strconv.Itoa(index + 1)
}

// indicator returns the SLI of an SLO, inline or referenced, the field path
// of its spec and a phrase saying where it came from.
func (im *importer) indicator(object *openslo.Object) (*openslo.SLISpec, string, string) {
	spec := object.SLO
	switch {
	case spec.Indicator != nil && spec.IndicatorRef != "":
		im.problem(object, "spec.indicatorRef", "give indicator or indicatorRef, not both")
	case spec.Indicator != nil:
		return &spec.Indicator.Spec, "spec.indicator.spec", cmp.Or(spec.Indicator.Metadata.Name, "(unnamed)") + " inline"
	case spec.IndicatorRef != "":
		sli := im.byKind[openslo.KindSLI][spec.IndicatorRef]
		if sli == nil {
			im.problem(object, "spec.indicatorRef", "%s names no SLI in the input", spec.IndicatorRef)
			return nil, "", ""
		}
		return sli.SLI, "spec (SLI " + sli.Metadata.Name + ")", fmt.Sprintf("%s (%s)", sli.Metadata.Name, where(sli.Source))
	default:
		im.problem(object, "spec.indicator", "the SLO has neither indicator nor indicatorRef")
	}
	return nil, "", ""
}

// window maps the SLO's time window.
func (im *importer) window(object *openslo.Object) (*catalog.Window, string) {
	windows := object.SLO.TimeWindow
	switch len(windows) {
	case 0:
		return nil, ""
	case 1:
	default:
		im.problem(object, "spec.timeWindow", "%d time windows; OpenSLO allows exactly one", len(windows))
		return nil, ""
	}
	timeWindow := windows[0]
	count, unit, ok := openslo.ParseShorthand(timeWindow.Duration)
	if !ok {
		im.problem(object, "spec.timeWindow[0].duration", "%q is not a duration shorthand (a number and one of m, h, d, w, M, Q, Y)", timeWindow.Duration)
		return nil, ""
	}
	// Neither rolling nor anchored to a calendar: read as rolling, noted.
	rolling := timeWindow.IsRolling || timeWindow.Calendar == nil
	if !rolling {
		if unit == "M" && count == 1 {
			note := ""
			if timeWindow.Calendar != nil && (timeWindow.Calendar.TimeZone != "" && timeWindow.Calendar.TimeZone != "UTC" && timeWindow.Calendar.TimeZone != "Etc/UTC" || timeWindow.Calendar.StartTime != "" && !strings.Contains(timeWindow.Calendar.StartTime, "-01 00:00:00")) {
				note = fmt.Sprintf("calendar startTime %s, timeZone %s: the catalog's calendar month starts on the 1st at 00:00 UTC", timeWindow.Calendar.StartTime, timeWindow.Calendar.TimeZone)
				im.warn(object, "spec.timeWindow[0].calendar", "%s", note)
			}
			return &catalog.Window{CalendarMonth: true}, note
		}
		hint := ""
		if unit == "m" {
			hint = " (m is minutes; a month is M)"
		}
		im.problem(object, "spec.timeWindow[0].duration", "calendar-aligned window %s%s: the catalog's only calendar window is one month (1M); use 1M or a rolling window", timeWindow.Duration, hint)
		return nil, ""
	}
	var length time.Duration
	switch unit {
	case "d":
		length = time.Duration(count) * 24 * time.Hour
	case "w":
		length = time.Duration(count) * 7 * 24 * time.Hour
	default:
		im.problem(object, "spec.timeWindow[0].duration", "rolling window %s: the catalog's rolling windows are whole days from 1d to 365d", timeWindow.Duration)
		return nil, ""
	}
	if length < 24*time.Hour || length > 365*24*time.Hour {
		im.problem(object, "spec.timeWindow[0].duration", "rolling window %s: the catalog's rolling windows are whole days from 1d to 365d", timeWindow.Duration)
		return nil, ""
	}
	note := ""
	if timeWindow.Calendar == nil && !timeWindow.IsRolling {
		note = "isRolling false without calendar: read as rolling"
	}
	return &catalog.Window{Rolling: length}, note
}

// target maps target or targetPercent to the catalog's objective.
func (im *importer) target(object *openslo.Object, field string, objective openslo.Objective) *catalog.Percent {
	var percent float64
	switch {
	case objective.Target != nil && objective.TargetPercent != nil:
		im.problem(object, field+".targetPercent", "give target or targetPercent, not both")
		return nil
	case objective.Target != nil:
		percent = *objective.Target * 100
	case objective.TargetPercent != nil:
		percent = *objective.TargetPercent
	default:
		im.problem(object, field+".target", "the objective has neither target nor targetPercent")
		return nil
	}
	if percent <= 0 || percent >= 100 {
		im.problem(object, field+".target", "target %v is out of range: it is a share above 0 and below 1 (targetPercent: above 0, below 100)", percent/100)
		return nil
	}
	value := catalog.Percent(openslo.Round(percent))
	return &value
}

// annotations reads what the exporter kept in annotations.
func (im *importer) annotations(object *openslo.Object, catalogSLO *catalog.SLO) {
	annotations := object.Metadata.Annotations
	if value := annotations[openslo.AnnotationLoad]; value != "" {
		if number, err := strconv.ParseFloat(strings.TrimSuffix(value, "rps"), 64); err == nil {
			rate := catalog.Rate(number)
			catalogSLO.Load = &rate
		}
	}
	if value := annotations[openslo.AnnotationMinRequests]; value != "" {
		if count, err := strconv.Atoi(value); err == nil {
			catalogSLO.MinRequests = &count
		}
	}
	if value := annotations[openslo.AnnotationExclusions]; value != "" {
		var exclusions []openslo.Exclusion
		if err := json.Unmarshal([]byte(value), &exclusions); err != nil {
			im.problem(object, "metadata.annotations."+openslo.AnnotationExclusions, "not a JSON list of {start, duration, recurrence, reason}: %v", err)
		}
		for _, exclusion := range exclusions {
			length, err := catalog.ParseDuration(exclusion.Duration)
			if err != nil {
				im.problem(object, "metadata.annotations."+openslo.AnnotationExclusions, "duration %q: %v", exclusion.Duration, err)
				continue
			}
			duration := catalog.Duration(length)
			catalogSLO.Exclusions = append(catalogSLO.Exclusions, &catalog.Exclusion{Start: exclusion.Start, Duration: &duration, Recurrence: exclusion.Recurrence, Reason: exclusion.Reason})
		}
	}
	if value := annotations[openslo.AnnotationWarningThreshold]; value != "" {
		if number, err := strconv.ParseFloat(strings.TrimSuffix(value, "%"), 64); err == nil {
			percent := catalog.Percent(number)
			catalogSLO.WarningThreshold = &percent
		}
	}
}

// appSignals sets the service's Application Signals identity from an SLI
// on an operation.
func (im *importer) appSignals(object *openslo.Object, svc *catalog.Service, catalogSLO *catalog.SLO) {
	var source *openslo.MetricSource
	if catalogSLO.SLI == nil {
		return
	}
	if (catalogSLO.SLI.Latency == nil || catalogSLO.SLI.Latency.Operation == "") && (catalogSLO.SLI.Availability == nil || catalogSLO.SLI.Availability.Operation == "") {
		return
	}
	sli, _, _ := im.indicator(object)
	switch {
	case sli.ThresholdMetric != nil:
		source = &sli.ThresholdMetric.MetricSource
	case sli.RatioMetric != nil && sli.RatioMetric.Total != nil:
		source = &sli.RatioMetric.Total.MetricSource
	default:
		return
	}
	var cloudWatch openslo.CloudWatchSpec
	if openslo.DecodeStrict(&source.Spec, &cloudWatch) != nil {
		return
	}
	dims := map[string]string{}
	for _, dim := range cloudWatch.Dimensions {
		dims[dim.Name] = dim.Value
	}
	identity := &catalog.AppSignalsService{Name: dims["Service"], Environment: dims["Environment"]}
	if svc.ApplicationSignals == nil {
		svc.ApplicationSignals = identity
		im.notes.AddLine(svc, "applicationSignals", "from the Service and Environment dimensions of SLO %s", object.Metadata.Name)
	} else if svc.ApplicationSignals.Name != identity.Name || svc.ApplicationSignals.Environment != identity.Environment {
		im.problem(object, "spec.indicator", "Application Signals service %s in %s, but service %s is %s in %s: one service has one identity", identity.Name, identity.Environment, svc.Name, svc.ApplicationSignals.Name, svc.ApplicationSignals.Environment)
	}
}
