package stacks

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/slos"
)

// TestIncrementalChange: changing one SLO changes exactly one stack's
// template, so a pipeline's cdk deploy touches one stack. Run on a generated
// catalog of 5 services and 25 SLOs (one environment) to keep make test
// short; the property does not depend on size, as stacks are per service and
// parts are chosen by a hash of the object's id.
func TestIncrementalChange(t *testing.T) {
	dir := t.TempDir()
	if err := gen.Write(dir, gen.Options{Services: 5, SLOs: 25}); err != nil {
		t.Fatal(err)
	}
	synthProd := func() map[string][]byte {
		cat, _, err := slos.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		if _, err := Synth(cat.Plan, Options{Outdir: out, Env: "prod"}); err != nil {
			t.Fatal(err)
		}
		return templates(t, out)
	}
	before := synthProd()

	file := filepath.Join(dir, "svc-0002.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "objective: 99.5%", "objective: 99.7%", 1)
	if edited == string(b) {
		t.Fatal("the generated catalog has no objective to change")
	}
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	after := synthProd()

	var changed []string
	for name, tpl := range after {
		if !bytes.Equal(tpl, before[name]) {
			changed = append(changed, name)
		}
	}
	sort.Strings(changed)
	if len(after) != len(before) || len(changed) != 1 || changed[0] != "bench-prod-svc-0002.template.json" {
		t.Fatalf("changed templates: %v (of %d); want only bench-prod-svc-0002", changed, len(after))
	}
}
