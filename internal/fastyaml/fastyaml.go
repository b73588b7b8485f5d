// Package fastyaml reads the plain block-style YAML that catalogs are
// written in into the node tree gopkg.in/yaml.v3 would build, several times
// faster, and declines everything else. yaml.v3 stays the reference and the
// fallback: the loader parses a declined file with it, and the tests and
// FuzzFastParse hold the two trees equal wherever Parse accepts.
package fastyaml

import (
	"bytes"
	"unicode/utf8"
	"unsafe"

	"gopkg.in/yaml.v3"
)

// Parse parses the plain block-style YAML that catalogs are written in
// (block mappings and lists, one-line flow mappings and lists, plain and
// one-line quoted scalars, comments) into the tree yaml.v3 would build:
// same kinds, tags, styles, values, lines and columns (comments are not
// kept; the loader does not read them). For anything else (several
// documents, anchors, tags, block scalars, multi-line scalars, escapes,
// syntax errors) it returns ok=false and the caller parses the file with
// yaml.v3, which stays the reference: FuzzFastParse checks that whenever
// Parse accepts an input, yaml.v3 accepts it and builds the same tree.
//
// It exists for speed: on a 10,000-SLO catalog (7.9 MB) yaml.v3 spent about
// 0.75 s of CPU building node trees (garbage collection included), this
// about 0.1 s.
//
// With frozen set, the caller promises that b is never written again and
// outlives every string read from it: values then point into b instead of
// a copy of it (load.Read reads the files into a buffer that it keeps, unwritten,
// for rendering diagnostics, so it does not copy 8 MB of text twice).
//
// It declines text that is not UTF-8, holds a control character (tabs
// included) or no document: the loader relies on that and runs its own
// checks for those only when Parse declines.
func Parse(b []byte, a *Arena, frozen bool) (doc *yaml.Node, ok bool) {
	if a == nil {
		a = &Arena{}
	}
	p := &parser{src: b, arena: a, lines: a.lines[:0], stack: a.stack[:0]}
	defer func() { a.lines, a.stack = p.lines[:0], p.stack[:0] }()
	if !p.split() {
		return nil, false
	}
	if frozen && len(b) > 0 {
		p.text = unsafe.String(&b[0], len(b))
	} else {
		p.text = string(b)
	}
	first := p.next(0)
	if first >= len(p.lines) {
		return nil, false // only comments: yaml.v3 decides what that is
	}
	if p.lines[first].indent != 0 {
		return nil, false
	}
	var root *yaml.Node
	if p.isSeqItem(first, 0) {
		root, ok = p.blockSeq(first, 0)
	} else if k, after, isKey := p.keyAt(first, p.lines[first].start); isKey {
		root, ok = p.blockMap(first, p.lines[first].start, 0, k, after)
	}
	if !ok || p.next(p.cur) < len(p.lines) {
		return nil, false
	}
	doc = p.node()
	doc.Kind = yaml.DocumentNode
	doc.Line, doc.Column = root.Line, root.Column
	p.stack = append(p.stack[:0], root)
	doc.Content = p.children(0)
	return doc, true
}

type sourceLine struct {
	start, end int // byte offsets of the line, without its newline
	indent     int // leading spaces
	blank      bool
	ascii      bool
}

type parser struct {
	src   []byte
	text  string // src as one string: scalar values are slices of it
	lines []sourceLine
	cur   int // index of the line after the last one consumed
	depth int // nesting of collections; past maxFastDepth, yaml.v3 parses
	arena *Arena
	stack []*yaml.Node // children of the collections being read
}

// maxFastDepth bounds the recursion of Parse; deeper inputs go to
// yaml.v3 (which has its own limits).
const maxFastDepth = 64

// maxKeyLen bounds the keys Parse reads: YAML allows an implicit key of
// at most 1,024 characters, and yaml.v3 enforces it.
const maxKeyLen = 1000

// open starts a collection node at byte offset off of line li, one level of
// nesting deeper; it reports false past maxFastDepth. Every open is paired
// with a deferred leave.
func (p *parser) open(kind yaml.Kind, tag string, li, off int) (*yaml.Node, bool) {
	p.depth++
	if p.depth > maxFastDepth {
		return nil, false
	}
	n := p.node()
	n.Kind, n.Tag = kind, tag
	n.Line, n.Column = li+1, p.col(li, off)
	return n, true
}

// leave ends the nesting level of the matching open.
func (p *parser) leave() { p.depth-- }

// split cuts the source into lines and refuses what the subset excludes
// everywhere: control characters (tabs and carriage returns among them),
// a byte-order mark, directives and document markers.
func (p *parser) split() bool {
	b := p.src
	if n := bytes.Count(b, []byte{'\n'}) + 1; cap(p.lines) < n {
		p.lines = make([]sourceLine, 0, n)
	}
	for start := 0; start < len(b); {
		end := bytes.IndexByte(b[start:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += start
		}
		l := sourceLine{start: start, end: end, ascii: true}
		i := start
		for i < end && b[i] == ' ' {
			i++
		}
		l.indent = i - start
		l.blank = i == end || b[i] == '#'
		for j := start; j < end; j++ {
			c := b[j]
			if c < ' ' || c == 0x7f {
				return false // control characters: yaml.v3 reports them
			}
			if c >= utf8.RuneSelf {
				l.ascii = false
			}
		}
		if !l.ascii && !yamlPrintable(b[start:end]) {
			return false
		}
		if l.indent == 0 && !l.blank && (b[i] == '%' || bytes.HasPrefix(b[i:end], []byte("---")) || bytes.HasPrefix(b[i:end], []byte("..."))) {
			return false
		}
		p.lines = append(p.lines, l)
		start = end + 1
	}
	return true
}

// yamlPrintable reports whether a line is valid UTF-8 holding only characters
// YAML allows and no line breaks other than LF (YAML 1.1, which yaml.v3
// follows, also breaks lines at NEL, LS and PS).
func yamlPrintable(line []byte) bool {
	for len(line) > 0 {
		r, size := utf8.DecodeRune(line)
		switch {
		case r == utf8.RuneError && size <= 1,
			r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			return false
		}
		line = line[size:]
	}
	return true
}

// next returns the index of the first non-blank line at or after i.
func (p *parser) next(i int) int {
	for i < len(p.lines) && p.lines[i].blank {
		i++
	}
	return i
}

// col is the 1-based column (in characters, as yaml.v3 counts) of byte
// offset off on line li.
func (p *parser) col(li, off int) int {
	l := p.lines[li]
	if l.ascii {
		return off - l.start + 1
	}
	return utf8.RuneCount(p.src[l.start:off]) + 1
}

// isSeqItem reports whether line li holds a list item ("- " or a lone "-")
// at indent.
func (p *parser) isSeqItem(li, indent int) bool {
	l := p.lines[li]
	if l.blank || l.indent != indent {
		return false
	}
	i := l.start + indent
	return p.src[i] == '-' && (i+1 == l.end || p.src[i+1] == ' ')
}

// restEmpty reports whether only spaces and a comment follow off on its line.
func (p *parser) restEmpty(li, off int) bool {
	end := p.lines[li].end
	for off < end && p.src[off] == ' ' {
		off++
	}
	if off == end {
		return true
	}
	// A comment needs a space before it (or to start the line).
	return p.src[off] == '#' && (off == p.lines[li].start || p.src[off-1] == ' ')
}

// keyAt reads a mapping key at byte offset off of line li: a plain or
// quoted scalar followed directly by ":" and a space or the end of the
// line. It returns the key node and the offset just after the colon.
func (p *parser) keyAt(li, off int) (*yaml.Node, int, bool) {
	end := p.lines[li].end
	b := p.src
	if off >= end {
		return nil, 0, false
	}
	var k *yaml.Node
	var after int
	switch b[off] {
	case '"', '\'':
		var ok bool
		k, after, ok = p.quoted(li, off)
		if !ok {
			return nil, 0, false
		}
	default:
		if !plainFirst(b, off, end) {
			return nil, 0, false
		}
		i := off
		for i < end {
			c := b[i]
			if c == ':' && (i+1 == end || b[i+1] == ' ') {
				break
			}
			if c == '#' && b[i-1] == ' ' {
				return nil, 0, false
			}
			i++
		}
		if i == end || b[i-1] == ' ' {
			return nil, 0, false
		}
		k = p.scalar(li, off, p.text[off:i], 0)
		after = i
	}
	if after >= end || b[after] != ':' || (after+1 < end && b[after+1] != ' ') || after-off > maxKeyLen {
		return nil, 0, false
	}
	return k, after + 1, true
}

// blockMap parses a block mapping at indent whose first key k, already
// read by the caller (which had to know it was a key), starts at off on line
// li (off may be mid-line, after "- "); after is the offset past its colon.
func (p *parser) blockMap(li, off, indent int, k *yaml.Node, after int) (*yaml.Node, bool) {
	m, ok := p.open(yaml.MappingNode, "!!map", li, off)
	defer p.leave()
	if !ok {
		return nil, false
	}
	mark := len(p.stack)
	for {
		v, ok := p.value(li, after, indent, true)
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, k, v)
		nl := p.next(p.cur)
		if nl >= len(p.lines) || p.lines[nl].indent < indent {
			m.Content = p.children(mark)
			return m, true
		}
		if p.lines[nl].indent > indent || p.isSeqItem(nl, indent) {
			return nil, false
		}
		li = nl
		if k, after, ok = p.keyAt(li, p.lines[li].start+indent); !ok {
			return nil, false
		}
	}
}

// blockSeq parses a block list whose items start at indent, from line li.
func (p *parser) blockSeq(li, indent int) (*yaml.Node, bool) {
	s, ok := p.open(yaml.SequenceNode, "!!seq", li, p.lines[li].start+indent)
	defer p.leave()
	if !ok {
		return nil, false
	}
	mark := len(p.stack)
	for {
		dash := p.lines[li].start + indent
		off := dash + 1
		for off < p.lines[li].end && p.src[off] == ' ' {
			off++
		}
		var item *yaml.Node
		var ok bool
		switch {
		case p.restEmpty(li, dash+1):
			item, ok = p.value(li, dash+1, indent, false)
		case p.src[off] == '-' && (off+1 == p.lines[li].end || p.src[off+1] == ' '):
			return nil, false // "- - x"
		default:
			if k, after, isKey := p.keyAt(li, off); isKey {
				item, ok = p.blockMap(li, off, off-p.lines[li].start, k, after)
			} else {
				item, ok = p.value(li, dash+1, indent, false)
			}
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, item)
		nl := p.next(p.cur)
		if nl >= len(p.lines) || !p.isSeqItem(nl, indent) {
			s.Content = p.children(mark)
			return s, true // what follows is the caller's to judge
		}
		li = nl
	}
}

// value parses the node after a mapping key's colon or a list item's dash
// at byte offset off of line li; parent is the indent of the mapping or
// list. It sets p.cur to the line after the node.
func (p *parser) value(li, off, parent int, inMap bool) (*yaml.Node, bool) {
	b := p.src
	end := p.lines[li].end
	if p.restEmpty(li, off) {
		nl := p.next(li + 1)
		if nl < len(p.lines) {
			ind := p.lines[nl].indent
			switch {
			case ind > parent && p.isSeqItem(nl, ind):
				return p.blockSeq(nl, ind)
			case ind > parent:
				start := p.lines[nl].start + ind
				if k, after, isKey := p.keyAt(nl, start); isKey {
					return p.blockMap(nl, start, ind, k, after)
				}
				return nil, false // a scalar on the next line
			case inMap && ind == parent && p.isSeqItem(nl, ind):
				return p.blockSeq(nl, ind) // a list not indented under its key
			}
		}
		p.cur = li + 1
		return p.scalar(li, off, "", 0), true
	}
	for b[off] == ' ' {
		off++
	}
	var n *yaml.Node
	var after int
	var ok bool
	switch b[off] {
	case '[', '{':
		n, after, ok = p.flow(li, off)
	case '"', '\'':
		n, after, ok = p.quoted(li, off)
	default:
		if !plainFirst(b, off, end) {
			return nil, false
		}
		i := off
		for i < end {
			c := b[i]
			if c == ':' && (i+1 == end || b[i+1] == ' ') {
				return nil, false // "a: b: c" or a key after "- " that keyAt refused
			}
			if c == '#' && b[i-1] == ' ' {
				break
			}
			i++
		}
		j := i
		for b[j-1] == ' ' {
			j--
		}
		n, after, ok = p.scalar(li, off, p.text[off:j], 0), i, true
	}
	if !ok || !p.restEmpty(li, after) {
		return nil, false
	}
	// A more-indented line after a scalar would continue it (a multi-line
	// scalar) or be an error: either way, yaml.v3's business.
	if nl := p.next(li + 1); nl < len(p.lines) && p.lines[nl].indent > parent {
		return nil, false
	}
	p.cur = li + 1
	return n, true
}
