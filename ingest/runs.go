package ingest

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"coopimpact/internal/blob"
)

// beginRun records the attempt before anything else, so even a crash leaves a trace.
func (s *Service) beginRun(ctx context.Context, sc Scope, req Request, rep *Report, size int64, start time.Time) (int64, error) {
	user := sc.User
	if user == "" {
		user = "unknown"
	}
	var coop any
	if req.CoopID != "" {
		coop = req.CoopID
	}
	var id int64
	err := s.DB.QueryRowContext(ctx, `INSERT INTO ingest_runs
		(started_at, uploaded_by, dataset, coop_id, file_name, sha256, size_bytes, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING run_id`,
		start, user, req.Dataset, coop, rep.File, rep.SHA256, size, StatusRunning).Scan(&id)
	return id, err
}

// finishRun records a run that ended outside the load transaction.
func (s *Service) finishRun(ctx context.Context, runID int64, rep *Report, status string, start time.Time, msg, key string) {
	rep.Status = status
	// A background context: the record must be written even if the request was cancelled.
	_, _ = s.DB.ExecContext(context.WithoutCancel(ctx), `UPDATE ingest_runs SET status = ?, finished_at = ?, duration_ms = ?,
		error = ?, blob_key = ?, rows_read = ?, rows_loaded = ?, rows_rejected = ?, dataset = ?, format = ?, sheet = ?, sha256 = ?
		WHERE run_id = ?`, status, s.clock(), s.clock().Sub(start).Milliseconds(), nullStr(msg), nullStr(key),
		rep.RowsRead, rep.RowsLoaded, rep.RowsRejected, rep.Dataset, rep.Format, nullStr(rep.Sheet), rep.SHA256, runID)
}

// markInterrupted closes runs left "running" by a process that died: their
// transaction never committed, so nothing of them is in the tables.
func (s *Service) markInterrupted(ctx context.Context) {
	s.interrupted.Do(func() {
		_, _ = s.DB.ExecContext(ctx, `UPDATE ingest_runs SET status = ?, error = 'the process stopped before the load finished; nothing was loaded'
			WHERE status = ?`, StatusInterrupted, StatusRunning)
	})
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Run is one ingest_runs record.
type Run struct {
	RunID        int64     `json:"run_id"`
	StartedAt    time.Time `json:"started_at"`
	UploadedBy   string    `json:"uploaded_by"`
	Dataset      string    `json:"dataset"`
	CoopID       string    `json:"coop_id"`
	FileName     string    `json:"file_name"`
	SHA256       string    `json:"sha256"`
	SizeBytes    int64     `json:"size_bytes"`
	Format       string    `json:"format"`
	Sheet        string    `json:"sheet,omitempty"`
	RowsRead     int64     `json:"rows_read"`
	RowsLoaded   int64     `json:"rows_loaded"`
	RowsRejected int64     `json:"rows_rejected"`
	Status       string    `json:"status"`
	DurationMS   int64     `json:"duration_ms"`
	Error        string    `json:"error,omitempty"`
	Archived     bool      `json:"archived"`
}

// RunFilter narrows Runs.
type RunFilter struct {
	CoopID string
	Limit  int
}

// Runs lists ingest runs, newest first, limited to what the scope may see:
// a cooperative sees the runs about it; the hub sees all.
func (s *Service) Runs(ctx context.Context, sc Scope, f RunFilter) ([]Run, error) {
	q := `SELECT run_id, started_at, uploaded_by, dataset, coalesce(coop_id, ''), file_name, sha256, size_bytes,
		coalesce(format, ''), coalesce(sheet, ''), rows_read, rows_loaded, rows_rejected, status, coalesce(duration_ms, 0),
		coalesce(error, ''), blob_key IS NOT NULL FROM ingest_runs WHERE 1=1`
	var args []any
	if !sc.Hub {
		q += " AND coop_id = ?"
		args = append(args, sc.CoopID)
	}
	if f.CoopID != "" {
		// A run is about a cooperative when it names it or its rows replaced one of its slices.
		q += " AND (coop_id = ? OR run_id IN (SELECT run_id FROM ingest_run_slices WHERE coop_id = ?))"
		args = append(args, f.CoopID, f.CoopID)
	}
	q += " ORDER BY run_id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		if err := rows.Scan(&r.RunID, &r.StartedAt, &r.UploadedBy, &r.Dataset, &r.CoopID, &r.FileName, &r.SHA256, &r.SizeBytes,
			&r.Format, &r.Sheet, &r.RowsRead, &r.RowsLoaded, &r.RowsRejected, &r.Status, &r.DurationMS, &r.Error, &r.Archived); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PurgeArchive deletes archived files older than the retention period whose
// content no newer run still points to. It returns how many it deleted.
func (s *Service) PurgeArchive(ctx context.Context) (int, error) {
	if s.Retention <= 0 {
		return 0, nil
	}
	cutoff := s.clock().Add(-s.Retention)
	rows, err := s.DB.QueryContext(ctx, `SELECT blob_key FROM ingest_runs WHERE blob_key IS NOT NULL
		GROUP BY blob_key HAVING max(started_at) < ?`, cutoff)
	if err != nil {
		return 0, err
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return 0, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	n := 0
	for _, k := range keys {
		if err := s.Blob.Delete(ctx, k); err != nil && !errors.Is(err, blob.ErrNotFound) {
			return n, err
		}
		if _, err := s.DB.ExecContext(ctx, `UPDATE ingest_runs SET blob_key = NULL WHERE blob_key = ?`, k); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// previousLoad finds a loaded run of the same file, dataset and cooperative
// with no later load of that dataset since: loading it again changes nothing.
func (s *Service) previousLoad(ctx context.Context, conn *sql.Conn, dataset, coop, sum string) (int64, bool, error) {
	var id int64
	err := conn.QueryRowContext(ctx, `SELECT r.run_id FROM ingest_runs r
		WHERE r.sha256 = ? AND r.dataset = ? AND coalesce(r.coop_id, '') = ? AND r.status = 'loaded'
		AND NOT EXISTS (SELECT 1 FROM ingest_runs l WHERE l.dataset = r.dataset AND l.status = 'loaded' AND l.run_id > r.run_id)
		ORDER BY r.run_id DESC LIMIT 1`, sum, dataset, strings.TrimSpace(coop)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}
