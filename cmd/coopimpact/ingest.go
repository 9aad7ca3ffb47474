package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"coopimpact/ingest"
)

const ingestSummary = `Load cooperatives' files (CSV, XLSX, JSON, NDJSON, Parquet) into the database.

  coopimpact ingest --dataset NAME [--coop ID] [--allow-rejects] [--json] FILE...
  coopimpact ingest runs [--coop ID] [--json]
  coopimpact ingest template DATASET --format csv|xlsx [--out FILE]
  coopimpact ingest datasets
  coopimpact ingest download RUN_ID [--out FILE]   (the file as received, decrypted)
  coopimpact ingest purge          (delete archived files past --retention-days)

A file with any row problem loads nothing unless --allow-rejects (then the good rows load and
the rest is quarantined). Exit status: 0 loaded or unchanged, 1 refused for row problems,
2 the file or the arguments are unusable.`

func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "runs":
			return runIngestRuns(ctx, args[1:], stdout, stderr)
		case "template":
			return runIngestTemplate(ctx, args[1:], stdout, stderr)
		case "datasets":
			return runIngestDatasets(ctx, args[1:], stdout, stderr)
		case "purge":
			return runIngestPurge(ctx, args[1:], stdout, stderr)
		case "download":
			return runIngestDownload(ctx, args[1:], stdout, stderr)
		}
	}
	fs, common := commandFlags("ingest", ingestSummary, stdout)
	dataset := fs.String("dataset", "", "dataset name (see 'coopimpact ingest datasets'); empty = detect from the headers")
	coop := fs.String("coop", "", "the cooperative the file is about, when its rows do not say")
	sheet := fs.String("sheet", "", "XLSX sheet to read (default: the first)")
	allow := fs.Bool("allow-rejects", false, "load the good rows and quarantine the rows with problems")
	replace := fs.String("replace", "", "'all' replaces the whole workers roster instead of the years the file covers")
	asJSON := fs.Bool("json", false, "print one JSON object per file")
	lang := fs.String("lang", "it", "language of messages: it or en")
	retention := fs.Int("retention-days", 365, "days an archived upload is kept")
	files, code, done := parseFlagsInterleaved(fs, args, stderr)
	if done {
		return code
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "coopimpact ingest: name at least one file (coopimpact ingest --help)")
		return 2
	}
	if *replace != "" && *replace != "all" {
		fmt.Fprintln(stderr, "coopimpact ingest: --replace takes only 'all'")
		return 2
	}
	log, err := newLogger(*common, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest: %v\n", err)
		return 2
	}
	e, err := openEnv(ctx, *common, log)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest: %s\n", oneLine(err))
		return 2
	}
	defer e.Close()
	svc := e.ingestService(time.Duration(*retention) * 24 * time.Hour)
	for _, f := range files {
		req := ingest.Request{Dataset: *dataset, CoopID: *coop, FileName: f, Path: f, Sheet: *sheet,
			AllowRejects: *allow, ReplaceAll: *replace == "all"}
		var bar *progressBar
		if !*asJSON && isTerminal(stderr) {
			var size int64
			if fi, err := os.Stat(f); err == nil {
				size = fi.Size()
			}
			bar = newProgressBar(stderr, filepath.Base(f), size)
			req.Progress = bar.stage
		}
		rep, err := svc.Ingest(ctx, cliScope(), req)
		bar.done(rep)
		c := exitCode(rep, err)
		if c > code {
			code = c
		}
		if *asJSON {
			json.NewEncoder(stdout).Encode(rep)
			continue
		}
		printReport(stdout, stderr, rep, err, *lang)
	}
	return code
}

// cliScope is the operator at the terminal: the CLI runs with the hub's rights
// because only someone with the data folder can run it.
func cliScope() ingest.Scope {
	user := os.Getenv("USER")
	if user == "" {
		user = "cli"
	}
	return ingest.Scope{User: "cli:" + user, Hub: true, Admin: true}
}

func exitCode(rep *ingest.Report, err error) int {
	if err != nil {
		return 2
	}
	if rep.Status == ingest.StatusRejected {
		return 1
	}
	return 0
}

// printReport is the human summary; problems are listed one per line.
func printReport(stdout, stderr io.Writer, rep *ingest.Report, err error, lang string) {
	var fe *ingest.FileError
	if errors.As(err, &fe) {
		fmt.Fprintf(stderr, "%s\n", fe.Message(lang))
		return
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", rep.File, oneLine(err))
		return
	}
	en := lang == "en"
	for _, n := range rep.Notices {
		if en {
			fmt.Fprintf(stdout, "  note: %s\n", n.En)
		} else {
			fmt.Fprintf(stdout, "  nota: %s\n", n.It)
		}
	}
	switch rep.Status {
	case ingest.StatusUnchanged:
		if en {
			fmt.Fprintf(stdout, "%s: unchanged (same file already loaded)\n", rep.File)
		} else {
			fmt.Fprintf(stdout, "%s: invariato (file già caricato)\n", rep.File)
		}
		return
	case ingest.StatusLoaded:
		if en {
			fmt.Fprintf(stdout, "%s: loaded %d of %d rows into %s (%d slices replaced, %d rows quarantined), run %d\n",
				rep.File, rep.RowsLoaded, rep.RowsRead, rep.Dataset, len(rep.Slices), rep.RowsRejected, rep.RunID)
		} else {
			fmt.Fprintf(stdout, "%s: caricate %d righe su %d in %s (%d periodi sostituiti, %d righe in quarantena), caricamento n. %d\n",
				rep.File, rep.RowsLoaded, rep.RowsRead, rep.Dataset, len(rep.Slices), rep.RowsRejected, rep.RunID)
		}
	case ingest.StatusRejected:
		if en {
			fmt.Fprintf(stdout, "%s: REFUSED, nothing loaded: %d problems in %d rows. Fix them and load the file again (or use --allow-rejects).\n",
				rep.File, rep.ProblemsTotal, countLines(rep.Problems))
		} else {
			fmt.Fprintf(stdout, "%s: RIFIUTATO, nulla è stato caricato: %d problemi in %d righe. Correggerli e ricaricare il file (oppure usare --allow-rejects).\n",
				rep.File, rep.ProblemsTotal, countLines(rep.Problems))
		}
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(stdout, "  %s, %s %q, %s %q: %s\n", p.Where(lang), word(en, "colonna", "column"), p.Column,
			word(en, "valore", "value"), p.Value, p.Message(lang))
	}
	if int64(len(rep.Problems)) < rep.ProblemsTotal {
		fmt.Fprintf(stdout, "  … %d %s\n", rep.ProblemsTotal-int64(len(rep.Problems)), word(en, "altri problemi (tutti in 'coopimpact ingest runs')", "more problems (all kept with the run)"))
	}
}

func word(en bool, it, eng string) string {
	if en {
		return eng
	}
	return it
}

func countLines(ps []ingest.Problem) int {
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Sheet+"!"+fmt.Sprint(p.Line)] = true
	}
	return len(seen)
}

func runIngestRuns(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, common := commandFlags("ingest runs", "List ingest runs, newest first.", stdout)
	coop := fs.String("coop", "", "only runs about this cooperative")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	limit := fs.Int("limit", 0, "at most this many runs (0 = all)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	log, _ := newLogger(*common, stderr)
	e, err := openEnv(ctx, *common, log)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest runs: %s\n", oneLine(err))
		return 2
	}
	defer e.Close()
	runs, err := e.ingestService(0).Runs(ctx, cliScope(), ingest.RunFilter{CoopID: *coop, Limit: *limit})
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest runs: %s\n", oneLine(err))
		return 2
	}
	enc := json.NewEncoder(stdout)
	for _, r := range runs {
		if *asJSON {
			enc.Encode(r)
			continue
		}
		fmt.Fprintf(stdout, "%6d  %s  %-10s %-20s %-12s %-28s read %d loaded %d rejected %d  %s\n", r.RunID,
			r.StartedAt.Format("2006-01-02 15:04"), r.Status, r.Dataset, r.CoopID, r.FileName, r.RowsRead, r.RowsLoaded, r.RowsRejected, r.UploadedBy)
	}
	return 0
}

func runIngestPurge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, common := commandFlags("ingest purge", "Delete archived uploads older than the retention period.", stdout)
	retention := fs.Int("retention-days", 365, "days an archived upload is kept")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	log, _ := newLogger(*common, stderr)
	e, err := openEnv(ctx, *common, log)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest purge: %s\n", oneLine(err))
		return 2
	}
	defer e.Close()
	n, err := e.ingestService(time.Duration(*retention) * 24 * time.Hour).PurgeArchive(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest purge: %s\n", oneLine(err))
		return 2
	}
	fmt.Fprintf(stdout, "%d archived files deleted\n", n)
	return 0
}

// progressBar shows, on a terminal, the file's size, the stage reached and
// the rows read; DuckDB reads in one call, so stages are the finest grain.
type progressBar struct {
	w     io.Writer
	name  string
	size  int64
	start time.Time
}

func newProgressBar(w io.Writer, name string, size int64) *progressBar {
	return &progressBar{w: w, name: name, size: size, start: time.Now()}
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

var stageLabels = map[string]string{"hash": "lettura", "archive": "archiviazione", "read": "acquisizione righe",
	"validate": "controllo", "write": "scrittura"}

func (p *progressBar) stage(s string) {
	steps := []string{"hash", "archive", "read", "validate", "write"}
	i := 0
	for j, st := range steps {
		if st == s {
			i = j + 1
		}
	}
	bar := strings.Repeat("█", i*4) + strings.Repeat("░", (len(steps)-i)*4)
	fmt.Fprintf(p.w, "\r%s %s (%s) %-20s %5.1fs", bar, p.name, humanSize(p.size), stageLabels[s], time.Since(p.start).Seconds())
}

func (p *progressBar) done(rep *ingest.Report) {
	if p == nil {
		return
	}
	rows := int64(0)
	if rep != nil {
		rows = rep.RowsRead
	}
	fmt.Fprintf(p.w, "\r%s %s (%s) %d righe %5.1fs%s\n", strings.Repeat("█", 20), p.name, humanSize(p.size), rows, time.Since(p.start).Seconds(), strings.Repeat(" ", 12))
}

func runIngestDownload(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, common := commandFlags("ingest download", "Write the file of an ingest run exactly as it was received (decrypted from the archive).\n\n  coopimpact ingest download RUN_ID [--out FILE]", stdout)
	out := fs.String("out", "", "where to write it (default: the original file name in the current folder; - for standard output)")
	pos, code, done := parseFlagsInterleaved(fs, args, stderr)
	if done {
		return code
	}
	var id int64
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "coopimpact ingest download: name one run id (see 'coopimpact ingest runs')")
		return 2
	}
	if _, err := fmt.Sscan(pos[0], &id); err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest download: %q is not a run id\n", pos[0])
		return 2
	}
	log, _ := newLogger(*common, stderr)
	e, err := openEnv(ctx, *common, log)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest download: %s\n", oneLine(err))
		return 2
	}
	defer e.Close()
	tmp, err := os.CreateTemp(common.TempDir(), "download-*")
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest download: %s\n", oneLine(err))
		return 2
	}
	defer os.Remove(tmp.Name())
	name, err := e.ingestService(0).OpenArchived(ctx, cliScope(), id, tmp)
	tmp.Close()
	if err != nil {
		if errors.Is(err, ingest.ErrNotFound) {
			fmt.Fprintf(stderr, "coopimpact ingest download: run %d has no archived file (unknown run, or deleted after the retention period)\n", id)
		} else {
			fmt.Fprintf(stderr, "coopimpact ingest download: %s\n", oneLine(err))
		}
		return 2
	}
	dst := *out
	if dst == "" {
		dst = filepath.Base(name)
	}
	src, _ := os.Open(tmp.Name())
	defer src.Close()
	var w io.Writer = stdout
	if dst != "-" {
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			fmt.Fprintf(stderr, "coopimpact ingest download: %s\n", oneLine(err))
			return 2
		}
		defer f.Close()
		w = f
	}
	if _, err := io.Copy(w, src); err != nil {
		fmt.Fprintf(stderr, "coopimpact ingest download: %s\n", oneLine(err))
		return 2
	}
	if dst != "-" {
		fmt.Fprintf(stdout, "run %d: %s written\n", id, dst)
	}
	return 0
}
