/*
 * lib/grants/parties.c - those who stand behind an application, as office
 * logic (include/hojo/grants/parties.h, docs/intake.md "Parties").
 *
 * The rules of this file, in one place:
 *  - Organisations. An account holding the role a kind of party needs
 *    (rules/parties.yaml 'role': supporter or vendor) registers its
 *    organisation (kind, name, registration number such as the 認定支援
 *    機関ID) and acts for it; it may add other accounts of the same role.
 *    An account acts for at most one organisation.
 *  - Invitations. The owner of a draft or returned application invites
 *    one kind of party, by e-mail or by organisation; the kind must
 *    confirm at least one fact for the application's program. The party
 *    confirms from its own account, acting for an organisation of that
 *    kind: which facts (by default every fact its kind confirms for the
 *    program), a statement, an end date. Either side revokes. A
 *    confirmation past its end date is "expired". An invitation that is
 *    not addressed to the actor does not exist for it (NOT_FOUND): a
 *    supporter sees only the applications it was invited to.
 *  - The tool registry. A vendor registers tools (software with its
 *    processes P-01…P-07, hardware, options, services; 連携型), edits
 *    them while draft or refused, and submits them; staff approve, or
 *    refuse with a reason, but never a tool of the organisation they
 *    act for. Only approved tools are listed publicly and selectable.
 *  - The facts. gp_overlay sets the facts rules/parties.yaml names from
 *    current confirmations and chosen approved tools, overriding what the
 *    applicant typed (a disagreement is a warning of type "party"). With
 *    nobody confirming, a typed true (or a typed set of processes) is
 *    removed, so the engine says 要確認 rather than taking the
 *    applicant's word; a typed false is kept (it only speaks against the
 *    applicant).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "hojo/alloc.h"
#include "hojo/grants/audit.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/parties.h"
#include "grants-int.h"
#include "store/applications.h"
#include "store/parties.h"

#define NOMEM(err) hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません")

/* ---- small helpers ---- */

static unsigned role_bit(const char *role)
{
	return !strcmp(role, "vendor") ? HJ_ROLE_VENDOR : HJ_ROLE_SUPPORTER;
}

static const char *kind_name(const hj_rulebook *rb, const char *kind)
{
	const hj_party_kind *k = rb ? hj_rulebook_find_party(rb, kind) : NULL;
	return k ? k->name : kind;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static hj_status audit(hj_tx *tx, const hj_actor *who, const char *action, const char *type, int64_t id,
		       int64_t company, json_t *detail, hj_error *err)
{
	return gg_audit(tx, who, action, type, id, company, NULL, NULL, detail, err);
}

/* The state an invitation has now: a confirmation past its end is expired. */
static const char *inv_state(json_t *inv, int64_t now)
{
	const char *s = jstr(inv, "state");
	int64_t until = jint(inv, "until_us");
	if (s && !strcmp(s, "confirmed") && until && until <= now)
		return "expired";
	return s ? s : "";
}

/* The invitation as documents show it: kind_name, the state now, the
 * organisation by name, JST times. */
static hj_status inv_view(hj_tx *tx, const hj_rulebook *rb, json_t *inv, int64_t now, json_t **out, hj_error *err)
{
	json_t *v = json_deep_copy(inv), *org = NULL;
	if (!v)
		return NOMEM(err);
	hj_status s = HJ_OK;
	if (jint(inv, "org") && (s = spt_org_get(tx, jint(inv, "org"), &org, err))) {
		json_decref(v);
		return s;
	}
	json_object_set_new(v, "kind_name", json_string(kind_name(rb, jstr(inv, "kind"))));
	json_object_set_new(v, "state", json_string(inv_state(inv, now)));
	json_object_set_new(v, "organisation", org ? org : json_null());
	json_object_del(v, "org");
	json_object_del(v, "invited_by");
	json_object_del(v, "confirmed_by");
	json_object_del(v, "revoked_by");
	if (json_is_null(json_object_get(v, "confirms")))
		json_object_set_new(v, "confirms", json_array());
	gg_times_to_iso(v);
	*out = v;
	return HJ_OK;
}

/* ---- the application an operation is about ---- */

typedef struct appref {
	sti_app a;
	sti_member m;
	char program[64];
} appref;

/* Application 'id' as the actor sees it (a member, or staff when it was
 * submitted at least once); NOT_FOUND otherwise. want_owner: only its owner acts;
 * want_edit: only while draft or returned. */
static hj_status app_ref(hj_tx *tx, const hj_actor *who, int64_t id, int want_owner, int want_edit, appref *r,
			 hj_error *err)
{
	int found;
	memset(r, 0, sizeof *r);
	hj_status s = sti_app_get(tx, id, &r->a, &found, err);
	if (s)
		return s;
	if (found && (s = sti_membership(tx, r->a.company, r->a.id, who->account, hj_now_us(), &r->m, err)))
		goto fail;
	/* staff see what reached the office: submitted at least once (as
	 * see_app in applications.c; a draft withdrawn unsubmitted did not) */
	if (!found || !(r->m.role[0] || (gg_is_staff(who) && r->a.submitted_at))) {
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "申請 %lld はありません", (long long)id);
		goto fail;
	}
	if (want_owner && strcmp(r->m.role, "owner")) {
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "関係者を招待・取消できるのは申請の代表者だけです");
		goto fail;
	}
	if (want_edit && !r->m.role[0]) {
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "この申請を変更できるのは申請者側だけです");
		goto fail;
	}
	if (want_edit && strcmp(r->a.state, "draft") && strcmp(r->a.state, "returned")) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "状態が「%s」の申請は変更できません", r->a.state);
		goto fail;
	}
	json_t *call = NULL;
	if ((s = sti_call_get(tx, r->a.call, &call, err)))
		goto fail;
	snprintf(r->program, sizeof r->program, "%s", call ? jstr(call, "program") : "");
	json_decref(call);
	return HJ_OK;
fail:
	sti_app_clear(&r->a);
	return s;
}

/* Does kind 'k' confirm anything for 'program'? */
static int kind_applies(const hj_party_kind *k, const char *program)
{
	for (int i = 0; i < k->nfacts; i++)
		if (hj_party_fact_applies(&k->facts[i], program))
			return 1;
	return 0;
}

/* ---- the overlay ---- */

/* The value at dotted 'path' of 'root' (borrowed), NULL when absent. */
static json_t *get_path(json_t *root, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *cur = root;
	for (char *save = NULL, *t = strtok_r(buf, ".", &save); t && cur; t = strtok_r(NULL, ".", &save))
		cur = json_is_object(cur) ? json_object_get(cur, t) : NULL;
	return cur;
}

/* Set (value non-NULL, stolen) or delete the value at dotted 'path',
 * making the objects on the way. */
static void set_path(json_t *root, const char *path, json_t *value)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *cur = root;
	char *save = NULL, *t = strtok_r(buf, ".", &save);
	while (t) {
		char *next = strtok_r(NULL, ".", &save);
		if (!json_is_object(cur))
			break;
		if (!next) {
			if (value)
				json_object_set(cur, t, value);
			else
				json_object_del(cur, t);
			break;
		}
		json_t *sub = json_object_get(cur, t);
		if (!sub) {
			if (!value)
				break;
			json_object_set_new(cur, t, sub = json_object());
		}
		cur = sub;
		t = next;
	}
	json_decref(value);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The union of the processes of the approved software tools, sorted. */
static json_t *tool_processes(json_t *tools)
{
	const char *v[64];
	int n = 0;
	size_t i, k;
	json_t *t, *p;
	json_array_foreach(tools, i, t)
	{
		if (strcmp(jstr(t, "state"), "approved") || strcmp(jstr(t, "kind"), "software"))
			continue;
		json_array_foreach(json_object_get(t, "processes"), k, p)
		{
			const char *s = json_string_value(p);
			int dup = 0;
			for (int j = 0; s && j < n; j++)
				dup |= !strcmp(v[j], s);
			if (s && !dup && n < 64)
				v[n++] = s;
		}
	}
	qsort(v, (size_t)n, sizeof *v, cmp_str);
	json_t *a = json_array();
	for (int j = 0; a && j < n; j++)
		json_array_append_new(a, json_string(v[j]));
	return a;
}

static void party_warn(json_t *warnings, const char *item, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void party_warn(json_t *warnings, const char *item, const char *fmt, ...)
{
	char msg[800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(warnings, json_pack("{s:n,s:s,s:s,s:s}", "frame", "type", "party", "item", item, "message",
						  msg));
}

static const char *shown(json_t *v, char *buf, size_t n)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	snprintf(buf, n, "%s", s ? s : "?");
	free(s);
	return buf;
}

/* The chosen tools that count for party kind 'kind': approved, and
 * registered by an organisation whose invitation of that kind to this
 * application is confirmed now — the applicant applies with one IT
 * vendor and that vendor's registered tools (seed 001:707, 778). A new
 * array (references to the tools), or NULL when out of memory; each
 * approved tool of another vendor gets a warning. */
static json_t *partner_tools(json_t *tools, json_t *invs, const char *kind, int64_t now, json_t *warnings)
{
	json_t *out = json_array();
	size_t i, k;
	json_t *t, *inv;
	json_array_foreach(tools, i, t)
	{
		if (!out || strcmp(jstr(t, "state"), "approved"))
			continue;
		int partner = 0;
		json_array_foreach(invs, k, inv)
			partner |= !strcmp(jstr(inv, "kind"), kind) && !strcmp(inv_state(inv, now), "confirmed") &&
				   jint(inv, "org") == jint(t, "vendor");
		if (partner)
			json_array_append(out, t);
		else
			party_warn(warnings, "project.it.registered_tool",
				   "ITツール「%s」（%s）は提携を確認した IT導入支援事業者のツールではないため、数えません",
				   jstr(t, "name"), jstr(t, "vendor_name") ? jstr(t, "vendor_name") : "");
	}
	return out;
}

void gp_parties_stamp(json_t *invs, json_t *tools, int64_t now, char out[65])
{
	out[0] = '\0';
	if (!json_array_size(invs) && !json_array_size(tools))
		return;
	json_t *states = json_array(), *doc = NULL;
	size_t i;
	json_t *inv;
	json_array_foreach(invs, i, inv)
		json_array_append_new(states, json_string(inv_state(inv, now)));
	doc = json_pack("[O,O,o]", invs ? invs : json_null(), tools ? tools : json_null(), states);
	char *t = doc ? gg_dump(doc, JSON_SORT_KEYS) : NULL;
	json_decref(doc);
	/* out of memory: a stamp no kept row can have, so nothing is reused */
	if (!t) {
		snprintf(out, 65, "unstamped");
		return;
	}
	hj_sha256_hex(t, strlen(t), out);
	hj_free(t);
}

hj_status gp_overlay(hj_tx *tx, const hj_rulebook *rb, int64_t app, const char *program, json_t *data,
		     json_t *warnings, json_t **parties, hj_error *err)
{
	return gp_overlay_with(tx, rb, app, program, data, warnings, parties, NULL, NULL, err);
}

/* gp_overlay with the application's invitations and chosen tools given
 * (read by the caller for many applications at once; NULL: read here). */
hj_status gp_overlay_with(hj_tx *tx, const hj_rulebook *rb, int64_t app, const char *program, json_t *data,
			  json_t *warnings, json_t **parties, json_t *given_invs, json_t *given_tools, hj_error *err)
{
	json_t *invs = json_incref(given_invs), *tools = json_incref(given_tools), *facts = json_array(),
	       *views = json_array();
	json_t *counted = NULL; /* the tools a kind's facts come from (partner_tools) */
	int64_t now = hj_now_us();
	if (parties)
		*parties = NULL;
	hj_status s;
	if (!facts || !views) {
		s = NOMEM(err);
		goto done;
	}
	if ((!invs && (s = spt_inv_of_app(tx, app, &invs, err))) || (!tools && (s = spt_app_tools(tx, app, &tools, err))))
		goto done;
	size_t i;
	json_t *inv, *t;
	for (int k = 0; k < hj_rulebook_nparties(rb); k++) {
		const hj_party_kind *pk = hj_rulebook_party(rb, k);
		int napproved = 0, linked = 0;
		for (int f = 0; f < pk->nfacts && !counted; f++)
			if (pk->facts[f].from != HJ_PARTY_CONFIRMATION && hj_party_fact_applies(&pk->facts[f], program)) {
				if (!(counted = partner_tools(tools, invs, pk->kind, now, warnings))) {
					s = NOMEM(err);
					goto done;
				}
				json_array_foreach(counted, i, t)
				{
					napproved++;
					linked |= json_is_true(json_object_get(t, "linked"));
				}
			}
		for (int f = 0; f < pk->nfacts; f++) {
			const hj_party_fact *pf = &pk->facts[f];
			if (!hj_party_fact_applies(pf, program))
				continue;
			const char *input = hj_fact_input(rb, pf->fact_index);
			const char *label = hj_fact_label(rb, pf->fact_index);
			json_t *value = NULL, *by = NULL;
			int pending = 0;
			if (pf->from == HJ_PARTY_CONFIRMATION) {
				json_array_foreach(invs, i, inv)
				{
					if (strcmp(jstr(inv, "kind"), pk->kind))
						continue;
					const char *st = inv_state(inv, now);
					pending |= !strcmp(st, "pending");
					if (strcmp(st, "confirmed") || value)
						continue;
					size_t c;
					json_t *cf;
					int has = 0;
					json_array_foreach(json_object_get(inv, "confirms"), c, cf)
						has |= json_is_string(cf) && !strcmp(json_string_value(cf), pf->fact);
					if (!has)
						continue;
					json_t *org = NULL;
					if ((s = spt_org_get(tx, jint(inv, "org"), &org, err)))
						goto done;
					char at[32];
					gg_iso_jst(jint(inv, "confirmed_at_us"), at);
					value = json_true();
					by = json_pack("{s:s,s:s,s:I,s:o,s:s}", "kind", pk->kind, "kind_name", pk->name,
						       "invitation", (json_int_t)jint(inv, "id"), "organisation",
						       org ? org : json_null(), "at", at);
				}
			} else if (napproved) {
				value = pf->from == HJ_PARTY_TOOLS	    ? json_true()
					: pf->from == HJ_PARTY_TOOL_LINKED ? json_boolean(linked)
									   : tool_processes(counted);
				json_t *ids = json_array();
				json_array_foreach(counted, i, t)
					json_array_append_new(ids, json_integer(jint(t, "id")));
				by = json_pack("{s:s,s:s,s:o}", "kind", pk->kind, "kind_name", pk->name, "tools", ids);
			}
			json_t *typed = get_path(data, input);
			char b1[200], b2[200];
			if (value) {
				if (typed && !json_equal(typed, value))
					party_warn(warnings, input,
						   "「%s」（%s）は %s と入力されていますが、%sの確認・登録により %s とします", label,
						   input, shown(typed, b1, sizeof b1), pk->name, shown(value, b2, sizeof b2));
				set_path(data, input, json_incref(value));
			} else if (typed && (json_is_true(typed) || (json_is_array(typed) && json_array_size(typed)))) {
				party_warn(warnings, input,
					   "「%s」（%s）は%sの%sがないため未確認です（入力された %s は使いません）", label, input,
					   pk->name, pf->from == HJ_PARTY_CONFIRMATION ? "確認" : "承認済みITツールの選択",
					   shown(typed, b1, sizeof b1));
				/* kept by gp_prune only where a frame then misses it */
				json_object_set_new(json_array_get(warnings, json_array_size(warnings) - 1), "unconfirmed",
						    json_true());
				set_path(data, input, NULL);
			}
			json_array_append_new(facts,
					      json_pack("{s:s,s:s,s:s,s:s,s:s,s:O,s:b,s:b,s:o}", "fact", pf->fact, "input",
							input, "label", label, "kind", pk->kind, "from", pf->from_name,
							"value", value ? value : json_null(), "confirmed", value != NULL,
							"pending", pending, "by", by ? by : json_null()));
			json_decref(value);
		}
		json_decref(counted);
		counted = NULL;
	}
	if (parties) {
		json_array_foreach(invs, i, inv)
		{
			json_t *v;
			if ((s = inv_view(tx, rb, inv, now, &v, err)))
				goto done;
			json_array_append_new(views, v);
		}
		gg_times_to_iso(tools);
		*parties = json_pack("{s:O,s:O,s:O}", "invitations", views, "tools", tools, "facts", facts);
		if (!*parties)
			s = NOMEM(err);
	}
done:
	json_decref(counted);
	json_decref(invs);
	json_decref(tools);
	json_decref(facts);
	json_decref(views);
	return s;
}

void gp_prune(json_t *warnings)
{
	for (size_t i = json_array_size(warnings); i-- > 0;) {
		json_t *w = json_array_get(warnings, i);
		if (!json_is_true(json_object_get(w, "unconfirmed")))
			continue;
		const char *item = jstr(w, "item");
		int missed = 0;
		size_t k;
		json_t *m;
		json_array_foreach(warnings, k, m)
			missed |= !strcmp(jstr(m, "type"), "missing") && jstr(m, "item") && item && !strcmp(jstr(m, "item"), item);
		if (missed)
			json_object_del(w, "unconfirmed");
		else
			json_array_remove(warnings, i);
	}
}

/* ---- organisations ---- */

typedef struct ctx {
	const hj_rulebook *rb;
	const hj_actor *who;
	json_t *body;
	int64_t id, id2;
	int flag;
	const char *s1, *s2;
	json_t *out;
} ctx;

static hj_status org_doc(hj_tx *tx, const hj_rulebook *rb, int64_t org, json_t **out, hj_error *err)
{
	json_t *o = NULL, *members = NULL;
	hj_status s = spt_org_get(tx, org, &o, err);
	if (!s && o)
		s = spt_member_list(tx, org, &members, err);
	if (s || !o) {
		json_decref(o);
		*out = json_null();
		return s;
	}
	json_object_set_new(o, "kind_name", json_string(kind_name(rb, jstr(o, "kind"))));
	json_object_set_new(o, "members", members);
	*out = o;
	return HJ_OK;
}

static hj_status org_create_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	const char *kind, *name, *reg;
	hj_status s;
	if ((s = gg_want_string(c->body, "kind", 1, 40, &kind, err)) ||
	    (s = gg_want_string(c->body, "name", 1, 200, &name, err)) ||
	    (s = gg_want_string(c->body, "registration", 0, 100, &reg, err)))
		return s;
	const hj_party_kind *k = hj_rulebook_find_party(c->rb, kind);
	if (!k)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "kind", "未知の関係者の種類 '%s'", kind);
	if (!(c->who->roles & role_bit(k->role)))
		return hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "%sの組織を登録するには役割 %s が必要です", k->name,
				    k->role);
	int64_t org, id;
	if ((s = spt_member_org(tx, c->who->account, &org, err)))
		return s;
	if (org)
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "organisation", "このアカウントはすでに組織 %lld に属しています",
				    (long long)org);
	int64_t now = hj_now_us();
	if ((s = spt_org_insert(tx, kind, name, reg, c->who->account, now, &id, err)) ||
	    (s = spt_member_insert(tx, c->who->account, id, c->who->account, now, err)) ||
	    (s = audit(tx, c->who, "party.org.create", "party_org", id, 0,
		       json_pack("{s:s,s:s,s:s?}", "kind", kind, "name", name, "registration", reg), err)))
		return s;
	json_decref(c->out);
	return org_doc(tx, c->rb, id, &c->out, err);
}

/* The end of an operation: on failure c->out dropped and 's'; else
 * c->out handed to the caller as *json, as {key: c->out} where 'key'
 * (null when there is none), as it is without a key (nothing when NULL). */
static hj_status hand_over(ctx *c, hj_status s, const char *key, char **json, hj_error *err)
{
	if (s) {
		json_decref(c->out);
		return s;
	}
	if (!key)
		return c->out ? gg_give(c->out, json, err) : HJ_OK;
	return gg_give(json_pack("{s:o}", key, c->out ? c->out : json_null()), json, err);
}

/* Check the actor is signed in, parse the body (when 'allowed' lists its
 * keys), run 'fn' in a transaction (writing or not) and hand c->out to
 * the caller, wrapped as {key: …} when 'key' is given. */
static hj_status run_tx(hj_store *st, int write, hj_status (*fn)(hj_tx *, void *, hj_error *), ctx *c,
			const char *body, size_t len, const char *allowed, const char *key, char **json, hj_error *err)
{
	*json = NULL;
	hj_status s = gg_need_account(c->who, err);
	if (!s && allowed)
		s = gg_parse_body(body, len, allowed, &c->body, err);
	if (!s)
		s = hj_store_run(st, write, fn, c, err);
	json_decref(c->body);
	return hand_over(c, s, key, json, err);
}

hj_status hj_party_org_create(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *body, size_t len,
			      char **json, hj_error *err)
{
	ctx c = { .rb = rb, .who = who };
	return run_tx(st, 1, org_create_tx, &c, body, len, "kind,name,registration", "organisation", json, err);
}

static hj_status org_mine_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	int64_t org;
	hj_status s = spt_member_org(tx, c->who->account, &org, err);
	json_decref(c->out);
	c->out = NULL;
	if (!s)
		s = org ? org_doc(tx, c->rb, org, &c->out, err) : HJ_OK;
	return s;
}

hj_status hj_party_org_mine(hj_store *st, const hj_rulebook *rb, const hj_actor *who, char **json, hj_error *err)
{
	ctx c = { .rb = rb, .who = who };
	return run_tx(st, 0, org_mine_tx, &c, NULL, 0, NULL, "organisation", json, err);
}

static hj_status org_member_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	const char *email;
	int64_t org, id, roles;
	hj_status s;
	json_t *o = NULL;
	if ((s = gg_want_string(c->body, "email", 1, 254, &email, err)) ||
	    (s = spt_member_org(tx, c->who->account, &org, err)))
		return s;
	if (!org)
		return hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "まず組織を登録してください");
	if ((s = spt_org_get(tx, org, &o, err)))
		return s;
	const hj_party_kind *k = hj_rulebook_find_party(c->rb, jstr(o, "kind"));
	char lower[256];
	snprintf(lower, sizeof lower, "%s", email);
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if ((s = spt_account_roles(tx, lower, &id, &roles, err)))
		goto done;
	if (!id)
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "email", "%s のアカウントはありません", lower);
	else if (k && !((unsigned)roles & role_bit(k->role)))
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "email", "%s には役割 %s がありません", lower, k->role);
	else if ((s = spt_member_insert(tx, id, org, c->who->account, hj_now_us(), err))) {
		if (s == HJ_ERR_CONFLICT && !strcmp(err->field, "unique"))
			s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "email", "%s はすでに組織に属しています", lower);
	} else if (!(s = audit(tx, c->who, "party.org.member", "party_org", org, 0, json_pack("{s:I}", "account", (json_int_t)id),
			       err))) {
		json_decref(c->out);
		s = org_doc(tx, c->rb, org, &c->out, err);
	}
done:
	json_decref(o);
	return s;
}

hj_status hj_party_org_add_member(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *body,
				  size_t len, char **json, hj_error *err)
{
	ctx c = { .rb = rb, .who = who };
	return run_tx(st, 1, org_member_tx, &c, body, len, "email", "organisation", json, err);
}

static hj_status org_list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	json_decref(c->out);
	c->out = NULL;
	hj_status s = spt_org_list(tx, c->s1, &c->out, err);
	size_t i;
	json_t *o;
	json_array_foreach(c->out, i, o)
		json_object_set_new(o, "kind_name", json_string(kind_name(c->rb, jstr(o, "kind"))));
	return s;
}

hj_status hj_party_org_list(hj_store *st, const hj_rulebook *rb, const char *kind, char **json, hj_error *err)
{
	ctx c = { .rb = rb, .s1 = kind };
	*json = NULL;
	if (kind && !hj_rulebook_find_party(rb, kind))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "kind", "未知の関係者の種類 '%s'", kind);
	return hand_over(&c, hj_store_run(st, 0, org_list_tx, &c, err), "organisations", json, err);
}

/* ---- invitations: the owner's side ---- */

static hj_status invite_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	appref r;
	const char *kind, *email;
	int64_t org = 0, id;
	int given;
	json_t *o = NULL, *inv = NULL;
	hj_status s = app_ref(tx, c->who, c->id, 1, 1, &r, err);
	if (s)
		return s;
	if ((s = gg_want_string(c->body, "kind", 1, 40, &kind, err)) ||
	    (s = gg_want_string(c->body, "email", 0, 254, &email, err)) ||
	    (s = gg_want_int(c->body, "organisation", 0, 1, &org, &given, err)))
		goto done;
	const hj_party_kind *k = hj_rulebook_find_party(c->rb, kind);
	if (!k) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "kind", "未知の関係者の種類 '%s'", kind);
		goto done;
	}
	if (!kind_applies(k, r.program)) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "kind", "%sはこの制度（%s）の申請で確認する事項がありません", k->name,
				 r.program);
		goto done;
	}
	if (!email == !given) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "email", "email（メールアドレス）か organisation（組織の id）のどちらか一方で招待してください");
		goto done;
	}
	char lower[256] = "";
	if (email) {
		if (!strchr(email, '@')) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "email", "メールアドレスが正しくありません: '%s'", email);
			goto done;
		}
		snprintf(lower, sizeof lower, "%s", email);
		for (char *p = lower; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	} else {
		if ((s = spt_org_get(tx, org, &o, err)))
			goto done;
		if (!o || strcmp(jstr(o, "kind"), kind)) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "organisation", "組織 %lld は%sとして登録されていません",
					 (long long)org, k->name);
			goto done;
		}
	}
	if ((s = spt_inv_insert(tx, r.a.id, kind, email ? lower : NULL, org, c->who->account, hj_now_us(), &id, err)) ||
	    (s = audit(tx, c->who, "party.invite", "application", r.a.id, r.a.company,
		       json_pack("{s:I,s:s,s:s?,s:I}", "invitation", (json_int_t)id, "kind", kind, "email",
				 email ? lower : NULL, "organisation", (json_int_t)org),
		       err)) ||
	    (s = spt_inv_get(tx, id, &inv, err)))
		goto done;
	json_decref(c->out);
	c->out = NULL;
	s = inv_view(tx, c->rb, inv, hj_now_us(), &c->out, err);
done:
	json_decref(o);
	json_decref(inv);
	sti_app_clear(&r.a);
	return s;
}

hj_status hj_party_invite(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app, const char *body,
			  size_t len, char **json, hj_error *err)
{
	ctx c = { .rb = rb, .who = who, .id = app };
	return run_tx(st, 1, invite_tx, &c, body, len, "kind,email,organisation", "invitation", json, err);
}

static hj_status of_app_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	appref r;
	hj_status s = app_ref(tx, c->who, c->id, 0, 0, &r, err);
	if (s)
		return s;
	json_t *data = json_loads(r.a.data, 0, NULL), *w = json_array();
	json_decref(c->out);
	c->out = NULL;
	s = gp_overlay(tx, c->rb, r.a.id, r.program, json_is_object(data) ? data : NULL, w, &c->out, err);
	json_decref(w); /* the warnings are the application document's (after the engine) */
	json_decref(data);
	sti_app_clear(&r.a);
	return s;
}

hj_status hj_party_of_app(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app, char **json,
			  hj_error *err)
{
	ctx c = { .rb = rb, .who = who, .id = app };
	return run_tx(st, 0, of_app_tx, &c, NULL, 0, NULL, "parties", json, err);
}

static hj_status revoke_owner_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	appref r;
	json_t *inv = NULL;
	int changed;
	hj_status s = app_ref(tx, c->who, c->id, 1, 0, &r, err);
	if (s)
		return s;
	if ((s = spt_inv_get(tx, c->id2, &inv, err)))
		goto done;
	if (!inv || jint(inv, "application") != r.a.id) {
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "招待 %lld はありません", (long long)c->id2);
		goto done;
	}
	if ((s = spt_inv_revoke(tx, c->id2, c->who->account, hj_now_us(), &changed, err)))
		goto done;
	if (!changed) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "この招待はすでに取り消されています");
		goto done;
	}
	if ((s = audit(tx, c->who, "party.revoke", "application", r.a.id, r.a.company,
		       json_pack("{s:I,s:s,s:s}", "invitation", (json_int_t)c->id2, "kind", jstr(inv, "kind"), "by",
				 "owner"),
		       err)))
		goto done;
	json_decref(inv);
	inv = NULL;
	json_decref(c->out);
	c->out = NULL;
	if (!(s = spt_inv_get(tx, c->id2, &inv, err)))
		s = inv_view(tx, c->rb, inv, hj_now_us(), &c->out, err);
done:
	json_decref(inv);
	sti_app_clear(&r.a);
	return s;
}

hj_status hj_party_revoke_by_owner(hj_store *st, const hj_actor *who, int64_t app, int64_t inv, char **json,
				   hj_error *err)
{
	ctx c = { .who = who, .id = app, .id2 = inv };
	return run_tx(st, 1, revoke_owner_tx, &c, NULL, 0, NULL, "invitation", json, err);
}

/* ---- invitations: the party's side ---- */

/* Invitation 'id' if it is addressed to the actor (its e-mail, or the
 * organisation it acts for); NOT_FOUND otherwise. */
static hj_status my_invitation(hj_tx *tx, const hj_actor *who, int64_t id, json_t **inv, int64_t *org, hj_error *err)
{
	*inv = NULL;
	hj_status s = spt_member_org(tx, who->account, org, err);
	if (!s)
		s = spt_inv_get(tx, id, inv, err);
	if (s)
		return s;
	const char *email = jstr(*inv, "email");
	int mine = *inv && ((email && !strcasecmp(email, who->email)) || (*org && jint(*inv, "org") == *org));
	if (mine)
		return HJ_OK;
	json_decref(*inv);
	*inv = NULL;
	return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "招待 %lld はありません", (long long)id);
}

/* What a party sees of the application it is invited to. */
static hj_status app_summary(hj_tx *tx, int64_t app, int with_data, json_t **out, hj_error *err)
{
	sti_app a;
	int found;
	json_t *call = NULL, *company = NULL;
	*out = NULL;
	hj_status s = sti_app_get(tx, app, &a, &found, err);
	if (s || !found)
		return s;
	if (!(s = sti_call_get(tx, a.call, &call, err)) && !(s = sti_company_get(tx, a.company, &company, err))) {
		*out = json_pack("{s:I,s:s?,s:s?,s:s?,s:s?,s:O,s:s}", "id", (json_int_t)a.id, "company_name",
				 jstr(company, "name"), "call_title", jstr(call, "title"), "program", jstr(call, "program"),
				 "edition", jstr(call, "edition"), "frames", a.frames, "state", a.state);
		if (*out && with_data) {
			json_t *d = json_loads(a.data, 0, NULL);
			json_object_set_new(*out, "data", d ? d : json_null());
		}
	}
	json_decref(call);
	json_decref(company);
	sti_app_clear(&a);
	return s;
}

static hj_status inbox_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	int64_t org, now = hj_now_us();
	json_t *invs = NULL;
	hj_status s = spt_member_org(tx, c->who->account, &org, err);
	if (!s)
		s = spt_inv_addressed(tx, c->who->email, org, &invs, err);
	json_decref(c->out);
	c->out = json_array();
	size_t i;
	json_t *inv;
	json_array_foreach(invs, i, inv)
	{
		json_t *v = NULL, *sum = NULL;
		if (s || (s = inv_view(tx, c->rb, inv, now, &v, err)) ||
		    (s = app_summary(tx, jint(inv, "application"), 0, &sum, err))) {
			json_decref(v);
			break;
		}
		json_object_set_new(v, "application", sum ? sum : json_null());
		json_array_append_new(c->out, v);
	}
	json_decref(invs);
	return s;
}

hj_status hj_party_inbox(hj_store *st, const hj_rulebook *rb, const hj_actor *who, char **json, hj_error *err)
{
	ctx c = { .rb = rb, .who = who };
	return run_tx(st, 0, inbox_tx, &c, NULL, 0, NULL, "invitations", json, err);
}

static hj_status inv_get_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	json_t *inv = NULL, *sum = NULL;
	int64_t org;
	hj_status s = my_invitation(tx, c->who, c->id, &inv, &org, err);
	json_decref(c->out);
	c->out = NULL;
	if (!s)
		s = inv_view(tx, c->rb, inv, hj_now_us(), &c->out, err);
	if (!s)
		s = app_summary(tx, jint(inv, "application"), 1, &sum, err);
	if (!s)
		json_object_set_new(c->out, "application", sum ? sum : json_null());
	json_decref(inv);
	return s;
}

hj_status hj_party_invitation_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t inv,
				  char **json, hj_error *err)
{
	ctx c = { .rb = rb, .who = who, .id = inv };
	return run_tx(st, 0, inv_get_tx, &c, NULL, 0, NULL, "invitation", json, err);
}

static hj_status confirm_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	json_t *inv = NULL, *org = NULL, *confirms = NULL, *call = NULL;
	int64_t orgid, until = 0, now = hj_now_us();
	int given, found, changed;
	const char *statement;
	char *ctext = NULL;
	sti_app a;
	memset(&a, 0, sizeof a);
	hj_status s = my_invitation(tx, c->who, c->id, &inv, &orgid, err);
	if (s)
		return s;
	const hj_party_kind *k = hj_rulebook_find_party(c->rb, jstr(inv, "kind"));
	if ((s = gg_want_string(c->body, "statement", 1, 2000, &statement, err)) ||
	    (s = gg_want_time(c->body, "until", 0, &until, &given, err)))
		goto done;
	if (given && until <= now) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "until", "確認の期限（until）は今より後の日時にしてください");
		goto done;
	}
	if (!k) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "kind", "今の規則集にこの関係者の種類 '%s' はありません",
				 jstr(inv, "kind"));
		goto done;
	}
	if (!(c->who->roles & role_bit(k->role)) || !orgid) {
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "確認するには%sとして組織を登録し、役割 %s を持つ必要があります",
				 k->name, k->role);
		goto done;
	}
	if ((s = spt_org_get(tx, orgid, &org, err)))
		goto done;
	if (strcmp(jstr(org, "kind"), k->kind)) {
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "あなたの組織は%sではありません", k->name);
		goto done;
	}
	if (strcmp(jstr(inv, "state"), "pending")) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "この招待は「%s」です（確認できるのは未確認の招待だけです）",
				 jstr(inv, "state"));
		goto done;
	}
	if ((s = sti_app_get(tx, jint(inv, "application"), &a, &found, err)) ||
	    (found && (s = sti_call_get(tx, a.call, &call, err))))
		goto done;
	if (!found || (strcmp(a.state, "draft") && strcmp(a.state, "returned"))) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "申請が下書きか差戻しのときだけ確認できます");
		goto done;
	}
	const char *program = jstr(call, "program");
	json_t *want = json_object_get(c->body, "confirms");
	confirms = json_array();
	if (want && !json_is_array(want)) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "confirms", "confirms は事実の名前のリストです");
		goto done;
	}
	size_t i;
	json_t *w;
	json_array_foreach(want, i, w)
	{
		const char *f = json_string_value(w);
		int ok = 0;
		for (int j = 0; f && j < k->nfacts; j++)
			ok |= !strcmp(k->facts[j].fact, f) && hj_party_fact_applies(&k->facts[j], program) &&
			      k->facts[j].from == HJ_PARTY_CONFIRMATION;
		if (!ok) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "confirms", "%sがこの申請で確認できる事実ではありません: '%s'",
					 k->name, f ? f : "?");
			goto done;
		}
		json_array_append(confirms, w);
	}
	if (!want)
		for (int j = 0; j < k->nfacts; j++)
			if (k->facts[j].from == HJ_PARTY_CONFIRMATION && hj_party_fact_applies(&k->facts[j], program))
				json_array_append_new(confirms, json_string(k->facts[j].fact));
	if (!json_array_size(confirms)) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "confirms", "確認する事実を1つ以上挙げてください");
		goto done;
	}
	if (!(ctext = gg_dump(confirms, 0))) {
		s = NOMEM(err);
		goto done;
	}
	if ((s = spt_inv_confirm(tx, c->id, orgid, c->who->account, now, ctext, statement, given ? until : 0, &changed,
				 err)))
		goto done;
	if (!changed) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "retry", "同時に変更されました");
		goto done;
	}
	if ((s = audit(tx, c->who, "party.confirm", "application", a.id, a.company,
		       json_pack("{s:I,s:s,s:I,s:O}", "invitation", (json_int_t)c->id, "kind", k->kind, "organisation",
				 (json_int_t)orgid, "confirms", confirms),
		       err)))
		goto done;
	json_decref(inv);
	inv = NULL;
	json_decref(c->out);
	c->out = NULL;
	if (!(s = spt_inv_get(tx, c->id, &inv, err)))
		s = inv_view(tx, c->rb, inv, now, &c->out, err);
done:
	sti_app_clear(&a);
	hj_free(ctext);
	json_decref(inv);
	json_decref(org);
	json_decref(confirms);
	json_decref(call);
	return s;
}

hj_status hj_party_confirm(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t inv, const char *body,
			   size_t len, char **json, hj_error *err)
{
	ctx c = { .rb = rb, .who = who, .id = inv };
	return run_tx(st, 1, confirm_tx, &c, body, len, "confirms,statement,until", "invitation", json, err);
}

static hj_status revoke_party_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	json_t *inv = NULL;
	int64_t org;
	int changed;
	sti_app a;
	int found = 0;
	memset(&a, 0, sizeof a);
	hj_status s = my_invitation(tx, c->who, c->id, &inv, &org, err);
	if (s)
		return s;
	if ((s = spt_inv_revoke(tx, c->id, c->who->account, hj_now_us(), &changed, err)))
		goto done;
	if (!changed) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "この招待はすでに取り消されています");
		goto done;
	}
	if ((s = sti_app_get(tx, jint(inv, "application"), &a, &found, err)) ||
	    (s = audit(tx, c->who, "party.revoke", "application", jint(inv, "application"), found ? a.company : 0,
		       json_pack("{s:I,s:s,s:s}", "invitation", (json_int_t)c->id, "kind", jstr(inv, "kind"), "by", "party"),
		       err)))
		goto done;
	json_decref(inv);
	inv = NULL;
	json_decref(c->out);
	c->out = NULL;
	if (!(s = spt_inv_get(tx, c->id, &inv, err)))
		s = inv_view(tx, c->rb, inv, hj_now_us(), &c->out, err);
done:
	sti_app_clear(&a);
	json_decref(inv);
	return s;
}

hj_status hj_party_revoke_by_party(hj_store *st, const hj_actor *who, int64_t inv, char **json, hj_error *err)
{
	ctx c = { .who = who, .id = inv };
	return run_tx(st, 1, revoke_party_tx, &c, NULL, 0, NULL, "invitation", json, err);
}

/* ---- the tool registry ---- */

/* The vendor organisation the actor acts for (role vendor, an org of a
 * kind whose role is vendor); DENIED otherwise. */
static hj_status my_vendor(hj_tx *tx, const hj_rulebook *rb, const hj_actor *who, int64_t *org, hj_error *err)
{
	json_t *o = NULL;
	hj_status s = spt_member_org(tx, who->account, org, err);
	if (!s && *org)
		s = spt_org_get(tx, *org, &o, err);
	if (s)
		return s;
	const hj_party_kind *k = o ? hj_rulebook_find_party(rb, jstr(o, "kind")) : NULL;
	json_decref(o);
	if (!(who->roles & HJ_ROLE_VENDOR) || !k || strcmp(k->role, "vendor"))
		return hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL,
				    "ITツールを登録できるのは、IT導入支援事業者として組織を登録した役割 vendor のアカウントだけです");
	return HJ_OK;
}

/* The enum the processes of a software tool come from (the fact that
 * rules/parties.yaml fills from tool_processes), -1 if none. */
static int process_enum(const hj_rulebook *rb)
{
	for (int k = 0; k < hj_rulebook_nparties(rb); k++) {
		const hj_party_kind *pk = hj_rulebook_party(rb, k);
		for (int f = 0; f < pk->nfacts; f++)
			if (pk->facts[f].from == HJ_PARTY_TOOL_PROCESSES)
				return hj_fact_enum(rb, pk->facts[f].fact_index);
	}
	return -1;
}

/* A tool body: name, kind, processes (software: at least one, each a
 * value of the process enum, no repeats; others: none), linked. */
static hj_status tool_fields(const hj_rulebook *rb, json_t *b, const char **name, const char **kind, char **procs,
			     int *linked, hj_error *err)
{
	hj_status s;
	*procs = NULL;
	if ((s = gg_want_string(b, "name", 1, 200, name, err)) || (s = gg_want_string(b, "kind", 1, 20, kind, err)))
		return s;
	if (strcmp(*kind, "software") && strcmp(*kind, "hardware") && strcmp(*kind, "option") && strcmp(*kind, "service"))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "kind",
				    "kind は software, hardware, option, service のどれかです: '%s'", *kind);
	json_t *l = json_object_get(b, "linked");
	if (l && !json_is_boolean(l))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "linked", "linked（連携型）は true か false です");
	*linked = json_is_true(l);
	json_t *p = json_object_get(b, "processes");
	if (p && !json_is_array(p))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "processes", "processes は P-01〜P-07 のリストです");
	int software = !strcmp(*kind, "software");
	if (software && !json_array_size(p))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "processes", "ソフトウェアには業務プロセス（P-01〜P-07）を1つ以上挙げてください");
	if (!software && json_array_size(p))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "processes", "業務プロセスを持つのはソフトウェアだけです");
	int e = process_enum(rb);
	size_t i, j;
	json_t *v;
	json_array_foreach(p, i, v)
	{
		const char *id = json_string_value(v);
		int ok = 0;
		for (int k = 0; id && e >= 0 && k < hj_enum_nvalues(rb, e); k++)
			ok |= !strcmp(hj_enum_value_id(rb, e, k), id);
		for (j = 0; ok && j < i; j++)
			ok = strcmp(json_string_value(json_array_get(p, j)), id) != 0;
		if (!ok)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "processes", "業務プロセス '%s' は使えないか重複しています（P-01〜P-07）",
					    id ? id : "?");
	}
	*procs = p ? gg_dump(p, 0) : hj_strdup("[]");
	return *procs ? HJ_OK : NOMEM(err);
}

static hj_status tool_create_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	int64_t org, id;
	const char *name, *kind;
	char *procs = NULL;
	int linked;
	hj_status s = my_vendor(tx, c->rb, c->who, &org, err);
	if (!s)
		s = tool_fields(c->rb, c->body, &name, &kind, &procs, &linked, err);
	if (!s)
		s = spt_tool_insert(tx, org, name, kind, procs, linked, c->who->account, hj_now_us(), &id, err);
	if (!s)
		s = audit(tx, c->who, "tool.create", "it_tool", id, 0, json_pack("{s:s,s:s}", "name", name, "kind", kind), err);
	hj_free(procs);
	json_decref(c->out);
	c->out = NULL;
	if (!s)
		s = spt_tool_get(tx, id, &c->out, err);
	return s;
}

hj_status hj_tool_create(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *body, size_t len,
			 char **json, hj_error *err)
{
	ctx c = { .rb = rb, .who = who };
	hj_status s = run_tx(st, 1, tool_create_tx, &c, body, len, "name,kind,processes,linked", "tool", json, err);
	return s;
}

/* Tool 'id' as the actor may see it: approved ones anyone, the others
 * their vendor's accounts and staff; 'own' asks for the vendor's. */
static hj_status see_tool(hj_tx *tx, const hj_actor *who, int64_t id, int own, json_t **t, int64_t *myorg,
			  hj_error *err)
{
	hj_status s = spt_member_org(tx, who->account, myorg, err);
	if (!s)
		s = spt_tool_get(tx, id, t, err);
	if (s)
		return s;
	int mine = *t && *myorg && jint(*t, "vendor") == *myorg;
	int visible = *t && (mine || (!own && (gg_is_staff(who) || !strcmp(jstr(*t, "state"), "approved"))));
	if (visible)
		return HJ_OK;
	json_decref(*t);
	*t = NULL;
	return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "ITツール %lld はありません", (long long)id);
}

static hj_status tool_update_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	int64_t org;
	json_t *t = NULL;
	const char *name, *kind;
	char *procs = NULL;
	int linked, changed;
	hj_status s = see_tool(tx, c->who, c->id, 1, &t, &org, err);
	if (!s)
		s = my_vendor(tx, c->rb, c->who, &org, err);
	if (!s)
		s = tool_fields(c->rb, c->body, &name, &kind, &procs, &linked, err);
	if (!s)
		s = spt_tool_update(tx, c->id, name, kind, procs, linked, hj_now_us(), &changed, err);
	if (!s && !changed)
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "状態が「%s」のITツールは変更できません（下書きか却下のときだけ）",
				 jstr(t, "state"));
	if (!s)
		s = audit(tx, c->who, "tool.update", "it_tool", c->id, 0, json_pack("{s:s,s:s}", "name", name, "kind", kind),
			  err);
	hj_free(procs);
	json_decref(t);
	json_decref(c->out);
	c->out = NULL;
	if (!s)
		s = spt_tool_get(tx, c->id, &c->out, err);
	return s;
}

hj_status hj_tool_update(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, const char *body,
			 size_t len, char **json, hj_error *err)
{
	ctx c = { .rb = rb, .who = who, .id = id };
	return run_tx(st, 1, tool_update_tx, &c, body, len, "name,kind,processes,linked", "tool", json, err);
}

static hj_status tool_delete_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	int64_t org;
	json_t *t = NULL;
	int changed;
	hj_status s = see_tool(tx, c->who, c->id, 1, &t, &org, err);
	if (!s)
		s = spt_tool_delete(tx, c->id, &changed, err);
	if (!s && !changed)
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "状態が「%s」のITツールは削除できません（下書きか却下のときだけ）",
				 jstr(t, "state"));
	if (!s)
		s = audit(tx, c->who, "tool.delete", "it_tool", c->id, 0, json_pack("{s:s}", "name", jstr(t, "name")), err);
	json_decref(t);
	return s;
}

hj_status hj_tool_delete(hj_store *st, const hj_actor *who, int64_t id, hj_error *err)
{
	ctx c = { .who = who, .id = id };
	char *json = NULL;
	hj_status s = run_tx(st, 1, tool_delete_tx, &c, NULL, 0, NULL, NULL, &json, err);
	hj_free(json);
	return s;
}

static hj_status tool_transition_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	int64_t org;
	json_t *t = NULL;
	int changed;
	const char *reason = NULL, *from, *to, *action;
	hj_status s;
	if (c->flag == 0) { /* submit by the vendor */
		from = "draft", to = "submitted", action = "tool.submit";
		s = see_tool(tx, c->who, c->id, 1, &t, &org, err);
	} else {
		from = "submitted", to = c->flag > 0 ? "approved" : "refused";
		action = c->flag > 0 ? "tool.approve" : "tool.refuse";
		if (!gg_is_staff(c->who))
			return hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "ITツールの承認・却下は事務局の権限が必要です");
		s = see_tool(tx, c->who, c->id, 0, &t, &org, err);
		if (!s && org && org == jint(t, "vendor"))
			s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "自分の組織のITツールは承認・却下できません");
		if (!s && c->flag < 0)
			s = gg_want_string(c->body, "reason", 1, 2000, &reason, err);
	}
	if (!s)
		s = spt_tool_state(tx, c->id, from, to, reason, c->flag ? c->who->account : 0, hj_now_us(), &changed, err);
	if (!s && !changed)
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "状態が「%s」のITツールにはできません（「%s」のときだけ）",
				 jstr(t, "state"), from);
	if (!s)
		s = audit(tx, c->who, action, "it_tool", c->id, 0, json_pack("{s:s,s:s?}", "state", to, "reason", reason), err);
	json_decref(t);
	json_decref(c->out);
	c->out = NULL;
	if (!s)
		s = spt_tool_get(tx, c->id, &c->out, err);
	return s;
}

hj_status hj_tool_submit(hj_store *st, const hj_actor *who, int64_t id, char **json, hj_error *err)
{
	ctx c = { .who = who, .id = id, .flag = 0 };
	return run_tx(st, 1, tool_transition_tx, &c, NULL, 0, NULL, "tool", json, err);
}

hj_status hj_tool_decide(hj_store *st, const hj_actor *who, int64_t id, int approve, const char *body, size_t len,
			 char **json, hj_error *err)
{
	ctx c = { .who = who, .id = id, .flag = approve ? 1 : -1 };
	return run_tx(st, 1, tool_transition_tx, &c, body, len, approve ? "" : "reason", "tool", json, err);
}

static hj_status tool_list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	int64_t org = 0;
	hj_status s = HJ_OK;
	json_decref(c->out);
	c->out = NULL;
	if (!strcmp(c->s1, "approved"))
		return spt_tool_list(tx, 0, "approved", &c->out, err);
	if (!strcmp(c->s1, "mine")) {
		if ((s = spt_member_org(tx, c->who->account, &org, err)))
			return s;
		if (!org)
			return (c->out = json_array()) ? HJ_OK : NOMEM(err);
		return spt_tool_list(tx, org, c->s2, &c->out, err);
	}
	return spt_tool_list(tx, 0, c->s2, &c->out, err);
}

hj_status hj_tool_list(hj_store *st, const hj_actor *who, const char *scope, const char *state, char **json,
		       hj_error *err)
{
	ctx c = { .who = who, .s1 = scope ? scope : "approved", .s2 = state };
	*json = NULL;
	if (strcmp(c.s1, "approved") && strcmp(c.s1, "mine") && strcmp(c.s1, "review"))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "scope", "scope は approved, mine, review のどれかです");
	if (state && strcmp(state, "draft") && strcmp(state, "submitted") && strcmp(state, "approved") &&
	    strcmp(state, "refused"))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "state", "state は draft, submitted, approved, refused のどれかです");
	hj_status s = strcmp(c.s1, "approved") ? gg_need_account(who, err) : HJ_OK;
	if (!s && !strcmp(c.s1, "review") && !gg_is_staff(who))
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "事務局の権限が必要です");
	if (!s)
		s = hj_store_run(st, 0, tool_list_tx, &c, err);
	if (s) {
		json_decref(c.out);
		return s;
	}
	gg_times_to_iso(c.out);
	return gg_give(json_pack("{s:o}", "tools", c.out), json, err);
}

static hj_status tool_get_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	int64_t org;
	json_decref(c->out);
	c->out = NULL;
	hj_status s = see_tool(tx, c->who, c->id, 0, &c->out, &org, err);
	gg_times_to_iso(c->out);
	return s;
}

hj_status hj_tool_get(hj_store *st, const hj_actor *who, int64_t id, char **json, hj_error *err)
{
	static const hj_actor nobody;
	ctx c = { .who = who ? who : &nobody, .id = id };
	*json = NULL;
	return hand_over(&c, hj_store_run(st, 0, tool_get_tx, &c, err), "tool", json, err);
}

static hj_status app_tools_tx(hj_tx *tx, void *vc, hj_error *err)
{
	ctx *c = vc;
	appref r;
	hj_status s = app_ref(tx, c->who, c->id, 0, 1, &r, err);
	if (s)
		return s;
	json_t *ids = json_object_get(c->body, "tools");
	if (!json_is_array(ids) || json_array_size(ids) > 50) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "tools", "tools はITツールの id のリスト（50まで）です");
		goto done;
	}
	size_t i, j;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		json_t *t = NULL;
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "tools", "tools はITツールの id（1以上の整数）のリストです");
			goto done;
		}
		for (j = 0; j < i; j++)
			if (json_integer_value(json_array_get(ids, j)) == json_integer_value(v)) {
				s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "tools", "ITツール %lld が2回あります",
						 (long long)json_integer_value(v));
				goto done;
			}
		if ((s = spt_tool_get(tx, json_integer_value(v), &t, err)))
			goto done;
		int approved = t && !strcmp(jstr(t, "state"), "approved");
		json_decref(t);
		if (!approved) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "tools",
					 "ITツール %lld は事務局に承認された登録ツールではないため選べません", (long long)json_integer_value(v));
			goto done;
		}
	}
	if ((s = spt_app_tools_set(tx, r.a.id, ids, c->who->account, hj_now_us(), err)) ||
	    (s = audit(tx, c->who, "application.tools", "application", r.a.id, r.a.company,
		       json_pack("{s:O}", "tools", ids), err)))
		goto done;
	json_decref(c->out);
	c->out = NULL;
	if (!(s = spt_app_tools(tx, r.a.id, &c->out, err)))
		gg_times_to_iso(c->out);
done:
	sti_app_clear(&r.a);
	return s;
}

hj_status hj_app_tools_set(hj_store *st, const hj_actor *who, int64_t app, const char *body, size_t len, char **json,
			   hj_error *err)
{
	ctx c = { .who = who, .id = app };
	return run_tx(st, 1, app_tools_tx, &c, body, len, "tools", "tools", json, err);
}
