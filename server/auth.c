/*
 * server/auth.c - the route-level access check of the request cycle:
 * the session cookie read (one store read, lib/grants/accounts.c), the
 * actor filled in, and the route's rules enforced before its body is read
 * or its handler runs (session, roles, CSRF); and the session cookie
 * written. docs/api.md "Accounts and sessions".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include "auth.h"

const char *srv_auth_token(srv_request *rq)
{
	return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, SRV_SESSION_COOKIE);
}

static void client_ip(srv_request *rq, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	buf[0] = '\0';
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, (socklen_t)size);
}

/* Compare without stopping at the first difference. */
static int same_secret(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	unsigned char d = n != m;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i < m ? i : 0]);
	return d == 0 && m > 0;
}

static int changes_state(const char *method)
{
	return !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH") ||
	       !strcmp(method, "DELETE");
}

int srv_auth_check(srv_request *rq, srv_reply *out)
{
	const srv_route *r = rq->route;
	memset(&rq->actor, 0, sizeof rq->actor);
	client_ip(rq, rq->actor.ip, sizeof rq->actor.ip);
	snprintf(rq->actor.via, sizeof rq->actor.via, "http");
	/* the session is read for the API only (not for every static file) */
	const char *token = strncmp(rq->path, "/api/", 5) ? NULL : srv_auth_token(rq);
	hj_session s;
	memset(&s, 0, sizeof s);
	memset(&rq->session, 0, sizeof rq->session);
	int signed_in = 0;
	const char *why = "サインインしてください";
	hj_error err;
	if (token && rq->store) {
		hj_status st = hj_session_lookup(rq->store, &rq->cfg->auth, token, &s, &err);
		if (st == HJ_OK) {
			hj_session_actor(&s, &rq->actor, &rq->actor);
			rq->session = s;
			signed_in = 1;
		} else if (st == HJ_ERR_AUTH) {
			why = err.message; /* e.g. the session expired */
		} else if (r->session || r->roles) {
			srv_reply_hj_error(out, &err);
			return 1;
		}
	}
	if (!r->session && !r->roles)
		return 0;
	if (!signed_in) {
		srv_reply_error(out, 401, "unauthenticated", NULL, "%s", why);
		if (token) /* a cookie that signs nobody in: the browser may drop it */
			srv_auth_cookie(rq, out, NULL);
		return 1;
	}
	if (r->roles && !(rq->actor.roles & r->roles)) {
		srv_reply_error(out, 403, "forbidden", NULL, "この操作に必要な役割がありません");
		return 1;
	}
	if (changes_state(rq->method)) {
		const char *h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");
		if (!h || !same_secret(h, s.csrf)) {
			srv_reply_error(out, 403, "csrf", "X-CSRF-Token", "%s",
					h ? "X-CSRF-Token がこのセッションのものではありません"
					  : "X-CSRF-Token ヘッダーがありません（サインインの応答か GET /api/v1/auth/session の csrf）");
			return 1;
		}
	}
	return 0;
}

void srv_auth_cookie(srv_request *rq, srv_reply *out, const char *token)
{
	const char *proto = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	/* hojo serve speaks plain HTTP; TLS ends at a proxy, which says so */
	int secure = proto && !strcasecmp(proto, "https");
	char v[256];
	snprintf(v, sizeof v, "%s=%s; HttpOnly; SameSite=Strict; Path=/%s%s", SRV_SESSION_COOKIE, token ? token : "",
		 token ? "" : "; Max-Age=0", secure ? "; Secure" : "");
	srv_reply_header(out, MHD_HTTP_HEADER_SET_COOKIE, v);
	srv_reply_header(out, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}
