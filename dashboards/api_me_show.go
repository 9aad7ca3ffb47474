package dashboards

import "github.com/gofiber/fiber/v2"

// apiMeShow is who the credentials belong to.
func (s *Server) apiMeShow(c *fiber.Ctx) error {
	sc := state(c).scope
	return c.JSON(fiber.Map{"email": sc.Email, "role": sc.Role, "coop_id": sc.CoopID})
}
