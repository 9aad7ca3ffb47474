package dashboards

import (
	"context"
	"fmt"
	"strings"

	"coopimpact/internal/auth"
)

// DemoLogin is one demo account and its documented password.
type DemoLogin struct {
	Email    string    `json:"email"`
	Password string    `json:"password"`
	Role     auth.Role `json:"role"`
	CoopID   string    `json:"coop_id,omitempty"`
	Created  bool      `json:"created"` // false: it existed already and was left as it was
}

// Demo passwords: fixed and documented (they are printed by `make run`),
// long enough for the policy and free of the addresses' names.
const (
	demoHubAdminPassword = "Mare-Verde-Rete-2025"
	demoAnalystPassword  = "Collina-Blu-Confronti-25"
	demoAdminPassword    = "Bosco-Rosso-Referente-25"
	demoBoardPassword    = "Lago-Giallo-Consiglio-25"
	demoStaffPassword    = "Prato-Viola-Personale-25"
)

// DemoLogins lists the demo accounts for a cooperative: one per role, the
// cooperative's under <role>@<coop id>.demo.coop.
func DemoLogins(coopID string) []DemoLogin {
	coop := strings.ToUpper(strings.TrimSpace(coopID))
	domain := strings.ToLower(coop) + ".demo.coop"
	return []DemoLogin{
		{Email: "hub_admin@demo.coop", Password: demoHubAdminPassword, Role: auth.RoleHubAdmin},
		{Email: "analyst@demo.coop", Password: demoAnalystPassword, Role: auth.RoleHubAnalyst},
		{Email: "admin@" + domain, Password: demoAdminPassword, Role: auth.RoleCoopAdmin, CoopID: coop},
		{Email: "board@" + domain, Password: demoBoardPassword, Role: auth.RoleBoard, CoopID: coop},
		{Email: "staff@" + domain, Password: demoStaffPassword, Role: auth.RoleStaff, CoopID: coop},
	}
}

// EnsureDemoUsers creates the demo accounts of DemoLogins(coopID) that do
// not exist yet (coopID must be in the cooperatives registry). It is
// idempotent: an existing account is left untouched, password included.
func EnsureDemoUsers(ctx context.Context, svc *auth.Service, coopID string) ([]DemoLogin, error) {
	root := auth.Scope{Role: auth.RoleHubAdmin, Email: "demo"}
	logins := DemoLogins(coopID)
	for i, d := range logins {
		found, err := svc.FindUsers(ctx, root, auth.UserFilter{Email: d.Email})
		if err != nil {
			return nil, err
		}
		if len(found) > 0 {
			continue
		}
		name := fmt.Sprintf("Demo %s", d.Role.Label("it"))
		if _, err := svc.CreateUser(ctx, root, auth.NewUser{Email: d.Email, Name: name, Role: d.Role, CoopID: d.CoopID,
			Password: d.Password, Lang: "it"}); err != nil {
			return nil, fmt.Errorf("demo account %s: %w", d.Email, err)
		}
		logins[i].Created = true
	}
	return logins, nil
}
