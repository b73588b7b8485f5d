package check

import (
	"regexp"
	"strings"
	"testing"

	"github.com/slocatalog/slocatalog/names"
)

// TestSLONameFits holds the reason the planner does not check SLO names:
// the longest environment, service and id that Validate accepts make an
// Application Signals SLO name that still matches its pattern.
func TestSLONameFits(t *testing.T) {
	env := "e" + strings.Repeat("9", 15)
	svc := "s" + strings.Repeat("-", 38) + "9"
	id := "i" + strings.Repeat("-", 61) + "9"
	for _, n := range []struct {
		re   interface{ MatchString(string) bool }
		name string
	}{{envNameRE, env}, {serviceNameRE, svc}, {idRE, id}} {
		if !n.re.MatchString(n.name) {
			t.Fatalf("%q should be the longest valid name", n.name)
		}
	}
	if name := names.SLOName(env, svc, id); !appSignalsSLOName.MatchString(name) {
		t.Fatalf("SLO name %q (%d characters) breaks the Application Signals pattern", name, len(name))
	}
}

// appSignalsSLOName is an Application Signals SLO name as
// CreateServiceLevelObjective takes it: its pattern, at most 128 characters.
var appSignalsSLOName = lengthRE{regexp.MustCompile(`^[0-9A-Za-z][-._0-9A-Za-z ]*[0-9A-Za-z]$`), 2, 128}
