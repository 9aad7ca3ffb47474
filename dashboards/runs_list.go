package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"coopimpact/ingest"
)

// runsPage is the history of ingest runs of a cooperative (or all, for the hub).
type runsPage struct {
	Coop *Coop
	Runs []ingest.Run
}

const runsShown = 200

// runsList shows who uploaded what, when, and how it went.
func (s *Server) runsList(c *fiber.Ctx) error {
	p := &runsPage{Coop: coopOf(c)}
	var err error
	if p.Runs, err = s.runs(c, p.Coop, runsShown); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "runs", "ingest.history.title", p)
}

// runs lists ingest runs within the scope, of one cooperative when co is set.
func (s *Server) runs(c *fiber.Ctx, co *Coop, limit int) ([]ingest.Run, error) {
	if s.deps.Ingest == nil {
		return nil, errNotConfigured
	}
	f := ingest.RunFilter{Limit: limit}
	if co != nil {
		f.CoopID = co.ID
	}
	defer s.dbTimer("ingest.Runs")()
	runs, err := s.deps.Ingest.Runs(c.UserContext(), state(c).scope.IngestScope(), f)
	if runs == nil {
		runs = []ingest.Run{}
	}
	return runs, err
}
