package metrics

import (
	"context"
	"fmt"
	"regexp"
	"sort"
)

var viewNameRe = regexp.MustCompile(`\bm_[a-z0-9_]+\b`)

// materializeViews computes once each shared view (m_*) that two or more of
// the indicators to compute read, directly or through other views, and
// points the view at the result: DuckDB expands a view in every query that
// names it, so otherwise each indicator recomputes it (the spells of every
// worker in every year, for a dozen workforce indicators). Within one
// recompute the data, _cy and the parameters do not change, so the values
// are the same. The connection is discarded afterwards.
//
// networkWide materialises instead, before an incremental recompute shadows
// the tables, every view read by an indicator whose rows have no coop_id
// column: a view like that is a fact of the whole network (m_open_year, the
// latest year the data reaches), which the shadow tables would narrow to
// the cooperatives recomputed.
func (s *session) materializeViews(ctx context.Context, only map[string]bool, networkWide bool) ([]string, error) {
	rows, err := s.conn.QueryContext(ctx, `SELECT view_name, sql FROM duckdb_views() WHERE temporary AND starts_with(view_name, 'm_')`)
	if err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	var names []string
	texts := map[string]string{}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, name)
		texts[name] = text
	}
	rows.Close()
	isView := map[string]bool{}
	for _, n := range names {
		isView[n] = true
	}
	perCoop := map[string]bool{}
	if networkWide {
		rows, err := s.conn.QueryContext(ctx, `SELECT DISTINCT table_name FROM duckdb_columns()
			WHERE database_name = 'temp' AND starts_with(table_name, 'm_') AND column_name = 'coop_id'`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return nil, err
			}
			perCoop[n] = true
		}
		rows.Close()
	}
	mentioned := func(text, self string) []string {
		seen := map[string]bool{}
		var out []string
		for _, m := range viewNameRe.FindAllString(text, -1) {
			if isView[m] && m != self && !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
		return out
	}
	for _, n := range names {
		deps[n] = mentioned(texts[n], n)
	}
	users := map[string]int{}
	for _, ind := range s.e.Catalog.Indicators {
		if only != nil && !only[ind.ID] {
			continue
		}
		reach := map[string]bool{}
		var walk func(v string)
		walk = func(v string) {
			if reach[v] {
				return
			}
			reach[v] = true
			for _, d := range deps[v] {
				walk(d)
			}
		}
		for _, v := range mentioned(ind.SQL, "") {
			walk(v)
		}
		for v := range reach {
			users[v]++
		}
	}
	// Dependencies first, so a view is computed from its materialised inputs.
	var order []string
	done := map[string]bool{}
	var visit func(v string)
	visit = func(v string) {
		if done[v] {
			return
		}
		done[v] = true
		for _, d := range deps[v] {
			visit(d)
		}
		switch {
		case s.materialized[v]:
		case networkWide && users[v] >= 1 && !perCoop[v]:
			order = append(order, v)
		case !networkWide && users[v] >= 2:
			order = append(order, v)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		visit(n)
	}
	for _, v := range order {
		mat := ident("_mat_" + v)
		q := fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS SELECT * FROM %s; CREATE OR REPLACE TEMP VIEW %s AS SELECT * FROM %s",
			mat, ident(v), ident(v), mat)
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("materialise %s: %w", v, err)
		}
		s.materialized[v] = true
	}
	return order, nil
}
