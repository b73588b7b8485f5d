package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/internal/fastyaml"
	"github.com/slocatalog/slocatalog/spec"
)

// Limits on what the loader reads; larger input is refused with a diagnostic
// before it is parsed.
const (
	MaxFileBytes    = 16 << 20 // one catalog file
	MaxCatalogBytes = 64 << 20 // all files together
)

// Read reads the catalog at paths (files or folders of *.yaml / *.yml
// files) and decodes it, merging every file into one catalog. It returns the
// sources read (for rendering diagnostics) and what reading and decoding
// found (the load stage's checks). Strings of the catalog may share memory
// with the sources: do not write to them. The error is for a path that
// cannot be read at all.
func Read(paths ...string) (*spec.Catalog, diag.Sources, diag.Diagnostics, error) {
	files, rel, named, err := expand(paths)
	if err != nil {
		return nil, nil, nil, err
	}
	var diags diag.Diagnostics
	sizes := make([]int, len(files))
	total := 0
	for i, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, nil, nil, err
		}
		if !st.Mode().IsRegular() {
			// Opening a named pipe waits for a writer, and a device may
			// never end: only a pipe named on the command line (bash's
			// <(...)) is read, and its size is known once it is read.
			if st.Mode()&fs.ModeNamedPipe == 0 || !named[f] {
				return nil, nil, nil, &NotRegularError{File: f, Mode: st.Mode()}
			}
			continue
		}
		if st.Size() > MaxFileBytes {
			diags.Add(diag.Pos{File: f, Line: 1, Col: 1}, diag.CheckInputSize, "split the catalog into several files", "file is %d bytes; the limit is %d", st.Size(), MaxFileBytes)
			continue
		}
		sizes[i] = int(st.Size())
		total += sizes[i]
		if total > MaxCatalogBytes {
			diags.Add(diag.Pos{File: f, Line: 1, Col: 1}, diag.CheckInputSize, "", "catalog is larger than %d bytes", MaxCatalogBytes)
			break
		}
	}
	if len(diags) > 0 {
		diags.Sort()
		return nil, diag.Sources{}, diags, nil
	}
	src := make(diag.Sources, len(files))
	parsed, diags, err := parseAll(files, sizes, total, src)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(diags) > 0 {
		// What was read is over a limit: nothing else is reported.
		diags.Sort()
		return nil, diag.Sources{}, diags, nil
	}
	cat := &spec.Catalog{Files: files, Rel: rel}
	for i, p := range parsed {
		diags = append(diags, p.diags...)
		merge(cat, parsed[i].file, &diags)
	}
	return cat, src, diags, nil
}

// NotRegularError is a catalog path that is neither a regular file nor a
// folder, nor a pipe named on the command line: a named pipe found in a
// catalog folder, a device, a socket. It is refused before it is opened.
type NotRegularError struct {
	File string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	kind := "not a file or folder"
	switch m := e.Mode; {
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		kind = "a device"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return fmt.Sprintf("%s: not a regular file (%s); a catalog is regular files, or a pipe named on the command line", e.File, kind)
}

// errTooLarge is a file that held more than MaxFileBytes when it was read.
var errTooLarge = errors.New("file too large")

// readFile reads file into buf, which has room for the size the file had
// when it was listed (none for a pipe); it returns what was read. A file
// that has since grown, or a pipe, is read on from the same descriptor into
// a buffer of its own, and refused with errTooLarge past MaxFileBytes.
func readFile(name string, buf []byte) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	n, err := io.ReadFull(f, buf)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return buf[:n], nil // it shrank
	case err != nil:
		return nil, err
	}
	var one [1]byte
	m, err := f.Read(one[:])
	if m == 0 {
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		return buf, nil
	}
	// Reading the path again would lose what a pipe has already given.
	rest, err := io.ReadAll(io.LimitReader(f, int64(MaxFileBytes-len(buf))))
	if err != nil {
		return nil, err
	}
	if len(buf)+1+len(rest) > MaxFileBytes {
		return nil, errTooLarge
	}
	b := make([]byte, 0, len(buf)+1+len(rest))
	return append(append(append(b, buf...), one[0]), rest...), nil
}

type parsedFile struct {
	file  *spec.File
	diags diag.Diagnostics
}

// parseAll reads files, in order, into one buffer (each to the size it
// had in sizes, total in all) and adds each to src; workers, one per CPU,
// parse the files as they arrive. Files are independent until they are
// merged, in order, by the caller. A file, or the catalog, found over its
// size limit only once read is an input/size diagnostic.
func parseAll(files []string, sizes []int, total int, src diag.Sources) ([]parsedFile, diag.Diagnostics, error) {
	out := make([]parsedFile, len(files))
	texts := make([][]byte, len(files))
	next := make(chan int, 64)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(files)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			arena := &fastyaml.Arena{} // one per worker, reused file after file
			// What is left of the worker's current block of Meta fields
			// (see decoder.metaFields): handed out, never reused, and
			// the next file goes on cutting from it.
			var fields []spec.FieldPos
			for i := range next {
				// Each file's text is Read's own and is only read from
				// now on: the parser may point into it.
				out[i].file = parse(files[i], texts[i], &out[i].diags, arena, &fields, true)
				arena.Reset()
			}
		}()
	}
	buf := make([]byte, total)
	var err error
	var diags diag.Diagnostics
	read := 0
	for i, f := range files {
		var b []byte
		if b, err = readFile(f, buf[:sizes[i]:sizes[i]]); errors.Is(err, errTooLarge) {
			diags.Add(diag.Pos{File: f, Line: 1, Col: 1}, diag.CheckInputSize, "split the catalog into several files", "file is larger than the limit of %d bytes", MaxFileBytes)
			err = nil
			break
		} else if err != nil {
			break
		}
		if read += len(b); read > MaxCatalogBytes {
			diags.Add(diag.Pos{File: f, Line: 1, Col: 1}, diag.CheckInputSize, "", "catalog is larger than %d bytes", MaxCatalogBytes)
			break
		}
		texts[i], src[f] = b, b
		buf = buf[sizes[i]:]
		next <- i
	}
	close(next)
	wg.Wait()
	return out, diags, err
}

// expand turns paths into a sorted list of catalog files, and names each
// relative to the folder it was found in (a file given alone: its base
// name); named holds the files given as paths rather than found in a folder.
func expand(paths []string) (files []string, rel map[string]string, named map[string]bool, err error) {
	rel = map[string]string{}
	named = map[string]bool{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, nil, err
		}
		if !st.IsDir() {
			f := filepath.ToSlash(filepath.Clean(p))
			files = append(files, f)
			rel[f] = filepath.Base(f)
			named[f] = true
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				f := filepath.ToSlash(filepath.Clean(path))
				found = append(found, f)
				if r, err := filepath.Rel(p, path); err == nil {
					rel[f] = filepath.ToSlash(r)
				}
			}
			return nil
		})
		if err != nil {
			return nil, nil, nil, err
		}
		if len(found) == 0 {
			return nil, nil, nil, fmt.Errorf("%s: no *.yaml or *.yml files", p)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	seen := map[string]bool{}
	out := files[:0]
	for _, f := range files {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, rel, named, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse decodes one catalog file, adding every problem to diags. It never
// panics, whatever the input (see FuzzLoad).
func Parse(name string, b []byte, diags *diag.Diagnostics) *spec.File {
	return parse(name, b, diags, nil, nil, false)
}

// parse is Parse with a node arena to parse into (nil: a new one) and the
// parse worker's block of Meta fields to cut from (nil: a new one). The
// arena may be reset once parse returns.
func parse(name string, b []byte, diags *diag.Diagnostics, arena *fastyaml.Arena, fields *[]spec.FieldPos, frozen bool) *spec.File {
	out := &spec.File{}
	d := &decoder{file: name, diags: diags}
	if fields != nil {
		d.fieldBlock = *fields
		defer func() { *fields = d.fieldBlock }()
	}
	// What fastyaml.Parse accepts is UTF-8 text with a document in it and
	// no control characters, tabs included: the checks below would pass
	// (its tests hold it to that), so they run only when it declines.
	if doc, ok := fastyaml.Parse(b, arena, frozen); ok {
		d.document(doc, out)
		return out
	}
	if i := bytes.IndexByte(b, 0); i >= 0 || !utf8.Valid(b) {
		line, col := lineCol(b, firstInvalid(b))
		diags.Add(diag.Pos{File: name, Line: line, Col: col}, diag.CheckInputBinary, "a catalog file is UTF-8 text", "file is not UTF-8 text")
		return nil
	}
	if !hasContent(b) {
		diags.Add(diag.Pos{File: name, Line: 1, Col: 1}, diag.CheckInputEmpty, "delete the file or declare org, environments, routes or services in it", "file holds no catalog")
		return nil
	}
	if tabIndented(name, b, diags) {
		return nil
	}
	docs, err := v3Documents(b)
	if err != nil {
		p, msg, hint := yamlErrPos(name, err), yamlErrMsg(err), ""
		if line, ok := (diag.Sources{name: b}).Line(name, p.Line); ok {
			p.Col, p.Len, hint = SyntaxPlace(strings.TrimPrefix(msg, "YAML syntax: "), line)
		}
		diags.Add(p, diag.CheckYAMLSyntax, hint, "%s", msg)
		return nil
	}
	for _, n := range docs {
		d.document(n, out)
	}
	return out
}

// v3Documents parses every YAML document of b with yaml.v3.
func v3Documents(b []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []*yaml.Node
	for {
		n := new(yaml.Node)
		err := dec.Decode(n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, n)
	}
}

// document decodes one YAML document of a file into out.
func (d *decoder) document(n *yaml.Node, out *spec.File) {
	if len(n.Content) == 0 {
		return
	}
	root := n.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	if d.anchors(root) {
		return
	}
	var part spec.File
	d.decode(root, reflect.ValueOf(&part).Elem(), "catalog file", nil)
	out.Org = mergeOrg(out.Org, part.Org, d.diags)
	out.Environments = append(out.Environments, part.Environments...)
	out.Routes = append(out.Routes, part.Routes...)
	out.Services = append(out.Services, part.Services...)
}

// mergeOrg returns the org already set, or org; a second org is an error.
func mergeOrg(have, org *spec.Org, diags *diag.Diagnostics) *spec.Org {
	if have == nil {
		return org
	}
	if org != nil {
		diags.Add(org.Pos, diag.CheckDuplicateOrg, fmt.Sprintf("org is first set at %s", have.Pos), "org is set more than once")
	}
	return have
}

// merge adds a parsed file to the catalog.
func merge(c *spec.Catalog, f *spec.File, diags *diag.Diagnostics) {
	if f == nil {
		return
	}
	c.Org = mergeOrg(c.Org, f.Org, diags)
	c.Environments = append(c.Environments, f.Environments...)
	c.Routes = append(c.Routes, f.Routes...)
	c.Services = append(c.Services, f.Services...)
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] == 0 {
			return i
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func lineCol(b []byte, off int) (int, int) {
	if off > len(b) {
		off = len(b)
	}
	line := 1 + bytes.Count(b[:off], []byte{'\n'})
	start := bytes.LastIndexByte(b[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(b[start:off])
}

// hasContent reports whether b holds anything but blank lines, comments and
// document markers.
func hasContent(b []byte) bool {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' && !bytes.Equal(t, []byte("---")) && !bytes.Equal(t, []byte("...")) {
			return true
		}
	}
	return false
}

// tabIndented reports tabs used for indentation, which YAML forbids, with
// a clearer message than the parser's.
func tabIndented(name string, b []byte, diags *diag.Diagnostics) bool {
	found := false
	line, atStart, col := 1, true, 0
	for _, c := range b {
		switch {
		case c == '\n':
			line, atStart, col = line+1, true, 0
			continue
		case !atStart:
			continue
		case c == '\t':
			diags.Add(diag.Pos{File: name, Line: line, Col: col + 1, Len: 1}, diag.CheckYAMLTab, "YAML indents with spaces; replace the tab with spaces", "tab character in indentation")
			found, atStart = true, false
		case c != ' ':
			atStart = false
		}
		col++
	}
	return found
}

func yamlErrPos(name string, err error) diag.Pos {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return diag.Pos{File: name}
	}
	line, _ := strconv.Atoi(m[1])
	return diag.Pos{File: name, Line: line, Col: 1}
}

func yamlErrMsg(err error) string {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		return "YAML syntax: " + m[2]
	}
	return "YAML syntax: " + strings.TrimPrefix(err.Error(), "yaml: ")
}
