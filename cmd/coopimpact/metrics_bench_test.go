package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"coopimpact/ingest"
	"coopimpact/internal/config"
	"coopimpact/metrics"
)

// Size of the large demo network the metrics benchmark runs on.
const (
	benchMetricsCoops = 2000
	benchMetricsYears = "2015-2025"
	benchMetricsSeed  = 1
)

// benchMetricsData generates and loads the large demo network once, cached
// under the temp folder keyed by the options and the canonical tables'
// migrations (a schema change makes a fresh one), so repeated runs reuse it.
func benchMetricsData(b *testing.B) string {
	h := sha256.New()
	for _, m := range ingest.Migrations() {
		fmt.Fprintf(h, "%s\n%s\n", m.ID, m.SQL)
	}
	key := fmt.Sprintf("metrics-demo-c%d-y%s-s%d-%s", benchMetricsCoops, benchMetricsYears, benchMetricsSeed, hex.EncodeToString(h.Sum(nil))[:12])
	dir := filepath.Join(os.TempDir(), "coopimpact-bench", key)
	done := filepath.Join(dir, "LOADED")
	if _, err := os.Stat(done); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	b.Logf("generating and loading the demo network (%d cooperatives, %s) into %s, once", benchMetricsCoops, benchMetricsYears, dir)
	out, err := exec.Command(binPath, "demo", "--data", dir, "--coops", fmt.Sprint(benchMetricsCoops),
		"--years", benchMetricsYears, "--seed", fmt.Sprint(benchMetricsSeed)).CombinedOutput()
	if err != nil {
		b.Fatalf("demo: %v\n%s", err, out)
	}
	if err := os.WriteFile(done, out, 0o600); err != nil {
		b.Fatal(err)
	}
	return dir
}

// oneCoopFinance writes the demo finance file's rows of its first
// cooperative, with the last column (digital investment) changed by nonce so
// the file is never "unchanged", and returns the path and the cooperative.
func oneCoopFinance(b *testing.B, dir string, nonce int) (string, string) {
	src, err := os.ReadFile(filepath.Join(dir, "demo", "04_bilanci.csv"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(src, []byte("\r\n"))
	coop := string(bytes.SplitN(lines[1], []byte(";"), 2)[0])
	var out bytes.Buffer
	out.Write(lines[0])
	out.WriteString("\r\n")
	for _, l := range lines[1:] {
		if !bytes.HasPrefix(l, []byte(coop+";")) {
			continue
		}
		fields := bytes.Split(l, []byte(";"))
		fields[len(fields)-1] = []byte(fmt.Sprintf("%d,%02d", 1000+nonce%9000, nonce%100))
		out.Write(bytes.Join(fields, []byte(";")))
		out.WriteString("\r\n")
	}
	path := filepath.Join(b.TempDir(), "bilancio_una_coop.csv")
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	return path, coop
}

// handECO computes ECO-01…ECO-11 over the same tables in one hand-written
// statement, as eco.yaml defines them (the average FTE for ECO-09 worked out
// inline for the finance years only): the engine limit for these indicators.
const handECO = `CREATE OR REPLACE TEMP TABLE hand_eco AS
WITH rs AS (
    SELECT coop_id, year, coalesce(sum(amount) FILTER (WHERE is_public), 0) AS public_amount
    FROM revenue_sources GROUP BY coop_id, year
),
hhi AS (
    SELECT coop_id, year, sum(a * a) / nullif(sum(a) * sum(a), 0) AS v
    FROM (SELECT coop_id, year, counterparty_type, sum(amount) AS a FROM revenue_sources GROUP BY ALL)
    GROUP BY coop_id, year
),
months AS (
    SELECT f.coop_id, f.year, w.fte,
           CASE WHEN w.start_date <= make_date(f.year, 1, 15) THEN 1
                ELSE month(w.start_date) + CASE WHEN day(w.start_date) > 15 THEN 1 ELSE 0 END END AS m0,
           CASE WHEN w.end_date IS NULL OR w.end_date >= make_date(f.year, 12, 15) THEN 12
                ELSE month(w.end_date) - CASE WHEN day(w.end_date) < 15 THEN 1 ELSE 0 END END AS m1
    FROM finance f
    JOIN workers w ON w.coop_id = f.coop_id AND year(w.start_date) <= f.year
         AND (w.end_date IS NULL OR year(w.end_date) >= f.year)
),
fte AS (
    SELECT coop_id, year, sum(fte * (m1 - m0 + 1)) / 12 AS fte_avg FROM months WHERE m0 <= m1 GROUP BY coop_id, year
),
v AS (
    SELECT f.coop_id, f.year,
           100 * (f.value_of_production - f.production_costs) / nullif(f.value_of_production, 0) AS "ECO-01",
           100 * (rs.public_amount + coalesce(f.public_grants, 0)) / nullif(f.value_of_production, 0) AS "ECO-02",
           365 * f.receivables_public / nullif(rs.public_amount, 0) AS "ECO-04",
           f.current_assets / nullif(f.current_liabilities, 0) AS "ECO-05",
           f.cash / nullif((f.production_costs - f.depreciation) / 12, 0) AS "ECO-06",
           100 * f.equity / nullif(f.total_assets, 0) AS "ECO-07",
           100 * f.personnel_cost / nullif(f.value_of_production, 0) AS "ECO-08",
           (f.value_of_production - (f.production_costs - f.personnel_cost - f.depreciation)) / nullif(fte.fte_avg, 0) AS "ECO-09",
           100 * (f.value_of_production / nullif(p.value_of_production, 0) - 1) AS "ECO-10",
           100 * f.digital_investment / nullif(f.value_of_production, 0) AS "ECO-11"
    FROM finance f
    LEFT JOIN rs ON rs.coop_id = f.coop_id AND rs.year = f.year
    LEFT JOIN fte ON fte.coop_id = f.coop_id AND fte.year = f.year
    LEFT JOIN finance p ON p.coop_id = f.coop_id AND p.year = f.year - 1
)
SELECT id, coop_id, year, value FROM v UNPIVOT INCLUDE NULLS (value FOR id IN ("ECO-01", "ECO-02", "ECO-04", "ECO-05", "ECO-06",
    "ECO-07", "ECO-08", "ECO-09", "ECO-10", "ECO-11"))
UNION ALL
SELECT 'ECO-03', coop_id, year, v FROM hhi`

// BenchmarkMetricsRecompute times, on the demo network of 2,000 cooperatives
// × 2015–2025: a full recompute of every indicator (issue target < 60 s); the
// incremental recompute after one cooperative's finance upload (target < 1 s);
// and the ECO indicators by the engine against one hand-written DuckDB query
// computing the same values over the same tables.
func BenchmarkMetricsRecompute(b *testing.B) {
	dir := benchMetricsData(b)
	ctx := context.Background()
	e, err := openEnv(ctx, config.Common{DataDir: dir, MemoryLimit: "768MB", LogLevel: "info"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	if _, err := e.db.Migrate(ctx, metrics.Migrations()); err != nil {
		b.Fatal(err)
	}
	var log *slog.Logger // BENCH_DEBUG=1: the engine's step timings
	if os.Getenv("BENCH_DEBUG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	eng, err := metrics.Open(ctx, e.db, "", log)
	if err != nil {
		b.Fatal(err)
	}
	var eco []string
	for _, ind := range eng.Catalog.Indicators {
		if ind.Area == "eco" {
			eco = append(eco, ind.ID)
		}
	}
	svc := e.ingestService(365 * 24 * time.Hour)
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		st, err := eng.RecomputeAll(ctx)
		if err != nil {
			b.Fatal(err)
		}
		full := time.Since(t0)

		file, coop := oneCoopFinance(b, dir, int(time.Now().UnixNano()%1_000_000))
		t0 = time.Now()
		rep, err := svc.Ingest(ctx, cliScope(), ingest.Request{Dataset: "finance", Path: file, FileName: filepath.Base(file)})
		if err != nil || rep.Status != ingest.StatusLoaded {
			b.Fatalf("one cooperative's finance: %v %+v", err, rep)
		}
		upload := time.Since(t0)
		pairs := metrics.SlicesToPairs("finance", rep.Slices)
		t0 = time.Now()
		inc, err := eng.Recompute(ctx, pairs)
		if err != nil {
			b.Fatal(err)
		}
		incremental := time.Since(t0)

		t0 = time.Now()
		ecoSt, err := eng.RecomputeIndicators(ctx, eco)
		if err != nil {
			b.Fatal(err)
		}
		engineECO := time.Since(t0)
		conn, err := e.db.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		t0 = time.Now()
		if _, err := conn.ExecContext(ctx, handECO); err != nil {
			b.Fatal(err)
		}
		hand := time.Since(t0)
		// The hand-written query must give the engine's values.
		var compared, disagree int64
		if err := conn.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE NOT (
				(h.value IS NULL OR NOT isfinite(h.value)) AND v.value IS NULL
				OR abs(h.value - v.value) <= 1e-9 * greatest(1, abs(v.value))))
			FROM hand_eco h JOIN indicator_values v ON v.indicator_id = h.id AND v.coop_id = h.coop_id AND v.year = h.year AND v.breakdown = ''`).Scan(&compared, &disagree); err != nil {
			b.Fatal(err)
		}
		conn.ExecContext(ctx, "DROP TABLE hand_eco")
		conn.Close()
		if disagree > 0 {
			b.Errorf("the hand-written ECO query disagrees with the engine on %d of %d values", disagree, compared)
		}

		ratio := engineECO.Seconds() / hand.Seconds()
		b.ReportMetric(full.Seconds(), "full_s")
		b.ReportMetric(incremental.Seconds(), "incremental_s")
		b.ReportMetric(ratio, "x_hand_ECO")
		b.ReportMetric(full.Seconds()/60, "full_of_target")
		b.ReportMetric(incremental.Seconds()/1, "incremental_of_target")
		fmt.Printf("metrics full recompute %d coops × %d years (%d indicators, %d values): %.1fs (target < 60s); "+
			"incremental after one cooperative's finance upload (%s, %d pairs): %.2fs (target < 1s; the upload itself %.2fs); "+
			"hand-written ECO query: %.2fs; engine ECO (%d indicators, %d values): %.2fs; ratio %.1fx (%d values compared, %d differ)\n",
			benchMetricsCoops, len(st.Years), st.Indicators, st.Rows, full.Seconds(), coop, inc.Pairs, incremental.Seconds(), upload.Seconds(),
			hand.Seconds(), len(eco), ecoSt.Rows, engineECO.Seconds(), ratio, compared, disagree)
	}
}
