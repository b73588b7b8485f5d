package load

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/internal/fastyaml"
	"github.com/slocatalog/slocatalog/spec"
)

// TestArenaReuse: files parsed one after another into one reused arena
// decode exactly as when each has fresh memory, and a file's decoded values
// survive the arena being reset and reused.
func TestArenaReuse(t *testing.T) {
	files, _ := filepath.Glob("../catalog/*.yaml")
	arena := &fastyaml.Arena{}
	var fields []spec.FieldPos
	var reused []*spec.File
	for round := 0; round < 2; round++ { // the second round runs on recycled memory
		reused = reused[:0]
		for _, name := range files {
			b, _ := os.ReadFile(name)
			var diags diag.Diagnostics
			reused = append(reused, parse(name, b, &diags, arena, &fields, true)) // frozen, as Read parses
			arena.Reset()
			if len(diags) > 0 {
				t.Fatalf("%s: %v", name, diags)
			}
		}
	}
	for i, name := range files {
		b, _ := os.ReadFile(name)
		var diags diag.Diagnostics
		fresh := Parse(name, b, &diags)
		if !reflect.DeepEqual(fresh, reused[i]) {
			t.Errorf("%s decodes differently with a reused arena", name)
		}
	}
}

// TestDuplicateKeysManyKeys: in a mapping of more than 32 keys (where the
// decoder switches from scanning to a map), every repeat of a key points
// back at its first line.
func TestDuplicateKeysManyKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString("org:\n  name: acme\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "  x%d: 1\n", i)
	}
	b.WriteString("  name: again\n  name: thrice\n")
	var diags diag.Diagnostics
	Parse("many.yaml", []byte(b.String()), &diags)
	var dups []string
	for _, d := range diags {
		if d.Check == "yaml/duplicate-key" {
			dups = append(dups, fmt.Sprintf("%d: %s", d.Pos.Line, d.Hint))
		}
	}
	want := []string{`43: "name" is first set at line 2; keep one`, `44: "name" is first set at line 2; keep one`}
	if !reflect.DeepEqual(dups, want) {
		t.Errorf("duplicate-key diagnostics:\n%v\nwant\n%v", dups, want)
	}
}
