package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestImportStaffAllOrNothing(t *testing.T) {
	f := newFixture(t)
	n := newNetwork(f)
	users := func() int { return f.count(`SELECT count(*) FROM users`) }
	before := users()

	rows := []StaffRow{
		{Line: 2, Name: "Giulia Verdi", Email: "giulia@a.it", Role: "staff"},
		{Line: 3, Name: "Piero", Email: "piero@", Role: "staff"},                  // bad address
		{Line: 4, Name: "Giulia bis", Email: "GIULIA@a.it", Role: ""},             // repeats line 2
		{Line: 5, Name: "Capo", Email: "capo@a.it", Role: "coop_admin"},           // not for a data manager to give
		{Line: 6, Name: "Ospite", Email: "staff@b.it", Role: "staff"},             // another cooperative's account
		{Line: 7, Name: "Boh", Email: "boh@a.it", Role: "direttore"},              // unknown role
		{Line: 8, Name: "", Email: "", Role: "staff"},                             // no address
		{Line: 9, Name: "Collega", Email: "admin2@a.it", Role: "staff"},           // a fellow data manager
		{Line: 10, Name: strings.Repeat("x", 201), Email: "lungo@a.it", Role: ""}, // name too long
		{Line: 11, Name: "Hub", Email: "hubby@a.it", Role: "hub_admin"},           // hub roles are not for a staff list
		{Line: 12, Name: "Marta", Email: "marta@a.it", Role: "Consiglio di  Amministrazione"},
	}
	rep, err := f.svc.ImportStaff(f.ctx, n.adminA.Scope(), "coop_a", rows)
	if !errors.Is(err, ErrImportRejected) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("err %v", err)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%d:%s:%s", p.Line, p.Field, p.Code))
		if p.It == "" || p.En == "" || p.It == p.En {
			t.Errorf("line %d: messages %q / %q", p.Line, p.It, p.En)
		}
	}
	want := "3:email:email_invalid 4:email:email_repeated 5:role:role_not_allowed 6:email:email_elsewhere 7:role:role_invalid " +
		"8:email:email_missing 9:email:account_not_allowed 10:name:name_too_long 11:role:role_invalid"
	if strings.Join(got, " ") != want {
		t.Fatalf("problems\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if !strings.Contains(rep.Problems[1].It, "riga 2") || !strings.Contains(rep.Problems[1].En, "line 2") {
		t.Errorf("repeat message %q / %q does not name line 2", rep.Problems[1].It, rep.Problems[1].En)
	}
	if users() != before || rep.Created != 0 || len(rep.Rows) != 0 {
		t.Fatalf("rejected import wrote: %d users (was %d), report %+v", users(), before, rep)
	}

	// The good rows, plus existing accounts of the cooperative: one changes role, one stays.
	good := []StaffRow{
		{Name: "Giulia Verdi", Email: "giulia@a.it", Role: "staff"},
		{Name: "Marta", Email: "Marta@a.it", Role: "Consiglio di  Amministrazione"},
		{Name: "", Email: "staff@a.it", Role: "board"}, // was staff; empty name keeps the old one
		{Name: "cda@a.it", Email: "cda@a.it", Role: "cda"},
	}
	rep, err = f.svc.ImportStaff(f.ctx, n.adminA.Scope(), "COOP_A", good)
	if err != nil {
		t.Fatalf("%v %+v", err, rep.Problems)
	}
	if rep.Created != 2 || rep.Updated != 1 || rep.Unchanged != 1 || len(rep.Rows) != 4 || users() != before+2 {
		t.Fatalf("report %+v, users %d", rep, users())
	}
	if r := rep.Rows[2]; r.Line != 3 || r.Action != "updated" || r.UserID != n.staffA.ID {
		t.Fatalf("row 3 %+v", r)
	}
	marta, err := f.svc.FindUsers(f.ctx, root, UserFilter{Email: "marta@a.it"})
	if err != nil || len(marta) != 1 || marta[0].Role != RoleBoard || marta[0].CoopID != "COOP_A" || marta[0].HasPassword || marta[0].Lang != "it" {
		t.Fatalf("marta %+v %v", marta, err)
	}
	staff, _ := f.svc.FindUserByID(f.ctx, root, n.staffA.ID)
	if staff.Role != RoleBoard || staff.Name != "staff@a.it" {
		t.Fatalf("updated account %+v", staff)
	}
	// Imported accounts get their password through a reset link.
	tok, err := f.svc.CreateResetToken(f.ctx, n.adminA.Scope(), rep.Rows[0].UserID)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ResetPassword(f.ctx, tok, "Ufficio-Al-Lavoro-12"); err != nil {
		t.Fatal(err)
	}

	// The hub may give coop_admin; others are refused outright.
	if _, err := f.svc.ImportStaff(f.ctx, n.hubAdmin.Scope(), "COOP_B", []StaffRow{{Email: "nuovo@b.it", Role: "referente"}}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.ImportStaff(f.ctx, n.adminA.Scope(), "COOP_B", good)
	wantErr(t, "other cooperative", err, ErrNotFound)
	_, err = f.svc.ImportStaff(f.ctx, n.staffA.Scope(), "COOP_A", good)
	wantErr(t, "staff imports", err, ErrForbidden)
	_, err = f.svc.ImportStaff(f.ctx, n.hubAdmin.Scope(), "COOP_Z", good)
	wantErr(t, "unknown cooperative", err, ErrCoopUnknown)
	_, err = f.svc.ImportStaff(f.ctx, n.hubAdmin.Scope(), "COOP_A", make([]StaffRow, MaxImportRows+1))
	wantErr(t, "too many rows", err, ErrInvalid)
	// Rows without line numbers are numbered by position.
	rep, _ = f.svc.ImportStaff(f.ctx, n.adminA.Scope(), "COOP_A", []StaffRow{{Email: "ok@a.it"}, {Email: "bad"}})
	if len(rep.Problems) != 1 || rep.Problems[0].Line != 2 {
		t.Fatalf("problems %+v", rep.Problems)
	}
	// Only bad rows, or none at all.
	rep, err = f.svc.ImportStaff(f.ctx, n.adminA.Scope(), "COOP_A", []StaffRow{{Email: "bad"}})
	if !errors.Is(err, ErrImportRejected) || len(rep.Problems) != 1 {
		t.Fatalf("only bad rows: %v %+v", err, rep.Problems)
	}
	rep, err = f.svc.ImportStaff(f.ctx, n.adminA.Scope(), "COOP_A", nil)
	if err != nil || rep.Created+rep.Updated+rep.Unchanged != 0 {
		t.Fatalf("no rows: %v %+v", err, rep)
	}
}

// A thousand rows import in one go (and quickly enough for a web request).
func TestImportStaffLarge(t *testing.T) {
	f := newFixture(t)
	rows := make([]StaffRow, 1000)
	for i := range rows {
		rows[i] = StaffRow{Name: fmt.Sprintf("Persona %d", i), Email: fmt.Sprintf("p%04d@a.it", i)}
	}
	rep, err := f.svc.ImportStaff(f.ctx, root, "COOP_A", rows)
	if err != nil || rep.Created != 1000 {
		t.Fatalf("%v %d", err, rep.Created)
	}
	if n := f.count(`SELECT count(*) FROM users WHERE coop_id = 'COOP_A' AND role = 'staff'`); n != 1000 {
		t.Fatalf("%d staff", n)
	}
}
