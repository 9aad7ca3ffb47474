package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// tokensPage lists the user's API tokens; Created is a new token, shown once.
type tokensPage struct {
	Tokens  []*auth.APIToken
	Created string
	Message string
}

// tokensList shows the user's API tokens and the form to create one.
func (s *Server) tokensList(c *fiber.Ctx) error {
	p, err := s.tokensPage(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "tokens", "tokens.title", p)
}

func (s *Server) tokensPage(c *fiber.Ctx) (*tokensPage, error) {
	st := state(c)
	defer s.dbTimer("auth.FindAPITokens")()
	ts, err := s.deps.Auth.FindAPITokens(c.UserContext(), st.scope, st.scope.UserID)
	if err != nil {
		return nil, err
	}
	return &tokensPage{Tokens: ts}, nil
}
