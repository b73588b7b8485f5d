package load

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/slocatalog/slocatalog/check"
	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/internal/fastyaml"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// FuzzLoad feeds arbitrary bytes through everything a catalog file goes
// through: parse, validate, plan, render. Nothing may panic, and a catalog
// without diagnostics must yield a plan. Two pairs of paths must agree:
// parsing as Read does (into an arena, values pointing into the text) and
// as Parse does; planning to keep the plan (slocat plan) and only to check
// it (slocat validate).
//
//	go test ./load -run '^$' -fuzz FuzzLoad -fuzztime 5m
func FuzzLoad(f *testing.F) {
	for _, glob := range []string{"../catalog/*.yaml", "../test/testdata/invalid/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	f.Add([]byte("\t- x"))
	// One arena and one block of Meta fields for every input, as a parse
	// worker of Read keeps them from file to file.
	arena := &fastyaml.Arena{}
	var fields []spec.FieldPos
	f.Fuzz(func(t *testing.T, b []byte) {
		var diags, loadDiags diag.Diagnostics
		file := Parse("fuzz.yaml", b, &diags)
		loaded := parse("fuzz.yaml", bytes.Clone(b), &loadDiags, arena, &fields, true)
		arena.Reset()
		if !reflect.DeepEqual(loaded, file) || !reflect.DeepEqual(loadDiags, diags) {
			t.Fatalf("parsing as Read does differs from Parse:\n%+v\n%v\nParse:\n%+v\n%v", loaded, loadDiags, file, diags)
		}
		cat := &spec.Catalog{Files: []string{"fuzz.yaml"}}
		merge(cat, file, &diags)
		check.Validate(cat, &diags)
		var planDiags, checkDiags diag.Diagnostics
		catalogPlan := plan.Build(cat, &planDiags)
		plan.Check(cat, &checkDiags)
		if !reflect.DeepEqual(planDiags, checkDiags) {
			t.Fatalf("checking the plan finds\n%v\nbuilding it finds\n%v", checkDiags, planDiags)
		}
		diags = append(diags, planDiags...)
		diags.Sort()
		var out bytes.Buffer
		diags.Render(&out, diag.Sources{"fuzz.yaml": b})
		if len(diags) == 0 && catalogPlan == nil {
			t.Fatal("no diagnostics and no plan")
		}
		for _, d := range diags {
			if d.Pos.File != "fuzz.yaml" {
				t.Fatalf("diagnostic without its file: %+v", d)
			}
		}
	})
}
