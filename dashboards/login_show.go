package dashboards

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// loginForm is what the login page shows.
type loginForm struct {
	Email   string
	Next    string
	Message string // why the last attempt failed, already in the page's language
}

// loginShow is the sign-in form; a signed-in user goes home.
func (s *Server) loginShow(c *fiber.Ctx) error {
	if !state(c).scope.IsAnonymous() {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, "login", "auth.login.title", loginForm{Next: safeNext(c.Query("next"))})
}

// safeNext keeps a redirect target on this site: a local path, never
// "//host" or "/\host" (which browsers treat as another site).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) ||
		strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
