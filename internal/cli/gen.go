package cli

import (
	"fmt"
	"io"

	"github.com/slocatalog/slocatalog/internal/gen"
)

func init() {
	commands["gen"] = runGen
}

// runGen writes a synthetic catalog for benchmarks and scale tests.
func runGen(args []string, stdout, stderr io.Writer) int {
	fs := NewFlags("gen", stderr)
	services := fs.Int("services", 10, "number of services")
	n := fs.Int("slos", 100, "number of SLOs, spread over the services")
	out := fs.String("out", "", "folder to write the catalog into (required)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *out == "" || fs.NArg() > 0 || *services < 1 || *n < 0 {
		fmt.Fprintln(stderr, "usage: slocat gen --out DIR [--services S] [--slos N]")
		return ExitUsage
	}
	if err := gen.Write(*out, gen.Options{Services: *services, SLOs: *n}); err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitInvalid
	}
	fmt.Fprintf(stdout, "wrote %s: %d services, %d SLOs\n", *out, *services, *n)
	return ExitOK
}
