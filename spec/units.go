package spec

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/diag"
)

// Scalar is implemented by catalog value types that parse themselves from a
// YAML scalar ("300ms", "99.9%", "p99"). The error may be a *ValueError.
type Scalar interface {
	SetScalar(n *yaml.Node) error
}

// Schemaer is implemented by value types that describe themselves in the JSON Schema.
type Schemaer interface {
	JSONSchema() map[string]any
}

// ValueError is a value that does not parse, with a suggestion for the user.
type ValueError struct{ msg, Hint string }

func (e *ValueError) Error() string { return e.msg }

func hinted(hint, format string, args ...any) error {
	return &ValueError{msg: fmt.Sprintf(format, args...), Hint: hint}
}

// digitSeparators are the thousands separators a catalog may write in numbers (8,000 or 8_000).
var digitSeparators = strings.NewReplacer(",", "", "_", "")

var (
	durationRE = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d|w)$`)
	numberRE   = regexp.MustCompile(`^[-+]?[0-9][0-9_,]*(?:\.[0-9]+)?$`)
)

// Duration is a length of time written with a unit: 500ms, 60s, 5m, 1h, 28d, 1w.
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String renders the duration in the largest unit that divides it exactly.
func (d Duration) String() string { return FormatDuration(time.Duration(d)) }

// FormatDuration renders d the way a catalog writes it (28d, 1h, 300ms).
func FormatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%ds", d/time.Second)
	case d%time.Millisecond == 0:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	}
	return d.String()
}

// ParseDuration parses a catalog duration such as 300ms or 28d.
func ParseDuration(s string) (time.Duration, error) {
	num, unit, ok := splitDuration(strings.TrimSpace(s))
	if !ok {
		if isNumber(s) {
			return 0, hinted(fmt.Sprintf("add a unit, e.g. %ss or %sms", s, s), "duration %q has no unit", s)
		}
		return 0, hinted("write a number and one of the units ms, s, m, h, d, w: 300ms, 60s, 5m, 28d", "%q is not a duration", s)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f > 1e6 {
		return 0, hinted("", "duration %q is out of range", s)
	}
	return time.Duration(math.Round(f * float64(unit))), nil
}

// durationUnits are the units durationRE allows.
var durationUnits = map[string]time.Duration{"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}

// The matchers below do what durationRE, numberRE and percentileRE match,
// without a regexp: they run for every duration, threshold and percentile
// of the catalog
// (TestMatchersAgreeWithPatterns holds them to the patterns, which stay
// the documented form and the schema's).

// splitDuration splits s into its number and unit where durationRE
// matches it.
func splitDuration(s string) (num string, unit time.Duration, ok bool) {
	i := len(s)
	for i > 0 && s[i-1] >= 'a' && s[i-1] <= 'z' {
		i--
	}
	unit, known := durationUnits[s[i:]]
	if !known || !decimal(s[:i], 0, 0) {
		return "", 0, false
	}
	return s[:i], unit, true
}

// decimal reports whether s is digits, then optionally a dot and digits
// ([0-9]+(\.[0-9]+)?), with at most maxWhole and maxFrac digits on either
// side of the dot (0: any number).
func decimal(s string, maxWhole, maxFrac int) bool {
	whole, frac, dotted := strings.Cut(s, ".")
	if !allDigits(whole) || (maxWhole > 0 && len(whole) > maxWhole) {
		return false
	}
	if !dotted {
		return true
	}
	return allDigits(frac) && (maxFrac == 0 || len(frac) <= maxFrac)
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isNumber reports whether numberRE matches s: an optional sign, a digit,
// then digits, _ and , and optionally a dot and digits.
func isNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	whole, frac, dotted := strings.Cut(s, ".")
	if whole == "" || whole[0] < '0' || whole[0] > '9' {
		return false
	}
	for i := 1; i < len(whole); i++ {
		if c := whole[i]; (c < '0' || c > '9') && c != '_' && c != ',' {
			return false
		}
	}
	return !dotted || allDigits(frac)
}

// percentileNumber returns the number of a percentile written as
// percentileRE matches it (p99.9 → "99.9").
func percentileNumber(s string) (string, bool) {
	if len(s) < 2 || s[0] != 'p' || !decimal(s[1:], 2, 3) {
		return "", false
	}
	return s[1:], true
}

// SetScalar decodes the value from a YAML scalar (Scalar).
func (d *Duration) SetScalar(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// JSONSchema is the value's JSON Schema (Schemaer).
func (Duration) JSONSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": durationRE.String(), "examples": []string{"300ms", "60s", "5m", "1h", "28d"}}
}

// Percent is a percentage written with a % sign: 99.9%.
type Percent float64

// SetScalar decodes the value from a YAML scalar (Scalar).
func (p *Percent) SetScalar(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if !strings.HasSuffix(s, "%") {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			if f > 0 && f < 1 {
				return hinted(fmt.Sprintf("write %s%%", strconv.FormatFloat(f*100, 'f', -1, 64)), "percentage %q needs a %% sign", s)
			}
			return hinted(fmt.Sprintf("write %s%%", s), "percentage %q needs a %% sign", s)
		}
		return hinted("write a percentage such as 99.9%", "%q is not a percentage", s)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return hinted("write a percentage such as 99.9%", "%q is not a percentage", s)
	}
	*p = Percent(f)
	return nil
}

// String renders the percentage as the catalog writes it.
func (p Percent) String() string { return strconv.FormatFloat(float64(p), 'f', -1, 64) + "%" }

// JSONSchema is the value's JSON Schema (Schemaer).
func (Percent) JSONSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": `^[0-9]+(\.[0-9]+)?%$`, "examples": []string{"99.9%", "2%"}}
}

// Rate is a request rate: 8000rps, 8,000rps or 8000/s.
type Rate float64

// SetScalar decodes the value from a YAML scalar (Scalar).
func (r *Rate) SetScalar(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	num := strings.TrimSuffix(strings.TrimSuffix(s, "rps"), "/s")
	if num == s {
		return hinted("write requests per second, e.g. 8000rps", "rate %q has no unit", s)
	}
	f, err := strconv.ParseFloat(digitSeparators.Replace(strings.TrimSpace(num)), 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return hinted("write requests per second, e.g. 8000rps", "%q is not a rate", s)
	}
	*r = Rate(f)
	return nil
}

// JSONSchema is the value's JSON Schema (Schemaer).
func (Rate) JSONSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": `^[0-9][0-9_,]*(\.[0-9]+)?(rps|/s)$`, "examples": []string{"8000rps"}}
}

// Threshold is an alarm threshold: a plain number in the metric's unit, or a
// duration (300ms, 2s) that is converted to the metric's time unit.
type Threshold struct {
	Value float64
	Dur   time.Duration
	IsDur bool
}

// SetScalar decodes the value from a YAML scalar (Scalar).
func (t *Threshold) SetScalar(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if n.Tag == "!!int" || n.Tag == "!!float" || isNumber(s) {
		f, err := strconv.ParseFloat(digitSeparators.Replace(s), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return hinted("", "%q is not a number", s)
		}
		*t = Threshold{Value: f}
		return nil
	}
	d, err := ParseDuration(s)
	if err != nil {
		return hinted("write a number in the metric's unit (250, 0.5) or a duration (300ms, 2s)", "threshold %q is neither a number nor a duration", s)
	}
	*t = Threshold{Dur: d, IsDur: true}
	return nil
}

// String renders the threshold as the catalog writes it.
func (t Threshold) String() string {
	if t.IsDur {
		return FormatDuration(t.Dur)
	}
	return strconv.FormatFloat(t.Value, 'f', -1, 64)
}

// In returns the threshold in the given CloudWatch unit. A duration needs a
// time unit (Seconds, Milliseconds, Microseconds).
func (t Threshold) In(unit string) (float64, error) {
	if !t.IsDur {
		return t.Value, nil
	}
	switch unit {
	case "Seconds":
		return t.Dur.Seconds(), nil
	case "Milliseconds", "":
		return float64(t.Dur) / float64(time.Millisecond), nil
	case "Microseconds":
		return float64(t.Dur) / float64(time.Microsecond), nil
	}
	return 0, fmt.Errorf("a duration threshold needs a metric in Seconds, Milliseconds or Microseconds, not %s", unit)
}

// JSONSchema is the value's JSON Schema (Schemaer).
func (Threshold) JSONSchema() map[string]any {
	return map[string]any{"oneOf": []any{
		map[string]any{"type": "number"},
		map[string]any{"type": "string", "pattern": durationRE.String()},
	}, "examples": []any{"300ms", 250}}
}

var percentileRE = regexp.MustCompile(`^p([0-9]{1,2}(?:\.[0-9]{1,3})?)$`)

// Percentile is a CloudWatch percentile statistic: p50, p90, p99, p99.9.
type Percentile string

// SetScalar decodes the value from a YAML scalar (Scalar).
func (p *Percentile) SetScalar(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	num, ok := percentileNumber(s)
	if !ok {
		l := strings.ToLower(s)
		if _, ok := percentileNumber(l); ok {
			return hinted(fmt.Sprintf("write %s", l), "percentile %q must be lower case", s)
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return hinted(fmt.Sprintf("write p%s", s), "percentile %q needs a p prefix", s)
		}
		return hinted("write p50, p90, p95, p99 or p99.9", "%q is not a percentile", s)
	}
	if f, _ := strconv.ParseFloat(num, 64); f <= 0 {
		return hinted("write p50, p90, p95, p99 or p99.9", "percentile %q is out of range", s)
	}
	*p = Percentile(s)
	return nil
}

// Value returns the percentile as a number (p99.9 → 99.9).
func (p Percentile) Value() float64 {
	f, _ := strconv.ParseFloat(strings.TrimPrefix(string(p), "p"), 64)
	return f
}

// JSONSchema is the value's JSON Schema (Schemaer).
func (Percentile) JSONSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": percentileRE.String(), "examples": []string{"p50", "p90", "p99", "p99.9"}}
}

// Statistic is a CloudWatch statistic: Average, Sum, Minimum, Maximum,
// SampleCount, or a percentile such as p99.
type Statistic string

var statistics = []string{"Average", "Sum", "Minimum", "Maximum", "SampleCount"}

// SetScalar decodes the value from a YAML scalar (Scalar).
func (s *Statistic) SetScalar(n *yaml.Node) error {
	v := strings.TrimSpace(n.Value)
	for _, k := range statistics {
		if v == k {
			*s = Statistic(v)
			return nil
		}
	}
	var p Percentile
	if err := p.SetScalar(n); err == nil {
		*s = Statistic(v)
		return nil
	}
	return hinted(diag.DidYouMeanOr(v, append(statistics, "p99"), "use Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p99"), "%q is not a CloudWatch statistic", v)
}

// IsPercentile reports whether the statistic is a percentile (an ExtendedStatistic).
func (s Statistic) IsPercentile() bool {
	_, ok := percentileNumber(string(s))
	return ok
}

// JSONSchema is the value's JSON Schema (Schemaer).
func (Statistic) JSONSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": `^(Average|Sum|Minimum|Maximum|SampleCount|p[0-9]{1,2}(\.[0-9]{1,3})?)$`}
}

// Window is an SLO compliance window: rolling (28d, 30d, 7d) or calendar-month.
type Window struct {
	Rolling       time.Duration
	CalendarMonth bool
}

// SetScalar decodes the value from a YAML scalar (Scalar).
func (w *Window) SetScalar(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if s == "calendar-month" {
		*w = Window{CalendarMonth: true}
		return nil
	}
	d, err := ParseDuration(s)
	if err != nil {
		return hinted("write a rolling window such as 28d, 30d or 7d, or calendar-month", "%q is not an SLO window", s)
	}
	*w = Window{Rolling: d}
	return nil
}

// Hours is the window length in hours; a calendar month counts as 30 days
// for burn-rate factors.
func (w Window) Hours() float64 {
	if w.CalendarMonth {
		return 30 * 24
	}
	return w.Rolling.Hours()
}

// String renders the window as the catalog writes it.
func (w Window) String() string {
	if w.CalendarMonth {
		return "calendar-month"
	}
	if w.Rolling == 0 {
		return "0d" // windows are written in days; FormatDuration would say 0s
	}
	return FormatDuration(w.Rolling)
}

// JSONSchema is the value's JSON Schema (Schemaer).
func (Window) JSONSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": `^(calendar-month|[0-9]+(d|h|w))$`, "examples": []string{"28d", "30d", "7d", "calendar-month"}}
}
