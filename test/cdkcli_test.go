package test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// npxCDK runs the pinned CDK CLI (package.json) in the repository, as a
// pipeline would: npx cdk synth through cdk.json.
func npxCDK(t *testing.T, args ...string) (string, error) {
	t.Helper()
	if _, err := os.Stat("../node_modules/.bin/cdk"); err != nil {
		t.Fatal("the CDK CLI is not installed: run make test (it runs npm ci first)")
	}
	cmd := exec.Command("npx", append([]string{"--no-install", "cdk"}, args...)...)
	cmd.Dir = ".."
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// TestCDKCLISynth: npx cdk synth produces the same templates as slocat synth
// (the reviewed golden files).
func TestCDKCLISynth(t *testing.T) {
	dir := t.TempDir()
	out, err := npxCDK(t, "synth", "--quiet", "--output", dir)
	if err != nil {
		t.Fatalf("npx cdk synth: %v\n%s", err, out)
	}
	golden, _ := filepath.Glob("../stacks/testdata/golden/*.template.json")
	if len(golden) == 0 {
		t.Fatal("no golden templates")
	}
	for _, g := range golden {
		want, _ := os.ReadFile(g)
		got, err := os.ReadFile(filepath.Join(dir, filepath.Base(g)))
		if err != nil {
			t.Errorf("npx cdk synth did not write %s", filepath.Base(g))
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s from npx cdk synth differs from the golden template", filepath.Base(g))
		}
	}
}

var stackTrace = regexp.MustCompile(`goroutine \d+|panic:|\.go:\d+|\n\s+at .*\.js:\d+`)

// TestCDKCLIBadCatalog: a bad catalog makes npx cdk synth fail with the
// catalog's diagnostics, not a Go or Node stack trace.
func TestCDKCLIBadCatalog(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("org: {name: acme}\nenvironments:\n  - {name: prod, account: \"12345\", region: eu-west-1}\n"), 0o644)
	out, err := npxCDK(t, "synth", "--quiet", "--output", t.TempDir(), "-c", "catalog="+bad)
	if err == nil {
		t.Fatalf("npx cdk synth of a bad catalog succeeded:\n%s", out)
	}
	if !strings.Contains(out, bad+`:3:27: account "12345" is not a 12-digit AWS account ID (catalog/account)`) {
		t.Errorf("the catalog diagnostic is missing:\n%s", out)
	}
	if m := stackTrace.FindString(out); m != "" {
		t.Errorf("output holds a stack trace (%q):\n%s", m, out)
	}
}
