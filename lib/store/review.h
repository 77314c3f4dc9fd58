/*
 * lib/store/review.h - internal: the SQL of the secretariat's review
 * (migration 006-review.sql): review settings, 加点 confirmations,
 * conflicts (and their detection), assignments, reviews and their
 * versions, committed selections with their results, notices. Only
 * lib/store/review.c writes the SQL; lib/grants/review.c calls these
 * inside its transactions and decides who may do what.
 *
 * Rows come back as jansson objects with the JSON keys of docs/api.md
 * (times as "x_us" microseconds). Ownership: every json_t ** out-
 * parameter is a new reference the caller decrefs; char ** results are
 * hj_malloc'd (hj_free); strings passed in are borrowed for the call.
 */
#ifndef HOJO_STORE_REVIEW_H
#define HOJO_STORE_REVIEW_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "hojo/error.h"
#include "hojo/store.h"

/* ---- settings and 加点 ---- */

/* The settings JSON text a call has set (*settings NULL: none). */
hj_status srw_settings_get(hj_tx *tx, int64_t call, char **settings, hj_error *err);
hj_status srw_settings_put(hj_tx *tx, int64_t call, const char *settings, int64_t by, int64_t now, hj_error *err);
/* Set (insert or replace) the decision on one 加点 of an application. */
hj_status srw_bonus_put(hj_tx *tx, int64_t app, const char *bonus, const char *decision, const char *reason,
			int64_t by, int64_t now, hj_error *err);
/* The decisions on the applications of a call:
 * [{application,bonus,decision,reason,decided_by,decided_at_us}]. */
hj_status srw_bonus_list(hj_tx *tx, int64_t call, json_t **out, hj_error *err);

/* The submitted applications of a call, by id:
 * [{id,company,company_name,data(text),submitted_at_us,frames:[…]}];
 * with_data 0 leaves data out. */
hj_status srw_call_apps(hj_tx *tx, int64_t call, int with_data, json_t **out, hj_error *err);

/* The engine's results kept per application (migration 008,
 * review_eval_cache). srw_call_apps_eval gives srw_call_apps's rows with
 * the application's version:i and, when a row is kept for this version,
 * submission time and rulebook hash 'rb_sha', its columns (ev_parties,
 * ev_frame, ev_request:i, ev_verdict, ev_why, ev_target, ev_rerequest:i,
 * ev_reverdict; null when none is kept); data is given only where none
 * is kept (null otherwise), so that a warm read does not carry every
 * application's JSON. One query for the call, one for the frames. */
hj_status srw_call_apps_eval(hj_tx *tx, int64_t call, const char *rb_sha, json_t **out, hj_error *err);
/* The data (JSON text) of one application (*data NULL: none; hj_free). */
hj_status srw_app_data(hj_tx *tx, int64_t app, char **data, hj_error *err);
/* Keep (insert or replace) the engine's results of n applications
 * (e[0..n-1]; a few statements of 64 rows). */
typedef struct srw_eval {
	int64_t application, version, submitted_at;
	const char *rulebook_sha256, *parties, *frame;
	int64_t request;
	const char *verdict, *why, *target;
	int64_t rerequest;
	const char *reverdict;
	int64_t computed_at;
} srw_eval;
hj_status srw_eval_put(hj_tx *tx, const srw_eval *e, int64_t n, hj_error *err);

/* ---- conflicts ---- */

/* Write the detected conflicts not yet recorded (same company, same
 * party organisation, a declared company/organisation relationship) of
 * reviewer 'reviewer' (0: every reviewer) with the submitted
 * applications of call 'call' (0: every call); *added (may be NULL) the
 * number of new rows. */
hj_status srw_detect(hj_tx *tx, int64_t reviewer, int64_t call, int64_t now, int64_t *added, hj_error *err);
hj_status srw_conflict_insert(hj_tx *tx, int64_t reviewer, int64_t app, int64_t company, int64_t org,
			      const char *type, const char *origin, const char *note, int64_t now, int64_t *id,
			      hj_error *err);
/* One page of the conflicts touching the applications of a call, and
 * the declared company/organisation ones of every reviewer, by id (and
 * how many there are): [{id,reviewer,
 * reviewer_email,application,company,organisation,type,origin,note,
 * created_at_us,dismissed,dismissed_reason,dismissed_by,dismissed_at_us}]. */
hj_status srw_conflict_list(hj_tx *tx, int64_t call, int page, int per_page, json_t **out, int64_t *total,
			    hj_error *err);
/* One conflict (as a list item); *out NULL: none. */
hj_status srw_conflict_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err);
/* *changed 0 when it was already dismissed. */
hj_status srw_conflict_dismiss(hj_tx *tx, int64_t id, const char *reason, int64_t by, int64_t now, int *changed,
			       hj_error *err);
/* Is there a conflict (not dismissed) between reviewer and application? */
hj_status srw_conflicted(hj_tx *tx, int64_t reviewer, int64_t app, int *yes, hj_error *err);
/* The pairs in conflict of a call's applications: [[reviewer, application]]. */
hj_status srw_conflict_pairs(hj_tx *tx, int64_t call, json_t **out, hj_error *err);

/* ---- assignments ---- */

/* The accounts holding the reviewer role (not disabled), by id, with
 * their current assignments over every call:
 * [{id,email,name,load}]. */
hj_status srw_reviewers(hj_tx *tx, json_t **out, hj_error *err);
hj_status srw_assignment_insert(hj_tx *tx, int64_t call, int64_t app, int64_t reviewer, int64_t by, int64_t now,
				int64_t *id, hj_error *err);
/* The assignments of a call, one page by application and reviewer:
 * [{id,application,reviewer,reviewer_email,assigned_at_us,review_state,
 * review_version,conflicted}], and how many there are. */
hj_status srw_assignment_list(hj_tx *tx, int64_t call, int page, int per_page, json_t **out, int64_t *total,
			      hj_error *err);
/* Every assignment of a call as [[reviewer, application]]. */
hj_status srw_assignment_pairs(hj_tx *tx, int64_t call, json_t **out, hj_error *err);
/* {id,call,application,reviewer}; *out NULL: none. */
hj_status srw_assignment_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err);
/* The assignment of 'reviewer' to 'app' ({id,call,application,reviewer}); NULL: none. */
hj_status srw_assignment_for(hj_tx *tx, int64_t app, int64_t reviewer, json_t **out, hj_error *err);
/* Delete an assignment with its draft review and versions. */
hj_status srw_assignment_delete(hj_tx *tx, int64_t id, hj_error *err);
/* A reviewer's queue: the assignments whose application is not in
 * conflict with them, newest call first: [{assignment,application,call,
 * call_title,program,edition,company_name,frames,submitted_at_us,
 * review_state,review_version,updated_at_us}] (page of per_page). */
hj_status srw_queue(hj_tx *tx, int64_t reviewer, int page, int per_page, json_t **items, int64_t *total,
		    hj_error *err);

/* ---- reviews ---- */

/* {assignment,version,state,scores,comments,overall,updated_at_us,
 * submitted_at_us}; *out NULL: none yet. */
hj_status srw_review_get(hj_tx *tx, int64_t assignment, json_t **out, hj_error *err);
/* Write the review at 'version' when it is still at 'expected' (0: no
 * review yet, inserted); *changed 0 when it is not (stale). A version
 * row is kept too. */
hj_status srw_review_put(hj_tx *tx, int64_t assignment, int64_t expected, int64_t version, const char *state,
			 const char *scores, const char *comments, const char *overall, const char *reason, int64_t by,
			 int64_t now, int64_t submitted_at, int *changed, hj_error *err);
/* [{n,state,scores,comments,overall,reason,saved_by,saved_at_us}], oldest first. */
hj_status srw_review_versions(hj_tx *tx, int64_t assignment, json_t **out, hj_error *err);
/* The submitted reviews of a call's applications, by application and
 * assignment: [{application,assignment,reviewer,scores,comments,overall}]. */
hj_status srw_call_reviews(hj_tx *tx, int64_t call, json_t **out, hj_error *err);
/* srw_call_reviews without the texts (comments, overall, reviewer):
 * [{application,assignment,scores}], what the ranking reads. */
hj_status srw_call_scores(hj_tx *tx, int64_t call, json_t **out, hj_error *err);

/* ---- selections and notices ---- */

hj_status srw_selection_insert(hj_tx *tx, int64_t call, const char *rulebook_sha, const char *scores_sha,
			       const char *inputs_sha, const char *inputs, const char *result, int64_t by, int64_t now,
			       int64_t *id, hj_error *err);
/* {id,call,rulebook_sha256,scores_sha256,inputs_sha256,result(j),
 * committed_by,committed_at_us}; by id, or by call (id 0); NULL: none. */
hj_status srw_selection_get(hj_tx *tx, int64_t id, int64_t call, json_t **out, hj_error *err);
hj_status srw_result_insert(hj_tx *tx, int64_t app, int64_t selection, const char *outcome, const char *frame,
			    int moved, int64_t amount, int64_t rank, const char *score, const char *reason,
			    hj_error *err);
/* The result of one application: {application,selection,outcome,frame,
 * moved,amount,rank,score,reason}; NULL: none. */
hj_status srw_result_get(hj_tx *tx, int64_t app, json_t **out, hj_error *err);
/* The results of a selection, by application. */
hj_status srw_results(hj_tx *tx, int64_t selection, json_t **out, hj_error *err);
/* A notice; *changed 0 when the application already has one. */
hj_status srw_notice_insert(hj_tx *tx, int64_t app, int64_t selection, const char *outcome, const char *frame,
			    int64_t amount, const char *feedback, int64_t by, int64_t now, int *changed, hj_error *err);
/* {id,application,selection,outcome,frame,amount,feedback(j),
 * released_at_us,call,call_title}; NULL: none. */
hj_status srw_notice_get(hj_tx *tx, int64_t app, json_t **out, hj_error *err);
/* The notices of the applications 'account' is a current member of. */
hj_status srw_notice_list(hj_tx *tx, int64_t account, int64_t now, json_t **out, hj_error *err);

#endif
