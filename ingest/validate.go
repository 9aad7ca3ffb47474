package ingest

import (
	"fmt"
	"strconv"
	"strings"

	"coopimpact/ingest/catalog"
)

// The loader validates and normalises in SQL, on the staged all-VARCHAR
// table, so a 5-million-row file is checked by DuckDB's vectorised engine
// rather than row by row in Go. This file only builds that SQL from the
// catalogue; no user-supplied text ever becomes part of it: user values reach
// the query through the _ctx and _map_* temp tables, filled with bound parameters.

// Rules the catalogue's column rules do not cover.
const (
	ruleUnknownCoop = "unknown_coop"
	ruleForeignCoop = "foreign_coop"
)

// binding says where each contract column comes from in the staged table.
type binding struct {
	Index    map[string]int     // contract column -> staged column cN
	Scale    map[string]float64 // alias scale (percentuale_part_time -> fte)
	Percent  map[string]bool    // alias written as a percentage
	Mapped   map[string]bool    // value read from _map_<column> (distinct spellings parsed once)
	GoMapped map[string]bool    // enum and bool columns: the map is filled by the catalogue's Go rules
	Checkbox map[string]bool    // bool columns of checkbox marks: empty reads false
	CoopCtx  bool               // coop_id comes from the upload's context
	Serial   bool               // Excel serial numbers are dates (xlsx)
	Year     int                // the current year, for relative bounds
}

func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func valCol(c string) string   { return ident("v_" + c) }
func blankCol(c string) string { return ident("b_" + c) }
func mapTable(c string) string { return ident("_map_" + c) }

// rawExpr is the staged text of a column, over the staged table aliased s.
func (b *binding) rawExpr(c string) string {
	if i, ok := b.Index[c]; ok {
		return fmt.Sprintf("s.c%d", i)
	}
	if c == "coop_id" && b.CoopCtx {
		return "_ctx.coop_id"
	}
	return "NULL::VARCHAR"
}

// textExpr applies the column's text normalisation (catalog.Column.NormalizeText).
func textExpr(c *catalog.Column, r string) string {
	e := fmt.Sprintf("ci_text(%s)", r)
	switch c.Case {
	case "upper":
		e = "upper(" + e + ")"
	case "lower":
		e = "lower(" + e + ")"
	}
	if c.ZeroPad > 0 {
		e = fmt.Sprintf("(CASE WHEN regexp_full_match(%s, '[0-9]+') AND length(%s) < %d THEN lpad(%s, %d, '0') ELSE %s END)",
			e, e, c.ZeroPad, e, c.ZeroPad, e)
	}
	return e
}

// parseExpr turns the raw text x into the contract type; NULL when blank or unparseable.
func (b *binding) parseExpr(c *catalog.Column, x string) string {
	serial := "false"
	if b.Serial {
		serial = "true"
	}
	switch c.Type {
	case catalog.TypeDec:
		e := fmt.Sprintf("ci_dec(%s)", x)
		if b.Percent[c.Name] || c.Percent {
			e = fmt.Sprintf("ci_pct(%s)", x)
		}
		if s, ok := b.Scale[c.Name]; ok && s != 1 {
			e = fmt.Sprintf("(%s * %s)", e, num(s))
		}
		return e
	case catalog.TypeInt:
		return fmt.Sprintf("ci_int(%s)", x)
	case catalog.TypeYear:
		return fmt.Sprintf("ci_year(%s)", x)
	case catalog.TypeBool:
		return fmt.Sprintf("ci_bool(%s)", x)
	case catalog.TypeDate:
		return fmt.Sprintf("ci_date(%s, %s)", x, serial)
	case catalog.TypeMonth:
		return fmt.Sprintf("ci_month(%s, %s)", x, serial)
	}
	if c.Pseudonymise {
		return fmt.Sprintf("ci_pseudo(%s)", textExpr(c, x))
	}
	return textExpr(c, x)
}

// mapSQL parses each distinct spelling of a column once (a 5-million-row
// hours file has a few thousand distinct people and a hundred months).
func (b *binding) mapSQL(c *catalog.Column) string {
	return fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS SELECT raw, %s AS v, ci_text(raw) IS NULL AS b FROM (SELECT DISTINCT c%d AS raw FROM stg WHERE c%d IS NOT NULL)",
		mapTable(c.Name), b.parseExpr(c, "raw"), b.Index[c.Name], b.Index[c.Name])
}

// normSQL creates the temp table "norm": for every staged record its row id,
// its line, and per contract column the typed value and whether it was blank.
func normSQL(d *catalog.Dataset, b *binding) string {
	cols := []string{"s.rowid AS _rid", "s._line AS _line", "_ctx.scope_coop AS _scope_coop"}
	joins := ""
	for _, c := range d.Columns {
		var v, bl string
		switch {
		case b.Mapped[c.Name]:
			m := mapTable(c.Name)
			v, bl = m+".v", "coalesce("+m+".b, true)"
			if b.Checkbox[c.Name] {
				v = fmt.Sprintf("coalesce(%s.v, CASE WHEN %s THEN false END)", m, bl)
			}
			joins += fmt.Sprintf("\nLEFT JOIN %s ON %s.raw = %s", m, m, b.rawExpr(c.Name))
		case c.Name == "coop_id" && b.CoopCtx:
			v, bl = b.parseExpr(c, "_ctx.coop_id"), "_ctx.coop_id IS NULL"
		case !hasIndex(b, c.Name):
			v, bl = "NULL::"+c.Type.SQL(), "true"
		default:
			r := b.rawExpr(c.Name)
			v, bl = b.parseExpr(c, r), fmt.Sprintf("ci_text(%s) IS NULL", r)
		}
		cols = append(cols, v+" AS "+valCol(c.Name), bl+" AS "+blankCol(c.Name))
	}
	return "CREATE OR REPLACE TEMP TABLE norm AS SELECT " + strings.Join(cols, ",\n  ") + "\nFROM stg s CROSS JOIN _ctx" + joins
}

func hasIndex(b *binding, c string) bool { _, ok := b.Index[c]; return ok }

// maskedRawExpr is what problem reports and the quarantine may show of a
// value: a pseudonymised identifier is never stored as written.
func (b *binding) maskedRawExpr(c *catalog.Column) string {
	r := b.rawExpr(c.Name)
	if c.Pseudonymise {
		return fmt.Sprintf("CASE WHEN %s IS NULL THEN NULL ELSE %s END", r, lit(catalog.MaskedValue))
	}
	return r
}

// problemsSQL creates the temp table "problems" (_rid, _line, col, rule, value):
// rules are checked on the typed values in norm; the value as written is
// fetched from the staged table only for the rows that have a problem.
func problemsSQL(d *catalog.Dataset, b *binding) []string {
	var parts []string
	add := func(c *catalog.Column, rule, cond string) {
		parts = append(parts, fmt.Sprintf("SELECT _rid, _line, %s AS col, %s AS rule FROM norm WHERE %s", lit(c.Name), lit(rule), cond))
	}
	for _, c := range d.Columns {
		v, bl := valCol(c.Name), blankCol(c.Name)
		if c.Required && !b.Checkbox[c.Name] {
			add(c, catalog.RuleRequired, bl)
		}
		switch {
		case len(c.Enum) > 0:
			add(c, catalog.RuleEnum, fmt.Sprintf("NOT %s AND %s IS NULL", bl, v))
		case c.Type != catalog.TypeText:
			add(c, catalog.RuleType, fmt.Sprintf("NOT %s AND %s IS NULL", bl, v))
		}
		if lo, hi := c.Bounds(b.Year); lo != nil || hi != nil {
			var bad []string
			if lo != nil {
				op := "<"
				if c.MinExclusive {
					op = "<="
				}
				bad = append(bad, fmt.Sprintf("%s %s %s", v, op, num(*lo)))
			}
			if hi != nil {
				op := ">"
				if c.MaxExclusive {
					op = ">="
				}
				bad = append(bad, fmt.Sprintf("%s %s %s", v, op, num(*hi)))
			}
			add(c, catalog.RuleRange, "("+strings.Join(bad, " OR ")+")")
		}
		if c.Pattern != "" {
			bad := fmt.Sprintf("%s IS NOT NULL AND NOT regexp_full_match(%s, %s)", v, v, lit(c.Pattern))
			if b.Mapped[c.Name] {
				// The pattern is tested once per distinct value.
				bad = fmt.Sprintf("%s IN (SELECT v FROM %s WHERE v IS NOT NULL AND NOT regexp_full_match(v, %s))", v, mapTable(c.Name), lit(c.Pattern))
			}
			add(c, catalog.RulePattern, bad)
		}
	}
	for _, ch := range d.Checks {
		a, _ := d.Column(ch.Column)
		add(a, ch.Rule(), fmt.Sprintf("%s IS NOT NULL AND %s IS NOT NULL AND NOT (%s %s %s)",
			valCol(ch.Column), valCol(ch.Other), valCol(ch.Column), ch.Op(), valCol(ch.Other)))
	}
	if coop, ok := d.Column("coop_id"); ok {
		v := valCol("coop_id")
		if d.Name != "cooperatives" {
			add(coop, ruleUnknownCoop, fmt.Sprintf("%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cooperatives c WHERE c.coop_id = %s)", v, v))
		}
		add(coop, ruleForeignCoop, fmt.Sprintf("_scope_coop IS NOT NULL AND %s IS NOT NULL AND %s <> _scope_coop", v, v))
	}
	stmts := []string{"CREATE OR REPLACE TEMP TABLE _probs AS\n" + strings.Join(parts, "\nUNION ALL\n")}
	if len(d.Keys) > 0 {
		// Duplicate keys: a cheap pass on a hash of the key finds candidates;
		// only their rows are compared on the real key (hash collisions drop out).
		var keys, notNull []string
		for _, k := range d.Keys {
			keys = append(keys, valCol(k))
			if c, _ := d.Column(k); c.Required {
				notNull = append(notNull, valCol(k)+" IS NOT NULL")
			}
		}
		where := "TRUE"
		if len(notNull) > 0 {
			where = strings.Join(notNull, " AND ")
		}
		last, _ := d.Column(d.Keys[len(d.Keys)-1])
		k := strings.Join(keys, ", ")
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO _probs SELECT _rid, _line, %s, %s FROM (
  SELECT _rid, _line, row_number() OVER (PARTITION BY %s ORDER BY _rid) AS _n FROM norm
  WHERE %s AND hash(%s) IN (SELECT h FROM (SELECT hash(%s) AS h FROM norm WHERE %s) GROUP BY h HAVING count(*) > 1)
) WHERE _n > 1`, lit(last.Name), lit(catalog.RuleDuplicateKey), k, where, k, k, where))
	}
	var cases []string
	for _, c := range d.Columns {
		cases = append(cases, fmt.Sprintf("WHEN %s THEN %s", lit(c.Name), b.maskedRawExpr(c)))
	}
	stmts = append(stmts, fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE problems AS
SELECT p._rid, p._line, p.col, p.rule, CASE p.col %s END AS value
FROM _probs p JOIN stg s ON s.rowid = p._rid CROSS JOIN _ctx`, strings.Join(cases, " ")))
	return stmts
}

// periodExpr is the slice period of a row, over columns named by name().
func periodExpr(s catalog.Slice, name func(string) string) string {
	switch s.Kind {
	case catalog.SliceYear:
		return fmt.Sprintf("CAST(%s AS VARCHAR)", name(s.Column))
	case catalog.SliceMonth:
		return fmt.Sprintf("strftime(%s, '%%Y-%%m')", name(s.Column))
	case catalog.SliceYearOf:
		return fmt.Sprintf("CAST(year(%s) AS VARCHAR)", name(s.Column))
	case catalog.SliceValue:
		return fmt.Sprintf("CAST(%s AS VARCHAR)", name(s.Column))
	case catalog.SliceKey:
		return "'registry'"
	}
	return "'all'" // coop: the cooperative's whole list
}

// slicesSQL creates the temp table "_slices" (coop_id, period) of the rows to load.
func slicesSQL(d *catalog.Dataset, replaceAll bool) string {
	s := d.Slice
	if s.Kind == catalog.SliceYearSpan && !replaceAll {
		return fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _slices AS
SELECT coop_id, CAST(y AS VARCHAR) AS period FROM (
  SELECT %s AS coop_id, min(year(%s)) AS y0, max(year(coalesce(%s, current_date))) AS y1
  FROM good GROUP BY ALL) AS span, range(y0, y1 + 1) AS r(y)`,
			valCol("coop_id"), valCol(s.From), valCol(s.To))
	}
	if replaceAll {
		s = catalog.Slice{Kind: catalog.SliceCoop}
	}
	return fmt.Sprintf("CREATE OR REPLACE TEMP TABLE _slices AS SELECT DISTINCT %s AS coop_id, %s AS period FROM good",
		valCol("coop_id"), periodExpr(s, valCol))
}

// deleteSQL removes from the canonical table exactly the slices in _slices.
func deleteSQL(d *catalog.Dataset, replaceAll bool) string {
	s := d.Slice
	t := func(c string) string { return "t." + ident(c) }
	var match string
	switch {
	case replaceAll:
		match = "TRUE"
	case s.Kind == catalog.SliceYearSpan:
		match = fmt.Sprintf("CAST(s.period AS INTEGER) BETWEEN year(%s) AND year(coalesce(%s, current_date))", t(s.From), t(s.To))
	default:
		match = "s.period = " + periodExpr(s, t)
	}
	return fmt.Sprintf("DELETE FROM %s t WHERE EXISTS (SELECT 1 FROM _slices s WHERE s.coop_id IS NOT DISTINCT FROM t.coop_id AND %s)",
		ident(d.Table), match)
}

// insertSQL loads the good rows; run_id is bound as the only parameter.
func insertSQL(d *catalog.Dataset) string {
	var names, vals []string
	for _, c := range d.Columns {
		names = append(names, ident(c.Name))
		vals = append(vals, valCol(c.Name))
	}
	return fmt.Sprintf("INSERT INTO %s (%s, run_id, source_line) SELECT %s, ?, _line FROM good",
		ident(d.Table), strings.Join(names, ", "), strings.Join(vals, ", "))
}

// quarantineSQL keeps set-aside rows (masked) with their line; params: run_id, sheet.
func quarantineSQL(d *catalog.Dataset, b *binding, all bool) string {
	var fields []string
	for _, c := range d.Columns {
		fields = append(fields, fmt.Sprintf("%s := %s", ident(c.Name), b.maskedRawExpr(c)))
	}
	where := "WHERE s.rowid IN (SELECT _rid FROM problems)"
	if all {
		where = ""
	}
	return fmt.Sprintf("INSERT INTO ingest_quarantine (run_id, source_line, sheet, row_json) SELECT ?, s._line, ?, to_json(struct_pack(%s)) FROM stg s CROSS JOIN _ctx %s",
		strings.Join(fields, ", "), where)
}

// ruleText is the rule a problem broke, in plain Italian and English.
func ruleText(c *catalog.Catalog, d *catalog.Dataset, col, rule string, year int) catalog.Text {
	switch rule {
	case catalog.RuleDuplicateKey:
		return d.DuplicateKeyText()
	case ruleUnknownCoop:
		return c.Message("unknown_coop", "coop", "{coop}")
	case ruleForeignCoop:
		return c.Message("foreign_coop", "coop", "{coop}")
	}
	for _, ch := range d.Checks {
		if ch.Rule() == rule {
			return ch.Message
		}
	}
	if cc, ok := d.Column(col); ok {
		return cc.Rule(rule, year)
	}
	return catalog.Text{It: rule, En: rule}
}
