package shard

import (
	"errors"
	"fmt"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Spec
		err  string
	}{
		{"", Spec{}, ""},
		{"1/1", Spec{1, 1}, ""},
		{"2/4", Spec{2, 4}, ""},
		{"4/4", Spec{4, 4}, ""},
		{"0/4", Spec{}, "I must be at least 1"},
		{"-1/4", Spec{}, "I must be at least 1"},
		{"5/4", Spec{}, "I must be at most N"},
		{"1/0", Spec{}, "N must be at least 1"},
		{"0/0", Spec{}, "N must be at least 1"},
		{"2", Spec{}, "not of the form I/N"},
		{"a/b", Spec{}, "not of the form I/N"},
		{"1/2/3", Spec{}, "not of the form I/N"},
		{" 1/2", Spec{}, "not of the form I/N"},
		{"1/99999999999999999999", Spec{}, "a number out of range"},
	} {
		got, err := Parse(c.in)
		var ue *UsageError
		switch {
		case c.err == "" && err != nil:
			t.Errorf("Parse(%q): %v", c.in, err)
		case c.err != "" && (!errors.As(err, &ue) || ue.Reason != c.err):
			t.Errorf("Parse(%q) = %v, want the error %q", c.in, err, c.err)
		case got != c.want:
			t.Errorf("Parse(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestJumpIsConsistent: growing from n to n+1 shards moves a service only
// into the new shard, and about 1/(n+1) of them; no shard is left far from
// its share.
func TestJumpIsConsistent(t *testing.T) {
	const keys = 2000
	for n := 1; n < 8; n++ {
		moved := 0
		count := make([]int, n+1)
		for k := 0; k < keys; k++ {
			key := fmt.Sprintf("svc-%04d", k)
			a, b := Jump(key, n), Jump(key, n+1)
			count[b]++
			if a != b {
				moved++
				if b != n {
					t.Fatalf("%s moved from %d to %d growing to %d buckets", key, a, b, n+1)
				}
			}
		}
		if share := keys / (n + 1); moved < share/2 || moved > share*3/2 {
			t.Errorf("growing to %d buckets moved %d of %d keys, want about %d", n+1, moved, keys, share)
		}
		for i, c := range count {
			if c < keys/(n+1)/2 {
				t.Errorf("bucket %d of %d holds %d of %d keys", i, n+1, c, keys)
			}
		}
	}
}

func TestHolds(t *testing.T) {
	whole := Spec{}
	if !whole.HoldsRouting() || !whole.HoldsService("x") {
		t.Error("the whole app holds everything")
	}
	for n := 1; n <= 5; n++ {
		holders := 0
		for i := 1; i <= n; i++ {
			s := Spec{i, n}
			if s.HoldsRouting() != (i == 1) {
				t.Errorf("%v holds the routing stacks: %v", s, s.HoldsRouting())
			}
			if s.HoldsService("billing") {
				holders++
			}
		}
		if holders != 1 {
			t.Errorf("billing is in %d of %d shards", holders, n)
		}
	}
}
