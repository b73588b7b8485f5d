package delivery

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/slocatalog/slocatalog/internal/eventbridge"
	"github.com/slocatalog/slocatalog/plan"
)

// cfnTemplate is the part of a CloudFormation template the harness reads.
type cfnTemplate struct {
	// Parameters: a parameter of type AWS::SSM::Parameter::Value<String>
	// reads the SSM parameter its Default names when the stack deploys.
	Parameters map[string]struct {
		Type    string
		Default any
	}
	Resources map[string]struct {
		Type       string
		Properties map[string]any
	}
	Outputs map[string]struct {
		Value  any
		Export *struct{ Name any }
	}
}

// assembly is every template of a cloud assembly with the environment of
// each stack, and the exports that Fn::ImportValue resolves through.
type assembly struct {
	stacks  map[string]*cfnTemplate
	envs    map[string]*plan.Environment // stack → environment
	exports map[string]exported          // export name → where its value is defined
}

type exported struct {
	stack string
	value any
}

// loadAssembly reads every *.template.json of dir; a stack's environment is
// the one whose "org-env-" prefix its name has (the project's stack names).
func loadAssembly(dir string, catalogPlan *plan.Plan) (*assembly, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no templates in %s (%v)", dir, err)
	}
	a := &assembly{stacks: map[string]*cfnTemplate{}, envs: map[string]*plan.Environment{}, exports: map[string]exported{}}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		t := &cfnTemplate{}
		if err := json.Unmarshal(b, t); err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		stack := strings.TrimSuffix(filepath.Base(f), ".template.json")
		a.stacks[stack] = t
		best := ""
		for _, e := range catalogPlan.Environments {
			if p := catalogPlan.Org + "-" + e.Name + "-"; strings.HasPrefix(stack, p) && len(p) > len(best) {
				best, a.envs[stack] = p, e
			}
		}
		if a.envs[stack] == nil {
			return nil, fmt.Errorf("stack %s belongs to no environment of the catalog", stack)
		}
	}
	for _, stack := range a.stackNames() {
		for id, o := range a.stacks[stack].Outputs {
			if o.Export == nil {
				continue
			}
			name, err := a.str(stack, o.Export.Name)
			if err != nil {
				return nil, fmt.Errorf("%s output %s: export name: %v", stack, id, err)
			}
			if prev, dup := a.exports[name]; dup {
				return nil, fmt.Errorf("export %s is defined by %s and %s", name, prev.stack, stack)
			}
			a.exports[name] = exported{stack, o.Value}
		}
	}
	return a, nil
}

func (a *assembly) stackNames() []string {
	names := make([]string, 0, len(a.stacks))
	for n := range a.stacks {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// resourceRef is a resource that an intrinsic function points at.
type resourceRef struct {
	stack, id, attr string // attr is "Ref" for a Ref
	typ             string
	props           map[string]any
}

// resolve follows Ref, Fn::GetAtt and Fn::ImportValue (through the
// exporting stack's output) to the resource an ARN-valued property names.
func (a *assembly) resolve(stack string, v any) (*resourceRef, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return nil, fmt.Errorf("%s: %s is not a reference to a resource of the assembly", stack, show(v))
	}
	var id, attr string
	switch {
	case m["Ref"] != nil:
		id, _ = m["Ref"].(string)
		attr = "Ref"
		if ps, p, ok := a.ssmParameter(stack, id); ok {
			return a.resolve(ps, p)
		}
	case m["Fn::GetAtt"] != nil:
		switch g := m["Fn::GetAtt"].(type) {
		case []any:
			if len(g) == 2 {
				id, _ = g[0].(string)
				attr, _ = g[1].(string)
			}
		case string:
			id, attr, _ = strings.Cut(g, ".")
		}
	case m["Fn::ImportValue"] != nil:
		name, err := a.str(stack, m["Fn::ImportValue"])
		if err != nil {
			return nil, err
		}
		e, ok := a.exports[name]
		if !ok {
			return nil, fmt.Errorf("%s imports %s, which no stack of the assembly exports", stack, name)
		}
		return a.resolve(e.stack, e.value)
	default:
		return nil, fmt.Errorf("%s: %s is not a reference to a resource of the assembly", stack, show(v))
	}
	r, ok := a.stacks[stack].Resources[id]
	if !ok || id == "" {
		return nil, fmt.Errorf("%s: %s names no resource of the stack", stack, show(v))
	}
	return &resourceRef{stack: stack, id: id, attr: attr, typ: r.Type, props: r.Properties}, nil
}

// ssmParameter follows a template parameter of an SSM parameter type to
// the AWS::SSM::Parameter of the assembly (same environment) that writes
// the SSM parameter it reads, and returns that stack and its Value.
func (a *assembly) ssmParameter(stack, param string) (string, any, bool) {
	p, ok := a.stacks[stack].Parameters[param]
	name, isString := p.Default.(string)
	if !ok || !isString || !strings.HasPrefix(p.Type, "AWS::SSM::Parameter::Value<") {
		return "", nil, false
	}
	for _, s := range a.stackNames() {
		if a.envs[s] != a.envs[stack] {
			continue
		}
		for _, r := range a.stacks[s].Resources {
			if r.Type == "AWS::SSM::Parameter" && r.Properties["Name"] == name {
				return s, r.Properties["Value"], true
			}
		}
	}
	return "", nil, false
}

// str evaluates a string-valued property: a literal, Fn::Join, Fn::Sub,
// Ref of a pseudo parameter, or Fn::ImportValue of such a value.
// Dynamic references to secrets are left in; see secrets.fill.
func (a *assembly) str(stack string, v any) (string, error) {
	env := a.envs[stack]
	switch x := v.(type) {
	case string:
		return x, nil
	case map[string]any:
		if len(x) != 1 {
			break
		}
		if ref, ok := x["Ref"].(string); ok {
			switch ref {
			case "AWS::Region":
				return env.Region, nil
			case "AWS::AccountId":
				return env.Account, nil
			case "AWS::Partition":
				return "aws", nil
			case "AWS::URLSuffix":
				return "amazonaws.com", nil
			case "AWS::StackName":
				return stack, nil
			}
			if ps, p, ok := a.ssmParameter(stack, ref); ok {
				return a.str(ps, p)
			}
			break
		}
		if j, ok := x["Fn::Join"].([]any); ok && len(j) == 2 {
			sep, _ := j[0].(string)
			parts, _ := j[1].([]any)
			var out []string
			for _, p := range parts {
				s, err := a.str(stack, p)
				if err != nil {
					return "", err
				}
				out = append(out, s)
			}
			return strings.Join(out, sep), nil
		}
		if s, ok := x["Fn::Sub"].(string); ok {
			var err error
			r := regexp.MustCompile(`\$\{([^}!]+)\}`).ReplaceAllStringFunc(s, func(m string) string {
				v, e := a.str(stack, map[string]any{"Ref": m[2 : len(m)-1]})
				if e != nil {
					err = e
				}
				return v
			})
			return r, err
		}
		if imp, ok := x["Fn::ImportValue"]; ok {
			name, err := a.str(stack, imp)
			if err != nil {
				return "", err
			}
			e, ok := a.exports[name]
			if !ok {
				return "", fmt.Errorf("%s imports %s, which no stack exports", stack, name)
			}
			return a.str(e.stack, e.value)
		}
	}
	return "", fmt.Errorf("%s: cannot evaluate %s to a string without deploying", stack, show(v))
}

// secrets stands in for Secrets Manager: every dynamic reference
// {{resolve:secretsmanager:ID:SecretString...}} resolves to a value made
// from the secret's id (32 hex characters, the length of a PagerDuty
// routing key).
type secrets struct{}

var dynamicRef = regexp.MustCompile(`\{\{resolve:secretsmanager:(.*?)\}\}`)

// value is the stand-in value of the secret with this id.
func (secrets) value(id string) string {
	sum := sha256.Sum256([]byte("slocat-test-secret:" + id))
	return hex.EncodeToString(sum[:16])
}

// fill replaces the dynamic references in s; it reports whether s had one.
func (sm secrets) fill(s string) (string, bool) {
	had := false
	out := dynamicRef.ReplaceAllStringFunc(s, func(m string) string {
		had = true
		id := dynamicRef.FindStringSubmatch(m)[1]
		if i := strings.Index(id, ":SecretString"); i >= 0 {
			id = id[:i]
		}
		return sm.value(id)
	})
	return out, had
}

// connection reads an AWS::Events::Connection into what EventBridge adds
// to each request, with secrets filled in.
func (a *assembly) connection(r *resourceRef) (*eventbridge.Connection, error) {
	var sm secrets
	c := &eventbridge.Connection{}
	get := func(v any) (string, error) {
		s, err := a.str(r.stack, v)
		if err != nil {
			return "", err
		}
		s, _ = sm.fill(s)
		return s, nil
	}
	var err error
	if c.AuthorizationType, err = get(r.props["AuthorizationType"]); err != nil {
		return nil, err
	}
	auth, _ := r.props["AuthParameters"].(map[string]any)
	if k, ok := auth["ApiKeyAuthParameters"].(map[string]any); ok {
		if c.APIKeyName, err = get(k["ApiKeyName"]); err != nil {
			return nil, err
		}
		if c.APIKeyValue, err = get(k["ApiKeyValue"]); err != nil {
			return nil, err
		}
	}
	if b, ok := auth["BasicAuthParameters"].(map[string]any); ok {
		if c.Username, err = get(b["Username"]); err != nil {
			return nil, err
		}
		if c.Password, err = get(b["Password"]); err != nil {
			return nil, err
		}
	}
	if _, ok := auth["OAuthParameters"].(map[string]any); ok {
		// The token EventBridge would obtain from the authorization
		// endpoint with the client credentials.
		c.OAuthToken = "oauth-token-for-" + r.id
	}
	invocation, _ := auth["InvocationHttpParameters"].(map[string]any)
	params := func(key string) ([]eventbridge.Parameter, error) {
		var out []eventbridge.Parameter
		list, _ := invocation[key].([]any)
		for _, p := range list {
			pm, _ := p.(map[string]any)
			k, err := get(pm["Key"])
			if err != nil {
				return nil, err
			}
			v, err := get(pm["Value"])
			if err != nil {
				return nil, err
			}
			out = append(out, eventbridge.Parameter{Key: k, Value: v})
		}
		return out, nil
	}
	if c.Headers, err = params("HeaderParameters"); err != nil {
		return nil, err
	}
	if c.QueryString, err = params("QueryStringParameters"); err != nil {
		return nil, err
	}
	if c.Body, err = params("BodyParameters"); err != nil {
		return nil, err
	}
	return c, nil
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
