package diag

import (
	"testing"
)

func TestSuggest(t *testing.T) {
	keys := []string{"objective", "window", "alerting", "goal", "id", "sli"}
	for in, want := range map[string]string{"objectve": "objective", "objetcive": "objective", "widnow": "window", "alertng": "alerting", "gaol": "goal", "xyzzy": "", "i": ""} {
		if got := Suggest(in, keys); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
