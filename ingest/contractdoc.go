package ingest

import (
	"fmt"
	"io"
	"strings"

	"coopimpact/ingest/catalog"
)

// WriteContractMarkdown renders the data contract from the catalogue, so
// docs/datasets.md can never drift from what ingestion accepts
// (`make docs` regenerates it; a test fails when the committed copy is stale).
func WriteContractMarkdown(w io.Writer, cat *catalog.Catalog) error {
	var b strings.Builder
	b.WriteString("# Data contract / Contratto dei dati\n\n")
	b.WriteString("<!-- Generated from ingest/catalog/datasets.yaml by `make docs`. Do not edit by hand. -->\n\n")
	b.WriteString("What ingestion accepts, dataset by dataset. `*` = required. Headers are matched by the canonical\n")
	b.WriteString("name or any alias, ignoring case, accents, blanks, dots, hyphens and underscores. Conventions for\n")
	b.WriteString("numbers, dates, months and booleans, and what a bad file gets, are in the README (\"Loading data\").\n\n")
	b.WriteString("| dataset | level | a file replaces | duplicate key |\n|---|---|---|---|\n")
	for _, d := range cat.Datasets {
		fmt.Fprintf(&b, "| [%s](#%s) — %s | %s | %s | %s |\n", d.Name, d.Name, d.Title.It, d.Level, sliceText(d), strings.Join(d.Keys, ", "))
	}
	for _, d := range cat.Datasets {
		fmt.Fprintf(&b, "\n## %s\n\n**%s** / %s. %s\n\n", d.Name, d.Title.It, d.Title.En, d.Description.En)
		fmt.Fprintf(&b, "Replaces: %s. Template: `coopimpact ingest template %s --format xlsx`.\n\n", sliceText(d), d.Name)
		b.WriteString("| column | type | rules | Italian headers accepted | meaning |\n|---|---|---|---|---|\n")
		for _, c := range d.Columns {
			name := c.Name
			if c.Required {
				name += "*"
			}
			var rules []string
			if vals := c.EnumValues(); len(vals) > 0 {
				rules = append(rules, strings.Join(vals, ", "))
			}
			if c.Min != nil || c.Max != nil {
				lo, hi := "", ""
				if c.Min != nil {
					lo = c.Min.String()
				}
				if c.Max != nil {
					hi = c.Max.String()
				}
				op := func(excl bool, a, b string) string {
					if excl {
						return a
					}
					return b
				}
				rules = append(rules, fmt.Sprintf("%s%s … %s%s", op(c.MinExclusive, "(", "["), lo, hi, op(c.MaxExclusive, ")", "]")))
			}
			if c.Pattern != "" {
				rules = append(rules, c.PatternDoc.En)
			}
			if c.Pseudonymise {
				rules = append(rules, "pseudonymised (HMAC-SHA-256)")
			}
			if c.Case != "" {
				rules = append(rules, c.Case+"-cased")
			}
			var aliases []string
			for _, a := range c.Aliases {
				s := a.Name
				if a.Scale != 0 && a.Scale != 1 {
					s += fmt.Sprintf(" (× %g)", a.Scale)
				}
				aliases = append(aliases, s)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", name, c.Type, esc(strings.Join(rules, "; ")), esc(strings.Join(aliases, ", ")), esc(c.Doc.En))
		}
		for _, k := range d.Checks {
			fmt.Fprintf(&b, "\nRow rule: `%s` — %s\n", k.Rule(), k.Message.En)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func esc(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func sliceText(d *catalog.Dataset) string {
	s := d.Slice
	switch s.Kind {
	case catalog.SliceKey:
		return "the rows of the cooperatives in the file"
	case catalog.SliceCoop:
		return "the cooperative's whole list"
	case catalog.SliceYear, catalog.SliceMonth, catalog.SliceValue:
		return "cooperative × " + s.Column
	case catalog.SliceYearOf:
		return "cooperative × year of " + s.Column
	case catalog.SliceYearSpan:
		return fmt.Sprintf("cooperative × every year from the first %s to the last %s (or today)", s.From, s.To)
	}
	return string(s.Kind)
}
