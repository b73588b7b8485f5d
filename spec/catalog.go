package spec

import (
	"github.com/slocatalog/slocatalog/diag"
)

// Catalog is a whole catalog: every file merged, not yet validated.
type Catalog struct {
	Org          *Org
	Environments []*Environment
	Routes       []*Route
	Services     []*Service
	Files        []string
	// Rel maps each file (as given) to its name relative to the catalog
	// folder it was found in, which is what generated resources record, so
	// that templates do not depend on the directory slocat ran in.
	Rel map[string]string
}

// RelPos returns p with its file relative to the catalog root.
func (c *Catalog) RelPos(p diag.Pos) diag.Pos {
	if r, ok := c.Rel[p.File]; ok {
		p.File = r
	}
	return p
}
