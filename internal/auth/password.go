package auth

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Password length bounds, counted in characters (runes).
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256 // long enough for any passphrase; bounds the hashing input
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams suit the 2-core server the portal runs on: 46 MiB, one pass,
// two lanes (OWASP's first argon2id setting, using both cores). Measured on
// the 2-core build box while other builds ran (load average ~4): 70-95 ms per
// hash; m=64 MiB,t=2,p=2 took ~190 ms and m=64 MiB,t=1 ~130 ms, too close to
// the 150 ms budget. Re-measure with `go test -run '^$' -bench Hash ./internal/auth/`.
// Service.MaxHashing bounds concurrent hashes, hence memory (4 × 46 MiB).
// A stored hash made with other parameters is rehashed at the next successful login.
var DefaultParams = Params{Memory: 46 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}

func (p Params) orDefault() Params {
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 {
		return DefaultParams
	}
	if p.SaltLen == 0 {
		p.SaltLen = DefaultParams.SaltLen
	}
	if p.KeyLen == 0 {
		p.KeyLen = DefaultParams.KeyLen
	}
	return p
}

// kdfFunc has argon2.IDKey's signature, so tests can count the hashing work.
type kdfFunc func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte

// hashPassword returns the PHC string of password with a fresh random salt.
func hashPassword(kdf kdfFunc, p Params, password string) string {
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails (crypto/rand since Go 1.24)
	return hashWithSalt(kdf, p, password, salt)
}

// hashWithSalt formats $argon2id$v=19$m=…,t=…,p=…$salt$hash (unpadded standard base64).
// Passwords are NFC-normalised first, so "è" typed as one or two code points is the same password.
func hashWithSalt(kdf kdfFunc, p Params, password string, salt []byte) string {
	key := kdf([]byte(norm.NFC.String(password)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

var errBadPHC = errors.New("not an argon2id PHC string")

// parsePHC reads a string written by hashWithSalt, strictly.
func parsePHC(s string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errBadPHC
	}
	var m, t, th uint64
	for i, kv := range strings.Split(parts[3], ",") {
		name, val, ok := strings.Cut(kv, "=")
		want := [...]string{"m", "t", "p"}
		if !ok || i > 2 || name != want[i] {
			return p, nil, nil, errBadPHC
		}
		bits := 32
		if name == "p" {
			bits = 8
		}
		n, err := strconv.ParseUint(val, 10, bits)
		if err != nil || n == 0 || strconv.FormatUint(n, 10) != val { // canonical: no sign, no leading zeros
			return p, nil, nil, errBadPHC
		}
		switch name {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			th = n
		}
	}
	if m == 0 || t == 0 || th == 0 {
		return p, nil, nil, errBadPHC
	}
	b64 := base64.RawStdEncoding.Strict()
	if strings.ContainsAny(parts[4]+parts[5], "\r\n") { // the decoder skips newlines; the format has none
		return p, nil, nil, errBadPHC
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, errBadPHC
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, errBadPHC
	}
	p = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(th), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	return p, salt, key, nil
}

// verifyPassword recomputes the hash with the stored parameters and compares
// in constant time. stale reports that the stored parameters differ from want,
// so the caller rehashes after a successful login.
func verifyPassword(kdf kdfFunc, encoded, password string, want Params) (ok, stale bool) {
	p, salt, key, err := parsePHC(encoded)
	if err != nil {
		return false, false
	}
	got := kdf([]byte(norm.NFC.String(password)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	ok = subtle.ConstantTimeCompare(got, key) == 1
	return ok, p != want
}

// dummySalt is the salt of the verification done for unknown e-mails, so
// they cost the same argon2id work as a real one.
var dummySalt = []byte("coopimpact-dummy")

func dummyVerify(kdf kdfFunc, p Params, password string) {
	kdf([]byte(norm.NFC.String(password)), dummySalt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

//go:embed common_passwords.txt
var commonPasswordsFile string

var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[strings.ToLower(line)] = true
	}
	return set
}()

// keyboardWalks are strings whose runs people type as passwords ("qwertyuiop", "1qaz2wsx…").
var keyboardWalks = []string{
	"qwertyuiopasdfghjklzxcvbnm", "qwertzuiopasdfghjklyxcvbnm", "azertyuiopqsdfghjklmwxcvbn",
	"1234567890qwertyuiop", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "zaq12wsxcde34rfvbgt56yhnmju78ik9ol0p",
	"qazwsxedcrfvtgbyhnujmikolp", "q1w2e3r4t5y6u7i8o9p0", "1q2w3e4r5t6y7u8i9o0p",
}

// CheckPassword applies the password policy: at least MinPasswordLen characters,
// not a common password (also after stripping leading and trailing digits and
// symbols, so "juventus1897!" is refused), not a sequence, repetition or
// keyboard walk, and not containing the name part of the account's e-mail.
// It returns one of the ErrPassword… errors, or nil.
func CheckPassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLen {
		return ErrPasswordTooShort
	}
	if n > MaxPasswordLen {
		return ErrPasswordTooLong
	}
	lower := strings.ToLower(norm.NFC.String(password))
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	for _, c := range []string{lower, strings.TrimRightFunc(lower, notLetter), strings.TrimLeftFunc(lower, notLetter),
		strings.TrimFunc(lower, notLetter)} {
		if c != "" && commonPasswords[c] {
			return ErrPasswordCommon
		}
	}
	if predictable(lower) {
		return ErrPasswordPredictable
	}
	if containsEmailName(lower, email) {
		return ErrPasswordContainsEmail
	}
	return nil
}

// predictable: one short unit repeated ("abcabcabcabc"), a run of consecutive
// characters ("123456789012", "abcdefghijkl", either direction, digits wrapping
// 9→0), or a stretch of a keyboard walk.
func predictable(lower string) bool {
	rs := []rune(lower)
	for unit := 1; unit <= len(rs)/2; unit++ {
		if len(rs)%unit != 0 {
			continue
		}
		rep := true
		for i := unit; i < len(rs); i++ {
			if rs[i] != rs[i-unit] {
				rep = false
				break
			}
		}
		if rep {
			return true
		}
	}
	step := func(a, b rune) int {
		if a >= '0' && a <= '9' && b >= '0' && b <= '9' {
			switch (b - a + 10) % 10 {
			case 1:
				return 1
			case 9:
				return -1
			}
			return 0
		}
		switch b - a {
		case 1:
			return 1
		case -1:
			return -1
		}
		return 0
	}
	dir := step(rs[0], rs[1])
	seq := dir != 0
	for i := 2; seq && i < len(rs); i++ {
		seq = step(rs[i-1], rs[i]) == dir
	}
	if seq {
		return true
	}
	for _, w := range keyboardWalks {
		if strings.Contains(w, lower) || strings.Contains(reverse(w), lower) {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}

// containsEmailName: the whole local part (3+ characters), the local part
// without separators, or any of its pieces of 4+ characters ("rossi" in
// "mario.rossi@…") found in the password.
func containsEmailName(lower, email string) bool {
	local, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	if local == "" {
		return false
	}
	isSep := func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == '+' }
	joined := strings.Join(strings.FieldsFunc(local, isSep), "")
	for _, c := range []string{local, joined} {
		if utf8.RuneCountInString(c) >= 3 && strings.Contains(lower, c) {
			return true
		}
	}
	for _, piece := range strings.FieldsFunc(local, isSep) {
		if utf8.RuneCountInString(piece) >= 4 && strings.Contains(lower, piece) {
			return true
		}
	}
	return false
}

// GeneratePassword returns a random password of n characters (at least
// MinPasswordLen) that passes CheckPassword for email; it avoids characters
// people misread (0/O, 1/l/I).
func GeneratePassword(n int, email string) string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.!?"
	if n < MinPasswordLen {
		n = MinPasswordLen
	}
	for {
		b := make([]byte, n)
		r := make([]byte, n)
		rand.Read(r)
		for i := range b {
			// 256 % 61 ≠ 0 leaves a slight bias; rejection sampling removes it.
			for int(r[i]) >= 256-256%len(alphabet) {
				rand.Read(r[i : i+1])
			}
			b[i] = alphabet[int(r[i])%len(alphabet)]
		}
		if CheckPassword(string(b), email) == nil {
			return string(b)
		}
	}
}
