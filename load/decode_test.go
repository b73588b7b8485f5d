package load

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/diag"
)

// TestStringMapMatchesGeneric: the reflection-free path for string-to-string
// mappings keeps and reports exactly what the generic mapping path does
// (a map of a named string type takes the generic path).
func TestStringMapMatchesGeneric(t *testing.T) {
	type named string
	var many strings.Builder // past 32 keys, repeats are found through a map
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&many, "k%d: v\n", i%35)
	}
	for _, src := range []string{
		many.String(),
		"a: x\nb: 'y'\n",
		"a: x\na: y\nb: z\na: w\n",
		"a: {x: 1}\nb: [1]\nc:\nd: 5\n",
		"&k a: x\na: y\na: z\n",
		"a: &x v\nb: *x\n? [k]\n: v\nc: !!str 5\n",
		"{}\n",
	} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(src), &n); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		var fast map[string]string
		var generic map[string]named
		var fd, gd diag.Diagnostics
		(&decoder{file: "f", diags: &fd}).decode(n.Content[0], reflect.ValueOf(&fast).Elem(), "tags", nil)
		(&decoder{file: "f", diags: &gd}).decode(n.Content[0], reflect.ValueOf(&generic).Elem(), "tags", nil)
		g := map[string]string{}
		for k, v := range generic {
			g[k] = string(v)
		}
		if !reflect.DeepEqual(fast, g) {
			t.Errorf("%q: fast path %v, generic %v", src, fast, g)
		}
		if !reflect.DeepEqual(fd, gd) {
			t.Errorf("%q: fast path reports\n%v\ngeneric reports\n%v", src, fd, gd)
		}
	}
}
