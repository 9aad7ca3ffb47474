package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"
)

func TestSessionIdleTimeout(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	s := f.mustLogin("anna@coop.it")
	if len(s.ID) != 43 {
		t.Fatalf("session id %q: want 43 base64url characters (32 bytes)", s.ID)
	}
	if b, err := base64.RawURLEncoding.DecodeString(s.ID); err != nil || len(b) != 32 {
		t.Fatalf("id %q: %v", s.ID, err)
	}
	lastSeen := func() time.Time {
		var ts time.Time
		f.db.QueryRowContext(f.ctx, `SELECT last_seen_at FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'anna@coop.it')`).Scan(&ts)
		return ts.UTC()
	}
	login := f.clock.Now()
	// Within a minute of the last stamp, uses are not written.
	f.clock.Advance(59 * time.Second)
	if _, _, err := f.svc.Authenticate(f.ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if !lastSeen().Equal(login) {
		t.Fatalf("last_seen %v written within the minute", lastSeen())
	}
	f.clock.Advance(time.Second) // a minute after the stamp: written
	if _, _, err := f.svc.Authenticate(f.ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if want := login.Add(time.Minute); !lastSeen().Equal(want) {
		t.Fatalf("last_seen %v, want %v", lastSeen(), want)
	}
	// Idle 1h59m59s after the last stamp: still valid; it moves the stamp.
	f.clock.Advance(2*time.Hour - time.Second)
	if _, _, err := f.svc.Authenticate(f.ctx, s.ID); err != nil {
		t.Fatalf("idle just under 2 h: %v", err)
	}
	// Idle exactly 2 h: ended, and the row is gone.
	f.clock.Advance(2 * time.Hour)
	_, _, err := f.svc.Authenticate(f.ctx, s.ID)
	wantErr(t, "idle 2 h", err, ErrSessionInvalid)
	if n := f.count(`SELECT count(*) FROM sessions`); n != 0 {
		t.Fatalf("%d sessions left", n)
	}
}

func TestSessionAbsoluteTimeout(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	s := f.mustLogin("anna@coop.it")
	if want := f.clock.Now().Add(30 * 24 * time.Hour); !s.ExpiresAt.Equal(want) {
		t.Fatalf("expires %v, want %v", s.ExpiresAt, want)
	}
	// Used every 110 minutes (never idle), it still ends 30 days after login.
	end := f.clock.Now().Add(30 * 24 * time.Hour)
	for f.clock.Now().Add(110 * time.Minute).Before(end) {
		f.clock.Advance(110 * time.Minute)
		if _, _, err := f.svc.Authenticate(f.ctx, s.ID); err != nil {
			t.Fatalf("at %v: %v", f.clock.Now(), err)
		}
	}
	f.clock.Advance(end.Sub(f.clock.Now()))
	_, _, err := f.svc.Authenticate(f.ctx, s.ID)
	wantErr(t, "30 days", err, ErrSessionInvalid)
}

func TestSessionSettings(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	f.svc = f.newService(testParams)
	f.svc.IdleTimeout = 10 * time.Minute
	s := f.mustLogin("anna@coop.it")
	f.clock.Advance(10 * time.Minute)
	_, _, err := f.svc.Authenticate(f.ctx, s.ID)
	wantErr(t, "idle 10 min", err, ErrSessionInvalid)
}

func TestLoginAlwaysNewSessionAndRotation(t *testing.T) {
	f := newFixture(t)
	u := f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	a, b := f.mustLogin("anna@coop.it"), f.mustLogin("anna@coop.it")
	if a.ID == b.ID {
		t.Fatal("two logins share a session id")
	}
	f.clock.Advance(time.Hour)
	r, err := f.svc.RotateSession(f.ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == a.ID || r.UserID != u.ID || !r.CreatedAt.Equal(a.CreatedAt) || !r.ExpiresAt.Equal(a.ExpiresAt) {
		t.Fatalf("rotated %+v from %+v", r, a)
	}
	_, _, err = f.svc.Authenticate(f.ctx, a.ID)
	wantErr(t, "old id after rotation", err, ErrSessionInvalid)
	if _, got, err := f.svc.Authenticate(f.ctx, r.ID); err != nil || got.ID != u.ID {
		t.Fatalf("new id: %v %v", got, err)
	}
	if r.VerifyCSRF(a.CSRFToken()) {
		t.Fatal("the old session's CSRF token verifies on the rotated session")
	}
	_, err = f.svc.RotateSession(f.ctx, a.ID)
	wantErr(t, "rotate a dead session", err, ErrSessionInvalid)
	// Logout ends only that session.
	if err := f.svc.Logout(f.ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.Authenticate(f.ctx, r.ID)
	wantErr(t, "after logout", err, ErrSessionInvalid)
	if _, _, err := f.svc.Authenticate(f.ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "x", strings.Repeat("A", 43) + "=", "not base64!", b.ID + "A"} {
		_, _, err := f.svc.Authenticate(f.ctx, bad)
		wantErr(t, "garbage "+bad, err, ErrSessionInvalid)
	}
	if err := f.svc.Logout(f.ctx, "garbage"); err != nil {
		t.Fatal(err)
	}
}

func TestCSRF(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	s := f.mustLogin("anna@coop.it")
	other := f.mustLogin("anna@coop.it")
	tok := s.CSRFToken()
	if tok == s.CSRFToken() {
		t.Fatal("two CSRF tokens are equal (want a fresh nonce each)")
	}
	// The secret survives the database: a token from login verifies on the loaded session.
	loaded, _, err := f.svc.Authenticate(f.ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.VerifyCSRF(tok) || !s.VerifyCSRF(loaded.CSRFToken()) {
		t.Fatal("CSRF token does not verify after a round trip")
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	raw[len(raw)-1] ^= 1
	flipped := base64.RawURLEncoding.EncodeToString(raw)
	for _, bad := range []string{"", "abc", flipped, other.CSRFToken(), tok + "A", tok[:len(tok)-1]} {
		if loaded.VerifyCSRF(bad) {
			t.Errorf("verified %q", bad)
		}
	}
	if (&Session{}).VerifyCSRF((&Session{}).CSRFToken()) {
		t.Fatal("a session without a secret verified a token")
	}
}

func TestDisabledUserSessionEndsAtNextRequest(t *testing.T) {
	f := newFixture(t)
	u := f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	s := f.mustLogin("anna@coop.it")
	// Disabled behind the service's back (another process, a restore): the next request is refused.
	if _, err := f.db.ExecContext(f.ctx, `UPDATE users SET disabled = true WHERE id = ?`, u.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.svc.Authenticate(f.ctx, s.ID)
	wantErr(t, "disabled", err, ErrSessionInvalid)
	// Re-enabled, the session stays ended.
	f.db.ExecContext(f.ctx, `UPDATE users SET disabled = false WHERE id = ?`, u.ID)
	_, _, err = f.svc.Authenticate(f.ctx, s.ID)
	wantErr(t, "re-enabled", err, ErrSessionInvalid)

	// Through DisableUser: sessions end at once, API tokens are revoked.
	s = f.mustLogin("anna@coop.it")
	tok, err := f.svc.CreateAPIToken(f.ctx, u.Scope(), u.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DisableUser(f.ctx, root, u.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.Authenticate(f.ctx, s.ID)
	wantErr(t, "DisableUser", err, ErrSessionInvalid)
	_, err = f.svc.AuthenticateToken(f.ctx, tok)
	wantErr(t, "token of a disabled user", err, ErrTokenInvalid)
	if err := f.svc.EnableUser(f.ctx, root, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AuthenticateToken(f.ctx, tok)
	wantErr(t, "token after re-enabling", err, ErrTokenInvalid)
	f.mustLogin("anna@coop.it")
}

func TestResetToken(t *testing.T) {
	f := newFixture(t)
	u := f.mustCreate(root, "luca@coop.it", RoleStaff, "COOP_A")
	s := f.mustLogin("luca@coop.it")
	first, err := f.svc.CreateResetToken(f.ctx, root, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := f.svc.CreateResetToken(f.ctx, root, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A newer link voids the older one.
	wantErr(t, "superseded link", f.svc.ResetPassword(f.ctx, first, "Nuova-Parola-Lunga-9"), ErrResetLinkInvalid)
	// A refused password does not use the link up.
	wantErr(t, "weak", f.svc.ResetPassword(f.ctx, tok, "password1234"), ErrPasswordCommon)
	if got, err := f.svc.CheckResetToken(f.ctx, tok); err != nil || got.ID != u.ID {
		t.Fatalf("check: %v %v", got, err)
	}
	if err := f.svc.ResetPassword(f.ctx, tok, "Nuova-Parola-Lunga-9"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "second use", f.svc.ResetPassword(f.ctx, tok, "Altra-Parola-Lunga-8"), ErrResetLinkInvalid)
	_, _, err = f.svc.Authenticate(f.ctx, s.ID)
	wantErr(t, "session after reset", err, ErrSessionInvalid)
	if _, err := f.svc.Login(f.ctx, "luca@coop.it", "Nuova-Parola-Lunga-9", ""); err != nil {
		t.Fatal(err)
	}

	// Expiry: valid a second before 24 h, not at 24 h.
	tok, _ = f.svc.CreateResetToken(f.ctx, root, u.ID)
	f.clock.Advance(24*time.Hour - time.Second)
	if _, err := f.svc.CheckResetToken(f.ctx, tok); err != nil {
		t.Fatalf("23:59:59: %v", err)
	}
	f.clock.Advance(time.Second)
	wantErr(t, "24 h", f.svc.ResetPassword(f.ctx, tok, "Altra-Parola-Lunga-8"), ErrResetLinkInvalid)
	for _, bad := range []string{"", "abc", tok + "x"} {
		wantErr(t, "garbage", f.svc.ResetPassword(f.ctx, bad, "Altra-Parola-Lunga-8"), ErrResetLinkInvalid)
	}
	// Reset links work for invited accounts (no password yet).
	inv, err := f.svc.CreateUser(f.ctx, root, NewUser{Email: "nuovo@coop.it", Role: RoleBoard, CoopID: "COOP_A"})
	if err != nil || inv.HasPassword {
		t.Fatalf("invited: %+v %v", inv, err)
	}
	_, err = f.svc.Login(f.ctx, "nuovo@coop.it", "", "")
	wantErr(t, "login without a password", err, ErrLoginFailed)
	tok, _ = f.svc.CreateResetToken(f.ctx, root, inv.ID)
	if err := f.svc.ResetPassword(f.ctx, tok, "Consiglio-Di-Marzo-3"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Login(f.ctx, "nuovo@coop.it", "Consiglio-Di-Marzo-3", ""); err != nil {
		t.Fatal(err)
	}
}

func TestAPITokens(t *testing.T) {
	f := newFixture(t)
	anna := f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	bruno := f.mustCreate(root, "bruno@coop.it", RoleCoopAdmin, "COOP_B")
	raw, err := f.svc.CreateAPIToken(f.ctx, anna.Scope(), anna.ID, "nightly upload")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(raw, "cit_") || len(raw) != 4+43 {
		t.Fatalf("token %q", raw)
	}
	u, err := f.svc.AuthenticateToken(f.ctx, raw)
	if err != nil || u.ID != anna.ID {
		t.Fatalf("authenticate: %v %v", u, err)
	}
	// At rest: only the SHA-256, computed here independently.
	sum := sha256.Sum256([]byte(raw))
	var stored string
	f.db.QueryRowContext(f.ctx, `SELECT token_hash FROM api_tokens`).Scan(&stored)
	if stored != hex.EncodeToString(sum[:]) {
		t.Fatalf("stored %q", stored)
	}
	if n := f.count(`SELECT count(*) FROM api_tokens t WHERE contains(CAST(t AS VARCHAR), ?)`, raw[4:]); n != 0 {
		t.Fatal("raw token found in api_tokens")
	}
	toks, err := f.svc.FindAPITokens(f.ctx, anna.Scope(), anna.ID)
	if err != nil || len(toks) != 1 || toks[0].Name != "nightly upload" || toks[0].LastUsedAt == nil {
		t.Fatalf("list: %+v %v", toks, err)
	}
	// Another cooperative's admin can neither list nor revoke it.
	_, err = f.svc.FindAPITokens(f.ctx, bruno.Scope(), anna.ID)
	wantErr(t, "other coop lists", err, ErrNotFound)
	wantErr(t, "other coop revokes", f.svc.RevokeAPIToken(f.ctx, bruno.Scope(), toks[0].ID), ErrNotFound)
	wantErr(t, "unknown token id", f.svc.RevokeAPIToken(f.ctx, anna.Scope(), 999), ErrNotFound)
	if err := f.svc.RevokeAPIToken(f.ctx, anna.Scope(), toks[0].ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AuthenticateToken(f.ctx, raw)
	wantErr(t, "revoked", err, ErrTokenInvalid)
	for _, bad := range []string{"", raw[4:], "cit_x", "xyz_" + raw[4:]} {
		_, err := f.svc.AuthenticateToken(f.ctx, bad)
		wantErr(t, "garbage token", err, ErrTokenInvalid)
	}
	_, err = f.svc.CreateAPIToken(f.ctx, anna.Scope(), anna.ID, "  ")
	wantErr(t, "no name", err, ErrTokenNameInvalid)
}

// No raw session id, reset token or API token reaches the database file.
func TestNoRawTokenInDatabaseFile(t *testing.T) {
	f := newFixture(t)
	// Uncompressed storage, so a string written to the file appears in it byte for byte.
	if _, err := f.db.ExecContext(f.ctx, `SET GLOBAL force_compression = 'uncompressed'`); err != nil {
		t.Fatal(err)
	}
	u := f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	var raws []string
	for range 3 {
		s := f.mustLogin("anna@coop.it")
		r, err := f.svc.RotateSession(f.ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		reset, err := f.svc.CreateResetToken(f.ctx, root, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		api, err := f.svc.CreateAPIToken(f.ctx, u.Scope(), u.ID, "t")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateToken(f.ctx, api); err != nil {
			t.Fatal(err)
		}
		raws = append(raws, s.ID, r.ID, reset, api, api[4:])
	}
	// Every text column of the four tables, as SQL sees it.
	for _, table := range []string{"users", "sessions", "password_resets", "api_tokens"} {
		for _, raw := range raws {
			if n := f.count(`SELECT count(*) FROM `+table+` t WHERE contains(CAST(t AS VARCHAR), ?)`, raw); n != 0 {
				t.Errorf("raw token in %s", table)
			}
		}
	}
	if _, err := f.db.ExecContext(f.ctx, `CHECKPOINT`); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(f.db.Path)
	if err != nil {
		t.Fatal(err)
	}
	// Control: the scan can find what is stored (the hashes), or it would prove nothing.
	if !bytes.Contains(data, []byte(tokenHash(raws[1]))) || !bytes.Contains(data, []byte(tokenHash(raws[3]))) {
		t.Fatal("the stored hashes are not visible in the file: the scan cannot be trusted")
	}
	for _, raw := range raws {
		if bytes.Contains(data, []byte(raw)) {
			t.Errorf("raw token %s… found in the database file", raw[:6])
		}
	}
	if wal, err := os.ReadFile(f.db.Path + ".wal"); err == nil {
		for _, raw := range raws {
			if bytes.Contains(wal, []byte(raw)) {
				t.Errorf("raw token %s… found in the WAL", raw[:6])
			}
		}
	}
}

func FuzzWellFormedToken(f *testing.F) {
	f.Add(newToken())
	f.Add(strings.Repeat("A", 43))
	f.Add(strings.Repeat("A", 42) + "\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if !wellFormed(s) {
			return
		}
		// A token that passes is exactly the encoding of 32 bytes.
		b, _ := base64.RawURLEncoding.DecodeString(s)
		if len(b) != 32 || base64.RawURLEncoding.EncodeToString(b) != s {
			t.Fatalf("accepted %q", s)
		}
	})
}
