package dashboards

import "github.com/gofiber/fiber/v2"

// homeShow greets the user with what their role can do here.
func (s *Server) homeShow(c *fiber.Ctx) error {
	st := state(c)
	var co *Coop
	if st.scope.CoopID != "" {
		var err error
		if co, err = s.findCoop(c, st.scope, st.scope.CoopID); err != nil {
			co = &Coop{ID: st.scope.CoopID} // a user whose cooperative left the registry still gets a page
		}
	}
	return s.render(c, fiber.StatusOK, "home", "nav.home", map[string]any{"Coop": co})
}
