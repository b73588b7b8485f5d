package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/slocatalog/slocatalog/internal/evolve"
)

func init() {
	commands["evolve"] = runEvolve
}

// runEvolve checks that cdk deploy can move the stacks of one cloud
// assembly (deployed) to another: slocat evolve --from OLD --to NEW.
// Exit 0 when it can, 1 on a hazard (or a stack to delete, unless
// --allow-removals), 2 on a usage error or an unreadable assembly.
func runEvolve(args []string, stdout, stderr io.Writer) int {
	fs := NewFlags("evolve", stderr)
	from := fs.String("from", "", "the deployed cloud assembly (`DIR`, the previous synth's cdk.out)")
	to := fs.String("to", "cdk.out", "the cloud assembly to deploy (`DIR`)")
	allow := fs.Bool("allow-removals", false, "exit 0 when the only findings are stacks to delete (the pipeline runs the printed commands)")
	asJSON := fs.Bool("json", false, "print the report as JSON: order, hazards, removals and their commands")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *from == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: slocat evolve --from OLD_CDK_OUT [--to NEW_CDK_OUT] [--allow-removals] [--json]")
		return ExitUsage
	}
	rep, code := deployCheck(*from, *to, stderr)
	if rep == nil {
		return code
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			*evolve.Report
			Commands []string
		}{rep, rep.Commands(*from)}); err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			return ExitUsage
		}
	} else {
		rep.Write(stdout, *from)
	}
	if rep.Failed(*allow) {
		return ExitInvalid
	}
	return ExitOK
}

// deployCheck runs the deploy-evolution check from the assembly in dir
// from (deployed) to the one in dir to. On an unreadable assembly or a
// missing schema it says why on stderr and returns nil and ExitUsage.
func deployCheck(from, to string, stderr io.Writer) (*evolve.Report, int) {
	old, err := evolve.Load(from)
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return nil, ExitUsage
	}
	next, err := evolve.Load(to)
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return nil, ExitUsage
	}
	schemas, err := evolve.OpenSchemas()
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return nil, ExitUsage
	}
	rep, err := evolve.Check(old, next, schemas)
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return nil, ExitUsage
	}
	return rep, ExitOK
}
