package fastyaml

import (
	"gopkg.in/yaml.v3"
)

// Arena hands out nodes and child lists in blocks, and can be reset
// and reused for the next file once the previous file's tree has been
// decoded (the decoder keeps values and positions, never nodes). It saves
// most of the allocation of parsing: about a million nodes for a
// 10,000-SLO catalog.
type Arena struct {
	nodes  [][]yaml.Node
	ni, nj int // next node: nodes[ni][nj]
	ptrs   [][]*yaml.Node
	pi, pj int
	lines  []sourceLine      // reused by the next file
	stack  []*yaml.Node      // reused by the next file
	tags   map[string]string // see Arena.plainTag; kept across files
}

// block is how many nodes a new arena block holds: about one per 8 bytes
// of the file (catalog files run 7 to 9 bytes a node), at least 64 and at
// most 4,096, so a small file does not allocate for a large one.
func (p *parser) block() int {
	return min(max(len(p.src)/8, 64), 4096)
}

// node returns a zeroed node.
func (p *parser) node() *yaml.Node {
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
func (p *parser) children(mark int) []*yaml.Node {
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

// Reset makes the arena's nodes and lists available again, zeroed. The
// trees handed out before must not be used after it.
func (a *Arena) Reset() {
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
