package read

import (
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// utf8Check validates a byte stream as UTF-8, chunk by chunk.
type utf8Check struct {
	carry []byte // an incomplete sequence at the end of the last chunk
	bad   bool
}

func (u *utf8Check) write(b []byte) {
	if u.bad {
		return
	}
	for len(u.carry) > 0 && len(b) > 0 {
		u.carry = append(u.carry, b[0])
		b = b[1:]
		if utf8.FullRune(u.carry) {
			if r, size := utf8.DecodeRune(u.carry); r == utf8.RuneError && size <= 1 {
				u.bad = true
				return
			}
			u.carry = u.carry[:0]
		}
	}
	if len(b) == 0 {
		return
	}
	cut := len(b)
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < 0x80 {
			break
		}
		if c >= 0xC0 { // the lead byte of the last sequence
			if !utf8.FullRune(b[len(b)-k:]) {
				cut = len(b) - k
			}
			break
		}
	}
	if !utf8.Valid(b[:cut]) {
		u.bad = true
		return
	}
	u.carry = append(u.carry[:0], b[cut:]...)
}

func (u *utf8Check) close() {
	if len(u.carry) > 0 {
		u.bad = true
	}
}

// cp1252Hybrid turns text that is not valid UTF-8 into UTF-8: valid UTF-8
// sequences pass through (files edited by several programs mix both), every
// other byte is read as Windows-1252, a superset of Latin-1's printable
// characters. On pure Windows-1252 text it is plain Windows-1252 decoding.
type cp1252Hybrid struct{ transform.NopResetter }

func (cp1252Hybrid) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if c < utf8.RuneSelf {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = c
			nDst++
			nSrc++
			continue
		}
		if !atEOF && !utf8.FullRune(src[nSrc:]) {
			return nDst, nSrc, transform.ErrShortSrc
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size <= 1 {
			r, size = charmap.Windows1252.DecodeByte(c), 1
			if nDst+utf8.RuneLen(r) > len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst += utf8.EncodeRune(dst[nDst:], r)
			nSrc++
			continue
		}
		if nDst+size > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], src[nSrc:nSrc+size])
		nSrc += size
	}
	return nDst, nSrc, nil
}

// decodeCP1252Hybrid decodes one short byte string (a header cell).
func decodeCP1252Hybrid(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out, _, err := transform.Bytes(cp1252Hybrid{}, b)
	if err != nil {
		return string(b)
	}
	return string(out)
}

// utf16Decoder decodes BOM-less UTF-16 (the caller skips the BOM).
func utf16Decoder(bigEndian bool) transform.Transformer {
	e := unicode.LittleEndian
	if bigEndian {
		e = unicode.BigEndian
	}
	return unicode.UTF16(e, unicode.IgnoreBOM).NewDecoder()
}

// utf16ToUTF8 decodes a head sample; a trailing odd byte is dropped.
func utf16ToUTF8(b []byte, bigEndian bool) []byte {
	out, _, err := transform.Bytes(utf16Decoder(bigEndian), b[:len(b)&^1])
	if err != nil {
		return nil
	}
	return out
}

// nlNormalizer rewrites every line break outside quotes as the target kind
// (see csvScanner.breaksToRewrite); breaks inside quoted values are part of
// the value and stay as written.
type nlNormalizer struct {
	delim     byte
	target    breakKind
	st        csvState
	pendingCR bool
}

func (t *nlNormalizer) Reset() { t.st, t.pendingCR = stStart, false }

func (t *nlNormalizer) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if t.pendingCR {
			t.pendingCR = false
			if c == '\n' {
				nSrc++
				continue
			}
		}
		if t.st != stQuoted && (c == '\r' || c == '\n') {
			brk := "\n"
			switch t.target {
			case breakCRLF:
				brk = "\r\n"
			case breakCR:
				brk = "\r"
			}
			if nDst+len(brk) > len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst += copy(dst[nDst:], brk)
			nSrc++
			t.pendingCR, t.st = c == '\r', stStart
			continue
		}
		if nDst >= len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		switch {
		case t.st == stQuoted:
			if c == '"' {
				t.st = stClosed
			}
		case c == t.delim:
			t.st = stStart
		case c == '"' && (t.st == stStart || t.st == stSpace || t.st == stClosed || t.st == stClosedSpace):
			t.st = stQuoted
		case c == ' ' && t.st == stStart:
			t.st = stSpace
		case c == ' ' && (t.st == stClosed || t.st == stClosedSpace):
			t.st = stClosedSpace
		default:
			t.st = stPlain
		}
		dst[nDst] = c
		nDst++
		nSrc++
	}
	return nDst, nSrc, nil
}
