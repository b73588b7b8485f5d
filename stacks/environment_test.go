package stacks

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestStagingWatchesStaging: no template of one environment names a value
// that only another environment's vars hold (a load balancer, table or
// function of prod in staging's alarms, say).
func TestStagingWatchesStaging(t *testing.T) {
	cat := loadPlan(t, "../catalog")
	golden := templates(t, "testdata/golden")
	checked := 0
	for _, e := range cat.Environments {
		for _, other := range cat.Environments {
			if other == e {
				continue
			}
			for name, value := range other.Vars {
				if e.Vars[name] == value || value == "" {
					continue // the same in both: not the other's own
				}
				for file, b := range golden {
					if !strings.HasPrefix(file, "streamforge-"+e.Name+"-") {
						continue
					}
					checked++
					// A whole JSON string: prod's "sessions" is not in "sessions-staging".
					if bytes.Contains(b, []byte(strconv.Quote(value))) {
						t.Errorf("%s names %s's %s (%s)", file, other.Name, name, value)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no environment holds vars of its own: nothing was checked")
	}
}

// TestCommentEditChangesNoTemplate: a comment added at the top of every
// catalog file moves every object down a line, and no template changes
// (deployed text carries no line numbers).
func TestCommentEditChangesNoTemplate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "catalog")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../catalog/*.yaml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		edited := append([]byte("# A reviewer's note.\n#\n"), b...)
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), edited, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cat := loadPlan(t, dir)
	out, _ := synth(t, cat.Plan, false)
	assertSame(t, "templates after a comment edit", templates(t, "testdata/golden"), templates(t, out))
}

// TestCfnLint runs cfn-lint, which checks templates against the
// CloudFormation resource schemas, over the golden templates when it is on
// PATH (it is on the project's machines), and fails on any error.
func TestCfnLint(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*.template.json")
	if len(files) == 0 {
		t.Fatal("no golden templates")
	}
	cfnLint(t, files...)
}

// cfnLint fails t on any error cfn-lint finds in the templates; it skips t
// when cfn-lint is not on PATH.
func cfnLint(t *testing.T, files ...string) {
	t.Helper()
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not on PATH (pip install cfn-lint)")
	}
	cmd := exec.Command(lint, append([]string{"--format", "parseable", "--"}, files...)...)
	outb, _ := cmd.CombinedOutput() // exit status is non-zero on warnings too
	var errs []string
	for _, line := range strings.Split(string(outb), "\n") {
		// parseable: file:line:col:endline:endcol:RULE:message
		if parts := strings.SplitN(line, ":", 7); len(parts) == 7 && strings.HasPrefix(parts[5], "E") {
			errs = append(errs, line)
		}
	}
	if len(errs) > 0 {
		t.Errorf("cfn-lint finds %d errors:\n%s", len(errs), strings.Join(errs, "\n"))
	}
	if cmd.ProcessState != nil && cmd.ProcessState.ExitCode() != 0 && len(errs) == 0 && !strings.Contains(string(outb), ":W") && !strings.Contains(string(outb), ":I") {
		t.Errorf("cfn-lint failed without a finding:\n%s", outb)
	}
}
