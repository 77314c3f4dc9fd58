/*
 * server/http.h - internal to server/: requests, replies, the route table
 * and the error envelope (docs/api.md).
 */
#ifndef HOJO_SERVER_HTTP_H
#define HOJO_SERVER_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>
#include "hojo/hojo.h"
#include "hojo/grants.h"
#include "hojo/grants/accounts.h"
#include "hojo/store.h"
#include "server.h"

/* A loaded rulebook shared by the requests that began while it was the
 * current one; freed when the last of them ends (SIGHUP reload). */
typedef struct srv_rules {
	hj_rulebook *rb;
	atomic_int refs;
} srv_rules;

typedef struct srv_error {
	const char *field; /* the path of the bad input, or "" */
	const char *type;  /* a stable code of docs/api.md */
	char message[1100];
} srv_error;

#define SRV_MAX_HEADERS 8

typedef struct srv_reply {
	int status;
	const char *type;        /* Content-Type, with charset for text */
	char *body;              /* malloc'd (free) */
	size_t len;
	char disposition[128];   /* Content-Disposition, or "" */
	char allow[64];          /* Allow (405), or "" */
	int nheaders;            /* more headers (srv_reply_header) */
	struct {
		char name[48];
		char value[464];
	} headers[SRV_MAX_HEADERS];
} srv_reply;

struct srv_route;

#define SRV_MAX_ARGS 4

typedef struct srv_request {
	struct MHD_Connection *conn;
	const char *method;
	char path[512];
	char arg[256];             /* the first {param} of the route's pattern */
	char args[SRV_MAX_ARGS][256]; /* every {param}, in order (args[0] is arg) */
	int nargs;
	const struct srv_route *route;
	int route_index;           /* into the route table; -1: none (404) */
	char *body;
	size_t len, cap;
	int too_large;
	int early;                 /* reply decided before the body was read */
	srv_rules *rules;          /* held for the request */
	const hj_server_config *cfg;
	int status;
	long long t0;              /* microseconds, monotonic */
	int counted;               /* in the in-flight gauge */
	hj_store *store;           /* the store of the server (hojo serve --db) */
	hj_actor actor;            /* who is asking (account 0: not signed in) */
	hj_session session;        /* their session (server/auth.c; account.id 0: none) */
	struct srv_upload *upload; /* a multipart/form-data body, streamed (upload.c) */
} srv_request;

typedef void (*srv_handler)(srv_request *rq, srv_reply *out);

typedef struct srv_route {
	const char *method;     /* GET or POST */
	const char *pattern;    /* "/api/v1/rules/{frame}"; "/ *" (no space): any other path */
	srv_handler handler;
	size_t body_limit;      /* bytes; 0: no body accepted */
	const char *body_type;  /* the Content-Type a body must have, or NULL */
	const char *query;      /* the query parameters allowed, "date,program" */
	unsigned roles;         /* HJ_ROLE_* bits of which one is needed; 0: anyone, signed in or not */
	int session;            /* 1: the request must come from a signed-in session (and,
				   when it changes state, carry the CSRF token) */
} srv_route;

extern const srv_route srv_routes[];
extern const int srv_nroutes;

/* Replies. */
void srv_reply_json(srv_reply *out, int status, char *json_hj); /* takes an hj_free'd string */
void srv_reply_text(srv_reply *out, int status, const char *type, const char *text);
/* The error envelope with one error (field may be NULL). */
void srv_reply_error(srv_reply *out, int status, const char *type, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* An error of the library: input errors 422 (field path), CONFLICT 409,
 * NOT_FOUND 404, DENIED 403, AUTH 401, CLOSED 423, LIMIT 429, others
 * 500 (docs/api.md). */
void srv_reply_hj_error(srv_reply *out, const hj_error *err);
/* Add a header to the reply (Set-Cookie, Retry-After, ETag, Location…);
 * copied. Headers beyond SRV_MAX_HEADERS, or too long, are dropped and
 * 0 is returned; 1 when added. An error reply made later keeps them. */
int srv_reply_header(srv_reply *out, const char *name, const char *value);

/* The query parameter 'name', or NULL. */
const char *srv_query(srv_request *rq, const char *name);

/* Request pieces shared by the route files (request.c). Each returns 0
 * (or a nonzero id) when the request is fine, else makes the error
 * reply: srv_query_ok 400 for a query parameter the route's row does
 * not list; srv_path_id 404 when the path's n-th parameter is not a
 * positive id; srv_body_ok 400 unless the body is one JSON object. */
int srv_query_ok(srv_request *rq, srv_reply *out);
int64_t srv_parse_id(const char *s);
int64_t srv_path_id(srv_request *rq, srv_reply *out, int n);
int srv_body_ok(srv_request *rq, srv_reply *out, int empty_ok);
/* The query parameter 'name' as a positive integer into *v ('def' when
 * absent): 0, or -1 with a 422 reply naming the parameter. */
int srv_query_int(srv_request *rq, srv_reply *out, const char *name, int64_t def, int64_t *v);
/* If-Match: "3" (or W/"3", or 3): the version; 'absent' when there is
 * no header, 'zero' for "0" (what the route means by it: nothing saved
 * yet), -1 when unreadable. */
int64_t srv_if_match(srv_request *rq, int64_t absent, int64_t zero);
/* An ETag header holding 'version' in quotes. */
void srv_etag(srv_reply *out, int64_t version);
/* A stored file as a download: its bytes and type, Content-Disposition
 * with 'fallback' as the ASCII name and the file's own name in UTF-8
 * (RFC 6266). Clears *f in every case; 503 when out of memory. */
struct hj_attachment_file;
void srv_reply_download(srv_reply *out, struct hj_attachment_file *f, const char *fallback);
/* The error of the library with 'doc' (takes an hj_free'd string, may be
 * NULL) added to the envelope; srv_reply_result: the document when 's'
 * is HJ_OK, else that error (both take 'json'). */
void srv_reply_error_doc(srv_reply *out, const hj_error *err, char *doc);
void srv_reply_result(srv_reply *out, hj_status s, const hj_error *err, int status, char *json);
long long srv_now_us(void);
/* The server's own address for links it sends out (mails):
 * hj_server_config.public_url, or http://<the address it listens on>. */
const char *srv_public_url(void);

#endif
