package dashboards

import "github.com/gofiber/fiber/v2"

// apiSessionDelete signs out (204 whether or not there was a session).
func (s *Server) apiSessionDelete(c *fiber.Ctx) error {
	if err := s.logout(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
