package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// jsBaselineScript rebuilds an assembly's templates with plain aws-cdk-lib
// (CfnResource per resource), for the Go/JS ratio of issue 18.
//
//go:embed jsbaseline.js
var jsBaselineScript []byte

// jsModules are the Go modules whose embedded npm tarballs make up the
// aws-cdk-lib that jsii loads: the library, its peer constructs and its
// dependencies that are not bundled in its tarball. The baseline unpacks
// the same tarballs, so both sides run the same library version.
var jsModules = []string{
	"github.com/aws/aws-cdk-go/awscdk/v2",
	"github.com/aws/constructs-go/constructs/v10",
	"github.com/cdklabs/awscdk-asset-awscli-go/awscliv1/v2",
	"github.com/cdklabs/awscdk-asset-node-proxy-agent-go/nodeproxyagentv6/v2",
	"github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v55",
}

// jsBaseline is the unpacked script and its node_modules.
type jsBaseline struct {
	node, script string
}

// jsResult is what one run of the script reports (milliseconds).
type jsResult struct {
	Stacks, Resources int
	Validate          bool
	ReadMs            int64 `json:"readMs"`
	StartupMs         int64 `json:"startupMs"`
	ConstructMs       int64 `json:"constructMs"`
	SynthMs           int64 `json:"synthMs"`
	TotalMs           int64 `json:"totalMs"`
	PeakRssMb         int   `json:"peakRssMb"`
	Wall              time.Duration
}

// nodeBinary is the Node.js that jsii runs (JSII_NODE), else node on PATH.
func nodeBinary() (string, error) {
	if n := os.Getenv("JSII_NODE"); n != "" {
		return n, nil
	}
	return exec.LookPath("node")
}

// prepareJSBaseline unpacks the modules' tarballs into
// dir/node_modules (once per set of versions) and writes the script beside.
func prepareJSBaseline(cacheDir string) (*jsBaseline, error) {
	node, err := nodeBinary()
	if err != nil {
		return nil, fmt.Errorf("no Node.js: %w", err)
	}
	out, err := exec.Command("go", append([]string{"list", "-m", "-f", "{{.Path}}@{{.Version}} {{.Dir}}"}, jsModules...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("go list -m: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var versions []string
	var dirs []string
	for _, l := range lines {
		mod, dir, ok := strings.Cut(l, " ")
		if !ok || dir == "" {
			return nil, fmt.Errorf("module %q is not downloaded (go mod download)", l)
		}
		versions = append(versions, mod)
		dirs = append(dirs, dir)
	}
	key := fnv32(strings.Join(versions, ","))
	dir := filepath.Join(cacheDir, fmt.Sprintf("jsbaseline-%08x", key))
	done := filepath.Join(dir, ".unpacked")
	if _, err := os.Stat(done); err != nil {
		os.RemoveAll(dir)
		for _, d := range dirs {
			tgzs, _ := filepath.Glob(filepath.Join(d, "jsii", "*.tgz"))
			if len(tgzs) != 1 {
				return nil, fmt.Errorf("%s: want one jsii tarball, found %d", d, len(tgzs))
			}
			if err := unpackNPM(tgzs[0], filepath.Join(dir, "node_modules")); err != nil {
				return nil, fmt.Errorf("%s: %w", tgzs[0], err)
			}
		}
		if err := os.WriteFile(done, []byte(strings.Join(versions, "\n")+"\n"), 0o644); err != nil {
			return nil, err
		}
	}
	script := filepath.Join(dir, "jsbaseline.js")
	if err := os.WriteFile(script, jsBaselineScript, 0o644); err != nil {
		return nil, err
	}
	return &jsBaseline{node: node, script: script}, nil
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// unpackNPM unpacks an npm tarball (files under package/) into
// modules/<its package name>.
func unpackNPM(tgz, modules string) error {
	b, err := os.ReadFile(tgz)
	if err != nil {
		return err
	}
	name, err := npmName(b)
	if err != nil {
		return err
	}
	dest := filepath.Join(modules, filepath.FromSlash(name))
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, ok := strings.CutPrefix(path.Clean(h.Name), "package/")
		if !ok || strings.HasPrefix(rel, "../") {
			continue
		}
		p := filepath.Join(dest, filepath.FromSlash(rel))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
}

// npmName reads the package name from package/package.json in a tarball.
func npmName(tgz []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return "", err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			return "", fmt.Errorf("no package/package.json: %w", err)
		}
		if path.Clean(h.Name) != "package/package.json" {
			continue
		}
		var p struct{ Name string }
		if err := json.NewDecoder(tr).Decode(&p); err != nil {
			return "", err
		}
		if p.Name == "" || strings.Contains(p.Name, "..") {
			return "", fmt.Errorf("package name %q", p.Name)
		}
		return p.Name, nil
	}
}

// run rebuilds the assembly in with plain aws-cdk-lib into out, validation
// on or off, and returns the script's timings and the process's wall time.
func (j *jsBaseline) run(in, out string, validate bool) (*jsResult, error) {
	args := []string{j.script, "--in", in, "--out", out}
	if !validate {
		args = append(args, "--no-validate")
	}
	cmd := exec.Command(j.node, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s", j.node, strings.Join(args, " "), err, stderr.String())
	}
	var r jsResult
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		return nil, fmt.Errorf("jsbaseline output %q: %w", stdout.String(), err)
	}
	r.Wall = time.Since(start)
	return &r, nil
}

// context returns the CDK context the script synthesizes with.
func (j *jsBaseline) context() (map[string]any, error) {
	out, err := exec.Command(j.node, j.script, "--print-context").Output()
	if err != nil {
		return nil, err
	}
	var ctx map[string]any
	return ctx, json.Unmarshal(out, &ctx)
}
