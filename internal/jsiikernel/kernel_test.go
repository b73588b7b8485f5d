package jsiikernel

import (
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

// TestPrepare: the kernel is copied from the extracted runtime once, greets
// with the linked version, and is used from the cache afterwards.
func TestPrepare(t *testing.T) {
	cache := t.TempDir()
	cmd, err := Prepare(cache, node())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cache, "jsii-kernel-"+RuntimeVersion())
	for _, f := range append([]string{"kernel.js"}, kernelFiles...) {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("prepared kernel lacks %s: %v", f, err)
		}
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
	// A damaged copy is prepared again.
	os.Remove(filepath.Join(dir, "lib", "program.js"))
	if again, err := Prepare(cache, node()); err != nil || again != cmd || !complete(dir) {
		t.Errorf("Prepare after damage = %q, %v; complete %v", again, err, complete(dir))
	}
	// With no extracted runtime around, the cached kernel is used.
	t.Setenv("TMPDIR", t.TempDir())
	again, err := Prepare(cache, node())
	if err != nil || again != cmd {
		t.Errorf("second Prepare = %q, %v; want %q from the cache", again, err, cmd)
	}
}

// TestPrepareWithoutRuntime: no extracted runtime and no cache: an error
// that says so, and nothing cached.
func TestPrepareWithoutRuntime(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	cache := t.TempDir()
	_, err := Prepare(cache, node())
	if err == nil || !strings.Contains(err.Error(), "no jsii runtime "+RuntimeVersion()+" extracted") {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(cache); len(entries) > 0 {
		t.Errorf("cache not empty: %v", entries)
	}
}

// TestPrepareRejectsBadKernel: a runtime folder with the right version
// marker whose kernel greets with another version is not cached.
func TestPrepareRejectsBadKernel(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	lib := filepath.Join(tmp, "jsii-runtime.fake", "lib")
	os.MkdirAll(lib, 0o755)
	program := `// {"name":"@jsii/runtime","version":"` + RuntimeVersion() + `"}
require('fs').writeSync(3, '{"hello":"@jsii/runtime@0.0.1"}\n');
`
	os.WriteFile(filepath.Join(lib, "program.js"), []byte(program), 0o644)
	os.WriteFile(filepath.Join(lib, "runtime-index-worker.js"), nil, 0o644)
	cache := t.TempDir()
	_, err := Prepare(cache, node())
	if err == nil || !strings.Contains(err.Error(), "did not greet") {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(cache); len(entries) > 0 {
		t.Errorf("a rejected kernel was cached: %v", entries)
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
