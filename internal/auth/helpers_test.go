package auth

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"coopimpact/internal/store"
)

// testParams keep each hash cheap (1 MiB, one pass) so the suite stays fast;
// the default parameters are exercised by TestDefaultParams and the benchmark.
var testParams = Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// clock is the injected time: it moves only when a test says so.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	t      *testing.T
	ctx    context.Context
	db     *store.DB
	svc    *Service
	clock  *clock
	hashes *atomic.Int64 // argon2id computations so far
}

// root is the hub admin's rights without an account (like the CLI's).
var root = Scope{Role: RoleHubAdmin, Email: "cli:test"}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "auth.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// The real cooperatives table comes from the ingest migrations; this is its key column.
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS cooperatives (coop_id VARCHAR, name VARCHAR);
		INSERT INTO cooperatives VALUES ('COOP_A', 'Coop A'), ('COOP_B', 'Coop B'), ('01234567890', 'Coop Sole')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx, append(store.Core(), Migrations()...)); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, db: db, clock: &clock{t: time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)}, hashes: &atomic.Int64{}}
	f.svc = f.newService(testParams)
	return f
}

// newService is another Service on the same database (a restart, or new settings).
func (f *fixture) newService(p Params) *Service {
	s := &Service{DB: f.db, Now: f.clock.Now, Params: p}
	s.kdf = func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
		f.hashes.Add(1)
		return argon2.IDKey(password, salt, time, memory, threads, keyLen)
	}
	return s
}

const goodPassword = "Fiume-Verde-sotto-il-ponte-7"

func (f *fixture) mustCreate(by Scope, email string, role Role, coop string) *User {
	f.t.Helper()
	u, err := f.svc.CreateUser(f.ctx, by, NewUser{Email: email, Name: email, Role: role, CoopID: coop, Password: goodPassword})
	if err != nil {
		f.t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func (f *fixture) mustLogin(email string) *Session {
	f.t.Helper()
	s, err := f.svc.Login(f.ctx, email, goodPassword, "192.0.2.1")
	if err != nil {
		f.t.Fatalf("login %s: %v", email, err)
	}
	return s
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.QueryRowContext(f.ctx, q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// wantErr checks err against want: nil, a kind sentinel, or a template *Error (by code).
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Errorf("%s: unexpected error %v", what, err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Errorf("%s: got %v, want %v", what, err, want)
	}
}
