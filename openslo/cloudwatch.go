package openslo

import (
	"encoding/json"
	"errors"
	"strings"
)

// AppSignalsNamespace is where Application Signals publishes its service
// metrics, with the dimensions Service, Operation and Environment; a
// CloudWatch source on them maps to an SLI on the operation.
const AppSignalsNamespace = "ApplicationSignals"

// CloudWatchSpec is the spec of a metric source of type CloudWatch, in the
// form OpenSLO implementations use for it (the SLI spec leaves it to them):
// either one metric (namespace, metricName, stat, dimensions) or metric
// math (json: the MetricDataQueries of GetMetricData as a JSON array).
// sql (CloudWatch Metrics Insights) has no catalog counterpart.
type CloudWatchSpec struct {
	Region     string        `yaml:"region,omitempty"`
	AccountID  string        `yaml:"accountId,omitempty"`
	Namespace  string        `yaml:"namespace,omitempty"`
	MetricName string        `yaml:"metricName,omitempty"`
	Stat       string        `yaml:"stat,omitempty"`
	Unit       string        `yaml:"unit,omitempty"`
	Dimensions []CWDimension `yaml:"dimensions,omitempty"`
	SQL        string        `yaml:"sql,omitempty"`
	JSON       string        `yaml:"json,omitempty"`
}

// CWDimension is one CloudWatch dimension.
type CWDimension struct {
	Name  string `yaml:"name"`
	Value string `yaml:"value"`
}

// MetricDataQuery is one entry of the json form of a CloudWatch source,
// with the field names of the GetMetricData API.
type MetricDataQuery struct {
	ID         string      `json:"Id"`
	Expression string      `json:"Expression,omitempty"`
	MetricStat *MetricStat `json:"MetricStat,omitempty"`
	ReturnData *bool       `json:"ReturnData,omitempty"`
	Label      string      `json:"Label,omitempty"`
	Period     int         `json:"Period,omitempty"`
}

// MetricStat is a metric with its period, statistic and unit.
type MetricStat struct {
	Metric CWMetric `json:"Metric"`
	Period int      `json:"Period,omitempty"`
	Stat   string   `json:"Stat"`
	Unit   string   `json:"Unit,omitempty"`
}

// CWMetric is a metric's namespace, name and dimensions in the API's form.
type CWMetric struct {
	Namespace  string         `json:"Namespace"`
	MetricName string         `json:"MetricName"`
	Dimensions []APIDimension `json:"Dimensions,omitempty"`
}

// APIDimension is a dimension in the API's form.
type APIDimension struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// ParseQueries parses the json form of a CloudWatch source, refusing
// fields GetMetricData does not have and an empty list.
func ParseQueries(js string) ([]MetricDataQuery, error) {
	dec := json.NewDecoder(strings.NewReader(js))
	dec.DisallowUnknownFields()
	var qs []MetricDataQuery
	if err := dec.Decode(&qs); err != nil {
		return nil, err
	}
	if len(qs) == 0 {
		return nil, errors.New("no query")
	}
	return qs, nil
}
