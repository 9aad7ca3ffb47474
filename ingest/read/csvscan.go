package read

import (
	"bytes"
	"context"
	"io"
	"math"
)

// csvState is the quote-aware parser state. The transitions mirror DuckDB's
// CSV state machine in strict mode with quote = escape = '"', so that this
// scanner and DuckDB agree on where every record starts and ends:
//   - a quote opens a quoted value only at the start of a field, optionally
//     after ONE space; elsewhere it is an ordinary character;
//   - after a closing quote only spaces, a delimiter, a line break or another
//     quote (a doubled quote, or a reopening) may follow.
type csvState uint8

const (
	stStart       csvState = iota // at the start of a field
	stSpace                       // one space at the start of a field
	stPlain                       // inside an unquoted value
	stQuoted                      // inside a quoted value
	stClosed                      // right after a closing quote
	stClosedSpace                 // spaces after a closing quote
)

// breakKind is a kind of line break.
type breakKind uint8

const (
	breakLF breakKind = iota + 1
	breakCRLF
	breakCR
)

// csvRecord describes one record (empty lines are not records).
type csvRecord struct {
	startLine, endLine int64 // 1-based physical lines
	fields             int
	// width is the index of the last non-blank field + 1 (0: every field is
	// blank). The fast path computes it exactly only when fields > widthFrom;
	// otherwise it is only known to be non-zero.
	width int
	size  int64    // bytes, without the line break
	cells [][]byte // raw values, only when collecting (or keeping the cells of a slow record)
	body  []byte   // the whole line of a record taken by the fast path (keepCells only)
}

// csvSyntaxError is a record DuckDB's strict reader would refuse.
type csvSyntaxError struct {
	unclosed bool  // a quoted value runs to the end of the file
	line     int64 // where the quote opened, or where the stray character is
}

// csvScanner walks CSV bytes chunk by chunk, counting physical lines and
// reporting records. Lines without quotes take a fast path (a few
// vectorised byte searches per line); the rest go byte by byte.
type csvScanner struct {
	delim   byte
	collect bool // keep cell values (for sniffing)
	// keepCells keeps the values too, without giving up the fast path: a
	// line without quotes comes as body, any other record as cells.
	keepCells bool
	widthFrom int // see csvRecord.width
	onRecord  func(*csvRecord) bool
	onEmpty   func(line int64) // an empty line (not a record)
	stopped   bool

	st           csvState
	closedSpaces int // spaces since a closing quote
	inRecord     bool
	pendingCR    bool // the last byte was a '\r' line break; a '\n' right after belongs to it
	crInQuotes   bool
	line         int64 // line of the next byte
	base         int64 // file offset of the current chunk
	recStart     int64
	field        int
	lastNonBlank int
	quoteLine    int64
	rec          csvRecord
	cell         []byte

	nLF, nCRLF, nCR int64     // line breaks outside quotes, by kind
	firstBreak      breakKind // the first line break, inside quotes or not
	emptyLines      int64
	records         int64
	err             *csvSyntaxError
}

func newCSVScanner(delim byte, onRecord func(*csvRecord) bool) *csvScanner {
	return &csvScanner{delim: delim, onRecord: onRecord, line: 1, lastNonBlank: -1, widthFrom: math.MaxInt}
}

// feed scans the next chunk of the file.
func (s *csvScanner) feed(b []byte) {
	n := len(b)
	i := 0
	// Next quote and carriage return at or after i, so the fast path need not
	// search every line for them.
	qpos, crpos := -1, -1
	for i < n && !s.stopped && s.err == nil {
		if s.pendingCR {
			s.pendingCR = false
			if b[i] == '\n' {
				s.noteBreak(breakCRLF)
				if !s.crInQuotes {
					s.nCRLF++
				} else if s.collect || s.keepCells {
					s.cell = append(s.cell, '\n')
				}
				i++
				continue
			}
			s.noteBreak(breakCR)
			if !s.crInQuotes {
				s.nCR++
			}
		}
		if !s.inRecord && !s.collect {
			if qpos < i {
				if qpos = bytes.IndexByte(b[i:], '"'); qpos < 0 {
					qpos = n
				} else {
					qpos += i
				}
			}
			if crpos < i {
				if crpos = bytes.IndexByte(b[i:], '\r'); crpos < 0 {
					crpos = n
				} else {
					crpos += i
				}
			}
			if k := s.fastLine(b[i:], qpos-i, crpos-i); k > 0 {
				i += k
				continue
			}
		}
		c := b[i]
		if s.st == stQuoted {
			j := bytes.IndexByte(b[i:], '"')
			end := n
			if j >= 0 {
				end = i + j
			}
			s.quotedRun(b[i:end], end == n)
			if j < 0 {
				i = n
				continue
			}
			i = end + 1
			s.st, s.closedSpaces = stClosed, 0
			continue
		}
		switch {
		case c == '\n' || c == '\r':
			s.lineBreak(s.base+int64(i), c == '\r')
		case c == s.delim:
			if !s.inRecord {
				s.startRecord(s.base + int64(i))
			}
			if s.collect || s.keepCells {
				s.pendingSpace()
				s.rec.cells = append(s.rec.cells, s.cell)
				s.cell = nil
			}
			s.field++
			s.st = stStart
		default:
			if !s.inRecord {
				s.startRecord(s.base + int64(i))
			}
			s.char(c)
		}
		i++
	}
	s.base += int64(n)
}

// char advances the state machine over an ordinary (non-delimiter, non
// line break) byte outside quotes.
func (s *csvScanner) char(c byte) {
	switch s.st {
	case stStart:
		switch c {
		case '"':
			s.st, s.quoteLine = stQuoted, s.line
		case ' ':
			s.st = stSpace
		default:
			s.st = stPlain
			s.content(c)
		}
	case stSpace:
		if c == '"' {
			s.st, s.quoteLine = stQuoted, s.line
			return
		}
		s.st = stPlain
		s.content(' ')
		s.content(c)
	case stPlain:
		s.content(c)
	case stClosed, stClosedSpace:
		switch c {
		case '"':
			if s.st == stClosed {
				s.content('"') // a doubled quote stands for one
			} else if s.collect || s.keepCells {
				// a quote reopened after spaces: DuckDB keeps the spaces
				for range s.closedSpaces {
					s.cell = append(s.cell, ' ')
				}
			}
			s.st = stQuoted
		case ' ':
			s.st = stClosedSpace
			s.closedSpaces++
		default:
			s.err = &csvSyntaxError{line: s.line}
		}
	}
}

// pendingSpace keeps the one space a value that ends in stSpace holds: a
// single space is a value of its own (a quote after it would have opened
// a quoted value instead).
func (s *csvScanner) pendingSpace() {
	if s.st == stSpace {
		s.cell = append(s.cell, ' ')
	}
}

func (s *csvScanner) content(c byte) {
	if c != ' ' && c != '\t' {
		s.lastNonBlank = s.field
	}
	if s.collect || s.keepCells {
		s.cell = append(s.cell, c)
	}
}

// quotedRun consumes bytes inside quotes up to (not including) the next quote.
func (s *csvScanner) quotedRun(seg []byte, toChunkEnd bool) {
	if len(seg) == 0 {
		return
	}
	if s.collect || s.keepCells {
		s.cell = append(s.cell, seg...)
	}
	if s.lastNonBlank != s.field {
		for _, c := range seg {
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				s.lastNonBlank = s.field
				break
			}
		}
	}
	if bytes.IndexByte(seg, '\r') < 0 {
		if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
			s.line += int64(n)
			s.noteBreak(breakLF)
		}
		return
	}
	for k := 0; k < len(seg); k++ {
		switch seg[k] {
		case '\n':
			s.line++
			s.noteBreak(breakLF)
		case '\r':
			s.line++
			if k+1 < len(seg) {
				if seg[k+1] == '\n' {
					k++
					s.noteBreak(breakCRLF)
				} else {
					s.noteBreak(breakCR)
				}
			} else if toChunkEnd {
				s.pendingCR, s.crInQuotes = true, true
			} else {
				s.noteBreak(breakCR)
			}
		}
	}
}

func (s *csvScanner) startRecord(off int64) {
	s.inRecord = true
	s.rec.startLine = s.line
	s.recStart = off
}

// lineBreak handles a line break outside quotes at offset off.
func (s *csvScanner) lineBreak(off int64, cr bool) {
	if s.inRecord {
		s.endRecord(off)
	} else {
		s.emptyLine()
	}
	s.line++
	if cr {
		s.pendingCR, s.crInQuotes = true, false
	} else {
		s.nLF++
		s.noteBreak(breakLF)
	}
}

func (s *csvScanner) emptyLine() {
	s.emptyLines++
	if s.onEmpty != nil {
		s.onEmpty(s.line)
	}
}

func (s *csvScanner) endRecord(off int64) {
	r := &s.rec
	r.endLine = s.line
	r.fields = s.field + 1
	r.width = s.lastNonBlank + 1
	r.size = off - s.recStart
	r.body = nil
	if s.collect || s.keepCells {
		s.pendingSpace()
		r.cells = append(r.cells, s.cell)
		s.cell = nil
	}
	s.records++
	if s.onRecord != nil && !s.onRecord(r) {
		s.stopped = true
	}
	s.inRecord, s.field, s.lastNonBlank, s.st = false, 0, -1, stStart
	r.cells = nil
}

// fastLine handles one whole line without quotes or stray carriage returns
// at the start of b, returning the bytes consumed (0: not applicable). q and
// cr are the offsets of the first quote and carriage return in b (or beyond).
func (s *csvScanner) fastLine(b []byte, q, crAt int) int {
	nl := bytes.IndexByte(b, '\n')
	if nl < 0 || q < nl {
		return 0
	}
	body := b[:nl]
	cr := false
	if crAt < nl {
		if crAt != nl-1 {
			return 0
		}
		body, cr = body[:nl-1], true
	}
	if cr {
		s.nCRLF++
		s.noteBreak(breakCRLF)
	} else {
		s.nLF++
		s.noteBreak(breakLF)
	}
	if len(body) == 0 {
		s.emptyLine()
		s.line++
		return nl + 1
	}
	r := &s.rec
	r.startLine, r.endLine = s.line, s.line
	r.fields = bytes.Count(body, []byte{s.delim}) + 1
	r.size = int64(len(body))
	r.cells = nil
	if s.keepCells {
		r.body = body
	}
	r.width = 0
	for _, c := range body {
		if c != s.delim && c != ' ' && c != '\t' {
			r.width = 1
			break
		}
	}
	if r.width != 0 && r.fields > s.widthFrom {
		r.width = lastNonBlankField(body, s.delim) + 1
	}
	s.records++
	if s.onRecord != nil && !s.onRecord(r) {
		s.stopped = true
	}
	s.line++
	return nl + 1
}

// lastNonBlankField is the index of the last field of an unquoted line that
// holds something other than spaces and tabs (-1 if none).
func lastNonBlankField(body []byte, delim byte) int {
	f := bytes.Count(body, []byte{delim})
	for i := len(body) - 1; i >= 0; i-- {
		switch body[i] {
		case delim:
			f--
		case ' ', '\t':
		default:
			return f
		}
	}
	return -1
}

// finish ends the scan at the end of the file.
func (s *csvScanner) finish() {
	if s.pendingCR {
		s.pendingCR = false
		s.noteBreak(breakCR)
		if !s.crInQuotes {
			s.nCR++
		}
	}
	if s.stopped || s.err != nil || !s.inRecord {
		return
	}
	if s.st == stQuoted {
		s.err = &csvSyntaxError{unclosed: true, line: s.quoteLine}
		return
	}
	s.endRecord(s.base)
}

func (s *csvScanner) noteBreak(k breakKind) {
	if s.firstBreak == 0 {
		s.firstBreak = k
	}
}

// breaksToRewrite tells whether DuckDB would misread the file's line breaks,
// and which kind to rewrite those outside quotes to. DuckDB's strict reader
// wants one kind, and it takes that kind from the first line break in the
// file even when it is inside quotes (Excel writes "\n" inside cells and
// "\r\n" between rows): outside breaks must match the first one.
func (s *csvScanner) breaksToRewrite() (breakKind, bool) {
	target := s.firstBreak
	if target == 0 {
		return 0, false
	}
	for k, n := range map[breakKind]int64{breakLF: s.nLF, breakCRLF: s.nCRLF, breakCR: s.nCR} {
		if n > 0 && k != target {
			return target, true
		}
	}
	return 0, false
}

// scanChunkSize is how much the scanner reads at a time.
const scanChunkSize = 1 << 20

// scanAll feeds everything r yields to s (and to check, when given).
func scanAll(ctx context.Context, r io.Reader, s *csvScanner, check *utf8Check) error {
	buf := make([]byte, scanChunkSize)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if check != nil {
				check.write(buf[:n])
			}
			s.feed(buf[:n])
			if s.stopped || s.err != nil {
				return nil
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			s.finish()
			if check != nil {
				check.close()
			}
			return nil
		}
		if err != nil {
			return err
		}
	}
}
