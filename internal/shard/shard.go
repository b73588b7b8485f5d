// Package shard splits a catalog's stacks into N shards that slocat synth
// --shard I/N synthesizes into separate cloud assemblies, so a CI matrix can
// synthesize and deploy them in parallel. It links no CDK.
//
// A service goes to the shard its name hashes to (Jump), in every
// environment, with all the parts of its stacks; the routing stacks of
// every environment, and the executive stacks that hold the executive
// view's later pages (<org>-<env>-executive-N), go to shard 1. Service stacks read the routing stack by
// name, never by export, so no shard's templates refer to another shard's;
// only the deploy order does (routing first), which a shard's assembly
// cannot record for a stack it does not hold: a pipeline deploys shard 1's
// routing stacks before the other shards (README, "Sharded synth").
package shard

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
)

// Spec is shard Index (1-based) of Count. The zero Spec is the whole app.
type Spec struct{ Index, Count int }

// UsageError is a --shard value that is not I/N with 1 <= I <= N.
type UsageError struct{ Value, Reason string }

func (e *UsageError) Error() string {
	return fmt.Sprintf("--shard %q: %s (want I/N, 1 <= I <= N, e.g. 2/4)", e.Value, e.Reason)
}

var form = regexp.MustCompile(`^(-?\d+)/(-?\d+)$`)

// Parse reads "I/N"; the empty string is the whole app.
func Parse(s string) (Spec, error) {
	if s == "" {
		return Spec{}, nil
	}
	m := form.FindStringSubmatch(s)
	if m == nil {
		return Spec{}, &UsageError{s, "not of the form I/N"}
	}
	i, err1 := strconv.Atoi(m[1])
	n, err2 := strconv.Atoi(m[2])
	switch {
	case err1 != nil || err2 != nil:
		return Spec{}, &UsageError{s, "a number out of range"}
	case n < 1:
		return Spec{}, &UsageError{s, "N must be at least 1"}
	case i < 1:
		return Spec{}, &UsageError{s, "I must be at least 1"}
	case i > n:
		return Spec{}, &UsageError{s, "I must be at most N"}
	}
	return Spec{Index: i, Count: n}, nil
}

// Whole reports whether s is the whole app (no --shard, or 1/1).
func (s Spec) Whole() bool { return s.Count <= 1 }

func (s Spec) String() string {
	if s.Count == 0 {
		return "whole"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// HoldsRouting reports whether the shard holds the routing stacks, and with
// them the executive stacks.
func (s Spec) HoldsRouting() bool { return s.Whole() || s.Index == 1 }

// HoldsService reports whether the shard holds a service's stacks.
func (s Spec) HoldsService(service string) bool {
	return s.Whole() || Of(service, s.Count) == s.Index
}

// Of is the shard (1-based) of a service among n shards.
func Of(service string, n int) int { return Jump(service, n) + 1 }

// Jump is the bucket (0-based) of key among n buckets: a jump consistent
// hash of the key's FNV-1a hash (Lamping and Veach, "A Fast, Minimal Memory,
// Consistent Hash Algorithm", 2014, https://arxiv.org/abs/1406.2294). A key
// stays in its bucket when keys are added or removed, and when n grows to
// n+1 only the keys that move to the new bucket move.
func Jump(key string, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	k := h.Sum64()
	b, j := int64(-1), int64(0)
	for j < int64(n) {
		b = j
		k = k*2862933555777941757 + 1
		j = int64(float64(b+1) * (float64(int64(1)<<31) / float64((k>>33)+1)))
	}
	return int(b)
}
