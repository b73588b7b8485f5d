package check

import (
	"strings"
	"testing"
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
		msg, _, off := filterProblem(f)
		if off != want || (want >= 0) != (msg != "") {
			t.Errorf("filterProblem(%q) = %q at %d, want offset %d", f, msg, off, want)
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
		if msg, _, off := filterProblem(f); msg != "" {
			t.Errorf("filterProblem(%q) = %q at %d, want it accepted", f, msg, off)
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
		msg, _, off := filterProblem(f)
		if msg == "" || off != want {
			t.Errorf("filterProblem(%q) = %q at %d, want an error at %d", f, msg, off, want)
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
		if msg, _ := recurrenceProblem(r); (msg == "") != ok {
			t.Errorf("recurrenceProblem(%q) = %q, want ok=%v", r, msg, ok)
		}
	}
}
