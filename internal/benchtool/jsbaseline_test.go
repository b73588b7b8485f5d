package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/stacks"
)

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// jsBaselineOrSkip unpacks the baseline, or skips the test where there is
// no Node.js or the CDK modules are not downloaded.
func jsBaselineOrSkip(t *testing.T) *jsBaseline {
	t.Helper()
	if _, err := nodeBinary(); err != nil {
		t.Skip("no Node.js (JSII_NODE or node on PATH)")
	}
	j, err := prepareJSBaseline(t.TempDir())
	if err != nil {
		t.Skipf("JavaScript baseline unavailable: %v", err)
	}
	return j
}

// TestJSBaselineContext: the script synthesizes with slocat's CDK context.
func TestJSBaselineContext(t *testing.T) {
	j := jsBaselineOrSkip(t)
	got, err := j.context()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, stacks.Context) {
		t.Errorf("jsbaseline.js context %v, stacks.Context %v", got, stacks.Context)
	}
}

// TestJSBaselineSameTemplates: the baseline rebuilds slocat's templates
// byte for byte, so benchtool's ratio compares the same output: the
// default catalog with validation on, a generated one with it off (kept
// small: the test runs in make test).
func TestJSBaselineSameTemplates(t *testing.T) {
	j := jsBaselineOrSkip(t)
	generated := filepath.Join(t.TempDir(), "catalog-40")
	if err := gen.Write(generated, gen.Options{Services: 4, SLOs: 40}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, dir string
		validate  []bool
	}{{"default", "../../catalog", []bool{true}}, {"generated-40", generated, []bool{false}}} {
		t.Run(c.name, func(t *testing.T) {
			cat, _, err := pipeline.Load(c.dir)
			if err != nil {
				t.Fatal(err)
			}
			goOut := filepath.Join(t.TempDir(), "go")
			if _, err := stacks.Synth(cat.Plan, stacks.Options{Outdir: goOut}); err != nil {
				t.Fatal(err)
			}
			for _, validate := range c.validate {
				jsOut := filepath.Join(t.TempDir(), "js")
				r, err := j.run(goOut, jsOut, validate)
				if err != nil {
					t.Fatal(err)
				}
				compareTemplates(t, goOut, jsOut)
				if r.Resources == 0 || r.Stacks == 0 {
					t.Errorf("baseline reports %d stacks, %d resources", r.Stacks, r.Resources)
				}
			}
		})
	}
}

// compareTemplates fails unless both assemblies hold the same template
// files with the same bytes.
func compareTemplates(t *testing.T, want, got string) {
	t.Helper()
	names := func(dir string) []string {
		m, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
		for i := range m {
			m[i] = filepath.Base(m[i])
		}
		sort.Strings(m)
		return m
	}
	w, g := names(want), names(got)
	if len(w) == 0 || !reflect.DeepEqual(w, g) {
		t.Fatalf("templates: slocat %v, baseline %v", w, g)
	}
	for _, n := range w {
		a, _ := os.ReadFile(filepath.Join(want, n))
		b, _ := os.ReadFile(filepath.Join(got, n))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: the baseline's template differs from slocat's (%d and %d bytes)", n, len(a), len(b))
		}
	}
}
