package dashboards

import (
	"context"
	"encoding/json"
	"html"
	"strconv"
	"strings"
	"testing"

	"coopimpact/ingest"
	"coopimpact/internal/auth"
)

// badWorkers has three rows, two of them with a problem each (hand-checked:
// line 3 gender "Q" is not F/M/X, line 4 birth_year "millenovecento" is not a year).
const badWorkers = "coop_id;person_id;gender;birth_year;is_member;contract_type;fte;start_date;end_date;exit_reason;role_category;is_manager;annual_gross_pay;is_disadvantaged;disadvantage_category\n" +
	"01234567890;RSSMRA80A01H501U;F;1980;sì;indeterminato;0,75;01/02/2020;;;direct_care;no;28.500,00;no;\n" +
	"01234567890;VRDLGU75B02F205X;Q;1975;no;permanent;1;2019-05-01;;;management;sì;45000;no;\n" +
	"01234567890;BNCLRA90C43A944K;F;millenovecento;sì;determinato;0,5;15/03/2022;;;admin;no;22000,5;no;\n"

var wantProblems = []struct {
	line          int64
	column, value string
	rule          string
}{
	{3, "gender", "Q", "enum"},
	{4, "birth_year", "millenovecento", "type"},
}

// The same file through the API gives the JSON report, and through the
// upload page every problem in the user's language.
func TestUploadProblemsShown(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.session("coop_admin")
	bad := part{name: "file", file: "lavoratori.csv", data: []byte(badWorkers)}

	got := e.do(newReq("POST", "/api/v1/cooperatives/"+coopSole+"/uploads?dataset=workers").as(admin).with(csrfHeader, admin.CSRFToken()).multipart(bad))
	var rep ingest.Report
	if err := json.Unmarshal([]byte(got.body), &rep); err != nil {
		t.Fatal(err, got.body)
	}
	if got.status != 422 || rep.Status != "rejected" || rep.Dataset != "workers" || rep.File != "lavoratori.csv" ||
		rep.RowsRead != 3 || rep.RowsLoaded != 0 || rep.ProblemsTotal != 2 || len(rep.Problems) != 2 || rep.RunID == 0 || len(rep.SHA256) != 64 {
		t.Fatalf("API report: %d %s", got.status, got.body)
	}
	for i, w := range wantProblems {
		p := rep.Problems[i]
		if p.Line != w.line || p.Column != w.column || p.Value != w.value || p.Rule != w.rule || p.MessageIt == "" || p.MessageEn == "" || p.MessageIt == p.MessageEn {
			t.Errorf("problem %d: %+v, want %+v", i, p, w)
		}
	}

	page := func(s *auth.Session, htmx bool) string {
		t.Helper()
		r := newReq("POST", "/coops/"+coopSole+"/upload").as(s).
			multipart(part{name: "csrf_token", data: []byte(s.CSRFToken())}, part{name: "dataset", data: []byte("workers")}, bad)
		if htmx {
			r.with("HX-Request", "true")
		}
		got := e.do(r)
		if got.status != 200 {
			t.Fatalf("page upload: %d %.300s", got.status, squash(got.body))
		}
		return html.UnescapeString(got.body)
	}
	// Each problem is a table row: line, sheet, column, value, rule in words.
	row := func(p ingest.Problem, msg string) string {
		return "<td>" + itoa(p.Line) + "</td><td></td><td>" + p.Column + "</td>\n      <td>" + p.Value + "</td>\n      <td>" + msg + "</td>"
	}

	it := page(admin, false)
	for _, want := range []string{`<html lang="it"`, "Respinto", "lavoratori.csv: nessuna riga caricata perché 2 righe hanno problemi.", "Problemi trovati"} {
		if !strings.Contains(it, want) {
			t.Errorf("Italian page lacks %q", want)
		}
	}
	for _, p := range rep.Problems {
		if !strings.Contains(it, row(p, p.MessageIt)) {
			t.Errorf("Italian page lacks the row of line %d: %s", p.Line, row(p, p.MessageIt))
		}
		if strings.Contains(it, p.MessageEn) {
			t.Errorf("Italian page shows the English %q", p.MessageEn)
		}
	}

	lang := "en"
	if _, err := e.auth.UpdateUser(ctx, e.users["coop_admin"].Scope(), e.users["coop_admin"].ID, auth.UserUpdate{Lang: &lang}); err != nil {
		t.Fatal(err)
	}
	en := page(e.session("coop_admin"), false)
	for _, want := range []string{`<html lang="en"`, "Rejected", "Problems found"} {
		if !strings.Contains(en, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	for _, p := range rep.Problems {
		if !strings.Contains(en, row(p, p.MessageEn)) {
			t.Errorf("English page lacks the row of line %d: %s", p.Line, row(p, p.MessageEn))
		}
	}

	// htmx gets the results alone, to swap under the form.
	frag := page(e.session("coop_admin"), true)
	if strings.Contains(frag, "<html") || !strings.Contains(frag, row(rep.Problems[0], rep.Problems[0].MessageEn)) {
		t.Errorf("htmx fragment: %.300s", squash(frag))
	}
}

// Several files at once, one of them not a data table at all: each gets its report.
func TestUploadSeveralFilesAndRefusal(t *testing.T) {
	e := newEnv(t)
	admin := e.session("coop_admin")
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	got := e.do(newReq("POST", "/coops/"+coopSole+"/upload").as(admin).multipart(
		part{name: "csrf_token", data: []byte(admin.CSRFToken())},
		part{name: "file", file: "lavoratori.csv", data: workersOf(t, coopSole)},
		part{name: "file", file: "foto.csv", data: png}))
	body := html.UnescapeString(got.body)
	if got.status != 200 || !strings.Contains(body, "Caricato") || !strings.Contains(body, "Rifiutato") ||
		!strings.Contains(body, "lavoratori.csv: caricate 2 righe in «Lavoratori (rapporti di lavoro)»") || !strings.Contains(body, "foto.csv: è un file") {
		t.Fatalf("%d %s", got.status, squash(body))
	}
	// The API answers a refusal with 400 and the report.
	got = e.do(newReq("POST", "/api/v1/cooperatives/"+coopSole+"/uploads").as(admin).with(csrfHeader, admin.CSRFToken()).
		multipart(part{name: "file", file: "foto.csv", data: png}))
	var rep ingest.Report
	json.Unmarshal([]byte(got.body), &rep)
	if got.status != 400 || rep.Status != "refused" || rep.Error == nil || !strings.HasPrefix(rep.Error.En, "foto.csv: it is a") {
		t.Fatalf("API refusal: %d %s", got.status, got.body)
	}
	// The history lists the load with who made it.
	got = e.do(newReq("GET", "/api/v1/cooperatives/"+coopSole+"/ingest-runs").as(admin))
	var runs []ingest.Run
	json.Unmarshal([]byte(got.body), &runs)
	if got.status != 200 || len(runs) != 1 || runs[0].Status != "loaded" || runs[0].UploadedBy != e.users["coop_admin"].Email || runs[0].RowsLoaded != 2 {
		t.Fatalf("runs: %d %s", got.status, got.body)
	}
	page := e.do(newReq("GET", "/coops/"+coopSole+"/runs").as(admin))
	if !strings.Contains(page.body, e.users["coop_admin"].Email) || !strings.Contains(page.body, "lavoratori.csv") {
		t.Fatalf("runs page: %.400s", squash(page.body))
	}
	// The file of the run downloads as it was sent.
	dl := e.do(newReq("GET", "/runs/"+itoa(runs[0].RunID)+"/file").as(admin))
	if dl.status != 200 || dl.body != string(workersOf(t, coopSole)) || !strings.Contains(dl.header.Get("Content-Disposition"), `filename="lavoratori.csv"`) {
		t.Fatalf("download: %d %q %v", dl.status, dl.body, dl.header)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
