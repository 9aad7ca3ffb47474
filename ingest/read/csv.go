package read

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/transform"
)

// sniffSize is how much of a CSV file the delimiter and header sniffers read.
const sniffSize = 1 << 20

// sniffRecords is how many records the delimiter sniffer weighs.
const sniffRecords = 200

// csvDelims are the accepted delimiters, in order of preference on ties
// (Italian software writes ';' because ',' is the decimal separator).
var csvDelims = []byte{';', ',', '\t', '|'}

// csvBufferSize, when > 0, is passed to read_csv as buffer_size; tests shrink
// it so that even small files are split among parallel scanners.
var csvBufferSize int64

// csvSource is a CSV file with its encoding as far as the first bytes tell.
type csvSource struct {
	path   string
	enc    string // "utf-8", "utf-8-bom", "utf-16le", "utf-16be"
	bomLen int64
}

func openCSVSource(path string) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileErrorf(CodeUnreadable, err, "il file non si può aprire", "the file cannot be opened")
	}
	defer f.Close()
	head := make([]byte, detectHead)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	src := &csvSource{path: path, enc: "utf-8"}
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		src.enc, src.bomLen = "utf-8-bom", 3
	case bytes.HasPrefix(head, []byte("\xFF\xFE")):
		src.enc, src.bomLen = "utf-16le", 2
	case bytes.HasPrefix(head, []byte("\xFE\xFF")):
		src.enc, src.bomLen = "utf-16be", 2
	default:
		if le, ok := utf16NoBOM(head); ok {
			src.enc = "utf-16be"
			if le {
				src.enc = "utf-16le"
			}
		}
	}
	return src, nil
}

func (s *csvSource) utf16() bool { return strings.HasPrefix(s.enc, "utf-16") }

// open returns the file's text after the BOM, decoded to UTF-8 when it is UTF-16.
func (s *csvSource) open() (io.ReadCloser, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, fileErrorf(CodeUnreadable, err, "il file non si può aprire", "the file cannot be opened")
	}
	if _, err := f.Seek(s.bomLen, io.SeekStart); err != nil {
		f.Close()
		return nil, fileErrorf(CodeUnreadable, err, "il file non si può leggere", "the file cannot be read")
	}
	if !s.utf16() {
		return f, nil
	}
	return readCloser{transform.NewReader(f, utf16Decoder(s.enc == "utf-16be")), f}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// head reads the first sniffSize bytes of the file's text; whole is true
// when that is all of it.
func (s *csvSource) head() (head []byte, whole bool, err error) {
	r, err := s.open()
	if err != nil {
		return nil, false, err
	}
	defer r.Close()
	head = make([]byte, sniffSize)
	n, rerr := io.ReadFull(r, head)
	if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
		return nil, false, fileErrorf(CodeUnreadable, rerr, "il file non si può leggere", "the file cannot be read")
	}
	return head[:n], rerr != nil, nil
}

// headers is the sniffed header row, decoded and trimmed.
func (sn *csvSniff) headers() []string {
	header := make([]string, len(sn.header))
	for i, c := range sn.header {
		header[i] = decodeCP1252Hybrid(c)
	}
	return trimHeaders(header)
}

// csvSniff is what the first part of the file tells.
type csvSniff struct {
	delim     byte
	headerIdx int64    // record index (0-based, empty lines not counted) of the header
	header    [][]byte // raw header cells
}

// sniffDelimiter picks the delimiter giving the most sample records with the
// same field count (> 1); ties go to the larger count, then to csvDelims order.
func sniffDelimiter(head []byte, atEOF bool) byte {
	best, bestScore, bestMode := byte(0), 0, 0
	for _, d := range csvDelims {
		counts := map[int]int{}
		total := 0
		// Blank records count too: ";;;;" rows at the end of spreadsheet
		// exports support their delimiter.
		sc := newCSVScanner(d, func(r *csvRecord) bool {
			counts[r.fields]++
			total++
			return total < sniffRecords
		})
		sc.feed(head)
		if atEOF {
			sc.finish()
		}
		mode, score := 0, 0
		for f, n := range counts {
			if f > 1 && (n > score || n == score && f > mode) {
				mode, score = f, n
			}
		}
		if score > bestScore || score == bestScore && score > 0 && mode > bestMode {
			best, bestScore, bestMode = d, score, mode
		}
	}
	if best != 0 {
		return best
	}
	// One column: take the candidate that appears least, so that a stray
	// ';' in a value does not split it.
	best, fewest := csvDelims[0], -1
	for _, d := range csvDelims {
		if n := bytes.Count(head, []byte{d}); fewest < 0 || n < fewest {
			best, fewest = d, n
		}
	}
	return best
}

// sniffCSV finds the delimiter and the header among the first non-blank records.
func sniffCSV(head []byte, atEOF bool, score func([]string) int) (*csvSniff, error) {
	sn := &csvSniff{delim: sniffDelimiter(head, atEOF)}
	var raw [][][]byte
	var idx []int64
	var rec int64
	sc := newCSVScanner(sn.delim, func(r *csvRecord) bool {
		if r.width > 0 {
			raw = append(raw, r.cells)
			idx = append(idx, rec)
		}
		rec++
		return len(raw) < headerRowsLimit
	})
	sc.collect = true
	sc.feed(head)
	if atEOF {
		sc.finish()
	}
	if len(raw) == 0 {
		if sc.err != nil {
			return nil, quoteError(sc.err)
		}
		if !atEOF {
			return nil, fileErrorf(CodeCSVUnreadable, nil,
				"la prima riga del file è lunghissima (oltre %s): non sembra un file CSV",
				"the first line of the file is extremely long (over %s): it does not look like a CSV file", humanBytes(sniffSize))
		}
		return nil, fileErrorf(CodeEmpty, nil, "il file non contiene dati", "the file holds no data")
	}
	rows := make([][]string, len(raw))
	for i, cells := range raw {
		row := make([]string, len(cells))
		for j, c := range cells {
			row[j] = strings.TrimSpace(decodeCP1252Hybrid(c))
		}
		rows[i] = row
	}
	h, err := headerRow(rows, score)
	if err != nil {
		return nil, err
	}
	sn.headerIdx, sn.header = idx[h], raw[h]
	return sn, nil
}

// lineBreakpoint says that from data row `row` on, a record starts `delta`
// lines further down than one-record-per-line would put it.
type lineBreakpoint struct{ row, delta int64 }

// csvLayout gathers, in one pass, what staging needs to know about the records.
type csvLayout struct {
	headerIdx int64
	hdrWidth  int

	next                  int64 // index of the next record
	headerLine, headerEnd int64
	skip                  int64 // rows read_csv must skip: records and empty lines up to the header
	rows                  int64 // data records (blank ones included)
	minFields, maxFields  int
	blank                 []int64 // data rows whose values are all blank
	breaks                []lineBreakpoint
	delta                 int64
	multiLine             bool
	maxSize               int64
	overflowLine          int64 // first record with values beyond the header's columns
	overflowN             int64
	overflowFields        int
	sc                    *csvScanner
	headerSeen            bool
	// emptyRows: DuckDB reads an empty line as a NULL row in a one-column
	// file (and skips it otherwise), so then they are (blank) data rows.
	emptyRows bool
}

func (l *csvLayout) onEmpty(line int64) {
	if l.emptyRows && l.headerSeen {
		l.dataRow(line, line, 1, 0, 0)
	}
}

func (l *csvLayout) onRecord(r *csvRecord) bool {
	i := l.next
	l.next++
	switch {
	case i < l.headerIdx:
		return true
	case i == l.headerIdx:
		l.headerLine, l.headerEnd = r.startLine, r.endLine
		l.skip = i + 1 + l.sc.emptyLines
		l.headerSeen = true
		return true
	}
	l.dataRow(r.startLine, r.endLine, r.fields, r.width, r.size)
	return true
}

func (l *csvLayout) dataRow(startLine, endLine int64, fields, width int, size int64) {
	row := l.rows
	l.rows++
	if want := l.headerEnd + 1 + row + l.delta; startLine != want {
		l.delta = startLine - (l.headerEnd + 1 + row)
		l.breaks = append(l.breaks, lineBreakpoint{row, l.delta})
	}
	if row == 0 || fields < l.minFields {
		l.minFields = fields
	}
	l.maxFields = max(l.maxFields, fields)
	if endLine > startLine {
		l.multiLine = true
	}
	l.maxSize = max(l.maxSize, size)
	switch {
	case width == 0:
		l.blank = append(l.blank, row)
	case fields > l.hdrWidth && width > l.hdrWidth:
		if l.overflowN == 0 {
			l.overflowLine, l.overflowFields = startLine, width
		}
		l.overflowN++
	}
}

func quoteError(e *csvSyntaxError) *FileError {
	if e.unclosed {
		return fileErrorf(CodeCSVQuote, nil,
			"alla riga %d si apre un valore tra virgolette che non viene mai chiuso: controllare le virgolette (\") in quella riga",
			"on line %d a quoted value opens and is never closed: check the quotes (\") on that line", e.line)
	}
	return fileErrorf(CodeCSVQuote, nil,
		"alla riga %d un valore tra virgolette è seguito da altro testo prima del separatore: dentro un valore tra virgolette le virgolette vanno raddoppiate (\"\")",
		"on line %d a quoted value is followed by more text before the delimiter: quotes inside a quoted value must be doubled (\"\")", e.line)
}

func stageCSV(ctx context.Context, conn *sql.Conn, path, table string, opts Options) (st *Staged, err error) {
	src, err := openCSVSource(path)
	if err != nil {
		return nil, err
	}

	// 1. Sniff the delimiter and the header on the first part of the file.
	head, whole, err := src.head()
	if err != nil {
		return nil, err
	}
	sn, err := sniffCSV(head, whole, opts.HeaderScore)
	if err != nil {
		return nil, err
	}
	header := sn.headers()

	// 2. When the head of a big file is regular, DuckDB starts reading it
	// while the scan below runs; the scan then confirms or cancels it.
	var spec *csvSpeculation
	if !whole {
		spec = speculate(ctx, conn, src, head, sn, header, table)
	}
	defer func() {
		if spec != nil && err != nil {
			spec.abort(conn, table)
		}
	}()

	// 3. One pass over the whole file: records, lines, encoding, line breaks.
	lay, sc, check, err := scanCSV(ctx, src, sn, len(header), false)
	if err != nil {
		return nil, err
	}
	if sc.err == nil && lay.headerSeen && max(lay.maxFields, lay.hdrWidth) == 1 && sc.emptyLines > lay.skip-lay.headerIdx-1 {
		// One column with empty lines after the header: count them as rows.
		if lay, sc, check, err = scanCSV(ctx, src, sn, len(header), true); err != nil {
			return nil, err
		}
	}
	if sc.err != nil {
		return nil, quoteError(sc.err)
	}
	if !lay.headerSeen {
		return nil, fileErrorf(CodeCSVUnreadable, nil, "il file è cambiato durante la lettura", "the file changed while it was being read")
	}
	if lay.overflowN > 0 {
		moreIt, moreEn := "", ""
		if lay.overflowN > 1 {
			moreIt = fmt.Sprintf(" (e così altre %d righe)", lay.overflowN-1)
			moreEn = fmt.Sprintf(" (and so do %d more lines)", lay.overflowN-1)
		}
		return nil, &FileError{Code: CodeCSVRagged,
			It: fmt.Sprintf("la riga %d ha valori in %d colonne ma l'intestazione (riga %d) ne ha %d%s: probabilmente un valore contiene il separatore «%s» senza essere tra virgolette",
				lay.overflowLine, lay.overflowFields, lay.headerLine, lay.hdrWidth, moreIt, delimName(sn.delim)),
			En: fmt.Sprintf("line %d has values in %d columns but the header (line %d) has %d%s: a value probably contains the delimiter %q without being quoted",
				lay.overflowLine, lay.overflowFields, lay.headerLine, lay.hdrWidth, moreEn, delimName(sn.delim)),
		}
	}
	if k := max(lay.maxFields, lay.hdrWidth); k > maxColumns {
		return nil, tooManyColumns(k)
	}
	enc := src.enc
	if check != nil && check.bad {
		enc = "windows-1252"
	}

	// 4. DuckDB reads UTF-8 with one kind of line break: write a copy if
	// needed. (DuckDB detects the kind itself: passing new_line explicitly
	// makes DuckDB 1.5 misread "\r\n" files.)
	readPath := path
	var chain []transform.Transformer
	switch enc {
	case "utf-16le", "utf-16be":
		chain = append(chain, utf16Decoder(enc == "utf-16be"))
	case "windows-1252":
		chain = append(chain, cp1252Hybrid{})
	}
	if target, ok := sc.breaksToRewrite(); ok {
		chain = append(chain, &nlNormalizer{delim: sn.delim, target: target})
	}
	plan := planCSV(readPath, table, sn.delim, header, lay)
	if spec != nil && spec.plan == plan && len(chain) == 0 {
		spec.used = true
		err = spec.wait()
	} else {
		if spec != nil {
			spec.abort(conn, table)
			spec = nil
		}
		if len(chain) > 0 {
			cp, err := writeCopy(ctx, src, opts.TempDir, chain)
			if err != nil {
				return nil, err
			}
			defer os.Remove(cp)
			plan = planCSV(cp, table, sn.delim, header, lay)
		}
		err = plan.run(ctx, conn)
	}

	// 5. Check DuckDB's reading against the scan, then number the lines.
	if err == nil {
		err = finishCSV(ctx, conn, table, lay)
	}
	if err != nil {
		dropTable(conn, table)
		return nil, err
	}
	return &Staged{
		Headers:    header,
		HeaderLine: int(lay.headerLine),
		Rows:       lay.rows - int64(len(lay.blank)),
		Encoding:   enc,
		Delimiter:  string(sn.delim),
	}, nil
}

// specMinSize is the smallest file worth a speculative read (below it the
// scan is too short to matter).
var specMinSize int64 = 4 << 20

// onSpeculation, when set (tests), learns whether a speculative read was
// started and then whether it was kept.
var onSpeculation func(started, kept bool)

// csvSpeculation is a read_csv running on conn while the scan runs.
type csvSpeculation struct {
	plan   csvPlan
	cancel context.CancelFunc
	done   chan error
	err    error
	waited bool
	used   bool
}

// speculate starts the read_csv the scan will most likely ask for, when
// the head of the file is regular: UTF-8, one kind of line break, every
// record with the same number of fields, no huge record.
func speculate(ctx context.Context, conn *sql.Conn, src *csvSource, head []byte, sn *csvSniff, header []string, table string) *csvSpeculation {
	if src.utf16() {
		return nil
	}
	if st, err := os.Stat(src.path); err != nil || st.Size() < specMinSize {
		return nil
	}
	var check utf8Check
	if check.write(head); check.bad {
		return nil
	}
	lay := &csvLayout{headerIdx: sn.headerIdx, hdrWidth: len(header)}
	sc := newCSVScanner(sn.delim, lay.onRecord)
	sc.widthFrom, sc.onEmpty, lay.sc = lay.hdrWidth, lay.onEmpty, sc
	sc.feed(head) // no finish: the last record may go on past the head
	k := max(lay.maxFields, len(header))
	if _, rewrite := sc.breaksToRewrite(); rewrite || sc.err != nil || !lay.headerSeen || lay.rows == 0 ||
		lay.overflowN > 0 || lay.minFields != k || lay.maxFields != k || k == 1 || lay.maxSize >= 1<<20 {
		return nil
	}
	sctx, cancel := context.WithCancel(ctx)
	sp := &csvSpeculation{plan: planCSV(src.path, table, sn.delim, header, lay), cancel: cancel, done: make(chan error, 1)}
	go func() { sp.done <- sp.plan.run(sctx, conn) }()
	return sp
}

func (sp *csvSpeculation) wait() error {
	if !sp.waited {
		sp.err, sp.waited = <-sp.done, true
		sp.cancel()
		if onSpeculation != nil {
			onSpeculation(true, sp.used)
		}
	}
	return sp.err
}

// abort cancels the speculative read and drops the table if it made one.
func (sp *csvSpeculation) abort(conn *sql.Conn, table string) {
	sp.cancel()
	if sp.wait() == nil {
		dropTable(conn, table)
	}
}

// scanCSV is the full pass over the file.
func scanCSV(ctx context.Context, src *csvSource, sn *csvSniff, hdrWidth int, emptyRows bool) (*csvLayout, *csvScanner, *utf8Check, error) {
	lay := &csvLayout{headerIdx: sn.headerIdx, hdrWidth: hdrWidth, emptyRows: emptyRows}
	sc := newCSVScanner(sn.delim, lay.onRecord)
	sc.widthFrom = hdrWidth
	sc.onEmpty = lay.onEmpty
	lay.sc = sc
	var check *utf8Check
	if !src.utf16() {
		check = &utf8Check{}
	}
	r, err := src.open()
	if err != nil {
		return nil, nil, nil, err
	}
	err = scanAll(ctx, r, sc, check)
	r.Close()
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, nil, ctx.Err()
		}
		return nil, nil, nil, fileErrorf(CodeUnreadable, err, "il file non si può leggere", "the file cannot be read")
	}
	return lay, sc, check, nil
}

func delimName(d byte) string {
	if d == '\t' {
		return "TAB"
	}
	return string(d)
}

// writeCopy writes the file's text, through chain, into a temp file.
func writeCopy(ctx context.Context, src *csvSource, dir string, chain []transform.Transformer) (string, error) {
	in, err := os.Open(src.path)
	if err != nil {
		return "", fileErrorf(CodeUnreadable, err, "il file non si può aprire", "the file cannot be opened")
	}
	defer in.Close()
	if _, err := in.Seek(src.bomLen, io.SeekStart); err != nil {
		return "", fileErrorf(CodeUnreadable, err, "il file non si può leggere", "the file cannot be read")
	}
	out, err := os.CreateTemp(dir, "coopimpact-csv-*.csv")
	if err != nil {
		return "", fmt.Errorf("read: temp copy: %w", err)
	}
	w := bufio.NewWriterSize(out, 1<<20)
	_, err = io.Copy(w, &ctxReader{ctx, transform.NewReader(in, transform.Chain(chain...))})
	if err == nil {
		err = w.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fileErrorf(CodeEncoding, err,
			"il testo del file non si può convertire in UTF-8", "the file's text cannot be converted to UTF-8")
	}
	return out.Name(), nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// csvPlan is the read_csv statement that creates the table; two plans with
// the same query read the file the same way.
type csvPlan struct{ query string }

// planCSV builds the CREATE TABLE ... read_csv statement for a layout.
func planCSV(path, table string, delim byte, header []string, lay *csvLayout) csvPlan {
	h := len(header)
	sel := make([]string, 0, h+1)
	for i := 0; i < h; i++ {
		sel = append(sel, colName(i))
	}
	sel = append(sel, "CAST(NULL AS BIGINT) AS _line")
	if lay.rows == 0 {
		defs := make([]string, 0, h+1)
		for i := 0; i < h; i++ {
			defs = append(defs, colName(i)+" VARCHAR")
		}
		defs = append(defs, "_line BIGINT")
		return csvPlan{"CREATE TEMP TABLE " + quoteIdent(table) + " (" + strings.Join(defs, ", ") + ")"}
	}
	k := max(lay.maxFields, h)
	cols := make([]string, k)
	for i := range cols {
		cols[i] = quoteLit(colName(i)) + ": 'VARCHAR'"
	}
	o := []string{
		"delim = " + quoteLit(string(delim)),
		`quote = '"'`, `escape = '"'`,
		"header = false",
		fmt.Sprintf("skip = %d", lay.skip),
		"auto_detect = false",
		"strict_mode = true",
		"columns = {" + strings.Join(cols, ", ") + "}",
	}
	if lay.minFields != k || lay.maxFields != k {
		o = append(o, "null_padding = true")
		if lay.multiLine {
			// DuckDB's parallel scanner refuses null padding with quoted line breaks.
			o = append(o, "parallel = false")
		}
	}
	bufSize := csvBufferSize
	if lay.maxSize >= 1<<20 {
		o = append(o, fmt.Sprintf("max_line_size = %d", 2*lay.maxSize+1024))
		bufSize = max(bufSize, 8*lay.maxSize)
	}
	if bufSize > 0 {
		o = append(o, fmt.Sprintf("buffer_size = %d", bufSize))
	}
	return csvPlan{"CREATE TEMP TABLE " + quoteIdent(table) + " AS SELECT " + strings.Join(sel, ", ") +
		" FROM read_csv(" + quoteLit(path) + ", " + strings.Join(o, ", ") + ")"}
}

// run executes the plan, mapping reader failures to a FileError.
func (p csvPlan) run(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, p.query); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !isInputError(err) {
			return fmt.Errorf("read: read_csv: %w", err)
		}
		return csvReaderError(err)
	}
	return nil
}

// finishCSV checks that DuckDB read as many records as the scanner counted,
// then sets _line and drops the blank records.
func finishCSV(ctx context.Context, conn *sql.Conn, table string, lay *csvLayout) error {
	got, err := countRows(ctx, conn, table)
	if err != nil {
		return err
	}
	if got != lay.rows {
		return fileErrorf(CodeCSVUnreadable, fmt.Errorf("read_csv gave %d rows, the scanner counted %d", got, lay.rows),
			"il file CSV non si legge in modo univoco (righe contate in due modi diversi: %d e %d): controllare virgolette e separatori, oppure salvarlo di nuovo come CSV dal programma di origine",
			"the CSV file does not read unambiguously (records counted two ways: %d and %d): check its quotes and delimiters, or save it again as CSV from the program that made it",
			got, lay.rows)
	}
	if err := setLines(ctx, conn, table, lay.headerEnd+1, lay.breaks); err != nil {
		return err
	}
	return deleteRows(ctx, conn, table, lay.blank)
}

// csvReaderError turns a read_csv failure into a plain sentence. (DuckDB's
// own line numbers are not physical lines, so none is quoted.)
func csvReaderError(err error) error {
	return fileErrorf(CodeCSVUnreadable, err,
		"il file CSV non si riesce a leggere: controllare virgolette e separatori, oppure salvarlo di nuovo come CSV dal programma di origine",
		"the CSV file cannot be read: check its quotes and delimiters, or save it again as CSV from the program that made it")
}

// caseBreaks is how many breakpoints setLines writes as a CASE expression;
// more go through a joined range table.
const caseBreaks = 64

// setLines sets _line = base + rowid + the delta of the last breakpoint at or
// before the row. Rowids follow file order (DuckDB keeps insertion order).
func setLines(ctx context.Context, conn *sql.Conn, table string, base int64, breaks []lineBreakpoint) error {
	t := quoteIdent(table)
	if len(breaks) <= caseBreaks {
		expr := fmt.Sprintf("rowid + %d", base)
		if len(breaks) > 0 {
			var b strings.Builder
			b.WriteString(" + CASE")
			for i := len(breaks) - 1; i >= 0; i-- {
				fmt.Fprintf(&b, " WHEN rowid >= %d THEN %d", breaks[i].row, breaks[i].delta)
			}
			b.WriteString(" ELSE 0 END")
			expr += b.String()
		}
		_, err := conn.ExecContext(ctx, "UPDATE "+t+" SET _line = "+expr)
		return err
	}
	seg := "_read_segments"
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+seg+" (lo BIGINT, hi BIGINT, d BIGINT)"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+seg) //nolint:errcheck
	rows := make([][]any, 0, len(breaks)+1)
	lo, d := int64(0), int64(0)
	for _, b := range breaks {
		rows = append(rows, []any{lo, b.row, d})
		lo, d = b.row, b.delta
	}
	rows = append(rows, []any{lo, int64(1) << 62, d})
	if err := appendRows(conn, seg, rows); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, fmt.Sprintf(
		"UPDATE %s SET _line = %s.rowid + %d + s.d FROM %s s WHERE %s.rowid >= s.lo AND %s.rowid < s.hi",
		t, t, base, seg, t, t))
	return err
}

// deleteRows removes the given rowids (blank records).
func deleteRows(ctx context.Context, conn *sql.Conn, table string, rowids []int64) error {
	if len(rowids) == 0 {
		return nil
	}
	t := quoteIdent(table)
	if len(rowids) <= 1000 {
		var b strings.Builder
		for i, r := range rowids {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprint(&b, r)
		}
		_, err := conn.ExecContext(ctx, "DELETE FROM "+t+" WHERE rowid IN ("+b.String()+")")
		return err
	}
	tmp := "_read_blank"
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+tmp+" (r BIGINT)"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+tmp) //nolint:errcheck
	rows := make([][]any, len(rowids))
	for i, r := range rowids {
		rows[i] = []any{r}
	}
	if err := appendRows(conn, tmp, rows); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, "DELETE FROM "+t+" WHERE rowid IN (SELECT r FROM "+tmp+")")
	return err
}
