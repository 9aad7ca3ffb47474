package dashboards

import "github.com/gofiber/fiber/v2"

// healthz answers while the process is up; it checks nothing else.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}
