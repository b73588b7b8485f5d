package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/slocatalog/slocatalog/internal/backtest"
	"github.com/slocatalog/slocatalog/plan"
)

func init() {
	commands["backtest"] = runBacktest
}

// files is a flag that may be given several times.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

// runBacktest replays the alarms and burn-rate tiers of one environment
// over metric series exported from CloudWatch, or (--queries) prints the
// get-metric-data queries that export them. Exit 0 when the replay ran, 1
// on an invalid catalog, 2 on a usage error or an export that cannot be read.
func runBacktest(args []string, stdout, stderr io.Writer) int {
	fs := NewFlags("backtest", stderr)
	var metrics files
	fs.Var(&metrics, "metrics", "exported series: get-metric-data JSON, or CSV (`FILE`.csv); repeat for several files")
	env := fs.String("env", "", "environment the export comes from (default: the catalog's only environment)")
	queries := fs.Bool("queries", false, "print the get-metric-data queries (JSON) that export every series the replay reads")
	base := fs.String("base", "", "replay the catalog at git revision `REV` too, side by side (read through git, no checkout)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 1 || (len(metrics) == 0) == !*queries {
		fmt.Fprintln(stderr, "usage: slocat backtest [--env ENV] [--base REV] --metrics FILE [--metrics FILE...] [PATH]\n       slocat backtest [--env ENV] --queries [PATH]")
		return ExitUsage
	}
	cat, code := Load(fs.Args(), stderr)
	if cat == nil {
		return code
	}
	e, ok := backtestEnv(cat.Plan, *env, stderr)
	if !ok {
		return ExitUsage
	}
	if *queries {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(backtest.Queries(e)); err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			return ExitUsage
		}
		return ExitOK
	}
	data, err := backtest.ReadFiles(metrics)
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitUsage
	}
	rep, err := backtest.Replay(e, data)
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitUsage
	}
	if *base == "" {
		err = rep.Write(stdout)
	} else {
		path := DefaultCatalog
		if fs.NArg() == 1 {
			path = fs.Arg(0)
		}
		old, code := loadAtRevision(*base, path, stderr)
		if old == nil {
			return code
		}
		be, ok := backtestEnv(old.Plan, e.Name, stderr)
		if !ok {
			return ExitUsage
		}
		// The export comes from what is deployed: the base. Burn rates
		// were published for its objectives.
		data.PublishedBy(be)
		if rep, err = backtest.Replay(e, data); err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			return ExitUsage
		}
		baseRep, baseErr := backtest.Replay(be, data)
		if err = baseErr; err != nil {
			fmt.Fprintf(stderr, "slocat: %s: %v\n", *base, err)
			return ExitUsage
		}
		rep.Notes = append(rep.Notes, backtest.StaleBurnRates(be, e, rep)...)
		err = backtest.WriteComparison(stdout, baseRep, rep)
	}
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}

// backtestEnv is the environment named by --env, or the only one.
func backtestEnv(catalogPlan *plan.Plan, name string, stderr io.Writer) (*plan.Environment, bool) {
	var names []string
	for _, e := range catalogPlan.Environments {
		if e.Name == name || (name == "" && len(catalogPlan.Environments) == 1) {
			return e, true
		}
		names = append(names, e.Name)
	}
	if name == "" {
		fmt.Fprintf(stderr, "slocat backtest: name the environment the series come from with --env: %s\n", strings.Join(names, ", "))
	} else {
		fmt.Fprintf(stderr, "slocat backtest: no environment %q: %s\n", name, strings.Join(names, ", "))
	}
	return nil, false
}
