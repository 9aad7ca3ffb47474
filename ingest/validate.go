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
	Date1904 bool               // the workbook counts serials from 1904: add 1462 days
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
		return fmt.Sprintf("ci_date(%s, %s)", b.serialShift(x), serial)
	case catalog.TypeMonth:
		return fmt.Sprintf("ci_month(%s, %s)", b.serialShift(x), serial)
	}
	if c.Pseudonymise {
		return fmt.Sprintf("ci_pseudo(%s)", textExpr(c, x))
	}
	return textExpr(c, x)
}

// serialShift moves a 1904-system Excel serial to the 1900 system the parsers expect.
func (b *binding) serialShift(x string) string {
	if !b.Serial || !b.Date1904 {
		return x
	}
	return fmt.Sprintf("(CASE WHEN regexp_full_match(trim(%s), '[0-9]+([.,][0-9]+)?') THEN CAST(TRY_CAST(replace(trim(%s), ',', '.') AS DOUBLE) + 1462 AS VARCHAR) ELSE %s END)", x, x, x)
}

// mapSQL parses each distinct spelling of a column, listed by from (raw,
// code), once (a 5-million-row hours file has a few thousand distinct
// people and a hundred months). The CSV lane's list (coded) may hold a
// spelling twice, under two codes: it is parsed once all the same.
func (b *binding) mapSQL(c *catalog.Column, from string, coded bool) string {
	if coded {
		return fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %s AS SELECT f.raw, f.code, p.v, p.b FROM %s f
JOIN (SELECT raw, %s AS v, ci_text(raw) IS NULL AS b FROM (SELECT DISTINCT raw FROM %s)) p ON p.raw = f.raw`,
			mapTable(c.Name), from, b.parseExpr(c, "raw"), from)
	}
	return fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS SELECT raw, code, %s AS v, ci_text(raw) IS NULL AS b FROM %s",
		mapTable(c.Name), b.parseExpr(c, "raw"), from)
}

// colExprs is a column's typed value and blank flag, and the join it needs
// (on the map's code when the source holds the CSV lane's codes).
func (b *binding) colExprs(c *catalog.Column, byCode bool) (v, bl, join string) {
	switch {
	case b.Mapped[c.Name]:
		m := mapTable(c.Name)
		v, bl = m+".v", "coalesce("+m+".b, true)"
		if b.Checkbox[c.Name] {
			v = fmt.Sprintf("coalesce(%s.v, CASE WHEN %s THEN false END)", m, bl)
		}
		key := "raw"
		if byCode {
			key = "code"
		}
		join = fmt.Sprintf("\nLEFT JOIN %s ON %s.%s = %s", m, m, key, b.rawExpr(c.Name))
	case c.Name == "coop_id" && b.CoopCtx:
		v, bl = b.parseExpr(c, "_ctx.coop_id"), "_ctx.coop_id IS NULL"
	case !hasIndex(b, c.Name):
		v, bl = "NULL::"+c.Type.SQL(), "true"
	default:
		r := b.rawExpr(c.Name)
		v, bl = b.parseExpr(c, r), fmt.Sprintf("ci_text(%s) IS NULL", r)
	}
	return
}

// viewSQL is the normalised view of the staged rows: row id, line, and per
// contract column in cols its typed value (v_) and blank flag (b_). It is
// never materialised whole: each pass (check, slices, insert) streams it,
// so memory does not grow with the file.
func viewSQL(d *catalog.Dataset, b *binding, cols []string) string {
	return viewOver(d, b, cols, "stg", false, "s.rowid AS _rid", "s._line AS _line")
}

// viewOver is viewSQL over another source of staged columns (aliased s),
// such as the distinct spellings of a few of them, or the CSV lane's copy
// (byCode: mapped columns hold codes).
func viewOver(d *catalog.Dataset, b *binding, cols []string, src string, byCode bool, extra ...string) string {
	return viewJoined(d, b, cols, src, byCode, nil, extra...)
}

// viewJoined is viewOver whose maps join inner for the columns inner names.
func viewJoined(d *catalog.Dataset, b *binding, cols []string, src string, byCode bool, inner map[string]bool, extra ...string) string {
	sel := append(extra, "_ctx.scope_coop AS _scope_coop")
	joins := ""
	for _, name := range cols {
		c, _ := d.Column(name)
		v, bl, j := b.colExprs(c, byCode)
		if inner[name] {
			j = strings.Replace(j, "LEFT JOIN ", "JOIN ", 1)
		}
		sel = append(sel, v+" AS "+valCol(c.Name), bl+" AS "+blankCol(c.Name))
		joins += j
	}
	return "SELECT " + strings.Join(sel, ", ") + "\nFROM " + src + " s CROSS JOIN _ctx" + joins
}

// distinctStaged selects the distinct spellings, in the staged columns of
// from, that cols are read from (one row when none is: the cooperative
// comes from the upload's context).
func distinctStaged(b *binding, cols []string, from string) string {
	raws := stagedColumns(b, cols)
	if len(raws) == 0 {
		return "(SELECT 1 AS _one)"
	}
	return "(SELECT DISTINCT " + strings.Join(raws, ", ") + " FROM " + from + ")"
}

// stagedColumns names the staged columns (cN) that cols are read from.
func stagedColumns(b *binding, cols []string) []string {
	var raws []string
	for _, i := range stagedIndexes(b, cols) {
		raws = append(raws, fmt.Sprintf("c%d", i))
	}
	return raws
}

// stagedIndexes are the staged columns that cols are read from, in order.
func stagedIndexes(b *binding, cols []string) []int {
	var idx []int
	for _, c := range cols {
		if i, ok := b.Index[c]; ok {
			idx = append(idx, i)
		}
	}
	return idx
}

func joinComma(xs []string) string { return strings.Join(xs, ", ") }

func allColumns(d *catalog.Dataset) []string {
	out := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		out[i] = c.Name
	}
	return out
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

// cond is one row-level rule: the row breaks it when bad holds.
type cond struct {
	col, rule, bad string
	cross          bool // the rule reads another column too
}

// conds lists every row-level rule of the dataset, over the view's columns.
func conds(d *catalog.Dataset, b *binding) []cond {
	var out []cond
	add := func(c *catalog.Column, rule, bad string) { out = append(out, cond{col: c.Name, rule: rule, bad: bad}) }
	for _, c := range d.Columns {
		v, bl := valCol(c.Name), blankCol(c.Name)
		if c.Required && !b.Checkbox[c.Name] {
			add(c, catalog.RuleRequired, bl)
		}
		switch {
		case len(c.Enum) > 0:
			add(c, catalog.RuleEnum, fmt.Sprintf("(NOT %s AND %s IS NULL)", bl, v))
		case c.Type != catalog.TypeText:
			add(c, catalog.RuleType, fmt.Sprintf("(NOT %s AND %s IS NULL)", bl, v))
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
			add(c, catalog.RuleRange, "coalesce("+strings.Join(bad, " OR ")+", false)")
		}
		if c.Pattern != "" {
			bad := fmt.Sprintf("coalesce(NOT regexp_full_match(%s, %s), false)", v, lit(c.Pattern))
			if b.Mapped[c.Name] {
				// The pattern is tested once per distinct value.
				bad = fmt.Sprintf("coalesce(%s IN (SELECT v FROM %s WHERE v IS NOT NULL AND NOT regexp_full_match(v, %s)), false)", v, mapTable(c.Name), lit(c.Pattern))
			}
			add(c, catalog.RulePattern, bad)
		}
	}
	for _, ch := range d.Checks {
		a, _ := d.Column(ch.Column)
		add(a, ch.Rule(), fmt.Sprintf("coalesce(NOT (%s %s %s), false)", valCol(ch.Column), ch.Op(), valCol(ch.Other)))
		out[len(out)-1].cross = true
	}
	if coop, ok := d.Column("coop_id"); ok {
		v := valCol("coop_id")
		if d.Name != "cooperatives" {
			add(coop, ruleUnknownCoop, fmt.Sprintf("(%s IS NOT NULL AND %s NOT IN (SELECT coop_id FROM cooperatives))", v, v))
		}
		add(coop, ruleForeignCoop, fmt.Sprintf("coalesce(%s <> _scope_coop, false)", v))
	}
	return out
}

// keyExprs are the duplicate-key columns and the condition that all required ones are present.
func keyExprs(d *catalog.Dataset) (keys string, present string) {
	var ks, nn []string
	for _, k := range d.Keys {
		ks = append(ks, valCol(k))
		if c, _ := d.Column(k); c.Required {
			nn = append(nn, valCol(k)+" IS NOT NULL")
		}
	}
	present = "TRUE"
	if len(nn) > 0 {
		present = strings.Join(nn, " AND ")
	}
	return strings.Join(ks, ", "), present
}

// checkSQL is the one pass that finds out whether anything is wrong: rows
// breaking a rule, and whether two rows may share a key (compared by hash;
// a collision only costs the exact check below).
func checkSQL(d *catalog.Dataset, b *binding) string {
	var bad []string
	for _, c := range conds(d, b) {
		bad = append(bad, c.bad)
	}
	dup := "0, 0"
	if len(d.Keys) > 0 {
		k, present := keyExprs(d)
		dup = fmt.Sprintf("count(*) FILTER (WHERE %s), count(DISTINCT hash(%s)) FILTER (WHERE %s)", present, k, present)
	}
	return fmt.Sprintf("SELECT count(*) FILTER (WHERE %s), %s FROM (%s)", strings.Join(bad, " OR "), dup, viewSQL(d, b, allColumns(d)))
}

// problemsSQL lists every problem as (_rid, _line, col, rule, value): rules
// are checked on the typed values of the offending rows only (anyBad), the
// exact duplicate check runs when the hash pass saw a repeat (dups), and the
// value as written is fetched from the staged table for those rows alone.
func problemsSQL(d *catalog.Dataset, b *binding, anyBad, dups bool) []string {
	stmts := []string{"CREATE OR REPLACE TEMP TABLE _probs (_rid BIGINT, _line BIGINT, col VARCHAR, rule VARCHAR)"}
	if anyBad {
		cs := conds(d, b)
		var bad, parts []string
		for _, c := range cs {
			bad = append(bad, c.bad)
			parts = append(parts, fmt.Sprintf("SELECT _rid, _line, %s, %s FROM norm WHERE %s", lit(c.col), lit(c.rule), c.bad))
		}
		stmts = append(stmts,
			fmt.Sprintf("CREATE OR REPLACE TEMP TABLE norm AS SELECT * FROM (%s) WHERE %s", viewSQL(d, b, allColumns(d)), strings.Join(bad, " OR ")),
			"INSERT INTO _probs\n"+strings.Join(parts, "\nUNION ALL\n"))
	}
	if dups {
		k, present := keyExprs(d)
		last := d.Keys[len(d.Keys)-1]
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO _probs SELECT _rid, _line, %s, %s FROM (
  SELECT _rid, _line, row_number() OVER (PARTITION BY %s ORDER BY _rid) AS _n FROM (%s)
  WHERE %s AND hash(%s) IN (SELECT h FROM (SELECT hash(%s) AS h FROM (%s) WHERE %s) GROUP BY h HAVING count(*) > 1)
) WHERE _n > 1`, lit(last), lit(catalog.RuleDuplicateKey), k, viewSQL(d, b, d.Keys), present, k, k, viewSQL(d, b, d.Keys), present))
	}
	var cases []string
	for _, c := range d.Columns {
		cases = append(cases, fmt.Sprintf("WHEN %s THEN %s", lit(c.Name), b.maskedRawExpr(c)))
	}
	return append(stmts, fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE problems AS
SELECT p._rid, p._line, p.col, p.rule, CASE p.col %s END AS value
FROM _probs p JOIN stg s ON s.rowid = p._rid CROSS JOIN _ctx`, strings.Join(cases, " ")))
}

// goodSQL is the view of the rows to load, limited to cols.
func goodSQL(d *catalog.Dataset, b *binding, cols []string, anyProblem bool) string {
	v := viewSQL(d, b, cols)
	if !anyProblem {
		return "(" + v + ")"
	}
	return "(SELECT * FROM (" + v + ") g WHERE NOT EXISTS (SELECT 1 FROM problems p WHERE p._rid = g._rid))"
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
func slicesSQL(d *catalog.Dataset, b *binding, replaceAll, anyProblem bool) string {
	return slicesFromSQL(d, goodSQL(d, b, sliceColumns(d), anyProblem), replaceAll)
}

// cleanSlicesSQL creates _slices for a file whose every row passed: the
// slice columns' distinct spellings (a few thousand at most, where the file
// has millions of rows), selected by spellings, go through the same parsing
// the rows did.
func cleanSlicesSQL(d *catalog.Dataset, b *binding, replaceAll bool, spellings string) string {
	return slicesFromSQL(d, "("+viewOver(d, b, sliceColumns(d), spellings, false)+")", replaceAll)
}

// sliceColumns are the columns a dataset's slices are read from.
func sliceColumns(d *catalog.Dataset) []string {
	cols := []string{"coop_id"}
	for _, c := range []string{d.Slice.Column, d.Slice.From, d.Slice.To} {
		if c != "" && c != "coop_id" {
			cols = append(cols, c)
		}
	}
	return cols
}

// slicesFromSQL creates _slices from the typed view good (v_ columns).
func slicesFromSQL(d *catalog.Dataset, good string, replaceAll bool) string {
	s := d.Slice
	if s.Kind == catalog.SliceYearSpan && !replaceAll {
		return fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _slices AS
SELECT coop_id, CAST(y AS VARCHAR) AS period FROM (
  SELECT %s AS coop_id, min(year(%s)) AS y0, max(year(coalesce(%s, current_date))) AS y1
  FROM %s GROUP BY ALL) AS span, range(y0, y1 + 1) AS r(y)`,
			valCol("coop_id"), valCol(s.From), valCol(s.To), good)
	}
	if replaceAll {
		s = catalog.Slice{Kind: catalog.SliceCoop}
	}
	return fmt.Sprintf("CREATE OR REPLACE TEMP TABLE _slices AS SELECT DISTINCT %s AS coop_id, %s AS period FROM %s",
		valCol("coop_id"), periodExpr(s, valCol), good)
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
func insertSQL(d *catalog.Dataset, b *binding, anyProblem bool) string {
	var names, vals []string
	for _, c := range d.Columns {
		names = append(names, ident(c.Name))
		vals = append(vals, valCol(c.Name))
	}
	return fmt.Sprintf("INSERT INTO %s (%s, run_id, source_line) SELECT %s, ?, _line FROM %s",
		ident(d.Table), strings.Join(names, ", "), strings.Join(vals, ", "), goodSQL(d, b, allColumns(d), anyProblem))
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

// cleanInsertSQL inserts, in one pass over the view of the staged rows,
// every row that breaks no row-level rule; run_id is the only parameter.
func cleanInsertSQL(d *catalog.Dataset, b *binding) string {
	var names, vals, bad []string
	for _, c := range d.Columns {
		names = append(names, ident(c.Name))
		vals = append(vals, valCol(c.Name))
	}
	for _, c := range conds(d, b) {
		bad = append(bad, c.bad)
	}
	return fmt.Sprintf("INSERT INTO %s (%s, run_id, source_line) SELECT %s, ?, _line FROM (%s) WHERE NOT (%s)",
		ident(d.Table), strings.Join(names, ", "), strings.Join(vals, ", "), viewSQL(d, b, allColumns(d)), strings.Join(bad, " OR "))
}

// laneInsertSQL is cleanInsertSQL over the CSV lane's copy (from, coded
// values), for a file whose every spelling of a mapped column passed its
// column's rules (mapProblemsSQL): rows only join those columns' values,
// inner for a required column (a blank one drops the row, and the count of
// inserted rows tells), and are checked row by row for the other columns
// and the rules that read two columns. run_id is the only parameter.
func laneInsertSQL(d *catalog.Dataset, b *binding, from string) string {
	var names, vals, bad []string
	inner := map[string]bool{}
	for _, c := range d.Columns {
		names = append(names, ident(c.Name))
		vals = append(vals, valCol(c.Name))
		if b.Mapped[c.Name] && c.Required && !b.Checkbox[c.Name] {
			inner[c.Name] = true
		}
	}
	for _, c := range conds(d, b) {
		if !b.Mapped[c.col] || c.cross {
			bad = append(bad, c.bad)
		}
	}
	where := ""
	if len(bad) > 0 {
		where = " WHERE NOT (" + strings.Join(bad, " OR ") + ")"
	}
	return fmt.Sprintf("INSERT INTO %s (%s, run_id, source_line) SELECT %s, ?, _line FROM (%s)%s",
		ident(d.Table), strings.Join(names, ", "), strings.Join(vals, ", "),
		viewJoined(d, b, allColumns(d), from, true, inner, "s._line AS _rid", "s._line AS _line"), where)
}

// mapProblemsSQL counts the spellings of a mapped column that break one of
// its column's own rules, checked on the map (columns v and b, as a
// joined row sees them).
func mapProblemsSQL(d *catalog.Dataset, b *binding, col string) string {
	c, _ := d.Column(col)
	v, bl, _ := b.colExprs(c, false)
	var bad []string
	for _, k := range conds(d, b) {
		if k.col == col && !k.cross {
			bad = append(bad, k.bad)
		}
	}
	if len(bad) == 0 {
		return "SELECT 0"
	}
	return fmt.Sprintf("SELECT count(*) FROM (SELECT %s AS %s, %s AS %s, _ctx.scope_coop AS _scope_coop FROM %s CROSS JOIN _ctx) WHERE %s",
		v, valCol(col), bl, blankCol(col), mapTable(col), strings.Join(bad, " OR "))
}

// stagedDupCountSQL counts key repeats among the staged spellings: exact
// when every key column's spellings map one-to-one onto values (see
// Service.spellingsAreKeys), and cheaper than counting them on the inserted rows.
func stagedDupCountSQL(d *catalog.Dataset, b *binding) string {
	ks := stagedColumns(b, d.Keys)
	if len(ks) == 0 {
		return "SELECT CASE WHEN count(*) > 1 THEN count(*) - 1 ELSE 0 END FROM stg"
	}
	return fmt.Sprintf("SELECT count(*) - count(DISTINCT hash(%s)) FROM stg", strings.Join(ks, ", "))
}

// dupCountSQL counts key repeats among the rows a run inserted (param: run_id).
func dupCountSQL(d *catalog.Dataset) string {
	var ks []string
	for _, k := range d.Keys {
		ks = append(ks, ident(k))
	}
	k := strings.Join(ks, ", ")
	// Distinct hashes, not distinct tuples: much cheaper, and a collision only
	// sends the file down the exact (slower) path.
	return fmt.Sprintf("SELECT count(*) - count(DISTINCT hash(%s)) FROM %s WHERE run_id = ?", k, ident(d.Table))
}

// replaceOldSQL deletes the earlier rows of the slices a run now holds (param: run_id).
func replaceOldSQL(d *catalog.Dataset, replaceAll bool) string {
	return strings.Replace(deleteSQL(d, replaceAll), " t WHERE EXISTS", " t WHERE t.run_id <> ? AND EXISTS", 1)
}
