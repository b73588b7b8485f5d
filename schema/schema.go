package schema

import (
	"encoding/json"
	"reflect"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/spec"
)

// SchemaID is the $id of the generated catalog JSON Schema.
const SchemaID = "https://github.com/slocatalog/slocatalog/schema/catalog.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of a catalog file, generated
// from the Go types in types.go so that editors and the loader agree.
func Schema() ([]byte, error) {
	g := &schemaGen{defs: map[string]any{}}
	root := g.structSchema(reflect.TypeOf(spec.File{}))
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = SchemaID
	root["title"] = "slocatalog catalog file"
	root["$defs"] = g.defs
	b, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

type schemaGen struct{ defs map[string]any }

func (g *schemaGen) typeSchema(t reflect.Type, enum []string) map[string]any {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s, ok := reflect.New(t).Interface().(spec.Schemaer); ok {
		return s.JSONSchema()
	}
	switch t.Kind() {
	case reflect.Struct:
		name := t.Name()
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = map[string]any{} // placeholder against recursion
			g.defs[name] = g.structSchema(t)
		}
		return map[string]any{"$ref": "#/$defs/" + name}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.typeSchema(t.Elem(), enum)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.typeSchema(t.Elem(), nil)}
	case reflect.String:
		if enum != nil {
			return map[string]any{"type": "string", "enum": enum}
		}
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int:
		return map[string]any{"type": "integer"}
	case reflect.Float64:
		return map[string]any{"type": "number"}
	}
	panic("schema: no schema for " + t.String())
}

func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	si := spec.ObjectOf(t)
	props := map[string]any{}
	var required []string
	for _, f := range si.Fields {
		s := g.typeSchema(t.Field(f.Index).Type, f.Enum)
		if t.Field(f.Index).Type.Kind() == reflect.Pointer && !f.Required {
			// The loader reads null as "not set" (good: null, anomaly: null).
			s = map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
		}
		if f.Doc != "" {
			if _, isRef := s["$ref"]; isRef || s["anyOf"] != nil {
				s = map[string]any{"allOf": []any{s}, "description": f.Doc}
			} else {
				s["description"] = f.Doc
			}
		}
		props[f.Name] = s
		if f.Required {
			required = append(required, f.Name)
		}
	}
	out := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	if doc := typeDocs[t.Name()]; doc != "" {
		out["description"] = doc
	}
	return out
}

// typeDocs describe the object types in the schema.
var typeDocs = map[string]string{
	"File":        "One catalog file: any of org, environments, routes and services.",
	"Service":     "A service with its owner, on-call routes and everything that watches it.",
	"SLO":         "A service level objective.",
	"Alarm":       "A static-threshold or anomaly-detection alarm.",
	"Canary":      "A Synthetics canary walking one user journey.",
	"RUMMonitor":  "A CloudWatch RUM app monitor.",
	"TraceGroup":  "An X-Ray group.",
	"Route":       "An on-call target; secrets are Secrets Manager references.",
	"Environment": "An AWS account and region.",
}

// TimestampsAsText retags the unquoted timestamps of a YAML tree (measured:
// 2026-11-16) as strings, which is how editors (YAML 1.2) and the catalog's
// own types read them; yaml.v3 would decode them as times. It returns n.
func TimestampsAsText(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!timestamp" {
		n.Tag = "!!str"
	}
	for _, c := range n.Content {
		TimestampsAsText(c)
	}
	return n
}
