package ingest

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"coopimpact/ingest/catalog"
)

// fixtureRows reads a contract fixture as maps column -> value.
func fixtureRows(t *testing.T, name string) []map[string]string {
	b, err := os.ReadFile(contractFile(name))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

// A filled-in template loads exactly like the fixture it was filled from.
func TestTemplatesRoundTrip(t *testing.T) {
	cat := catalog.Default()
	want := newFixture(t)
	csvFix, xlsxFix := newFixture(t), newFixture(t)
	dir := t.TempDir()
	for _, d := range cat.Datasets {
		want.mustLoad(t, d.Name, contractFile(d.Name))
		rows := fixtureRows(t, d.Name)

		var buf bytes.Buffer
		if err := WriteTemplateCSV(&buf, d); err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(&buf)
		w.Comma = ';'
		for _, r := range rows {
			rec := make([]string, len(d.Columns))
			for i, c := range d.Columns {
				rec[i] = r[c.Name]
			}
			w.Write(rec)
		}
		w.Flush()
		p := writeFile(t, dir, d.Name+".csv", buf.String())
		rep := csvFix.mustLoad(t, d.Name, p)
		if len(rep.Notices) != 0 {
			t.Errorf("%s csv template: notices %+v", d.Name, rep.Notices)
		}

		buf.Reset()
		if err := WriteTemplateXLSX(&buf, d); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		dvs, _ := x.GetDataValidations("Dati")
		enums := 0
		for _, c := range d.Columns {
			if len(c.EnumValues()) > 0 && len(strings.Join(c.EnumValues(), ",")) < 255 {
				enums++
			}
		}
		if len(dvs) != enums {
			t.Errorf("%s xlsx: %d drop-down lists, want %d", d.Name, len(dvs), enums)
		}
		if n, _ := x.GetRows("Note"); len(n) != len(d.Columns)+1 {
			t.Errorf("%s xlsx: notes sheet has %d rows", d.Name, len(n))
		}
		for i, r := range rows {
			rec := make([]any, len(d.Columns))
			for j, c := range d.Columns {
				rec[j] = r[c.Name]
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			x.SetSheetRow("Dati", cell, &rec)
		}
		xp := filepath.Join(dir, d.Name+".xlsx")
		if err := x.SaveAs(xp); err != nil {
			t.Fatal(err)
		}
		xlsxFix.mustLoad(t, d.Name, xp)

		ref := tableDump(t, want, d.Table)
		if got := tableDump(t, csvFix, d.Table); got != ref {
			t.Errorf("%s from the CSV template:\n%s\nwant\n%s", d.Name, got, ref)
		}
		if got := tableDump(t, xlsxFix, d.Table); got != ref {
			t.Errorf("%s from the XLSX template:\n%s\nwant\n%s", d.Name, got, ref)
		}
	}
}
