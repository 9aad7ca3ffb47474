package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"coopimpact/ingest"
	"coopimpact/ingest/catalog"
)

func runIngestTemplate(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("ingest template", "Write an empty template for a dataset: Italian headers, a notes row (CSV) or sheet (XLSX), drop-down lists for enumerated columns (XLSX).\n\n  coopimpact ingest template DATASET --format csv|xlsx [--out FILE]", stdout)
	format := fs.String("format", "xlsx", "csv or xlsx")
	out := fs.String("out", "", "file to write (default: DATASET.FORMAT in the current folder; - for standard output)")
	// The dataset may come before or after the flags.
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	d, ok := catalog.Default().Dataset(name)
	if !ok {
		fmt.Fprintf(stderr, "coopimpact ingest template: unknown dataset %q; one of: %s\n", name, strings.Join(catalog.Default().Names(), ", "))
		return 2
	}
	if *format != "csv" && *format != "xlsx" {
		fmt.Fprintf(stderr, "coopimpact ingest template: --format must be csv or xlsx\n")
		return 2
	}
	path := *out
	if path == "" {
		path = d.Name + "." + *format
	}
	var w io.Writer = stdout
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintf(stderr, "coopimpact ingest template: %s\n", oneLine(err))
			return 2
		}
		defer f.Close()
		w = f
	}
	var err error
	if *format == "csv" {
		err = ingest.WriteTemplateCSV(w, d)
	} else {
		err = ingest.WriteTemplateXLSX(w, d)
	}
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest template: %s\n", oneLine(err))
		return 2
	}
	if path != "-" {
		fmt.Fprintf(stdout, "template written to %s\n", path)
	}
	return 0
}

func runIngestDatasets(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("ingest datasets", "List the datasets of the data contract with their columns.", stdout)
	lang := fs.String("lang", "it", "it or en")
	md := fs.Bool("markdown", false, "print the full contract as Markdown (docs/datasets.md)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	if *md {
		if err := ingest.WriteContractMarkdown(stdout, catalog.Default()); err != nil {
			fmt.Fprintf(stderr, "coopimpact ingest datasets: %s\n", oneLine(err))
			return 2
		}
		return 0
	}
	for _, d := range catalog.Default().Datasets {
		fmt.Fprintf(stdout, "%s — %s\n", d.Name, d.Title.Get(*lang))
		for _, c := range d.Columns {
			req := " "
			if c.Required {
				req = "*"
			}
			fmt.Fprintf(stdout, "   %s %-30s %-5s %s\n", req, c.Name, c.Type, TemplateHeaderOrEmpty(c))
		}
	}
	return 0
}

// TemplateHeaderOrEmpty shows the Italian header when it differs from the name.
func TemplateHeaderOrEmpty(c *catalog.Column) string {
	if h := ingest.TemplateHeader(c); h != c.Name {
		return "(" + h + ")"
	}
	return ""
}
