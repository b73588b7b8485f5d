// Package backtest replays a catalog's alarms and burn-rate tiers over metric
// series a user exported from CloudWatch: which pages and tickets would have
// fired, when, and for how long. It reads the exports (the JSON of
// `aws cloudwatch get-metric-data`, or a CSV of timestamp,value), maps each
// alarm and tier of one environment's plan to the series it reads, and
// evaluates them with package alarmeval.
package backtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/slocatalog/slocatalog/internal/alarmeval"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// Key names a metric series as the exports label it: the statistic, the
// namespace and name, and the dimensions in name order, e.g.
//
//	p99 AWS/ApplicationELB/TargetResponseTime LoadBalancer=app/browse-prod/50dc6c495c0c9188
//
// `slocat backtest --queries` writes the get-metric-data queries with these
// labels, so the export names its series without a mapping file.
func Key(m plan.Metric, stat string) string {
	var b strings.Builder
	b.WriteString(stat)
	b.WriteByte(' ')
	b.WriteString(m.Namespace)
	b.WriteByte('/')
	b.WriteString(m.Name)
	dims := append([]plan.Dimension(nil), m.Dimensions...)
	sort.Slice(dims, func(i, j int) bool { return dims[i].Name < dims[j].Name })
	for _, d := range dims {
		fmt.Fprintf(&b, " %s=%s", d.Name, d.Value)
	}
	return b.String()
}

// Data is the exported series by key, each in time order.
type Data struct {
	Series     map[string]alarmeval.Series
	Start, End time.Time // first datapoint; end of the last datapoint's minute
	// PublishedObjectives holds, by SLO name, the objective (percent) that
	// Application Signals computed the exported BurnRate series for: what
	// was deployed. A tier of an SLO whose objective differs reads the burn
	// rates rescaled to its own error budget. Empty: the replayed catalog's
	// own objectives.
	PublishedObjectives map[string]float64
}

// PublishedBy records that the BurnRate series were published for the
// objectives of env's SLOs.
func (d *Data) PublishedBy(env *plan.Environment) {
	d.PublishedObjectives = map[string]float64{}
	for _, s := range env.Services {
		for _, x := range s.SLOs {
			d.PublishedObjectives[x.Name] = x.Objective
		}
	}
}

// metricData is the part of get-metric-data's output that is read:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
// (MetricDataResults: Id, Label, Timestamps, Values, StatusCode). The AWS
// CLI writes timestamps as ISO 8601 strings and, by default, newest first.
type metricData struct {
	MetricDataResults []struct {
		ID         string    `json:"Id"`
		Label      string    `json:"Label"`
		Timestamps []string  `json:"Timestamps"`
		Values     []float64 `json:"Values"`
		StatusCode string    `json:"StatusCode"`
	} `json:"MetricDataResults"`
}

// ReadFiles reads exports: get-metric-data JSON (any name not ending in
// .csv) or CSV files. A series named in two files is an error.
func ReadFiles(paths []string) (*Data, error) {
	d := &Data{Series: map[string]alarmeval.Series{}}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		var got map[string]alarmeval.Series
		if strings.EqualFold(filepath.Ext(p), ".csv") {
			got, err = ReadCSV(f)
		} else {
			got, err = ReadMetricData(f)
		}
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for k, s := range got {
			if _, dup := d.Series[k]; dup {
				return nil, fmt.Errorf("%s: series %q is given twice", p, k)
			}
			d.Series[k] = s
		}
	}
	d.span()
	return d, nil
}

// span sets Start and End from the series.
func (d *Data) span() {
	for _, s := range d.Series {
		if len(s) == 0 {
			continue
		}
		first, last := s[0].Time, s[len(s)-1].Time.Add(time.Minute)
		if d.Start.IsZero() || first.Before(d.Start) {
			d.Start = first
		}
		if last.After(d.End) {
			d.End = last
		}
	}
}

// ReadMetricData reads the JSON that `aws cloudwatch get-metric-data`
// writes. Each result is keyed by its Label (see Key); a result whose
// StatusCode is PartialData is refused, because the rest of it is missing
// from the file, not from CloudWatch.
func ReadMetricData(r io.Reader) (map[string]alarmeval.Series, error) {
	var md metricData
	if err := json.NewDecoder(r).Decode(&md); err != nil {
		return nil, fmt.Errorf("not get-metric-data output: %w", err)
	}
	if len(md.MetricDataResults) == 0 {
		return nil, fmt.Errorf("no MetricDataResults")
	}
	out := map[string]alarmeval.Series{}
	for _, res := range md.MetricDataResults {
		if res.StatusCode == "PartialData" {
			return nil, fmt.Errorf("result %s (%s) is PartialData: export again with pagination (the AWS CLI pages for you unless --no-paginate)", res.ID, res.Label)
		}
		if len(res.Timestamps) != len(res.Values) {
			return nil, fmt.Errorf("result %s has %d timestamps and %d values", res.ID, len(res.Timestamps), len(res.Values))
		}
		if _, dup := out[res.Label]; dup {
			return nil, fmt.Errorf("two results are labelled %q", res.Label)
		}
		s := make(alarmeval.Series, len(res.Values))
		for i, ts := range res.Timestamps {
			t, err := time.Parse(time.RFC3339, ts)
			if err != nil {
				return nil, fmt.Errorf("result %s: timestamp %q: %w", res.ID, ts, err)
			}
			s[i] = alarmeval.Point{Time: t.UTC(), Value: res.Values[i]}
		}
		out[res.Label] = s.Sorted()
	}
	return out, nil
}

// ReadCSV reads one series as CSV: a first line "# label: KEY" naming it
// (see Key), an optional header "timestamp,value", then one line per
// datapoint with an RFC 3339 timestamp or Unix seconds and the value.
func ReadCSV(r io.Reader) (map[string]alarmeval.Series, error) {
	sc := bufio.NewScanner(r)
	var label string
	var s alarmeval.Series
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(text, "#"); ok {
			if l, ok := strings.CutPrefix(strings.TrimSpace(rest), "label:"); ok && label == "" {
				label = strings.TrimSpace(l)
			}
			continue
		}
		if strings.EqualFold(text, "timestamp,value") {
			continue
		}
		ts, val, ok := strings.Cut(text, ",")
		if !ok {
			return nil, fmt.Errorf("line %d: want timestamp,value", line)
		}
		t, err := parseTime(strings.TrimSpace(ts))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: value %q is not a number", line, val)
		}
		s = append(s, alarmeval.Point{Time: t, Value: v})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if label == "" {
		return nil, fmt.Errorf(`no "# label: KEY" line names the series (slocat backtest --queries prints the keys)`)
	}
	return map[string]alarmeval.Series{label: s.Sorted()}, nil
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("timestamp %q is neither RFC 3339 nor Unix seconds", s)
}

// Query is one entry of get-metric-data's --metric-data-queries.
type Query struct {
	ID         string     `json:"Id"`
	Label      string     `json:"Label"`
	MetricStat MetricStat `json:"MetricStat"`
	ReturnData bool       `json:"ReturnData"`
}

// MetricStat is a query's metric, period and statistic.
type MetricStat struct {
	Metric struct {
		Namespace  string      `json:"Namespace"`
		MetricName string      `json:"MetricName"`
		Dimensions []Dimension `json:"Dimensions,omitempty"`
	} `json:"Metric"`
	Period int    `json:"Period"`
	Stat   string `json:"Stat"`
}

// Dimension is a metric dimension in the API's spelling.
type Dimension struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// Queries returns the get-metric-data queries that export every series the
// environment's alarms and tiers read, labelled with their keys, one a
// minute (a percentile at its alarm's or SLI's period: finer percentiles do
// not add up to it). Latency SLIs are included: without the BurnRate
// series, their tiers are replayed from them.
func Queries(env *plan.Environment) []Query {
	var out []Query
	seen := map[string]bool{}
	for _, t := range Targets(env) {
		for _, in := range append(t.Inputs, t.FromSLI...) {
			k := Key(in.Metric, in.Stat)
			if seen[k] {
				continue
			}
			seen[k] = true
			q := Query{ID: fmt.Sprintf("m%d", len(out)+1), Label: k, ReturnData: true}
			q.MetricStat.Metric.Namespace = in.Metric.Namespace
			q.MetricStat.Metric.MetricName = in.Metric.Name
			for _, d := range in.Metric.Dimensions {
				q.MetricStat.Metric.Dimensions = append(q.MetricStat.Metric.Dimensions, Dimension{d.Name, d.Value})
			}
			q.MetricStat.Period = 60
			if spec.Statistic(in.Stat).IsPercentile() {
				q.MetricStat.Period = in.Period
			}
			q.MetricStat.Stat = in.Stat
			out = append(out, q)
		}
	}
	return out
}
