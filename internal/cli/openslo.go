package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/openslo/catalogyaml"
	"github.com/slocatalog/slocatalog/openslo/exporter"
	"github.com/slocatalog/slocatalog/openslo/importer"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

func init() {
	commands["import"] = runImport
	commands["export"] = runExport
}

// envFlags collects --env NAME=ACCOUNT/REGION flags.
type envFlags []importer.Env

// String is part of flag.Value; the default is shown in the usage text.
func (e *envFlags) String() string { return "" }

// Set adds one NAME=ACCOUNT/REGION.
func (e *envFlags) Set(s string) error {
	name, rest, ok1 := strings.Cut(s, "=")
	account, region, ok2 := strings.Cut(rest, "/")
	if !ok1 || !ok2 || name == "" || account == "" || region == "" {
		return errors.New("want NAME=ACCOUNT/REGION, e.g. prod=123456789012/eu-west-1")
	}
	*e = append(*e, importer.Env{Name: name, Account: account, Region: region})
	return nil
}

// runImport converts OpenSLO v1 files into a catalog file: every problem
// is reported and nothing is written, or the catalog, which slocat validate
// accepts, is written with comments saying where each value came from.
func runImport(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "openslo" {
		fmt.Fprintln(stderr, "usage: slocat import openslo [--map FILE] [--out FILE] [--org NAME] [--env NAME=ACCOUNT/REGION]... FILE...")
		return ExitUsage
	}
	fs := NewFlags("import openslo", stderr)
	mapFile := fs.String("map", "", "CloudWatch metrics for metric sources of other types, from `FILE`")
	out := fs.String("out", "", "write the catalog to `FILE` (default: standard output)")
	org := fs.String("org", "", "organisation `NAME` (default: openslo, flagged to fill in)")
	var envs envFlags
	fs.Var(&envs, "env", "environment `NAME=ACCOUNT/REGION`; repeat for several (default: a placeholder, flagged to fill in)")
	if err := fs.Parse(args[1:]); err != nil {
		return ExitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "slocat import openslo: name one or more OpenSLO files")
		return ExitUsage
	}
	opt := importer.Options{Org: *org, Envs: envs}
	if *mapFile != "" {
		b, err := os.ReadFile(*mapFile)
		if err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			return ExitUsage
		}
		if opt.Map, err = importer.ReadMap(*mapFile, b); err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			return ExitInvalid
		}
	}
	var objs []*openslo.Object
	var probs openslo.Problems
	for _, f := range fs.Args() {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "slocat: %v\n", err)
			return ExitUsage
		}
		o, p := openslo.Read(f, b)
		objs, probs = append(objs, o...), append(probs, p...)
	}
	var res *importer.Result
	if len(objs) > 0 || len(probs) == 0 { // nothing read and problems: they say why
		var p openslo.Problems
		res, p = importer.Import(objs, opt)
		probs = append(probs, p...)
	}
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(stderr, p)
		}
		if res != nil {
			for _, w := range res.Warnings {
				fmt.Fprintf(stderr, "warning: %s\n", w)
			}
		}
		fmt.Fprintf(stderr, "%d %s; nothing written\n", len(probs), plural(len(probs), "problem", "problems"))
		return ExitInvalid
	}
	header := []string{
		"# Imported from OpenSLO by slocat import openslo: " + strings.Join(fs.Args(), ", "),
		"# Comments say where each value came from. Replace every value marked " + importer.FillIn + " before deploying.",
	}
	b, err := catalogyaml.Write(res.File, res.Comments, header)
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitInvalid
	}
	name := "imported.yaml"
	if *out != "" {
		name = filepath.Base(*out)
	}
	if code := checkImported(name, b, stderr); code != ExitOK {
		return code
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	if *out == "" {
		stdout.Write(b)
		return ExitOK
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stderr, "wrote %s: %d %s, %d %s\n", *out, len(res.File.Services), plural(len(res.File.Services), "service", "services"), countSLOs(res.File), plural(countSLOs(res.File), "SLO", "SLOs"))
	return ExitOK
}

func countSLOs(f *spec.File) int {
	n := 0
	for _, s := range f.Services {
		n += len(s.SLOs)
	}
	return n
}

// checkImported runs every catalog check on the imported file before it is
// written, so that what import writes is what validate accepts.
func checkImported(name string, b []byte, stderr io.Writer) int {
	dir, err := os.MkdirTemp("", "slocat-import-")
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitUsage
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitUsage
	}
	_, src, err := pipeline.Check(path)
	if err == nil {
		return ExitOK
	}
	var diagErr *diag.Error
	if errors.As(err, &diagErr) {
		var buf strings.Builder
		diagErr.Diags.Render(&buf, src)
		io.WriteString(stderr, strings.ReplaceAll(buf.String(), dir+string(filepath.Separator), ""))
		fmt.Fprintf(stderr, "the imported catalog would not validate (%d %s); nothing written\n", len(diagErr.Diags), plural(len(diagErr.Diags), "problem", "problems"))
		return ExitInvalid
	}
	fmt.Fprintf(stderr, "slocat: %v\n", err)
	return ExitInvalid
}

// runExport writes the SLOs of one environment of the catalog as OpenSLO v1.
func runExport(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "openslo" {
		fmt.Fprintln(stderr, "usage: slocat export openslo [--env ENV] [--out FILE] [PATH]")
		return ExitUsage
	}
	fs := NewFlags("export openslo", stderr)
	env := fs.String("env", "", "environment whose values (vars, overrides, region) the export uses; needed when the catalog has several")
	out := fs.String("out", "", "write to `FILE` (default: standard output)")
	if err := fs.Parse(args[1:]); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(stderr, "usage: slocat export openslo [--env ENV] [--out FILE] [PATH]")
		return ExitUsage
	}
	cat, code := Load(fs.Args(), stderr)
	if cat == nil {
		return code
	}
	var e *plan.Environment
	var names []string
	for _, x := range cat.Plan.Environments {
		names = append(names, x.Name)
		if x.Name == *env || *env == "" && len(cat.Plan.Environments) == 1 {
			e = x
		}
	}
	if e == nil {
		if *env == "" {
			fmt.Fprintf(stderr, "slocat: the catalog has environments %s: choose one with --env\n", strings.Join(names, ", "))
		} else {
			fmt.Fprintf(stderr, "slocat: no environment %s (the catalog has %s)\n", *env, strings.Join(names, ", "))
		}
		return ExitUsage
	}
	docs, err := exporter.Export(e)
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitInvalid
	}
	path := DefaultCatalog
	if fs.NArg() == 1 {
		path = fs.Arg(0)
	}
	b, err := openslo.WriteDocuments(docs, []string{
		fmt.Sprintf("# OpenSLO v1 export of catalog %s, environment %s (account %s, region %s), by slocat export openslo.", filepath.Base(path), e.Name, e.Account, e.Region),
		"# Metric sources are CloudWatch; annotations slocatalog.dev/* keep what OpenSLO has no field for.",
	})
	if err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitInvalid
	}
	if *out == "" {
		stdout.Write(b)
		return ExitOK
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintf(stderr, "slocat: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}
