package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	b, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// yamlValue decodes YAML into the plain values a JSON Schema validator takes.
func yamlValue(t *testing.T, b []byte) any {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(b, &n); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := TimestampsAsText(&n).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return jsonish(v)
}

func jsonish(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonish(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = jsonish(e)
		}
		return x
	case int:
		return float64(x)
	case time.Time:
		// yaml.v3 reads unquoted timestamps as times; editors (YAML 1.2) see strings.
		return x.Format(time.RFC3339)
	}
	return v
}

// TestSchemaAcceptsTheDefaultCatalog: what the editor's schema says agrees
// with the loader on the example catalog, file by file.
func TestSchemaAcceptsTheDefaultCatalog(t *testing.T) {
	s := compileSchema(t)
	files, _ := filepath.Glob("../catalog/*.yaml")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if err := s.Validate(yamlValue(t, b)); err != nil {
			t.Errorf("%s: the JSON Schema rejects a valid catalog file: %v", f, err)
		}
	}
}

// TestSchemaRejectsMistakes: the schema catches, in the editor, what the
// loader calls unknown keys, wrong types and values outside an enum.
func TestSchemaRejectsMistakes(t *testing.T) {
	s := compileSchema(t)
	for name, file := range map[string]string{
		"unknown-key-slo":      "unknown-key-slo.yaml",
		"unknown-key-top":      "unknown-key-top.yaml",
		"enum-typo":            "enum-typo.yaml",
		"type-int":             "type-int.yaml",
		"objective-no-percent": "objective-no-percent.yaml",
		"list-expected":        "list-expected.yaml",
		"missing-goal":         "missing-goal.yaml",
		"percentile-case":      "percentile-case.yaml",
	} {
		b, err := os.ReadFile(filepath.Join("../test/testdata/invalid", file))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(yamlValue(t, b)); err == nil {
			t.Errorf("%s: the JSON Schema accepts it", name)
		} else if strings.TrimSpace(err.Error()) == "" {
			t.Errorf("%s: empty schema error", name)
		}
	}
}
