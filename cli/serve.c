/*
 * serve.c - 'hojo serve': the HTTP service of server/ (docs/api.md).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hojo.h"
#include "../server/server.h"

/* <dir of the binary>/../NAME when it exists, else NAME (relative to the
 * working directory). */
static const char *beside_binary(const char *name, char *buf, size_t size)
{
	char rel[PATH_MAX];
	snprintf(rel, sizeof rel, "../%s", name);
	return cli_beside_binary(rel, buf, size) ? buf : name;
}

int cmd_serve(opts *o, hj_rulebook *rb)
{
	static char web[PATH_MAX + 16], spec[PATH_MAX + 32];
	hj_server_config c;
	(void)rb; /* the server loads (and on SIGHUP reloads) its own */
	hj_server_defaults(&c);
	if (o->listen)
		c.listen = o->listen;
	if (o->db)
		c.db = o->db;
	c.rules_dir = cli_rules_dir(o);
	c.web_dir = o->web ? o->web : beside_binary("web", web, sizeof web);
	c.spec_path = beside_binary("server/openapi.json", spec, sizeof spec);
	/* the limits of docs/api.md, adjustable for operators and tests */
	const char *t = getenv("HOJO_THREADS");
	if (t && atoi(t) > 0)
		c.threads = atoi(t);
	if ((t = getenv("HOJO_PER_IP")) && atoi(t) > 0)
		c.per_ip = atoi(t);
	if ((t = getenv("HOJO_MAX_IN_FLIGHT")) && atoi(t) > 0)
		c.max_in_flight = atoi(t);
	if ((t = getenv("HOJO_REQUEST_TIMEOUT")) && atoi(t) > 0)
		c.request_timeout = (unsigned)atoi(t);
	/* accounts and sessions (docs/intake.md) */
	if ((t = getenv("HOJO_MAIL_DIR")) && *t)
		c.mail_dir = t;
	if ((t = getenv("HOJO_PUBLIC_URL")) && *t)
		c.public_url = t;
	if ((t = getenv("HOJO_SESSION_IDLE")) && atoi(t) > 0)
		c.auth.idle_s = atoi(t);
	if ((t = getenv("HOJO_SESSION_ABSOLUTE")) && atoi(t) > 0)
		c.auth.absolute_s = atoi(t);
	return hj_server_run(&c);
}
