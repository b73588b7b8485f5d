// Package test holds the command-line and end-to-end tests of slocat.
package test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/internal/cli"
)

var update = flag.Bool("update", false, "rewrite golden files from the current output (review the diff!)")

var diagLineRE = regexp.MustCompile(`^testdata/invalid/[a-z0-9-]+\.yaml:[0-9]+:[0-9]+: .+ \([a-z-]+/[a-z-]+\)$`)

// TestInvalidCorpus runs `slocat validate` on every catalog of the invalid
// corpus: each must exit 1 and print exactly its golden diagnostics.
func TestInvalidCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Fatalf("the invalid corpus has %d catalogs; it must keep at least 40", len(files))
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli.Run([]string{"validate", f}, &stdout, &stderr)
			if code != cli.ExitInvalid {
				t.Fatalf("exit status %d, want %d; stderr:\n%s", code, cli.ExitInvalid, stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout should be empty, got:\n%s", stdout.String())
			}
			first := strings.SplitN(stderr.String(), "\n", 2)[0]
			if !diagLineRE.MatchString(first) {
				t.Errorf("first line is not file:line:col: message (check):\n%s", first)
			}
			golden := strings.TrimSuffix(f, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, stderr.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./test -run TestInvalidCorpus -update, then review the golden file)", err)
			}
			if got := stderr.String(); got != string(want) {
				t.Errorf("diagnostics differ from %s\n--- got\n%s--- want\n%s", golden, got, want)
			}
			// validate checks without keeping the plan (slos.Check); plan
			// builds it (slos.Load). Both must find the same problems.
			var planOut, planErr bytes.Buffer
			if code := cli.Run([]string{"plan", f}, &planOut, &planErr); code != cli.ExitInvalid || planErr.String() != string(want) {
				t.Errorf("slocat plan: exit status %d, diagnostics differ from %s\n--- got\n%s--- want\n%s", code, golden, planErr.String(), want)
			}
		})
	}
}
