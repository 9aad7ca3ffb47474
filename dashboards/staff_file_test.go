package dashboards

import (
	"context"
	"errors"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"coopimpact/internal/auth"
)

func TestReadStaffFile(t *testing.T) {
	want := []auth.StaffRow{
		{Line: 2, Name: "Anna Neri", Email: "anna.neri@sole.it", Role: "staff"},
		{Line: 4, Name: "Luca Bianchi", Email: "luca@sole.it", Role: "consigliere"},
	}
	cases := []struct {
		name string
		data []byte
		want []auth.StaffRow
	}{
		{"semicolon, Italian header, blank line", []byte("Nome;E-mail;Ruolo\nAnna Neri;anna.neri@sole.it;staff\n;;\nLuca Bianchi;luca@sole.it;consigliere\n"), want},
		{"comma, English header in another order", []byte("email,role,name\r\nanna.neri@sole.it,staff,Anna Neri\r\n\r\nluca@sole.it,consigliere,Luca Bianchi\r\n"), want},
		{"BOM and quotes", []byte("\ufeffnome;email;ruolo\n\"Anna Neri\";anna.neri@sole.it;staff\n\n\"Luca Bianchi\";\"luca@sole.it\";consigliere\n"), want},
		{"no header: name, email, role", []byte("Anna Neri;anna.neri@sole.it;staff\nLuca Bianchi;luca@sole.it;board\n"),
			[]auth.StaffRow{{Line: 1, Name: "Anna Neri", Email: "anna.neri@sole.it", Role: "staff"}, {Line: 2, Name: "Luca Bianchi", Email: "luca@sole.it", Role: "board"}}},
		{"Windows-1252", []byte("nome;email;ruolo\nNicol\xf2 Ferr\xe0;nicolo@sole.it;staff\n"),
			[]auth.StaffRow{{Line: 2, Name: "Nicolò Ferrà", Email: "nicolo@sole.it", Role: "staff"}}},
		{"multi-line quoted name keeps the record's first line", []byte("nome;email\n\"Anna\nNeri\";anna@sole.it\nLuca;luca@sole.it\n"),
			[]auth.StaffRow{{Line: 2, Name: "Anna\nNeri", Email: "anna@sole.it"}, {Line: 4, Name: "Luca", Email: "luca@sole.it"}}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		p := filepath.Join(dir, "p.csv")
		os.WriteFile(p, c.data, 0o600)
		got, err := readStaffFile(p)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v %v, want %+v", c.name, got, err, c.want)
		}
	}

	// XLSX: the first sheet, rows numbered as Excel shows them.
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Nome", "Email", "Ruolo"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"Anna Neri", "anna.neri@sole.it", "staff"})
	f.SetSheetRow("Sheet1", "A4", &[]any{"Luca Bianchi", "luca@sole.it", "consigliere"})
	p := filepath.Join(dir, "p.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	if got, err := readStaffFile(p); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("xlsx: %+v %v", got, err)
	}

	for name, data := range map[string][]byte{"binary": {0, 1, 2, 3, 0, 0}, "bad quote": []byte("nome;email\n\"Anna;a@b.it\nx\"y;z\n")} {
		p := filepath.Join(dir, "bad.csv")
		os.WriteFile(p, data, 0o600)
		if _, err := readStaffFile(p); !errors.Is(err, errStaffFile) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzReadStaffCSV(f *testing.F) {
	for _, s := range []string{"nome;email;ruolo\nA;a@b.it;staff\n", "email,name\nx@y.it,X\n", "a;b;c", "\"x\ny\";z", "\ufeff;;;\n\n", "\xff\xfe", ";;;0"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := readStaffCSV(b)
		if err != nil {
			if !errors.Is(err, errStaffFile) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		last := 0
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("lines not increasing: %+v", rows)
			}
			last = r.Line
		}
	})
}

// The import page: a coop admin imports their staff; a list with a problem
// imports nothing and says why, row by row.
func TestStaffImportPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.session("coop_admin")
	send := func(data string) response {
		return e.do(newReq("POST", "/users/import").as(admin).multipart(part{name: "csrf_token", data: []byte(admin.CSRFToken())},
			part{name: "coop_id", data: []byte(coopLuna)}, // ignored: a coop admin imports into their own cooperative
			part{name: "file", file: "personale.csv", data: []byte(data)}))
	}
	got := send("nome;email;ruolo\nAnna Neri;anna.neri@sole.test.it;staff\nLuca Bianchi;luca@sole.test.it;consigliere\n")
	body := html.UnescapeString(got.body)
	if got.status != 200 || !strings.Contains(body, "Importazione completata: 2 creati, 0 aggiornati, 0 invariati.") ||
		strings.Count(body, "http://example.com/reset/") != 2 {
		t.Fatalf("import: %d %.600s", got.status, squash(body))
	}
	us, _ := e.auth.FindUsers(ctx, e.users["coop_admin"].Scope(), auth.UserFilter{Email: "luca@sole.test.it"})
	if len(us) != 1 || us[0].Role != auth.RoleBoard || us[0].CoopID != coopSole {
		t.Fatalf("imported account: %+v", us)
	}
	got = send("nome;email;ruolo\nX;x@sole.test.it;staff\nY;non-valida;staff\nZ;z@sole.test.it;coop_admin\n")
	body = html.UnescapeString(got.body)
	if got.status != 422 || !strings.Contains(body, "Nessun account importato") ||
		!strings.Contains(body, "<td>3</td><td>email</td><td>non-valida</td><td>l'indirizzo e-mail non è valido</td>") ||
		!strings.Contains(body, "<td>4</td><td>role</td><td>coop_admin</td><td>solo l'hub può assegnare il ruolo coop_admin</td>") {
		t.Fatalf("refused import: %d %.900s", got.status, squash(body))
	}
	if us, _ := e.auth.FindUsers(ctx, e.users["coop_admin"].Scope(), auth.UserFilter{Email: "x@sole.test.it"}); len(us) != 0 {
		t.Fatal("a refused import created an account")
	}
}
