package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"coopimpact/ingest"
)

// network is one account of each kind in two cooperatives and the hub.
type network struct {
	hubAdmin, hubAdmin2, analyst, analyst2 *User
	adminA, adminA2, boardA, staffA        *User
	adminB, staffB                         *User
}

func newNetwork(f *fixture) *network {
	return &network{
		hubAdmin:  f.mustCreate(root, "hub@rete.it", RoleHubAdmin, ""),
		hubAdmin2: f.mustCreate(root, "hub2@rete.it", RoleHubAdmin, ""),
		analyst:   f.mustCreate(root, "analista@rete.it", RoleHubAnalyst, ""),
		analyst2:  f.mustCreate(root, "analista2@rete.it", RoleHubAnalyst, ""),
		adminA:    f.mustCreate(root, "admin@a.it", RoleCoopAdmin, "COOP_A"),
		adminA2:   f.mustCreate(root, "admin2@a.it", RoleCoopAdmin, "COOP_A"),
		boardA:    f.mustCreate(root, "cda@a.it", RoleBoard, "COOP_A"),
		staffA:    f.mustCreate(root, "staff@a.it", RoleStaff, "COOP_A"),
		adminB:    f.mustCreate(root, "admin@b.it", RoleCoopAdmin, "COOP_B"),
		staffB:    f.mustCreate(root, "staff@b.it", RoleStaff, "COOP_B"),
	}
}

// Every role managing accounts of its own cooperative, another cooperative
// and the hub: ok, ErrForbidden (visible, not theirs) or ErrNotFound (invisible).
func TestAuthorisationMatrixManage(t *testing.T) {
	f := newFixture(t)
	n := newNetwork(f)
	const ok, F, NF = "ok", "forbidden", "not found"
	targets := []struct {
		name string
		u    *User
	}{
		{"own staff", n.staffA}, {"own board", n.boardA}, {"own other coop_admin", n.adminA2},
		{"other coop staff", n.staffB}, {"other coop admin", n.adminB}, {"hub analyst", n.analyst2}, {"hub admin", n.hubAdmin2},
	}
	// Targets' cooperative is COOP_A for the cooperative actors ("own").
	matrix := []struct {
		actor *User
		want  [7]string
	}{
		{n.hubAdmin, [7]string{ok, ok, ok, ok, ok, ok, ok}},
		{n.analyst, [7]string{NF, NF, NF, NF, NF, NF, NF}},
		{n.adminA, [7]string{ok, ok, F, NF, NF, NF, NF}},
		{n.boardA, [7]string{NF, NF, NF, NF, NF, NF, NF}},
		{n.staffA, [7]string{NF, NF, NF, NF, NF, NF, NF}},
	}
	outcome := func(err error) string {
		switch {
		case err == nil:
			return ok
		case errors.Is(err, ErrForbidden):
			return F
		case errors.Is(err, ErrNotFound):
			return NF
		}
		return err.Error()
	}
	for _, row := range matrix {
		by := row.actor.Scope()
		for i, tg := range targets {
			want := row.want[i]
			name := fmt.Sprintf("%s → %s", row.actor.Role, tg.name)
			if row.actor.Role == RoleBoard && tg.u == n.boardA || row.actor.Role == RoleStaff && tg.u == n.staffA {
				continue // self: checked below
			}
			// Managing: a reset link, a name change, disabling (and re-enabling).
			_, err := f.svc.CreateResetToken(f.ctx, by, tg.u.ID)
			if got := outcome(err); got != want {
				t.Errorf("%s reset link: %s, want %s", name, got, want)
			}
			nm := "Nuovo Nome"
			_, err = f.svc.UpdateUser(f.ctx, by, tg.u.ID, UserUpdate{Name: &nm})
			if got := outcome(err); got != want {
				t.Errorf("%s update: %s, want %s", name, got, want)
			}
			err = f.svc.DisableUser(f.ctx, by, tg.u.ID)
			if got := outcome(err); got != want {
				t.Errorf("%s disable: %s, want %s", name, got, want)
			}
			if err == nil {
				if err := f.svc.EnableUser(f.ctx, by, tg.u.ID); err != nil {
					t.Fatal(err)
				}
			}
			// Seeing: allowed wherever managing is, and for a fellow data manager.
			_, err = f.svc.FindUserByID(f.ctx, by, tg.u.ID)
			wantSee := want
			if want == F {
				wantSee = ok
			}
			if got := outcome(err); got != wantSee {
				t.Errorf("%s find: %s, want %s", name, got, wantSee)
			}
		}
	}
	// Oneself: everyone sees and renames themself; nobody disables themself;
	// only the hub admin may make their own reset link.
	for _, u := range []*User{n.hubAdmin, n.analyst, n.adminA, n.boardA, n.staffA} {
		by := u.Scope()
		if _, err := f.svc.FindUserByID(f.ctx, by, u.ID); err != nil {
			t.Errorf("%s sees self: %v", u.Role, err)
		}
		lang := "en"
		if got, err := f.svc.UpdateUser(f.ctx, by, u.ID, UserUpdate{Lang: &lang}); err != nil || got.Lang != "en" {
			t.Errorf("%s updates self: %v", u.Role, err)
		}
		wantErr(t, string(u.Role)+" disables self", f.svc.DisableUser(f.ctx, by, u.ID), ErrSelfDisable)
		_, err := f.svc.CreateResetToken(f.ctx, by, u.ID)
		if want := map[bool]string{true: ok, false: F}[u.Role == RoleHubAdmin]; outcome(err) != want {
			t.Errorf("%s reset link for self: %s, want %s", u.Role, outcome(err), want)
		}
	}
	// Nobody signed in: nothing.
	_, err := f.svc.FindUserByID(f.ctx, Anonymous, n.staffA.ID)
	wantErr(t, "anonymous find", err, ErrUnauthenticated)
	_, err = f.svc.FindUsers(f.ctx, Anonymous, UserFilter{})
	wantErr(t, "anonymous list", err, ErrUnauthenticated)
	wantErr(t, "anonymous disable", f.svc.DisableUser(f.ctx, Anonymous, n.staffA.ID), ErrUnauthenticated)
	_, err = f.svc.CreateUser(f.ctx, Anonymous, NewUser{Email: "x@a.it", Role: RoleStaff, CoopID: "COOP_A"})
	wantErr(t, "anonymous create", err, ErrUnauthenticated)
	// A nonexistent id answers like an invisible one.
	_, err = f.svc.FindUserByID(f.ctx, n.adminA.Scope(), 99999)
	wantErr(t, "nonexistent", err, ErrNotFound)
}

func TestAuthorisationMatrixCreate(t *testing.T) {
	f := newFixture(t)
	n := newNetwork(f)
	const ok, F, NF = "ok", "forbidden", "not found"
	kinds := []struct {
		role Role
		coop string
	}{{RoleStaff, "COOP_A"}, {RoleBoard, "COOP_A"}, {RoleCoopAdmin, "COOP_A"}, {RoleStaff, "COOP_B"}, {RoleHubAnalyst, ""}, {RoleHubAdmin, ""}}
	matrix := []struct {
		actor *User
		want  [6]string
	}{
		{n.hubAdmin, [6]string{ok, ok, ok, ok, ok, ok}},
		{n.analyst, [6]string{F, F, F, F, F, F}},
		{n.adminA, [6]string{ok, ok, F, NF, F, F}},
		{n.boardA, [6]string{F, F, F, F, F, F}},
		{n.staffA, [6]string{F, F, F, F, F, F}},
	}
	i := 0
	for _, row := range matrix {
		for k, kind := range kinds {
			i++
			_, err := f.svc.CreateUser(f.ctx, row.actor.Scope(), NewUser{Email: fmt.Sprintf("new%d@x.it", i), Role: kind.role, CoopID: kind.coop, Password: goodPassword})
			got := ok
			switch {
			case errors.Is(err, ErrForbidden):
				got = F
			case errors.Is(err, ErrNotFound):
				got = NF
			case err != nil:
				got = err.Error()
			}
			if got != row.want[k] {
				t.Errorf("%s creates %s in %q: %s, want %s", row.actor.Role, kind.role, kind.coop, got, row.want[k])
			}
		}
	}
	// A data manager who leaves the cooperative empty creates in their own.
	u, err := f.svc.CreateUser(f.ctx, n.adminA.Scope(), NewUser{Email: "implicit@a.it", Role: RoleStaff})
	if err != nil || u.CoopID != "COOP_A" {
		t.Fatalf("implicit coop: %+v %v", u, err)
	}
}

func TestFindUsersScope(t *testing.T) {
	f := newFixture(t)
	n := newNetwork(f)
	emails := func(by Scope, flt UserFilter) string {
		us, err := f.svc.FindUsers(f.ctx, by, flt)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.Email)
		}
		return strings.Join(out, ",")
	}
	cases := []struct {
		by   *User
		flt  UserFilter
		want string
	}{
		{n.hubAdmin, UserFilter{}, "analista2@rete.it,analista@rete.it,hub2@rete.it,hub@rete.it,admin2@a.it,admin@a.it,cda@a.it,staff@a.it,admin@b.it,staff@b.it"},
		{n.hubAdmin, UserFilter{CoopID: "coop_b"}, "admin@b.it,staff@b.it"},
		{n.hubAdmin, UserFilter{Role: RoleCoopAdmin}, "admin2@a.it,admin@a.it,admin@b.it"},
		{n.hubAdmin, UserFilter{Email: " STAFF@b.it"}, "staff@b.it"},
		{n.adminA, UserFilter{}, "admin2@a.it,admin@a.it,cda@a.it,staff@a.it"},
		{n.adminA, UserFilter{CoopID: "COOP_B"}, ""},
		{n.adminA, UserFilter{Role: RoleStaff}, "staff@a.it"},
		{n.analyst, UserFilter{}, "analista@rete.it"},
		{n.boardA, UserFilter{}, "cda@a.it"},
		{n.staffA, UserFilter{CoopID: "COOP_A"}, "staff@a.it"},
	}
	for _, c := range cases {
		if got := emails(c.by.Scope(), c.flt); got != c.want {
			t.Errorf("%s %+v:\n got %s\nwant %s", c.by.Email, c.flt, got, c.want)
		}
	}
}

func TestCreateUserValidation(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(root, "anna@coop.it", RoleCoopAdmin, "COOP_A")
	cases := []struct {
		nu   NewUser
		want error
	}{
		{NewUser{Email: "not-an-email", Role: RoleStaff, CoopID: "COOP_A"}, ErrEmailInvalid},
		{NewUser{Email: "Mario Rossi <m@coop.it>", Role: RoleStaff, CoopID: "COOP_A"}, ErrEmailInvalid},
		{NewUser{Email: "m@localhost", Role: RoleStaff, CoopID: "COOP_A"}, ErrEmailInvalid},
		{NewUser{Email: "m @coop.it", Role: RoleStaff, CoopID: "COOP_A"}, ErrEmailInvalid},
		{NewUser{Email: " ANNA@coop.it", Role: RoleStaff, CoopID: "COOP_A"}, ErrEmailTaken},
		{NewUser{Email: "x@coop.it", Role: "boss", CoopID: "COOP_A"}, ErrRoleInvalid},
		{NewUser{Email: "x@coop.it", Role: RoleStaff}, ErrCoopRequired},
		{NewUser{Email: "x@coop.it", Role: RoleHubAnalyst, CoopID: "COOP_A"}, ErrCoopNotAllowed},
		{NewUser{Email: "x@coop.it", Role: RoleStaff, CoopID: "COOP_Z"}, ErrCoopUnknown},
		{NewUser{Email: "x@coop.it", Role: RoleStaff, CoopID: "COOP_A", Lang: "de"}, ErrLangInvalid},
		{NewUser{Email: "x@coop.it", Role: RoleStaff, CoopID: "COOP_A", Name: strings.Repeat("n", 201)}, ErrNameTooLong},
		{NewUser{Email: "x@coop.it", Role: RoleStaff, CoopID: "COOP_A", Password: "short"}, ErrPasswordTooShort},
		{NewUser{Email: "x@coop.it", Role: RoleStaff, CoopID: "COOP_A", Password: "ciaociao1234"}, ErrPasswordCommon},
		{NewUser{Email: "x@coop.it", Role: RoleStaff, CoopID: " coop_a ", Lang: "EN", Name: " Xavier "}, nil},
	}
	for _, c := range cases {
		u, err := f.svc.CreateUser(f.ctx, root, c.nu)
		wantErr(t, fmt.Sprintf("%+v", c.nu), err, c.want)
		if c.want != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) || e.It == "" || e.En == "" {
				t.Errorf("%+v: %#v is not an ErrInvalid with both messages", c.nu, err)
			}
			continue
		}
		if u == nil || u.Email != "x@coop.it" || u.CoopID != "COOP_A" || u.Lang != "en" || u.Name != "Xavier" || u.HasPassword || u.ID == 0 {
			t.Fatalf("created %+v", u)
		}
		got, err := f.svc.FindUserByID(f.ctx, root, u.ID)
		if err != nil || *got != *u {
			t.Fatalf("stored %+v, returned %+v (%v)", got, u, err)
		}
	}
	// The table itself refuses what the service would never write.
	for _, q := range []string{
		`INSERT INTO users (email, role, created_at) VALUES ('Upper@x.it', 'hub_admin', now())`,
		`INSERT INTO users (email, role, created_at) VALUES ('y@x.it', 'staff', now())`,
		`INSERT INTO users (email, role, coop_id, created_at) VALUES ('z@x.it', 'hub_admin', 'COOP_A', now())`,
		`INSERT INTO users (email, role, created_at, lang) VALUES ('w@x.it', 'hub_admin', now(), 'fr')`,
	} {
		if _, err := f.db.ExecContext(f.ctx, q); err == nil {
			t.Errorf("accepted: %s", q)
		}
	}
}

func TestScope(t *testing.T) {
	cases := []struct {
		s                  Scope
		hub, admin, anon   bool
		seeA, seeB, seeNil bool
		ingest             ingest.Scope
	}{
		{Scope{Email: "h@r.it", Role: RoleHubAdmin}, true, true, false, true, true, true, ingest.Scope{User: "h@r.it", Hub: true, Admin: true}},
		{Scope{Email: "a@r.it", Role: RoleHubAnalyst}, true, false, false, true, true, true, ingest.Scope{User: "a@r.it", Hub: true}},
		{Scope{Email: "c@a.it", Role: RoleCoopAdmin, CoopID: "COOP_A"}, false, true, false, true, false, false, ingest.Scope{User: "c@a.it", CoopID: "COOP_A", Admin: true}},
		{Scope{Email: "b@a.it", Role: RoleBoard, CoopID: "COOP_A"}, false, false, false, true, false, false, ingest.Scope{User: "b@a.it", CoopID: "COOP_A"}},
		{Scope{Email: "s@a.it", Role: RoleStaff, CoopID: "COOP_A"}, false, false, false, true, false, false, ingest.Scope{User: "s@a.it", CoopID: "COOP_A"}},
		{Anonymous, false, false, true, false, false, false, ingest.Scope{}},
		{Scope{Role: "boss", CoopID: "COOP_A"}, false, false, true, false, false, false, ingest.Scope{CoopID: "COOP_A"}},
	}
	for _, c := range cases {
		if c.s.IsHub() != c.hub || c.s.IsAdmin() != c.admin || c.s.IsAnonymous() != c.anon {
			t.Errorf("%+v: hub %v admin %v anon %v", c.s, c.s.IsHub(), c.s.IsAdmin(), c.s.IsAnonymous())
		}
		if c.s.CanSeeCoop("coop_a") != c.seeA || c.s.CanSeeCoop("COOP_B") != c.seeB || c.s.CanSeeCoop("") != c.seeNil {
			t.Errorf("%+v: sees A %v B %v none %v", c.s, c.s.CanSeeCoop("coop_a"), c.s.CanSeeCoop("COOP_B"), c.s.CanSeeCoop(""))
		}
		if got := c.s.IngestScope(); got != c.ingest {
			t.Errorf("%+v: ingest scope %+v, want %+v", c.s, got, c.ingest)
		}
	}
	for _, r := range Roles() {
		if r.Label("it") == r.Label("en") || r.Label("it") == string(r) {
			t.Errorf("%s: labels %q %q", r, r.Label("it"), r.Label("en"))
		}
	}
}
