// Package pipeline runs the catalog stages in order for the commands: Load
// is load.Read, then check.Validate beside plan.Build, with every
// diagnostic joined into one sorted report; Check is the same with
// plan.Check, for a caller that keeps no plan (slocat validate).
package pipeline
