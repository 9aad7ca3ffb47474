// Package i18n holds the portal's translations and locale formatting:
// Italian first (the default), English second. It knows nothing of HTTP;
// the portal passes it the Accept-Language header or a cookie value as a string.
//
// # Translation files
//
// locales/it.json and locales/en.json are embedded. Each is ONE flat JSON object
// of string values whose keys are dotted paths of lower_snake_case segments:
//
//	"nav.home", "upload.status.loaded", "dataset.workers.title"
//
// The first segment is the area (app, nav, auth, role, dataset, upload, ingest,
// templates, courses, dashboard, users, tokens, settings, error, theme, lang,
// table, date, common, flash). Flat keys keep the files greppable and make the
// key-parity test trivial. Both files list the keys in the same order so they
// can be diffed side by side; duplicate keys, nested objects and empty values
// are refused when the package loads (and by the tests).
//
// # Placeholders
//
// A value may contain named placeholders {name} (name: [a-z][a-z0-9_]*). T takes
// their values either as alternating name/value pairs, like log/slog:
//
//	i18n.T(lang, "upload.result.unchanged", "file", name, "date", when)
//
// or as one Args map:
//
//	i18n.T(lang, "upload.result.unchanged", i18n.Args{"file": name, "date": when})
//
// Values are written with fmt.Sprint: format numbers and dates first with
// FormatNumber, FormatDate and friends (so a year stays "2024", never "2.024").
// A placeholder without a value is left as written, so the gap shows on the page.
//
// # Plurals
//
// Italian and English share the rule "one" for exactly 1 and "other" otherwise.
// A counted message has two keys, key.one and key.other; TN picks one and fills
// {n} with the count formatted for the language.
package i18n

import (
	"strings"
)

// Lang is a language the portal speaks. Its value is the BCP 47 primary
// subtag, usable as-is in <html lang="…">.
type Lang string

const (
	IT Lang = "it" // Italian, the default
	EN Lang = "en" // English
)

// Default is the language used when nothing better is known.
const Default = IT

// All lists the supported languages, default first.
func All() []Lang { return []Lang{IT, EN} }

func (l Lang) String() string { return string(l) }

// Parse maps a language tag ("it", "it-IT", "en_GB", " EN ") to a supported
// language by its primary subtag; anything else gives the default, Italian.
func Parse(s string) Lang {
	if l, ok := match(s); ok {
		return l
	}
	return Default
}

// match reports the supported language whose primary subtag s carries.
func match(s string) (Lang, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	switch {
	case strings.EqualFold(s, "it"):
		return IT, true
	case strings.EqualFold(s, "en"):
		return EN, true
	}
	return "", false
}

// valid returns l if it is supported, else the default, so a stray Lang value
// (a zero value, a hand-made "fr") still gets Italian rather than keys.
func valid(l Lang) Lang {
	if l == IT || l == EN {
		return l
	}
	return Parse(string(l))
}

// maxHeader bounds the work done on a hostile Accept-Language header; real
// browsers send well under 200 bytes.
const maxHeader = 4096

// Negotiate picks the language for an Accept-Language header (RFC 7231
// §5.3.5, q-values per §5.3.1). A range matches by its primary subtag, so
// "en-GB" selects English; a language's weight is the highest q of the ranges
// that name it, "*" weighs every language no range names, and q=0 excludes.
// Equal weights go to the range listed first. Malformed elements (a bad
// q-value, a range that is not a language tag) are skipped. With nothing
// acceptable the default, Italian, is returned.
func Negotiate(acceptLanguage string) Lang {
	if len(acceptLanguage) > maxHeader {
		acceptLanguage = acceptLanguage[:maxHeader]
	}
	type weight struct {
		q, pos int // q in thousandths; pos = index of the element that set q
		seen   bool
	}
	var it, en, star weight
	pos := 0
	for elem := range strings.SplitSeq(acceptLanguage, ",") {
		elem = strings.Trim(elem, " \t")
		if elem == "" {
			continue // RFC 7230 §7: empty list elements are allowed and ignored
		}
		pos++
		rng, params, _ := strings.Cut(elem, ";")
		rng = strings.Trim(rng, " \t")
		q, ok := qvalue(params)
		if !ok || !languageRange(rng) {
			continue
		}
		var w *weight
		if rng == "*" {
			w = &star
		} else if l, ok := match(rng); ok && l == IT {
			w = &it
		} else if ok && l == EN {
			w = &en
		} else {
			continue
		}
		if !w.seen || q > w.q {
			*w = weight{q: q, pos: pos, seen: true}
		}
	}
	if !it.seen {
		it = star
	}
	if !en.seen {
		en = star
	}
	switch {
	case en.q > it.q:
		return EN
	case it.q > en.q:
		return IT
	case it.q > 0 && en.pos < it.pos:
		return EN
	}
	return Default
}

// qvalue reads the q parameter from the ";"-separated parameters of an
// element, in thousandths; no q means 1000. Other parameters are ignored.
func qvalue(params string) (int, bool) {
	q := 1000
	if params == "" {
		return q, true
	}
	for p := range strings.SplitSeq(params, ";") {
		p = strings.Trim(p, " \t")
		name, val, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimRight(name, " \t"), "q") {
			continue
		}
		v, ok := parseQ(strings.TrimLeft(val, " \t"))
		if !ok {
			return 0, false
		}
		q = v
	}
	return q, true
}

// parseQ parses qvalue = ("0" ["." 0*3DIGIT]) / ("1" ["." 0*3("0")]).
func parseQ(s string) (int, bool) {
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	whole := int(s[0]-'0') * 1000
	rest := s[1:]
	if rest == "" {
		return whole, true
	}
	if rest[0] != '.' || len(rest) > 4 {
		return 0, false
	}
	frac, scale := 0, 100
	for i := 1; i < len(rest); i++ {
		c := rest[i]
		if c < '0' || c > '9' || (whole == 1000 && c != '0') {
			return 0, false
		}
		frac += int(c-'0') * scale
		scale /= 10
	}
	return whole + frac, true
}

// languageRange checks language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*"
// (RFC 4647 §2.1); "_" is tolerated as a separator, as some clients send it.
func languageRange(s string) bool {
	if s == "*" {
		return true
	}
	subs := strings.Split(strings.ReplaceAll(s, "_", "-"), "-")
	for i, sub := range subs {
		if sub == "" || len(sub) > 8 {
			return false
		}
		for _, c := range []byte(sub) {
			alpha := (c|0x20) >= 'a' && (c|0x20) <= 'z'
			digit := c >= '0' && c <= '9'
			if !alpha && (i == 0 || !digit) {
				return false
			}
		}
	}
	return true
}
