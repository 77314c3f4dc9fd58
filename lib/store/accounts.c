/*
 * lib/store/accounts.c - the SQL of accounts, sessions, password reset
 * tokens and sign-in attempts (lib/store/accounts.h, migration
 * 002-accounts). No rules here: lib/grants/accounts.c decides.
 */
#include <stdio.h>
#include <string.h>
#include "hojo/alloc.h"
#include "driver.h"
#include "accounts.h"

#define ACC_COLS "id, email, name, roles, disabled, created_at"

static void copy_text(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

/* The account at columns col.. of row 'row' (ACC_COLS order). */
static void read_account(const st_rows *r, int row, int col, hj_account *a)
{
	memset(a, 0, sizeof *a);
	a->id = st_rows_int(r, row, col);
	copy_text(a->email, sizeof a->email, st_rows_text(r, row, col + 1));
	copy_text(a->name, sizeof a->name, st_rows_text(r, row, col + 2));
	a->roles = (unsigned)st_rows_int(r, row, col + 3);
	a->disabled = st_rows_int(r, row, col + 4) != 0;
	a->created_at = st_rows_int(r, row, col + 5);
}

hj_status st_acc_insert(hj_tx *tx, const char *email, const char *name, const char *hash, unsigned roles,
			int64_t now, int64_t *id, hj_error *err)
{
	st_val p[5] = { st_text(email), st_text(name), st_text(hash), st_int(roles), st_int(now) };
	st_rows *r = NULL;
	hj_status s = st_query1(tx,
				"INSERT INTO accounts (email, name, password_hash, roles, created_at, disabled) "
				"VALUES (?, ?, ?, ?, ?, 0) RETURNING id",
				p, 5, &r, err);
	if (s)
		return s;
	*id = r ? st_rows_int(r, 0, 0) : 0;
	st_rows_free(r);
	return *id ? HJ_OK : hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "アカウントの番号が返りません");
}

static hj_status acc_one(hj_tx *tx, const char *where, st_val key, st_acc_row *out, int *found, hj_error *err)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT " ACC_COLS ", password_hash FROM accounts WHERE %s = ?", where);
	st_rows *r = NULL;
	hj_status s = st_query1(tx, sql, &key, 1, &r, err);
	*found = 0;
	if (s || !r) {
		st_rows_free(r);
		return s;
	}
	read_account(r, 0, 0, &out->a);
	copy_text(out->hash, sizeof out->hash, st_rows_text(r, 0, 6));
	*found = 1;
	st_rows_free(r);
	return HJ_OK;
}

hj_status st_acc_by_email(hj_tx *tx, const char *email, st_acc_row *out, int *found, hj_error *err)
{
	return acc_one(tx, "email", st_text(email), out, found, err);
}

hj_status st_acc_by_id(hj_tx *tx, int64_t id, st_acc_row *out, int *found, hj_error *err)
{
	return acc_one(tx, "id", st_int(id), out, found, err);
}

hj_status st_acc_set_roles(hj_tx *tx, int64_t id, unsigned roles, hj_error *err)
{
	st_val p[2] = { st_int(roles), st_int(id) };
	return st_exec(tx, "UPDATE accounts SET roles = ? WHERE id = ?", p, 2, NULL, err);
}

hj_status st_acc_set_password(hj_tx *tx, int64_t id, const char *hash, hj_error *err)
{
	st_val p[2] = { st_text(hash), st_int(id) };
	return st_exec(tx, "UPDATE accounts SET password_hash = ? WHERE id = ?", p, 2, NULL, err);
}

hj_status st_acc_count_role(hj_tx *tx, unsigned bit, int64_t *n, hj_error *err)
{
	st_val p[1] = { st_int(bit) };
	st_rows *r = NULL;
	hj_status s = st_query1(tx, "SELECT COUNT(*) FROM accounts WHERE (roles & ?) <> 0 AND disabled = 0", p, 1, &r,
				err);
	*n = !s && r ? st_rows_int(r, 0, 0) : 0;
	st_rows_free(r);
	return s;
}

hj_status st_acc_list(hj_tx *tx, int limit, int offset, hj_account **rows, int *n, int64_t *total, hj_error *err)
{
	*rows = NULL;
	*n = 0;
	*total = 0;
	st_rows *c = NULL, *r = NULL;
	hj_status s = st_query1(tx, "SELECT COUNT(*) FROM accounts", NULL, 0, &c, err);
	if (s)
		return s;
	*total = c ? st_rows_int(c, 0, 0) : 0;
	st_rows_free(c);
	st_val p[2] = { st_int(limit), st_int(offset) };
	if ((s = st_query(tx, "SELECT " ACC_COLS " FROM accounts ORDER BY id LIMIT ? OFFSET ?", p, 2, &r, err)))
		return s;
	int k = st_rows_count(r);
	if (k) {
		*rows = hj_calloc((size_t)k, sizeof **rows);
		if (!*rows) {
			st_rows_free(r);
			return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
		}
		for (int i = 0; i < k; i++)
			read_account(r, i, 0, &(*rows)[i]);
	}
	*n = k;
	st_rows_free(r);
	return HJ_OK;
}

hj_status st_sess_insert(hj_tx *tx, const char *token_sha256, int64_t account, const char *csrf, int64_t now,
			 int64_t expires_at, hj_error *err)
{
	st_val p[6] = { st_text(token_sha256), st_int(account), st_text(csrf), st_int(now), st_int(now),
			st_int(expires_at) };
	return st_exec(tx,
		       "INSERT INTO sessions (token_sha256, account, csrf, created_at, last_seen, expires_at) "
		       "VALUES (?, ?, ?, ?, ?, ?)",
		       p, 6, NULL, err);
}

hj_status st_sess_get(hj_tx *tx, const char *token_sha256, st_sess_row *out, int *found, hj_error *err)
{
	st_val p[1] = { st_text(token_sha256) };
	st_rows *r = NULL;
	hj_status s = st_query1(tx,
				"SELECT s.csrf, s.created_at, s.last_seen, s.expires_at, a.id, a.email, a.name, "
				"a.roles, a.disabled, a.created_at FROM sessions s JOIN accounts a ON a.id = s.account "
				"WHERE s.token_sha256 = ?",
				p, 1, &r, err);
	*found = 0;
	if (s || !r) {
		st_rows_free(r);
		return s;
	}
	memset(out, 0, sizeof *out);
	copy_text(out->csrf, sizeof out->csrf, st_rows_text(r, 0, 0));
	out->created_at = st_rows_int(r, 0, 1);
	out->last_seen = st_rows_int(r, 0, 2);
	out->expires_at = st_rows_int(r, 0, 3);
	read_account(r, 0, 4, &out->a);
	*found = 1;
	st_rows_free(r);
	return HJ_OK;
}

hj_status st_sess_touch(hj_tx *tx, const char *token_sha256, int64_t now, int64_t older_than, hj_error *err)
{
	st_val p[3] = { st_int(now), st_text(token_sha256), st_int(older_than) };
	return st_exec(tx, "UPDATE sessions SET last_seen = ? WHERE token_sha256 = ? AND last_seen < ?", p, 3, NULL,
		       err);
}

hj_status st_sess_delete(hj_tx *tx, const char *token_sha256, int64_t *deleted, hj_error *err)
{
	st_val p[1] = { st_text(token_sha256) };
	return st_exec(tx, "DELETE FROM sessions WHERE token_sha256 = ?", p, 1, deleted, err);
}

hj_status st_sess_delete_account(hj_tx *tx, int64_t account, hj_error *err)
{
	st_val p[1] = { st_int(account) };
	return st_exec(tx, "DELETE FROM sessions WHERE account = ?", p, 1, NULL, err);
}

hj_status st_reset_insert(hj_tx *tx, const char *token_sha256, int64_t account, int64_t now, int64_t expires_at,
			  hj_error *err)
{
	st_val p[4] = { st_text(token_sha256), st_int(account), st_int(now), st_int(expires_at) };
	return st_exec(tx,
		       "INSERT INTO password_resets (token_sha256, account, created_at, expires_at, used_at) "
		       "VALUES (?, ?, ?, ?, NULL)",
		       p, 4, NULL, err);
}

hj_status st_reset_get(hj_tx *tx, const char *token_sha256, int64_t *account, int64_t *expires_at, int64_t *used_at,
		       int *found, hj_error *err)
{
	st_val p[1] = { st_text(token_sha256) };
	st_rows *r = NULL;
	hj_status s = st_query1(tx, "SELECT account, expires_at, used_at FROM password_resets WHERE token_sha256 = ?", p,
				1, &r, err);
	*found = 0;
	if (s || !r) {
		st_rows_free(r);
		return s;
	}
	*account = st_rows_int(r, 0, 0);
	*expires_at = st_rows_int(r, 0, 1);
	*used_at = st_rows_isnull(r, 0, 2) ? 0 : st_rows_int(r, 0, 2);
	*found = 1;
	st_rows_free(r);
	return HJ_OK;
}

hj_status st_reset_count_since(hj_tx *tx, int64_t account, int64_t since, int64_t *n, hj_error *err)
{
	st_val p[2] = { st_int(account), st_int(since) };
	st_rows *r = NULL;
	hj_status s = st_query1(tx, "SELECT COUNT(*) FROM password_resets WHERE account = ? AND created_at > ?", p, 2, &r,
				err);
	*n = !s && r ? st_rows_int(r, 0, 0) : 0;
	st_rows_free(r);
	return s;
}

hj_status st_reset_use_all(hj_tx *tx, int64_t account, int64_t now, hj_error *err)
{
	st_val p[2] = { st_int(now), st_int(account) };
	return st_exec(tx, "UPDATE password_resets SET used_at = ? WHERE account = ? AND used_at IS NULL", p, 2, NULL,
		       err);
}

hj_status st_attempt_add(hj_tx *tx, const char *email, const char *ip, int ok, int64_t now, int64_t forget_before,
			 hj_error *err)
{
	st_val f[1] = { st_int(forget_before) };
	hj_status s = st_exec(tx, "DELETE FROM login_attempts WHERE at < ?", f, 1, NULL, err);
	if (s)
		return s;
	st_val p[4] = { st_int(now), st_text(email), st_text(ip), st_int(ok ? 1 : 0) };
	return st_exec(tx, "INSERT INTO login_attempts (at, email, ip, ok) VALUES (?, ?, ?, ?)", p, 4, NULL, err);
}

hj_status st_attempt_nth_failure(hj_tx *tx, int by_ip, const char *key, int64_t since, int n, int64_t *at,
				 int *found, hj_error *err)
{
	st_rows *r = NULL;
	hj_status s;
	*found = 0;
	*at = 0;
	if (by_ip) {
		st_val p[3] = { st_text(key), st_int(since), st_int(n - 1) };
		s = st_query1(tx,
			      "SELECT at FROM login_attempts WHERE ip = ? AND ok = 0 AND at > ? "
			      "ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?",
			      p, 3, &r, err);
	} else {
		st_val p[4] = { st_text(key), st_int(since), st_text(key), st_int(n - 1) };
		s = st_query1(tx,
			      "SELECT at FROM login_attempts WHERE email = ? AND ok = 0 AND at > ? AND at > "
			      "COALESCE((SELECT MAX(at) FROM login_attempts WHERE email = ? AND ok = 1), 0) "
			      "ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?",
			      p, 4, &r, err);
	}
	if (!s && r) {
		*at = st_rows_int(r, 0, 0);
		*found = 1;
	}
	st_rows_free(r);
	return s;
}
