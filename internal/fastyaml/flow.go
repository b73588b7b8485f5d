package fastyaml

import (
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// flow parses a one-line flow mapping or list starting at off; it returns
// the node and the offset after its closing bracket.
func (p *parser) flow(li, off int) (*yaml.Node, int, bool) {
	b := p.src
	end := p.lines[li].end
	open := b[off]
	kind, tag, closing := yaml.SequenceNode, "!!seq", byte(']')
	if open == '{' {
		kind, tag, closing = yaml.MappingNode, "!!map", '}'
	}
	n, ok := p.open(kind, tag, li, off)
	defer p.leave()
	if !ok {
		return nil, 0, false
	}
	n.Style = yaml.FlowStyle
	i := skipSpaces(b, off+1, end)
	if i < end && b[i] == closing {
		return n, i + 1, true
	}
	mark := len(p.stack)
	for {
		if open == '{' {
			k, after, ok := p.flowScalar(li, i, true)
			if !ok || after >= end || b[after] != ':' || after+1 >= end || b[after+1] != ' ' || after-i > maxKeyLen {
				return nil, 0, false
			}
			v, after2, ok := p.flowItem(li, skipSpaces(b, after+1, end))
			if !ok {
				return nil, 0, false
			}
			p.stack = append(p.stack, k, v)
			i = after2
		} else {
			v, after, ok := p.flowItem(li, i)
			if !ok {
				return nil, 0, false
			}
			p.stack = append(p.stack, v)
			i = after
		}
		i = skipSpaces(b, i, end)
		if i >= end {
			return nil, 0, false
		}
		switch b[i] {
		case closing:
			n.Content = p.children(mark)
			return n, i + 1, true
		case ',':
			i = skipSpaces(b, i+1, end)
			if i >= end || b[i] == closing || b[i] == ',' {
				return nil, 0, false
			}
		default:
			return nil, 0, false
		}
	}
}

// flowPlain reports whether c may appear in a plain scalar inside a flow
// collection as Parse reads it: a deliberately small set (letters,
// digits, space, "-_./%+=~()$@" and non-ASCII), enough for names, metric
// dimensions and units; anything else goes to yaml.v3.
func flowPlain(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c >= utf8.RuneSelf:
		return true
	}
	switch c {
	case ' ', '-', '_', '.', '/', '%', '+', '=', '~', '(', ')', '$', '@':
		return true
	}
	return false
}

func skipSpaces(b []byte, i, end int) int {
	for i < end && b[i] == ' ' {
		i++
	}
	return i
}

// flowItem parses a value inside a flow collection.
func (p *parser) flowItem(li, off int) (*yaml.Node, int, bool) {
	if off >= p.lines[li].end {
		return nil, 0, false
	}
	if c := p.src[off]; c == '[' || c == '{' {
		return p.flow(li, off)
	}
	return p.flowScalar(li, off, false)
}

// flowScalar reads a quoted or plain scalar inside a flow collection; a
// plain one ends before ", ", "]", "}" or (for a key) ": ".
func (p *parser) flowScalar(li, off int, key bool) (*yaml.Node, int, bool) {
	b := p.src
	end := p.lines[li].end
	if off >= end {
		return nil, 0, false
	}
	if b[off] == '"' || b[off] == '\'' {
		return p.quoted(li, off)
	}
	// In a flow collection "?" starts a key even without a space after it.
	if !plainFirst(b, off, end) || b[off] == '?' || b[off] == ':' {
		return nil, 0, false
	}
	i := off
	for i < end {
		c := b[i]
		if c == ',' || c == ']' || c == '}' {
			break
		}
		if !flowPlain(c) && c != ':' {
			return nil, 0, false
		}
		if c == ':' {
			if !key {
				return nil, 0, false // yaml.v3 reads some of these as keys
			}
			if i+1 < end && b[i+1] == ' ' {
				break
			}
			return nil, 0, false
		}
		i++
	}
	j := i
	for j > off && b[j-1] == ' ' {
		j--
	}
	if j == off {
		return nil, 0, false
	}
	return p.scalar(li, off, p.text[off:j], 0), i, true
}
