/*
 * routes.c - the route table of hojo serve (docs/api.md) and its
 * handlers: HTTP in, a public libhojo call, the same JSON out as the
 * command's --json. No rules logic and no JSON the command also prints
 * is built here (that is lib/document.c and the other hj_*_json).
 */
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <microhttpd.h>
#include "auth.h"
#include "http.h"
#include "intake.h"
#include "parties.h"
#include "awards.h"
#include "review.h"
#include "hojo/grants/applications.h"

#define KB 1024
#define MAX_DEPTH 32     /* nesting of a request's JSON */
#define MAX_RESULTS 256

const char *srv_query(srv_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* The selection of the query (date, program, edition), checked against
 * the rulebook. 0, or an error reply made. */
static int selection(srv_request *rq, srv_reply *out, hj_selection *sel, int *date_given)
{
	const hj_rulebook *rb = rq->rules->rb;
	if (srv_query_ok(rq, out))
		return -1;
	memset(sel, 0, sizeof *sel);
	*date_given = 0;
	const char *d = srv_query(rq, "date");
	if (d) {
		hj_error err;
		if (hj_date_parse(d, strlen(d), &sel->date, &err)) {
			srv_reply_error(out, 422, "invalid_value", "date", "%s", err.message);
			return -1;
		}
		sel->has_date = *date_given = 1;
	}
	const char *p = srv_query(rq, "program"), *e = srv_query(rq, "edition");
	if (p) {
		int ok = 0;
		for (int i = 0; i < hj_rulebook_nprograms(rb); i++)
			ok |= !strcmp(p, hj_program_id(hj_rulebook_program(rb, i)));
		if (!ok) {
			srv_reply_error(out, 422, "unknown_program", "program", "未知の制度 '%s'（GET /api/v1/rules で一覧できます）",
					p);
			return -1;
		}
		sel->program = p;
	}
	if (e) {
		int ok = 0;
		for (int i = 0; i < hj_rulebook_nprograms(rb); i++) {
			const hj_program *pr = hj_rulebook_program(rb, i);
			if (p && strcmp(p, hj_program_id(pr)))
				continue;
			for (int k = 0; k < hj_program_neditions(pr); k++)
				ok |= !strcmp(e, hj_edition_id(hj_program_edition(pr, k)));
		}
		if (!ok) {
			srv_reply_error(out, 422, "unknown_edition", "edition", "未知の版 '%s'（GET /api/v1/rules で一覧できます）", e);
			return -1;
		}
		sel->edition = e;
	}
	return 0;
}

static int depth_ok(json_t *j, int depth)
{
	if (depth > MAX_DEPTH)
		return 0;
	size_t i;
	const char *k;
	json_t *v;
	if (json_is_object(j)) {
		json_object_foreach(j, k, v)
			if (!depth_ok(v, depth + 1))
				return 0;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (!depth_ok(v, depth + 1))
				return 0;
	}
	return 1;
}

/* The request body is one JSON object (syntax and depth checked with
 * jansson before the library's reader sees it). */
static int body_json_ok(srv_request *rq, srv_reply *out)
{
	json_error_t je;
	if (!rq->body || !rq->len) {
		srv_reply_error(out, 400, "empty_body", NULL, "本文がありません（申請者の入力を JSON で送ってください）");
		return 0;
	}
	json_t *j = json_loadb(rq->body, rq->len, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &je);
	if (!j) {
		char at[64];
		snprintf(at, sizeof at, "%d行%d列", je.line, je.column);
		srv_reply_error(out, 400, "invalid_json", NULL, "JSON として読めません（%s）: %s", at, je.text);
		return 0;
	}
	int ok = 1;
	if (!json_is_object(j)) {
		srv_reply_error(out, 400, "not_object", NULL, "本文は JSON のオブジェクト {…} でなければなりません");
		ok = 0;
	} else if (!depth_ok(j, 1)) {
		srv_reply_error(out, 400, "too_deep", NULL, "JSON の入れ子が深すぎます（%d段まで）", MAX_DEPTH);
		ok = 0;
	}
	json_decref(j);
	return ok;
}

/* The applicant of the request body, read as the command reads a file.
 * The input's date selects editions unless the query gave one. */
static hj_facts *load_facts(srv_request *rq, srv_reply *out, hj_selection *sel, int date_given)
{
	hj_facts *f;
	hj_error err;
	if (!body_json_ok(rq, out))
		return NULL;
	if (hj_facts_new(rq->rules->rb, &f)) {
		srv_reply_error(out, 503, "overloaded", NULL, "メモリが足りません");
		return NULL;
	}
	if (hj_facts_load_json(f, rq->body, rq->len, "request", &err)) {
		srv_reply_hj_error(out, &err);
		hj_facts_free(f);
		return NULL;
	}
	if (!date_given && hj_facts_date(f, &sel->date))
		sel->has_date = 1;
	return f;
}

static const hj_frame *find_frame(srv_request *rq, srv_reply *out, const char *id, const char *field)
{
	const hj_frame *fr = hj_rulebook_find_frame(rq->rules->rb, id);
	if (!fr)
		srv_reply_error(out, 404, "unknown_frame", field, "未知の枠 '%s'（GET /api/v1/rules で一覧できます）", id);
	return fr;
}

/* ---- reference ---- */

static void h_rules(srv_request *rq, srv_reply *out)
{
	hj_selection sel;
	int dg;
	if (selection(rq, out, &sel, &dg))
		return;
	srv_reply_json(out, 200, hj_rules_document(rq->rules->rb, &sel, NULL, 0));
}

static void h_rules_frame(srv_request *rq, srv_reply *out)
{
	hj_selection sel;
	int dg;
	if (selection(rq, out, &sel, &dg))
		return;
	const hj_frame *fr = find_frame(rq, out, rq->arg, "frame");
	if (fr)
		srv_reply_json(out, 200, hj_rules_document(rq->rules->rb, &sel, fr, 0));
}

static void h_facts(srv_request *rq, srv_reply *out)
{
	hj_selection sel;
	int dg;
	if (selection(rq, out, &sel, &dg))
		return;
	srv_reply_json(out, 200, hj_facts_document(rq->rules->rb, 0));
}

/* The seed texts: $HOJO_SEEDS, else <rules>/../../shared/seeds (as hojo source). */
static void seeds_dir(const hj_rulebook *rb, char *out, size_t size)
{
	const char *env = getenv("HOJO_SEEDS");
	if (env && *env)
		snprintf(out, size, "%s", env);
	else
		snprintf(out, size, "%s/../../shared/seeds", hj_rulebook_dir(rb));
}

static void h_source(srv_request *rq, srv_reply *out)
{
	hj_selection sel;
	int dg;
	if (selection(rq, out, &sel, &dg))
		return;
	const hj_rulebook *rb = rq->rules->rb;
	const char *cite = srv_query(rq, "cite");
	if (!cite || !*cite) {
		srv_reply_error(out, 400, "missing_parameter", "cite", "cite= に出典を書いてください（例: seed 002:34）");
		return;
	}
	const hj_document *d = hj_rulebook_cited_document(rb, cite);
	if (!d) {
		srv_reply_error(out, 404, "unknown_source", "cite", "規則集の資料にない出典です: '%s'", cite);
		return;
	}
	char *doc = hj_cited_document_json(rb, cite, 0);
	json_t *docj = doc ? json_loads(doc, 0, NULL) : NULL;
	hj_free(doc);
	json_t *lines = json_null();
	/* "seed 002:34" or "seed 002:34-40": the lines, when the text is here */
	const char *colon = strrchr(cite, ':');
	if (!strncmp(cite, "seed ", 5) && colon) {
		char *end;
		long a = strtol(colon + 1, &end, 10), b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		char dir[PATH_MAX], path[PATH_MAX + 300];
		seeds_dir(rb, dir, sizeof dir);
		snprintf(path, sizeof path, "%s/%s", dir, d->file);
		FILE *fp = a > 0 && b >= a && b - a < 500 && !*end ? fopen(path, "r") : NULL;
		if (fp) {
			json_decref(lines);
			lines = json_array();
			char buf[8192];
			long n = 0;
			while (fgets(buf, sizeof buf, fp) && n < b) {
				size_t l = strlen(buf);
				if (l && buf[l - 1] == '\n')
					n++;
				while (l && (buf[l - 1] == '\n' || buf[l - 1] == '\r'))
					buf[--l] = '\0';
				if (n >= a && n <= b)
					json_array_append_new(lines, json_pack("{s:I,s:s}", "line", (json_int_t)n, "text", buf));
			}
			fclose(fp);
		}
	}
	json_t *root = json_pack("{s:o,s:o}", "document", docj ? docj : json_null(), "lines", lines);
	char *s = root ? json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
	json_decref(root);
	srv_reply_json(out, 200, s ? hj_strdup(s) : NULL);
	free(s);
}

/* ---- computation ---- */

static void h_check(srv_request *rq, srv_reply *out)
{
	hj_selection sel;
	int dg;
	if (selection(rq, out, &sel, &dg))
		return;
	hj_facts *f = load_facts(rq, out, &sel, dg);
	if (!f)
		return;
	/* room for every frame twice (those open, then all): small for a
	 * small rulebook, and below malloc's mmap threshold */
	int max = hj_rulebook_nframes(rq->rules->rb) + 1;
	hj_result *res = malloc(2 * (size_t)max * sizeof *res);
	int n, nopen;
	if (!res || hj_check_ranked(rq->rules->rb, f, &sel, res, res + max, max, &n, &nopen))
		srv_reply_error(out, 503, "overloaded", NULL, "メモリが足りません");
	else
		srv_reply_json(out, 200, hj_check_document(rq->rules->rb, f, &sel, res, nopen, n, 0));
	free(res);
	hj_facts_free(f);
}

static void h_explain(srv_request *rq, srv_reply *out)
{
	hj_selection sel;
	int dg;
	if (selection(rq, out, &sel, &dg))
		return;
	const hj_frame *fr = find_frame(rq, out, rq->arg, "frame");
	if (!fr)
		return;
	hj_facts *f = load_facts(rq, out, &sel, dg);
	if (!f)
		return;
	const hj_rulebook *rb = rq->rules->rb;
	hj_result r;
	hj_error err;
	if (hj_facts_nlines(f) > 0) {
		/* the amounts computed from the frame's accepted lines (as hojo explain) */
		hj_expense_result *x = malloc(sizeof *x);
		if (!x || hj_expense_apply(rb, f, fr, x, &err)) {
			if (x)
				srv_reply_hj_error(out, &err);
			else
				srv_reply_error(out, 503, "overloaded", NULL, "メモリが足りません");
			free(x);
			hj_facts_free(f);
			return;
		}
		r = x->result;
		r.verdict = x->verdict;
		free(x);
	} else
		hj_evaluate(rb, f, fr, &r);
	srv_reply_json(out, 200, hj_explain_document(rb, f, &sel, &r, 0));
	hj_facts_free(f);
}

/* The plan checks of hojo plan FILE (every selected frame with plan
 * requirements, or the ?frame= one). */
static int plan_results(srv_request *rq, srv_reply *out, hj_facts **fp, hj_plan_result **resp, int *np)
{
	hj_selection sel;
	int dg;
	*fp = NULL;
	*resp = NULL;
	if (selection(rq, out, &sel, &dg))
		return -1;
	const hj_frame *only = NULL;
	const char *fid = srv_query(rq, "frame");
	if (fid && !(only = find_frame(rq, out, fid, "frame")))
		return -1;
	hj_facts *f = load_facts(rq, out, &sel, dg);
	if (!f)
		return -1;
	*fp = f;
	if (!hj_facts_plan(f)) {
		srv_reply_error(out, 422, "missing_field", "plan", "plan（事業計画）がありません（docs/plan.md）");
		return -1;
	}
	const hj_rulebook *rb = rq->rules->rb;
	hj_plan_result *res = calloc(MAX_RESULTS, sizeof *res);
	if (!res) {
		srv_reply_error(out, 503, "overloaded", NULL, "メモリが足りません");
		return -1;
	}
	*resp = res;
	int n = 0;
	hj_error err;
	for (int i = 0; i < hj_rulebook_nframes(rb) && n < MAX_RESULTS; i++) {
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		if (only ? fr != only : !hj_frame_selected(fr, &sel))
			continue;
		if (hj_plan_check(rb, f, fr, &res[n], &err)) {
			srv_reply_hj_error(out, &err);
			return -1;
		}
		if (!only && res[n].nreqs == 0)
			continue;
		n++;
	}
	*np = n;
	return 0;
}

static void h_plan(srv_request *rq, srv_reply *out)
{
	hj_facts *f;
	hj_plan_result *res;
	int n;
	if (!plan_results(rq, out, &f, &res, &n))
		srv_reply_json(out, 200, hj_plan_json(rq->rules->rb, f, res, n, 0));
	free(res);
	hj_facts_free(f);
}

static void h_plan_xlsx(srv_request *rq, srv_reply *out)
{
	hj_facts *f;
	hj_plan_result *res;
	int n;
	if (plan_results(rq, out, &f, &res, &n))
		goto done;
	char path[] = "/tmp/hojo-serve-XXXXXX";
	int fd = mkstemp(path);
	hj_error err;
	if (fd < 0) {
		srv_reply_error(out, 500, "internal", NULL, "一時ファイルを作れません");
		goto done;
	}
	close(fd);
	if (hj_plan_write_xlsx(rq->rules->rb, f, res, n, path, &err)) {
		unlink(path);
		srv_reply_hj_error(out, &err);
		goto done;
	}
	FILE *fp = fopen(path, "rb");
	unlink(path);
	struct stat st;
	char *buf = NULL;
	if (fp && !fstat(fileno(fp), &st) && (buf = malloc((size_t)st.st_size + 1)) &&
	    fread(buf, 1, (size_t)st.st_size, fp) == (size_t)st.st_size) {
		out->status = 200;
		out->type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		out->body = buf;
		out->len = (size_t)st.st_size;
		snprintf(out->disposition, sizeof out->disposition, "attachment; filename=\"plan.xlsx\"");
		buf = NULL;
	} else
		srv_reply_error(out, 500, "internal", NULL, "Excel ファイルを読めません");
	free(buf);
	if (fp)
		fclose(fp);
done:
	free(res);
	hj_facts_free(f);
}

static void h_expenses(srv_request *rq, srv_reply *out)
{
	hj_selection sel;
	int dg;
	if (selection(rq, out, &sel, &dg))
		return;
	const hj_frame *only = NULL;
	const char *fid = srv_query(rq, "frame");
	if (fid && !(only = find_frame(rq, out, fid, "frame")))
		return;
	hj_facts *f = load_facts(rq, out, &sel, dg);
	if (!f)
		return;
	const hj_rulebook *rb = rq->rules->rb;
	hj_expense_result *x = NULL;
	if (!hj_facts_nlines(f)) {
		srv_reply_error(out, 422, "missing_field", "expense_lines", "expense_lines（経費の行）がありません（docs/cli.md）");
		goto done;
	}
	x = calloc((size_t)hj_rulebook_nframes(rb) + 1, sizeof *x);
	if (!x) {
		srv_reply_error(out, 503, "overloaded", NULL, "メモリが足りません");
		goto done;
	}
	int n = 0;
	hj_error err;
	for (int i = 0; i < hj_rulebook_nframes(rb); i++) {
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		if (only ? fr != only : !hj_frame_selected(fr, &sel))
			continue;
		if (hj_expense_check(rb, f, fr, &x[n], &err)) {
			srv_reply_hj_error(out, &err);
			goto done;
		}
		n++;
	}
	srv_reply_json(out, 200, hj_expenses_json(rb, f, x, n, 0));
done:
	free(x);
	hj_facts_free(f);
}

static void h_group(srv_request *rq, srv_reply *out)
{
	hj_selection sel;
	int dg;
	if (selection(rq, out, &sel, &dg))
		return;
	const hj_rulebook *rb = rq->rules->rb;
	const hj_frame *only = NULL;
	const char *fid = srv_query(rq, "frame");
	if (fid) {
		if (!(only = find_frame(rq, out, fid, "frame")))
			return;
		if (!hj_frame_is_group(only)) {
			srv_reply_error(out, 422, "not_group_frame", "frame",
					"'%s' は連携体・共同申請の枠ではありません（GET /api/v1/rules で確認）", fid);
			return;
		}
	}
	if (!body_json_ok(rq, out))
		return;
	hj_group_input *gi = NULL;
	hj_error err;
	char *doc = NULL;
	if (hj_group_input_load_text(rb, rq->body, rq->len, "request", &gi, &err)) {
		srv_reply_hj_error(out, &err);
		goto done;
	}
	if (!dg && hj_group_input_date(gi, &sel.date))
		sel.has_date = 1;
	if (hj_group_document(rb, gi, &sel, only, 0, &doc, &err))
		srv_reply_hj_error(out, &err);
	else
		srv_reply_json(out, 200, doc);
done:
	hj_group_input_free(gi);
}

typedef struct record_errors {
	long n;
	hj_error first;
} record_errors;

static void on_record_error(void *ud, const hj_error *err)
{
	record_errors *e = ud;
	if (!e->n++)
		e->first = *err;
}

/* A CSV upload, kept in a temporary file while hj_summarize reads it
 * (the body was capped as it arrived). */
static void h_batch_summary(srv_request *rq, srv_reply *out)
{
	hj_selection sel;
	int dg;
	if (selection(rq, out, &sel, &dg))
		return;
	if (!rq->len) {
		srv_reply_error(out, 400, "empty_body", NULL, "本文がありません（CSV を送ってください）");
		return;
	}
	const hj_rulebook *rb = rq->rules->rb;
	char path[] = "/tmp/hojo-serve-XXXXXX.csv";
	int fd = mkstemps(path, 4);
	if (fd < 0) {
		srv_reply_error(out, 500, "internal", NULL, "一時ファイルを作れません");
		return;
	}
	size_t done = 0;
	while (done < rq->len) {
		ssize_t w = write(fd, rq->body + done, rq->len - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	hj_summary s;
	hj_error err;
	record_errors re = { 0 };
	if (done < rq->len || hj_summary_init(rb, &s)) {
		unlink(path);
		srv_reply_error(out, 503, "overloaded", NULL, "一時ファイルに書けないかメモリが足りません");
		return;
	}
	hj_status st = hj_summarize(rb, path, HJ_FMT_CSV, &sel, 1, &s, on_record_error, &re, &err);
	unlink(path);
	if (st)
		srv_reply_hj_error(out, &err);
	else
		srv_reply_json(out, 200, hj_summary_document(rb, &s, 0));
	hj_summary_free(&s);
}

/* ---- operations ---- */

static void h_healthz(srv_request *rq, srv_reply *out)
{
	char buf[200];
	snprintf(buf, sizeof buf, "{\"status\":\"ok\",\"rulebook_hash\":\"%s\"}", hj_rulebook_hash(rq->rules->rb));
	srv_reply_json(out, 200, hj_strdup(buf));
}

char *srv_metrics_text(size_t *len);
static void h_metrics(srv_request *rq, srv_reply *out)
{
	(void)rq;
	size_t n;
	char *s = srv_metrics_text(&n);
	if (!s) {
		srv_reply_error(out, 503, "overloaded", NULL, "メモリが足りません");
		return;
	}
	out->status = 200;
	out->type = "text/plain; version=0.0.4; charset=utf-8";
	out->body = s;
	out->len = n;
}

/* A whole file into out (200), or 0 when it cannot be read. */
static int send_file(const char *path, const char *type, srv_reply *out)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	struct stat st;
	char *buf = NULL;
	int ok = !fstat(fileno(fp), &st) && S_ISREG(st.st_mode) && (buf = malloc((size_t)st.st_size + 1)) &&
		 fread(buf, 1, (size_t)st.st_size, fp) == (size_t)st.st_size;
	fclose(fp);
	if (!ok) {
		free(buf);
		return 0;
	}
	out->status = 200;
	out->type = type;
	out->body = buf;
	out->len = (size_t)st.st_size;
	return 1;
}

static void h_spec(srv_request *rq, srv_reply *out)
{
	if (!send_file(rq->cfg->spec_path, "application/json; charset=utf-8", out))
		srv_reply_error(out, 500, "internal", NULL, "OpenAPI の文書を読めません: %s", rq->cfg->spec_path);
}

static const struct {
	const char *ext, *type;
} types[] = { { ".html", "text/html; charset=utf-8" },
	      { ".css", "text/css; charset=utf-8" },
	      { ".js", "text/javascript; charset=utf-8" },
	      { ".mjs", "text/javascript; charset=utf-8" },
	      { ".json", "application/json; charset=utf-8" },
	      { ".yaml", "application/yaml; charset=utf-8" },
	      { ".txt", "text/plain; charset=utf-8" },
	      { ".svg", "image/svg+xml; charset=utf-8" },
	      { ".png", "image/png" },
	      { ".ico", "image/vnd.microsoft.icon" },
	      { ".woff2", "font/woff2" },
	      { NULL, NULL } };

/* Everything outside /api/: a file of the web directory. Paths with
 * "..", hidden files or other bytes than [A-Za-z0-9._/-] are not served. */
static void h_static(srv_request *rq, srv_reply *out)
{
	const char *p = rq->path;
	if (!strcmp(p, "/"))
		p = "/index.html";
	int ok = p[0] == '/' && !strstr(p, "..") && !strstr(p, "/.");
	for (const char *c = p; ok && *c; c++)
		ok = isalnum((unsigned char)*c) || strchr("._/-", *c);
	const char *type = NULL;
	const char *dot = strrchr(p, '.');
	for (int i = 0; ok && dot && types[i].ext; i++)
		if (!strcmp(dot, types[i].ext))
			type = types[i].type;
	char path[PATH_MAX + 600];
	snprintf(path, sizeof path, "%s%s", rq->cfg->web_dir, p);
	if (!ok || !type || !send_file(path, type, out))
		srv_reply_text(out, 404, "text/plain; charset=utf-8", "見つかりません\n");
}

#define JSON "application/json"
#define SEL "date,program,edition"
#define STAFF (HJ_ROLE_STAFF | HJ_ROLE_ADMIN)
#define PARTY (HJ_ROLE_SUPPORTER | HJ_ROLE_VENDOR)

/* The route table: one line per route (docs/api.md, server/openapi.json). */
const srv_route srv_routes[] = {
	{ "GET", "/api/v1/rules", h_rules, 0, NULL, "program" },
	{ "GET", "/api/v1/rules/{frame}", h_rules_frame, 0, NULL, "" },
	{ "GET", "/api/v1/facts", h_facts, 0, NULL, "" },
	{ "GET", "/api/v1/source", h_source, 0, NULL, "cite" },
	{ "POST", "/api/v1/check", h_check, 64 * KB, JSON, SEL },
	{ "POST", "/api/v1/explain/{frame}", h_explain, 64 * KB, JSON, "date" },
	{ "POST", "/api/v1/plan", h_plan, 64 * KB, JSON, SEL ",frame" },
	{ "POST", "/api/v1/plan.xlsx", h_plan_xlsx, 64 * KB, JSON, SEL ",frame" },
	{ "POST", "/api/v1/expenses", h_expenses, 256 * KB, JSON, SEL ",frame" },
	{ "POST", "/api/v1/group", h_group, 256 * KB, JSON, SEL ",frame" },
	{ "POST", "/api/v1/batch/summary", h_batch_summary, 8 * KB * KB, "text/csv", SEL },
	/* accounts and sessions (routes_auth.c); the last two columns are
	 * the roles one of which is needed and whether a session is (auth.c) */
	{ "POST", "/api/v1/auth/signup", h_auth_signup, 4 * KB, JSON, "", 0, 0 },
	{ "POST", "/api/v1/auth/signin", h_auth_signin, 4 * KB, JSON, "", 0, 0 },
	{ "POST", "/api/v1/auth/signout", h_auth_signout, 0, NULL, "", 0, 1 },
	{ "GET", "/api/v1/auth/session", h_auth_session, 0, NULL, "", 0, 1 },
	{ "POST", "/api/v1/auth/reset", h_auth_reset, 4 * KB, JSON, "", 0, 0 },
	{ "POST", "/api/v1/auth/reset/confirm", h_auth_reset_confirm, 4 * KB, JSON, "", 0, 0 },
	{ "GET", "/api/v1/admin/accounts", h_admin_accounts, 0, NULL, "page,per_page", HJ_ROLE_ADMIN, 1 },
	{ "PATCH", "/api/v1/admin/accounts/{id}", h_admin_account_roles, 4 * KB, JSON, "", HJ_ROLE_ADMIN, 1 },
	/* calls and applications (routes_intake.c); STAFF: staff or admin */
	{ "GET", "/api/v1/calls", h_calls_list, 0, NULL, "", 0, 0 },
	{ "POST", "/api/v1/calls", h_call_create, 16 * KB, JSON, "", STAFF, 1 },
	{ "GET", "/api/v1/calls/{id}", h_call_get, 0, NULL, "", 0, 0 },
	{ "PATCH", "/api/v1/calls/{id}", h_call_update, 16 * KB, JSON, "", STAFF, 1 },
	{ "GET", "/api/v1/calls/{id}/submissions", h_call_submissions, 0, NULL, "state,frame,q,page,per_page", STAFF, 1 },
	{ "POST", "/api/v1/companies", h_companies_create, 4 * KB, JSON, "", 0, 1 },
	{ "GET", "/api/v1/companies", h_companies_list, 0, NULL, "", 0, 1 },
	{ "POST", "/api/v1/applications", h_apps_create, 320 * KB, JSON, "", 0, 1 },
	{ "GET", "/api/v1/applications", h_apps_list, 0, NULL, "page,per_page,state", 0, 1 },
	{ "GET", "/api/v1/applications/{id}", h_app_get, 0, NULL, "", 0, 1 },
	{ "PUT", "/api/v1/applications/{id}", h_app_save, 320 * KB, JSON, "", 0, 1 },
	{ "POST", "/api/v1/applications/{id}/submit", h_app_submit, 64 * KB, JSON, "dry_run", 0, 1 },
	{ "POST", "/api/v1/applications/{id}/withdraw", h_app_withdraw, 0, NULL, "", 0, 1 },
	{ "POST", "/api/v1/applications/{id}/sendback", h_app_sendback, 16 * KB, JSON, "", STAFF, 1 },
	{ "GET", "/api/v1/applications/{id}/versions", h_app_versions, 0, NULL, "", 0, 1 },
	{ "GET", "/api/v1/applications/{id}/versions/{n}", h_app_version, 0, NULL, "", 0, 1 },
	{ "GET", "/api/v1/applications/{id}/diff", h_app_diff, 0, NULL, "from,to", 0, 1 },
	{ "POST", "/api/v1/applications/{id}/attachments", h_attachment_upload, HJ_ATTACHMENT_MAX + 64 * KB,
	  "multipart/form-data", "", 0, 1 },
	{ "GET", "/api/v1/applications/{id}/attachments", h_attachments_list, 0, NULL, "", 0, 1 },
	{ "POST", "/api/v1/applications/{id}/collaborators", h_collab_invite, 4 * KB, JSON, "", 0, 1 },
	{ "GET", "/api/v1/applications/{id}/collaborators", h_collab_list, 0, NULL, "", 0, 1 },
	{ "PATCH", "/api/v1/applications/{id}/collaborators/{member}", h_collab_delegate, 4 * KB, JSON, "", 0, 1 },
	{ "DELETE", "/api/v1/applications/{id}/collaborators/{member}", h_collab_revoke, 0, NULL, "", 0, 1 },
	{ "GET", "/api/v1/attachments/{id}", h_attachment_get, 0, NULL, "", 0, 1 },
	{ "DELETE", "/api/v1/attachments/{id}", h_attachment_delete, 0, NULL, "", 0, 1 },
	{ "GET", "/api/v1/receipts/{number}", h_receipt_get, 0, NULL, "", 0, 1 },
	{ "POST", "/api/v1/receipts/{number}/verify", h_receipt_verify, 0, NULL, "", 0, 1 },
	{ "GET", "/api/v1/audit", h_audit, 0, NULL, "application,action,page,per_page", STAFF, 1 },
	/* parties and the IT tool registry (routes_parties.c); PARTY: supporter or vendor */
	{ "POST", "/api/v1/parties/organisations", h_party_org_create, 4 * KB, JSON, "", PARTY, 1 },
	{ "GET", "/api/v1/parties/organisations", h_party_org_list, 0, NULL, "kind", 0, 1 },
	{ "GET", "/api/v1/parties/organisation", h_party_org_mine, 0, NULL, "", PARTY, 1 },
	{ "POST", "/api/v1/parties/organisation/members", h_party_org_member, 4 * KB, JSON, "", PARTY, 1 },
	{ "GET", "/api/v1/parties/invitations", h_party_inbox, 0, NULL, "", PARTY, 1 },
	{ "GET", "/api/v1/parties/invitations/{id}", h_party_invitation, 0, NULL, "", PARTY, 1 },
	{ "POST", "/api/v1/parties/invitations/{id}/confirm", h_party_confirm, 8 * KB, JSON, "", PARTY, 1 },
	{ "POST", "/api/v1/parties/invitations/{id}/revoke", h_party_revoke, 0, NULL, "", PARTY, 1 },
	{ "POST", "/api/v1/applications/{id}/parties", h_app_parties_invite, 4 * KB, JSON, "", 0, 1 },
	{ "GET", "/api/v1/applications/{id}/parties", h_app_parties_list, 0, NULL, "", 0, 1 },
	{ "DELETE", "/api/v1/applications/{id}/parties/{invitation}", h_app_parties_revoke, 0, NULL, "", 0, 1 },
	{ "PUT", "/api/v1/applications/{id}/tools", h_app_tools_set, 4 * KB, JSON, "", 0, 1 },
	{ "GET", "/api/v1/tools", h_tools_approved, 0, NULL, "", 0, 0 },
	{ "GET", "/api/v1/tools/{id}", h_tool_get, 0, NULL, "", 0, 0 },
	{ "POST", "/api/v1/tools", h_tool_create, 8 * KB, JSON, "", HJ_ROLE_VENDOR, 1 },
	{ "PUT", "/api/v1/tools/{id}", h_tool_update, 8 * KB, JSON, "", HJ_ROLE_VENDOR, 1 },
	{ "DELETE", "/api/v1/tools/{id}", h_tool_delete, 0, NULL, "", HJ_ROLE_VENDOR, 1 },
	{ "POST", "/api/v1/tools/{id}/submit", h_tool_submit, 0, NULL, "", HJ_ROLE_VENDOR, 1 },
	{ "POST", "/api/v1/tools/{id}/approve", h_tool_approve, 0, NULL, "", STAFF, 1 },
	{ "POST", "/api/v1/tools/{id}/refuse", h_tool_refuse, 8 * KB, JSON, "", STAFF, 1 },
	{ "GET", "/api/v1/vendor/tools", h_vendor_tools, 0, NULL, "state", HJ_ROLE_VENDOR, 1 },
	{ "GET", "/api/v1/review/tools", h_review_tools, 0, NULL, "state", STAFF, 1 },
	/* after adoption (routes_awards.c; include/hojo/grants/awards.h): the
	 * library lets a grantee see only its own award, staff all */
	{ "GET", "/api/v1/awards", h_awards_list, 0, NULL, "call,page,per_page", 0, 1 },
	{ "GET", "/api/v1/awards/{id}", h_award_get, 0, NULL, "", 0, 1 },
	{ "POST", "/api/v1/applications/{id}/award", h_award_apply, 16 * KB, JSON, "", 0, 1 },
	{ "POST", "/api/v1/awards/{id}/decision", h_award_decide, 16 * KB, JSON, "", STAFF, 1 },
	{ "POST", "/api/v1/awards/{id}/changes", h_award_change, 16 * KB, JSON, "", 0, 1 },
	{ "POST", "/api/v1/changes/{id}/decision", h_change_decide, 8 * KB, JSON, "", STAFF, 1 },
	{ "GET", "/api/v1/awards/{id}/claim", h_claim_get, 0, NULL, "", 0, 1 },
	{ "PUT", "/api/v1/awards/{id}/claim", h_claim_save, 256 * KB, JSON, "", 0, 1 },
	{ "POST", "/api/v1/awards/{id}/claim/submit", h_claim_submit, 0, NULL, "", 0, 1 },
	{ "POST", "/api/v1/awards/{id}/claim/attachments", h_claim_attachment, HJ_ATTACHMENT_MAX + 64 * KB,
	  "multipart/form-data", "", 0, 1 },
	{ "GET", "/api/v1/awards/{id}/claim/attachments/{att}", h_claim_attachment_get, 0, NULL, "", 0, 1 },
	{ "POST", "/api/v1/awards/{id}/inspection", h_inspection, 128 * KB, JSON, "", STAFF, 1 },
	{ "POST", "/api/v1/awards/{id}/settlement", h_settlement, 0, NULL, "dry_run", STAFF, 1 },
	{ "POST", "/api/v1/awards/{id}/payment", h_payment, 4 * KB, JSON, "", STAFF, 1 },
	{ "GET", "/api/v1/awards/{id}/reports", h_reports_get, 0, NULL, "", 0, 1 },
	{ "PUT", "/api/v1/awards/{id}/reports/{year}", h_report_save, 64 * KB, JSON, "", 0, 1 },
	{ "GET", "/api/v1/reports/overdue", h_reports_overdue, 0, NULL, "", STAFF, 1 },
	{ "POST", "/api/v1/reports/overdue/remind", h_reports_remind, 0, NULL, "", STAFF, 1 },
	{ "GET", "/api/v1/outcomes", h_outcomes, 0, NULL, "program,call,format", STAFF, 1 },
	{ "POST", "/api/v1/applications/{id}/adoption", h_award_adopt, 4 * KB, JSON, "", HJ_ROLE_ADMIN, 1 },
	/* the secretariat's review and selection (routes_review.c; docs/review.md);
	 * REVIEWER: 審査員; STAFF_OR_REVIEWER: either */
	{ "GET", "/api/v1/calls/{id}/review", h_review_settings_get, 0, NULL, "", STAFF | HJ_ROLE_REVIEWER, 1 },
	{ "PUT", "/api/v1/calls/{id}/review", h_review_settings_put, 16 * KB, JSON, "", STAFF, 1 },
	{ "GET", "/api/v1/calls/{id}/bonuses", h_bonus_list, 0, NULL, "page,per_page", STAFF, 1 },
	{ "POST", "/api/v1/applications/{id}/bonuses/{bonus}", h_bonus_decide, 8 * KB, JSON, "", STAFF, 1 },
	{ "GET", "/api/v1/calls/{id}/conflicts", h_conflict_list, 0, NULL, "page,per_page", STAFF, 1 },
	{ "POST", "/api/v1/reviewer/conflicts", h_conflict_declare, 8 * KB, JSON, "", HJ_ROLE_REVIEWER, 1 },
	{ "POST", "/api/v1/conflicts/{id}/dismiss", h_conflict_dismiss, 8 * KB, JSON, "", STAFF, 1 },
	{ "POST", "/api/v1/calls/{id}/assignments", h_assign, 256 * KB, JSON, "dry_run", STAFF, 1 },
	{ "GET", "/api/v1/calls/{id}/assignments", h_assignment_list, 0, NULL, "page,per_page", STAFF, 1 },
	{ "DELETE", "/api/v1/assignments/{id}", h_assignment_delete, 0, NULL, "", STAFF, 1 },
	{ "GET", "/api/v1/reviewer/queue", h_reviewer_queue, 0, NULL, "page,per_page", HJ_ROLE_REVIEWER, 1 },
	{ "GET", "/api/v1/reviewer/applications/{id}", h_reviewer_app, 0, NULL, "", HJ_ROLE_REVIEWER, 1 },
	{ "PUT", "/api/v1/reviews/{id}", h_review_save, 64 * KB, JSON, "", HJ_ROLE_REVIEWER, 1 },
	{ "GET", "/api/v1/reviews/{id}/versions", h_review_versions, 0, NULL, "", STAFF | HJ_ROLE_REVIEWER, 1 },
	{ "GET", "/api/v1/calls/{id}/scores", h_call_scores, 0, NULL, "page,per_page,disagree", STAFF, 1 },
	{ "GET", "/api/v1/calls/{id}/ranking", h_call_ranking, 0, NULL, "", STAFF, 1 },
	{ "POST", "/api/v1/calls/{id}/selections", h_selection_create, 0, NULL, "dry_run", STAFF, 1 },
	{ "GET", "/api/v1/calls/{id}/selections", h_selection_list, 0, NULL, "", STAFF, 1 },
	{ "GET", "/api/v1/selections/{id}", h_selection_get, 0, NULL, "", STAFF, 1 },
	{ "POST", "/api/v1/selections/{id}/notices", h_notices_release, 256 * KB, JSON, "", STAFF, 1 },
	{ "GET", "/api/v1/applications/{id}/notice", h_notice_get, 0, NULL, "", 0, 1 },
	{ "GET", "/api/v1/notices", h_notice_list, 0, NULL, "", 0, 1 },
	{ "GET", "/api/v1/spec", h_spec, 0, NULL, "" },
	{ "GET", "/healthz", h_healthz, 0, NULL, "" },
	{ "GET", "/metrics", h_metrics, 0, NULL, "" },
	{ "GET", "/*", h_static, 0, NULL, NULL },
};
const int srv_nroutes = (int)(sizeof srv_routes / sizeof *srv_routes);
