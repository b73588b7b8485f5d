package test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/pipeline"
)

// TestReadmeCatalogValidates: the catalog the README shows is a valid one.
func TestReadmeCatalogValidates(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "## A catalog in one screen")
	j := strings.Index(s[i:], "```yaml\n")
	if i < 0 || j < 0 {
		t.Fatal("the README has no catalog example")
	}
	body := s[i+j+len("```yaml\n"):]
	body = body[:strings.Index(body, "```")]
	f := filepath.Join(t.TempDir(), "readme.yaml")
	if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, src, err := pipeline.Load(f); err != nil {
		var out bytes.Buffer
		if e, ok := err.(*diag.Error); ok {
			e.Diags.Render(&out, src)
		}
		t.Fatalf("the README's catalog is invalid: %v\n%s", err, out.String())
	}
}
