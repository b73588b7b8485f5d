package spec

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestMatchersAgreeWithPatterns holds the hand-written matchers to the
// patterns they replace (which the schema still publishes): every string of
// up to four characters over an alphabet that exercises each pattern, then
// random longer ones.
func TestMatchersAgreeWithPatterns(t *testing.T) {
	const alphabet = "0123456789.p_,-+msdhwPxZé "
	check := func(s string) {
		if got, want := isNumber(s), numberRE.MatchString(s); got != want {
			t.Fatalf("isNumber(%q) = %v, numberRE says %v", s, got, want)
		}
		num, unit, ok := splitDuration(s)
		if m := durationRE.FindStringSubmatch(s); ok != (m != nil) || (ok && (num != m[1] || unit != durationUnits[m[2]])) {
			t.Fatalf("splitDuration(%q) = %q, %v, %v; durationRE says %q", s, num, unit, ok, m)
		}
		pn, ok := percentileNumber(s)
		if m := percentileRE.FindStringSubmatch(s); ok != (m != nil) || (ok && pn != m[1]) {
			t.Fatalf("percentileNumber(%q) = %q, %v; percentileRE says %q", s, pn, ok, m)
		}
	}
	var walk func(prefix string, n int)
	walk = func(prefix string, n int) {
		check(prefix)
		if n == 0 {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			walk(prefix+alphabet[i:i+1], n-1)
		}
	}
	walk("", 4)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		b := make([]byte, 6+r.IntN(6))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		check(string(b))
	}
	for _, n := range []int{127, 128, 129} {
		check(strings.Repeat("a", n))
		check("a" + strings.Repeat(" ", n-2) + "b")
		check(strings.Repeat("é", n/2))
	}
	for _, s := range []string{"Ab", "a.b", "a_", "-a", "prod-checkout-latency", "é9", "1.5h", "28d", "2w", "p99.9", "p99.999", "p100", "p0.1", "1,000.5", "-1_000", "+.5", "5.", ".5m"} {
		check(s)
	}
}
