package slos

import (
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Meta records where a catalog object and each of its keys and values stand in
// the source. The decoder fills it for every struct that embeds it.
type Meta struct {
	Pos    Pos // the object itself (its first key)
	fields []metaField
	items  []metaItem // list items and mapping keys of the fields, field by field
	broken bool
}

// metaField is where one key of an object and its value stand. A slice
// searched linearly is cheaper than maps for objects of a dozen keys; a
// 10,000-SLO catalog holds about 300,000 of them, so they are kept small.
type metaField struct {
	f        *field // the key, from the struct's structInfo
	key, val spot
}

// metaItem is where one list item or mapping key of the value of
// Meta.fields[field] stands; key is the mapping key, empty for a list item.
type metaItem struct {
	key   string
	at    spot
	field int32
}

// itemsOf returns the list items or mapping keys recorded for field i
// (none for -1).
func (m Meta) itemsOf(i int) []metaItem {
	for j, it := range m.items {
		if int(it.field) == i {
			k := j + 1
			for k < len(m.items) && int(m.items[k].field) == i {
				k++
			}
			return m.items[j:k]
		}
	}
	return nil
}

// spot is a position in the file of the Meta that holds it: a Pos without
// the file name, in a third of the space (a 10,000-SLO catalog holds about
// two million of them).
type spot struct{ line, col, len int32 }

func spotOf(p Pos) spot { return spot{int32(p.Line), int32(p.Col), int32(p.Len)} }

// at is the Pos of s in the object's file.
func (m Meta) at(s spot) Pos {
	return Pos{File: m.Pos.File, Line: int(s.line), Col: int(s.col), Len: int(s.len)}
}

func (m Meta) field(name string) *metaField {
	if i := m.fieldIndex(name); i >= 0 {
		return &m.fields[i]
	}
	return nil
}

func (m Meta) fieldIndex(name string) int {
	for i := range m.fields {
		if m.fields[i].f.name == name {
			return i
		}
	}
	return -1
}

// Key returns the position of key name, or the object's position if absent.
func (m Meta) Key(name string) Pos {
	if f := m.field(name); f != nil {
		return m.at(f.key)
	}
	return m.Pos
}

// Val returns the position of the value of key name, or the object's position if absent.
func (m Meta) Val(name string) Pos {
	if f := m.field(name); f != nil {
		return m.at(f.val)
	}
	return m.Pos
}

// Has reports whether key name was written in the source.
func (m Meta) Has(name string) bool { return m.field(name) != nil }

// Item returns the position of item i of the list under key name.
func (m Meta) Item(name string, i int) Pos {
	if items := m.itemsOf(m.fieldIndex(name)); i >= 0 && i < len(items) {
		return m.at(items[i].at)
	}
	return m.Val(name)
}

// MapKey returns the position of key k in the mapping under key name.
func (m Meta) MapKey(name, k string) Pos {
	for _, it := range m.itemsOf(m.fieldIndex(name)) {
		if it.key == k {
			return m.at(it.at)
		}
	}
	return m.Val(name)
}

// Broken reports whether the object has an unknown key or a value of its own
// that failed to decode.
func (m Meta) Broken() bool { return m.broken }

var metaType = reflect.TypeOf(Meta{})

// field describes one YAML key of a catalog struct, read from its tags:
// yaml (the key), doc (the description in the schema), enum (allowed values,
// separated by |) and required.
type field struct {
	name     string
	index    int
	doc      string
	enum     []string
	required bool
	// items: Meta keeps the position of each list item or mapping key of
	// the value (lists of scalars, and mappings). Items of a list of
	// objects are objects with positions of their own.
	items bool
}

type structInfo struct {
	fields []field
	byName map[string]*field
	names  []string
	meta   int // index of the embedded Meta, or -1
}

var structCache sync.Map

func infoOf(t reflect.Type) *structInfo {
	if v, ok := structCache.Load(t); ok {
		return v.(*structInfo)
	}
	si := &structInfo{byName: map[string]*field{}, meta: -1}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type == metaType {
			si.meta = i
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "" || tag == "-" || !f.IsExported() {
			continue
		}
		fd := field{name: strings.Split(tag, ",")[0], index: i, doc: f.Tag.Get("doc"), required: f.Tag.Get("required") == "true"}
		fd.items = f.Type.Kind() == reflect.Map || (f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() != reflect.Pointer)
		if e := f.Tag.Get("enum"); e != "" {
			fd.enum = strings.Split(e, "|")
		}
		si.fields = append(si.fields, fd)
	}
	for i := range si.fields {
		si.byName[si.fields[i].name] = &si.fields[i]
		si.names = append(si.names, si.fields[i].name)
	}
	sort.Strings(si.names)
	v, _ := structCache.LoadOrStore(t, si)
	return v.(*structInfo)
}

// markBroken records that the object has an unknown key or a value of its
// own that failed to decode.
func (m *Meta) markBroken() { m.broken = true }

// begin starts recording the keys of an object: fields is an empty slice
// with room for its keys, items how many list items and mapping keys its
// values hold.
func (m *Meta) begin(fields []metaField, items int) {
	m.fields = fields
	if items > 0 {
		m.items = make([]metaItem, 0, items)
	}
}

// addKey records where key f and its value stand, and returns the key's
// index for addItem.
func (m *Meta) addKey(f *field, key, val Pos) int32 {
	m.fields = append(m.fields, metaField{f: f, key: spotOf(key), val: spotOf(val)})
	return int32(len(m.fields) - 1)
}

// addItem records where one list item (key "") or mapping key of the value
// of key i stands.
func (m *Meta) addItem(i int32, key string, at Pos) {
	m.items = append(m.items, metaItem{key: key, at: spotOf(at), field: i})
}
