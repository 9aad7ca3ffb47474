package dashboards

import "github.com/gofiber/fiber/v2"

// logoutSubmit ends the session and drops the cookie.
func (s *Server) logoutSubmit(c *fiber.Ctx) error {
	if err := s.logout(c); err != nil {
		return err
	}
	s.flash(c, "auth.logout.done")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

func (s *Server) logout(c *fiber.Ctx) error {
	if st := state(c); st.session != nil && s.deps.Auth != nil {
		defer s.dbTimer("auth.Logout")()
		if err := s.deps.Auth.Logout(c.UserContext(), st.session.ID); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	return nil
}
