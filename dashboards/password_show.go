package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

type passwordForm struct {
	MinLen  int
	Message string
}

// passwordShow is the form to change one's own password.
func (s *Server) passwordShow(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "password", "auth.password.change.title", passwordForm{MinLen: auth.MinPasswordLen})
}
