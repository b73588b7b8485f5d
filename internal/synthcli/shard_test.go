package synthcli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/internal/cli"
)

// TestShardUsage: a malformed --shard exits 2 with the reason, before the
// catalog is read or anything is written.
func TestShardUsage(t *testing.T) {
	out := t.TempDir() + "/cdk.out"
	for value, reason := range map[string]string{
		"2":   "not of the form I/N",
		"a/4": "not of the form I/N",
		"0/4": "I must be at least 1",
		"5/4": "I must be at most N",
		"1/0": "N must be at least 1",
	} {
		var stdout, stderr bytes.Buffer
		code := Run([]string{"--shard", value, "--out", out, "does-not-exist"}, &stdout, &stderr)
		if code != cli.ExitUsage || !strings.Contains(stderr.String(), reason) {
			t.Errorf("--shard %s: exit %d, stderr %q; want %d and %q", value, code, stderr.String(), cli.ExitUsage, reason)
		}
	}
}
