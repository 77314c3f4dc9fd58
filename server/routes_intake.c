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

#define RB (rq->rules->rb)

/* ---- calls ---- */

void h_calls_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_call_list(rq->store, RB, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_call_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_call_get(rq->store, RB, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_call_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
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
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_call_update(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_call_update(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_call_submissions(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), page, per_page;
	if (!id || srv_query_ok(rq, out) || srv_query_int(rq, out, "page", 1, &page) ||
	    srv_query_int(rq, out, "per_page", 50, &per_page))
		return;
	hj_status s = hj_call_submissions(rq->store, &rq->actor, id, srv_query(rq, "state"), srv_query(rq, "frame"),
					  srv_query(rq, "q"), (int)(page > 100000 ? 100000 : page),
					  (int)(per_page > 200 ? 200 : per_page), &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

/* ---- companies ---- */

void h_companies_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_company_create(rq->store, &rq->actor, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_companies_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_company_list(rq->store, &rq->actor, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

/* ---- applications ---- */

void h_apps_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t version = 0;
	if (srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_app_create(rq->store, RB, &rq->actor, rq->body, rq->len, &json, &version, &err);
	if (!s) {
		json_t *j = json_loads(json, 0, NULL);
		char loc[96];
		snprintf(loc, sizeof loc, "/api/v1/applications/%lld",
			 (long long)json_integer_value(json_object_get(json_object_get(j, "application"), "id")));
		json_decref(j);
		srv_reply_header(out, "Location", loc);
		srv_etag(out, version);
	}
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_apps_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t page, per_page;
	if (srv_query_ok(rq, out) || srv_query_int(rq, out, "page", 1, &page) || srv_query_int(rq, out, "per_page", 50, &per_page))
		return;
	hj_status s = hj_app_list(rq->store, &rq->actor, srv_query(rq, "state"), (int)(page > 100000 ? 100000 : page),
				  (int)(per_page > 200 ? 200 : per_page), &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_app_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t version = 0, id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_app_get(rq->store, RB, &rq->actor, id, &json, &version, &err);
	if (!s)
		srv_etag(out, version);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_app_save(srv_request *rq, srv_reply *out)
{
	char *json = NULL;
	hj_error err;
	int64_t version = 0, id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	int64_t m = srv_if_match(rq, 0, -1);
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
		srv_etag(out, version);
	srv_reply_result(out, s, &err, 200, json);
}

void h_app_submit(srv_request *rq, srv_reply *out)
{
	char *json = NULL;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 1))
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
	srv_reply_result(out, s, &err, dry_run ? 200 : 201, json);
}

void h_app_withdraw(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_app_withdraw(rq->store, RB, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_app_sendback(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_app_sendback(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_app_versions(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_app_versions(rq->store, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_app_version(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), n = id ? srv_path_id(rq, out, 1) : 0;
	if (!n || srv_query_ok(rq, out))
		return;
	hj_status s = hj_app_version(rq->store, &rq->actor, id, n, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_app_diff(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), from, to;
	if (!id || srv_query_ok(rq, out) || srv_query_int(rq, out, "from", 0, &from) || srv_query_int(rq, out, "to", 0, &to))
		return;
	if (!from || !to) {
		srv_reply_error(out, 422, "missing_parameter", !from ? "from" : "to", "from= と to= に版の番号を書いてください");
		return;
	}
	hj_status s = hj_app_diff(rq->store, &rq->actor, id, from, to, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

/* ---- collaborators ---- */

void h_collab_invite(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_collab_invite(rq->store, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_collab_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_collab_list(rq->store, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_collab_delegate(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), m = id ? srv_path_id(rq, out, 1) : 0;
	if (!m || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_collab_delegate(rq->store, &rq->actor, id, m, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_collab_revoke(srv_request *rq, srv_reply *out)
{
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), m = id ? srv_path_id(rq, out, 1) : 0;
	if (!m || srv_query_ok(rq, out))
		return;
	hj_status s = hj_collab_revoke(rq->store, &rq->actor, id, m, &err);
	if (s)
		srv_reply_error_doc(out, &err, NULL);
	else
		srv_reply_text(out, 204, "application/json; charset=utf-8", "");
}

/* ---- attachments ---- */

void h_attachment_upload(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	srv_upload *u = rq->upload;
	if (u->name_long || !hj_attachment_name_ok(u->name, u->name_len)) {
		srv_reply_error(out, 422, "invalid_value", "file",
				"ファイル名に使えない文字があるか長すぎます（/ \\ .. 制御文字は不可、255バイトまで）");
		return;
	}
	hj_status s = hj_attachment_add(rq->store, &rq->actor, id, u->name, u->kind, u->content_type, u->data, u->len,
					u->sha256, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_attachments_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_attachment_list(rq->store, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_attachment_get(srv_request *rq, srv_reply *out)
{
	hj_error err;
	hj_attachment_file f;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_attachment_get(rq->store, &rq->actor, id, &f, &err);
	if (s) {
		srv_reply_error_doc(out, &err, NULL);
		return;
	}
	char name[64];
	snprintf(name, sizeof name, "attachment-%lld", (long long)id);
	srv_reply_download(out, &f, name);
}

void h_attachment_delete(srv_request *rq, srv_reply *out)
{
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_attachment_delete(rq->store, &rq->actor, id, &err);
	if (s)
		srv_reply_error_doc(out, &err, NULL);
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
	if (!receipt_number_ok(rq, out) || srv_query_ok(rq, out))
		return;
	hj_status s = hj_receipt_get(rq->store, &rq->actor, rq->arg, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_receipt_verify(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (!receipt_number_ok(rq, out) || srv_query_ok(rq, out))
		return;
	hj_status s = hj_receipt_verify(rq->store, &rq->actor, rq->arg, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_audit(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t app, page, per_page;
	if (srv_query_ok(rq, out) || srv_query_int(rq, out, "application", 0, &app) || srv_query_int(rq, out, "page", 1, &page) ||
	    srv_query_int(rq, out, "per_page", 50, &per_page))
		return;
	hj_status s = hj_audit_view(rq->store, &rq->actor, app, srv_query(rq, "action"),
				    (int)(page > 100000 ? 100000 : page), (int)(per_page > 200 ? 200 : per_page), &json,
				    &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}
