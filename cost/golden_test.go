package cost

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/pipeline"
)

// templateAlarm is an alarm as a synthesized template declares it.
type templateAlarm struct {
	Kind    string
	Metrics int
	Period  int
}

// templateAlarms reads the alarms of a CloudFormation template by name:
// AWS::CloudWatch::CompositeAlarm is a composite; an AWS::CloudWatch::Alarm
// with Metrics[] is metric math (or an anomaly band when it names a
// ThresholdMetricId), reading one metric per MetricStat entry; any other
// alarm reads its one metric. It also counts the template's dashboards,
// which the plan does not list and cost does not price.
func templateAlarms(t *testing.T, file string) (map[string]templateAlarm, int) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				AlarmName         string
				Period            int
				ThresholdMetricId string
				Metrics           []struct {
					MetricStat *struct{ Period int }
				}
			}
		}
	}
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	out := map[string]templateAlarm{}
	dashboards := 0
	for id, r := range tpl.Resources {
		p := r.Properties
		var a templateAlarm
		switch r.Type {
		case "AWS::CloudWatch::CompositeAlarm":
			a.Kind = KindComposite
		case "AWS::CloudWatch::Alarm":
			switch {
			case len(p.Metrics) == 0:
				a.Kind, a.Metrics, a.Period = KindMetric, 1, p.Period
			default:
				a.Kind = KindMath
				if p.ThresholdMetricId != "" {
					a.Kind = KindAnomaly
				}
				for _, m := range p.Metrics {
					if m.MetricStat != nil {
						a.Metrics++
						a.Period = m.MetricStat.Period
					}
				}
			}
		case "AWS::CloudWatch::Dashboard":
			dashboards++
			continue
		default:
			continue
		}
		if p.AlarmName == "" {
			t.Fatalf("%s: alarm %s has no AlarmName", file, id)
		}
		out[p.AlarmName] = a
	}
	return out, dashboards
}

// TestAlarmsMatchGoldenTemplates holds the alarm count of every stack, by
// name, kind, metrics read and period, to the golden templates that
// synthesis makes of the default catalog (stacks/testdata/golden), so the
// cost of an alarm cannot drift from what is deployed.
func TestAlarmsMatchGoldenTemplates(t *testing.T) {
	crossCheck(t, "../catalog", "../stacks/testdata/golden")
}

// TestAlarmsMatchSynth is the same cross-check on any catalog and the
// assembly slocat synth made of it, when COST_CROSSCHECK_CATALOG and
// COST_CROSSCHECK_TEMPLATES name them (absolute paths): a way to check
// kinds the default catalog lacks (high resolution, nested roll-ups).
func TestAlarmsMatchSynth(t *testing.T) {
	catalog, templates := os.Getenv("COST_CROSSCHECK_CATALOG"), os.Getenv("COST_CROSSCHECK_TEMPLATES")
	if catalog == "" || templates == "" {
		t.Skip("set COST_CROSSCHECK_CATALOG and COST_CROSSCHECK_TEMPLATES")
	}
	crossCheck(t, catalog, templates)
}

// crossCheck compares the alarms predicted for the catalog with those of
// the *.template.json files in templates.
func crossCheck(t *testing.T, catalog, templates string) {
	cat, _, err := pipeline.Load(catalog)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(templates, "*.template.json"))
	if len(files) == 0 {
		t.Fatalf("no templates in %s", templates)
	}
	// Stacks of a service split into parts (name-part2, ...) are one
	// service's alarms.
	got := map[string]map[string]templateAlarm{} // by stack base name
	dashboardsSeen := 0
	for _, f := range files {
		stack := strings.TrimSuffix(filepath.Base(f), ".template.json")
		if i := strings.LastIndex(stack, "-part"); i > 0 {
			stack = stack[:i]
		}
		if got[stack] == nil {
			got[stack] = map[string]templateAlarm{}
		}
		alarms, n := templateAlarms(t, f)
		dashboardsSeen += n
		for name, a := range alarms {
			got[stack][name] = a
		}
	}
	plan := cat.Plan
	want := map[string][]Alarm{}
	for _, e := range plan.Environments {
		want[names.RoutingStackName(plan.Org, e.Name)] = RoutingAlarms(plan.Org, e.Name)
		for _, s := range e.Services {
			if as := ServiceAlarms(plan.Org, e.Name, s); len(as) > 0 {
				want[names.ServiceStackName(plan.Org, e.Name, s.Name)] = as
			}
		}
	}
	var stacks []string
	for s := range want {
		stacks = append(stacks, s)
	}
	sort.Strings(stacks)
	kinds := map[string]int{}
	for _, stack := range stacks {
		tpl, ok := got[stack]
		if !ok {
			t.Errorf("%s: predicted %d alarms, but there is no golden template", stack, len(want[stack]))
			continue
		}
		seen := map[string]bool{}
		for _, a := range want[stack] {
			seen[a.Name] = true
			ta, ok := tpl[a.Name]
			if !ok {
				t.Errorf("%s: predicted alarm %s (%s) is not in the template", stack, a.Name, a.Kind)
				continue
			}
			wantPeriod := a.PeriodSeconds
			if a.Kind == KindComposite {
				wantPeriod = 0
			}
			if ta.Kind != a.Kind || ta.Metrics != a.Metrics || ta.Period != wantPeriod {
				t.Errorf("%s: alarm %s: predicted %s of %d metrics per %ds, template has %s of %d metrics per %ds",
					stack, a.Name, a.Kind, a.Metrics, wantPeriod, ta.Kind, ta.Metrics, ta.Period)
			}
			kinds[a.Kind]++
		}
		for name, ta := range tpl {
			if !seen[name] {
				t.Errorf("%s: template alarm %s (%s of %d metrics) is not predicted", stack, name, ta.Kind, ta.Metrics)
			}
		}
	}
	for stack := range got {
		if _, ok := want[stack]; !ok && len(got[stack]) > 0 {
			t.Errorf("%s: the template has %d alarms, none predicted", stack, len(got[stack]))
		}
	}
	t.Logf("%d stacks; alarms matched by name, kind, metrics and period: %v", len(stacks), kinds)
	if dashboardsSeen > 0 {
		t.Logf("the templates hold %d dashboards, which the plan does not list and cost does not price yet", dashboardsSeen)
	}
}
