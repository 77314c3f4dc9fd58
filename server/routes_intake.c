/*
 * routes_intake.c - the handlers of the intake routes (docs/api.md
 * "Calls and applications"): calls, companies, applications, versions
 * and diff, submit, send-back, collaborators, attachments, receipts and
 * the audit log. Each turns the request (path parameters, query, the
 * If-Match and Idempotency-Key headers, the JSON or multipart body) into
 * one call of include/hojo/grants/applications.h and its answer into
 * the reply (status, ETag, Location). Who may call which route at all is
 * the route table's roles and session columns (server/auth.c); what the
 * actor may do with one record is the library's decision.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <microhttpd.h>
#include "hojo/grants/applications.h"
#include "intake.h"
#include "upload.h"

/* ---- request pieces ---- */

typedef struct qcheck {
	const char *allowed, *bad;
} qcheck;

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	qcheck *q = cls;
	size_t n = strlen(key);
	for (const char *p = q->allowed; p && *p;) {
		size_t m = strcspn(p, ",");
		if (m == n && !strncmp(p, key, n))
			return MHD_YES;
		p += m + (p[m] ? 1 : 0);
	}
	q->bad = key;
	return MHD_NO;
}

/* Only the route's query parameters; 0, or the 400 reply made. */
static int query_ok(srv_request *rq, srv_reply *out)
{
	qcheck q = { rq->route->query, NULL };
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, each_arg, &q);
	if (q.bad) {
		srv_reply_error(out, 400, "unknown_parameter", q.bad, "未知のクエリパラメータ '%s'（使えるのは %s）", q.bad,
				rq->route->query && *rq->route->query ? rq->route->query : "なし");
		return -1;
	}
	return 0;
}

/* A positive decimal id from a path segment or query value; 0 if not. */
static int64_t parse_id(const char *s)
{
	if (!s || !*s || strlen(s) > 18)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return strtoll(s, NULL, 10);
}

/* The path's n-th parameter as an id; 0 and a 404 reply when it is not one. */
static int64_t path_id(srv_request *rq, srv_reply *out, int n)
{
	int64_t id = n < rq->nargs ? parse_id(rq->args[n]) : 0;
	if (!id)
		srv_reply_error(out, 404, "not_found", NULL, "%s は見つかりません", rq->path);
	return id;
}

static int query_int(srv_request *rq, srv_reply *out, const char *name, int64_t def, int64_t *v)
{
	const char *s = srv_query(rq, name);
	*v = def;
	if (!s)
		return 0;
	if (!(*v = parse_id(s))) {
		srv_reply_error(out, 422, "invalid_value", name, "%s は1以上の整数です: '%s'", name, s);
		return -1;
	}
	return 0;
}

/* The body is JSON that parses; 0, or the 400 reply made. An empty
 * body reads as {} where 'empty_ok'. */
static int body_ok(srv_request *rq, srv_reply *out, int empty_ok)
{
	if (!rq->body || !rq->len) {
		if (empty_ok)
			return 0;
		srv_reply_error(out, 400, "empty_body", NULL, "本文がありません（JSON のオブジェクトを送ってください）");
		return -1;
	}
	json_error_t je;
	json_t *j = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		srv_reply_error(out, 400, "invalid_json", NULL, "JSON として読めません（%d行%d列）: %s", je.line, je.column,
				je.text);
		return -1;
	}
	int obj = json_is_object(j);
	json_decref(j);
	if (!obj) {
		srv_reply_error(out, 400, "not_object", NULL, "本文は JSON のオブジェクト {…} でなければなりません");
		return -1;
	}
	return 0;
}

/* An error of the library, with the document 'doc' (may be NULL) added
 * to the envelope (a 409 carries the current application). */
static void reply_err(srv_reply *out, const hj_error *err, char *doc)
{
	srv_reply_hj_error(out, err);
	if (!doc)
		return;
	json_t *env = out->body ? json_loadb(out->body, out->len, 0, NULL) : NULL;
	json_t *d = json_loads(doc, 0, NULL);
	hj_free(doc);
	if (env && json_is_object(d)) {
		json_object_update_missing(env, d);
		char *s = json_dumps(env, JSON_PRESERVE_ORDER | JSON_COMPACT);
		if (s) {
			free(out->body);
			size_t n = strlen(s);
			out->body = realloc(s, n + 2);
			if (!out->body)
				out->body = s, out->len = n;
			else {
				out->body[n] = '\n';
				out->body[n + 1] = '\0';
				out->len = n + 1;
			}
		}
	}
	json_decref(env);
	json_decref(d);
}

static void reply(srv_reply *out, hj_status s, const hj_error *err, int status, char *json)
{
	if (s)
		reply_err(out, err, json);
	else
		srv_reply_json(out, status, json);
}

static void etag(srv_reply *out, int64_t version)
{
	char v[48];
	snprintf(v, sizeof v, "\"%lld\"", (long long)version);
	srv_reply_header(out, "ETag", v);
}

#define RB (rq->rules->rb)

/* ---- calls ---- */

void h_calls_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out))
		return;
	hj_status s = hj_call_list(rq->store, RB, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_call_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_call_get(rq->store, RB, id, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_call_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_call_create(rq->store, RB, &rq->actor, rq->body, rq->len, &json, &err);
	if (!s) {
		json_t *j = json_loads(json, 0, NULL);
		char loc[96];
		snprintf(loc, sizeof loc, "/api/v1/calls/%lld",
			 (long long)json_integer_value(json_object_get(json_object_get(j, "call"), "id")));
		json_decref(j);
		srv_reply_header(out, "Location", loc);
	}
	reply(out, s, &err, 201, s ? NULL : json);
}

void h_call_update(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_call_update(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_call_submissions(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0), page, per_page;
	if (!id || query_ok(rq, out) || query_int(rq, out, "page", 1, &page) ||
	    query_int(rq, out, "per_page", 50, &per_page))
		return;
	hj_status s = hj_call_submissions(rq->store, &rq->actor, id, srv_query(rq, "state"), srv_query(rq, "frame"),
					  srv_query(rq, "q"), (int)(page > 100000 ? 100000 : page),
					  (int)(per_page > 200 ? 200 : per_page), &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

/* ---- companies ---- */

void h_companies_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_company_create(rq->store, &rq->actor, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 201, s ? NULL : json);
}

void h_companies_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out))
		return;
	hj_status s = hj_company_list(rq->store, &rq->actor, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

/* ---- applications ---- */

void h_apps_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t version = 0;
	if (query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_app_create(rq->store, RB, &rq->actor, rq->body, rq->len, &json, &version, &err);
	if (!s) {
		json_t *j = json_loads(json, 0, NULL);
		char loc[96];
		snprintf(loc, sizeof loc, "/api/v1/applications/%lld",
			 (long long)json_integer_value(json_object_get(json_object_get(j, "application"), "id")));
		json_decref(j);
		srv_reply_header(out, "Location", loc);
		etag(out, version);
	}
	reply(out, s, &err, 201, s ? NULL : json);
}

void h_apps_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t page, per_page;
	if (query_ok(rq, out) || query_int(rq, out, "page", 1, &page) || query_int(rq, out, "per_page", 50, &per_page))
		return;
	hj_status s = hj_app_list(rq->store, &rq->actor, srv_query(rq, "state"), (int)(page > 100000 ? 100000 : page),
				  (int)(per_page > 200 ? 200 : per_page), &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_app_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t version = 0, id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_app_get(rq->store, RB, &rq->actor, id, &json, &version, &err);
	if (!s)
		etag(out, version);
	reply(out, s, &err, 200, s ? NULL : json);
}

/* If-Match: "3" (or W/"3", or 3): the version; 0 when absent or unreadable. */
static int64_t if_match(srv_request *rq)
{
	const char *h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH);
	if (!h)
		return 0;
	if (!strncmp(h, "W/", 2))
		h += 2;
	char buf[32];
	size_t n = strlen(h);
	if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
		h++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, h, n);
	buf[n] = '\0';
	int64_t v = parse_id(buf);
	return v ? v : -1;
}

void h_app_save(srv_request *rq, srv_reply *out)
{
	char *json = NULL;
	hj_error err;
	int64_t version = 0, id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	int64_t m = if_match(rq);
	if (m == 0) {
		srv_reply_error(out, 428, "precondition_required", "If-Match",
				"保存には If-Match ヘッダー（読み込んだ版の ETag）が必要です");
		return;
	}
	if (m < 0) {
		srv_reply_error(out, 400, "invalid_header", "If-Match", "If-Match は ETag（例 \"3\"）で書いてください");
		return;
	}
	hj_status s = hj_app_save(rq->store, RB, &rq->actor, id, m, rq->body, rq->len, &json, &version, &err);
	if (version)
		etag(out, version);
	reply(out, s, &err, 200, json);
}

void h_app_submit(srv_request *rq, srv_reply *out)
{
	char *json = NULL;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out) || body_ok(rq, out, 1))
		return;
	const char *dry = srv_query(rq, "dry_run");
	if (dry && strcmp(dry, "1") && strcmp(dry, "0") && strcmp(dry, "true") && strcmp(dry, "false")) {
		srv_reply_error(out, 422, "invalid_value", "dry_run", "dry_run は 1 か 0 です");
		return;
	}
	int dry_run = dry && (!strcmp(dry, "1") || !strcmp(dry, "true"));
	const char *key = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Idempotency-Key");
	int replayed = 0;
	hj_status s = hj_app_submit(rq->store, RB, &rq->actor, id, rq->body, rq->len, key, dry_run, &json, &replayed,
				    &err);
	if (!s && replayed)
		srv_reply_header(out, "Idempotent-Replayed", "true");
	if (!s && !dry_run) {
		json_t *j = json_loads(json, 0, NULL);
		char loc[128];
		snprintf(loc, sizeof loc, "/api/v1/receipts/%s",
			 json_string_value(json_object_get(json_object_get(j, "receipt"), "number")));
		json_decref(j);
		srv_reply_header(out, "Location", loc);
	}
	reply(out, s, &err, dry_run ? 200 : 201, json);
}

void h_app_withdraw(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_app_withdraw(rq->store, RB, &rq->actor, id, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_app_sendback(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_app_sendback(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_app_versions(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_app_versions(rq->store, &rq->actor, id, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_app_version(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0), n = id ? path_id(rq, out, 1) : 0;
	if (!n || query_ok(rq, out))
		return;
	hj_status s = hj_app_version(rq->store, &rq->actor, id, n, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_app_diff(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0), from, to;
	if (!id || query_ok(rq, out) || query_int(rq, out, "from", 0, &from) || query_int(rq, out, "to", 0, &to))
		return;
	if (!from || !to) {
		srv_reply_error(out, 422, "missing_parameter", !from ? "from" : "to", "from= と to= に版の番号を書いてください");
		return;
	}
	hj_status s = hj_app_diff(rq->store, &rq->actor, id, from, to, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

/* ---- collaborators ---- */

void h_collab_invite(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_collab_invite(rq->store, &rq->actor, id, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 201, s ? NULL : json);
}

void h_collab_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_collab_list(rq->store, &rq->actor, id, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_collab_delegate(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0), m = id ? path_id(rq, out, 1) : 0;
	if (!m || query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_collab_delegate(rq->store, &rq->actor, id, m, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_collab_revoke(srv_request *rq, srv_reply *out)
{
	hj_error err;
	int64_t id = path_id(rq, out, 0), m = id ? path_id(rq, out, 1) : 0;
	if (!m || query_ok(rq, out))
		return;
	hj_status s = hj_collab_revoke(rq->store, &rq->actor, id, m, &err);
	if (s)
		reply_err(out, &err, NULL);
	else
		srv_reply_text(out, 204, "application/json; charset=utf-8", "");
}

/* ---- attachments ---- */

void h_attachment_upload(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	srv_upload *u = rq->upload;
	if (u->name_long || !hj_attachment_name_ok(u->name, u->name_len)) {
		srv_reply_error(out, 422, "invalid_value", "file",
				"ファイル名に使えない文字があるか長すぎます（/ \\ .. 制御文字は不可、255バイトまで）");
		return;
	}
	hj_status s = hj_attachment_add(rq->store, &rq->actor, id, u->name, u->kind, u->content_type, u->data, u->len,
					u->sha256, &json, &err);
	reply(out, s, &err, 201, s ? NULL : json);
}

void h_attachments_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_attachment_list(rq->store, &rq->actor, id, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_attachment_get(srv_request *rq, srv_reply *out)
{
	hj_error err;
	hj_attachment_file f;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_attachment_get(rq->store, &rq->actor, id, &f, &err);
	if (s) {
		reply_err(out, &err, NULL);
		return;
	}
	/* the bytes as stored, with their type, always as a download */
	out->body = malloc(f.len ? f.len : 1);
	if (!out->body) {
		hj_attachment_file_clear(&f);
		srv_reply_error(out, 503, "overloaded", NULL, "メモリが足りません");
		return;
	}
	memcpy(out->body, f.data, f.len);
	out->len = f.len;
	out->status = 200;
	static __thread char type[128];
	snprintf(type, sizeof type, "%s", f.content_type);
	out->type = type;
	/* RFC 6266: an ASCII fallback and the UTF-8 name percent-encoded */
	char enc[800];
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)f.name; *p && k + 4 < sizeof enc; p++) {
		if (isalnum(*p) || strchr("-._~", *p))
			enc[k++] = (char)*p;
		else
			k += (size_t)snprintf(enc + k, sizeof enc - k, "%%%02X", *p);
	}
	enc[k] = '\0';
	char disp[1000];
	snprintf(disp, sizeof disp, "attachment; filename=\"attachment-%lld\"; filename*=UTF-8''%s", (long long)id, enc);
	if (!srv_reply_header(out, "Content-Disposition", disp))
		snprintf(out->disposition, sizeof out->disposition, "attachment; filename=\"attachment-%lld\"", (long long)id);
	hj_attachment_file_clear(&f);
}

void h_attachment_delete(srv_request *rq, srv_reply *out)
{
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_attachment_delete(rq->store, &rq->actor, id, &err);
	if (s)
		reply_err(out, &err, NULL);
	else
		srv_reply_text(out, 204, "application/json; charset=utf-8", "");
}

/* ---- receipts and audit ---- */

static int receipt_number_ok(srv_request *rq, srv_reply *out)
{
	const char *n = rq->arg;
	int ok = strlen(n) < 64;
	for (const char *p = n; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || *p == '-';
	if (!ok)
		srv_reply_error(out, 404, "not_found", NULL, "受付番号 %.64s はありません", n);
	return ok;
}

void h_receipt_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (!receipt_number_ok(rq, out) || query_ok(rq, out))
		return;
	hj_status s = hj_receipt_get(rq->store, &rq->actor, rq->arg, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_receipt_verify(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (!receipt_number_ok(rq, out) || query_ok(rq, out))
		return;
	hj_status s = hj_receipt_verify(rq->store, &rq->actor, rq->arg, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_audit(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t app, page, per_page;
	if (query_ok(rq, out) || query_int(rq, out, "application", 0, &app) || query_int(rq, out, "page", 1, &page) ||
	    query_int(rq, out, "per_page", 50, &per_page))
		return;
	hj_status s = hj_audit_view(rq->store, &rq->actor, app, srv_query(rq, "action"),
				    (int)(page > 100000 ? 100000 : page), (int)(per_page > 200 ? 200 : per_page), &json,
				    &err);
	reply(out, s, &err, 200, s ? NULL : json);
}
