package load

import (
	"fmt"
	"strings"
)

// SyntaxPlace refines a YAML syntax error that yaml.v3 reports by line only:
// given the message and the text of that line, it returns the 1-based column
// of the offending character, its width, and a hint. The two mistakes people
// make most in a catalog get a "quote it" hint: a ": " inside a plain value
// (goal: checkout API: p99 < 300 ms) and a value starting with a character
// YAML reserves (@ or `). Otherwise the column is the line's first
// character and the hint is empty.
func SyntaxPlace(msg, line string) (col, width int, hint string) {
	indent := len(line) - len(strings.TrimLeft(line, " "))
	col, width = indent+1, 1
	key, value, hasValue := splitKeyValue(line)
	switch {
	case strings.Contains(msg, "mapping values are not allowed") && hasValue:
		if i := strings.Index(value.text, ": "); i >= 0 {
			return value.col + i, 1, fmt.Sprintf("the value holds \": \"; quote it: %s: %q", key, strings.TrimSpace(value.text))
		}
	case strings.Contains(msg, "cannot start any token") && hasValue && value.text != "":
		if c := value.text[0]; c == '@' || c == '`' {
			return value.col, 1, fmt.Sprintf("YAML reserves %c at the start of a value; quote it: %s: %q", c, key, strings.TrimSpace(value.text))
		}
	}
	return col, width, ""
}

// lineValue is the value part of a "key: value" line and its 1-based column.
type lineValue struct {
	text string
	col  int
}

// splitKeyValue splits "  - key: value" at its first ": ".
func splitKeyValue(line string) (string, lineValue, bool) {
	i := strings.Index(line, ": ")
	if i < 0 {
		return "", lineValue{}, false
	}
	key := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line[:i]), "- "))
	rest := line[i+2:]
	lead := len(rest) - len(strings.TrimLeft(rest, " "))
	return key, lineValue{text: strings.TrimRight(rest[lead:], " "), col: i + 3 + lead}, true
}
