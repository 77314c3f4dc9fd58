/*
 * server/server.h - hojo serve: the HTTP service over libhojo
 * (docs/api.md). The command (cli/) fills a configuration and calls
 * hj_server_run; everything else in server/ is internal to it.
 *
 * Ownership: the strings of the configuration are borrowed for the run.
 * The server prints its address to stdout and one line per request to
 * stderr (unlike the library, it is a program part).
 */
#ifndef HOJO_SERVER_H
#define HOJO_SERVER_H

#include <stddef.h>
#include "hojo/grants/accounts.h"

typedef struct hj_server_config {
	const char *listen;     /* "127.0.0.1:8080"; port 0 picks a free port */
	const char *rules_dir;  /* the rulebook, reloaded on SIGHUP */
	const char *web_dir;    /* static files for everything outside /api/ */
	const char *spec_path;  /* the OpenAPI document served at /api/v1/spec */
	const char *db;         /* the store's URL (docs/store.md): "sqlite:var/hojo.db" */
	const char *mail_dir;   /* the mail spool (password reset mails): "var/mail" */
	const char *public_url; /* the address in mailed links; NULL: http://<listen> */
	hj_auth_config auth;    /* sessions, throttling, argon2id (hj_auth_defaults) */
	int threads;            /* thread pool size (>= 1) */
	int max_connections;    /* MHD's hard connection limit */
	int per_ip;             /* connections of one address at once; more: 429 */
	int max_in_flight;      /* requests being computed at once; more: 503 */
	unsigned timeout;       /* idle connection timeout, seconds */
	unsigned request_timeout; /* a request's body must arrive within this, seconds */
} hj_server_config;

/* The defaults above, for the given rulebook and web directories. */
void hj_server_defaults(hj_server_config *c);

/* Run until SIGTERM or SIGINT. Returns 0 on a clean stop, 1 on a bad
 * configuration (address), 2 when the rulebook does not load or the
 * store (c->db) cannot be opened at start,
 * 3 on other failures; the reason is printed to stderr. */
int hj_server_run(const hj_server_config *c);

#endif
