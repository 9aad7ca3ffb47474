package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// usersList shows the accounts the admin manages: every account for the
// hub admin (optionally of one cooperative), their cooperative's for a coop admin.
func (s *Server) usersList(c *fiber.Ctx) error {
	st := state(c)
	f := auth.UserFilter{}
	if st.scope.IsHub() {
		f.CoopID = c.Query("coop")
	}
	done := s.dbTimer("auth.FindUsers")
	users, err := s.deps.Auth.FindUsers(c.UserContext(), st.scope, f)
	done()
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "users", "users.title", map[string]any{"Users": users, "Coop": f.CoopID})
}
