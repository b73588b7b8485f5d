package check

import (
	"fmt"
	"strconv"
	"strings"
)

// Exclusion recurrences are Application Signals RecurrenceRule expressions:
// rate(value unit), a positive whole value and the unit hour, day or month,
// or a six-field cron (minutes hours day-of-month month day-of-week year).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-applicationsignals-servicelevelobjective-recurrencerule.html
// The cron fields, their values and wildcards are those of AWS cron, and one
// of day-of-month and day-of-week must be ?:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html

// cronField is one field of an AWS cron expression.
type cronField struct {
	name      string
	min, max  int
	names     []string // JAN…DEC, SUN…SAT: names for min, min+1 …
	wildcards string   // beside , - and digits
}

var cronFields = []cronField{
	{"minutes", 0, 59, nil, "*/"},
	{"hours", 0, 23, nil, "*/"},
	{"day-of-month", 1, 31, nil, "*?/LW"},
	{"month", 1, 12, []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}, "*/"},
	{"day-of-week", 1, 7, []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, "*?L#"},
	{"year", 1970, 2199, nil, "*/"},
}

// recurrenceProblem checks an exclusion recurrence. It returns a message and
// a hint, or an empty message.
func recurrenceProblem(r string) (string, string) {
	const hint = "write rate(7 days) (units hour, day, month) or a six-field cron such as cron(0 2 ? * SUN *)"
	r = strings.TrimSpace(r)
	switch {
	case strings.HasPrefix(r, "rate(") && strings.HasSuffix(r, ")"):
		return checkRate(strings.TrimSuffix(strings.TrimPrefix(r, "rate("), ")"))
	case strings.HasPrefix(r, "cron(") && strings.HasSuffix(r, ")"):
		return checkCron(strings.TrimSuffix(strings.TrimPrefix(r, "cron("), ")"))
	}
	return "is not a rate or cron expression", hint
}

func checkRate(body string) (string, string) {
	f := strings.Fields(body)
	if len(f) != 2 {
		return "is not rate(value unit)", "e.g. rate(7 days)"
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 1 {
		return fmt.Sprintf("has rate value %q; it must be a positive whole number", f[0]), "e.g. rate(7 days)"
	}
	unit := strings.TrimSuffix(f[1], "s")
	if unit != "hour" && unit != "day" && unit != "month" {
		return fmt.Sprintf("has rate unit %q; Application Signals takes hour, day or month", f[1]), "e.g. rate(1 hour), rate(7 days) or rate(1 month)"
	}
	return "", ""
}

func checkCron(body string) (string, string) {
	f := strings.Fields(body)
	if len(f) != 6 {
		return fmt.Sprintf("has %d cron fields; AWS cron has six: minutes hours day-of-month month day-of-week year", len(f)), "e.g. cron(0 2 ? * SUN *)"
	}
	for i, cf := range cronFields {
		if msg := cf.check(f[i]); msg != "" {
			return fmt.Sprintf("has %s %q: %s", cf.name, f[i], msg), "e.g. cron(0 2 ? * SUN *)"
		}
	}
	if dom, dow := f[2], f[4]; (dom == "?") == (dow == "?") {
		return "sets both day-of-month and day-of-week; AWS cron needs ? in one of them", fmt.Sprintf("write cron(%s %s %s %s ? %s) or cron(%s %s ? %s %s %s)", f[0], f[1], dom, f[3], f[5], f[0], f[1], f[3], dow, f[5])
	}
	return "", ""
}

// check returns what is wrong with one field, or "".
func (cf cronField) check(s string) string {
	if s == "*" || s == "?" && strings.Contains(cf.wildcards, "?") {
		return ""
	}
	for _, part := range strings.Split(s, ",") {
		if msg := cf.checkPart(part); msg != "" {
			return msg
		}
	}
	return ""
}

func (cf cronField) checkPart(p string) string {
	if p == "" {
		return "an empty list item"
	}
	if base, step, ok := strings.Cut(p, "/"); ok {
		if !strings.Contains(cf.wildcards, "/") {
			return "/ is not allowed here"
		}
		if n, err := strconv.Atoi(step); err != nil || n < 1 {
			return fmt.Sprintf("the increment %q is not a positive number", step)
		}
		if base == "*" {
			return ""
		}
		p = base
	}
	if cf.name == "day-of-week" {
		if day, nth, ok := strings.Cut(p, "#"); ok {
			if n, err := strconv.Atoi(nth); err != nil || n < 1 || n > 5 {
				return fmt.Sprintf("%q is not a week of the month (1-5)", nth)
			}
			return cf.value(day)
		}
		if p == "L" || strings.HasSuffix(p, "L") && cf.value(strings.TrimSuffix(p, "L")) == "" {
			return ""
		}
	}
	if cf.name == "day-of-month" {
		if p == "L" || p == "LW" {
			return ""
		}
		if strings.HasSuffix(p, "W") {
			return cf.value(strings.TrimSuffix(p, "W"))
		}
	}
	if lo, hi, ok := strings.Cut(p, "-"); ok {
		if msg := cf.value(lo); msg != "" {
			return msg
		}
		return cf.value(hi)
	}
	return cf.value(p)
}

// value checks one number or name of the field.
func (cf cronField) value(s string) string {
	for _, n := range cf.names {
		if strings.EqualFold(s, n) {
			return ""
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		if cf.names != nil {
			return fmt.Sprintf("%q is not a number from %d to %d or one of %s…%s", s, cf.min, cf.max, cf.names[0], cf.names[len(cf.names)-1])
		}
		return fmt.Sprintf("%q is not a number from %d to %d", s, cf.min, cf.max)
	}
	if n < cf.min || n > cf.max {
		return fmt.Sprintf("%d is out of range %d-%d", n, cf.min, cf.max)
	}
	return ""
}
