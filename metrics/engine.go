package metrics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"coopimpact/internal/store"
)

// Value statuses (indicator_values.status).
const (
	StatusOK            = "ok"
	StatusNotComputable = "not_computable"
	StatusNotApplicable = "not_applicable"
)

// Engine computes the catalogue's indicators into indicator_values.
// Recomputes run one at a time (DuckDB has one writer).
type Engine struct {
	DB      *store.DB
	Catalog *Catalog
	Log     *slog.Logger // optional

	// Warnings are the catalogue's non-fatal problems found by Open.
	Warnings CatalogErrors

	mu  sync.Mutex
	now func() time.Time // tests
}

// Open loads the catalogue (embedded plus catalogDir when not empty), checks
// it against the database and returns the engine. A catalogue with problems
// is refused with CatalogErrors naming each file, indicator and reason. The
// warnings (inputs of tables not there yet) are logged at debug level, since
// every start would repeat them; Engine.Warnings keeps them.
func Open(ctx context.Context, db *store.DB, catalogDir string, log *slog.Logger) (*Engine, error) {
	cat, err := LoadCatalog(catalogDir)
	if err != nil {
		return nil, err
	}
	warnings, err := cat.Check(ctx, db)
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		if log != nil {
			log.Debug("indicator catalogue", "file", w.File, "indicator", w.ID, "problem", w.En)
		}
	}
	return &Engine{DB: db, Catalog: cat, Log: log, Warnings: warnings}, nil
}

// CoopYear is one (cooperative, year) pair to recompute. Year 0 means every
// year of the network for that cooperative.
type CoopYear struct {
	CoopID string `json:"coop_id"`
	Year   int    `json:"year"`
}

// Stats tells what a recompute did.
type Stats struct {
	Pairs      int              `json:"pairs"`      // (cooperative, year) pairs computed
	Years      []int            `json:"years"`      // years computed
	Indicators int              `json:"indicators"` // indicators computed
	Rows       int64            `json:"rows"`       // rows written (breakdown rows included)
	ByStatus   map[string]int64 `json:"by_status"`  // rows per status
	Duration   time.Duration    `json:"duration_ns"`
}

func (e *Engine) clock() time.Time {
	if e.now != nil {
		return e.now()
	}
	return time.Now().UTC()
}

func (e *Engine) debug(msg string, args ...any) {
	if e.Log != nil {
		e.Log.Debug(msg, args...)
	}
}

// RecomputeAll recomputes every indicator for every cooperative of the
// registry and every year of the network, replacing the whole table.
func (e *Engine) RecomputeAll(ctx context.Context) (Stats, error) {
	return e.recompute(ctx, nil, true, nil)
}

// RecomputeIndicators recomputes the given indicators for every cooperative
// and year (after a parameter changed), leaving the others as they are.
func (e *Engine) RecomputeIndicators(ctx context.Context, ids []string) (Stats, error) {
	only := map[string]bool{}
	for _, id := range ids {
		if _, ok := e.Catalog.Indicator(id); !ok {
			return Stats{}, fmt.Errorf("indicator %s: %w", id, ErrNotFound)
		}
		only[id] = true
	}
	return e.recompute(ctx, nil, true, only)
}

// Recompute recomputes every indicator for the given pairs only (Year 0: all
// years of that cooperative), plus the network values of their years. A year
// of the network that has no values yet (the first upload of a new year) is
// computed for every cooperative, so each year holds a row per cooperative.
func (e *Engine) Recompute(ctx context.Context, pairs []CoopYear) (Stats, error) {
	if len(pairs) == 0 {
		return Stats{ByStatus: map[string]int64{}}, nil
	}
	return e.recompute(ctx, pairs, false, nil)
}

// pointYears are the tables whose rows fall in one year, with that year's
// expression: they decide which years the network has. Tables of spans
// (workers, certifications, beneficiaries) would stretch the years back to the
// oldest hiring or certificate, so they only count inside that range.
var pointYears = []struct{ table, minExpr, maxExpr string }{
	{"finance", "min(year)", "max(year)"},
	{"revenue_sources", "min(year)", "max(year)"},
	{"governance_meetings", `year(min("date"))`, `year(max("date"))`},
	{"hours", `year(min("month"))`, `year(max("month"))`},
	{"services", `year(min("month"))`, `year(max("month"))`},
	{"processes", "year(min(snapshot_date))", "year(max(snapshot_date))"},
	{"trainings", "year(min(end_date))", "year(max(end_date))"},
	{"skills_assessments", "year(min(assessed_on))", "year(max(assessed_on))"},
	{"dma_responses", "year(min(assessed_on))", "year(max(assessed_on))"},
	{"surveys", surveyYear("min"), surveyYear("max")},
}

func surveyYear(agg string) string {
	return agg + "(TRY_CAST(nullif(regexp_extract(survey_id, '(19|20)[0-9][0-9]'), '') AS INTEGER))"
}

// networkYears is the range of years of the network: from the earliest to
// the latest year of any dated record. With none, the years of the workers'
// spells up to this year (at most the last 10).
func networkYears(ctx context.Context, conn *sql.Conn, schema dbSchema) (lo, hi int, ok bool, err error) {
	var parts []string
	for _, p := range pointYears {
		if _, exists := schema[p.table]; exists {
			parts = append(parts, fmt.Sprintf("SELECT %s AS y0, %s AS y1 FROM %s", p.minExpr, p.maxExpr, ident(p.table)))
		}
	}
	if len(parts) > 0 {
		var y0, y1 sql.NullInt64
		q := "SELECT min(y0), max(y1) FROM (" + strings.Join(parts, " UNION ALL ") + ")"
		if err := conn.QueryRowContext(ctx, q).Scan(&y0, &y1); err != nil {
			return 0, 0, false, err
		}
		if y0.Valid && y1.Valid {
			return int(y0.Int64), int(y1.Int64), true, nil
		}
	}
	if _, exists := schema["workers"]; exists {
		var y0, y1 sql.NullInt64
		if err := conn.QueryRowContext(ctx, `SELECT greatest(year(min(start_date)), year(current_date) - 9), year(current_date)
			FROM workers HAVING count(*) > 0`).Scan(&y0, &y1); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, 0, false, err
		}
		if y0.Valid && y1.Valid {
			return int(y0.Int64), int(y1.Int64), true, nil
		}
	}
	return 0, 0, false, nil
}

// session is one recompute's connection with its state.
type session struct {
	e          *Engine
	conn       *sql.Conn
	schema     dbSchema
	params     map[string]map[string]string // indicator → param → value in force
	coopTables map[string][]string          // input tables of cooperative-grain indicators → nullable input columns
	coopOrder  []string                     // the same tables in a stable order
	netTables  map[string]bool              // input tables of network-grain indicators
	netOrder   []string
	view       string   // m_presence's SQL, "" when the catalogue has none
	pres       presence // aliases in _pw and _npw
	shadows    []string // TEMP tables shadowing canonical ones
	// views already computed into TEMP tables (materializeViews)
	materialized map[string]bool
}

// recompute computes the indicators in only (nil: all) for the pairs (full:
// every cooperative and year) and replaces their rows in one transaction.
func (e *Engine) recompute(ctx context.Context, pairs []CoopYear, full bool, only map[string]bool) (Stats, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	start := time.Now()
	st := Stats{ByStatus: map[string]int64{}}
	conn, err := e.DB.Conn(ctx)
	if err != nil {
		return st, err
	}
	// The connection is closed, never returned to the pool: TEMP objects
	// (shadow tables above all) must not outlive the recompute.
	defer discard(conn)
	s := &session{e: e, conn: conn, materialized: map[string]bool{}}
	if s.schema, err = readSchema(ctx, conn); err != nil {
		return st, err
	}
	if _, ok := s.schema["indicator_values"]; !ok {
		return st, errors.New("the metrics tables are missing: run the metrics migrations first")
	}
	if err := e.Catalog.installShared(ctx, conn); err != nil {
		return st, err
	}
	if s.params, err = e.paramsInForce(ctx, conn); err != nil {
		return st, err
	}
	if err := e.Catalog.setParams(ctx, conn, s.params); err != nil {
		return st, err
	}
	lo, hi, have, err := networkYears(ctx, conn, s.schema)
	if err != nil {
		return st, err
	}
	if err := s.fillPairs(ctx, pairs, full, lo, hi, have); err != nil {
		return st, err
	}
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _iv AS SELECT * FROM indicator_values LIMIT 0"); err != nil {
		return st, err
	}
	if err := s.planPresence(ctx, only); err != nil {
		return st, err
	}
	now := e.clock()
	run := func(network bool) error {
		if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _raw (indicator_id VARCHAR, coop_id VARCHAR, year INTEGER,
			breakdown VARCHAR, value DOUBLE, numerator DOUBLE, denominator DOUBLE, n BIGINT)`); err != nil {
			return err
		}
		var inds []*Indicator
		for _, ind := range e.Catalog.Indicators {
			if (ind.Grain == GrainNetwork) != network || only != nil && !only[ind.ID] {
				continue
			}
			t0 := time.Now()
			if err := s.compute(ctx, ind); err != nil {
				return err
			}
			inds = append(inds, ind)
			st.Indicators++
			e.debug("metrics indicator computed", "indicator", ind.ID, "duration", time.Since(t0))
		}
		t0 := time.Now()
		if err := s.finish(ctx, inds, network, now); err != nil {
			return err
		}
		e.debug("metrics rows assembled", "network", network, "duration", time.Since(t0))
		return nil
	}
	e.debug("metrics prepared", "duration", time.Since(start))
	// Network values first: they read every cooperative's rows.
	t0 := time.Now()
	if err := s.networkPresence(ctx); err != nil {
		return st, fmt.Errorf("presence of inputs: %w", err)
	}
	if err := run(true); err != nil {
		return st, err
	}
	e.debug("metrics network values", "duration", time.Since(t0))
	if !full {
		t0 := time.Now()
		if _, err := s.materializeViews(ctx, only, true); err != nil {
			return st, err
		}
		if err := s.shadow(ctx); err != nil {
			return st, fmt.Errorf("restrict to the cooperatives recomputed: %w", err)
		}
		e.debug("metrics shadow tables", "tables", len(s.shadows), "duration", time.Since(t0))
	}
	{
		t0 := time.Now()
		views, err := s.materializeViews(ctx, only, false)
		if err != nil {
			return st, err
		}
		e.debug("metrics shared views materialised", "views", views, "duration", time.Since(t0))
	}
	t0 = time.Now()
	if err := s.coopPresence(ctx); err != nil {
		return st, fmt.Errorf("presence of inputs: %w", err)
	}
	e.debug("metrics presence", "duration", time.Since(t0))
	if err := run(false); err != nil {
		return st, err
	}
	if only == nil {
		if err := s.coopYears(ctx, now); err != nil {
			return st, err
		}
	}
	if err := s.unshadow(ctx); err != nil {
		return st, err
	}
	if err := s.checkDuplicates(ctx); err != nil {
		return st, err
	}
	t0 = time.Now()
	if err := s.write(ctx, full, only); err != nil {
		return st, err
	}
	e.debug("metrics written", "duration", time.Since(t0))
	if err := s.stats(ctx, &st); err != nil {
		return st, err
	}
	st.Duration = time.Since(start)
	return st, nil
}

// fillPairs creates _cy and _years.
func (s *session) fillPairs(ctx context.Context, pairs []CoopYear, full bool, lo, hi int, have bool) error {
	c := s.conn
	if !have {
		lo, hi = 1, 0 // no years: empty range
	}
	if full {
		_, err := c.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _cy AS
			SELECT DISTINCT k.coop_id, y.year::INTEGER AS year FROM cooperatives k CROSS JOIN range(?, ?) y(year)`, lo, hi+1)
		if err != nil {
			return err
		}
	} else {
		if _, err := c.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _req (coop_id VARCHAR, year INTEGER)"); err != nil {
			return err
		}
		for i := 0; i < len(pairs); i += 500 {
			batch := pairs[i:min(i+500, len(pairs))]
			var ph []string
			var args []any
			for _, p := range batch {
				ph = append(ph, "(?, ?)")
				args = append(args, p.CoopID, p.Year)
			}
			if _, err := c.ExecContext(ctx, "INSERT INTO _req VALUES "+strings.Join(ph, ", "), args...); err != nil {
				return err
			}
		}
		// Pairs outside the network's years are dropped (RecomputeAll would
		// not have them either); a year with no values yet gets every cooperative.
		_, err := c.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _cy AS
			SELECT DISTINCT coop_id, year::INTEGER AS year FROM (
				SELECT r.coop_id, y.year FROM _req r CROSS JOIN range($1, $2) y(year) WHERE r.year = 0
				UNION ALL
				SELECT r.coop_id, r.year FROM _req r WHERE r.year >= $1 AND r.year < $2
				UNION ALL
				SELECT k.coop_id, y.year FROM cooperatives k CROSS JOIN range($1, $2) y(year)
				WHERE y.year NOT IN (SELECT DISTINCT year FROM indicator_values)
			) p
			WHERE coop_id IN (SELECT coop_id FROM cooperatives)`, lo, hi+1)
		if err != nil {
			return err
		}
	}
	_, err := c.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _years AS SELECT DISTINCT year FROM _cy")
	return err
}

// paramsInForce is every parameter's value: the hub's choice in metric_params
// when it is still allowed by the catalogue, else the default.
func (e *Engine) paramsInForce(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, ind := range e.Catalog.Indicators {
		for _, p := range ind.Params {
			if out[ind.ID] == nil {
				out[ind.ID] = map[string]string{}
			}
			out[ind.ID][p.Name] = p.Default
		}
	}
	rows, err := q.QueryContext(ctx, "SELECT indicator_id, param, value FROM metric_params")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, name, val string
		if err := rows.Scan(&id, &name, &val); err != nil {
			return nil, err
		}
		ind, ok := e.Catalog.Indicator(id)
		if !ok {
			continue
		}
		p, ok := ind.Param(name)
		if !ok {
			continue
		}
		canon, ok := ParseParamValue(p, val)
		if !ok {
			if e.Log != nil {
				e.Log.Warn("metric parameter no longer allowed: using the default", "indicator", id, "param", name, "value", val, "default", p.Default)
			}
			continue
		}
		out[id][name] = canon
	}
	return out, rows.Err()
}

// setParams SET VARIABLEs every parameter (values nil: the defaults).
func (c *Catalog) setParams(ctx context.Context, conn *sql.Conn, values map[string]map[string]string) error {
	for _, ind := range c.Indicators {
		for _, p := range ind.Params {
			v := p.Default
			if vv, ok := values[ind.ID][p.Name]; ok {
				v = vv
			}
			q := fmt.Sprintf(`SET VARIABLE "%s.%s" = %s`, ind.ID, p.Name, paramLiteral(p.Kind, v))
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("set parameter %s.%s: %w", ind.ID, p.Name, err)
			}
		}
	}
	return nil
}

func paramLiteral(kind, v string) string {
	switch kind {
	case KindInt:
		return v + "::BIGINT"
	case KindFloat:
		return v + "::DOUBLE"
	case KindBool:
		return v
	}
	return quote(v)
}

// paramsString is how a value records the parameters used: "basis=headcount",
// several joined by "; " in file order.
func paramsString(ind *Indicator, values map[string]map[string]string) string {
	var parts []string
	for _, p := range ind.Params {
		v := p.Default
		if vv, ok := values[ind.ID][p.Name]; ok {
			v = vv
		}
		parts = append(parts, p.Name+"="+v)
	}
	return strings.Join(parts, "; ")
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// compute runs one indicator's SQL into _raw. Non-finite results (DuckDB
// divides by zero to ±Inf) become NULL: not computable.
func (s *session) compute(ctx context.Context, ind *Indicator) error {
	brk := "''"
	if len(ind.Breakdowns) > 0 {
		brk = "coalesce(breakdown, '')"
	}
	q := fmt.Sprintf(`INSERT INTO _raw SELECT $1, coop_id, year::INTEGER, %s,
		CASE WHEN isfinite(value::DOUBLE) THEN value::DOUBLE END,
		CASE WHEN isfinite(numerator::DOUBLE) THEN numerator::DOUBLE END,
		CASE WHEN isfinite(denominator::DOUBLE) THEN denominator::DOUBLE END,
		n::BIGINT
		FROM (
%s
		) AS _q`, brk, ind.SQL)
	if _, err := s.conn.ExecContext(ctx, q, ind.ID); err != nil {
		return &IndicatorError{ID: ind.ID, File: ind.File, Err: errors.New(firstLine(err.Error()))}
	}
	return nil
}

// finish turns _raw into the rows of _iv, for one grain, in one statement: a
// main row for every pair of _cy (network: year of _years) and indicator,
// whether or not the SQL gave one, plus the breakdown rows; statuses,
// missing inputs and run ids come from _pw (_npw) through each indicator's
// lineage expressions, chosen by a CASE on the indicator.
func (s *session) finish(ctx context.Context, inds []*Indicator, network bool, now time.Time) error {
	if len(inds) == 0 {
		return nil
	}
	var ph []string
	var args []any
	// Indicators with the same expression share one branch (many read the same tables).
	missBy, runBy := newCaseBuilder(), newCaseBuilder()
	for _, ind := range inds {
		ph = append(ph, "(?, ?, ?, ?)")
		args = append(args, ind.ID, strings.Join(ind.AppliesTo, "\x1f"), paramsString(ind, s.params), ind.Version)
		missing, runs := s.lineage(ind)
		missBy.add(missing, ind.ID)
		runBy.add(runs, ind.ID)
	}
	if _, err := s.conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _ind (indicator_id VARCHAR, applies VARCHAR, params VARCHAR, version INTEGER)"); err != nil {
		return err
	}
	if _, err := s.conn.ExecContext(ctx, "INSERT INTO _ind VALUES "+strings.Join(ph, ", "), args...); err != nil {
		return err
	}
	miss, runs := missBy.sql(), runBy.sql()
	base := "_cy c LEFT JOIN cooperatives k ON k.coop_id = c.coop_id LEFT JOIN _pw m ON m.coop_id = c.coop_id AND m.year = c.year"
	on := "r.coop_id = c.coop_id AND r.year = c.year"
	app := "(i.applies = '' OR coalesce(list_contains(string_split(i.applies, '\x1f'), k.coop_type), false))"
	if network {
		base = "(SELECT NULL::VARCHAR AS coop_id, year FROM _years) c LEFT JOIN _npw m ON m.year = c.year"
		on = "r.year = c.year"
		app = "TRUE"
	}
	q := fmt.Sprintf(`INSERT INTO _iv (indicator_id, coop_id, year, breakdown, value, numerator, denominator, n,
		                   status, missing, params, formula_version, run_ids, computed_at)
		SELECT i.indicator_id, c.coop_id, c.year, '',
		       CASE WHEN %[1]s THEN r.value END, CASE WHEN %[1]s THEN r.numerator END,
		       CASE WHEN %[1]s THEN r.denominator END, CASE WHEN %[1]s THEN r.n END,
		       CASE WHEN NOT %[1]s THEN 'not_applicable' WHEN r.value IS NULL THEN 'not_computable' ELSE 'ok' END,
		       CASE WHEN %[1]s AND r.value IS NULL THEN %[4]s ELSE []::VARCHAR[] END,
		       i.params, i.version, CASE WHEN %[1]s THEN %[5]s ELSE []::BIGINT[] END, $1
		FROM %[2]s
		CROSS JOIN _ind i
		LEFT JOIN _raw r ON r.indicator_id = i.indicator_id AND r.breakdown = '' AND %[3]s
		UNION ALL
		SELECT i.indicator_id, c.coop_id, c.year, r.breakdown, r.value, r.numerator, r.denominator, r.n,
		       CASE WHEN r.value IS NULL THEN 'not_computable' ELSE 'ok' END,
		       CASE WHEN r.value IS NULL THEN %[4]s ELSE []::VARCHAR[] END,
		       i.params, i.version, %[5]s, $1
		FROM %[2]s
		JOIN _raw r ON r.breakdown <> '' AND %[3]s
		JOIN _ind i ON i.indicator_id = r.indicator_id
		WHERE %[1]s`, app, base, on, miss, runs)
	_, err := s.conn.ExecContext(ctx, q, now)
	return err
}

// coopYears fills _cyf, the facts of metric_coop_years for the pairs of _cy:
// the average FTE from the shared view m_fte_avg when the catalogue has it.
func (s *session) coopYears(ctx context.Context, now time.Time) error {
	fte := "NULL::DOUBLE"
	join := ""
	var n int
	if err := s.conn.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_views() WHERE view_name = 'm_fte_avg'").Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		fte = "a.fte_avg::DOUBLE"
		join = "LEFT JOIN m_fte_avg a ON a.coop_id = c.coop_id AND a.year = c.year"
	}
	_, err := s.conn.ExecContext(ctx, fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _cyf AS
		SELECT c.coop_id, c.year, %s AS fte_avg, ?::TIMESTAMP AS computed_at FROM _cy c %s`, fte, join), now)
	return err
}

// caseBuilder makes a CASE over i.indicator_id with one branch per
// distinct expression.
type caseBuilder struct {
	exprs []string
	ids   map[string][]string
}

func newCaseBuilder() *caseBuilder { return &caseBuilder{ids: map[string][]string{}} }

func (b *caseBuilder) add(expr, id string) {
	if _, ok := b.ids[expr]; !ok {
		b.exprs = append(b.exprs, expr)
	}
	b.ids[expr] = append(b.ids[expr], quote(id))
}

func (b *caseBuilder) sql() string {
	if len(b.exprs) == 1 {
		return b.exprs[0]
	}
	parts := []string{"CASE"}
	for _, e := range b.exprs {
		parts = append(parts, fmt.Sprintf("WHEN i.indicator_id IN (%s) THEN %s", strings.Join(b.ids[e], ", "), e))
	}
	return strings.Join(append(parts, "END"), " ")
}

// checkDuplicates refuses a recompute in which an indicator's SQL gave one
// (cooperative, year, breakdown) twice: each shows as two rows in _iv.
func (s *session) checkDuplicates(ctx context.Context) error {
	var id string
	var n int64
	err := s.conn.QueryRowContext(ctx, `SELECT indicator_id, count(*) FROM (
			SELECT indicator_id FROM _iv GROUP BY indicator_id, coop_id, year, breakdown HAVING count(*) > 1)
		GROUP BY indicator_id ORDER BY indicator_id LIMIT 1`).Scan(&id, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	ind, _ := s.e.Catalog.Indicator(id)
	return &IndicatorError{ID: id, File: ind.File, Err: fmt.Errorf("the SQL returned %d keys (coop_id, year, breakdown) more than once", n)}
}

// write replaces the affected rows of indicator_values in one transaction.
func (s *session) write(ctx context.Context, full bool, only map[string]bool) error {
	tx, err := s.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	del := "DELETE FROM indicator_values v WHERE TRUE"
	if !full {
		del += ` AND ((v.coop_id IS NOT NULL AND EXISTS (SELECT 1 FROM _cy c WHERE c.coop_id = v.coop_id AND c.year = v.year))
			   OR (v.coop_id IS NULL AND v.year IN (SELECT year FROM _years)))`
	}
	if only != nil {
		var ids []string
		for _, id := range sortedKeys(only) {
			ids = append(ids, quote(id))
		}
		del += " AND v.indicator_id IN (" + strings.Join(ids, ", ") + ")"
	}
	if _, err := tx.ExecContext(ctx, del); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO indicator_values SELECT * FROM _iv"); err != nil {
		return err
	}
	if only == nil {
		del := "DELETE FROM metric_coop_years"
		if !full {
			del += " v WHERE EXISTS (SELECT 1 FROM _cy c WHERE c.coop_id = v.coop_id AND c.year = v.year)"
		}
		if _, err := tx.ExecContext(ctx, del); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO metric_coop_years SELECT * FROM _cyf"); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *session) stats(ctx context.Context, st *Stats) error {
	if err := s.conn.QueryRowContext(ctx, "SELECT count(*) FROM _cy").Scan(&st.Pairs); err != nil {
		return err
	}
	rows, err := s.conn.QueryContext(ctx, "SELECT year FROM _years ORDER BY year")
	if err != nil {
		return err
	}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			rows.Close()
			return err
		}
		st.Years = append(st.Years, y)
	}
	rows.Close()
	rows, err = s.conn.QueryContext(ctx, "SELECT status, count(*) FROM _iv GROUP BY status")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		st.ByStatus[k] = n
		st.Rows += n
	}
	return rows.Err()
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
