package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// resetForm is the page of a password-reset link.
type resetForm struct {
	Token   string
	Email   string
	Valid   bool
	Message string
	MinLen  int
}

// resetShow opens a one-time link: the form to choose a password, or why the link no longer works.
func (s *Server) resetShow(c *fiber.Ctx) error {
	if s.deps.Auth == nil {
		return errNotConfigured
	}
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer") // the token is in the URL
	token := c.Params("token")
	done := s.dbTimer("auth.CheckResetToken")
	u, err := s.deps.Auth.CheckResetToken(c.UserContext(), token)
	done()
	form := resetForm{Token: token, MinLen: auth.MinPasswordLen}
	if err != nil {
		if authStatus(err) == 0 {
			return err
		}
		f := s.describe(err, state(c).lang)
		form.Message = f.Message
		return s.render(c, f.Status, "reset", "auth.reset.title", form)
	}
	form.Email, form.Valid = u.Email, true
	return s.render(c, fiber.StatusOK, "reset", "auth.reset.title", form)
}
