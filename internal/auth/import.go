package auth

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaxImportRows bounds one staff import.
const MaxImportRows = 10000

// StaffRow is one row of a staff list as the caller parsed it (CSV or XLSX).
type StaffRow struct {
	Line  int // the row's line in the file, for messages; 0: its position counted from 1
	Name  string
	Email string
	Role  string // staff (when empty), board or coop_admin; also the Italian words of roleWords
}

// ImportReport says what an import did, or would have done and why it did not.
type ImportReport struct {
	CoopID    string        `json:"coop_id"`
	Created   int           `json:"created"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Rows      []ImportedRow `json:"rows"`
	Problems  []RowProblem  `json:"problems"`
}

// ImportedRow is one account the import created, updated or found unchanged.
// Created accounts have no password: the portal sends each a reset link
// (CreateResetToken) to set one.
type ImportedRow struct {
	Line   int    `json:"line"`
	Email  string `json:"email"`
	UserID int64  `json:"user_id"`
	Action string `json:"action"` // created | updated | unchanged
}

// RowProblem is why one row cannot be imported, Italian first.
type RowProblem struct {
	Line  int    `json:"line"`
	Field string `json:"field"` // email | role | name
	Value string `json:"value"`
	Code  string `json:"code"`
	It    string `json:"it"`
	En    string `json:"en"`
}

// Message is the problem's sentence in lang ("en" or Italian).
func (p RowProblem) Message(lang string) string {
	if lang == "en" {
		return p.En
	}
	return p.It
}

// roleWords are the spellings a staff list may use for each role.
var roleWords = map[string]Role{
	"": RoleStaff, "staff": RoleStaff, "personale": RoleStaff, "dipendente": RoleStaff, "lavoratore": RoleStaff,
	"lavoratrice": RoleStaff, "socio lavoratore": RoleStaff, "socia lavoratrice": RoleStaff, "operatore": RoleStaff, "operatrice": RoleStaff,
	"board": RoleBoard, "cda": RoleBoard, "consiglio": RoleBoard, "consigliere": RoleBoard, "consigliera": RoleBoard,
	"consiglio di amministrazione": RoleBoard,
	"coop_admin":                   RoleCoopAdmin, "referente": RoleCoopAdmin, "referente dati": RoleCoopAdmin,
}

// ImportStaff creates or updates the accounts of a cooperative's staff list,
// all or nothing: if any row has a problem, nothing is written and the
// report lists every problem (with ErrImportRejected). An address already in
// the cooperative updates that account's name and role; one belonging to
// another cooperative or to the hub is a problem. The hub admin may import
// any cooperative's list; its data manager their own, with staff and board
// roles only.
func (s *Service) ImportStaff(ctx context.Context, by Scope, coopID string, rows []StaffRow) (ImportReport, error) {
	s.init()
	coop := normCoop(coopID)
	rep := ImportReport{CoopID: coop, Rows: []ImportedRow{}, Problems: []RowProblem{}}
	if by.IsAnonymous() {
		return rep, errNeedLogin
	}
	if !by.IsAdmin() {
		return rep, errForbidden
	}
	if coop == "" {
		return rep, ErrCoopRequired
	}
	if !by.CanSeeCoop(coop) {
		return rep, errNotFound
	}
	if len(rows) > MaxImportRows {
		return rep, invalid("import_too_large", "",
			fmt.Sprintf("Il file ha %d righe: se ne possono importare al massimo %d per volta.", len(rows), MaxImportRows),
			fmt.Sprintf("The file has %d rows: at most %d can be imported at a time.", len(rows), MaxImportRows))
	}
	if ok, err := s.coopExists(ctx, s.DB, coop); err != nil {
		return rep, err
	} else if !ok {
		return rep, ErrCoopUnknown
	}

	type plan struct {
		line  int
		email string
		name  string
		role  Role
		old   *User
	}
	var plans []*plan
	seen := map[string]int{}
	problem := func(line int, field, value, code, it, en string, args ...any) {
		rep.Problems = append(rep.Problems, RowProblem{Line: line, Field: field, Value: value, Code: code,
			It: fmt.Sprintf(it, args...), En: fmt.Sprintf(en, args...)})
	}
	// First the rows on their own, then against the accounts that exist.
	for i, r := range rows {
		line := r.Line
		if line == 0 {
			line = i + 1
		}
		bad := len(rep.Problems)
		email := normEmail(r.Email)
		switch {
		case email == "":
			problem(line, "email", r.Email, "email_missing", "manca l'indirizzo e-mail", "the e-mail address is missing")
		case !validEmail(email):
			problem(line, "email", r.Email, "email_invalid", "l'indirizzo e-mail non è valido", "the e-mail address is not valid")
		case seen[email] != 0:
			problem(line, "email", r.Email, "email_repeated", "l'indirizzo è già alla riga %d", "the address is already on line %d", seen[email])
		default:
			seen[email] = line
		}
		roleText := strings.ToLower(strings.Join(strings.Fields(r.Role), " "))
		role, ok := roleWords[roleText]
		if !ok {
			role, ok = ParseRole(roleText)
		}
		switch {
		case !ok || role.IsHub():
			problem(line, "role", r.Role, "role_invalid", "ruolo sconosciuto: usare staff, board o coop_admin",
				"unknown role: use staff, board or coop_admin")
		case !canManage(by, role, coop):
			problem(line, "role", r.Role, "role_not_allowed", "solo l'hub può assegnare il ruolo %s",
				"only the hub can give the role %s", string(role))
		}
		name := strings.TrimSpace(r.Name)
		if utf8.RuneCountInString(name) > maxNameLen {
			problem(line, "name", name, "name_too_long", "il nome supera i %d caratteri", "the name is longer than %d characters", maxNameLen)
		}
		if len(rep.Problems) == bad {
			plans = append(plans, &plan{line: line, email: email, name: name, role: role})
		}
	}

	err := s.inTx(ctx, func(tx *sql.Tx) error {
		emails := make([]string, len(plans))
		for i, p := range plans {
			emails[i] = p.email
		}
		existing := map[string]*User{}
		rs, err := tx.QueryContext(ctx, `SELECT `+userColumns("")+` FROM users WHERE email IN (SELECT unnest(?::VARCHAR[]))`, emails)
		if err != nil {
			return err
		}
		for rs.Next() {
			u, _, err := scanUser(rs)
			if err != nil {
				rs.Close()
				return err
			}
			existing[u.Email] = u
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		var fresh []*plan
		for _, p := range plans {
			old := existing[p.email]
			switch {
			case old == nil:
				fresh = append(fresh, p)
			case !strings.EqualFold(old.CoopID, coop):
				problem(p.line, "email", p.email, "email_elsewhere", "l'indirizzo appartiene già a un account di un'altra organizzazione",
					"the address already belongs to an account of another organisation")
			case !canManage(by, old.Role, old.CoopID):
				problem(p.line, "email", p.email, "account_not_allowed", "l'account esiste con il ruolo %s, che solo l'hub può modificare",
					"the account exists with the role %s, which only the hub can change", string(old.Role))
			default:
				p.old = old
			}
		}
		if len(rep.Problems) > 0 {
			sort.SliceStable(rep.Problems, func(i, j int) bool { return rep.Problems[i].Line < rep.Problems[j].Line })
			return ErrImportRejected
		}
		// New accounts go in by chunks of multi-row INSERTs: one statement per
		// row would make a large list slow.
		ids := map[string]int64{}
		now := s.now()
		for start := 0; start < len(fresh); start += 500 {
			chunk := fresh[start:min(start+500, len(fresh))]
			var q strings.Builder
			q.WriteString(`INSERT INTO users (email, name, role, coop_id, lang, disabled, created_at) VALUES `)
			args := make([]any, 0, 5*len(chunk))
			for i, p := range chunk {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString(`(?, ?, ?, ?, 'it', false, ?)`)
				args = append(args, p.email, p.name, string(p.role), coop, now)
			}
			q.WriteString(` RETURNING id, email`)
			rs, err := tx.QueryContext(ctx, q.String(), args...)
			if isConstraint(err) {
				return ErrEmailTaken // lost a race with another creation of one of these addresses
			}
			if err != nil {
				return err
			}
			for rs.Next() {
				var id int64
				var email string
				if err := rs.Scan(&id, &email); err != nil {
					rs.Close()
					return err
				}
				ids[email] = id
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return err
			}
		}
		for _, p := range plans {
			row := ImportedRow{Line: p.line, Email: p.email}
			switch {
			case p.old == nil:
				row.UserID, row.Action = ids[p.email], "created"
				rep.Created++
			case (p.name != "" && p.name != p.old.Name) || p.role != p.old.Role:
				name := p.name
				if name == "" {
					name = p.old.Name
				}
				if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, role = ? WHERE id = ?`, name, string(p.role), p.old.ID); err != nil {
					return err
				}
				row.UserID, row.Action = p.old.ID, "updated"
				rep.Updated++
			default:
				row.UserID, row.Action = p.old.ID, "unchanged"
				rep.Unchanged++
			}
			rep.Rows = append(rep.Rows, row)
		}
		return nil
	})
	if err != nil {
		rep.Created, rep.Updated, rep.Unchanged, rep.Rows = 0, 0, 0, []ImportedRow{}
		return rep, err
	}
	return rep, nil
}
