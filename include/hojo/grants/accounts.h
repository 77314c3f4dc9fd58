/*
 * hojo/grants/accounts.h - people and roles (docs/intake.md "Accounts"):
 * sign-up, sign-in with throttling, sessions with their CSRF token,
 * sign-out, password reset by a one-time token written to a mail spool,
 * roles set by an administrator, and the first administrator created
 * from the command line.
 *
 * Passwords are hashed with argon2id (libargon2, encoded form with its
 * salt and parameters, verified in constant time by the library).
 * Session and reset tokens are 32 random bytes from getrandom(2) in
 * base64url; the store keeps only their SHA-256. Every time comes from
 * hj_now_us (include/hojo/grants/audit.h), so tests fix it with
 * hj_clock_set. Every account change and every sign-in attempt, also a
 * failed or throttled one, writes an audit event.
 *
 * Ownership: hj_account and hj_session are plain values the caller owns;
 * JSON documents returned as char ** are freed with hj_free; strings
 * passed in are borrowed for the call. A NULL configuration means the
 * defaults of hj_auth_defaults.
 */
#ifndef HOJO_GRANTS_ACCOUNTS_H
#define HOJO_GRANTS_ACCOUNTS_H

#include <stdint.h>
#include "hojo/grants.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The policy of accounts and sessions; hj_auth_defaults gives the values
 * in the comments. */
typedef struct hj_auth_config {
	int64_t idle_s;          /* a session unused this long ends: 1800 (30 min) */
	int64_t absolute_s;      /* a session ends this long after sign-in: 43200 (12 h) */
	uint32_t argon2_t;       /* argon2id passes: 2 */
	uint32_t argon2_m_kib;   /* argon2id memory in KiB: 19456 (19 MiB) */
	uint32_t argon2_p;       /* argon2id lanes: 1 */
	int max_email_failures;  /* failed sign-ins of one e-mail in the window: 5 */
	int max_ip_failures;     /* failed sign-ins from one address in the window: 20 */
	int64_t window_s;        /* the throttling window: 900 (15 min) */
	int64_t reset_valid_s;   /* a reset token is valid this long: 3600 (1 h) */
} hj_auth_config;

void hj_auth_defaults(hj_auth_config *c);

/* Password policy: at least this many characters (code points). */
#define HJ_PASSWORD_MIN 10
#define HJ_PASSWORD_MAX 1024 /* bytes */

typedef struct hj_account {
	int64_t id;
	char email[256];  /* lower-cased */
	char name[256];
	unsigned roles;   /* HJ_ROLE_* */
	int disabled;
	int64_t created_at; /* microseconds since the epoch */
} hj_account;

/* A signed-in session. 'token' is the cookie value: it is known only
 * right after sign-up or sign-in (the store keeps its hash); a session
 * found by hj_session_lookup carries the token it was looked up with. */
typedef struct hj_session {
	char token[64];
	char csrf[64];
	int64_t created_at, expires_at; /* expires_at: the absolute end */
	hj_account account;
} hj_session;

/* The role named 'name' ("applicant", "staff", "reviewer", "admin",
 * "supporter", "vendor") as its HJ_ROLE_* bit, or 0. */
unsigned hj_role_parse(const char *name);
/* The name of one HJ_ROLE_* bit, or NULL. */
const char *hj_role_name(unsigned bit);

/* Sign up: a new account with the role "applicant", signed in at once.
 * HJ_ERR_INPUT (field "email", "password" or "name") for a malformed
 * e-mail, a password shorter than HJ_PASSWORD_MIN characters or a missing
 * name; HJ_ERR_CONFLICT (field "email") when the e-mail is taken. */
hj_status hj_account_signup(hj_store *st, const hj_auth_config *cfg, const hj_actor *who, const char *email,
			    const char *password, const char *name, hj_session *out, hj_error *err);

/* Sign in. HJ_ERR_AUTH with one message for every kind of failure (no
 * such e-mail, wrong password, disabled account); HJ_ERR_LIMIT when the
 * e-mail had max_email_failures failures (since its last success) or the
 * address who->ip had max_ip_failures within the window: *retry_after
 * (may be NULL) gets the seconds until an attempt is counted again. A
 * throttled attempt does not check the password and does not extend the
 * wait. */
hj_status hj_account_signin(hj_store *st, const hj_auth_config *cfg, const hj_actor *who, const char *email,
			    const char *password, hj_session *out, int *retry_after, hj_error *err);

/* The session of a cookie token, with its account's current roles.
 * HJ_ERR_AUTH when there is none, it is past its idle or absolute
 * timeout (it is then deleted), or the account is disabled. Reads the
 * store once; the time it was last seen is written at most once a
 * minute. */
hj_status hj_session_lookup(hj_store *st, const hj_auth_config *cfg, const char *token, hj_session *out,
			    hj_error *err);

/* The actor of a session (account, roles, e-mail); ip and via are kept
 * from 'base' (may be NULL). */
void hj_session_actor(const hj_session *s, const hj_actor *base, hj_actor *out);

/* Sign out: delete the session of 'token'. No session is not an error. */
hj_status hj_session_end(hj_store *st, const hj_actor *who, const char *token, hj_error *err);

/* {"account":{id,email,name,roles:[…]},"csrf":"…"}. */
hj_status hj_session_json(const hj_session *s, char **json, hj_error *err);
/* {"account":{id,email,name,roles:[…]}}. */
hj_status hj_account_json(const hj_account *a, char **json, hj_error *err);

/* Request a password reset for 'email'. When an account has it, a
 * one-time token valid reset_valid_s is stored and a mail (Japanese
 * text with the link "<link_base>/#reset=<token>") is written to the
 * directory 'mail_dir' (created when missing) as a file of its own;
 * 'mail_file' (may be NULL) gets its path, "" when no mail was written
 * (unknown or disabled e-mail, or a mail for the account went out less
 * than a minute ago: the caller answers the same either way).
 * HJ_ERR_IO when the mail cannot be written (the token is then unused). */
hj_status hj_reset_request(hj_store *st, const hj_auth_config *cfg, const hj_actor *who, const char *email,
			   const char *mail_dir, const char *link_base, char *mail_file, size_t size, hj_error *err);

/* Set a new password with a reset token: once only and before it
 * expires. Ends every session of the account and every other reset token
 * of it. HJ_ERR_INPUT field "token" for an unknown, used or expired
 * token, field "password" for a password against the policy. */
hj_status hj_reset_confirm(hj_store *st, const hj_auth_config *cfg, const hj_actor *who, const char *token,
			   const char *password, hj_error *err);

/* The accounts, oldest first, as {"accounts":[…],"page":…,"per_page":…,
 * "total":…}. Only for administrators (HJ_ERR_DENIED otherwise). */
hj_status hj_account_list(hj_store *st, const hj_actor *who, int page, int per_page, char **json, hj_error *err);

/* Set the roles of account 'id' (administrators only: HJ_ERR_DENIED).
 * HJ_ERR_NOT_FOUND for no such account; HJ_ERR_INPUT field "roles" for
 * no role or unknown bits; HJ_ERR_CONFLICT when it would take the role
 * "admin" from the last administrator. 'out' (may be NULL) gets the
 * account after the change. */
hj_status hj_account_set_roles(hj_store *st, const hj_actor *who, int64_t id, unsigned roles, hj_account *out,
			       hj_error *err);

/* The first administrator, from the command line: create the account
 * 'email' with the role admin and 'password' (name NULL or "": 管理者),
 * or, when it
 * exists, add the role admin to it (its password is left as it is).
 * *created (may be NULL) is 1 when the account was created. */
hj_status hj_account_create_admin(hj_store *st, const hj_auth_config *cfg, const hj_actor *who, const char *email,
				  const char *name, const char *password, hj_account *out, int *created,
				  hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
