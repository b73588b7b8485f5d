package spec

import (
	"time"
)

// ValidAlarmPeriod reports whether CloudWatch takes d as an alarm period.
func ValidAlarmPeriod(d time.Duration) bool {
	return d%time.Second == 0 && (d == 10*time.Second || d == 20*time.Second || d == 30*time.Second || (d >= time.Minute && d%time.Minute == 0))
}

// AlarmSpanLimit is the longest period × evaluation periods CloudWatch accepts.
func AlarmSpanLimit(period time.Duration) time.Duration {
	if period < time.Hour {
		return 24 * time.Hour
	}
	return 7 * 24 * time.Hour
}

// ValidSchedule reports whether d is a canary schedule the catalog takes:
// Synthetics allows rate(1 minute) to rate(60 minutes) and longer; longer
// is too slow to watch a journey.
func ValidSchedule(d time.Duration) bool {
	return d >= time.Minute && d <= time.Hour && d%time.Minute == 0
}

// ValidCanaryTimeout reports whether d is within RunConfig.TimeoutInSeconds,
// 3 to 840 seconds:
// https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CanaryRunConfigInput.html
func ValidCanaryTimeout(d time.Duration) bool {
	return d >= 3*time.Second && d <= 14*time.Minute
}
