/*
 * server/auth.h - internal to server/: who is asking and whether they may
 * (auth.c: the session cookie, the route's roles, the CSRF header), the
 * session cookie itself, and the handlers of the auth and admin routes
 * (routes_auth.c). docs/api.md "Accounts and sessions".
 */
#ifndef HOJO_SERVER_AUTH_H
#define HOJO_SERVER_AUTH_H

#include "http.h"

#define SRV_SESSION_COOKIE "hojo_session"

/* Fill rq->actor from the request (the address it came from, via
 * "http", and the account of its session cookie when it has a valid
 * one: one store read) and enforce the route's rules: a route with
 * session=1 or roles without a valid session is 401 "unauthenticated";
 * roles the actor has none of is 403 "forbidden"; a state-changing
 * method (POST, PUT, PATCH, DELETE) on a session route (or one with
 * roles) without the session's X-CSRF-Token is 403 "csrf". Returns 1 when it made the
 * reply (the handler must not run), 0 to go on. */
int srv_auth_check(srv_request *rq, srv_reply *out);

/* The session token of the request's cookie, or NULL. */
const char *srv_auth_token(srv_request *rq);

/* Set-Cookie for a new session (token) or, token NULL, one that clears
 * it (Max-Age=0); Secure when the request came over TLS. */
void srv_auth_cookie(srv_request *rq, srv_reply *out, const char *token);

/* The auth and admin routes (routes_auth.c). */
void h_auth_signup(srv_request *rq, srv_reply *out);
void h_auth_signin(srv_request *rq, srv_reply *out);
void h_auth_signout(srv_request *rq, srv_reply *out);
void h_auth_session(srv_request *rq, srv_reply *out);
void h_auth_reset(srv_request *rq, srv_reply *out);
void h_auth_reset_confirm(srv_request *rq, srv_reply *out);
void h_admin_accounts(srv_request *rq, srv_reply *out);
void h_admin_account_roles(srv_request *rq, srv_reply *out);

#endif
