package synthetics

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/plan"
)

func TestRuntimeIsCurrent(t *testing.T) {
	for _, r := range CurrentRuntimes {
		if r == Runtime {
			return
		}
	}
	t.Fatalf("runtime %s is not in the list of current runtimes %v", Runtime, CurrentRuntimes)
}

// TestDeprecatedRuntimesRefused keeps runtimes AWS deprecated in 2026 out
// of the current list.
func TestDeprecatedRuntimesRefused(t *testing.T) {
	deprecated := []string{"syn-nodejs-puppeteer-5.2", "syn-nodejs-puppeteer-6.2", "syn-nodejs-puppeteer-7.0", "syn-python-selenium-4.0", "syn-python-selenium-4.1", "syn-python-selenium-5.0", "syn-python-selenium-5.1"}
	for _, d := range deprecated {
		for _, r := range CurrentRuntimes {
			if r == d {
				t.Errorf("%s is deprecated but listed as current", d)
			}
		}
	}
}

// TestRestrictedHeaders: the secret headers are redacted in lower case and in
// the spelling the catalog sends them, once each.
func TestRestrictedHeaders(t *testing.T) {
	c := &plan.Canary{Steps: []plan.CanaryStep{
		{Headers: map[string]string{"Authorization": "a", "X-Api-Key": "k", "Content-Type": "application/json"}},
		{Headers: map[string]string{"Authorization": "b", "cookie": "c"}},
	}}
	got := strings.Join(RestrictedHeaders(c), ",")
	want := "Authorization,X-Api-Key,authorization,cookie,proxy-authorization,set-cookie,x-amz-security-token,x-api-key"
	if got != want {
		t.Fatalf("RestrictedHeaders = %s, want %s", got, want)
	}
	script := Script(c)
	if !strings.Contains(script, `restrictedHeaders: ["Authorization","X-Api-Key","authorization",`) {
		t.Fatalf("the script does not configure the restricted headers:\n%s", script)
	}
}

// journeys are the test journeys: each runs against the node test suite's
// local server, whose port the suite learns from CANARY_PORT.
func journeys(port string) map[string]*plan.Canary {
	base := "http://127.0.0.1:" + port
	return map[string]*plan.Canary{
		"pass": {Name: "pass", Steps: []plan.CanaryStep{
			{Name: "home", Method: "GET", URL: base + "/ok", ExpectStatus: 200, LatencyBudget: 2 * time.Second},
			{Name: "start", Method: "POST", URL: base + "/created", Body: `{"event":"x"}`, Headers: map[string]string{"Content-Type": "application/json"}, ExpectStatus: 201, LatencyBudget: 2 * time.Second},
		}},
		"wrong-status": {Name: "wrong-status", Steps: []plan.CanaryStep{
			{Name: "broken", Method: "GET", URL: base + "/fail", ExpectStatus: 200},
		}},
		"too-slow": {Name: "too-slow", Steps: []plan.CanaryStep{
			{Name: "slow", Method: "GET", URL: base + "/slow", ExpectStatus: 200, LatencyBudget: 100 * time.Millisecond},
		}},
		"secrets": {Name: "secrets", Steps: []plan.CanaryStep{
			{Name: "private", Method: "GET", URL: base + "/private", Headers: map[string]string{"Authorization": "Bearer s3cret-token", "X-Api-Key": "k3y-value"}, ExpectStatus: 200},
		}},
	}
}

// TestScriptsWithNode runs the generated scripts under node --test with
// stand-ins for the Synthetics runtime modules against a local server
// (test/canary/canary.test.js): they pass on the expected status, fail on a
// wrong status and on a blown latency budget, pass the runtime only the
// step-level options it honours, and keep credentials out of step reports.
func TestScriptsWithNode(t *testing.T) {
	node := os.Getenv("JSII_NODE")
	if node == "" {
		var err error
		if node, err = exec.LookPath("node"); err != nil {
			t.Fatal("node is not installed")
		}
	}
	dir := t.TempDir()
	// The suite's server listens on a free port it picks itself, so the
	// scripts are generated with a placeholder port that the suite fills in.
	for name, c := range journeys("__PORT__") {
		if err := os.WriteFile(filepath.Join(dir, name+".js"), []byte(Script(c)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	suite, _ := filepath.Abs("../test/canary/canary.test.js")
	cmd := exec.Command(node, "--test", "--test-reporter=tap", suite)
	cmd.Env = append(os.Environ(), "CANARY_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "# pass 4") || !strings.Contains(string(out), "# fail 0") {
		t.Fatalf("expected 4 passing node tests:\n%s", out)
	}
}
