// Package auth is the domain layer of portal accounts: users and their roles,
// password hashing and policy, sessions with CSRF secrets, password-reset
// links, API tokens, login rate limiting, and the Scope every other domain
// package receives. It knows nothing of HTTP: the portal passes it plain
// values (an e-mail, a cookie value, an IP string) and maps its typed errors
// (ErrNotFound, ErrForbidden, ErrInvalid, ErrUnauthenticated, ErrRateLimited)
// to status codes in one place.
//
// Authorisation is enforced here, not only in handlers: every method that acts
// on someone else's account takes the caller's Scope. Anything outside the
// caller's scope answers ErrNotFound, exactly as if it did not exist.
package auth

import (
	"strings"
	"time"

	"coopimpact/ingest"
)

// Role is what an account may do.
type Role string

const (
	RoleHubAdmin   Role = "hub_admin"   // manages the network and every account
	RoleHubAnalyst Role = "hub_analyst" // reads the whole network
	RoleCoopAdmin  Role = "coop_admin"  // a cooperative's data manager: uploads, manages its staff and board accounts
	RoleBoard      Role = "board"       // a cooperative's board member: reads its dashboards
	RoleStaff      Role = "staff"       // a cooperative's worker: takes courses
)

// Roles lists every role, hub first.
func Roles() []Role {
	return []Role{RoleHubAdmin, RoleHubAnalyst, RoleCoopAdmin, RoleBoard, RoleStaff}
}

// Valid tells whether r is one of Roles.
func (r Role) Valid() bool {
	switch r {
	case RoleHubAdmin, RoleHubAnalyst, RoleCoopAdmin, RoleBoard, RoleStaff:
		return true
	}
	return false
}

// IsHub tells whether the role belongs to the hub (no cooperative).
func (r Role) IsHub() bool { return r == RoleHubAdmin || r == RoleHubAnalyst }

// Label is the role's name for people.
func (r Role) Label(lang string) string {
	l, ok := roleLabels[r]
	if !ok {
		return string(r)
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

var roleLabels = map[Role][2]string{
	RoleHubAdmin:   {"Amministratore dell'hub", "Hub administrator"},
	RoleHubAnalyst: {"Analista dell'hub", "Hub analyst"},
	RoleCoopAdmin:  {"Referente dati della cooperativa", "Cooperative data manager"},
	RoleBoard:      {"Membro del consiglio di amministrazione", "Board member"},
	RoleStaff:      {"Personale", "Staff"},
}

// ParseRole reads a role code, ignoring case and surrounding spaces.
func ParseRole(s string) (Role, bool) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	return r, r.Valid()
}

// User is an account as other packages see it; the password hash never leaves this package.
type User struct {
	ID                int64      `json:"id"`
	Email             string     `json:"email"`
	Name              string     `json:"name"`
	Role              Role       `json:"role"`
	CoopID            string     `json:"coop_id"` // "" for hub users
	Lang              string     `json:"lang"`    // "it" or "en"
	Disabled          bool       `json:"disabled"`
	HasPassword       bool       `json:"has_password"` // false until an invited user sets one
	CreatedAt         time.Time  `json:"created_at"`
	PasswordChangedAt *time.Time `json:"password_changed_at"`
}

// Scope is the user's own rights, as every domain call receives them.
func (u *User) Scope() Scope {
	return Scope{UserID: u.ID, Email: u.Email, Role: u.Role, CoopID: u.CoopID}
}

// Scope is who is asking: built once per request from the session (or API
// token) and passed to every domain call. The zero value is Anonymous.
type Scope struct {
	UserID int64
	Email  string
	Role   Role
	CoopID string // the user's cooperative; "" for the hub
}

// Anonymous is the scope of a request without a valid session: it may do nothing.
var Anonymous = Scope{}

// IsAnonymous tells whether nobody is signed in.
func (s Scope) IsAnonymous() bool { return !s.Role.Valid() }

// IsHub tells whether the scope is the whole network.
func (s Scope) IsHub() bool { return s.Role.IsHub() }

// IsAdmin tells whether the scope may load data and manage accounts:
// the hub administrator, or a cooperative's data manager for that cooperative.
func (s Scope) IsAdmin() bool { return s.Role == RoleHubAdmin || s.Role == RoleCoopAdmin }

// CanSeeCoop tells whether the cooperative id is within the scope.
func (s Scope) CanSeeCoop(id string) bool {
	if s.IsHub() {
		return true
	}
	if s.IsAnonymous() || s.CoopID == "" {
		return false
	}
	return strings.EqualFold(strings.TrimSpace(id), s.CoopID)
}

// IngestScope is the same rights as the ingest package expects them.
func (s Scope) IngestScope() ingest.Scope {
	return ingest.Scope{User: s.Email, Hub: s.IsHub(), CoopID: s.CoopID, Admin: s.IsAdmin()}
}

// canSee: a hub admin sees every account, a cooperative's data manager every
// account of that cooperative, everybody their own.
func canSee(by Scope, u *User) bool {
	switch {
	case by.IsAnonymous():
		return false
	case by.UserID != 0 && by.UserID == u.ID:
		return true
	case by.Role == RoleHubAdmin:
		return true
	case by.Role == RoleCoopAdmin:
		return u.CoopID != "" && strings.EqualFold(u.CoopID, by.CoopID)
	}
	return false
}

// canManage: the hub admin manages any account; a cooperative's data manager
// manages the staff and board accounts of their own cooperative (not other
// data managers: the hub appoints those); nobody else manages anyone.
func canManage(by Scope, role Role, coopID string) bool {
	switch by.Role {
	case RoleHubAdmin:
		return true
	case RoleCoopAdmin:
		return (role == RoleStaff || role == RoleBoard) && coopID != "" && strings.EqualFold(coopID, by.CoopID)
	}
	return false
}
