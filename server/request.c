/*
 * request.c - the request pieces every route file reads the same way:
 * the query checked against the route's row, an id from the path or the
 * query, a JSON object body, and a library answer turned into the reply
 * (the JSON document, or the error envelope with the document added).
 * The handlers of routes.c, routes_auth.c, routes_intake.c and
 * routes_parties.c call these rather than keep copies of their own.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <microhttpd.h>
#include "hojo/grants/applications.h"
#include "http.h"

typedef struct qcheck {
	const char *allowed, *bad;
} qcheck;

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	qcheck *q = cls;
	size_t n = strlen(key);
	for (const char *p = q->allowed; p && *p;) {
		size_t m = strcspn(p, ",");
		if (m == n && !strncmp(p, key, n))
			return MHD_YES;
		p += m + (p[m] ? 1 : 0);
	}
	q->bad = key;
	return MHD_NO;
}

/* Only the query parameters of the route's row; 0, or the 400 reply made. */
int srv_query_ok(srv_request *rq, srv_reply *out)
{
	qcheck q = { rq->route->query, NULL };
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, each_arg, &q);
	if (q.bad) {
		srv_reply_error(out, 400, "unknown_parameter", q.bad, "未知のクエリパラメータ '%s'（使えるのは %s）", q.bad,
				rq->route->query && *rq->route->query ? rq->route->query : "なし");
		return -1;
	}
	return 0;
}

/* A positive decimal id (at most 18 digits); 0 if 's' is not one. */
int64_t srv_parse_id(const char *s)
{
	if (!s || !*s || strlen(s) > 18)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return strtoll(s, NULL, 10);
}

/* The path's n-th parameter as an id; 0 and a 404 reply when it is not one. */
int64_t srv_path_id(srv_request *rq, srv_reply *out, int n)
{
	int64_t id = n < rq->nargs ? srv_parse_id(rq->args[n]) : 0;
	if (!id)
		srv_reply_error(out, 404, "not_found", NULL, "%s は見つかりません", rq->path);
	return id;
}

/* The body is a JSON object that parses (duplicate keys refused); an
 * empty body reads as {} where 'empty_ok'. 0, or the 400 reply made. */
int srv_body_ok(srv_request *rq, srv_reply *out, int empty_ok)
{
	if (!rq->body || !rq->len) {
		if (empty_ok)
			return 0;
		srv_reply_error(out, 400, "empty_body", NULL, "本文がありません（JSON のオブジェクトを送ってください）");
		return -1;
	}
	json_error_t je;
	json_t *j = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		srv_reply_error(out, 400, "invalid_json", NULL, "JSON として読めません（%d行%d列）: %s", je.line, je.column,
				je.text);
		return -1;
	}
	int obj = json_is_object(j);
	json_decref(j);
	if (!obj) {
		srv_reply_error(out, 400, "not_object", NULL, "本文は JSON のオブジェクト {…} でなければなりません");
		return -1;
	}
	return 0;
}

/* An error of the library, with the document 'doc' (hj_free'd here; may
 * be NULL) added to the envelope: a 409 carries the current record. */
void srv_reply_error_doc(srv_reply *out, const hj_error *err, char *doc)
{
	srv_reply_hj_error(out, err);
	if (!doc)
		return;
	json_t *env = out->body ? json_loadb(out->body, out->len, 0, NULL) : NULL;
	json_t *d = json_loads(doc, 0, NULL);
	hj_free(doc);
	if (env && json_is_object(d)) {
		json_object_update_missing(env, d);
		char *s = json_dumps(env, JSON_PRESERVE_ORDER | JSON_COMPACT);
		if (s) {
			free(out->body);
			size_t n = strlen(s);
			out->body = realloc(s, n + 2);
			if (!out->body)
				out->body = s, out->len = n;
			else {
				out->body[n] = '\n';
				out->body[n + 1] = '\0';
				out->len = n + 1;
			}
		}
	}
	json_decref(env);
	json_decref(d);
}

/* The answer of one library call: the document 'json' with 'status'
 * when 's' is HJ_OK, else the error (with 'json', when not NULL, added). */
void srv_reply_result(srv_reply *out, hj_status s, const hj_error *err, int status, char *json)
{
	if (s)
		srv_reply_error_doc(out, err, json);
	else
		srv_reply_json(out, status, json);
}

/* See http.h. */
int srv_query_int(srv_request *rq, srv_reply *out, const char *name, int64_t def, int64_t *v)
{
	const char *s = srv_query(rq, name);
	*v = def;
	if (!s)
		return 0;
	if (!(*v = srv_parse_id(s))) {
		srv_reply_error(out, 422, "invalid_value", name, "%s は1以上の整数です: '%s'", name, s);
		return -1;
	}
	return 0;
}

/* See http.h. */
int64_t srv_if_match(srv_request *rq, int64_t absent, int64_t zero)
{
	const char *h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH);
	if (!h)
		return absent;
	if (!strncmp(h, "W/", 2))
		h += 2;
	char buf[32];
	size_t n = strlen(h);
	if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
		h++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, h, n);
	buf[n] = '\0';
	if (!strcmp(buf, "0"))
		return zero;
	int64_t v = srv_parse_id(buf);
	return v ? v : -1;
}

/* See http.h. */
void srv_etag(srv_reply *out, int64_t version)
{
	char v[48];
	snprintf(v, sizeof v, "\"%lld\"", (long long)version);
	srv_reply_header(out, "ETag", v);
}

/* See http.h. */
void srv_reply_download(srv_reply *out, hj_attachment_file *f, const char *fallback)
{
	out->body = malloc(f->len ? f->len : 1);
	if (!out->body) {
		hj_attachment_file_clear(f);
		srv_reply_error(out, 503, "overloaded", NULL, "メモリが足りません");
		return;
	}
	memcpy(out->body, f->data, f->len);
	out->len = f->len;
	out->status = 200;
	static __thread char type[128];
	snprintf(type, sizeof type, "%s", f->content_type);
	out->type = type;
	char enc[800];
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)f->name; *p && k + 4 < sizeof enc; p++) {
		if (isalnum(*p) || strchr("-._~", *p))
			enc[k++] = (char)*p;
		else
			k += (size_t)snprintf(enc + k, sizeof enc - k, "%%%02X", *p);
	}
	enc[k] = '\0';
	char disp[1000];
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"; filename*=UTF-8''%s", fallback, enc);
	if (!srv_reply_header(out, "Content-Disposition", disp))
		snprintf(out->disposition, sizeof out->disposition, "attachment; filename=\"%s\"", fallback);
	hj_attachment_file_clear(f);
}
