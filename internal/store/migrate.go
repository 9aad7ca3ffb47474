package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
)

// Migration is one schema change. IDs sort lexically ("0001_core" < "0100_ingest");
// each package that owns tables contributes its own, assembled in one list by the caller.
type Migration struct {
	ID  string
	SQL string
}

//go:embed migrations/*.sql
var coreFS embed.FS

// Core returns the store's own migrations (ingest runs, users, sessions, …).
func Core() []Migration {
	entries, err := fs.Glob(coreFS, "migrations/*.sql")
	if err != nil {
		panic(err) // the pattern is a constant
	}
	var out []Migration
	for _, name := range entries {
		b, err := coreFS.ReadFile(name)
		if err != nil {
			panic(err)
		}
		id := strings.TrimSuffix(strings.TrimPrefix(name, "migrations/"), ".sql")
		out = append(out, Migration{ID: id, SQL: string(b)})
	}
	return out
}

// MigrationError names the migration that failed; the file is left as it was.
type MigrationError struct {
	ID  string
	Err error
}

func (e *MigrationError) Error() string { return fmt.Sprintf("migration %s failed: %v", e.ID, e.Err) }
func (e *MigrationError) Unwrap() error { return e.Err }

// Migrate applies, in ID order, every migration not yet recorded in
// schema_migrations. Each runs in its own transaction together with its
// record, so a failing migration leaves both the schema and the record as they were.
func (db *DB) Migrate(ctx context.Context, migs []Migration) (applied []string, err error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		id VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	sorted := append([]Migration(nil), migs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].ID == sorted[i-1].ID {
			return nil, fmt.Errorf("two migrations share the id %s", sorted[i].ID)
		}
	}
	done := map[string]bool{}
	rows, err := db.QueryContext(ctx, `SELECT id FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		done[id] = true
	}
	rows.Close()
	for _, m := range sorted {
		if done[m.ID] {
			continue
		}
		if err := db.apply(ctx, m); err != nil {
			return applied, &MigrationError{ID: m.ID, Err: err}
		}
		applied = append(applied, m.ID)
	}
	return applied, nil
}

func (db *DB) apply(ctx context.Context, m Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)`, m.ID, time.Now().UTC()); err != nil {
		return err
	}
	return tx.Commit()
}
