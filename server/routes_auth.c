/*
 * routes_auth.c - the handlers of the auth and admin routes (docs/api.md
 * "Accounts and sessions"): each reads its JSON body strictly (known
 * fields only, each of its type; no query parameter the route's row does
 * not list), makes one call of
 * include/hojo/grants/accounts.h, and writes the answer and the session
 * cookie. Who may call them is decided before, by the route table's
 * roles and session columns (server/auth.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <microhttpd.h>
#include "auth.h"

typedef struct qcheck {
	const char *allowed, *bad;
} qcheck;

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	qcheck *q = cls;
	size_t n = strlen(key);
	for (const char *p = q->allowed; *p;) {
		size_t m = strcspn(p, ",");
		if (m == n && !strncmp(p, key, n))
			return MHD_YES;
		p += m + (p[m] == ',');
	}
	q->bad = key;
	return MHD_NO;
}

/* Only the query parameters of the route's row; 0, or the 400 made. */
static int query_ok(srv_request *rq, srv_reply *out)
{
	qcheck q = { rq->route->query ? rq->route->query : "", NULL };
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, query_arg, &q);
	if (q.bad) {
		srv_reply_error(out, 400, "unknown_parameter", q.bad, "未知のクエリパラメータ '%s'（使えるのは %s）", q.bad,
				*q.allowed ? q.allowed : "なし");
		return -1;
	}
	return 0;
}

/* ---- the request body ---- */

typedef struct field {
	const char *name;
	int type;     /* JSON_STRING, JSON_ARRAY ... */
	int required;
} field;

/* The body as one JSON object whose keys are all in 'fs' (n of them),
 * each of its type, the required ones present. NULL when the reply (400
 * or 422) was made. */
static json_t *body_object(srv_request *rq, srv_reply *out, const field *fs, int n)
{
	json_error_t je;
	if (query_ok(rq, out))
		return NULL;
	if (!rq->body || !rq->len) {
		srv_reply_error(out, 400, "empty_body", NULL, "本文がありません（JSON のオブジェクトを送ってください）");
		return NULL;
	}
	json_t *j = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		srv_reply_error(out, 400, "invalid_json", NULL, "JSON として読めません（%d行%d列）: %s", je.line, je.column,
				je.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		srv_reply_error(out, 400, "not_object", NULL, "本文は JSON のオブジェクト {…} でなければなりません");
		json_decref(j);
		return NULL;
	}
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v)
	{
		int i = 0;
		while (i < n && strcmp(fs[i].name, k))
			i++;
		if (i == n) {
			char known[256] = "";
			for (int m = 0; m < n; m++)
				snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", m ? ", " : "",
					 fs[m].name);
			srv_reply_error(out, 422, "unknown_field", k, "未知の項目 '%.100s'（使えるのは %s）", k, known);
			json_decref(j);
			return NULL;
		}
		if ((int)json_typeof(v) != fs[i].type) {
			srv_reply_error(out, 422, "invalid_value", k, "%s は%sで指定してください", k,
					fs[i].type == JSON_STRING ? "文字列" : "配列");
			json_decref(j);
			return NULL;
		}
	}
	for (int i = 0; i < n; i++)
		if (fs[i].required && !json_object_get(j, fs[i].name)) {
			srv_reply_error(out, 422, "missing_field", fs[i].name, "%s がありません", fs[i].name);
			json_decref(j);
			return NULL;
		}
	return j;
}

static const char *str(json_t *j, const char *name)
{
	return json_string_value(json_object_get(j, name));
}

/* A positive integer of the query ('dflt' when absent); -1 when bad (422 made). */
static long query_int(srv_request *rq, srv_reply *out, const char *name, long dflt, long max)
{
	const char *v = srv_query(rq, name);
	if (!v)
		return dflt;
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < 1 || n > max) {
		srv_reply_error(out, 422, "invalid_value", name, "%s は 1 から %ld の整数で指定してください", name, max);
		return -1;
	}
	return n;
}

static void reply_empty(srv_reply *out, int status)
{
	srv_reply_text(out, status, "text/plain; charset=utf-8", "");
}

/* {"account":…,"csrf":…} with the cookie of a new session. */
static void reply_session(srv_request *rq, srv_reply *out, int status, const hj_session *s, int set_cookie)
{
	char *json;
	hj_error err;
	if (hj_session_json(s, &json, &err)) {
		srv_reply_hj_error(out, &err);
		return;
	}
	if (set_cookie)
		srv_auth_cookie(rq, out, s->token);
	else
		srv_reply_header(out, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	srv_reply_json(out, status, json);
}

static int have_store(srv_request *rq, srv_reply *out)
{
	if (rq->store)
		return 1;
	srv_reply_error(out, 503, "unavailable", NULL, "データベースがありません");
	return 0;
}

/* ---- sign-up, sign-in, sign-out, the session ---- */

void h_auth_signup(srv_request *rq, srv_reply *out)
{
	static const field fs[] = { { "email", JSON_STRING, 1 }, { "password", JSON_STRING, 1 }, { "name", JSON_STRING, 1 } };
	json_t *j = body_object(rq, out, fs, 3);
	if (!j || !have_store(rq, out)) {
		json_decref(j);
		return;
	}
	hj_session s;
	hj_error err;
	hj_status st = hj_account_signup(rq->store, &rq->cfg->auth, &rq->actor, str(j, "email"), str(j, "password"),
					 str(j, "name"), &s, &err);
	json_decref(j);
	if (st) {
		srv_reply_hj_error(out, &err);
		return;
	}
	const char *old = srv_auth_token(rq);
	if (old)
		hj_session_end(rq->store, &rq->actor, old, &err); /* the browser's previous session */
	reply_session(rq, out, 201, &s, 1);
}

void h_auth_signin(srv_request *rq, srv_reply *out)
{
	static const field fs[] = { { "email", JSON_STRING, 1 }, { "password", JSON_STRING, 1 } };
	json_t *j = body_object(rq, out, fs, 2);
	if (!j || !have_store(rq, out)) {
		json_decref(j);
		return;
	}
	hj_session s;
	hj_error err;
	int wait = 0;
	hj_status st = hj_account_signin(rq->store, &rq->cfg->auth, &rq->actor, str(j, "email"), str(j, "password"), &s,
					 &wait, &err);
	json_decref(j);
	if (st == HJ_ERR_AUTH) {
		srv_reply_error(out, 401, "invalid_credentials", NULL, "%s", err.message);
		return;
	}
	if (st == HJ_ERR_LIMIT) {
		char ra[32];
		snprintf(ra, sizeof ra, "%d", wait);
		srv_reply_header(out, MHD_HTTP_HEADER_RETRY_AFTER, ra);
		srv_reply_error(out, 429, "too_many_attempts", NULL, "%s", err.message);
		return;
	}
	if (st) {
		srv_reply_hj_error(out, &err);
		return;
	}
	const char *old = srv_auth_token(rq);
	if (old)
		hj_session_end(rq->store, &rq->actor, old, &err);
	reply_session(rq, out, 200, &s, 1);
}

void h_auth_signout(srv_request *rq, srv_reply *out)
{
	hj_error err;
	if (query_ok(rq, out))
		return;
	if (hj_session_end(rq->store, &rq->actor, rq->session.token, &err)) {
		srv_reply_hj_error(out, &err);
		return;
	}
	srv_auth_cookie(rq, out, NULL);
	reply_empty(out, 204);
}

void h_auth_session(srv_request *rq, srv_reply *out)
{
	if (query_ok(rq, out))
		return;
	reply_session(rq, out, 200, &rq->session, 0);
}

/* ---- password reset ---- */

void h_auth_reset(srv_request *rq, srv_reply *out)
{
	static const field fs[] = { { "email", JSON_STRING, 1 } };
	json_t *j = body_object(rq, out, fs, 1);
	if (!j || !have_store(rq, out)) {
		json_decref(j);
		return;
	}
	char file[1200];
	hj_error err;
	hj_status st = hj_reset_request(rq->store, &rq->cfg->auth, &rq->actor, str(j, "email"),
					rq->cfg->mail_dir ? rq->cfg->mail_dir : "var/mail", srv_public_url(), file,
					sizeof file, &err);
	json_decref(j);
	if (st == HJ_ERR_IO) { /* the spool: the operator's to see, not the client's */
		char buf[1600];
		hj_error_format(&err, buf, sizeof buf);
		fprintf(stderr, "hojo serve: パスワード再設定のメールを書けません: %s\n", buf);
		srv_reply_error(out, 500, "internal", NULL, "メールを送れませんでした。時間をおいてやり直してください");
		return;
	}
	if (st) {
		srv_reply_hj_error(out, &err);
		return;
	}
	if (file[0]) /* the log names the mail, never the token */
		fprintf(stderr, "hojo serve: パスワード再設定のメールを書きました: %s\n", file);
	/* the same answer whether the e-mail has an account or not */
	srv_reply_json(out, 202,
		       hj_strdup("{\"message\":\"登録があれば、パスワード再設定のリンクをメールで送りました\"}"));
}

void h_auth_reset_confirm(srv_request *rq, srv_reply *out)
{
	static const field fs[] = { { "token", JSON_STRING, 1 }, { "password", JSON_STRING, 1 } };
	json_t *j = body_object(rq, out, fs, 2);
	if (!j || !have_store(rq, out)) {
		json_decref(j);
		return;
	}
	hj_error err;
	hj_status st = hj_reset_confirm(rq->store, &rq->cfg->auth, &rq->actor, str(j, "token"), str(j, "password"), &err);
	json_decref(j);
	if (st == HJ_ERR_INPUT && !strcmp(err.field, "token")) {
		srv_reply_error(out, 422, "invalid_token", "token", "%s", err.message);
		return;
	}
	if (st) {
		srv_reply_hj_error(out, &err);
		return;
	}
	/* every session of the account ended, the browser's too */
	srv_auth_cookie(rq, out, NULL);
	reply_empty(out, 204);
}

/* ---- administration ---- */

void h_admin_accounts(srv_request *rq, srv_reply *out)
{
	if (query_ok(rq, out))
		return;
	long page = query_int(rq, out, "page", 1, 1000000), per = page < 0 ? -1 : query_int(rq, out, "per_page", 50, 200);
	if (page < 0 || per < 0)
		return;
	char *json;
	hj_error err;
	if (hj_account_list(rq->store, &rq->actor, (int)page, (int)per, &json, &err)) {
		srv_reply_hj_error(out, &err);
		return;
	}
	srv_reply_json(out, 200, json);
}

void h_admin_account_roles(srv_request *rq, srv_reply *out)
{
	char *end;
	long long id = strtoll(rq->arg, &end, 10);
	if (!rq->arg[0] || *end || id < 1) {
		srv_reply_error(out, 404, "not_found", NULL, "アカウント '%s' はありません", rq->arg);
		return;
	}
	static const field fs[] = { { "roles", JSON_ARRAY, 1 } };
	json_t *j = body_object(rq, out, fs, 1);
	if (!j)
		return;
	unsigned roles = 0;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(j, "roles"), i, v)
	{
		unsigned bit = hj_role_parse(json_string_value(v));
		if (!bit) {
			char f[32];
			snprintf(f, sizeof f, "roles[%zu]", i);
			srv_reply_error(out, 422, "invalid_value", f,
					"未知の役割です（applicant, staff, reviewer, admin, supporter, vendor のどれか）");
			json_decref(j);
			return;
		}
		roles |= bit;
	}
	json_decref(j);
	hj_account a;
	hj_error err;
	char *json;
	if (hj_account_set_roles(rq->store, &rq->actor, id, roles, &a, &err) || hj_account_json(&a, &json, &err)) {
		srv_reply_hj_error(out, &err);
		return;
	}
	srv_reply_json(out, 200, json);
}
