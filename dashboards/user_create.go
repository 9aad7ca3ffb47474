package dashboards

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// userCreate adds an invited account (no password yet) and shows the
// one-time link its owner uses to choose one.
func (s *Server) userCreate(c *fiber.Ctx) error {
	st := state(c)
	f, err := s.userForm(c)
	if err != nil {
		return err
	}
	f.Email, f.Name, f.Role, f.Lang = c.FormValue("email"), c.FormValue("name"), auth.Role(c.FormValue("role")), c.FormValue("lang")
	if st.scope.Role == auth.RoleHubAdmin {
		f.CoopID = c.FormValue("coop_id")
		if f.Role.IsHub() {
			f.CoopID = ""
		}
	}
	done := s.dbTimer("auth.CreateUser")
	u, err := s.deps.Auth.CreateUser(c.UserContext(), st.scope, auth.NewUser{Email: f.Email, Name: f.Name, Role: f.Role,
		CoopID: f.CoopID, Lang: f.Lang})
	done()
	if err != nil {
		var ae *auth.Error
		if authStatus(err) != fiber.StatusUnprocessableEntity || !errors.As(err, &ae) {
			return err
		}
		f.Message, f.Field = ae.Message(string(st.lang)), ae.Field
		return s.render(c, fiber.StatusUnprocessableEntity, "user_new", "users.add", f)
	}
	return s.showResetLink(c, u)
}

// showResetLink makes a one-time link for u and shows it to the admin to hand over.
func (s *Server) showResetLink(c *fiber.Ctx, u *auth.User) error {
	done := s.dbTimer("auth.CreateResetToken")
	token, err := s.deps.Auth.CreateResetToken(c.UserContext(), state(c).scope, u.ID)
	done()
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "user_link", "users.reset_link.title", map[string]any{
		"User": u, "Link": s.absURL(c, "/reset/"+token), "Back": "/users/" + strconv.FormatInt(u.ID, 10)})
}

// absURL is path on this site as an absolute URL (reset links are copied elsewhere).
func (s *Server) absURL(c *fiber.Ctx, path string) string {
	if s.deps.BaseURL != "" {
		return trimSlash(s.deps.BaseURL) + path
	}
	scheme := "http"
	if s.isHTTPS(c) {
		scheme = "https"
	}
	// Fiber's Hostname() believes X-Forwarded-Host from anyone: only a trusted proxy's counts here.
	host := string(c.Request().Host())
	if fh := c.Get(fiber.HeaderXForwardedHost); s.deps.TrustProxy && fh != "" {
		host = fh
	}
	return scheme + "://" + host + path
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}
