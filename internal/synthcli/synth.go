// Package synthcli is slocat's synth command. It is its own binary
// (cmd/slocat-cdk) because linking the AWS CDK makes jsii extract its
// runtime into a temporary folder when the program starts (about 90 ms and
// 2 MB on disk), which slocat validate, plan and explain should not pay.
package synthcli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/internal/cli"
	"github.com/slocatalog/slocatalog/internal/jsiikernel"
	"github.com/slocatalog/slocatalog/internal/shard"
	"github.com/slocatalog/slocatalog/stacks"
)

// Main runs the synth command with the process's arguments and exits,
// closing the jsii runtime (and Node) first.
func Main() {
	code := Run(os.Args[1:], os.Stdout, os.Stderr)
	jsii.Close()
	os.Exit(code)
}

// cdkContext reads the context the CDK CLI passes to an app (cdk.json and -c).
func cdkContext() map[string]string {
	out := map[string]string{}
	var ctx map[string]any
	if err := json.Unmarshal([]byte(os.Getenv("CDK_CONTEXT_JSON")), &ctx); err != nil {
		return out
	}
	for _, k := range []string{"catalog", "env", "nag", "shard"} {
		if v, ok := ctx[k]; ok {
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// Run runs slocat synth with args and returns the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("synth", stderr)
	out := fs.String("out", "cdk.out", "cloud assembly folder; replaced only when the synth succeeds, and only if it is a cloud assembly, empty or absent")
	env := fs.String("env", "", "synthesize one environment only")
	nag := fs.Bool("nag", false, "run the cdk-nag AwsSolutions checks; unsuppressed findings fail the synth")
	cdk := fs.Bool("cdk", false, "run as the app of the CDK CLI (cdk.json): write to $CDK_OUTDIR, read context catalog, env and nag")
	quiet := fs.Bool("q", false, "no progress lines")
	noValidate := fs.Bool("no-validate", false, "skip CDK's CloudFormation validation (for measuring it; never in a pipeline)")
	stats := fs.Bool("stats", false, "print peak memory of slocat and of the Node.js child, and which jsii kernel ran")
	shardFlag := fs.String("shard", "", "synthesize shard I of N (I/N): the routing and executive stacks in shard 1, each service's stacks in the shard its name hashes to; the N shards' templates are the whole synth's")
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	paths := fs.Args()
	summaryTo := stdout
	if *cdk {
		// The CDK CLI owns the output folder and shows our stderr.
		summaryTo = stderr
		ctx := cdkContext()
		if v := ctx["catalog"]; v != "" && len(paths) == 0 {
			paths = []string{v}
		}
		if v := ctx["env"]; v != "" && *env == "" {
			*env = v
		}
		if ctx["nag"] == "true" {
			*nag = true
		}
		if v := ctx["shard"]; v != "" && *shardFlag == "" {
			*shardFlag = v
		}
		if d := os.Getenv("CDK_OUTDIR"); d != "" {
			*out = d
		}
	}
	sh, err := shard.Parse(*shardFlag)
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return cli.ExitUsage
	}
	if !*cdk {
		// Refused before anything else: slocat synth never deletes what is
		// not an assembly it could write again.
		if err := checkOut(*out); err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			return cli.ExitUsage
		}
	}
	jsiikernel.Setup(stderr)
	in := catchInterrupts(stderr, *out)
	cat, code := cli.Load(paths, stderr)
	if cat == nil {
		return code
	}

	target := *out
	tmp := target
	if !*cdk {
		if f := catalogInside(target, cat.Files); f != "" {
			fmt.Fprintf(stderr, "slocat: %v\n", &OutError{target, "holds the catalog file " + f})
			return cli.ExitUsage
		}
		// Write beside the target and swap it in only on success, so a failed
		// synth leaves the previous assembly untouched.
		parent := filepath.Dir(filepath.Clean(target))
		if err := os.MkdirAll(parent, 0o777); err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			return cli.ExitInvalid
		}
		removeStale(target)
		var err error
		if !in.locked(func() {
			if tmp, err = os.MkdirTemp(parent, tmpPattern(target)); err == nil {
				in.tmp = tmp // removed on interrupt
			}
		}) {
			in.parkIfStopping()
		}
		if err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			return cli.ExitInvalid
		}
		defer os.RemoveAll(tmp)
	}
	var progress func(int, int, string)
	if !*quiet && isTerminal(stderr) {
		progress = func(done, total int, name string) {
			fmt.Fprintf(stderr, "\r\033[K[%d/%d] %s", done, total, name)
			if done == total {
				fmt.Fprint(stderr, "\r\033[K")
			}
		}
	}
	start := time.Now()
	in.startJSII()
	sum, err := stacks.Synth(cat.Plan, stacks.Options{Outdir: tmp, Env: *env, Nag: *nag, Progress: progress, NoValidate: *noValidate, Shard: sh})
	in.parkIfStopping()
	if err != nil {
		var se *stacks.SynthError
		if errors.As(err, &se) {
			fmt.Fprintf(stderr, "synth failed:\n")
			for _, p := range se.Problems {
				fmt.Fprintf(stderr, "  %s\n", strings.ReplaceAll(p, "\n", "\n  "))
			}
		} else {
			fmt.Fprintf(stderr, "slocat: synth failed: %v\n", err)
		}
		if !*cdk {
			fmt.Fprintf(stderr, "%s was left as it was\n", target)
		}
		return cli.ExitInvalid
	}
	if !*cdk {
		var err error
		if !in.locked(func() {
			if err = swapDir(tmp, target); err == nil {
				in.tmp = ""
			}
		}) {
			in.parkIfStopping()
		}
		if err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			var oe *OutError
			if errors.As(err, &oe) {
				return cli.ExitUsage
			}
			return cli.ExitInvalid
		}
	}
	if !sh.Whole() {
		fmt.Fprintf(summaryTo, "shard %s: %s\n", sh, shardHolds(sh))
	}
	printSummary(summaryTo, target, sum, time.Since(start))
	if *stats {
		jsii.Close() // waits for Node to exit, so its peak memory is known
		var self, children syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &self)
		syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
		fmt.Fprintf(summaryTo, "peak RSS: slocat %d MB, node %d MB\n", self.Maxrss/1024, children.Maxrss/1024)
		fmt.Fprintf(summaryTo, "jsii kernel: %s\n", jsiikernel.Mode())
	}
	return cli.ExitOK
}

// shardHolds says what a shard holds besides its services.
func shardHolds(sh shard.Spec) string {
	if sh.HoldsRouting() {
		return "the routing stacks of every environment (with their executive stacks, if any) and the services that hash to it (deploy its routing stacks before the other shards)"
	}
	return "the services that hash to it (deploy after shard 1's routing stacks)"
}

// swapDir replaces dst by src: dst is renamed aside, src renamed in, and the
// old dst removed. A crash between the renames leaves dst.old-* behind, never
// a half-written dst.
//
// dst is checked again first (it may have appeared since the synth
// started): only what checkOut allows is replaced.
func swapDir(src, dst string) error {
	if err := checkOut(dst); err != nil {
		return err
	}
	old := ""
	if _, err := os.Lstat(dst); err == nil {
		d, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dst)), filepath.Base(dst)+".old-")
		if err != nil {
			return err
		}
		old = filepath.Join(d, "assembly")
		if err := os.Rename(dst, old); err != nil {
			os.RemoveAll(d)
			return err
		}
		defer os.RemoveAll(d)
	}
	if err := os.Rename(src, dst); err != nil {
		if old != "" {
			os.Rename(old, dst)
		}
		return err
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func printSummary(w io.Writer, dir string, s *stacks.Summary, total time.Duration) {
	largest := stacks.StackSummary{}
	for _, st := range s.Stacks {
		if st.Resources > largest.Resources || (st.Resources == largest.Resources && st.TemplateBytes > largest.TemplateBytes) {
			largest = st
		}
	}
	if len(s.Stacks) == 0 {
		// Only a shard may be empty (more shards than services); cdk deploy
		// --all refuses an assembly without stacks, so say so.
		fmt.Fprintf(w, "no stacks in this shard: nothing to deploy (cdk deploy --all would fail with \"This app contains no stacks\")\n")
		fmt.Fprintf(w, "wrote %s in %s\n", dir, total.Round(time.Millisecond))
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "stack\tresources\tbytes\tpage alarms\tticket alarms\t\n")
	sevs := map[string]int{}
	for _, st := range s.Stacks {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", st.Name, st.Resources, st.TemplateBytes, st.Alarms["page"], st.Alarms["ticket"])
		for k, v := range st.Alarms {
			sevs[k] += v
		}
	}
	tw.Flush()
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(sevs)) {
		parts = append(parts, fmt.Sprintf("%d %s", sevs[k], k))
	}
	fmt.Fprintf(w, "%d stacks, %d resources, alarms: %s\n", len(s.Stacks), s.Resources, strings.Join(parts, ", "))
	fmt.Fprintf(w, "largest stack: %s, %d resources, %d bytes\n", largest.Name, largest.Resources, largest.TemplateBytes)
	fmt.Fprintf(w, "wrote %s in %s: jsii start-up %s, constructs %s (%.2f ms per resource), synthesis and validation %s\n",
		dir, total.Round(time.Millisecond), s.StartupTime.Round(time.Millisecond), s.ConstructTime.Round(time.Millisecond),
		float64(s.JSIIPerResource().Microseconds())/1000, s.AppTime.Round(time.Millisecond))
}
