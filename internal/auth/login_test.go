package auth

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWrongPasswordAndUnknownEmailAnswerAlike(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	gone := f.mustCreate(root, "gone@coop.it", RoleStaff, "COOP_A")
	if err := f.svc.DisableUser(f.ctx, root, gone.ID); err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, c := range []struct{ email, password string }{
		{"anna@coop.it", "not-the-right-one"}, // wrong password
		{"nobody@coop.it", goodPassword},      // unknown e-mail
		{"gone@coop.it", goodPassword},        // disabled account, right password
		{"", ""},                              // nothing at all
	} {
		before := f.hashes.Load()
		s, err := f.svc.Login(f.ctx, c.email, c.password, "198.51.100.7")
		if s != nil || !errors.Is(err, ErrLoginFailed) || !errors.Is(err, ErrUnauthenticated) {
			t.Fatalf("%s: session %v, err %v", c.email, s, err)
		}
		// Same work either way: exactly one argon2id computation.
		if n := f.hashes.Load() - before; n != 1 {
			t.Errorf("%s: %d hashes, want 1", c.email, n)
		}
		var e *Error
		errors.As(err, &e)
		msgs = append(msgs, e.It+"|"+e.En)
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Fatalf("messages differ: %q vs %q", m, msgs[0])
		}
	}
	// E-mail case and spaces do not matter for the right password.
	if _, err := f.svc.Login(f.ctx, "  ANNA@Coop.it ", goodPassword, "198.51.100.7"); err != nil {
		t.Fatal(err)
	}
}

func TestLoginRateLimitPerAccount(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	t0 := f.clock.Now()
	// Ten failures, one a second, each from a different IP: the account's count.
	for i := range 10 {
		_, err := f.svc.Login(f.ctx, "Anna@coop.it", "wrong-password-"+fmt.Sprint(i), fmt.Sprintf("203.0.113.%d", i))
		wantErr(t, "failure", err, ErrLoginFailed)
		f.clock.Advance(time.Second)
	}
	// t0+10s: the 11th attempt is refused before any hashing, even with the right password.
	before := f.hashes.Load()
	_, err := f.svc.Login(f.ctx, "anna@coop.it", goodPassword, "203.0.113.99")
	wantErr(t, "11th", err, ErrRateLimited)
	if n := f.hashes.Load() - before; n != 0 {
		t.Fatalf("%d hashes while limited, want 0", n)
	}
	var e *Error
	if !errors.As(err, &e) || e.RetryAfter != 50*time.Second || e.It == "" || e.En == "" {
		t.Fatalf("retry after %v (want 50s: the first failure leaves the window at t0+60s): %+v", e.RetryAfter, e)
	}
	// Refused attempts do not count: hammering does not push the window.
	for range 20 {
		f.svc.Login(f.ctx, "anna@coop.it", "x", "203.0.113.99")
	}
	f.clock.Advance(t0.Add(time.Minute).Sub(f.clock.Now()))
	// t0+60s exactly: the first failure (at t0) has just left the sliding minute: one attempt passes.
	_, err = f.svc.Login(f.ctx, "anna@coop.it", "still-wrong-password", "203.0.113.99")
	wantErr(t, "t0+60s", err, ErrLoginFailed)
	_, err = f.svc.Login(f.ctx, "anna@coop.it", goodPassword, "203.0.113.99")
	wantErr(t, "t0+60s again", err, ErrRateLimited)
	if n := f.hashes.Load() - before; n != 1 {
		t.Fatalf("%d hashes since the block, want 1", n)
	}
	// A minute after the last failure everything has left the window.
	f.clock.Advance(time.Minute)
	if _, err := f.svc.Login(f.ctx, "anna@coop.it", goodPassword, "203.0.113.99"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// Success clears the account's count.
	for range 9 {
		f.svc.Login(f.ctx, "anna@coop.it", "wrong", "192.0.2.50")
	}
	if _, err := f.svc.Login(f.ctx, "anna@coop.it", goodPassword, "192.0.2.51"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Login(f.ctx, "anna@coop.it", "wrong", "192.0.2.52")
	wantErr(t, "after success", err, ErrLoginFailed)
}

func TestLoginRateLimitUnknownAccountAndPerIP(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	// An unknown address is limited exactly like a real one.
	for i := range 10 {
		f.svc.Login(f.ctx, "ghost@coop.it", "x", fmt.Sprintf("203.0.113.%d", i))
	}
	_, err := f.svc.Login(f.ctx, "ghost@coop.it", "x", "203.0.113.200")
	wantErr(t, "unknown account", err, ErrRateLimited)

	// One IP trying ten different accounts is limited too.
	for i := range 10 {
		f.svc.Login(f.ctx, fmt.Sprintf("user%d@coop.it", i), "x", "198.51.100.9")
	}
	before := f.hashes.Load()
	_, err = f.svc.Login(f.ctx, "anna@coop.it", goodPassword, "198.51.100.9")
	wantErr(t, "same IP", err, ErrRateLimited)
	if f.hashes.Load() != before {
		t.Fatal("hashed while the IP was limited")
	}
	// The account itself is fine from elsewhere.
	if _, err := f.svc.Login(f.ctx, "anna@coop.it", goodPassword, "198.51.100.10"); err != nil {
		t.Fatal(err)
	}
}

// Concurrent guesses cannot slip past the limit: each attempt is counted when it starts.
func TestLoginRateLimitConcurrent(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	before := f.hashes.Load()
	var wg sync.WaitGroup
	var mu sync.Mutex
	limited := 0
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.Login(f.ctx, "anna@coop.it", "guess", fmt.Sprintf("203.0.113.%d", i))
			if errors.Is(err, ErrRateLimited) {
				mu.Lock()
				limited++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if n := f.hashes.Load() - before; n != 10 || limited != 20 {
		t.Fatalf("%d hashes and %d refusals, want 10 and 20", n, limited)
	}
}

func TestRehashOnLogin(t *testing.T) {
	f := newFixture(t)
	u := f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	stored := func() string {
		var h string
		f.db.QueryRowContext(f.ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&h)
		return h
	}
	if !strings.HasPrefix(stored(), "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("stored %s", stored())
	}
	// The server restarts with stronger parameters: the next login rehashes.
	f.svc = f.newService(Params{Memory: 2048, Time: 2, Threads: 1})
	f.mustLogin("anna@coop.it")
	if h := stored(); !strings.HasPrefix(h, "$argon2id$v=19$m=2048,t=2,p=1$") {
		t.Fatalf("not rehashed: %s", h)
	}
	f.mustLogin("anna@coop.it")
}

func TestChangePassword(t *testing.T) {
	f := newFixture(t)
	u := f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	s := f.mustLogin("anna@coop.it")
	wantErr(t, "wrong old", f.svc.ChangePassword(f.ctx, u.ID, "nope", "Nuova-Parola-Lunga-9"), ErrWrongPassword)
	wantErr(t, "weak new", f.svc.ChangePassword(f.ctx, u.ID, goodPassword, "ciaociao1234"), ErrPasswordCommon)
	wantErr(t, "email in new", f.svc.ChangePassword(f.ctx, u.ID, goodPassword, "anna-va-al-mare-9"), ErrPasswordContainsEmail)
	if _, _, err := f.svc.Authenticate(f.ctx, s.ID); err != nil {
		t.Fatalf("refused changes ended the session: %v", err)
	}
	if err := f.svc.ChangePassword(f.ctx, u.ID, goodPassword, "Nuova-Parola-Lunga-9"); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.svc.Authenticate(f.ctx, s.ID)
	wantErr(t, "old session", err, ErrSessionInvalid)
	_, err = f.svc.Login(f.ctx, "anna@coop.it", goodPassword, "")
	wantErr(t, "old password", err, ErrLoginFailed)
	if _, err := f.svc.Login(f.ctx, "anna@coop.it", "Nuova-Parola-Lunga-9", ""); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.FindUserByID(f.ctx, root, u.ID)
	if got.PasswordChangedAt == nil || !got.PasswordChangedAt.Equal(f.clock.Now()) {
		t.Fatalf("password_changed_at %v", got.PasswordChangedAt)
	}
}
