// Package ingest loads the files cooperatives hand over into DuckDB:
// the data contract as data (ingest/catalog), readers that stage any format
// (ingest/read), the value parsers (ingest/parse), validation in SQL, atomic
// replacement of (coop_id, period) slices, quarantine, ingest runs and lineage,
// and the encrypted archive of every file received.
package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"coopimpact/ingest/catalog"
	"coopimpact/internal/blob"
	"coopimpact/internal/store"
)

// Scope is who is loading: the hub (any cooperative) or one cooperative.
type Scope struct {
	User   string // e-mail or "cli"
	Hub    bool
	CoopID string // the user's cooperative when not Hub
	Admin  bool   // hub admin or the cooperative's data manager
}

// Request is one file to load.
type Request struct {
	Dataset      string             // "" = detect from the headers
	CoopID       string             // the cooperative the file is about when rows do not say
	FileName     string             // as the user named it
	Path         string             // where it is on disk now
	Sheet        string             // xlsx
	AllowRejects bool               // load the good rows, quarantine the rest
	ReplaceAll   bool               // workers: replace the whole roster
	Progress     func(stage string) // optional: called as the load advances
}

// Slice is one (cooperative, period) pair a load replaced.
type Slice struct {
	CoopID string `json:"coop_id"`
	Period string `json:"period"`
}

// Report is what a load tells the user; the CLI prints it as JSON unchanged.
type Report struct {
	Dataset       string    `json:"dataset"`
	File          string    `json:"file"`
	SHA256        string    `json:"sha256"`
	Status        string    `json:"status"` // loaded | rejected | unchanged | refused
	RowsRead      int64     `json:"rows_read"`
	RowsLoaded    int64     `json:"rows_loaded"`
	RowsRejected  int64     `json:"rows_rejected"`
	Problems      []Problem `json:"problems"`
	ProblemsTotal int64     `json:"problems_total"`
	Slices        []Slice   `json:"slices"`
	RunID         int64     `json:"run_id"`
	Notices       []Notice  `json:"notices,omitempty"`
	Error         *Notice   `json:"error,omitempty"` // set when refused
	Format        string    `json:"format,omitempty"`
	Sheet         string    `json:"sheet,omitempty"`
}

// Notice is an informational sentence in both languages.
type Notice struct {
	It string `json:"it"`
	En string `json:"en"`
}

// Run statuses.
const (
	StatusRunning     = "running"
	StatusLoaded      = "loaded"
	StatusRejected    = "rejected"
	StatusUnchanged   = "unchanged"
	StatusRefused     = "refused"
	StatusFailed      = "failed"
	StatusInterrupted = "interrupted"
)

// MaxReportedProblems caps the problems carried in a report; all of them are
// stored in ingest_problems and counted in ProblemsTotal.
const MaxReportedProblems = 5000

// Service loads files. One load runs at a time: DuckDB has one writer, and
// serialising keeps each run's transaction short and its slices unambiguous.
type Service struct {
	DB          *store.DB
	Blob        blob.Store
	Catalog     *catalog.Catalog
	PseudoKey   []byte
	ArchiveKey  []byte
	TempDir     string
	Retention   time.Duration
	AfterLoad   func(ctx context.Context, dataset string, slices []Slice) // e.g. metrics recompute
	Log         *slog.Logger                                              // optional: step timings at debug level
	noLane      bool                                                      // tests: stage every CSV file (no lane)
	mapAllBelow int                                                       // tests: see directBelow
	mu          sync.Mutex
	now         func() time.Time
	interrupted sync.Once
}

func (s *Service) debug(msg string, args ...any) {
	if s.Log != nil {
		s.Log.Debug(msg, args...)
	}
}

func (s *Service) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now().UTC()
}

// Ingest loads one file. The returned error is a *FileError when the file or
// request is unusable (nothing touched), or an internal failure; row problems
// are not errors: they come back in the report with status "rejected".
func (s *Service) Ingest(ctx context.Context, sc Scope, req Request) (*Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.markInterrupted(ctx)
	start := s.clock()
	rep := &Report{Dataset: req.Dataset, File: filepath.Base(req.FileName), Problems: []Problem{}, Slices: []Slice{}}
	if rep.File == "." || rep.File == "" {
		rep.File = filepath.Base(req.Path)
	}
	last, lastStage := start, "start"
	progress := func(stage string) {
		now := time.Now()
		s.debug("ingest step done", "step", lastStage, "duration", now.Sub(last))
		last, lastStage = now, stage
		if req.Progress != nil {
			req.Progress(stage)
		}
	}
	defer progress("end")

	fi, err := os.Stat(req.Path)
	if err != nil {
		return rep, fileErr("unreadable", "il file %s non si può leggere", "the file %s cannot be read", rep.File)
	}
	if fi.IsDir() {
		return rep, fileErr("unreadable", "%s è una cartella, non un file", "%s is a folder, not a file", rep.File)
	}
	runID, err := s.beginRun(ctx, sc, req, rep, fi.Size(), start)
	if err != nil {
		return rep, err
	}
	rep.RunID = runID
	// Hashing and archiving read the file while DuckDB stages it: on a large
	// file they would otherwise add a second or more before any work starts.
	arch := s.startArchive(ctx, req.Path)

	_, err = s.load(ctx, sc, req, rep, runID, progress, arch)
	// Every file handed over is archived, accepted or not.
	sum, key, aerr := arch.wait()
	rep.SHA256 = sum
	if aerr != nil {
		if err == nil || errors.As(err, new(*FileError)) {
			err = fmt.Errorf("archive the file: %w", aerr)
		}
	}
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			rep.Status = StatusRefused
			rep.Error = &Notice{It: fe.It, En: fe.En}
			s.finishRun(ctx, runID, rep, StatusRefused, start, fe.En, key)
			return rep, fe
		}
		rep.Status = StatusFailed
		s.finishRun(ctx, runID, rep, StatusFailed, start, err.Error(), key)
		return rep, err
	}
	// The load transaction already recorded the final status; add timing and the archive key.
	if _, err := s.DB.ExecContext(ctx, `UPDATE ingest_runs SET duration_ms = ?, blob_key = ?, sha256 = ? WHERE run_id = ?`,
		s.clock().Sub(start).Milliseconds(), key, sum, runID); err != nil {
		return rep, err
	}
	if rep.Status == StatusLoaded && s.AfterLoad != nil {
		s.AfterLoad(ctx, rep.Dataset, rep.Slices)
	}
	return rep, nil
}

// archiving hashes then archives a file in the background.
type archiving struct {
	hashed chan struct{}
	done   chan struct{}
	sum    string
	key    string
	err    error
}

func (s *Service) startArchive(ctx context.Context, path string) *archiving {
	a := &archiving{hashed: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		a.sum, a.err = hashFile(path)
		close(a.hashed)
		if a.err == nil {
			a.key, a.err = s.archive(context.WithoutCancel(ctx), path, a.sum)
		}
	}()
	return a
}

// hash waits for the SHA-256 only.
func (a *archiving) hash() (string, error) {
	<-a.hashed
	return a.sum, a.err
}

// wait waits for the archive copy.
func (a *archiving) wait() (sum, key string, err error) {
	<-a.done
	return a.sum, a.key, a.err
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// archive stores the encrypted file under raw/<sha256> once.
func (s *Service) archive(ctx context.Context, path, sum string) (string, error) {
	key := "raw/" + sum[:2] + "/" + sum + ".enc"
	if _, err := s.Blob.Stat(ctx, key); err == nil {
		return key, nil
	} else if !errors.Is(err, blob.ErrNotFound) {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(sealArchive(pw, f, s.ArchiveKey)) }()
	err = s.Blob.Put(ctx, key, pr, -1, "application/octet-stream")
	pr.CloseWithError(err)
	return key, err
}

// OpenArchived writes the file as received by run runID to w. Only a hub admin
// or an admin of the cooperative the run was about may download it; anyone
// else gets ErrNotFound, as for a run that does not exist.
func (s *Service) OpenArchived(ctx context.Context, sc Scope, runID int64, w io.Writer) (name string, err error) {
	var coop sql.NullString
	var key sql.NullString
	err = s.DB.QueryRowContext(ctx, `SELECT coop_id, blob_key, file_name FROM ingest_runs WHERE run_id = ?`, runID).Scan(&coop, &key, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", err
	}
	if !sc.Admin || (!sc.Hub && (!coop.Valid || coop.String != sc.CoopID)) {
		return "", ErrNotFound
	}
	if !key.Valid || key.String == "" {
		return "", ErrNotFound
	}
	rc, _, err := s.Blob.Get(ctx, key.String, nil)
	if errors.Is(err, blob.ErrNotFound) {
		return "", ErrNotFound // past retention
	}
	if err != nil {
		return "", err
	}
	defer rc.Close()
	return name, openArchive(w, rc, s.ArchiveKey)
}

// ErrNotFound is returned for runs or archives the scope may not see or that do not exist.
var ErrNotFound = errors.New("not found")
