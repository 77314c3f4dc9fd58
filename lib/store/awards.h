/*
 * lib/store/awards.h - internal: the SQL of after adoption (awards,
 * their versions and change requests, claims and their attachments,
 * inspections, settlements, payments, yearly reports, reminders) that
 * lib/grants/awards.c calls inside its transactions. Migration
 * 007-awards.sql; only lib/store/awards.c writes the SQL. Rules (who may,
 * which state) live in lib/grants/awards.c, not here.
 *
 * Rows come back as jansson objects with the JSON keys of docs/api.md
 * (times as "x_us"; JSON columns embedded as values). Ownership: every
 * json_t ** out-parameter is a new reference the caller decrefs (NULL
 * when the row does not exist); strings passed in are borrowed.
 */
#ifndef HOJO_STORE_AWARDS_H
#define HOJO_STORE_AWARDS_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "hojo/error.h"
#include "hojo/store.h"

/* ---- awards ---- */

/* A new award in state "applied" (*id); 'request' the 交付申請 body (JSON text). */
hj_status sta_award_insert(hj_tx *tx, int64_t app, int64_t company, int64_t call, const char *frame,
			   int64_t adopted, const char *request, int64_t by, int64_t now, int64_t *id, hj_error *err);
/* {id,application,company,call,frame,adopted_amount,state,request,granted_amount,conditions,granted_on,
 * period_end,refusal,version,applied_by,applied_at_us,decided_by,decided_at_us,updated_at_us}. */
hj_status sta_award_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err);
/* The award of application 'app' (0: none). */
hj_status sta_award_of_app(hj_tx *tx, int64_t app, int64_t *id, hj_error *err);
/* One page of the awards, newest first (page >= 1, per_page rows, the
 * caller bounds both), of the call (0: every call); account > 0: only
 * those of applications the account is a current member for at 'now'
 * (owner or contributor, company-wide or of that application). *total
 * counts every row of the filter. Each row as sta_award_get less request
 * and conditions, with company_name and changes_requested (計画変更
 * awaiting a decision). */
hj_status sta_award_list(hj_tx *tx, int64_t account, int64_t call, int64_t now, int page, int per_page,
			 json_t **out, int64_t *total, hj_error *err);
/* Every settled or paid award (of the call; 0: every call), oldest first,
 * without a limit: the cohort of the overdue list and the outcomes. Rows
 * as sta_award_list, less changes_requested, with the 交付申請 ("request"). */
hj_status sta_award_cohort(hj_tx *tx, int64_t call, json_t **out, hj_error *err);
/* 交付決定: from "applied" to state (granted|refused) with its terms;
 * amount < 0, conditions/granted_on/period_end/refusal NULL: SQL NULL.
 * *changed 0 when the award was no longer "applied". */
hj_status sta_award_decide(hj_tx *tx, int64_t id, const char *state, int64_t amount, const char *conditions,
			   const char *granted_on, const char *period_end, const char *refusal, int64_t by,
			   int64_t now, int *changed, hj_error *err);
/* Move the award from state 'from' to 'to'; *changed 0 when it was not in 'from'. */
hj_status sta_award_move(hj_tx *tx, int64_t id, const char *from, const char *to, int64_t now, int *changed,
			 hj_error *err);
/* New terms from an approved change: period_end (NULL: unchanged), version. */
hj_status sta_award_terms(hj_tx *tx, int64_t id, const char *period_end, int64_t version, int64_t now,
			  hj_error *err);
/* A version of the terms; those of an award {n,terms,reason,saved_by,saved_at_us}, oldest first. */
hj_status sta_version_insert(hj_tx *tx, int64_t award, int64_t n, const char *terms, const char *reason,
			     int64_t by, int64_t now, hj_error *err);
hj_status sta_version_list(hj_tx *tx, int64_t award, json_t **out, hj_error *err);

/* ---- 計画変更 ---- */

hj_status sta_change_insert(hj_tx *tx, int64_t award, const char *kind, const char *detail, int64_t by,
			    int64_t now, int64_t *id, hj_error *err);
/* {id,award,kind,detail,state,reason,requested_by,requested_at_us,decided_by,decided_at_us,award_version} */
hj_status sta_change_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err);
hj_status sta_change_list(hj_tx *tx, int64_t award, json_t **out, hj_error *err);
/* From "requested" to state with reason; *changed 0 when already decided. */
hj_status sta_change_decide(hj_tx *tx, int64_t id, const char *state, const char *reason, int64_t award_version,
			    int64_t by, int64_t now, int *changed, hj_error *err);

/* ---- 実績報告 ---- */

/* {award,state,version,lines,completed_on,line_check,saved_by,saved_at_us,submitted_at_us}; NULL: none yet. */
hj_status sta_claim_get(hj_tx *tx, int64_t award, json_t **out, hj_error *err);
/* Save the draft at version expected+1 when it is still at 'expected'
 * (0: there is none yet, insert); *changed 0 when stale. */
hj_status sta_claim_put(hj_tx *tx, int64_t award, int64_t expected, const char *lines, const char *completed_on,
			const char *line_check, int64_t by, int64_t now, int *changed, hj_error *err);
/* draft → submitted; *changed 0 when it was not a draft. */
hj_status sta_claim_submit(hj_tx *tx, int64_t award, int64_t now, int *changed, hj_error *err);
hj_status sta_claim_att_insert(hj_tx *tx, int64_t award, const char *name, const char *kind, const char *ctype,
			       const void *data, size_t size, const char *sha256, int64_t by, int64_t now, int64_t *id,
			       hj_error *err);
/* Attachment 'id' of the award: *meta {id,name,kind,content_type,size,sha256} (NULL: none) and,
 * with data non-NULL, its bytes (hj_malloc'd, *len). */
hj_status sta_claim_att_get(hj_tx *tx, int64_t award, int64_t id, json_t **meta, void **data, size_t *len,
			    hj_error *err);
/* {id,name,kind,content_type,size,sha256,uploaded_by,created_at_us}, oldest first. */
hj_status sta_claim_att_list(hj_tx *tx, int64_t award, json_t **out, hj_error *err);

/* ---- 確定検査, 確定額, 精算払 ---- */

hj_status sta_inspection_insert(hj_tx *tx, int64_t award, int64_t claim_version, const char *lines, int64_t by,
				int64_t now, int64_t *id, hj_error *err);
/* The latest {id,claim_version,lines,inspected_by,inspected_at_us}; NULL: none. */
hj_status sta_inspection_last(hj_tx *tx, int64_t award, json_t **out, hj_error *err);
hj_status sta_settlement_insert(hj_tx *tx, int64_t award, int64_t amount, const char *explanation,
				const char *rulebook, int64_t inspection, int64_t by, int64_t now, hj_error *err);
/* {amount,explanation,rulebook,inspection,settled_by,settled_at_us}; NULL: none. */
hj_status sta_settlement_get(hj_tx *tx, int64_t award, json_t **out, hj_error *err);
hj_status sta_payment_insert(hj_tx *tx, int64_t award, int64_t amount, const char *paid_on, int64_t by,
			     int64_t now, hj_error *err);
/* {amount,paid_on,recorded_by,recorded_at_us}; NULL: none. */
hj_status sta_payment_get(hj_tx *tx, int64_t award, json_t **out, hj_error *err);

/* ---- yearly reports and reminders ---- */

/* Insert or replace (award, year) with data/state/comparison; submitted_at 0: NULL. */
hj_status sta_report_put(hj_tx *tx, int64_t award, int64_t year, const char *data, const char *state,
			 const char *comparison, int64_t by, int64_t now, int64_t submitted_at, hj_error *err);
/* {year,data,state,comparison,saved_by,saved_at_us,submitted_at_us}; NULL: none. */
hj_status sta_report_get(hj_tx *tx, int64_t award, int64_t year, json_t **out, hj_error *err);
/* Every report of an award, by year. */
hj_status sta_report_list(hj_tx *tx, int64_t award, json_t **out, hj_error *err);
hj_status sta_reminder_insert(hj_tx *tx, int64_t award, int64_t year, const char *due, const char *recipient,
			      int64_t by, int64_t now, hj_error *err);
/* {year,due,recipient,sent_at_us}, oldest first. */
hj_status sta_reminder_list(hj_tx *tx, int64_t award, json_t **out, hj_error *err);
/* The owners' e-mail addresses of the award's company (current at 'now'), at most 20. */
hj_status sta_award_owner_emails(hj_tx *tx, int64_t award, int64_t now, json_t **out, hj_error *err);

#endif
