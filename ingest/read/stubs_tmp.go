package read

import (
	"context"
	"database/sql"
)

func stageXLSX(ctx context.Context, conn *sql.Conn, path, table string, opts Options) (*Staged, error) {
	return nil, nil
}
func stageJSON(ctx context.Context, conn *sql.Conn, path, table string, f Format, opts Options) (*Staged, error) {
	return nil, nil
}
func stageParquet(ctx context.Context, conn *sql.Conn, path, table string) (*Staged, error) {
	return nil, nil
}
