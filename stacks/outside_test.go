package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/names"
	"github.com/slocatalog/slocatalog/synthetics"
)

type tplFile struct {
	Resources map[string]cfnResource
	Outputs   map[string]struct{ Value any }
}

func readTemplate(t *testing.T, dir, stack string) tplFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, stack+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl tplFile
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatal(err)
	}
	return tpl
}

func (tpl tplFile) ofType(typ string) []cfnResource {
	var out []cfnResource
	for _, r := range tpl.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// js renders v as compact JSON, without escaping <, > and &.
func js(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSpace(b.String())
}

// TestOutsideIn: the default catalog yields its canaries (current runtime,
// generated script, least-privilege role, success and step-duration alarms),
// its RUM app monitor with an identity pool whose guest role may only send
// events to it, and its X-Ray groups and sampling rule.
func TestOutsideIn(t *testing.T) {
	dir, _ := defaultAssembly(t)
	cat := loadPlan(t, "../catalog")
	canaries, monitors, groups := 0, 0, 0
	for _, e := range cat.Plan.Environments {
		for _, s := range e.Services {
			if !Generates(s) {
				continue
			}
			tpl := readTemplate(t, dir, names.ServiceStackName("streamforge", e.Name, s.Name))
			for _, c := range s.Canaries {
				name := synthetics.CanaryName(e.Name, c.Name)
				var found *cfnResource
				for _, r := range tpl.ofType("AWS::Synthetics::Canary") {
					if r.Properties["Name"] == name {
						found = &r
					}
				}
				if found == nil {
					t.Errorf("no canary %s", name)
					continue
				}
				canaries++
				p := found.Properties
				if p["RuntimeVersion"] != synthetics.Runtime {
					t.Errorf("%s: runtime %v", name, p["RuntimeVersion"])
				}
				code := p["Code"].(map[string]any)
				if code["Script"] != synthetics.Script(c) || code["Handler"] != "index.handler" {
					t.Errorf("%s: the script is not the generated one", name)
				}
				if got := p["Schedule"].(map[string]any)["Expression"]; got != fmt.Sprintf("rate(%d minutes)", int(c.Schedule.Minutes())) {
					t.Errorf("%s: schedule %v for %s", name, got, c.Schedule)
				}
				if p["RunConfig"].(map[string]any)["ActiveTracing"] != true {
					t.Errorf("%s: no active tracing", name)
				}
				if !strings.Contains(js(p["ArtifactS3Location"]), "canary/"+name) {
					t.Errorf("%s: artifacts at %s", name, js(p["ArtifactS3Location"]))
				}
				alarm := fmt.Sprintf("streamforge-%s-%s-%s-success", e.Name, s.Name, c.Name)
				if !strings.Contains(js(tpl.ofType("AWS::CloudWatch::Alarm")), alarm) {
					t.Errorf("no success alarm %s", alarm)
				}
				for _, st := range c.Steps {
					d := fmt.Sprintf("streamforge-%s-%s-%s-%s-duration", e.Name, s.Name, c.Name, st.Name)
					if st.LatencyBudget > 0 && !strings.Contains(js(tpl.ofType("AWS::CloudWatch::Alarm")), d) {
						t.Errorf("no step duration alarm %s", d)
					}
				}
			}
			for _, r := range s.RUM {
				monitors++
				name := names.RUMName(e.Name, r.Name)
				mons := tpl.ofType("AWS::RUM::AppMonitor")
				if len(mons) != 1 || mons[0].Properties["Name"] != name {
					t.Fatalf("app monitors: %s", js(mons))
				}
				if js(mons[0].Properties["DomainList"]) != js(r.Domains) {
					t.Errorf("%s: domains %s", name, js(mons[0].Properties["DomainList"]))
				}
				pools := tpl.ofType("AWS::Cognito::IdentityPool")
				if len(pools) != 1 || pools[0].Properties["AllowUnauthenticatedIdentities"] != true {
					t.Errorf("identity pool: %s", js(pools))
				}
				// The guest role may do one thing: put events into this monitor.
				var guest *cfnResource
				for _, role := range tpl.ofType("AWS::IAM::Role") {
					if strings.Contains(js(role.Properties["AssumeRolePolicyDocument"]), "cognito-identity.amazonaws.com") {
						guest = &role
					}
				}
				if guest == nil {
					t.Fatal("no guest role")
				}
				want := fmt.Sprintf(`[{"PolicyDocument":{"Statement":[{"Action":"rum:PutRumEvents","Effect":"Allow","Resource":"arn:aws:rum:%s:%s:appmonitor/%s"}],"Version":"2012-10-17"},"PolicyName":"put-rum-events"}]`, e.Region, e.Account, name)
				if got := js(guest.Properties["Policies"]); got != want {
					t.Errorf("guest role policies:\n got %s\nwant %s", got, want)
				}
				if len(guest.Properties) != 3 || guest.Properties["ManagedPolicyArns"] != nil {
					t.Errorf("guest role has more than its policy: %s", js(guest.Properties))
				}
				for _, o := range []string{names.OutputAppMonitorID, names.OutputIdentityPool, names.OutputGuestRoleArn, names.OutputRUMRegion} {
					if _, ok := tpl.Outputs[names.OutputName(r.Name+o)]; !ok {
						t.Errorf("no output %s (the RUM snippet names it)", names.OutputName(r.Name+o))
					}
				}
			}
			for _, g := range s.Traces {
				groups++
				found := false
				for _, r := range tpl.ofType("AWS::XRay::Group") {
					if r.Properties["GroupName"] == g.Name && r.Properties["FilterExpression"] == g.Filter {
						found = true
						ic := r.Properties["InsightsConfiguration"].(map[string]any)
						if ic["InsightsEnabled"] != g.Insights || ic["NotificationsEnabled"] != g.Notifications {
							t.Errorf("%s: insights %s", g.Name, js(ic))
						}
					}
				}
				if !found {
					t.Errorf("no X-Ray group %s", g.Name)
				}
				if g.Sampling != nil && !strings.Contains(js(tpl.ofType("AWS::XRay::SamplingRule")), `"FixedRate":0.05`) {
					t.Errorf("no sampling rule for %s", g.Name)
				}
			}
		}
		// The artifacts bucket: encrypted, public access blocked, expiring, logged, TLS only.
		rt := readTemplate(t, dir, names.RoutingStackName("streamforge", e.Name))
		buckets := rt.ofType("AWS::S3::Bucket")
		if len(buckets) != 2 {
			t.Fatalf("%s: %d buckets, want artifacts and access logs", e.Name, len(buckets))
		}
		for _, b := range buckets {
			for _, k := range []string{"BucketEncryption", "PublicAccessBlockConfiguration", "LifecycleConfiguration"} {
				if b.Properties[k] == nil {
					t.Errorf("%s: a bucket without %s", e.Name, k)
				}
			}
		}
		if !strings.Contains(js(rt.ofType("AWS::S3::BucketPolicy")), `"aws:SecureTransport":"false"`) {
			t.Errorf("%s: buckets do not refuse plain HTTP", e.Name)
		}
	}
	if canaries != 10 || monitors != 2 || groups != 6 {
		t.Errorf("%d canaries, %d app monitors, %d trace groups; want 10, 2, 6 (5, 1, 3 per environment)", canaries, monitors, groups)
	}
}
