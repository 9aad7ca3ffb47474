package dashboards

import (
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/i18n"
)

// apiSessionCreate signs in with {"email","password"} and answers 204 with
// the session cookie and, in X-CSRF-Token, the token for state changes. Only a JSON body is accepted, which a cross-site form
// cannot send; failures are worded as on the login page.
func (s *Server) apiSessionCreate(c *fiber.Ctx) error {
	if s.deps.Auth == nil {
		return errNotConfigured
	}
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
		return errNotJSON
	}
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return errBadRequest
	}
	sess, err := s.login(c, in.Email, in.Password)
	if err != nil {
		status, key, ok := loginRefusal(c, err)
		if !ok {
			return err
		}
		lang := state(c).lang
		return c.Status(status).JSON(fiber.Map{"error": i18n.T(lang, key), "code": strings.TrimPrefix(key, "auth.login."),
			"request_id": c.Locals(requestIDKey)})
	}
	c.Set(csrfHeader, sess.CSRFToken()) // what a script sends back on its next POST or DELETE
	return c.SendStatus(fiber.StatusNoContent)
}
