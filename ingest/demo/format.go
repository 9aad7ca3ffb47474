package demo

import (
	"bufio"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// day is a civil date as days since 1970-01-01; noEnd marks an open spell.
type day int32

const noEnd day = math.MaxInt32

// mkDay converts a civil date (proleptic Gregorian) to a day number.
func mkDay(y, m, d int) day {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

// ymd converts a day number back to year, month, day.
func (d day) ymd() (int, int, int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, dd
}

func (d day) year() int { y, _, _ := d.ymd(); return y }

func daysIn(y, m int) int {
	if m == 12 {
		return int(mkDay(y+1, 1, 1) - mkDay(y, 12, 1))
	}
	return int(mkDay(y, m+1, 1) - mkDay(y, m, 1))
}

// itDate writes a date the Italian way, DD/MM/YYYY.
func itDate(d day) string {
	if d == 0 || d == noEnd {
		return ""
	}
	y, m, dd := d.ymd()
	b := make([]byte, 0, 10)
	b = append2(b, dd)
	b = append(b, '/')
	b = append2(b, m)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(y), 10)
	return string(b)
}

func append2(b []byte, v int) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10))
}

// itMonth writes a month as MM/YYYY, as payroll software does.
func itMonth(y, m int) string {
	b := make([]byte, 0, 7)
	b = append2(b, m)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(y), 10)
	return string(b)
}

// money formats euro with thousands dots and a decimal comma: 1.234.567,89.
func money(v float64) string { return string(appendMoney(nil, v)) }

func appendMoney(b []byte, v float64) []byte {
	c := int64(math.Round(v * 100))
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	whole := strconv.FormatInt(c/100, 10)
	for i, ch := range []byte(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b = append(b, '.')
		}
		b = append(b, ch)
	}
	b = append(b, ',')
	return append2(b, int(c%100))
}

// dec2 formats a number with two decimals and a decimal comma, no grouping: 112,50.
func dec2(v float64) string { return string(appendDec2(nil, v)) }

func appendDec2(b []byte, v float64) []byte {
	c := int64(math.Round(v * 100))
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	b = strconv.AppendInt(b, c/100, 10)
	b = append(b, ',')
	return append2(b, int(c%100))
}

// decShort formats with at most one decimal and a comma, dropping ",0": 0,5 / 3 / 17,5.
func decShort(v float64) string {
	t := int64(math.Round(v * 10))
	neg := t < 0
	if neg {
		t = -t
	}
	s := strconv.FormatInt(t/10, 10)
	if t%10 != 0 {
		s += "," + strconv.FormatInt(t%10, 10)
	}
	if neg {
		s = "-" + s
	}
	return s
}

func siNo(b bool) string {
	if b {
		return "sì"
	}
	return "no"
}

func checkbox(b bool) string {
	if b {
		return "x"
	}
	return ""
}

// csvOut writes one semicolon-delimited file the way Italian software does,
// optionally in Windows-1252, with a UTF-8 BOM, or with CRLF line ends.
type csvOut struct {
	f    *os.File
	bw   *bufio.Writer
	tw   io.WriteCloser // Windows-1252 encoder, or nil
	w    io.Writer
	crlf bool
	rows int
	line []byte
	n    int // fields in the current line
	err  error
}

type csvStyle struct {
	cp1252 bool
	bom    bool
	crlf   bool
}

func createCSV(path string, st csvStyle, header ...string) (*csvOut, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	c := newCSVWriter(f, st)
	c.f = f
	c.header(header...)
	return c, c.err
}

func newCSVWriter(w io.Writer, st csvStyle) *csvOut {
	c := &csvOut{bw: bufio.NewWriterSize(w, 1<<16), crlf: st.crlf}
	c.w = c.bw
	if st.cp1252 {
		c.tw = transform.NewWriter(c.bw, charmap.Windows1252.NewEncoder())
		c.w = c.tw
	}
	if st.bom {
		_, c.err = c.bw.WriteString("\ufeff")
	}
	return c
}

func (c *csvOut) header(names ...string) {
	for _, n := range names {
		c.field(n)
	}
	c.end()
	c.rows = 0
}

// field appends one value, quoting it when it holds a delimiter, quote or newline.
func (c *csvOut) field(s string) {
	if c.n > 0 {
		c.line = append(c.line, ';')
	}
	c.n++
	if needsQuote(s) {
		c.line = append(c.line, '"')
		c.line = append(c.line, strings.ReplaceAll(s, `"`, `""`)...)
		c.line = append(c.line, '"')
		return
	}
	c.line = append(c.line, s...)
}

func needsQuote(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ';', '"', '\r', '\n':
			return true
		}
	}
	return false
}

func (c *csvOut) row(fields ...string) {
	for _, f := range fields {
		c.field(f)
	}
	c.end()
}

func (c *csvOut) end() {
	if c.crlf {
		c.line = append(c.line, '\r', '\n')
	} else {
		c.line = append(c.line, '\n')
	}
	if c.err == nil {
		_, c.err = c.w.Write(c.line)
	}
	c.line = c.line[:0]
	c.n = 0
	c.rows++
}

func (c *csvOut) close() error {
	if c.tw != nil {
		if err := c.tw.Close(); err != nil && c.err == nil {
			c.err = err
		}
	}
	if err := c.bw.Flush(); err != nil && c.err == nil {
		c.err = err
	}
	if c.f != nil {
		if err := c.f.Close(); err != nil && c.err == nil {
			c.err = err
		}
	}
	return c.err
}

// fieldDec2 appends a two-decimal number without allocating (hot path: hours).
func (c *csvOut) fieldDec2(v float64) {
	if c.n > 0 {
		c.line = append(c.line, ';')
	}
	c.n++
	c.line = appendDec2(c.line, v)
}
