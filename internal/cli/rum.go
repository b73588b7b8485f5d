package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/slocatalog/slocatalog/slos"
)

func init() {
	commands["rum-snippet"] = runRUMSnippet
}

// runRUMSnippet prints, per RUM app monitor, the code a web page needs to
// start the CloudWatch RUM web client (npm package aws-rum-web). The ids are
// created at deploy time: the snippet names the stack outputs that hold them.
func runRUMSnippet(args []string, stdout, stderr io.Writer) int {
	fs := NewFlags("rum-snippet", stderr)
	env := fs.String("env", "", "environment (default: every environment)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	cat, code := Load(fs.Args(), stderr)
	if cat == nil {
		return code
	}
	n := 0
	for _, e := range cat.Plan.Environments {
		if *env != "" && e.Name != *env {
			continue
		}
		for _, s := range e.Services {
			for _, r := range s.RUM {
				n++
				stack := slos.ServiceStackName(cat.Plan.Org, e.Name, s.Name)
				out := func(suffix string) string {
					return fmt.Sprintf("<%s output %s>", stack, slos.OutputName(r.Name+suffix))
				}
				cfg := map[string]any{
					"sessionSampleRate": r.SampleRate,
					"identityPoolId":    out(slos.OutputIdentityPool),
					"guestRoleArn":      out(slos.OutputGuestRoleArn),
					"endpoint":          fmt.Sprintf("https://dataplane.rum.%s.amazonaws.com", e.Region),
					"telemetries":       r.Telemetries,
					"allowCookies":      r.AllowCookies,
					"enableXRay":        r.XRay,
				}
				var buf strings.Builder
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(cfg); err != nil {
					fmt.Fprintf(stderr, "slocat: %v\n", err)
					return ExitInvalid
				}
				fmt.Fprintf(stdout, "// %s in %s (service %s): npm install aws-rum-web\n", slos.RUMName(e.Name, r.Name), e.Name, s.Name)
				fmt.Fprintf(stdout, "// Fill the <...> values from: aws cloudformation describe-stacks --region %s --stack-name %s --query 'Stacks[0].Outputs'\n", e.Region, stack)
				fmt.Fprintf(stdout, "import { AwsRum } from 'aws-rum-web';\n\nconst APP_VERSION = '1.0.0'; // your release\n\n")
				fmt.Fprintf(stdout, "try {\n  new AwsRum(%q, APP_VERSION, %q, %s);\n} catch (error) {\n  // RUM must never break the page.\n}\n\n",
					out(slos.OutputAppMonitorID), e.Region, indent(strings.TrimSpace(buf.String())))
			}
		}
	}
	if n == 0 {
		fmt.Fprintln(stderr, "slocat: the catalog has no RUM app monitor")
		return ExitInvalid
	}
	return ExitOK
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n  ") }
