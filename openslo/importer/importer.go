package importer

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/openslo/catalogyaml"
	"github.com/slocatalog/slocatalog/slos"
)

// FillIn marks, in a comment, a value the user must replace.
const FillIn = "FILL IN"

// Env is an environment of the imported catalog.
type Env struct{ Name, Account, Region string }

// Options configure Import.
type Options struct {
	Org  string // org name; default "openslo"
	Envs []Env  // environments; default one placeholder, flagged
	Map  *Map   // CloudWatch metrics for foreign metric sources
}

// Result is an imported catalog: the file and the comments that say where
// each value came from and what the user must fill in.
type Result struct {
	File     *slos.File
	Comments catalogyaml.Comments
	Warnings openslo.Problems // what was dropped or approximated; also in the comments
}

// importer holds the state of one Import.
type importer struct {
	opt          Options
	byKind       map[string]map[string]*openslo.Object
	probs        openslo.Problems
	warnings     openslo.Problems
	notes        catalogyaml.Comments
	file         *slos.File
	services     map[string]*slos.Service
	routes       map[string]*slos.Route
	regions      map[string]bool
	usedPolicies map[string]bool
	// checkingUnused is set while an alert policy no SLO uses is checked.
	checkingUnused bool
}

// Import maps OpenSLO objects to one catalog file. It returns every problem
// at once; with problems the result holds only the warnings.
func Import(objs []*openslo.Object, opt Options) (*Result, openslo.Problems) {
	im := &importer{
		opt: opt, byKind: map[string]map[string]*openslo.Object{}, notes: catalogyaml.Comments{},
		file: &slos.File{}, services: map[string]*slos.Service{}, routes: map[string]*slos.Route{},
		regions: map[string]bool{}, usedPolicies: map[string]bool{},
	}
	for _, o := range objs {
		m := im.byKind[o.Kind]
		if m == nil {
			m = map[string]*openslo.Object{}
			im.byKind[o.Kind] = m
		}
		if prev := m[o.Metadata.Name]; prev != nil {
			im.problem(o, "metadata.name", "a %s named %s is also in %s (document %d)", o.Kind, o.Metadata.Name, prev.Source.File, prev.Source.Document)
			continue
		}
		m[o.Metadata.Name] = o
	}
	nSLO := 0
	for _, o := range objs {
		if o.SLO != nil {
			nSLO++
			im.slo(o)
		}
	}
	for _, o := range objs {
		if o.Policy != nil && !im.usedPolicies[o.Metadata.Name] {
			// Check it anyway, so that its broken references are reported.
			// It is left out, so what is wrong with it is a warning.
			n := len(im.probs)
			im.checkingUnused = true
			im.policy(o.Source, label(o), "", label(o), o.Policy, nil)
			im.checkingUnused = false
			im.warn(o, "", "no SLO refers to this alert policy; it is left out")
			im.warnings = append(im.warnings, im.probs[n:]...)
			im.probs = im.probs[:n]
		}
	}
	if nSLO == 0 && len(objs) > 0 {
		im.probs = append(im.probs, openslo.Problem{Source: openslo.Source{File: objs[0].Source.File}, Message: "the input has no SLO: there is nothing to put in a catalog"})
	} else if len(objs) == 0 {
		im.probs = append(im.probs, openslo.Problem{Message: "the input has no OpenSLO object"})
	}
	if im.opt.Map != nil {
		for _, e := range im.opt.Map.Queries {
			if !e.used {
				im.warnings = append(im.warnings, openslo.Problem{Source: openslo.Source{File: im.opt.Map.File, Line: e.line}, Message: "this --map entry matches no metric source"})
			}
		}
	}
	im.probs, im.warnings = dedupe(im.probs), dedupe(im.warnings)
	if len(im.probs) > 0 {
		return &Result{Warnings: im.warnings}, im.probs
	}
	im.finish()
	return &Result{File: im.file, Comments: im.notes, Warnings: im.warnings}, nil
}

func label(o *openslo.Object) string { return o.Kind + " " + o.Metadata.Name }

func (im *importer) problem(o *openslo.Object, field, format string, args ...any) {
	im.probs = append(im.probs, openslo.Problem{Source: o.Source, Object: label(o), Field: field, Message: fmt.Sprintf(format, args...)})
}

func (im *importer) warn(o *openslo.Object, field, format string, args ...any) {
	im.warnings = append(im.warnings, openslo.Problem{Source: o.Source, Object: label(o), Field: field, Message: fmt.Sprintf(format, args...)})
}

func where(s openslo.Source) string {
	return fmt.Sprintf("%s, document %d", s.File, s.Document)
}

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

// sliFor maps the SLI and the objective, after the budgeting method.
func (im *importer) sliFor(o *openslo.Object, sli *openslo.SLISpec, field, method string, obj openslo.Objective, objField string, x *slos.SLO) *slos.SLI {
	switch {
	case sli.ThresholdMetric != nil && sli.RatioMetric != nil:
		im.problem(o, field, "give thresholdMetric or ratioMetric, not both")
	case sli.ThresholdMetric != nil:
		if method != "Timeslices" {
			im.problem(o, "spec.budgetingMethod", "%s with a thresholdMetric counts each event against the threshold; the catalog's latency SLI is period-based (Timeslices: a period is good when the percentile is under the threshold)", method)
			im.latency(o, sli, field, obj, objField, x) // for the problems of its sources
			return nil
		}
		return im.latency(o, sli, field, obj, objField, x)
	case sli.RatioMetric != nil:
		methodOK := method == "Occurrences"
		if !methodOK {
			im.problem(o, "spec.budgetingMethod", "%s with a ratioMetric judges time slices by their good/total ratio; the catalog's availability SLI is request-based (Occurrences)", method)
		}
		if obj.Op != "" || obj.Value != nil {
			im.warn(o, objField+".op", "op and value belong to threshold metrics; ignored on a ratio metric (the OpenSLO validator refuses them)")
			im.notes.AddLine(x, "objective", "op %s ignored: a ratio objective has none", obj.Op)
		}
		if methodOK && (obj.TimeSliceTarget != nil || obj.TimeSliceWindow != "") {
			im.warn(o, objField+".timeSliceTarget", "time slices belong to the Timeslices method; ignored with Occurrences")
		}
		a := im.availability(o, sli.RatioMetric, field+".ratioMetric", x)
		if !methodOK {
			return nil
		}
		return a
	default:
		im.problem(o, field, "the SLI has neither thresholdMetric nor ratioMetric")
	}
	return nil
}

// latency maps a threshold metric with Timeslices to a period-based SLI.
func (im *importer) latency(o *openslo.Object, sli *openslo.SLISpec, field string, obj openslo.Objective, objField string, x *slos.SLO) *slos.SLI {
	l := &slos.LatencySLI{}
	switch obj.Op {
	case "lt", "lte":
	case "":
		im.problem(o, objField+".op", "a threshold objective needs op (lt or lte)")
	default:
		im.problem(o, objField+".op", "op %s: the catalog's latency SLI is good when the percentile is under the threshold (lt or lte)", obj.Op)
	}
	if obj.Value == nil {
		im.problem(o, objField+".value", "a threshold objective needs value")
		return nil
	}
	if obj.TimeSliceWindow != "" {
		d, ok := openslo.ShorthandDuration(obj.TimeSliceWindow)
		if !ok {
			if n, err := strconv.Atoi(obj.TimeSliceWindow); err == nil && n > 0 {
				d, ok = time.Duration(n)*time.Minute, true
			}
		}
		if !ok {
			im.problem(o, objField+".timeSliceWindow", "%q is not a duration", obj.TimeSliceWindow)
		} else if d != slos.DefaultSLIPeriod {
			p := slos.Duration(d)
			l.Period = &p
		}
	}
	if t := obj.TimeSliceTarget; t != nil && *t != 1 {
		im.notes.AddLine(l, "period", "timeSliceTarget %v: one percentile per period, so a period is good or not", *t)
	}
	q, stat := im.source(o, &sli.ThresholdMetric.MetricSource, field+".thresholdMetric.metricSource", x)
	if q == nil {
		return nil
	}
	switch {
	case q.op != "":
		l.Operation = q.op
	case q.Metric != nil:
		l.Metric = q.Metric
		l.Metric.Statistic = nil
	default:
		im.problem(o, field+".thresholdMetric.metricSource", "metric math: the catalog's latency SLI reads one metric")
		return nil
	}
	if !slos.Statistic(stat).IsPercentile() {
		im.problem(o, field+".thresholdMetric.metricSource.spec.stat", "stat %q: the catalog's latency SLI compares a percentile (p50 … p99.9) with the threshold", stat)
		return nil
	}
	l.Percentile = slos.Percentile(stat)
	l.Threshold = &slos.Threshold{Value: *obj.Value}
	unit := "Milliseconds"
	if l.Metric != nil && l.Metric.Unit != "" {
		unit = l.Metric.Unit
	}
	im.notes.AddLine(l, "threshold", "value %v of %s, in %s", *obj.Value, objField, unit)
	if obj.Op == "lte" {
		im.notes.AddLine(l, "threshold", "op lte read as under")
	}
	return &slos.SLI{Latency: l}
}

// availability maps a ratio metric with Occurrences to a request-based SLI.
func (im *importer) availability(o *openslo.Object, r *openslo.RatioMetric, field string, x *slos.SLO) *slos.SLI {
	if r.Raw != nil {
		im.problem(o, field+".raw", "a precomputed ratio has no catalog counterpart; give good (or bad) and total counts")
		return nil
	}
	if r.Total == nil || (r.Good == nil) == (r.Bad == nil) {
		im.problem(o, field, "a ratio metric needs total and one of good or bad")
		return nil
	}
	a := &slos.RatioSLI{}
	num, numField := r.Good, "good"
	if r.Bad != nil {
		num, numField = r.Bad, "bad"
	}
	nq, nstat := im.source(o, &num.MetricSource, field+"."+numField+".metricSource", x)
	tq, tstat := im.source(o, &r.Total.MetricSource, field+".total.metricSource", x)
	if nq == nil || tq == nil {
		return nil
	}
	if r.Counter != nil && *r.Counter {
		im.notes.AddLine(a, numField, "counter: true in the input; CloudWatch counts are per period, check the metric is not cumulative")
	}
	if nq.op != "" || tq.op != "" {
		if numField == "bad" && nq.op != "" && nq.op == tq.op && nq.metricName == "Fault" && nstat == "Sum" && tq.metricName == "Latency" && tstat == "SampleCount" {
			a.Operation = nq.op
			im.notes.AddLine(a, "operation", "from Application Signals metrics Fault (Sum) over Latency (SampleCount)")
			return &slos.SLI{Availability: a}
		}
		nq.op, tq.op = "", ""
	}
	if numField == "bad" {
		a.Bad = nq.MetricQuery
	} else {
		a.Good = nq.MetricQuery
	}
	a.Total = tq.MetricQuery
	return &slos.SLI{Availability: a}
}

// query is a mapped metric source.
type query struct {
	*slos.MetricQuery
	op         string // Application Signals operation
	asName     string // Application Signals service and environment
	asEnv      string
	metricName string
}

// source maps one metric source to a catalog metric query and its
// statistic.
func (im *importer) source(o *openslo.Object, ms *openslo.MetricSource, field string, x *slos.SLO) (*query, string) {
	typ := ms.Type
	if ms.MetricSourceRef != "" {
		ds := im.byKind[openslo.KindDataSource][ms.MetricSourceRef]
		switch {
		case ds == nil && typ == "":
			im.problem(o, field+".metricSourceRef", "%s names no DataSource in the input, and the source has no type", ms.MetricSourceRef)
			return nil, ""
		case ds != nil && typ == "":
			typ = ds.DataSource.Type
		}
	}
	if strings.EqualFold(typ, "CloudWatch") {
		return im.cloudWatch(o, ms, field, x)
	}
	if e := im.opt.Map.match(o, ms, typ, field); e != nil {
		q := &query{MetricQuery: e.query()}
		im.notes.AddLine(x, "sli", "%s %s from --map %s:%d", field, typ, im.opt.Map.File, e.line)
		stat := "Sum"
		if q.Metric != nil && q.Metric.Statistic != nil {
			stat = string(*q.Metric.Statistic)
		}
		return q, stat
	}
	if typ == "" {
		typ = "(no type)"
	}
	im.problem(o, field+".type", "metric source %s has no CloudWatch mapping; give one with --map FILE or edit the output", typ)
	return nil, ""
}

// cloudWatch maps a CloudWatch metric source.
func (im *importer) cloudWatch(o *openslo.Object, ms *openslo.MetricSource, field string, x *slos.SLO) (*query, string) {
	var cw openslo.CloudWatchSpec
	if err := openslo.DecodeStrict(&ms.Spec, &cw); err != nil {
		im.problem(o, field+".spec", "%v", err)
		return nil, ""
	}
	if cw.Region != "" {
		im.regions[cw.Region] = true
	}
	if cw.AccountID != "" {
		im.notes.AddLine(x, "sli", "%s.spec.accountId %s: the catalog reads metrics of the environment's own account", field, cw.AccountID)
		im.warn(o, field+".spec.accountId", "cross-account metrics are read from the environment's account")
	}
	switch {
	case cw.SQL != "":
		im.problem(o, field+".spec.sql", "CloudWatch Metrics Insights (sql) has no catalog counterpart; give namespace, metricName and stat, or json metric math")
		return nil, ""
	case cw.JSON != "":
		if cw.MetricName != "" || cw.Namespace != "" {
			im.problem(o, field+".spec.json", "give json or namespace/metricName, not both")
			return nil, ""
		}
		return im.metricMath(o, cw.JSON, field+".spec.json")
	}
	if cw.Namespace == "" || cw.MetricName == "" || cw.Stat == "" {
		im.problem(o, field+".spec", "a CloudWatch metric needs namespace, metricName and stat")
		return nil, ""
	}
	m := &slos.Metric{Namespace: cw.Namespace, Name: cw.MetricName, Unit: cw.Unit}
	for _, d := range cw.Dimensions {
		if m.Dimensions == nil {
			m.Dimensions = map[string]string{}
		}
		m.Dimensions[d.Name] = d.Value
	}
	q := &query{MetricQuery: &slos.MetricQuery{Metric: m}, metricName: cw.MetricName}
	if cw.Stat != "Sum" {
		s := slos.Statistic(cw.Stat)
		m.Statistic = &s
	}
	if cw.Namespace == openslo.AppSignalsNamespace && len(cw.Dimensions) == 3 && m.Dimensions["Service"] != "" && m.Dimensions["Operation"] != "" && m.Dimensions["Environment"] != "" {
		q.op, q.asName, q.asEnv = m.Dimensions["Operation"], m.Dimensions["Service"], m.Dimensions["Environment"]
	}
	return q, cw.Stat
}

// metricMath maps the json form: MetricDataQueries, one returning data.
func (im *importer) metricMath(o *openslo.Object, js, field string) (*query, string) {
	qs, err := openslo.ParseQueries(js)
	if err != nil {
		im.problem(o, field, "not the JSON of CloudWatch MetricDataQueries: %v", err)
		return nil, ""
	}
	var result *openslo.MetricDataQuery
	inputs := map[string]*slos.Metric{}
	stats := map[string]bool{}
	for i := range qs {
		q := &qs[i]
		if q.ReturnData == nil || *q.ReturnData {
			if result != nil {
				im.problem(o, field, "queries %s and %s both return data; exactly one may (set ReturnData: false on the others)", result.ID, q.ID)
				return nil, ""
			}
			result = q
		}
		if q.MetricStat != nil {
			m := &slos.Metric{Namespace: q.MetricStat.Metric.Namespace, Name: q.MetricStat.Metric.MetricName, Unit: q.MetricStat.Unit}
			for _, d := range q.MetricStat.Metric.Dimensions {
				if m.Dimensions == nil {
					m.Dimensions = map[string]string{}
				}
				m.Dimensions[d.Name] = d.Value
			}
			if q.MetricStat.Stat != "Sum" {
				s := slos.Statistic(q.MetricStat.Stat)
				m.Statistic = &s
			}
			stats[q.MetricStat.Stat] = true
			inputs[q.ID] = m
		}
	}
	if result == nil {
		im.problem(o, field, "no query returns data")
		return nil, ""
	}
	if result.Expression == "" {
		m := inputs[result.ID]
		if m == nil {
			im.problem(o, field, "query %s has neither Expression nor MetricStat", result.ID)
			return nil, ""
		}
		return &query{MetricQuery: &slos.MetricQuery{Metric: m}, metricName: m.Name}, result.MetricStat.Stat
	}
	delete(inputs, result.ID)
	return &query{MetricQuery: &slos.MetricQuery{Expression: result.Expression, Metrics: inputs}}, "Sum"
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

// orgName is the org of the imported catalog.
func (im *importer) orgName() string {
	if im.opt.Org != "" {
		return im.opt.Org
	}
	return "openslo"
}

// finish adds the org and environments.
func (im *importer) finish() {
	im.file.Org = &slos.Org{Name: im.orgName()}
	if im.opt.Org == "" {
		im.notes.AddLine(im.file.Org, "name", "%s: your organisation's short name (--org NAME)", FillIn)
	}
	envs := im.opt.Envs
	if len(envs) == 0 {
		region := "us-east-1"
		var rs []string
		for r := range im.regions {
			rs = append(rs, r)
		}
		sort.Strings(rs)
		if len(rs) > 0 {
			region = rs[0]
		}
		e := &slos.Environment{Name: "prod", Account: "000000000000", Region: region}
		im.file.Environments = append(im.file.Environments, e)
		im.notes.AddLine(e, "account", "%s: the AWS account (--env NAME=ACCOUNT/REGION)", FillIn)
		if len(rs) == 1 {
			im.notes.AddLine(e, "region", "from the metric sources' region")
		} else {
			im.notes.AddLine(e, "region", "%s: the AWS region", FillIn)
		}
	}
	for _, e := range envs {
		im.file.Environments = append(im.file.Environments, &slos.Environment{Name: e.Name, Account: e.Account, Region: e.Region})
	}
	for _, e := range im.file.Environments {
		for r := range im.regions {
			if r != e.Region {
				im.notes.AddLine(e, "region", "a metric source names region %s; the catalog reads metrics in the environment's region", r)
			}
		}
	}
	for _, s := range im.file.Services {
		needPage, needTicket := false, false
		for _, x := range s.SLOs {
			if x.Alerting == nil { // the default tiers page and ticket
				needPage, needTicket = true, true
				continue
			}
			for _, t := range x.Alerting.Tiers {
				needPage = needPage || t.Severity == "page"
				needTicket = needTicket || t.Severity == "ticket"
			}
		}
		if needPage && len(s.Oncall.Page) == 0 {
			s.Oncall.Page = []string{im.placeholderRoute().ID}
			im.notes.AddLine(s, "oncall", "%s: no alert policy names a notification target for pages", FillIn)
		}
		if needTicket && len(s.Oncall.Ticket) == 0 {
			s.Oncall.Ticket = []string{im.placeholderRoute().ID}
			im.notes.AddLine(s, "oncall", "%s: no alert policy names a notification target for tickets", FillIn)
		}
	}
}

// dedupe drops repeated problems (an SLO with several objectives maps its
// SLI once per objective), keeping the first of each.
func dedupe(ps openslo.Problems) openslo.Problems {
	seen := map[string]bool{}
	var out openslo.Problems
	for _, p := range ps {
		if !seen[p.String()] {
			seen[p.String()] = true
			out = append(out, p)
		}
	}
	return out
}
