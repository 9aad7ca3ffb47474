package parse

import (
	"context"
	"database/sql"
	_ "embed" // MacrosSQL
	"fmt"
)

// MacrosSQL creates the ci_* TEMP macros (see the package doc). Run it on
// every DuckDB connection that uses them; it is idempotent.
//
//go:embed macros.sql
var MacrosSQL string

// Execer is satisfied by *sql.Conn, *sql.Tx and *sql.DB.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// InstallMacros runs MacrosSQL on conn. Pass a *sql.Conn (or a *sql.DB limited
// to one connection): TEMP macros exist only on the connection that made them.
func InstallMacros(ctx context.Context, conn Execer) error {
	if _, err := conn.ExecContext(ctx, MacrosSQL); err != nil {
		return fmt.Errorf("parse: installing SQL macros: %w", err)
	}
	return nil
}
