/*
 * routes_awards.c - the handlers of the routes after adoption (docs/api.md
 * "Awards, claims and reports"; include/hojo/grants/awards.h lists them):
 * 交付申請 and 交付決定, 計画変更, 実績報告 with evidence, 確定検査, 確定額,
 * 精算払, yearly reports, the overdue list and its reminders, outcomes.
 * Each turns the request into one call of the library and its answer into
 * the reply; who may call a route at all is the route table's roles, what
 * the actor may do with one award is the library's decision (a record it
 * may not see is 404).
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <microhttpd.h>
#include "hojo/alloc.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/awards.h"
#include "awards.h"
#include "upload.h"

#define RB (rq->rules->rb)

/* A flag of the query: 0 or 1 (absent: 0); -1 with the error reply made. */
static int query_flag(srv_request *rq, srv_reply *out, const char *name)
{
	const char *v = srv_query(rq, name);
	if (!v || !strcmp(v, "0") || !strcmp(v, "false"))
		return 0;
	if (!strcmp(v, "1") || !strcmp(v, "true"))
		return 1;
	srv_reply_error(out, 422, "invalid_value", name, "%s は 1 か 0 です", name);
	return -1;
}

/* The query's integer 'name' in 1..max ('def' when absent); -1 and a 422
 * naming it when it is not one. */
static int query_count(srv_request *rq, srv_reply *out, const char *name, int64_t def, int64_t max, int64_t *v)
{
	const char *s = srv_query(rq, name);
	*v = def;
	if (!s)
		return 0;
	*v = srv_parse_id(s);
	if (*v < 1 || *v > max) {
		srv_reply_error(out, 422, "invalid_value", name, "%s は 1 から %lld の整数です", name, (long long)max);
		return -1;
	}
	return 0;
}

void h_awards_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t call = 0, page, per_page;
	if (srv_query_ok(rq, out))
		return;
	const char *c = srv_query(rq, "call");
	if (c && !(call = srv_parse_id(c))) {
		srv_reply_error(out, 422, "invalid_value", "call", "call は1以上の整数です");
		return;
	}
	if (query_count(rq, out, "page", 1, INT_MAX, &page) ||
	    query_count(rq, out, "per_page", HJ_AWARD_PER_PAGE_DEFAULT, HJ_AWARD_PER_PAGE_MAX, &per_page))
		return;
	hj_status s = hj_award_list(rq->store, &rq->actor, call, (int)page, (int)per_page, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_award_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_award_get(rq->store, RB, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_award_apply(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 1))
		return;
	hj_status s = hj_award_apply(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	if (!s) {
		json_t *j = json_loads(json, 0, NULL);
		char loc[96];
		snprintf(loc, sizeof loc, "/api/v1/awards/%lld",
			 (long long)json_integer_value(json_object_get(json_object_get(j, "award"), "id")));
		json_decref(j);
		srv_reply_header(out, "Location", loc);
	}
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

/* A POST with a JSON body on /…/{id}/… calling 'fn'. */
typedef hj_status (*body_fn)(hj_store *, const hj_rulebook *, const hj_actor *, int64_t, const char *, size_t,
			     char **, hj_error *);

static void post_body(srv_request *rq, srv_reply *out, body_fn fn, int status)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = fn(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, status, s ? NULL : json);
}

void h_award_decide(srv_request *rq, srv_reply *out)
{
	post_body(rq, out, hj_award_decide, 200);
}

void h_award_change(srv_request *rq, srv_reply *out)
{
	post_body(rq, out, hj_change_request, 201);
}

void h_change_decide(srv_request *rq, srv_reply *out)
{
	post_body(rq, out, hj_change_decide, 200);
}

void h_inspection(srv_request *rq, srv_reply *out)
{
	post_body(rq, out, hj_inspection_save, 201);
}

void h_claim_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t version = 0, id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_claim_get(rq->store, RB, &rq->actor, id, &json, &version, &err);
	if (!s)
		srv_etag(out, version);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_claim_save(srv_request *rq, srv_reply *out)
{
	char *json = NULL;
	hj_error err;
	int64_t version = 0, id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	int64_t m = srv_if_match(rq, -2, 0);
	if (m == -2) {
		srv_reply_error(out, 428, "precondition_required", "If-Match",
				"保存には If-Match ヘッダー（読み込んだ版の ETag、まだ無ければ \"0\"）が必要です");
		return;
	}
	if (m < 0) {
		srv_reply_error(out, 400, "invalid_header", "If-Match", "If-Match は ETag（例 \"3\"）で書いてください");
		return;
	}
	hj_status s = hj_claim_save(rq->store, RB, &rq->actor, id, m, rq->body, rq->len, &json, &version, &err);
	if (version)
		srv_etag(out, version);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_claim_submit(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_claim_submit(rq->store, RB, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_claim_attachment(srv_request *rq, srv_reply *out)
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
	hj_status s = hj_claim_attachment_add(rq->store, &rq->actor, id, u->name, u->kind, u->content_type, u->data,
					      u->len, u->sha256, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_claim_attachment_get(srv_request *rq, srv_reply *out)
{
	hj_error err;
	hj_attachment_file f;
	int64_t id = srv_path_id(rq, out, 0), att = id ? srv_path_id(rq, out, 1) : 0;
	if (!att || srv_query_ok(rq, out))
		return;
	hj_status s = hj_claim_attachment_get(rq->store, &rq->actor, id, att, &f, &err);
	if (s) {
		srv_reply_error_doc(out, &err, NULL);
		return;
	}
	char name[64];
	snprintf(name, sizeof name, "claim-attachment-%lld", (long long)att);
	srv_reply_download(out, &f, name);
}

void h_settlement(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	int dry;
	if (!id || srv_query_ok(rq, out) || (dry = query_flag(rq, out, "dry_run")) < 0)
		return;
	hj_status s = hj_settlement(rq->store, RB, &rq->actor, id, dry, &json, &err);
	srv_reply_result(out, s, &err, dry ? 200 : 201, s ? NULL : json);
}

void h_payment(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_payment_record(rq->store, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_reports_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_reports_get(rq->store, RB, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_report_save(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), year = id ? srv_path_id(rq, out, 1) : 0;
	if (!year || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	if (year > 20) {
		srv_reply_error(out, 404, "not_found", "year", "第%lld年の報告はありません", (long long)year);
		return;
	}
	hj_status s = hj_report_save(rq->store, RB, &rq->actor, id, (int)year, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_reports_overdue(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_reports_overdue(rq->store, RB, &rq->actor, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_reports_remind(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_reports_remind(rq->store, RB, &rq->actor, rq->cfg->mail_dir ? rq->cfg->mail_dir : "var/mail",
					&json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_outcomes(srv_request *rq, srv_reply *out)
{
	char *text;
	hj_error err;
	int64_t call = 0;
	if (srv_query_ok(rq, out))
		return;
	const char *c = srv_query(rq, "call"), *fmt = srv_query(rq, "format");
	if (c && !(call = srv_parse_id(c))) {
		srv_reply_error(out, 422, "invalid_value", "call", "call は1以上の整数です");
		return;
	}
	if (fmt && strcmp(fmt, "csv") && strcmp(fmt, "json")) {
		srv_reply_error(out, 422, "invalid_value", "format", "format は csv か json です");
		return;
	}
	int csv = fmt && !strcmp(fmt, "csv");
	hj_status s = hj_outcomes(rq->store, RB, &rq->actor, srv_query(rq, "program"), call, csv, &text, &err);
	if (!s && csv) {
		srv_reply_header(out, "Content-Disposition", "attachment; filename=\"outcomes.csv\"");
		srv_reply_text(out, 200, "text/csv; charset=utf-8", text);
		hj_free(text);
		return;
	}
	srv_reply_result(out, s, &err, 200, s ? NULL : text);
}

void h_award_adopt(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_award_adopt(rq->store, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}
