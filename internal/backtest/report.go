package backtest

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/slocatalog/slocatalog/internal/alarmeval"
)

// Write prints the report: one line per replayed alarm and tier with how
// often it fired, how long it stayed in ALARM and when; then what could not
// be replayed and why; then the pages and tickets in total.
func (r *Report) Write(w io.Writer) error {
	r.writeHeading(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tALARM\tFIRED\tIN ALARM\tWHEN")
	for _, res := range r.Results {
		if res.Replayed() {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", res.Severity, res.Name(), len(res.Episodes), duration(res.InAlarm()), r.when(res))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	r.writeDerived(w)
	r.writeSkipped(w)
	r.writeNotes(w)
	fmt.Fprintln(w)
	for _, sev := range severities {
		fmt.Fprintf(w, "%ss: %s\n", sev, r.total(sev))
	}
	return nil
}

// writeDerived names the SLOs whose tiers were replayed from their SLI.
func (r *Report) writeDerived(w io.Writer) {
	var ids []string
	seen := map[string]bool{}
	for _, res := range r.Results {
		if id := res.Service + "/" + res.ID; res.DerivedFromSLI && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) > 0 {
		fmt.Fprintf(w, "\nburn rates derived from the SLI series (the export has no BurnRate series for them; windows reach back no further than the export):\n%s", wrap(ids, "    ", 100))
	}
}

func (r *Report) writeNotes(w io.Writer) {
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\nnote: %s\n", n)
	}
}

// WriteComparison prints two replays of the same export side by side, the
// base catalog's and this one's: one line per alarm or tier of either, with
// a note where they differ; then what this one could not replay; then the
// pages and tickets of each.
func WriteComparison(w io.Writer, base, cur *Report) error {
	cur.writeHeading(w)
	byName := map[string]Result{}
	for _, res := range base.Results {
		byName[res.Name()] = res
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tALARM\tBASE\tTHIS\tCHANGE\tWHEN (THIS)")
	seen := map[string]bool{}
	for _, res := range cur.Results {
		seen[res.Name()] = true
		b, inBase := byName[res.Name()]
		if !res.Replayed() && !(inBase && b.Replayed()) {
			continue
		}
		change := ""
		switch {
		case !inBase:
			change = "new"
		case b.Severity != res.Severity:
			change = "severity was " + b.Severity
		case cur.when(res) != base.when(b):
			change = "fires differently"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", res.Severity, res.Name(), brief(b, inBase), brief(res, true), change, cur.when(res))
	}
	for _, b := range base.Results {
		if !seen[b.Name()] && b.Replayed() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Severity, b.Name(), brief(b, true), "-", "removed", "")
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	cur.writeDerived(w)
	cur.writeSkipped(w)
	cur.writeNotes(w)
	fmt.Fprintln(w)
	for _, sev := range severities {
		fmt.Fprintf(w, "%ss: base %s; this %s\n", sev, base.total(sev), cur.total(sev))
	}
	return nil
}

var severities = []string{"page", "ticket"}

// Replayed says whether the target was evaluated.
func (r Result) Replayed() bool { return r.Skip == "" && len(r.Absent) == 0 }

// brief is "fired n, time in ALARM" for one side of a comparison.
func brief(r Result, ok bool) string {
	switch {
	case !ok:
		return "-"
	case !r.Replayed():
		return "not replayed"
	}
	return fmt.Sprintf("%d, %s", len(r.Episodes), duration(r.InAlarm()))
}

func (r *Report) writeHeading(w io.Writer) {
	fmt.Fprintf(w, "backtest of %s from %s to %s UTC (%s)\n\n", r.Env, r.Start.Format("2006-01-02 15:04"), r.End.Format("2006-01-02 15:04"), duration(r.End.Sub(r.Start)))
}

// when lists a result's episodes.
func (r *Report) when(res Result) string {
	var when []string
	for _, e := range res.Episodes {
		when = append(when, r.episode(e))
	}
	return strings.Join(when, ", ")
}

// total sums the replayed targets of a severity: how many fired, how often,
// for how long.
func (r *Report) total(severity string) string {
	targets, times := 0, 0
	var in time.Duration
	for _, res := range r.Results {
		if res.Severity != severity || !res.Replayed() || len(res.Episodes) == 0 {
			continue
		}
		targets++
		times += len(res.Episodes)
		in += res.InAlarm()
	}
	return fmt.Sprintf("%d %s fired %d %s, %s in ALARM", targets, plural(targets, "alarm", "alarms"), times, plural(times, "time", "times"), duration(in))
}

// writeSkipped says what was not replayed, grouped by why: a target the
// export has none of its series for (one entry per SLO, however many
// tiers), one it has its first series for but not all (with the first it
// lacks), one that cannot be replayed at all.
func (r *Report) writeSkipped(w io.Writer) {
	var skipped []Result
	for _, res := range r.Results {
		if !res.Replayed() {
			skipped = append(skipped, res)
		}
	}
	if len(skipped) == 0 {
		return
	}
	var none, cannot []string
	var partial []Result
	tiers := map[string]int{}
	for _, res := range skipped {
		switch {
		case res.Skip != "":
			cannot = append(cannot, fmt.Sprintf("%s (%s)", res.Name(), res.Skip))
		case res.Absent[0] != Key(res.Inputs[0].Metric, res.Inputs[0].Stat):
			partial = append(partial, res)
		case res.Tier != "":
			id := res.Service + "/" + res.ID
			if tiers[id] == 0 {
				none = append(none, id)
			}
			tiers[id]++
		default:
			none = append(none, res.Name())
		}
	}
	fmt.Fprintf(w, "\nnot replayed (%d):\n", len(skipped))
	if len(none) > 0 {
		for i, id := range none {
			if n := tiers[id]; n > 0 {
				none[i] = fmt.Sprintf("%s (%d %s)", id, n, plural(n, "tier", "tiers"))
			}
		}
		fmt.Fprintf(w, "  not in the export (slocat backtest --queries prints what to export):\n%s", wrap(none, "    ", 100))
	}
	for _, res := range partial {
		fmt.Fprintf(w, "  %s: the export has no series %q\n", res.Name(), res.Absent[0])
	}
	for _, c := range cannot {
		fmt.Fprintf(w, "  %s\n", c)
	}
}

// episode renders one stay in ALARM: 14:06-14:44, with dates when the
// replay spans more than a day, and "(still in ALARM)" when it had not ended.
func (r *Report) episode(e alarmeval.Episode) string {
	layout := "15:04"
	if r.End.Sub(r.Start) > 24*time.Hour {
		layout = "01-02 15:04"
	}
	s := e.Start.Format(layout) + "-" + e.End.Format(layout)
	if e.Open {
		s += " (still in ALARM)"
	}
	return s
}

// duration renders a time in ALARM in hours and minutes: 0m, 38m, 1h12m, 26h.
func duration(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// wrap joins items with ", " into lines of at most width columns, each
// starting with indent.
func wrap(items []string, indent string, width int) string {
	var b strings.Builder
	line := indent
	for i, it := range items {
		if i < len(items)-1 {
			it += ","
		}
		if line != indent && len(line)+1+len(it) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += it
	}
	b.WriteString(line + "\n")
	return b.String()
}
