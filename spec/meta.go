package spec

import (
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/slocatalog/slocatalog/diag"
)

// Meta records where a catalog object and each of its keys and values stand in
// the source. The decoder fills it for every struct that embeds it.
type Meta struct {
	Pos    diag.Pos // the object itself (its first key)
	fields []FieldPos
	items  []metaItem // list items and mapping keys of the fields, field by field
	broken bool
}

// FieldPos is where one key of an object and its value stand (opaque: the
// loader records it through Meta.AddKey). A slice
// searched linearly is cheaper than maps for objects of a dozen keys; a
// 10,000-SLO catalog holds about 300,000 of them, so they are kept small.
type FieldPos struct {
	f        *Key // the key, from the struct's Object
	key, val linePos
}

// metaItem is where one list item or mapping key of the value of
// Meta.fields[field] stands; key is the mapping key, empty for a list item.
type metaItem struct {
	key   string
	at    linePos
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

// linePos is a position in the file of the Meta that holds it: a Pos without
// the file name, in a third of the space (a 10,000-SLO catalog holds about
// two million of them).
type linePos struct{ line, col, len int32 }

func linePosOf(p diag.Pos) linePos { return linePos{int32(p.Line), int32(p.Col), int32(p.Len)} }

// at is the Pos of s in the object's file.
func (m Meta) at(s linePos) diag.Pos {
	return diag.Pos{File: m.Pos.File, Line: int(s.line), Col: int(s.col), Len: int(s.len)}
}

func (m Meta) field(name string) *FieldPos {
	if i := m.fieldIndex(name); i >= 0 {
		return &m.fields[i]
	}
	return nil
}

func (m Meta) fieldIndex(name string) int {
	for i := range m.fields {
		if m.fields[i].f.Name == name {
			return i
		}
	}
	return -1
}

// Key returns the position of key name, or the object's position if absent.
func (m Meta) Key(name string) diag.Pos {
	if f := m.field(name); f != nil {
		return m.at(f.key)
	}
	return m.Pos
}

// Val returns the position of the value of key name, or the object's position if absent.
func (m Meta) Val(name string) diag.Pos {
	if f := m.field(name); f != nil {
		return m.at(f.val)
	}
	return m.Pos
}

// Has reports whether key name was written in the source.
func (m Meta) Has(name string) bool { return m.field(name) != nil }

// Item returns the position of item i of the list under key name.
func (m Meta) Item(name string, i int) diag.Pos {
	if items := m.itemsOf(m.fieldIndex(name)); i >= 0 && i < len(items) {
		return m.at(items[i].at)
	}
	return m.Val(name)
}

// MapKey returns the position of key k in the mapping under key name.
func (m Meta) MapKey(name, k string) diag.Pos {
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

// Key describes one YAML key of a catalog struct, read from its tags:
// yaml (the key), doc (the description in the schema), enum (allowed values,
// separated by |) and required. The loader decodes by it and the schema
// generator describes by it.
type Key struct {
	Name     string   // the YAML key
	Index    int      // the Go field's index in its struct
	Doc      string   // the description in the schema and the reference
	Enum     []string // the allowed values, if the key has a fixed list
	Required bool     // the key must be written
	// Items: Meta keeps the position of each list item or mapping key of
	// the value (lists of scalars, and mappings). Items of a list of
	// objects are objects with positions of their own.
	Items bool
}

// Object describes the YAML keys of one catalog struct.
type Object struct {
	Fields    []Key           // in struct order
	ByName    map[string]*Key // by YAML key
	Names     []string        // the keys, sorted (for "known keys" hints)
	MetaIndex int             // index of the embedded Meta, or -1
}

var structCache sync.Map // reflect.Type → *Object

// ObjectOf describes the catalog struct type t, read once from its tags.
func ObjectOf(t reflect.Type) *Object {
	if v, ok := structCache.Load(t); ok {
		return v.(*Object)
	}
	object := &Object{ByName: map[string]*Key{}, MetaIndex: -1}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type == metaType {
			object.MetaIndex = i
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "" || tag == "-" || !f.IsExported() {
			continue
		}
		key := Key{Name: strings.Split(tag, ",")[0], Index: i, Doc: f.Tag.Get("doc"), Required: f.Tag.Get("required") == "true"}
		key.Items = f.Type.Kind() == reflect.Map || (f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() != reflect.Pointer)
		if e := f.Tag.Get("enum"); e != "" {
			key.Enum = strings.Split(e, "|")
		}
		object.Fields = append(object.Fields, key)
	}
	for i := range object.Fields {
		object.ByName[object.Fields[i].Name] = &object.Fields[i]
		object.Names = append(object.Names, object.Fields[i].Name)
	}
	sort.Strings(object.Names)
	v, _ := structCache.LoadOrStore(t, object)
	return v.(*Object)
}

// MarkBroken records that the object has an unknown key or a value of its
// own that failed to decode.
func (m *Meta) MarkBroken() { m.broken = true }

// Begin starts recording the keys of an object: fields is an empty slice
// with room for its keys, items how many list items and mapping keys its
// values hold.
func (m *Meta) Begin(fields []FieldPos, items int) {
	m.fields = fields
	if items > 0 {
		m.items = make([]metaItem, 0, items)
	}
}

// AddKey records where key f and its value stand, and returns the key's
// index for AddItem.
func (m *Meta) AddKey(f *Key, key, val diag.Pos) int32 {
	m.fields = append(m.fields, FieldPos{f: f, key: linePosOf(key), val: linePosOf(val)})
	return int32(len(m.fields) - 1)
}

// AddItem records where one list item (key "") or mapping key of the value
// of key i stands.
func (m *Meta) AddItem(i int32, key string, at diag.Pos) {
	m.items = append(m.items, metaItem{key: key, at: linePosOf(at), field: i})
}
