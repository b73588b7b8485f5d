// Package openslo holds the OpenSLO v1 spec as slocatalog reads and writes
// it (github.com/OpenSLO/OpenSLO, README "Object Types"): the object types,
// Read (YAML documents in, objects and problems out), WriteDocuments
// (objects out as a YAML stream), the CloudWatch metric source form, and
// the conventions the importer and exporter share (slocatalog.dev/*
// annotations, duration shorthand). It knows nothing of the catalog; the
// mapping lives in openslo/importer (OpenSLO to catalog) and
// openslo/exporter (planned catalog to OpenSLO).
package openslo

import "gopkg.in/yaml.v3"

// APIVersion is the OpenSLO version this package reads and writes.
const APIVersion = "openslo/v1"

// Object kinds of OpenSLO v1 that slocatalog reads and writes.
const (
	KindService                 = "Service"
	KindSLO                     = "SLO"
	KindSLI                     = "SLI"
	KindAlertPolicy             = "AlertPolicy"
	KindAlertCondition          = "AlertCondition"
	KindAlertNotificationTarget = "AlertNotificationTarget"
	KindDataSource              = "DataSource"
)

// Source says where an object was read: the file, the YAML document in it
// (1-based) and the line of the object's first key.
type Source struct {
	File     string
	Document int
	Line     int
}

// Object is one top-level OpenSLO object as read. Exactly one of the spec
// pointers is set, after its Kind.
type Object struct {
	APIVersion string    `yaml:"apiVersion"`
	Kind       string    `yaml:"kind"`
	Metadata   Metadata  `yaml:"metadata"`
	Spec       yaml.Node `yaml:"spec"`

	Source Source `yaml:"-"`

	Service    *ServiceSpec        `yaml:"-"`
	SLO        *SLOSpec            `yaml:"-"`
	SLI        *SLISpec            `yaml:"-"`
	Policy     *AlertPolicySpec    `yaml:"-"`
	Condition  *AlertConditionSpec `yaml:"-"`
	Target     *TargetSpec         `yaml:"-"`
	DataSource *DataSourceSpec     `yaml:"-"`
}

// Metadata is the metadata of every OpenSLO object. Labels take a string or
// a list of strings per key (both forms occur in OpenSLO's own examples).
type Metadata struct {
	Name        string               `yaml:"name"`
	DisplayName string               `yaml:"displayName,omitempty"`
	Labels      map[string]yaml.Node `yaml:"labels,omitempty"`
	Annotations map[string]string    `yaml:"annotations,omitempty"`
}

// ServiceSpec is the spec of a Service: a grouping of SLOs.
type ServiceSpec struct {
	Description string `yaml:"description,omitempty"`
}

// SLOSpec is the spec of an SLO.
type SLOSpec struct {
	Description     string       `yaml:"description,omitempty"`
	Service         string       `yaml:"service"`
	Indicator       *InlineSLI   `yaml:"indicator,omitempty"`
	IndicatorRef    string       `yaml:"indicatorRef,omitempty"`
	TimeWindow      []TimeWindow `yaml:"timeWindow,omitempty"`
	BudgetingMethod string       `yaml:"budgetingMethod"`
	Objectives      []Objective  `yaml:"objectives"`
	AlertPolicies   []PolicyItem `yaml:"alertPolicies,omitempty"`
}

// InlineSLI is an SLI written inside an SLO (indicator).
type InlineSLI struct {
	Metadata Metadata `yaml:"metadata"`
	Spec     SLISpec  `yaml:"spec"`
}

// SLISpec is the spec of an SLI: a threshold metric or a ratio metric.
type SLISpec struct {
	Description     string        `yaml:"description,omitempty"`
	ThresholdMetric *MetricHolder `yaml:"thresholdMetric,omitempty"`
	RatioMetric     *RatioMetric  `yaml:"ratioMetric,omitempty"`
}

// MetricHolder wraps a metric source, as every metric of an SLI does.
type MetricHolder struct {
	MetricSource MetricSource `yaml:"metricSource"`
}

// MetricSource is a query against a data source. Spec's fields depend on
// the type; for CloudWatch see CloudWatchSpec.
type MetricSource struct {
	MetricSourceRef string    `yaml:"metricSourceRef,omitempty"`
	Type            string    `yaml:"type,omitempty"`
	Spec            yaml.Node `yaml:"spec"`
}

// RatioMetric is good (or bad) over total, or a precomputed raw ratio.
type RatioMetric struct {
	Counter *bool         `yaml:"counter,omitempty"`
	Good    *MetricHolder `yaml:"good,omitempty"`
	Bad     *MetricHolder `yaml:"bad,omitempty"`
	Total   *MetricHolder `yaml:"total,omitempty"`
	RawType string        `yaml:"rawType,omitempty"`
	Raw     *MetricHolder `yaml:"raw,omitempty"`
}

// TimeWindow is a rolling or calendar-aligned compliance window.
type TimeWindow struct {
	Duration  string    `yaml:"duration"`
	IsRolling bool      `yaml:"isRolling"`
	Calendar  *Calendar `yaml:"calendar,omitempty"`
}

// Calendar anchors a calendar-aligned window.
type Calendar struct {
	StartTime string `yaml:"startTime"`
	TimeZone  string `yaml:"timeZone"`
}

// Objective is one threshold of an SLO.
type Objective struct {
	DisplayName     string   `yaml:"displayName,omitempty"`
	Op              string   `yaml:"op,omitempty"`
	Value           *float64 `yaml:"value,omitempty"`
	Target          *float64 `yaml:"target,omitempty"`
	TargetPercent   *float64 `yaml:"targetPercent,omitempty"`
	TimeSliceTarget *float64 `yaml:"timeSliceTarget,omitempty"`
	TimeSliceWindow string   `yaml:"timeSliceWindow,omitempty"`
}

// PolicyItem is an entry of an SLO's alertPolicies: a reference or an
// inline AlertPolicy.
type PolicyItem struct {
	AlertPolicyRef string           `yaml:"alertPolicyRef,omitempty"`
	Kind           string           `yaml:"kind,omitempty"`
	Metadata       *Metadata        `yaml:"metadata,omitempty"`
	Spec           *AlertPolicySpec `yaml:"spec,omitempty"`
}

// AlertPolicySpec is the spec of an AlertPolicy: one condition and where
// its alerts go.
type AlertPolicySpec struct {
	Description         string          `yaml:"description,omitempty"`
	AlertWhenNoData     bool            `yaml:"alertWhenNoData,omitempty"`
	AlertWhenResolved   bool            `yaml:"alertWhenResolved,omitempty"`
	AlertWhenBreaching  bool            `yaml:"alertWhenBreaching,omitempty"`
	Conditions          []ConditionItem `yaml:"conditions"`
	NotificationTargets []TargetItem    `yaml:"notificationTargets"`
}

// ConditionItem is a reference to an AlertCondition or an inline one.
type ConditionItem struct {
	ConditionRef string              `yaml:"conditionRef,omitempty"`
	Kind         string              `yaml:"kind,omitempty"`
	Metadata     *Metadata           `yaml:"metadata,omitempty"`
	Spec         *AlertConditionSpec `yaml:"spec,omitempty"`
}

// AlertConditionSpec is the spec of an AlertCondition.
type AlertConditionSpec struct {
	Description string    `yaml:"description,omitempty"`
	Severity    string    `yaml:"severity"`
	Condition   Condition `yaml:"condition"`
}

// Condition is a burn-rate condition: the burn rate over lookbackWindow
// compared with threshold, holding for alertAfter.
type Condition struct {
	Kind           string  `yaml:"kind"`
	Op             string  `yaml:"op,omitempty"`
	Threshold      float64 `yaml:"threshold"`
	LookbackWindow string  `yaml:"lookbackWindow"`
	AlertAfter     string  `yaml:"alertAfter,omitempty"`
}

// TargetItem is a reference to an AlertNotificationTarget or an inline one.
type TargetItem struct {
	TargetRef string      `yaml:"targetRef,omitempty"`
	Kind      string      `yaml:"kind,omitempty"`
	Metadata  *Metadata   `yaml:"metadata,omitempty"`
	Spec      *TargetSpec `yaml:"spec,omitempty"`
}

// TargetSpec is the spec of an AlertNotificationTarget.
type TargetSpec struct {
	Target      string `yaml:"target"`
	Description string `yaml:"description,omitempty"`
}

// DataSourceSpec is the spec of a DataSource; its connection details are
// not read (credentials stay out of the catalog).
type DataSourceSpec struct {
	Description       string    `yaml:"description,omitempty"`
	Type              string    `yaml:"type"`
	ConnectionDetails yaml.Node `yaml:"connectionDetails,omitempty"`
}
