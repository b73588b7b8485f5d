package plandiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/slocatalog/slocatalog/internal/generated"
)

// Text writes the diff for a terminal: one block per environment, one
// line per change, what follows from it on the lines below marked ⇒.
func (d *Diff) Text(w io.Writer) error {
	var b strings.Builder
	if d.Empty() {
		b.WriteString("no changes\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	if f := d.OrgChange; f != nil {
		fmt.Fprintf(&b, "org: %s → %s (every resource is renamed)\n", f.Old, f.New)
	}
	for _, e := range d.Environments {
		fmt.Fprintf(&b, "%s environment %s\n", mark(e.Change), e.Name)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "    %s\n", fieldText(f))
		}
		for _, r := range e.Routes {
			objectText(&b, "  ", r)
		}
		for _, x := range e.Dashboards {
			objectText(&b, "  ", x)
		}
		for _, s := range e.Services {
			fmt.Fprintf(&b, "  %s service %s", mark(s.Change), s.Name)
			if s.Summary != "" {
				fmt.Fprintf(&b, ": %s", s.Summary)
			}
			b.WriteString("\n")
			for _, f := range s.Fields {
				fmt.Fprintf(&b, "      %s\n", fieldText(f))
			}
			for _, x := range s.Effects {
				fmt.Fprintf(&b, "      ⇒ %s\n", x)
			}
			alarmsText(&b, "      ", s.AlarmsAdded, s.AlarmsRemoved)
			for _, o := range s.Objects {
				objectText(&b, "    ", o)
			}
		}
		if e.Cost != nil {
			fmt.Fprintf(&b, "  monthly cost: %s\n", e.Cost.text())
		}
		if len(e.Stacks) > 0 {
			b.WriteString("  stacks:\n")
			for _, s := range e.Stacks {
				fmt.Fprintf(&b, "    %s %s\n", s.Change, s.Name)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mark(c Change) string {
	switch c {
	case Added:
		return "+"
	case Removed:
		return "-"
	}
	return "~"
}

func fieldText(f Field) string {
	s := fmt.Sprintf("%s: %s → %s", f.Name, orNone(f.Old), orNone(f.New))
	if f.From != "" {
		s += " (from " + f.From + ")"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func objectText(b *strings.Builder, indent string, o *ObjectDiff) {
	fmt.Fprintf(b, "%s%s %s %s", indent, mark(o.Change), KindName(o.Kind), o.ID)
	if o.Summary != "" {
		fmt.Fprintf(b, ": %s", o.Summary)
	}
	if o.Stack != "" {
		fmt.Fprintf(b, " [%s]", o.Stack)
	}
	b.WriteString("\n")
	for _, f := range o.Fields {
		fmt.Fprintf(b, "%s    %s\n", indent, fieldText(f))
	}
	for _, x := range o.Effects {
		fmt.Fprintf(b, "%s    ⇒ %s\n", indent, x)
	}
	alarmsText(b, indent+"    ", o.AlarmsAdded, o.AlarmsRemoved)
}

func alarmsText(b *strings.Builder, indent string, added, removed []string) {
	for _, a := range added {
		fmt.Fprintf(b, "%s+ alarm %s\n", indent, a)
	}
	for _, a := range removed {
		fmt.Fprintf(b, "%s- alarm %s\n", indent, a)
	}
}

// Markdown writes the diff as a pull-request comment: a heading per
// environment, a list item per change.
func (d *Diff) Markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### slocat diff: %s\n\n", d.Org)
	if d.Empty() {
		b.WriteString("No changes to what the catalog makes.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "%s.\n\n", d.counts())
	if f := d.OrgChange; f != nil {
		fmt.Fprintf(&b, "- org: %s → %s (every resource is renamed)\n\n", code(f.Old), code(f.New))
	}
	for _, e := range d.Environments {
		fmt.Fprintf(&b, "#### Environment %s (%s)\n\n", code(e.Name), e.Change)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "- %s\n", fieldMarkdown(f))
		}
		for _, r := range e.Routes {
			objectMarkdown(&b, r)
		}
		for _, x := range e.Dashboards {
			objectMarkdown(&b, x)
		}
		if len(e.Fields)+len(e.Routes)+len(e.Dashboards) > 0 {
			b.WriteString("\n")
		}
		for _, s := range e.Services {
			fmt.Fprintf(&b, "**Service %s** (%s)", code(s.Name), s.Change)
			if s.Summary != "" {
				fmt.Fprintf(&b, ": %s", escape(s.Summary))
			}
			b.WriteString("\n\n")
			for _, f := range s.Fields {
				fmt.Fprintf(&b, "- %s\n", fieldMarkdown(f))
			}
			for _, x := range s.Effects {
				fmt.Fprintf(&b, "- ⇒ %s\n", escape(x))
			}
			alarmsMarkdown(&b, "- ", s.AlarmsAdded, s.AlarmsRemoved)
			for _, o := range s.Objects {
				objectMarkdown(&b, o)
			}
			if len(s.Fields)+len(s.Effects)+len(s.AlarmsAdded)+len(s.AlarmsRemoved)+len(s.Objects) > 0 {
				b.WriteString("\n")
			}
		}
		if e.Cost != nil {
			fmt.Fprintf(&b, "Monthly cost: %s.\n\n", escape(e.Cost.text()))
		}
		if len(e.Stacks) > 0 {
			b.WriteString("Stacks:")
			for i, s := range e.Stacks {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, " %s %s", s.Change, code(s.Name))
			}
			b.WriteString("\n\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fieldMarkdown(f Field) string {
	s := fmt.Sprintf("%s: %s → **%s**", escape(f.Name), codeOrNone(f.Old), codeOrNone(f.New))
	if f.From != "" {
		s += " (from " + escape(f.From) + ")"
	}
	return s
}

func codeOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return code(s)
}

func objectMarkdown(b *strings.Builder, o *ObjectDiff) {
	fmt.Fprintf(b, "- %s %s %s", o.Change, KindName(o.Kind), code(o.ID))
	if o.Summary != "" {
		fmt.Fprintf(b, ": %s", escape(o.Summary))
	}
	if o.Stack != "" {
		fmt.Fprintf(b, " (stack %s)", code(o.Stack))
	}
	b.WriteString("\n")
	for _, f := range o.Fields {
		fmt.Fprintf(b, "  - %s\n", fieldMarkdown(f))
	}
	for _, x := range o.Effects {
		fmt.Fprintf(b, "  - ⇒ %s\n", escape(x))
	}
	alarmsMarkdown(b, "  - ", o.AlarmsAdded, o.AlarmsRemoved)
}

func alarmsMarkdown(b *strings.Builder, prefix string, added, removed []string) {
	for _, a := range added {
		fmt.Fprintf(b, "%salarm added: %s\n", prefix, code(a))
	}
	for _, a := range removed {
		fmt.Fprintf(b, "%salarm removed: %s\n", prefix, code(a))
	}
}

func code(s string) string { return generated.MarkdownCode(s) }

func escape(s string) string { return generated.MarkdownText(s) }

// JSON writes the diff as one JSON document.
func (d *Diff) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// counts says in one line how much changes: "3 objects change in 2
// environments; stacks: 2 to update, 1 to create".
func (d *Diff) counts() string {
	objects := 0
	stacks := map[string]int{}
	for _, e := range d.Environments {
		objects += len(e.Routes) + len(e.Dashboards)
		for _, s := range e.Services {
			if s.Change != Changed {
				objects++
				continue
			}
			objects += len(s.Objects)
			if len(s.Fields) > 0 {
				objects++
			}
		}
		for _, s := range e.Stacks {
			stacks[s.Change]++
		}
	}
	line := fmt.Sprintf("%d %s in %d %s", objects, pluralWord(objects, "change", "changes"), len(d.Environments), pluralWord(len(d.Environments), "environment", "environments"))
	var parts []string
	for _, c := range []string{"update", "create", "delete"} {
		if stacks[c] > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", stacks[c], c))
		}
	}
	if len(parts) > 0 {
		line += "; stacks: " + strings.Join(parts, ", ")
	}
	return line
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
