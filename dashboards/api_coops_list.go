package dashboards

import "github.com/gofiber/fiber/v2"

// apiCoopsList lists the cooperatives in scope.
func (s *Server) apiCoopsList(c *fiber.Ctx) error {
	coops, err := s.findCoops(c, state(c).scope)
	if err != nil {
		return err
	}
	return c.JSON(coops)
}
