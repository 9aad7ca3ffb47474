package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

func TestPasswordPolicy(t *testing.T) {
	cases := []struct {
		password, email string
		want            error
	}{
		{"", "a@b.it", ErrPasswordTooShort},
		{"elevenchars", "a@b.it", ErrPasswordTooShort},                       // 11
		{"città-città", "a@b.it", ErrPasswordTooShort},                       // 11 characters, 13 bytes: characters count
		{"Fiume-Verde7", "a@b.it", nil},                                      // exactly 12
		{strings.Repeat("Xy7-", 63) + "Qw9!", "a@b.it", nil},                 // 256
		{strings.Repeat("Xy7-", 63) + "Qw9!Z", "a@b.it", ErrPasswordTooLong}, // 257
		{"password1234", "a@b.it", ErrPasswordCommon},
		{"PASSWORD1234", "a@b.it", ErrPasswordCommon}, // case does not help
		{"ciaociao1234", "a@b.it", ErrPasswordCommon},
		{"qwertyuiop12", "a@b.it", ErrPasswordCommon},
		{"iloveyou1234", "a@b.it", ErrPasswordCommon},
		{"juventus1897!", "a@b.it", ErrPasswordCommon},   // "juventus" once digits and symbols are stripped
		{"2024!Ciaociao!!", "a@b.it", ErrPasswordCommon}, // stripped on both sides
		{"principessa2024", "a@b.it", ErrPasswordCommon}, // listed variant
		{"aaaaaaaaaaaa", "a@b.it", ErrPasswordPredictable},
		{"xyzxyzxyzxyz", "a@b.it", ErrPasswordPredictable},                     // one unit repeated
		{"234567890123", "a@b.it", ErrPasswordPredictable},                     // digits wrap 9→0
		{"onmlkjihgfed", "a@b.it", ErrPasswordPredictable},                     // descending letters
		{"lkjhgfdsapoi", "a@b.it", ErrPasswordPredictable},                     // keyboard walk backwards
		{"1qaz2wsx3edc4r", "a@b.it", ErrPasswordPredictable},                   // column walk
		{"Rossi-e-Verdi-42", "mario.rossi@coop.it", ErrPasswordContainsEmail},  // a piece of 4+
		{"xx-MARIOROSSI-xx", "mario.rossi@coop.it", ErrPasswordContainsEmail},  // pieces joined
		{"bob-costruisce-42", "bob@coop.it", ErrPasswordContainsEmail},         // whole local part of 3
		{"alberi-e-fiori-42", "al@coop.it", nil},                               // a 2-letter local part is not checked
		{"Mario-e-Verdi-42x", "mario.rossi@coop.it", ErrPasswordContainsEmail}, // "mario" is a piece
		{"perché-sì-ancora", "a@b.it", nil},
		{"Tre gatti sul tetto", "luca.bianchi@coop.it", nil},
	}
	for _, c := range cases {
		err := CheckPassword(c.password, c.email)
		wantErr(t, fmt.Sprintf("CheckPassword(%q, %q)", c.password, c.email), err, c.want)
		if c.want != nil && err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v is not ErrInvalid", c.password, err)
		}
	}
	// Every policy failure speaks both languages, distinctly.
	for _, e := range []*Error{ErrPasswordTooShort, ErrPasswordTooLong, ErrPasswordCommon, ErrPasswordPredictable, ErrPasswordContainsEmail} {
		if e.It == "" || e.En == "" || e.It == e.En || e.Message("it") != e.It || e.Message("en") != e.En {
			t.Errorf("%s: messages %q / %q", e.Code, e.It, e.En)
		}
	}
	if !strings.Contains(ErrPasswordTooShort.It, "12") || !strings.Contains(ErrPasswordTooShort.En, "12") {
		t.Errorf("too-short message does not name the minimum: %q", ErrPasswordTooShort.It)
	}
}

func TestCommonPasswordList(t *testing.T) {
	if n := len(commonPasswords); n < 300 {
		t.Fatalf("%d common passwords, want a few hundred", n)
	}
	for _, p := range []string{"password1234", "ciaociao1234", "qwertyuiop12", "123456", "juventus"} {
		if !commonPasswords[p] {
			t.Errorf("%q missing from the list", p)
		}
	}
	for p := range commonPasswords {
		if p != strings.ToLower(p) || strings.TrimSpace(p) != p {
			t.Errorf("list entry %q is not a lower-case trimmed word", p)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		p := GeneratePassword(20, "mario.rossi@coop.it")
		if len(p) != 20 || CheckPassword(p, "mario.rossi@coop.it") != nil || strings.ContainsAny(p, "0O1lI") {
			t.Fatalf("generated %q", p)
		}
		seen[p] = true
	}
	if len(seen) != 50 {
		t.Fatalf("only %d distinct passwords in 50", len(seen))
	}
}

// The PHC string holds exactly what golang.org/x/crypto/argon2 computes.
func TestPHCKnownAnswer(t *testing.T) {
	salt := []byte("somesalt12345678")
	p := Params{Memory: 2048, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}
	key := argon2.IDKey([]byte("correct horse battery"), salt, 2, 2048, 2, 32)
	// base64("somesalt12345678") without padding, worked out by hand: c29t ZXNh bHQx MjM0 NTY3 OA
	want := "$argon2id$v=19$m=2048,t=2,p=2$c29tZXNhbHQxMjM0NTY3OA$" + base64.RawStdEncoding.EncodeToString(key)
	got := hashWithSalt(argon2.IDKey, p, "correct horse battery", salt)
	if got != want {
		t.Fatalf("PHC\n got %s\nwant %s", got, want)
	}
	gp, gs, gk, err := parsePHC(got)
	if err != nil || gp != p || string(gs) != string(salt) || string(gk) != string(key) {
		t.Fatalf("parse: %+v %q %x %v", gp, gs, gk, err)
	}
	for _, c := range []struct {
		password  string
		want      Params
		ok, stale bool
	}{
		{"correct horse battery", p, true, false},
		{"correct horse batterY", p, false, false},
		{"correct horse battery", testParams, true, true}, // other parameters today: rehash
	} {
		ok, stale := verifyPassword(argon2.IDKey, got, c.password, c.want)
		if ok != c.ok || stale != c.stale {
			t.Errorf("verify %q: ok %v stale %v, want %v %v", c.password, ok, stale, c.ok, c.stale)
		}
	}
	// NFC: "é" as one code point or as e + combining accent is one password.
	h := hashWithSalt(argon2.IDKey, testParams, "perch\u00e9-ancora-qui", salt)
	if ok, _ := verifyPassword(argon2.IDKey, h, "perche\u0301-ancora-qui", testParams); !ok {
		t.Error("decomposed spelling does not verify")
	}
	// Two hashes of one password differ (fresh salts) and both verify.
	a, b := hashPassword(argon2.IDKey, testParams, "x"), hashPassword(argon2.IDKey, testParams, "x")
	if a == b {
		t.Error("same salt twice")
	}
}

func TestParsePHCRefusesMalformed(t *testing.T) {
	good := hashWithSalt(argon2.IDKey, testParams, "pw", []byte("0123456789abcdef"))
	parts := strings.Split(good, "$")
	bad := []string{
		"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=16$m=1024,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$t=1,m=1024,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=0,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=1024,t=1,p=256$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=1024,t=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=1024,t=1,p=1$" + parts[4] + "=$" + parts[5],
		"$argon2id$v=19$m=1024,t=1,p=1$" + parts[4] + "$" + parts[5][:10],
		good + "$",
	}
	for _, s := range bad {
		if _, _, _, err := parsePHC(s); err == nil {
			t.Errorf("parsed %q", s)
		}
		if ok, _ := verifyPassword(argon2.IDKey, s, "pw", testParams); ok {
			t.Errorf("verified against %q", s)
		}
	}
	if _, _, _, err := parsePHC(good); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultParams(t *testing.T) {
	h := hashPassword(argon2.IDKey, DefaultParams, goodPassword)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=47104,t=1,p=2$") {
		t.Fatalf("default PHC %s", h)
	}
	if ok, stale := verifyPassword(argon2.IDKey, h, goodPassword, DefaultParams); !ok || stale {
		t.Fatalf("ok %v stale %v", ok, stale)
	}
	if (Params{}).orDefault() != DefaultParams {
		t.Fatal("zero Params are not the defaults")
	}
}

// BenchmarkHashDefault measures one login's hashing on this machine (keep it well under 150 ms).
func BenchmarkHashDefault(b *testing.B) {
	for b.Loop() {
		hashPassword(argon2.IDKey, DefaultParams, goodPassword)
	}
}

func FuzzParsePHC(f *testing.F) {
	f.Add(hashWithSalt(argon2.IDKey, testParams, "pw", []byte("0123456789abcdef")))
	f.Add("$argon2id$v=19$m=1,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := parsePHC(s)
		if err != nil {
			return
		}
		// What parses re-formats to the same string (the format is canonical).
		again := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.Memory, p.Time, p.Threads,
			base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
		if again != s {
			t.Fatalf("parsed %q, formats as %q", s, again)
		}
	})
}

func FuzzCheckPassword(f *testing.F) {
	for _, s := range []string{"password1234", "Fiume-Verde7", "città-città", "\xff\xfe", "aaaaaaaaaaaa"} {
		f.Add(s, "mario.rossi@coop.it")
	}
	f.Fuzz(func(t *testing.T, pw, email string) {
		err := CheckPassword(pw, email)
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("%q: %v is not ErrInvalid", pw, err)
		}
	})
}
