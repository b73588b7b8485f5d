package test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/pipeline"
)

// TestGeneratedCatalogValidates keeps the generator honest: what it writes
// must validate, or the benchmarks measure the error path.
func TestGeneratedCatalogValidates(t *testing.T) {
	dir := t.TempDir()
	if err := gen.Write(dir, gen.Options{Services: 7, SLOs: 70}); err != nil {
		t.Fatal(err)
	}
	cat, _, err := pipeline.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if checked, _, err := pipeline.Check(dir); err != nil || checked.Plan != nil || len(checked.Services) != len(cat.Services) {
		t.Fatalf("pipeline.Check: %v; want the same catalog, valid, without a plan", err)
	}
	n := 0
	for _, s := range cat.Services {
		n += len(s.SLOs)
	}
	if n != 70 || len(cat.Services) != 7 {
		t.Fatalf("%d services, %d SLOs; want 7 and 70", len(cat.Services), n)
	}
}

// BenchmarkValidate measures slocat validate (pipeline.Check: load, check, and
// plan without keeping it) on generated catalogs:
// go test ./test -run '^$' -bench Validate -benchmem
func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("slos=%d", n), func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "catalog")
			if err := gen.Write(dir, gen.Options{Services: max(1, n/10), SLOs: n}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, _, err := pipeline.Check(dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
