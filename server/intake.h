/*
 * server/intake.h - internal to server/: the handlers of the intake
 * routes (routes_intake.c; docs/api.md "Calls and applications").
 */
#ifndef HOJO_SERVER_INTAKE_H
#define HOJO_SERVER_INTAKE_H

#include "http.h"

void h_calls_list(srv_request *rq, srv_reply *out);
void h_call_get(srv_request *rq, srv_reply *out);
void h_call_create(srv_request *rq, srv_reply *out);
void h_call_update(srv_request *rq, srv_reply *out);
void h_call_submissions(srv_request *rq, srv_reply *out);
void h_companies_create(srv_request *rq, srv_reply *out);
void h_companies_list(srv_request *rq, srv_reply *out);
void h_apps_create(srv_request *rq, srv_reply *out);
void h_apps_list(srv_request *rq, srv_reply *out);
void h_app_get(srv_request *rq, srv_reply *out);
void h_app_save(srv_request *rq, srv_reply *out);
void h_app_submit(srv_request *rq, srv_reply *out);
void h_app_withdraw(srv_request *rq, srv_reply *out);
void h_app_sendback(srv_request *rq, srv_reply *out);
void h_app_versions(srv_request *rq, srv_reply *out);
void h_app_version(srv_request *rq, srv_reply *out);
void h_app_diff(srv_request *rq, srv_reply *out);
void h_collab_invite(srv_request *rq, srv_reply *out);
void h_collab_list(srv_request *rq, srv_reply *out);
void h_collab_delegate(srv_request *rq, srv_reply *out);
void h_collab_revoke(srv_request *rq, srv_reply *out);
void h_attachment_upload(srv_request *rq, srv_reply *out);
void h_attachments_list(srv_request *rq, srv_reply *out);
void h_attachment_get(srv_request *rq, srv_reply *out);
void h_attachment_delete(srv_request *rq, srv_reply *out);
void h_receipt_get(srv_request *rq, srv_reply *out);
void h_receipt_verify(srv_request *rq, srv_reply *out);
void h_audit(srv_request *rq, srv_reply *out);

#endif
