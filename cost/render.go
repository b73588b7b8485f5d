package cost

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Formats are the output formats of WriteReport.
var Formats = []string{"text", "markdown", "json"}

// WriteReport writes the report in format (text, markdown or json).
func WriteReport(w io.Writer, r *Report, format string) error {
	switch format {
	case "text":
		return writeText(w, r)
	case "markdown":
		return writeMarkdown(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(jsonReport(r))
	}
	return fmt.Errorf("unknown format %q: %s", format, strings.Join(Formats, ", "))
}

// priceText is a price as a person reads it: "0.10 per alarm metric-month",
// "1.00 per 100,000 RUM events".
func (r *Report) priceText(key string) string {
	p := r.Prices.Get(key)
	usd := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.6f", p.USD), "0"), ".")
	if !strings.Contains(usd, ".") {
		usd += ".00"
	} else if len(usd)-strings.Index(usd, ".") == 2 {
		usd += "0"
	}
	if p.Per == 1 {
		return fmt.Sprintf("%s per %s", usd, p.Unit)
	}
	return fmt.Sprintf("%s per %s %s", usd, formatCount(p.Per), p.Unit)
}

func (r *Report) heading() string {
	return fmt.Sprintf("Monthly AWS cost of %s, in %s at %s prices of %s (a month is %d hours)", r.Org, r.Prices.Currency, r.Prices.Region, r.Prices.Date, r.MonthHours)
}

func quantityText(l Line) string {
	q := formatCount(l.Quantity)
	if l.Assumed {
		q += "*"
	}
	return q
}

func writeText(w io.Writer, r *Report) error {
	fmt.Fprintln(w, r.heading())
	for _, e := range r.Environments {
		for _, s := range e.Services {
			fmt.Fprintf(w, "\n%s / %s\n", e.Name, s.Name)
			rows := [][]string{{"object", "item", "quantity", "monthly", "price", "basis"}}
			for _, l := range s.Lines {
				rows = append(rows, []string{l.Object, l.Item, quantityText(l), FormatCents(l.Cents), r.priceText(l.Price), l.Basis})
			}
			rows = append(rows, []string{"total", "", "", FormatCents(s.Cents), "", ""})
			writeColumns(w, rows, []bool{false, false, true, true, false, false})
		}
		fmt.Fprintf(w, "\n%s (%s) total: %s\n", e.Name, e.Region, FormatCents(e.Cents))
	}
	fmt.Fprintf(w, "\nTotal: %s %s a month\n", FormatCents(r.Cents), r.Prices.Currency)
	writeNotes(w, r, "")
	return nil
}

// writeColumns writes rows as columns two spaces apart, indented by two;
// right[i] aligns column i to the right. Widths count runes, so "×" is one.
func writeColumns(w io.Writer, rows [][]string, right []bool) {
	widths := make([]int, len(right))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func writeNotes(w io.Writer, r *Report, bullet string) {
	if len(r.Assumed) > 0 {
		fmt.Fprintln(w, "\nAssumed (quantities that rest on an assumption are marked *):")
		for _, a := range r.Assumed {
			fmt.Fprintf(w, "%s  - %s\n", bullet, a)
		}
	}
	fmt.Fprintln(w, "\nNot counted:")
	for _, n := range r.NotCounted {
		fmt.Fprintf(w, "%s  - %s\n", bullet, n)
	}
	fmt.Fprintf(w, "\nPrices: %s, %s; each line's source page and note are in --format json (defaults: cost/prices.json; --prices FILE replaces lines).\n", r.Prices.Region, r.Prices.Date)
}

func writeMarkdown(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "## %s\n", r.heading())
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for _, e := range r.Environments {
		fmt.Fprintf(w, "\n### %s (%s): %s\n", e.Name, e.Region, FormatCents(e.Cents))
		for _, s := range e.Services {
			fmt.Fprintf(w, "\n#### %s / %s: %s\n\n", e.Name, s.Name, FormatCents(s.Cents))
			fmt.Fprintln(w, "| object | item | quantity | monthly | price | basis |")
			fmt.Fprintln(w, "|---|---|--:|--:|---|---|")
			for _, l := range s.Lines {
				fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", esc(l.Object), esc(l.Item), quantityText(l), FormatCents(l.Cents), esc(r.priceText(l.Price)), esc(l.Basis))
			}
			fmt.Fprintf(w, "| **total** | | | **%s** | | |\n", FormatCents(s.Cents))
		}
	}
	fmt.Fprintf(w, "\n**Total: %s %s a month**\n", FormatCents(r.Cents), r.Prices.Currency)
	writeNotes(w, r, "")
	return nil
}

// jsonReport adds dollar strings beside the cents, so a reader of the JSON
// need not divide.
func jsonReport(r *Report) any {
	type line struct {
		Line
		USD string `json:"usd"`
	}
	type service struct {
		Name  string `json:"name"`
		Lines []line `json:"lines"`
		Cents int64  `json:"cents"`
		USD   string `json:"usd"`
	}
	type env struct {
		Name     string    `json:"name"`
		Region   string    `json:"region"`
		Services []service `json:"services"`
		Cents    int64     `json:"cents"`
		USD      string    `json:"usd"`
	}
	out := struct {
		Org          string   `json:"org"`
		Prices       *Prices  `json:"prices"`
		MonthHours   int      `json:"monthHours"`
		Environments []env    `json:"environments"`
		Cents        int64    `json:"cents"`
		USD          string   `json:"usd"`
		Assumed      []string `json:"assumed"`
		NotCounted   []string `json:"notCounted"`
	}{Org: r.Org, Prices: r.Prices, MonthHours: r.MonthHours, Cents: r.Cents, USD: FormatCents(r.Cents), Assumed: r.Assumed, NotCounted: r.NotCounted}
	if out.Assumed == nil {
		out.Assumed = []string{}
	}
	for _, e := range r.Environments {
		je := env{Name: e.Name, Region: e.Region, Cents: e.Cents, USD: FormatCents(e.Cents), Services: []service{}}
		for _, s := range e.Services {
			js := service{Name: s.Name, Cents: s.Cents, USD: FormatCents(s.Cents), Lines: []line{}}
			for _, l := range s.Lines {
				js.Lines = append(js.Lines, line{l, FormatCents(l.Cents)})
			}
			je.Services = append(je.Services, js)
		}
		out.Environments = append(out.Environments, je)
	}
	return out
}
