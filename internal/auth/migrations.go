package auth

import "coopimpact/internal/store"

// authSQL creates the account tables. Session ids, reset tokens and API tokens
// are stored only as hex SHA-256 hashes: a copy of the database file opens no
// session. No foreign keys: DuckDB's would block the ingest package's
// replacement of cooperatives rows, and users are disabled, never deleted.
// The cooperative of an account is checked against cooperatives(coop_id) by
// the service when the account is created.
const authSQL = `
CREATE SEQUENCE users_id_seq START 1;
CREATE TABLE users (
    id                  BIGINT PRIMARY KEY DEFAULT nextval('users_id_seq'),
    email               VARCHAR NOT NULL UNIQUE CHECK (email <> '' AND email = lower(email)),
    name                VARCHAR NOT NULL DEFAULT '',
    role                VARCHAR NOT NULL CHECK (role IN ('hub_admin', 'hub_analyst', 'coop_admin', 'board', 'staff')),
    coop_id             VARCHAR,
    password_hash       VARCHAR,               -- argon2id PHC string; NULL until an invited user sets one
    lang                VARCHAR NOT NULL DEFAULT 'it' CHECK (lang IN ('it', 'en')),
    disabled            BOOLEAN NOT NULL DEFAULT false,
    created_at          TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP,
    CHECK ((role IN ('hub_admin', 'hub_analyst') AND coop_id IS NULL)
        OR (role IN ('coop_admin', 'board', 'staff') AND coop_id IS NOT NULL AND coop_id <> ''))
);

CREATE TABLE sessions (
    id_hash      VARCHAR PRIMARY KEY,          -- hex SHA-256 of the cookie value
    user_id      BIGINT NOT NULL,
    csrf_secret  VARCHAR NOT NULL,             -- hex; keys the HMAC of the session's CSRF tokens
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,           -- absolute limit, whatever the activity
    ip           VARCHAR NOT NULL DEFAULT '',
    user_agent   VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE password_resets (
    token_hash VARCHAR PRIMARY KEY,            -- hex SHA-256 of the link's token
    user_id    BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP                       -- set when used or superseded: one use only
);

CREATE SEQUENCE api_tokens_id_seq START 1;
CREATE TABLE api_tokens (
    id           BIGINT PRIMARY KEY DEFAULT nextval('api_tokens_id_seq'),
    user_id      BIGINT NOT NULL,
    name         VARCHAR NOT NULL,
    token_hash   VARCHAR NOT NULL UNIQUE,      -- hex SHA-256 of the token shown once
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
`

// Migrations are the account tables. They run after the ingest package's
// (which create cooperatives) since IDs sort "0100_…" < "0200_…".
func Migrations() []store.Migration {
	return []store.Migration{{ID: "0200_auth", SQL: authSQL}}
}
