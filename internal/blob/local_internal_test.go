package blob

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func newClockedLocal(t *testing.T, key []byte, now time.Time) *Local {
	t.Helper()
	l, err := NewLocal(t.TempDir(), key, "http://portal.example/")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	l.now = func() time.Time { return now }
	return l
}

// The signatures below were computed outside Go:
//
//	printf 'a/b|1700000100' | openssl dgst -sha256 -hmac 0123456789abcdef
func TestLocalPresignURL(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newClockedLocal(t, []byte("0123456789abcdef"), now)
	for _, tc := range []struct {
		key    string
		expiry time.Duration
		want   string
	}{
		{"a/b", 100 * time.Second,
			"http://portal.example/blob/a/b?exp=1700000100&sig=0068e1433033463a5099c2add3c01039c9d8bd71aa465de188ec28c0d820a851"},
		{"città/x y.txt", 10 * time.Minute,
			"http://portal.example/blob/citt%C3%A0/x%20y.txt?exp=1700000600&sig=89e6324014134bb101611c69627e9c7e0514ae279b07c1ba4e46a4f366f7febb"},
	} {
		got, err := l.PresignGet(context.Background(), tc.key, tc.expiry)
		if err != nil || got != tc.want {
			t.Errorf("PresignGet(%q) = %q, %v\nwant %q", tc.key, got, err, tc.want)
		}
	}
}

func TestLocalVerifyPresigned(t *testing.T) {
	key := []byte("0123456789abcdef")
	l := newClockedLocal(t, key, time.Unix(0, 0))
	const sig = "0068e1433033463a5099c2add3c01039c9d8bd71aa465de188ec28c0d820a851" // a/b, exp 1700000100
	const exp = 1_700_000_100
	other := newClockedLocal(t, []byte("another key, 16+"), time.Unix(0, 0))
	for _, tc := range []struct {
		name string
		l    *Local
		key  string
		exp  int64
		sig  string
		now  int64
		want error
	}{
		{"valid", l, "a/b", exp, sig, exp - 100, nil},
		{"valid at the expiry second", l, "a/b", exp, sig, exp, nil},
		{"upper-case hex", l, "a/b", exp, strings.ToUpper(sig), exp, nil},
		{"expired", l, "a/b", exp, sig, exp + 1, ErrPresignExpired},
		{"other key", l, "a/c", exp, sig, exp - 100, ErrPresignInvalid},
		{"exp pushed later", l, "a/b", exp + 3600, sig, exp, ErrPresignInvalid},
		{"flipped digit", l, "a/b", exp, "1" + sig[1:], exp - 100, ErrPresignInvalid},
		{"truncated", l, "a/b", exp, sig[:62], exp - 100, ErrPresignInvalid},
		{"not hex", l, "a/b", exp, "zz" + sig[2:], exp - 100, ErrPresignInvalid},
		{"empty", l, "a/b", exp, "", exp - 100, ErrPresignInvalid},
		{"other signing key", other, "a/b", exp, sig, exp - 100, ErrPresignInvalid},
		{"expired and forged", l, "a/b", exp, "1" + sig[1:], exp + 1, ErrPresignInvalid},
		{"invalid key", l, "../a/b", exp, sig, exp - 100, ErrInvalidKey},
	} {
		err := tc.l.VerifyPresigned(tc.key, tc.exp, tc.sig, time.Unix(tc.now, 0))
		if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

// The handler uses the store's clock: a URL refused once its second passes.
func TestLocalHandlerExpiry(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newClockedLocal(t, []byte("0123456789abcdef"), now)
	if err := l.Put(context.Background(), "a/b", strings.NewReader("ok"), 2, "text/plain"); err != nil {
		t.Fatal(err)
	}
	u, err := l.PresignGet(context.Background(), "a/b", 100*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	target := strings.TrimPrefix(u, "http://portal.example")
	for _, tc := range []struct {
		at   int64
		want int
	}{{1_700_000_100, http.StatusOK}, {1_700_000_101, http.StatusForbidden}} {
		l.now = func() time.Time { return time.Unix(tc.at, 0) }
		rec := httptest.NewRecorder()
		l.PresignedHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != tc.want {
			t.Errorf("at %d: %d, want %d", tc.at, rec.Code, tc.want)
		}
	}
}

func TestRangeResolve(t *testing.T) {
	for _, tc := range []struct {
		r          *Range
		size       int64
		off, n     int64
		wantErrKnd error
	}{
		{nil, 10, 0, 10, nil},
		{&Range{0, -1}, 10, 0, 10, nil},
		{&Range{3, 4}, 10, 3, 4, nil},
		{&Range{8, 5}, 10, 8, 2, nil},
		{&Range{10, -1}, 10, 10, 0, nil},
		{&Range{2, 1 << 62}, 10, 2, 8, nil},
		{&Range{11, -1}, 10, 0, 0, ErrInvalidRange},
		{&Range{-1, 1}, 10, 0, 0, ErrInvalidRange},
	} {
		off, n, err := tc.r.resolve("k", tc.size)
		if !errors.Is(err, tc.wantErrKnd) || (err == nil && (off != tc.off || n != tc.n)) {
			t.Errorf("%+v on %d: (%d, %d, %v), want (%d, %d, %v)", tc.r, tc.size, off, n, err, tc.off, tc.n, tc.wantErrKnd)
		}
	}
}
