package read

import "fmt"

// FileError means the file cannot be used at all. It and En are one plain
// sentence each (Italian, English) naming the problem; they read well after
// "<file name>: ". The underlying cause, if any, is kept for logs only.
type FileError struct {
	Code string
	It   string
	En   string

	cause error
}

// Error returns the English sentence.
func (e *FileError) Error() string { return e.En }

// Unwrap gives the technical cause (for logs, never for users).
func (e *FileError) Unwrap() error { return e.cause }

// FileError codes.
const (
	CodeUnknownFormat  = "unknown_format" // not CSV/XLSX/JSON/NDJSON/Parquet
	CodeUnreadable     = "unreadable"     // cannot be opened
	CodeTooLarge       = "too_large"      // over Options.MaxBytes
	CodeEmpty          = "empty"          // no data at all
	CodeNoHeader       = "no_header"      // no row looks like a header
	CodeEncoding       = "encoding"       // text encoding beyond repair
	CodeCSVQuote       = "csv_quote"      // a quoted value never closed, or text after a closing quote
	CodeCSVRagged      = "csv_ragged"     // rows with values beyond the header's columns
	CodeTooManyColumns = "too_many_columns"
	CodeCSVUnreadable  = "csv_unreadable"  // the CSV reader refused the file
	CodeXLSX           = "xlsx_unreadable" // damaged workbook
	CodeSheetNotFound  = "sheet_not_found" // Options.Sheet is not in the workbook
	CodeJSON           = "json_invalid"    // malformed JSON or not records
	CodeParquet        = "parquet_unreadable"
)

// acceptedIt/En name the accepted formats in the messages that refuse one.
const (
	acceptedIt = "si accettano CSV, Excel .xlsx, JSON (array di oggetti o un oggetto per riga) e Parquet"
	acceptedEn = "accepted formats are CSV, Excel .xlsx, JSON (an array of objects or one object per line) and Parquet"
)

func fileErrorf(code string, cause error, it, en string, args ...any) *FileError {
	return &FileError{Code: code, It: fmt.Sprintf(it, args...), En: fmt.Sprintf(en, args...), cause: cause}
}
