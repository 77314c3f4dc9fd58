/*
 * lib/store/applications.h - internal: the SQL of intake (companies,
 * members, calls, applications, versions, attachments, receipts,
 * idempotency keys, send-backs) that lib/grants/applications.c calls
 * inside its transactions. Migration 003-applications.sql; only
 * lib/store/applications.c writes the SQL.
 *
 * Rows come back as jansson objects whose keys are the JSON keys of
 * docs/api.md. Ownership: every json_t ** out-parameter is a new
 * reference the caller decrefs; char ** results are hj_malloc'd and
 * freed with hj_free; strings passed in are borrowed for the call.
 */
#ifndef HOJO_STORE_APPLICATIONS_H
#define HOJO_STORE_APPLICATIONS_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "hojo/error.h"
#include "hojo/store.h"

/* An application row. data and frames are hj_malloc'd (sti_app_clear). */
typedef struct sti_app {
	int64_t id, company, call, version, created_by, created_at, updated_at, submitted_at;
	char state[16];
	char rulebook[80];
	char *data;   /* the raw JSON the applicant saved */
	json_t *frames; /* array of frame ids */
} sti_app;
void sti_app_clear(sti_app *a);

/* A member's relation to an application: role "owner", "contributor"
 * or "" (none), and whether it may submit. */
typedef struct sti_member {
	char role[16];
	int can_submit;
} sti_member;

/* Accounts (migration 002): the id of the account with this e-mail, 0
 * when none. */
hj_status sti_account_by_email(hj_tx *tx, const char *email, int64_t *id, hj_error *err);

/* A new company (*id) and a member row of it (*id may be NULL):
 * application 0 is the whole company, until 0 no end. */
hj_status sti_company_insert(hj_tx *tx, const char *name, const char *corporate_number, int64_t by, int64_t now,
			     int64_t *id, hj_error *err);
hj_status sti_member_insert(hj_tx *tx, int64_t company, int64_t account, int64_t application, const char *role,
			    int can_submit, int64_t until, int64_t invited_by, int64_t now, int64_t *id, hj_error *err);
/* The companies 'account' is a current owner or contributor of. */
hj_status sti_company_list(hj_tx *tx, int64_t account, int64_t now, json_t **out, hj_error *err);
/* {id,name,corporate_number}; *out NULL: none. */
hj_status sti_company_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err);
/* The account's relation to application 'app' of 'company' (app 0:
 * to the company as a whole) at 'now'. */
hj_status sti_membership(hj_tx *tx, int64_t company, int64_t app, int64_t account, int64_t now, sti_member *out,
			 hj_error *err);
/* The collaborators of an application (company-wide ones too). */
hj_status sti_collaborators(hj_tx *tx, int64_t company, int64_t app, int64_t now, json_t **out, hj_error *err);
/* Change the delegation of contributor row 'id' of application 'app'
 * (until 0: no end); *changed 0 when no such current row. */
hj_status sti_member_delegate(hj_tx *tx, int64_t id, int64_t app, int can_submit, int64_t until, int *changed,
			      hj_error *err);
/* Revoke member row 'id' of application 'app'; *changed 0 when no such
 * current row. */
hj_status sti_member_revoke(hj_tx *tx, int64_t id, int64_t app, int64_t now, int *changed, hj_error *err);

/* A new call (*id); its title, times and grace changed. */
hj_status sti_call_insert(hj_tx *tx, const char *program, const char *edition, const char *title, int64_t opens,
			  int64_t closes, int64_t grace, int64_t by, int64_t now, int64_t *id, hj_error *err);
hj_status sti_call_update(hj_tx *tx, int64_t id, const char *title, int64_t opens, int64_t closes, int64_t grace,
			  int64_t now, hj_error *err);
/* Set one frame of a call; budget/slots < 0: NULL (no limit). */
hj_status sti_call_frame_put(hj_tx *tx, int64_t call, const char *frame, int64_t budget, int64_t slots,
			     hj_error *err);
/* {id,program,edition,title,opens_at_us,closes_at_us,grace_seconds,frames:[{frame,budget,slots}]}; NULL: none. */
hj_status sti_call_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err);
/* Every call (at most 500), newest first, as sti_call_get gives one. */
hj_status sti_call_list(hj_tx *tx, json_t **out, hj_error *err);
/* The next receipt sequence number of the call. */
hj_status sti_call_next_receipt(hj_tx *tx, int64_t call, int64_t *seq, hj_error *err);

/* A new draft application at version 1 (*id); its frames replaced. */
hj_status sti_app_insert(hj_tx *tx, int64_t company, int64_t call, const char *data, const char *rulebook,
			 int64_t by, int64_t now, int64_t *id, hj_error *err);
hj_status sti_app_frames_put(hj_tx *tx, int64_t app, json_t *frames, hj_error *err);
/* *found 0 when no such application. */
hj_status sti_app_get(hj_tx *tx, int64_t id, sti_app *out, int *found, hj_error *err);
/* Write the new state/data/version when the row is still at
 * 'expected' version; *changed 0 when it is not (stale). data and
 * rulebook NULL: unchanged. */
hj_status sti_app_update(hj_tx *tx, int64_t id, int64_t expected, int64_t version, const char *state,
			 const char *data, const char *rulebook, int64_t now, int64_t submitted_at, int *changed,
			 hj_error *err);
/* The applications the account may see (member of the company; staff:
 * 'all_submitted' also every non-draft one), newest first. */
hj_status sti_app_list(hj_tx *tx, int64_t account, int all_submitted, const char *state, int64_t now, int page,
		       int per_page, json_t **items, int64_t *total, hj_error *err);
/* The applications of a call for staff (not drafts), filtered. */
hj_status sti_call_submissions(hj_tx *tx, int64_t call, const char *state, const char *frame, const char *q,
			       int page, int per_page, json_t **items, int64_t *total, hj_error *err);

/* Versions: a new row, or (coalesce) the last row moved forward. */
hj_status sti_version_put(hj_tx *tx, int64_t app, int64_t n, const char *state, const char *frames,
			  const char *data, const char *sha256, int64_t by, int64_t now, int coalesce_window_us,
			  hj_error *err);
/* The kept versions {n,state,sha256,saved_by,saved_at_us}, oldest first. */
hj_status sti_version_list(hj_tx *tx, int64_t app, json_t **out, hj_error *err);
/* {n,state,frames,data(text),sha256,saved_by,saved_at_us}; NULL: none. */
hj_status sti_version_get(hj_tx *tx, int64_t app, int64_t n, json_t **out, hj_error *err);

/* A new attachment with its bytes (*id). */
hj_status sti_attachment_insert(hj_tx *tx, int64_t app, const char *name, const char *kind, const char *ctype,
				const void *data, size_t size, const char *sha256, int64_t by, int64_t now, int64_t *id,
				hj_error *err);
/* The live attachments of an application, oldest first. */
hj_status sti_attachment_list(hj_tx *tx, int64_t app, json_t **out, hj_error *err);
/* One attachment's record {id,application,name,kind,content_type,size,sha256,deleted}; with
 * data (may be NULL) its bytes (hj_malloc'd). *out NULL: none. */
hj_status sti_attachment_get(hj_tx *tx, int64_t id, json_t **out, void **data, size_t *len, hj_error *err);
/* Hide an attachment (deleted_at); its bytes stay for the receipts. */
hj_status sti_attachment_delete(hj_tx *tx, int64_t id, int64_t now, hj_error *err);

/* A new receipt (the number is unique). */
hj_status sti_receipt_insert(hj_tx *tx, const char *number, int64_t app, int64_t version, int64_t at,
			     const char *snapshot_sha256, const char *manifest, int64_t by, hj_error *err);
/* The receipts of an application {number,version,submitted_at_us,snapshot_sha256}, oldest first. */
hj_status sti_receipt_list(hj_tx *tx, int64_t app, json_t **out, hj_error *err);
/* {number,application,version,submitted_at_us,snapshot_sha256,manifest(text)}; NULL: none. */
hj_status sti_receipt_get(hj_tx *tx, const char *number, json_t **out, hj_error *err);

/* Idempotency keys: the request hash and answer recorded for an
 * account's key (*response NULL when the key is new); a new record. */
hj_status sti_idem_get(hj_tx *tx, int64_t account, const char *key, char **request_sha256, char **response,
		       hj_error *err);
hj_status sti_idem_put(hj_tx *tx, int64_t account, const char *key, const char *request_sha256,
		       const char *response, int64_t now, hj_error *err);

/* Send-backs: a new one; those of an application {version,comment,sent_by,sent_at_us}. */
hj_status sti_sendback_insert(hj_tx *tx, int64_t app, int64_t version, const char *comment, int64_t by,
			      int64_t now, hj_error *err);
hj_status sti_sendback_list(hj_tx *tx, int64_t app, json_t **out, hj_error *err);

#endif
