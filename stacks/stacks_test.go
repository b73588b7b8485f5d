package stacks

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/internal/gen"
	"github.com/slocatalog/slocatalog/internal/jsiikernel"
	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
)

var update = flag.Bool("update", false, "rewrite the golden templates (review the diff!)")

func TestMain(m *testing.M) {
	jsiikernel.Setup(os.Stderr) // the bundled Node.js, as slocat synth uses
	code := m.Run()
	jsii.Close() // removes the runtime folder jsii extracted; stops Node
	if defaultDir != "" {
		os.RemoveAll(defaultDir)
	}
	os.Exit(code)
}

func loadPlan(t testing.TB, paths ...string) *pipeline.Result {
	t.Helper()
	cat, _, err := pipeline.Load(paths...)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// synth synthesizes a plan into a fresh folder and returns it with the summary.
func synth(t testing.TB, catalogPlan *plan.Plan, nag bool) (string, *Summary) {
	t.Helper()
	dir := t.TempDir()
	sum, err := Synth(catalogPlan, Options{Outdir: dir, Nag: nag})
	if err != nil {
		t.Fatalf("synth: %v", err)
	}
	return dir, sum
}

var (
	defaultOnce sync.Once
	defaultDir  string
	defaultSum  *Summary
	defaultErr  error
)

// defaultAssembly is the default catalog synthesized once, with cdk-nag on.
func defaultAssembly(t *testing.T) (string, *Summary) {
	defaultOnce.Do(func() {
		cat, _, err := pipeline.Load("../catalog")
		if err != nil {
			defaultErr = err
			return
		}
		defaultDir, err = os.MkdirTemp("", "slocat-default-")
		if err != nil {
			defaultErr = err
			return
		}
		defaultSum, defaultErr = Synth(cat.Plan, Options{Outdir: defaultDir, Nag: true})
	})
	if defaultErr != nil {
		t.Fatalf("default catalog: %v", defaultErr)
	}
	return defaultDir, defaultSum
}

func templates(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates in %s (%v)", dir, err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}

// TestGoldenTemplates compares every template of the default catalog with
// testdata/golden. Regenerate with go test ./stacks -run TestGoldenTemplates -update
// and review the diff as you would review the change itself.
func TestGoldenTemplates(t *testing.T) {
	dir, _ := defaultAssembly(t)
	got := templates(t, dir)
	if *update {
		old, _ := filepath.Glob("testdata/golden/*.template.json")
		for _, f := range old {
			os.Remove(f)
		}
		for name, b := range got {
			if err := os.WriteFile(filepath.Join("testdata/golden", name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := templates(t, "testdata/golden")
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s is golden but was not generated", name)
		}
	}
	for name, b := range got {
		w, ok := want[name]
		if !ok {
			t.Errorf("%s was generated but has no golden file", name)
			continue
		}
		if !bytes.Equal(b, w) {
			t.Errorf("%s differs from testdata/golden (run with -update and review the diff)", name)
		}
	}
}

// TestOneEnvironment: synthesizing one environment writes exactly that
// environment's stacks, byte for byte as when every environment is
// synthesized (the golden templates), so pipelines may synthesize and deploy
// environments in parallel jobs.
func TestOneEnvironment(t *testing.T) {
	cat := loadPlan(t, "../catalog")
	dir := t.TempDir()
	if _, err := Synth(cat.Plan, Options{Outdir: dir, Env: "staging"}); err != nil {
		t.Fatal(err)
	}
	got := templates(t, dir)
	want := templates(t, "testdata/golden")
	n := 0
	for name, w := range want {
		if !strings.HasPrefix(name, "streamforge-staging-") {
			continue
		}
		n++
		if !bytes.Equal(got[name], w) {
			t.Errorf("%s differs from the all-environment synth (testdata/golden)", name)
		}
	}
	if n == 0 || len(got) != n {
		t.Errorf("synth of staging wrote %d templates; the golden staging stacks are %d", len(got), n)
	}
}

// TestNoFormattingErrors: no generated text carries a fmt error marker
// ("%!s(MISSING)"), as a goal such as "99.9% of requests" once produced.
func TestNoFormattingErrors(t *testing.T) {
	dir, _ := defaultAssembly(t)
	for name, b := range templates(t, dir) {
		if i := bytes.Index(b, []byte("%!")); i >= 0 {
			t.Errorf("%s: formatting error near %q", name, b[max(0, i-60):min(len(b), i+40)])
		}
	}
}

// TestNagClean: the default catalog synthesized with the AwsSolutions pack
// has no unsuppressed finding (Synth fails on any), and each suppression
// carries a reason.
func TestNagClean(t *testing.T) {
	dir, _ := defaultAssembly(t)
	reports, _ := filepath.Glob(filepath.Join(dir, "AwsSolutions-*-NagReport.csv"))
	if len(reports) == 0 {
		t.Fatal("cdk-nag wrote no report: the pack did not run")
	}
	suppressed := 0
	for _, r := range reports {
		b, _ := os.ReadFile(r)
		for _, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, `"Non-Compliant"`) {
				t.Errorf("unsuppressed finding in %s: %s", filepath.Base(r), line)
			}
			if strings.Contains(line, `"Suppressed"`) {
				suppressed++
				if strings.Contains(line, `"Suppressed","N/A"`) {
					t.Errorf("suppression without a reason: %s", line)
				}
			}
		}
	}
	if suppressed == 0 {
		t.Error("expected the dead-letter queue suppression to show in the report")
	}
}

// TestDeterminism: the same catalog, synthesized again, and with its files,
// services, SLOs and alarms in another order, gives byte-identical templates;
// editing a description changes no logical ID.
func TestDeterminism(t *testing.T) {
	dir, _ := defaultAssembly(t)
	first := templates(t, dir)

	again, _ := synth(t, loadPlan(t, "../catalog").Plan, true)
	assertSame(t, "second synth", first, templates(t, again))

	files, _ := filepath.Glob("../catalog/*.yaml")
	sort.Sort(sort.Reverse(sort.StringSlice(files)))
	cat := loadPlan(t, files...)
	for _, s := range cat.Services {
		reverse(s.SLOs)
		reverse(s.Alarms)
	}
	reverse(cat.Services)
	var diags diag.Diagnostics
	shuffled, _ := synth(t, plan.Build(cat.Catalog, &diags), true)
	assertSame(t, "shuffled catalog", first, templates(t, shuffled))

	// An edited description changes the description, not the logical IDs.
	edited := loadPlan(t, "../catalog")
	for _, e := range edited.Plan.Environments {
		for _, s := range e.Services {
			for _, a := range s.Alarms {
				a.Description = "edited: " + a.Description
			}
		}
	}
	ed, _ := synth(t, edited.Plan, false)
	for name, b := range templates(t, ed) {
		if got, want := logicalIDs(t, b), logicalIDs(t, first[name]); got != want {
			t.Errorf("%s: logical IDs changed with a description:\n got %s\nwant %s", name, got, want)
		}
	}
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func assertSame(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%s: %d templates, want %d", what, len(got), len(want))
	}
	for name, b := range want {
		if !bytes.Equal(b, got[name]) {
			t.Errorf("%s: %s differs", what, name)
		}
	}
}

func logicalIDs(t *testing.T, b []byte) string {
	var tpl struct{ Resources map[string]any }
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range tpl.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

// TestRouting checks, with the CDK assertions package, that each severity
// of a service reaches exactly its routes, that rules match only the
// service's roll-up alarm, and that targets retry into the dead-letter queue.
func TestRouting(t *testing.T) {
	cat := loadPlan(t, "../catalog")
	app := awscdk.NewApp(&awscdk.AppProps{PostCliContext: &Context})
	infos := Build(app, cat.Plan, nil)
	byName := map[string]awscdk.Stack{}
	for _, in := range infos {
		byName[in.Name] = in.Stack
	}
	browse := assertions.Template_FromStack(byName["streamforge-prod-catalog-browse"], nil)
	routes := map[string][]string{"page": {"platform-pagerduty"}, "ticket": {"discovery-slack", "sre-email"}}
	for sev, want := range routes {
		for _, state := range []string{"ALARM", "OK"} {
			name := names.RuleName("streamforge", "prod", "catalog-browse", sev)
			if state == "OK" {
				name += "-ok"
			}
			var targets []any
			for _, id := range want {
				targets = append(targets, assertions.Match_ObjectLike(&map[string]any{
					"Id":               id,
					"DeadLetterConfig": assertions.Match_ObjectLike(&map[string]any{"Arn": assertions.Match_AnyValue()}),
					"RetryPolicy":      map[string]any{"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400},
				}))
			}
			browse.HasResourceProperties(jsii.String("AWS::Events::Rule"), &map[string]any{
				"Name": name,
				"EventPattern": map[string]any{
					"source":      []any{"aws.cloudwatch"},
					"detail-type": []any{"CloudWatch Alarm State Change"},
					"detail": map[string]any{
						"alarmName": []any{fmt.Sprintf("streamforge-prod-catalog-browse-%s", RollupID(sev))},
						"state":     map[string]any{"value": []any{state}},
					},
				},
				"Targets": assertions.Match_ArrayEquals(&targets),
			})
		}
	}
	browse.ResourceCountIs(jsii.String("AWS::Events::Rule"), jsii.Number(4))
	// Billing pages and tickets the same Opsgenie route: four rules, one target each.
	billing := assertions.Template_FromStack(byName["streamforge-prod-billing"], nil)
	billing.ResourceCountIs(jsii.String("AWS::Events::Rule"), jsii.Number(4))
	billing.HasResourceProperties(jsii.String("AWS::Events::Rule"), &map[string]any{
		"Name":    "streamforge-prod-billing-page-ok",
		"Targets": []any{assertions.Match_ObjectLike(&map[string]any{"Id": "payments-opsgenie", "HttpParameters": map[string]any{"PathParameterValues": []any{"$.resources[0]"}}})},
	})

	routing := assertions.Template_FromStack(byName["streamforge-prod-routing"], nil)
	routing.HasResourceProperties(jsii.String("AWS::Events::ApiDestination"), &map[string]any{
		"InvocationEndpoint": "https://events.pagerduty.com/v2/enqueue", "HttpMethod": "POST",
	})
	routing.HasResourceProperties(jsii.String("AWS::Events::Connection"), &map[string]any{
		"AuthParameters": assertions.Match_ObjectLike(&map[string]any{
			"InvocationHttpParameters": map[string]any{"BodyParameters": []any{map[string]any{
				"Key": "routing_key", "IsValueSecret": true,
				"Value": "{{resolve:secretsmanager:streamforge/oncall/pagerduty-platform:SecretString}}",
			}}},
		}),
	})
	routing.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), &map[string]any{
		"Protocol": "email", "Endpoint": "sre-tickets@streamforge.example",
	})
}

// secretish matches text that looks like a credential rather than a reference.
var secretish = regexp.MustCompile(`hooks\.slack\.com|GenieKey [0-9a-f]|"[0-9a-fA-F]{32}"|xox[abp]-`)

// TestNoSecretInTemplates: secrets appear only as Secrets Manager dynamic
// references, resolved by CloudFormation at deploy time.
func TestNoSecretInTemplates(t *testing.T) {
	dir, _ := defaultAssembly(t)
	refs := 0
	for name, b := range templates(t, dir) {
		if m := secretish.Find(b); m != nil {
			t.Errorf("%s holds what looks like a secret: %s", name, m)
		}
		refs += bytes.Count(b, []byte("{{resolve:secretsmanager:"))
		if n := bytes.Count(b, []byte("secretsmanager")); n != bytes.Count(b, []byte("{{resolve:secretsmanager:")) {
			t.Errorf("%s names secretsmanager outside a dynamic reference", name)
		}
	}
	// One reference per route with a secret (PagerDuty and Opsgenie keys,
	// Slack webhook URLs), per environment.
	want := 0
	for _, e := range loadPlan(t, "../catalog").Plan.Environments {
		for _, r := range e.Routes {
			if r.Secret != "" {
				want++
			}
		}
	}
	if refs != want || want == 0 {
		t.Errorf("%d secret references, want %d", refs, want)
	}
}

// TestSplitLargeService: a service past the resource limit is split into
// parts deterministically, every part within the limits, the roll-ups and
// routing rules in the last part.
func TestSplitLargeService(t *testing.T) {
	dir := t.TempDir()
	if err := gen.Write(dir, gen.Options{Services: 1, SLOs: 120}); err != nil {
		t.Fatal(err)
	}
	cat := loadPlan(t, dir)
	cat.Plan.Environments = cat.Plan.Environments[:1]
	svc := cat.Plan.Environments[0].Services[0]
	if Parts(svc) < 2 {
		t.Fatalf("%d resources fit one stack; make the test service larger", Resources(svc))
	}
	out, sum := synth(t, cat.Plan, false)
	if len(sum.Stacks) != 1+Parts(svc) {
		t.Fatalf("%d stacks, want routing + %d parts", len(sum.Stacks), Parts(svc))
	}
	total := 0
	for _, st := range sum.Stacks {
		if st.Resources > 500 || st.TemplateBytes > 1<<20 {
			t.Errorf("%s: %d resources, %d bytes", st.Name, st.Resources, st.TemplateBytes)
		}
		total += st.Alarms["page"] + st.Alarms["ticket"]
	}
	if total < len(svc.Alarms) {
		t.Errorf("%d alarms in the stacks, want at least %d", total, len(svc.Alarms))
	}
	again, _ := synth(t, cat.Plan, false)
	assertSame(t, "split synth", templates(t, out), templates(t, again))
	checkDependsOn(t, out)
}

// BenchmarkBuild measures building the constructs of a generated catalog
// (the jsii crossings), without synthesis:
// go test ./stacks -run '^$' -bench Build -benchtime 3x
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("slos=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := gen.Write(dir, gen.Options{Services: max(1, n/10), SLOs: n}); err != nil {
				b.Fatal(err)
			}
			cat := loadPlan(b, dir)
			resources := 0
			for b.Loop() {
				app := awscdk.NewApp(&awscdk.AppProps{PostCliContext: &Context})
				Build(app, cat.Plan, nil)
				resources = 0
				for _, e := range cat.Plan.Environments {
					for _, s := range e.Services {
						resources += Resources(s)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N)/float64(resources), "ms/resource")
		})
	}
}

// TestStackTags: every stack carries its service, owner and catalog file as
// stack tags, which CloudFormation applies to each of its resources; every
// alarm also carries its catalog id and severity.
func TestStackTags(t *testing.T) {
	dir, _ := defaultAssembly(t)
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Artifacts map[string]struct {
			Type       string
			Properties struct{ Tags map[string]string }
		}
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"streamforge-prod-catalog-browse": {"slocatalog:service": "catalog-browse", "slocatalog:owner": "team-discovery", "slocatalog:file": "catalog-browse.yaml", "managed-by": "slocatalog", "domain": "discovery"},
		"streamforge-staging-billing":     {"slocatalog:service": "billing", "slocatalog:owner": "team-payments", "slocatalog:file": "billing.yaml"},
		"streamforge-prod-routing":        {"slocatalog:service": "routing", "cost-center": "platform-observability"},
	}
	for stack, tags := range want {
		got := m.Artifacts[stack].Properties.Tags
		for k, v := range tags {
			if got[k] != v {
				t.Errorf("%s: tag %s = %q, want %q", stack, k, got[k], v)
			}
		}
	}
	for name, tb := range templates(t, dir) {
		var tpl struct {
			Resources map[string]struct {
				Type       string
				Properties struct{ Tags []struct{ Key, Value string } }
			}
		}
		json.Unmarshal(tb, &tpl)
		for id, r := range tpl.Resources {
			if r.Type != "AWS::CloudWatch::Alarm" && r.Type != "AWS::CloudWatch::CompositeAlarm" {
				continue
			}
			keys := map[string]bool{}
			for _, tag := range r.Properties.Tags {
				keys[tag.Key] = tag.Value != ""
			}
			if !keys["slocatalog:id"] || !keys["slocatalog:severity"] {
				t.Errorf("%s %s: alarm without id and severity tags", name, id)
			}
		}
	}
}

var ruleAlarm = regexp.MustCompile(`ALARM\("([^"]+)"\)`)

// checkDependsOn: in every template, each DependsOn names a resource of the
// template, and each composite alarm depends on every alarm of its template
// that its rule names (CloudFormation must create those first). Only the
// roll-ups are composites, in the last part of a split service.
func checkDependsOn(t *testing.T, dir string) {
	t.Helper()
	composites := 0
	for name, b := range templates(t, dir) {
		var tpl struct {
			Resources map[string]struct {
				Type       string
				DependsOn  []string
				Properties struct {
					AlarmName string
					AlarmRule string
				}
			}
		}
		if err := json.Unmarshal(b, &tpl); err != nil {
			t.Fatal(err)
		}
		byAlarmName := map[string]string{}
		for id, r := range tpl.Resources {
			if r.Properties.AlarmName != "" {
				byAlarmName[r.Properties.AlarmName] = id
			}
		}
		for id, r := range tpl.Resources {
			for _, d := range r.DependsOn {
				if _, ok := tpl.Resources[d]; !ok {
					t.Errorf("%s: %s depends on %s, which is not in the template", name, id, d)
				}
			}
			if r.Type != "AWS::CloudWatch::CompositeAlarm" {
				continue
			}
			composites++
			for _, m := range ruleAlarm.FindAllStringSubmatch(r.Properties.AlarmRule, -1) {
				child, here := byAlarmName[m[1]]
				if here && !slices.Contains(r.DependsOn, child) {
					t.Errorf("%s: composite %s names %s but does not depend on %s", name, id, m[1], child)
				}
			}
		}
	}
	if composites == 0 {
		t.Errorf("%s: no composite alarm checked", dir)
	}
}

// TestDependsOn: the DependsOn that composites set without asking jsii (see
// AlarmFactory.siblingLogicalID) name the right resources.
func TestDependsOn(t *testing.T) {
	dir, _ := defaultAssembly(t)
	checkDependsOn(t, dir)
}
