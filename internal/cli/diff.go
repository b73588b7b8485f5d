package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/internal/evolve"
	"github.com/slocatalog/slocatalog/internal/plandiff"
	"github.com/slocatalog/slocatalog/load"
	"github.com/slocatalog/slocatalog/pipeline"
)

func init() {
	commands["diff"] = runDiff
}

// diffFormats are the renderings of `slocat diff --format`.
var diffFormats = map[string]func(*plandiff.Diff, io.Writer) error{
	"text":     (*plandiff.Diff).Text,
	"markdown": (*plandiff.Diff).Markdown,
	"json":     (*plandiff.Diff).JSON,
}

// runDiff compares two catalogs, or a catalog with itself at a git
// revision, and prints what changes per environment and service. It exits
// 0 whether or not anything changed, 1 when either side is invalid.
func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := NewFlags("diff", stderr)
	base := fs.String("base", "", "compare with the catalog at git revision `REV` (read through git, no checkout)")
	format := fs.String("format", "text", "output: text, markdown (a pull-request comment) or json")
	deployFrom := fs.String("deploy-from", "", "also run the deploy-evolution check (as slocat evolve) from the deployed cloud assembly `DIR`")
	deployTo := fs.String("deploy-to", "cdk.out", "with --deploy-from: the cloud assembly to deploy (`DIR`)")
	allow := fs.Bool("allow-removals", false, "with --deploy-from: stacks that left the app are not a failure")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *deployFrom == "" {
		misplaced := ""
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "deploy-to" || f.Name == "allow-removals" {
				misplaced = f.Name
			}
		})
		if misplaced != "" {
			fmt.Fprintf(stderr, "slocat diff: --%s needs --deploy-from\n", misplaced)
			return ExitUsage
		}
	}
	render, ok := diffFormats[*format]
	if !ok {
		fmt.Fprintf(stderr, "slocat diff: unknown --format %q: text, markdown or json\n", *format)
		return ExitUsage
	}
	var oldPath, newPath string
	switch {
	case *base != "" && fs.NArg() <= 1:
		newPath = DefaultCatalog
		if fs.NArg() == 1 {
			newPath = fs.Arg(0)
		}
	case *base == "" && fs.NArg() == 2:
		oldPath, newPath = fs.Arg(0), fs.Arg(1)
	default:
		fmt.Fprint(stderr, "usage: slocat diff [--format text|markdown|json] [--deploy-from OLD_CDK_OUT [--deploy-to NEW_CDK_OUT] [--allow-removals]] OLD NEW\n       slocat diff --base REV [--format text|markdown|json] [--deploy-from ...] [PATH]\n")
		return ExitUsage
	}
	var old *pipeline.Result
	code := ExitOK
	if *base != "" {
		old, code = loadAtRevision(*base, newPath, stderr)
	} else {
		old, code = Load([]string{oldPath}, stderr)
	}
	if code == ExitUsage {
		return code
	}
	cur, curCode := Load([]string{newPath}, stderr)
	if curCode == ExitUsage {
		return curCode
	}
	if old == nil || cur == nil {
		return ExitInvalid
	}
	d := plandiff.Compare(old.Plan, cur.Plan)
	if *deployFrom == "" {
		if err := render(d, stdout); err != nil {
			fmt.Fprintf(stderr, "slocat diff: %v\n", err)
			return ExitUsage
		}
		return ExitOK
	}
	rep, code := deployCheck(*deployFrom, *deployTo, stderr)
	if rep == nil {
		return code
	}
	if err := renderWithDeploy(*format, d, rep, *deployFrom, stdout); err != nil {
		fmt.Fprintf(stderr, "slocat diff: %v\n", err)
		return ExitUsage
	}
	if rep.Failed(*allow) {
		return ExitInvalid
	}
	return ExitOK
}

// renderWithDeploy prints the catalog diff followed by the deploy-evolution
// report (format text or markdown), or both as one JSON object
// {"diff": ..., "deploy": ..., "commands": [...]}.
func renderWithDeploy(format string, d *plandiff.Diff, rep *evolve.Report, from string, w io.Writer) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Diff     *plandiff.Diff `json:"diff"`
			Deploy   *evolve.Report `json:"deploy"`
			Commands []string       `json:"commands"`
		}{d, rep, rep.Commands(from)})
	case "markdown":
		if err := d.Markdown(w); err != nil {
			return err
		}
		var b bytes.Buffer
		rep.Write(&b, from)
		_, err := fmt.Fprintf(w, "\n#### Deploy check\n\n```\n%s```\n", b.String())
		return err
	default:
		if err := d.Text(w); err != nil {
			return err
		}
		fmt.Fprintln(w, "deploy check:")
		var b bytes.Buffer
		rep.Write(&b, from)
		for _, line := range strings.SplitAfter(b.String(), "\n") {
			if line != "" {
				fmt.Fprint(w, "  "+line)
			}
		}
		return nil
	}
}

// loadAtRevision loads the catalog at path as git revision rev has it: the
// catalog's files are read with git ls-tree and git cat-file into a
// temporary folder, and diagnostics name them REV:path.
func loadAtRevision(rev, path string, stderr io.Writer) (*pipeline.Result, int) {
	if strings.HasPrefix(rev, "-") {
		fmt.Fprintf(stderr, "slocat diff: --base %q is not a revision\n", rev)
		return nil, ExitUsage
	}
	tmp, err := os.MkdirTemp("", "slocat-base-")
	if err != nil {
		fmt.Fprintf(stderr, "slocat diff: %v\n", err)
		return nil, ExitUsage
	}
	defer os.RemoveAll(tmp)
	rel, err := checkoutCatalog(rev, path, tmp)
	if err != nil {
		fmt.Fprintf(stderr, "slocat diff: %v\n", err)
		return nil, ExitUsage
	}
	cat, src, err := pipeline.Load(filepath.Join(tmp, rel))
	if err == nil {
		return cat, ExitOK
	}
	var diagErr *diag.Error
	if !errors.As(err, &diagErr) {
		fmt.Fprintf(stderr, "slocat diff: %s:%s: %v\n", rev, rel, err)
		return nil, ExitUsage
	}
	// Name the files as the revision has them, not as the temporary folder.
	prefix := filepath.ToSlash(tmp) + "/"
	rename := func(s string) string { return strings.ReplaceAll(s, prefix, rev+":") }
	ds := make(diag.Diagnostics, len(diagErr.Diags))
	for i, d := range diagErr.Diags {
		d.Pos.File, d.Message, d.Hint, d.Note = rename(d.Pos.File), rename(d.Message), rename(d.Hint), rename(d.Note)
		ds[i] = d
	}
	named := make(diag.Sources, len(src))
	for f, b := range src {
		named[rename(f)] = b
	}
	renderText(nil, stderr, ds, named)
	return nil, ExitInvalid
}

// checkoutCatalog writes the catalog files (*.yaml, *.yml) under path at
// git revision rev into dir, at their paths relative to the repository's
// top, and returns path relative to the top. Only git plumbing reads them:
// the work tree and index are left alone.
func checkoutCatalog(rev, path, dir string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(abs)
	gitDir := abs
	if err != nil || !st.IsDir() {
		gitDir = filepath.Dir(abs)
	}
	top, err := git(gitDir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", fmt.Errorf("%s is not in a git work tree: %v", path, err)
	}
	root := strings.TrimSpace(string(top))
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	if r, err := filepath.EvalSymlinks(gitDir); err == nil {
		abs = filepath.Join(r, strings.TrimPrefix(abs, gitDir))
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is outside the git work tree %s", path, root)
	}
	rel = filepath.ToSlash(rel)
	if _, err := git(root, nil, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return "", fmt.Errorf("unknown revision %q", rev)
	}
	args := []string{"ls-tree", "-r", "-z", "--full-tree", rev}
	if rel != "." {
		args = append(args, "--", rel)
	}
	list, err := git(root, nil, args...)
	if err != nil {
		return "", err
	}
	var files []string
	for _, entry := range strings.Split(strings.TrimSuffix(string(list), "\x00"), "\x00") {
		meta, name, ok := strings.Cut(entry, "\t")
		if !ok || !(strings.HasPrefix(meta, "100644 blob ") || strings.HasPrefix(meta, "100755 blob ")) {
			continue // symbolic links, submodules
		}
		if !strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml") {
			continue
		}
		if hiddenBelow(name, rel) {
			continue // as slocat skips hidden folders of a catalog folder
		}
		files = append(files, name)
	}
	if len(files) == 0 {
		return "", fmt.Errorf("%s:%s: no *.yaml or *.yml files", rev, rel)
	}
	var req bytes.Buffer
	for _, f := range files {
		fmt.Fprintf(&req, "%s:%s\n", rev, f)
	}
	out, err := git(root, &req, "cat-file", "--batch")
	if err != nil {
		return "", err
	}
	r := bufio.NewReader(bytes.NewReader(out))
	for _, f := range files {
		header, err := r.ReadString('\n')
		if err != nil {
			return "", fmt.Errorf("git cat-file: %v", err)
		}
		fields := strings.Fields(header)
		if len(fields) != 3 || fields[1] != "blob" {
			return "", fmt.Errorf("git cat-file %s:%s: %s", rev, f, strings.TrimSpace(header))
		}
		size, err := strconv.Atoi(fields[2])
		if err != nil || size > load.MaxFileBytes {
			return "", fmt.Errorf("%s:%s: %s bytes is over the limit of %d", rev, f, fields[2], load.MaxFileBytes)
		}
		body := make([]byte, size+1) // and the newline cat-file ends each object with
		if _, err := io.ReadFull(r, body); err != nil {
			return "", fmt.Errorf("git cat-file %s:%s: %v", rev, f, err)
		}
		dst := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(dst, body[:size], 0o644); err != nil {
			return "", err
		}
	}
	return rel, nil
}

// hiddenBelow reports whether a folder between rel and name starts with a dot.
func hiddenBelow(name, rel string) bool {
	below := name
	if rel != "." {
		below = strings.TrimPrefix(name, rel+"/")
	}
	parts := strings.Split(below, "/")
	for _, p := range parts[:len(parts)-1] {
		if strings.HasPrefix(p, ".") {
			return true
		}
	}
	return false
}

// git runs git in dir with stdin and returns its standard output.
func git(dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", args[0], msg)
		}
		return nil, fmt.Errorf("git %s: %v", args[0], err)
	}
	return out, nil
}
