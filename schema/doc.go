// Package schema generates, from the spec types and their tags, the JSON
// Schema editors autocomplete with (schema/catalog.schema.json) and the
// catalog reference (docs/catalog.md), including the list of checks.
package schema
