package jsiikernel

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	// Linking a jsii library makes jsii-runtime-go extract its runtime at
	// start-up, as it does in slocat-cdk; Prepare copies the kernel from it.
	_ "github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

func node() string {
	if n := os.Getenv("JSII_NODE"); n != "" {
		return n
	}
	return "node"
}

// TestGoModVersion: the fallback version is the one go.mod requires.
func TestGoModVersion(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(runtimeModule) + ` v(\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("go.mod does not require " + runtimeModule)
	}
	if string(m[1]) != goModVersion {
		t.Errorf("go.mod requires %s v%s; goModVersion is %s", runtimeModule, m[1], goModVersion)
	}
}

// TestKernelHashes: the recorded hashes are those of the kernel files the
// linked jsii-runtime-go embeds, for the version go.mod requires.
func TestKernelHashes(t *testing.T) {
	if hashedVersion != goModVersion {
		t.Fatalf("kernel hashes recorded for jsii-runtime-go %s; go.mod requires %s: record the new version's (this test prints them)", hashedVersion, goModVersion)
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", runtimeModule).Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "internal", "embedded", "resources")
	for _, f := range kernelFiles {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != kernelSHA256[f] {
			t.Errorf("kernelSHA256[%q] = %s; jsii-runtime-go embeds %s", f, kernelSHA256[f], got)
		}
	}
}

// TestPrepare: the kernel is copied from the extracted runtime once, greets
// with the linked version, and is used from the cache afterwards.
func TestPrepare(t *testing.T) {
	cache := t.TempDir()
	cmd, repaired, err := Prepare(cache, node())
	if err != nil || repaired != "" {
		t.Fatalf("Prepare = %q, %v", repaired, err)
	}
	dir := filepath.Join(cache, "jsii-kernel-"+RuntimeVersion())
	if err := verify(dir); err != nil {
		t.Errorf("prepared kernel: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(cache, ".jsii-kernel-*")); len(leftovers) > 0 {
		t.Errorf("temporary folders left: %v", leftovers)
	}
	if err := Handshake(cmd, RuntimeVersion()); err != nil {
		t.Fatal(err)
	}
	if err := Handshake(cmd, "0.0.1"); err == nil {
		t.Error("the handshake accepted a kernel of another version")
	}
	// With no extracted runtime around, the cached kernel is used.
	t.Setenv("TMPDIR", t.TempDir())
	again, repaired, err := Prepare(cache, node())
	if err != nil || again != cmd || repaired != "" {
		t.Errorf("second Prepare = %q, %q, %v; want %q from the cache", again, repaired, err, cmd)
	}
}

// TestPrepareRepairsDamage: a cached file that is missing, truncated or
// changed is found before the kernel runs, and the cache is prepared again;
// without a runtime to prepare it from, Prepare fails (and Setup uses the
// relay) saying so.
func TestPrepareRepairsDamage(t *testing.T) {
	cache := t.TempDir()
	cmd, _, err := Prepare(cache, node())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cache, "jsii-kernel-"+RuntimeVersion())
	damages := map[string]func(string) error{
		"truncated": func(p string) error { return os.Truncate(p, 100) },
		"emptied":   func(p string) error { return os.WriteFile(p, nil, 0o644) },
		"changed": func(p string) error {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, append(b, "\nconsole.log(1);\n"...), 0o644)
		},
		"removed": os.Remove,
	}
	for _, f := range append([]string{"kernel.js"}, kernelFiles...) {
		for how, damage := range damages {
			if err := damage(filepath.Join(dir, f)); err != nil {
				t.Fatal(err)
			}
			again, repaired, err := Prepare(cache, node())
			if err != nil || again != cmd || !strings.Contains(repaired, f) {
				t.Errorf("%s %s: Prepare = %q, %q, %v", f, how, again, repaired, err)
			}
			if err := verify(dir); err != nil {
				t.Errorf("%s %s: after Prepare: %v", f, how, err)
			}
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(cache, ".jsii-kernel-*")); len(leftovers) > 0 {
		t.Errorf("temporary folders left: %v", leftovers)
	}
	t.Setenv("TMPDIR", t.TempDir())
	os.Truncate(filepath.Join(dir, "lib", "program.js"), 0)
	_, _, err = Prepare(cache, node())
	if err == nil || !strings.Contains(err.Error(), "kernel cache damaged (lib/program.js differs") {
		t.Errorf("damaged cache and no runtime: err = %v", err)
	}
}

// TestPrepareWithoutRuntime: no extracted runtime and no cache: an error
// that says so, and nothing cached.
func TestPrepareWithoutRuntime(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	cache := t.TempDir()
	_, _, err := Prepare(cache, node())
	if err == nil || !strings.Contains(err.Error(), "no jsii runtime "+RuntimeVersion()+" with the embedded kernel files extracted") {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(cache); len(entries) > 0 {
		t.Errorf("cache not empty: %v", entries)
	}
}

// TestPrepareNeverRunsPlantedRuntime: a runtime folder in $TMPDIR that
// carries the right version marker but not jsii's files (another local
// user's, on a shared /tmp) is neither run nor cached.
func TestPrepareNeverRunsPlantedRuntime(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ran := filepath.Join(t.TempDir(), "ran")
	lib := filepath.Join(tmp, "jsii-runtime.planted", "lib")
	os.MkdirAll(lib, 0o755)
	program := `// {"name":"@jsii/runtime","version":"` + RuntimeVersion() + `"}
require('fs').writeFileSync(` + "`" + ran + "`" + `, 'planted code ran');
require('fs').writeSync(3, '{"hello":"@jsii/runtime@` + RuntimeVersion() + `"}\n');
`
	os.WriteFile(filepath.Join(lib, "program.js"), []byte(program), 0o644)
	os.WriteFile(filepath.Join(lib, "runtime-index-worker.js"), nil, 0o644)
	cache := t.TempDir()
	_, _, err := Prepare(cache, node())
	if err == nil {
		t.Error("Prepare accepted a planted runtime")
	}
	if _, err := os.Stat(ran); err == nil {
		t.Error("the planted runtime's code ran")
	}
	if entries, _ := os.ReadDir(cache); len(entries) > 0 {
		t.Errorf("a planted kernel was cached: %v", entries)
	}
}

// TestQuote: paths with spaces and quotes reach the command unchanged.
func TestQuote(t *testing.T) {
	for _, s := range []string{"/a b/node", "/it's/node", `/x"y$z/node`, ""} {
		out, err := exec.Command("/bin/sh", "-c", "printf %s "+quote(s)).Output()
		if err != nil || string(out) != s {
			t.Errorf("quote(%q) gave %q, %v", s, out, err)
		}
	}
}
