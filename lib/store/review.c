/*
 * lib/store/review.c - the SQL of the secretariat's review
 * (lib/store/review.h, migration 006-review.sql). Every function runs
 * inside the caller's transaction; who may do what is decided in
 * lib/grants/review.c.
 *
 * Conflict detection is three INSERT ... SELECT statements (same
 * company, same party organisation, a declared relationship), each
 * adding only the (reviewer, application, type) rows not yet recorded,
 * so that a detected conflict dismissed once stays dismissed.
 */
#include <stdio.h>
#include <string.h>
#include "hojo/alloc.h"
#include "hojo/grants.h"
#include "review.h"
#include "driver.h"
#include "rows-json.h"

#define NOMEM(err) hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません")

static hj_status insert_id(hj_tx *tx, const char *sql, const st_val *p, int n, int64_t *id, hj_error *err)
{
	st_rows *r = NULL;
	hj_status s = st_query1(tx, sql, p, n, &r, err);
	if (!s && !r)
		s = hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "INSERT が id を返しませんでした");
	if (!s && id)
		*id = st_rows_int(r, 0, 0);
	st_rows_free(r);
	return s;
}

/* ---- settings and 加点 ---- */

hj_status srw_settings_get(hj_tx *tx, int64_t call, char **settings, hj_error *err)
{
	st_val p[] = { st_int(call) };
	st_rows *r = NULL;
	*settings = NULL;
	hj_status s = st_query1(tx, "SELECT settings FROM review_settings WHERE call = ?", p, 1, &r, err);
	if (!s && r && st_rows_count(r) && !(*settings = hj_strdup(st_rows_text(r, 0, 0))))
		s = NOMEM(err);
	st_rows_free(r);
	return s;
}

hj_status srw_settings_put(hj_tx *tx, int64_t call, const char *settings, int64_t by, int64_t now, hj_error *err)
{
	st_val p[] = { st_int(call) };
	st_val q[] = { st_text(settings), st_int(by), st_int(now), st_int(call) };
	hj_status s = st_exec(tx, "DELETE FROM review_settings WHERE call = ?", p, 1, NULL, err);
	if (!s)
		s = st_exec(tx,
			    "INSERT INTO review_settings (settings, updated_by, updated_at, call) VALUES (?, ?, ?, ?)", q,
			    4, NULL, err);
	return s;
}

hj_status srw_bonus_put(hj_tx *tx, int64_t app, const char *bonus, const char *decision, const char *reason,
			int64_t by, int64_t now, hj_error *err)
{
	st_val p[] = { st_int(app), st_text(bonus) };
	st_val q[] = { st_int(app), st_text(bonus), st_text(decision), st_text(reason), st_int(by), st_int(now) };
	hj_status s = st_exec(tx, "DELETE FROM bonus_confirmations WHERE application = ? AND bonus = ?", p, 2, NULL, err);
	if (!s)
		s = st_exec(tx,
			    "INSERT INTO bonus_confirmations (application, bonus, decision, reason, decided_by, decided_at) "
			    "VALUES (?, ?, ?, ?, ?, ?)",
			    q, 6, NULL, err);
	return s;
}

hj_status srw_bonus_list(hj_tx *tx, int64_t call, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(call) };
	return st_json_query(tx,
			     "SELECT b.application, b.bonus, b.decision, b.reason, b.decided_by, b.decided_at "
			     "FROM bonus_confirmations b JOIN applications a ON a.id = b.application "
			     "WHERE a.call = ? ORDER BY b.application, b.bonus",
			     p, 1, "application:i,bonus,decision,reason,decided_by:i,decided_at_us:i", out, err);
}

/* Give each application of *out (the call's submitted ones, ordered by
 * id; s the status of reading them) its "frames": one query for the call,
 * merged by application. On error *out is released. */
static hj_status with_frames(hj_tx *tx, int64_t call, hj_status s, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(call) };
	st_rows *r = NULL;
	if (!s)
		s = st_query(tx,
			     "SELECT f.application, f.frame FROM application_frames f JOIN applications a ON a.id = f.application "
			     "WHERE a.call = ? AND a.state = 'submitted' ORDER BY f.application, f.frame",
			     p, 1, &r, err);
	/* both lists are ordered by application: merge */
	size_t i = 0;
	int k = 0, n = s ? 0 : st_rows_count(r);
	json_t *a;
	json_array_foreach(s ? NULL : *out, i, a)
	{
		json_t *fr = json_array();
		int64_t id = json_integer_value(json_object_get(a, "id"));
		while (k < n && st_rows_int(r, k, 0) < id)
			k++;
		for (; k < n && st_rows_int(r, k, 0) == id; k++)
			json_array_append_new(fr, json_string(st_rows_text(r, k, 1)));
		if (!fr || json_object_set_new(a, "frames", fr)) {
			s = NOMEM(err);
			break;
		}
	}
	st_rows_free(r);
	if (s) {
		json_decref(*out);
		*out = NULL;
	}
	return s;
}

hj_status srw_call_apps(hj_tx *tx, int64_t call, int with_data, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(call) };
	hj_status s = st_json_query(
		tx,
		with_data ? "SELECT a.id, a.company, c.name, a.submitted_at, a.data FROM applications a "
			    "JOIN companies c ON c.id = a.company WHERE a.call = ? AND a.state = 'submitted' ORDER BY a.id"
			  : "SELECT a.id, a.company, c.name, a.submitted_at FROM applications a "
			    "JOIN companies c ON c.id = a.company WHERE a.call = ? AND a.state = 'submitted' ORDER BY a.id",
		p, 1, with_data ? "id:i,company:i,company_name,submitted_at_us:i,data" : "id:i,company:i,company_name,submitted_at_us:i",
		out, err);
	return with_frames(tx, call, s, out, err);
}

/* ---- the engine's results kept per application (migration 008) ---- */

hj_status srw_call_apps_eval(hj_tx *tx, int64_t call, const char *rb_sha, json_t **out, hj_error *err)
{
	st_val p[] = { st_text(rb_sha), st_int(call) };
	hj_status s = st_json_query(
		tx,
		"SELECT a.id, a.company, c.name, a.submitted_at, a.version, "
		"CASE WHEN e.application IS NULL THEN a.data END, e.parties, e.frame, e.request, e.verdict, e.why, "
		"e.target, e.rerequest, e.reverdict FROM applications a JOIN companies c ON c.id = a.company "
		"LEFT JOIN review_eval_cache e ON e.application = a.id AND e.version = a.version "
		"AND e.submitted_at = COALESCE(a.submitted_at, 0) AND e.rulebook_sha256 = ? "
		"WHERE a.call = ? AND a.state = 'submitted' ORDER BY a.id",
		p, 2,
		"id:i,company:i,company_name,submitted_at_us:i,version:i,data,ev_parties,ev_frame,ev_request:i,"
		"ev_verdict,ev_why,ev_target,ev_rerequest:i,ev_reverdict",
		out, err);
	return with_frames(tx, call, s, out, err);
}

hj_status srw_app_data(hj_tx *tx, int64_t app, char **data, hj_error *err)
{
	st_val p[] = { st_int(app) };
	st_rows *r = NULL;
	*data = NULL;
	hj_status s = st_query1(tx, "SELECT data FROM applications WHERE id = ?", p, 1, &r, err);
	if (!s && st_rows_count(r) && st_rows_text(r, 0, 0) && !(*data = hj_strdup(st_rows_text(r, 0, 0))))
		s = NOMEM(err);
	st_rows_free(r);
	return s;
}

#define EVAL_COLS 13
#define EVAL_CHUNK 64 /* rows a statement: 13 × 64 = 832 parameters */

hj_status srw_eval_put(hj_tx *tx, const srw_eval *e, int64_t n, hj_error *err)
{
	static const char head[] = "INSERT INTO review_eval_cache (application, version, submitted_at, rulebook_sha256, "
				   "parties, frame, request, verdict, why, target, rerequest, reverdict, computed_at) VALUES ";
	static const char tail[] = " ON CONFLICT (application) DO UPDATE SET "
				   "version = excluded.version, submitted_at = excluded.submitted_at, "
				   "rulebook_sha256 = excluded.rulebook_sha256, parties = excluded.parties, "
				   "frame = excluded.frame, request = excluded.request, verdict = excluded.verdict, "
				   "why = excluded.why, target = excluded.target, rerequest = excluded.rerequest, "
				   "reverdict = excluded.reverdict, computed_at = excluded.computed_at";
	static const char row[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char sql[sizeof head + EVAL_CHUNK * sizeof row + sizeof tail];
	st_val p[EVAL_COLS * EVAL_CHUNK];
	hj_status s = HJ_OK;
	for (int64_t at = 0; !s && at < n; at += EVAL_CHUNK) {
		int m = n - at < EVAL_CHUNK ? (int)(n - at) : EVAL_CHUNK;
		size_t len = 0;
		memcpy(sql, head, sizeof head - 1);
		len = sizeof head - 1;
		for (int k = 0; k < m; k++) {
			const srw_eval *x = &e[at + k];
			if (k)
				sql[len++] = ',';
			memcpy(sql + len, row, sizeof row - 1);
			len += sizeof row - 1;
			st_val *v = &p[k * EVAL_COLS];
			v[0] = st_int(x->application);
			v[1] = st_int(x->version);
			v[2] = st_int(x->submitted_at);
			v[3] = st_text(x->rulebook_sha256);
			v[4] = st_text(x->parties);
			v[5] = st_text(x->frame);
			v[6] = st_int(x->request);
			v[7] = st_text(x->verdict);
			v[8] = st_text(x->why);
			v[9] = st_text(x->target);
			v[10] = st_int(x->rerequest);
			v[11] = st_text(x->reverdict);
			v[12] = st_int(x->computed_at);
		}
		memcpy(sql + len, tail, sizeof tail);
		s = st_exec(tx, sql, p, m * EVAL_COLS, NULL, err);
	}
	return s;
}

/* ---- conflicts ---- */

#define REVIEWER_ROLE "(acc.roles & 4) <> 0 AND acc.disabled = 0"

/* The statements of detection; each %s is replaced by the filters
 * (reviewer and call) that apply, written as literal conditions on
 * indexed columns so that the planner starts from them. */
static const char *const detect_sql[4] = {
	/* 1. the reviewer is a current member (owner, contributor) of the applicant company */
	"INSERT INTO review_conflicts (reviewer, application, company, type, origin, note, created_at) "
	"SELECT DISTINCT m.account, a.id, a.company, 'company', 'detected', '申請者の会社の関係者', ? "
	"FROM company_members m JOIN applications a ON a.company = m.company "
	"JOIN accounts acc ON acc.id = m.account "
	"WHERE " REVIEWER_ROLE " AND m.revoked_at IS NULL AND (m.application IS NULL OR m.application = a.id) "
	"AND a.state <> 'draft' %s%s "
	"AND NOT EXISTS (SELECT 1 FROM review_conflicts c WHERE c.reviewer = m.account AND c.application = a.id "
	"AND c.type = 'company' AND c.origin = 'detected')",
	/* 2. the reviewer acts for the party organisation that confirmed the application */
	"INSERT INTO review_conflicts (reviewer, application, org, type, origin, note, created_at) "
	"SELECT DISTINCT pm.account, a.id, i.org, 'support_agency', 'detected', '申請を確認した支援機関等の所属', ? "
	"FROM party_members pm JOIN party_invitations i ON i.org = pm.org AND i.state = 'confirmed' "
	"JOIN applications a ON a.id = i.application JOIN accounts acc ON acc.id = pm.account "
	"WHERE " REVIEWER_ROLE " AND a.state <> 'draft' %s%s "
	"AND NOT EXISTS (SELECT 1 FROM review_conflicts c WHERE c.reviewer = pm.account AND c.application = a.id "
	"AND c.type = 'support_agency' AND c.origin = 'detected')",
	/* 3. a company the reviewer declared a relationship with */
	"INSERT INTO review_conflicts (reviewer, application, company, type, origin, note, created_at) "
	"SELECT DISTINCT d.reviewer, a.id, d.company, 'relationship', 'detected', '申告された関係', ? "
	"FROM review_conflicts d JOIN applications a ON a.company = d.company "
	"WHERE d.origin = 'declared' AND d.application IS NULL AND d.company IS NOT NULL AND a.state <> 'draft' %s%s "
	"AND NOT EXISTS (SELECT 1 FROM review_conflicts c WHERE c.reviewer = d.reviewer AND c.application = a.id "
	"AND c.type = 'relationship' AND c.origin = 'detected')",
	/* 4. an organisation the reviewer declared a relationship with, that confirmed the application */
	"INSERT INTO review_conflicts (reviewer, application, org, type, origin, note, created_at) "
	"SELECT DISTINCT d.reviewer, a.id, d.org, 'relationship', 'detected', '申告された関係', ? "
	"FROM review_conflicts d JOIN party_invitations i ON i.org = d.org AND i.state = 'confirmed' "
	"JOIN applications a ON a.id = i.application "
	"WHERE d.origin = 'declared' AND d.application IS NULL AND d.org IS NOT NULL AND a.state <> 'draft' %s%s "
	"AND NOT EXISTS (SELECT 1 FROM review_conflicts c WHERE c.reviewer = d.reviewer AND c.application = a.id "
	"AND c.type = 'relationship' AND c.origin = 'detected')",
};
static const char *const detect_who[4] = { "m.account", "pm.account", "d.reviewer", "d.reviewer" };

hj_status srw_detect(hj_tx *tx, int64_t reviewer, int64_t call, int64_t now, int64_t *added, hj_error *err)
{
	if (added)
		*added = 0;
	for (int i = 0; i < 4; i++) {
		char fr[64] = "", fc[64] = "", sql[2048];
		st_val p[3] = { st_int(now) };
		int n = 1;
		if (reviewer) {
			snprintf(fr, sizeof fr, "AND %s = ? ", detect_who[i]);
			p[n++] = st_int(reviewer);
		}
		if (call) {
			snprintf(fc, sizeof fc, "AND a.call = ? ");
			p[n++] = st_int(call);
		}
		snprintf(sql, sizeof sql, detect_sql[i], fr, fc);
		int64_t ch = 0;
		hj_status s = st_exec(tx, sql, p, n, &ch, err);
		if (s)
			return s;
		if (added)
			*added += ch;
	}
	return HJ_OK;
}

hj_status srw_conflict_insert(hj_tx *tx, int64_t reviewer, int64_t app, int64_t company, int64_t org,
			      const char *type, const char *origin, const char *note, int64_t now, int64_t *id,
			      hj_error *err)
{
	st_val p[] = { st_int(reviewer), st_opt_int(app), st_opt_int(company), st_opt_int(org),
		       st_text(type),	 st_text(origin), st_text(note),       st_int(now) };
	return insert_id(tx,
			 "INSERT INTO review_conflicts (reviewer, application, company, org, type, origin, note, created_at) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			 p, 8, id, err);
}

#define CONFLICT_COLS                                                                                          \
	"c.id, c.reviewer, acc.email, c.application, c.company, c.org, c.type, c.origin, c.note, c.created_at, " \
	"c.dismissed_at IS NOT NULL, c.dismissed_reason, c.dismissed_by, c.dismissed_at"
#define CONFLICT_SPEC                                                                                              \
	"id:i,reviewer:i,reviewer_email,application:i,company:i,organisation:i,type,origin,note,created_at_us:i," \
	"dismissed:b,dismissed_reason,dismissed_by:i,dismissed_at_us:i"

hj_status srw_conflict_list(hj_tx *tx, int64_t call, int page, int per_page, json_t **out, int64_t *total,
			    hj_error *err)
{
	st_val p[] = { st_int(call), st_int(per_page), st_int((int64_t)(page - 1) * per_page) };
	st_rows *r = NULL;
	*out = NULL;
	hj_status s = st_query1(tx,
				"SELECT COUNT(*) FROM review_conflicts c LEFT JOIN applications a ON a.id = c.application "
				"WHERE a.call = ? OR c.application IS NULL",
				p, 1, &r, err);
	*total = s || !r ? 0 : st_rows_int(r, 0, 0);
	st_rows_free(r);
	if (s)
		return s;
	return st_json_query(tx,
			     "SELECT " CONFLICT_COLS " FROM review_conflicts c JOIN accounts acc ON acc.id = c.reviewer "
			     "LEFT JOIN applications a ON a.id = c.application "
			     "WHERE a.call = ? OR c.application IS NULL ORDER BY c.id LIMIT ? OFFSET ?",
			     p, 3, CONFLICT_SPEC, out, err);
}

hj_status srw_conflict_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(id) };
	return st_json_query1(tx,
			      "SELECT " CONFLICT_COLS " FROM review_conflicts c JOIN accounts acc ON acc.id = c.reviewer "
			      "WHERE c.id = ?",
			      p, 1, CONFLICT_SPEC, out, err);
}

hj_status srw_conflict_dismiss(hj_tx *tx, int64_t id, const char *reason, int64_t by, int64_t now, int *changed,
			       hj_error *err)
{
	st_val p[] = { st_text(reason), st_int(by), st_int(now), st_int(id) };
	int64_t ch = 0;
	hj_status s = st_exec(tx,
			      "UPDATE review_conflicts SET dismissed_reason = ?, dismissed_by = ?, dismissed_at = ? "
			      "WHERE id = ? AND dismissed_at IS NULL AND origin = 'detected'",
			      p, 4, &ch, err);
	*changed = ch > 0;
	return s;
}

hj_status srw_conflicted(hj_tx *tx, int64_t reviewer, int64_t app, int *yes, hj_error *err)
{
	st_val p[] = { st_int(reviewer), st_int(app) };
	st_rows *r = NULL;
	hj_status s = st_query(tx,
			       "SELECT 1 FROM review_conflicts WHERE reviewer = ? AND application = ? "
			       "AND dismissed_at IS NULL LIMIT 1",
			       p, 2, &r, err);
	*yes = !s && r && st_rows_count(r) > 0;
	st_rows_free(r);
	return s;
}

hj_status srw_conflict_pairs(hj_tx *tx, int64_t call, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(call) };
	st_rows *r = NULL;
	*out = NULL;
	hj_status s = st_query(tx,
			       "SELECT DISTINCT c.reviewer, c.application FROM review_conflicts c "
			       "JOIN applications a ON a.id = c.application "
			       "WHERE a.call = ? AND c.dismissed_at IS NULL ORDER BY c.reviewer, c.application",
			       p, 1, &r, err);
	if (s)
		return s;
	*out = json_array();
	for (int i = 0; *out && i < st_rows_count(r); i++)
		json_array_append_new(*out, json_pack("[I,I]", (json_int_t)st_rows_int(r, i, 0),
						      (json_int_t)st_rows_int(r, i, 1)));
	st_rows_free(r);
	return *out ? HJ_OK : NOMEM(err);
}

/* ---- assignments ---- */

hj_status srw_reviewers(hj_tx *tx, json_t **out, hj_error *err)
{
	return st_json_query(tx,
			     "SELECT acc.id, acc.email, acc.name, "
			     "(SELECT COUNT(*) FROM review_assignments x WHERE x.reviewer = acc.id) "
			     "FROM accounts acc WHERE " REVIEWER_ROLE " ORDER BY acc.id LIMIT 10000",
			     NULL, 0, "id:i,email,name,load:i", out, err);
}

hj_status srw_assignment_insert(hj_tx *tx, int64_t call, int64_t app, int64_t reviewer, int64_t by, int64_t now,
				int64_t *id, hj_error *err)
{
	st_val p[] = { st_int(call), st_int(app), st_int(reviewer), st_int(by), st_int(now) };
	return insert_id(tx,
			 "INSERT INTO review_assignments (call, application, reviewer, assigned_by, assigned_at) "
			 "VALUES (?, ?, ?, ?, ?) RETURNING id",
			 p, 5, id, err);
}

hj_status srw_assignment_list(hj_tx *tx, int64_t call, int page, int per_page, json_t **out, int64_t *total,
			      hj_error *err)
{
	st_val p[] = { st_int(call), st_int(per_page), st_int((int64_t)(page - 1) * per_page) };
	st_rows *r = NULL;
	*out = NULL;
	hj_status s = st_query1(tx, "SELECT COUNT(*) FROM review_assignments WHERE call = ?", p, 1, &r, err);
	*total = s || !r ? 0 : st_rows_int(r, 0, 0);
	st_rows_free(r);
	if (s)
		return s;
	return st_json_query(
		tx,
		"SELECT x.id, x.application, x.reviewer, acc.email, x.assigned_at, r.state, r.version, "
		"EXISTS (SELECT 1 FROM review_conflicts c WHERE c.reviewer = x.reviewer AND c.application = x.application "
		"AND c.dismissed_at IS NULL) "
		"FROM review_assignments x JOIN accounts acc ON acc.id = x.reviewer "
		"LEFT JOIN reviews r ON r.assignment = x.id WHERE x.call = ? ORDER BY x.application, x.reviewer "
		"LIMIT ? OFFSET ?",
		p, 3, "id:i,application:i,reviewer:i,reviewer_email,assigned_at_us:i,review_state,review_version:i,conflicted:b",
		out, err);
}

hj_status srw_assignment_pairs(hj_tx *tx, int64_t call, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(call) };
	st_rows *r = NULL;
	*out = NULL;
	hj_status s = st_query(tx, "SELECT reviewer, application FROM review_assignments WHERE call = ?", p, 1, &r, err);
	if (s)
		return s;
	*out = json_array();
	for (int i = 0; *out && i < st_rows_count(r); i++)
		json_array_append_new(*out, json_pack("[I,I]", (json_int_t)st_rows_int(r, i, 0),
						      (json_int_t)st_rows_int(r, i, 1)));
	st_rows_free(r);
	return *out ? HJ_OK : NOMEM(err);
}

hj_status srw_assignment_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(id) };
	return st_json_query1(tx, "SELECT id, call, application, reviewer FROM review_assignments WHERE id = ?", p, 1,
			      "id:i,call:i,application:i,reviewer:i", out, err);
}

hj_status srw_assignment_for(hj_tx *tx, int64_t app, int64_t reviewer, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(app), st_int(reviewer) };
	return st_json_query1(tx,
			      "SELECT id, call, application, reviewer FROM review_assignments WHERE application = ? AND reviewer = ?",
			      p, 2, "id:i,call:i,application:i,reviewer:i", out, err);
}

hj_status srw_assignment_delete(hj_tx *tx, int64_t id, hj_error *err)
{
	st_val p[] = { st_int(id) };
	hj_status s = st_exec(tx, "DELETE FROM review_versions WHERE assignment = ?", p, 1, NULL, err);
	if (!s)
		s = st_exec(tx, "DELETE FROM reviews WHERE assignment = ?", p, 1, NULL, err);
	if (!s)
		s = st_exec(tx, "DELETE FROM review_assignments WHERE id = ?", p, 1, NULL, err);
	return s;
}

#define NOT_CONFLICTED                                                                                \
	"NOT EXISTS (SELECT 1 FROM review_conflicts c WHERE c.reviewer = x.reviewer AND c.application = " \
	"x.application AND c.dismissed_at IS NULL)"

hj_status srw_queue(hj_tx *tx, int64_t reviewer, int page, int per_page, json_t **items, int64_t *total,
		    hj_error *err)
{
	st_val p[] = { st_int(reviewer), st_int(per_page), st_int((int64_t)(page - 1) * per_page) };
	st_rows *r = NULL;
	hj_status s = st_query1(tx, "SELECT COUNT(*) FROM review_assignments x WHERE x.reviewer = ? AND " NOT_CONFLICTED,
				p, 1, &r, err);
	*total = s || !r ? 0 : st_rows_int(r, 0, 0);
	st_rows_free(r);
	if (s)
		return s;
	s = st_json_query(tx,
			  "SELECT x.id, x.application, x.call, k.title, k.program, k.edition, co.name, a.submitted_at, "
			  "r.state, r.version, r.updated_at "
			  "FROM review_assignments x JOIN applications a ON a.id = x.application "
			  "JOIN calls k ON k.id = x.call JOIN companies co ON co.id = a.company "
			  "LEFT JOIN reviews r ON r.assignment = x.id "
			  "WHERE x.reviewer = ? AND " NOT_CONFLICTED " ORDER BY x.id DESC LIMIT ? OFFSET ?",
			  p, 3,
			  "assignment:i,application:i,call:i,call_title,program,edition,company_name,submitted_at_us:i,"
			  "review_state,review_version:i,updated_at_us:i",
			  items, err);
	/* the frames of each application on the page */
	size_t i;
	json_t *it;
	json_array_foreach(s ? NULL : *items, i, it)
	{
		st_val q[] = { st_int(json_integer_value(json_object_get(it, "application"))) };
		st_rows *fr = NULL;
		if ((s = st_query(tx, "SELECT frame FROM application_frames WHERE application = ? ORDER BY frame", q, 1, &fr,
				  err)))
			break;
		json_t *a = json_array();
		for (int k = 0; a && k < st_rows_count(fr); k++)
			json_array_append_new(a, json_string(st_rows_text(fr, k, 0)));
		st_rows_free(fr);
		if (!a || json_object_set_new(it, "frames", a)) {
			s = NOMEM(err);
			break;
		}
	}
	if (s) {
		json_decref(*items);
		*items = NULL;
	}
	return s;
}

/* ---- reviews ---- */

hj_status srw_review_get(hj_tx *tx, int64_t assignment, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(assignment) };
	return st_json_query1(tx,
			      "SELECT assignment, version, state, scores, comments, overall, updated_at, submitted_at "
			      "FROM reviews WHERE assignment = ?",
			      p, 1,
			      "assignment:i,version:i,state,scores:j,comments:j,overall,updated_at_us:i,submitted_at_us:i",
			      out, err);
}

hj_status srw_review_put(hj_tx *tx, int64_t assignment, int64_t expected, int64_t version, const char *state,
			 const char *scores, const char *comments, const char *overall, const char *reason, int64_t by,
			 int64_t now, int64_t submitted_at, int *changed, hj_error *err)
{
	hj_status s;
	int64_t ch = 0;
	*changed = 0;
	if (expected == 0) {
		st_val p[] = { st_int(assignment), st_int(version), st_text(state), st_text(scores),
			       st_text(comments),  st_text(overall), st_int(now),   st_opt_int(submitted_at) };
		s = st_exec(tx,
			    "INSERT INTO reviews (assignment, version, state, scores, comments, overall, updated_at, "
			    "submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			    p, 8, &ch, err);
		if (s == HJ_ERR_CONFLICT && !strcmp(err->field, "unique"))
			return HJ_OK; /* a review exists: stale */
	} else {
		st_val p[] = { st_int(version),	    st_text(state), st_text(scores),	     st_text(comments),
			       st_text(overall),    st_int(now),    st_opt_int(submitted_at), st_int(assignment),
			       st_int(expected) };
		s = st_exec(tx,
			    "UPDATE reviews SET version = ?, state = ?, scores = ?, comments = ?, overall = ?, updated_at = ?, "
			    "submitted_at = ? WHERE assignment = ? AND version = ?",
			    p, 9, &ch, err);
	}
	if (s || !ch)
		return s;
	*changed = 1;
	st_val v[] = { st_int(assignment), st_int(version), st_text(state), st_text(scores), st_text(comments),
		       st_text(overall),   st_text(reason), st_int(by),	    st_int(now) };
	return st_exec(tx,
		       "INSERT INTO review_versions (assignment, n, state, scores, comments, overall, reason, saved_by, "
		       "saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       v, 9, NULL, err);
}

hj_status srw_review_versions(hj_tx *tx, int64_t assignment, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(assignment) };
	return st_json_query(tx,
			     "SELECT n, state, scores, comments, overall, reason, saved_by, saved_at FROM review_versions "
			     "WHERE assignment = ? ORDER BY n",
			     p, 1, "n:i,state,scores:j,comments:j,overall,reason,saved_by:i,saved_at_us:i", out, err);
}

hj_status srw_call_reviews(hj_tx *tx, int64_t call, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(call) };
	return st_json_query(tx,
			     "SELECT x.application, x.id, x.reviewer, r.scores, r.comments, r.overall "
			     "FROM reviews r JOIN review_assignments x ON x.id = r.assignment "
			     "WHERE x.call = ? AND r.state = 'submitted' AND " NOT_CONFLICTED
			     " ORDER BY x.application, x.id",
			     p, 1, "application:i,assignment:i,reviewer:i,scores:j,comments:j,overall", out, err);
}

hj_status srw_call_scores(hj_tx *tx, int64_t call, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(call) };
	return st_json_query(tx,
			     "SELECT x.application, x.id, r.scores "
			     "FROM reviews r JOIN review_assignments x ON x.id = r.assignment "
			     "WHERE x.call = ? AND r.state = 'submitted' AND " NOT_CONFLICTED
			     " ORDER BY x.application, x.id",
			     p, 1, "application:i,assignment:i,scores:j", out, err);
}

/* ---- selections and notices ---- */

hj_status srw_selection_insert(hj_tx *tx, int64_t call, const char *rulebook_sha, const char *scores_sha,
			       const char *inputs_sha, const char *inputs, const char *result, int64_t by, int64_t now,
			       int64_t *id, hj_error *err)
{
	st_val p[] = { st_int(call),   st_text(rulebook_sha), st_text(scores_sha), st_text(inputs_sha),
		       st_text(inputs), st_text(result),       st_int(by),	   st_int(now) };
	return insert_id(tx,
			 "INSERT INTO selections (call, rulebook_sha256, scores_sha256, inputs_sha256, inputs, result, "
			 "committed_by, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			 p, 8, id, err);
}

hj_status srw_selection_get(hj_tx *tx, int64_t id, int64_t call, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(id ? id : call) };
	return st_json_query1(tx,
			      id ? "SELECT id, call, rulebook_sha256, scores_sha256, inputs_sha256, result, committed_by, "
				   "committed_at FROM selections WHERE id = ?"
				 : "SELECT id, call, rulebook_sha256, scores_sha256, inputs_sha256, result, committed_by, "
				   "committed_at FROM selections WHERE call = ?",
			      p, 1,
			      "id:i,call:i,rulebook_sha256,scores_sha256,inputs_sha256,result:j,committed_by:i,"
			      "committed_at_us:i",
			      out, err);
}

hj_status srw_result_insert(hj_tx *tx, int64_t app, int64_t selection, const char *outcome, const char *frame,
			    int moved, int64_t amount, int64_t rank, const char *score, const char *reason,
			    hj_error *err)
{
	st_val p[] = { st_int(app),    st_int(selection), st_text(outcome), st_text(frame), st_int(moved),
		       st_int(amount), st_int(rank),	  st_text(score),   st_text(reason) };
	return st_exec(tx,
		       "INSERT INTO selection_results (application, selection, outcome, frame, moved, amount, rank, score, "
		       "reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       p, 9, NULL, err);
}

#define RESULT_SPEC "application:i,selection:i,outcome,frame,moved:b,amount:i,rank:i,score,reason"

hj_status srw_result_get(hj_tx *tx, int64_t app, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(app) };
	return st_json_query1(tx,
			      "SELECT application, selection, outcome, frame, moved, amount, rank, score, reason "
			      "FROM selection_results WHERE application = ?",
			      p, 1, RESULT_SPEC, out, err);
}

hj_status srw_results(hj_tx *tx, int64_t selection, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(selection) };
	return st_json_query(tx,
			     "SELECT application, selection, outcome, frame, moved, amount, rank, score, reason "
			     "FROM selection_results WHERE selection = ? ORDER BY application",
			     p, 1, RESULT_SPEC, out, err);
}

hj_status srw_notice_insert(hj_tx *tx, int64_t app, int64_t selection, const char *outcome, const char *frame,
			    int64_t amount, const char *feedback, int64_t by, int64_t now, int *changed, hj_error *err)
{
	st_val p[] = { st_int(app),	  st_int(selection), st_text(outcome), st_text(frame),
		       st_int(amount),	  st_text(feedback), st_int(by),       st_int(now),
		       st_int(app) };
	int64_t ch = 0;
	hj_status s = st_exec(tx,
			      "INSERT INTO notices (application, selection, outcome, frame, amount, feedback, released_by, "
			      "released_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
			      "(SELECT 1 FROM notices WHERE application = ?)",
			      p, 9, &ch, err);
	*changed = ch > 0;
	return s;
}

#define NOTICE_COLS                                                                                     \
	"n.id, n.application, n.selection, n.outcome, n.frame, n.amount, n.feedback, n.released_at, k.id, " \
	"k.title"
#define NOTICE_SPEC \
	"id:i,application:i,selection:i,outcome,frame,amount:i,feedback:j,released_at_us:i,call:i,call_title"

hj_status srw_notice_get(hj_tx *tx, int64_t app, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(app) };
	return st_json_query1(tx,
			      "SELECT " NOTICE_COLS " FROM notices n JOIN applications a ON a.id = n.application "
			      "JOIN calls k ON k.id = a.call WHERE n.application = ?",
			      p, 1, NOTICE_SPEC, out, err);
}

hj_status srw_notice_list(hj_tx *tx, int64_t account, int64_t now, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(account), st_int(now) };
	return st_json_query(tx,
			     "SELECT " NOTICE_COLS " FROM notices n JOIN applications a ON a.id = n.application "
			     "JOIN calls k ON k.id = a.call WHERE EXISTS (SELECT 1 FROM company_members m "
			     "WHERE m.company = a.company AND m.account = ? AND m.revoked_at IS NULL "
			     "AND (m.until_at IS NULL OR m.until_at > ?) AND (m.application IS NULL OR m.application = a.id)) "
			     "ORDER BY n.id DESC LIMIT 500",
			     p, 2, NOTICE_SPEC, out, err);
}
