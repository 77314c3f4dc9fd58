/*
 * lib/store/applications.c - the SQL of intake (lib/store/applications.h):
 * companies and their members, calls and their frames, applications,
 * their versions, attachments, receipts, idempotency keys and send-backs.
 * Every function runs inside the caller's transaction; the rules of who
 * may do what live in lib/grants/applications.c, not here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hojo/alloc.h"
#include "applications.h"
#include "driver.h"

#define NOMEM(err) hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません")

static st_val opt_int(int64_t v)
{
	return v ? st_int(v) : st_null();
}

/* One row as an object: 'spec' lists "key:type" separated by ',' in
 * column order; type i (integer or null), t (text or null), j (JSON
 * text embedded as a value), b (0/1 as a boolean). */
static json_t *row_json(const st_rows *r, int row, const char *spec)
{
	json_t *o = json_object();
	int col = 0;
	for (const char *p = spec; o && *p; col++) {
		size_t n = strcspn(p, ",");
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)n, p);
		char *colon = strchr(key, ':');
		char type = colon ? colon[1] : 't';
		if (colon)
			*colon = '\0';
		json_t *v;
		if (st_rows_isnull(r, row, col))
			v = type == 'b' ? json_false() : json_null();
		else if (type == 'i')
			v = json_integer(st_rows_int(r, row, col));
		else if (type == 'b')
			v = json_boolean(st_rows_int(r, row, col) != 0);
		else if (type == 'j') {
			v = json_loads(st_rows_text(r, row, col), JSON_DECODE_ANY, NULL);
			if (!v)
				v = json_null();
		} else
			v = json_string(st_rows_text(r, row, col));
		json_object_set_new(o, key, v ? v : json_null());
		p += n;
		if (*p)
			p++;
	}
	return o;
}

static json_t *rows_json(const st_rows *r, const char *spec)
{
	json_t *a = json_array();
	for (int i = 0; a && i < st_rows_count(r); i++)
		json_array_append_new(a, row_json(r, i, spec));
	return a;
}

/* Run a query and give its rows as an array of objects. */
static hj_status query_json(hj_tx *tx, const char *sql, const st_val *p, int n, const char *spec, json_t **out,
			    hj_error *err)
{
	st_rows *r = NULL;
	*out = NULL;
	hj_status s = st_query(tx, sql, p, n, &r, err);
	if (s)
		return s;
	*out = rows_json(r, spec);
	st_rows_free(r);
	return *out ? HJ_OK : NOMEM(err);
}

/* The same for at most one row: *out NULL when none. */
static hj_status query1_json(hj_tx *tx, const char *sql, const st_val *p, int n, const char *spec, json_t **out,
			     hj_error *err)
{
	st_rows *r = NULL;
	*out = NULL;
	hj_status s = st_query1(tx, sql, p, n, &r, err);
	if (s)
		return s;
	if (r && st_rows_count(r)) {
		*out = row_json(r, 0, spec);
		if (!*out)
			s = NOMEM(err);
	}
	st_rows_free(r);
	return s;
}

/* An INSERT ... RETURNING id. */
static hj_status insert_id(hj_tx *tx, const char *sql, const st_val *p, int n, int64_t *id, hj_error *err)
{
	st_rows *r = NULL;
	hj_status s = st_query1(tx, sql, p, n, &r, err);
	if (s)
		return s;
	*id = r && st_rows_count(r) ? st_rows_int(r, 0, 0) : 0;
	st_rows_free(r);
	return *id ? HJ_OK : hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "新しい行の番号がありません");
}

void sti_app_clear(sti_app *a)
{
	if (!a)
		return;
	hj_free(a->data);
	json_decref(a->frames);
	memset(a, 0, sizeof *a);
}

hj_status sti_account_by_email(hj_tx *tx, const char *email, int64_t *id, hj_error *err)
{
	st_val p[] = { st_text(email) };
	st_rows *r = NULL;
	*id = 0;
	hj_status s = st_query1(tx, "SELECT id FROM accounts WHERE lower(email) = lower(?)", p, 1, &r, err);
	if (!s && r && st_rows_count(r))
		*id = st_rows_int(r, 0, 0);
	st_rows_free(r);
	return s;
}

/* ---- companies and members ---- */

hj_status sti_company_insert(hj_tx *tx, const char *name, const char *corporate_number, int64_t by, int64_t now,
			     int64_t *id, hj_error *err)
{
	st_val p[] = { st_text(name), st_text(corporate_number), st_int(by), st_int(now) };
	return insert_id(tx,
			 "INSERT INTO companies (name, corporate_number, created_by, created_at) VALUES (?, ?, ?, ?) "
			 "RETURNING id",
			 p, 4, id, err);
}

hj_status sti_member_insert(hj_tx *tx, int64_t company, int64_t account, int64_t application, const char *role,
			    int can_submit, int64_t until, int64_t invited_by, int64_t now, int64_t *id, hj_error *err)
{
	st_val p[] = { st_int(company), st_int(account), opt_int(application), st_text(role), st_int(can_submit != 0),
		       opt_int(until),	 opt_int(invited_by), st_int(now) };
	int64_t dummy;
	return insert_id(tx,
			 "INSERT INTO company_members (company, account, application, role, can_submit, until_at, "
			 "invited_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			 p, 8, id ? id : &dummy, err);
}

/* "current": not revoked and not past its end */
#define CURRENT_MEMBER "m.revoked_at IS NULL AND (m.until_at IS NULL OR m.until_at > ?)"

hj_status sti_company_list(hj_tx *tx, int64_t account, int64_t now, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(account), st_int(now) };
	return query_json(tx,
			  "SELECT c.id, c.name, c.corporate_number, "
			  "MAX(CASE WHEN m.role = 'owner' THEN 1 ELSE 0 END) FROM companies c "
			  "JOIN company_members m ON m.company = c.id WHERE m.account = ? AND " CURRENT_MEMBER
			  " AND m.application IS NULL GROUP BY c.id, c.name, c.corporate_number ORDER BY c.id",
			  p, 2, "id:i,name:t,corporate_number:t,owner:b", out, err);
}

hj_status sti_company_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(id) };
	return query1_json(tx, "SELECT id, name, corporate_number FROM companies WHERE id = ?", p, 1,
			   "id:i,name:t,corporate_number:t", out, err);
}

hj_status sti_membership(hj_tx *tx, int64_t company, int64_t app, int64_t account, int64_t now, sti_member *out,
			 hj_error *err)
{
	memset(out, 0, sizeof *out);
	st_val p[] = { st_int(company), st_int(account), st_int(now), st_int(app) };
	st_rows *r = NULL;
	hj_status s = st_query(tx,
			       "SELECT m.role, m.can_submit FROM company_members m WHERE m.company = ? AND m.account = ? "
			       "AND " CURRENT_MEMBER " AND (m.application IS NULL OR m.application = ?)",
			       p, 4, &r, err);
	if (s)
		return s;
	for (int i = 0; i < st_rows_count(r); i++) {
		const char *role = st_rows_text(r, i, 0);
		if (!strcmp(role, "owner")) {
			snprintf(out->role, sizeof out->role, "owner");
			out->can_submit = 1;
		} else if (strcmp(out->role, "owner")) {
			snprintf(out->role, sizeof out->role, "contributor");
			out->can_submit |= st_rows_int(r, i, 1) != 0;
		}
	}
	st_rows_free(r);
	return HJ_OK;
}

hj_status sti_collaborators(hj_tx *tx, int64_t company, int64_t app, int64_t now, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(company), st_int(app), st_int(now) };
	return query_json(tx,
			  "SELECT m.id, m.account, a.email, a.name, m.role, m.can_submit, m.until_at, m.application "
			  "FROM company_members m JOIN accounts a ON a.id = m.account "
			  "WHERE m.company = ? AND (m.application IS NULL OR m.application = ?) AND " CURRENT_MEMBER
			  " ORDER BY m.id",
			  p, 3, "id:i,account:i,email:t,name:t,role:t,can_submit:b,until_us:i,application:i", out, err);
}

hj_status sti_member_delegate(hj_tx *tx, int64_t id, int64_t app, int can_submit, int64_t until, int *changed,
			      hj_error *err)
{
	st_val p[] = { st_int(can_submit != 0), opt_int(until), st_int(id), st_int(app) };
	int64_t n = 0;
	hj_status s = st_exec(tx,
			      "UPDATE company_members SET can_submit = ?, until_at = ? WHERE id = ? AND application = ? "
			      "AND role = 'contributor' AND revoked_at IS NULL",
			      p, 4, &n, err);
	*changed = n > 0;
	return s;
}

hj_status sti_member_revoke(hj_tx *tx, int64_t id, int64_t app, int64_t now, int *changed, hj_error *err)
{
	st_val p[] = { st_int(now), st_int(id), st_int(app) };
	int64_t n = 0;
	hj_status s = st_exec(tx,
			      "UPDATE company_members SET revoked_at = ? WHERE id = ? AND application = ? "
			      "AND role = 'contributor' AND revoked_at IS NULL",
			      p, 3, &n, err);
	*changed = n > 0;
	return s;
}

/* ---- calls ---- */

hj_status sti_call_insert(hj_tx *tx, const char *program, const char *edition, const char *title, int64_t opens,
			  int64_t closes, int64_t grace, int64_t by, int64_t now, int64_t *id, hj_error *err)
{
	st_val p[] = { st_text(program), st_text(edition), st_text(title), st_int(opens), st_int(closes),
		       st_int(grace),	 opt_int(by),	    st_int(now),   st_int(now) };
	return insert_id(tx,
			 "INSERT INTO calls (program, edition, title, opens_at, closes_at, grace_seconds, created_by, "
			 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			 p, 9, id, err);
}

hj_status sti_call_update(hj_tx *tx, int64_t id, const char *title, int64_t opens, int64_t closes, int64_t grace,
			  int64_t now, hj_error *err)
{
	st_val p[] = { st_text(title), st_int(opens), st_int(closes), st_int(grace), st_int(now), st_int(id) };
	return st_exec(tx,
		       "UPDATE calls SET title = ?, opens_at = ?, closes_at = ?, grace_seconds = ?, updated_at = ? "
		       "WHERE id = ?",
		       p, 6, NULL, err);
}

hj_status sti_call_frame_put(hj_tx *tx, int64_t call, const char *frame, int64_t budget, int64_t slots,
			     hj_error *err)
{
	st_val d[] = { st_int(call), st_text(frame) };
	hj_status s = st_exec(tx, "DELETE FROM call_frames WHERE call = ? AND frame = ?", d, 2, NULL, err);
	if (s)
		return s;
	st_val p[] = { st_int(call), st_text(frame), budget >= 0 ? st_int(budget) : st_null(),
		       slots >= 0 ? st_int(slots) : st_null() };
	return st_exec(tx, "INSERT INTO call_frames (call, frame, budget, slots) VALUES (?, ?, ?, ?)", p, 4, NULL, err);
}

#define CALL_COLS "id, program, edition, title, opens_at, closes_at, grace_seconds"
#define CALL_SPEC "id:i,program:t,edition:t,title:t,opens_at_us:i,closes_at_us:i,grace_seconds:i"

static hj_status call_frames(hj_tx *tx, json_t *call, hj_error *err)
{
	st_val p[] = { st_int(json_integer_value(json_object_get(call, "id"))) };
	json_t *frames;
	hj_status s = query_json(tx, "SELECT frame, budget, slots FROM call_frames WHERE call = ? ORDER BY frame", p,
				 1, "frame:t,budget:i,slots:i", &frames, err);
	if (!s)
		json_object_set_new(call, "frames", frames);
	return s;
}

hj_status sti_call_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(id) };
	hj_status s = query1_json(tx, "SELECT " CALL_COLS " FROM calls WHERE id = ?", p, 1, CALL_SPEC, out, err);
	if (!s && *out && (s = call_frames(tx, *out, err))) {
		json_decref(*out);
		*out = NULL;
	}
	return s;
}

hj_status sti_call_list(hj_tx *tx, json_t **out, hj_error *err)
{
	hj_status s = query_json(tx, "SELECT " CALL_COLS " FROM calls ORDER BY opens_at DESC, id DESC LIMIT 500", NULL,
				 0, CALL_SPEC, out, err);
	size_t i;
	json_t *c;
	json_array_foreach(*out, i, c)
		if (!s)
			s = call_frames(tx, c, err);
	return s;
}

hj_status sti_call_next_receipt(hj_tx *tx, int64_t call, int64_t *seq, hj_error *err)
{
	st_val p[] = { st_int(call) };
	st_rows *r = NULL;
	hj_status s = st_query1(tx, "UPDATE calls SET receipt_seq = receipt_seq + 1 WHERE id = ? RETURNING receipt_seq",
				p, 1, &r, err);
	*seq = !s && r && st_rows_count(r) ? st_rows_int(r, 0, 0) : 0;
	st_rows_free(r);
	if (!s && !*seq)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, "call", "公募回がありません");
	return s;
}

/* ---- applications ---- */

hj_status sti_app_insert(hj_tx *tx, int64_t company, int64_t call, const char *data, const char *rulebook,
			 int64_t by, int64_t now, int64_t *id, hj_error *err)
{
	st_val p[] = { st_int(company), st_int(call), st_text(data), st_text(rulebook), st_int(by), st_int(now),
		       st_int(now) };
	return insert_id(tx,
			 "INSERT INTO applications (company, call, state, version, data, rulebook, created_by, "
			 "created_at, updated_at) VALUES (?, ?, 'draft', 1, ?, ?, ?, ?, ?) RETURNING id",
			 p, 7, id, err);
}

hj_status sti_app_frames_put(hj_tx *tx, int64_t app, json_t *frames, hj_error *err)
{
	st_val d[] = { st_int(app) };
	hj_status s = st_exec(tx, "DELETE FROM application_frames WHERE application = ?", d, 1, NULL, err);
	size_t i;
	json_t *f;
	json_array_foreach(frames, i, f)
	{
		if (s)
			break;
		st_val p[] = { st_int(app), st_text(json_string_value(f)) };
		s = st_exec(tx, "INSERT INTO application_frames (application, frame) VALUES (?, ?)", p, 2, NULL, err);
	}
	return s;
}

hj_status sti_app_get(hj_tx *tx, int64_t id, sti_app *out, int *found, hj_error *err)
{
	memset(out, 0, sizeof *out);
	*found = 0;
	st_val p[] = { st_int(id) };
	st_rows *r = NULL;
	hj_status s = st_query1(tx,
				"SELECT id, company, call, state, version, data, rulebook, created_by, created_at, "
				"updated_at, submitted_at FROM applications WHERE id = ?",
				p, 1, &r, err);
	if (s || !r || !st_rows_count(r)) {
		st_rows_free(r);
		return s;
	}
	out->id = st_rows_int(r, 0, 0);
	out->company = st_rows_int(r, 0, 1);
	out->call = st_rows_int(r, 0, 2);
	snprintf(out->state, sizeof out->state, "%s", st_rows_text(r, 0, 3));
	out->version = st_rows_int(r, 0, 4);
	out->data = hj_strdup(st_rows_text(r, 0, 5));
	snprintf(out->rulebook, sizeof out->rulebook, "%s", st_rows_isnull(r, 0, 6) ? "" : st_rows_text(r, 0, 6));
	out->created_by = st_rows_int(r, 0, 7);
	out->created_at = st_rows_int(r, 0, 8);
	out->updated_at = st_rows_int(r, 0, 9);
	out->submitted_at = st_rows_int(r, 0, 10);
	st_rows_free(r);
	if (!out->data)
		return NOMEM(err);
	st_rows *fr = NULL;
	if ((s = st_query(tx, "SELECT frame FROM application_frames WHERE application = ? ORDER BY frame", p, 1, &fr,
			  err)))
		return s;
	out->frames = json_array();
	for (int i = 0; i < st_rows_count(fr); i++)
		json_array_append_new(out->frames, json_string(st_rows_text(fr, i, 0)));
	st_rows_free(fr);
	*found = 1;
	return HJ_OK;
}

hj_status sti_app_update(hj_tx *tx, int64_t id, int64_t expected, int64_t version, const char *state,
			 const char *data, const char *rulebook, int64_t now, int64_t submitted_at, int *changed,
			 hj_error *err)
{
	st_val p[] = { st_int(version),	 st_text(state),    st_text(data), st_text(data),	  st_text(rulebook),
		       st_text(rulebook), st_int(now),	    opt_int(submitted_at), opt_int(submitted_at), st_int(id),
		       st_int(expected) };
	int64_t n = 0;
	hj_status s = st_exec(tx,
			      "UPDATE applications SET version = ?, state = ?, "
			      "data = CASE WHEN CAST(? AS TEXT) IS NULL THEN data ELSE ? END, "
			      "rulebook = CASE WHEN CAST(? AS TEXT) IS NULL THEN rulebook ELSE ? END, updated_at = ?, "
			      "submitted_at = CASE WHEN CAST(? AS BIGINT) IS NULL THEN submitted_at ELSE ? END "
			      "WHERE id = ? AND version = ?",
			      p, 11, &n, err);
	*changed = n > 0;
	return s;
}

#define APP_LIST_COLS                                                                                              \
	"a.id, a.company, c.name, a.call, a.state, a.version, a.created_at, a.updated_at, a.submitted_at, "        \
	"(SELECT MAX(r.number) FROM receipts r WHERE r.application = a.id AND r.version = "                      \
	"(SELECT MAX(r2.version) FROM receipts r2 WHERE r2.application = a.id))"
#define APP_LIST_SPEC                                                                                              \
	"id:i,company:i,company_name:t,call:i,state:t,version:i,created_at_us:i,updated_at_us:i,submitted_at_us:i," \
	"receipt:t"

static hj_status add_frames(hj_tx *tx, json_t *items, hj_error *err)
{
	size_t i;
	json_t *o;
	json_array_foreach(items, i, o)
	{
		st_val p[] = { st_int(json_integer_value(json_object_get(o, "id"))) };
		st_rows *r = NULL;
		hj_status s = st_query(tx, "SELECT frame FROM application_frames WHERE application = ? ORDER BY frame",
				       p, 1, &r, err);
		if (s)
			return s;
		json_t *a = json_array();
		for (int k = 0; k < st_rows_count(r); k++)
			json_array_append_new(a, json_string(st_rows_text(r, k, 0)));
		st_rows_free(r);
		json_object_set_new(o, "frames", a);
	}
	return HJ_OK;
}

static hj_status count(hj_tx *tx, const char *sql, const st_val *p, int n, int64_t *total, hj_error *err)
{
	st_rows *r = NULL;
	hj_status s = st_query1(tx, sql, p, n, &r, err);
	*total = !s && r && st_rows_count(r) ? st_rows_int(r, 0, 0) : 0;
	st_rows_free(r);
	return s;
}

hj_status sti_app_list(hj_tx *tx, int64_t account, int all_submitted, const char *state, int64_t now, int page,
		       int per_page, json_t **items, int64_t *total, hj_error *err)
{
	const char *where =
		" FROM applications a JOIN companies c ON c.id = a.company WHERE "
		"(EXISTS (SELECT 1 FROM company_members m WHERE m.company = a.company AND m.account = ? AND " CURRENT_MEMBER
		" AND (m.application IS NULL OR m.application = a.id)) OR (? = 1 AND a.state <> 'draft')) "
		"AND (CAST(? AS TEXT) IS NULL OR a.state = ?)";
	st_val p[] = { st_int(account), st_int(now),	 st_int(all_submitted != 0), st_text(state), st_text(state),
		       st_int(per_page), st_int((int64_t)(page - 1) * per_page) };
	char sql[2048];
	snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
	hj_status s = count(tx, sql, p, 5, total, err);
	if (s)
		return s;
	snprintf(sql, sizeof sql, "SELECT " APP_LIST_COLS "%s ORDER BY a.id DESC LIMIT ? OFFSET ?", where);
	if ((s = query_json(tx, sql, p, 7, APP_LIST_SPEC, items, err)))
		return s;
	return add_frames(tx, *items, err);
}

hj_status sti_call_submissions(hj_tx *tx, int64_t call, const char *state, const char *frame, const char *q,
			       int page, int per_page, json_t **items, int64_t *total, hj_error *err)
{
	char like[600] = "";
	if (q)
		snprintf(like, sizeof like, "%%%s%%", q);
	const char *where = " FROM applications a JOIN companies c ON c.id = a.company WHERE a.call = ? AND "
			    "a.state <> 'draft' AND (CAST(? AS TEXT) IS NULL OR a.state = ?) "
			    "AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM application_frames f "
			    "WHERE f.application = a.id AND f.frame = ?)) "
			    "AND (CAST(? AS TEXT) IS NULL OR c.name LIKE ?)";
	st_val p[] = { st_int(call),	    st_text(state),	   st_text(state),
		       st_text(frame),	    st_text(frame),	   st_text(q ? like : NULL),
		       st_text(q ? like : NULL), st_int(per_page), st_int((int64_t)(page - 1) * per_page) };
	char sql[2048];
	snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
	hj_status s = count(tx, sql, p, 7, total, err);
	if (s)
		return s;
	snprintf(sql, sizeof sql, "SELECT " APP_LIST_COLS "%s ORDER BY a.submitted_at, a.id LIMIT ? OFFSET ?", where);
	if ((s = query_json(tx, sql, p, 9, APP_LIST_SPEC, items, err)))
		return s;
	return add_frames(tx, *items, err);
}

/* ---- versions ---- */

hj_status sti_version_put(hj_tx *tx, int64_t app, int64_t n, const char *state, const char *frames,
			  const char *data, const char *sha256, int64_t by, int64_t now, int coalesce_window_us,
			  hj_error *err)
{
	if (coalesce_window_us > 0) {
		/* the last row, when it is a draft saved by the same account
		 * within the window, moves forward to this save */
		st_val q[] = { st_int(app) };
		st_rows *r = NULL;
		hj_status s = st_query1(tx,
					"SELECT id, state, saved_by, saved_at FROM application_versions WHERE "
					"application = ? ORDER BY n DESC LIMIT 1",
					q, 1, &r, err);
		if (s)
			return s;
		int64_t last = 0;
		if (r && st_rows_count(r) && !strcmp(st_rows_text(r, 0, 1), "draft") && st_rows_int(r, 0, 2) == by &&
		    now - st_rows_int(r, 0, 3) < coalesce_window_us)
			last = st_rows_int(r, 0, 0);
		st_rows_free(r);
		if (last) {
			st_val p[] = { st_int(n),    st_text(frames), st_text(data), st_text(sha256),
				       st_int(now), st_int(last) };
			return st_exec(tx,
				       "UPDATE application_versions SET n = ?, frames = ?, data = ?, sha256 = ?, "
				       "saved_at = ? WHERE id = ?",
				       p, 6, NULL, err);
		}
	}
	st_val p[] = { st_int(app),	st_int(n), st_text(state), st_text(frames), st_text(data), st_text(sha256),
		       opt_int(by), st_int(now) };
	return st_exec(tx,
		       "INSERT INTO application_versions (application, n, state, frames, data, sha256, saved_by, "
		       "saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		       p, 8, NULL, err);
}

hj_status sti_version_list(hj_tx *tx, int64_t app, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(app) };
	return query_json(tx,
			  "SELECT n, state, sha256, saved_by, saved_at FROM application_versions WHERE application = ? "
			  "ORDER BY n",
			  p, 1, "n:i,state:t,sha256:t,saved_by:i,saved_at_us:i", out, err);
}

hj_status sti_version_get(hj_tx *tx, int64_t app, int64_t n, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(app), st_int(n) };
	return query1_json(tx,
			   "SELECT n, state, frames, data, sha256, saved_by, saved_at FROM application_versions "
			   "WHERE application = ? AND n = ?",
			   p, 2, "n:i,state:t,frames:j,data:t,sha256:t,saved_by:i,saved_at_us:i", out, err);
}

/* ---- attachments ---- */

hj_status sti_attachment_insert(hj_tx *tx, int64_t app, const char *name, const char *kind, const char *ctype,
				const void *data, size_t size, const char *sha256, int64_t by, int64_t now, int64_t *id,
				hj_error *err)
{
	st_val p[] = { st_int(app),	      st_text(name),	   st_text(kind), st_text(ctype),
		       st_int((int64_t)size), st_text(sha256),	   st_blob(data ? data : "", size),
		       opt_int(by),	      st_int(now) };
	return insert_id(tx,
			 "INSERT INTO attachments (application, name, kind, content_type, size, sha256, data, "
			 "uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			 p, 9, id, err);
}

hj_status sti_attachment_list(hj_tx *tx, int64_t app, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(app) };
	return query_json(tx,
			  "SELECT id, name, kind, content_type, size, sha256, created_at FROM attachments "
			  "WHERE application = ? AND deleted_at IS NULL ORDER BY id",
			  p, 1, "id:i,name:t,kind:t,content_type:t,size:i,sha256:t,created_at_us:i", out, err);
}

hj_status sti_attachment_get(hj_tx *tx, int64_t id, json_t **out, void **data, size_t *len, hj_error *err)
{
	st_val p[] = { st_int(id) };
	st_rows *r = NULL;
	*out = NULL;
	if (data)
		*data = NULL;
	hj_status s = st_query1(tx,
				data ? "SELECT id, application, name, kind, content_type, size, sha256, deleted_at, data "
				       "FROM attachments WHERE id = ?"
				     : "SELECT id, application, name, kind, content_type, size, sha256, deleted_at "
				       "FROM attachments WHERE id = ?",
				p, 1, &r, err);
	if (s || !r || !st_rows_count(r)) {
		st_rows_free(r);
		return s;
	}
	*out = row_json(r, 0, "id:i,application:i,name:t,kind:t,content_type:t,size:i,sha256:t,deleted:b");
	if (data) {
		size_t n = 0;
		const void *b = st_rows_blob(r, 0, 8, &n);
		*data = hj_malloc(n ? n : 1);
		if (*data) {
			if (n)
				memcpy(*data, b, n);
			*len = n;
		} else
			s = NOMEM(err);
	}
	st_rows_free(r);
	return s;
}

hj_status sti_attachment_delete(hj_tx *tx, int64_t id, int64_t now, hj_error *err)
{
	st_val p[] = { st_int(now), st_int(id) };
	return st_exec(tx, "UPDATE attachments SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", p, 2, NULL, err);
}

/* ---- receipts, idempotency, send-backs ---- */

hj_status sti_receipt_insert(hj_tx *tx, const char *number, int64_t app, int64_t version, int64_t at,
			     const char *snapshot_sha256, const char *manifest, int64_t by, hj_error *err)
{
	st_val p[] = { st_text(number), st_int(app),	  st_int(version), st_int(at),
		       st_text(snapshot_sha256), st_text(manifest), opt_int(by) };
	return st_exec(tx,
		       "INSERT INTO receipts (number, application, version, submitted_at, snapshot_sha256, manifest, "
		       "submitted_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
		       p, 7, NULL, err);
}

hj_status sti_receipt_list(hj_tx *tx, int64_t app, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(app) };
	return query_json(tx,
			  "SELECT number, version, submitted_at, snapshot_sha256 FROM receipts WHERE application = ? "
			  "ORDER BY id",
			  p, 1, "number:t,version:i,submitted_at_us:i,snapshot_sha256:t", out, err);
}

hj_status sti_receipt_get(hj_tx *tx, const char *number, json_t **out, hj_error *err)
{
	st_val p[] = { st_text(number) };
	return query1_json(tx,
			   "SELECT number, application, version, submitted_at, snapshot_sha256, manifest FROM receipts "
			   "WHERE number = ?",
			   p, 1, "number:t,application:i,version:i,submitted_at_us:i,snapshot_sha256:t,manifest:j", out,
			   err);
}

hj_status sti_idem_get(hj_tx *tx, int64_t account, const char *key, char **request_sha256, char **response,
		       hj_error *err)
{
	st_val p[] = { st_int(account), st_text(key) };
	st_rows *r = NULL;
	*request_sha256 = *response = NULL;
	hj_status s = st_query1(tx,
				"SELECT request_sha256, response FROM idempotency_keys WHERE account = ? AND idem_key = ?",
				p, 2, &r, err);
	if (!s && r && st_rows_count(r)) {
		*request_sha256 = hj_strdup(st_rows_text(r, 0, 0));
		*response = hj_strdup(st_rows_text(r, 0, 1));
		if (!*request_sha256 || !*response)
			s = NOMEM(err);
	}
	st_rows_free(r);
	return s;
}

hj_status sti_idem_put(hj_tx *tx, int64_t account, const char *key, const char *request_sha256,
		       const char *response, int64_t now, hj_error *err)
{
	st_val p[] = { st_int(account), st_text(key), st_text(request_sha256), st_text(response), st_int(now) };
	return st_exec(tx,
		       "INSERT INTO idempotency_keys (account, idem_key, request_sha256, response, created_at) "
		       "VALUES (?, ?, ?, ?, ?)",
		       p, 5, NULL, err);
}

hj_status sti_sendback_insert(hj_tx *tx, int64_t app, int64_t version, const char *comment, int64_t by,
			      int64_t now, hj_error *err)
{
	st_val p[] = { st_int(app), st_int(version), st_text(comment), opt_int(by), st_int(now) };
	return st_exec(tx,
		       "INSERT INTO sendbacks (application, version, comment, sent_by, sent_at) VALUES (?, ?, ?, ?, ?)",
		       p, 5, NULL, err);
}

hj_status sti_sendback_list(hj_tx *tx, int64_t app, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(app) };
	return query_json(tx,
			  "SELECT version, comment, sent_by, sent_at FROM sendbacks WHERE application = ? ORDER BY id",
			  p, 1, "version:i,comment:t,sent_by:i,sent_at_us:i", out, err);
}
