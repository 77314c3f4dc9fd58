/*
 * hojo/grants.h - the subsidy office as library code over the engine and
 * the store (lib/grants/): accounts and sessions, calls, applications,
 * attachments, receipts, the audit log, and the parties who stand behind
 * an application. The server (server/) and the command (hojo admin) call
 * it; neither re-implements it. docs/intake.md.
 *
 * Every operation takes the acting person as an hj_actor and checks what
 * that person may do; a record the actor may not see is HJ_ERR_NOT_FOUND
 * (not HJ_ERR_DENIED), so that its existence does not leak.
 *
 * Ownership: hj_actor is a plain value the caller owns. Documents
 * returned as char ** are JSON, owned by the caller and freed with
 * hj_free. Module headers under include/hojo/grants/ declare the
 * operations of each part.
 */
#ifndef HOJO_GRANTS_H
#define HOJO_GRANTS_H

#include <stdint.h>
#include "hojo/error.h"
#include "hojo/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Roles an account holds system-wide (a bit set). Being the owner or a
 * contributor of an application is not a role: it is a relation to that
 * application, checked by each operation. */
enum {
	HJ_ROLE_APPLICANT = 1u << 0,  /* signed up: may create companies and applications */
	HJ_ROLE_STAFF = 1u << 1,      /* secretariat staff (事務局) */
	HJ_ROLE_REVIEWER = 1u << 2,   /* reviewer (審査員) */
	HJ_ROLE_ADMIN = 1u << 3,      /* administrator */
	HJ_ROLE_SUPPORTER = 1u << 4,  /* 認定経営革新等支援機関, 商工会・商工会議所, 金融機関 */
	HJ_ROLE_VENDOR = 1u << 5      /* IT導入支援事業者 (keeps a tool registry) */
};

/* Who is acting: the signed-in account (0: nobody), its roles, and where
 * the request came from (for the audit log). */
typedef struct hj_actor {
	int64_t account;
	unsigned roles;
	char email[256];
	char ip[64];        /* the client's address, "" when not over HTTP */
	char via[32];       /* "http", "cli" */
} hj_actor;

#ifdef __cplusplus
}
#endif
#endif
