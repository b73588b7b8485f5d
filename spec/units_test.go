package spec

import (
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func scalarNode(s string) *yaml.Node {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(s), &n); err != nil {
		panic(err)
	}
	return n.Content[0]
}

func TestDuration(t *testing.T) {
	ok := map[string]time.Duration{"300ms": 300 * time.Millisecond, "2s": 2 * time.Second, "1.5s": 1500 * time.Millisecond, "5m": 5 * time.Minute, "28d": 28 * 24 * time.Hour, "1w": 7 * 24 * time.Hour}
	for in, want := range ok {
		var d Duration
		if err := d.SetScalar(scalarNode(in)); err != nil || d.D() != want {
			t.Errorf("%s: got %v, %v; want %v", in, d.D(), err, want)
		}
		if got := FormatDuration(want); in != "1.5s" && in != "1w" && got != in {
			t.Errorf("FormatDuration(%v) = %s, want %s", want, got, in)
		}
	}
	for _, in := range []string{"300", "3 parsecs", "ms", "-5s", "1e9d"} {
		var d Duration
		if err := d.SetScalar(scalarNode(in)); err == nil {
			t.Errorf("%s: accepted as %v", in, d.D())
		}
	}
	var d Duration
	err := d.SetScalar(scalarNode("300"))
	if h, ok := err.(*ValueError); !ok || h.Hint != "add a unit, e.g. 300s or 300ms" {
		t.Errorf("bare number: hint %v", err)
	}
}

func TestPercentAndPercentile(t *testing.T) {
	var p Percent
	if err := p.SetScalar(scalarNode("99.95%")); err != nil || p != 99.95 {
		t.Errorf("99.95%%: %v %v", p, err)
	}
	err := p.SetScalar(scalarNode("0.999"))
	if h, ok := err.(*ValueError); !ok || h.Hint != "write 99.9%" {
		t.Errorf("0.999: %v", err)
	}
	for in, ok := range map[string]bool{"p50": true, "p99": true, "p99.9": true, "p99.99": true, "P99": false, "99": false, "p0": false, "p100": false, "tm99": false} {
		var q Percentile
		if err := q.SetScalar(scalarNode(in)); (err == nil) != ok {
			t.Errorf("percentile %s: err %v, want ok=%v", in, err, ok)
		}
	}
}

func TestThresholdUnits(t *testing.T) {
	var th Threshold
	if err := th.SetScalar(scalarNode("300ms")); err != nil {
		t.Fatal(err)
	}
	for unit, want := range map[string]float64{"Seconds": 0.3, "Milliseconds": 300, "Microseconds": 300000, "": 300} {
		if got, err := th.In(unit); err != nil || got != want {
			t.Errorf("300ms in %q: %v %v, want %v", unit, got, err, want)
		}
	}
	if _, err := th.In("Count"); err == nil {
		t.Error("a duration threshold on a Count metric was accepted")
	}
	if err := th.SetScalar(scalarNode("8,000")); err != nil || th.Value != 8000 || th.IsDur {
		t.Errorf("8,000: %+v %v", th, err)
	}
}
