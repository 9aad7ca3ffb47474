package dashboards

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPIDoc describes the JSON API; TestOpenAPIMatchesRoutes keeps it in
// step with the routes.
//
//go:embed openapi.json
var openAPIDoc []byte

// apiOpenAPIShow serves the OpenAPI 3 document.
func (s *Server) apiOpenAPIShow(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPIDoc)
}
