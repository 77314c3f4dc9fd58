/*
 * lib/grants/grants-int.h - internal to lib/grants/: helpers the office
 * modules share (common.c) and the parties' overlay of an application's
 * facts (parties.c) that intake (applications.c) calls.
 *
 * Ownership: char * results are hj_malloc'd (hj_free); json_t ** out-
 * parameters are new references; gg_give takes the reference it is given.
 */
#ifndef HOJO_GRANTS_INT_H
#define HOJO_GRANTS_INT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <jansson.h>
#include "hojo/grants.h"
#include "hojo/rulebook.h"
#include "hojo/store.h"

/* Compact JSON text of 'j' (hj_malloc'd), NULL when out of memory. */
char *gg_dump(const json_t *j, size_t flags);
/* Hand document 'j' to the caller as *json (takes the reference). */
hj_status gg_give(json_t *j, char **json, hj_error *err);
/* Who the actor is: staff or admin; signed in (else HJ_ERR_AUTH);
 * signed in as staff or admin (else HJ_ERR_AUTH or HJ_ERR_DENIED). */
int gg_is_staff(const hj_actor *who);
hj_status gg_need_account(const hj_actor *who, hj_error *err);
hj_status gg_need_staff(const hj_actor *who, hj_error *err);
/* One "ok" event of the audit log in 'tx' (before/after: hashes, may be
 * NULL); takes the reference of 'detail' (may be NULL). */
hj_status gg_audit(hj_tx *tx, const hj_actor *who, const char *action, const char *type, int64_t id,
		   int64_t company, const char *before, const char *after, json_t *detail, hj_error *err);
/* "2026-12-01T09:00:00+09:00" */
void gg_iso_jst(int64_t us, char out[32]);
/* ISO 8601 date or date-time (JST without an offset) → microseconds; -1 when it does not read. */
int gg_parse_time(const char *s, int64_t *us);
/* Every key "x_us" becomes "x" with the JST time (null stays null). */
void gg_times_to_iso(json_t *j);
/* One JSON object with only the keys 'allowed' ("a,b,c"). */
hj_status gg_parse_body(const char *body, size_t len, const char *allowed, json_t **out, hj_error *err);
/* Remove the value at a dotted path ("a.b", "lines[2].x", as hj_error
 * fields name them) from 'root': 0 when removed, -1 when there is none.
 * Intake, review and awards drop what the engine cannot read this way. */
int gg_remove_path(json_t *root, const char *path);
/* A message file of a spool (the outbox of password resets, the reminders
 * of reports), written whole or not at all: gg_spool_open creates
 * 'path'.tmp (exclusive with 'excl'; tmp gets its name), gg_spool_commit
 * checks, flushes, fsyncs and closes it, then renames it to 'path'
 * (removing it on any failure). */
FILE *gg_spool_open(const char *path, int excl, char *tmp, size_t tmpsize, hj_error *err);
hj_status gg_spool_commit(FILE *f, const char *tmp, const char *path, hj_error *err);
/* An uploaded attachment's file name, size and kind checked (errors name
 * the field 'file' or 'kind'); *ctype becomes application/octet-stream
 * when it is too long or has a line break. */
hj_status gg_attachment_check(const char *name, size_t len, const char *kind, const char **ctype, hj_error *err);
/* Call 'id' (the store's JSON row, a new reference) into *call, or
 * HJ_ERR_NOT_FOUND ("公募回 N はありません") with *call NULL. */
hj_status gg_call_get(hj_tx *tx, int64_t id, json_t **call, hj_error *err);
/* Typed fields of a body; a missing optional one leaves *out NULL / untouched. */
hj_status gg_want_string(json_t *o, const char *key, int required, size_t max, const char **out, hj_error *err);
hj_status gg_want_int(json_t *o, const char *key, int required, int64_t min, int64_t *out, int *given,
		      hj_error *err);
hj_status gg_want_time(json_t *o, const char *key, int required, int64_t *out, int *given, hj_error *err);

/*
 * The parties' overlay (parties.c): set in 'data' (an application's
 * input, a JSON object the engine is about to read) the facts that
 * rules/parties.yaml lets parties confirm for 'program', from the current
 * confirmations and chosen approved tools of application 'app'; a typed
 * value that disagrees is replaced (or, with nobody confirming, a typed
 * true removed) and reported in 'warnings' (type "party"). *parties
 * (may be NULL) gets {invitations,tools,facts} for the application
 * document. Runs in the caller's transaction.
 */
hj_status gp_overlay(hj_tx *tx, const hj_rulebook *rb, int64_t app, const char *program, json_t *data,
		     json_t *warnings, json_t **parties, hj_error *err);

/* gp_overlay with the application's invitations and chosen tools given
 * as spt_inv_of_app and spt_app_tools read them (borrowed; NULL: read
 * here), for a caller that reads them for many applications at once
 * (the review's selection). */
hj_status gp_overlay_with(hj_tx *tx, const hj_rulebook *rb, int64_t app, const char *program, json_t *data,
			  json_t *warnings, json_t **parties, json_t *invs, json_t *tools, hj_error *err);

/* The stamp of what gp_overlay_with reads of an application's parties at
 * time 'now': "" when it has no invitation and no chosen tool, else the
 * SHA-256 (hex) of its invitations and tools as given (every column) with
 * each invitation's state at 'now' (a confirmation past its end is
 * expired). The same stamp means the same facts; the ranking's kept
 * results (migration 008) are keyed by it. */
void gp_parties_stamp(json_t *invs, json_t *tools, int64_t now, char out[65]);

/* After the engine has spoken: a warning that a typed value was set
 * aside for want of a confirmation stays only where some frame then
 * misses that fact (elsewhere the fact does not matter). */
void gp_prune(json_t *warnings);

#endif
