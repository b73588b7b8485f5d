package openslo

// Annotations the exporter writes so that an import of an export keeps
// what OpenSLO has no field for. Other tools ignore them.
const (
	AnnotationOwner            = "slocatalog.dev/owner"
	AnnotationTier             = "slocatalog.dev/tier"
	AnnotationRunbook          = "slocatalog.dev/runbook"
	AnnotationLoad             = "slocatalog.dev/load"
	AnnotationMinRequests      = "slocatalog.dev/min-requests"
	AnnotationWarningThreshold = "slocatalog.dev/warning-threshold"
	AnnotationExclusions       = "slocatalog.dev/exclusions"
	AnnotationSecret           = "slocatalog.dev/secret"
	AnnotationChannel          = "slocatalog.dev/channel"
	AnnotationEmails           = "slocatalog.dev/emails"
	AnnotationOpsgenieRegion   = "slocatalog.dev/opsgenie-region"
)

// Exclusion is a maintenance window in the AnnotationExclusions
// annotation, which holds a JSON list of them.
type Exclusion struct {
	Start      string `json:"start"`
	Duration   string `json:"duration"`
	Recurrence string `json:"recurrence,omitempty"`
	Reason     string `json:"reason,omitempty"`
}
