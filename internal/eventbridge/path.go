// Package eventbridge reproduces, offline, what Amazon EventBridge does to
// an event between a rule matching it and a target receiving it: the input
// transformer (InputPathsMap and InputTemplate), the dynamic path
// parameters of an API destination, and the headers, query string and body
// parameters that a connection adds to the HTTP request.
//
// The behaviour follows AWS's documentation; where AWS does not say, the
// choice made here is marked "inferred" in the doc comment that makes it.
//   - Input transformation and its "Common issues" section:
//     https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
//   - InputTransformer limits: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html
//   - HttpParameters (path wildcards, merge with the connection):
//     https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_HttpParameters.html
//   - API destinations (request headers): https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html
//
// The test suite uses it to hold every payload that slocatalog's routing
// rules would deliver to the contract of its receiver.
package eventbridge

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Path is a JSON path in the subset EventBridge evaluates: a leading $,
// then keys in dot notation (letters, digits, dashes, underscores and
// forward slashes), array indices in brackets, and * wildcards (as .* or
// [*]).
type Path struct {
	src   string
	steps []step
	multi bool // has a wildcard: the result is an array of matches
}

type step struct {
	key   string
	index int // -1: key step; -2: wildcard
}

const (
	keyStep      = -1
	wildcardStep = -2
)

// ParsePath compiles a JSON path; it fails on syntax EventBridge does not
// support (bracket keys, filters, slices, recursive descent).
func ParsePath(s string) (*Path, error) {
	p := &Path{src: s}
	if !strings.HasPrefix(s, "$") {
		return nil, fmt.Errorf("eventbridge: JSON path %q does not start with $", s)
	}
	rest := s[1:]
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			if strings.HasPrefix(rest, "*") {
				p.steps = append(p.steps, step{index: wildcardStep})
				p.multi = true
				rest = rest[1:]
				continue
			}
			n := 0
			for n < len(rest) && keyChar(rest[n]) {
				n++
			}
			if n == 0 {
				return nil, fmt.Errorf("eventbridge: JSON path %q has an empty or unsupported key at %q", s, rest)
			}
			p.steps = append(p.steps, step{key: rest[:n], index: keyStep})
			rest = rest[n:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("eventbridge: JSON path %q has an unclosed [", s)
			}
			in := rest[1:end]
			rest = rest[end+1:]
			if in == "*" {
				p.steps = append(p.steps, step{index: wildcardStep})
				p.multi = true
				continue
			}
			i, err := strconv.Atoi(in)
			if err != nil || i < 0 || strconv.Itoa(i) != in {
				return nil, fmt.Errorf("eventbridge: JSON path %q: %q is not an array index (bracket keys are not supported)", s, in)
			}
			p.steps = append(p.steps, step{index: i})
		default:
			return nil, fmt.Errorf("eventbridge: JSON path %q: unexpected %q", s, rest[:1])
		}
	}
	return p, nil
}

func keyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '/'
}

// String returns the path as written.
func (p *Path) String() string { return p.src }

// Lookup evaluates the path on a decoded JSON value (maps, slices, strings,
// json.Number, bool, nil). A path without wildcards yields the value it
// names; one with wildcards yields the array of every match (in key order
// for objects). ok is false when nothing matches.
func (p *Path) Lookup(v any) (result any, ok bool) {
	matches := walk(v, p.steps)
	if !p.multi {
		if len(matches) == 0 {
			return nil, false
		}
		return matches[0], true
	}
	if len(matches) == 0 {
		return nil, false
	}
	return matches, true
}

func walk(v any, steps []step) []any {
	if len(steps) == 0 {
		return []any{v}
	}
	s, rest := steps[0], steps[1:]
	switch s.index {
	case keyStep:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		child, ok := m[s.key]
		if !ok {
			return nil
		}
		return walk(child, rest)
	case wildcardStep:
		var out []any
		switch c := v.(type) {
		case []any:
			for _, e := range c {
				out = append(out, walk(e, rest)...)
			}
		case map[string]any:
			keys := make([]string, 0, len(c))
			for k := range c {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				out = append(out, walk(c[k], rest)...)
			}
		}
		return out
	default:
		a, ok := v.([]any)
		if !ok || s.index >= len(a) {
			return nil
		}
		return walk(a[s.index], rest)
	}
}
