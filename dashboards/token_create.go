package dashboards

import (
	"github.com/gofiber/fiber/v2"
)

// tokenCreate makes an API token for the user and shows it this once.
func (s *Server) tokenCreate(c *fiber.Ctx) error {
	st := state(c)
	done := s.dbTimer("auth.CreateAPIToken")
	raw, err := s.deps.Auth.CreateAPIToken(c.UserContext(), st.scope, st.scope.UserID, c.FormValue("name"))
	done()
	status := fiber.StatusOK
	var msg string
	if err != nil {
		if authStatus(err) == 0 {
			return err
		}
		f := s.describe(err, st.lang)
		status, msg = f.Status, f.Message
	}
	p, lerr := s.tokensPage(c)
	if lerr != nil {
		return lerr
	}
	p.Created, p.Message = raw, msg
	return s.render(c, status, "tokens", "tokens.title", p)
}
