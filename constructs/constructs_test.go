package constructs

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/slocatalog/slocatalog/internal/jsiikernel"
	"github.com/slocatalog/slocatalog/plan"
)

// The tests of this package each build one construct into a stack of its
// own from small hand-made plan values, synthesize it, and assert what the
// template says: each resource's type, logical ID and key properties.
// The default catalog's templates as a whole are the golden tests of
// package stacks.

func TestMain(m *testing.M) {
	jsiikernel.Setup(os.Stderr) // the bundled Node.js, as slocat synth uses
	code := m.Run()
	jsii.Close() // removes the runtime folder jsii extracted; stops Node
	os.Exit(code)
}

// Where the test stacks live.
const (
	testOrg     = "acme"
	testEnv     = "prod"
	testAccount = "123456789012"
	testRegion  = "eu-west-1"
)

// newStack is an empty stack in an app of its own.
func newStack() awscdk.Stack {
	app := awscdk.NewApp(nil)
	return awscdk.NewStack(app, jsii.String("test"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(testAccount), Region: jsii.String(testRegion)},
	})
}

// testService is a service with an owner and a runbook, declared in a
// catalog file.
func testService() *plan.Service {
	return &plan.Service{Name: "checkout", Owner: "team-pay", Runbook: "https://runbooks.example.com/checkout", File: "services/checkout.yaml"}
}

// testFactory is the alarm factory of testService in acme/prod.
func testFactory() *AlarmFactory {
	return &AlarmFactory{Org: testOrg, Env: testEnv, Service: testService()}
}

// resource is one resource of a synthesized template.
type resource struct {
	Type       string
	Properties map[string]any
	DependsOn  []string
}

// synthesized is a stack's synthesized template.
type synthesized struct {
	Resources  map[string]resource // by logical ID
	Outputs    map[string]struct{ Value any }
	Parameters map[string]struct{ Type, Default string }
}

// synth synthesizes stack and returns its template.
func synth(t *testing.T, stack awscdk.Stack) synthesized {
	t.Helper()
	raw, err := json.Marshal(*assertions.Template_FromStack(stack, nil).ToJSON())
	if err != nil {
		t.Fatal(err)
	}
	var tpl synthesized
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatal(err)
	}
	return tpl
}

// get returns the resource with logicalID, failing the test unless it
// exists and is of type wantType.
func (tpl synthesized) get(t *testing.T, logicalID, wantType string) resource {
	t.Helper()
	r, ok := tpl.Resources[logicalID]
	if !ok {
		t.Fatalf("no resource %s; have %s", logicalID, strings.Join(tpl.logicalIDs(""), ", "))
	}
	if r.Type != wantType {
		t.Fatalf("%s is a %s, want %s", logicalID, r.Type, wantType)
	}
	return r
}

// logicalIDs are the logical IDs of the resources of a type (every
// resource when the type is empty), sorted.
func (tpl synthesized) logicalIDs(ofType string) []string {
	var ids []string
	for id, r := range tpl.Resources {
		if ofType == "" || r.Type == ofType {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// jsonOf writes value as JSON: object keys sorted, < > & as they are.
func jsonOf(t *testing.T, value any) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(value); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// wantJSON fails the test unless value, written as JSON (jsonOf), is want.
func wantJSON(t *testing.T, what string, value any, want string) {
	t.Helper()
	if got := jsonOf(t, value); got != want {
		t.Errorf("%s:\n got %s\nwant %s", what, got, want)
	}
}

// wantProps fails the test unless each property named in want has the
// value given there, compared as JSON.
func wantProps(t *testing.T, logicalID string, r resource, want map[string]any) {
	t.Helper()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		wantJSON(t, logicalID+"."+k, r.Properties[k], jsonOf(t, want[k]))
	}
}

// text returns a string property.
func (r resource) text(name string) string {
	s, _ := r.Properties[name].(string)
	return s
}

// sortedStrings returns ss sorted.
func sortedStrings(ss []string) []string {
	sort.Strings(ss)
	return ss
}
