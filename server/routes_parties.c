/*
 * routes_parties.c - the handlers of the parties' routes (docs/api.md
 * "Parties and the IT tool registry"): supporters' and vendors'
 * organisations, the invitations an applicant owner sends and the
 * confirmations the parties give, the IT vendors' tool registry with
 * the secretariat's approval, and the tools an application chooses.
 * Each turns the request into one call of include/hojo/grants/parties.h;
 * who may call a route at all is the route table's roles and session
 * columns (server/auth.c), what the actor may do with one record is the
 * library's decision.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <microhttpd.h>
#include "hojo/grants/parties.h"
#include "parties.h"

#define RB (rq->rules->rb)

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

/* The path's n-th parameter as a positive id; 0 and a 404 reply when it is not one. */
static int64_t path_id(srv_request *rq, srv_reply *out, int n)
{
	const char *s = n < rq->nargs ? rq->args[n] : "";
	int ok = *s && strlen(s) <= 18;
	for (const char *p = s; ok && *p; p++)
		ok = isdigit((unsigned char)*p);
	int64_t id = ok ? strtoll(s, NULL, 10) : 0;
	if (!id)
		srv_reply_error(out, 404, "not_found", NULL, "%s は見つかりません", rq->path);
	return id;
}

/* The body is a JSON object (an empty one where 'empty_ok'); 0, or the 400 reply made. */
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

static void reply(srv_reply *out, hj_status s, const hj_error *err, int status, char *json)
{
	if (s)
		srv_reply_hj_error(out, err);
	else
		srv_reply_json(out, status, json);
}

/* ---- organisations ---- */

void h_party_org_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_party_org_create(rq->store, RB, &rq->actor, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 201, s ? NULL : json);
}

void h_party_org_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out))
		return;
	hj_status s = hj_party_org_list(rq->store, RB, srv_query(rq, "kind"), &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_party_org_mine(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out))
		return;
	hj_status s = hj_party_org_mine(rq->store, RB, &rq->actor, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_party_org_member(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_party_org_add_member(rq->store, RB, &rq->actor, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 201, s ? NULL : json);
}

/* ---- the applicant's side ---- */

void h_app_parties_invite(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_party_invite(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 201, s ? NULL : json);
}

void h_app_parties_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_party_of_app(rq->store, RB, &rq->actor, id, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_app_parties_revoke(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0), inv = id ? path_id(rq, out, 1) : 0;
	if (!inv || query_ok(rq, out))
		return;
	hj_status s = hj_party_revoke_by_owner(rq->store, &rq->actor, id, inv, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_app_tools_set(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_app_tools_set(rq->store, &rq->actor, id, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

/* ---- the party's side ---- */

void h_party_inbox(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out))
		return;
	hj_status s = hj_party_inbox(rq->store, RB, &rq->actor, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_party_invitation(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_party_invitation_get(rq->store, RB, &rq->actor, id, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_party_confirm(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_party_confirm(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_party_revoke(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_party_revoke_by_party(rq->store, &rq->actor, id, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

/* ---- the tool registry ---- */

void h_tools_approved(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out))
		return;
	hj_status s = hj_tool_list(rq->store, &rq->actor, "approved", NULL, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_tool_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_tool_get(rq->store, &rq->actor, id, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_vendor_tools(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out))
		return;
	hj_status s = hj_tool_list(rq->store, &rq->actor, "mine", srv_query(rq, "state"), &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_review_tools(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out))
		return;
	hj_status s = hj_tool_list(rq->store, &rq->actor, "review", srv_query(rq, "state"), &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_tool_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_tool_create(rq->store, RB, &rq->actor, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 201, s ? NULL : json);
}

void h_tool_update(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_tool_update(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_tool_delete(srv_request *rq, srv_reply *out)
{
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_tool_delete(rq->store, &rq->actor, id, &err);
	if (s)
		srv_reply_hj_error(out, &err);
	else
		srv_reply_text(out, 204, "application/json; charset=utf-8", "");
}

void h_tool_submit(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_tool_submit(rq->store, &rq->actor, id, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_tool_approve(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out))
		return;
	hj_status s = hj_tool_decide(rq->store, &rq->actor, id, 1, NULL, 0, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}

void h_tool_refuse(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = path_id(rq, out, 0);
	if (!id || query_ok(rq, out) || body_ok(rq, out, 0))
		return;
	hj_status s = hj_tool_decide(rq->store, &rq->actor, id, 0, rq->body, rq->len, &json, &err);
	reply(out, s, &err, 200, s ? NULL : json);
}
