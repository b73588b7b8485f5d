package openslo

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var shorthandRE = regexp.MustCompile(`^([0-9]+)([mhdwMQY])$`)

// ParseShorthand splits an OpenSLO duration shorthand (4w, 1M) into its
// positive count and its unit (m, h, d, w, M, Q or Y).
func ParseShorthand(s string) (count int, unit string, ok bool) {
	m := shorthandRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.Atoi(m[1])
	return n, m[2], err == nil && n > 0
}

// ShorthandDuration converts a shorthand of minutes to weeks to a duration;
// ok is false for months, quarters and years, which have no fixed length.
func ShorthandDuration(s string) (d time.Duration, ok bool) {
	n, unit, ok := ParseShorthand(s)
	if !ok {
		return 0, false
	}
	u := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[unit]
	return time.Duration(n) * u, u != 0
}

// Shorthand writes a duration in the largest OpenSLO unit (m, h, d, w)
// that divides it.
func Shorthand(d interface{ Minutes() float64 }) string {
	m := int(d.Minutes())
	switch {
	case m%(7*24*60) == 0:
		return fmt.Sprintf("%dw", m/(7*24*60))
	case m%(24*60) == 0:
		return fmt.Sprintf("%dd", m/(24*60))
	case m%60 == 0:
		return fmt.Sprintf("%dh", m/60)
	}
	return fmt.Sprintf("%dm", m)
}

// Round drops the floating-point noise of unit conversions (0.9995 × 100)
// by keeping 12 significant digits, so that a target or a burn rate reads
// the same after an export and an import.
func Round(f float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	return r
}
