package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"coopimpact/ingest/catalog"
	"coopimpact/ingest/parse"
	"coopimpact/ingest/read"
)

// load stages, validates and (when allowed) replaces the slices, all on one
// connection whose temp tables vanish with it. The final write — delete the
// slices, insert the rows, record problems, quarantine and the run's status —
// is ONE transaction: a crash at any moment leaves the old slice or the new.
func (s *Service) load(ctx context.Context, sc Scope, req Request, rep *Report, runID int64, progress func(string), arch *archiving) (struct{}, error) {
	var none struct{}
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return none, err
	}
	defer conn.Close()
	defer dropTemps(conn)

	if err := s.prepareConn(ctx, conn); err != nil {
		return none, err
	}
	format, err := read.Detect(req.Path)
	if err != nil {
		return none, asFileError(err, rep.File)
	}
	rep.Format = string(format)

	var ds *catalog.Dataset
	if req.Dataset != "" {
		if ds, err = s.dataset(req.Dataset); err != nil {
			return none, err
		}
	}
	if ds != nil && ds.Level == catalog.LevelHub && !sc.Hub {
		return none, fileErr("hub_only", "i dati «%s» li carica solo l'hub della rete", "only the network hub may load %q data", ds.Name)
	}
	progress("read")
	coopCtx := req.CoopID
	if coopCtx == "" && !sc.Hub {
		coopCtx = sc.CoopID
	}
	in, err := s.read(ctx, conn, req, format, ds, sc, coopCtx, rep.File)
	if err != nil {
		return none, err
	}
	defer in.close()
	ds, b, staged := in.ds, in.b, in.staged
	rep.Sheet = staged.Sheet
	rep.RowsRead = staged.Rows
	rep.Dataset = ds.Name
	b.Year = s.clock().Year()
	rep.Notices = in.notices
	sum, err := arch.hash()
	if err != nil {
		return none, fileErr("unreadable", "il file %s non si può leggere", "the file %s cannot be read", rep.File)
	}
	rep.SHA256 = sum
	if _, err := conn.ExecContext(ctx, `UPDATE ingest_runs SET sha256 = ? WHERE run_id = ?`, sum, runID); err != nil {
		return none, err
	}
	if prev, ok, err := s.previousLoad(ctx, conn, ds.Name, req.CoopID, rep.SHA256); err != nil {
		return none, err
	} else if ok {
		rep.Status = StatusUnchanged
		rep.RowsRead, rep.RowsLoaded, rep.RowsRejected = 0, 0, 0
		rep.Notices = append(rep.Notices, Notice{
			It: fmt.Sprintf("file identico a quello già caricato (caricamento n. %d): nessuna modifica", prev),
			En: fmt.Sprintf("same file as the one already loaded (run %d): nothing changed", prev)})
		_, err := conn.ExecContext(ctx, `UPDATE ingest_runs SET status = ?, finished_at = now(), dataset = ?, format = ?, sheet = ?, error = ? WHERE run_id = ?`,
			StatusUnchanged, ds.Name, rep.Format, nullStr(rep.Sheet), fmt.Sprintf("same file as run %d", prev), runID)
		return none, err
	}

	// User values enter the SQL only here, as bound parameters.
	var scopeCoop any
	if !sc.Hub {
		scopeCoop = sc.CoopID
	}
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _ctx AS SELECT ?::VARCHAR AS coop_id, ?::VARCHAR AS scope_coop`, nullStr(coopCtx), scopeCoop); err != nil {
		return none, err
	}
	progress("validate")
	if err := s.mapInput(ctx, conn, in); err != nil {
		return none, err
	}
	// Nothing is written before the file is safely archived.
	tw := time.Now()
	_, _, err = arch.wait()
	s.debug("waited for the archive copy", "duration", time.Since(tw))
	if err != nil {
		return none, fmt.Errorf("archive the file: %w", err)
	}
	// Most files are clean: load them in one pass and check afterwards; only
	// a file with problems pays for the detailed checks below.
	if done, err := s.cleanLoad(ctx, conn, ds, b, req, rep, runID, in, progress); err != nil || done {
		return none, err
	}
	if in.lane != nil {
		// The detailed checks work on a staged table, and its spellings.
		if err := in.stage(ctx, conn); err != nil {
			return none, err
		}
		if err := s.mapInput(ctx, conn, in); err != nil {
			return none, err
		}
	}
	var nBad, nKeyed, nDistinct int64
	t0 := time.Now()
	if err := conn.QueryRowContext(ctx, checkSQL(ds, b)).Scan(&nBad, &nKeyed, &nDistinct); err != nil {
		return none, fmt.Errorf("validate %s: %w", ds.Name, err)
	}
	s.debug("validation pass", "rows_with_problems", nBad, "duration", time.Since(t0))
	for _, q := range problemsSQL(ds, b, nBad > 0, nDistinct < nKeyed) {
		t0 := time.Now()
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return none, fmt.Errorf("validate %s: %w", ds.Name, err)
		}
		s.debug("validation step", "sql", firstLine(q), "duration", time.Since(t0))
	}
	var badRows int64
	if err := conn.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT _rid) FROM problems`).Scan(&rep.ProblemsTotal, &badRows); err != nil {
		return none, err
	}
	if err := s.fillMessages(ctx, conn, ds, b.Year); err != nil {
		return none, err
	}
	if rep.Problems, err = reportProblems(ctx, conn, staged.Sheet); err != nil {
		return none, err
	}

	refuse := rep.ProblemsTotal > 0 && !req.AllowRejects
	if refuse {
		rep.Status, rep.RowsLoaded, rep.RowsRejected = StatusRejected, 0, rep.RowsRead
	} else {
		rep.Status, rep.RowsRejected, rep.RowsLoaded = StatusLoaded, badRows, rep.RowsRead-badRows
		if _, err := conn.ExecContext(ctx, slicesSQL(ds, b, req.ReplaceAll, rep.ProblemsTotal > 0)); err != nil {
			return none, fmt.Errorf("slices: %w", err)
		}
		if rep.Slices, err = readSlices(ctx, conn); err != nil {
			return none, err
		}
	}

	progress("write")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return none, err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if !refuse {
		if _, err := tx.ExecContext(ctx, deleteSQL(ds, req.ReplaceAll)); err != nil {
			return none, fmt.Errorf("replace slices: %w", err)
		}
		if _, err := tx.ExecContext(ctx, insertSQL(ds, b, rep.ProblemsTotal > 0), runID); err != nil {
			return none, fmt.Errorf("insert rows: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ingest_run_slices SELECT ?, coop_id, period FROM _slices`, runID); err != nil {
			return none, fmt.Errorf("record slices: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, quarantineSQL(ds, b, refuse), runID, nullStr(staged.Sheet)); err != nil {
		return none, fmt.Errorf("quarantine: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ingest_problems (run_id, source_line, sheet, column_name, value, rule, message_it, message_en)
		SELECT ?, p._line, ?, p.col, p.value, p.rule, replace(m.it, '{coop}', coalesce(p.value, '')), replace(m.en, '{coop}', coalesce(p.value, '')) FROM problems p JOIN _msgs m ON m.col = p.col AND m.rule = p.rule`,
		runID, nullStr(staged.Sheet)); err != nil {
		return none, fmt.Errorf("record problems: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ingest_runs SET status = ?, finished_at = now(), dataset = ?, format = ?, sheet = ?,
		rows_read = ?, rows_loaded = ?, rows_rejected = ? WHERE run_id = ?`,
		rep.Status, ds.Name, rep.Format, nullStr(rep.Sheet), rep.RowsRead, rep.RowsLoaded, rep.RowsRejected, runID); err != nil {
		return none, err
	}
	return none, tx.Commit()
}

// prepareConn installs the parsing macros and the pseudonymisation macro on
// this connection only (TEMP: the key never reaches the database file).
func (s *Service) prepareConn(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, parse.MacrosSQL); err != nil {
		return fmt.Errorf("install parsing macros: %w", err)
	}
	if _, err := conn.ExecContext(ctx, pseudoMacroSQL(s.PseudoKey)); err != nil {
		return fmt.Errorf("install pseudonymisation: %w", err)
	}
	_, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP MACRO ci_enum_key(s) AS
		nullif(trim(regexp_replace(strip_accents(lower(trim(s))), '[\s_\-]+', ' ', 'g')), '')`)
	return err
}

func dropTemps(conn *sql.Conn) {
	ctx := context.Background()
	for _, q := range []string{"DROP TABLE IF EXISTS norm", "DROP TABLE IF EXISTS problems",
		"DROP TABLE IF EXISTS stg", "DROP TABLE IF EXISTS _slices", "DROP TABLE IF EXISTS _probs", "DROP TABLE IF EXISTS _msgs", "DROP TABLE IF EXISTS _ctx"} {
		_, _ = conn.ExecContext(ctx, q)
	}
	rows, err := conn.QueryContext(ctx, `SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE '\_map\_%' ESCAPE '\'`)
	if err != nil {
		return
	}
	var maps []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			maps = append(maps, n)
		}
	}
	rows.Close()
	for _, n := range maps {
		q := "DROP TABLE IF EXISTS " + ident(n)
		_, _ = conn.ExecContext(ctx, q)
	}
}

// fillMessages writes the Italian and English sentence of every rule the
// dataset can break into _msgs, so problems are stored with their words.
func (s *Service) fillMessages(ctx context.Context, conn *sql.Conn, ds *catalog.Dataset, year int) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _msgs (col VARCHAR, rule VARCHAR, it VARCHAR, en VARCHAR)`); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, `SELECT DISTINCT col, rule FROM problems`)
	if err != nil {
		return err
	}
	var pairs [][2]string
	for rows.Next() {
		var c, r string
		if err := rows.Scan(&c, &r); err != nil {
			rows.Close()
			return err
		}
		pairs = append(pairs, [2]string{c, r})
	}
	rows.Close()
	for _, p := range pairs {
		t := ruleText(s.Catalog, ds, p[0], p[1], year)
		if _, err := conn.ExecContext(ctx, `INSERT INTO _msgs VALUES (?, ?, ?, ?)`, p[0], p[1], t.It, t.En); err != nil {
			return err
		}
	}
	return nil
}

func reportProblems(ctx context.Context, conn *sql.Conn, sheet string) ([]Problem, error) {
	rows, err := conn.QueryContext(ctx, `SELECT p._line, p.col, coalesce(p.value, ''), p.rule,
		replace(m.it, '{coop}', coalesce(p.value, '')), replace(m.en, '{coop}', coalesce(p.value, ''))
		FROM problems p JOIN _msgs m ON m.col = p.col AND m.rule = p.rule ORDER BY p._line, p.col, p.rule LIMIT ?`, MaxReportedProblems)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Problem{}
	for rows.Next() {
		p := Problem{Sheet: sheet}
		if err := rows.Scan(&p.Line, &p.Column, &p.Value, &p.Rule, &p.MessageIt, &p.MessageEn); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func readSlices(ctx context.Context, conn *sql.Conn) ([]Slice, error) {
	rows, err := conn.QueryContext(ctx, `SELECT coalesce(coop_id, ''), period FROM _slices ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Slice{}
	for rows.Next() {
		var sl Slice
		if err := rows.Scan(&sl.CoopID, &sl.Period); err != nil {
			return nil, err
		}
		out = append(out, sl)
	}
	return out, rows.Err()
}

// asFileError maps the reader's file-level errors to ours.
func asFileError(err error, file string) error {
	var re *read.FileError
	if errors.As(err, &re) {
		return &FileError{Code: re.Code, It: file + ": " + re.It, En: file + ": " + re.En}
	}
	return err
}

// pseudoMacroSQL defines ci_pseudo(s) = HMAC-SHA-256(key, s) (32 bytes) in SQL, so
// identifiers are pseudonymised inside DuckDB's vectorised engine:
// HMAC(K, m) = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) with a 64-byte block.
func pseudoMacroSQL(key []byte) string {
	k := make([]byte, 64)
	copy(k, key) // keys are 32 bytes, shorter than the block
	ipad, opad := make([]byte, 64), make([]byte, 64)
	for i := range k {
		ipad[i] = k[i] ^ 0x36
		opad[i] = k[i] ^ 0x5c
	}
	return fmt.Sprintf(`CREATE OR REPLACE TEMP MACRO ci_pseudo(s) AS
		CASE WHEN s IS NULL THEN NULL ELSE unhex(sha256(unhex('%x') || unhex(sha256(unhex('%x') || encode(s))))) END`, opad, ipad)
}

func firstLine(q string) string {
	if i := strings.IndexByte(q, '\n'); i >= 0 {
		q = q[:i]
	}
	if len(q) > 80 {
		q = q[:80]
	}
	return q
}

// cleanLoad is the fast path: in one transaction, insert every row that
// breaks no rule, then check that none was left out and no key repeats
// (among the staged spellings, checked first, or the inserted values); if
// so, replace the old slices and commit. Otherwise it rolls back and reports
// done=false, and the caller lists every problem.
func (s *Service) cleanLoad(ctx context.Context, conn *sql.Conn, ds *catalog.Dataset, b *binding, req Request,
	rep *Report, runID int64, in *input, progress func(string)) (bool, error) {
	// Repeated keys counted on the staged spellings, before anything is
	// written: the hash table is gone before the insert needs the memory.
	onSpellings := false
	if len(ds.Keys) > 0 {
		t0 := time.Now()
		var err error
		if onSpellings, err = s.spellingsAreKeys(ctx, conn, ds, b); err != nil {
			return false, err
		}
		if onSpellings {
			var dups int64
			switch {
			case in.lane != nil && !in.lane.KeysDistinct:
				dups = -1 // a repeat, or a hash collision: the detailed checks tell
			case in.lane == nil:
				if err := conn.QueryRowContext(ctx, stagedDupCountSQL(ds, b)).Scan(&dups); err != nil {
					return false, err
				}
			}
			s.debug("duplicate keys", "repeats", dups, "on_spellings", true, "lane", in.lane != nil, "duration", time.Since(t0))
			if dups != 0 {
				return false, nil
			}
		}
	}
	insert := cleanInsertSQL(ds, b)
	if in.lane != nil {
		// A mapped column's rules are checked once per spelling, on its map.
		t0 := time.Now()
		for _, c := range ds.Columns {
			if !b.Mapped[c.Name] {
				continue
			}
			var n int64
			if err := conn.QueryRowContext(ctx, mapProblemsSQL(ds, b, c.Name)).Scan(&n); err != nil {
				return false, err
			}
			if n > 0 {
				s.debug("spellings with problems", "column", c.Name, "spellings", n)
				return false, nil
			}
		}
		s.debug("spellings checked", "duration", time.Since(t0))
		insert = laneInsertSQL(ds, b, in.lane.Source())
		// DuckDB cannot tell how many rows read_csv will give, and would
		// hash the file's rows to probe them with the small maps: keep the
		// maps on the build side.
		if _, err := conn.ExecContext(ctx, "SET disabled_optimizers = 'build_side_probe_side'"); err != nil {
			return false, err
		}
		defer conn.ExecContext(context.Background(), "RESET disabled_optimizers") //nolint:errcheck
	}
	t0 := time.Now()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	res, err := tx.ExecContext(ctx, insert, runID)
	if err != nil {
		return false, fmt.Errorf("insert rows: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	s.debug("clean pass", "rows", n, "of", in.staged.Rows, "lane", in.lane != nil, "duration", time.Since(t0))
	if n != in.staged.Rows {
		return false, nil
	}
	if len(ds.Keys) > 0 && !onSpellings {
		t0 = time.Now()
		var dups int64
		if err := tx.QueryRowContext(ctx, dupCountSQL(ds), runID).Scan(&dups); err != nil {
			return false, err
		}
		s.debug("duplicate keys", "repeats", dups, "on_spellings", false, "duration", time.Since(t0))
		if dups > 0 {
			return false, nil
		}
	}
	spellings, err := in.spellings(ctx, conn, sliceColumns(ds))
	if err != nil {
		return false, err
	}
	progress("write")
	t0 = time.Now()
	if _, err := tx.ExecContext(ctx, cleanSlicesSQL(ds, b, req.ReplaceAll, spellings)); err != nil {
		return false, fmt.Errorf("slices: %w", err)
	}
	s.debug("slices", "duration", time.Since(t0))
	t0 = time.Now()
	if _, err := tx.ExecContext(ctx, replaceOldSQL(ds, req.ReplaceAll), runID); err != nil {
		return false, fmt.Errorf("replace slices: %w", err)
	}
	s.debug("old rows of the slices deleted", "duration", time.Since(t0))
	if _, err := tx.ExecContext(ctx, `INSERT INTO ingest_run_slices SELECT ?, coop_id, period FROM _slices`, runID); err != nil {
		return false, fmt.Errorf("record slices: %w", err)
	}
	rep.Status, rep.RowsLoaded, rep.RowsRejected = StatusLoaded, n, 0
	if _, err := tx.ExecContext(ctx, `UPDATE ingest_runs SET status = ?, finished_at = now(), dataset = ?, format = ?, sheet = ?,
		rows_read = ?, rows_loaded = ?, rows_rejected = 0 WHERE run_id = ?`,
		rep.Status, ds.Name, rep.Format, nullStr(rep.Sheet), rep.RowsRead, rep.RowsLoaded, runID); err != nil {
		return false, err
	}
	t0 = time.Now()
	if err := tx.Commit(); err != nil {
		return false, err
	}
	s.debug("commit", "duration", time.Since(t0))
	rep.Slices, err = readSlices(ctx, conn)
	return true, err
}

// spellingsAreKeys tells whether duplicate keys can be counted on the staged
// spellings: every key column is read through a map (or is the upload's
// cooperative) whose distinct spellings give distinct, non-blank values.
// Otherwise two spellings of one value ("servizio", "assistenza") could hide
// a repeat, and the caller counts on the inserted values instead.
func (s *Service) spellingsAreKeys(ctx context.Context, conn *sql.Conn, ds *catalog.Dataset, b *binding) (bool, error) {
	for _, k := range ds.Keys {
		if k == "coop_id" && b.CoopCtx {
			continue
		}
		if !b.Mapped[k] || b.Checkbox[k] {
			return false, nil
		}
		var oneToOne bool
		m := mapTable(k)
		// The lane's maps may list a spelling twice, under two codes.
		q := fmt.Sprintf("SELECT count(*) = count(v) AND count(v) = count(DISTINCT v) FROM (SELECT DISTINCT raw, v FROM %s)", m)
		if err := conn.QueryRowContext(ctx, q).Scan(&oneToOne); err != nil {
			return false, err
		}
		if !oneToOne {
			return false, nil
		}
	}
	return true, nil
}
