package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/ingest"
	"coopimpact/ingest/catalog"
)

// uploadPage is the upload form and, after a submission, its results.
type uploadPage struct {
	Coop         *Coop // nil: the hub's own upload page (network datasets such as the registry)
	Action       string
	Datasets     []datasetOption
	Dataset      string
	AllowRejects bool
	Results      []*ingest.Report
}

type datasetOption struct {
	Name, Title string
}

// uploadShow is the upload form of a cooperative (or of the hub).
func (s *Server) uploadShow(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "upload", "upload.title", s.uploadPage(c))
}

func (s *Server) uploadPage(c *fiber.Ctx) *uploadPage {
	st := state(c)
	p := &uploadPage{Coop: coopOf(c), Action: "/upload"}
	if p.Coop != nil {
		p.Action = "/coops/" + p.Coop.ID + "/upload"
	}
	for _, d := range s.catalog().Datasets {
		if d.Level == catalog.LevelHub && !st.scope.IsHub() {
			continue // only the hub loads network-level data
		}
		p.Datasets = append(p.Datasets, datasetOption{Name: d.Name, Title: d.Title.Get(string(st.lang))})
	}
	return p
}
