package slos

import (
	"bytes"
	"strings"
	"unicode/utf8"
	"unsafe"

	"gopkg.in/yaml.v3"
)

// fastParse parses the plain block-style YAML that catalogs are written in
// (block mappings and lists, one-line flow mappings and lists, plain and
// one-line quoted scalars, comments) into the tree yaml.v3 would build:
// same kinds, tags, styles, values, lines and columns (comments are not
// kept; the loader does not read them). For anything else (several
// documents, anchors, tags, block scalars, multi-line scalars, escapes,
// syntax errors) it returns ok=false and the caller parses the file with
// yaml.v3, which stays the reference: FuzzFastParse checks that whenever
// fastParse accepts an input, yaml.v3 accepts it and builds the same tree.
//
// It exists for speed: on a 10,000-SLO catalog (7.9 MB) yaml.v3 spent about
// 0.75 s of CPU building node trees (garbage collection included), this
// about 0.1 s.
//
// With frozen set, the caller promises that b is never written again and
// outlives every string read from it: values then point into b instead of
// a copy of it (Load reads the files into a buffer that it keeps, unwritten,
// for rendering diagnostics, so it does not copy 8 MB of text twice).
func fastParse(b []byte, a *nodeArena, frozen bool) (doc *yaml.Node, ok bool) {
	if a == nil {
		a = &nodeArena{}
	}
	p := &fparser{src: b, arena: a, lines: a.lines[:0], stack: a.stack[:0]}
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

type fline struct {
	start, end int // byte offsets of the line, without its newline
	indent     int // leading spaces
	blank      bool
	ascii      bool
}

type fparser struct {
	src   []byte
	text  string // src as one string: scalar values are slices of it
	lines []fline
	cur   int // index of the line after the last one consumed
	depth int // nesting of collections; past maxFastDepth, yaml.v3 parses
	arena *nodeArena
	stack []*yaml.Node // children of the collections being read
}

// nodeArena hands out nodes and child lists in blocks, and can be reset
// and reused for the next file once the previous file's tree has been
// decoded (the decoder keeps values and positions, never nodes). It saves
// most of the allocation of parsing: about a million nodes for a
// 10,000-SLO catalog.
type nodeArena struct {
	nodes  [][]yaml.Node
	ni, nj int // next node: nodes[ni][nj]
	ptrs   [][]*yaml.Node
	pi, pj int
	lines  []fline           // reused by the next file
	stack  []*yaml.Node      // reused by the next file
	tags   map[string]string // see nodeArena.plainTag; kept across files
}

// block is how many nodes a new arena block holds: about one per 8 bytes
// of the file (catalog files run 7 to 9 bytes a node), at least 64 and at
// most 4,096, so a small file does not allocate for a large one.
func (p *fparser) block() int {
	return min(max(len(p.src)/8, 64), 4096)
}

// node returns a zeroed node.
func (p *fparser) node() *yaml.Node {
	a := p.arena
	if a.ni < len(a.nodes) && a.nj == len(a.nodes[a.ni]) {
		a.ni, a.nj = a.ni+1, 0
	}
	if a.ni == len(a.nodes) {
		a.nodes = append(a.nodes, make([]yaml.Node, p.block()))
	}
	n := &a.nodes[a.ni][a.nj]
	a.nj++
	return n
}

// children moves the nodes on the stack above mark into a child list.
func (p *fparser) children(mark int) []*yaml.Node {
	k := len(p.stack) - mark
	if k == 0 {
		return nil
	}
	a := p.arena
	for a.pi < len(a.ptrs) && len(a.ptrs[a.pi])-a.pj < k {
		a.pi, a.pj = a.pi+1, 0
	}
	if a.pi == len(a.ptrs) {
		a.ptrs = append(a.ptrs, make([]*yaml.Node, max(p.block(), k)))
	}
	out := a.ptrs[a.pi][a.pj : a.pj+k : a.pj+k]
	a.pj += k
	copy(out, p.stack[mark:])
	clear(p.stack[mark:])
	p.stack = p.stack[:mark]
	return out
}

// reset makes the arena's nodes and lists available again, zeroed. The
// trees handed out before must not be used after it.
func (a *nodeArena) reset() {
	for i := 0; i <= a.ni && i < len(a.nodes); i++ {
		end := len(a.nodes[i])
		if i == a.ni {
			end = a.nj
		}
		clear(a.nodes[i][:end])
	}
	for i := 0; i <= a.pi && i < len(a.ptrs); i++ {
		end := len(a.ptrs[i])
		if i == a.pi {
			end = a.pj
		}
		clear(a.ptrs[i][:end])
	}
	clear(a.stack[:cap(a.stack)])
	a.ni, a.nj, a.pi, a.pj = 0, 0, 0, 0
}

// maxFastDepth bounds the recursion of fastParse; deeper inputs go to
// yaml.v3 (which has its own limits).
const maxFastDepth = 64

// maxKeyLen bounds the keys fastParse reads: YAML allows an implicit key of
// at most 1,024 characters, and yaml.v3 enforces it.
const maxKeyLen = 1000

// open starts a collection node at byte offset off of line li, one level of
// nesting deeper; it reports false past maxFastDepth. Every open is paired
// with a deferred leave.
func (p *fparser) open(kind yaml.Kind, tag string, li, off int) (*yaml.Node, bool) {
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
func (p *fparser) leave() { p.depth-- }

// split cuts the source into lines and refuses what the subset excludes
// everywhere: control characters (tabs and carriage returns among them),
// a byte-order mark, directives and document markers.
func (p *fparser) split() bool {
	b := p.src
	if n := bytes.Count(b, []byte{'\n'}) + 1; cap(p.lines) < n {
		p.lines = make([]fline, 0, n)
	}
	for start := 0; start < len(b); {
		end := bytes.IndexByte(b[start:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += start
		}
		l := fline{start: start, end: end, ascii: true}
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
func (p *fparser) next(i int) int {
	for i < len(p.lines) && p.lines[i].blank {
		i++
	}
	return i
}

// col is the 1-based column (in characters, as yaml.v3 counts) of byte
// offset off on line li.
func (p *fparser) col(li, off int) int {
	l := p.lines[li]
	if l.ascii {
		return off - l.start + 1
	}
	return utf8.RuneCount(p.src[l.start:off]) + 1
}

// isSeqItem reports whether line li holds a list item ("- " or a lone "-")
// at indent.
func (p *fparser) isSeqItem(li, indent int) bool {
	l := p.lines[li]
	if l.blank || l.indent != indent {
		return false
	}
	i := l.start + indent
	return p.src[i] == '-' && (i+1 == l.end || p.src[i+1] == ' ')
}

// restEmpty reports whether only spaces and a comment follow off on its line.
func (p *fparser) restEmpty(li, off int) bool {
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
func (p *fparser) keyAt(li, off int) (*yaml.Node, int, bool) {
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
func (p *fparser) scalar(li, off int, value string, style yaml.Style) *yaml.Node {
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
func (a *nodeArena) plainTag(n *yaml.Node) string {
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
func (p *fparser) quoted(li, off int) (*yaml.Node, int, bool) {
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

// blockMap parses a block mapping at indent whose first key k, already
// read by the caller (which had to know it was a key), starts at off on line
// li (off may be mid-line, after "- "); after is the offset past its colon.
func (p *fparser) blockMap(li, off, indent int, k *yaml.Node, after int) (*yaml.Node, bool) {
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
func (p *fparser) blockSeq(li, indent int) (*yaml.Node, bool) {
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
func (p *fparser) value(li, off, parent int, inMap bool) (*yaml.Node, bool) {
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

// flow parses a one-line flow mapping or list starting at off; it returns
// the node and the offset after its closing bracket.
func (p *fparser) flow(li, off int) (*yaml.Node, int, bool) {
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
// collection as fastParse reads it: a deliberately small set (letters,
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
func (p *fparser) flowItem(li, off int) (*yaml.Node, int, bool) {
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
func (p *fparser) flowScalar(li, off int, key bool) (*yaml.Node, int, bool) {
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
