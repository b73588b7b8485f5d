package plan

import (
	"fmt"
	"time"

	"github.com/slocatalog/slocatalog/spec"
)

// Burn-rate alerting follows the multi-window, multi-burn-rate method of the
// Google SRE Workbook ("Alerting on SLOs"). A tier fires when both its long and
// its short look-back window burn the error budget faster than
//
//	factor = budget share × SLO window / long window
//
// where the budget share is the part of the whole window's error budget that
// the tier tolerates spending within the long window. Like Sloth, we fix the
// windows (1h/5m, 6h/30m, 1d/2h, 3d/6h) and scale the factors to the SLO
// window; Pyrra instead fixes the factors and scales the windows. Fixed
// windows keep alarms, Application Signals burn-rate configurations and
// runbooks the same across SLOs, which is what an on-call reads at 3 a.m.

// Tier is one resolved burn-rate tier of an SLO.
type Tier struct {
	Severity      string
	Long, Short   time.Duration
	BudgetPercent float64 // share of the window's error budget spent in Long
	Factor        float64 // burn rate that fires the tier
}

// Name identifies the tier in resource names: page-1h-5m.
func (t Tier) Name() string {
	return fmt.Sprintf("%s-%s-%s", t.Severity, spec.FormatDuration(t.Long), spec.FormatDuration(t.Short))
}

// BurnFactor is the burn rate at which spending budgetPercent of the error
// budget of a window of windowHours takes exactly longWindow.
func BurnFactor(budgetPercent, windowHours float64, longWindow time.Duration) float64 {
	return budgetPercent / 100 * windowHours / longWindow.Hours()
}

type tierSpec struct {
	severity    string
	long, short time.Duration
	budget      float64
}

// DefaultTierWindows are the look-back windows of the default tiers.
var defaultWindows = []tierSpec{
	{"page", time.Hour, 5 * time.Minute, 0},
	{"page", 6 * time.Hour, 30 * time.Minute, 0},
	{"ticket", 24 * time.Hour, 2 * time.Hour, 0},
	{"ticket", 72 * time.Hour, 6 * time.Hour, 0},
}

var (
	// The SRE Workbook's shares for a 30-day window (factors 14.4, 6, 3, 1).
	monthShares = []float64{2, 5, 10, 10}
	// Sloth's shares for a 7-day window (factors 13.44, 3.5, 1.4, 0.98).
	weekShares = []float64{8, 12.5, 20, 42}
	// The 30-day factors, kept fixed for other windows.
	monthFactors = []float64{14.4, 6, 3, 1}
)

// DefaultTiers returns the default burn-rate tiers for an SLO window of
// windowHours:
//   - 28 days or longer (and calendar months): budget shares 2%, 5%, 10%, 10%;
//   - exactly 7 days: 8%, 12.5%, 20%, 42% (the set Sloth ships for 7 days);
//   - any other window: the 30-day factors 14.4, 6, 3, 1, with the budget
//     share each implies (factor × long window / SLO window), so no default
//     tier fires at a burn rate below 1. Tiers whose long window is longer
//     than the SLO window are left out.
func DefaultTiers(windowHours float64) []Tier {
	out := make([]Tier, 0, len(defaultWindows))
	for i, w := range defaultWindows {
		if w.long.Hours() > windowHours {
			continue
		}
		var share float64
		switch {
		case windowHours >= 28*24:
			share = monthShares[i]
		case windowHours == 7*24:
			share = weekShares[i]
		default:
			share = monthFactors[i] * w.long.Hours() / windowHours * 100
		}
		out = append(out, Tier{Severity: w.severity, Long: w.long, Short: w.short, BudgetPercent: share, Factor: BurnFactor(share, windowHours, w.long)})
	}
	return out
}

// ErrorBudget is the error budget of an SLO over its window.
type ErrorBudget struct {
	Fraction float64 // 1 − objective
	Minutes  float64 // bad minutes allowed in the window (period-based SLIs)
	Requests float64 // bad requests allowed in the window at the SLO's load; 0 when no load is given
}

// Budget computes the error budget for an objective (in percent) over a
// window of windowHours, at loadRPS requests per second (0 if unknown).
func Budget(objectivePercent, windowHours, loadRPS float64) ErrorBudget {
	f := 1 - objectivePercent/100
	return ErrorBudget{Fraction: f, Minutes: f * windowHours * 60, Requests: f * loadRPS * windowHours * 3600}
}
