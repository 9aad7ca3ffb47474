package read

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"
)

// xlsxRaw asks excelize for cell values without number formats: numbers and
// dates come as Excel stores them (dates as serial numbers), formulas as
// their cached results.
var xlsxRaw = excelize.Options{RawCellValue: true}

func xlsxDamaged(cause error) *FileError {
	return fileErrorf(CodeXLSX, cause,
		"la cartella di lavoro Excel è danneggiata o non si riesce a leggere: aprirla in Excel e salvarla di nuovo come .xlsx, oppure come CSV",
		"the Excel workbook is damaged or cannot be read: open it in Excel and save it again as .xlsx, or as CSV")
}

// stageXLSX streams one sheet into the table with DuckDB's appender. Cells
// left of the header's first named column and right of its last one are
// not staged (layout margins and notes beside the table).
func stageXLSX(ctx context.Context, conn *sql.Conn, path, table string, opts Options) (s *Staged, err error) {
	created := false
	defer func() {
		// excelize can panic on malformed workbooks: that is a damaged file.
		if r := recover(); r != nil {
			s, err = nil, xlsxDamaged(fmt.Errorf("excelize panic: %v", r))
		}
		if err != nil && created {
			dropTable(conn, table)
		}
	}()
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileErrorf(CodeUnreadable, err, "il file non si può aprire", "the file cannot be opened")
	}
	// Guard against zip bombs while allowing sheets that compress very well;
	// sheets over excelize's default 16 MB are streamed from a temp file.
	limit := min(max(st.Size()*200, 256<<20), 8<<30)
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: limit, TmpDir: opts.TempDir})
	if err != nil {
		return nil, xlsxDamaged(err)
	}
	defer f.Close()

	sheet, err := pickSheet(f, opts.Sheet)
	if err != nil {
		return nil, err
	}
	props, _ := f.GetWorkbookProps()
	date1904 := props.Date1904 != nil && *props.Date1904

	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, xlsxDamaged(err)
	}
	defer rows.Close()

	// The header is among the first non-empty rows.
	type sheetRow struct {
		num   int
		cells []string
	}
	var cand []sheetRow
	rowNum := 0
	for len(cand) < headerRowsLimit && rows.Next() {
		rowNum++
		cells, err := rows.Columns(xlsxRaw)
		if err != nil {
			return nil, xlsxDamaged(err)
		}
		if !allBlank(cells) {
			cand = append(cand, sheetRow{rowNum, cells})
		}
	}
	if err := rows.Error(); err != nil {
		return nil, xlsxDamaged(err)
	}
	if len(cand) == 0 {
		return nil, fileErrorf(CodeEmpty, nil, "il foglio «%s» è vuoto", "the sheet %q is empty", sheet)
	}
	trimmed := make([][]string, len(cand))
	for i, r := range cand {
		trimmed[i] = make([]string, len(r.cells))
		for j, c := range r.cells {
			trimmed[i][j] = strings.TrimSpace(c)
		}
	}
	h, err := headerRow(trimmed, opts.HeaderScore)
	if err != nil {
		return nil, err
	}
	hdrCells := trimmed[h]
	off := 0
	for off < len(hdrCells) && hdrCells[off] == "" {
		off++
	}
	headers := trimHeaders(hdrCells[off:])
	width := len(headers)
	if width > maxColumns {
		return nil, tooManyColumns(width)
	}

	defs := make([]string, 0, width+1)
	for i := 0; i < width; i++ {
		defs = append(defs, colName(i)+" VARCHAR")
	}
	defs = append(defs, "_line BIGINT")
	if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE "+quoteIdent(table)+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return nil, err
	}
	created = true

	var staged int64
	vals := make([]driver.Value, width+1)
	appendRow := func(a *duckdb.Appender, num int, cells []string) error {
		blank := true
		for i := 0; i < width; i++ {
			vals[i] = nil
			if j := off + i; j < len(cells) && cells[j] != "" {
				vals[i] = xlsxValue(cells[j])
				if blank && !isBlank(cells[j]) {
					blank = false
				}
			}
		}
		if blank {
			return nil
		}
		vals[width] = int64(num)
		staged++
		return a.AppendRow(vals...)
	}
	err = withAppender(conn, table, func(a *duckdb.Appender) error {
		for _, r := range cand[h+1:] {
			if err := appendRow(a, r.num, r.cells); err != nil {
				return err
			}
		}
		for rows.Next() {
			rowNum++
			if rowNum%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			cells, err := rows.Columns(xlsxRaw)
			if err != nil {
				return xlsxDamaged(err)
			}
			if err := appendRow(a, rowNum, cells); err != nil {
				return err
			}
		}
		if err := rows.Error(); err != nil {
			return xlsxDamaged(err)
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return &Staged{
		Headers:     headers,
		HeaderLine:  cand[h].num,
		Sheet:       sheet,
		Rows:        staged,
		SerialDates: true,
		Date1904:    date1904,
	}, nil
}

// pickSheet resolves Options.Sheet ("" = the first visible sheet).
func pickSheet(f *excelize.File, want string) (string, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return "", fileErrorf(CodeEmpty, nil, "la cartella di lavoro non ha fogli", "the workbook has no sheets")
	}
	if want == "" {
		for _, s := range sheets {
			if vis, err := f.GetSheetVisible(s); err == nil && vis {
				return s, nil
			}
		}
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == want {
			return s, nil
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(want)) {
			return s, nil
		}
	}
	quoted := make([]string, len(sheets))
	for i, s := range sheets {
		quoted[i] = "«" + s + "»"
	}
	return "", fileErrorf(CodeSheetNotFound, nil,
		"la cartella di lavoro non ha un foglio «%s»; i fogli sono: %s",
		"the workbook has no sheet %q; its sheets are: %s", want, strings.Join(quoted, ", "))
}

func allBlank(cells []string) bool {
	for _, c := range cells {
		if !isBlank(c) {
			return false
		}
	}
	return true
}

// xlsxValue shows a stored number the way Excel's General format does (at
// most 15 significant digits): Excel stores binary doubles, so 7.6 is written
// as 7.5999999999999996 and 0.045 as 4.4999999999999998E-2. Only values in
// that shape (an exponent, or more than 15 significant digits with a decimal
// point) are touched: codes, serial dates and text stay as written.
func xlsxValue(v string) string {
	if len(v) > 40 || !strings.ContainsAny(v, ".eE") {
		return v
	}
	digits, started, exp := 0, false, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			if exp {
				continue
			}
			if c != '0' || started {
				started = true
				digits++
			}
		case c == '.', c == '-', c == '+':
		case c == 'e' || c == 'E':
			exp = true
		default:
			return v
		}
	}
	if !exp && (digits <= 15 || !strings.Contains(v, ".")) {
		return v
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	x, err = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}
