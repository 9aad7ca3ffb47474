package dashboards

import "github.com/gofiber/fiber/v2"

// coopShow is one cooperative's page (inCoop has checked the scope).
func (s *Server) coopShow(c *fiber.Ctx) error {
	co := coopOf(c)
	return s.render(c, fiber.StatusOK, "coop", "coops.title", co)
}
