package evolve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// SchemaDirEnv names the environment variable that points at a folder of
// CloudFormation resource provider schemas laid out as cfn-lint installs
// them (providers/<region>.py, resources/<hash>.json); when it is unset,
// the folder of the installed cfn-lint is used.
const SchemaDirEnv = "SLOCAT_CFN_SCHEMAS"

// TypeSchema is what the check reads from a resource type's provider
// schema (https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html).
type TypeSchema struct {
	Type string
	// CreateOnly are JSON pointers (/properties/X/Y) to the properties that
	// can only be set when the resource is created: changing one replaces
	// the resource.
	CreateOnly []string `json:"createOnlyProperties"`
	// PrimaryIdentifier are the properties that identify a resource.
	PrimaryIdentifier []string `json:"primaryIdentifier"`
	ReadOnly          []string `json:"readOnlyProperties"`
	// Properties are the type's top-level properties, undecoded.
	Properties map[string]json.RawMessage `json:"properties"`
}

// NameProperties are the top-level properties that give a resource its
// physical name, read from the schema: the primary identifier where the
// template sets it (not a read-only, service-made id, e.g. AlarmName,
// RoleName, BucketName), and otherwise a writable property called Name or
// <Type>Name, or named after a suffix of the type (TopicName of
// AWS::SNS::Topic, QueueName, GroupName; AlarmName of
// AWS::CloudWatch::CompositeAlarm). Names are unique per account and
// region, so two resources with the same name cannot both exist.
func (s *TypeSchema) NameProperties() []string {
	ro := map[string]bool{}
	for _, p := range s.ReadOnly {
		ro[p] = true
	}
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, strings.TrimPrefix(p, "/properties/"))
		}
	}
	for _, p := range s.PrimaryIdentifier {
		if !ro[p] && strings.Count(p, "/") == 2 {
			add(p)
		}
	}
	if len(out) > 0 {
		return out
	}
	short := s.Type[strings.LastIndex(s.Type, ":")+1:]
	for i := 0; i < len(short); i++ {
		if i > 0 && !(short[i] >= 'A' && short[i] <= 'Z') {
			continue
		}
		p := "/properties/" + short[i:] + "Name"
		if _, ok := s.Properties[short[i:]+"Name"]; ok && !ro[p] {
			add(p)
			break
		}
	}
	if _, ok := s.Properties["Name"]; ok && len(out) == 0 && !ro["/properties/Name"] {
		add("/properties/Name")
	}
	return out
}

// Schemas reads resource provider schemas from a cfn-lint installation.
type Schemas struct {
	dir   string // .../cfnlint/data/schemas
	mu    sync.Mutex
	index map[string]map[string]string // region file -> type -> schema file hash
	types map[string]*TypeSchema
}

// OpenSchemas finds the schemas: $SLOCAT_CFN_SCHEMAS, or the data/schemas
// folder of the cfn-lint package that python3 finds.
func OpenSchemas() (*Schemas, error) {
	dir := os.Getenv(SchemaDirEnv)
	if dir == "" {
		out, err := exec.Command("python3", "-c", "import importlib.util, os; s = importlib.util.find_spec('cfnlint'); print(os.path.dirname(s.origin) if s else '')").Output()
		if err != nil {
			return nil, fmt.Errorf("evolve: cannot ask python3 where cfn-lint is (%v); install cfn-lint or set %s", err, SchemaDirEnv)
		}
		pkg := strings.TrimSpace(string(out))
		if pkg == "" {
			return nil, fmt.Errorf("evolve: cfn-lint is not installed (pip install cfn-lint) and %s is not set", SchemaDirEnv)
		}
		dir = filepath.Join(pkg, "data", "schemas")
	}
	if _, err := os.Stat(filepath.Join(dir, "providers")); err != nil {
		return nil, fmt.Errorf("evolve: no resource provider schemas in %s: %w", dir, err)
	}
	return &Schemas{dir: dir, index: map[string]map[string]string{}, types: map[string]*TypeSchema{}}, nil
}

// Type returns the schema of a resource type in a region (us-east-1 when the
// region has no list of its own), or nil when there is none (a custom resource).
func (s *Schemas) Type(typ, region string) (*TypeSchema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hash := ""
	for _, r := range []string{region, "us-east-1"} {
		idx, err := s.regionIndex(r)
		if err != nil {
			return nil, err
		}
		if hash = idx[typ]; hash != "" {
			break
		}
	}
	if hash == "" {
		return nil, nil
	}
	if t, ok := s.types[hash]; ok {
		return t, nil
	}
	b, err := os.ReadFile(filepath.Join(s.dir, "resources", hash+".json"))
	if err != nil {
		return nil, err
	}
	t := &TypeSchema{Type: typ}
	if err := json.Unmarshal(b, t); err != nil {
		return nil, fmt.Errorf("evolve: schema of %s: %w", typ, err)
	}
	s.types[hash] = t
	return t, nil
}

// regionIndex reads providers/<region>.py, a Python dict literal of
// "AWS::Service::Type": "hash" lines.
func (s *Schemas) regionIndex(region string) (map[string]string, error) {
	file := strings.ReplaceAll(region, "-", "_")
	if idx, ok := s.index[file]; ok {
		return idx, nil
	}
	idx := map[string]string{}
	s.index[file] = idx
	b, err := os.ReadFile(filepath.Join(s.dir, "providers", file+".py"))
	if errors.Is(err, os.ErrNotExist) || region == "" {
		return idx, nil
	}
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		// the key holds colons itself: split at the last `": "`
		i := strings.LastIndex(line, `": "`)
		if !strings.HasPrefix(line, `"`) || i < 0 {
			continue
		}
		idx[line[1:i]] = strings.TrimSuffix(strings.TrimSuffix(line[i+4:], ","), `"`)
	}
	return idx, sc.Err()
}

// lookup returns the value at a schema JSON pointer (/properties/A/B) in a
// resource's properties, and whether it is set.
func lookup(props map[string]any, pointer string) (any, bool) {
	var cur any = props
	for _, seg := range strings.Split(strings.TrimPrefix(pointer, "/properties/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return cur, true
}
