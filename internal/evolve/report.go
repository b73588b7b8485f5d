package evolve

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Kind is what sort of hazard a finding is.
type Kind string

// Hazard kinds.
const (
	// KindExport: an export is removed or changed while a stack still
	// imports it. CloudFormation refuses: "You can't modify or remove an
	// output value that is referenced by another stack", and refuses to
	// delete a stack whose exports are imported
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-importvalue.html).
	KindExport Kind = "export"
	// KindName: a custom-named resource is created while its name is still
	// taken: it moved to another stack that deploys first (or alongside),
	// or to another logical ID (CloudFormation creates the new resource
	// before it deletes the old one). "Resource names must be unique across
	// all your active stacks"
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html).
	KindName Kind = "name"
	// KindReplace: a create-only property of a custom-named resource
	// changes while its name does not: "You can't perform an update that
	// causes a custom-named resource to be replaced" (same page).
	KindReplace Kind = "replace"
	// KindParameter: a stack reads an SSM parameter (a dynamic reference
	// {{resolve:ssm:NAME}}, or a template parameter of an SSM parameter
	// type) that a stack of the app creates, but the creating stack does
	// not deploy first, or no longer creates it, or changes its value while
	// the reader's template stays the same (cdk deploy skips an unchanged
	// stack, and CloudFormation reads the value only in a stack operation:
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm.html).
	KindParameter Kind = "parameter"
	// KindComposite: a stack deletes a composite alarm in its cleanup while
	// a composite alarm of a stack that deploys later (or left the app)
	// still names it in its rule. CloudWatch does not delete a composite
	// alarm that another composite depends on ("you can't delete any
	// composite alarm that is part of the cycle because there is always
	// still a composite alarm that depends on that alarm",
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html);
	// a failed delete in the cleanup does not fail the update, so the alarm
	// stays in the account, outside any stack. It happens once, when the
	// burn-rate tiers of a split service stop being composites (issue 18):
	// a tier composite in part k is referenced by the roll-up of the last
	// part, which deploys after it. The fix is a command after cdk deploy.
	KindComposite Kind = "composite"
	// KindRemoved: a stack left the app. cdk deploy never deletes it: its
	// resources (alarms that page) and its imports stay until it is deleted.
	KindRemoved Kind = "removed"
)

// Hazard is one reason the deploy would stop, or leave something behind.
type Hazard struct {
	Kind      Kind
	Stack     string // the stack whose deploy fails, or the removed stack
	LogicalID string // resource or output logical ID; empty for a stack
	Type      string // resource type, "Export" for an output's export
	Reason    string
}

// String renders the hazard as kind: stack logicalID (type): reason, with
// "-" for a stack's own hazard.
func (h Hazard) String() string {
	id := h.LogicalID
	if id == "" {
		id = "-"
	}
	return fmt.Sprintf("%s: %s %s (%s): %s", h.Kind, h.Stack, id, h.Type, h.Reason)
}

// Removal is a stack that left the app and must be deleted by hand.
type Removal struct {
	Stack           string // artifact id in the previous assembly
	Name            string // CloudFormation stack name
	Account, Region string
	// AfterDeploy: delete it only once cdk deploy is done, because a stack
	// that stays imports one of its exports until its new template is
	// deployed. Otherwise delete it before the deploy, so its imports do
	// not hold the exports the deploy removes.
	AfterDeploy bool
}

// Report is the outcome of Check.
type Report struct {
	Order    []string // the new assembly's stacks in CDK's deploy order
	Hazards  []Hazard
	Removals []Removal // in a safe order: dependents first
	Skipped  []string  // resource types without a schema (not checked)
}

// Failed reports whether the change needs attention before cdk deploy:
// any hazard, or, unless allowRemovals, a stack or an orphaned composite
// alarm to delete by hand (the report prints the commands).
func (r *Report) Failed(allowRemovals bool) bool {
	for _, h := range r.Hazards {
		if (h.Kind != KindRemoved && h.Kind != KindComposite) || !allowRemovals {
			return true
		}
	}
	return false
}

// Of returns the hazards of some kinds.
func (r *Report) Of(kinds ...Kind) []Hazard {
	var out []Hazard
	for _, h := range r.Hazards {
		if slices.Contains(kinds, h.Kind) {
			out = append(out, h)
		}
	}
	return out
}

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
