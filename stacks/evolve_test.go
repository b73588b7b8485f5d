package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPartIsConsistent: when a service grows from n to n+1 parts, an object
// either stays in its part or moves to the new one (which deploys after
// every other part), and the parts stay balanced.
func TestPartIsConsistent(t *testing.T) {
	const ids = 4000
	for n := 1; n <= 8; n++ {
		count := make([]int, n+1)
		for i := 0; i < ids; i++ {
			id := fmt.Sprintf("latency-%d", i)
			before, after := Part(id, n), Part(id, n+1)
			if before < 0 || before >= n || (after != before && after != n) {
				t.Fatalf("%s: part %d of %d, then %d of %d", id, before, n, after, n+1)
			}
			count[after]++
		}
		for p, c := range count {
			if want := ids / (n + 1); c < want*85/100 || c > want*115/100 {
				t.Errorf("%d parts: part %d holds %d of %d objects", n+1, p, c, ids)
			}
		}
	}
}

// TestNoImports: no stack imports another's values, so the routing stack
// may drop a route's target while a deployed service stack still uses it;
// every service stack still deploys after its environment's routing stack,
// whose SSM parameters it reads.
func TestNoImports(t *testing.T) {
	dir, _ := defaultAssembly(t)
	for name, b := range templates(t, dir) {
		if bytes.Contains(b, []byte("Fn::ImportValue")) {
			t.Errorf("%s imports a value", name)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Artifacts map[string]struct {
			Type         string   `json:"type"`
			Dependencies []string `json:"dependencies"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for name, a := range m.Artifacts {
		if a.Type != "aws:cloudformation:stack" || strings.HasSuffix(name, "-routing") {
			continue
		}
		env := strings.Split(name, "-")[1]
		routing := "streamforge-" + env + "-routing"
		found := false
		for _, d := range a.Dependencies {
			found = found || d == routing
		}
		if !found {
			t.Errorf("%s does not depend on %s: %v", name, routing, a.Dependencies)
		}
	}
}
