package dashboards

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"coopimpact/internal/auth"
)

// Coop is a row of the cooperatives registry as the portal shows it.
type Coop struct {
	ID     string `json:"coop_id"`
	Name   string `json:"name"`
	Type   string `json:"coop_type"`
	Region string `json:"region"`
}

const coopColumns = `coop_id, coalesce(name, ''), coalesce(coop_type, ''), coalesce(region, '')`

// findCoop returns the cooperative if the scope covers it; otherwise
// auth.ErrNotFound, exactly as for an id that does not exist.
func (s *Server) findCoop(c *fiber.Ctx, sc auth.Scope, id string) (*Coop, error) {
	id = strings.ToUpper(strings.TrimSpace(id))
	if id == "" || !sc.CanSeeCoop(id) {
		return nil, auth.ErrNotFound
	}
	if s.deps.Store == nil {
		return nil, errNotConfigured
	}
	defer s.dbTimer("coops.find")()
	var co Coop
	err := s.deps.Store.QueryRowContext(c.UserContext(), `SELECT `+coopColumns+` FROM cooperatives WHERE coop_id = ?`, id).
		Scan(&co.ID, &co.Name, &co.Type, &co.Region)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, auth.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &co, nil
}

// findCoops lists the cooperatives in the scope, by name: the hub sees the
// network, anyone else their own cooperative.
func (s *Server) findCoops(c *fiber.Ctx, sc auth.Scope) ([]Coop, error) {
	if sc.IsAnonymous() {
		return nil, auth.ErrUnauthenticated
	}
	if s.deps.Store == nil {
		return nil, errNotConfigured
	}
	defer s.dbTimer("coops.list")()
	rows, err := s.deps.Store.QueryContext(c.UserContext(), `SELECT `+coopColumns+` FROM cooperatives
		WHERE ?::BOOLEAN OR coop_id = ? ORDER BY name, coop_id`, sc.IsHub(), sc.CoopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Coop{}
	for rows.Next() {
		var co Coop
		if err := rows.Scan(&co.ID, &co.Name, &co.Type, &co.Region); err != nil {
			return nil, err
		}
		out = append(out, co)
	}
	return out, rows.Err()
}
