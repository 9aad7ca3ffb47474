package dashboards

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"coopimpact/internal/auth"
)

// Expected statuses in roleKeys order: anon, hub_admin, hub_analyst, coop_admin, board, staff.
type want [6]int

// all is the same status for every role.
func all(s int) want { return want{s, s, s, s, s, s} }

// signedIn: the anonymous get a (page: 303 to the login form; API: 401), everyone else b.
func signedIn(a, b int) want { return want{a, b, b, b, b, b} }

// authzCase is one request to a route, made once per role.
type authzCase struct {
	name string
	// build makes the request for a role; sess is the role's fresh session
	// (nil when anonymous) and csrf a token valid for it.
	build func(e *env, role string, sess *auth.Session, csrf string) *req
	want  want
}

// TestAuthorisationEveryRouteEveryRole walks every route the app registers
// and makes each of its cases as every role, own cooperative and the other
// one. A route without an entry fails the test.
func TestAuthorisationEveryRouteEveryRole(t *testing.T) {
	// The login limiter is TestLoginBruteForce's subject; here wrong passwords are only one more request.
	e := newEnv(t, func(a *auth.Service) { a.MaxFailures = 1000 })
	ctx := context.Background()
	soleRun := e.load(coopSole, "workers", "lavoratori_sole.csv", workersOf(t, coopSole)).RunID
	lunaRun := e.load(coopLuna, "workers", "lavoratori_luna.csv", workersOf(t, coopLuna)).RunID
	presigned, err := e.blob.PresignGet(ctx, mustPut(t, e), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	lunaAdmin := e.users["other_admin"]
	if _, err := e.auth.CreateAPIToken(ctx, lunaAdmin.Scope(), lunaAdmin.ID, "script"); err != nil {
		t.Fatal(err)
	}
	lunaTokens, _ := e.auth.FindAPITokens(ctx, lunaAdmin.Scope(), lunaAdmin.ID)

	// Request shapes.
	get := func(path string) func(*env, string, *auth.Session, string) *req {
		return func(_ *env, _ string, s *auth.Session, _ string) *req { return newReq("GET", path).as(s) }
	}
	formPost := func(path string, v url.Values) func(*env, string, *auth.Session, string) *req {
		return func(_ *env, role string, s *auth.Session, csrf string) *req {
			vals := url.Values{"csrf_token": {csrf}}
			for k, vs := range v {
				vals[k] = vs
			}
			r := newReq("POST", path).as(s).form(vals)
			if s == nil {
				r.cookie(csrfCookie, anonCSRF)
			}
			return r
		}
	}
	// target makes a fresh account per request (disabling one must not disturb the next).
	userPost := func(suffix string, coop string, v url.Values) func(*env, string, *auth.Session, string) *req {
		return func(e *env, role string, s *auth.Session, csrf string) *req {
			u := e.fresh(auth.RoleStaff, coop)
			if suffix == "/enable" {
				e.auth.DisableUser(ctx, auth.Scope{Role: auth.RoleHubAdmin, Email: "test"}, u.ID)
			}
			return formPost("/users/"+strconv.FormatInt(u.ID, 10)+suffix, v)(e, role, s, csrf)
		}
	}
	upload := func(path, coop string) func(*env, string, *auth.Session, string) *req {
		return func(_ *env, _ string, s *auth.Session, csrf string) *req {
			r := newReq("POST", path).as(s).multipart(part{name: "csrf_token", data: []byte(csrf)},
				part{name: "dataset", data: []byte("workers")}, part{name: "file", file: "lavoratori.csv", data: workersOf(t, coop)})
			if s == nil {
				r.cookie(csrfCookie, anonCSRF)
			}
			return r
		}
	}
	apiUpload := func(coop string) func(*env, string, *auth.Session, string) *req {
		return func(_ *env, _ string, s *auth.Session, csrf string) *req {
			return newReq("POST", "/api/v1/cooperatives/"+coop+"/uploads?dataset=workers").as(s).with(csrfHeader, csrf).
				multipart(part{name: "file", file: "lavoratori.csv", data: workersOf(t, coop)})
		}
	}
	staffList := []byte("nome;email;ruolo\nAnna Neri;anna.neri.%d@sole.test.it;staff\n")
	importPost := func(_ *env, role string, s *auth.Session, csrf string) *req {
		r := newReq("POST", "/users/import").as(s).multipart(part{name: "csrf_token", data: []byte(csrf)},
			part{name: "coop_id", data: []byte(coopSole)},
			part{name: "file", file: "personale.csv", data: []byte(fmt.Sprintf(string(staffList), e.seq.Add(1)))})
		if s == nil {
			r.cookie(csrfCookie, anonCSRF)
		}
		return r
	}
	revokeOwn := func(e *env, role string, s *auth.Session, csrf string) *req {
		id := int64(999999)
		if s != nil {
			u := e.users[role]
			e.auth.CreateAPIToken(ctx, u.Scope(), u.ID, "mine")
			ts, _ := e.auth.FindAPITokens(ctx, u.Scope(), u.ID)
			id = ts[0].ID
		}
		return formPost("/settings/tokens/"+strconv.FormatInt(id, 10)+"/revoke", nil)(e, role, s, csrf)
	}
	newUser := func(e *env, role string, s *auth.Session, csrf string) *req {
		return formPost("/users", url.Values{"email": {fmt.Sprintf("nuovo%d@sole.test.it", e.seq.Add(1))},
			"role": {"staff"}, "coop_id": {coopSole}, "lang": {"it"}})(e, role, s, csrf)
	}
	apiSession := func(method string) func(*env, string, *auth.Session, string) *req {
		return func(_ *env, _ string, s *auth.Session, csrf string) *req {
			r := newReq(method, "/api/v1/session").as(s).with(csrfHeader, csrf)
			if method == "POST" {
				r.json(`{"email":"nessuno@rete.test.it","password":"sbagliata-davvero"}`)
			}
			return r
		}
	}
	sole, luna := "/coops/"+coopSole, "/coops/"+coopLuna
	apiSole, apiLuna := "/api/v1/cooperatives/"+coopSole, "/api/v1/cooperatives/"+coopLuna
	const (
		ok, seeOther, noContent  = 200, 303, 204
		unauth, forbid, notFound = 401, 403, 404
		invalid                  = 422
	)
	// Own cooperative / other cooperative for routes only admins reach.
	adminsOwn := want{seeOther, ok, forbid, ok, forbid, forbid}
	adminsOther := want{seeOther, ok, forbid, notFound, notFound, notFound}
	// Accounts: the hub admin and the cooperative's admin manage; others do not see them.
	manageOwn := func(s int) want { return want{seeOther, s, notFound, s, notFound, notFound} }
	manageOther := func(s int) want { return want{seeOther, s, notFound, notFound, notFound, notFound} }
	adminsOnly := want{seeOther, ok, forbid, ok, forbid, forbid}
	hubAdminOnly := want{seeOther, ok, forbid, forbid, forbid, forbid}

	table := map[string][]authzCase{
		"GET /healthz":          {{"", get("/healthz"), all(ok)}},
		"GET /readyz":           {{"", get("/readyz"), all(ok)}},
		"GET /metrics":          {{"", get("/metrics"), want{unauth, ok, forbid, forbid, forbid, forbid}}},
		"GET /static/*":         {{"", get(e.srv.assets.URL("app.css")), all(ok)}},
		"GET /blob/*":           {{"", get(presigned), all(ok)}},
		"GET /login":            {{"", get("/login"), signedIn(ok, seeOther)}},
		"POST /login":           {{"wrong password", formPost("/login", url.Values{"email": {"hub@rete.test.it"}, "password": {"non-e-questa-1234"}}), all(unauth)}},
		"POST /logout":          {{"", formPost("/logout", nil), all(seeOther)}},
		"GET /reset/:token":     {{"bogus link", get("/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), all(invalid)}},
		"POST /reset/:token":    {{"bogus link", formPost("/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", url.Values{"password": {testPassword}, "confirm": {testPassword}}), all(invalid)}},
		"POST /preferences":     {{"", formPost("/preferences", url.Values{"theme": {"dark"}}), all(seeOther)}},
		"GET /password":         {{"", get("/password"), signedIn(seeOther, ok)}},
		"POST /password":        {{"wrong current", formPost("/password", url.Values{"current": {"non-e-questa-1234"}, "password": {"Nuova-Password-Lunga-9"}, "confirm": {"Nuova-Password-Lunga-9"}}), signedIn(seeOther, invalid)}},
		"GET /settings":         {{"", get("/settings"), signedIn(seeOther, ok)}},
		"POST /settings":        {{"", formPost("/settings", url.Values{"name": {"Nome"}, "lang": {"it"}}), signedIn(seeOther, seeOther)}},
		"GET /settings/tokens":  {{"", get("/settings/tokens"), signedIn(seeOther, ok)}},
		"POST /settings/tokens": {{"", formPost("/settings/tokens", url.Values{"name": {"script"}}), signedIn(seeOther, ok)}},
		"POST /settings/tokens/:id/revoke": {
			{"own token", revokeOwn, signedIn(seeOther, seeOther)},
			{"another cooperative's admin's token", formPost("/settings/tokens/"+strconv.FormatInt(lunaTokens[0].ID, 10)+"/revoke", nil), manageOther(seeOther)},
		},
		"GET /":                           {{"", get("/"), signedIn(seeOther, ok)}},
		"GET /coops":                      {{"", get("/coops"), signedIn(seeOther, ok)}},
		"GET /coops/:coop_id":             {{"own", get(sole), signedIn(seeOther, ok)}, {"other", get(luna), want{seeOther, ok, ok, notFound, notFound, notFound}}, {"nonexistent", get("/coops/NOPE"), signedIn(seeOther, notFound)}},
		"GET /templates":                  {{"", get("/templates"), signedIn(seeOther, ok)}},
		"GET /templates/:dataset/:format": {{"", get("/templates/workers/xlsx"), signedIn(seeOther, ok)}},
		"GET /upload":                     {{"", get("/upload"), hubAdminOnly}},
		"POST /upload":                    {{"", upload("/upload", coopSole), hubAdminOnly}},
		"GET /coops/:coop_id/upload":      {{"own", get(sole + "/upload"), adminsOwn}, {"other", get(luna + "/upload"), adminsOther}},
		"POST /coops/:coop_id/upload":     {{"own", upload(sole+"/upload", coopSole), adminsOwn}, {"other", upload(luna+"/upload", coopLuna), adminsOther}},
		"GET /runs":                       {{"", get("/runs"), hubAdminOnly}},
		"GET /coops/:coop_id/runs":        {{"own", get(sole + "/runs"), adminsOwn}, {"other", get(luna + "/runs"), adminsOther}},
		"GET /runs/:run_id/file": {
			{"own run", get(fmt.Sprintf("/runs/%d/file", soleRun)), manageOwn(ok)},
			{"other run", get(fmt.Sprintf("/runs/%d/file", lunaRun)), manageOther(ok)},
		},
		"GET /users":         {{"", get("/users"), adminsOnly}},
		"GET /users/new":     {{"", get("/users/new"), adminsOnly}},
		"POST /users":        {{"", newUser, want{seeOther, ok, forbid, ok, forbid, forbid}}},
		"GET /users/import":  {{"", get("/users/import"), adminsOnly}},
		"POST /users/import": {{"", importPost, adminsOnly}},
		"GET /users/:id<int>": {{"own", func(e *env, r string, s *auth.Session, c string) *req {
			return get(fmt.Sprintf("/users/%d", e.fresh(auth.RoleStaff, coopSole).ID))(e, r, s, c)
		}, manageOwn(ok)}, {"other", get(fmt.Sprintf("/users/%d", e.users["other_staff"].ID)), manageOther(ok)}},
		"POST /users/:id<int>":            {{"own", userPost("", coopSole, url.Values{"name": {"X"}, "lang": {"it"}}), manageOwn(seeOther)}, {"other", userPost("", coopLuna, url.Values{"name": {"X"}, "lang": {"it"}}), manageOther(seeOther)}},
		"POST /users/:id<int>/disable":    {{"own", userPost("/disable", coopSole, nil), manageOwn(seeOther)}, {"other", userPost("/disable", coopLuna, nil), manageOther(seeOther)}},
		"POST /users/:id<int>/enable":     {{"own", userPost("/enable", coopSole, nil), manageOwn(seeOther)}, {"other", userPost("/enable", coopLuna, nil), manageOther(seeOther)}},
		"POST /users/:id<int>/reset-link": {{"own", userPost("/reset-link", coopSole, nil), manageOwn(ok)}, {"other", userPost("/reset-link", coopLuna, nil), manageOther(ok)}},
		"GET /api/v1/openapi.json":        {{"", get("/api/v1/openapi.json"), all(ok)}},
		"POST /api/v1/session":            {{"wrong password", apiSession("POST"), all(unauth)}},
		"DELETE /api/v1/session":          {{"", apiSession("DELETE"), all(noContent)}},
		"GET /api/v1/me":                  {{"", get("/api/v1/me"), signedIn(unauth, ok)}},
		"GET /api/v1/cooperatives":        {{"", get("/api/v1/cooperatives"), signedIn(unauth, ok)}},
		"GET /api/v1/cooperatives/:coop_id/indicators": {
			{"own", get(apiSole + "/indicators?year=2024"), want{unauth, ok, ok, ok, ok, forbid}},
			{"other", get(apiLuna + "/indicators?year=2024"), want{unauth, ok, ok, notFound, notFound, notFound}},
			{"nonexistent", get("/api/v1/cooperatives/NOPE/indicators?year=2024"), want{unauth, notFound, notFound, notFound, notFound, notFound}},
		},
		"POST /api/v1/cooperatives/:coop_id/uploads": {
			{"own", apiUpload(coopSole), want{unauth, ok, forbid, ok, forbid, forbid}},
			{"other", apiUpload(coopLuna), want{unauth, ok, forbid, notFound, notFound, notFound}},
		},
		"GET /api/v1/ingest-runs/:run_id/file": {
			{"own run", get(fmt.Sprintf("/api/v1/ingest-runs/%d/file", soleRun)), want{unauth, ok, notFound, ok, notFound, notFound}},
			{"other run", get(fmt.Sprintf("/api/v1/ingest-runs/%d/file", lunaRun)), want{unauth, ok, notFound, notFound, notFound, notFound}},
			{"nonexistent", get("/api/v1/ingest-runs/999999/file"), want{unauth, notFound, notFound, notFound, notFound, notFound}},
		},
		"GET /api/v1/datasets": {{"", get("/api/v1/datasets"), signedIn(unauth, ok)}},
		"GET /api/v1/templates/:dataset/:format": {
			{"", get("/api/v1/templates/hours/csv"), signedIn(unauth, ok)},
			{"unknown dataset", get("/api/v1/templates/nope/csv"), signedIn(unauth, notFound)},
		},
		"GET /api/v1/cooperatives/:coop_id/ingest-runs": {
			{"own", get(apiSole + "/ingest-runs"), want{unauth, ok, forbid, ok, forbid, forbid}},
			{"other", get(apiLuna + "/ingest-runs"), want{unauth, ok, forbid, notFound, notFound, notFound}},
		},
	}

	registered := map[string]bool{}
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == "HEAD" {
			continue // Fiber adds HEAD to every GET route
		}
		key := r.Method + " " + r.Path
		registered[key] = true
		if _, ok := table[key]; !ok {
			t.Errorf("route %s has no entry in the authorisation table", key)
		}
	}
	keys := make([]string, 0, len(table))
	for k := range table {
		if !registered[k] {
			t.Errorf("the table lists %s, which the app does not register", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		for _, c := range table[key] {
			for i, role := range roleKeys {
				sess := e.session(role)
				csrf := anonCSRF
				if sess != nil {
					csrf = sess.CSRFToken()
				}
				r := c.build(e, role, sess, csrf)
				got := e.do(r)
				if got.status != c.want[i] {
					t.Errorf("%s [%s] as %s (%s %s): %d, want %d: %.300s", key, c.name, role, r.method, r.path, got.status, c.want[i], squash(got.body))
				}
				if got.status >= 500 || strings.Contains(got.body, "goroutine") {
					t.Errorf("%s as %s: internal failure shown: %.300s", key, role, got.body)
				}
			}
		}
	}
}

// mustPut stores a small object for the presigned-URL route.
func mustPut(t *testing.T, e *env) string {
	t.Helper()
	const key = "courses/c1/v1/video.vtt"
	if err := e.blob.Put(context.Background(), key, strings.NewReader("WEBVTT"), 6, "text/vtt"); err != nil {
		t.Fatal(err)
	}
	return key
}

// squash puts a page on one line for error messages.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
