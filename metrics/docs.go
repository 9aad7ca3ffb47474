package metrics

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

var directionWords = map[string][2]string{
	DirUp:   {"più alto è meglio", "higher is better"},
	DirDown: {"più basso è meglio", "lower is better"},
	DirBand: {"dipende dal contesto", "depends on the context"},
	DirLaw:  {"soglia di legge (rispettata o no)", "legal threshold (pass/fail)"},
}

var grainWords = map[string][2]string{
	GrainYear:    {"per cooperativa e anno", "per cooperative and year"},
	GrainNetwork: {"un valore all'anno per la rete", "one value per year for the network"},
}

// WriteCatalogueMarkdown writes the catalogue as docs/indicators.md: every
// indicator with its formula in words (Italian and English), SQL, unit,
// direction, grain, inputs, threshold, parameters, breakdowns and mapping.
func WriteCatalogueMarkdown(w io.Writer, cat *Catalog) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("# Indicator catalogue / Catalogo degli indicatori\n\n")
	p("<!-- Generated from metrics/catalog/*.yaml by `make docs`. Do not edit by hand. -->\n\n")
	p("Every indicator the platform computes, as the catalogue files define it (how they are encoded\n")
	p("and computed: [metrics.md](metrics.md)). Values are stored per cooperative and year with their\n")
	p("numerator, denominator, n, formula version, parameters and the ingest runs they come from; a\n")
	p("value whose inputs are missing is stored as not computable with the missing inputs named.\n")
	p("`%%` values are percentages (12.5 means 12.5 %%). Shared SQL run before the indicators: ")
	var shared []string
	for _, s := range cat.Shared {
		shared = append(shared, "`metrics/catalog/"+s.Name+"`")
	}
	if len(shared) == 0 {
		shared = []string{"none"}
	}
	p("%s.\n\n", strings.Join(shared, ", "))

	p("| id | indicatore | indicator | unit | direction | grain |\n|---|---|---|---|---|---|\n")
	for _, ind := range cat.Indicators {
		p("| [%s](#%s) | %s | %s | %s | %s | %s |\n", ind.ID, strings.ToLower(ind.ID), cell(ind.Name.It), cell(ind.Name.En),
			cell(ind.Unit), ind.Direction, ind.Grain)
	}
	for _, a := range cat.Areas {
		p("\n## %s / %s\n", a.Title.It, a.Title.En)
		for _, ind := range cat.Indicators {
			if ind.Area != a.Code {
				continue
			}
			writeIndicator(p, ind)
		}
	}
	return b.Flush()
}

func writeIndicator(p func(string, ...any), ind *Indicator) {
	p("\n### %s\n\n", ind.ID)
	p("**%s** / %s\n\n", ind.Name.It, ind.Name.En)
	p("- Formula (it): %s\n", ind.Description.It)
	p("- Formula (en): %s\n", ind.Description.En)
	p("- Unità / unit: `%s`; direzione / direction: `%s` (%s / %s); grana / grain: `%s` (%s / %s); versione / version: %d\n",
		ind.Unit, ind.Direction, directionWords[ind.Direction][0], directionWords[ind.Direction][1],
		ind.Grain, grainWords[ind.Grain][0], grainWords[ind.Grain][1], ind.Version)
	p("- Dati usati / inputs: %s\n", codeList(ind.Inputs))
	if len(ind.AppliesTo) > 0 {
		p("- Si applica a / applies to: cooperative di tipo / cooperative types %s (le altre: non applicabile / others: not applicable)\n", codeList(ind.AppliesTo))
	}
	if th := ind.Threshold; th != nil {
		if th.Param != "" {
			p("- Soglia / threshold: valore / value %s %s (parametro / parameter `%s`)\n", th.Op, formatFloat(th.Value), th.Param)
		} else {
			p("- Soglia / threshold: valore / value %s %s\n", th.Op, formatFloat(th.Value))
		}
	}
	for _, pr := range ind.Params {
		vals := "qualsiasi / any " + pr.Kind
		if len(pr.Values) > 0 {
			vals = codeList(pr.Values)
		}
		p("- Parametro / parameter `%s` (default `%s`; valori / values: %s): %s / %s\n", pr.Name, pr.Default, vals, pr.Doc.It, pr.Doc.En)
	}
	if len(ind.Breakdowns) > 0 {
		p("- Disaggregazioni / breakdowns: %s\n", codeList(ind.Breakdowns))
	}
	if len(ind.MapsTo) > 0 {
		p("- Corrisponde a / maps to: %s\n", strings.Join(ind.MapsTo, "; "))
	}
	p("\n```sql\n%s\n```\n", ind.SQL)
}

func codeList(xs []string) string {
	var out []string
	for _, x := range xs {
		out = append(out, "`"+x+"`")
	}
	return strings.Join(out, ", ")
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
