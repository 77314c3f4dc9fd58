/*
 * hojo/grants/review.h - the secretariat's review (lib/grants/review.c,
 * migration 006; docs/review.md): a call's review settings, 加点
 * confirmations, reviewer conflicts and assignments, reviews (draft,
 * submitted, versioned), aggregation, rankings, selections (dry run and
 * commit) and notices (採択 / 不採択).
 *
 * The same conventions as applications.h: each operation runs in one
 * store transaction and writes its audit event; bodies and answers are
 * JSON in the shapes of docs/api.md; a record the actor may not see is
 * HJ_ERR_NOT_FOUND. A reviewer sees only the applications assigned to
 * them and not in conflict; applicants see only their own notices.
 *
 * The HTTP routes (server/routes_review.c; roles: STAFF = staff or admin):
 *   GET    /api/v1/calls/{id}/review                 STAFF, REVIEWER  settings + criteria + bonus rules
 *   PUT    /api/v1/calls/{id}/review                 STAFF            settings
 *   GET    /api/v1/calls/{id}/bonuses                STAFF            每 application: engine's 加点 + confirmations
 *   POST   /api/v1/applications/{id}/bonuses/{bonus} STAFF            confirm / reject (reason) one 加点
 *   GET    /api/v1/calls/{id}/conflicts              STAFF            declared + detected (?page, per_page)
 *   POST   /api/v1/reviewer/conflicts                REVIEWER         declare a conflict
 *   POST   /api/v1/conflicts/{id}/dismiss            STAFF            dismiss a detected one (reason)
 *   POST   /api/v1/calls/{id}/assignments            STAFF            by hand or auto; ?dry_run=1
 *   GET    /api/v1/calls/{id}/assignments            STAFF            (?page, per_page)
 *   DELETE /api/v1/assignments/{id}                  STAFF
 *   GET    /api/v1/reviewer/queue                    REVIEWER         my assignments (?page, per_page)
 *   GET    /api/v1/reviewer/applications/{id}        REVIEWER         the application, plan, explanation, my review
 *   PUT    /api/v1/reviews/{id}                      REVIEWER         save draft / submit ({submit:true}); If-Match
 *   GET    /api/v1/reviews/{id}/versions             REVIEWER(own), STAFF
 *   GET    /api/v1/calls/{id}/scores                 STAFF            aggregation per application
 *   GET    /api/v1/calls/{id}/ranking                STAFF            per frame, with cut line
 *   POST   /api/v1/calls/{id}/selections             STAFF dry run (?dry_run=1), ADMIN commit
 *   GET    /api/v1/calls/{id}/selections             STAFF
 *   GET    /api/v1/selections/{id}                   STAFF
 *   POST   /api/v1/selections/{id}/notices           STAFF            release notices (with chosen feedback)
 *   GET    /api/v1/applications/{id}/notice          owner/contributor, STAFF
 *   GET    /api/v1/notices                           signed in        my notices
 *
 * Ownership: store, rulebook and actor borrowed; *json hj_malloc'd.
 */
#ifndef HOJO_GRANTS_REVIEW_H
#define HOJO_GRANTS_REVIEW_H

#include <stddef.h>
#include <stdint.h>
#include "hojo/grants.h"
#include "hojo/rulebook.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- a call's review settings ---- */

/* {"call","settings":{reviews_per_app,scale:{min,max},weights:{crit:w},
 * bonus_points:{bonus:p},disagreement,tiebreak:"bonus_desc,…",
 * frames:[{frame,budget,slots}],feedback_release},"criteria":[…],
 * "bonus_rules":[…],"rereview":[…]}: the rulebook's defaults where the
 * call sets none, each with its source. */
hj_status hj_review_settings_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call,
				 char **json, hj_error *err);
hj_status hj_review_settings_put(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call,
				 const char *body, size_t len, char **json, hj_error *err);

/* ---- 加点 ---- */

/* Every submitted application of the call with each bonus rule: the
 * engine's truth and values seen, the evidence attached or not, and the
 * staff's confirmation (pending / confirmed / rejected with reason). */
hj_status hj_bonus_list(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, char **json,
			hj_error *err);
/* The same, one page of applications (page from 1; per_page 0: all),
 * with "total", "page" and "per_page"; only that page's facts are read. */
hj_status hj_bonus_list_page(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, int64_t page,
			     int64_t per_page, char **json, hj_error *err);
/* body {decision:"confirm"|"reject", reason?} (reason required to reject). */
hj_status hj_bonus_decide(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app,
			  const char *bonus, const char *body, size_t len, char **json, hj_error *err);

/* ---- conflicts ---- */

/* Declared by reviewers (type: "company", "support_agency", "relationship",
 * "other") and detected (same company, same 認定支援機関, a declared
 * relationship); detected ones may be dismissed with a reason. */
/* One page of them by id (page >= 1, per_page 1..5000, default 1000):
 * {call,total,page,per_page,conflicts}; detection runs first. */
hj_status hj_conflict_list(hj_store *st, const hj_actor *who, int64_t call, int page, int per_page, char **json,
			   hj_error *err);
/* body {application?|company?|organisation?, type, note} */
hj_status hj_conflict_declare(hj_store *st, const hj_actor *who, const char *body, size_t len, char **json,
			      hj_error *err);
/* body {reason} */
hj_status hj_conflict_dismiss(hj_store *st, const hj_actor *who, int64_t id, const char *body, size_t len,
			      char **json, hj_error *err);

/* ---- assignments ---- */

/* body {mode:"auto"} (each application gets reviews_per_app reviewers,
 * load balanced, no conflicts) or {mode:"manual",pairs:[{application,
 * reviewer}]}; atomic; dry_run returns the plan and writes nothing. */
hj_status hj_assign(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, const char *body,
		    size_t len, int dry_run, char **json, hj_error *err);
/* One page of the call's assignments by application and reviewer (page
 * >= 1, per_page 1..5000, default 1000): {call,total,page,per_page,
 * assignments}. */
hj_status hj_assignment_list(hj_store *st, const hj_actor *who, int64_t call, int page, int per_page, char **json,
			     hj_error *err);
hj_status hj_assignment_delete(hj_store *st, const hj_actor *who, int64_t id, hj_error *err);

/* ---- reviews ---- */

/* The reviewer's assignments not in conflict, newest first, one page
 * (page >= 1, per_page 1..200): {total, page, per_page, items}. */
hj_status hj_reviewer_queue(hj_store *st, const hj_actor *who, int page, int per_page, char **json, hj_error *err);
/* The application as the reviewer sees it: data, plan, the engine's
 * explanation for its frames, criteria, and the reviewer's review. */
hj_status hj_reviewer_app(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app, char **json,
			  hj_error *err);
/* body {scores:{crit:n}, comments:{crit:"…"}, overall?, submit?:bool};
 * if_match the review's version (0: none yet). A change after submission
 * is a new version with its reason (body "reason"). */
hj_status hj_review_save(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t assignment,
			 int64_t if_match, const char *body, size_t len, char **json, int64_t *version,
			 hj_error *err);
hj_status hj_review_versions(hj_store *st, const hj_actor *who, int64_t assignment, char **json, hj_error *err);

/* ---- scores, ranking, selection, notices ---- */

hj_status hj_call_scores(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, char **json,
			 hj_error *err);
/* The same, one page (page from 1; per_page 0: all), only the applications
 * flagged for disagreement when disagree_only; adds "total" (kept),
 * "disagreeing" (flagged in the call), "page" and "per_page". */
hj_status hj_call_scores_page(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, int64_t page,
			      int64_t per_page, int disagree_only, char **json, hj_error *err);
hj_status hj_call_ranking(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, char **json,
			  hj_error *err);
/* dry_run: the full result, nothing stored (staff). Else commit (admin):
 * atomic; a second commit of the same inputs returns the first
 * (*replayed 1); the result carries the rulebook hash and the scores'
 * hash. */
hj_status hj_selection_create(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, int dry_run,
			      char **json, int *replayed, hj_error *err);
hj_status hj_selection_list(hj_store *st, const hj_actor *who, int64_t call, char **json, hj_error *err);
hj_status hj_selection_get(hj_store *st, const hj_actor *who, int64_t id, char **json, hj_error *err);
/* body {feedback:{"<application>":[text | {assignment, criterion?}]}}:
 * a notice for every application of the selection that has none yet
 * (採択 with frame and amount; 不採択 with the feedback given, or, when
 * the call's feedback_release is set, every comment of its submitted
 * reviews). Feedback only for rejected applications. The rulebook names
 * the criteria and frames. */
hj_status hj_notices_release(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t selection,
			     const char *body, size_t len, char **json, hj_error *err);
hj_status hj_notice_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app, char **json,
			hj_error *err);
hj_status hj_notice_list(hj_store *st, const hj_rulebook *rb, const hj_actor *who, char **json, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
