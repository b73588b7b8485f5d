package openslo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Problem is something in the input that cannot be read or mapped, tied to
// the object and the field it concerns.
type Problem struct {
	Source  Source
	Object  string // "SLO main-page"; empty for a problem of the file itself
	Field   string // path inside the object, e.g. spec.indicator.spec.ratioMetric.good.metricSource.type
	Message string
}

// String renders the problem as file:line: object: field: message, leaving
// out what is not known.
func (p Problem) String() string {
	var b strings.Builder
	if p.Source.File != "" {
		b.WriteString(p.Source.File)
		if p.Source.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Source.Line)
		}
		b.WriteString(": ")
	}
	if p.Object != "" {
		b.WriteString(p.Object + ": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is a list of problems; as an error it reports them all.
type Problems []Problem

// Error joins the problems one a line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Read parses the OpenSLO objects of one file: one or more YAML documents,
// each an object or a list of objects. It returns the objects it could read
// and a problem for each one it could not.
func Read(name string, data []byte) ([]*Object, Problems) {
	var objs []*Object
	var probs Problems
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for doc := 1; ; doc++ {
		var root yaml.Node
		err := dec.Decode(&root)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			probs = append(probs, Problem{Source: Source{File: name, Document: doc}, Message: "not YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")})
			break
		}
		if len(root.Content) == 0 {
			continue
		}
		n := root.Content[0]
		switch n.Kind {
		case yaml.MappingNode:
			o, ps := readObject(name, doc, n)
			objs, probs = appendObject(objs, o), append(probs, ps...)
		case yaml.SequenceNode:
			for _, item := range n.Content {
				o, ps := readObject(name, doc, item)
				objs, probs = appendObject(objs, o), append(probs, ps...)
			}
		case yaml.ScalarNode:
			if n.Tag == "!!null" {
				continue
			}
			fallthrough
		default:
			probs = append(probs, Problem{Source: Source{File: name, Document: doc, Line: n.Line}, Message: "a document is an OpenSLO object or a list of them"})
		}
	}
	return objs, probs
}

func appendObject(objs []*Object, o *Object) []*Object {
	if o == nil {
		return objs
	}
	return append(objs, o)
}

// readObject reads one object node: the envelope, then the spec of its kind.
func readObject(file string, doc int, n *yaml.Node) (*Object, Problems) {
	src := Source{File: file, Document: doc, Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return nil, Problems{{Source: src, Message: "an OpenSLO object is a mapping with apiVersion, kind, metadata and spec"}}
	}
	o := &Object{Source: src}
	if err := DecodeStrict(n, o); err != nil {
		return nil, Problems{{Source: src, Message: err.Error()}}
	}
	o.Source = src
	label := o.Kind
	if o.Metadata.Name != "" {
		label += " " + o.Metadata.Name
	}
	bad := func(field, format string, args ...any) (*Object, Problems) {
		return nil, Problems{{Source: src, Object: strings.TrimSpace(label), Field: field, Message: fmt.Sprintf(format, args...)}}
	}
	if o.APIVersion != APIVersion {
		return bad("apiVersion", "%q is not %s; only OpenSLO v1 is read", o.APIVersion, APIVersion)
	}
	if o.Metadata.Name == "" {
		return bad("metadata.name", "every object needs a name")
	}
	var spec any
	switch o.Kind {
	case KindService:
		o.Service = &ServiceSpec{}
		spec = o.Service
	case KindSLO:
		o.SLO = &SLOSpec{}
		spec = o.SLO
	case KindSLI:
		o.SLI = &SLISpec{}
		spec = o.SLI
	case KindAlertPolicy:
		o.Policy = &AlertPolicySpec{}
		spec = o.Policy
	case KindAlertCondition:
		o.Condition = &AlertConditionSpec{}
		spec = o.Condition
	case KindAlertNotificationTarget:
		o.Target = &TargetSpec{}
		spec = o.Target
	case KindDataSource:
		o.DataSource = &DataSourceSpec{}
		spec = o.DataSource
	default:
		return bad("kind", "kind %q is not an OpenSLO v1 object (Service, SLO, SLI, AlertPolicy, AlertCondition, AlertNotificationTarget, DataSource)", o.Kind)
	}
	if o.Spec.Kind == 0 {
		return bad("spec", "the object has no spec")
	}
	if err := DecodeStrict(&o.Spec, spec); err != nil {
		return bad("spec", "%v", err)
	}
	return o, nil
}

var yamlLineRE = regexp.MustCompile(`line [0-9]+: `)

// typeNameRE is the package qualifier of a Go type named in a yaml error.
var typeNameRE = regexp.MustCompile(`in type \w+\.(\w+)`)

// DecodeStrict decodes n into v, refusing keys v has no field for: a key
// the importer does not know is a feature it would silently drop. The
// error names fields and types as the input does, without lines (the
// caller says where) or Go package names.
func DecodeStrict(n *yaml.Node, v any) error {
	b, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
		msg = yamlLineRE.ReplaceAllString(msg, "")
		msg = strings.ReplaceAll(msg, "\n  ", "; ")
		msg = typeNameRE.ReplaceAllString(msg, "in $1")
		return errors.New(msg)
	}
	return nil
}
