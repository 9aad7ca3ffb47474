package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// userShow is one account: its details, the form to change name and
// language, and the actions its manager may take. Accounts outside the
// caller's reach are a 404 (auth decides).
func (s *Server) userShow(c *fiber.Ctx) error {
	u, err := s.findUser(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "user", "users.title", u)
}

func (s *Server) findUser(c *fiber.Ctx) (*auth.User, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, auth.ErrNotFound
	}
	defer s.dbTimer("auth.FindUserByID")()
	return s.deps.Auth.FindUserByID(c.UserContext(), state(c).scope, int64(id))
}
