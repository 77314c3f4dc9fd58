/*
 * lib/store/awards.c - the SQL of after adoption (lib/store/awards.h):
 * awards and the versions of their terms, change requests, claims and
 * their evidence, inspections, settlements, payments, yearly reports and
 * reminders. Every function runs inside the caller's transaction.
 */
#include <stdio.h>
#include <string.h>
#include "hojo/alloc.h"
#include "awards.h"
#include "driver.h"
#include "rows-json.h"

/* An INSERT ... RETURNING id. */
static hj_status insert_id(hj_tx *tx, const char *sql, const st_val *p, int n, int64_t *id, hj_error *err)
{
	st_rows *r = NULL;
	int64_t dummy;
	if (!id)
		id = &dummy;
	hj_status s = st_query1(tx, sql, p, n, &r, err);
	if (s)
		return s;
	*id = r && st_rows_count(r) ? st_rows_int(r, 0, 0) : 0;
	st_rows_free(r);
	return *id ? HJ_OK : hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "新しい行の番号がありません");
}

/* An UPDATE: *changed whether it touched a row. */
static hj_status update(hj_tx *tx, const char *sql, const st_val *p, int n, int *changed, hj_error *err)
{
	int64_t c = 0;
	hj_status s = st_exec(tx, sql, p, n, &c, err);
	if (changed)
		*changed = !s && c > 0;
	return s;
}

/* ---- awards ---- */

#define AWARD_COLS                                                                                              \
	"a.id, a.application, a.company, a.call, a.frame, a.adopted_amount, a.state, a.granted_amount, "          \
	"a.granted_on, a.period_end, a.refusal, a.version, a.applied_by, a.applied_at, a.decided_by, a.decided_at, " \
	"a.updated_at"
#define AWARD_SPEC                                                                                                  \
	"id:i,application:i,company:i,call:i,frame,adopted_amount:i,state,granted_amount:i,granted_on,period_end," \
	"refusal,version:i,applied_by:i,applied_at_us:i,decided_by:i,decided_at_us:i,updated_at_us:i"

hj_status sta_award_insert(hj_tx *tx, int64_t app, int64_t company, int64_t call, const char *frame,
			   int64_t adopted, const char *request, int64_t by, int64_t now, int64_t *id, hj_error *err)
{
	st_val p[] = { st_int(app),	st_int(company), st_int(call), st_text(frame), st_int(adopted),
		       st_text(request), st_int(by),	 st_int(now),  st_int(now) };
	return insert_id(tx,
			 "INSERT INTO awards (application, company, call, frame, adopted_amount, state, request, "
			 "applied_by, applied_at, updated_at) VALUES (?, ?, ?, ?, ?, 'applied', ?, ?, ?, ?) RETURNING id",
			 p, 9, id, err);
}

hj_status sta_award_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(id) };
	return st_json_query1(tx, "SELECT " AWARD_COLS ", a.request, a.conditions FROM awards a WHERE a.id = ?", p, 1,
			      AWARD_SPEC ",request:j,conditions:j", out, err);
}

hj_status sta_award_of_app(hj_tx *tx, int64_t app, int64_t *id, hj_error *err)
{
	st_val p[] = { st_int(app) };
	st_rows *r = NULL;
	*id = 0;
	hj_status s = st_query1(tx, "SELECT id FROM awards WHERE application = ?", p, 1, &r, err);
	if (!s && r && st_rows_count(r))
		*id = st_rows_int(r, 0, 0);
	st_rows_free(r);
	return s;
}

hj_status sta_award_list(hj_tx *tx, int64_t account, int64_t call, int64_t now, int page, int per_page,
			 json_t **out, int64_t *total, hj_error *err)
{
	const char *where = " FROM awards a JOIN companies c ON c.id = a.company "
			    "WHERE (? = 0 OR a.call = ?) AND (? = 0 OR EXISTS (SELECT 1 FROM company_members m "
			    "WHERE m.company = a.company AND m.account = ? AND m.revoked_at IS NULL "
			    "AND (m.until_at IS NULL OR m.until_at > ?) "
			    "AND (m.application IS NULL OR m.application = a.application)))";
	st_val p[] = { st_int(call),	st_int(call),	  st_int(account),
		       st_int(account), st_int(now),	  st_int(per_page),
		       st_int((int64_t)(page - 1) * per_page) };
	char sql[1536];
	st_rows *r = NULL;
	*out = NULL;
	*total = 0;
	snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
	hj_status s = st_query1(tx, sql, p, 5, &r, err);
	if (s)
		return s;
	*total = r && st_rows_count(r) ? st_rows_int(r, 0, 0) : 0;
	st_rows_free(r);
	snprintf(sql, sizeof sql,
		 "SELECT " AWARD_COLS ", c.name, (SELECT COUNT(*) FROM award_changes ch WHERE ch.award = a.id "
		 "AND ch.state = 'requested')%s ORDER BY a.id DESC LIMIT ? OFFSET ?",
		 where);
	return st_json_query(tx, sql, p, 7, AWARD_SPEC ",company_name,changes_requested:i", out, err);
}

hj_status sta_award_cohort(hj_tx *tx, int64_t call, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(call), st_int(call) };
	return st_json_query(tx,
			     "SELECT " AWARD_COLS ", c.name, a.request FROM awards a JOIN companies c ON c.id = a.company "
			     "WHERE a.state IN ('settled', 'paid') AND (? = 0 OR a.call = ?) ORDER BY a.id",
			     p, 2, AWARD_SPEC ",company_name,request:j", out, err);
}

hj_status sta_award_decide(hj_tx *tx, int64_t id, const char *state, int64_t amount, const char *conditions,
			   const char *granted_on, const char *period_end, const char *refusal, int64_t by,
			   int64_t now, int *changed, hj_error *err)
{
	st_val p[] = { st_text(state),	    amount < 0 ? st_null() : st_int(amount),
		       st_text(conditions), st_text(granted_on),
		       st_text(period_end), st_text(refusal),
		       st_int(amount < 0 ? 0 : 1), st_int(by),
		       st_int(now),	    st_int(now),
		       st_int(id) };
	return update(tx,
		      "UPDATE awards SET state = ?, granted_amount = ?, conditions = ?, granted_on = ?, period_end = ?, "
		      "refusal = ?, version = ?, decided_by = ?, decided_at = ?, updated_at = ? "
		      "WHERE id = ? AND state = 'applied'",
		      p, 11, changed, err);
}

hj_status sta_award_move(hj_tx *tx, int64_t id, const char *from, const char *to, int64_t now, int *changed,
			 hj_error *err)
{
	st_val p[] = { st_text(to), st_int(now), st_int(id), st_text(from) };
	return update(tx, "UPDATE awards SET state = ?, updated_at = ? WHERE id = ? AND state = ?", p, 4, changed, err);
}

hj_status sta_award_terms(hj_tx *tx, int64_t id, const char *period_end, int64_t version, int64_t now,
			  hj_error *err)
{
	st_val p[] = { st_text(period_end), st_int(version), st_int(now), st_int(id) };
	return update(tx, "UPDATE awards SET period_end = COALESCE(?, period_end), version = ?, updated_at = ? WHERE id = ?",
		      p, 4, NULL, err);
}

hj_status sta_version_insert(hj_tx *tx, int64_t award, int64_t n, const char *terms, const char *reason,
			     int64_t by, int64_t now, hj_error *err)
{
	st_val p[] = { st_int(award), st_int(n), st_text(terms), st_text(reason), st_int(by), st_int(now) };
	return st_exec(tx,
		       "INSERT INTO award_versions (award, n, terms, reason, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
		       p, 6, NULL, err);
}

hj_status sta_version_list(hj_tx *tx, int64_t award, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(award) };
	return st_json_query(tx,
			     "SELECT n, terms, reason, saved_by, saved_at FROM award_versions WHERE award = ? ORDER BY n",
			     p, 1, "n:i,terms:j,reason,saved_by:i,saved_at_us:i", out, err);
}

/* ---- 計画変更 ---- */

#define CHANGE_SQL                                                                                  \
	"SELECT id, award, kind, detail, state, reason, requested_by, requested_at, decided_by, decided_at, " \
	"award_version FROM award_changes "
#define CHANGE_SPEC                                                                                          \
	"id:i,award:i,kind,detail:j,state,reason,requested_by:i,requested_at_us:i,decided_by:i,decided_at_us:i," \
	"award_version:i"

hj_status sta_change_insert(hj_tx *tx, int64_t award, const char *kind, const char *detail, int64_t by,
			    int64_t now, int64_t *id, hj_error *err)
{
	st_val p[] = { st_int(award), st_text(kind), st_text(detail), st_int(by), st_int(now) };
	return insert_id(tx,
			 "INSERT INTO award_changes (award, kind, detail, state, requested_by, requested_at) "
			 "VALUES (?, ?, ?, 'requested', ?, ?) RETURNING id",
			 p, 5, id, err);
}

hj_status sta_change_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(id) };
	return st_json_query1(tx, CHANGE_SQL "WHERE id = ?", p, 1, CHANGE_SPEC, out, err);
}

hj_status sta_change_list(hj_tx *tx, int64_t award, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(award) };
	return st_json_query(tx, CHANGE_SQL "WHERE award = ? ORDER BY id LIMIT 500", p, 1, CHANGE_SPEC, out, err);
}

hj_status sta_change_decide(hj_tx *tx, int64_t id, const char *state, const char *reason, int64_t award_version,
			    int64_t by, int64_t now, int *changed, hj_error *err)
{
	st_val p[] = { st_text(state), st_text(reason), st_opt_int(award_version), st_int(by), st_int(now), st_int(id) };
	return update(tx,
		      "UPDATE award_changes SET state = ?, reason = ?, award_version = ?, decided_by = ?, decided_at = ? "
		      "WHERE id = ? AND state = 'requested'",
		      p, 6, changed, err);
}

/* ---- 実績報告 ---- */

hj_status sta_claim_get(hj_tx *tx, int64_t award, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(award) };
	return st_json_query1(tx,
			      "SELECT award, state, version, lines, completed_on, line_check, saved_by, saved_at, "
			      "submitted_at FROM claims WHERE award = ?",
			      p, 1,
			      "award:i,state,version:i,lines:j,completed_on,line_check:j,saved_by:i,saved_at_us:i,"
			      "submitted_at_us:i",
			      out, err);
}

hj_status sta_claim_put(hj_tx *tx, int64_t award, int64_t expected, const char *lines, const char *completed_on,
			const char *line_check, int64_t by, int64_t now, int *changed, hj_error *err)
{
	if (expected == 0) {
		st_val p[] = { st_int(award), st_text(lines), st_text(completed_on), st_text(line_check), st_int(by),
			       st_int(now) };
		hj_status s = st_exec(tx,
				      "INSERT INTO claims (award, state, version, lines, completed_on, line_check, saved_by, "
				      "saved_at) VALUES (?, 'draft', 1, ?, ?, ?, ?, ?)",
				      p, 6, NULL, err);
		*changed = !s;
		if (s == HJ_ERR_CONFLICT && err && !strcmp(err->field, "unique")) {
			*changed = 0; /* someone saved first: stale */
			return HJ_OK;
		}
		return s;
	}
	st_val p[] = { st_text(lines), st_text(completed_on), st_text(line_check), st_int(by), st_int(now),
		       st_int(award), st_int(expected) };
	return update(tx,
		      "UPDATE claims SET version = version + 1, lines = ?, completed_on = ?, line_check = ?, saved_by = ?, "
		      "saved_at = ? WHERE award = ? AND version = ? AND state = 'draft'",
		      p, 7, changed, err);
}

hj_status sta_claim_submit(hj_tx *tx, int64_t award, int64_t now, int *changed, hj_error *err)
{
	st_val p[] = { st_int(now), st_int(award) };
	return update(tx, "UPDATE claims SET state = 'submitted', submitted_at = ? WHERE award = ? AND state = 'draft'", p,
		      2, changed, err);
}

hj_status sta_claim_att_insert(hj_tx *tx, int64_t award, const char *name, const char *kind, const char *ctype,
			       const void *data, size_t size, const char *sha256, int64_t by, int64_t now, int64_t *id,
			       hj_error *err)
{
	st_val p[] = { st_int(award),	  st_text(name),	   st_text(kind), st_text(ctype), st_int((int64_t)size),
		       st_text(sha256), st_blob(data ? data : "", size), st_int(by),	  st_int(now) };
	return insert_id(tx,
			 "INSERT INTO claim_attachments (award, name, kind, content_type, size, sha256, data, uploaded_by, "
			 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			 p, 9, id, err);
}

hj_status sta_claim_att_get(hj_tx *tx, int64_t award, int64_t id, json_t **meta, void **data, size_t *len,
			    hj_error *err)
{
	st_val p[] = { st_int(id), st_int(award) };
	st_rows *r = NULL;
	*meta = NULL;
	if (data)
		*data = NULL;
	if (len)
		*len = 0;
	hj_status s = st_query1(tx,
				"SELECT id, name, kind, content_type, size, sha256, data FROM claim_attachments "
				"WHERE id = ? AND award = ?",
				p, 2, &r, err);
	if (s || !r || !st_rows_count(r)) {
		st_rows_free(r);
		return s;
	}
	*meta = st_json_row(r, 0, "id:i,name,kind,content_type,size:i,sha256");
	if (*meta && data) {
		size_t n = 0;
		const void *b = st_rows_blob(r, 0, 6, &n);
		*data = hj_malloc(n ? n : 1);
		if (*data) {
			if (n)
				memcpy(*data, b, n);
			*len = n;
		}
	}
	st_rows_free(r);
	if (!*meta || (data && !*data)) {
		json_decref(*meta);
		*meta = NULL;
		return hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません");
	}
	return HJ_OK;
}

hj_status sta_claim_att_list(hj_tx *tx, int64_t award, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(award) };
	return st_json_query(tx,
			     "SELECT id, name, kind, content_type, size, sha256, uploaded_by, created_at FROM "
			     "claim_attachments WHERE award = ? ORDER BY id LIMIT 500",
			     p, 1, "id:i,name,kind,content_type,size:i,sha256,uploaded_by:i,created_at_us:i", out, err);
}

/* ---- 確定検査, 確定額, 精算払 ---- */

hj_status sta_inspection_insert(hj_tx *tx, int64_t award, int64_t claim_version, const char *lines, int64_t by,
				int64_t now, int64_t *id, hj_error *err)
{
	st_val p[] = { st_int(award), st_int(claim_version), st_text(lines), st_int(by), st_int(now) };
	return insert_id(tx,
			 "INSERT INTO inspections (award, claim_version, lines, inspected_by, inspected_at) "
			 "VALUES (?, ?, ?, ?, ?) RETURNING id",
			 p, 5, id, err);
}

hj_status sta_inspection_last(hj_tx *tx, int64_t award, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(award) };
	return st_json_query1(tx,
			      "SELECT id, claim_version, lines, inspected_by, inspected_at FROM inspections WHERE award = ? "
			      "ORDER BY id DESC LIMIT 1",
			      p, 1, "id:i,claim_version:i,lines:j,inspected_by:i,inspected_at_us:i", out, err);
}

hj_status sta_settlement_insert(hj_tx *tx, int64_t award, int64_t amount, const char *explanation,
				const char *rulebook, int64_t inspection, int64_t by, int64_t now, hj_error *err)
{
	st_val p[] = { st_int(award), st_int(amount), st_text(explanation), st_text(rulebook), st_opt_int(inspection),
		       st_int(by),    st_int(now) };
	return st_exec(tx,
		       "INSERT INTO settlements (award, amount, explanation, rulebook, inspection, settled_by, settled_at) "
		       "VALUES (?, ?, ?, ?, ?, ?, ?)",
		       p, 7, NULL, err);
}

hj_status sta_settlement_get(hj_tx *tx, int64_t award, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(award) };
	return st_json_query1(tx,
			      "SELECT amount, explanation, rulebook, inspection, settled_by, settled_at FROM settlements "
			      "WHERE award = ?",
			      p, 1, "amount:i,explanation:j,rulebook,inspection:i,settled_by:i,settled_at_us:i", out, err);
}

hj_status sta_payment_insert(hj_tx *tx, int64_t award, int64_t amount, const char *paid_on, int64_t by,
			     int64_t now, hj_error *err)
{
	st_val p[] = { st_int(award), st_int(amount), st_text(paid_on), st_int(by), st_int(now) };
	return st_exec(tx,
		       "INSERT INTO payments (award, amount, paid_on, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)", p,
		       5, NULL, err);
}

hj_status sta_payment_get(hj_tx *tx, int64_t award, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(award) };
	return st_json_query1(tx, "SELECT amount, paid_on, recorded_by, recorded_at FROM payments WHERE award = ?", p, 1,
			      "amount:i,paid_on,recorded_by:i,recorded_at_us:i", out, err);
}

/* ---- yearly reports and reminders ---- */

hj_status sta_report_put(hj_tx *tx, int64_t award, int64_t year, const char *data, const char *state,
			 const char *comparison, int64_t by, int64_t now, int64_t submitted_at, hj_error *err)
{
	st_val k[] = { st_int(award), st_int(year) };
	hj_status s = st_exec(tx, "DELETE FROM yearly_reports WHERE award = ? AND year = ?", k, 2, NULL, err);
	if (s)
		return s;
	st_val p[] = { st_int(award), st_int(year), st_text(data),	 st_text(state),
		       st_text(comparison), st_int(by), st_int(now), st_opt_int(submitted_at) };
	return st_exec(tx,
		       "INSERT INTO yearly_reports (award, year, data, state, comparison, saved_by, saved_at, submitted_at) "
		       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		       p, 8, NULL, err);
}

#define REPORT_SQL "SELECT year, data, state, comparison, saved_by, saved_at, submitted_at FROM yearly_reports "
#define REPORT_SPEC "year:i,data:j,state,comparison:j,saved_by:i,saved_at_us:i,submitted_at_us:i"

hj_status sta_report_get(hj_tx *tx, int64_t award, int64_t year, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(award), st_int(year) };
	return st_json_query1(tx, REPORT_SQL "WHERE award = ? AND year = ?", p, 2, REPORT_SPEC, out, err);
}

hj_status sta_report_list(hj_tx *tx, int64_t award, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(award) };
	return st_json_query(tx, REPORT_SQL "WHERE award = ? ORDER BY year LIMIT 100", p, 1, REPORT_SPEC, out, err);
}

hj_status sta_reminder_insert(hj_tx *tx, int64_t award, int64_t year, const char *due, const char *recipient,
			      int64_t by, int64_t now, hj_error *err)
{
	st_val p[] = { st_int(award), st_int(year), st_text(due), st_text(recipient), st_int(by), st_int(now) };
	return st_exec(tx,
		       "INSERT INTO report_reminders (award, year, due, recipient, sent_by, sent_at) VALUES (?, ?, ?, ?, ?, ?)",
		       p, 6, NULL, err);
}

hj_status sta_reminder_list(hj_tx *tx, int64_t award, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(award) };
	return st_json_query(tx,
			     "SELECT year, due, recipient, sent_at FROM report_reminders WHERE award = ? ORDER BY id LIMIT 500",
			     p, 1, "year:i,due,recipient,sent_at_us:i", out, err);
}

hj_status sta_award_owner_emails(hj_tx *tx, int64_t award, int64_t now, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(now), st_int(award) };
	return st_json_query(tx,
			     "SELECT DISTINCT ac.email FROM awards a JOIN company_members m ON m.company = a.company "
			     "JOIN accounts ac ON ac.id = m.account WHERE m.role = 'owner' AND m.revoked_at IS NULL "
			     "AND (m.until_at IS NULL OR m.until_at > ?) AND (m.application IS NULL OR "
			     "m.application = a.application) AND a.id = ? ORDER BY ac.email LIMIT 20",
			     p, 2, "email", out, err);
}
