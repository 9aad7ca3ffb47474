package metrics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	ingestcatalog "coopimpact/ingest/catalog"
)

// discard closes a connection instead of returning it to the pool, so no
// TEMP object of a recompute (views, _cy, shadow tables) reaches another user
// of the pool (an ingest deleting from "workers" must never meet a shadow).
func discard(conn *sql.Conn) {
	conn.Raw(func(any) error { return driver.ErrBadConn }) //nolint:errcheck // ErrBadConn is the point
	conn.Close()
}

// shadowShare is the largest share of the registry an incremental recompute
// restricts itself to; above it copying the rows costs more than it saves.
const shadowShare = 0.25

// shadow restricts an incremental recompute to the cooperatives it
// recomputes: a TEMP table of the same name holds only their rows of each
// canonical table, and unqualified names (the shared views bind late)
// resolve to it. Cooperative-grain indicators depend only on the
// cooperative's own rows (docs/metrics.md), so the values are the same, at
// the cost of the few rows copied instead of views over the whole network.
// Shared views that are facts of the whole network (no coop_id column, such
// as m_open_year) are computed over the whole network first.
func (s *session) shadow(ctx context.Context) error {
	var coops, all int
	if err := s.conn.QueryRowContext(ctx, "SELECT (SELECT count(DISTINCT coop_id) FROM _cy), (SELECT count(*) FROM cooperatives)").Scan(&coops, &all); err != nil {
		return err
	}
	if coops == 0 || float64(coops) > shadowShare*float64(all) {
		return nil
	}
	var dbName string
	if err := s.conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&dbName); err != nil {
		return err
	}
	// A literal list lets DuckDB skip row groups by their min/max coop_id.
	rows, err := s.conn.QueryContext(ctx, "SELECT DISTINCT coop_id FROM _cy ORDER BY 1")
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, quote(id))
	}
	rows.Close()
	in := strings.Join(ids, ", ")
	tables := map[string]bool{}
	for _, d := range ingestcatalog.Default().Datasets {
		tables[d.Table] = true
	}
	for t := range s.coopTables {
		tables[t] = true
	}
	for t := range s.netTables {
		tables[t] = true
	}
	delete(tables, "targets")
	for _, t := range sortedKeys(tables) {
		if _, ok := s.schema[t]["coop_id"]; !ok {
			continue
		}
		q := fmt.Sprintf("CREATE TEMP TABLE %s AS SELECT * FROM %s.main.%s WHERE coop_id IN (%s)", ident(t), ident(dbName), ident(t), in)
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			return err
		}
		s.shadows = append(s.shadows, t)
	}
	return nil
}

// unshadow drops the shadow tables (before anything writes).
func (s *session) unshadow(ctx context.Context) error {
	for _, t := range s.shadows {
		if _, err := s.conn.ExecContext(ctx, "DROP TABLE temp.main."+ident(t)); err != nil {
			return err
		}
	}
	s.shadows = nil
	return nil
}
