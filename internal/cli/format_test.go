package cli

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/diag"
)

// unescapeCommand undoes the Actions runner's escaping of a workflow command
// (%25, %0D, %0A, and in properties %3A and %2C); url.PathUnescape does that
// for exactly these percent escapes.
func unescapeCommand(t *testing.T, s string) string {
	out, err := url.PathUnescape(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return out
}

// commandRE is a workflow command as the runner splits it: "::" name, a
// space, properties split at "," and "=", "::", then the data.
var commandRE = regexp.MustCompile(`^::error ([^:]*)::(.*)$`)

func TestGitHubFormatEscapes(t *testing.T) {
	d := diag.Diagnostic{
		Pos:     diag.Pos{File: "cat,a:log/x%y.yaml", Line: 7, Col: 3, Len: 4},
		Check:   "route/odd,check:id",
		Message: "100% broken: a, b\nsecond line\r",
		Hint:    "write \"x: y\"",
	}
	var out bytes.Buffer
	renderGitHub(&out, nil, diag.Diagnostics{d}, nil)
	line := strings.TrimSuffix(out.String(), "\n")
	if strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("one command must be one line: %q", out.String())
	}
	m := commandRE.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("not a workflow command: %q", line)
	}
	props := map[string]string{}
	for _, p := range strings.Split(m[1], ",") {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			t.Fatalf("property %q has no value in %q", p, line)
		}
		props[k] = unescapeCommand(t, v)
	}
	want := map[string]string{"file": d.Pos.File, "line": "7", "col": "3", "endLine": "7", "endColumn": "6", "title": d.Check}
	for k, v := range want {
		if props[k] != v {
			t.Errorf("property %s = %q, want %q", k, props[k], v)
		}
	}
	if got, want := unescapeCommand(t, m[2]), d.Message+"\nhint: "+d.Hint; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestJSONFormat(t *testing.T) {
	var out bytes.Buffer
	ds := diag.Diagnostics{{Pos: diag.Pos{File: "a.yaml", Line: 2, Col: 5, Len: 3}, Check: "slo/window", Message: "m <b>", Hint: "h"}}
	renderJSON(&out, nil, ds, nil)
	var got struct {
		Valid       bool
		Diagnostics []jsonDiagnostic
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Valid || len(got.Diagnostics) != 1 || got.Diagnostics[0] != (jsonDiagnostic{File: "a.yaml", Line: 2, Col: 5, Len: 3, Check: "slo/window", Severity: "error", Message: "m <b>", Hint: "h"}) {
		t.Errorf("got %+v", got)
	}
}
