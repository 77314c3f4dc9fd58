/*
 * lib/store/parties.c - the SQL of the parties behind an application
 * (lib/store/parties.h): organisations and the accounts acting for
 * them, invitations and confirmations, the IT tool registry and the
 * tools an application chose. Every function runs inside the caller's
 * transaction; who may do what is decided in lib/grants/parties.c.
 */
#include <stdio.h>
#include <string.h>
#include "hojo/alloc.h"
#include "parties.h"
#include "driver.h"
#include "rows-json.h"


/* Run a query; *out an array of row objects (all = 1) or the one row
 * or NULL (all = 0). */
static hj_status query_json(hj_tx *tx, const char *sql, const st_val *p, int n, const char *spec, int all,
			    json_t **out, hj_error *err)
{
	return all ? st_json_query(tx, sql, p, n, spec, out, err) : st_json_query1(tx, sql, p, n, spec, out, err);
}

static hj_status insert_id(hj_tx *tx, const char *sql, const st_val *p, int n, int64_t *id, hj_error *err)
{
	st_rows *r = NULL;
	hj_status s = st_query1(tx, sql, p, n, &r, err);
	if (!s && !r)
		s = hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "INSERT が id を返しませんでした");
	if (!s)
		*id = st_rows_int(r, 0, 0);
	st_rows_free(r);
	return s;
}

static hj_status exec_changed(hj_tx *tx, const char *sql, const st_val *p, int n, int *changed, hj_error *err)
{
	int64_t ch = 0;
	hj_status s = st_exec(tx, sql, p, n, &ch, err);
	*changed = ch > 0;
	return s;
}

/* ---- organisations ---- */

#define ORG_COLS "id, kind, name, registration"
#define ORG_SPEC "id:i,kind:t,name:t,registration:t"

hj_status spt_org_insert(hj_tx *tx, const char *kind, const char *name, const char *registration, int64_t by,
			 int64_t now, int64_t *id, hj_error *err)
{
	st_val p[] = { st_text(kind), st_text(name), st_text(registration), st_int(by), st_int(now) };
	return insert_id(tx,
			 "INSERT INTO party_orgs (kind, name, registration, created_by, created_at) VALUES (?, ?, ?, ?, ?) "
			 "RETURNING id",
			 p, 5, id, err);
}

hj_status spt_org_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(id) };
	return query_json(tx, "SELECT " ORG_COLS " FROM party_orgs WHERE id = ?", p, 1, ORG_SPEC, 0, out, err);
}

hj_status spt_org_list(hj_tx *tx, const char *kind, json_t **out, hj_error *err)
{
	st_val p[] = { st_text(kind) };
	if (kind)
		return query_json(tx, "SELECT " ORG_COLS " FROM party_orgs WHERE kind = ? ORDER BY name, id LIMIT 1000", p, 1,
				  ORG_SPEC, 1, out, err);
	return query_json(tx, "SELECT " ORG_COLS " FROM party_orgs ORDER BY name, id LIMIT 1000", NULL, 0, ORG_SPEC, 1,
			  out, err);
}

hj_status spt_member_insert(hj_tx *tx, int64_t account, int64_t org, int64_t by, int64_t now, hj_error *err)
{
	st_val p[] = { st_int(account), st_int(org), st_int(by), st_int(now) };
	return st_exec(tx, "INSERT INTO party_members (account, org, added_by, added_at) VALUES (?, ?, ?, ?)", p, 4,
		       NULL, err);
}

hj_status spt_member_org(hj_tx *tx, int64_t account, int64_t *org, hj_error *err)
{
	st_val p[] = { st_int(account) };
	st_rows *r = NULL;
	*org = 0;
	hj_status s = st_query1(tx, "SELECT org FROM party_members WHERE account = ?", p, 1, &r, err);
	if (!s && r)
		*org = st_rows_int(r, 0, 0);
	st_rows_free(r);
	return s;
}

hj_status spt_member_list(hj_tx *tx, int64_t org, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(org) };
	return query_json(tx,
			  "SELECT a.id, a.email, a.name FROM party_members m JOIN accounts a ON a.id = m.account "
			  "WHERE m.org = ? ORDER BY a.id LIMIT 1000",
			  p, 1, "account:i,email:t,name:t", 1, out, err);
}

hj_status spt_account_roles(hj_tx *tx, const char *email, int64_t *id, int64_t *roles, hj_error *err)
{
	st_val p[] = { st_text(email) };
	st_rows *r = NULL;
	*id = *roles = 0;
	hj_status s = st_query1(tx, "SELECT id, roles FROM accounts WHERE email = ?", p, 1, &r, err);
	if (!s && r) {
		*id = st_rows_int(r, 0, 0);
		*roles = st_rows_int(r, 0, 1);
	}
	st_rows_free(r);
	return s;
}

/* ---- invitations ---- */

#define INV_COLS                                                                                                   \
	"id, application, kind, email, org, state, invited_by, invited_at, confirmed_by, confirmed_at, confirms, "    \
	"statement, until_at, revoked_by, revoked_at"
#define INV_SPEC                                                                                                   \
	"id:i,application:i,kind:t,email:t,org:i,state:t,invited_by:i,invited_at_us:i,confirmed_by:i,"                \
	"confirmed_at_us:i,confirms:j,statement:t,until_us:i,revoked_by:i,revoked_at_us:i"

hj_status spt_inv_insert(hj_tx *tx, int64_t app, const char *kind, const char *email, int64_t org, int64_t by,
			 int64_t now, int64_t *id, hj_error *err)
{
	st_val p[] = { st_int(app), st_text(kind), st_text(email), st_opt_int(org), st_int(by), st_int(now) };
	return insert_id(tx,
			 "INSERT INTO party_invitations (application, kind, email, org, state, invited_by, invited_at) "
			 "VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
			 p, 6, id, err);
}

hj_status spt_inv_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(id) };
	return query_json(tx, "SELECT " INV_COLS " FROM party_invitations WHERE id = ?", p, 1, INV_SPEC, 0, out, err);
}

hj_status spt_inv_of_app(hj_tx *tx, int64_t app, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(app) };
	return query_json(tx, "SELECT " INV_COLS " FROM party_invitations WHERE application = ? ORDER BY id LIMIT 200",
			  p, 1, INV_SPEC, 1, out, err);
}

hj_status spt_inv_addressed(hj_tx *tx, const char *email, int64_t org, json_t **out, hj_error *err)
{
	st_val p[] = { st_text(email), st_int(org) };
	return query_json(tx,
			  "SELECT " INV_COLS " FROM party_invitations WHERE email = ? OR org = ? "
			  "ORDER BY id DESC LIMIT 500",
			  p, 2, INV_SPEC, 1, out, err);
}

hj_status spt_inv_confirm(hj_tx *tx, int64_t id, int64_t org, int64_t by, int64_t now, const char *confirms,
			  const char *statement, int64_t until, int *changed, hj_error *err)
{
	st_val p[] = { st_int(org),	    st_int(by),	     st_int(now), st_text(confirms),
		       st_text(statement), st_opt_int(until), st_int(id) };
	return exec_changed(tx,
			    "UPDATE party_invitations SET state = 'confirmed', org = ?, confirmed_by = ?, confirmed_at = ?, "
			    "confirms = ?, statement = ?, until_at = ? WHERE id = ? AND state = 'pending'",
			    p, 7, changed, err);
}

hj_status spt_inv_revoke(hj_tx *tx, int64_t id, int64_t by, int64_t now, int *changed, hj_error *err)
{
	st_val p[] = { st_int(by), st_int(now), st_int(id) };
	return exec_changed(tx,
			    "UPDATE party_invitations SET state = 'revoked', revoked_by = ?, revoked_at = ? "
			    "WHERE id = ? AND state IN ('pending', 'confirmed')",
			    p, 3, changed, err);
}

/* ---- tools ---- */

#define TOOL_COLS                                                                                                  \
	"t.id, t.vendor, o.name, t.name, t.kind, t.processes, t.linked, t.state, t.reason, t.decided_at, "            \
	"t.created_at, t.updated_at FROM it_tools t JOIN party_orgs o ON o.id = t.vendor"
#define TOOL_SPEC                                                                                                  \
	"id:i,vendor:i,vendor_name:t,name:t,kind:t,processes:j,linked:b,state:t,reason:t,decided_at_us:i,"           \
	"created_at_us:i,updated_at_us:i"

hj_status spt_tool_insert(hj_tx *tx, int64_t vendor, const char *name, const char *kind, const char *processes,
			  int linked, int64_t by, int64_t now, int64_t *id, hj_error *err)
{
	st_val p[] = { st_int(vendor), st_text(name), st_text(kind), st_text(processes),
		       st_int(linked),  st_int(by),    st_int(now),  st_int(now) };
	return insert_id(tx,
			 "INSERT INTO it_tools (vendor, name, kind, processes, linked, state, created_by, created_at, "
			 "updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id",
			 p, 8, id, err);
}

hj_status spt_tool_update(hj_tx *tx, int64_t id, const char *name, const char *kind, const char *processes,
			  int linked, int64_t now, int *changed, hj_error *err)
{
	st_val p[] = { st_text(name), st_text(kind), st_text(processes), st_int(linked), st_int(now), st_int(id) };
	return exec_changed(tx,
			    "UPDATE it_tools SET name = ?, kind = ?, processes = ?, linked = ?, state = 'draft', "
			    "reason = NULL, updated_at = ? WHERE id = ? AND state IN ('draft', 'refused')",
			    p, 6, changed, err);
}

hj_status spt_tool_delete(hj_tx *tx, int64_t id, int *changed, hj_error *err)
{
	st_val p[] = { st_int(id) };
	return exec_changed(tx, "DELETE FROM it_tools WHERE id = ? AND state IN ('draft', 'refused')", p, 1, changed,
			    err);
}

hj_status spt_tool_state(hj_tx *tx, int64_t id, const char *from, const char *to, const char *reason, int64_t by,
			 int64_t now, int *changed, hj_error *err)
{
	st_val p[] = { st_text(to), st_text(reason), st_opt_int(by), by ? st_int(now) : st_null(),
		       st_int(now), st_int(id),	     st_text(from) };
	return exec_changed(tx,
			    "UPDATE it_tools SET state = ?, reason = ?, decided_by = ?, decided_at = ?, updated_at = ? "
			    "WHERE id = ? AND state = ?",
			    p, 7, changed, err);
}

hj_status spt_tool_get(hj_tx *tx, int64_t id, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(id) };
	return query_json(tx, "SELECT " TOOL_COLS " WHERE t.id = ?", p, 1, TOOL_SPEC, 0, out, err);
}

hj_status spt_tool_list(hj_tx *tx, int64_t vendor, const char *state, json_t **out, hj_error *err)
{
	char sql[600];
	st_val p[2];
	int n = 0;
	snprintf(sql, sizeof sql, "SELECT " TOOL_COLS " WHERE 1 = 1%s%s ORDER BY t.id LIMIT 1000",
		 vendor ? " AND t.vendor = ?" : "", state ? " AND t.state = ?" : "");
	if (vendor)
		p[n++] = st_int(vendor);
	if (state)
		p[n++] = st_text(state);
	return query_json(tx, sql, p, n, TOOL_SPEC, 1, out, err);
}

hj_status spt_app_tools(hj_tx *tx, int64_t app, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(app) };
	return query_json(tx,
			  "SELECT " TOOL_COLS " JOIN application_tools x ON x.tool = t.id WHERE x.application = ? "
			  "ORDER BY t.id LIMIT 200",
			  p, 1, TOOL_SPEC, 1, out, err);
}

hj_status spt_inv_of_call(hj_tx *tx, int64_t call, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(call) };
	return query_json(tx,
			  "SELECT " INV_COLS " FROM party_invitations WHERE application IN "
			  "(SELECT id FROM applications WHERE call = ? AND state = 'submitted') ORDER BY application, id",
			  p, 1, INV_SPEC, 1, out, err);
}

hj_status spt_tools_of_call(hj_tx *tx, int64_t call, json_t **out, hj_error *err)
{
	st_val p[] = { st_int(call) };
	return query_json(tx,
			  "SELECT t.id, t.vendor, o.name, t.name, t.kind, t.processes, t.linked, t.state, t.reason, "
			  "t.decided_at, t.created_at, t.updated_at, x.application FROM it_tools t "
			  "JOIN party_orgs o ON o.id = t.vendor JOIN application_tools x ON x.tool = t.id "
			  "WHERE x.application IN (SELECT id FROM applications WHERE call = ? AND state = 'submitted') "
			  "ORDER BY x.application, t.id",
			  p, 1, TOOL_SPEC ",application:i", 1, out, err);
}

hj_status spt_app_tools_set(hj_tx *tx, int64_t app, json_t *tools, int64_t by, int64_t now, hj_error *err)
{
	st_val p[] = { st_int(app) };
	hj_status s = st_exec(tx, "DELETE FROM application_tools WHERE application = ?", p, 1, NULL, err);
	size_t i;
	json_t *t;
	json_array_foreach(tools, i, t)
	{
		if (s)
			break;
		st_val q[] = { st_int(app), st_int(json_integer_value(t)), st_int(by), st_int(now) };
		s = st_exec(tx, "INSERT INTO application_tools (application, tool, chosen_by, chosen_at) VALUES (?, ?, ?, ?)",
			    q, 4, NULL, err);
	}
	return s;
}
