// Package read stages an uploaded file (CSV, XLSX, JSON array, NDJSON or
// Parquet) into a DuckDB TEMP table of VARCHAR columns c0..c{n-1} plus
// _line BIGINT, the place in the file each record came from. It only stages
// faithfully: values keep their spelling (no trimming, no typing); validation
// and normalisation happen later in SQL.
//
// _line is the physical line where a CSV or NDJSON record starts (quoted
// line breaks and empty lines counted), the sheet row for XLSX, the record
// ordinal for a JSON array or Parquet. Empty values are NULL. Records whose
// every value is empty or blank are not staged (they still count for the
// lines of the records after them).
//
// CSV: rows shorter than the header are padded with NULL; a row with values
// beyond the header's columns refuses the file (a delimiter inside an
// unquoted value shifts every column after it). XLSX: cells left of the
// header's first named column or right of its last are not staged; numbers
// are Excel's stored values (dates as serials), float noise such as
// 7.5999999999999996 shown as Excel shows it (7.6).
package read

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
)

// Format is the kind of file, as Detect tells it.
type Format string

// The accepted formats.
const (
	CSV     Format = "csv"
	XLSX    Format = "xlsx"
	JSON    Format = "json"
	NDJSON  Format = "ndjson"
	Parquet Format = "parquet"
)

// Options tune Stage.
type Options struct {
	// Sheet is the XLSX sheet to read; "" means the first visible sheet.
	Sheet string
	// HeaderScore says how much a row looks like the header. The header is the
	// best-scoring row among the first 30 non-empty rows (ties: the first one);
	// nil means the first non-empty row. When every row scores 0 or less the
	// file is refused with CodeNoHeader.
	HeaderScore func(cells []string) int
	// MaxBytes refuses larger files (0 = no limit).
	MaxBytes int64
	// TempDir receives a transcoded copy when the file needs one ("" = os.TempDir()).
	TempDir string
}

// Staged describes what Stage wrote.
type Staged struct {
	Table      string   // the temp table name given by the caller
	Format     Format   // the format Detect found
	Headers    []string // as written in the file (trimmed), in column order: column c{i} holds Headers[i]
	HeaderLine int      // 1-based line (csv) or row (xlsx) of the header; 0 for json, ndjson, parquet
	Sheet      string   // xlsx sheet used
	Rows       int64    // data records staged
	Encoding   string   // csv: "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252"
	Delimiter  string   // csv
	// SerialDates is true for xlsx: numeric cells are raw serial numbers, so date
	// columns should accept Excel serials.
	SerialDates bool
	// Date1904 is true for an xlsx workbook using the 1904 date system: its
	// serials count days from 1904-01-01 (add 1462 to get 1900-system serials).
	Date1904 bool
}

// Stage reads the file at path into a new TEMP table named table on conn.
// A file that cannot be used comes back as *FileError; anything else (a
// cancelled context, a broken connection, a table that already exists) as a
// plain error. On error no table is left behind.
func Stage(ctx context.Context, conn *sql.Conn, path string, table string, opts Options) (*Staged, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileErrorf(CodeUnreadable, err,
			"il file non si può aprire", "the file cannot be opened")
	}
	if st.IsDir() {
		return nil, fileErrorf(CodeUnreadable, nil, "non è un file ma una cartella", "it is a folder, not a file")
	}
	if opts.MaxBytes > 0 && st.Size() > opts.MaxBytes {
		return nil, fileErrorf(CodeTooLarge, nil,
			"il file è troppo grande (%s, massimo %s)", "the file is too large (%s, at most %s)",
			humanBytes(st.Size()), humanBytes(opts.MaxBytes))
	}
	format, err := Detect(path)
	if err != nil {
		return nil, err
	}
	// A name clash is the caller's error; checking first also means a failed
	// Stage only ever drops a table it created.
	var clash int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", table).Scan(&clash); err != nil {
		return nil, err
	}
	if clash > 0 {
		return nil, fmt.Errorf("read: temp table %q already exists", table)
	}
	// _line comes from rowids, which follow file order only while DuckDB
	// preserves insertion order (the default): make sure it does.
	var keepsOrder bool
	if err := conn.QueryRowContext(ctx, "SELECT current_setting('preserve_insertion_order')").Scan(&keepsOrder); err != nil {
		return nil, err
	}
	if !keepsOrder {
		if _, err := conn.ExecContext(ctx, "SET SESSION preserve_insertion_order = true"); err != nil {
			return nil, err
		}
		defer conn.ExecContext(context.Background(), "SET SESSION preserve_insertion_order = false") //nolint:errcheck
	}
	var s *Staged
	switch format {
	case CSV:
		s, err = stageCSV(ctx, conn, path, table, opts)
	case XLSX:
		s, err = stageXLSX(ctx, conn, path, table, opts)
	case JSON, NDJSON:
		s, err = stageJSON(ctx, conn, path, table, format, opts)
	case Parquet:
		s, err = stageParquet(ctx, conn, path, table)
	default:
		err = fmt.Errorf("read: unhandled format %q", format)
	}
	if err != nil {
		return nil, err
	}
	s.Table, s.Format = table, format
	return s, nil
}

// isInputError tells a DuckDB error about the file's content (a FileError
// for the user) from one about the engine (out of memory, disk full...).
func isInputError(err error) bool {
	msg := err.Error()
	for _, k := range []string{"Invalid Input Error", "Conversion Error", "Binder Error", "CSV", "JSON", "Parquet", "parquet"} {
		if strings.Contains(msg, k) {
			return true
		}
	}
	return false
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteLit quotes an SQL string literal.
func quoteLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// colName is the staged name of column i.
func colName(i int) string { return fmt.Sprintf("c%d", i) }

// dropTable removes a half-built staging table; errors are moot at that point.
func dropTable(conn *sql.Conn, table string) {
	_, _ = conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp.main."+quoteIdent(table))
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// headerRow picks the header among candidate rows (already the first 30
// non-blank ones): the best HeaderScore, the first on ties.
func headerRow(rows [][]string, score func([]string) int) (int, error) {
	if len(rows) == 0 {
		return -1, fileErrorf(CodeEmpty, nil, "il file non contiene dati", "the file holds no data")
	}
	if score == nil {
		return 0, nil
	}
	best, bestScore := -1, 0
	for i, r := range rows {
		if sc := score(r); sc > bestScore {
			best, bestScore = i, sc
		}
	}
	if best < 0 {
		return -1, fileErrorf(CodeNoHeader, nil,
			"nelle prime %d righe non c'è una riga di intestazione con nomi di colonna riconoscibili",
			"none of the first %d rows is a header row with recognisable column names", len(rows))
	}
	return best, nil
}

// maxColumns bounds the staged columns: datasets have a few dozen, and a
// stray cell in column XFD must not make a 16384-column table.
const maxColumns = 1000

func tooManyColumns(n int) *FileError {
	return fileErrorf(CodeTooManyColumns, nil,
		"il file ha %d colonne: al massimo se ne accettano %d (controllare che non ci siano celle o separatori isolati molto a destra della tabella)",
		"the file has %d columns: at most %d are accepted (check for stray cells or delimiters far to the right of the table)",
		n, maxColumns)
}

// headerRowsLimit is how many non-empty rows may precede and include the header.
const headerRowsLimit = 30

// trimHeaders trims every cell and drops trailing empty ones.
func trimHeaders(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.TrimSpace(c)
	}
	n := len(out)
	for n > 0 && out[n-1] == "" {
		n--
	}
	return out[:n]
}

// isBlank reports whether s holds only spaces, tabs and line breaks.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return true
}
