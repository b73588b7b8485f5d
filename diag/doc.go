// Package diag is what slocat says about a catalog: positions, diagnostics
// with their severity, hint and check ID, rendering with the source line and
// a caret, "did you mean" suggestions, and the registry of every check (its
// ID, the stages it runs in, what it refuses). Every stage reports through it.
package diag
