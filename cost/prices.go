package cost

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Price keys: one per billed unit that a plan object makes.
const (
	PriceAlarmMetric        = "cloudwatch.alarm-metric"
	PriceAlarmMetricHighRes = "cloudwatch.alarm-metric-high-resolution"
	PriceCompositeAlarm     = "cloudwatch.composite-alarm"
	PriceDashboard          = "cloudwatch.dashboard"
	PriceAppSignalsSignal   = "applicationsignals.signal"
	PriceCanaryRun          = "synthetics.canary-run"
	PriceRUMEvent           = "rum.event"
	PriceInsightsTrace      = "xray.insights-trace"
	PriceAPIDestination     = "eventbridge.api-destination"
	PriceSNSPublish         = "sns.publish"
	PriceSNSEmail           = "sns.email"
)

// defaultPricesJSON is the dated list-price table shipped with slocat.
//
//go:embed prices.json
var defaultPricesJSON []byte

// Price is one line of a price table: USD per Per units.
type Price struct {
	Key    string  `json:"key"`
	USD    float64 `json:"usd"`
	Per    float64 `json:"per"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
	Note   string  `json:"note,omitempty"`
}

// Each is the price of one unit.
func (p Price) Each() float64 { return p.USD / p.Per }

// Prices is a dated price table for one region.
type Prices struct {
	Region   string  `json:"region"`
	Date     string  `json:"date"`
	Currency string  `json:"currency"`
	Comment  string  `json:"comment,omitempty"`
	Lines    []Price `json:"prices"`
}

// Get returns the price of key. A table missing a key is a programming
// error: DefaultPrices holds every key and overrides only replace lines.
func (p *Prices) Get(key string) Price {
	for _, l := range p.Lines {
		if l.Key == key {
			return l
		}
	}
	panic(fmt.Sprintf("cost: no price %q", key))
}

// DefaultPrices returns the table shipped with slocat (prices.json).
func DefaultPrices() *Prices {
	p, err := parsePrices(defaultPricesJSON, "prices.json")
	if err != nil {
		panic(err) // the embedded table is tested
	}
	return p
}

func parsePrices(b []byte, name string) (*Prices, error) {
	var p Prices
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	seen := map[string]bool{}
	for _, l := range p.Lines {
		switch {
		case l.Key == "":
			return nil, fmt.Errorf("%s: a price has no key", name)
		case seen[l.Key]:
			return nil, fmt.Errorf("%s: price %q is listed twice", name, l.Key)
		case l.USD < 0:
			return nil, fmt.Errorf("%s: price %q is negative", name, l.Key)
		case l.Per <= 0:
			return nil, fmt.Errorf("%s: price %q needs per > 0 (how many units the usd buys)", name, l.Key)
		}
		seen[l.Key] = true
	}
	return &p, nil
}

// Override returns base with the lines of the table in file replacing
// base's lines of the same key; its region, date and currency replace
// base's when set. A key that base does not have is an error (a misspelt
// key would otherwise be ignored silently).
func Override(base *Prices, file string) (*Prices, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	o, err := parsePrices(b, file)
	if err != nil {
		return nil, err
	}
	out := *base
	out.Lines = slices.Clone(base.Lines)
	for _, l := range o.Lines {
		i := slices.IndexFunc(out.Lines, func(b Price) bool { return b.Key == l.Key })
		if i < 0 {
			var keys []string
			for _, b := range base.Lines {
				keys = append(keys, b.Key)
			}
			return nil, fmt.Errorf("%s: unknown price %q (known: %s)", file, l.Key, strings.Join(keys, ", "))
		}
		if l.Source == "" {
			l.Source = file
		}
		if l.Unit == "" {
			l.Unit = out.Lines[i].Unit
		}
		out.Lines[i] = l
	}
	if o.Region != "" {
		out.Region = o.Region
	}
	if o.Date != "" {
		out.Date = o.Date
	}
	if o.Currency != "" {
		out.Currency = o.Currency
	}
	if o.Comment != "" {
		out.Comment = o.Comment
	}
	return &out, nil
}
