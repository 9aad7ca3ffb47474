package dashboards

import (
	"context"
	"testing"

	"coopimpact/internal/auth"
)

func TestEnsureDemoUsers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	logins, err := EnsureDemoUsers(ctx, e.auth, coopSole)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]auth.Role{
		"hub_admin@demo.coop":         auth.RoleHubAdmin,
		"analyst@demo.coop":           auth.RoleHubAnalyst,
		"admin@01234567890.demo.coop": auth.RoleCoopAdmin,
		"board@01234567890.demo.coop": auth.RoleBoard,
		"staff@01234567890.demo.coop": auth.RoleStaff,
	}
	if len(logins) != len(want) {
		t.Fatalf("%d logins", len(logins))
	}
	for _, l := range logins {
		if want[l.Email] != l.Role || !l.Created {
			t.Errorf("%+v", l)
		}
		if err := auth.CheckPassword(l.Password, l.Email); err != nil {
			t.Errorf("%s: the documented password fails the policy: %v", l.Email, err)
		}
		// Each signs in through the portal with its documented password.
		got := e.do(newReq("POST", "/api/v1/session").json(`{"email":"` + l.Email + `","password":"` + l.Password + `"}`))
		if got.status != 204 {
			t.Errorf("%s: login %d %s", l.Email, got.status, got.body)
		}
	}
	// Idempotent: a second run creates nothing and fails on nothing.
	again, err := EnsureDemoUsers(ctx, e.auth, coopSole)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range again {
		if l.Created {
			t.Errorf("created twice: %s", l.Email)
		}
	}
	us, _ := e.auth.FindUsers(ctx, auth.Scope{Role: auth.RoleHubAdmin, Email: "t"}, auth.UserFilter{CoopID: coopSole, Role: auth.RoleStaff})
	n := 0
	for _, u := range us {
		if u.Email == "staff@01234567890.demo.coop" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d demo staff accounts", n)
	}
}
