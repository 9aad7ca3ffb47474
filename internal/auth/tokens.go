package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// CreateResetToken makes a one-time password-reset token for an account the
// caller manages (the portal builds the link /reset/<token> and hands it
// over). It works for ResetTTL (24 h) and voids the user's earlier unused links.
// Only its SHA-256 is stored: the token is returned once.
func (s *Service) CreateResetToken(ctx context.Context, by Scope, userID int64) (string, error) {
	s.init()
	u, err := s.target(ctx, by, userID, false)
	if err != nil {
		return "", err
	}
	if u.Disabled {
		return "", ErrUserDisabled
	}
	token := newToken()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, now, u.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			tokenHash(token), u.ID, now, now.Add(s.ResetTTL))
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// CheckResetToken returns the account a reset token is for, so the portal
// can show the form; ErrResetLinkInvalid if used, expired, unknown, or the
// account is disabled. It does not use the token up.
func (s *Service) CheckResetToken(ctx context.Context, token string) (*User, error) {
	s.init()
	u, _, err := s.resetTarget(ctx, s.DB, token)
	return u, err
}

func (s *Service) resetTarget(ctx context.Context, q querier, token string) (*User, string, error) {
	if !wellFormed(token) {
		return nil, "", ErrResetLinkInvalid
	}
	var expires time.Time
	var used sql.NullTime
	u, _, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns("u")+`, r.expires_at, r.used_at
		FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = ?`, tokenHash(token)), &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrResetLinkInvalid
	}
	if err != nil {
		return nil, "", err
	}
	if used.Valid || !s.now().Before(expires) || u.Disabled {
		return nil, "", ErrResetLinkInvalid
	}
	return u, tokenHash(token), nil
}

// ResetPassword sets a new password with a reset token. The token is used up
// only when the password is accepted (a refused password can be retried with
// the same link); every session of the user ends.
func (s *Service) ResetPassword(ctx context.Context, token, newPassword string) error {
	s.init()
	u, _, err := s.resetTarget(ctx, s.DB, token)
	if err != nil {
		return err
	}
	if err := CheckPassword(newPassword, u.Email); err != nil {
		return err
	}
	h, err := s.hash(ctx, newPassword)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// Check again inside the transaction, so two concurrent uses cannot both succeed.
		if _, _, err := s.resetTarget(ctx, tx, token); err != nil {
			return err
		}
		now := s.now()
		for _, st := range []struct {
			q    string
			args []any
		}{
			{`UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?`, []any{h, now, u.ID}},
			{`UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, []any{now, u.ID}},
			{`DELETE FROM sessions WHERE user_id = ?`, []any{u.ID}},
		} {
			if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.limiter.clearAccount(u.Email)
	return nil
}

// apiTokenPrefix marks coopimpact API tokens, so secret scanners and people recognise them.
const apiTokenPrefix = "cit_"

// APIToken describes a token; the token itself is shown only once, at creation.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// CreateAPIToken makes a token that acts as the user (for scripts uploading
// files): for oneself, or for an account the caller manages. The raw token
// ("cit_" + 43 characters) is returned once; only its SHA-256 is stored.
func (s *Service) CreateAPIToken(ctx context.Context, by Scope, userID int64, name string) (string, error) {
	s.init()
	u, err := s.target(ctx, by, userID, true)
	if err != nil {
		return "", err
	}
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n == 0 || n > 100 {
		return "", ErrTokenNameInvalid
	}
	if u.Disabled {
		return "", ErrUserDisabled
	}
	raw := apiTokenPrefix + newToken()
	_, err = s.DB.ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`,
		u.ID, name, tokenHash(raw), s.now())
	if err != nil {
		return "", err
	}
	return raw, nil
}

// FindAPITokens lists a user's tokens (revoked ones too), newest first.
func (s *Service) FindAPITokens(ctx context.Context, by Scope, userID int64) ([]*APIToken, error) {
	s.init()
	if _, err := s.target(ctx, by, userID, true); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens
		WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*APIToken{}
	for rows.Next() {
		var t APIToken
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		t.LastUsedAt, t.RevokedAt = nullTime(used), nullTime(revoked)
		out = append(out, &t)
	}
	return out, rows.Err()
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// RevokeAPIToken stops a token for good: its owner or whoever manages the owner.
func (s *Service) RevokeAPIToken(ctx context.Context, by Scope, tokenID int64) error {
	s.init()
	if by.IsAnonymous() {
		return errNeedLogin
	}
	var owner int64
	err := s.DB.QueryRowContext(ctx, `SELECT user_id FROM api_tokens WHERE id = ?`, tokenID).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	if _, err := s.target(ctx, by, owner, true); err != nil {
		return err
	}
	_, err = s.DB.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, s.now(), tokenID)
	return err
}

// AuthenticateToken returns the user a raw API token acts as, or
// ErrTokenInvalid (unknown, revoked, or the user is disabled). The last use is
// recorded at most once a minute.
func (s *Service) AuthenticateToken(ctx context.Context, raw string) (*User, error) {
	s.init()
	rest, ok := strings.CutPrefix(raw, apiTokenPrefix)
	if !ok || !wellFormed(rest) {
		return nil, ErrTokenInvalid
	}
	h := tokenHash(raw)
	var last sql.NullTime
	var revoked sql.NullTime
	u, _, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT `+userColumns("u")+`, t.last_used_at, t.revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, h), &last, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, err
	}
	if revoked.Valid || u.Disabled {
		return nil, ErrTokenInvalid
	}
	if now := s.now(); !last.Valid || now.Sub(last.Time) >= lastSeenEvery {
		s.DB.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?`, now, h) //nolint:errcheck // best effort
	}
	return u, nil
}
