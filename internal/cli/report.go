package cli

import (
	"fmt"
	"io"

	"github.com/slocatalog/slocatalog/internal/report"
)

func init() {
	commands["report"] = runReport
}

// runReport writes the catalog as a Markdown document for auditors, to
// standard output or, with --out, as an index and one page per service.
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := NewFlags("report", stderr)
	out := fs.String("out", "", "write index.md and one page per service (SERVICE.md) into `DIR` instead of printing one document")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprint(stderr, "usage: slocat report [--out DIR] [PATH]\n")
		return ExitUsage
	}
	cat, code := Load(fs.Args(), stderr)
	if cat == nil {
		return code
	}
	if *out == "" {
		if err := report.Write(stdout, cat.Plan); err != nil {
			fmt.Fprintf(stderr, "slocat report: %v\n", err)
			return ExitUsage
		}
		return ExitOK
	}
	files, err := report.WriteDir(*out, cat.Plan)
	if err != nil {
		fmt.Fprintf(stderr, "slocat report: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stdout, "wrote %d %s to %s\n", len(files), plural(len(files), "page", "pages"), *out)
	return ExitOK
}
