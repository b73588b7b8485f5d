package dashboards

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"
)

// Preview scale: pixels per grid unit across and down.
const (
	PreviewUnitWidth  = 48
	PreviewUnitHeight = 28
)

// Preview renders a dashboard body's layout as a self-contained HTML page
// for people reviewing a change: one box per widget at its place on the
// grid, with its type, title, metrics and threshold lines. It shows what
// the body says, not data. It returns the page and its size in pixels.
func Preview(name, body string) (page string, width, height int, err error) {
	var b Body
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return "", 0, 0, fmt.Errorf("dashboard %s: %w", name, err)
	}
	rows := 0
	for _, w := range b.Widgets {
		rows = max(rows, w.Y+w.Height)
	}
	width, height = GridWidth*PreviewUnitWidth, rows*PreviewUnitHeight
	var s strings.Builder
	fmt.Fprintf(&s, `<!doctype html>
<html><head><meta charset="utf-8"><title>%s</title><style>
body{margin:0;font:12px/1.35 system-ui,sans-serif;background:#f2f3f3}
#grid{position:relative;width:%dpx;height:%dpx}
.w{position:absolute;box-sizing:border-box;border:1px solid #aab7b8;border-radius:4px;background:#fff;padding:4px 6px;overflow:hidden}
.w.text{background:#fafafa}.w.alarm{background:#fff7e6}
.t{font-weight:600;margin-bottom:2px}.k{color:#687078;font-size:10px;text-transform:uppercase}
.m{color:#0b5394;overflow-wrap:anywhere}.a{color:#c7254e}
</style></head><body><div id="grid">
`, html.EscapeString(name), width, height)
	for _, w := range b.Widgets {
		fmt.Fprintf(&s, `<div class="w %s" style="left:%dpx;top:%dpx;width:%dpx;height:%dpx"><div class="k">%s</div><div class="t">%s</div>`,
			html.EscapeString(w.Type), w.X*PreviewUnitWidth, w.Y*PreviewUnitHeight, w.Width*PreviewUnitWidth, w.Height*PreviewUnitHeight,
			html.EscapeString(w.Type), html.EscapeString(widgetTitle(w)))
		for _, line := range widgetLines(w) {
			fmt.Fprintf(&s, `<div class="%s">%s</div>`, line[0], html.EscapeString(line[1]))
		}
		s.WriteString("</div>\n")
	}
	s.WriteString("</div></body></html>\n")
	return s.String(), width, height, nil
}

func widgetTitle(w Widget) string {
	if t, ok := w.Properties["title"].(string); ok {
		return t
	}
	if md, ok := w.Properties["markdown"].(string); ok {
		first, _, _ := strings.Cut(md, "\n")
		return plain(strings.TrimLeft(first, "# "))
	}
	return ""
}

// widgetLines are a widget's contents as (class, text): metrics and
// expressions, threshold lines, alarms, or the rest of a text widget.
func widgetLines(w Widget) [][2]string {
	var out [][2]string
	if rows, ok := w.Properties["metrics"].([]any); ok {
		for _, r := range rows {
			row, _ := r.([]any)
			var parts []string
			label := ""
			for _, v := range row {
				switch v := v.(type) {
				case string:
					parts = append(parts, v)
				case map[string]any:
					if e, ok := v["expression"].(string); ok {
						parts = append(parts, "= "+e)
					}
					if st, ok := v["stat"].(string); ok {
						label = " [" + st + "]"
					}
				}
			}
			out = append(out, [2]string{"m", strings.Join(parts, " ") + label})
		}
	}
	if ann, ok := w.Properties["annotations"].(map[string]any); ok {
		hs, _ := ann["horizontal"].([]any)
		for _, h := range hs {
			h, _ := h.(map[string]any)
			out = append(out, [2]string{"a", fmt.Sprintf("— %v: %v", h["label"], h["value"])})
		}
	}
	if alarms, ok := w.Properties["alarms"].([]any); ok {
		out = append(out, [2]string{"a", fmt.Sprintf("%d alarms", len(alarms))})
		for _, a := range alarms {
			s, _ := a.(string)
			out = append(out, [2]string{"m", s[strings.LastIndex(s, ":")+1:]})
		}
	}
	if md, ok := w.Properties["markdown"].(string); ok {
		_, rest, _ := strings.Cut(md, "\n")
		for _, l := range strings.Split(rest, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, [2]string{"", plain(l)})
			}
		}
	}
	return out
}

// plain drops Markdown emphasis and code marks.
func plain(s string) string { return strings.NewReplacer("**", "", "`", "").Replace(s) }
