package spec

import (
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Measure is a measured SLI value with its unit: a latency (220ms, 1.6s) or
// a share of good requests (99.97%).
type Measure struct {
	Latency   time.Duration // set when IsPercent is false
	Percent   float64       // set when IsPercent is true
	IsPercent bool
}

// SetScalar decodes the value from a YAML scalar (Scalar).
func (m *Measure) SetScalar(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if strings.HasSuffix(s, "%") {
		f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 100 {
			return hinted("write a percentage from 0% to 100%, e.g. 99.97%", "%q is not a percentage", s)
		}
		*m = Measure{Percent: f, IsPercent: true}
		return nil
	}
	d, err := ParseDuration(s)
	if err != nil {
		return hinted("write it with its unit: a latency (220ms) or a share of good requests (99.97%)", "measured value %q has no unit", s)
	}
	*m = Measure{Latency: d}
	return nil
}

// String renders the value as the catalog writes it.
func (m Measure) String() string {
	if m.IsPercent {
		return strconv.FormatFloat(m.Percent, 'f', -1, 64) + "%"
	}
	return FormatDuration(m.Latency)
}

// JSONSchema is the value's JSON Schema (Schemaer).
func (Measure) JSONSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": `^([0-9]+(\.[0-9]+)?(ms|s|m|h|d|w)|[0-9]+(\.[0-9]+)?%)$`, "examples": []string{"220ms", "99.97%"}}
}

// Date is a calendar day, written YYYY-MM-DD.
type Date struct{ time.Time }

// SetScalar decodes the value from a YAML scalar (Scalar).
func (d *Date) SetScalar(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return hinted("write the day as YYYY-MM-DD, e.g. 2026-11-16", "%q is not a date", s)
	}
	*d = Date{t}
	return nil
}

// String renders the day as YYYY-MM-DD.
func (d Date) String() string { return d.Format(time.DateOnly) }

// JSONSchema is the value's JSON Schema (Schemaer).
func (Date) JSONSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, "examples": []string{"2026-11-16"}}
}
