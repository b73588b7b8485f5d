package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/slocatalog/slocatalog/cost"
	"github.com/slocatalog/slocatalog/plan"
)

func init() {
	commands["cost"] = runCost
}

// costUsage is the usage line of slocat cost.
const costUsage = "usage: slocat cost [--env ENV] [--format text|markdown|json] [--prices FILE] [--rum-sessions N|ENV=N|ENV/MONITOR=N,...] [--rum-events-per-session N] [--transitions N] [--insights-traces N] [PATH]"

// runCost prints the monthly AWS cost of what the catalog synthesizes, per
// environment, service and object, at the prices of cost/prices.json (or
// those --prices replaces), with the figures it assumed.
func runCost(args []string, stdout, stderr io.Writer) int {
	fs := NewFlags("cost", stderr)
	env := fs.String("env", "", "environment (default: every environment)")
	format := fs.String("format", "text", "output: text, markdown or json")
	pricesFile := fs.String("prices", "", "replace price lines with those of `FILE` (the format of cost/prices.json), for another region or a negotiated rate")
	sessions := fs.String("rum-sessions", "", "RUM sessions a month: `N` for every app monitor, or ENV=N and ENV/MONITOR=N, comma-separated (default: 100,000 per monitor, assumed)")
	def := cost.DefaultAssumptions()
	events := fs.Float64("rum-events-per-session", def.RUMEventsPerSession, "RUM events per recorded session")
	transitions := fs.Float64("transitions", def.Transitions, "state changes a month of each routed alarm (a service's roll-ups, the dead-letter alarm)")
	traces := fs.Float64("insights-traces", def.InsightsTraces, "traces a month that each X-Ray group with Insights processes")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if !slices.Contains(cost.Formats, *format) {
		fmt.Fprintf(stderr, "slocat cost: unknown --format %q: %s\n", *format, strings.Join(cost.Formats, ", "))
		return ExitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(stderr, costUsage)
		return ExitUsage
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"rum-events-per-session", *events}, {"transitions", *transitions}, {"insights-traces", *traces}} {
		if f.v < 0 {
			fmt.Fprintf(stderr, "slocat cost: --%s %v is negative\n", f.name, f.v)
			return ExitUsage
		}
	}
	assume := cost.Assumptions{RUMEventsPerSession: *events, Transitions: *transitions, InsightsTraces: *traces}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "rum-events-per-session":
			assume.Given.RUMEventsPerSession = true
		case "transitions":
			assume.Given.Transitions = true
		case "insights-traces":
			assume.Given.InsightsTraces = true
		}
	})
	var err error
	if assume.RUMSessions, err = parseSessions(*sessions); err != nil {
		fmt.Fprintf(stderr, "slocat cost: --rum-sessions: %v\n", err)
		return ExitUsage
	}
	prices := cost.DefaultPrices()
	if *pricesFile != "" {
		if prices, err = cost.Override(prices, *pricesFile); err != nil {
			fmt.Fprintf(stderr, "slocat cost: %v\n", err)
			return ExitUsage
		}
	}
	cat, code := Load(fs.Args(), stderr)
	if cat == nil {
		return code
	}
	if *env != "" && !slices.ContainsFunc(cat.Plan.Environments, func(e *plan.Environment) bool { return e.Name == *env }) {
		fmt.Fprintf(stderr, "slocat cost: no environment %q in the catalog\n", *env)
		return ExitUsage
	}
	report := cost.Estimate(cat.Plan, *env, prices, assume)
	if err := cost.WriteReport(stdout, report, *format); err != nil {
		fmt.Fprintf(stderr, "slocat cost: %v\n", err)
		return ExitInvalid
	}
	return ExitOK
}

// parseSessions reads --rum-sessions: "N", or comma-separated "ENV=N" and
// "ENV/MONITOR=N" (a bare N applies to every monitor not named otherwise).
func parseSessions(spec string) (map[string]float64, error) {
	if spec == "" {
		return nil, nil
	}
	out := map[string]float64{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		key, num, ok := strings.Cut(part, "=")
		if !ok {
			key, num = "", part
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(num, "_", ""), 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not a number of sessions (N, ENV=N or ENV/MONITOR=N)", part)
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("%q is given twice", part)
		}
		out[key] = n
	}
	return out, nil
}
