package spec

import (
	"strings"
)

// References to an environment's values in catalog text. {env} is the
// environment's name and {vars.NAME} one of its vars, so one catalog can
// name a different load balancer, table or host in each environment.
// Text that holds a reference: metric namespaces, names and dimension
// values, canary URLs, RUM domains, X-Ray filters and the Application
// Signals environment.

// FillRefs replaces {env} with env and {vars.NAME} with what lookup says,
// and returns the names lookup does not know.
func FillRefs(s, env string, lookup func(name string) (string, bool)) (string, []string) {
	if !strings.Contains(s, "{") {
		return s, nil
	}
	var b strings.Builder
	var missing []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String(), missing
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), missing
		}
		ref := s[i+1 : i+j]
		b.WriteString(s[:i])
		switch name, isVar := strings.CutPrefix(ref, "vars."); {
		case ref == "env":
			b.WriteString(env)
		case isVar && ValidVarName(name):
			v, ok := lookup(name)
			if !ok {
				missing = append(missing, name)
			}
			b.WriteString(v)
		default: // not a reference: braces stay as written
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

// RefsForSyntax fills every reference with a neutral word, so that syntax
// checks (URL, domain, filter) can run on text whose values differ per
// environment.
func RefsForSyntax(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	out, _ := FillRefs(s, "env", func(string) (string, bool) { return "x", true })
	return out
}

// ValidVarName reports whether name can be a var: a letter, then letters,
// digits and underscores.
func ValidVarName(name string) bool {
	if name == "" {
		return false
	}
	for i, c := range name {
		letter := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || !(c >= '0' && c <= '9') && c != '_') {
			return false
		}
	}
	return true
}
