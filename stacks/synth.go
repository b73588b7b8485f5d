package stacks

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/slocatalog/slocatalog/constructs"
	"github.com/slocatalog/slocatalog/internal/shard"
	"github.com/slocatalog/slocatalog/plan"
)

// Context is the CDK context every slocatalog app runs with, whether run by
// slocat synth or by the CDK CLI (cdk.json); it wins over context given on
// the command line, so both produce the same templates.
var Context = map[string]interface{}{
	// CloudFormation validation findings fail the synth instead of warning.
	"@aws-cdk/core:validateAgainstDefaultRules": true,
	// Service stacks import the routing stack's targets with Fn::ImportValue:
	// CloudFormation deploys routing first and refuses to delete it while used.
	"@aws-cdk/core:defaultCrossStackReferences": "strong",
	// Stack tags are set on the stack (and applied by CloudFormation to every
	// resource), not copied into the template as well.
	"@aws-cdk/core:explicitStackTags": true,
	// The construct path of each resource, as the CDK CLI records it by default.
	"aws:cdk:enable-path-metadata": true,
	"aws:cdk:version-reporting":    false,
}

// Options control a synthesis.
type Options struct {
	Outdir string // where the cloud assembly is written
	Env    string // only this environment; all when empty
	Nag    bool   // run the cdk-nag AwsSolutions pack and fail on unsuppressed findings
	// NoValidate turns off CDK's built-in CloudFormation validation; only
	// for measuring what it costs.
	NoValidate bool
	// Progress, when set, is told of each stack as it is built.
	Progress func(done, total int, name string)
	// Shard, when set, builds only the stacks of that shard (BuildShard).
	// A shard may hold no stack (more shards than services): its assembly
	// is written, empty.
	Shard shard.Spec
}

// StackSummary is what one synthesized stack holds.
type StackSummary struct {
	Name          string
	Resources     int
	TemplateBytes int64
	Alarms        map[string]int // per severity, metric and composite alarms
}

// Summary is the outcome of a synthesis.
type Summary struct {
	Stacks    []StackSummary
	Resources int
	// StartupTime is loading the CDK library into the jsii runtime (NewApp),
	// ConstructTime building every construct (jsii calls), AppTime
	// synthesizing and validating the assembly (in Node).
	StartupTime, ConstructTime, AppTime time.Duration
}

// JSIIPerResource is the construct time per generated resource.
func (s *Summary) JSIIPerResource() time.Duration {
	if s.Resources == 0 {
		return 0
	}
	return s.ConstructTime / time.Duration(s.Resources)
}

// SynthError is a synthesis that failed: CDK validation, cdk-nag, or the
// CDK library itself. Its message is meant for people, not a stack trace.
type SynthError struct{ Problems []string }

func (e *SynthError) Error() string { return strings.Join(e.Problems, "\n") }

// Synth builds the plan's stacks and writes the cloud assembly to
// opts.Outdir. The caller must call jsii.Close once done with CDK.
func Synth(catalogPlan *plan.Plan, opts Options) (sum *Summary, err error) {
	defer func() {
		// The jsii runtime reports JavaScript exceptions as panics.
		if r := recover(); r != nil {
			err = &SynthError{Problems: []string{cleanJSError(fmt.Sprint(r))}}
		}
	}()
	p := *catalogPlan
	if opts.Env != "" {
		p.Environments = nil
		for _, e := range catalogPlan.Environments {
			if e.Name == opts.Env {
				p.Environments = append(p.Environments, e)
			}
		}
		if len(p.Environments) == 0 {
			return nil, fmt.Errorf("no environment %q in the catalog", opts.Env)
		}
	}
	ctx := map[string]interface{}{}
	for k, v := range Context {
		ctx[k] = v
	}
	start := time.Now()
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:                          jsii.String(opts.Outdir),
		PostCliContext:                  &ctx,
		AnalyticsReporting:              jsii.Bool(false),
		StackTraces:                     jsii.Bool(false),
		TreeMetadata:                    jsii.Bool(false),
		BuiltinCloudFormationValidation: jsii.Bool(!opts.NoValidate),
	})
	startup := time.Since(start)
	start = time.Now()
	BuildShard(app, &p, opts.Shard, opts.Progress)
	if opts.Nag {
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	}
	sum = &Summary{StartupTime: startup, ConstructTime: time.Since(start)}
	start = time.Now()
	app.Synth(nil)
	sum.AppTime = time.Since(start)
	if err := summarize(opts.Outdir, sum, !opts.Shard.Whole()); err != nil {
		return nil, err
	}
	return sum, nil
}

// cleanJSError keeps the first lines of a JavaScript error, without its stack.
func cleanJSError(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "at ") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}

// metadataEntry is one annotation in <stack>.metadata.json; errors (CDK
// validation, cdk-nag) fail the synth.
type metadataEntry struct {
	Type string `json:"type"`
	Data any    `json:"data"`
}

type manifest struct {
	Artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile string `json:"templateFile"`
		} `json:"properties"`
		Metadata               map[string][]metadataEntry `json:"metadata"`
		AdditionalMetadataFile string                     `json:"additionalMetadataFile"`
	} `json:"artifacts"`
}

type template struct {
	Resources map[string]struct {
		Type       string `json:"Type"`
		Properties struct {
			Tags []struct{ Key, Value string } `json:"Tags"`
		} `json:"Properties"`
	} `json:"Resources"`
}

// summarize reads the assembly back (in Go, no jsii) and counts what it
// holds; an assembly without stacks is an error unless allowEmpty.
func summarize(dir string, sum *Summary, allowEmpty bool) error {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	var problems []string
	for name, a := range m.Artifacts {
		if a.Type != "aws:cloudformation:stack" {
			continue
		}
		meta := a.Metadata
		if a.AdditionalMetadataFile != "" {
			mb, err := os.ReadFile(filepath.Join(dir, a.AdditionalMetadataFile))
			if err != nil {
				return err
			}
			if err := json.Unmarshal(mb, &meta); err != nil {
				return fmt.Errorf("%s: %w", a.AdditionalMetadataFile, err)
			}
		}
		for path, entries := range meta {
			for _, e := range entries {
				if e.Type == "aws:cdk:error" {
					problems = append(problems, fmt.Sprintf("%s: %v", path, e.Data))
				}
			}
		}
		path := filepath.Join(dir, a.Properties.TemplateFile)
		tb, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var t template
		if err := json.Unmarshal(tb, &t); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		ss := StackSummary{Name: name, Resources: len(t.Resources), TemplateBytes: int64(len(tb)), Alarms: map[string]int{}}
		for _, r := range t.Resources {
			if r.Type != "AWS::CloudWatch::Alarm" && r.Type != "AWS::CloudWatch::CompositeAlarm" {
				continue
			}
			for _, tag := range r.Properties.Tags {
				if tag.Key == constructs.TagSeverity {
					ss.Alarms[tag.Value]++
				}
			}
		}
		// CloudFormation refuses a template over these limits at deploy time;
		// refuse it here instead.
		if ss.Resources > 500 || ss.TemplateBytes > 1<<20 {
			problems = append(problems, fmt.Sprintf("%s: %d resources, %d bytes: over the CloudFormation limit of 500 resources or 1 MB", name, ss.Resources, ss.TemplateBytes))
		}
		sum.Resources += ss.Resources
		sum.Stacks = append(sum.Stacks, ss)
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return &SynthError{Problems: problems}
	}
	sort.Slice(sum.Stacks, func(i, j int) bool { return sum.Stacks[i].Name < sum.Stacks[j].Name })
	if len(sum.Stacks) == 0 && !allowEmpty {
		return errors.New("the assembly holds no stacks")
	}
	return nil
}
