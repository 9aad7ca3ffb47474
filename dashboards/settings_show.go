package dashboards

import "github.com/gofiber/fiber/v2"

// settingsShow is the user's own profile: name, language, theme, and links
// to the password and API-token pages.
func (s *Server) settingsShow(c *fiber.Ctx) error {
	theme := c.Cookies(themeCookie)
	if theme != "light" && theme != "dark" {
		theme = "system"
	}
	return s.render(c, fiber.StatusOK, "settings", "settings.title", map[string]any{"Theme": theme})
}
