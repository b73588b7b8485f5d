// Package gen writes synthetic catalogs for benchmarks and scale tests, in
// the proportions of the default StreamForge catalog: per 7 SLOs about 9
// alarms, 5 canaries, 1 RUM monitor and 3 trace groups, across two
// environments.
package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Options say how large a catalog to write.
type Options struct {
	Services int // number of services (at least 1)
	SLOs     int // total SLOs, spread evenly over the services
}

// Write writes a catalog into dir: org.yaml and one file per service.
func Write(dir string, o Options) error {
	if o.Services < 1 || o.SLOs < 0 {
		return fmt.Errorf("gen: need at least one service and no negative SLO count")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "org.yaml"), []byte(orgFile), 0o644); err != nil {
		return err
	}
	for s := 0; s < o.Services; s++ {
		n := o.SLOs / o.Services
		if s < o.SLOs%o.Services {
			n++
		}
		name := fmt.Sprintf("svc-%04d", s)
		if err := os.WriteFile(filepath.Join(dir, name+".yaml"), []byte(service(name, s, n)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

const orgFile = `org:
  name: bench
  defaults:
    slo:
      window: 28d
    alarm:
      period: 60s
      evaluationPeriods: 5
      datapointsToAlarm: 3
      missingData: notBreaching
environments:
  - name: staging
    account: "210987654321"
    region: eu-west-1
  - name: prod
    account: "123456789012"
    region: eu-west-1
routes:
  - id: pager
    type: pagerduty
    secret: bench/oncall/pagerduty
  - id: chat
    type: slack
    secret: bench/oncall/slack
    channel: "#bench-alerts"
  - id: mail
    type: email
    emails: [sre@bench.example]
`

// scaled returns how many of a kind a service with n SLOs gets, at per7 per
// 7 SLOs, spreading remainders by the service's index so totals stay close.
func scaled(n, per7, index int) int {
	return (n*per7 + index%7) / 7
}

func service(name string, index, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `services:
  - name: %s
    owner: team-%d
    tier: %d
    runbook: https://runbooks.bench.example/%s
    oncall:
      page: [pager]
      ticket: [chat, mail]
    applicationSignals:
      name: %s
      environment: eks:bench/{env}
`, name, index%40, 1+index%4, name, name)
	if n > 0 {
		b.WriteString("    slos:\n")
	}
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&b, `      - id: latency-%d
        goal: operation %d p99 < %d ms at %d RPS
        sli:
          latency:
            operation: GET /v1/op-%d
            percentile: p99
            threshold: %dms
        objective: 99.5%%
        load: %drps
`, i, i, 100+i%400, 100*(1+i%50), i, 100+i%400, 100*(1+i%50))
		} else {
			fmt.Fprintf(&b, `      - id: availability-%d
        goal: 99.9%% of operation %d requests succeed
        sli:
          availability:
            bad:
              metric: {namespace: Bench/%s, name: Faults, dimensions: {Operation: op-%d}}
            total:
              metric: {namespace: Bench/%s, name: Requests, dimensions: {Operation: op-%d}}
        objective: 99.9%%
`, i, i, name, i, name, i)
		}
	}
	alarms := scaled(n, 9, index)
	if alarms > 0 {
		b.WriteString("    alarms:\n")
	}
	for i := 0; i < alarms; i++ {
		if i%3 == 2 {
			fmt.Fprintf(&b, `      - id: requests-anomaly-%d
        metric: {namespace: AWS/ApplicationELB, name: RequestCount, dimensions: {LoadBalancer: app/%s/%d}}
        statistic: Sum
        anomaly: {band: 2, direction: both}
`, i, name, i)
		} else {
			fmt.Fprintf(&b, `      - id: p99-%d
        metric: {namespace: AWS/ApplicationELB, name: TargetResponseTime, unit: Seconds, dimensions: {LoadBalancer: app/%s/%d}}
        statistic: p99
        threshold: 300ms
        minSamples: 100
`, i, name, i)
		}
	}
	if c := scaled(n, 5, index); c > 0 {
		b.WriteString("    canaries:\n")
		for i := 0; i < c; i++ {
			fmt.Fprintf(&b, `      - name: %s-j%d
        steps:
          - name: step
            url: https://api.{env}.bench.example/%s/%d
            latencyBudget: 500ms
`, name, i, name, i)
		}
	}
	if r := scaled(n, 1, index); r > 0 {
		b.WriteString("    rum:\n")
		for i := 0; i < r; i++ {
			fmt.Fprintf(&b, "      - name: %s-web-%d\n        domains: [%s-%d.bench.example]\n        budgets: {lcp: 2.5s, inp: 200ms, cls: 0.1}\n", name, i, name, i)
		}
	}
	if t := scaled(n, 3, index); t > 0 {
		b.WriteString("    traces:\n")
		for i := 0; i < t; i++ {
			fmt.Fprintf(&b, "      - name: %s-%d\n        filter: service(\"%s\") AND responsetime > 0.3\n", name, i, name)
		}
	}
	return b.String()
}
