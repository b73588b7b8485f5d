package fastyaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/internal/gen"
)

// v3Parse parses b with yaml.v3 the way parse does: it returns the single
// document, or an error if there is none, more than one, or a syntax error.
func v3Parse(b []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []*yaml.Node
	for {
		n := new(yaml.Node)
		if err := dec.Decode(n); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		docs = append(docs, n)
	}
	if len(docs) != 1 {
		return nil, fmt.Errorf("%d documents", len(docs))
	}
	return docs[0], nil
}

// sameTree reports the first difference between two trees (comments
// aside), or "".
func sameTree(path string, a, b *yaml.Node) string {
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Style != b.Style || a.Value != b.Value ||
		a.Line != b.Line || a.Column != b.Column || a.Anchor != b.Anchor || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: fast {kind %d tag %s style %d value %q at %d:%d, %d children}, yaml.v3 {kind %d tag %s style %d value %q at %d:%d, %d children}",
			path, a.Kind, a.Tag, a.Style, a.Value, a.Line, a.Column, len(a.Content), b.Kind, b.Tag, b.Style, b.Value, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if d := sameTree(fmt.Sprintf("%s/%d", path, i), a.Content[i], b.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// blankOrComment matches a line without YAML content; tabIndent a line
// indented with a tab (load refuses it: YAML indents with spaces).
var (
	blankOrComment = regexp.MustCompile(`^\s*(#.*|---|\.\.\.)?\s*$`)
	tabIndent      = regexp.MustCompile(`^ *\t`)
)

// refusedByLoad is what the loader refuses before any YAML reader sees the
// text, written here independently of load: NUL bytes or text that is not
// UTF-8, no content at all, a tab in indentation.
func refusedByLoad(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b) {
		return true
	}
	content := false
	for _, line := range strings.Split(string(b), "\n") {
		if tabIndent.MatchString(line) {
			return true
		}
		content = content || !blankOrComment.MatchString(line)
	}
	return !content
}

// checkFast fails t if Parse accepts b and yaml.v3 disagrees, or if it
// accepts what parse's own checks (binary, empty, tab-indented) would
// refuse: parse runs those only when Parse declines.
func checkFast(t *testing.T, b []byte) (accepted bool) {
	t.Helper()
	fast, ok := Parse(b, nil, false)
	if !ok {
		return false
	}
	if refusedByLoad(b) {
		t.Fatalf("Parse accepted a file that parse's checks refuse:\n%q", b)
	}
	ref, err := v3Parse(b)
	if err != nil {
		t.Fatalf("Parse accepted what yaml.v3 refuses (%v):\n%s", err, b)
	}
	if d := sameTree("", fast, ref); d != "" {
		t.Fatalf("trees differ at %s\ninput:\n%s", d, b)
	}
	return true
}

var fastCases = []string{
	"a: 1\n",
	"# head\n\na:\nb: 1\nc:\n  - x\n  -\n  - {k: v, e: {}}\nd: []\n",
	"- a\n- b: 1\n  c:\n",
	"a: 2026-01-01\nb: true\nc: ~\nd: null\ne: 1.5\nf: 0x1F\ng: .inf\nh: 99.9%\ni: 5m\n",
	"a: 'it''s'\nb: \"q: x # y\"\n'c d': e\n\"f\": [g, 'h', \"i\"]\n",
	"a: b # comment\nc: d#e\nf: g  \n",
	"a:   # comment\n  b: 1\n",
	"a:   # nothing\nb: 2\n",
	"s:\n- x\n- y\nt: 1\n",
	"- a:\n  - x\n  b: 1\n",
	"a: {x: {y: [1, 2, {z: w}]}, v: arn:aws:sns:eu-west-1:123456789012:t}\n",
	"a: eks:bench/{env}\nb: GET /v1/op-0\nc: -5\nd: ?x\ne: :y\n",
	"a: café\nb: {ü: ö, x: y}\n",
	"a:\n  b:\n    c:\n      - d: 1\n        e: [x]\n      - f\n",
	"a: b\n  c\n",
	"a: |\n  x\n",
	"---\na: 1\n",
	"a: 1\n---\nb: 2\n",
	"a: &x 1\nb: *x\n",
	"a: !!str 1\n",
	"a: \"x\\ny\"\n",
	"a: [x,\n  y]\n",
	"a: [x, y,]\n",
	"a: b: c\n",
	"a: 1\na: 2\n",
	"- - x\n",
	"key with spaces: value with spaces\n",
	"a:\n- x\n  - y\n",
	"a: x\n b: y\n",
	"a: [a:b]\n",
	"a: {b: c:d}\n",
	"a: [\"x\", 'y']   # c\n",
	"? a\n: b\n",
	"a:\n\n\n  - x\n\n# end\n",
	"-\n- x\n",
	"a: -\n",
	"a: '\n",
	"a: [}\n",
	"a: {b}\n",
	"{a: b}\n",
	"[a]\n",
	"x\n",
	"a:b: c\n",
	"a : b\n",
	"a: b\n#c\n  #d\nc: e\n",
	"a: 1_000\nb: 0x1F\nc: 1e5\nd: 2001-12-14t21:59:43.10-05:00\ne: 100ms\nf: 1.5.6\ng: +.inf\nh: -.5\ni: 0o17\nj: 0b101\nk: 12:30\nl: 2001-12-14 21:59:43.10 -5\nm: 0x1p-2\nn: -0b11\n",
}

// TestFastParseAgreesWithYAMLv3: on hand-written edge cases, every catalog
// in the repository and a generated catalog, Parse either declines or
// builds yaml.v3's tree; and it accepts every catalog file we ship.
func TestFastParseAgreesWithYAMLv3(t *testing.T) {
	for _, c := range fastCases {
		checkFast(t, []byte(c))
	}
	dir := t.TempDir()
	if err := gen.Write(dir, gen.Options{Services: 3, SLOs: 30}); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, glob := range []string{"../../catalog/*.yaml", filepath.Join(dir, "*.yaml")} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	if len(files) < 5 {
		t.Fatalf("only %d catalog files", len(files))
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !checkFast(t, b) {
			t.Errorf("Parse declined %s, a catalog file we ship or generate", name)
		}
	}
	// The invalid corpus: agreement where accepted.
	m, _ := filepath.Glob("../../test/testdata/invalid/*.yaml")
	for _, name := range m {
		b, _ := os.ReadFile(name)
		checkFast(t, b)
	}
}

// TestFastParseDeclines: inputs outside the subset go to yaml.v3.
func TestFastParseDeclines(t *testing.T) {
	for _, c := range []string{
		"---\na: 1\n", "a: 1\n---\nb: 2\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  x\n",
		"a: \"x\\ny\"\n", "a: [x,\n  y]\n", "a: b\n  c\n", "a: b: c\n", "a:\tb\n", "a: b\r\n",
		"a: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n",
	} {
		if _, ok := Parse([]byte(c), nil, false); ok {
			t.Errorf("Parse accepted %q", c)
		}
	}
}

// FuzzFastParse: whatever Parse accepts, yaml.v3 accepts and parses to
// the same tree.
//
//	go test ./internal/fastyaml -run '^$' -fuzz FuzzFastParse -fuzztime 5m
func FuzzFastParse(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte(c))
	}
	for _, glob := range []string{"../../catalog/*.yaml", "../../test/testdata/invalid/*.yaml"} {
		m, _ := filepath.Glob(glob)
		for _, name := range m {
			b, _ := os.ReadFile(name)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkFast(t, b)
	})
}
