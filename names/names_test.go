package names

import "testing"

// TestReservedServiceName: a service named like an environment's routing
// or executive stack is reserved; names that only look alike are not.
func TestReservedServiceName(t *testing.T) {
	for name, want := range map[string]bool{
		"routing": true, "executive-2": true, "executive-10": true,
		"routing-2": false, "executive": false, "executive-x": false, "my-executive-2": false,
	} {
		if got := ReservedServiceName(name); got != want {
			t.Errorf("ReservedServiceName(%q) = %v, want %v", name, got, want)
		}
	}
	if ExecutiveStackName("acme", "prod", 2) != "acme-prod-executive-2" {
		t.Errorf("ExecutiveStackName: %s", ExecutiveStackName("acme", "prod", 2))
	}
}
