package catalog

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldRunes lowercases s, decomposes it (NFKD, so accents and compatibility forms such as
// "²" or "ﬁ" fold too) and drops the combining marks. Lowercasing on both sides of the
// decomposition keeps the result stable when it is folded again.
func foldRunes(s string) []rune {
	d := norm.NFKD.String(strings.ToLower(s))
	out := make([]rune, 0, len(d))
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		out = append(out, unicode.ToLower(r))
	}
	return out
}

// NormalizeHeader folds a column header to the form headers and aliases are compared in:
// lowercase, accents stripped, every run of characters other than letters and digits
// (blanks, "-", ".", "/", "%", "(", "'", …) turned into one "_", and no "_" at either end.
// " Codice Fiscale " -> "codice_fiscale", "Attività" -> "attivita", "% part-time" -> "part_time".
func NormalizeHeader(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range foldRunes(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
			continue
		}
		sep = true
	}
	return b.String()
}

// isEnumSep reports runes that separate words in enum values: blanks, underscores, dashes
// and apostrophes ("Valle d’Aosta" and "valle d'aosta" must meet).
func isEnumSep(r rune) bool {
	switch r {
	case '_', '\'', '`', '\u2018', '\u2019', '\u02bc', '\u00b4':
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Pd, r)
}

// NormalizeEnumKey folds an enum value or synonym to its comparison key: lowercase, accents
// stripped, blanks/underscores/hyphens/apostrophes collapsed to one space, no blanks at the
// ends or around "/". Other punctuation stays ("1.1" and "1,1" differ; "co.co.co." is kept).
func NormalizeEnumKey(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range foldRunes(s) {
		if isEnumSep(r) {
			sep = true
			continue
		}
		if sep && b.Len() > 0 && r != '/' && !strings.HasSuffix(b.String(), "/") {
			b.WriteByte(' ')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

func sortStrings(s []string) { sort.Strings(s) }
