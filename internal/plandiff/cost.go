package plandiff

import (
	"fmt"

	"github.com/slocatalog/slocatalog/cost"
	"github.com/slocatalog/slocatalog/plan"
)

// CostChange is an environment's monthly cost before and after, in cents,
// at the list prices of cost.DefaultPrices with cost's default assumptions
// (what `slocat cost` prints without options).
type CostChange struct {
	OldCents int64 `json:"oldCents"`
	NewCents int64 `json:"newCents"`
}

// envCosts is each environment's monthly cost in cents, by name.
func envCosts(p *plan.Plan) map[string]int64 {
	out := map[string]int64{}
	for _, e := range cost.Estimate(p, "", cost.DefaultPrices(), cost.DefaultAssumptions()).Environments {
		out[e.Name] = e.Cents
	}
	return out
}

// addCosts sets the cost change of every changed environment whose monthly
// cost moves.
func (d *Diff) addCosts(old, new *plan.Plan) {
	if len(d.Environments) == 0 {
		return
	}
	before, after := envCosts(old), envCosts(new)
	for _, e := range d.Environments {
		if o, n := before[e.Name], after[e.Name]; o != n {
			e.Cost = &CostChange{OldCents: o, NewCents: n}
		}
	}
}

// text says the change as "$74.66 → $75.06 a month (+$0.40)".
func (c *CostChange) text() string {
	delta := c.NewCents - c.OldCents
	sign := "+"
	if delta < 0 {
		sign, delta = "-", -delta
	}
	return fmt.Sprintf("$%s → $%s a month (%s$%s) at list prices", cost.FormatCents(c.OldCents), cost.FormatCents(c.NewCents), sign, cost.FormatCents(delta))
}
