/*
 * server.c - hojo serve: libmicrohttpd set up for load (epoll, a thread
 * pool, connection and per-address limits, timeouts), the request cycle
 * (route, body cap counted as it arrives, reply), the error envelope,
 * the log line, the metrics, and the signals (SIGTERM stops after the
 * requests in flight, SIGHUP reloads the rulebook). docs/api.md.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include <microhttpd.h>
#include "auth.h"
#include "http.h"
#include "upload.h"

/* ---- the current rulebook, reference-counted ---- */

static pthread_mutex_t rules_lock = PTHREAD_MUTEX_INITIALIZER;
static srv_rules *current;

static srv_rules *rules_acquire(void)
{
	pthread_mutex_lock(&rules_lock);
	srv_rules *r = current;
	if (r)
		atomic_fetch_add(&r->refs, 1);
	pthread_mutex_unlock(&rules_lock);
	return r;
}

static void rules_release(srv_rules *r)
{
	if (r && atomic_fetch_sub(&r->refs, 1) == 1) {
		hj_rulebook_free(r->rb);
		free(r);
	}
}

/* Load the rulebook of 'dir' and make it the current one; on failure the
 * old one keeps serving. */
static int rules_load(const char *dir)
{
	hj_rulebook *rb;
	hj_error err;
	if (hj_rulebook_load(dir, &rb, &err) != HJ_OK) {
		char buf[1600];
		hj_error_format(&err, buf, sizeof buf);
		fprintf(stderr, "hojo serve: 規則集を読めません（%s）: %s\n", current ? "前の規則集で続けます" : "起動できません",
			buf);
		return -1;
	}
	srv_rules *r = malloc(sizeof *r);
	if (!r) {
		hj_rulebook_free(rb);
		return -1;
	}
	r->rb = rb;
	atomic_init(&r->refs, 1); /* the server's own reference */
	pthread_mutex_lock(&rules_lock);
	srv_rules *old = current;
	current = r;
	pthread_mutex_unlock(&rules_lock);
	rules_release(old);
	fprintf(stderr, "hojo serve: 規則集 %s %s（%.12s）\n", hj_rulebook_name(rb), hj_rulebook_version(rb),
		hj_rulebook_hash(rb));
	return 0;
}

/* ---- metrics ---- */

static const int statuses[] = { 200, 201, 202, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422, 423, 428, 429, 500, 503 };
#define NSTATUS ((int)(sizeof statuses / sizeof *statuses) + 1) /* + other */
#define MAX_ROUTES 128
static const long long bucket_us[] = { 100, 250, 500, 1000, 2500, 5000, 10000, 50000, 250000, 1000000 };
#define NBUCKET ((int)(sizeof bucket_us / sizeof *bucket_us))

static atomic_llong m_requests[MAX_ROUTES + 1][NSTATUS];
static atomic_llong m_bucket[NBUCKET + 1];
static atomic_llong m_sum_us, m_count;
static atomic_int m_in_flight;
static atomic_int stopping;

static int status_slot(int st)
{
	for (int i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == st)
			return i;
	return NSTATUS - 1;
}

static void metrics_add(int route, int status, long long us)
{
	int r = route >= 0 && route < MAX_ROUTES ? route : MAX_ROUTES;
	atomic_fetch_add(&m_requests[r][status_slot(status)], 1);
	int b = 0;
	while (b < NBUCKET && us > bucket_us[b])
		b++;
	atomic_fetch_add(&m_bucket[b], 1);
	atomic_fetch_add(&m_sum_us, us);
	atomic_fetch_add(&m_count, 1);
}

/* /metrics: the Prometheus text format. Called by its handler. */
char *srv_metrics_text(size_t *len);
char *srv_metrics_text(size_t *len)
{
	size_t cap = 16384, n = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
#define OUT(...)                                                                                   \
	do {                                                                                       \
		int k_ = snprintf(s + n, cap - n, __VA_ARGS__);                                    \
		if (k_ > 0 && (size_t)k_ >= cap - n) {                                             \
			char *t_ = realloc(s, cap * 2 + (size_t)k_);                               \
			if (!t_) {                                                                 \
				free(s);                                                           \
				return NULL;                                                       \
			}                                                                          \
			s = t_;                                                                    \
			cap = cap * 2 + (size_t)k_;                                                \
			k_ = snprintf(s + n, cap - n, __VA_ARGS__);                                \
		}                                                                                  \
		n += (size_t)(k_ > 0 ? k_ : 0);                                                    \
	} while (0)
	OUT("# HELP hojo_http_requests_total HTTP requests by route and status.\n"
	    "# TYPE hojo_http_requests_total counter\n");
	for (int r = 0; r <= MAX_ROUTES; r++) {
		if (r < MAX_ROUTES && r >= srv_nroutes)
			continue;
		const char *route = r < srv_nroutes ? srv_routes[r].pattern : "none";
		const char *method = r < srv_nroutes ? srv_routes[r].method : "";
		for (int k = 0; k < NSTATUS; k++) {
			long long v = atomic_load(&m_requests[r][k]);
			if (!v)
				continue;
			char st[8];
			if (k < NSTATUS - 1)
				snprintf(st, sizeof st, "%d", statuses[k]);
			else
				snprintf(st, sizeof st, "other");
			OUT("hojo_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %lld\n", method, route, st, v);
		}
	}
	OUT("# HELP hojo_http_request_duration_seconds Time from the request's headers to its reply.\n"
	    "# TYPE hojo_http_request_duration_seconds histogram\n");
	long long cum = 0;
	for (int b = 0; b <= NBUCKET; b++) {
		cum += atomic_load(&m_bucket[b]);
		if (b < NBUCKET)
			OUT("hojo_http_request_duration_seconds_bucket{le=\"%lld.%06lld\"} %lld\n", bucket_us[b] / 1000000,
			    bucket_us[b] % 1000000, cum);
		else
			OUT("hojo_http_request_duration_seconds_bucket{le=\"+Inf\"} %lld\n", cum);
	}
	long long sum = atomic_load(&m_sum_us);
	OUT("hojo_http_request_duration_seconds_sum %lld.%06lld\n", sum / 1000000, sum % 1000000);
	OUT("hojo_http_request_duration_seconds_count %lld\n", (long long)atomic_load(&m_count));
	OUT("# HELP hojo_http_requests_in_flight Requests being handled now.\n"
	    "# TYPE hojo_http_requests_in_flight gauge\n"
	    "hojo_http_requests_in_flight %d\n",
	    atomic_load(&m_in_flight));
#undef OUT
	*len = n;
	return s;
}

/* ---- replies and the error envelope ---- */

long long srv_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void srv_reply_json(srv_reply *out, int status, char *s)
{
	if (!s) {
		srv_reply_error(out, 500, "internal", NULL, "メモリが足りません");
		return;
	}
	size_t n = strlen(s);
	char *b = malloc(n + 2);
	if (!b) {
		hj_free(s);
		srv_reply_error(out, 500, "internal", NULL, "メモリが足りません");
		return;
	}
	memcpy(b, s, n);
	b[n] = '\n'; /* as the CLI prints it */
	b[n + 1] = '\0';
	hj_free(s);
	out->status = status;
	out->type = "application/json; charset=utf-8";
	out->body = b;
	out->len = n + 1;
}

void srv_reply_text(srv_reply *out, int status, const char *type, const char *text)
{
	out->status = status;
	out->type = type;
	out->body = strdup(text);
	out->len = out->body ? strlen(text) : 0;
}

static const char *status_message(int status)
{
	switch (status) {
	case 400: return "リクエストを読めません";
	case 401: return "サインインが必要です";
	case 403: return "この操作は許可されていません";
	case 404: return "見つかりません";
	case 405: return "このパスではそのメソッドを使えません";
	case 413: return "リクエストの本文が大きすぎます";
	case 415: return "リクエストの本文の形式（Content-Type）が違います";
	case 409: return "ほかの変更と衝突しました";
	case 422: return "入力に誤りがあります";
	case 423: return "受付期間外です";
	case 428: return "If-Match ヘッダーが必要です";
	case 429: return "リクエストが多すぎます。しばらくしてからやり直してください";
	case 503: return "サービスを停止中か混み合っています。しばらくしてからやり直してください";
	default: return "サーバーの内部エラーです";
	}
}

static void reply_envelope(srv_reply *out, int status, const char *type, const char *field, const char *msg)
{
	json_t *e = json_pack("{s:o,s:s,s:s}", "field", field && *field ? json_string(field) : json_null(), "type", type,
			      "message", msg);
	json_t *root = json_pack("{s:i,s:s,s:[o]}", "status", status, "message", status_message(status), "errors", e);
	char *s = root ? json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
	json_decref(root);
	out->status = status;
	out->type = "application/json; charset=utf-8";
	free(out->body);
	out->body = NULL;
	out->len = 0;
	if (s) {
		size_t n = strlen(s);
		out->body = realloc(s, n + 2);
		if (!out->body)
			out->body = s;
		else {
			out->body[n] = '\n';
			out->body[n + 1] = '\0';
			n++;
		}
		out->len = n;
	}
}

void srv_reply_error(srv_reply *out, int status, const char *type, const char *field, const char *fmt, ...)
{
	char msg[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	reply_envelope(out, status, type, field, msg);
}

int srv_reply_header(srv_reply *out, const char *name, const char *value)
{
	if (out->nheaders >= SRV_MAX_HEADERS || strlen(name) >= sizeof out->headers[0].name ||
	    strlen(value) >= sizeof out->headers[0].value)
		return 0;
	snprintf(out->headers[out->nheaders].name, sizeof out->headers[0].name, "%s", name);
	snprintf(out->headers[out->nheaders].value, sizeof out->headers[0].value, "%s", value);
	out->nheaders++;
	return 1;
}

/* The reply's header 'name' (case-insensitive), or NULL. */
static const char *reply_header(const srv_reply *out, const char *name)
{
	for (int i = 0; i < out->nheaders; i++)
		if (!strcasecmp(out->headers[i].name, name))
			return out->headers[i].value;
	return NULL;
}

void srv_reply_hj_error(srv_reply *out, const hj_error *err)
{
	static const struct {
		hj_status st;
		int http;
		const char *type;
	} office[] = {
		{ HJ_ERR_CONFLICT, 409, "conflict" },   { HJ_ERR_NOT_FOUND, 404, "not_found" },
		{ HJ_ERR_DENIED, 403, "forbidden" },    { HJ_ERR_AUTH, 401, "unauthenticated" },
		{ HJ_ERR_CLOSED, 423, "closed" },       { HJ_ERR_LIMIT, 429, "too_many_requests" },
	};
	for (size_t i = 0; i < sizeof office / sizeof *office; i++)
		if (err->status == office[i].st) {
			reply_envelope(out, office[i].http, office[i].type, err->field, err->message);
			return;
		}
	if (err->status == HJ_ERR_INPUT || err->status == HJ_ERR_RANGE) {
		/* the reader's own words; the place is the field path (and the
		 * line and column of the request body when it has one) */
		char msg[1200];
		if (err->line > 0)
			snprintf(msg, sizeof msg, "%d行%d列: %s", err->line, err->col, err->message);
		else
			snprintf(msg, sizeof msg, "%s", err->message);
		const char *type = !strncmp(err->message, "未知の項目", strlen("未知の項目")) ? "unknown_field"
				   : err->status == HJ_ERR_RANGE                               ? "out_of_range"
											       : "invalid_value";
		reply_envelope(out, 422, type, err->field, msg);
		return;
	}
	if (err->status == HJ_ERR_NOMEM) {
		reply_envelope(out, 503, "overloaded", NULL, "メモリが足りません");
		return;
	}
	char buf[1600];
	hj_error_format(err, buf, sizeof buf);
	reply_envelope(out, 500, "internal", NULL, buf);
}

/* ---- the request cycle ---- */

static const hj_server_config *cfg_g;
static hj_store *store_g; /* opened before listening, closed at stop */
static char public_url_g[256];

const char *srv_public_url(void)
{
	return public_url_g;
}

/* connections per address, for 429 */
#define IP_SLOTS 1024
static struct {
	struct in6_addr addr;
	int used, count;
} ip_table[IP_SLOTS];
static pthread_mutex_t ip_lock = PTHREAD_MUTEX_INITIALIZER;

static void addr_key(const struct sockaddr *sa, struct in6_addr *k)
{
	memset(k, 0, sizeof *k);
	if (!sa)
		return;
	if (sa->sa_family == AF_INET) {
		k->s6_addr[10] = k->s6_addr[11] = 0xff;
		memcpy(&k->s6_addr[12], &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6)
		*k = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
}

/* Count one connection of the address up (+1) or down (-1); the count after. */
static int ip_count(const struct sockaddr *sa, int delta)
{
	struct in6_addr k;
	addr_key(sa, &k);
	unsigned h = 2166136261u;
	for (int i = 0; i < 16; i++)
		h = (h ^ k.s6_addr[i]) * 16777619u;
	pthread_mutex_lock(&ip_lock);
	int c = 0;
	for (int i = 0; i < IP_SLOTS; i++) {
		int s = (int)((h + (unsigned)i) % IP_SLOTS);
		if (ip_table[s].used && !memcmp(&ip_table[s].addr, &k, sizeof k)) {
			ip_table[s].count += delta;
			c = ip_table[s].count;
			if (c <= 0)
				ip_table[s].count = 0; /* slot stays: keeps probing chains intact */
			break;
		}
		if (!ip_table[s].used) {
			if (delta > 0) {
				ip_table[s].used = 1;
				ip_table[s].addr = k;
				ip_table[s].count = c = delta;
			}
			break;
		}
	}
	pthread_mutex_unlock(&ip_lock);
	return c;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	(void)socket_context;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	ip_count(ci ? ci->client_addr : NULL, toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

static int ip_connections(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	return ip_count(ci ? ci->client_addr : NULL, 0);
}

/* Match 'path' against a pattern; each {param} segment goes to args[]
 * (*nargs of them). */
static int match(const char *pat, const char *path, char args[][256], int *nargs)
{
	*nargs = 0;
	if (!strcmp(pat, "/*"))
		return strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api");
	while (*pat && *path) {
		if (*pat == '{') {
			const char *e = strchr(pat, '}');
			size_t n = strcspn(path, "/");
			if (!e || n == 0 || n >= 256 || *nargs >= SRV_MAX_ARGS)
				return 0;
			memcpy(args[*nargs], path, n);
			args[*nargs][n] = '\0';
			(*nargs)++;
			pat = e + 1;
			path += n;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return !*pat && !*path;
}

static const char *type_of(struct MHD_Connection *c)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
}

/* "application/json; charset=utf-8" is of type "application/json". */
static int type_is(const char *have, const char *want)
{
	if (!have)
		return 0;
	size_t n = strlen(want);
	if (strncasecmp(have, want, n))
		return 0;
	return have[n] == '\0' || have[n] == ';' || have[n] == ' ';
}

static enum MHD_Result send_reply(srv_request *rq, srv_reply *out)
{
	if (!out->body) {
		/* out of memory while replying */
		out->body = strdup("{\"status\":500,\"message\":\"サーバーの内部エラーです\",\"errors\":[]}\n");
		out->len = out->body ? strlen(out->body) : 0;
		out->status = 500;
		out->type = "application/json; charset=utf-8";
	}
	struct MHD_Response *resp =
		MHD_create_response_from_buffer_with_free_callback(out->len, out->body, free);
	if (!resp) {
		free(out->body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, out->type);
	MHD_add_response_header(resp, "X-Rules-Version", rq->rules ? hj_rulebook_hash(rq->rules->rb) : "");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (out->disposition[0])
		MHD_add_response_header(resp, "Content-Disposition", out->disposition);
	if (out->allow[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, out->allow);
	for (int i = 0; i < out->nheaders; i++)
		MHD_add_response_header(resp, out->headers[i].name, out->headers[i].value);
	if ((out->status == 503 || out->status == 429) && !reply_header(out, MHD_HTTP_HEADER_RETRY_AFTER))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	rq->status = out->status;
	enum MHD_Result r = MHD_queue_response(rq->conn, (unsigned)out->status, resp);
	MHD_destroy_response(resp);
	return r;
}

/* Decide what can be decided from the headers alone: the route, the
 * method, the type and announced length of the body, the limits. */
static int early_reply(srv_request *rq, srv_reply *out)
{
	const char *m = rq->method;
	int is_head = !strcmp(m, "HEAD");
	if (atomic_load(&stopping)) {
		srv_reply_error(out, 503, "shutting_down", NULL, "サービスを停止しています");
		return 1;
	}
	if (ip_connections(rq->conn) > cfg_g->per_ip) {
		srv_reply_error(out, 429, "too_many_connections", NULL, "同じアドレスからの同時接続は %d までです",
				cfg_g->per_ip);
		return 1;
	}
	char allow[64] = "";
	int found = 0;
	for (int i = 0; i < srv_nroutes; i++) {
		char args[SRV_MAX_ARGS][256];
		int nargs;
		if (!match(srv_routes[i].pattern, rq->path, args, &nargs))
			continue;
		found = 1;
		const char *rm = srv_routes[i].method;
		if (!strcmp(rm, m) || (is_head && !strcmp(rm, "GET"))) {
			rq->route = &srv_routes[i];
			rq->route_index = i;
			rq->nargs = nargs;
			for (int k = 0; k < nargs; k++)
				snprintf(rq->args[k], sizeof rq->args[k], "%s", args[k]);
			snprintf(rq->arg, sizeof rq->arg, "%s", nargs ? args[0] : "");
			break;
		}
		if (!strstr(allow, rm))
			snprintf(allow + strlen(allow), sizeof allow - strlen(allow), "%s%s%s", allow[0] ? ", " : "", rm,
				 !strcmp(rm, "GET") ? ", HEAD" : "");
	}
	if (!rq->route) {
		if (found) {
			srv_reply_error(out, 405, "method_not_allowed", NULL, "%s %s は使えません（使えるのは %s）", m, rq->path,
					allow);
			snprintf(out->allow, sizeof out->allow, "%s", allow);
		} else if (!strncmp(rq->path, "/api/", 5) || !strcmp(rq->path, "/api"))
			srv_reply_error(out, 404, "not_found", NULL, "%s という API はありません（docs/api.md）", rq->path);
		else
			srv_reply_text(out, 404, "text/plain; charset=utf-8", "見つかりません\n");
		return 1;
	}
	const srv_route *r = rq->route;
	const char *len = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	int has_body = (len && strtoull(len, NULL, 10) > 0) || te;
	if (r->body_limit == 0) {
		if (has_body) {
			srv_reply_error(out, 413, "body_too_large", NULL, "%s %s は本文を受け付けません", m, r->pattern);
			return 1;
		}
		return 0;
	}
	if (!type_is(type_of(rq->conn), r->body_type)) {
		srv_reply_error(out, 415, "unsupported_media_type", "Content-Type",
				"本文は %s で送ってください（Content-Type: %s）", r->body_type,
				type_of(rq->conn) ? type_of(rq->conn) : "なし");
		return 1;
	}
	if (len && strtoull(len, NULL, 10) > r->body_limit) {
		srv_reply_error(out, 413, "body_too_large", NULL, "本文は %zu バイトまでです（%s バイト）", r->body_limit, len);
		return 1;
	}
	if (atomic_load(&m_in_flight) > cfg_g->max_in_flight) {
		srv_reply_error(out, 503, "overloaded", NULL, "処理中のリクエストが多すぎます");
		return 1;
	}
	return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)cls;
	(void)version;
	srv_request *rq = *con_cls;
	if (!rq) {
		rq = calloc(1, sizeof *rq);
		if (!rq)
			return MHD_NO;
		*con_cls = rq;
		rq->conn = conn;
		rq->method = method;
		rq->t0 = srv_now_us();
		rq->route_index = -1;
		rq->cfg = cfg_g;
		rq->store = store_g;
		snprintf(rq->path, sizeof rq->path, "%s", url);
		rq->rules = rules_acquire();
		atomic_fetch_add(&m_in_flight, 1);
		rq->counted = 1;
		srv_reply out = { 0 };
		/* the route, then who asks and whether they may (server/auth.c),
		 * all before the body is read and the handler runs */
		if (early_reply(rq, &out) || srv_auth_check(rq, &out)) {
			rq->early = 1;
			return send_reply(rq, &out);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* the cap, counted as the body arrives (chunked bodies too) */
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (srv_now_us() - rq->t0 > (long long)cfg_g->request_timeout * 1000000) {
			/* a body trickling in (slowloris): the idle timeout alone
			 * would never end it; close the connection */
			rq->status = 408;
			return MHD_NO;
		}
		if (srv_upload_route(rq->route))
			return srv_upload_feed(rq, upload_data, n) ? MHD_YES : MHD_NO;
		if (rq->too_large || rq->len + n > rq->route->body_limit) {
			rq->too_large = 1;
			free(rq->body);
			rq->body = NULL;
			rq->len = rq->cap = 0;
			return MHD_YES;
		}
		if (rq->len + n + 1 > rq->cap) {
			size_t cap = rq->cap ? rq->cap : 4096;
			while (cap < rq->len + n + 1)
				cap *= 2;
			char *b = realloc(rq->body, cap);
			if (!b)
				return MHD_NO;
			rq->body = b;
			rq->cap = cap;
		}
		memcpy(rq->body + rq->len, upload_data, n);
		rq->len += n;
		rq->body[rq->len] = '\0';
		return MHD_YES;
	}
	srv_reply out = { 0 };
	if (srv_upload_route(rq->route) && srv_upload_finish(rq, &out))
		; /* the multipart body was refused (out holds why) */
	else if (rq->too_large)
		srv_reply_error(&out, 413, "body_too_large", NULL, "本文は %zu バイトまでです", rq->route->body_limit);
	else if (!rq->rules)
		srv_reply_error(&out, 503, "unavailable", NULL, "規則集がありません");
	else
		rq->route->handler(rq, &out);
	return send_reply(rq, &out);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	srv_request *rq = *con_cls;
	if (!rq)
		return;
	long long us = srv_now_us() - rq->t0;
	int st = rq->status ? rq->status : 0;
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !st)
		st = 499; /* the client went away, or a timeout */
	metrics_add(rq->route_index, st, us);
	fprintf(stderr, "%s %s %d %lldus\n", rq->method, rq->path, st, us);
	if (rq->counted)
		atomic_fetch_sub(&m_in_flight, 1);
	rules_release(rq->rules);
	srv_upload_free(rq->upload);
	free(rq->body);
	free(rq);
	*con_cls = NULL;
}

/* ---- start, signals, stop ---- */

void hj_server_defaults(hj_server_config *c)
{
	memset(c, 0, sizeof *c);
	c->listen = "127.0.0.1:8080";
	c->db = "sqlite:var/hojo.db";
	c->mail_dir = "var/mail";
	hj_auth_defaults(&c->auth);
	c->threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (c->threads < 1)
		c->threads = 1;
	c->max_connections = 1024;
	c->per_ip = 256;
	c->max_in_flight = 512;
	c->timeout = 15;
	c->request_timeout = 30;
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof host)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || colon[1] == '\0')
		return -1;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	return 0;
}

int hj_server_run(const hj_server_config *c)
{
	struct sockaddr_in sa;
	if (parse_listen(c->listen, &sa)) {
		fprintf(stderr, "hojo: 入力エラー: --listen: アドレス:ポート（例 127.0.0.1:8080）で書いてください: '%s'\n",
			c->listen);
		return 1;
	}
	cfg_g = c;
	if (rules_load(c->rules_dir))
		return 2;
	/* the store: every MHD thread may hold a connection, and two spare */
	hj_error err;
	if (hj_store_open(c->db ? c->db : "sqlite:var/hojo.db", c->threads + 2, &store_g, &err) != HJ_OK) {
		char buf[1600];
		hj_error_format(&err, buf, sizeof buf);
		fprintf(stderr, "hojo serve: データベースを開けないため起動できません: %s\n", buf);
		rules_release(current);
		current = NULL;
		return 2;
	}
	fprintf(stderr, "hojo serve: データベース %s（スキーマ版 %d）\n", hj_store_kind(store_g),
		hj_store_schema_version(store_g));
	/* the signals go to this thread only (sigwait below) */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_TURBO, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)c->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)c->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
		c->timeout, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
		on_connection, NULL, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "hojo serve: %s で待ち受けられません: %s\n", c->listen, strerror(errno));
		rules_release(current);
		current = NULL;
		hj_store_close(store_g);
		store_g = NULL;
		return 3;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[64];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
	if (c->public_url && *c->public_url)
		snprintf(public_url_g, sizeof public_url_g, "%s", c->public_url);
	else
		snprintf(public_url_g, sizeof public_url_g, "http://%s:%u", host, di ? di->port : ntohs(sa.sin_port));
	printf("hojo serve: http://%s:%u/\n", host, di ? di->port : ntohs(sa.sin_port));
	fflush(stdout);
	for (;;) {
		int sig;
		if (sigwait(&set, &sig))
			continue;
		if (sig == SIGHUP) {
			fprintf(stderr, "hojo serve: SIGHUP: 規則集を読み直します\n");
			rules_load(c->rules_dir);
			continue;
		}
		break;
	}
	/* SIGTERM/SIGINT: refuse new requests (503), let those in flight end */
	atomic_store(&stopping, 1);
	MHD_quiesce_daemon(d);
	long long until = srv_now_us() + 10 * 1000000LL;
	while (atomic_load(&m_in_flight) > 0 && srv_now_us() < until)
		usleep(10000);
	MHD_stop_daemon(d);
	pthread_mutex_lock(&rules_lock);
	srv_rules *r = current;
	current = NULL;
	pthread_mutex_unlock(&rules_lock);
	rules_release(r);
	hj_store_close(store_g);
	store_g = NULL;
	fprintf(stderr, "hojo serve: 停止しました\n");
	return 0;
}
