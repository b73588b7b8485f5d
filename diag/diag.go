package diag

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a catalog file. Line and Col are 1-based; Len is the
// width of the offending token (at least 1 when rendered).
type Pos struct {
	File string
	Line int
	Col  int
	Len  int
}

// String renders the position as file:line:col.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsZero reports whether the position is unset.
func (p Pos) IsZero() bool { return p.File == "" && p.Line == 0 }

// Diagnostic is one problem found in a catalog.
type Diagnostic struct {
	Pos     Pos
	Check   string // short name of the check that found it, e.g. "schema/unknown-key"
	Message string
	Hint    string // optional suggestion, e.g. `did you mean "objective"?`
	// Note names the objects an effective-value problem affects when it is
	// reported at a shared source (a default, an override), e.g.
	// "affects alarm api-errors, alarm api-latency".
	Note string
	// Severity is SeverityError unless set: only errors make a catalog
	// invalid.
	Severity Severity
	// affects is the one object this diagnostic was raised for; Sort joins
	// diagnostics that differ only in it into one with a Note.
	affects string
}

// Severity says whether a diagnostic makes the catalog invalid.
type Severity uint8

// The severities. The zero value is an error, so every check that does not
// say otherwise refuses the catalog.
const (
	SeverityError   Severity = iota
	SeverityWarning          // reported, but the catalog stays valid (exit status 0)
)

// String is "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Warnings counts the diagnostics of severity warning.
func (ds Diagnostics) Warnings() int {
	n := 0
	for _, d := range ds {
		if d.Severity == SeverityWarning {
			n++
		}
	}
	return n
}

// Diagnostics is every problem found in one run, in source order once sorted.
type Diagnostics []Diagnostic

// Add appends a diagnostic.
func (ds *Diagnostics) Add(p Pos, check, hint, format string, args ...any) {
	*ds = append(*ds, Diagnostic{Pos: p, Check: check, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// Err returns the diagnostics as an error, or nil when there are none but
// warnings.
func (ds Diagnostics) Err() error {
	if len(ds) == ds.Warnings() {
		return nil
	}
	return &Error{Diags: ds}
}

// Sort orders diagnostics by file, line, column, then check, and drops exact repeats.
func (ds *Diagnostics) Sort() {
	s := *ds
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		if a.Message != b.Message {
			return a.Message < b.Message
		}
		return a.affects < b.affects
	})
	out := s[:0]
	var affected map[int][]string // by index in out, for diagnostics at a shared source
	for i, d := range s {
		if i > 0 && d == s[i-1] {
			continue
		}
		if d.affects == "" {
			out = append(out, d)
			continue
		}
		if n := len(out); n > 0 && sameCause(out[n-1], d) {
			if objs := affected[n-1]; objs[len(objs)-1] != d.affects {
				affected[n-1] = append(objs, d.affects)
			}
			continue
		}
		if affected == nil {
			affected = map[int][]string{}
		}
		affected[len(out)] = []string{d.affects}
		out = append(out, d)
	}
	for i, objs := range affected {
		out[i].Note = affectsNote(objs)
		out[i].affects = ""
	}
	*ds = out
}

// affectsNote names the objects one cause affects, the first five by name.
func affectsNote(objs []string) string {
	slices.Sort(objs)
	objs = slices.Compact(objs)
	if len(objs) > 5 {
		return fmt.Sprintf("affects %s and %d more", strings.Join(objs[:5], ", "), len(objs)-5)
	}
	return "affects " + strings.Join(objs, ", ")
}

// sameCause reports whether two diagnostics report one cause: the same
// check and message at the same place, for different objects.
func sameCause(a, b Diagnostic) bool {
	return a.affects != "" && a.Pos == b.Pos && a.Check == b.Check && a.Message == b.Message && a.Hint == b.Hint
}

// AddShared adds a diagnostic about an effective value that one source (a
// default or an override) gives to object: Sort keeps one per source and
// names every object it affects in the Note.
func (ds *Diagnostics) AddShared(p Pos, check, object, hint, format string, args ...any) {
	*ds = append(*ds, Diagnostic{Pos: p, Check: check, Message: fmt.Sprintf(format, args...), Hint: hint, affects: object})
}

// Error carries the diagnostics of a catalog that failed to load or validate.
type Error struct{ Diags Diagnostics }

func (e *Error) Error() string {
	if len(e.Diags) == 1 {
		d := e.Diags[0]
		return fmt.Sprintf("%s: %s", d.Pos, d.Message)
	}
	return fmt.Sprintf("%d problems in the catalog; first: %s: %s", len(e.Diags), e.Diags[0].Pos, e.Diags[0].Message)
}

// Sources maps a file name to its contents, used to print the offending line.
type Sources map[string][]byte

// Line returns the text of 1-based line n of file, without its newline.
func (s Sources) Line(file string, n int) (string, bool) {
	src, ok := s[file]
	if !ok || n < 1 {
		return "", false
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimRight(string(src), "\r"), true
}

// Render writes diagnostics in the form
//
//	file:line:col: message (check)
//	   12 |     objectve: 99.9%
//	      |     ^^^^^^^^
//	      = hint: did you mean "objective"?
func (ds Diagnostics) Render(w io.Writer, src Sources) {
	for _, d := range ds {
		label := ""
		if d.Severity == SeverityWarning {
			label = "warning: "
		}
		fmt.Fprintf(w, "%s: %s%s (%s)\n", d.Pos, label, d.Message, d.Check)
		if line, ok := src.Line(d.Pos.File, d.Pos.Line); ok && d.Pos.Col > 0 && printable(line) {
			num := fmt.Sprint(d.Pos.Line)
			gutter := strings.Repeat(" ", len(num))
			fmt.Fprintf(w, " %s | %s\n", num, line)
			n := d.Pos.Len
			if n < 1 {
				n = 1
			}
			// Keep the caret under the token even when the line holds
			// multi-byte characters: pad with the line's own runes.
			prefix := []rune(line)
			col := d.Pos.Col - 1
			if col > len(prefix) {
				col = len(prefix)
			}
			pad := make([]rune, col)
			for i := range pad {
				pad[i] = ' '
			}
			if rest := len(prefix) - col; n > rest && rest > 0 {
				n = rest
			}
			fmt.Fprintf(w, " %s | %s%s\n", gutter, string(pad), strings.Repeat("^", n))
			if d.Hint != "" {
				fmt.Fprintf(w, " %s = hint: %s\n", gutter, d.Hint)
			}
			if d.Note != "" {
				fmt.Fprintf(w, " %s = note: %s\n", gutter, d.Note)
			}
		} else {
			if d.Hint != "" {
				fmt.Fprintf(w, "  = hint: %s\n", d.Hint)
			}
			if d.Note != "" {
				fmt.Fprintf(w, "  = note: %s\n", d.Note)
			}
		}
	}
}

// Suggest returns the candidate closest to s by edit distance, if close enough
// to be a plausible typo.
func Suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := 2
	if len(s) > 8 {
		limit = 3
	}
	if best == "" || bestD > limit || bestD >= len(s) {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	// Optimal string alignment distance: insertions, deletions, substitutions
	// and transpositions of adjacent letters ("objetcive") each cost one.
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// DidYouMean is a "did you mean X?" hint for s among candidates, or "" when
// none is close.
func DidYouMean(s string, candidates []string) string {
	if m := Suggest(s, candidates); m != "" {
		return fmt.Sprintf("did you mean %q?", m)
	}
	return ""
}

// DidYouMeanOr is a "did you mean" hint for v among candidates, or
// otherwise when none is close.
func DidYouMeanOr(v string, candidates []string, otherwise string) string {
	if h := DidYouMean(v, candidates); h != "" {
		return h
	}
	return otherwise
}

// printable reports whether a source line can be shown on a terminal.
func printable(line string) bool {
	return utf8.ValidString(line) && !strings.ContainsRune(line, 0)
}
