package stacks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/names"
)

// loadGuardSources has one SLO per count source of the validated-load
// alarm: an Application Signals operation, an availability SLI's total (a
// metric, and an expression over two), and a latency metric's samples,
// which waits 30m and pages.
const loadGuardSources = `org: {name: acme}
environments:
  - {name: prod, account: "123456789012", region: eu-west-1}
routes:
  - {id: oncall, type: pagerduty, secret: acme/pd}
services:
  - name: shop
    owner: team-shop
    oncall: {page: [oncall], ticket: [oncall]}
    applicationSignals: {name: shop, environment: "eks:acme/{env}"}
    slos:
      - id: op
        goal: GET /cart p99 < 200 ms at 500 RPS
        sli: {latency: {operation: GET /cart, percentile: p99, threshold: 200ms}}
        objective: 99.9%
        load: 500rps
      - id: total
        goal: 99.9% of orders succeed at 120 RPS
        sli:
          availability:
            good: {metric: {namespace: Acme/Shop, name: OrdersOk}}
            total: {metric: {namespace: Acme/Shop, name: Orders, dimensions: {Stage: live}}}
        objective: 99.9%
        load: 120rps
      - id: samples
        goal: pay p99 < 500 ms at 40 RPS
        sli: {latency: {metric: {namespace: Acme/Shop, name: PayLatency}, percentile: p99, threshold: 500ms}}
        objective: 99.9%
        load: 40rps
        loadGuard: {for: 30m, severity: page}
      - id: summed
        goal: 99.9% of orders of both stages succeed at 300 RPS
        sli:
          availability:
            bad: {metric: {namespace: Acme/Shop, name: OrdersFailed}}
            total:
              expression: live + canary
              metrics:
                live: {namespace: Acme/Shop, name: Orders, dimensions: {Stage: live}}
                canary: {namespace: Acme/Shop, name: Orders, dimensions: {Stage: canary}}
        objective: 99.9%
        load: 300rps
        minRequests: 10
      - id: unguarded
        goal: pay p99 < 800 ms at 40 RPS
        sli: {latency: {metric: {namespace: Acme/Shop, name: PayLatency}, percentile: p99, threshold: 800ms}}
        objective: 99.9%
        load: 40rps
        loadGuard: {disabled: true}
`

// TestLoadGuardAlarm: each count source gives the validated-load alarm its
// own request count, per second by metric math, above the load for N of N
// one-minute periods; missing data does not breach; the roll-up of the
// guard's severity includes it. A guard turned off makes no alarm. cfn-lint
// passes the template.
func TestLoadGuardAlarm(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(loadGuardSources), 0o644); err != nil {
		t.Fatal(err)
	}
	cat := loadPlan(t, dir)
	out, _ := synth(t, cat.Plan, false)
	tpl := readTemplate(t, out, names.ServiceStackName("acme", "prod", "shop"))
	requests := func(id, metric, stat string) string {
		return `{"Id":"` + id + `","MetricStat":{"Metric":` + metric + `,"Period":60,"Stat":"` + stat + `"},"ReturnData":false}`
	}
	for _, c := range []struct {
		slo, counts, rate, severity string
		threshold, periods          float64
	}{
		{"op", requests("requests", `{"Dimensions":[{"Name":"Environment","Value":"eks:acme/prod"},{"Name":"Operation","Value":"GET /cart"},{"Name":"Service","Value":"shop"}],"MetricName":"Latency","Namespace":"ApplicationSignals"}`, "SampleCount"),
			"requests/PERIOD(requests)", "ticket", 500, 15},
		{"total", requests("requests", `{"Dimensions":[{"Name":"Stage","Value":"live"}],"MetricName":"Orders","Namespace":"Acme/Shop"}`, "Sum"), "requests/PERIOD(requests)", "ticket", 120, 15},
		{"summed", requests("total_canary", `{"Dimensions":[{"Name":"Stage","Value":"canary"}],"MetricName":"Orders","Namespace":"Acme/Shop"}`, "Sum") + "," +
			requests("total_live", `{"Dimensions":[{"Name":"Stage","Value":"live"}],"MetricName":"Orders","Namespace":"Acme/Shop"}`, "Sum") + "," +
			`{"Expression":"total_live + total_canary","Id":"requests","Label":"requests","ReturnData":false}`,
			"requests/PERIOD(total_canary)", "ticket", 300, 15},
		{"samples", requests("requests", `{"MetricName":"PayLatency","Namespace":"Acme/Shop"}`, "SampleCount"), "requests/PERIOD(requests)", "page", 40, 30},
	} {
		r, ok := tpl.Resources[c.slo+"overload"]
		if !ok {
			t.Errorf("%s: no alarm %soverload", c.slo, c.slo)
			continue
		}
		p := r.Properties
		if p["AlarmName"] != "acme-prod-shop-"+c.slo+"-over-load" || p["ComparisonOperator"] != "GreaterThanThreshold" || p["Threshold"] != c.threshold ||
			p["EvaluationPeriods"] != c.periods || p["DatapointsToAlarm"] != c.periods || p["TreatMissingData"] != "notBreaching" {
			t.Errorf("%s: alarm %s", c.slo, js(p))
		}
		want := `[` + c.counts + `,{"Expression":"` + c.rate + `","Id":"rps","Label":"requests/s (validated load ` + js(c.threshold) + `)","ReturnData":true}]`
		if got := js(p["Metrics"]); got != want {
			t.Errorf("%s: metrics\n got %s\nwant %s", c.slo, got, want)
		}
		if tags := js(p["Tags"]); tags != `[{"Key":"slocatalog:id","Value":"`+c.slo+`-over-load"},{"Key":"slocatalog:severity","Value":"`+c.severity+`"}]` {
			t.Errorf("%s: tags %s", c.slo, tags)
		}
		rollup := tpl.Resources["rollup"+c.severity]
		if rule := js(rollup.Properties["AlarmRule"]); !strings.Contains(rule, "acme-prod-shop-"+c.slo+"-over-load") {
			t.Errorf("%s: roll-up %s lacks the alarm: %s", c.slo, c.severity, rule)
		}
	}
	// The low-traffic guard of the burn-rate tiers counts the same requests:
	// the whole total expression, not its first input.
	tier := js(tpl.Resources["summedpage1h5mburn"].Properties["Metrics"])
	for _, want := range []string{`"Id":"total_live"`, `"Id":"total_canary"`, `{"Expression":"total_live + total_canary","Id":"requests","Label":"requests","ReturnData":false}`, `"Expression":"IF(requests >= 10, MIN([long, short]))"`} {
		if !strings.Contains(tier, want) {
			t.Errorf("tier alarm of summed lacks %s: %s", want, tier)
		}
	}
	if _, ok := tpl.Resources["unguardedoverload"]; ok {
		t.Errorf("a guard turned off made an alarm")
	}
	// Each count source's alarm, the expression total's too, passes the
	// CloudFormation resource schema.
	cfnLint(t, filepath.Join(out, names.ServiceStackName("acme", "prod", "shop")+".template.json"))
}
