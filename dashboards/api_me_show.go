package dashboards

import "github.com/gofiber/fiber/v2"

// apiMeShow is who the credentials belong to (with a session, its CSRF
// token in X-CSRF-Token: the API way to get one again).
func (s *Server) apiMeShow(c *fiber.Ctx) error {
	st := state(c)
	if st.session != nil {
		c.Set(csrfHeader, st.session.CSRFToken())
	}
	sc := st.scope
	return c.JSON(fiber.Map{"email": sc.Email, "role": sc.Role, "coop_id": sc.CoopID})
}
