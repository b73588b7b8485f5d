package diag

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

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
