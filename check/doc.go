// Package check is the second stage: the rules on what was written, object
// by object and across the catalog (names, references, ranges, routes,
// secrets, metrics, canaries, RUM, X-Ray filters, overrides, baselines),
// each raised with its check ID from package diag. Validate runs them all;
// it reads the catalog and changes nothing.
package check
