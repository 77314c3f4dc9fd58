/*
 * lib/store/audit.c - the SQL of the audit log (include/hojo/grants/audit.h):
 * insert and page through audit_events. Never updates or deletes.
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "hojo/alloc.h"
#include "hojo/grants/audit.h"
#include "driver.h"

hj_status hj_audit_add(hj_tx *tx, const hj_actor *who, const hj_audit_event *ev, hj_error *err)
{
	st_val p[13] = {
		st_int(hj_now_us()),
		who && who->account ? st_int(who->account) : st_null(),
		st_text(who && who->email[0] ? who->email : NULL),
		ev->company ? st_int(ev->company) : st_null(),
		st_text(who && who->ip[0] ? who->ip : NULL),
		st_text(who && who->via[0] ? who->via : NULL),
		st_text(ev->action),
		st_text(ev->object_type),
		ev->object_id ? st_int(ev->object_id) : st_null(),
		st_text(ev->before_sha256),
		st_text(ev->after_sha256),
		st_text(ev->outcome ? ev->outcome : "ok"),
		st_text(ev->detail),
	};
	return st_exec(tx,
		       "INSERT INTO audit_events (at, actor, actor_email, company, ip, via, action, object_type, "
		       "object_id, before_sha256, after_sha256, outcome, detail) "
		       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       p, 13, NULL, err);
}

typedef struct refused_ctx {
	const hj_actor *who;
	const hj_audit_event *ev;
} refused_ctx;

static hj_status refused_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	refused_ctx *c = ctx;
	return hj_audit_add(tx, c->who, c->ev, err);
}

hj_status hj_audit_refused(hj_store *st, const hj_actor *who, const hj_audit_event *ev, hj_error *err)
{
	refused_ctx c = { who, ev };
	return hj_store_run(st, 1, refused_tx, &c, err);
}

typedef struct list_ctx {
	const char *type, *action;
	int64_t id;
	int page, per_page;
	char **json;
} list_ctx;

static json_t *cell(const st_rows *r, int row, int col, int integer)
{
	if (st_rows_isnull(r, row, col))
		return json_null();
	if (integer)
		return json_integer(st_rows_int(r, row, col));
	return json_string(st_rows_text(r, row, col));
}

static hj_status list_tx(hj_tx *tx, void *ctx, hj_error *err)
{
	list_ctx *c = ctx;
	/* filters as "(? IS NULL OR col = ?)" keep one statement for every case */
	st_val p[8] = {
		st_text(c->type), st_text(c->type),
		c->id ? st_int(c->id) : st_null(), c->id ? st_int(c->id) : st_null(),
		st_text(c->action), st_text(c->action),
		st_int(c->per_page), st_int((int64_t)(c->page - 1) * c->per_page),
	};
	const char *where = " WHERE (CAST(? AS TEXT) IS NULL OR object_type = ?)"
			    " AND (CAST(? AS BIGINT) IS NULL OR object_id = ?)"
			    " AND (CAST(? AS TEXT) IS NULL OR action = ?)";
	char sql[1024];
	st_rows *n = NULL, *r = NULL;
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_events%s", where);
	hj_status s = st_query(tx, sql, p, 6, &n, err);
	if (s)
		return s;
	int64_t total = st_rows_count(n) ? st_rows_int(n, 0, 0) : 0;
	st_rows_free(n);
	snprintf(sql, sizeof sql,
		 "SELECT id, at, actor, actor_email, company, ip, via, action, object_type, object_id, "
		 "before_sha256, after_sha256, outcome, detail FROM audit_events%s ORDER BY id DESC LIMIT ? OFFSET ?",
		 where);
	if ((s = st_query(tx, sql, p, 8, &r, err)))
		return s;
	json_t *events = json_array();
	static const char *const names[] = { "id", "at_us", "actor", "actor_email", "company", "ip", "via",
					     "action", "object_type", "object_id", "before_sha256",
					     "after_sha256", "outcome", "detail" };
	static const int integer[] = { 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0 };
	for (int i = 0; i < st_rows_count(r); i++) {
		json_t *e = json_object();
		for (int k = 0; k < 14; k++) {
			json_t *v = cell(r, i, k, integer[k]);
			if (k == 13 && json_is_string(v)) {
				/* detail is JSON text: embed it as a value when it parses */
				json_t *d = json_loads(json_string_value(v), 0, NULL);
				if (d) {
					json_decref(v);
					v = d;
				}
			}
			json_object_set_new(e, names[k], v);
		}
		json_array_append_new(events, e);
	}
	st_rows_free(r);
	json_t *root = json_pack("{s:o,s:i,s:i,s:I}", "events", events, "page", c->page, "per_page", c->per_page,
				 "total", (json_int_t)total);
	char *out = root ? json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
	json_decref(root);
	if (!out)
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
	hj_free(*c->json);
	*c->json = hj_strdup(out);
	free(out);
	return *c->json ? HJ_OK : hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
}

hj_status hj_audit_list(hj_store *st, const char *object_type, int64_t object_id, const char *action,
			int page, int per_page, char **json, hj_error *err)
{
	*json = NULL;
	if (page < 1)
		page = 1;
	if (per_page < 1 || per_page > 200)
		per_page = 50;
	list_ctx c = { object_type, action, object_id, page, per_page, json };
	return hj_store_run(st, 0, list_tx, &c, err);
}
