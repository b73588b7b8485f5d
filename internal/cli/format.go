package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/slocatalog/slocatalog/diag"
)

// diagnosticFormats are the renderings of `slocat validate --format`: text
// for people (stderr), github and json for tools (stdout).
var diagnosticFormats = map[string]func(stdout, stderr io.Writer, ds diag.Diagnostics, src diag.Sources){
	"text":   renderText,
	"github": renderGitHub,
	"json":   renderJSON,
}

// renderText is the default: each problem with its source line, a caret and
// a hint, then a count.
func renderText(_, stderr io.Writer, ds diag.Diagnostics, src diag.Sources) {
	ds.Render(stderr, src)
	problems, warnings := len(ds)-ds.Warnings(), ds.Warnings()
	var parts []string
	if problems > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", problems, plural(problems, "problem", "problems")))
	}
	if warnings > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", warnings, plural(warnings, "warning", "warnings")))
	}
	fmt.Fprintf(stderr, "%s in the catalog\n", strings.Join(parts, " and "))
}

// renderGitHub prints GitHub Actions workflow commands, one ::error per
// problem and one ::warning per warning, so each shows on the pull
// request's line:
// https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#setting-an-error-message
func renderGitHub(stdout, _ io.Writer, ds diag.Diagnostics, _ diag.Sources) {
	for _, d := range ds {
		props := []string{"file=" + escapeProperty(d.Pos.File)}
		if d.Pos.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", d.Pos.Line), fmt.Sprintf("col=%d", d.Pos.Col))
			if d.Pos.Len > 1 { // the token's last column, on the same line
				props = append(props, fmt.Sprintf("endLine=%d", d.Pos.Line), fmt.Sprintf("endColumn=%d", d.Pos.Col+d.Pos.Len-1))
			}
		}
		props = append(props, "title="+escapeProperty(d.Check))
		msg := d.Message
		if d.Hint != "" {
			msg += "\nhint: " + d.Hint
		}
		if d.Note != "" {
			msg += "\nnote: " + d.Note
		}
		fmt.Fprintf(stdout, "::%s %s::%s\n", d.Severity, strings.Join(props, ","), escapeData(msg))
	}
}

// escapeData escapes a workflow command's message the way the Actions
// runner unescapes it (%, CR and LF).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value: as data, and
// also the : and , that separate properties.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// jsonDiagnostic is one problem in `validate --format json`.
type jsonDiagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Len      int    `json:"len,omitempty"`
	Check    string `json:"check"`
	Severity string `json:"severity"` // error or warning; only errors make the catalog invalid
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
	Note     string `json:"note,omitempty"`
}

// renderJSON prints {"valid": false, "diagnostics": [...]}; a catalog with
// only warnings is valid.
func renderJSON(stdout, _ io.Writer, ds diag.Diagnostics, _ diag.Sources) {
	writeJSONResult(stdout, ds)
}

func writeJSONResult(w io.Writer, ds diag.Diagnostics) {
	out := struct {
		Valid       bool             `json:"valid"`
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
	}{Valid: ds.Err() == nil, Diagnostics: []jsonDiagnostic{}}
	for _, d := range ds {
		out.Diagnostics = append(out.Diagnostics, jsonDiagnostic{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Len: d.Pos.Len, Check: d.Check, Severity: d.Severity.String(), Message: d.Message, Hint: d.Hint, Note: d.Note})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(out) //nolint:errcheck // a failed write shows as a truncated document
}
