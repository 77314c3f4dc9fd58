/*
 * hojo/grants/applications.h - intake (docs/intake.md): calls (公募回)
 * made from the rulebook's editions, companies and the people who act
 * for them, applications from draft to receipt (save with If-Match,
 * warnings from the engine, submit with Idempotency-Key, send-back,
 * withdraw), every version and the diff of two, attachments with their
 * SHA-256, receipts and their verification, and the staff's views.
 *
 * Each operation runs in one store transaction and writes its audit
 * event in it; refused submits are audited in a transaction of their
 * own. Request bodies are JSON text (the shapes of docs/api.md); every
 * answer is a JSON document (char **json, hj_malloc'd, freed with
 * hj_free) in the shape the HTTP API returns. Times in documents are
 * ISO 8601 in JST ("2026-12-01T09:00:00+09:00").
 *
 * Errors: HJ_ERR_INPUT (field names the bad part), HJ_ERR_NOT_FOUND (no
 * such record, or one the actor may not see), HJ_ERR_DENIED (seen but
 * not allowed: a contributor submitting without delegation),
 * HJ_ERR_CONFLICT (stale version, or a state that does not allow it),
 * HJ_ERR_CLOSED (the call is not open), HJ_ERR_AUTH (not signed in).
 *
 * Ownership: the store, rulebook and actor are borrowed for the call;
 * the rulebook is the one the server serves now (warnings, checks).
 */
#ifndef HOJO_GRANTS_APPLICATIONS_H
#define HOJO_GRANTS_APPLICATIONS_H

#include <stddef.h>
#include <stdint.h>
#include "hojo/grants.h"
#include "hojo/rulebook.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest attachment (bytes). */
#define HJ_ATTACHMENT_MAX (10u * 1024 * 1024)

/* ---- calls (staff create and change them; anyone may read) ---- */

/* body {edition, title?, opens_at, closes_at, grace_seconds?,
 * frames?:[{frame, budget?, slots?}]} → {"call":{…}}. Without frames,
 * every frame of the edition, slots from the rulebook. Staff/admin. */
hj_status hj_call_create(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *body, size_t len,
			 char **json, hj_error *err);
/* body {title?, opens_at?, closes_at?, grace_seconds?, frames?:[…]}. */
hj_status hj_call_update(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, const char *body,
			 size_t len, char **json, hj_error *err);
hj_status hj_call_get(hj_store *st, const hj_rulebook *rb, int64_t id, char **json, hj_error *err);
hj_status hj_call_list(hj_store *st, const hj_rulebook *rb, char **json, hj_error *err);
/* The submitted (not draft) applications of a call: filters state,
 * frame and q (part of the company name) may be NULL. Staff/admin. */
hj_status hj_call_submissions(hj_store *st, const hj_actor *who, int64_t call, const char *state, const char *frame,
			      const char *q, int page, int per_page, char **json, hj_error *err);

/* ---- companies ---- */

/* body {name, corporate_number?}; the creator becomes its owner. */
hj_status hj_company_create(hj_store *st, const hj_actor *who, const char *body, size_t len, char **json,
			    hj_error *err);
hj_status hj_company_list(hj_store *st, const hj_actor *who, char **json, hj_error *err);

/* ---- applications ---- */

/* body {company, call, frames:[…], data:{…}} → the application
 * document (below); *version its version (the ETag). */
hj_status hj_app_create(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *body, size_t len,
			char **json, int64_t *version, hj_error *err);
/* {"applications":[…],"page","per_page","total"}; state may be NULL. */
hj_status hj_app_list(hj_store *st, const hj_actor *who, const char *state, int page, int per_page, char **json,
		      hj_error *err);
/* {"application":{id,company,call,frames,state,version,data,…},
 * "warnings":[…],"unknown_fields":[…],"sendbacks":[…],"permissions":{…},"rulebook":{…}} */
hj_status hj_app_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, char **json,
		     int64_t *version, hj_error *err);
/* body {data:{…}, frames?:[…]} saved when the application is still at
 * version 'if_match'; else HJ_ERR_CONFLICT with *json the current
 * document. Saving valid JSON always succeeds (warnings list what is
 * missing or failing). */
hj_status hj_app_save(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, int64_t if_match,
		      const char *body, size_t len, char **json, int64_t *version, hj_error *err);
/* body {acknowledge?:[{frame,item,reason}]} (may be empty). With
 * idem_key (may be NULL) a retry gives the first answer (*replayed 1).
 * dry_run: check only, nothing written → {"dry_run":true,"ok":…,"errors":[…]}. */
hj_status hj_app_submit(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, const char *body,
			size_t len, const char *idem_key, int dry_run, char **json, int *replayed, hj_error *err);
hj_status hj_app_withdraw(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, char **json,
			  hj_error *err);
/* Staff: body {comment} → state returned. */
hj_status hj_app_sendback(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, const char *body,
			  size_t len, char **json, hj_error *err);
hj_status hj_app_versions(hj_store *st, const hj_actor *who, int64_t id, char **json, hj_error *err);
hj_status hj_app_version(hj_store *st, const hj_actor *who, int64_t id, int64_t n, char **json, hj_error *err);
/* {"from","to","added":[{path,value}],"removed":[{path,value}],"changed":[{path,before,after}]} */
hj_status hj_app_diff(hj_store *st, const hj_actor *who, int64_t id, int64_t from, int64_t to, char **json,
		      hj_error *err);

/* ---- collaborators and delegation (the owner) ---- */

/* body {email, can_submit?, until?} */
hj_status hj_collab_invite(hj_store *st, const hj_actor *who, int64_t app, const char *body, size_t len,
			   char **json, hj_error *err);
hj_status hj_collab_list(hj_store *st, const hj_actor *who, int64_t app, char **json, hj_error *err);
/* body {can_submit, until?}: the owner delegates submission to a
 * contributor (until a time, or without end) or takes it back. */
hj_status hj_collab_delegate(hj_store *st, const hj_actor *who, int64_t app, int64_t member, const char *body,
			     size_t len, char **json, hj_error *err);
hj_status hj_collab_revoke(hj_store *st, const hj_actor *who, int64_t app, int64_t member, hj_error *err);

/* ---- attachments ---- */

/* A file read back: name, content type and bytes (hj_attachment_file_clear). */
typedef struct hj_attachment_file {
	char name[256];
	char content_type[128];
	void *data;
	size_t len;
} hj_attachment_file;
void hj_attachment_file_clear(hj_attachment_file *f);

/* 1 when 'name' is acceptable as a file name (no path separator, NUL,
 * control character, "..", at most 255 bytes, valid UTF-8). */
int hj_attachment_name_ok(const char *name, size_t len);

/* Store a file (sha256: its hex digest as computed while it arrived,
 * or NULL to compute it here) → {"attachment":{id,name,kind,size,sha256}}. */
hj_status hj_attachment_add(hj_store *st, const hj_actor *who, int64_t app, const char *name, const char *kind,
			    const char *content_type, const void *data, size_t len, const char *sha256, char **json,
			    hj_error *err);
hj_status hj_attachment_list(hj_store *st, const hj_actor *who, int64_t app, char **json, hj_error *err);
hj_status hj_attachment_get(hj_store *st, const hj_actor *who, int64_t id, hj_attachment_file *out, hj_error *err);
hj_status hj_attachment_delete(hj_store *st, const hj_actor *who, int64_t id, hj_error *err);

/* ---- receipts ---- */

hj_status hj_receipt_get(hj_store *st, const hj_actor *who, const char *number, char **json, hj_error *err);
/* Recompute the snapshot's and every attachment's SHA-256 from the
 * stored bytes: {"receipt","ok",items:[{item,expected,actual,match}]}. */
hj_status hj_receipt_verify(hj_store *st, const hj_actor *who, const char *number, char **json, hj_error *err);

/* ---- the audit log for staff ---- */

/* Staff/admin: hj_audit_list with filters (application 0: all). */
hj_status hj_audit_view(hj_store *st, const hj_actor *who, int64_t application, const char *action, int page,
			int per_page, char **json, hj_error *err);

/* Lowercase hex SHA-256 of bytes (65 bytes with the NUL). */
void hj_sha256_hex(const void *data, size_t len, char out[65]);

#ifdef __cplusplus
}
#endif
#endif
