package slos

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// TestSLONameFits holds the reason the planner does not check SLO names:
// the longest environment, service and id that Validate accepts make an
// Application Signals SLO name that still matches its pattern.
func TestSLONameFits(t *testing.T) {
	env := "e" + strings.Repeat("9", 15)
	svc := "s" + strings.Repeat("-", 38) + "9"
	id := "i" + strings.Repeat("-", 61) + "9"
	for _, n := range []struct {
		re   interface{ MatchString(string) bool }
		name string
	}{{envNameRE, env}, {serviceNameRE, svc}, {idRE, id}} {
		if !n.re.MatchString(n.name) {
			t.Fatalf("%q should be the longest valid name", n.name)
		}
	}
	if name := SLOName(env, svc, id); !validSLOName(name) {
		t.Fatalf("SLO name %q (%d characters) breaks the Application Signals pattern", name, len(name))
	}
}

// TestChecksRegistry: IDs are unique, each has a stage and a line on what it refuses.
func TestChecksRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Checks {
		if seen[c.ID] {
			t.Errorf("check %s is registered twice", c.ID)
		}
		seen[c.ID] = true
		if c.Stage == 0 || c.Refuses == "" {
			t.Errorf("check %s needs a stage and what it refuses", c.ID)
		}
	}
}

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

// TestEveryCheckConstantIsRegistered: each Check… constant of checks.go is
// in Checks, so the reference lists it and the corpus test asks for a case.
func TestEveryCheckConstantIsRegistered(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "checks.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		spec, ok := node.(*ast.ValueSpec)
		if !ok || len(spec.Names) != 1 || len(spec.Values) != 1 || !strings.HasPrefix(spec.Names[0].Name, "Check") {
			return true
		}
		lit, ok := spec.Values[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		id, _ := strconv.Unquote(lit.Value)
		n++
		if _, ok := LookupCheck(id); !ok {
			t.Errorf("%s = %q is not registered in Checks", spec.Names[0].Name, id)
		}
		return true
	})
	if n != len(Checks) {
		t.Errorf("checks.go declares %d check constants and registers %d checks", n, len(Checks))
	}
}
