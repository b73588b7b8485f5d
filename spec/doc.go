// Package spec is what a catalog author writes: the catalog's types (org,
// environments, routes, services, SLOs, alarms, canaries, RUM monitors, trace
// groups, defaults and overrides), its value types with their units
// (durations, percentages, thresholds, percentiles, windows), the
// {env}/{vars.NAME} reference syntax, the AWS limits those values must keep,
// and Meta, which records where each object, key and value stands in its
// file. It reads no files and runs no checks; it knows nothing of plans.
package spec
