package cli

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// SynthBinary is the program that synthesizes the CDK app (cmd/slocat-cdk).
// It is separate so that this binary never links the AWS CDK.
const SynthBinary = "slocat-cdk"

// runSynth hands slocat synth to slocat-cdk: the one beside this program,
// else the one on PATH.
func runSynth(args []string, stdout, stderr io.Writer) int {
	bin := ""
	if exe, err := os.Executable(); err == nil {
		if p := filepath.Join(filepath.Dir(exe), SynthBinary); isExecutable(p) {
			bin = p
		}
	}
	if bin == "" {
		if p, err := exec.LookPath(SynthBinary); err == nil {
			bin = p
		}
	}
	if bin == "" {
		fmt.Fprintf(stderr, "slocat: synth needs %s beside slocat or on PATH: go build -o DIR ./cmd/slocat ./cmd/slocat-cdk (or run go run ./cmd/slocat-cdk)\n", SynthBinary)
		return ExitUsage
	}
	err := syscall.Exec(bin, append([]string{bin}, args...), os.Environ())
	fmt.Fprintf(stderr, "slocat: could not run %s: %v\n", bin, err)
	return ExitInvalid
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}
