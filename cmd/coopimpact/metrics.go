package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"coopimpact/internal/config"
	"coopimpact/metrics"
)

const metricsSummary = `Compute and show the indicators (docs/indicators.md).

  coopimpact metrics recompute [--json]             recompute every indicator for every cooperative and year
  coopimpact metrics show --coop ID [--year Y] [--json] [--breakdowns]
  coopimpact metrics catalogue [--json]             list the indicators
  coopimpact metrics check                          check the catalogue against the database
  coopimpact metrics docs [--out FILE]              write the catalogue as Markdown

--catalog DIR (COOPIMPACT_CATALOG) adds indicators, or replaces those of the same id, from the
*.yaml and *.sql files of DIR without rebuilding. Exit status: 0 done, 2 the arguments, the
catalogue or the data folder are unusable.`

func runMetrics(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "recompute":
			return runMetricsRecompute(ctx, args[1:], stdout, stderr)
		case "show":
			return runMetricsShow(ctx, args[1:], stdout, stderr)
		case "catalogue", "catalog":
			return runMetricsCatalogue(ctx, args[1:], stdout, stderr)
		case "check":
			return runMetricsCheck(ctx, args[1:], stdout, stderr)
		case "docs":
			return runMetricsDocs(ctx, args[1:], stdout, stderr)
		}
	}
	fs := newFlags("metrics", metricsSummary, stdout)
	var mf metricsFlags
	mf.register(fs)
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	if len(fs.Args()) > 0 {
		fmt.Fprintf(stderr, "coopimpact metrics: unknown subcommand %q: use recompute, show, catalogue, check or docs\n", fs.Args()[0])
	} else {
		fmt.Fprintln(stderr, "coopimpact metrics: name a subcommand: recompute, show, catalogue, check or docs (coopimpact metrics --help)")
	}
	return 2
}

// metricsFlags are the flags every metrics subcommand takes.
type metricsFlags struct {
	common  config.Common
	catalog string
	lang    string
}

func (m *metricsFlags) register(fs *flag.FlagSet) {
	m.common.Register(fs)
	fs.StringVar(&m.catalog, "catalog", "", "folder of extra catalogue files (*.yaml, *.sql) that add or replace indicators by id")
	fs.StringVar(&m.lang, "lang", "it", "language of messages: it or en")
}

// fail prints err as one sentence (a catalogue's problems one per line) and returns 2.
func (m *metricsFlags) fail(stderr io.Writer, cmd string, err error) int {
	var ces metrics.CatalogErrors
	if errors.As(err, &ces) {
		if m.lang == "en" {
			fmt.Fprintf(stderr, "coopimpact %s: the indicator catalogue has %d problem(s); nothing was computed:\n", cmd, len(ces))
		} else {
			fmt.Fprintf(stderr, "coopimpact %s: il catalogo degli indicatori ha %d problema/i; non è stato calcolato nulla:\n", cmd, len(ces))
		}
		for _, ce := range ces {
			fmt.Fprintf(stderr, "  %s\n", ce.Message(m.lang))
		}
		return 2
	}
	var ie *metrics.IndicatorError
	if errors.As(err, &ie) {
		if m.lang == "en" {
			fmt.Fprintf(stderr, "coopimpact %s: indicator %s (%s) failed, nothing was written: %s\n", cmd, ie.ID, ie.File, oneLine(ie.Err))
		} else {
			fmt.Fprintf(stderr, "coopimpact %s: l'indicatore %s (%s) non si calcola, non è stato scritto nulla: %s\n", cmd, ie.ID, ie.File, oneLine(ie.Err))
		}
		return 2
	}
	fmt.Fprintf(stderr, "coopimpact %s: %s\n", cmd, oneLine(err))
	return 2
}

// openMetrics opens the data folder, makes sure the metrics tables exist and
// loads and checks the catalogue.
func openMetrics(ctx context.Context, m *metricsFlags, stderr io.Writer) (*env, *metrics.Engine, error) {
	log, err := newLogger(m.common, stderr)
	if err != nil {
		return nil, nil, err
	}
	e, err := openEnv(ctx, m.common, log)
	if err != nil {
		return nil, nil, err
	}
	// Idempotent: a no-op once main's migration list includes them.
	if _, err := e.db.Migrate(ctx, metrics.Migrations()); err != nil {
		e.Close()
		return nil, nil, err
	}
	eng, err := metrics.Open(ctx, e.db, m.catalog, log)
	if err != nil {
		e.Close()
		return nil, nil, err
	}
	return e, eng, nil
}

func runMetricsRecompute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("metrics recompute", "Recompute every indicator for every cooperative and year of the network.", stdout)
	var mf metricsFlags
	mf.register(fs)
	asJSON := fs.Bool("json", false, "print the counts as one JSON object")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	e, eng, err := openMetrics(ctx, &mf, stderr)
	if err != nil {
		return mf.fail(stderr, "metrics recompute", err)
	}
	defer e.Close()
	st, err := eng.RecomputeAll(ctx)
	if err != nil {
		return mf.fail(stderr, "metrics recompute", err)
	}
	if *asJSON {
		json.NewEncoder(stdout).Encode(st)
		return 0
	}
	span := ""
	if len(st.Years) > 0 {
		span = fmt.Sprintf(" (%d–%d)", st.Years[0], st.Years[len(st.Years)-1])
	}
	if mf.lang == "en" {
		fmt.Fprintf(stdout, "recomputed %d indicators for %d cooperative-years%s: %d values (ok %d, not computable %d, not applicable %d) in %.1fs\n",
			st.Indicators, st.Pairs, span, st.Rows, st.ByStatus[metrics.StatusOK], st.ByStatus[metrics.StatusNotComputable],
			st.ByStatus[metrics.StatusNotApplicable], st.Duration.Seconds())
	} else {
		fmt.Fprintf(stdout, "ricalcolati %d indicatori per %d coppie cooperativa-anno%s: %d valori (calcolati %d, non calcolabili %d, non applicabili %d) in %.1fs\n",
			st.Indicators, st.Pairs, span, st.Rows, st.ByStatus[metrics.StatusOK], st.ByStatus[metrics.StatusNotComputable],
			st.ByStatus[metrics.StatusNotApplicable], st.Duration.Seconds())
	}
	return 0
}

func runMetricsShow(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("metrics show", "Show a cooperative's indicator values for one year.", stdout)
	var mf metricsFlags
	mf.register(fs)
	coop := fs.String("coop", "", "the cooperative (required)")
	year := fs.Int("year", 0, "the year (default: the latest year with values)")
	asJSON := fs.Bool("json", false, `print one JSON object {"coop_id","year","values":[…]}`)
	breakdowns := fs.Bool("breakdowns", false, "also show the breakdown rows (e.g. by gender)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	if *coop == "" {
		fmt.Fprintln(stderr, "coopimpact metrics show: name the cooperative with --coop ID")
		return 2
	}
	id := strings.ToUpper(strings.TrimSpace(*coop))
	e, eng, err := openMetrics(ctx, &mf, stderr)
	if err != nil {
		return mf.fail(stderr, "metrics show", err)
	}
	defer e.Close()
	sc := metrics.HubScope()
	en := mf.lang == "en"
	snap, err := eng.CoopSnapshot(ctx, sc, id, *year, *breakdowns)
	if err == nil && snap.Year == 0 {
		err = errors.New(word(en, "la cooperativa "+id+" non ha ancora valori: eseguire 'coopimpact metrics recompute'",
			"cooperative "+id+" has no values yet: run 'coopimpact metrics recompute'"))
	}
	var vals []metrics.Value
	if err == nil {
		vals, err = eng.Values(ctx, sc, metrics.Filter{CoopID: id, Year: snap.Year})
	}
	if errors.Is(err, metrics.ErrNotFound) {
		err = errors.New(word(en, "la cooperativa "+id+" non esiste", "cooperative "+id+" does not exist"))
	}
	if err != nil {
		return mf.fail(stderr, "metrics show", err)
	}
	y, out := snap.Year, snap
	if *asJSON {
		json.NewEncoder(stdout).Encode(out)
		return 0
	}
	fmt.Fprintf(stdout, "%s %s, %s %d\n", word(en, "cooperativa", "cooperative"), id, word(en, "anno", "year"), y)
	for _, v := range vals {
		if v.Breakdown != "" && !*breakdowns {
			continue
		}
		ind, _ := eng.Catalog.Indicator(v.IndicatorID)
		name := ind.Name.In(mf.lang)
		if v.Breakdown != "" {
			name = "  " + v.Breakdown
		}
		text := showStatus(v, en)
		if v.Value != nil {
			text = formatValue(*v.Value, v.Unit)
			if v.Pass != nil {
				text += "  " + word(en, map[bool]string{true: "rispettato", false: "NON rispettato"}[*v.Pass], map[bool]string{true: "met", false: "NOT met"}[*v.Pass])
			}
		}
		fmt.Fprintf(stdout, "  %-7s %-55s %s\n", v.IndicatorID, truncate(name, 55), text)
	}
	return 0
}

func showStatus(v metrics.Value, en bool) string {
	switch v.Status {
	case metrics.StatusNotApplicable:
		return word(en, "non applicabile", "not applicable")
	case metrics.StatusNotComputable:
		s := word(en, "non calcolabile", "not computable")
		if len(v.Missing) > 0 {
			s += word(en, " (mancano: ", " (missing: ") + strings.Join(v.Missing, ", ") + ")"
		}
		return s
	}
	return v.Status
}

func formatValue(v float64, unit string) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	if unit == "%" {
		return s + " %"
	}
	return s + " " + unit
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func runMetricsCatalogue(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("metrics catalogue", "List the indicators of the catalogue (embedded plus --catalog).", stdout)
	var mf metricsFlags
	mf.register(fs)
	asJSON := fs.Bool("json", false, `print one JSON object {"areas":[…],"indicators":[…]}`)
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	cat, err := metrics.LoadCatalog(mf.catalog)
	if err != nil {
		return mf.fail(stderr, "metrics catalogue", err)
	}
	if *asJSON {
		json.NewEncoder(stdout).Encode(struct {
			Areas      []metrics.Area       `json:"areas"`
			Indicators []*metrics.Indicator `json:"indicators"`
		}{cat.Areas, cat.Indicators})
		return 0
	}
	for _, a := range cat.Areas {
		fmt.Fprintf(stdout, "%s — %s\n", strings.ToUpper(a.Code), a.Title.In(mf.lang))
		for _, ind := range cat.Indicators {
			if ind.Area != a.Code {
				continue
			}
			extra := ""
			if ind.Overrides != "" {
				extra = "  (" + ind.File + ")"
			}
			fmt.Fprintf(stdout, "  %-7s %-9s %-5s %-7s %s%s\n", ind.ID, ind.Unit, ind.Direction, ind.Grain, ind.Name.In(mf.lang), extra)
		}
	}
	return 0
}

func runMetricsCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("metrics check", "Check the catalogue (embedded plus --catalog) against the database: schema, inputs, SQL.", stdout)
	var mf metricsFlags
	mf.register(fs)
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	e, eng, err := openMetrics(ctx, &mf, stderr)
	if err != nil {
		return mf.fail(stderr, "metrics check", err)
	}
	defer e.Close()
	fmt.Fprintf(stdout, "%s: %d %s\n", word(mf.lang == "en", "catalogo corretto", "catalogue ok"), len(eng.Catalog.Indicators),
		word(mf.lang == "en", "indicatori", "indicators"))
	for _, w := range eng.Warnings {
		fmt.Fprintf(stdout, "  %s: %s\n", word(mf.lang == "en", "nota", "note"), w.Message(mf.lang))
	}
	return 0
}

func runMetricsDocs(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("metrics docs", "Write the catalogue as Markdown (docs/indicators.md).", stdout)
	var mf metricsFlags
	mf.register(fs)
	out := fs.String("out", "", "file to write (default: standard output)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	cat, err := metrics.LoadCatalog(mf.catalog)
	if err != nil {
		return mf.fail(stderr, "metrics docs", err)
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return mf.fail(stderr, "metrics docs", err)
		}
		defer f.Close()
		w = f
	}
	if err := metrics.WriteCatalogueMarkdown(w, cat); err != nil {
		return mf.fail(stderr, "metrics docs", err)
	}
	return 0
}
