package read

import (
	"database/sql"
	"database/sql/driver"
	"errors"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

var errNotDuckDB = errors.New("read: the connection is not a DuckDB connection")

// withAppender runs fn with a DuckDB appender on the temp table, closing
// (flushing) it afterwards.
func withAppender(conn *sql.Conn, table string, fn func(a *duckdb.Appender) error) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return errNotDuckDB
		}
		a, err := duckdb.NewAppender(c, "temp", "main", table)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			a.Close()
			return err
		}
		return a.Close()
	})
}

// AppendTemp appends rows to the TEMP table `table` through DuckDB's
// appender (no SQL text: values may be anything a user wrote).
func AppendTemp(conn *sql.Conn, table string, rows [][]any) error {
	return appendRows(conn, table, rows)
}

// appendRows appends small helper tables.
func appendRows(conn *sql.Conn, table string, rows [][]any) error {
	return withAppender(conn, table, func(a *duckdb.Appender) error {
		for _, r := range rows {
			vals := make([]driver.Value, len(r))
			for i, v := range r {
				vals[i] = v
			}
			if err := a.AppendRow(vals...); err != nil {
				return err
			}
		}
		return nil
	})
}
