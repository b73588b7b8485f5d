// Package load is the first stage: it finds the catalog's files, reads them
// within size limits, parses them (internal/fastyaml when it can, yaml.v3
// otherwise), refuses anchors, aliases, tabs and duplicate keys, and decodes
// them into one spec.Catalog with the position of every value. Read is the
// whole stage; Parse and DecodeNode are its parts.
package load
