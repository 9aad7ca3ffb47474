package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// settingsSubmit saves the user's name and language.
func (s *Server) settingsSubmit(c *fiber.Ctx) error {
	st := state(c)
	if st.user == nil {
		return auth.ErrUnauthenticated
	}
	name, lang := c.FormValue("name"), c.FormValue("lang")
	done := s.dbTimer("auth.UpdateUser")
	_, err := s.deps.Auth.UpdateUser(c.UserContext(), st.scope, st.user.ID, auth.UserUpdate{Name: &name, Lang: &lang})
	done()
	if err != nil {
		return err
	}
	s.flash(c, "settings.saved")
	return c.Redirect("/settings", fiber.StatusSeeOther)
}
