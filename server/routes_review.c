/*
 * routes_review.c - the handlers of the review routes (docs/api.md
 * "Review and selection", docs/review.md): review settings, 加点
 * confirmations, conflicts, assignments, the reviewer's queue and
 * reviews (If-Match / ETag), scores, ranking, selections (?dry_run=1)
 * and notices. Each turns the request into one call of
 * include/hojo/grants/review.h; who may call a route at all is the
 * route table's roles and session columns (server/auth.c), what the
 * actor may do with one record is the library's decision.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <microhttpd.h>
#include "hojo/grants/review.h"
#include "review.h"

#define RB (rq->rules->rb)

/* ---- request pieces ---- */

/* ?dry_run=1|0|true|false: 0 or 1, or -1 with the error reply made. */
static int dry_run_of(srv_request *rq, srv_reply *out)
{
	const char *d = srv_query(rq, "dry_run");
	if (!d || !strcmp(d, "0") || !strcmp(d, "false"))
		return 0;
	if (!strcmp(d, "1") || !strcmp(d, "true"))
		return 1;
	srv_reply_error(out, 422, "invalid_value", "dry_run", "dry_run は 1 か 0 です");
	return -1;
}

/* ---- settings and 加点 ---- */

void h_review_settings_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_review_settings_get(rq->store, RB, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_review_settings_put(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_review_settings_put(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_bonus_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), page, per_page;
	if (!id || srv_query_ok(rq, out) || srv_query_int(rq, out, "page", 1, &page) ||
	    srv_query_int(rq, out, "per_page", 0, &per_page))
		return;
	hj_status s = hj_bonus_list_page(rq->store, RB, &rq->actor, id, page > 1000000 ? 1000000 : page,
					 per_page > 1000 ? 1000 : per_page, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_bonus_decide(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_bonus_decide(rq->store, RB, &rq->actor, id, rq->args[1], rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

/* ---- conflicts ---- */

void h_conflict_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), page, per_page;
	if (!id || srv_query_ok(rq, out) || srv_query_int(rq, out, "page", 1, &page) ||
	    srv_query_int(rq, out, "per_page", 1000, &per_page))
		return;
	hj_status s = hj_conflict_list(rq->store, &rq->actor, id, (int)(page > 100000 ? 100000 : page),
				       (int)(per_page > 5000 ? 5000 : per_page), &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_conflict_declare(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_conflict_declare(rq->store, &rq->actor, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_conflict_dismiss(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_conflict_dismiss(rq->store, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

/* ---- assignments ---- */

void h_assign(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	int dry;
	if (!id || srv_query_ok(rq, out) || (dry = dry_run_of(rq, out)) < 0 || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_assign(rq->store, RB, &rq->actor, id, rq->body, rq->len, dry, &json, &err);
	srv_reply_result(out, s, &err, dry ? 200 : 201, s ? NULL : json);
}

void h_assignment_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), page, per_page;
	if (!id || srv_query_ok(rq, out) || srv_query_int(rq, out, "page", 1, &page) ||
	    srv_query_int(rq, out, "per_page", 1000, &per_page))
		return;
	hj_status s = hj_assignment_list(rq->store, &rq->actor, id, (int)(page > 100000 ? 100000 : page),
					 (int)(per_page > 5000 ? 5000 : per_page), &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_assignment_delete(srv_request *rq, srv_reply *out)
{
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_assignment_delete(rq->store, &rq->actor, id, &err);
	if (s)
		srv_reply_hj_error(out, &err);
	else
		srv_reply_text(out, 204, "application/json; charset=utf-8", "");
}

/* ---- the reviewer ---- */

void h_reviewer_queue(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t page, per_page;
	if (srv_query_ok(rq, out) || srv_query_int(rq, out, "page", 1, &page) || srv_query_int(rq, out, "per_page", 50, &per_page))
		return;
	hj_status s = hj_reviewer_queue(rq->store, &rq->actor, (int)(page > 100000 ? 100000 : page),
					(int)(per_page > 200 ? 200 : per_page), &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_reviewer_app(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_reviewer_app(rq->store, RB, &rq->actor, id, &json, &err);
	if (!s) {
		json_t *j = json_loads(json, 0, NULL);
		json_t *r = json_object_get(j, "review");
		srv_etag(out, json_is_object(r) ? json_integer_value(json_object_get(r, "version")) : 0);
		json_decref(j);
	}
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_review_save(srv_request *rq, srv_reply *out)
{
	char *json = NULL;
	hj_error err;
	int64_t version = 0, id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	int64_t m = srv_if_match(rq, 0, -2);
	if (m == 0) {
		srv_reply_error(out, 428, "precondition_required", "If-Match",
				"保存には If-Match ヘッダー（読み込んだ審査の ETag、まだなければ \"0\"）が必要です");
		return;
	}
	if (m == -1) {
		srv_reply_error(out, 400, "invalid_header", "If-Match", "If-Match は ETag（例 \"3\"）で書いてください");
		return;
	}
	hj_status s = hj_review_save(rq->store, RB, &rq->actor, id, m == -2 ? 0 : m, rq->body, rq->len, &json, &version,
				     &err);
	if (!s)
		srv_etag(out, version);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_review_versions(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_review_versions(rq->store, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

/* ---- scores, ranking, selections ---- */

void h_call_scores(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), page, per_page, disagree;
	if (!id || srv_query_ok(rq, out) || srv_query_int(rq, out, "page", 1, &page) ||
	    srv_query_int(rq, out, "per_page", 0, &per_page) || srv_query_int(rq, out, "disagree", 0, &disagree))
		return;
	hj_status s = hj_call_scores_page(rq->store, RB, &rq->actor, id, page > 1000000 ? 1000000 : page,
					  per_page > 1000 ? 1000 : per_page, disagree != 0, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_call_ranking(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_call_ranking(rq->store, RB, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_selection_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	int dry, replayed = 0;
	if (!id || srv_query_ok(rq, out) || (dry = dry_run_of(rq, out)) < 0 || srv_body_ok(rq, out, 1))
		return;
	hj_status s = hj_selection_create(rq->store, RB, &rq->actor, id, dry, &json, &replayed, &err);
	if (!s && replayed)
		srv_reply_header(out, "Idempotent-Replayed", "true");
	if (!s && !dry) {
		json_t *j = json_loads(json, 0, NULL);
		char loc[96];
		snprintf(loc, sizeof loc, "/api/v1/selections/%lld",
			 (long long)json_integer_value(json_object_get(j, "selection")));
		json_decref(j);
		srv_reply_header(out, "Location", loc);
	}
	srv_reply_result(out, s, &err, dry || replayed ? 200 : 201, s ? NULL : json);
}

void h_selection_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_selection_list(rq->store, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_selection_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_selection_get(rq->store, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

/* ---- notices ---- */

void h_notices_release(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 1))
		return;
	hj_status s = hj_notices_release(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_notice_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_notice_get(rq->store, RB, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_notice_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_notice_list(rq->store, RB, &rq->actor, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}
