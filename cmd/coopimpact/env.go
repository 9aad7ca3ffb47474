package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"coopimpact/ingest"
	"coopimpact/ingest/catalog"

	"coopimpact/internal/auth"
	"coopimpact/internal/blob"
	"coopimpact/internal/config"
	"coopimpact/internal/secret"
	"coopimpact/internal/store"
	"coopimpact/metrics"
)

// env is what most subcommands open: the database, object storage and keys.
type env struct {
	common config.Common
	log    *slog.Logger
	db     *store.DB
	blob   blob.Store
	keys   secret.Keys
}

// newLogger writes text on a terminal and JSON with --log-format json.
func newLogger(c config.Common, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(c.LogFormat) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", c.LogFormat)
}

// isTerminal tells whether w is an interactive terminal (for progress bars).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// openEnv opens everything in dependency order and migrates the database.
// Errors are single sentences fit to print.
func openEnv(ctx context.Context, c config.Common, log *slog.Logger) (*env, error) {
	e := &env{common: c, log: log}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the data folder %s: %v", c.DataDir, err)
	}
	keys, err := secret.LoadOrCreate(c.SecretPath())
	if err != nil {
		return nil, err
	}
	e.keys = keys
	db, err := store.Open(ctx, c.DBPath(), store.Options{TempDir: c.TempDir(), MemoryLimit: c.MemoryLimit})
	if err != nil {
		return nil, err
	}
	e.db = db
	if _, err := db.Migrate(ctx, migrations()); err != nil {
		db.Close()
		return nil, err
	}
	if cfg, ok := blob.S3ConfigFromEnv(); ok {
		e.blob, err = blob.NewS3(ctx, cfg)
	} else {
		e.blob, err = blob.NewLocal(c.BlobDir(), keys.Signing, "")
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("object storage: %v", err)
	}
	return e, nil
}

// migrations assembles every package's migrations in one list.
func migrations() []store.Migration {
	m := append(store.Core(), ingest.Migrations()...)
	m = append(m, auth.Migrations()...)
	return append(m, metrics.Migrations()...)
}

// ingestService is the loader bound to this environment.
func (e *env) ingestService(retention time.Duration) *ingest.Service {
	return &ingest.Service{DB: e.db, Blob: e.blob, Catalog: catalog.Default(), PseudoKey: e.keys.Pseudonym,
		ArchiveKey: e.keys.Encryption, TempDir: e.common.TempDir(), Retention: retention, Log: e.log}
}

func (e *env) Close() error {
	if e.db != nil {
		return e.db.Close()
	}
	return nil
}
