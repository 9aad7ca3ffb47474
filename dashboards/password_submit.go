package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
	"coopimpact/internal/i18n"
)

// passwordSubmit changes the user's password. Every session of the user
// ends (auth does that); this browser is signed in again with a new session id.
func (s *Server) passwordSubmit(c *fiber.Ctx) error {
	st := state(c)
	if st.user == nil || st.viaToken {
		return auth.ErrForbidden
	}
	form := passwordForm{MinLen: auth.MinPasswordLen}
	current, pw, confirm := c.FormValue("current"), c.FormValue("password"), c.FormValue("confirm")
	if pw != confirm {
		form.Message = i18n.T(st.lang, "auth.password.mismatch")
		return s.render(c, fiber.StatusUnprocessableEntity, "password", "auth.password.change.title", form)
	}
	done := s.dbTimer("auth.ChangePassword")
	err := s.deps.Auth.ChangePassword(c.UserContext(), st.user.ID, current, pw)
	done()
	if err != nil {
		if authStatus(err) == 0 {
			return err
		}
		f := s.describe(err, st.lang)
		if f.RetryAfter > 0 {
			return err // the lockout: the error page with Retry-After
		}
		form.Message = f.Message
		return s.render(c, f.Status, "password", "auth.password.change.title", form)
	}
	st.session = nil // ended with the others
	if _, err := s.login(c, st.user.Email, pw); err != nil {
		return err
	}
	s.flash(c, "auth.password.changed")
	return c.Redirect("/settings", fiber.StatusSeeOther)
}
