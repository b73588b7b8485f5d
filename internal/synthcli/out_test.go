package synthcli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestCheckOut: only a cloud assembly, an empty folder or nothing may be
// replaced.
func TestCheckOut(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, files map[string]string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(p, 0o755)
		for f, text := range files {
			os.WriteFile(filepath.Join(p, f), []byte(text), 0o644)
		}
		return p
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	link := filepath.Join(dir, "link")
	assembly := mk("assembly", map[string]string{"manifest.json": `{"version":"55.0.0","artifacts":{}}`, "cdk.out": `{"version":"55.0.0"}`})
	os.Symlink(assembly, link)
	for _, c := range []struct {
		path string
		ok   bool
	}{
		{filepath.Join(dir, "absent"), true},
		{mk("empty", nil), true},
		{assembly, true},
		{file, false},
		{link, false},
		{mk("catalog", map[string]string{"a.yaml": "org: {name: a}\n"}), false},
		{mk("manifest-only", map[string]string{"manifest.json": `{"version":"55.0.0"}`}), false},
		{mk("not-json", map[string]string{"manifest.json": `version: 1`, "cdk.out": `{"version":"55.0.0"}`}), false},
		{mk("no-version", map[string]string{"manifest.json": `{"name":"notes"}`, "cdk.out": `{"version":"55.0.0"}`}), false},
	} {
		err := checkOut(c.path)
		var oe *OutError
		if c.ok && err != nil || !c.ok && !errors.As(err, &oe) {
			t.Errorf("checkOut(%s) = %v, want ok %v", filepath.Base(c.path), err, c.ok)
		}
	}
}

// TestCatalogInside: a catalog file inside --out is found, a sibling is not.
func TestCatalogInside(t *testing.T) {
	if f := catalogInside("out", []string{"cat/a.yaml", "out/b.yaml"}); f != "out/b.yaml" {
		t.Errorf("got %q", f)
	}
	if f := catalogInside("out", []string{"outside/a.yaml", "../out/a.yaml", "out.yaml"}); f != "" {
		t.Errorf("got %q", f)
	}
}

// TestRemoveStale: the temporary folder of a process that is gone (or
// whose id now names a process started at another time) is removed; that
// of a running process, of another host, or of another name is kept.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "cdk.out")
	self, start := os.Getpid(), startTime(os.Getpid())
	if start <= 0 {
		t.Skip("no /proc")
	}
	names := map[string]bool{ // name: removed
		fmt.Sprintf("cdk.out.tmp-%s.%d.%d-1", hostTag(), 4194305, 1):      true, // above pid_max: gone
		fmt.Sprintf("cdk.out.tmp-%s.%d.%d-2", hostTag(), self, start+1):   true, // pid reused
		fmt.Sprintf("cdk.out.tmp-%s.%d.%d-3", hostTag(), os.Getppid(), 0): false,
		fmt.Sprintf("cdk.out.tmp-%s.%d.%d-4", "0000000g", 4194305, 1):     false, // not a host tag
		fmt.Sprintf("cdk.out.tmp-%08x.%d.%d-5", ^hostHash(), 4194305, 1):  false, // another host
		fmt.Sprintf("cdk.out.tmp-%s.%d.%d-6", hostTag(), self, start):     false, // this process
		"cdk.out.tmp-123456789": false, // names no process
		fmt.Sprintf("other.out.tmp-%s.%d.%d-7", hostTag(), 4194305, 1):         false,
		fmt.Sprintf("cdk.out.tmp-%s.%d.%d-8", hostTag(), 4194305, 1) + ".keep": true,
	}
	for n := range names {
		os.Mkdir(filepath.Join(dir, n), 0o755)
	}
	removeStale(target)
	for n, removed := range names {
		_, err := os.Stat(filepath.Join(dir, n))
		if gone := err != nil; gone != removed {
			t.Errorf("%s: removed %v, want %v", n, gone, removed)
		}
	}
}

func hostHash() uint32 {
	var h uint32
	fmt.Sscanf(hostTag(), "%08x", &h)
	return h
}
