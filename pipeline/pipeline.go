package pipeline

import (
	"github.com/slocatalog/slocatalog/check"
	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/load"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// Result is a catalog run through the stages: the catalog as written (with
// where each value stands) and, from Load, its plan. The catalog itself
// never holds a plan: the two sit side by side here.
type Result struct {
	*spec.Catalog
	// Plan is the resolved plan; nil from Check.
	Plan *plan.Plan
}

// Load reads the catalog at paths (files or folders of *.yaml / *.yml files),
// validates it, and returns it with the sources read (for rendering
// diagnostics). The error, if any, is a *diag.Error holding every diagnostic.
// Strings of the catalog may share memory with the sources: do not write to
// them.
func Load(paths ...string) (*Result, diag.Sources, error) {
	return run(paths, true)
}

// Check is Load for a caller that needs the diagnostics and not the plan
// (slocat validate): it runs every check Load runs, so the Result's
// Plan is nil.
func Check(paths ...string) (*Result, diag.Sources, error) {
	return run(paths, false)
}

func run(paths []string, keepPlan bool) (*Result, diag.Sources, error) {
	cat, src, diags, err := load.Read(paths...)
	if err != nil {
		return nil, nil, err
	}
	if cat == nil {
		return nil, src, diags.Err()
	}
	// Validate and the planner only read the catalog: they run side by
	// side, and their diagnostics are joined in a fixed order.
	res := &Result{Catalog: cat}
	var planDiags diag.Diagnostics
	planned := make(chan struct{})
	go func() {
		defer close(planned)
		if keepPlan {
			res.Plan = plan.Build(cat, &planDiags)
		} else {
			plan.Check(cat, &planDiags)
		}
	}()
	check.Validate(cat, &diags)
	<-planned
	diags = append(diags, planDiags...)
	diags.Sort()
	if err := diags.Err(); err != nil {
		return res, src, err
	}
	return res, src, nil
}
