package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"coopimpact/dashboards"
	"coopimpact/ingest"
	"coopimpact/ingest/demo"
	"coopimpact/internal/auth"
	"coopimpact/metrics"
)

const demoSummary = `Generate a realistic, deterministic demo network of cooperatives as the files
Italian software exports (semicolon CSV with decimal commas, some Latin-1, XLSX), then load
them through the same ingestion path a user's file takes.`

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, common := commandFlags("demo", demoSummary, stdout)
	coops := fs.Int("coops", 120, "number of cooperatives")
	years := fs.String("years", "2019-2025", "first and last year, FROM-TO")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same files")
	out := fs.String("out", "", "folder for the generated files (default: DATA/demo)")
	noLoad := fs.Bool("no-load", false, "only write the files")
	ifEmpty := fs.Bool("if-empty", false, "do nothing when the database already holds cooperatives (used by make run)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	from, to, ok := parseYears(*years)
	if !ok {
		fmt.Fprintf(stderr, "coopimpact demo: --years %q: write it as FROM-TO, e.g. 2019-2025\n", *years)
		return 2
	}
	dir := *out
	if dir == "" {
		dir = common.DataDir + "/demo"
	}
	log, err := newLogger(*common, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact demo: %v\n", err)
		return 2
	}
	var e *env
	if !*noLoad {
		if e, err = openEnv(ctx, *common, log); err != nil {
			fmt.Fprintf(stderr, "coopimpact demo: %s\n", oneLine(err))
			return 2
		}
		defer e.Close()
		if *ifEmpty {
			var n int
			if err := e.db.QueryRowContext(ctx, "SELECT count(*) FROM cooperatives").Scan(&n); err == nil && n > 0 {
				fmt.Fprintf(stdout, "the database already holds %d cooperatives: demo not loaded\n", n)
				return printDemoLogins(ctx, e, stdout, stderr)
			}
		}
	}
	start := time.Now()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		fmt.Fprintf(stderr, "coopimpact demo: %s\n", oneLine(err))
		return 2
	}
	m, err := demo.Generate(ctx, demo.Options{Coops: *coops, YearFrom: from, YearTo: to, Seed: *seed}, dir)
	if err != nil {
		var oe *demo.OptionsError
		if errors.As(err, &oe) {
			fmt.Fprintf(stderr, "coopimpact demo: %s\n", oe.En)
		} else {
			fmt.Fprintf(stderr, "coopimpact demo: %s\n", oneLine(err))
		}
		return 2
	}
	rows := 0
	for _, f := range m.Files {
		rows += f.Rows
	}
	fmt.Fprintf(stdout, "generated %d cooperatives, %d files, %d rows in %s (%.1fs)\n", len(m.Coops), len(m.Files), rows, dir, time.Since(start).Seconds())
	if *noLoad {
		return 0
	}
	svc := e.ingestService(365 * 24 * time.Hour)
	sc := ingest.Scope{User: "demo", Hub: true, Admin: true}
	for _, f := range m.Files {
		t0 := time.Now()
		rep, err := svc.Ingest(ctx, sc, ingest.Request{Dataset: f.Dataset, FileName: f.Path, Path: f.Path})
		if err != nil || rep.Status != ingest.StatusLoaded && rep.Status != ingest.StatusUnchanged {
			printReport(stdout, stderr, rep, err, "en")
			fmt.Fprintf(stderr, "coopimpact demo: %s did not load\n", f.Path)
			return 2
		}
		fmt.Fprintf(stdout, "  %-20s %8d rows  %-9s %.1fs\n", f.Dataset, rep.RowsLoaded, rep.Status, time.Since(t0).Seconds())
	}
	fmt.Fprintf(stdout, "demo network loaded in %.1fs\n", time.Since(start).Seconds())
	t0 := time.Now()
	eng, err := metrics.Open(ctx, e.db, "", e.log)
	if err == nil {
		_, err = eng.RecomputeAll(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact demo: indicators: %s\n", oneLine(err))
		return 2
	}
	fmt.Fprintf(stdout, "indicators computed in %.1fs\n", time.Since(t0).Seconds())
	return printDemoLogins(ctx, e, stdout, stderr)
}

// printDemoLogins makes sure one account per role exists for the demo
// network's first cooperative and prints them with their passwords.
func printDemoLogins(ctx context.Context, e *env, stdout, stderr io.Writer) int {
	var coop string
	if err := e.db.QueryRowContext(ctx, "SELECT min(coop_id) FROM cooperatives").Scan(&coop); err != nil || coop == "" {
		fmt.Fprintln(stderr, "coopimpact demo: no cooperative to attach the demo accounts to")
		return 2
	}
	logins, err := dashboards.EnsureDemoUsers(ctx, &auth.Service{DB: e.db}, coop)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact demo: demo accounts: %s\n", oneLine(err))
		return 2
	}
	fmt.Fprintf(stdout, "demo logins (cooperative %s):\n", coop)
	for _, l := range logins {
		fmt.Fprintf(stdout, "  %-12s %-36s %s\n", l.Role, l.Email, l.Password)
	}
	return 0
}

func parseYears(s string) (int, int, bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, false
	}
	from, err1 := strconv.Atoi(strings.TrimSpace(a))
	to, err2 := strconv.Atoi(strings.TrimSpace(b))
	return from, to, err1 == nil && err2 == nil && from <= to
}
