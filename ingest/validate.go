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
	Mapped   map[string]bool    // enum and bool columns: value from _map_<column>
	Checkbox map[string]bool    // bool columns of checkbox marks: empty reads false
	CoopCtx  bool               // coop_id comes from the upload's context
	Serial   bool               // Excel serial numbers are dates (xlsx)
	Year     int                // the current year, for relative bounds
}

func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func rawCol(c string) string { return ident("r_" + c) }
func valCol(c string) string { return ident("v_" + c) }
func mapTable(c string) string { return ident("_map_" + c) }

// rawExpr is the staged text of a column.
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

// valueExpr parses the raw text into the contract type; NULL when blank or unparseable.
func (b *binding) valueExpr(c *catalog.Column) string {
	r := b.rawExpr(c.Name)
	serial := "false"
	if b.Serial {
		serial = "true"
	}
	if b.Mapped[c.Name] {
		e := fmt.Sprintf("%s.v", mapTable(c.Name))
		if b.Checkbox[c.Name] {
			e = fmt.Sprintf("coalesce(%s, CASE WHEN ci_text(%s) IS NULL THEN false END)", e, r)
		}
		return e
	}
	switch c.Type {
	case catalog.TypeDec:
		e := fmt.Sprintf("ci_dec(%s)", r)
		if b.Percent[c.Name] || c.Percent {
			e = fmt.Sprintf("ci_pct(%s)", r)
		}
		if s, ok := b.Scale[c.Name]; ok && s != 1 {
			e = fmt.Sprintf("(%s * %s)", e, num(s))
		}
		return e
	case catalog.TypeInt:
		return fmt.Sprintf("ci_int(%s)", r)
	case catalog.TypeYear:
		return fmt.Sprintf("ci_year(%s)", r)
	case catalog.TypeBool:
		return fmt.Sprintf("ci_bool(%s)", r)
	case catalog.TypeDate:
		return fmt.Sprintf("ci_date(%s, %s)", r, serial)
	case catalog.TypeMonth:
		return fmt.Sprintf("ci_month(%s, %s)", r, serial)
	}
	if c.Pseudonymise {
		return fmt.Sprintf("ci_pseudo(%s)", textExpr(c, r))
	}
	return textExpr(c, r)
}

// normSQL creates the temp table "norm": for every staged record its line,
// the raw text and the typed value of every contract column.
func normSQL(d *catalog.Dataset, b *binding) string {
	cols := []string{"s.rowid AS _rid", "s._line AS _line", "_ctx.scope_coop AS _scope_coop"}
	joins := ""
	for _, c := range d.Columns {
		cols = append(cols, b.rawExpr(c.Name)+" AS "+rawCol(c.Name), b.valueExpr(c)+" AS "+valCol(c.Name))
		if b.Mapped[c.Name] {
			joins += fmt.Sprintf("\nLEFT JOIN %s ON %s.raw = %s", mapTable(c.Name), mapTable(c.Name), b.rawExpr(c.Name))
		}
	}
	return "CREATE OR REPLACE TEMP TABLE norm AS SELECT " + strings.Join(cols, ",\n  ") + "\nFROM stg s CROSS JOIN _ctx" + joins
}

// maskedRaw is what problem reports and the quarantine may show of a value:
// a pseudonymised identifier is never stored as written.
func maskedRaw(c *catalog.Column) string {
	r := rawCol(c.Name)
	if c.Pseudonymise {
		return fmt.Sprintf("CASE WHEN %s IS NULL THEN NULL ELSE %s END", r, lit(catalog.MaskedValue))
	}
	return r
}

// problemsSQL creates the temp table "problems" (_rid, _line, col, value, rule).
func problemsSQL(d *catalog.Dataset, b *binding) string {
	var parts []string
	add := func(c *catalog.Column, rule, cond string) {
		parts = append(parts, fmt.Sprintf("SELECT _rid, _line, %s AS col, %s AS value, %s AS rule FROM norm WHERE %s",
			lit(c.Name), maskedRaw(c), lit(rule), cond))
	}
	for _, c := range d.Columns {
		r, v := rawCol(c.Name), valCol(c.Name)
		blank := fmt.Sprintf("ci_text(%s) IS NULL", r)
		if c.Required && !b.Checkbox[c.Name] {
			add(c, catalog.RuleRequired, blank)
		}
		switch {
		case len(c.Enum) > 0:
			add(c, catalog.RuleEnum, fmt.Sprintf("NOT (%s) AND %s IS NULL", blank, v))
		case c.Type != catalog.TypeText:
			add(c, catalog.RuleType, fmt.Sprintf("NOT (%s) AND %s IS NULL", blank, v))
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
			add(c, catalog.RulePattern, fmt.Sprintf("%s IS NOT NULL AND NOT regexp_full_match(%s, %s)", v, v, lit(c.Pattern)))
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
	if len(d.Keys) > 0 {
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
		parts = append(parts, fmt.Sprintf(
			"SELECT _rid, _line, %s AS col, %s AS value, %s AS rule FROM (SELECT *, row_number() OVER (PARTITION BY %s ORDER BY _rid) AS _n FROM norm WHERE %s) WHERE _n > 1",
			lit(last.Name), maskedRaw(last), lit(catalog.RuleDuplicateKey), strings.Join(keys, ", "), where))
	}
	return "CREATE OR REPLACE TEMP TABLE problems AS\n" + strings.Join(parts, "\nUNION ALL\n")
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
func quarantineSQL(d *catalog.Dataset, all bool) string {
	var fields []string
	for _, c := range d.Columns {
		fields = append(fields, fmt.Sprintf("%s := %s", ident(c.Name), maskedRaw(c)))
	}
	from := "norm n WHERE EXISTS (SELECT 1 FROM problems p WHERE p._rid = n._rid)"
	if all {
		from = "norm n"
	}
	return fmt.Sprintf("INSERT INTO ingest_quarantine (run_id, source_line, sheet, row_json) SELECT ?, _line, ?, to_json(struct_pack(%s)) FROM %s",
		strings.Join(fields, ", "), from)
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
