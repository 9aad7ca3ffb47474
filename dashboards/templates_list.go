package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/ingest"
	"coopimpact/ingest/catalog"
)

// templateItem is one dataset's row on the templates page.
type templateItem struct {
	Name        string
	Title       string
	Description string
	Required    []string
	HubOnly     bool
}

// templatesList offers an empty CSV and XLSX file for every dataset.
func (s *Server) templatesList(c *fiber.Ctx) error {
	lang := string(state(c).lang)
	var items []templateItem
	for _, d := range s.catalog().Datasets {
		it := templateItem{Name: d.Name, Title: d.Title.Get(lang), Description: d.Description.Get(lang),
			HubOnly: d.Level == catalog.LevelHub}
		for _, col := range d.Required() {
			it.Required = append(it.Required, ingest.TemplateHeader(col))
		}
		items = append(items, it)
	}
	return s.render(c, fiber.StatusOK, "templates", "templates.title", items)
}
