/*
 * server/review.h - internal to server/: the handlers of the review
 * routes (routes_review.c; docs/api.md "Review and selection").
 */
#ifndef HOJO_SERVER_REVIEW_H
#define HOJO_SERVER_REVIEW_H

#include "http.h"

void h_review_settings_get(srv_request *rq, srv_reply *out);
void h_review_settings_put(srv_request *rq, srv_reply *out);
void h_bonus_list(srv_request *rq, srv_reply *out);
void h_bonus_decide(srv_request *rq, srv_reply *out);
void h_conflict_list(srv_request *rq, srv_reply *out);
void h_conflict_declare(srv_request *rq, srv_reply *out);
void h_conflict_dismiss(srv_request *rq, srv_reply *out);
void h_assign(srv_request *rq, srv_reply *out);
void h_assignment_list(srv_request *rq, srv_reply *out);
void h_assignment_delete(srv_request *rq, srv_reply *out);
void h_reviewer_queue(srv_request *rq, srv_reply *out);
void h_reviewer_app(srv_request *rq, srv_reply *out);
void h_review_save(srv_request *rq, srv_reply *out);
void h_review_versions(srv_request *rq, srv_reply *out);
void h_call_scores(srv_request *rq, srv_reply *out);
void h_call_ranking(srv_request *rq, srv_reply *out);
void h_selection_create(srv_request *rq, srv_reply *out);
void h_selection_list(srv_request *rq, srv_reply *out);
void h_selection_get(srv_request *rq, srv_reply *out);
void h_notices_release(srv_request *rq, srv_reply *out);
void h_notice_get(srv_request *rq, srv_reply *out);
void h_notice_list(srv_request *rq, srv_reply *out);

#endif
