package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"coopimpact/ingest/catalog"
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
		Checkbox: map[string]bool{}, Serial: st.SerialDates}
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

// buildMaps turns the distinct spellings of every enum and bool column into
// a small mapping table, read through the catalogue's own Go rules: one
// definition of synonyms and yes/no spellings, whatever the file's size.
func (s *Service) buildMaps(ctx context.Context, conn *sql.Conn, ds *catalog.Dataset, b *binding) error {
	for _, c := range ds.Columns {
		idx, ok := b.Index[c.Name]
		if !ok || (len(c.Enum) == 0 && c.Type != catalog.TypeBool) {
			continue
		}
		rows, err := conn.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT c%d FROM stg WHERE c%d IS NOT NULL", idx, idx))
		if err != nil {
			return err
		}
		var raws []string
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return err
			}
			raws = append(raws, r)
		}
		rows.Close()
		typ := "VARCHAR"
		if c.Type == catalog.TypeBool {
			typ = "BOOLEAN"
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s (raw VARCHAR, v %s)", mapTable(c.Name), typ)); err != nil {
			return err
		}
		checkbox := c.Type == catalog.TypeBool
		for _, r := range raws {
			var v any
			if c.Type == catalog.TypeBool {
				if bv, ok := s.Catalog.Bool(r); ok {
					v = bv
				}
				if strings.TrimSpace(r) != "" && !s.Catalog.IsCheckboxMark(r) {
					checkbox = false
				}
			} else if ev, ok := c.EnumValue(c.NormalizeText(r)); ok {
				v = ev
			}
			if v == nil {
				continue // unmapped: NULL value, reported as a type/enum problem
			}
			if _, err := conn.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s VALUES (?, ?)", mapTable(c.Name)), r, v); err != nil {
				return err
			}
		}
		b.Mapped[c.Name] = true
		b.Checkbox[c.Name] = checkbox && len(raws) > 0
	}
	return nil
}

// quoteList renders names for messages.
func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "«" + x + "»"
	}
	return strings.Join(q, ", ")
}
