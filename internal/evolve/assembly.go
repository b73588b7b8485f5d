// Package evolve checks that a change from one cloud assembly (the
// previous synth, whose stacks are live) to the next can be deployed by
// `cdk deploy --all` without CloudFormation refusing it halfway. It reads
// both assemblies from disk (manifest.json and the templates, no CDK and no
// AWS call), orders the stacks as the CDK CLI deploys them, and reports
// what would wedge the deploy:
//
//   - an export removed or changed while a stack that deploys later (or a
//     stack that left the app and stays deployed) still imports it;
//   - an SSM parameter that a stack reads (a dynamic reference
//     {{resolve:ssm:NAME}}, or a template parameter of an SSM parameter
//     type) while the stack that creates it deploys later, or no longer
//     creates it;
//   - a custom-named resource that changes stacks or logical ID, so that it is
//     created under a name that is still taken;
//   - a create-only property change on a custom-named resource, which
//     CloudFormation refuses to replace;
//   - stacks that left the app, which cdk deploy never deletes, with the
//     commands that delete them in a safe order.
//
// What is create-only and what names a resource is read from the
// CloudFormation resource provider schemas that cfn-lint installs (see
// Schemas), never from a copy in this repository.
package evolve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Assembly is a cloud assembly as far as the check needs it: its stacks in
// manifest order.
type Assembly struct {
	Dir    string
	Stacks []*Stack
	byName map[string]*Stack
}

// Stack is one aws:cloudformation:stack artifact of an assembly.
type Stack struct {
	ID              string // artifact id
	Name            string // CloudFormation stack name
	Account, Region string // from the artifact's environment
	Deps            []string
	Template        *Template
}

// Env is the account and region a stack deploys to; CloudFormation names and
// exports are unique per account and region.
func (s *Stack) Env() string { return s.Account + "/" + s.Region }

// Template is the part of a CloudFormation template the check reads.
type Template struct {
	Parameters map[string]*Parameter `json:"Parameters"`
	Resources  map[string]*Resource  `json:"Resources"`
	Outputs    map[string]*Output    `json:"Outputs"`
}

// Parameter is one template parameter.
type Parameter struct {
	Type    string `json:"Type"`
	Default any    `json:"Default"`
}

// Resource is one template resource.
type Resource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
	// DeletionPolicy Retain (or RetainExceptOnCreate) keeps the resource,
	// and its name, when the stack deletes it.
	DeletionPolicy string `json:"DeletionPolicy"`
}

// retained reports whether deleting the resource from its stack leaves it
// in the account: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
func (r *Resource) retained() bool {
	return r.DeletionPolicy == "Retain" || r.DeletionPolicy == "RetainExceptOnCreate"
}

// Output is one template output.
type Output struct {
	Value  any `json:"Value"`
	Export *struct {
		Name any `json:"Name"`
	} `json:"Export"`
}

// Stack returns the stack with the given artifact id, or nil.
func (a *Assembly) Stack(id string) *Stack { return a.byName[id] }

// rawArtifact is an artifact of manifest.json
// (https://github.com/aws/aws-cdk/tree/main/packages/aws-cdk-lib/cloud-assembly-schema).
type rawArtifact struct {
	Type        string   `json:"type"`
	Environment string   `json:"environment"`
	Deps        []string `json:"dependencies"`
	Properties  struct {
		TemplateFile string `json:"templateFile"`
		StackName    string `json:"stackName"`
	} `json:"properties"`
}

// Load reads the cloud assembly in dir.
func Load(dir string) (*Assembly, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	ids, arts, err := artifacts(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	a := &Assembly{Dir: dir, byName: map[string]*Stack{}}
	isStack := map[string]bool{}
	for _, id := range ids {
		isStack[id] = arts[id].Type == "aws:cloudformation:stack"
	}
	for _, id := range ids {
		art := arts[id]
		if !isStack[id] {
			continue
		}
		s := &Stack{ID: id, Name: art.Properties.StackName}
		if s.Name == "" {
			s.Name = id
		}
		// environment is aws://ACCOUNT/REGION
		env := strings.TrimPrefix(art.Environment, "aws://")
		s.Account, s.Region, _ = strings.Cut(env, "/")
		for _, d := range art.Deps {
			if isStack[d] { // asset manifests are dependencies too
				s.Deps = append(s.Deps, d)
			}
		}
		tb, err := os.ReadFile(filepath.Join(dir, art.Properties.TemplateFile))
		if err != nil {
			return nil, err
		}
		s.Template = &Template{}
		if err := json.Unmarshal(tb, s.Template); err != nil {
			return nil, fmt.Errorf("%s: %w", art.Properties.TemplateFile, err)
		}
		a.Stacks = append(a.Stacks, s)
		a.byName[id] = s
	}
	return a, nil
}

// artifacts decodes the manifest's artifacts and returns their ids in the
// order the manifest lists them (the CDK CLI's order between stacks that do
// not depend on each other).
func artifacts(manifest []byte) ([]string, map[string]rawArtifact, error) {
	var m struct {
		Artifacts json.RawMessage `json:"artifacts"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		return nil, nil, err
	}
	arts := map[string]rawArtifact{}
	if len(m.Artifacts) == 0 {
		return nil, arts, nil
	}
	if err := json.Unmarshal(m.Artifacts, &arts); err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(m.Artifacts))
	var ids []string
	if _, err := dec.Token(); err != nil { // {
		return nil, nil, err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, nil, err
		}
	}
	return ids, arts, nil
}

// DeployOrder is the order in which `cdk deploy --all` deploys the stacks:
// every stack after the stacks it depends on, otherwise in manifest order.
// With --concurrency, stacks that do not depend on each other, directly or
// not, may deploy at the same time; the check therefore reasons on
// Before, not on positions in this list.
func (a *Assembly) DeployOrder() []*Stack {
	done := map[string]bool{}
	var out []*Stack
	var visit func(s *Stack, path map[string]bool)
	visit = func(s *Stack, path map[string]bool) {
		if done[s.ID] || path[s.ID] {
			return // a cycle is CDK's error to report, not ours
		}
		path[s.ID] = true
		for _, d := range s.Deps {
			if ds := a.byName[d]; ds != nil {
				visit(ds, path)
			}
		}
		delete(path, s.ID)
		done[s.ID] = true
		out = append(out, s)
	}
	for _, s := range a.Stacks {
		visit(s, map[string]bool{})
	}
	return out
}

// Before reports whether stack first has finished deploying before stack
// then starts, whatever the --concurrency: then depends on first, directly
// or through other stacks.
func (a *Assembly) Before(first, then string) bool {
	seen := map[string]bool{}
	var walk func(id string) bool
	walk = func(id string) bool {
		if seen[id] {
			return false
		}
		seen[id] = true
		s := a.byName[id]
		if s == nil {
			return false
		}
		for _, d := range s.Deps {
			if d == first || walk(d) {
				return true
			}
		}
		return false
	}
	return first != then && walk(then)
}

// exports maps a stack's export names to their values (canonical JSON).
func (s *Stack) exports() map[string]string {
	out := map[string]string{}
	for _, o := range s.Template.Outputs {
		if o == nil || o.Export == nil {
			continue
		}
		out[scalar(o.Export.Name)] = canonical(o.Value)
	}
	return out
}

// imports maps each export name a stack imports to the places (logical ids,
// "Outputs.X" for outputs) that import it.
func (s *Stack) imports() map[string][]string {
	out := map[string][]string{}
	add := func(where string, v any) {
		walkImports(v, func(name string) {
			if l := out[name]; len(l) == 0 || l[len(l)-1] != where {
				out[name] = append(out[name], where)
			}
		})
	}
	for _, id := range slices.Sorted(maps.Keys(s.Template.Resources)) {
		add(id, s.Template.Resources[id].Properties)
	}
	for _, id := range slices.Sorted(maps.Keys(s.Template.Outputs)) {
		add("Outputs."+id, s.Template.Outputs[id].Value)
	}
	return out
}

func walkImports(v any, f func(string)) {
	switch x := v.(type) {
	case map[string]any:
		if iv, ok := x["Fn::ImportValue"]; ok && len(x) == 1 {
			f(scalar(iv))
			return
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			walkImports(x[k], f)
		}
	case []any:
		for _, e := range x {
			walkImports(e, f)
		}
	}
}

// scalar is a string as itself, anything else (an intrinsic) as canonical JSON.
func scalar(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return canonical(v)
}

// canonical is v as JSON with sorted keys (encoding/json sorts map keys).
func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
