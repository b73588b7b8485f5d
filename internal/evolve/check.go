package evolve

import (
	"maps"
	"slices"
)

// checker holds what Check computes once per assembly.
type checker struct {
	old, new *Assembly
	schemas  *Schemas
	rep      *Report
	imports  map[*Stack]map[string][]string
	skipped  map[string]bool
}

// Check walks the new assembly's stacks in CDK's deploy order, the stacks
// of old being what is deployed, and reports what CloudFormation would
// refuse. CDK deploys a stack only after the stacks it depends on are
// complete and, with --concurrency, may deploy stacks that do not depend on
// each other at the same time ("--concurrency: maximum number of
// simultaneous deployments (dependency permitting)",
// https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-deploy.html); so a
// step is safe only when the dependencies force its order. Each stack
// update finishes with its cleanup (old and replaced resources deleted)
// before the stack counts as deployed.
func Check(old, new *Assembly, schemas *Schemas) (*Report, error) {
	c := &checker{old: old, new: new, schemas: schemas, rep: &Report{},
		imports: map[*Stack]map[string][]string{}, skipped: map[string]bool{}}
	for _, s := range new.DeployOrder() {
		c.rep.Order = append(c.rep.Order, s.ID)
	}
	c.exports()
	c.parameters()
	if err := c.names(); err != nil {
		return nil, err
	}
	if err := c.replacements(); err != nil {
		return nil, err
	}
	c.composites()
	c.removals()
	// Never nil: slocat evolve --json prints an empty list, not null.
	c.rep.Skipped = slices.AppendSeq([]string{}, maps.Keys(c.skipped))
	slices.Sort(c.rep.Skipped)
	return c.rep, nil
}

// add records a hazard.
func (c *checker) add(h Hazard) { c.rep.Hazards = append(c.rep.Hazards, h) }

// importsOf is s.imports(), computed once per stack; nil for no stack.
func (c *checker) importsOf(s *Stack) map[string][]string {
	if s == nil {
		return nil
	}
	m, ok := c.imports[s]
	if !ok {
		m = s.imports()
		c.imports[s] = m
	}
	return m
}
