package openslo

import (
	"bytes"

	"gopkg.in/yaml.v3"
)

// Document is one OpenSLO object to write: Spec is any of the spec types.
type Document struct {
	APIVersion string   `yaml:"apiVersion"`
	Kind       string   `yaml:"kind"`
	Metadata   Metadata `yaml:"metadata"`
	Spec       any      `yaml:"spec"`
}

// WriteDocuments renders OpenSLO objects as a multi-document YAML stream,
// with header comment lines first.
func WriteDocuments(docs []Document, header []string) ([]byte, error) {
	var buf bytes.Buffer
	for _, h := range header {
		buf.WriteString(h + "\n")
	}
	for _, d := range docs {
		buf.WriteString("---\n")
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(d); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}
