package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/load"
)

const pipeCatalog = `org: {name: acme}
environments:
  - {name: prod, account: "123456789012", region: eu-west-1}
routes:
  - {id: oncall, type: email, emails: [oncall@acme.example]}
services:
  - name: checkout
    owner: team-checkout
    oncall: {page: [oncall], ticket: [oncall]}
    slos:
      - id: latency
        objective: 99.9%
        goal: p99 < 300 ms
        sli:
          latency: {metric: {namespace: Acme, name: Latency}, percentile: p99, threshold: 300ms}
`

// fifo makes a named pipe at path and writes text into it from a goroutine
// once a reader opens it.
func fifo(t *testing.T, path string, text []byte) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		f.Write(text)
	}()
}

// loadWithin runs Load and fails the test if it takes longer than a few
// seconds (a named pipe nobody writes to would block it forever).
func loadWithin(t *testing.T, paths ...string) (*Result, diag.Sources, error) {
	t.Helper()
	type result struct {
		cat *Result
		src diag.Sources
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, s, err := Load(paths...)
		done <- result{c, s, err}
	}()
	select {
	case r := <-done:
		return r.cat, r.src, r.err
	case <-time.After(20 * time.Second):
		t.Fatalf("Load(%v) still running after 20 s", paths)
		return nil, nil, nil
	}
}

// TestLoadPipeNamed: a pipe named as a path is read whole, from its first
// byte, from the descriptor opened once.
func TestLoadPipeNamed(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	fifo(t, p, []byte(pipeCatalog))
	cat, src, err := loadWithin(t, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(src[filepath.ToSlash(p)]); got != pipeCatalog {
		t.Errorf("read %q, want the catalog", got)
	}
	if len(cat.Services) != 1 {
		t.Errorf("%d services", len(cat.Services))
	}
}

// TestLoadPipeSizeLimit: a pipe longer than MaxFileBytes stops at the limit
// with an input/size diagnostic.
func TestLoadPipeSizeLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	fifo(t, p, make([]byte, load.MaxFileBytes+10))
	_, _, err := loadWithin(t, p)
	var e *diag.Error
	if !errors.As(err, &e) || len(e.Diags) != 1 || e.Diags[0].Check != "input/size" {
		t.Fatalf("want one input/size diagnostic, got %v", err)
	}
}

// TestLoadRefusesNonRegular: a named pipe found in a catalog folder, and a
// device named as a path, are refused without being opened.
func TestLoadRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(pipeCatalog), 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "b.yaml"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, paths := range [][]string{{dir}, {"/dev/zero"}} {
		_, _, err := loadWithin(t, paths...)
		var nr *load.NotRegularError
		if !errors.As(err, &nr) || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Load(%v) = %v, want a NotRegularError", paths, err)
		}
	}
}
