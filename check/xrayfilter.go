package check

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/slocatalog/slocatalog/diag"
)

// X-Ray filter expressions, after the grammar of
// https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html:
//
//	expr      = and { "OR" and }
//	and       = unary { ["AND"] unary }          (conditions side by side are ANDed: ok !partial)
//	unary     = ("!" | "NOT") unary | primary
//	primary   = "(" expr ")"
//	          | function "(" [arg {"," arg}] ")" ["{" expr "}"]     (service, edge, id, group, json)
//	          | keyword [operator value] ["{" expr "}"]
//	arg       = string | name ":" string | function "(" … ")"
//	operator  = "=" | "!=" | "<" | "<=" | ">" | ">=" | CONTAINS | BEGINSWITH | ENDSWITH
//	value     = string | number | true | false
//
// Boolean keywords (ok, error, fault, …) stand alone or compare with true or
// false; number keywords (responsetime, duration, http.status …) and string
// keywords (http.url, user …) need an operator and a value.

// filterKeywordKinds maps each keyword to the kind of value it compares with:
// 'b' boolean, 'n' number, 's' string, 'a' any (annotations).
var filterKeywordKinds = map[string]byte{
	"ok": 'b', "error": 'b', "fault": 'b', "throttle": 'b', "partial": 'b', "inferred": 'b',
	"first": 'b', "last": 'b', "remote": 'b', "root": 'b',
	"responsetime": 'n', "duration": 'n', "http.status": 'n', "index": 'n', "coverage": 'n',
	"http.url": 's', "http.method": 's', "http.useragent": 's', "http.clientip": 's', "user": 's', "name": 's', "type": 's',
}

// filterFunctions take arguments in parentheses and may scope a condition in braces.
var filterFunctions = map[string]bool{"service": true, "edge": true, "id": true, "group": true, "json": true}

// filterPrefixes start compound keywords: annotation.key, rootcause.fault.entity …
var filterPrefixes = []string{"annotation.", "annotation[", "rootcause.", "group.", "edge.", "service.", "json.", "id."}

var filterOperators = []string{"<=", ">=", "!=", "=", "<", ">"}

// filterToken is one lexical token of a filter expression.
type filterToken struct {
	kind byte // 'w' word, 's' string, 'n' number, 'o' operator, 'p' punctuation, 0 end
	text string
	off  int
}

// filterParser parses one expression, stopping at the first error.
type filterParser struct {
	toks []filterToken
	i    int
	// err, hint and off are the first error, its hint and its byte offset.
	err, hint string
	off       int
}

// filterProblem parses an X-Ray filter expression. It returns a message, a
// hint and the byte offset of the first error, or an empty message.
func filterProblem(f string) (string, string, int) {
	toks, msg, hint, off := lexFilter(f)
	if msg != "" {
		return msg, hint, off
	}
	p := &filterParser{toks: toks, off: -1}
	p.expr()
	if p.err == "" && p.peek().kind != 0 {
		t := p.peek()
		if t.text == ")" {
			p.fail(t, "unbalanced parentheses: ) without (", "")
		} else {
			p.fail(t, fmt.Sprintf("unexpected %q", t.text), "join conditions with AND or OR")
		}
	}
	return p.err, p.hint, p.off
}

func isFilterWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lexFilter splits f into tokens, or reports an unterminated string.
func lexFilter(f string) ([]filterToken, string, string, int) {
	var toks []filterToken
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(f[i+1:], c)
			if j < 0 {
				return nil, "unterminated string", "close the quote", i
			}
			toks = append(toks, filterToken{'s', f[i : i+j+2], i})
			i += j + 2
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(f) && f[i+1] >= '0' && f[i+1] <= '9':
			j := i + 1
			for j < len(f) && (f[j] >= '0' && f[j] <= '9' || f[j] == '.') {
				j++
			}
			toks = append(toks, filterToken{'n', f[i:j], i})
			i = j
		case isFilterWordByte(c):
			j := i
			for j < len(f) && isFilterWordByte(f[j]) {
				j++
			}
			if strings.EqualFold(f[i:j], "annotation") && j < len(f) && f[j] == '[' { // annotation[key]
				if k := strings.IndexByte(f[j:], ']'); k > 0 {
					j += k + 1
				}
			}
			toks = append(toks, filterToken{'w', f[i:j], i})
			i = j
		default:
			op := ""
			for _, o := range filterOperators {
				if strings.HasPrefix(f[i:], o) {
					op = o
					break
				}
			}
			if op != "" {
				toks = append(toks, filterToken{'o', op, i})
				i += len(op)
				continue
			}
			toks = append(toks, filterToken{'p', f[i : i+1], i})
			i++
		}
	}
	return toks, "", "", -1
}

func (p *filterParser) peek() filterToken {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	end := 0
	if n := len(p.toks); n > 0 {
		end = p.toks[n-1].off + len(p.toks[n-1].text)
	}
	return filterToken{off: end}
}

func (p *filterParser) next() filterToken { t := p.peek(); p.i++; return t }

// fail records the first error at t.
func (p *filterParser) fail(t filterToken, msg, hint string) {
	if p.err == "" {
		p.err, p.hint, p.off = msg, hint, t.off
	}
}

func (p *filterParser) isWord(t filterToken, w string) bool {
	return t.kind == 'w' && strings.EqualFold(t.text, w)
}

func (p *filterParser) expr() {
	p.and()
	for p.err == "" && p.isWord(p.peek(), "OR") {
		p.next()
		p.and()
	}
}

// startsCondition reports whether t can begin a condition.
func (p *filterParser) startsCondition(t filterToken) bool {
	if t.kind == 'w' {
		return !p.isWord(t, "AND") && !p.isWord(t, "OR")
	}
	return t.text == "(" || t.text == "!"
}

func (p *filterParser) and() {
	p.unary()
	for p.err == "" {
		t := p.peek()
		if p.isWord(t, "AND") {
			p.next()
			p.unary()
			continue
		}
		if !p.startsCondition(t) {
			return
		}
		p.unary() // side by side: ANDed
	}
}

func (p *filterParser) unary() {
	t := p.peek()
	if t.text == "!" || p.isWord(t, "NOT") {
		p.next()
		p.unary()
		return
	}
	p.primary()
}

func (p *filterParser) primary() {
	t := p.next()
	switch {
	case t.kind == 0:
		p.fail(t, "the expression ends where a condition should follow", "finish the condition, or remove the trailing AND/OR")
		return
	case t.text == "(":
		p.expr()
		if p.err == "" {
			if c := p.next(); c.text != ")" {
				p.fail(t, "unbalanced parentheses: ( is never closed", "")
			}
		}
		return
	case t.kind != 'w' || p.isWord(t, "AND") || p.isWord(t, "OR"):
		p.fail(t, fmt.Sprintf("expected a condition, found %q", t.text), "a condition is a keyword such as fault, responsetime > 1 or service(\"name\")")
		return
	}
	word := strings.ToLower(t.text)
	if filterFunctions[word] && p.peek().text == "(" {
		p.args()
		p.scope()
		return
	}
	kind, known := filterKeywordKinds[word]
	if !known {
		for _, pre := range filterPrefixes {
			if strings.HasPrefix(word, pre) {
				kind, known = 'a', true
			}
		}
	}
	if !known {
		cands := slices.Sorted(maps.Keys(filterKeywordKinds))
		cands = append(cands, slices.Sorted(maps.Keys(filterFunctions))...)
		p.fail(t, fmt.Sprintf("unknown keyword %q", t.text), diag.DidYouMeanOr(word, cands, "see the keywords of X-Ray filter expressions"))
		return
	}
	op := p.peek()
	isOp := op.kind == 'o' || p.isWord(op, "CONTAINS") || p.isWord(op, "BEGINSWITH") || p.isWord(op, "ENDSWITH")
	if !isOp {
		if kind == 'n' || kind == 's' {
			p.fail(op, fmt.Sprintf("%s needs a comparison, e.g. %s", t.text, map[byte]string{'n': t.text + " > 1", 's': t.text + ` CONTAINS "x"`}[kind]), "")
			return
		}
		p.scope()
		return
	}
	p.next()
	v := p.next()
	switch {
	case v.kind == 0:
		p.fail(v, fmt.Sprintf("the expression ends after %s %s: a value should follow", t.text, op.text), "")
	case kind == 'n' && v.kind != 'n':
		p.fail(v, fmt.Sprintf("%s compares with a number, not %s", t.text, v.text), "")
	case kind == 's' && v.kind != 's':
		p.fail(v, fmt.Sprintf("%s compares with a quoted string, not %s", t.text, v.text), fmt.Sprintf("write %s %s \"%s\"", t.text, op.text, strings.Trim(v.text, `"'`)))
	case kind == 'b' && !p.isWord(v, "true") && !p.isWord(v, "false"):
		p.fail(v, fmt.Sprintf("%s compares with true or false, not %s", t.text, v.text), "")
	case v.kind == 'w' && !p.isWord(v, "true") && !p.isWord(v, "false"), v.kind == 'p' || v.kind == 'o':
		p.fail(v, fmt.Sprintf("expected a value after %s, found %q", op.text, v.text), "quote strings: \"value\"")
	}
	p.scope()
}

// args parses a function's arguments in parentheses.
func (p *filterParser) args() {
	open := p.next() // "("
	if p.peek().text == ")" {
		p.next()
		return
	}
	for p.err == "" {
		a := p.next()
		switch {
		case a.kind == 's' || a.kind == 'n':
		case a.kind == 'w' && p.peek().text == ":":
			p.next()
			if v := p.next(); v.kind != 's' {
				p.fail(v, fmt.Sprintf("%s: takes a quoted string", a.text), "")
			}
		case a.kind == 'w' && filterFunctions[strings.ToLower(a.text)] && p.peek().text == "(":
			p.args()
		default:
			p.fail(a, fmt.Sprintf("unexpected %q in the arguments", a.text), "quote names: service(\"checkout\")")
			return
		}
		switch c := p.next(); c.text {
		case ",":
		case ")":
			return
		default:
			if c.kind == 0 {
				p.fail(open, "unbalanced parentheses: ( is never closed", "")
			} else {
				p.fail(c, fmt.Sprintf("unexpected %q in the arguments", c.text), "separate arguments with commas")
			}
			return
		}
	}
}

// scope parses an optional condition in braces after a function or keyword.
func (p *filterParser) scope() {
	if p.err != "" || p.peek().text != "{" {
		return
	}
	open := p.next()
	p.expr()
	if p.err == "" {
		if c := p.next(); c.text != "}" {
			p.fail(open, "unbalanced braces: { is never closed", "")
		}
	}
}
