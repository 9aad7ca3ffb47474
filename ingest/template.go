package ingest

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"coopimpact/ingest/catalog"
)

// TemplateHeader is the Italian header a template uses for a column: its
// first plain Italian alias, else the canonical name. Either loads back.
func TemplateHeader(c *catalog.Column) string {
	for _, a := range c.Aliases {
		if (a.Scale == 0 || a.Scale == 1) && !a.Percent {
			return a.Name
		}
	}
	return c.Name
}

// columnNote explains a column in one line of the given language.
func columnNote(c *catalog.Column, lang string) string {
	var parts []string
	parts = append(parts, c.Doc.Get(lang))
	if c.Required {
		parts = append(parts, map[string]string{"it": "obbligatoria", "en": "required"}[lang])
	}
	if vals := c.EnumValues(); len(vals) > 0 {
		parts = append(parts, map[string]string{"it": "valori: ", "en": "values: "}[lang]+strings.Join(vals, ", "))
	}
	if c.Pseudonymise {
		parts = append(parts, map[string]string{"it": "pseudonimizzato all'ingresso", "en": "pseudonymised at ingest"}[lang])
	}
	return strings.Join(parts, " — ")
}

// WriteTemplateCSV writes an empty CSV template: a title line, a notes line
// explaining each column (both skipped by the reader, which finds the header
// below them), then the header. UTF-8 with BOM so spreadsheet programs show accents.
func WriteTemplateCSV(w io.Writer, d *catalog.Dataset) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	title := make([]string, len(d.Columns))
	title[0] = fmt.Sprintf("Modello coopimpact: %s (%s). Compilare dalla riga 4; le prime due righe si possono lasciare.", d.Title.It, d.Name)
	notes := make([]string, len(d.Columns))
	header := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		notes[i] = columnNote(c, "it")
		header[i] = TemplateHeader(c)
	}
	for _, rec := range [][]string{title, notes, header} {
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTemplateXLSX writes an XLSX template: sheet "Dati" with the header and
// a drop-down list on every enumerated column, sheet "Note" explaining each column.
func WriteTemplateXLSX(w io.Writer, d *catalog.Dataset) error {
	f := excelize.NewFile()
	defer f.Close()
	const data, notes = "Dati", "Note"
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return err
	}
	if _, err := f.NewSheet(notes); err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	for i, c := range d.Columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(data, cell, TemplateHeader(c)); err != nil {
			return err
		}
		f.SetCellStyle(data, cell, cell, bold)
		if vals := c.EnumValues(); len(vals) > 0 && len(strings.Join(vals, ",")) < 255 {
			col, _ := excelize.ColumnNumberToName(i + 1)
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(fmt.Sprintf("%s2:%s10000", col, col))
			if err := dv.SetDropList(vals); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleWarning, "Valore non previsto", "Valori ammessi: "+strings.Join(vals, ", "))
			if err := f.AddDataValidation(data, dv); err != nil {
				return err
			}
		}
	}
	head := []any{"colonna / column", "intestazione / header", "obbligatoria / required", "tipo / type", "descrizione", "description"}
	f.SetSheetRow(notes, "A1", &head)
	f.SetCellStyle(notes, "A1", "F1", bold)
	for i, c := range d.Columns {
		req := "no"
		if c.Required {
			req = "sì / yes"
		}
		row := []any{c.Name, TemplateHeader(c), req, string(c.Type), columnNote(c, "it"), columnNote(c, "en")}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow(notes, cell, &row)
	}
	f.SetColWidth(notes, "E", "F", 80)
	f.SetActiveSheet(0)
	return f.Write(w)
}
