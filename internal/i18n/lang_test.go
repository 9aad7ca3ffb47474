package i18n

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := map[string]Lang{
		"it": IT, "it-IT": IT, "IT": IT, "it_CH": IT, " it ": IT,
		"en": EN, "en-GB": EN, "en_US": EN, " En ": EN, "EN-gb": EN, "en-": EN,
		"": IT, "fr": IT, "fr-FR": IT, "english": IT, "eng": IT, "e": IT, "*": IT, "-en": IT,
	}
	for in, want := range cases {
		if got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %q, want %q", in, got, want)
		}
	}
	if IT.String() != "it" || EN.String() != "en" {
		t.Error("String() should give the tag for <html lang>")
	}
	if all := All(); len(all) != 2 || all[0] != IT || all[1] != EN || Default != IT {
		t.Errorf("All() = %v, Default = %v", all, Default)
	}
}

func TestNegotiate(t *testing.T) {
	cases := []struct {
		header string
		want   Lang
	}{
		{"", IT},
		{"en", EN},
		{"it", IT},
		{"en-GB", EN},
		{"EN-gb", EN},
		{"en_GB", EN},
		{"en-GB-oxendict", EN},
		{"  \t en \t ", EN},
		{",,en,,", EN},
		// what browsers send
		{"it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7", IT},
		{"en-US,en;q=0.9,it;q=0.8", EN},
		{"en-US,en;q=0.9", EN},
		{"fr-FR,fr;q=0.9", IT},
		{"fr-FR,fr;q=0.9,en;q=0.5", EN},
		{"de-DE,de;q=0.9,en;q=0.1,it;q=0.2", IT},
		// q-values decide, not order
		{"it;q=0.5, en;q=0.8", EN},
		{"en;q=0.5, it;q=0.8", IT},
		{"it;q=0.000, en;q=0.001", EN},
		{"it;q=0.999, en", EN},
		{"en;q=1.0, it;q=0.99", EN},
		{"en;q=1.000", EN},
		{"en;q=1.", EN},
		{"en;q=0., it;q=0.1", IT},
		// equal weights: the one listed first
		{"it;q=0.5, en;q=0.5", IT},
		{"en;q=0.5, it;q=0.5", EN},
		{"en, it", EN},
		// a language's weight is its best range
		{"en;q=0.8, en-GB;q=0.2, it;q=0.5", EN},
		{"en-GB;q=0, en;q=0.6, it;q=0.5", EN},
		// q=0 means not acceptable
		{"en;q=0", IT},
		{"en;q=0, it;q=0", IT}, // nothing acceptable: the default
		{"it;q=0, en;q=0.1", EN},
		// the wildcard weighs the languages no range names
		{"*", IT},
		{"*;q=0.5, en;q=0.4", IT},
		{"*;q=0.1, en", EN},
		{"it;q=0, *", EN},
		{"en;q=0, *;q=0.3", IT},
		{"fr, *;q=0.5", IT},
		// parameters: case-insensitive q, spaces, others ignored, the last q counts
		{"en;Q=0.9, it;q=0.8", EN},
		{"en ; q=0.9 , it ;q=0.8", EN},
		{"en;level=1;q=0.9, it;q=0.8", EN},
		{"en;q=0.9;q=0.1, it;q=0.5", IT},
		{"en;foo, it;q=0.5", EN},
		// malformed elements are skipped
		{"en;q=1.001, it;q=0.1", IT},
		{"en;q=2", IT},
		{"en;q=0.5555", IT},
		{"en;q=.5", IT},
		{"en;q=", IT},
		{"en;q=-1", IT},
		{"en;q=0.5x", IT},
		{"en;q=abc", IT},
		{"e1, en;q=0.1", EN},
		{"it-, en;q=0.1", EN},
		{"it--IT, en;q=0.1", EN},
		{"en-toolongsub", IT},
		{"i-klingon", IT},
		{"english", IT},
		{"en,it;q=0.9", EN},
		{";q=0.5", IT},
		{"é, en", EN},
		// a header longer than maxHeader is read only up to it
		{strings.Repeat("fr;q=0.1,", 600) + "en", IT},
	}
	for _, c := range cases {
		if got := Negotiate(c.header); got != c.want {
			h := c.header
			if len(h) > 60 {
				h = h[:60] + "…"
			}
			t.Errorf("Negotiate(%q) = %q, want %q", h, got, c.want)
		}
	}
}

func TestParseQ(t *testing.T) {
	good := map[string]int{"0": 0, "1": 1000, "0.5": 500, "0.05": 50, "0.123": 123, "0.": 0, "1.": 1000, "1.0": 1000, "1.00": 1000, "1.000": 1000, "0.999": 999}
	for in, want := range good {
		if got, ok := parseQ(in); !ok || got != want {
			t.Errorf("parseQ(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "2", ".5", "1.1", "1.0001", "0.1234", "0,5", "01", "0.5 ", "1e0", "-0"} {
		if got, ok := parseQ(in); ok {
			t.Errorf("parseQ(%q) accepted as %d", in, got)
		}
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{
		"", "*", "it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7", "en;q=0", "en;q=1.000", "it;q=0, *",
		";;;", ",,,", "en;q=", "en;q=0.", "é;q=0.5", "en-GB_x;Q=0.1;level=2", "\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := Negotiate(h)
		if got != IT && got != EN {
			t.Fatalf("Negotiate(%q) = %q", h, got)
		}
		if p := Parse(h); p != IT && p != EN {
			t.Fatalf("Parse(%q) = %q", h, p)
		}
		// An empty trailing element changes nothing (RFC 7230 §7).
		if len(h) < maxHeader-1 {
			if again := Negotiate(h + ","); again != got {
				t.Fatalf("Negotiate(%q) = %q but with a trailing comma %q", h, got, again)
			}
		}
	})
}
