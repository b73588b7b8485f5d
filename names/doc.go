// Package names derives the AWS names of what slocat makes (alarms, SLOs,
// rules, stacks, outputs) from catalog IDs, never from list positions, so an
// edit elsewhere in the catalog does not rename or replace a resource. It
// also says which IDs are reserved for generated alarms.
package names
