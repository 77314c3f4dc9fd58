/*
 * server/parties.h - internal to server/: the handlers of the parties'
 * routes (routes_parties.c; docs/api.md "Parties and the IT tool registry").
 */
#ifndef HOJO_SERVER_PARTIES_H
#define HOJO_SERVER_PARTIES_H

#include "http.h"

void h_party_org_create(srv_request *rq, srv_reply *out);
void h_party_org_list(srv_request *rq, srv_reply *out);
void h_party_org_mine(srv_request *rq, srv_reply *out);
void h_party_org_member(srv_request *rq, srv_reply *out);
void h_app_parties_invite(srv_request *rq, srv_reply *out);
void h_app_parties_list(srv_request *rq, srv_reply *out);
void h_app_parties_revoke(srv_request *rq, srv_reply *out);
void h_app_tools_set(srv_request *rq, srv_reply *out);
void h_party_inbox(srv_request *rq, srv_reply *out);
void h_party_invitation(srv_request *rq, srv_reply *out);
void h_party_confirm(srv_request *rq, srv_reply *out);
void h_party_revoke(srv_request *rq, srv_reply *out);
void h_tools_approved(srv_request *rq, srv_reply *out);
void h_tool_get(srv_request *rq, srv_reply *out);
void h_vendor_tools(srv_request *rq, srv_reply *out);
void h_tool_create(srv_request *rq, srv_reply *out);
void h_tool_update(srv_request *rq, srv_reply *out);
void h_tool_delete(srv_request *rq, srv_reply *out);
void h_tool_submit(srv_request *rq, srv_reply *out);
void h_review_tools(srv_request *rq, srv_reply *out);
void h_tool_approve(srv_request *rq, srv_reply *out);
void h_tool_refuse(srv_request *rq, srv_reply *out);

#endif
