// Package store opens the DuckDB file that holds every canonical table and
// applies the embedded, ordered, recorded migrations.
//
// One process owns the file: the server holds it while it runs, and the CLI
// opens it only when no server does. A second opener gets ErrLocked, which
// carries one plain sentence instead of the driver's message.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

// DB is the application's handle on the DuckDB file.
type DB struct {
	*sql.DB
	Path string
}

// Options tune DuckDB; zero values keep DuckDB's defaults.
type Options struct {
	TempDir     string // where DuckDB spills when memory_limit is reached
	MemoryLimit string // e.g. "2GB"
	Threads     int
}

// ErrLocked means another process holds the database file.
type ErrLocked struct {
	Path string
	PID  string // the holder's PID when DuckDB names it
}

func (e *ErrLocked) Error() string {
	holder := "another coopimpact process"
	if e.PID != "" {
		holder += " (PID " + e.PID + ")"
	}
	return fmt.Sprintf("the database %s is in use by %s: use the running server (upload page or API) or stop it, then run this command again", e.Path, holder)
}

var lockPID = regexp.MustCompile(`\(PID (\d+)\)`)

// Open opens (creating if needed) the DuckDB file at path and checks it answers.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
	}
	q := url.Values{}
	if opt.TempDir != "" {
		if err := os.MkdirAll(opt.TempDir, 0o700); err != nil {
			return nil, fmt.Errorf("create temp folder: %w", err)
		}
		q.Set("temp_directory", opt.TempDir)
	}
	if opt.MemoryLimit != "" {
		q.Set("memory_limit", opt.MemoryLimit)
	}
	if opt.Threads > 0 {
		q.Set("threads", fmt.Sprint(opt.Threads))
	}
	dsn := path
	if len(q) > 0 {
		dsn += "?" + q.Encode()
	}
	sdb, err := sql.Open("duckdb", dsn)
	if err != nil {
		return nil, classify(path, err)
	}
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := sdb.PingContext(pctx); err != nil {
		sdb.Close()
		return nil, classify(path, err)
	}
	return &DB{DB: sdb, Path: path}, nil
}

// classify turns DuckDB's lock conflict into ErrLocked and leaves other errors wrapped.
func classify(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock") {
		e := &ErrLocked{Path: path}
		if m := lockPID.FindStringSubmatch(msg); m != nil {
			e.PID = m[1]
		}
		return e
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

// Ping is the readiness probe: DuckDB answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return err
	}
	if one != 1 {
		return errors.New("database answered an unexpected value")
	}
	return nil
}
