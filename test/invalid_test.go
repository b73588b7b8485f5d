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

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/internal/cli"
)

var update = flag.Bool("update", false, "rewrite golden files from the current output (review the diff!)")

var (
	diagLineRE  = regexp.MustCompile(`^testdata/invalid/[a-z0-9-]+(/[a-z0-9-]+)?\.yaml:[0-9]+:[0-9]+: .+ \([a-z-]+/[a-z-]+\)$`)
	diagCheckRE = regexp.MustCompile(`(?m)^testdata/invalid/\S+:[0-9]+:[0-9]+: .+ \(([a-z-]+/[a-z-]+)\)$`)
)

// severalMistakes are the corpus catalogs that hold more than one mistake
// on purpose; every other catalog must get exactly one diagnostic.
var severalMistakes = map[string]bool{
	"page-without-route": true, // an SLO and an alarm, each of severity page
	"slack-channel":      true, // three routes, three mistakes
	"var-undefined":      true, // a bad var name and an undefined var
	"yaml-alias":         true, // an anchor and its alias, on two lines
}

// corpusToday is the day the corpus is validated on: baselines age
// against it (--today), so the goldens do not change with the calendar.
const corpusToday = "2026-12-01"

// onlyWarnings are the corpus catalogs whose one diagnostic is a warning:
// validate prints it and exits 0.
var onlyWarnings = map[string]bool{
	"baseline-stale": true,
}

// invalidCatalogs lists the invalid corpus: one-file catalogs (NAME.yaml)
// and folder catalogs (NAME/, for mistakes that span files), each with its
// golden diagnostics in NAME.golden.
func invalidCatalogs(t *testing.T) []string {
	t.Helper()
	all, err := filepath.Glob("testdata/invalid/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range all {
		if st, err := os.Stat(f); err == nil && st.IsDir() || strings.HasSuffix(f, ".yaml") {
			out = append(out, f)
		}
	}
	return out
}

// TestInvalidCorpus runs `slocat validate` on every catalog of the invalid
// corpus: each must exit 1 (0 for a warning alone) and print exactly its
// golden diagnostics, each tagged with a registered check.
func TestInvalidCorpus(t *testing.T) {
	files := invalidCatalogs(t)
	if len(files) < 40 {
		t.Fatalf("the invalid corpus has %d catalogs; it must keep at least 40", len(files))
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			name := strings.TrimSuffix(filepath.Base(f), ".yaml")
			code := cli.Run([]string{"validate", "--today", corpusToday, f}, &stdout, &stderr)
			if onlyWarnings[name] {
				if code != cli.ExitOK || !strings.HasPrefix(stdout.String(), "catalog valid:") {
					t.Fatalf("a warning alone: exit status %d, want %d, and the catalog valid; stdout:\n%s", code, cli.ExitOK, stdout.String())
				}
				stdout.Reset()
			} else if code != cli.ExitInvalid {
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
			found := diagCheckRE.FindAllStringSubmatch(stderr.String(), -1)
			for _, m := range found {
				if _, ok := diag.LookupCheck(m[1]); !ok {
					t.Errorf("check %s is not registered in diag.Checks", m[1])
				}
			}
			// One mistake, one diagnostic: the few catalogs that hold
			// several mistakes on purpose are listed.
			if name := strings.TrimSuffix(filepath.Base(f), ".yaml"); len(found) > 1 && !severalMistakes[name] {
				t.Errorf("%d diagnostics for one mistake; want one (or list the catalog in severalMistakes)", len(found))
			}
			// A file of a folder catalog that says it is valid is never named.
			if sub, _ := filepath.Glob(filepath.Join(f, "*.yaml")); len(sub) > 0 {
				for _, file := range sub {
					b, _ := os.ReadFile(file)
					if strings.HasPrefix(string(b), "# Valid") && strings.Contains(stderr.String(), file+":") {
						t.Errorf("a diagnostic names %s, which is valid", file)
					}
				}
			}
			// validate checks without keeping the plan (pipeline.Check); plan
			// builds it (pipeline.Load). Both must find the same problems.
			// Warnings are validate's alone.
			if onlyWarnings[name] {
				return
			}
			var planOut, planErr bytes.Buffer
			if code := cli.Run([]string{"plan", f}, &planOut, &planErr); code != cli.ExitInvalid || planErr.String() != string(want) {
				t.Errorf("slocat plan: exit status %d, diagnostics differ from %s\n--- got\n%s--- want\n%s", code, golden, planErr.String(), want)
			}
		})
	}
}

// TestEveryCheckHasACase fails when a registered check has no case in the
// invalid corpus: its CheckInfo.Case must name a corpus catalog whose golden
// diagnostics carry the check's ID. The one exception, input/size, needs a
// 16 MiB file; pipeline.TestFileSizeLimit and the input-pipe script cover it.
func TestEveryCheckHasACase(t *testing.T) {
	exempt := map[string]bool{diag.CheckInputSize: true}
	for _, c := range diag.Checks {
		if exempt[c.ID] {
			continue
		}
		if c.Case == "" {
			t.Errorf("check %s has no case in the invalid corpus", c.ID)
			continue
		}
		golden, err := os.ReadFile(filepath.Join("testdata/invalid", c.Case+".golden"))
		if err != nil {
			t.Errorf("check %s: %v", c.ID, err)
			continue
		}
		found := false
		for _, m := range diagCheckRE.FindAllStringSubmatch(string(golden), -1) {
			found = found || m[1] == c.ID
		}
		if !found {
			t.Errorf("check %s: case %s does not report it", c.ID, c.Case)
		}
	}
}
