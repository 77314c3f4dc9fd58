/*
 * server/awards.h - internal to server/: the handlers of the routes after
 * adoption (routes_awards.c; docs/api.md "Awards, claims and reports").
 */
#ifndef HOJO_SERVER_AWARDS_H
#define HOJO_SERVER_AWARDS_H

#include "http.h"

void h_awards_list(srv_request *rq, srv_reply *out);
void h_award_get(srv_request *rq, srv_reply *out);
void h_award_apply(srv_request *rq, srv_reply *out);
void h_award_decide(srv_request *rq, srv_reply *out);
void h_award_change(srv_request *rq, srv_reply *out);
void h_change_decide(srv_request *rq, srv_reply *out);
void h_claim_get(srv_request *rq, srv_reply *out);
void h_claim_save(srv_request *rq, srv_reply *out);
void h_claim_submit(srv_request *rq, srv_reply *out);
void h_claim_attachment(srv_request *rq, srv_reply *out);
void h_claim_attachment_get(srv_request *rq, srv_reply *out);
void h_inspection(srv_request *rq, srv_reply *out);
void h_settlement(srv_request *rq, srv_reply *out);
void h_payment(srv_request *rq, srv_reply *out);
void h_reports_get(srv_request *rq, srv_reply *out);
void h_report_save(srv_request *rq, srv_reply *out);
void h_reports_overdue(srv_request *rq, srv_reply *out);
void h_reports_remind(srv_request *rq, srv_reply *out);
void h_outcomes(srv_request *rq, srv_reply *out);
void h_award_adopt(srv_request *rq, srv_reply *out);

#endif
