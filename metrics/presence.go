package metrics

import (
	"context"
	"fmt"
	"strings"
)

// yearRules say when a row t of a table counts for year c.year, as
// docs/metrics.md's "Shared definitions" set out (the same rules as
// 00_common.sql's m_presence). Open-ended spans need no upper bound here:
// the years asked for are the network's years.
var yearRules = map[string]string{
	"finance":             "t.year = c.year",
	"revenue_sources":     "t.year = c.year",
	"governance_meetings": `year(t."date") = c.year`,
	"hours":               `year(t."month") = c.year`,
	"services":            `year(t."month") = c.year`,
	"processes":           "year(t.snapshot_date) = c.year",
	"trainings":           "year(t.end_date) = c.year",
	"skills_assessments":  "year(t.assessed_on) = c.year",
	"dma_responses":       "year(t.assessed_on) = c.year",
	"surveys":             "TRY_CAST(nullif(regexp_extract(t.survey_id, '(19|20)[0-9][0-9]'), '') AS INTEGER) = c.year",
	"certifications":      "year(t.issue_date) <= c.year AND (t.expiry_date IS NULL OR year(t.expiry_date) >= c.year)",
	"workers":             "year(t.start_date) <= c.year AND (t.end_date IS NULL OR year(t.end_date) >= c.year)",
	// People still waiting (no intake) count in the year they asked.
	"beneficiaries": `coalesce(t.intake_date, t.request_date) IS NOT NULL
		AND year(coalesce(t.intake_date, t.request_date)) <= c.year
		AND CASE WHEN t.intake_date IS NULL THEN year(t.request_date) = c.year
		         ELSE t.end_date IS NULL OR year(t.end_date) >= c.year END`,
	"cooperatives": "TRUE", // the registry row holds for every year
}

// yearRule is the rule for a table; a table the contract does not list
// counts by its year column when it has one, else in every year.
func (s *session) yearRule(table string) string {
	if r, ok := yearRules[table]; ok {
		return r
	}
	if _, ok := s.schema[table]["year"]; ok {
		return "t.year = c.year"
	}
	return "TRUE"
}

// presenceSQL selects (coop_id, year, run_ids[, extra]) of a table's rows
// over the pairs of _cy, or (year, run_ids) over _years when network.
func (s *session) presenceSQL(table string, network bool, extra string) string {
	cols := s.schema[table]
	runs := "[]::BIGINT[]"
	if _, ok := cols["run_id"]; ok {
		runs = "list(DISTINCT t.run_id ORDER BY t.run_id)"
	}
	if network {
		return fmt.Sprintf("SELECT c.year, %s AS run_ids FROM _years c JOIN %s t ON %s GROUP BY c.year",
			runs, ident(table), s.yearRule(table))
	}
	on := s.yearRule(table)
	if _, ok := cols["coop_id"]; ok {
		on = "t.coop_id = c.coop_id AND " + on
	} // else: present for every pair once the table has rows
	return fmt.Sprintf("SELECT c.coop_id, c.year, %s AS run_ids%s FROM _cy c JOIN %s t ON %s GROUP BY c.coop_id, c.year",
		runs, extra, ident(table), on)
}

// presence is how an indicator's rows learn which inputs have data and the
// ingest runs they come from (the lineage of each value). It builds one wide
// TEMP table per grain, one row per pair of _cy (_pw) or year of _years
// (_npw): r<i> holds the run ids of input table i (NULL: no row for that
// cooperative-year), c<j> tells whether nullable input column j holds a
// value in any of those rows. Each indicator then names its missing inputs
// and unions its run ids with plain expressions over its own row, instead of
// a join per input. Table presence comes from the shared view m_presence
// for the tables it reports, else from the contract's year rules above.
type presence struct {
	tables map[string]string // input table → alias of its run ids ("r0")
	cols   map[string]string // "table.column" (nullable) → alias of its flag ("c0")
}

// inputTables gathers the input tables (and nullable input columns) of the
// indicators to compute, by grain, in a stable order.
func (s *session) inputTables(only map[string]bool) (coop, net []string, nullable map[string][]string) {
	nullable = map[string][]string{}
	seen := map[string]bool{}
	seenNet := map[string]bool{}
	for _, ind := range s.e.Catalog.Indicators {
		if only != nil && !only[ind.ID] {
			continue
		}
		for _, in := range ind.Inputs {
			t, col := inputTable(in)
			if _, exists := s.schema[t]; !exists {
				continue
			}
			if ind.Grain == GrainNetwork {
				if !seenNet[t] {
					seenNet[t] = true
					net = append(net, t)
				}
				continue
			}
			if !seen[t] {
				seen[t] = true
				coop = append(coop, t)
			}
			if sc, ok := s.schema[t][col]; ok && sc.nullable && !containsString(nullable[t], col) {
				nullable[t] = append(nullable[t], col)
			}
		}
	}
	return coop, net, nullable
}

// presenceView returns the SQL text of m_presence, "" when the catalogue
// does not define it.
func (s *session) presenceView(ctx context.Context) (string, error) {
	rows, err := s.conn.QueryContext(ctx, "SELECT sql FROM duckdb_views() WHERE view_name = 'm_presence'")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var text string
	for rows.Next() {
		if err := rows.Scan(&text); err != nil {
			return "", err
		}
	}
	return text, rows.Err()
}

// planPresence names the input tables and nullable columns of the
// indicators in only (nil: all) and their aliases in _pw and _npw.
func (s *session) planPresence(ctx context.Context, only map[string]bool) error {
	view, err := s.presenceView(ctx)
	if err != nil {
		return err
	}
	s.view = view
	coop, net, nullable := s.inputTables(only)
	s.coopTables = map[string][]string{}
	s.coopOrder = coop
	for _, t := range coop {
		s.coopTables[t] = nullable[t]
	}
	s.netTables = map[string]bool{}
	s.netOrder = net
	s.pres = presence{tables: map[string]string{}, cols: map[string]string{}}
	for i, t := range coop {
		s.pres.tables[t] = fmt.Sprintf("r%d", i)
		for j, col := range nullable[t] {
			s.pres.cols[t+"."+col] = fmt.Sprintf("c%d_%d", i, j)
		}
	}
	for i, t := range net {
		s.netTables[t] = true
		s.pres.tables["network:"+t] = fmt.Sprintf("n%d", i)
	}
	return nil
}

// coopPresence creates _pw over the pairs of _cy.
func (s *session) coopPresence(ctx context.Context) error {
	// m_presence names each table it reports in a literal ('finance' AS
	// table_name). It is read once, for all those tables, into _mp: one
	// expansion of the view rather than one per table.
	var reported []string
	for _, t := range s.coopOrder {
		if s.view != "" && strings.Contains(s.view, quote(t)) {
			reported = append(reported, quote(t))
		}
	}
	if len(reported) > 0 {
		if _, err := s.conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _mp AS SELECT p.table_name, p.coop_id, p.year, p.run_ids
			FROM m_presence p WHERE p.table_name IN (`+strings.Join(reported, ", ")+`)`); err != nil {
			return err
		}
	}
	sel := []string{"c.coop_id", "c.year"}
	var joins []string
	for i, t := range s.coopOrder {
		src := s.presenceSQL(t, false, "")
		if s.view != "" && strings.Contains(s.view, quote(t)) {
			src = "SELECT coop_id, year, run_ids FROM _mp WHERE table_name = " + quote(t)
		}
		joins = append(joins, fmt.Sprintf("LEFT JOIN (%s) p%d ON p%d.coop_id = c.coop_id AND p%d.year = c.year", src, i, i, i))
		sel = append(sel, fmt.Sprintf("p%d.run_ids AS %s", i, s.pres.tables[t]))
		if cols := s.coopTables[t]; len(cols) > 0 {
			var flags []string
			for j, col := range cols {
				flags = append(flags, fmt.Sprintf("count(t.%s) > 0 AS k%d", ident(col), j))
			}
			joins = append(joins, fmt.Sprintf("LEFT JOIN (%s) q%d ON q%d.coop_id = c.coop_id AND q%d.year = c.year",
				s.presenceSQL(t, false, ", "+strings.Join(flags, ", ")), i, i, i))
			for j, col := range cols {
				sel = append(sel, fmt.Sprintf("coalesce(q%d.k%d, false) AS %s", i, j, s.pres.cols[t+"."+col]))
			}
		}
	}
	q := "CREATE OR REPLACE TEMP TABLE _pw AS SELECT " + strings.Join(sel, ", ") + " FROM _cy c " + strings.Join(joins, " ")
	_, err := s.conn.ExecContext(ctx, q)
	return err
}

// networkPresence creates _npw over the years of _years: a table is present
// in a year when any cooperative has rows.
func (s *session) networkPresence(ctx context.Context) error {
	sel := []string{"c.year"}
	var joins []string
	for i, t := range s.netOrder {
		joins = append(joins, fmt.Sprintf("LEFT JOIN (%s) p%d ON p%d.year = c.year", s.presenceSQL(t, true, ""), i, i))
		sel = append(sel, fmt.Sprintf("p%d.run_ids AS %s", i, s.pres.tables["network:"+t]))
	}
	q := "CREATE OR REPLACE TEMP TABLE _npw AS SELECT " + strings.Join(sel, ", ") + " FROM _years c " + strings.Join(joins, " ")
	_, err := s.conn.ExecContext(ctx, q)
	return err
}

// lineage returns the SQL expressions, over the indicator's row m of _pw or
// _npw, of its missing inputs (VARCHAR[], in the order of inputs) and of the
// runs of its present input tables (BIGINT[], sorted).
func (s *session) lineage(ind *Indicator) (missing, runs string) {
	network := ind.Grain == GrainNetwork
	var items, lists []string
	seen := map[string]bool{}
	for _, in := range ind.Inputs {
		t, col := inputTable(in)
		key := t
		if network {
			key = "network:" + t
		}
		alias, ok := s.pres.tables[key]
		if !ok { // a table the database does not have (yet)
			items = append(items, quote(in))
			continue
		}
		cond := "m." + alias + " IS NULL"
		if c, ok := s.pres.cols[t+"."+col]; ok && !network {
			cond += " OR NOT m." + c
		}
		items = append(items, fmt.Sprintf("CASE WHEN %s THEN %s END", cond, quote(in)))
		if !seen[alias] {
			seen[alias] = true
			lists = append(lists, fmt.Sprintf("coalesce(m.%s, []::BIGINT[])", alias))
		}
	}
	// concat_ws skips NULLs (inputs hold no comma): cheaper to plan than a lambda.
	missing = "[]::VARCHAR[]"
	if len(items) > 0 {
		missing = "coalesce(string_split(nullif(concat_ws(',', " + strings.Join(items, ", ") + "), ''), ','), []::VARCHAR[])"
	}
	runs = "[]::BIGINT[]"
	if len(lists) > 0 {
		runs = "list_sort(list_distinct(flatten([" + strings.Join(lists, ", ") + "])))"
	}
	return missing, runs
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
