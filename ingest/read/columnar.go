package read

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/transform"
)

// describe lists the columns (name, type) of a SELECT.
func describe(ctx context.Context, conn *sql.Conn, q string) (names, types []string, err error) {
	rs, err := conn.QueryContext(ctx, "DESCRIBE "+q)
	if err != nil {
		return nil, nil, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, nil, err
	}
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		names = append(names, fmt.Sprint(vals[0]))
		types = append(types, fmt.Sprint(vals[1]))
	}
	return names, types, rs.Err()
}

// createFromSelect creates the table from exprs (one per column) over from,
// numbers _line from the rowid, and drops all-blank records.
func createFromSelect(ctx context.Context, conn *sql.Conn, table string, exprs []string, from string) error {
	sel := make([]string, 0, len(exprs)+1)
	for i, e := range exprs {
		sel = append(sel, e+" AS "+colName(i))
	}
	sel = append(sel, "CAST(NULL AS BIGINT) AS _line")
	_, err := conn.ExecContext(ctx, "CREATE TEMP TABLE "+quoteIdent(table)+" AS SELECT "+strings.Join(sel, ", ")+" FROM "+from)
	return err
}

// deleteBlank drops records whose values are all NULL or blank.
func deleteBlank(ctx context.Context, conn *sql.Conn, table string, n int) error {
	conds := make([]string, n)
	for i := range conds {
		conds[i] = fmt.Sprintf("coalesce(trim(%s, ' \t\r\n'), '') = ''", colName(i))
	}
	if n == 0 {
		conds = []string{"true"}
	}
	_, err := conn.ExecContext(ctx, "DELETE FROM "+quoteIdent(table)+" WHERE "+strings.Join(conds, " AND "))
	return err
}

func countRows(ctx context.Context, conn *sql.Conn, table string) (int64, error) {
	var n int64
	err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(table)).Scan(&n)
	return n, err
}

func jsonInvalid(cause error) *FileError {
	return fileErrorf(CodeJSON, cause,
		"il file JSON non è valido o non contiene record: servono un array di oggetti ([{...}, {...}]) oppure un oggetto per riga",
		"the JSON file is not valid or holds no records: it must be an array of objects ([{...}, {...}]) or one object per line")
}

// stageJSON reads a JSON array of objects or NDJSON. Headers are the union of
// the keys in first-seen order; nested values are staged as JSON text.
func stageJSON(ctx context.Context, conn *sql.Conn, path, table string, format Format, opts Options) (*Staged, error) {
	src, err := openCSVSource(path)
	if err != nil {
		return nil, err
	}
	readPath := path
	if src.enc != "utf-8" {
		// DuckDB's JSON reader wants UTF-8 without a byte order mark.
		chain := []transform.Transformer{transform.Nop}
		if src.utf16() {
			chain = []transform.Transformer{utf16Decoder(src.enc == "utf-16be")}
		}
		cp, err := writeCopy(ctx, src, opts.TempDir, chain)
		if err != nil {
			return nil, err
		}
		defer os.Remove(cp)
		readPath = cp
	}
	jf := "array"
	var lay *ndjsonLayout
	if format == NDJSON {
		f, err := os.Open(readPath)
		if err != nil {
			return nil, fileErrorf(CodeUnreadable, err, "il file non si può aprire", "the file cannot be opened")
		}
		lay, err = scanNDJSON(ctx, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		jf = "newline_delimited"
		if !lay.onePerLine {
			jf = "unstructured"
		}
	}
	names, types, err := describe(ctx, conn, "SELECT * FROM read_json("+quoteLit(readPath)+
		", format = '"+jf+"', maximum_depth = 1, sample_size = -1)")
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !isInputError(err) {
			return nil, fmt.Errorf("read: read_json: %w", err)
		}
		return nil, jsonInvalid(err)
	}
	for _, t := range types {
		if t != "JSON" { // with maximum_depth = 1 every key of an object is JSON
			return nil, jsonInvalid(fmt.Errorf("column type %s", t))
		}
	}
	if len(names) == 0 {
		return nil, fileErrorf(CodeEmpty, nil, "il file non contiene dati", "the file holds no data")
	}
	if len(names) > maxColumns {
		return nil, tooManyColumns(len(names))
	}
	cols := make([]string, len(names))
	exprs := make([]string, len(names))
	for i, n := range names {
		cols[i] = quoteLit(n) + ": 'VARCHAR'"
		exprs[i] = quoteIdent(n)
	}
	from := "read_json(" + quoteLit(readPath) + ", format = '" + jf + "', columns = {" + strings.Join(cols, ", ") + "})"
	if err := createFromSelect(ctx, conn, table, exprs, from); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !isInputError(err) {
			return nil, fmt.Errorf("read: read_json: %w", err)
		}
		return nil, jsonInvalid(err)
	}
	s, err := finishColumnar(ctx, conn, table, names, lay)
	if err != nil {
		dropTable(conn, table)
		return nil, err
	}
	return s, nil
}

// finishColumnar numbers _line (NDJSON: physical lines; otherwise ordinals),
// drops blank records and counts what is left.
func finishColumnar(ctx context.Context, conn *sql.Conn, table string, names []string, lay *ndjsonLayout) (*Staged, error) {
	if lay != nil {
		n, err := countRows(ctx, conn, table)
		if err != nil {
			return nil, err
		}
		if n != lay.records {
			return nil, jsonInvalid(fmt.Errorf("read_json gave %d rows, the scanner counted %d", n, lay.records))
		}
		if err := setLines(ctx, conn, table, 1, lay.breaks); err != nil {
			return nil, err
		}
	} else if err := setLines(ctx, conn, table, 1, nil); err != nil {
		return nil, err
	}
	if err := deleteBlank(ctx, conn, table, len(names)); err != nil {
		return nil, err
	}
	n, err := countRows(ctx, conn, table)
	if err != nil {
		return nil, err
	}
	headers := make([]string, len(names))
	for i, h := range names {
		headers[i] = strings.TrimSpace(h)
	}
	return &Staged{Headers: headers, Rows: n}, nil
}

// ndjsonLayout maps NDJSON records to the lines they start on.
type ndjsonLayout struct {
	records    int64
	breaks     []lineBreakpoint
	onePerLine bool // every record on a line of its own
}

// scanNDJSON finds where each top-level JSON value starts (string- and
// nesting-aware), so blank lines and records spanning lines keep exact
// line numbers.
func scanNDJSON(ctx context.Context, r io.Reader) (*ndjsonLayout, error) {
	lay := &ndjsonLayout{onePerLine: true}
	buf := make([]byte, scanChunkSize)
	line := int64(1)
	depth := 0
	inStr, esc := false, false
	var delta int64
	lastEndLine := int64(0) // line where the previous record ended
	startLine := int64(0)
	scalar := false // inside a top-level scalar (number, true, ...)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := io.ReadFull(r, buf)
		b := buf[:n]
		for i := 0; i < len(b); i++ {
			c := b[i]
			if inStr {
				// Jump to the next quote or backslash.
				if !esc {
					j := bytes.IndexAny(b[i:], "\"\\\n")
					if j < 0 {
						i = len(b) - 1
						continue
					}
					i += j
					c = b[i]
				}
				switch {
				case esc:
					esc = false
				case c == '\\':
					esc = true
				case c == '"':
					inStr = false
					if depth == 0 {
						lastEndLine = line
					}
				}
				if c == '\n' {
					line++
				}
				continue
			}
			switch c {
			case '\n':
				line++
				if scalar {
					scalar = false
				}
				continue
			case ' ', '\t', '\r':
				if scalar {
					scalar = false
				}
				continue
			}
			if depth == 0 && !scalar {
				// A new top-level value starts here.
				if startLine != 0 && lastEndLine == line {
					lay.onePerLine = false // two values on one line
				}
				row := lay.records
				lay.records++
				startLine = line
				if want := 1 + row + delta; line != want {
					delta = line - (1 + row)
					lay.breaks = append(lay.breaks, lineBreakpoint{row, delta})
				}
				if c != '{' && c != '[' && c != '"' {
					scalar = true
					lastEndLine = line
				}
			}
			switch c {
			case '"':
				inStr = true
			case '{', '[':
				depth++
			case '}', ']':
				if depth > 0 {
					depth--
				}
				if depth == 0 {
					lastEndLine = line
					if line != startLine {
						lay.onePerLine = false
					}
				}
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, fileErrorf(CodeUnreadable, err, "il file non si può leggere", "the file cannot be read")
		}
	}
	if inStr || depth > 0 {
		return nil, jsonInvalid(fmt.Errorf("unterminated value at end of file"))
	}
	return lay, nil
}

// stageParquet reads a Parquet file, every column cast to text: dates as
// YYYY-MM-DD, timestamps as ISO 8601 (UTC with Z when zoned), nested values
// as JSON.
func stageParquet(ctx context.Context, conn *sql.Conn, path, table string) (*Staged, error) {
	from := "read_parquet(" + quoteLit(path) + ")"
	names, types, err := describe(ctx, conn, "SELECT * FROM "+from)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !isInputError(err) {
			return nil, fmt.Errorf("read: read_parquet: %w", err)
		}
		return nil, parquetInvalid(err)
	}
	if len(names) == 0 {
		return nil, fileErrorf(CodeEmpty, nil, "il file non contiene dati", "the file holds no data")
	}
	if len(names) > maxColumns {
		return nil, tooManyColumns(len(names))
	}
	exprs := make([]string, len(names))
	for i, n := range names {
		exprs[i] = parquetText(quoteIdent(n), types[i])
	}
	if err := createFromSelect(ctx, conn, table, exprs, from); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !isInputError(err) {
			return nil, fmt.Errorf("read: read_parquet: %w", err)
		}
		return nil, parquetInvalid(err)
	}
	s, err := finishColumnar(ctx, conn, table, names, nil)
	if err != nil {
		dropTable(conn, table)
		return nil, err
	}
	return s, nil
}

func parquetInvalid(cause error) *FileError {
	return fileErrorf(CodeParquet, cause,
		"il file Parquet è danneggiato o non si riesce a leggere",
		"the Parquet file is damaged or cannot be read")
}

// parquetText is the SQL turning column c of DuckDB type t into text.
func parquetText(c, t string) string {
	switch {
	case t == "TIMESTAMP WITH TIME ZONE":
		return "replace(CAST(make_timestamp(epoch_us(" + c + ")) AS VARCHAR), ' ', 'T') || 'Z'"
	case strings.HasPrefix(t, "TIMESTAMP"):
		return "replace(CAST(" + c + " AS VARCHAR), ' ', 'T')"
	case strings.HasPrefix(t, "STRUCT"), strings.HasPrefix(t, "MAP"), strings.HasPrefix(t, "UNION"),
		strings.HasSuffix(t, "]"):
		return "CAST(to_json(" + c + ") AS VARCHAR)"
	}
	return "CAST(" + c + " AS VARCHAR)"
}
