/*
 * hojo/grants/parties.h - those who stand behind an application
 * (docs/intake.md "Parties"): supporters (認定経営革新等支援機関, 金融機関,
 * 商工会・商工会議所) and IT vendors (IT導入支援事業者), their
 * organisations and the accounts acting for them; the invitations an
 * applicant owner sends for one application and one kind of party and
 * the confirmations the party gives from its own account (what it
 * confirms, a statement, an end date), revocable by either side; the IT
 * vendors' tool registry, approved or refused by the secretariat, and the
 * approved tools an application chooses.
 *
 * Which fact each kind of party confirms, for which programs, is the
 * rulebook's (rules/parties.yaml); the engine's facts of an application
 * are set from the current confirmations and chosen tools whenever the
 * application is read, saved, checked or submitted (lib/grants/
 * parties-int.h, called by lib/grants/applications.c).
 *
 * Every operation runs in one store transaction and writes its audit
 * event in it. Errors as in hojo/grants/applications.h: HJ_ERR_INPUT,
 * HJ_ERR_NOT_FOUND (none, or not the actor's to see), HJ_ERR_DENIED,
 * HJ_ERR_CONFLICT (a state that does not allow it), HJ_ERR_AUTH.
 *
 * Ownership: store, rulebook and actor are borrowed for the call; every
 * char **json answer is hj_malloc'd JSON, freed with hj_free.
 */
#ifndef HOJO_GRANTS_PARTIES_H
#define HOJO_GRANTS_PARTIES_H

#include <stddef.h>
#include <stdint.h>
#include "hojo/grants.h"
#include "hojo/rulebook.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- organisations (the party's own side) ---- */

/* body {kind, name, registration?} → {"organisation":{id,kind,kind_name,
 * name,registration,members:[…]}}: a supporter (role supporter, kind of
 * role supporter in the rulebook) or a vendor (role vendor, kind
 * it_vendor) registers its organisation and acts for it. */
hj_status hj_party_org_create(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *body, size_t len,
			      char **json, hj_error *err);
/* The actor's organisation: {"organisation":{…}|null}. */
hj_status hj_party_org_mine(hj_store *st, const hj_rulebook *rb, const hj_actor *who, char **json, hj_error *err);
/* body {email}: another account holding the same role joins the actor's
 * organisation. */
hj_status hj_party_org_add_member(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *body,
				  size_t len, char **json, hj_error *err);
/* Anyone signed in: {"organisations":[{id,kind,kind_name,name,
 * registration}]} of 'kind' (NULL: all), so an applicant can invite one. */
hj_status hj_party_org_list(hj_store *st, const hj_rulebook *rb, const char *kind, char **json, hj_error *err);

/* ---- invitations (the applicant owner's side) ---- */

/* body {kind, email?, organisation?} (exactly one of email and
 * organisation) → 201 {"invitation":{…}}. The owner of a draft or
 * returned application; the kind must confirm something for the
 * application's program. */
hj_status hj_party_invite(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app, const char *body,
			  size_t len, char **json, hj_error *err);
/* {"parties":{invitations,tools,facts}} as in the application document. */
hj_status hj_party_of_app(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app, char **json,
			  hj_error *err);
/* The owner revokes invitation 'inv' of application 'app'. */
hj_status hj_party_revoke_by_owner(hj_store *st, const hj_actor *who, int64_t app, int64_t inv, char **json,
				   hj_error *err);

/* ---- invitations (the party's side) ---- */

/* {"invitations":[{…, application:{id,company_name,call_title,program,
 * frames,state}}]} addressed to the actor's e-mail or organisation. */
hj_status hj_party_inbox(hj_store *st, const hj_rulebook *rb, const hj_actor *who, char **json, hj_error *err);
/* One invitation addressed to the actor, with the application's data
 * (the plan it develops with the applicant). */
hj_status hj_party_invitation_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t inv,
				  char **json, hj_error *err);
/* body {confirms?:[fact…], statement, until?} → {"invitation":{…}}.
 * confirms defaults to every fact the kind confirms for the program;
 * until (ISO 8601) must be in the future. */
hj_status hj_party_confirm(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t inv, const char *body,
			   size_t len, char **json, hj_error *err);
/* The party withdraws its confirmation (or declines the invitation). */
hj_status hj_party_revoke_by_party(hj_store *st, const hj_actor *who, int64_t inv, char **json, hj_error *err);

/* ---- the IT tool registry ---- */

/* Vendor: body {name, kind: software|hardware|option|service,
 * processes?:[P-01…P-07] (software: at least one), linked?} → a draft. */
hj_status hj_tool_create(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *body, size_t len,
			 char **json, hj_error *err);
/* Vendor: change a draft or refused tool (it becomes a draft). */
hj_status hj_tool_update(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, const char *body,
			 size_t len, char **json, hj_error *err);
/* Vendor: delete a draft or refused tool (an approved one is on record). */
hj_status hj_tool_delete(hj_store *st, const hj_actor *who, int64_t id, hj_error *err);
/* Vendor: draft → submitted (for the secretariat's approval). */
hj_status hj_tool_submit(hj_store *st, const hj_actor *who, int64_t id, char **json, hj_error *err);
/* Staff: submitted → approved, or → refused with body {reason}. A staff
 * member acting for the tool's vendor may not decide (DENIED). */
hj_status hj_tool_decide(hj_store *st, const hj_actor *who, int64_t id, int approve, const char *body, size_t len,
			 char **json, hj_error *err);
/* scope "approved" (anyone), "mine" (the vendor's own, every state) or
 * "review" (staff: every vendor's, 'state' filter or all) → {"tools":[…]}. */
hj_status hj_tool_list(hj_store *st, const hj_actor *who, const char *scope, const char *state, char **json,
		       hj_error *err);
/* Approved tools: anyone; others: their vendor and staff. */
hj_status hj_tool_get(hj_store *st, const hj_actor *who, int64_t id, char **json, hj_error *err);
/* A member of a draft or returned application: body {tools:[id…]}, each
 * approved → {"tools":[…]}. */
hj_status hj_app_tools_set(hj_store *st, const hj_actor *who, int64_t app, const char *body, size_t len, char **json,
			   hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
