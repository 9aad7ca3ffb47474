package parse

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// isBlank reports whether r is one of the blanks of the package doc.
func isBlank(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2007', '\u2009', '\u202f':
		return true
	}
	return false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// Text trims blanks; ok is false when nothing is left.
func Text(s string) (string, bool) {
	t := strings.TrimFunc(s, isBlank)
	return t, t != ""
}

// Dec parses a number per the package rules.
func Dec(s string) (float64, bool) { return number(s, false) }

// Percent parses a number that may end with one "%".
func Percent(s string) (float64, bool) {
	t := strings.TrimRightFunc(s, isBlank)
	t = strings.TrimSuffix(t, "%")
	return Dec(t)
}

// maxExactInt is 2^53: every integer up to it is exact in a float64.
const maxExactInt = 1 << 53

// Int parses an integral number; a lone dot group ("1.200") is thousands.
func Int(s string) (int64, bool) {
	v, ok := number(s, true)
	if !ok || v != math.Trunc(v) || math.Abs(v) > maxExactInt {
		return 0, false
	}
	return int64(v), true
}

// foldPrefix reports whether s[i:] starts with word (ASCII lower case),
// ASCII case-insensitively.
func foldPrefix(s string, i int, word string) bool {
	if len(s)-i < len(word) {
		return false
	}
	for k := 0; k < len(word); k++ {
		c := s[i+k]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != word[k] {
			return false
		}
	}
	return true
}

// stripNumber deletes blanks and the currency tokens "euro", "eur", "€", "$"
// in one left-to-right pass, exactly like the global leftmost-first regexp
// replacement [blanks]+|(?i:euro?)|€|\$ of the SQL macro. Invalid UTF-8
// bytes are kept (they fail later).
func stripNumber(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isBlank(r):
			i += n
		case foldPrefix(s, i, "euro"):
			i += 4
		case foldPrefix(s, i, "eur"):
			i += 3
		case r == '€' || r == '$':
			i += n
		default:
			b.WriteString(s[i : i+n])
			i += n
		}
	}
	return b.String()
}

// isDotGrouped matches D{1,3}("." D{3})+ and returns the number of groups.
func isDotGrouped(s string) (groups int, ok bool) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts[0]) < 1 || len(parts[0]) > 3 || !allDigits(parts[0]) {
		return 0, false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 || !allDigits(p) {
			return 0, false
		}
	}
	return len(parts) - 1, true
}

// isPlain matches D+ ("." D+)? ([eE] [+-]? D+)?.
func isPlain(s string) bool {
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
		if exp != "" && (exp[0] == '+' || exp[0] == '-') {
			exp = exp[1:]
		}
		if !allDigits(exp) {
			return false
		}
	}
	ip, fp, hasDot := strings.Cut(mant, ".")
	return allDigits(ip) && (!hasDot || allDigits(fp))
}

// number implements Dec (intGroups=false) and the value step of Int.
func number(s string, intGroups bool) (float64, bool) {
	t := stripNumber(s)
	neg := false
	if len(t) >= 2 && t[0] == '(' && t[len(t)-1] == ')' {
		neg, t = true, t[1:len(t)-1]
	} else if t != "" && (t[0] == '+' || t[0] == '-') {
		neg, t = t[0] == '-', t[1:]
	}
	var canon string
	if ip, fp, hasComma := strings.Cut(t, ","); hasComma {
		if !allDigits(fp) {
			return 0, false
		}
		if _, grouped := isDotGrouped(ip); !grouped && !allDigits(ip) {
			return 0, false
		}
		canon = strings.ReplaceAll(ip, ".", "") + "." + fp
	} else if g, grouped := isDotGrouped(t); grouped && (g >= 2 || intGroups) {
		canon = strings.ReplaceAll(t, ".", "")
	} else if isPlain(t) {
		canon = t
	} else {
		return 0, false
	}
	v, err := strconv.ParseFloat(canon, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

var (
	boolTrue  = map[string]bool{"true": true, "1": true, "sì": true, "sí": true, "si": true, "s": true, "x": true, "vero": true, "yes": true, "y": true}
	boolFalse = map[string]bool{"false": true, "0": true, "no": true, "n": true, "falso": true}
)

// Bool parses the yes/no spellings of the package doc.
func Bool(s string) (bool, bool) {
	t := strings.ToLower(strings.TrimFunc(s, isBlank))
	switch {
	case boolTrue[t]:
		return true, true
	case boolFalse[t]:
		return false, true
	}
	return false, false
}

// excelEpoch is day 0 of the Excel 1900 date system as used for serials >= 61.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

const maxSerial = 2958465 // 9999-12-31

// validYMD builds the date if it exists and the year is four-digit.
func validYMD(y, m, d int) (time.Time, bool) {
	if y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // normalised past the month's end
		return time.Time{}, false
	}
	return t, true
}

// digitsAt returns the end of the run of digits starting at i.
func digitsAt(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// twoDigitsMax reads exactly two digits at i with value <= limit.
func twoDigitsMax(s string, i, limit int) (int, bool) {
	if i+2 > len(s) || !isDigit(s[i]) || !isDigit(s[i+1]) {
		return 0, false
	}
	v := int(s[i]-'0')*10 + int(s[i+1]-'0')
	return i + 2, v <= limit
}

// validTime checks the optional time suffix (starting with "T" or spaces).
func validTime(s string) bool {
	if s == "" {
		return true
	}
	i := 0
	if s[0] == 'T' {
		i = 1
	} else {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i == 0 {
			return false
		}
	}
	// hour: 1 or 2 digits, 0..23
	j := digitsAt(s, i)
	if j == i || j-i > 2 {
		return false
	}
	if h, _ := strconv.Atoi(s[i:j]); h > 23 {
		return false
	}
	i = j
	if i >= len(s) || s[i] != ':' {
		return false
	}
	var ok bool
	if i, ok = twoDigitsMax(s, i+1, 59); !ok {
		return false
	}
	if i < len(s) && s[i] == ':' {
		if i, ok = twoDigitsMax(s, i+1, 59); !ok {
			return false
		}
		if i < len(s) && s[i] == '.' {
			j := digitsAt(s, i+1)
			if j == i+1 || j-(i+1) > 9 {
				return false
			}
			i = j
		}
	}
	if i == len(s) {
		return true
	}
	switch s[i] {
	case 'Z':
		return i+1 == len(s)
	case '+', '-':
		if i, ok = twoDigitsMax(s, i+1, 23); !ok {
			return false
		}
		if i == len(s) {
			return true
		}
		if s[i] == ':' {
			i++
		}
		i, ok = twoDigitsMax(s, i, 59)
		return ok && i == len(s)
	}
	return false
}

// dateShape splits a DATE shape into year, month, day; ok=false when s does
// not have one of the DATE shapes (values are not range-checked here).
func dateShape(s string) (y, m, d int, ok bool) {
	atoi := func(p string) int { n, _ := strconv.Atoi(p); return n }
	// ISO: YYYY-M-D
	if len(s) >= 8 && allDigits(s[:4]) && s[4] == '-' {
		parts := strings.Split(s[5:], "-")
		if len(parts) == 2 && allDigits(parts[0]) && len(parts[0]) <= 2 && allDigits(parts[1]) && len(parts[1]) <= 2 {
			return atoi(s[:4]), atoi(parts[0]), atoi(parts[1]), true
		}
		return 0, 0, 0, false
	}
	// Italian: D sep M sep YYYY
	for _, sep := range []string{"/", "-", "."} {
		parts := strings.Split(s, sep)
		if len(parts) != 3 {
			continue
		}
		if allDigits(parts[0]) && len(parts[0]) <= 2 && allDigits(parts[1]) && len(parts[1]) <= 2 && allDigits(parts[2]) && len(parts[2]) == 4 {
			return atoi(parts[2]), atoi(parts[1]), atoi(parts[0]), true
		}
	}
	return 0, 0, 0, false
}

// serial reads an Excel serial D+ ([.,] D+)? and returns its date.
func serial(s string) (time.Time, bool) {
	ip, fp, hasFrac := strings.Cut(s, ".")
	if !hasFrac {
		ip, fp, hasFrac = strings.Cut(s, ",")
	}
	if !allDigits(ip) || (hasFrac && !allDigits(fp)) {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(ip, 10, 64)
	if err != nil || n < 1 || n > maxSerial {
		return time.Time{}, false
	}
	return excelEpoch.AddDate(0, 0, int(n)), true
}

// Date parses a date per the package rules; serialOK also accepts Excel serials.
func Date(s string, serialOK bool) (time.Time, bool) {
	t := strings.TrimFunc(s, isBlank)
	datePart, timePart := t, ""
	if i := strings.IndexAny(t, "T "); i >= 0 {
		datePart, timePart = t[:i], t[i:]
	}
	if y, m, d, ok := dateShape(datePart); ok {
		if !validTime(timePart) {
			return time.Time{}, false
		}
		return validYMD(y, m, d)
	}
	if serialOK {
		return serial(t)
	}
	return time.Time{}, false
}

// monthShape splits a MONTH shape into year and month (not range-checked).
func monthShape(s string) (y, m int, ok bool) {
	atoi := func(p string) int { n, _ := strconv.Atoi(p); return n }
	if len(s) == 6 && allDigits(s) {
		return atoi(s[:4]), atoi(s[4:]), true
	}
	for _, sep := range []byte{'-', '/', '.'} {
		a, b, found := strings.Cut(s, string(sep))
		if !found || !allDigits(a) || !allDigits(b) {
			continue
		}
		if sep != '.' && len(a) == 4 && len(b) <= 2 { // YYYY-M, YYYY/M
			return atoi(a), atoi(b), true
		}
		if len(a) <= 2 && len(b) == 4 { // M/YYYY, M-YYYY, M.YYYY
			return atoi(b), atoi(a), true
		}
	}
	return 0, 0, false
}

// Month parses a month and returns its first day.
func Month(s string, serialOK bool) (time.Time, bool) {
	t := strings.TrimFunc(s, isBlank)
	if y, m, ok := monthShape(t); ok {
		return validYMD(y, m, 1)
	}
	d, ok := Date(t, serialOK)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC), true
}

// Year parses a four-digit year, also written as "2023.0" or "2023,0".
func Year(s string) (int, bool) {
	t := strings.TrimFunc(s, isBlank)
	if len(t) < 4 || !allDigits(t[:4]) || t[0] == '0' {
		return 0, false
	}
	if rest := t[4:]; rest != "" {
		if (rest[0] != '.' && rest[0] != ',') || len(rest) < 2 || strings.Trim(rest[1:], "0") != "" {
			return 0, false
		}
	}
	y, _ := strconv.Atoi(t[:4])
	return y, true
}
