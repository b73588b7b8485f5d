package check

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/spec"
)

func TestCheckFilter(t *testing.T) {
	for f, want := range map[string]int{
		`service("a") AND responsetime > 0.3`:              -1,
		`service("a") AND (fault = true OR error)`:         -1,
		`service("a) AND x`:                                8,
		`(ok AND fault`:                                    0,
		`ok) AND fault`:                                    2,
		`annotation.x = "has (paren"`:                      -1,
		`http.status = 500 AND http.url CONTAINS "/v1"`:    -1,
		`rootcause.fault.entity { name = "db" }`:           -1,
		`service("a") AND responstime > 1`:                 17,
		`edge("a", "b") AND NOT throttle AND duration > 2`: -1,
	} {
		msg, _, off := CheckFilter(f)
		if off != want || (want >= 0) != (msg != "") {
			t.Errorf("CheckFilter(%q) = %q at %d, want offset %d", f, msg, off, want)
		}
	}
}

// TestLengthPatterns: the naming rules keep their AWS length limits, counted
// in characters, now that the limits are checked apart from the patterns.
func TestLengthPatterns(t *testing.T) {
	cases := []struct {
		name string
		re   lengthRE
		s    string
		want bool
	}{
		{"slo name 2", sloNameRE, "ab", true},
		{"slo name 1", sloNameRE, "a", false},
		{"slo name 128", sloNameRE, strings.Repeat("a", 128), true},
		{"slo name 129", sloNameRE, strings.Repeat("a", 129), false},
		{"slo name ends with space", sloNameRE, "ab ", false},
		{"canary 255", canaryNameRE, strings.Repeat("a", 255), true},
		{"canary 256", canaryNameRE, strings.Repeat("a", 256), false},
		{"canary empty", canaryNameRE, "", false},
		{"rum 255", rumNameRE, strings.Repeat("a", 255), true},
		{"rum 256", rumNameRE, strings.Repeat("a", 256), false},
		{"secret 512", secretNameRE, strings.Repeat("a", 512), true},
		{"secret 513", secretNameRE, strings.Repeat("a", 513), false},
		{"tag key empty", tagKeyRE, "", false},
		{"tag key 128 letters", tagKeyRE, strings.Repeat("é", 128), true},
		{"tag key 129 letters", tagKeyRE, strings.Repeat("é", 129), false},
		{"tag value empty", tagValueRE, "", true},
		{"tag value 256", tagValueRE, strings.Repeat("ü", 256), true},
		{"tag value 257", tagValueRE, strings.Repeat("ü", 257), false},
		{"tag value bad character", tagValueRE, "a*b", false},
	}
	for _, c := range cases {
		if got := c.re.MatchString(c.s); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// TestMatchersAgreeWithPatterns holds the hand-written matchers to the
// patterns they replace (which the schema still publishes): every string of
// up to four characters over an alphabet that exercises each pattern, then
// random longer ones.
func TestMatchersAgreeWithPatterns(t *testing.T) {
	const alphabet = "0123456789.p_,-+msdhwPxZé "
	check := func(s string) {
		if got, want := spec.IsNumber(s), spec.NumberRE.MatchString(s); got != want {
			t.Fatalf("isNumber(%q) = %v, numberRE says %v", s, got, want)
		}
		num, unit, ok := spec.SplitDuration(s)
		if m := spec.DurationRE.FindStringSubmatch(s); ok != (m != nil) || (ok && (num != m[1] || unit != spec.DurationUnits[m[2]])) {
			t.Fatalf("splitDuration(%q) = %q, %v, %v; durationRE says %q", s, num, unit, ok, m)
		}
		if got, want := spec.ValidSLOName(s), sloNameRE.MatchString(s); got != want {
			t.Fatalf("validSLOName(%q) = %v, sloNameRE says %v", s, got, want)
		}
		pn, ok := spec.PercentileNumber(s)
		if m := spec.PercentileRE.FindStringSubmatch(s); ok != (m != nil) || (ok && pn != m[1]) {
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

// TestFilterGrammar: expressions from the X-Ray guide parse; each broken
// one is refused at its first error.
func TestFilterGrammar(t *testing.T) {
	for _, f := range []string{
		`responsetime > 5`,
		`duration >= 5 AND duration <= 8`,
		`service("api.example.com") { fault = true OR responsetime > 2.5 } AND annotation.account = "12345"`,
		`edge("api.example.com", "backend.example.com") { fault = true }`,
		`http.url BEGINSWITH "http://api.example.com/" AND http.url CONTAINS "/v2/" AND !service("api.example.com")`,
		`ok !partial duration <3`,
		`service(id(name: "api", type: "AWS::EC2::Instance"))`,
		`annotation[user-id] = "x"`,
		`group.name = "errors"`,
		`http.status = 500`,
	} {
		if msg, _, off := CheckFilter(f); msg != "" {
			t.Errorf("CheckFilter(%q) = %q at %d, want it accepted", f, msg, off)
		}
	}
	for f, want := range map[string]int{
		`service("a") AND responsetime > 0.3 AND`: 39,
		`responsetime >`:            14,
		`responsetime`:              12,
		`http.url = api`:            11,
		`fault = maybe`:             8,
		`service("a") OR`:           15,
		`service("a") { fault`:      13,
		`service(a)`:                8,
		`responsetime > 1 duration`: 25,
	} {
		msg, _, off := CheckFilter(f)
		if msg == "" || off != want {
			t.Errorf("CheckFilter(%q) = %q at %d, want an error at %d", f, msg, off, want)
		}
	}
}

// TestRecurrence: AWS cron and the rate units Application Signals takes.
func TestRecurrence(t *testing.T) {
	for r, ok := range map[string]bool{
		"rate(7 days)":               true,
		"rate(1 hour)":               true,
		"rate(1 month)":              true,
		"rate(1 week)":               false,
		"rate(0 days)":               false,
		"cron(0 2 ? * SUN *)":        true,
		"cron(0 2 1 * ? *)":          true,
		"cron(15 10 ? * 6L 2026)":    true,
		"cron(0/15 * ? * MON-FRI *)": true,
		"cron(0 9 ? * 3#2 *)":        true,
		"cron(0 9 LW * ? *)":         true,
		"cron(0 2 1 * SUN *)":        false, // both day fields
		"cron(0 2 * * * *)":          false,
		"cron(0 2 ? * * *)":          true,
		"cron(60 2 ? * SUN *)":       false,
		"cron(0 2 ? * SUN)":          false,
		"cron(0 2 ? FOO SUN *)":      false,
		"every sunday":               false,
	} {
		if msg, _ := CheckRecurrence(r); (msg == "") != ok {
			t.Errorf("CheckRecurrence(%q) = %q, want ok=%v", r, msg, ok)
		}
	}
}
