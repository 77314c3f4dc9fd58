-- People and their sessions (lib/store/accounts.c; docs/intake.md):
-- accounts with an argon2id hash of the password, sessions and one-time
-- password reset tokens kept only as the SHA-256 of the token (the token
-- itself is never stored), and the sign-in attempts that throttling counts.
CREATE TABLE accounts (
	id {id},
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	roles BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	disabled BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
	token_sha256 TEXT PRIMARY KEY,
	account BIGINT NOT NULL REFERENCES accounts (id),
	csrf TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account);
CREATE TABLE password_resets (
	token_sha256 TEXT PRIMARY KEY,
	account BIGINT NOT NULL REFERENCES accounts (id),
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT
);
CREATE INDEX password_resets_account ON password_resets (account);
CREATE TABLE login_attempts (
	id {id},
	at BIGINT NOT NULL,
	email TEXT NOT NULL,
	ip TEXT NOT NULL,
	ok BIGINT NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);
CREATE INDEX login_attempts_at ON login_attempts (at);
