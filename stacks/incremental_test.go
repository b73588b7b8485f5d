package stacks

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/pipeline"
)

// TestIncrementalChange: changing one SLO of a 1,000-SLO catalog changes
// exactly one stack's template, so a pipeline's cdk deploy touches one
// stack. It synthesizes one environment (101 stacks, about 20,800
// resources) twice, without CDK's CloudFormation validation, which checks
// templates but does not change them: about 30 s instead of 90 s.
func TestIncrementalChange(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes 1,000 SLOs twice")
	}
	dir := t.TempDir()
	if err := gen.Write(dir, gen.Options{Services: 100, SLOs: 1000}); err != nil {
		t.Fatal(err)
	}
	synthProd := func() map[string][]byte {
		cat, _, err := pipeline.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		if _, err := Synth(cat.Plan, Options{Outdir: out, Env: "prod", NoValidate: true}); err != nil {
			t.Fatal(err)
		}
		return templates(t, out)
	}
	before := synthProd()

	file := filepath.Join(dir, "svc-0042.yaml")
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
	if len(after) != len(before) || len(changed) != 1 || changed[0] != "bench-prod-svc-0042.template.json" {
		t.Fatalf("changed templates: %v (of %d); want only bench-prod-svc-0042", changed, len(after))
	}
}
