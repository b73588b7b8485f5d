package load

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/diag"
	"github.com/slocatalog/slocatalog/spec"
)

// decoder turns a yaml.v3 node tree into catalog values, collecting every
// problem instead of stopping at the first.
type decoder struct {
	file       string
	diags      *diag.Diagnostics
	fieldBlock []spec.FieldPos // see metaFields
}

func (d *decoder) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: d.file, Line: n.Line, Col: n.Column, Len: tokenLen(n)}
}

// tokenLen is the width of a node's token in the source, for the caret.
func tokenLen(n *yaml.Node) int {
	if n.Kind != yaml.ScalarNode {
		return 1
	}
	if strings.ContainsRune(n.Value, '\n') {
		return 1
	}
	l := utf8.RuneCountInString(n.Value)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		l += 2
	}
	if l == 0 {
		l = 1
	}
	return l
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "null"
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	}
	return "a string"
}

// anchors reports every anchor and alias in the tree under n and says
// whether there was any. It runs before decoding, so that no part of the
// tree (not even under an unknown key) is ever expanded.
func (d *decoder) anchors(n *yaml.Node) bool {
	found := d.refuseAnchors(n)
	if n.Anchor != "" {
		found = true
	}
	for _, c := range n.Content {
		if d.anchors(c) {
			found = true
		}
	}
	return found
}

// refuseAnchors reports anchors and aliases; the catalog uses cascading
// defaults instead, and refusing them makes alias bombs impossible.
func (d *decoder) refuseAnchors(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		d.diags.Add(d.pos(n), diag.CheckYAMLAlias, "set shared values once under defaults: they cascade from org to environment to service to SLO", "YAML aliases are not allowed in a catalog")
		return true
	}
	if n.Anchor != "" {
		p := d.pos(n)
		p.Len = 1
		d.diags.Add(p, diag.CheckYAMLAnchor, "set shared values once under defaults: they cascade from org to environment to service to SLO", "YAML anchors (&%s) are not allowed in a catalog", n.Anchor)
	}
	return false
}

// decode fills v from n. what names the value in messages ("slo", "objective").
func (d *decoder) decode(n *yaml.Node, v reflect.Value, what string, enum []string) {
	if d.refuseAnchors(n) {
		return
	}
	if v.Kind() == reflect.Pointer {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return
		}
		nv := reflect.New(v.Type().Elem())
		before := len(*d.diags)
		d.decode(n, nv.Elem(), what, enum)
		if len(*d.diags) > before && (n.Kind == yaml.ScalarNode || nv.Elem().Kind() != reflect.Struct || n.Kind != yaml.MappingNode) {
			// Leave a value that failed to parse unset, so later checks
			// do not see a zero ("objective: [99.9%]" is not 0%). A
			// mapping keeps what decoded: its other keys are checked.
			return
		}
		v.Set(nv)
		return
	}
	if s, ok := v.Addr().Interface().(spec.Scalar); ok {
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			hint := ""
			if ex := exampleValue(what); ex != "" {
				hint = fmt.Sprintf("e.g. %s: %s", what, ex)
			}
			d.diags.Add(d.pos(n), diag.CheckSchemaType, hint, "%s must be a single value, not %s", what, kindName(n))
			return
		}
		if err := s.SetScalar(n); err != nil {
			hint := ""
			if h, ok := err.(*spec.ValueError); ok {
				hint = h.Hint
			}
			d.diags.Add(d.pos(n), diag.CheckSchemaValue, hint, "%s: %v", what, err)
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, what)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.diags.Add(d.pos(n), diag.CheckSchemaType, fmt.Sprintf("write %s as a YAML list (- item)", what), "%s must be a list, not %s", what, kindName(n))
			return
		}
		// Items decode in place; an item left nil (it failed) is
		// overwritten by the next one.
		sl := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		item := singular(what)
		k := 0
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode && c.Tag == "!!null" {
				d.diags.Add(d.pos(c), diag.CheckSchemaType, "remove the empty - or fill it in", "empty item in %s", what)
				continue
			}
			ev := sl.Index(k)
			d.decode(c, ev, item, enum)
			if ev.Kind() == reflect.Pointer && ev.IsNil() {
				continue
			}
			k++
		}
		v.Set(sl.Slice(0, k))
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.diags.Add(d.pos(n), diag.CheckSchemaType, "", "%s must be a mapping of key: value, not %s", what, kindName(n))
			return
		}
		if sm, ok := v.Addr().Interface().(*map[string]string); ok {
			d.stringMap(n, sm, what)
			return
		}
		m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
		d.mapEntries(n, what, func(key string, val *yaml.Node) {
			ev := reflect.New(v.Type().Elem()).Elem()
			d.decode(val, ev, fmt.Sprintf("%s %q", singular(what), key), nil)
			m.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), ev)
		})
		v.Set(m)
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			hint := ""
			if ex := exampleValue(what); ex != "" && n.Tag == "!!null" {
				hint = fmt.Sprintf("write a value after the colon, e.g. %s: %s", what, ex)
			}
			d.diags.Add(d.pos(n), diag.CheckSchemaType, hint, "%s must be a string, not %s", what, kindName(n))
			return
		}
		if enum != nil && !slices.Contains(enum, n.Value) {
			d.diags.Add(d.pos(n), diag.CheckSchemaEnum, diag.DidYouMeanOr(n.Value, enum, "one of: "+strings.Join(enum, ", ")), "%s %q is not one of the allowed values", what, n.Value)
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.diags.Add(d.pos(n), diag.CheckSchemaType, "write true or false", "%s must be true or false, not %s", what, kindName(n))
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.diags.Add(d.pos(n), diag.CheckSchemaType, "", "%s must be a whole number, not %s", what, kindName(n))
			return
		}
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		if err != nil || i > math.MaxInt32 || i < math.MinInt32 {
			d.diags.Add(d.pos(n), diag.CheckSchemaValue, "", "%s %s is out of range", what, n.Value)
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
			hint := ""
			if pct, err := strconv.ParseFloat(strings.TrimSuffix(n.Value, "%"), 64); err == nil && strings.HasSuffix(n.Value, "%") && n.Kind == yaml.ScalarNode {
				hint = fmt.Sprintf("write a share from 0 to 1: %s is %s: %g", n.Value, what, pct/100)
			} else if ex := exampleValue(what); ex != "" {
				hint = fmt.Sprintf("e.g. %s: %s", what, ex)
			}
			d.diags.Add(d.pos(n), diag.CheckSchemaType, hint, "%s must be a number, not %s", what, kindName(n))
			return
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			d.diags.Add(d.pos(n), diag.CheckSchemaValue, "", "%s %s is not a finite number", what, n.Value)
			return
		}
		v.SetFloat(f)
	default:
		panic(fmt.Sprintf("load: decoder does not handle %s", v.Type())) // a programming error in the model, caught by tests
	}
}

// mapEntries calls fn for each entry of mapping n (what names it in
// messages) whose key is a string not seen before in n, and reports the
// keys it passes over: aliases, keys that are not strings, repeats.
func (d *decoder) mapEntries(n *yaml.Node, what string, fn func(key string, val *yaml.Node)) {
	// Earlier keys are scanned for repeats, as cheap as a map for the few
	// keys of a tag or dimension mapping; a map takes over past 32 keys.
	var seen map[string]int
	if len(n.Content) > 64 {
		seen = make(map[string]int, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if d.refuseAnchors(k) {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.diags.Add(d.pos(k), diag.CheckSchemaType, "", "keys of %s must be strings", what)
			continue
		}
		if line, dup := firstKey(n, i, seen); dup {
			d.diags.Add(d.pos(k), diag.CheckYAMLDuplicateKey, fmt.Sprintf("first set at line %d", line), "duplicate key %q in %s", k.Value, what)
			continue
		}
		fn(k.Value, val)
	}
}

// firstKey reports whether the key n.Content[i] is a string key already
// seen earlier in mapping n, and on which line. With seen (nil for a small
// mapping) it remembers the keys instead of scanning back.
func firstKey(n *yaml.Node, i int, seen map[string]int) (int, bool) {
	key := n.Content[i].Value
	if seen != nil {
		line, ok := seen[key]
		if !ok {
			seen[key] = n.Content[i].Line
		}
		return line, ok
	}
	for j := 0; j < i; j += 2 {
		if c := n.Content[j]; c.Kind == yaml.ScalarNode && c.Value == key {
			return c.Line, true
		}
	}
	return 0, false
}

// stringMap is decode for the commonest mapping, string to string (tags,
// dimensions, headers), without reflection; it reports what decode would.
func (d *decoder) stringMap(n *yaml.Node, out *map[string]string, what string) {
	m := make(map[string]string, len(n.Content)/2)
	d.mapEntries(n, what, func(key string, val *yaml.Node) {
		switch {
		case d.refuseAnchors(val):
			m[key] = ""
		case val.Kind != yaml.ScalarNode || val.Tag == "!!null":
			d.diags.Add(d.pos(val), diag.CheckSchemaType, "", "%s %q must be a string, not %s", singular(what), key, kindName(val))
			m[key] = ""
		default:
			m[key] = val.Value
		}
	})
	*out = m
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, what string) {
	if n.Kind != yaml.MappingNode {
		d.diags.Add(d.pos(n), diag.CheckSchemaType, "", "%s must be a mapping of key: value, not %s", what, kindName(n))
		return
	}
	keys := spec.ObjectOf(v.Type())
	var meta *spec.Meta
	if keys.MetaIndex >= 0 {
		meta = v.Field(keys.MetaIndex).Addr().Interface().(*spec.Meta)
		meta.Pos = d.pos(n)
		if len(n.Content) > 0 {
			meta.Pos = d.pos(n.Content[0])
		}
		meta.Begin(d.metaFields(len(n.Content)/2), itemCount(n, keys))
	}
	// Keys seen so far: a linear scan of the keys before is cheaper than a
	// map for the dozen keys of an object; a map takes over past that, so a
	// mapping with very many keys stays linear.
	var seen map[string]int
	if len(n.Content) > 64 {
		seen = make(map[string]int, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if d.refuseAnchors(k) {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.diags.Add(d.pos(k), diag.CheckSchemaType, "", "keys of %s must be plain names", what)
			continue
		}
		if line, dup := firstKey(n, i, seen); dup {
			d.diags.Add(d.pos(k), diag.CheckYAMLDuplicateKey, fmt.Sprintf("%q is first set at line %d; keep one", k.Value, line), "duplicate key %q in %s", k.Value, what)
			continue
		}
		f, ok := keys.ByName[k.Value]
		if !ok {
			hint := diag.DidYouMean(k.Value, keys.Names)
			if hint == "" {
				hint = "known keys: " + strings.Join(keys.Names, ", ")
			}
			d.diags.Add(d.pos(k), diag.CheckSchemaUnknownKey, hint, "unknown key %q in %s", k.Value, what)
			if meta != nil {
				meta.MarkBroken()
			}
			continue
		}
		if meta != nil {
			d.recordKey(meta, f, k, val)
		}
		before := len(*d.diags)
		d.decode(val, v.Field(f.Index), f.Name, f.Enum)
		if meta != nil && val.Kind == yaml.ScalarNode && len(*d.diags) > before {
			meta.MarkBroken()
		}
	}
	for _, f := range keys.Fields {
		if f.Required {
			if !hasKey(n, f.Name) {
				p := d.pos(n)
				if len(n.Content) > 0 {
					p = d.pos(n.Content[0])
				}
				d.diags.Add(p, diag.CheckSchemaRequired, "", "%s is missing required key %q", what, f.Name)
			}
		}
	}
}

// hasKey reports whether mapping n has the plain key name.
func hasKey(n *yaml.Node, name string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if c := n.Content[i]; c.Kind == yaml.ScalarNode && c.Value == name {
			return true
		}
	}
	return false
}

// recordKey records in meta where key k and its value val stand, with the
// positions of list items and mapping keys where f keeps them, so that
// checks can point at one item of a list or one tag.
func (d *decoder) recordKey(meta *spec.Meta, f *spec.Key, k, val *yaml.Node) {
	at := meta.AddKey(f, d.pos(k), d.pos(val))
	if !f.Items {
		return
	}
	switch val.Kind {
	case yaml.SequenceNode:
		for _, c := range val.Content {
			meta.AddItem(at, "", d.pos(c))
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(val.Content); i += 2 {
			meta.AddItem(at, val.Content[i].Value, d.pos(val.Content[i]))
		}
	}
}

// itemCount is how many list items and mapping keys the values of mapping
// n add to the items of its Meta.
func itemCount(n *yaml.Node, keys *spec.Object) int {
	k := 0
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := n.Content[i+1]
		if v.Kind != yaml.SequenceNode && v.Kind != yaml.MappingNode {
			continue
		}
		if f, ok := keys.ByName[n.Content[i].Value]; !ok || !f.Items {
			continue
		}
		if v.Kind == yaml.SequenceNode {
			k += len(v.Content)
		} else {
			k += len(v.Content) / 2
		}
	}
	return k
}

// metaFields returns an empty slice with room for n fields, cut from the
// parse worker's current block: one allocation for a hundred objects
// instead of one each.
func (d *decoder) metaFields(n int) []spec.FieldPos {
	if n > 64 {
		return make([]spec.FieldPos, 0, n)
	}
	if len(d.fieldBlock)+n > cap(d.fieldBlock) {
		d.fieldBlock = make([]spec.FieldPos, 0, 1024)
	}
	start := len(d.fieldBlock)
	d.fieldBlock = d.fieldBlock[:start+n]
	return d.fieldBlock[start : start : start+n]
}

func singular(what string) string {
	switch {
	case strings.HasSuffix(what, "ies"):
		return strings.TrimSuffix(what, "ies") + "y"
	case strings.HasSuffix(what, "ses"):
		return strings.TrimSuffix(what, "es")
	case strings.HasSuffix(what, "s") && !strings.HasSuffix(what, "ss"):
		return strings.TrimSuffix(what, "s")
	}
	return what
}

// exampleValue is the value the reference examples give key, for hints
// ("e.g. owner: team-discovery"); "" when no example sets it on one line.
// It runs only for a diagnostic.
func exampleValue(key string) string {
	for _, name := range slices.Sorted(maps.Keys(spec.Examples)) {
		for _, line := range strings.Split(spec.Examples[name], "\n") {
			line = strings.TrimLeft(strings.TrimSpace(line), "- ")
			if v, ok := strings.CutPrefix(line, key+": "); ok && v != "" && !strings.HasPrefix(v, "{") && !strings.HasPrefix(v, "[") {
				return strings.TrimSpace(strings.SplitN(v, " #", 2)[0])
			}
		}
	}
	return ""
}

// DecodeNode decodes the YAML tree n into v (a pointer to a catalog type)
// as a catalog file's value would be, reporting problems at file's lines.
func DecodeNode(file string, n *yaml.Node, v any, diags *diag.Diagnostics) {
	rv := reflect.ValueOf(v).Elem()
	d := &decoder{file: file, diags: diags}
	if d.anchors(n) { // refused, as Read refuses them: nothing below sees one
		return
	}
	d.decode(n, rv, rv.Type().Name(), nil)
}
