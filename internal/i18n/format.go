package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Missing is what every formatter writes for a value that cannot be shown
// (NaN, ±Inf, a zero time): an em dash, the usual mark of an empty cell.
const Missing = "—"

// nbsp is U+00A0 NO-BREAK SPACE. Italian writes "12,5 %" and "1.234,56 €"
// with a space (ISO 80000-1, the EU Interinstitutional Style Guide, CLDR
// for the euro sign); a no-break space keeps the sign on the number's line.
// The plain U+00A0 is used rather than the narrow U+202F because every font
// on older phones has it.
const nbsp = "\u00a0"

type numberSeps struct{ group, decimal byte }

func seps(lang Lang) numberSeps {
	if valid(lang) == EN {
		return numberSeps{',', '.'}
	}
	return numberSeps{'.', ','}
}

// maxDecimals bounds the padding a careless caller can ask for.
const maxDecimals = 20

// FormatNumber writes v with the given number of decimals, grouped by
// thousands: Italian "-1.234.567,89", English "-1,234,567.89". Rounding is
// half away from zero on the shortest decimal representation of v, so 1.005
// gives "1,01" as a reader (and a spreadsheet) expects, not the "1,00" the
// binary value 1.00499999… would give. A value that rounds to zero loses its
// sign. NaN and ±Inf give Missing. decimals outside 0–20 are clamped.
func FormatNumber(lang Lang, v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Missing
	}
	decimals = min(max(decimals, 0), maxDecimals)
	neg, ip, fp := roundHalfAway(v, decimals)
	s := seps(lang)
	var b strings.Builder
	b.Grow(len(ip) + len(ip)/3 + len(fp) + 2)
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(ip); i++ {
		if i > 0 && (len(ip)-i)%3 == 0 {
			b.WriteByte(s.group)
		}
		b.WriteByte(ip[i])
	}
	if decimals > 0 {
		b.WriteByte(s.decimal)
		b.WriteString(fp)
	}
	return b.String()
}

// roundHalfAway rounds |v| to decimals digits as decimal text and returns the
// sign (false when the result is zero), the integer digits and the fraction
// digits (exactly decimals of them).
func roundHalfAway(v float64, decimals int) (neg bool, ip, fp string) {
	text := strconv.FormatFloat(math.Abs(v), 'f', -1, 64) // never an exponent with 'f'
	ip, fp, _ = strings.Cut(text, ".")
	up := len(fp) > decimals && fp[decimals] >= '5'
	if len(fp) >= decimals {
		fp = fp[:decimals]
	} else {
		fp += strings.Repeat("0", decimals-len(fp))
	}
	digits := []byte(ip + fp)
	if up {
		i := len(digits) - 1
		for ; i >= 0 && digits[i] == '9'; i-- {
			digits[i] = '0'
		}
		if i >= 0 {
			digits[i]++
		} else {
			digits = append([]byte{'1'}, digits...)
		}
	}
	n := len(digits) - decimals
	ip, fp = string(digits[:n]), string(digits[n:])
	neg = v < 0 && strings.Trim(ip+fp, "0") != ""
	return neg, ip, fp
}

// FormatPercent writes v, a value in percentage points (12.5 means 12.5 %,
// as the datasets store percentages), with the percent sign: Italian
// "12,5 %" (no-break space, see nbsp), English "12.5%".
func FormatPercent(lang Lang, v float64, decimals int) string {
	n := FormatNumber(lang, v, decimals)
	if n == Missing {
		return n
	}
	if valid(lang) == EN {
		return n + "%"
	}
	return n + nbsp + "%"
}

// FormatMoney writes an amount in euros with two decimals: Italian
// "-1.234,56 €" (no-break space), English "-€1,234.56".
func FormatMoney(lang Lang, v float64) string {
	n := FormatNumber(lang, v, 2)
	if n == Missing {
		return n
	}
	if valid(lang) == EN {
		if neg, ok := strings.CutPrefix(n, "-"); ok {
			return "-€" + neg
		}
		return "€" + n
	}
	return n + nbsp + "€"
}

var (
	monthsIT = [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
		"luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}
	monthsEN = [12]string{"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December"}
	shortIT = [12]string{"gen", "feb", "mar", "apr", "mag", "giu",
		"lug", "ago", "set", "ott", "nov", "dic"}
	shortEN = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// MonthName gives the month's full name: Italian in lower case as Italian
// writes it mid-sentence ("dicembre"), English capitalised ("December").
// A month outside 1–12 gives its number.
func MonthName(lang Lang, m time.Month) string {
	if m < time.January || m > time.December {
		return strconv.Itoa(int(m))
	}
	if valid(lang) == EN {
		return monthsEN[m-1]
	}
	return monthsIT[m-1]
}

// MonthShort gives the month's three-letter abbreviation, for chart axes:
// "dic" / "Dec". A month outside 1–12 gives its number.
func MonthShort(lang Lang, m time.Month) string {
	if m < time.January || m > time.December {
		return strconv.Itoa(int(m))
	}
	if valid(lang) == EN {
		return shortEN[m-1]
	}
	return shortIT[m-1]
}

// FormatDate writes t's calendar date in t's own location (convert to
// Europe/Rome first if that is what the page shows): Italian "31/12/2024",
// English "31 Dec 2024" (day first and the month spelt, so neither British
// nor American readers misread it). The zero time gives Missing.
func FormatDate(lang Lang, t time.Time) string {
	if t.IsZero() {
		return Missing
	}
	y, m, d := t.Date()
	if valid(lang) == EN {
		return strconv.Itoa(d) + " " + shortEN[m-1] + " " + strconv.Itoa(y)
	}
	return pad2(d) + "/" + pad2(int(m)) + "/" + strconv.Itoa(y)
}

// FormatDateTime writes FormatDate and the 24-hour time to the minute:
// "31/12/2024 14:05", "31 Dec 2024 14:05". The zero time gives Missing.
func FormatDateTime(lang Lang, t time.Time) string {
	if t.IsZero() {
		return Missing
	}
	return FormatDate(lang, t) + " " + pad2(t.Hour()) + ":" + pad2(t.Minute())
}

// FormatMonth writes the month of a period: "dicembre 2024", "December 2024".
// The zero time gives Missing.
func FormatMonth(lang Lang, t time.Time) string {
	if t.IsZero() {
		return Missing
	}
	return MonthName(lang, t.Month()) + " " + strconv.Itoa(t.Year())
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
