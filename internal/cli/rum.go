package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/slocatalog/slocatalog/names"
)

func init() {
	commands["rum-snippet"] = runRUMSnippet
}

// runRUMSnippet prints, per RUM app monitor, the code a web page needs to
// start the CloudWatch RUM web client (npm package aws-rum-web). The ids are
// created at deploy time: with --outputs the snippet takes them from the
// file that `cdk deploy --outputs-file` writes, otherwise it names the stack
// outputs that hold them.
func runRUMSnippet(args []string, stdout, stderr io.Writer) int {
	fs := NewFlags("rum-snippet", stderr)
	env := fs.String("env", "", "environment (default: every environment)")
	outputsFile := fs.String("outputs", "", "fill the ids from `FILE`, the JSON that `cdk deploy --outputs-file FILE` writes")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	cat, code := Load(fs.Args(), stderr)
	if cat == nil {
		return code
	}
	var outputs deployOutputs
	if *outputsFile != "" {
		var err error
		if outputs, err = readDeployOutputs(*outputsFile); err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			return ExitInvalid
		}
	}
	var snippets []string
	var missing []string
	for _, e := range cat.Plan.Environments {
		if *env != "" && e.Name != *env {
			continue
		}
		for _, s := range e.Services {
			for _, r := range s.RUM {
				stack := names.ServiceStackName(cat.Plan.Org, e.Name, s.Name)
				value := func(suffix string) string {
					key := names.OutputName(r.Name + suffix)
					if outputs == nil {
						return fmt.Sprintf("<%s output %s>", stack, key)
					}
					v, err := outputs.lookup(*outputsFile, stack, key)
					if err != nil {
						missing = append(missing, err.Error())
					}
					return v
				}
				appMonitorID := value(names.OutputAppMonitorID)
				// No guestRoleArn: given one, aws-rum-web takes Cognito's
				// basic (classic) flow (GetId, GetOpenIdToken, then STS
				// AssumeRoleWithWebIdentity on that role), which the identity
				// pool refuses because it does not set AllowClassicFlow.
				// Without it the client takes the enhanced flow (GetId, then
				// GetCredentialsForIdentity), where Cognito itself hands out
				// the credentials of the pool's unauthenticated role, as the
				// pool's role attachment says.
				cfg := map[string]any{
					"sessionSampleRate": r.SampleRate,
					"identityPoolId":    value(names.OutputIdentityPool),
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
				var b strings.Builder
				fmt.Fprintf(&b, "// %s in %s (service %s): npm install aws-rum-web\n", names.RUMName(e.Name, r.Name), e.Name, s.Name)
				if outputs == nil {
					fmt.Fprintf(&b, "// Fill the <...> values from: aws cloudformation describe-stacks --region %s --stack-name %s --query 'Stacks[0].Outputs'\n", e.Region, stack)
					fmt.Fprintf(&b, "// (or let slocat fill them: cdk deploy --outputs-file FILE, then slocat rum-snippet --outputs FILE)\n")
				} else {
					fmt.Fprintf(&b, "// Ids from %s, outputs of stack %s\n", *outputsFile, stack)
				}
				fmt.Fprintf(&b, "import { AwsRum } from 'aws-rum-web';\n\nconst APP_VERSION = '1.0.0'; // your release\n\n")
				fmt.Fprintf(&b, "// Do not add guestRoleArn: the identity pool allows only Cognito's enhanced flow.\n")
				fmt.Fprintf(&b, "try {\n  new AwsRum(%q, APP_VERSION, %q, %s);\n} catch (error) {\n  // RUM must never break the page.\n}\n\n",
					appMonitorID, e.Region, indent(strings.TrimSpace(buf.String())))
				snippets = append(snippets, b.String())
			}
		}
	}
	if len(missing) > 0 {
		for _, m := range missing {
			fmt.Fprintf(stderr, "slocat: %s\n", m)
		}
		if *env == "" {
			fmt.Fprintln(stderr, "slocat: deploy those stacks with --outputs-file, or choose the environment with --env")
		}
		return ExitInvalid
	}
	if len(snippets) == 0 {
		fmt.Fprintln(stderr, "slocat: the catalog has no RUM app monitor")
		return ExitInvalid
	}
	for _, s := range snippets {
		io.WriteString(stdout, s)
	}
	return ExitOK
}

// deployOutputs is the file that `cdk deploy --outputs-file` writes: per
// stack name, its outputs by output name.
type deployOutputs map[string]map[string]any

// readDeployOutputs reads and parses an outputs file.
func readDeployOutputs(path string) (deployOutputs, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var o deployOutputs
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, fmt.Errorf("%s: not the JSON of cdk deploy --outputs-file ({\"Stack\": {\"Output\": \"value\"}}): %v", path, err)
	}
	if o == nil {
		o = deployOutputs{}
	}
	return o, nil
}

// lookup returns the output key of stack, or an error naming both.
func (o deployOutputs) lookup(file, stack, key string) (string, error) {
	outs, ok := o[stack]
	if !ok {
		return "", fmt.Errorf("%s: no stack %s (looking for its output %s)", file, stack, key)
	}
	v, ok := outs[key]
	if !ok {
		return "", fmt.Errorf("%s: stack %s has no output %s", file, stack, key)
	}
	s, ok := v.(string)
	if !ok || s == "" {
		return "", fmt.Errorf("%s: output %s of stack %s is not a non-empty string", file, key, stack)
	}
	return s, nil
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n  ") }
