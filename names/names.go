package names

import (
	"fmt"
	"regexp"
	"strings"
)

// Names of generated resources. They live here, with no CDK import, so that
// the CLI (validate, rum-snippet) and the CDK constructs agree on them.

// AlarmName is the CloudWatch name of a catalog object's alarm.
func AlarmName(org, env, service, id string) string {
	return strings.Join([]string{org, env, service, id}, "-")
}

// RollupID is the id of a service's roll-up alarm of a severity: the one
// alarm per severity that EventBridge routes to on-call. Catalog objects may
// not use it (see ReservedID).
func RollupID(severity string) string { return "rollup-" + severity }

// TierAlarmSuffix ends the id of a burn-rate tier's alarm,
// <slo>-<tier>-burn (TierAlarmID). The alarm is new in name and logical ID:
// it replaced an AND composite named <slo>-<tier> over two window alarms,
// and reusing that name would collide with the composite still deployed
// while CloudFormation creates the alarm, and reusing its logical ID would
// change a resource's type (a replacement).
const TierAlarmSuffix = "-burn"

// TierAlarmID is the id of the alarm of an SLO's burn-rate tier.
func TierAlarmID(sloID, tierName string) string { return sloID + "-" + tierName + TierAlarmSuffix }

// ReservedID reports whether a catalog id would collide with a roll-up
// alarm's name or CloudFormation logical ID (which drops the dashes).
func ReservedID(id string) bool {
	switch OutputName(id) {
	case "rolluppage", "rollupticket":
		return true
	}
	return false
}

// OverLoadID is the id of an SLO's validated-load alarm, the one that fires
// when traffic stays above the load the SLO states.
func OverLoadID(sloID string) string { return sloID + "-over-load" }

// NoDataID is the id of an SLO's no-data alarm.
func NoDataID(sloID string) string { return sloID + "-no-data" }

// SLOAlarmIDs are the ids of the alarms made for an SLO besides its
// burn-rate tiers; catalog ids of the same service may not take them.
func SLOAlarmIDs(sloID string) []string { return []string{NoDataID(sloID), OverLoadID(sloID)} }

// SLOName is the Application Signals name of an SLO.
func SLOName(env, service, id string) string {
	return strings.Join([]string{env, service, id}, "-")
}

// RuleName is the name of the EventBridge rule that routes a service's
// roll-up alarm of one severity ("-ok" is appended for the rule that
// resolves it).
func RuleName(org, env, service, severity string) string {
	return strings.Join([]string{org, env, service, severity}, "-")
}

// RoutingStackName is the name of an environment's routing stack.
func RoutingStackName(org, env string) string { return fmt.Sprintf("%s-%s-routing", org, env) }

// ExecutiveStackName is the name of an environment's executive stack k
// (k >= 2): it holds pages of the executive latency view that the routing
// stack (stack 1) has no room for (dashboards.ExecutiveStack).
func ExecutiveStackName(org, env string, k int) string {
	return fmt.Sprintf("%s-%s-executive-%d", org, env, k)
}

// ReservedServiceName reports whether a service name would give a service
// stack the name of an environment's routing stack or executive stack.
func ReservedServiceName(name string) bool {
	return name == "routing" || reservedExecutive.MatchString(name)
}

var reservedExecutive = regexp.MustCompile(`^executive-[0-9]+$`)

// ServiceStackName is the name of a service's stack in an environment.
func ServiceStackName(org, env, service string) string {
	return fmt.Sprintf("%s-%s-%s", org, env, service)
}

// RUMName is the AWS name of a catalog app monitor in an environment.
func RUMName(env, name string) string { return fmt.Sprintf("%s-%s", env, name) }

// RUM stack output suffixes; the output is OutputName(monitor + suffix).
const (
	OutputAppMonitorID = "AppMonitorId"
	OutputIdentityPool = "IdentityPoolId"
	OutputGuestRoleArn = "GuestRoleArn"
	OutputRUMRegion    = "Region"
)

// OutputName makes an id usable as a CloudFormation output name (letters and digits).
func OutputName(s string) string {
	out := make([]rune, 0, len(s))
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
			out = append(out, c)
		}
	}
	return string(out)
}
