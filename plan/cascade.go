package plan

import (
	"strings"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/spec"
)

// layer is one level of cascading defaults.
type layer struct {
	from string
	d    *spec.Defaults
}

// candidate is one candidate value for an effective setting.
type candidate[T any] struct {
	v    *T
	from string
	pos  diag.Pos
}

// pick returns the first set candidate, or the built-in default.
func pick[T any](builtin T, cs ...candidate[T]) (T, Origin) {
	for _, c := range cs {
		if c.v != nil {
			return *c.v, Origin{From: c.from, Pos: c.pos}
		}
	}
	return builtin, Origin{From: "built-in"}
}

// pickLayered is pick over the own candidates, then the defaults layers
// (service, environment, org) for one setting, in that order. It reads the
// layers in place: building their candidates cost two allocations per
// setting per object.
func pickLayered[T any, D any](builtin T, own []candidate[T], ls []layer, section func(*spec.Defaults) *D, get func(*D) (*T, spec.Meta), key string) (T, Origin) {
	for _, c := range own {
		if c.v != nil {
			return *c.v, Origin{From: c.from, Pos: c.pos}
		}
	}
	for _, l := range ls {
		if l.d == nil {
			continue
		}
		s := section(l.d)
		if s == nil {
			continue
		}
		if v, m := get(s); v != nil {
			return *v, Origin{From: l.from, Pos: m.Val(key)}
		}
	}
	return builtin, Origin{From: "built-in"}
}

// originRank orders the sources of an effective value from least to most
// specific: built-in, org defaults, environment defaults, service defaults,
// the object itself, an environment override.
func originRank(o Origin) int {
	switch {
	case o.Pos.IsZero():
		return 0
	case o.From == "org defaults":
		return 1
	case strings.HasPrefix(o.From, "environment ") && strings.HasSuffix(o.From, " defaults"):
		return 2
	case strings.HasPrefix(o.From, "service "):
		return 3
	case strings.HasPrefix(o.From, "environment ") && strings.HasSuffix(o.From, " override"):
		return 5
	}
	return 4 // the object itself
}

// decidedAt is where a problem with an effective value is reported: where
// the object itself or an override set it, else at own (the object). An
// object that inherits a value from the defaults is the author's edit, not
// the default's.
func decidedAt(o Origin, own diag.Pos) diag.Pos {
	if originRank(o) >= 4 {
		return o.Pos
	}
	return own
}

// moreSpecific returns the more specific of two origins: where the author
// last decided one of the values a check compares.
func moreSpecific(a, b Origin) Origin {
	if originRank(b) > originRank(a) {
		return b
	}
	return a
}

// overrideCandidate is the environment override of one setting, as a candidate that
// pick passes over when the override does not set it.
func overrideCandidate[T any](o *spec.Override, env string, get func(*spec.Override) *T, key string) candidate[T] {
	if o == nil || get(o) == nil {
		return candidate[T]{}
	}
	return candidate[T]{get(o), "environment " + env + " override", o.Val(key)}
}

// ptrIf is p when the pointer it holds is set, else nil: an optional
// pointer setting as a candidate for pick.
func ptrIf[T any](p **T) **T {
	if *p == nil {
		return nil
	}
	return p
}
