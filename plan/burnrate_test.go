package plan

import (
	"math"
	"testing"
	"time"
)

func TestDefaultTierFactors(t *testing.T) {
	tests := []struct {
		window  float64 // hours
		factors []float64
		budgets []float64
	}{
		{30 * 24, []float64{14.4, 6, 3, 1}, []float64{2, 5, 10, 10}},
		{28 * 24, []float64{13.44, 5.6, 2.8, 28.0 / 30}, []float64{2, 5, 10, 10}},
		{7 * 24, []float64{13.44, 3.5, 1.4, 0.98}, []float64{8, 12.5, 20, 42}},
		// Other windows keep the 30-day factors; the budget share follows.
		{14 * 24, []float64{14.4, 6, 3, 1}, []float64{14.4 / 336 * 100, 36.0 / 336 * 100, 72.0 / 336 * 100, 72.0 / 336 * 100}},
	}
	for _, tt := range tests {
		got := DefaultTiers(tt.window)
		if len(got) != len(tt.factors) {
			t.Fatalf("window %gh: %d tiers, want %d", tt.window, len(got), len(tt.factors))
		}
		for i, tier := range got {
			if math.Abs(tier.Factor-tt.factors[i]) > 1e-9 {
				t.Errorf("window %gh tier %s: factor %.12g, want %.12g", tt.window, tier.Name(), tier.Factor, tt.factors[i])
			}
			if math.Abs(tier.BudgetPercent-tt.budgets[i]) > 1e-9 {
				t.Errorf("window %gh tier %s: budget %.12g%%, want %.12g%%", tt.window, tier.Name(), tier.BudgetPercent, tt.budgets[i])
			}
		}
	}
}

func TestDefaultTierWindowsAndSeverities(t *testing.T) {
	want := []string{"page-1h-5m", "page-6h-30m", "ticket-1d-2h", "ticket-3d-6h"}
	for i, tier := range DefaultTiers(30 * 24) {
		if tier.Name() != want[i] {
			t.Errorf("tier %d is %s, want %s", i, tier.Name(), want[i])
		}
	}
	// A 2-day window cannot hold a 3-day look-back: that tier is left out.
	short := DefaultTiers(48)
	if len(short) != 3 || short[2].Long != 24*time.Hour {
		t.Errorf("2-day window: got %+v", short)
	}
	for _, tier := range short {
		if tier.Factor < 1 {
			t.Errorf("derived tier %s fires below a burn rate of 1 (%g)", tier.Name(), tier.Factor)
		}
	}
}

func TestBudget(t *testing.T) {
	b := Budget(99.9, 30*24, 0)
	if math.Abs(b.Minutes-43.2) > 1e-9 {
		t.Errorf("99.9%% over 30d: %g minutes, want 43.2", b.Minutes)
	}
	b = Budget(99.5, 28*24, 8000)
	if math.Abs(b.Minutes-201.6) > 1e-9 {
		t.Errorf("99.5%% over 28d: %g minutes, want 201.6", b.Minutes)
	}
	// 0.5% of 8,000 rps over 28 days.
	if want := 0.005 * 8000 * 28 * 86400; math.Abs(b.Requests-want) > 1e-3 {
		t.Errorf("requests %g, want %g", b.Requests, want)
	}
	if b := Budget(99, 7*24, 0); math.Abs(b.Minutes-100.8) > 1e-9 {
		t.Errorf("99%% over 7d: %g minutes, want 100.8", b.Minutes)
	}
}
