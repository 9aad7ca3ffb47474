package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"coopimpact/internal/store"
)

// Defaults of the Service's settings.
const (
	DefaultIdleTimeout     = 2 * time.Hour
	DefaultAbsoluteTimeout = 30 * 24 * time.Hour
	DefaultResetTTL        = 24 * time.Hour
	DefaultMaxFailures     = 10
	DefaultFailureWindow   = time.Minute
	DefaultMaxHashing      = 4 // concurrent argon2id computations: bounds memory to 4 × Params.Memory

	lastSeenEvery = time.Minute // sessions' and tokens' last-use stamps are written at most this often
	maxNameLen    = 200
)

// Service is the account domain. Build it as a struct literal; zero settings
// take the defaults above. Do not copy a Service after first use (it holds
// the in-memory login limiter).
type Service struct {
	DB  *store.DB
	Now func() time.Time // nil: time.Now; also the rate limiter's clock

	IdleTimeout     time.Duration // a session unused this long ends (default 2 h)
	AbsoluteTimeout time.Duration // a session ends this long after login, whatever the use (default 30 days)
	ResetTTL        time.Duration // a password-reset link works this long (default 24 h)
	Params          Params        // argon2id cost (default DefaultParams)
	MaxFailures     int           // failed logins allowed per account and per IP within FailureWindow (default 10)
	FailureWindow   time.Duration // sliding window of the login limiter (default 1 minute)
	MaxHashing      int           // concurrent password hashes (default 4)

	once    sync.Once
	limiter *limiter
	hashing chan struct{}
	kdf     kdfFunc // nil: argon2.IDKey (tests wrap it to count the work)
}

func (s *Service) init() {
	s.once.Do(func() {
		if s.IdleTimeout <= 0 {
			s.IdleTimeout = DefaultIdleTimeout
		}
		if s.AbsoluteTimeout <= 0 {
			s.AbsoluteTimeout = DefaultAbsoluteTimeout
		}
		if s.ResetTTL <= 0 {
			s.ResetTTL = DefaultResetTTL
		}
		s.Params = s.Params.orDefault()
		if s.MaxFailures <= 0 {
			s.MaxFailures = DefaultMaxFailures
		}
		if s.FailureWindow <= 0 {
			s.FailureWindow = DefaultFailureWindow
		}
		if s.MaxHashing <= 0 {
			s.MaxHashing = DefaultMaxHashing
		}
		if s.kdf == nil {
			s.kdf = argon2.IDKey
		}
		s.hashing = make(chan struct{}, s.MaxHashing)
		s.limiter = newLimiter(s.MaxFailures, s.FailureWindow)
	})
}

// now is UTC at DuckDB's TIMESTAMP precision, so values round-trip unchanged.
func (s *Service) now() time.Time {
	t := time.Now()
	if s.Now != nil {
		t = s.Now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// acquire bounds concurrent argon2id work: each hash holds Params.Memory.
func (s *Service) acquire(ctx context.Context) (release func(), err error) {
	select {
	case s.hashing <- struct{}{}:
		return func() { <-s.hashing }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Service) hash(ctx context.Context, password string) (string, error) {
	release, err := s.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return hashPassword(s.kdf, s.Params, password), nil
}

// verify checks password against encoded; with no stored hash it does the
// same work against a dummy salt, so the answer takes as long either way.
func (s *Service) verify(ctx context.Context, encoded, password string) (ok, stale bool, err error) {
	release, err := s.acquire(ctx)
	if err != nil {
		return false, false, err
	}
	defer release()
	if encoded == "" {
		dummyVerify(s.kdf, s.Params, password)
		return false, false, nil
	}
	ok, stale = verifyPassword(s.kdf, encoded, password, s.Params)
	return ok, stale, nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func userColumns(alias string) string {
	a := ""
	if alias != "" {
		a = alias + "."
	}
	return fmt.Sprintf(`%[1]sid, %[1]semail, %[1]sname, %[1]srole, coalesce(%[1]scoop_id, ''), %[1]slang, %[1]sdisabled,
		coalesce(%[1]spassword_hash, ''), %[1]screated_at, %[1]spassword_changed_at`, a)
}

type scanner interface{ Scan(dest ...any) error }

// scanUser reads userColumns; the hash stays inside the package.
func scanUser(sc scanner, extra ...any) (*User, string, error) {
	var u User
	var role, hash string
	var changed sql.NullTime
	dest := append([]any{&u.ID, &u.Email, &u.Name, &role, &u.CoopID, &u.Lang, &u.Disabled, &hash, &u.CreatedAt, &changed}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, "", err
	}
	u.Role = Role(role)
	u.HasPassword = hash != ""
	u.CreatedAt = u.CreatedAt.UTC()
	if changed.Valid {
		t := changed.Time.UTC()
		u.PasswordChangedAt = &t
	}
	return &u, hash, nil
}

// userBy loads one user; (nil, "", nil) when there is none.
func userBy(ctx context.Context, q querier, column string, value any) (*User, string, error) {
	u, hash, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns("")+` FROM users WHERE `+column+` = ?`, value))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	return u, hash, err
}

func isConstraint(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && de.Type == duckdb.ErrorTypeConstraint
}

// normEmail is the one spelling of an address: trimmed, NFC, lower case.
func normEmail(s string) string { return strings.ToLower(norm.NFC.String(strings.TrimSpace(s))) }

func normCoop(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// validEmail accepts a bare address (no display name) with a dotted domain.
func validEmail(e string) bool {
	if e == "" || len(e) > 254 || strings.ContainsFunc(e, unicode.IsSpace) {
		return false
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Name != "" || !strings.EqualFold(a.Address, e) {
		return false
	}
	local, domain, ok := strings.Cut(e, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > maxNameLen {
		return "", ErrNameTooLong
	}
	return name, nil
}

func checkLang(lang string) (string, error) {
	switch l := strings.ToLower(strings.TrimSpace(lang)); l {
	case "":
		return "it", nil
	case "it", "en":
		return l, nil
	}
	return "", ErrLangInvalid
}

func (s *Service) coopExists(ctx context.Context, q querier, coopID string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM cooperatives WHERE upper(coop_id) = ?`, coopID).Scan(&n)
	return n > 0, err
}

// NewUser is an account to create. An empty Password creates an invited
// account that cannot sign in until a reset link sets one.
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	CoopID   string // required for coop_admin, board and staff; must be empty for hub roles
	Password string
	Lang     string // "it" (default) or "en"
}

// CreateUser adds an account. The hub admin may create any; a cooperative's
// data manager staff and board accounts of their own cooperative (CoopID may be
// left empty: it defaults to theirs).
func (s *Service) CreateUser(ctx context.Context, by Scope, nu NewUser) (*User, error) {
	s.init()
	if by.IsAnonymous() {
		return nil, errNeedLogin
	}
	email := normEmail(nu.Email)
	role, ok := ParseRole(string(nu.Role))
	coop := normCoop(nu.CoopID)
	if ok && !role.IsHub() && coop == "" && by.Role == RoleCoopAdmin {
		coop = by.CoopID
	}
	if err := s.authoriseCreate(by, role, ok, coop); err != nil {
		return nil, err
	}
	u, _, err := s.prepareUser(ctx, s.DB, email, nu.Name, role, coop, nu.Lang)
	if err != nil {
		return nil, err
	}
	var hash sql.NullString
	if nu.Password != "" {
		if err := CheckPassword(nu.Password, email); err != nil {
			return nil, err
		}
		h, err := s.hash(ctx, nu.Password)
		if err != nil {
			return nil, err
		}
		hash = sql.NullString{String: h, Valid: true}
	}
	return s.insertUser(ctx, s.DB, u, hash)
}

// authoriseCreate: only admins create accounts; a cooperative outside the
// scope is not found; a role the caller may not hand out is forbidden.
func (s *Service) authoriseCreate(by Scope, role Role, roleOK bool, coop string) error {
	if !by.IsAdmin() {
		return errForbidden
	}
	if !roleOK {
		return ErrRoleInvalid
	}
	if role.IsHub() {
		if !canManage(by, role, "") {
			return errForbidden
		}
		return nil
	}
	if coop != "" && !by.CanSeeCoop(coop) {
		return errNotFound
	}
	if coop != "" && !canManage(by, role, coop) {
		return errForbidden
	}
	return nil
}

// prepareUser validates a new account's fields (not the password) and that
// the e-mail is free and the cooperative exists.
func (s *Service) prepareUser(ctx context.Context, q querier, email, name string, role Role, coop, lang string) (*User, string, error) {
	if !validEmail(email) {
		return nil, "", ErrEmailInvalid
	}
	name, err := checkName(name)
	if err != nil {
		return nil, "", err
	}
	if lang, err = checkLang(lang); err != nil {
		return nil, "", err
	}
	if role.IsHub() && coop != "" {
		return nil, "", ErrCoopNotAllowed
	}
	if !role.IsHub() {
		if coop == "" {
			return nil, "", ErrCoopRequired
		}
		ok, err := s.coopExists(ctx, q, coop)
		if err != nil {
			return nil, "", err
		}
		if !ok {
			return nil, "", ErrCoopUnknown
		}
	}
	if old, _, err := userBy(ctx, q, "email", email); err != nil {
		return nil, "", err
	} else if old != nil {
		return nil, "", ErrEmailTaken
	}
	return &User{Email: email, Name: name, Role: role, CoopID: coop, Lang: lang}, "", nil
}

func (s *Service) insertUser(ctx context.Context, q querier, u *User, hash sql.NullString) (*User, error) {
	now := s.now()
	var coop sql.NullString
	if u.CoopID != "" {
		coop = sql.NullString{String: u.CoopID, Valid: true}
	}
	var changed sql.NullTime
	if hash.Valid {
		changed = sql.NullTime{Time: now, Valid: true}
	}
	err := q.QueryRowContext(ctx, `INSERT INTO users (email, name, role, coop_id, password_hash, lang, disabled, created_at, password_changed_at)
		VALUES (?, ?, ?, ?, ?, ?, false, ?, ?) RETURNING id`, u.Email, u.Name, string(u.Role), coop, hash, u.Lang, now, changed).Scan(&u.ID)
	if isConstraint(err) {
		return nil, ErrEmailTaken // lost a race with another creation of the same address
	}
	if err != nil {
		return nil, err
	}
	u.CreatedAt = now
	u.HasPassword = hash.Valid
	if changed.Valid {
		u.PasswordChangedAt = &now
	}
	return u, nil
}

// FindUserByID returns the account if the caller may see it, else ErrNotFound.
func (s *Service) FindUserByID(ctx context.Context, by Scope, id int64) (*User, error) {
	s.init()
	if by.IsAnonymous() {
		return nil, errNeedLogin
	}
	u, _, err := userBy(ctx, s.DB, "id", id)
	if err != nil {
		return nil, err
	}
	if u == nil || !canSee(by, u) {
		return nil, errNotFound
	}
	return u, nil
}

// UserFilter narrows FindUsers; empty fields match everything.
type UserFilter struct {
	CoopID string
	Role   Role
	Email  string
}

// FindUsers lists the accounts the caller may see, by cooperative then e-mail:
// the hub admin every account, a cooperative's data manager their
// cooperative's, anyone else only their own.
func (s *Service) FindUsers(ctx context.Context, by Scope, f UserFilter) ([]*User, error) {
	s.init()
	if by.IsAnonymous() {
		return nil, errNeedLogin
	}
	var where []string
	var args []any
	switch by.Role {
	case RoleHubAdmin:
	case RoleCoopAdmin:
		where, args = append(where, "coop_id = ?"), append(args, by.CoopID)
	default:
		where, args = append(where, "id = ?"), append(args, by.UserID)
	}
	if f.CoopID != "" {
		where, args = append(where, "coop_id = ?"), append(args, normCoop(f.CoopID))
	}
	if f.Role != "" {
		where, args = append(where, "role = ?"), append(args, string(f.Role))
	}
	if f.Email != "" {
		where, args = append(where, "email = ?"), append(args, normEmail(f.Email))
	}
	q := `SELECT ` + userColumns("") + ` FROM users`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY coop_id NULLS FIRST, email`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*User{}
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// target loads an account the caller acts on: ErrNotFound if they cannot see
// it, ErrForbidden if they see it but may not manage it (unless self is allowed
// and it is their own).
func (s *Service) target(ctx context.Context, by Scope, id int64, selfOK bool) (*User, error) {
	u, err := s.FindUserByID(ctx, by, id)
	if err != nil {
		return nil, err
	}
	if selfOK && by.UserID == u.ID {
		return u, nil
	}
	if !canManage(by, u.Role, u.CoopID) {
		return nil, errForbidden
	}
	return u, nil
}

// UserUpdate holds the fields to change; nil leaves a field as it is.
type UserUpdate struct {
	Name *string
	Lang *string
}

// UpdateUser changes an account's name or language: the user themself or whoever manages them.
func (s *Service) UpdateUser(ctx context.Context, by Scope, id int64, upd UserUpdate) (*User, error) {
	s.init()
	u, err := s.target(ctx, by, id, true)
	if err != nil {
		return nil, err
	}
	if upd.Name != nil {
		if u.Name, err = checkName(*upd.Name); err != nil {
			return nil, err
		}
	}
	if upd.Lang != nil {
		if u.Lang, err = checkLang(*upd.Lang); err != nil {
			return nil, err
		}
	}
	if _, err := s.DB.ExecContext(ctx, `UPDATE users SET name = ?, lang = ? WHERE id = ?`, u.Name, u.Lang, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

// DisableUser stops an account: its sessions end now, its API tokens are
// revoked and its reset links voided. Nobody disables their own account.
func (s *Service) DisableUser(ctx context.Context, by Scope, id int64) error {
	s.init()
	u, err := s.target(ctx, by, id, false)
	if by.UserID != 0 && by.UserID == id && (err == nil || errors.Is(err, ErrForbidden)) {
		return ErrSelfDisable
	}
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for _, q := range []string{
			`UPDATE users SET disabled = true WHERE id = ?`,
			`DELETE FROM sessions WHERE user_id = ?`,
			`UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`,
			`UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`,
		} {
			args := []any{u.ID}
			if strings.Count(q, "?") == 2 {
				args = []any{now, u.ID}
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// EnableUser lets a disabled account sign in again (with its password; API
// tokens stay revoked).
func (s *Service) EnableUser(ctx context.Context, by Scope, id int64) error {
	s.init()
	u, err := s.target(ctx, by, id, false)
	if err != nil {
		return err
	}
	_, err = s.DB.ExecContext(ctx, `UPDATE users SET disabled = false WHERE id = ?`, u.ID)
	return err
}

// ChangePassword is the signed-in user changing their own password (the portal
// passes the session's user id). Every session of the user ends, the current
// one included: the portal signs them in again with the new password (Login),
// which also rotates the session id. Wrong old passwords count towards the
// account's login limit.
func (s *Service) ChangePassword(ctx context.Context, userID int64, oldPassword, newPassword string) error {
	s.init()
	u, hash, err := userBy(ctx, s.DB, "id", userID)
	if err != nil {
		return err
	}
	if u == nil || u.Disabled {
		return ErrSessionInvalid
	}
	try, wait, allowed := s.limiter.begin(s.now(), u.Email, "")
	if !allowed {
		return rateLimited(wait)
	}
	ok, _, err := s.verify(ctx, hash, oldPassword)
	if err != nil {
		try.abandoned()
		return err
	}
	if !ok {
		return ErrWrongPassword
	}
	try.succeeded()
	if err := CheckPassword(newPassword, u.Email); err != nil {
		return err
	}
	return s.setPassword(ctx, u.ID, newPassword)
}

// setPassword stores a new hash, ends the user's sessions and voids their
// reset links (the one being used included), in one transaction.
func (s *Service) setPassword(ctx context.Context, userID int64, password string) error {
	h, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?`, h, now, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, now, userID)
		return err
	})
}

func (s *Service) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
