package load

import (
	"testing"
)

// TestSyntaxPlace: the column and "quote it" hint of the YAML syntax
// errors people make most.
func TestSyntaxPlace(t *testing.T) {
	for _, c := range []struct {
		msg, line string
		col       int
		hint      string
	}{
		{"mapping values are not allowed in this context", "    goal: checkout API: p99 < 300 ms", 23, `the value holds ": "; quote it: goal: "checkout API: p99 < 300 ms"`},
		{"found character that cannot start any token", "    owner: @team-checkout", 12, `YAML reserves @ at the start of a value; quote it: owner: "@team-checkout"`},
		{"found character that cannot start any token", "  - owner: `team`", 12, "YAML reserves ` at the start of a value; quote it: owner: \"`team`\""},
		{"did not find expected ',' or ']'", "    oncall:", 5, ""},
	} {
		col, _, hint := SyntaxPlace(c.msg, c.line)
		if col != c.col || hint != c.hint {
			t.Errorf("SyntaxPlace(%q) = %d, %q; want %d, %q", c.line, col, hint, c.col, c.hint)
		}
	}
}
