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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <microhttpd.h>
#include "hojo/grants/parties.h"
#include "parties.h"

#define RB (rq->rules->rb)

/* ---- request pieces ---- */

/* ---- organisations ---- */

void h_party_org_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_party_org_create(rq->store, RB, &rq->actor, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_party_org_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_party_org_list(rq->store, RB, srv_query(rq, "kind"), &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_party_org_mine(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_party_org_mine(rq->store, RB, &rq->actor, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_party_org_member(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_party_org_add_member(rq->store, RB, &rq->actor, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

/* ---- the applicant's side ---- */

void h_app_parties_invite(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_party_invite(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_app_parties_list(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_party_of_app(rq->store, RB, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_app_parties_revoke(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0), inv = id ? srv_path_id(rq, out, 1) : 0;
	if (!inv || srv_query_ok(rq, out))
		return;
	hj_status s = hj_party_revoke_by_owner(rq->store, &rq->actor, id, inv, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_app_tools_set(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_app_tools_set(rq->store, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

/* ---- the party's side ---- */

void h_party_inbox(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_party_inbox(rq->store, RB, &rq->actor, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_party_invitation(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_party_invitation_get(rq->store, RB, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_party_confirm(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_party_confirm(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_party_revoke(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_party_revoke_by_party(rq->store, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

/* ---- the tool registry ---- */

void h_tools_approved(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_tool_list(rq->store, &rq->actor, "approved", NULL, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_tool_get(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_tool_get(rq->store, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_vendor_tools(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_tool_list(rq->store, &rq->actor, "mine", srv_query(rq, "state"), &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_review_tools(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out))
		return;
	hj_status s = hj_tool_list(rq->store, &rq->actor, "review", srv_query(rq, "state"), &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_tool_create(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	if (srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_tool_create(rq->store, RB, &rq->actor, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 201, s ? NULL : json);
}

void h_tool_update(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_tool_update(rq->store, RB, &rq->actor, id, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_tool_delete(srv_request *rq, srv_reply *out)
{
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
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
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_tool_submit(rq->store, &rq->actor, id, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_tool_approve(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out))
		return;
	hj_status s = hj_tool_decide(rq->store, &rq->actor, id, 1, NULL, 0, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}

void h_tool_refuse(srv_request *rq, srv_reply *out)
{
	char *json;
	hj_error err;
	int64_t id = srv_path_id(rq, out, 0);
	if (!id || srv_query_ok(rq, out) || srv_body_ok(rq, out, 0))
		return;
	hj_status s = hj_tool_decide(rq->store, &rq->actor, id, 0, rq->body, rq->len, &json, &err);
	srv_reply_result(out, s, &err, 200, s ? NULL : json);
}
