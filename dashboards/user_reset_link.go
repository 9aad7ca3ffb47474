package dashboards

import (
	"github.com/gofiber/fiber/v2"
)

// userResetLink makes a new one-time password link for an account the
// caller manages and shows it to copy (earlier unused links stop working).
func (s *Server) userResetLink(c *fiber.Ctx) error {
	u, err := s.findUser(c)
	if err != nil {
		return err
	}
	return s.showResetLink(c, u)
}
