// Package dashboards computes CloudWatch dashboard bodies from plan values:
// per service one dashboard (split into "…-2", "…-3" when it outgrows
// CloudWatch's limits) and per environment an executive latency view. A
// body is a pure function of the plan, one JSON string, so that the CDK
// app crosses into jsii once per dashboard and tests need no CDK. Every
// metric comes from package metrics, the same definitions the alarms use.
//
// The body follows "Dashboard Body Structure and Syntax":
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
package dashboards

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// CloudWatch's limits on a dashboard. A body holds 0 to 500 widgets (Dashboard
// Body Structure, "Overall Structure"); the grid is 24 units wide; a name is
// at most 255 characters of A-Z, a-z, 0-9, "-" and "_" (PutDashboard,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html).
// MaxBodyBytes is our own, far below what CloudWatch accepts: the body is a
// property of a CloudFormation template, which may hold 1 MB in all
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html),
// and the service stack that holds it also holds up to stacks.MaxResources
// resources.
const (
	MaxWidgets    = 500
	GridWidth     = 24
	MaxNameLength = 255
	MaxBodyBytes  = 96 << 10
)

// NamePattern is what PutDashboard accepts as a DashboardName.
var NamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// Dashboard is one CloudWatch dashboard: its name and its body (JSON).
type Dashboard struct {
	Name    string
	Body    string
	Widgets int
	// Alarms is how many alarms its alarm status widgets show: a dashboard
	// that shows alarms deploys after them.
	Alarms int
}

// Body is a dashboard body.
type Body struct {
	Start          string   `json:"start,omitempty"`
	PeriodOverride string   `json:"periodOverride,omitempty"`
	Widgets        []Widget `json:"widgets"`
}

// Widget is one widget of a body: its type, its place on the grid and its
// type's properties.
type Widget struct {
	Type       string         `json:"type"`
	X          int            `json:"x"`
	Y          int            `json:"y"`
	Width      int            `json:"width"`
	Height     int            `json:"height"`
	Properties map[string]any `json:"properties"`
}

// section is widgets that stay together on one dashboard (an SLO's rows).
type section []Widget

// layout places widgets left to right in rows of GridWidth units, starting
// at row y; a row is as high as its highest widget. It returns the next
// free row.
func layout(ws []Widget, y int) int {
	x, rowHeight := 0, 0
	for i := range ws {
		if x+ws[i].Width > GridWidth {
			x, y, rowHeight = 0, y+rowHeight, 0
		}
		ws[i].X, ws[i].Y = x, y
		x += ws[i].Width
		rowHeight = max(rowHeight, ws[i].Height)
	}
	return y + rowHeight
}

// paginate lays sections out under a header on as many dashboards as the
// limits need: base, base-2, base-3, … in order. A section is never split,
// unless it alone holds more widgets than a dashboard (then it is cut).
func paginate(base, start string, header func(page int) []Widget, sections []section) []Dashboard {
	room := MaxWidgets - len(header(1))
	var whole []section
	for _, s := range sections {
		for len(s) > room {
			whole = append(whole, s[:room])
			s = s[room:]
		}
		whole = append(whole, s)
	}
	headerBytes := 0
	for _, w := range header(1) {
		headerBytes += widgetBytes(w)
	}
	var out []Dashboard
	var page []section
	widgets, bytes := 0, 0
	flush := func() {
		name := base
		if len(out) > 0 {
			name = pageName(base, len(out)+1)
		}
		out = append(out, render(name, start, header(len(out)+1), page))
		page, widgets, bytes = nil, 0, 0
	}
	for _, s := range whole {
		size := 0
		for _, w := range s {
			size += widgetBytes(w)
		}
		if len(page) > 0 && (widgets+len(s) > room || bodyOverhead+headerBytes+bytes+size > MaxBodyBytes) {
			flush()
		}
		page = append(page, s)
		widgets += len(s)
		bytes += size
	}
	if len(page) > 0 || len(out) == 0 {
		flush()
	}
	return out
}

// bodyOverhead bounds the bytes of a body around its widgets: start, the
// widgets key and the header page note.
const bodyOverhead = 256

// widgetBytes bounds a widget's size in a body: its JSON at (0, 0), the
// comma between widgets, and room for the digits of any position.
func widgetBytes(w Widget) int {
	w.X, w.Y = 0, 0
	return len(marshal(w)) + 1 + 8
}

// marshal is JSON without HTML escaping ("<" stays "<" in a goal), so the
// body reads as written.
func marshal(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // maps of strings, numbers and slices always marshal
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func pageName(base string, n int) string {
	suffix := "-" + strconv.Itoa(n)
	if len(base)+len(suffix) > MaxNameLength {
		base = base[:MaxNameLength-len(suffix)]
	}
	return base + suffix
}

// render lays out a header and sections (each section starting a new row)
// and marshals the body.
func render(name, start string, header []Widget, sections []section) Dashboard {
	placed := append([]Widget{}, header...)
	y := layout(placed, 0)
	for _, s := range sections {
		n := len(placed)
		placed = append(placed, s...)
		y = layout(placed[n:], y)
	}
	alarms := 0
	for _, w := range placed {
		if arns, ok := w.Properties["alarms"].([]string); ok {
			alarms += len(arns)
		}
	}
	return Dashboard{Name: name, Body: marshal(Body{Start: start, Widgets: placed}), Widgets: len(placed), Alarms: alarms}
}

// SafeName turns text into a dashboard name CloudWatch accepts: characters
// outside A-Z, a-z, 0-9, "-" and "_" become "-", and it is cut to
// MaxNameLength.
func SafeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			b[i] = '-'
		}
	}
	s = string(b)
	if len(s) > MaxNameLength {
		s = s[:MaxNameLength]
	}
	return s
}

// ServiceName is the name of a service's (first) dashboard in an environment.
func ServiceName(org, env, service string) string {
	return SafeName(strings.Join([]string{org, env, service}, "-"))
}

// ExecutiveName is the name of an environment's executive latency view.
func ExecutiveName(org, env string) string {
	return SafeName(strings.Join([]string{org, env, "executive"}, "-"))
}
