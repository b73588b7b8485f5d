package plandiff

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
)

// loadEdited loads a copy of the default catalog with each file's text
// replaced as edits say (file → old → new).
func loadEdited(t *testing.T, edits map[string][][2]string) *plan.Plan {
	t.Helper()
	src := "../../catalog"
	dir := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, r := range edits[e.Name()] {
			if !strings.Contains(text, r[0]) {
				t.Fatalf("%s does not hold %q", e.Name(), r[0])
			}
			text = strings.Replace(text, r[0], r[1], 1)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cat, _, err := pipeline.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return cat.Plan
}

func TestSamePlanIsEmpty(t *testing.T) {
	a, b := loadEdited(t, nil), loadEdited(t, nil)
	d := Compare(a, b)
	if !d.Empty() {
		var out bytes.Buffer
		d.Text(&out)
		t.Fatalf("a catalog differs from itself:\n%s", out.String())
	}
}

// TestKindsOfObjects: a canary, a RUM monitor and a trace group changed in
// the default catalog show as field changes of that object in both
// environments, and the printed diff is the same every time.
func TestKindsOfObjects(t *testing.T) {
	old := loadEdited(t, nil)
	new := loadEdited(t, map[string][][2]string{
		"web.yaml":            {{"lcp: 2.5s", "lcp: 2s"}},
		"live-events.yaml":    {{`responsetime > 2`, `responsetime > 3`}},
		"catalog-browse.yaml": {{"objective: 99.5%", "objective: 99.75%"}},
	})
	d := Compare(old, new)
	var out bytes.Buffer
	if err := d.Text(&out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"~ RUM monitor streamforge-web [streamforge-prod-web-app]\n        lcp: 2500ms → 2s\n",
		"~ trace group live-startup-slow [streamforge-staging-live-events]\n        filter: service(\"live-events\") AND responsetime > 2 → service(\"live-events\") AND responsetime > 3\n",
		"⇒ halves the error budget from 201.6 to 100.8 bad minutes\n",
		"    update streamforge-staging-web-app\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the diff does not hold %q:\n%s", want, text)
		}
	}
	for range 3 {
		var again bytes.Buffer
		Compare(old, new).Text(&again)
		if again.String() != text {
			t.Fatal("two diffs of the same plans differ")
		}
	}
}

func TestBudgetChange(t *testing.T) {
	for _, c := range []struct {
		ratio float64
		want  string
	}{
		{0.5, "halves the error budget"},
		{2, "doubles the error budget"},
		{0.2, "cuts the error budget by 80%"},
		{10, "multiplies the error budget by 10"},
		{1, "keeps the error budget"},
	} {
		if got := budgetChange(c.ratio); got != c.want {
			t.Errorf("budgetChange(%v) = %q, want %q", c.ratio, got, c.want)
		}
	}
}

// TestOrgRename: a new org name renames every alarm and stack; the diff
// says so once and lists the stacks to delete and create, not every alarm.
func TestOrgRename(t *testing.T) {
	d := Compare(loadEdited(t, nil), loadEdited(t, map[string][][2]string{"org.yaml": {{"  name: streamforge", "  name: streamfox"}}}))
	if d.OrgChange == nil || d.OrgChange.New != "streamfox" {
		t.Fatalf("org change not reported: %+v", d.OrgChange)
	}
	for _, e := range d.Environments {
		if len(e.Services) > 0 || len(e.Routes) > 0 {
			t.Errorf("%s: services or routes reported as changed: %+v %+v", e.Name, e.Services, e.Routes)
		}
		var deleted, created int
		for _, s := range e.Stacks {
			switch {
			case s.Change == "delete" && strings.HasPrefix(s.Name, "streamforge-"):
				deleted++
			case s.Change == "create" && strings.HasPrefix(s.Name, "streamfox-"):
				created++
			default:
				t.Errorf("%s: unexpected stack change %+v", e.Name, s)
			}
		}
		if deleted == 0 || deleted != created {
			t.Errorf("%s: %d stacks deleted, %d created", e.Name, deleted, created)
		}
	}
}

// TestLoadGuardChange: a validated-load guard set in the org's defaults
// shows on each SLO that states its load, with where it now comes from,
// and its alarm is listed among the SLO's alarms.
func TestLoadGuardChange(t *testing.T) {
	old := loadEdited(t, nil)
	b, err := os.ReadFile("../../catalog/org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	line := "  defaults:\n"
	if !strings.Contains(string(b), line) {
		t.Fatal("org.yaml has no defaults to add to")
	}
	d := Compare(old, loadEdited(t, map[string][][2]string{"org.yaml": {{line, line + "    loadGuard: {for: 30m, severity: page}\n"}}}))
	var out bytes.Buffer
	d.Text(&out)
	text := out.String()
	for _, want := range []string{
		"loadGuard: ticket after 15m above the load → page after 30m above the load (from org defaults)",
		"browse-latency-over-load",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("diff lacks %q:\n%s", want, text)
		}
	}
}

// TestRecordsAndDashboards: on the default catalog, a baseline maxAge
// default written on another line is no change; a turned-off service
// dashboard and a removed trade-off show in both environments, and only the
// dashboard touches a stack.
func TestRecordsAndDashboards(t *testing.T) {
	old := loadEdited(t, nil)
	moved := loadEdited(t, map[string][][2]string{"org.yaml": {
		{"    baseline:\n      maxAge: 90d\n", ""},
		{"  defaults:\n    slo:\n", "  defaults:\n    baseline: {maxAge: 90d}\n    slo:\n"},
	}})
	if d := Compare(old, moved); !d.Empty() {
		var out bytes.Buffer
		d.Text(&out)
		t.Fatalf("the same maxAge set on another line changes nothing:\n%s", out.String())
	}
	b, err := os.ReadFile("../../catalog/session-store.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	register := text[strings.Index(text, "    tradeoffs:\n"):strings.Index(text, "    alarms:\n")]
	edited := loadEdited(t, map[string][][2]string{"session-store.yaml": {{register, "    defaults:\n      dashboard: {disabled: true}\n"}}})
	d := Compare(old, edited)
	var out bytes.Buffer
	d.Text(&out)
	for _, env := range []string{"prod", "staging"} {
		for _, want := range []string{
			"    - dashboard streamforge-" + env + "-session-store: turned off by defaults.dashboard.disabled [streamforge-" + env + "-session-store]\n",
			"    - trade-off progress-eventual-reads: consistency: ",
			"    update streamforge-" + env + "-session-store\n",
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s: no %q in\n%s", env, want, out.String())
			}
		}
	}
	if n := strings.Count(out.String(), "⇒ a catalog record only: no stack changes"); n != 2 {
		t.Errorf("%d record-only changes, want 2 (the trade-off, in each environment):\n%s", n, out.String())
	}
}
