/*
 * hojo/grants/audit.h - the audit log: who did what to which record,
 * acting for which company, when, from where, and the SHA-256 of the
 * record before and after (docs/intake.md). Append-only: nothing in hojo
 * updates or deletes an event.
 *
 * Ownership: every pointer is borrowed for the call; NULL strings are
 * stored as NULL.
 */
#ifndef HOJO_GRANTS_AUDIT_H
#define HOJO_GRANTS_AUDIT_H

#include <stdint.h>
#include "hojo/grants.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One event. 'action' is a stable dotted name ("application.submit",
 * "account.signin"); 'outcome' is "ok" or "refused"; 'detail' is JSON
 * or NULL (for a refusal: the reason). company and object_id 0: none. */
typedef struct hj_audit_event {
	const char *action;
	const char *object_type; /* "application", "account", "attachment" ... */
	int64_t object_id;
	int64_t company;         /* on behalf of which company, 0: none */
	const char *before_sha256;
	const char *after_sha256;
	const char *outcome;
	const char *detail;
} hj_audit_event;

/* Record an event inside the caller's transaction: it commits or rolls
 * back with the change it describes. */
hj_status hj_audit_add(hj_tx *tx, const hj_actor *who, const hj_audit_event *ev, hj_error *err);

/* Record an event in a transaction of its own: for attempts that were
 * refused, whose own transaction was rolled back. */
hj_status hj_audit_refused(hj_store *st, const hj_actor *who, const hj_audit_event *ev, hj_error *err);

/* The events, newest first, as JSON {"events":[…],"page":…,"per_page":…,
 * "total":…}; filters may be NULL/0. */
hj_status hj_audit_list(hj_store *st, const char *object_type, int64_t object_id, const char *action,
			int page, int per_page, char **json, hj_error *err);

/* Microseconds since the epoch, UTC (the clock every record uses; a
 * test may set a fixed value with hj_clock_set, 0 restores the real
 * clock). */
int64_t hj_now_us(void);
void hj_clock_set(int64_t us);

#ifdef __cplusplus
}
#endif
#endif
