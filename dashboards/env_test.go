package dashboards

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"coopimpact/ingest"
	"coopimpact/ingest/catalog"
	"coopimpact/internal/auth"
	"coopimpact/internal/blob"
	"coopimpact/internal/store"
)

// The two cooperatives of ingest/testdata/contract/cooperatives.csv.
const (
	coopSole = "01234567890" // the users' own cooperative
	coopLuna = "09876543210" // the other one
)

const testPassword = "Fiume-Verde-sotto-il-ponte-7"

// Roles in the order the authorisation table lists them; "anon" is nobody signed in.
var roleKeys = []string{"anon", "hub_admin", "hub_analyst", "coop_admin", "board", "staff"}

// env is a portal over a real DuckDB file, a local object store and the
// demo cooperatives loaded through ingest, with one account per role.
type env struct {
	t      *testing.T
	dir    string
	db     *store.DB
	auth   *auth.Service
	ingest *ingest.Service
	blob   *blob.Local
	deps   Deps
	srv    *Server
	users  map[string]*auth.User // by role key; "other_admin" and "other_staff" belong to coopLuna
	seq    atomic.Int64
}

// stubIndicators stands in for the metrics engine, which is not in this
// package's reach yet: it answers the documented shape with no values.
type stubIndicators struct{}

func (stubIndicators) CoopIndicators(_ context.Context, _ auth.Scope, coop string, year int) (any, error) {
	return map[string]any{"coop_id": coop, "year": year, "values": []any{}}, nil
}

// newEnv builds the env; mods are func(*Deps) (the portal's settings) or
// func(*auth.Service) (the account service's, applied before its first use).
func newEnv(t *testing.T, mods ...any) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "coopimpact.duckdb"), store.Options{TempDir: filepath.Join(dir, "tmp")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	migs := append(append(store.Core(), ingest.Migrations()...), auth.Migrations()...)
	if _, err := db.Migrate(ctx, migs); err != nil {
		t.Fatal(err)
	}
	bl, err := blob.NewLocal(filepath.Join(dir, "objects"), bytes.Repeat([]byte{7}, 32), "")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, dir: dir, db: db, blob: bl}
	e.ingest = &ingest.Service{DB: db, Blob: bl, Catalog: catalog.Default(), PseudoKey: bytes.Repeat([]byte{1}, 32),
		ArchiveKey: bytes.Repeat([]byte{2}, 32), TempDir: filepath.Join(dir, "tmp")}
	rep, err := e.ingest.Ingest(ctx, ingest.Scope{User: "test", Hub: true, Admin: true},
		ingest.Request{Dataset: "cooperatives", FileName: "cooperatives.csv", Path: filepath.Join("..", "ingest", "testdata", "contract", "cooperatives.csv")})
	if err != nil || rep.Status != ingest.StatusLoaded {
		t.Fatalf("loading the cooperatives: %v %+v", err, rep)
	}
	e.auth = e.newAuth()
	for _, m := range mods {
		if f, ok := m.(func(*auth.Service)); ok {
			f(e.auth)
		}
	}
	root := auth.Scope{Role: auth.RoleHubAdmin, Email: "test"}
	e.users = map[string]*auth.User{}
	for _, u := range []struct{ key, email, role, coop string }{
		{"hub_admin", "hub@rete.test.it", "hub_admin", ""},
		{"hub_analyst", "analista@rete.test.it", "hub_analyst", ""},
		{"coop_admin", "referente@sole.test.it", "coop_admin", coopSole},
		{"board", "consiglio@sole.test.it", "board", coopSole},
		{"staff", "operatrice@sole.test.it", "staff", coopSole},
		{"other_admin", "referente@luna.test.it", "coop_admin", coopLuna},
		{"other_staff", "operatore@luna.test.it", "staff", coopLuna},
	} {
		e.users[u.key] = e.mustCreate(root, u.email, auth.Role(u.role), u.coop)
	}
	e.deps = Deps{DB: db, Blob: bl, BlobHandler: bl.PresignedHandler(), Store: db, Auth: e.auth, Ingest: e.ingest,
		Indicators: stubIndicators{}, TempDir: filepath.Join(dir, "tmp"), Version: "test",
		Log: discardLog()}
	for _, m := range mods {
		if f, ok := m.(func(*Deps)); ok {
			f(&e.deps)
		}
	}
	e.srv = e.newServer()
	return e
}

// newAuth is an account service on the env's database with cheap hashing
// (the default argon2id cost is the auth package's own test's business).
func (e *env) newAuth() *auth.Service {
	return &auth.Service{DB: e.db, Params: auth.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
}

// newServer is another portal over the same dependencies (a restart).
func (e *env) newServer() *Server {
	s, err := New(e.deps)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *env) mustCreate(by auth.Scope, email string, role auth.Role, coop string) *auth.User {
	e.t.Helper()
	u, err := e.auth.CreateUser(context.Background(), by, auth.NewUser{Email: email, Name: email, Role: role, CoopID: coop, Password: testPassword})
	if err != nil {
		e.t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// fresh creates a throwaway account (a target for disabling and the like).
func (e *env) fresh(role auth.Role, coop string) *auth.User {
	n := e.seq.Add(1)
	return e.mustCreate(auth.Scope{Role: auth.RoleHubAdmin, Email: "test"}, fmt.Sprintf("persona%d@%s.test.it", n, strings.ToLower(coop)), role, coop)
}

// session signs a role in through the service (nil for "anon").
func (e *env) session(role string) *auth.Session {
	e.t.Helper()
	if role == "anon" {
		return nil
	}
	u := e.users[role]
	s, err := e.auth.Login(context.Background(), u.Email, testPassword, "")
	if err != nil {
		e.t.Fatalf("login %s: %v", role, err)
	}
	return s
}

// response is what a test looks at.
type response struct {
	status  int
	body    string
	header  http.Header
	cookies []*http.Cookie
}

func (r response) cookie(name string) *http.Cookie {
	for _, c := range r.cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// req is one request under construction.
type req struct {
	method, path string
	body         io.Reader
	ctype        string
	header       map[string]string
	cookies      []*http.Cookie
}

func newReq(method, path string) *req {
	return &req{method: method, path: path, header: map[string]string{}}
}

// as sends the session cookie (nil: none).
func (r *req) as(s *auth.Session) *req {
	if s != nil {
		r.cookies = append(r.cookies, &http.Cookie{Name: sessionCookie, Value: s.ID})
	}
	return r
}

func (r *req) with(k, v string) *req { r.header[k] = v; return r }

func (r *req) cookie(name, value string) *req {
	r.cookies = append(r.cookies, &http.Cookie{Name: name, Value: value})
	return r
}

func (r *req) form(v url.Values) *req {
	r.body, r.ctype = strings.NewReader(v.Encode()), "application/x-www-form-urlencoded"
	return r
}

func (r *req) json(s string) *req {
	r.body, r.ctype = strings.NewReader(s), "application/json"
	return r
}

// part is one field of a multipart body, in order.
type part struct {
	name, file string // file "" for a plain field
	data       []byte
}

func (r *req) multipart(parts ...part) *req {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		if p.file == "" {
			w.WriteField(p.name, string(p.data))
			continue
		}
		fw, _ := w.CreateFormFile(p.name, p.file)
		fw.Write(p.data)
	}
	w.Close()
	r.body, r.ctype = &buf, w.FormDataContentType()
	return r
}

// anonCSRF is a visitor's double-submit value: cookie and field alike.
const anonCSRF = "visitor-csrf-value-0123456789abcdef0123"

func (e *env) do(r *req) response {
	return e.doOn(e.srv, r)
}

func (e *env) doOn(s *Server, r *req) response {
	e.t.Helper()
	hr := httptest.NewRequest(r.method, r.path, r.body)
	if hr.ContentLength == -1 {
		hr.TransferEncoding = []string{"chunked"} // a body of unknown length
	}
	if r.ctype != "" {
		hr.Header.Set("Content-Type", r.ctype)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	for _, c := range r.cookies {
		hr.AddCookie(c)
	}
	resp, err := s.App().Test(hr, -1)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: string(b), header: resp.Header, cookies: resp.Cookies()}
}

// load puts a file into a cooperative through the ingest service (hub rights).
func (e *env) load(coop, dataset, name string, data []byte) *ingest.Report {
	e.t.Helper()
	p := filepath.Join(e.t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		e.t.Fatal(err)
	}
	rep, err := e.ingest.Ingest(context.Background(), ingest.Scope{User: "test", Hub: true, Admin: true},
		ingest.Request{Dataset: dataset, CoopID: coop, FileName: name, Path: p})
	if err != nil {
		e.t.Fatalf("load %s: %v", name, err)
	}
	return rep
}

// workersOf is the contract's workers file cut to one cooperative's rows.
func workersOf(t *testing.T, coop string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "ingest", "testdata", "contract", "workers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	w.Comma = ';'
	w.Write(recs[0])
	for _, rec := range recs[1:] {
		if rec[0] == coop {
			w.Write(rec)
		}
	}
	w.Flush()
	return out.Bytes()
}
