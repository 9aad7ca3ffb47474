package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"coopimpact/ingest/catalog"
	"coopimpact/internal/blob"
	"coopimpact/internal/store"
	"coopimpact/internal/testsupport"
)

var (
	hub       = Scope{User: "hub@test", Hub: true, Admin: true}
	coopSole  = "01234567890"
	coopLuna  = "09876543210"
	soleAdmin = Scope{User: "admin@sole", CoopID: coopSole, Admin: true}
)

type fixture struct {
	svc  *Service
	db   *store.DB
	dir  string
	blob *blob.Local
}

// newFixture opens a real DuckDB file and a local object store in a temp dir.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	db := testsupport.OpenDB(t, dir, "t.duckdb", Migrations()...)
	bl := testsupport.LocalBlob(t, dir)
	svc := &Service{DB: db, Blob: bl, Catalog: catalog.Default(), PseudoKey: testsupport.PseudoKey(),
		ArchiveKey: testsupport.ArchiveKey(), TempDir: filepath.Join(dir, "tmp")}
	return &fixture{svc: svc, db: db, dir: dir, blob: bl}
}

func (f *fixture) load(t *testing.T, sc Scope, req Request) *Report {
	t.Helper()
	if req.FileName == "" {
		req.FileName = req.Path
	}
	rep, err := f.svc.Ingest(context.Background(), sc, req)
	if err != nil {
		t.Fatalf("%s: %v", req.Path, err)
	}
	return rep
}

func (f *fixture) mustLoad(t *testing.T, dataset, path string) *Report {
	t.Helper()
	rep := f.load(t, hub, Request{Dataset: dataset, Path: path})
	if rep.Status != StatusLoaded {
		t.Fatalf("%s: status %s, problems %+v", path, rep.Status, rep.Problems)
	}
	if rep.RowsRead != rep.RowsLoaded+rep.RowsRejected {
		t.Fatalf("%s: %d read != %d loaded + %d rejected", path, rep.RowsRead, rep.RowsLoaded, rep.RowsRejected)
	}
	return rep
}

func (f *fixture) query(t *testing.T, q string, args ...any) string {
	t.Helper()
	var out []string
	for _, vals := range testsupport.Rows(t, f.db, q, args...) {
		var cells []string
		for _, v := range vals {
			cells = append(cells, fmt.Sprint(v))
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return strings.Join(out, "\n")
}

func contractFile(name string) string { return filepath.Join("testdata", "contract", name+".csv") }

// convert writes the CSV fixture in another format, all values as text,
// the way another program would export the same table.
func convert(t *testing.T, src, format, dir string) string {
	t.Helper()
	base := strings.TrimSuffix(filepath.Base(src), ".csv")
	if format == "csv" {
		return src
	}
	out := filepath.Join(dir, base+"."+map[string]string{"xlsx": "xlsx", "json": "json", "ndjson": "ndjson", "parquet": "parquet"}[format])
	if format == "xlsx" {
		b, _ := os.ReadFile(src)
		r := csv.NewReader(bytes.NewReader(b))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		x := excelize.NewFile()
		for i, rec := range recs {
			row := make([]any, len(rec))
			for j, v := range rec {
				row[j] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			x.SetSheetRow("Sheet1", cell, &row)
		}
		if err := x.SaveAs(out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	opts := map[string]string{"json": "FORMAT json, ARRAY true", "ndjson": "FORMAT json", "parquet": "FORMAT parquet"}[format]
	q := fmt.Sprintf(`COPY (SELECT * FROM read_csv('%s', delim=';', header=true, all_varchar=true)) TO '%s' (%s)`, src, out, opts)
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
	return out
}

func tableDump(t *testing.T, f *fixture, table string) string {
	return f.query(t, fmt.Sprintf("SELECT * EXCLUDE (run_id, source_line) FROM %s ORDER BY ALL", ident(table)))
}

// Acceptance: every dataset of the contract loads from CSV, XLSX, JSON,
// NDJSON and Parquet, and each format yields exactly the same rows.
func TestEveryDatasetLoadsFromEveryFormat(t *testing.T) {
	cat := catalog.Default()
	want := map[string]string{}
	for _, format := range []string{"csv", "xlsx", "json", "ndjson", "parquet"} {
		t.Run(format, func(t *testing.T) {
			f := newFixture(t)
			tmp := t.TempDir()
			for _, d := range cat.Datasets {
				src := contractFile(d.Name)
				rep := f.mustLoad(t, d.Name, convert(t, src, format, tmp))
				b, _ := os.ReadFile(src)
				if wantRows := int64(bytes.Count(b, []byte("\n")) - 1); rep.RowsLoaded != wantRows {
					t.Errorf("%s: loaded %d rows, fixture has %d", d.Name, rep.RowsLoaded, wantRows)
				}
				got := tableDump(t, f, d.Table)
				if format == "csv" {
					want[d.Name] = got
				} else if got != want[d.Name] {
					t.Errorf("%s from %s differs from CSV:\n%s\nwant\n%s", d.Name, format, got, want[d.Name])
				}
			}
		})
	}
}

// Hand-checked values: Italian numbers, dates, months, booleans, synonyms,
// zero padding and scales land as the contract says.
func TestValuesNormalisedAsTheContractSays(t *testing.T) {
	f := newFixture(t)
	for _, d := range catalog.Default().Datasets {
		f.mustLoad(t, d.Name, contractFile(d.Name))
	}
	cases := []struct{ q, want string }{
		{"SELECT value_of_production, production_costs, personnel_cost, net_result FROM finance WHERE coop_id = '01234567890'",
			"1.23456789e+06|1.2e+06|900000|-12345.5"},
		{"SELECT contract_type, fte, is_member, annual_gross_pay, strftime(start_date, '%Y-%m-%d') FROM workers ORDER BY annual_gross_pay",
			"fixed_term|0.5|true|22000.5|2022-03-15\npermanent|0.75|true|28500|2020-02-01\npermanent|1|false|45000|2019-05-01"},
		{"SELECT strftime(month, '%Y-%m-%d'), activity, hours FROM hours ORDER BY month, activity",
			"2024-01-01|admin_hr|12\n2024-01-01|direct_service|100.5\n2024-02-01|coordination|140\n2024-02-01|travel|8.25"},
		{"SELECT municipality_code, disability, minor, double_disadvantage FROM beneficiaries ORDER BY birth_year",
			"015146|true|false|false\n015146|false|true|true"},
		{"SELECT coalesce(coop_id, '-'), indicator_id, direction FROM targets ORDER BY indicator_id", "-|DIG-01|increase\n01234567890|TIM-01|decrease"},
		{"SELECT count(DISTINCT person_id), min(octet_length(person_id)) FROM workers", "3|32"},
	}
	for _, c := range cases {
		if got := f.query(t, c.q); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.q, got, c.want)
		}
	}
	// The same codice fiscale maps to the same pseudonym across datasets, so they join.
	if got := f.query(t, "SELECT count(*) FROM hours h JOIN workers w USING (coop_id, person_id)"); got != "4" {
		t.Errorf("hours joined to workers: %s rows, want 4", got)
	}
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A file with row problems loads nothing and names every problem.
func TestRefusedFileListsEveryProblem(t *testing.T) {
	f := newFixture(t)
	f.mustLoad(t, "cooperatives", contractFile("cooperatives"))
	f.mustLoad(t, "workers", contractFile("workers"))
	before := tableDump(t, f, "workers")
	p := writeFile(t, t.TempDir(), "lavoratori.csv", `codice_fiscale_cooperativa;codice_fiscale;sesso;socio;tipo_contratto;ula;data_assunzione;data_cessazione
01234567890;AAABBB80A01H501U;F;sì;indeterminato;1,5;01/02/2020;
01234567890;CCCDDD80A01H501U;Q;forse;stagionale;0,5;31/02/2020;
01234567890;EEEFFF80A01H501U;M;no;determinato;1;01/06/2021;01/01/2021
55555555555;GGGHHH80A01H501U;M;no;determinato;1;01/06/2021;
01234567890;;M;no;determinato;1;01/06/2021;
`)
	rep := f.load(t, hub, Request{Dataset: "workers", Path: p})
	if rep.Status != StatusRejected || rep.RowsLoaded != 0 || rep.RowsRejected != 5 || rep.RowsRead != 5 {
		t.Fatalf("status %s read %d loaded %d rejected %d", rep.Status, rep.RowsRead, rep.RowsLoaded, rep.RowsRejected)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%d %s %q %s", p.Line, p.Column, p.Value, p.Rule))
		if p.MessageIt == "" || p.MessageEn == "" || p.MessageIt == p.MessageEn {
			t.Errorf("problem %+v lacks its Italian and English words", p)
		}
	}
	want := []string{
		`2 fte "1,5" range`,
		`3 contract_type "stagionale" enum`,
		`3 gender "Q" enum`,
		`3 is_member "forse" type`,
		`3 start_date "31/02/2020" type`,
		`4 end_date "01/01/2021" end_date>=start_date`,
		`5 coop_id "55555555555" unknown_coop`,
		`6 person_id "" required`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.ProblemsTotal != int64(len(want)) {
		t.Errorf("problems_total %d", rep.ProblemsTotal)
	}
	if after := tableDump(t, f, "workers"); after != before {
		t.Fatal("a refused file changed the table")
	}
	// The quarantine holds exactly the rejected rows (the whole refused file), masked.
	if got := f.query(t, "SELECT count(*) FROM ingest_quarantine WHERE run_id = ?", rep.RunID); got != "5" {
		t.Fatalf("quarantine rows %s, want 5", got)
	}
	if got := f.query(t, "SELECT count(*) FROM ingest_quarantine WHERE row_json::VARCHAR LIKE '%80A01H501U%'"); got != "0" {
		t.Fatal("a raw codice fiscale reached the quarantine")
	}
	if got := f.query(t, "SELECT count(*) FROM ingest_problems WHERE run_id = ?", rep.RunID); got != "8" {
		t.Fatalf("stored problems %s, want 8", got)
	}
}

// --allow-rejects loads the good rows and quarantines exactly the others.
func TestAllowRejectsReconciles(t *testing.T) {
	f := newFixture(t)
	f.mustLoad(t, "cooperatives", contractFile("cooperatives"))
	p := writeFile(t, t.TempDir(), "ore.csv", `coop_id;person_id;mese;attivita;ore
01234567890;RSSMRA80A01H501U;2024-01;direct_service;100
01234567890;RSSMRA80A01H501U;2024-01;admin_hr;500
01234567890;RSSMRA80A01H501U;2024-13;training;4
01234567890;RSSMRA80A01H501U;2024-02;direct_service;120
01234567890;RSSMRA80A01H501U;2024-02;direct_service;121
`)
	rep := f.load(t, hub, Request{Dataset: "hours", Path: p, AllowRejects: true})
	if rep.Status != StatusLoaded || rep.RowsRead != 5 || rep.RowsLoaded != 2 || rep.RowsRejected != 3 {
		t.Fatalf("status %s read %d loaded %d rejected %d: %+v", rep.Status, rep.RowsRead, rep.RowsLoaded, rep.RowsRejected, rep.Problems)
	}
	if got := f.query(t, "SELECT count(*) FROM hours"); got != "2" {
		t.Fatalf("hours rows %s", got)
	}
	if got := f.query(t, "SELECT string_agg(source_line::VARCHAR, ',' ORDER BY source_line) FROM ingest_quarantine WHERE run_id = ?", rep.RunID); got != "3,4,6" {
		t.Fatalf("quarantined lines %s, want 3,4,6", got)
	}
	if got := f.query(t, "SELECT string_agg(source_line::VARCHAR, ',' ORDER BY source_line) FROM hours"); got != "2,5" {
		t.Fatalf("loaded lines %s, want 2,5 (each row traces to its line)", got)
	}
	if got := f.query(t, "SELECT rows_read = rows_loaded + rows_rejected, status FROM ingest_runs WHERE run_id = ?", rep.RunID); got != "true|loaded" {
		t.Fatal(got)
	}
}

// A load replaces exactly the (coop, month) slices it covers; a repeat is a no-op.
func TestSliceReplacementAndUnchanged(t *testing.T) {
	f := newFixture(t)
	f.mustLoad(t, "cooperatives", contractFile("cooperatives"))
	f.mustLoad(t, "hours", contractFile("hours"))
	dir := t.TempDir()
	p := writeFile(t, dir, "feb.csv", "coop_id;person_id;month;activity;hours\n01234567890;RSSMRA80A01H501U;2024-02;training;7\n")
	rep := f.mustLoad(t, "hours", p)
	if fmt.Sprint(rep.Slices) != "[{01234567890 2024-02}]" {
		t.Fatalf("slices %v", rep.Slices)
	}
	want := "01234567890|2024-01|admin_hr|12\n01234567890|2024-01|direct_service|100.5\n01234567890|2024-02|training|7\n09876543210|2024-02|travel|8.25"
	if got := f.query(t, "SELECT coop_id, strftime(month, '%Y-%m'), activity, hours FROM hours ORDER BY ALL"); got != want {
		t.Fatalf("after replacing one slice:\n%s\nwant\n%s", got, want)
	}
	again := f.load(t, hub, Request{Dataset: "hours", Path: p})
	if again.Status != StatusUnchanged || len(again.Notices) == 0 {
		t.Fatalf("second load: %s %+v", again.Status, again.Notices)
	}
	if got := f.query(t, "SELECT count(*) FROM ingest_runs WHERE status = 'unchanged'"); got != "1" {
		t.Fatal("the repeat was not recorded as a run")
	}
}

// A cooperative user may load only their own rows, and never hub datasets.
func TestScopeOfACooperativeUser(t *testing.T) {
	f := newFixture(t)
	f.mustLoad(t, "cooperatives", contractFile("cooperatives"))
	rep := f.load(t, soleAdmin, Request{Dataset: "hours", Path: contractFile("hours")})
	if rep.Status != StatusRejected {
		t.Fatalf("status %s", rep.Status)
	}
	if len(rep.Problems) != 1 || rep.Problems[0].Rule != ruleForeignCoop || rep.Problems[0].Line != 5 || !strings.Contains(rep.Problems[0].MessageIt, coopLuna) {
		t.Fatalf("problems %+v", rep.Problems)
	}
	_, err := f.svc.Ingest(context.Background(), soleAdmin, Request{Dataset: "cooperatives", Path: contractFile("cooperatives"), FileName: "c.csv"})
	var fe *FileError
	if !errors.As(err, &fe) || fe.Code != "hub_only" {
		t.Fatalf("want hub_only refusal, got %v", err)
	}
	// Without a coop column the rows take the uploader's cooperative.
	p := writeFile(t, t.TempDir(), "ore.csv", "codice_fiscale;mese;attivita;ore\nRSSMRA80A01H501U;03/2024;servizio diretto;10\n")
	rep = f.load(t, soleAdmin, Request{Path: p})
	if rep.Status != StatusLoaded || rep.Dataset != "hours" {
		t.Fatalf("detected %s, status %s %+v", rep.Dataset, rep.Status, rep.Problems)
	}
	if got := f.query(t, "SELECT coop_id, activity FROM hours"); got != coopSole+"|direct_service" {
		t.Fatal(got)
	}
}

// Names of people are dropped and reported; raw identifiers never reach the file.
func TestNoRawIdentifierOrNameIsStored(t *testing.T) {
	f := newFixture(t)
	f.mustLoad(t, "cooperatives", contractFile("cooperatives"))
	p := writeFile(t, t.TempDir(), "w.csv", `coop_id;nome;cognome;person_id;gender;is_member;contract_type;fte;start_date
01234567890;Mariapia;Zanzottera;ZNZMRP70A41F205Q;F;sì;indeterminato;1;01/01/2020
`)
	rep := f.mustLoad(t, "workers", p)
	if len(rep.Notices) != 2 || !strings.Contains(rep.Notices[0].It, "nome") {
		t.Fatalf("notices %+v", rep.Notices)
	}
	bad := writeFile(t, t.TempDir(), "h.csv", "coop_id;person_id;month;activity;hours\n01234567890;ZNZMRP70A41F205Q;2024-01;nope;1\n")
	if r := f.load(t, hub, Request{Dataset: "hours", Path: bad}); r.Status != StatusRejected {
		t.Fatal(r.Status)
	}
	if _, err := f.db.Exec("CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	f.db.Close()
	for _, name := range []string{"t.duckdb", "t.duckdb.wal"} {
		b, err := os.ReadFile(filepath.Join(f.dir, name))
		if err != nil {
			continue
		}
		for _, secret := range []string{"ZNZMRP70A41F205Q", "Zanzottera", "Mariapia"} {
			if bytes.Contains(b, []byte(secret)) || bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(secret))) {
				t.Fatalf("%s found in %s", secret, name)
			}
		}
	}
	// The archive is encrypted: the codice fiscale is not in the object store either.
	filepath.Walk(filepath.Join(f.dir, "objects"), func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(path)
			if bytes.Contains(b, []byte("ZNZMRP70A41F205Q")) {
				t.Errorf("raw codice fiscale readable in %s", path)
			}
		}
		return nil
	})
}

// Only a hub admin or the cooperative's admin downloads the file as received.
func TestArchivedFileDownload(t *testing.T) {
	f := newFixture(t)
	f.mustLoad(t, "cooperatives", contractFile("cooperatives"))
	rep := f.load(t, soleAdmin, Request{Dataset: "hours", CoopID: coopSole, Path: writeFile(t, t.TempDir(), "h.csv",
		"person_id;month;activity;hours\nRSSMRA80A01H501U;2024-01;training;3\n")})
	var buf bytes.Buffer
	if _, err := f.svc.OpenArchived(context.Background(), soleAdmin, rep.RunID, &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "RSSMRA80A01H501U;2024-01") {
		t.Fatalf("archived copy differs: %q", buf.String())
	}
	for _, sc := range []Scope{{User: "board", CoopID: coopSole}, {User: "other", CoopID: coopLuna, Admin: true}, {User: "analyst", Hub: true}} {
		if _, err := f.svc.OpenArchived(context.Background(), sc, rep.RunID, &bytes.Buffer{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s downloaded the raw file: %v", sc.User, err)
		}
	}
	if _, err := f.svc.OpenArchived(context.Background(), hub, rep.RunID, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
}

// Columns are parsed either once per distinct spelling (mapped) or row by
// row (direct), depending on how much values repeat: both must give the same rows.
func TestDirectAndMappedParsingAgree(t *testing.T) {
	mapped, direct := newFixture(t), newFixture(t)
	direct.svc.mapAllBelow = -1
	for _, d := range catalog.Default().Datasets {
		mapped.mustLoad(t, d.Name, contractFile(d.Name))
		direct.mustLoad(t, d.Name, contractFile(d.Name))
		if a, b := tableDump(t, mapped, d.Table), tableDump(t, direct, d.Table); a != b {
			t.Errorf("%s: mapped\n%s\ndirect\n%s", d.Name, a, b)
		}
	}
	// And the problems found are the same.
	p := writeFile(t, t.TempDir(), "h.csv", "coop_id;person_id;month;activity;hours\n01234567890;X;2024-13;nope;-1\n0123;;2024-01;training;1,5,5\n")
	a := mapped.load(t, hub, Request{Dataset: "hours", Path: p})
	b := direct.load(t, hub, Request{Dataset: "hours", Path: p})
	if fmt.Sprint(a.Problems) != fmt.Sprint(b.Problems) || len(a.Problems) < 5 {
		t.Fatalf("mapped problems %+v\ndirect problems %+v", a.Problems, b.Problems)
	}
}

// Archived files are deleted after the retention period, not before.
func TestArchiveRetention(t *testing.T) {
	f := newFixture(t)
	f.svc.Retention = 365 * 24 * time.Hour
	rep := f.mustLoad(t, "cooperatives", contractFile("cooperatives"))
	ctx := context.Background()
	if n, err := f.svc.PurgeArchive(ctx); err != nil || n != 0 {
		t.Fatalf("fresh archive purged: %d %v", n, err)
	}
	f.svc.now = func() time.Time { return time.Now().UTC().Add(366 * 24 * time.Hour) }
	if n, err := f.svc.PurgeArchive(ctx); err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	if _, err := f.svc.OpenArchived(ctx, hub, rep.RunID, &bytes.Buffer{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("archive still downloadable: %v", err)
	}
	if keys, _ := f.blob.List(ctx, "raw/"); len(keys) != 0 {
		t.Fatalf("objects left: %v", keys)
	}
	// The run record itself stays: lineage outlives the archive.
	if got := f.query(t, "SELECT count(*) FROM ingest_runs WHERE run_id = ? AND blob_key IS NULL", rep.RunID); got != "1" {
		t.Fatal(got)
	}
}

// Acceptance: reconciliation holds for every run, whatever happened to it:
// rows_read = rows_loaded + rows_rejected, and the quarantine holds exactly the rejected rows.
func TestReconciliationHoldsForEveryRun(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	f.mustLoad(t, "cooperatives", contractFile("cooperatives"))
	bad := writeFile(t, dir, "h.csv", "coop_id;person_id;month;activity;hours\n01234567890;A;2024-01;training;1\n01234567890;B;2024-01;nope;1\n01234567890;C;2024-01;travel;999\n")
	f.load(t, hub, Request{Dataset: "hours", Path: bad})                     // refused
	f.load(t, hub, Request{Dataset: "hours", Path: bad, AllowRejects: true}) // partial
	f.load(t, hub, Request{Dataset: "hours", Path: contractFile("hours")})   // clean
	f.load(t, hub, Request{Dataset: "hours", Path: contractFile("hours")})   // unchanged
	f.svc.Ingest(context.Background(), hub, Request{Dataset: "hours", Path: writeFile(t, dir, "x.png", "\x89PNG\r\n"), FileName: "x.png"})
	got := f.query(t, `SELECT r.status, r.rows_read, r.rows_loaded, r.rows_rejected,
		(SELECT count(*) FROM ingest_quarantine q WHERE q.run_id = r.run_id)
		FROM ingest_runs r ORDER BY r.run_id`)
	want := "loaded|2|2|0|0\nrejected|3|0|3|3\nloaded|3|1|2|2\nloaded|4|4|0|0\nunchanged|0|0|0|0\nrefused|0|0|0|0"
	if got != want {
		t.Fatalf("runs:\n%s\nwant\n%s", got, want)
	}
	if bad := f.query(t, `SELECT count(*) FROM ingest_runs r WHERE rows_read <> rows_loaded + rows_rejected
		OR rows_rejected <> (SELECT count(*) FROM ingest_quarantine q WHERE q.run_id = r.run_id)`); bad != "0" {
		t.Fatalf("%s runs break the reconciliation", bad)
	}
}

// A workbook in the 1904 date system (old Mac Excel) counts serials 1462
// days later; its dates must still land on the right day.
func TestXLSX1904DateSystem(t *testing.T) {
	f := newFixture(t)
	f.mustLoad(t, "cooperatives", contractFile("cooperatives"))
	x := excelize.NewFile()
	yes := true
	if err := x.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	head := []any{"coop_id", "cert_type", "issue_date", "status"}
	x.SetSheetRow("Sheet1", "A1", &head)
	// 2024-06-10 is serial 45453 in the 1900 system and 43991 in the 1904 one.
	row := []any{"01234567890", "ISO9001", 43991, "valid"}
	x.SetSheetRow("Sheet1", "A2", &row)
	p := filepath.Join(t.TempDir(), "cert1904.xlsx")
	if err := x.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	f.mustLoad(t, "certifications", p)
	if got := f.query(t, "SELECT strftime(issue_date, '%Y-%m-%d') FROM certifications"); got != "2024-06-10" {
		t.Fatalf("issue_date %s, want 2024-06-10", got)
	}
}

// Repeated keys are found whether they are spelt the same (counted on the
// staged spellings) or differently (synonyms, case, date formats: counted on
// the values), and a clean file's slices are the same either way.
func TestDuplicateKeysWhateverTheSpelling(t *testing.T) {
	f := newFixture(t)
	f.mustLoad(t, "cooperatives", contractFile("cooperatives"))
	const head = "coop_id;person_id;mese;attivita;ore\n"
	for _, tc := range []struct {
		name, rows string
		dupLine    int64 // 0: the file loads
		slices     string
		spellings  bool // the repeats were counted on the staged spellings
	}{
		{"same spelling", "01234567890;RSSMRA80A01H501U;2024-01;servizio;10\n01234567890;RSSMRA80A01H501U;2024-01;servizio;11\n", 3, "", true},
		{"two synonyms of one activity", "01234567890;RSSMRA80A01H501U;2024-01;servizio;10\n01234567890;RSSMRA80A01H501U;2024-01;assistenza;11\n", 3, "", false},
		{"one person with and without spaces", "01234567890; RSSMRA80A01H501U ;2024-01;formazione;10\n01234567890;RSSMRA80A01H501U;2024-01;formazione;11\n", 3, "", false},
		{"one month in two formats", "01234567890;RSSMRA80A01H501U;2024-01;formazione;10\n01234567890;RSSMRA80A01H501U;01/2024;formazione;11\n", 3, "", false},
		{"synonyms in different months", "01234567890;RSSMRA80A01H501U;2024-01;servizio;10\n01234567890;RSSMRA80A01H501U;2024-02;assistenza;11\n09876543210;RSSMRA80A01H501U;03/2024;servizio;12\n",
			0, "[{01234567890 2024-01} {01234567890 2024-02} {09876543210 2024-03}]", false},
		{"distinct spellings", "01234567890;RSSMRA80A01H501U;2024-01;servizio;10\n01234567890;VRDLGU85B02F205X;2024-01;servizio;11\n01234567890;RSSMRA80A01H501U;2024-01;formazione;12\n",
			0, "[{01234567890 2024-01}]", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			f.svc.Log = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
			defer func() { f.svc.Log = nil }()
			p := writeFile(t, t.TempDir(), "ore.csv", head+tc.rows)
			rep := f.load(t, hub, Request{Dataset: "hours", Path: p})
			if want := fmt.Sprintf("on_spellings=%t", tc.spellings); !strings.Contains(log.String(), want) {
				t.Errorf("the duplicate check did not run with %s:\n%s", want, log.String())
			}
			if tc.dupLine == 0 {
				if rep.Status != StatusLoaded || fmt.Sprint(rep.Slices) != tc.slices {
					t.Fatalf("status %s slices %v problems %+v; want loaded, slices %s", rep.Status, rep.Slices, rep.Problems, tc.slices)
				}
				return
			}
			if rep.Status != StatusRejected || len(rep.Problems) == 0 {
				t.Fatalf("status %s problems %+v; want a refused file", rep.Status, rep.Problems)
			}
			for _, p := range rep.Problems {
				if p.Rule != "duplicate_key" || p.Line != tc.dupLine {
					t.Errorf("problem %+v; want only duplicate_key on line %d", p, tc.dupLine)
				}
			}
		})
	}
}
