package slos

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes through everything a catalog file goes
// through: parse, validate, plan, render. Nothing may panic, and a catalog
// without diagnostics must yield a plan.
//
//	go test ./slos -run '^$' -fuzz FuzzLoad -fuzztime 5m
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
	f.Fuzz(func(t *testing.T, b []byte) {
		var diags Diagnostics
		file := Parse("fuzz.yaml", b, &diags)
		cat := &Catalog{Files: []string{"fuzz.yaml"}}
		cat.merge(file, &diags)
		Validate(cat, &diags)
		plan := BuildPlan(cat, &diags)
		diags.Sort()
		var out bytes.Buffer
		diags.Render(&out, Sources{"fuzz.yaml": b})
		if len(diags) == 0 && plan == nil {
			t.Fatal("no diagnostics and no plan")
		}
		for _, d := range diags {
			if d.Pos.File != "fuzz.yaml" {
				t.Fatalf("diagnostic without its file: %+v", d)
			}
		}
	})
}
