package dashboards

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
	"coopimpact/internal/i18n"
)

// resetSubmit sets the new password of a reset link and sends the user to sign in.
func (s *Server) resetSubmit(c *fiber.Ctx) error {
	if s.deps.Auth == nil {
		return errNotConfigured
	}
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	lang := state(c).lang
	token := c.Params("token")
	form := resetForm{Token: token, Valid: true, MinLen: auth.MinPasswordLen}
	pw, confirm := c.FormValue("password"), c.FormValue("confirm")
	if pw != confirm {
		form.Message = i18n.T(lang, "auth.password.mismatch")
		return s.render(c, fiber.StatusUnprocessableEntity, "reset", "auth.reset.title", form)
	}
	done := s.dbTimer("auth.ResetPassword")
	err := s.deps.Auth.ResetPassword(c.UserContext(), token, pw)
	done()
	if err != nil {
		if authStatus(err) == 0 {
			return err
		}
		f := s.describe(err, lang)
		form.Message = f.Message
		form.Valid = !errors.Is(err, auth.ErrResetLinkInvalid)
		return s.render(c, f.Status, "reset", "auth.reset.title", form)
	}
	s.flash(c, "auth.reset.done")
	return c.Redirect("/login", fiber.StatusSeeOther)
}
