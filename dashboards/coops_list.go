package dashboards

import "github.com/gofiber/fiber/v2"

// coopsList lists the cooperatives in the user's scope.
func (s *Server) coopsList(c *fiber.Ctx) error {
	coops, err := s.findCoops(c, state(c).scope)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "coops", "coops.title", coops)
}
