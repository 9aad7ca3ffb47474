package dashboards

import "github.com/gofiber/fiber/v2"

// apiDatasetsList is the data contract's datasets, so a script knows which
// ?dataset= to name and which template to fetch; each column's name, type and
// whether it is required, titles in Italian and English.
func (s *Server) apiDatasetsList(c *fiber.Ctx) error {
	type column struct {
		Name     string `json:"name"`
		Type     string `json:"type"`
		Required bool   `json:"required"`
	}
	type dataset struct {
		Name        string            `json:"name"`
		Title       map[string]string `json:"title"`
		Level       string            `json:"level"`
		Replaces    map[string]string `json:"replaces"`
		Columns     []column          `json:"columns"`
		TemplateCSV string            `json:"template_csv"`
	}
	out := []dataset{}
	for _, d := range s.catalog().Datasets {
		ds := dataset{Name: d.Name, Title: map[string]string{"it": d.Title.It, "en": d.Title.En}, Level: string(d.Level),
			Replaces:    map[string]string{"it": d.Slice.Doc.It, "en": d.Slice.Doc.En},
			TemplateCSV: "/api/v1/templates/" + d.Name + "/csv"}
		for _, col := range d.Columns {
			ds.Columns = append(ds.Columns, column{Name: col.Name, Type: string(col.Type), Required: col.Required})
		}
		out = append(out, ds)
	}
	return c.JSON(out)
}
