/*
 * lib/store/parties.h - internal: the SQL of the parties behind an
 * application (organisations and their accounts, invitations and
 * confirmations, the IT tool registry, the tools an application chose)
 * that lib/grants/parties.c calls inside its transactions. Migration
 * 004-parties.sql; only lib/store/parties.c writes this SQL.
 *
 * Rows come back as jansson objects whose keys are the JSON keys of
 * docs/api.md (times as *_us integers). Ownership: every json_t **
 * out-parameter is a new reference the caller decrefs; strings passed in
 * are borrowed for the call.
 */
#ifndef HOJO_STORE_PARTIES_H
#define HOJO_STORE_PARTIES_H

#include <stdint.h>
#include <jansson.h>
#include "hojo/error.h"
#include "hojo/store.h"

/* Organisations and their accounts. */
hj_status spt_org_insert(hj_tx *tx, const char *kind, const char *name, const char *registration, int64_t by,
			 int64_t now, int64_t *id, hj_error *err);
/* {id,kind,name,registration}; *out NULL when none. */
hj_status spt_org_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err);
/* Every organisation of 'kind' (NULL: all), by name. */
hj_status spt_org_list(hj_tx *tx, const char *kind, json_t **out, hj_error *err);
/* A unique violation (the account already acts for one) is HJ_ERR_CONFLICT. */
hj_status spt_member_insert(hj_tx *tx, int64_t account, int64_t org, int64_t by, int64_t now, hj_error *err);
/* The organisation 'account' acts for, 0 when none. */
hj_status spt_member_org(hj_tx *tx, int64_t account, int64_t *org, hj_error *err);
/* {account,email,name} of the organisation's accounts. */
hj_status spt_member_list(hj_tx *tx, int64_t org, json_t **out, hj_error *err);
/* The roles bits and id of the account with this e-mail (*id 0: none). */
hj_status spt_account_roles(hj_tx *tx, const char *email, int64_t *id, int64_t *roles, hj_error *err);

/* Invitations: {id,application,kind,email,org,state,invited_by,
 * invited_at_us,confirmed_by,confirmed_at_us,confirms(JSON),statement,
 * until_us,revoked_by,revoked_at_us}. */
hj_status spt_inv_insert(hj_tx *tx, int64_t app, const char *kind, const char *email, int64_t org, int64_t by,
			 int64_t now, int64_t *id, hj_error *err);
hj_status spt_inv_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err); /* NULL: none */
/* The invitations of an application, oldest first. */
hj_status spt_inv_of_app(hj_tx *tx, int64_t app, json_t **out, hj_error *err);
/* The invitations addressed to 'email' or to organisation 'org' (0:
 * none), newest first. */
hj_status spt_inv_addressed(hj_tx *tx, const char *email, int64_t org, json_t **out, hj_error *err);
/* pending → confirmed; *changed 0 when the row was not pending. */
hj_status spt_inv_confirm(hj_tx *tx, int64_t id, int64_t org, int64_t by, int64_t now, const char *confirms,
			  const char *statement, int64_t until, int *changed, hj_error *err);
/* pending or confirmed → revoked; *changed 0 otherwise. */
hj_status spt_inv_revoke(hj_tx *tx, int64_t id, int64_t by, int64_t now, int *changed, hj_error *err);

/* Tools: {id,vendor,vendor_name,name,kind,processes(JSON),linked(bool),
 * state,reason,decided_at_us,created_at_us,updated_at_us}. */
hj_status spt_tool_insert(hj_tx *tx, int64_t vendor, const char *name, const char *kind, const char *processes,
			  int linked, int64_t by, int64_t now, int64_t *id, hj_error *err);
/* Change a draft or refused tool (it becomes a draft again); *changed 0 otherwise. */
hj_status spt_tool_update(hj_tx *tx, int64_t id, const char *name, const char *kind, const char *processes,
			  int linked, int64_t now, int *changed, hj_error *err);
/* Delete a draft or refused tool; *changed 0 otherwise. */
hj_status spt_tool_delete(hj_tx *tx, int64_t id, int *changed, hj_error *err);
/* state 'from' → 'to' with a reason (may be NULL) and who decided (0: nobody). */
hj_status spt_tool_state(hj_tx *tx, int64_t id, const char *from, const char *to, const char *reason, int64_t by,
			 int64_t now, int *changed, hj_error *err);
hj_status spt_tool_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err); /* NULL: none */
/* Tools of 'vendor' (0: all vendors) in 'state' (NULL: all), by id. */
hj_status spt_tool_list(hj_tx *tx, int64_t vendor, const char *state, json_t **out, hj_error *err);

/* The tools an application chose (every state: the caller filters). */
hj_status spt_app_tools(hj_tx *tx, int64_t app, json_t **out, hj_error *err);
/* The same for every submitted application of a call at once, ordered by
 * application (the review reads them for all; each row also has
 * "application"): invitations as spt_inv_of_app, tools as spt_app_tools. */
hj_status spt_inv_of_call(hj_tx *tx, int64_t call, json_t **out, hj_error *err);
hj_status spt_tools_of_call(hj_tx *tx, int64_t call, json_t **out, hj_error *err);
/* Replace the chosen tools with 'tools' (an array of ids). */
hj_status spt_app_tools_set(hj_tx *tx, int64_t app, json_t *tools, int64_t by, int64_t now, hj_error *err);

#endif
