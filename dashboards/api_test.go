package dashboards

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"coopimpact/internal/auth"
)

// A script signed in with a session gets its CSRF token from the API itself
// (on signing in, and again from /api/v1/me) and can then change state.
func TestAPISessionCarriesItsCSRFToken(t *testing.T) {
	e := newEnv(t)
	body := `{"email":"` + e.users["coop_admin"].Email + `","password":"` + testPassword + `"}`
	login := e.do(newReq("POST", "/api/v1/session").json(body))
	c, token := login.cookie(sessionCookie), login.header.Get(csrfHeader)
	if login.status != 204 || c == nil || len(token) < 32 {
		t.Fatalf("login: %d, cookie %v, token %q", login.status, c, token)
	}
	me := e.do(newReq("GET", "/api/v1/me").cookie(sessionCookie, c.Value))
	again := me.header.Get(csrfHeader)
	if me.status != 200 || len(again) < 32 {
		t.Fatalf("me: %d, token %q", me.status, again)
	}
	// Over a live session, signing in again and signing out need the token.
	if got := e.do(newReq("POST", "/api/v1/session").json(body).cookie(sessionCookie, c.Value)); got.status != 403 {
		t.Fatalf("login over a live session without the token: %d, want 403", got.status)
	}
	if got := e.do(newReq("POST", "/api/v1/session").json(body).cookie(sessionCookie, c.Value).with(csrfHeader, again)); got.status != 204 {
		t.Fatalf("login over a live session with the token: %d %s", got.status, got.body)
	}
	second := e.do(newReq("POST", "/api/v1/session").json(body)).cookie(sessionCookie)
	if got := e.do(newReq("DELETE", "/api/v1/session").cookie(sessionCookie, second.Value)); got.status != 403 {
		t.Fatalf("logout without the token: %d, want 403", got.status)
	}
	tok := e.do(newReq("GET", "/api/v1/me").cookie(sessionCookie, second.Value)).header.Get(csrfHeader)
	if got := e.do(newReq("DELETE", "/api/v1/session").cookie(sessionCookie, second.Value).with(csrfHeader, tok)); got.status != 204 {
		t.Fatalf("logout with the token from /me: %d %s", got.status, got.body)
	}
	if got := e.do(newReq("GET", "/api/v1/me").cookie(sessionCookie, second.Value)); got.status != 401 {
		t.Fatalf("after logout: %d", got.status)
	}
}

// Without ?year the indicators are the latest year's, as `metrics show` gives them.
func TestIndicatorsYearIsOptional(t *testing.T) {
	var asked []int
	e := newEnv(t, func(d *Deps) {
		d.Indicators = IndicatorReaderFunc(func(_ context.Context, _ auth.Scope, coop string, year int) (any, error) {
			asked = append(asked, year)
			return map[string]any{"coop_id": coop, "year": 2025, "values": []any{}}, nil
		})
	})
	s := e.session("board")
	for _, q := range []string{"", "?year=2023"} {
		if got := e.do(newReq("GET", "/api/v1/cooperatives/"+coopSole+"/indicators"+q).as(s)); got.status != 200 {
			t.Fatalf("%q: %d %s", q, got.status, got.body)
		}
	}
	if len(asked) != 2 || asked[0] != 0 || asked[1] != 2023 {
		t.Fatalf("years asked of the engine: %v, want [0 2023] (0: the latest)", asked)
	}
}

// A reset link opens an account for a day: its token never reaches the log.
func TestResetTokensStayOutOfTheLog(t *testing.T) {
	var log strings.Builder
	e := newEnv(t, func(d *Deps) { d.Log = newTextLogger(&log) })
	token, err := e.auth.CreateResetToken(context.Background(), e.users["hub_admin"].Scope(), e.users["staff"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.do(newReq("GET", "/reset/"+token)); got.status != 200 {
		t.Fatalf("reset page: %d", got.status)
	}
	e.do(newReq("GET", "/reset/"+token+"/x"))
	if strings.Contains(log.String(), token) || !strings.Contains(log.String(), "path=/reset/[redacted]") {
		t.Fatalf("log:\n%s", log.String())
	}
}

// Times are shown in Italy's time zone, whatever the server's.
func TestDateTimesInItalianTime(t *testing.T) {
	v := &view{Lang: "it"}
	summer := time.Date(2026, 7, 1, 10, 30, 0, 0, time.UTC)
	winter := time.Date(2026, 1, 15, 23, 30, 0, 0, time.UTC)
	if got := v.DateTime(summer); !strings.Contains(got, "12:30") || !strings.Contains(got, "01/07/2026") {
		t.Errorf("summer: %q, want 01/07/2026 12:30 (CEST)", got)
	}
	if got := v.DateTime(&winter); !strings.Contains(got, "00:30") || !strings.Contains(got, "16/01/2026") {
		t.Errorf("winter: %q, want 16/01/2026 00:30 (CET)", got)
	}
}

// A script with an API token finds the datasets, fetches a template and
// downloads a run's file exactly as it was received.
func TestAPIDatasetsTemplatesAndRunFiles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.users["coop_admin"]
	raw, err := e.auth.CreateAPIToken(ctx, admin.Scope(), admin.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	bearer := "Bearer " + raw
	got := e.do(newReq("GET", "/api/v1/datasets").with("Authorization", bearer))
	var sets []struct {
		Name    string            `json:"name"`
		Title   map[string]string `json:"title"`
		Level   string            `json:"level"`
		Columns []struct {
			Name     string `json:"name"`
			Required bool   `json:"required"`
		} `json:"columns"`
		TemplateCSV string `json:"template_csv"`
	}
	if err := json.Unmarshal([]byte(got.body), &sets); err != nil || got.status != 200 {
		t.Fatalf("datasets: %d %v %.200s", got.status, err, got.body)
	}
	var hours string
	for _, d := range sets {
		if d.Name == "hours" {
			for _, c := range d.Columns {
				if c.Required {
					hours += c.Name + " "
				}
			}
			if d.Title["it"] != "Ore lavorate" || d.Level != "coop" || d.TemplateCSV != "/api/v1/templates/hours/csv" {
				t.Errorf("hours: %+v", d)
			}
		}
	}
	if len(sets) != 15 || hours != "coop_id person_id month activity hours " {
		t.Fatalf("%d datasets; hours' required columns %q", len(sets), hours)
	}

	tpl := e.do(newReq("GET", "/api/v1/templates/hours/csv").with("Authorization", bearer))
	if tpl.status != 200 || !strings.HasPrefix(tpl.header.Get("Content-Type"), "text/csv") || !strings.Contains(tpl.body, "Modello coopimpact: Ore lavorate (hours)") {
		t.Fatalf("template: %d %q %.200s", tpl.status, tpl.header.Get("Content-Type"), tpl.body)
	}
	if got := e.do(newReq("GET", "/api/v1/templates/hours/pdf").with("Authorization", bearer)); got.status != 404 || !strings.Contains(got.body, `"code"`) {
		t.Fatalf("unknown format: %d %s", got.status, got.body)
	}

	data := workersOf(t, coopSole)
	run := e.load(coopSole, "workers", "lavoratori.csv", data).RunID
	file := e.do(newReq("GET", "/api/v1/ingest-runs/"+itoa(run)+"/file").with("Authorization", bearer))
	if file.status != 200 || file.body != string(data) || !strings.Contains(file.header.Get("Content-Disposition"), "lavoratori.csv") {
		t.Fatalf("run file: %d %q, %d bytes (want %d)", file.status, file.header.Get("Content-Disposition"), len(file.body), len(data))
	}
	other := e.load(coopLuna, "workers", "altri.csv", workersOf(t, coopLuna)).RunID
	if got := e.do(newReq("GET", "/api/v1/ingest-runs/"+itoa(other)+"/file").with("Authorization", bearer)); got.status != 404 {
		t.Fatalf("another cooperative's run: %d, want 404", got.status)
	}
}
