package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestExitStatusReading: whatever stops slocat from reading the catalog
// exits 2, as a wrong command line does; problems found in what was read
// exit 1.
func TestExitStatusReading(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	loop := filepath.Join(dir, "loop.yaml")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	cases := []struct {
		name string
		path string
		want int
	}{
		{"missing path", filepath.Join(dir, "does-not-exist"), ExitUsage},
		{"symbolic link loop", loop, ExitUsage},
		{"folder without catalog files", empty, ExitUsage},
		{"device", "/dev/null", ExitUsage},
		{"invalid catalog", write("bad/a.yaml", "org: {name: acme}\nnope: 1\n"), ExitInvalid},
	}
	if os.Geteuid() != 0 { // root reads any file
		p := write("locked/a.yaml", "org: {name: acme}\n")
		os.Chmod(p, 0)
		cases = append(cases, struct {
			name string
			path string
			want int
		}{"unreadable file", p, ExitUsage})
	}
	for _, c := range cases {
		for _, cmd := range []string{"validate", "plan"} {
			var stdout, stderr bytes.Buffer
			if got := Run([]string{cmd, c.path}, &stdout, &stderr); got != c.want {
				t.Errorf("%s: slocat %s exits %d, want %d (%s)", c.name, cmd, got, c.want, bytes.TrimSpace(stderr.Bytes()))
			}
		}
	}
}
