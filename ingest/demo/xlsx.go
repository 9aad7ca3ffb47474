package demo

import (
	"strconv"

	"github.com/xuri/excelize/v2"
)

// writeSheet writes a one-sheet workbook the way hand-kept registers look:
// a title row above the header, dates as real Excel dates (dd/mm/yyyy).
func writeSheet(path, sheet, title string, header []string, rows [][]any, dateCols []int) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := f.SetCellValue(sheet, "A1", title); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	fmtDate := "dd/mm/yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &fmtDate})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", bold); err != nil {
		return err
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	if err := f.SetSheetRow(sheet, "A2", &hdr); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(header), 2)
	if err := f.SetCellStyle(sheet, "A2", last, bold); err != nil {
		return err
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
		for _, col := range dateCols {
			if row[col] == nil {
				continue
			}
			c, _ := excelize.CoordinatesToCellName(col+1, i+3)
			if err := f.SetCellStyle(sheet, c, c, dateStyle); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(path)
}

// excelDate converts a day to an Excel serial (1900 system).
func excelDate(d day) float64 {
	return float64(d - mkDay(1899, 12, 30))
}

func (n *network) writeCooperativesXLSX(path string) (int, error) {
	rows := make([][]any, 0, len(n.coops))
	for _, c := range n.coops {
		var cohort any
		if c.cohort {
			cohort = strconv.Itoa(n.o.CohortStart)
		}
		rows = append(rows, []any{c.id, c.name, c.typ, c.region.name, c.com.sigla, c.com.code, c.founded, cohort})
	}
	title := "Rete Cooperazione Digitale - anagrafica delle cooperative aderenti al 31/12/" + strconv.Itoa(n.o.YearTo)
	return len(rows), writeSheet(path, "Cooperative", title, hdrCoops, rows, nil)
}

func (n *network) writeCertificationsXLSX(path string) (int, error) {
	var rows [][]any
	for _, c := range n.coops {
		for _, cr := range c.certs {
			row := []any{cr.coopID, cr.certType, cr.scope, cr.issuer, excelDate(cr.issue), nil, cr.status, nil}
			if cr.expiry != 0 {
				row[5] = excelDate(cr.expiry)
			}
			if cr.score != 0 {
				row[7] = cr.score
			}
			rows = append(rows, row)
		}
	}
	title := "Certificazioni delle cooperative - situazione al 31/12/" + strconv.Itoa(n.o.YearTo)
	return len(rows), writeSheet(path, "Certificazioni", title, hdrCerts, rows, []int{4, 5})
}
