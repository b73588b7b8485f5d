package alarmeval

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Expression is the source a metric math expression computes, over the
// sources its metric IDs name. It reads the part of metric math the
// project's alarms write: a metric ID, MIN([e, e, ...]) (see Min) and
// IF(id >= N, e) (see Guard). Anything else is an error, so a construct that
// starts writing something new fails the tests that replay its expression
// instead of being replayed wrongly.
func Expression(expr string, vars map[string]Source) (Source, error) {
	p := &exprParser{in: expr, vars: vars}
	s, err := p.expr()
	if err == nil {
		p.space()
		if p.pos < len(p.in) {
			err = p.errorf("unexpected %q", p.in[p.pos:])
		}
	}
	if err != nil {
		return nil, fmt.Errorf("metric math %q: %w", expr, err)
	}
	return s, nil
}

type exprParser struct {
	in   string
	pos  int
	vars map[string]Source
}

func (p *exprParser) errorf(format string, args ...any) error {
	return fmt.Errorf("at %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *exprParser) space() {
	for p.pos < len(p.in) && p.in[p.pos] == ' ' {
		p.pos++
	}
}

// eat consumes tok (after spaces) and reports whether it was there.
func (p *exprParser) eat(tok string) bool {
	p.space()
	if strings.HasPrefix(p.in[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

func (p *exprParser) want(tok string) error {
	if !p.eat(tok) {
		return p.errorf("want %q", tok)
	}
	return nil
}

// word reads an identifier or a number.
func (p *exprParser) word() string {
	p.space()
	start := p.pos
	for p.pos < len(p.in) {
		r := rune(p.in[p.pos])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '.' {
			break
		}
		p.pos++
	}
	return p.in[start:p.pos]
}

func (p *exprParser) expr() (Source, error) {
	w := p.word()
	switch {
	case w == "":
		return nil, p.errorf("want a metric ID or function")
	case w == "MIN" && p.eat("("):
		if err := p.want("["); err != nil {
			return nil, err
		}
		var args []Source
		for {
			s, err := p.expr()
			if err != nil {
				return nil, err
			}
			args = append(args, s)
			if !p.eat(",") {
				break
			}
		}
		if err := p.want("]"); err != nil {
			return nil, err
		}
		if err := p.want(")"); err != nil {
			return nil, err
		}
		out := args[0]
		for _, a := range args[1:] {
			out = Min(out, a)
		}
		return out, nil
	case w == "IF" && p.eat("("):
		id := p.word()
		samples, ok := p.vars[id]
		if !ok {
			return nil, p.errorf("unknown metric ID %q", id)
		}
		if err := p.want(">="); err != nil {
			return nil, err
		}
		n, err := strconv.ParseFloat(p.word(), 64)
		if err != nil {
			return nil, p.errorf("want a number after >=")
		}
		if err := p.want(","); err != nil {
			return nil, err
		}
		value, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.want(")"); err != nil {
			return nil, err
		}
		return Guard(value, samples, n), nil
	}
	s, ok := p.vars[w]
	if !ok {
		return nil, p.errorf("unknown metric ID %q", w)
	}
	return s, nil
}
