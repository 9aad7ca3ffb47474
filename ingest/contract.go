package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"coopimpact/ingest/catalog"
	"coopimpact/ingest/parse"
	"coopimpact/ingest/read"
)

// dataset resolves a dataset name, or refuses with the list of names.
func (s *Service) dataset(name string) (*catalog.Dataset, error) {
	if d, ok := s.Catalog.Dataset(strings.TrimSpace(name)); ok {
		return d, nil
	}
	names := strings.Join(s.Catalog.Names(), ", ")
	return nil, fileErr("unknown_dataset", "tipo di dati «%s» sconosciuto: usare uno tra %s", "unknown dataset %q: use one of %s", name, names)
}

// headerScore tells the reader how much a row looks like the header of the
// dataset, or of any dataset when none is named yet.
func (s *Service) headerScore(ds *catalog.Dataset) func([]string) int {
	if ds != nil {
		return ds.HeaderScore
	}
	return func(cells []string) int {
		best := 0
		for _, d := range s.Catalog.Datasets {
			if n := d.HeaderScore(cells); n > best {
				best = n
			}
		}
		return best
	}
}

// bind maps the file's headers onto the dataset's columns, refusing the file
// when a required column is missing, and notes what is ignored or dropped.
func (s *Service) bind(ds *catalog.Dataset, st *read.Staged, coopCtx string, file string) (*binding, []Notice, error) {
	m := ds.MatchHeaders(st.Headers)
	if len(m.Missing) > 0 {
		cols := quoteList(m.Missing)
		return nil, nil, fileErr("missing_column",
			"%s: mancano colonne obbligatorie per «%s»: %s (intestazioni trovate alla riga %d: %s)",
			"%s: required columns for %q are missing: %s (headers found on line %d: %s)",
			file, ds.Name, cols, st.HeaderLine, strings.Join(st.Headers, ", "))
	}
	b := &binding{Index: m.Columns, Scale: m.Scale, Percent: m.Percent, Mapped: map[string]bool{},
		Checkbox: map[string]bool{}, Serial: st.SerialDates, Date1904: st.Date1904}
	if _, ok := m.Columns["coop_id"]; !ok {
		if coopCtx == "" {
			return nil, nil, fileErr("missing_coop",
				"%s: il file non ha la colonna della cooperativa (coop_id / codice_fiscale): indicare la cooperativa a cui si riferisce",
				"%s: the file has no cooperative column (coop_id / codice_fiscale): say which cooperative it is about", file)
		}
		b.CoopCtx = true
	}
	var notes []Notice
	note := func(t catalog.Text) { notes = append(notes, Notice{It: t.It, En: t.En}) }
	for _, h := range m.NameLike {
		note(s.Catalog.Message("name_like_column", "column", "«"+h+"»"))
	}
	for _, h := range m.Unknown {
		note(s.Catalog.Message("unknown_column", "column", "«"+h+"»"))
	}
	for _, a := range m.Ambiguous {
		note(s.Catalog.Message("ambiguous_column", "header", "«"+a[1]+"»", "column", a[0]))
	}
	return b, notes, nil
}

// errNeedStage says the lane's spellings cannot make a map (an enum or bool
// column has too many): the file must be staged.
var errNeedStage = errors.New("ingest: the file must be staged")

// buildMaps parses each distinct spelling of a column once into a small
// mapping table. Enum and bool columns always go through the catalogue's own
// Go rules (one definition of synonyms and yes/no spellings); other columns
// do when they repeat enough for it to pay (people, months, activities).
// The spellings come from the staged table, or from spell (the CSV lane's,
// per staged column; nil for a column with too many).
func (s *Service) buildMaps(ctx context.Context, conn *sql.Conn, ds *catalog.Dataset, b *binding, rows int64, spell [][]string, codes [][]int32) error {
	b.Mapped, b.GoMapped = map[string]bool{}, map[string]bool{}
	var idx []int
	for _, c := range ds.Columns {
		if i, ok := b.Index[c.Name]; ok {
			idx = append(idx, i)
		}
	}
	// How much each column repeats, estimated on a block sample: exact counts
	// of distinct values would cost a full pass per column.
	ndv := map[int]int64{}
	var sampled int64
	if spell != nil {
		sampled = rows
		for _, i := range idx {
			ndv[i] = rows // too many: parsed row by row
			if spell[i] != nil {
				ndv[i] = int64(len(spell[i]))
			}
		}
	} else if len(idx) > 0 && rows > int64(s.directBelow()) {
		sel := []string{"count(*)"}
		for _, i := range idx {
			sel = append(sel, fmt.Sprintf("count(DISTINCT c%d)", i))
		}
		vals := make([]int64, len(idx)+1)
		dest := make([]any, len(vals))
		for j := range vals {
			dest[j] = &vals[j]
		}
		t0 := time.Now()
		q := "SELECT " + strings.Join(sel, ", ") + " FROM stg USING SAMPLE 2% (system, 7)"
		if err := conn.QueryRowContext(ctx, q).Scan(dest...); err != nil {
			return err
		}
		sampled = vals[0]
		for j, i := range idx {
			ndv[i] = vals[j+1]
		}
		s.debug("distinct counts on a sample", "rows", sampled, "duration", time.Since(t0))
	}
	for _, c := range ds.Columns {
		i, ok := b.Index[c.Name]
		if !ok {
			continue
		}
		t0 := time.Now()
		if len(c.Enum) > 0 || c.Type == catalog.TypeBool {
			var raws []string
			if spell != nil {
				if raws = spell[i]; raws == nil {
					return errNeedStage
				}
			}
			var cs []int32
			if codes != nil {
				cs = codes[i]
			}
			if err := s.goMap(ctx, conn, c, i, b, raws, cs); err != nil {
				return err
			}
			s.debug("map", "column", c.Name, "kind", "catalogue", "duration", time.Since(t0))
			continue
		}
		if spell != nil && spell[i] == nil {
			continue
		}
		if spell != nil || rows <= int64(s.directBelow()) || ndv[i]*4 <= sampled {
			from := fmt.Sprintf("(SELECT DISTINCT c%d AS raw, NULL::INTEGER AS code FROM stg WHERE c%d IS NOT NULL)", i, i)
			if spell != nil {
				from = "_spellings"
				if err := fillSpellings(ctx, conn, spell[i], codes[i]); err != nil {
					return err
				}
			}
			if _, err := conn.ExecContext(ctx, b.mapSQL(c, from, spell != nil)); err != nil {
				return fmt.Errorf("map %s: %w", c.Name, err)
			}
			b.Mapped[c.Name] = true
			s.debug("map", "column", c.Name, "kind", "sql", "distinct", ndv[i], "duration", time.Since(t0))
		}
	}
	return nil
}

// directBelow is the row count under which every column is mapped (small
// files: the choice does not matter); tests set it negative to force direct parsing.
func (s *Service) directBelow() int {
	if s.mapAllBelow != 0 {
		return s.mapAllBelow
	}
	return 10000
}

// goMap fills the map of an enum or bool column from raws, the lane's
// spellings with their codes (nil: read the distinct spellings from the
// staged table).
func (s *Service) goMap(ctx context.Context, conn *sql.Conn, c *catalog.Column, i int, b *binding, raws []string, codes []int32) error {
	if raws == nil {
		rows, err := conn.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT c%d FROM stg WHERE c%d IS NOT NULL", i, i))
		if err != nil {
			return err
		}
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return err
			}
			raws = append(raws, r)
		}
		rows.Close()
	}
	typ := "VARCHAR"
	if c.Type == catalog.TypeBool {
		typ = "BOOLEAN"
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s (raw VARCHAR, code INTEGER, v %s, b BOOLEAN)", mapTable(c.Name), typ)); err != nil {
		return err
	}
	checkbox := c.Type == catalog.TypeBool
	nonBlank := 0
	for k, r := range raws {
		var code any
		if codes != nil {
			code = codes[k]
		}
		_, present := parse.Text(r)
		var v any
		if present {
			nonBlank++
			if c.Type == catalog.TypeBool {
				if bv, ok := s.Catalog.Bool(r); ok {
					v = bv
				}
				if !s.Catalog.IsCheckboxMark(r) {
					checkbox = false
				}
			} else if ev, ok := c.EnumValue(c.NormalizeText(r)); ok {
				v = ev
			}
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s VALUES (?, ?, ?, ?)", mapTable(c.Name)), r, code, v, !present); err != nil {
			return err
		}
	}
	b.Mapped[c.Name], b.GoMapped[c.Name] = true, true
	b.Checkbox[c.Name] = checkbox && nonBlank > 0
	return nil
}

// fillSpellings puts the lane's spellings and their codes in the temp
// table _spellings (raw, code).
func fillSpellings(ctx context.Context, conn *sql.Conn, spellings []string, codes []int32) error {
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _spellings (raw VARCHAR, code INTEGER)"); err != nil {
		return err
	}
	rows := make([][]any, len(spellings))
	for i, v := range spellings {
		rows[i] = []any{v, codes[i]}
	}
	return read.AppendTemp(conn, "_spellings", rows)
}

// quoteList renders names for messages.
func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "«" + x + "»"
	}
	return strings.Join(q, ", ")
}
