/*
 * lib/store/accounts.h - internal to the library: the SQL of accounts,
 * sessions, password reset tokens and sign-in attempts (migration
 * 002-accounts), for lib/grants/accounts.c, which holds the rules. Each
 * function runs inside the caller's transaction; tokens arrive here
 * already hashed (hex SHA-256).
 *
 * Ownership: rows are plain values the caller owns, except the array of
 * st_acc_list, freed with hj_free; strings passed in are borrowed.
 */
#ifndef HOJO_STORE_ACCOUNTS_H
#define HOJO_STORE_ACCOUNTS_H

#include <stdint.h>
#include "hojo/error.h"
#include "hojo/store.h"
#include "hojo/grants/accounts.h"

/* An account with its password hash. */
typedef struct st_acc_row {
	hj_account a;
	char hash[256];
} st_acc_row;

/* A session row with its account. */
typedef struct st_sess_row {
	char csrf[64];
	int64_t created_at, last_seen, expires_at;
	hj_account a;
} st_sess_row;

/* Insert an account; *id gets its id. A taken e-mail is HJ_ERR_CONFLICT
 * with field "unique" (driver.h). */
hj_status st_acc_insert(hj_tx *tx, const char *email, const char *name, const char *hash, unsigned roles,
			int64_t now, int64_t *id, hj_error *err);
/* *found is 0 when there is no such account. */
hj_status st_acc_by_email(hj_tx *tx, const char *email, st_acc_row *out, int *found, hj_error *err);
hj_status st_acc_by_id(hj_tx *tx, int64_t id, st_acc_row *out, int *found, hj_error *err);
hj_status st_acc_set_roles(hj_tx *tx, int64_t id, unsigned roles, hj_error *err);
hj_status st_acc_set_password(hj_tx *tx, int64_t id, const char *hash, hj_error *err);
/* How many enabled accounts hold the role 'bit'. */
hj_status st_acc_count_role(hj_tx *tx, unsigned bit, int64_t *n, hj_error *err);
/* A page of accounts, oldest first: *rows (hj_free) has *n entries;
 * *total counts them all. */
hj_status st_acc_list(hj_tx *tx, int limit, int offset, hj_account **rows, int *n, int64_t *total, hj_error *err);

hj_status st_sess_insert(hj_tx *tx, const char *token_sha256, int64_t account, const char *csrf, int64_t now,
			 int64_t expires_at, hj_error *err);
hj_status st_sess_get(hj_tx *tx, const char *token_sha256, st_sess_row *out, int *found, hj_error *err);
/* Set last_seen to 'now' when it is older than 'older_than'. */
hj_status st_sess_touch(hj_tx *tx, const char *token_sha256, int64_t now, int64_t older_than, hj_error *err);
hj_status st_sess_delete(hj_tx *tx, const char *token_sha256, int64_t *deleted, hj_error *err);
hj_status st_sess_delete_account(hj_tx *tx, int64_t account, hj_error *err);

hj_status st_reset_insert(hj_tx *tx, const char *token_sha256, int64_t account, int64_t now, int64_t expires_at,
			  hj_error *err);
/* *found 0: no such token; else its account, expiry and use (0: unused). */
hj_status st_reset_get(hj_tx *tx, const char *token_sha256, int64_t *account, int64_t *expires_at, int64_t *used_at,
		       int *found, hj_error *err);
/* How many tokens of the account were made after 'since'. */
hj_status st_reset_count_since(hj_tx *tx, int64_t account, int64_t since, int64_t *n, hj_error *err);
/* Mark every unused token of the account used at 'now'. */
hj_status st_reset_use_all(hj_tx *tx, int64_t account, int64_t now, hj_error *err);

/* Record a sign-in attempt (ok 1: succeeded) and forget attempts older
 * than 'forget_before'. */
hj_status st_attempt_add(hj_tx *tx, const char *email, const char *ip, int ok, int64_t now, int64_t forget_before,
			 hj_error *err);
/* The time of the n-th most recent failed attempt after 'since' of the
 * e-mail (by_ip 0; only failures after its last success count) or of the
 * address (by_ip 1); *found 0 when there are fewer than n. */
hj_status st_attempt_nth_failure(hj_tx *tx, int by_ip, const char *key, int64_t since, int n, int64_t *at,
				 int *found, hj_error *err);

#endif
