package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"
)

// Session is a signed-in browser. ID is the cookie value: it exists only in
// memory and in the browser; the database holds its SHA-256.
type Session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end; the idle limit may end it sooner
	IP         string
	UserAgent  string

	csrfSecret []byte
}

const tokenBytes = 32

// newToken is 32 random bytes, base64url without padding (43 characters).
func newToken() string {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// wellFormed tells whether s could be a token from newToken, so garbage is
// refused without touching the database.
func wellFormed(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(tokenBytes) { // also refuses newlines, which the decoder skips
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil && len(b) == tokenBytes
}

// tokenHash is what the database stores in place of a token: hex SHA-256.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// csrfLabel separates the CSRF MAC from any other use of the secret.
const csrfLabel = "coopimpact csrf v1\x00"

// CSRFToken returns a token for a form or header of this session. Each call
// gives a different string (a random nonce with its HMAC under the session's
// secret), so the token never repeats in compressed responses; all verify.
func (s *Session) CSRFToken() string {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(append(nonce, s.csrfMAC(nonce)...))
}

// VerifyCSRF checks a token from CSRFToken, in constant time.
func (s *Session) VerifyCSRF(token string) bool {
	if len(s.csrfSecret) == 0 {
		return false
	}
	if len(token) != base64.RawURLEncoding.EncodedLen(16+sha256.Size) {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != 16+sha256.Size {
		return false
	}
	return hmac.Equal(b[16:], s.csrfMAC(b[:16]))
}

func (s *Session) csrfMAC(nonce []byte) []byte {
	m := hmac.New(sha256.New, s.csrfSecret)
	m.Write([]byte(csrfLabel))
	m.Write(nonce)
	return m.Sum(nil)
}

// LoginRequest is Login's input with the browser's description.
type LoginRequest struct {
	Email     string
	Password  string
	IP        string
	UserAgent string
}

// Login checks the e-mail and password and opens a new session (always a new
// id). A wrong password, an unknown e-mail and a disabled account all answer
// ErrLoginFailed after the same argon2id work. Past MaxFailures failures in
// the window for the account or the IP, it answers ErrRateLimited before any
// password is checked, even a correct one.
func (s *Service) Login(ctx context.Context, email, password, ip string) (*Session, error) {
	return s.LoginWith(ctx, LoginRequest{Email: email, Password: password, IP: ip})
}

// LoginWith is Login that also records the user agent.
func (s *Service) LoginWith(ctx context.Context, r LoginRequest) (*Session, error) {
	s.init()
	try, wait, allowed := s.limiter.begin(s.now(), r.Email, r.IP)
	if !allowed {
		return nil, rateLimited(wait)
	}
	u, hash, err := userBy(ctx, s.DB, "email", normEmail(r.Email))
	if err != nil {
		try.abandoned()
		return nil, err
	}
	if u == nil {
		hash = "" // unknown e-mail: verify against the dummy, same cost
	}
	ok, stale, err := s.verify(ctx, hash, r.Password)
	if err != nil {
		try.abandoned()
		return nil, err
	}
	if !ok || u.Disabled {
		return nil, ErrLoginFailed
	}
	try.succeeded()
	if stale {
		// Parameters changed since this hash was made: store one with today's.
		if h, err := s.hash(ctx, r.Password); err == nil {
			s.DB.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, h, u.ID, hash) //nolint:errcheck // best effort: the old hash still works
		}
	}
	now := s.now()
	return s.newSession(ctx, s.DB, u.ID, now, now.Add(s.AbsoluteTimeout), r.IP, r.UserAgent)
}

func (s *Service) newSession(ctx context.Context, q querier, userID int64, created, expires time.Time, ip, ua string) (*Session, error) {
	secret := make([]byte, 32)
	rand.Read(secret)
	sess := &Session{ID: newToken(), UserID: userID, CreatedAt: created, LastSeenAt: s.now(), ExpiresAt: expires,
		IP: ip, UserAgent: ua, csrfSecret: secret}
	if len(sess.UserAgent) > 512 {
		sess.UserAgent = sess.UserAgent[:512]
	}
	_, err := q.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf_secret, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tokenHash(sess.ID), userID, hex.EncodeToString(secret), created, sess.LastSeenAt, expires, ip, sess.UserAgent)
	if err != nil {
		return nil, err
	}
	return sess, nil
}

// Authenticate returns the session and its user for a cookie value, or
// ErrSessionInvalid when it is unknown, past its absolute end, idle longer
// than IdleTimeout, or its user is disabled (ended sessions are deleted).
// It records the use at most once a minute, so the idle limit is counted
// from a use at most a minute old.
func (s *Service) Authenticate(ctx context.Context, token string) (*Session, *User, error) {
	s.init()
	sess, u, err := s.loadSession(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	if now := s.now(); now.Sub(sess.LastSeenAt) >= lastSeenEvery {
		// Best effort: two requests of one session may race here; either stamp will do.
		if _, err := s.DB.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, now, tokenHash(token)); err == nil {
			sess.LastSeenAt = now
		}
	}
	return sess, u, nil
}

func (s *Service) loadSession(ctx context.Context, token string) (*Session, *User, error) {
	if !wellFormed(token) {
		return nil, nil, ErrSessionInvalid
	}
	id := tokenHash(token)
	sess := &Session{ID: token}
	var secret string
	u, _, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT `+userColumns("u")+`, s.csrf_secret, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, id),
		&secret, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt, &sess.IP, &sess.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrSessionInvalid
	}
	if err != nil {
		return nil, nil, err
	}
	sess.UserID = u.ID
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.LastSeenAt.UTC(), sess.ExpiresAt.UTC()
	if sess.csrfSecret, err = hex.DecodeString(secret); err != nil {
		return nil, nil, err
	}
	now := s.now()
	if u.Disabled || !now.Before(sess.ExpiresAt) || !now.Before(sess.CreatedAt.Add(s.AbsoluteTimeout)) ||
		!now.Before(sess.LastSeenAt.Add(s.IdleTimeout)) {
		s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, id) //nolint:errcheck // refused either way; DeleteExpiredSessions catches leftovers
		return nil, nil, ErrSessionInvalid
	}
	return sess, u, nil
}

// RotateSession replaces a valid session with a new id and CSRF secret
// (after a change of privilege), keeping its absolute end; the old id stops working.
func (s *Service) RotateSession(ctx context.Context, token string) (*Session, error) {
	s.init()
	old, _, err := s.loadSession(ctx, token)
	if err != nil {
		return nil, err
	}
	var sess *Session
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, tokenHash(token)); err != nil {
			return err
		}
		var err error
		sess, err = s.newSession(ctx, tx, old.UserID, old.CreatedAt, old.ExpiresAt, old.IP, old.UserAgent)
		return err
	})
	return sess, err
}

// Logout ends the session; an unknown or malformed token is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	s.init()
	if !wellFormed(token) {
		return nil
	}
	_, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, tokenHash(token))
	return err
}

// DeleteExpiredSessions removes sessions past their absolute end or idle
// limit, and reset links past their expiry (housekeeping; run it daily).
func (s *Service) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	s.init()
	now := s.now()
	res, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ? OR created_at <= ?`,
		now, now.Add(-s.IdleTimeout), now.Add(-s.AbsoluteTimeout))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM password_resets WHERE expires_at <= ?`, now.Add(-7*24*time.Hour)); err != nil {
		return n, err
	}
	return n, nil
}
