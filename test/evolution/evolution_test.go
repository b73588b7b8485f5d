// Package evolution replays ordinary catalog pull requests against the
// deploy-evolution check: each edit is synthesized before and after, and
// the check says whether cdk deploy can move the deployed stacks (the
// "before" assembly) to the new ones.
package evolution

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/internal/evolve"
	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/internal/jsiikernel"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/stacks"
)

func TestMain(m *testing.M) {
	jsiikernel.Setup(os.Stderr)
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// edit is a catalog change: replacements in files of a copy of the catalog
// (an empty new text deletes the file when old is empty too).
type edit struct {
	name string
	// files maps a catalog file to the [old, new] replacements to make in it.
	files map[string][][2]string
	// apply, when set, edits the catalog in dir instead.
	apply func(t *testing.T, dir string)
	// today are the hazard kinds the check reports for this edit on the
	// design before issue 16.
	today []evolve.Kind
	// want are the hazard kinds allowed on the evolved design: removed
	// stacks must be deleted by hand, nothing else may stop the deploy.
	want []evolve.Kind
}

var removal = []evolve.Kind{evolve.KindRemoved}

// evolvedDesign says whether the stacks are built so that every edit
// deploys cleanly (issue 16). Until then the test pins what the check finds
// on the old design (edit.today), so that it fails if the check stops
// finding it.
const evolvedDesign = true

// expected are the hazard kinds the check must report for an edit.
func (e edit) expected() []evolve.Kind {
	if evolvedDesign {
		return e.want
	}
	return e.today
}

// edits are the pull requests of issue 16.
var edits = []edit{
	{name: "switch-route", files: map[string][][2]string{
		"billing.yaml": {{"page: [payments-opsgenie]\n      ticket: [payments-opsgenie]", "page: [platform-pagerduty]\n      ticket: [platform-pagerduty]"}},
	}, today: []evolve.Kind{evolve.KindExport}},
	{name: "rename-route", files: map[string][][2]string{
		"org.yaml":     {{"- id: payments-opsgenie", "- id: payments-genie"}},
		"billing.yaml": {{"page: [payments-opsgenie]\n      ticket: [payments-opsgenie]", "page: [payments-genie]\n      ticket: [payments-genie]"}},
	}, today: []evolve.Kind{evolve.KindExport}},
	{name: "remove-last-user-of-route", files: map[string][][2]string{
		"live-events.yaml": {{"ticket: [live-slack]", "ticket: [sre-email]"}},
	}, today: []evolve.Kind{evolve.KindExport}},
	{name: "remove-service", files: map[string][][2]string{
		"web.yaml": {{"", ""}},
	}, today: removal, want: removal},
	{name: "remove-environment", apply: removeEnvironment("staging"), today: removal, want: removal},
	{name: "rename-slo", files: map[string][][2]string{
		"billing.yaml": {{"- id: invoice-latency", "- id: invoice-p90"}, {"slos: [payment-success, invoice-latency]", "slos: [payment-success, invoice-p90]"}},
	}},
	// Create-only properties the catalog reaches: an anomaly detector's
	// metric (the detector has no name), an email subscription's address
	// (no name), and the create-only names of a canary and an app monitor.
	{name: "anomaly-detector-metric", files: map[string][][2]string{
		"billing.yaml": {{"          name: PaymentFailures\n        statistic: Sum", "          name: ProviderErrors\n        statistic: Sum"}},
	}},
	{name: "email-address", files: map[string][][2]string{
		"org.yaml": {{"- sre-tickets@streamforge.example", "- sre-oncall@streamforge.example"}},
	}},
	{name: "rename-canary", files: map[string][][2]string{
		"billing.yaml": {{"- name: billing-plans", "- name: billing-pricing"}},
	}},
	{name: "rename-rum-monitor", files: map[string][][2]string{
		"web.yaml": {{"- name: streamforge-web", "- name: streamforge-webapp"}},
	}},
}

// synth synthesizes the catalog in dir into a fresh folder. CDK's
// CloudFormation validation is off: it checks templates, it does not change them.
func synth(t *testing.T, dir string) string {
	t.Helper()
	cat, _, err := pipeline.Load(dir)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	out := t.TempDir()
	if _, err := stacks.Synth(cat.Plan, stacks.Options{Outdir: out, NoValidate: true}); err != nil {
		t.Fatal(err)
	}
	return out
}

func copyCatalog(t *testing.T, from string) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(from, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalog in %s", from)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// removeEnvironment deletes an environment's entry (its lines up to the
// next entry or the end of the list) from org.yaml.
func removeEnvironment(name string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		path := filepath.Join(dir, "org.yaml")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		skip := false
		for _, l := range strings.Split(string(b), "\n") {
			switch {
			case l == "  - name: "+name:
				skip = true
				continue
			case skip && (strings.HasPrefix(l, "  - ") || (l != "" && !strings.HasPrefix(l, "   "))):
				skip = false
			}
			if !skip {
				out = append(out, l)
			}
		}
		if len(out) == len(strings.Split(string(b), "\n")) {
			t.Fatalf("org.yaml has no environment %s", name)
		}
		if err := os.WriteFile(path, []byte(strings.Join(out, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func apply(t *testing.T, dir string, e edit) {
	t.Helper()
	if e.apply != nil {
		e.apply(t, dir)
	}
	for file, repl := range e.files {
		path := filepath.Join(dir, file)
		if len(repl) == 1 && repl[0] == [2]string{} {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, r := range repl {
			if strings.Count(s, r[0]) != 1 {
				t.Fatalf("%s: %q occurs %d times, want once", file, r[0], strings.Count(s, r[0]))
			}
			s = strings.Replace(s, r[0], r[1], 1)
		}
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var schemasOnce = sync.OnceValues(evolve.OpenSchemas)

func run(t *testing.T, before, after string) *evolve.Report {
	t.Helper()
	schemas, err := schemasOnce()
	if err != nil {
		t.Skipf("no resource provider schemas: %v", err)
	}
	old, err := evolve.Load(before)
	if err != nil {
		t.Fatal(err)
	}
	next, err := evolve.Load(after)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := evolve.Check(old, next, schemas)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rep.Write(&b, "cdk.out.before")
	t.Logf("evolve:\n%s", b.String())
	return rep
}

// kinds lists the hazard kinds of a report, once each, in a fixed order.
func kinds(rep *evolve.Report) []evolve.Kind {
	var out []evolve.Kind
	for _, k := range []evolve.Kind{evolve.KindExport, evolve.KindParameter, evolve.KindName, evolve.KindReplace, evolve.KindRemoved} {
		if len(rep.Of(k)) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// TestEvolution synthesizes the default catalog once, then each edit of it,
// and checks each change: the only hazards allowed are the stacks that a
// removal leaves behind.
func TestEvolution(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes the default catalog a dozen times")
	}
	before := synth(t, "../../catalog")
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			dir := copyCatalog(t, "../../catalog")
			apply(t, dir, e)
			rep := run(t, before, synth(t, dir))
			if got := kinds(rep); !slices.Equal(got, e.expected()) {
				t.Errorf("hazards %v, want %v (on the design before issue 16: %v)", got, e.expected(), e.today)
			}
			if slices.Contains(e.expected(), evolve.KindRemoved) && len(rep.Commands("cdk.out.before")) == 0 {
				t.Error("no commands to delete the removed stacks")
			}
		})
	}
}

// TestSplitGrowth: a generated service grows from 20 to 30 SLOs, past the
// split threshold (stacks.MaxResources), into parts.
func TestSplitGrowth(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes a 30-SLO service")
	}
	write := func(slos int) string {
		dir := t.TempDir()
		if err := gen.Write(dir, gen.Options{Services: 1, SLOs: slos}); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	before, after := synth(t, write(20)), synth(t, write(30))
	old, _ := evolve.Load(before)
	next, _ := evolve.Load(after)
	if len(next.Stacks) <= len(old.Stacks) {
		t.Fatalf("the service did not split: %d stacks before, %d after", len(old.Stacks), len(next.Stacks))
	}
	rep := run(t, before, after)
	e := edit{today: []evolve.Kind{evolve.KindName}}
	if got := kinds(rep); !slices.Equal(got, e.expected()) {
		t.Errorf("hazards %v, want %v (on the design before issue 16: [name])", got, e.expected())
	}
}
