package dashboards

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// Every state-changing route refuses a signed-in browser's request without
// a valid CSRF token, and the same request with the token goes through.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sess := e.session("hub_admin")
	other := e.session("coop_admin") // a valid token of another session is no good either

	t.Run("every unsafe route refuses a missing or foreign token", func(t *testing.T) {
		n := 0
		for _, r := range e.srv.App().GetRoutes(true) {
			if r.Method != "POST" && r.Method != "DELETE" && r.Method != "PUT" && r.Method != "PATCH" {
				continue
			}
			n++
			path := strings.NewReplacer(":token", "x", ":id<int>", "1", ":id", "1", ":coop_id", coopSole).Replace(r.Path)
			for _, token := range []string{"", other.CSRFToken()} {
				got := e.do(newReq(r.Method, path).as(sess).form(url.Values{"csrf_token": {token}}).with(csrfHeader, token))
				if got.status != 403 {
					t.Errorf("%s %s with token %q: %d, want 403", r.Method, path, token, got.status)
				}
			}
		}
		if n < 15 {
			t.Fatalf("only %d unsafe routes found", n)
		}
	})

	t.Run("form POST", func(t *testing.T) {
		v := url.Values{"name": {"Nome Nuovo"}, "lang": {"it"}}
		if got := e.do(newReq("POST", "/settings").as(sess).form(v)); got.status != 403 || !strings.Contains(got.body, "Modulo scaduto") {
			t.Fatalf("without token: %d %.200s", got.status, squash(got.body))
		}
		v.Set("csrf_token", sess.CSRFToken())
		if got := e.do(newReq("POST", "/settings").as(sess).form(v)); got.status != 303 {
			t.Fatalf("with token: %d %.200s", got.status, squash(got.body))
		}
		u, _ := e.auth.FindUserByID(ctx, e.users["hub_admin"].Scope(), e.users["hub_admin"].ID)
		if u.Name != "Nome Nuovo" {
			t.Fatalf("name not saved: %q", u.Name)
		}
	})

	t.Run("visitor's login form needs the double-submit value", func(t *testing.T) {
		v := url.Values{"email": {e.users["staff"].Email}, "password": {testPassword}}
		if got := e.do(newReq("POST", "/login").form(v)); got.status != 403 {
			t.Fatalf("no token: %d", got.status)
		}
		v.Set("csrf_token", anonCSRF)
		if got := e.do(newReq("POST", "/login").form(v).cookie(csrfCookie, "another-value-0123456789abcdef0123456789")); got.status != 403 {
			t.Fatalf("token not matching the cookie: %d", got.status)
		}
		got := e.do(newReq("POST", "/login").form(v).cookie(csrfCookie, anonCSRF))
		if got.status != 303 || got.cookie(sessionCookie) == nil {
			t.Fatalf("matching token: %d", got.status)
		}
	})

	file := part{name: "file", file: "lavoratori.csv", data: workersOf(t, coopSole)}
	t.Run("session API upload needs the header", func(t *testing.T) {
		path := "/api/v1/cooperatives/" + coopSole + "/uploads?dataset=workers"
		if got := e.do(newReq("POST", path).as(sess).multipart(file)); got.status != 403 {
			t.Fatalf("no header: %d %s", got.status, got.body)
		}
		// The API takes the header only, not a form field.
		if got := e.do(newReq("POST", path).as(sess).multipart(part{name: "csrf_token", data: []byte(sess.CSRFToken())}, file)); got.status != 403 {
			t.Fatalf("field instead of header: %d %s", got.status, got.body)
		}
		got := e.do(newReq("POST", path).as(sess).with(csrfHeader, sess.CSRFToken()).multipart(file))
		var rep struct{ Status string }
		json.Unmarshal([]byte(got.body), &rep)
		if got.status != 200 || rep.Status != "loaded" {
			t.Fatalf("with header: %d %s", got.status, got.body)
		}
	})

	t.Run("bearer token needs no CSRF token", func(t *testing.T) {
		u := e.users["coop_admin"]
		raw, err := e.auth.CreateAPIToken(ctx, u.Scope(), u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		got := e.do(newReq("POST", "/api/v1/cooperatives/"+coopSole+"/uploads?dataset=workers").with("Authorization", "Bearer "+raw).multipart(file))
		var rep struct{ Status string }
		json.Unmarshal([]byte(got.body), &rep)
		if got.status != 200 || rep.Status != "unchanged" {
			t.Fatalf("bearer upload: %d %s", got.status, got.body)
		}
		if got := e.do(newReq("GET", "/api/v1/me").with("Authorization", "Bearer cit_"+strings.Repeat("A", 43))); got.status != 401 {
			t.Fatalf("unknown bearer: %d", got.status)
		}
	})

	t.Run("page upload: the token must come before the file", func(t *testing.T) {
		tmp := e.deps.TempDir
		before := countFiles(t, tmp)
		got := e.do(newReq("POST", "/coops/"+coopSole+"/upload").as(sess).multipart(file, part{name: "csrf_token", data: []byte(sess.CSRFToken())}))
		if got.status != 403 {
			t.Fatalf("token after the file: %d", got.status)
		}
		if after := countFiles(t, tmp); after != before {
			t.Fatalf("a temporary file was left: %d -> %d", before, after)
		}
		got = e.do(newReq("POST", "/coops/"+coopSole+"/upload").as(sess).multipart(part{name: "csrf_token", data: []byte(sess.CSRFToken())}, file))
		if got.status != 200 || !strings.Contains(got.body, "Invariato") {
			t.Fatalf("token first: %d %.300s", got.status, squash(got.body))
		}
		if after := countFiles(t, tmp); after != before {
			t.Fatalf("temporary upload not removed: %d -> %d", before, after)
		}
	})
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "upload-*"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}
