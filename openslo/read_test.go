package openslo

import (
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	objs, probs := Read("in.yaml", []byte(`# a list, then a document
- {apiVersion: openslo/v1, kind: Service, metadata: {name: a}, spec: {}}
- {apiVersion: openslo/v1, kind: Service, metadata: {name: b}, spec: {description: B}}
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata: {name: c}
spec: {target: email}
---
`))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if len(objs) != 3 || objs[1].Service.Description != "B" || objs[2].Target.Target != "email" {
		t.Fatalf("objects %+v", objs)
	}
	if s := objs[2].Source; s.Document != 2 || s.Line != 5 {
		t.Errorf("source %+v, want document 2, line 5", s)
	}
	_, probs = Read("bad.yaml", []byte("apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec: {service: a, budgetingMethod: Occurrences, objectives: [], sideNote: 1}\n"))
	if want := "bad.yaml:1: SLO x: spec: field sideNote not found in SLOSpec"; probs.Error() != want {
		t.Errorf("got %q, want %q", probs.Error(), want)
	}
	_, probs = Read("notyaml.yaml", []byte("a: [\n"))
	if !strings.HasPrefix(probs.Error(), "notyaml.yaml: not YAML:") {
		t.Errorf("got %q", probs.Error())
	}
}
