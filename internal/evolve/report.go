package evolve

import (
	"fmt"
	"io"
	"strings"
)

// Commands are the shell commands that delete the removed stacks, in order
// (dependents first), given the folder of the previous assembly: either
// `cdk destroy` run against the previous assembly (the removed stacks are no
// longer in the app, and the CDK CLI takes an assembly folder as --app), or
// the AWS CLI. Stacks to delete after cdk deploy come after a comment line.
func (r *Report) Commands(oldDir string) []string {
	var out []string
	for _, after := range []bool{false, true} {
		var ids []string
		var aws []string
		for _, rm := range r.Removals {
			if rm.AfterDeploy != after {
				continue
			}
			ids = append(ids, rm.Stack)
			aws = append(aws,
				fmt.Sprintf("aws cloudformation delete-stack --stack-name %s --region %s", rm.Name, rm.Region),
				fmt.Sprintf("aws cloudformation wait stack-delete-complete --stack-name %s --region %s", rm.Name, rm.Region))
		}
		if len(ids) == 0 {
			continue
		}
		when := "# before cdk deploy"
		if after {
			when = "# after cdk deploy"
		}
		out = append(out, when+":")
		out = append(out, fmt.Sprintf("npx cdk destroy --app %s --force %s", shellQuote(oldDir), strings.Join(ids, " ")))
		out = append(out, "# or, one at a time in this order (credentials of each stack's account):")
		out = append(out, aws...)
	}
	return out
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Write prints the report for people: the deploy order, each hazard, and
// the commands that delete removed stacks.
func (r *Report) Write(w io.Writer, oldDir string) {
	fmt.Fprintf(w, "deploy order: %s\n", strings.Join(r.Order, " -> "))
	for _, h := range r.Hazards {
		fmt.Fprintf(w, "%s\n", h)
	}
	if cmds := r.Commands(oldDir); len(cmds) > 0 {
		fmt.Fprintln(w, "stacks that left the app; delete them with:")
		for _, c := range cmds {
			fmt.Fprintf(w, "  %s\n", c)
		}
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "not checked (no resource schema): %s\n", strings.Join(r.Skipped, ", "))
	}
	if len(r.Hazards) == 0 {
		fmt.Fprintln(w, "no hazard: cdk deploy can move the deployed stacks to the new assembly")
	}
}
