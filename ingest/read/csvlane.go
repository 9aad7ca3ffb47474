package read

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The CSV lane reads a regular CSV file once, in Go, and writes a numbered
// copy: the data records only, each re-written as plain CSV with its line
// number as a last column. DuckDB then reads that copy straight into the
// canonical table, with no staged table in between (a staged copy of a
// 5-million-row file costs more than DuckDB's own read of it). On the same
// pass the lane gathers what validation needs before that read: each
// column's distinct spellings, the distinct combinations of the slice
// columns, and whether any two records share their key values.
//
// Files the lane does not take (see PrepareCSV) are staged by Stage as before.

// LanePlan names, once the header is known, the columns the caller needs.
type LanePlan struct {
	Keys  []int // columns whose values together must not repeat
	Tuple []int // columns whose distinct combinations the caller wants
}

// laneSpellCap is how many distinct spellings a coded column may have (past
// it the file is staged) and how many tuples the lane keeps.
var laneSpellCap = 1 << 20

// Lane is a CSV file read by PrepareCSV.
type Lane struct {
	Staged // Table is empty until Stage; Rows counts the records in the copy
	// Coded tells, per header column, that the copy holds a code instead of
	// the value (empty for an empty value). The lane codes a column whose
	// values repeat in the first megabyte of the file; the copy is then
	// smaller and DuckDB joins on integers.
	Coded []bool
	// Spellings holds, per coded column, its distinct non-empty values as
	// DuckDB would read them, and Codes their codes (nil for a column not
	// coded). A value may come twice, with two codes: the copy is written
	// by two workers, each numbering the values it meets.
	Spellings [][]string
	Codes     [][]int32
	// Tuples holds the distinct combinations of the plan's Tuple columns, nil
	// for an empty value (Tuples == nil: more than the cap).
	Tuples [][]any
	// KeysDistinct is true when no two records have the same values in the
	// plan's Keys columns. It is decided on 64-bit hashes, so false may be a
	// collision: only true is a proof.
	KeysDistinct bool

	parts []string // the copy, one file per worker
	delim byte
}

// Source is the table expression that reads the lane's copy: columns
// c0..c{n-1} as in a staged table (INTEGER codes where Coded), and _line.
func (l *Lane) Source() string {
	cols := make([]string, 0, len(l.Headers)+1)
	for i := range l.Headers {
		t := "'VARCHAR'"
		if l.Coded[i] {
			t = "'INTEGER'"
		}
		cols = append(cols, quoteLit(colName(i))+": "+t)
	}
	cols = append(cols, "'_line': 'BIGINT'")
	o := []string{
		"delim = " + quoteLit(string(l.delim)),
		`quote = '"'`, `escape = '"'`,
		"header = false", "auto_detect = false", "strict_mode = true",
		"columns = {" + strings.Join(cols, ", ") + "}",
	}
	if csvBufferSize > 0 {
		o = append(o, fmt.Sprintf("buffer_size = %d", csvBufferSize))
	}
	files := make([]string, len(l.parts))
	for i, p := range l.parts {
		files[i] = quoteLit(p)
	}
	return "read_csv([" + strings.Join(files, ", ") + "], " + strings.Join(o, ", ") + ")"
}

// Stage creates the TEMP table `table` from the copy, as Stage would have:
// coded columns read back as their values, rows in file order.
func (l *Lane) Stage(ctx context.Context, conn *sql.Conn, table string) error {
	sel := make([]string, 0, len(l.Headers)+1)
	joins := ""
	var helpers []string
	defer func() {
		for _, h := range helpers {
			dropTable(conn, h)
		}
	}()
	for i := range l.Headers {
		if !l.Coded[i] {
			sel = append(sel, "s."+colName(i))
			continue
		}
		h := fmt.Sprintf("_lane_spellings_%d", i)
		if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+h+" (code INTEGER, raw VARCHAR)"); err != nil {
			return err
		}
		helpers = append(helpers, h)
		rows := make([][]any, len(l.Spellings[i]))
		for k, v := range l.Spellings[i] {
			rows[k] = []any{l.Codes[i][k], v}
		}
		if err := appendRows(conn, h, rows); err != nil {
			return err
		}
		sel = append(sel, h+".raw AS "+colName(i))
		joins += fmt.Sprintf(" LEFT JOIN %s ON %s.code = s.%s", h, h, colName(i))
	}
	sel = append(sel, "s._line")
	q := "CREATE TEMP TABLE " + quoteIdent(table) + " AS SELECT " + strings.Join(sel, ", ") +
		" FROM " + l.Source() + " s" + joins + " ORDER BY s._line"
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("read: stage the numbered copy: %w", err)
	}
	n, err := countRows(ctx, conn, table)
	if err == nil && n != l.Rows {
		err = fmt.Errorf("read: the numbered copy reads as %d rows, %d were written", n, l.Rows)
	}
	if err != nil {
		dropTable(conn, table)
		return err
	}
	l.Table = table
	return nil
}

// Close removes the copy.
func (l *Lane) Close() error {
	var first error
	for _, p := range l.parts {
		if err := os.Remove(p); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// laneWorkers is how many goroutines write the copy (the scanner is one more).
const laneWorkers = 2

// PrepareCSV reads a CSV file through the lane. plan is called once with the
// header (its errors come back unchanged). A file that is not for the lane
// comes back as (nil, nil): the caller stages it with Stage, which also
// words every file-level error. The lane takes a file whose records are
// regular: none wider than the header, none of half a megabyte, no carriage
// return inside a quoted value, at least two columns and one record.
func PrepareCSV(ctx context.Context, path string, opts Options, plan func(headers []string, headerLine int) (LanePlan, error)) (*Lane, error) {
	src, err := openCSVSource(path)
	if err != nil {
		return nil, err
	}
	head, whole, err := src.head()
	if err != nil {
		return nil, nil // Stage words it
	}
	sn, err := sniffCSV(head, whole, opts.HeaderScore)
	if err != nil {
		return nil, nil
	}
	header := sn.headers()
	if len(header) < 2 {
		return nil, nil
	}
	// The header's line: a short scan of the head.
	hl := &csvLayout{headerIdx: sn.headerIdx, hdrWidth: len(header)}
	hsc := newCSVScanner(sn.delim, func(rec *csvRecord) bool { hl.onRecord(rec); return !hl.headerSeen })
	hl.sc = hsc
	hsc.feed(head)
	if !hl.headerSeen {
		return nil, nil
	}
	p, err := plan(header, int(hl.headerLine))
	if err != nil {
		return nil, err
	}
	coded := codedColumns(head, sn, len(header))

	ls := newLaneScan(sn, len(header))
	est := estimateRows(src.path, head) / laneWorkers
	seed := maphash.Comparable(maphash.MakeSeed(), 0) // random per file
	workers := make([]*laneWorker, laneWorkers)
	var files []*os.File
	keep := false
	defer func() {
		for _, f := range files {
			f.Close()
			if !keep {
				os.Remove(f.Name())
			}
		}
	}()
	for i := range workers {
		f, err := os.CreateTemp(opts.TempDir, "coopimpact-lane-*.csv")
		if err != nil {
			return nil, fmt.Errorf("read: numbered copy: %w", err)
		}
		files = append(files, f)
		workers[i] = newLaneWorker(i, ls, p, coded, f, est, seed)
	}
	var check *utf8Check
	if !src.utf16() {
		check = &utf8Check{}
	}
	in, err := src.open()
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(w.work)
	}
	err = scanAll(ctx, in, ls.sc, check)
	ls.flush()
	wg.Wait()
	in.Close()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, nil
	}
	rows, tooMany := int64(0), false
	for _, w := range workers {
		if err := w.w.Flush(); err != nil {
			return nil, fmt.Errorf("read: numbered copy: %w", err)
		}
		rows += w.rows
		tooMany = tooMany || w.tooMany
	}
	lay := ls.lay
	if ls.sc.err != nil || !lay.headerSeen || lay.overflowN > 0 || max(lay.maxFields, lay.hdrWidth) > maxColumns ||
		lay.maxSize >= 512<<10 || ls.crInValue || tooMany || rows == 0 {
		return nil, nil
	}
	enc := src.enc
	if check != nil && check.bad {
		enc = "windows-1252"
	}
	l := &Lane{
		Staged: Staged{
			Format: CSV, Headers: header, HeaderLine: int(lay.headerLine), Rows: rows,
			Encoding: enc, Delimiter: string(sn.delim),
		},
		Coded:        coded,
		Tuples:       mergeTuples(workers, p, coded),
		KeysDistinct: keysDistinct(workers, len(p.Keys) > 0),
		delim:        sn.delim,
	}
	l.Spellings, l.Codes = mergeSpellings(workers, coded)
	for _, f := range files {
		l.parts = append(l.parts, f.Name())
	}
	keep = true
	return l, nil
}

// estimateRows guesses the number of records from the head's line length.
func estimateRows(path string, head []byte) int {
	st, err := os.Stat(path)
	lines := bytes.Count(head, []byte{'\n'})
	if err != nil || lines == 0 || len(head) == 0 {
		return 0
	}
	return int(st.Size() / int64(len(head)) * int64(lines))
}

// The scan runs in three goroutines: the scanner (the caller's) finds the
// records and hands them over in batches, in turn to two workers; each
// worker writes its part of the copy and notes the values it meets.

// laneBatch is a run of data records: a fast one is its line as read, a
// slow one its values, each a uvarint length and the bytes.
type laneBatch struct {
	buf  []byte
	recs []laneRec
}

type laneRec struct {
	line       int64
	start, end int
	fields     int // the line's fields; for a slow record, how many values
	slow       bool
}

const laneBatchRecords = 4096

// laneScan is the scanner's side.
type laneScan struct {
	sc        *csvScanner
	lay       *csvLayout
	crInValue bool // a carriage return inside a quoted value: DuckDB could take it for the line break
	batch     *laneBatch
	next      int
	full      [laneWorkers]chan *laneBatch
	free      chan *laneBatch
}

func newLaneScan(sn *csvSniff, width int) *laneScan {
	ls := &laneScan{
		lay:  &csvLayout{headerIdx: sn.headerIdx, hdrWidth: width},
		free: make(chan *laneBatch, 4*laneWorkers),
	}
	for i := range ls.full {
		ls.full[i] = make(chan *laneBatch, 2)
	}
	for range cap(ls.free) {
		ls.free <- &laneBatch{}
	}
	ls.sc = newCSVScanner(sn.delim, ls.onRecord)
	ls.sc.keepCells = true
	ls.sc.widthFrom = width
	ls.sc.onEmpty = ls.lay.onEmpty
	ls.lay.sc = ls.sc
	return ls
}

func (ls *laneScan) onRecord(r *csvRecord) bool {
	before := ls.lay.rows
	ls.lay.onRecord(r)
	if ls.lay.rows == before || r.width == 0 || ls.lay.overflowN > 0 {
		return ls.lay.overflowN == 0 // not a data record, or a blank one (not staged either)
	}
	b := ls.batch
	if b == nil {
		b = <-ls.free
		b.buf, b.recs = b.buf[:0], b.recs[:0]
		ls.batch = b
	}
	rec := laneRec{line: r.startLine, start: len(b.buf), fields: r.fields}
	if r.cells == nil {
		b.buf = append(b.buf, r.body...)
	} else {
		rec.slow, rec.fields = true, len(r.cells)
		for _, c := range r.cells {
			if bytes.IndexByte(c, '\r') >= 0 {
				ls.crInValue = true
			}
			b.buf = binary.AppendUvarint(b.buf, uint64(len(c)))
			b.buf = append(b.buf, c...)
		}
	}
	rec.end = len(b.buf)
	b.recs = append(b.recs, rec)
	if len(b.recs) == laneBatchRecords {
		ls.send()
	}
	return !ls.crInValue
}

func (ls *laneScan) send() {
	ls.full[ls.next] <- ls.batch
	ls.batch, ls.next = nil, (ls.next+1)%laneWorkers
}

// flush hands over the last batch and ends the workers' input.
func (ls *laneScan) flush() {
	if ls.batch != nil {
		ls.send()
	}
	for _, c := range ls.full {
		close(c)
	}
}

// laneWorker writes one part of the copy. Its codes are id+1, id+1+k,
// id+1+2k... (k workers), so two workers never give one code to two values.
type laneWorker struct {
	id    int
	ls    *laneScan
	plan  LanePlan
	coded []bool
	width int
	delim byte
	w     *bufio.Writer
	num   []byte
	cells [][]byte
	rows  int64

	tooMany bool        // a coded column has more spellings than the cap
	sets    []*spellSet // per coded column
	texts   [][][]byte  // per coded column, each value's code as text
	codes   []uint32    // this row's codes
	prev    [][]byte    // per column, the last value seen (files repeat values in runs)
	prevH   []uint64    // and its hash
	prevC   []uint32    // and its code
	seen    []bool
	track   []bool   // per column: coded or a key, so its values are hashed
	hs      []uint64 // this row's value hashes
	tset    map[string]struct{}
	tkey    []byte
	tprev   []byte

	seed uint64
	keys []uint64 // key hashes, in file order (appending stays in cache; keysDistinct buckets them)
}

func newLaneWorker(id int, ls *laneScan, p LanePlan, coded []bool, f *os.File, estRows int, seed uint64) *laneWorker {
	width := len(coded)
	w := &laneWorker{
		id: id, ls: ls, plan: p, coded: coded, width: width, delim: ls.sc.delim,
		w:     bufio.NewWriterSize(f, 1<<20),
		sets:  make([]*spellSet, width),
		texts: make([][][]byte, width),
		codes: make([]uint32, width),
		prev:  make([][]byte, width),
		prevH: make([]uint64, width),
		prevC: make([]uint32, width),
		seen:  make([]bool, width),
		track: slices.Clone(coded),
		hs:    make([]uint64, width),
		seed:  seed,
	}
	for i := range w.sets {
		if coded[i] {
			w.sets[i] = newSpellSet()
		}
	}
	for _, i := range p.Keys {
		w.track[i] = true
	}
	if len(p.Tuple) > 0 {
		w.tset = map[string]struct{}{}
	}
	if len(p.Keys) > 0 && estRows > 0 {
		w.keys = make([]uint64, 0, estRows+estRows/8+16)
	}
	return w
}

// work takes the worker's batches until the scanner is done.
func (w *laneWorker) work() {
	var cells [][]byte
	for b := range w.ls.full[w.id] {
		for _, r := range b.recs {
			rec := b.buf[r.start:r.end]
			if !r.slow {
				w.row(rec, nil, r.fields, r.line)
				continue
			}
			cells = cells[:0]
			for len(rec) > 0 {
				n, k := binary.Uvarint(rec)
				cells = append(cells, rec[k:k+int(n)])
				rec = rec[k+int(n):]
			}
			w.row(nil, cells, r.fields, r.line)
		}
		w.ls.free <- b
	}
}

// row writes one data record to the copy and notes its values: body is a
// line of fields values, or else slow holds the values.
func (w *laneWorker) row(body []byte, slow [][]byte, fields int, line int64) {
	cells := w.cells[:0]
	if slow == nil {
		valid := utf8.Valid(body)
		for len(cells) < w.width {
			j := bytes.IndexByte(body, w.delim)
			if j < 0 {
				cells = append(cells, body)
				break
			}
			cells = append(cells, body[:j])
			body = body[j+1:]
		}
		if !valid {
			for i, c := range cells {
				cells[i] = hybridBytes(c)
			}
		}
	} else {
		cells = append(cells, slow...)
		if len(cells) > w.width {
			cells = cells[:w.width]
		}
		for i, c := range cells {
			cells[i] = hybridBytes(c)
		}
	}
	for len(cells) < w.width {
		cells = append(cells, nil)
	}
	w.cells = cells
	w.rows++

	for i, c := range cells {
		if !w.track[i] {
			continue // neither coded nor a key: nothing to note
		}
		if w.seen[i] && bytes.Equal(c, w.prev[i]) {
			w.hs[i], w.codes[i] = w.prevH[i], w.prevC[i]
			continue
		}
		h := cellHash(c, w.seed)
		code := uint32(0)
		if set := w.sets[i]; set != nil && len(c) > 0 {
			if k, ok := set.add(h, c); ok {
				code = (k-1)*laneWorkers + uint32(w.id) + 1
				if int(k) > len(w.texts[i]) {
					w.texts[i] = append(w.texts[i], strconv.AppendUint(nil, uint64(code), 10))
				}
			} else {
				w.tooMany = true // the file will be staged; write no code
			}
		}
		w.hs[i], w.codes[i] = h, code
		w.prevH[i], w.prevC[i] = h, code
		w.prev[i], w.seen[i] = append(w.prev[i][:0], c...), true
	}
	for i, c := range cells {
		if i > 0 {
			w.w.WriteByte(w.delim)
		}
		switch {
		case !w.coded[i]:
			w.writeCell(c)
		case w.codes[i] > 0:
			w.w.Write(w.texts[i][(w.codes[i]-1)/laneWorkers])
		}
	}
	w.w.WriteByte(w.delim)
	w.num = strconv.AppendInt(w.num[:0], line, 10)
	w.w.Write(w.num)
	w.w.WriteByte('\n')

	if w.tset != nil {
		// A coded value goes in the key as its code (4 bytes), others as
		// their length and bytes; mergeTuples turns codes back into values.
		k := w.tkey[:0]
		for _, i := range w.plan.Tuple {
			if w.coded[i] {
				k = binary.LittleEndian.AppendUint32(k, w.codes[i])
				continue
			}
			k = binary.AppendUvarint(k, uint64(len(cells[i])))
			k = append(k, cells[i]...)
		}
		w.tkey = k
		if !bytes.Equal(k, w.tprev) {
			w.tprev = append(w.tprev[:0], k...)
			if _, ok := w.tset[string(k)]; !ok {
				if len(w.tset) >= laneSpellCap {
					w.tset = nil
				} else {
					w.tset[string(k)] = struct{}{}
				}
			}
		}
	}
	if len(w.plan.Keys) > 0 {
		h := w.seed
		for _, i := range w.plan.Keys {
			h = mum(h^w.hs[i], hashK1)
		}
		w.keys = append(w.keys, h)
	}
}

// mergeSpellings lists each coded column's values with their codes.
func mergeSpellings(workers []*laneWorker, coded []bool) ([][]string, [][]int32) {
	vals, codes := make([][]string, len(coded)), make([][]int32, len(coded))
	for i := range coded {
		if !coded[i] {
			continue
		}
		vals[i], codes[i] = []string{}, []int32{}
		for _, w := range workers {
			for k, v := range w.sets[i].vals {
				vals[i] = append(vals[i], v)
				codes[i] = append(codes[i], int32(k*laneWorkers+w.id+1))
			}
		}
	}
	return vals, codes
}

// mergeTuples unites the workers' tuples (nil: too many), codes turned
// back into values (two workers may have met one tuple under two codes).
func mergeTuples(workers []*laneWorker, plan LanePlan, coded []bool) [][]any {
	n := len(plan.Tuple)
	if n == 0 {
		return nil
	}
	value := func(col int, code uint32) any {
		if code == 0 {
			return nil
		}
		w := workers[int(code-1)%laneWorkers]
		return w.sets[col].vals[int(code-1)/laneWorkers]
	}
	seen := map[string]struct{}{}
	var out [][]any
	var text []byte
	for _, w := range workers {
		if w.tset == nil {
			return nil
		}
		for k := range w.tset {
			b := []byte(k)
			t := make([]any, 0, n)
			text = text[:0]
			for _, col := range plan.Tuple {
				var v any
				if coded[col] {
					v = value(col, binary.LittleEndian.Uint32(b))
					b = b[4:]
				} else {
					l, m := binary.Uvarint(b)
					if l > 0 {
						v = string(b[m : m+int(l)])
					}
					b = b[m+int(l):]
				}
				t = append(t, v)
				if v == nil {
					text = append(text, 0)
				} else {
					text = append(text, 1)
					text = binary.AppendUvarint(text, uint64(len(v.(string))))
					text = append(text, v.(string)...)
				}
			}
			if _, dup := seen[string(text)]; dup {
				continue
			}
			seen[string(text)] = struct{}{}
			out = append(out, t)
		}
	}
	if len(out) > laneSpellCap {
		return nil
	}
	return out
}

// writeCell writes one value as plain CSV: quoted when DuckDB would
// otherwise read it differently.
func (w *laneWorker) writeCell(c []byte) {
	quote := false
	for _, b := range c {
		if b == w.delim || b == '"' || b == '\n' || b == '\r' {
			quote = true
			break
		}
	}
	if !quote {
		w.w.Write(c)
		return
	}
	w.w.WriteByte('"')
	for {
		j := bytes.IndexByte(c, '"')
		if j < 0 {
			w.w.Write(c)
			break
		}
		w.w.Write(c[:j+1])
		w.w.WriteByte('"')
		c = c[j+1:]
	}
	w.w.WriteByte('"')
}

// hybridBytes is decodeCP1252Hybrid for one value: the same result as
// transcoding the whole file, since no byte sequence spans two values.
func hybridBytes(c []byte) []byte {
	if utf8.Valid(c) {
		return c
	}
	return []byte(decodeCP1252Hybrid(c))
}

// keysDistinct looks for a repeated hash: the workers' hashes are sorted
// into 256 buckets by their top byte (a counting sort, one worker's list per
// goroutine), then each bucket is checked in an open-addressing table small
// enough to stay in cache (two goroutines, even and odd buckets).
func keysDistinct(workers []*laneWorker, keyed bool) bool {
	if !keyed {
		return true
	}
	type parts struct {
		sorted []uint64
		start  [257]int
	}
	ps := make([]parts, len(workers))
	var wg sync.WaitGroup
	for k, w := range workers {
		wg.Go(func() {
			p := &ps[k]
			var count [256]int
			for _, h := range w.keys {
				count[h>>56]++
			}
			for b := range count {
				p.start[b+1] = p.start[b] + count[b]
			}
			p.sorted = make([]uint64, len(w.keys))
			next := p.start
			for _, h := range w.keys {
				p.sorted[next[h>>56]] = h
				next[h>>56]++
			}
			w.keys = nil
		})
	}
	wg.Wait()
	var dup [2]bool
	for g := range 2 {
		wg.Go(func() {
			var table, all []uint64
			for b := g; b < 256 && !dup[g]; b += 2 {
				all = all[:0]
				for k := range ps {
					all = append(all, ps[k].sorted[ps[k].start[b]:ps[k].start[b+1]]...)
				}
				size := 1
				for size < 2*len(all) {
					size <<= 1
				}
				if cap(table) < size {
					table = make([]uint64, size)
				}
				table = table[:size]
				clear(table)
				if hasRepeat(table, all) {
					dup[g] = true
				}
			}
		})
	}
	wg.Wait()
	return !dup[0] && !dup[1]
}

// hasRepeat inserts the hashes into table (zeroed, a power of two, more than
// twice as long) and reports whether one came twice. Zero marks a free slot,
// so a zero hash is looked for apart.
func hasRepeat(table, hashes []uint64) bool {
	mask := uint64(len(table) - 1)
	zero := false
	for _, h := range hashes {
		if h == 0 {
			if zero {
				return true
			}
			zero = true
			continue
		}
		for j := (h * 0x9E3779B97F4A7C15 >> 20) & mask; ; j = (j + 1) & mask {
			switch table[j] {
			case 0:
				table[j] = h
			case h:
				return true
			default:
				continue
			}
			break
		}
	}
	return false
}

// spellSet is the set of a column's distinct values, keyed by cellHash.
type spellSet struct {
	slots  []uint32 // 1 + index into vals; 0 = free
	hashes []uint64 // per value
	vals   []string
}

func newSpellSet() *spellSet { return &spellSet{slots: make([]uint32, 64)} }

// add puts c (whose hash is h) in the set and gives its code (its 1-based
// position); false when the set is full.
func (s *spellSet) add(h uint64, c []byte) (uint32, bool) {
	mask := uint64(len(s.slots) - 1)
	for j := h & mask; ; j = (j + 1) & mask {
		k := s.slots[j]
		if k == 0 {
			break
		}
		if s.hashes[k-1] == h && s.vals[k-1] == string(c) {
			return k, true
		}
	}
	if len(s.vals) >= laneSpellCap {
		return 0, false
	}
	s.vals = append(s.vals, string(c))
	s.hashes = append(s.hashes, h)
	if 2*len(s.vals) > len(s.slots) {
		s.slots = make([]uint32, 2*len(s.slots))
		mask = uint64(len(s.slots) - 1)
		for k, hk := range s.hashes {
			s.place(hk, uint32(k+1), mask)
		}
		return uint32(len(s.vals)), true
	}
	s.place(h, uint32(len(s.vals)), mask)
	return uint32(len(s.vals)), true
}

func (s *spellSet) place(h uint64, k uint32, mask uint64) {
	j := h & mask
	for s.slots[j] != 0 {
		j = (j + 1) & mask
	}
	s.slots[j] = k
}

const (
	hashK1 = 0xa0761d6478bd642f
	hashK2 = 0xe7037ed1a0b428db
)

// cellHash is a fast 64-bit hash of a short value (wyhash's mixing): values
// and keys are compared by it first, and a file's seed is random.
func cellHash(b []byte, seed uint64) uint64 {
	h := seed ^ uint64(len(b))*hashK2
	for len(b) > 8 {
		h = mum(h^binary.LittleEndian.Uint64(b), hashK1)
		b = b[8:]
	}
	var t uint64
	for i := len(b) - 1; i >= 0; i-- {
		t = t<<8 | uint64(b[i])
	}
	return mum(mum(h^t, hashK1)^hashK2, seed^hashK1)
}

func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// codedColumns picks the columns to code: those whose values repeat in the
// head of the file (at most one distinct value in four records, or any
// column of a head with few records).
func codedColumns(head []byte, sn *csvSniff, width int) []bool {
	distinct := make([]map[string]struct{}, width)
	for i := range distinct {
		distinct[i] = map[string]struct{}{}
	}
	var records, rows int64
	sc := newCSVScanner(sn.delim, func(r *csvRecord) bool {
		records++
		if records-1 <= sn.headerIdx {
			return true
		}
		rows++
		for i, c := range r.cells {
			if i < width {
				distinct[i][string(c)] = struct{}{}
			}
		}
		return true
	})
	sc.collect = true
	sc.feed(head)
	out := make([]bool, width)
	for i := range out {
		out[i] = rows < 64 || int64(len(distinct[i]))*4 <= rows
	}
	return out
}

// copyPatterns are the names of the copies this package writes in a temp
// folder: the lane's numbered copies and transcoded copies for staging.
var copyPatterns = []string{"coopimpact-lane-*.csv", "coopimpact-csv-*.csv"}

// RemoveStaleCopies deletes copies older than age left in dir by a process
// that was killed before it could remove them; it returns how many.
func RemoveStaleCopies(dir string, age time.Duration) (int64, error) {
	var n int64
	for _, pat := range copyPatterns {
		names, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return n, err
		}
		for _, name := range names {
			st, err := os.Stat(name)
			if err != nil || time.Since(st.ModTime()) < age {
				continue
			}
			if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
