/*
 * hojo/grants/awards.h - after adoption in the office (lib/grants/
 * awards.c, migration 007; docs/after.md): 交付申請 and 交付決定, 計画変更,
 * 実績報告 with evidence, 確定検査 line by line, 確定額 and payment
 * (精算払), yearly 事業化状況報告 against the approved plan, overdue
 * reminders (written to the mail spool), and the program's outcomes.
 * Amounts and checks come from the engine (hojo/after.h); this module
 * stores, authorises and audits.
 *
 * Conventions as applications.h (one transaction per operation with its
 * audit event, JSON in and out as docs/api.md, HJ_ERR_NOT_FOUND for what
 * the actor may not see). A grantee (the application's owner or a
 * contributor) sees only its own award; reviewers see none of this.
 *
 * The HTTP routes (server/routes_awards.c; STAFF = staff or admin;
 * GRANTEE = owner/contributor of the application):
 *   GET  /api/v1/awards                         signed in: mine; STAFF: all (?call=)
 *   GET  /api/v1/awards/{id}                    GRANTEE, STAFF
 *   POST /api/v1/applications/{id}/award        GRANTEE      交付申請 (adopted only)
 *   POST /api/v1/awards/{id}/decision           STAFF        交付決定 {amount, conditions, period_end?} or refuse {reason}
 *   POST /api/v1/awards/{id}/changes            GRANTEE      計画変更 request
 *   POST /api/v1/changes/{id}/decision          STAFF        approve / refuse {reason}
 *   GET  /api/v1/awards/{id}/claim              GRANTEE, STAFF
 *   PUT  /api/v1/awards/{id}/claim              GRANTEE      実績報告 draft (lines, completed_on); If-Match
 *   POST /api/v1/awards/{id}/claim/submit       GRANTEE
 *   POST /api/v1/awards/{id}/claim/attachments  GRANTEE      invoices, receipts (multipart; SHA-256)
 *   GET  /api/v1/awards/{id}/claim/attachments/{att}  GRANTEE, STAFF  the file's bytes
 *   POST /api/v1/awards/{id}/inspection         STAFF        line decisions {lines:[{index,decision,accepted,reason}]}
 *   POST /api/v1/awards/{id}/settlement         STAFF        確定 (engine; ?dry_run=1 preview)
 *   POST /api/v1/awards/{id}/payment            STAFF        精算払 {paid_on, amount}
 *   GET  /api/v1/awards/{id}/reports            GRANTEE, STAFF  schedule + reports + comparison
 *   PUT  /api/v1/awards/{id}/reports/{year}     GRANTEE      a yearly report (draft / submit)
 *   GET  /api/v1/reports/overdue                STAFF        missing and late; POST …/remind writes the spool
 *   POST /api/v1/reports/overdue/remind         STAFF
 *   GET  /api/v1/outcomes                       STAFF (?program=&call=&format=csv)
 *   POST /api/v1/applications/{id}/adoption     ADMIN        an adoption decided outside hojo's selection
 *                                                            {frame, amount} (demo data, tests, carried-over
 *                                                            adoptions; written into the selection's tables)
 *
 * Ownership: store, rulebook and actor borrowed; *json hj_malloc'd.
 */
#ifndef HOJO_GRANTS_AWARDS_H
#define HOJO_GRANTS_AWARDS_H

#include <stddef.h>
#include <stdint.h>
#include "hojo/grants.h"
#include "hojo/grants/applications.h"
#include "hojo/rulebook.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Record application 'app' (submitted) as adopted in 'frame' for 'amount'
 * yen in its call's committed selection (issue 11's tables), as if the
 * selection had adopted it: for the demonstration data set, the tests and
 * adoptions decided outside hojo. Admin only; audited. Added to the
 * contract by i12-office. */
hj_status hj_award_adopt(hj_store *st, const hj_actor *who, int64_t app, const char *body, size_t len, char **json,
			 hj_error *err);

/* One page of the awards, newest first: a grantee's own, staff's all (of
 * 'call'; 0: every call); page >= 1 (beyond the last: an empty list),
 * per_page 1..HJ_AWARD_PER_PAGE_MAX (else HJ_ERR_INPUT naming the field).
 * {"awards":[…],"page","per_page","total"}. Paged by i12-paging (page and
 * per_page added to the contract). */
#define HJ_AWARD_PER_PAGE_DEFAULT 50
#define HJ_AWARD_PER_PAGE_MAX 500
hj_status hj_award_list(hj_store *st, const hj_actor *who, int64_t call, int page, int per_page, char **json,
			hj_error *err);
hj_status hj_award_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, char **json,
		       hj_error *err);
/* 交付申請 for an adopted application: body {base_actuals?:{…}, …}; the
 * rules re-check what is due by 交付決定. */
hj_status hj_award_apply(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app, const char *body,
			 size_t len, char **json, hj_error *err);
/* body {decision:"grant",amount,conditions:[…],granted_on?,period_end?}
 * (amount at most the adopted amount) or {decision:"refuse",reason}. */
hj_status hj_award_decide(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, const char *body,
			  size_t len, char **json, hj_error *err);
/* 計画変更: body {kind:"reallocation"|"extension",detail,…}. */
hj_status hj_change_request(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award,
			    const char *body, size_t len, char **json, hj_error *err);
hj_status hj_change_decide(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id,
			   const char *body, size_t len, char **json, hj_error *err);
/* 実績報告 */
hj_status hj_claim_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, char **json,
		       int64_t *version, hj_error *err);
hj_status hj_claim_save(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, int64_t if_match,
			const char *body, size_t len, char **json, int64_t *version, hj_error *err);
hj_status hj_claim_submit(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, char **json,
			  hj_error *err);
hj_status hj_claim_attachment_add(hj_store *st, const hj_actor *who, int64_t award, const char *name,
				  const char *kind, const char *content_type, const void *data, size_t len,
				  const char *sha256, char **json, hj_error *err);
/* The bytes of attachment 'att' of the award's claim (grantee, staff);
 * out cleared with hj_attachment_file_clear (grants/applications.h).
 * Added to the contract by i12-office. */
hj_status hj_claim_attachment_get(hj_store *st, const hj_actor *who, int64_t award, int64_t att,
				  hj_attachment_file *out, hj_error *err);
/* 確定検査 and 確定額 */
hj_status hj_inspection_save(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award,
			     const char *body, size_t len, char **json, hj_error *err);
hj_status hj_settlement(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, int dry_run,
			char **json, hj_error *err);
hj_status hj_payment_record(hj_store *st, const hj_actor *who, int64_t award, const char *body, size_t len,
			    char **json, hj_error *err);
/* yearly reports */
hj_status hj_reports_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, char **json,
			 hj_error *err);
/* body {data:{…report…}, submit?:bool} */
hj_status hj_report_save(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, int year,
			 const char *body, size_t len, char **json, hj_error *err);
hj_status hj_reports_overdue(hj_store *st, const hj_rulebook *rb, const hj_actor *who, char **json, hj_error *err);
/* Write one reminder per overdue report to the mail spool (var/mail/). */
hj_status hj_reports_remind(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *spool,
			    char **json, hj_error *err);
/* outcomes: program or call may be NULL/0; csv 1 → *json is CSV text */
hj_status hj_outcomes(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *program, int64_t call,
		      int csv, char **json, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
