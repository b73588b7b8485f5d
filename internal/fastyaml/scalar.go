package fastyaml

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// plainFirst reports whether a plain scalar may start at off (YAML's
// ns-plain-first, with the indicators "-", "?" and ":" allowed only when a
// non-space follows).
func plainFirst(b []byte, off, end int) bool {
	switch b[off] {
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ':
		return false
	case '-', '?', ':':
		return off+1 < end && b[off+1] != ' ' && b[off+1] != ',' && b[off+1] != '[' && b[off+1] != ']' && b[off+1] != '{' && b[off+1] != '}'
	}
	return true
}

// scalar makes a scalar node; a plain one (style 0) gets the tag yaml.v3
// resolves for its value.
func (p *parser) scalar(li, off int, value string, style yaml.Style) *yaml.Node {
	n := p.node()
	n.Kind = yaml.ScalarNode
	n.Style = style
	n.Value = value
	n.Line = li + 1
	n.Column = p.col(li, off)
	if style == 0 {
		n.Tag = p.arena.plainTag(n)
	} else {
		n.Tag = "!!str"
	}
	return n
}

// quickTag is the tag yaml.v3 resolves for a plain scalar of value v,
// where that is plain to see. yaml.v3 tries numbers, booleans, nulls and
// the like only for values whose first character is a sign, a digit, a dot
// or one of "yYnNtTfFoO~" (its resolveTable), and makes "<<" a merge key;
// any other value is a string.
func quickTag(v string) (string, bool) {
	switch v {
	case "":
		return "!!null", true
	case "<<":
		return "!!merge", true // yaml.v3's parser, not its resolver, sets this one
	}
	switch c := v[0]; {
	case c >= '0' && c <= '9', c == '+', c == '-', c == '.':
		// A number or timestamp is made of digits, signs, dots,
		// underscores, colons, spaces and the letters of hex, octal,
		// binary, exponents, .inf/.nan and timestamps; with any other
		// character ("100ms", "99.9%", "GET /x") yaml.v3 tries its
		// parsers in vain and says string.
		for i := 0; i < len(v); i++ {
			if !numberish[v[i]] {
				return "!!str", true
			}
		}
	case c == '~', c == 'y', c == 'Y', c == 'n', c == 'N', c == 't', c == 'T', c == 'f', c == 'F', c == 'o', c == 'O':
	default:
		return "!!str", true
	}
	return "", false
}

// plainTag is the tag yaml.v3 resolves for a plain scalar: quickTag's, or
// yaml.v3's own (n.ShortTag), remembered for short values: keys such as
// name, namespace, threshold and owner would otherwise go through its
// resolver (which allocates) thousands of times. The tag of a plain scalar
// depends on its value alone.
func (a *Arena) plainTag(n *yaml.Node) string {
	if t, ok := quickTag(n.Value); ok {
		return t
	}
	if len(n.Value) > 32 {
		return n.ShortTag()
	}
	if t, ok := a.tags[n.Value]; ok {
		return t
	}
	t := n.ShortTag()
	if len(a.tags) < 4096 {
		if a.tags == nil {
			a.tags = map[string]string{}
		}
		a.tags[n.Value] = t
	}
	return t
}

// numberish marks the bytes that can appear in a plain scalar yaml.v3
// resolves to an int, a float or a timestamp (a generous superset).
var numberish = func() (t [256]bool) {
	for _, c := range []byte("0123456789+-._: abcdefABCDEFxXoOpPiInNtTzZ") {
		t[c] = true
	}
	return t
}()

// quoted reads a one-line quoted scalar without escapes (other than ” in
// single quotes) starting at off; it returns the node and the offset after
// the closing quote.
func (p *parser) quoted(li, off int) (*yaml.Node, int, bool) {
	b := p.src
	end := p.lines[li].end
	q := b[off]
	if q == '"' {
		i := off + 1
		for i < end && b[i] != '"' {
			if b[i] == '\\' {
				return nil, 0, false
			}
			i++
		}
		if i == end {
			return nil, 0, false
		}
		return p.scalar(li, off, p.text[off+1:i], yaml.DoubleQuotedStyle), i + 1, true
	}
	i, escaped := off+1, false
	for {
		if i >= end {
			return nil, 0, false
		}
		if b[i] == '\'' {
			if i+1 < end && b[i+1] == '\'' {
				escaped = true
				i += 2
				continue
			}
			break
		}
		i++
	}
	v := p.text[off+1 : i]
	if escaped {
		v = strings.ReplaceAll(v, "''", "'")
	}
	return p.scalar(li, off, v, yaml.SingleQuotedStyle), i + 1, true
}
