package dashboards

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
	"coopimpact/internal/i18n"
)

// preferencesSubmit stores the language and theme switches of the page
// header: the theme in a cookie, the language on the account (or, for a
// visitor, in a cookie). app.js posts it in the background and gets 204.
func (s *Server) preferencesSubmit(c *fiber.Ctx) error {
	st := state(c)
	year := time.Now().AddDate(1, 0, 0)
	switch t := c.FormValue("theme"); t {
	case "light", "dark":
		s.setCookie(c, themeCookie, t, year)
	case "system":
		s.clearCookie(c, themeCookie)
	}
	if l := c.FormValue("lang"); l != "" {
		lang := string(i18n.Parse(l))
		if st.user != nil && s.deps.Auth != nil {
			done := s.dbTimer("auth.UpdateUser")
			_, err := s.deps.Auth.UpdateUser(c.UserContext(), st.scope, st.user.ID, auth.UserUpdate{Lang: &lang})
			done()
			if err != nil {
				return err
			}
		}
		s.setCookie(c, langCookie, lang, year)
	}
	if c.Get("X-Requested-With") == "fetch" {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(safeNext(c.FormValue("next")), fiber.StatusSeeOther)
}
