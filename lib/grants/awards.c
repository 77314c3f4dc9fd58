/*
 * lib/grants/awards.c - after adoption as office logic (include/hojo/
 * grants/awards.h, docs/after.md): 交付申請 and 交付決定, 計画変更,
 * 実績報告 with evidence, 確定検査, 確定額, 精算払, the yearly reports
 * against the approved plan, overdue reminders and the outcomes.
 *
 * The rules of this file, in one place:
 *  - Visibility. An award is seen by the current members (owner or
 *    contributor) of its application and by staff/admins; to anyone
 *    else (reviewers included) it does not exist (HJ_ERR_NOT_FOUND).
 *  - Adoption is read through ga_adopted (adoption.c) from the
 *    committed selection; 交付申請 needs it, and copies its frame and
 *    amount into the award.
 *  - States: applied → granted | refused (staff); granted → claimed
 *    (the grantee submits the 実績報告) → settled (staff, 確定額) → paid
 *    (staff, 精算払). 交付決定額 is at most the adopted amount.
 *  - Amounts and checks are the engine's (hojo/after.h): the project
 *    period, the claim line check, the 確定額 with its explanation, the
 *    report schedule, the comparison with the plan and the outcomes.
 *    This file stores what the engine said with the rulebook's hash.
 *  - Every change is one transaction with its audit event.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "hojo/after.h"
#include "hojo/alloc.h"
#include "hojo/date.h"
#include "hojo/input.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/audit.h"
#include "hojo/grants/awards.h"
#include "store/applications.h"
#include "store/awards.h"
#include "grants-int.h"
#include "awards-int.h"

#define NOMEM(err) hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません")
#define MAX_LINES 500
#define MAX_CONDITIONS 50

/* One operation's context: what the caller gave and what it gets. */
typedef struct aw_ctx {
	const hj_rulebook *rb;
	const hj_actor *who;
	int64_t id, call, if_match, version;
	int year, dry_run, csv;
	json_t *body, *out;
	const char *spool, *program;
	const char *name, *kind, *ctype, *sha;
	const void *data;
	size_t len;
} aw_ctx;

/* An award as loaded for an operation. */
typedef struct aw_row {
	json_t *j;            /* the row (sta_award_get) */
	int64_t id, app, company, call;
	const char *state, *frame_id;
	const hj_frame *frame; /* NULL when the rulebook has no such frame */
	int grantee;           /* the actor is a member of the application */
} aw_row;

static void row_clear(aw_row *a)
{
	json_decref(a->j);
	memset(a, 0, sizeof *a);
}

static int64_t jint(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Today in Japan, "YYYY-MM-DD" (the one clock, hj_now_us). */
static void today_jst(char out[11])
{
	char iso[32];
	gg_iso_jst(hj_now_us(), iso);
	memcpy(out, iso, 10);
	out[10] = '\0';
}

static hj_status want_date(json_t *o, const char *key, int required, hj_date *d, int *given, hj_error *err)
{
	const char *s;
	hj_status st = gg_want_string(o, key, required, 10, &s, err);
	if (given)
		*given = s != NULL;
	if (st || !s)
		return st;
	hj_error e2;
	if (hj_date_parse(s, strlen(s), d, &e2) || strlen(s) != 10)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key, "'%s' は YYYY-MM-DD の日付で書いてください", key);
	return HJ_OK;
}

static void fmt_date(hj_date d, char out[16])
{
	hj_date_format(d, out, 16);
}

/* The award 'id' as the actor may see it (staff, or a member of its
 * application); HJ_ERR_NOT_FOUND otherwise. */
static hj_status see(hj_tx *tx, const aw_ctx *c, int64_t id, aw_row *a, hj_error *err)
{
	memset(a, 0, sizeof *a);
	hj_status s = gg_need_account(c->who, err);
	if (!s)
		s = sta_award_get(tx, id, &a->j, err);
	if (s)
		return s;
	if (a->j) {
		a->id = id;
		a->app = jint(a->j, "application");
		a->company = jint(a->j, "company");
		a->call = jint(a->j, "call");
		a->state = jstr(a->j, "state");
		a->frame_id = jstr(a->j, "frame");
		a->frame = c->rb ? hj_rulebook_find_frame(c->rb, a->frame_id) : NULL;
		sti_member m;
		if ((s = sti_membership(tx, a->company, a->app, c->who->account, hj_now_us(), &m, err))) {
			row_clear(a);
			return s;
		}
		a->grantee = m.role[0] != '\0';
		if (a->grantee || gg_is_staff(c->who))
			return HJ_OK;
	}
	row_clear(a);
	return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "交付 %lld はありません", (long long)id);
}

/* see() and the actor must be a grantee (staff who is not one: denied). */
static hj_status see_grantee(hj_tx *tx, const aw_ctx *c, int64_t id, aw_row *a, hj_error *err)
{
	hj_status s = see(tx, c, id, a, err);
	if (!s && !a->grantee) {
		row_clear(a);
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "これは交付を受ける事業者だけができます");
	}
	return s;
}

static hj_status see_staff(hj_tx *tx, const aw_ctx *c, int64_t id, aw_row *a, hj_error *err)
{
	hj_status s = gg_need_staff(c->who, err);
	return s ? s : see(tx, c, id, a, err);
}

static hj_status need_state(const aw_row *a, const char *want, hj_error *err)
{
	for (const char *p = want; *p;) {
		size_t n = strcspn(p, "|");
		if (strlen(a->state) == n && !strncmp(a->state, p, n))
			return HJ_OK;
		p += n + (p[n] ? 1 : 0);
	}
	return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "状態が「%s」の交付ではできません（必要な状態: %s）",
			    a->state, want);
}

static hj_status need_frame(const aw_row *a, hj_error *err)
{
	if (a->frame)
		return HJ_OK;
	return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "frame", "枠 %s がルールブックにありません", a->frame_id);
}

/* Remove the value at a dotted path ("project.foo", "lines[2].x") from
 * 'root'; 0 when removed (as intake does, lib/grants/applications.c). */

/*
 * The application's data as the engine reads it (JSON text, hj_malloc'd):
 * the raw text the applicant saved, less the fields this rulebook does not
 * know or cannot read (removed one by one, as intake's check does; intake
 * reports them to the applicant, here they simply do not count).
 */
static hj_status app_data_rb(hj_tx *tx, const hj_rulebook *rb, int64_t app, char **data, hj_error *err)
{
	sti_app a;
	*data = NULL;
	hj_status s = ga_app(tx, app, &a, err);
	if (s)
		return s;
	json_t *copy = rb ? json_loads(a.data, 0, NULL) : NULL;
	for (int tries = 0; copy && tries < 200; tries++) {
		hj_facts *f = NULL;
		char *text = gg_dump(copy, 0);
		hj_error e;
		if (!text || hj_facts_new(rb, &f)) {
			hj_free(text);
			break;
		}
		hj_status ls = hj_facts_load_json(f, text, strlen(text), "application", &e);
		hj_facts_free(f);
		if (!ls) {
			hj_free(a.data);
			a.data = text;
			break;
		}
		hj_free(text);
		if (!e.field[0] || gg_remove_path(copy, e.field))
			break;
	}
	json_decref(copy);
	*data = a.data;
	a.data = NULL;
	sti_app_clear(&a);
	return HJ_OK;
}

/* The application's data (raw JSON text, hj_malloc'd). */
static hj_status app_data(hj_tx *tx, int64_t app, char **data, hj_error *err)
{
	return app_data_rb(tx, NULL, app, data, err);
}

/* The approved plan the reports are measured against: application
 * document *appdoc replaced by the engine's hj_approved_plan_json with the
 * 交付申請's base-year actuals ('award' is the award's row with its
 * "request"; without actuals the document stays as it is). */
static hj_status approved_plan(json_t **appdoc, json_t *award, hj_error *err)
{
	json_t *ba = json_object_get(json_object_get(award, "request"), "base_actuals");
	if (!ba || !*appdoc)
		return HJ_OK;
	json_t *w = json_pack("{s:O}", "base_actuals", ba);
	char *app = gg_dump(*appdoc, JSON_COMPACT), *in = w ? gg_dump(w, JSON_COMPACT) : NULL, *out = NULL;
	json_decref(w);
	hj_status s = app && in ? hj_approved_plan_json(app, strlen(app), in, strlen(in), &out, err) : NOMEM(err);
	json_t *d = s ? NULL : json_loads(out, 0, NULL);
	if (!s && !d)
		s = NOMEM(err);
	if (!s) {
		json_decref(*appdoc);
		*appdoc = d;
	}
	hj_free(app);
	hj_free(in);
	hj_free(out);
	return s;
}

/* Run an engine call that takes JSON text 'in' and gives JSON: *out the parsed document. */
static hj_status parse_engine(hj_status s, char **textp, json_t **out, hj_error *err)
{
	char *text = *textp; /* read after the engine call has set it */
	*textp = NULL;
	*out = NULL;
	if (!s) {
		*out = json_loads(text, 0, NULL);
		if (!*out)
			s = hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "エンジンの答えが読めません");
	}
	hj_free(text);
	return s;
}

static hj_status audit(hj_tx *tx, const aw_ctx *c, const char *action, const aw_row *a, json_t *detail,
		       hj_error *err)
{
	return gg_audit(tx, c->who, action, "award", a->id, a->company, NULL, NULL, detail, err);
}

static hj_status run(hj_store *st, int write, hj_tx_fn fn, aw_ctx *c, const char *body, size_t len,
		     const char *allowed, char **json, hj_error *err)
{
	*json = NULL;
	hj_status s = HJ_OK;
	if (allowed)
		s = gg_parse_body(body, len, allowed, &c->body, err);
	if (!s)
		s = hj_store_run(st, write, fn, c, err);
	json_decref(c->body);
	c->body = NULL;
	if (s) {
		json_decref(c->out);
		c->out = NULL;
		return s;
	}
	if (c->csv) {
		*json = (char *)json_string_value(c->out) ? hj_strdup(json_string_value(c->out)) : NULL;
		json_decref(c->out);
		return *json ? HJ_OK : NOMEM(err);
	}
	gg_times_to_iso(c->out);
	return gg_give(c->out, json, err);
}

/* ---- reading ---- */

/* The whole award document for its page. */
static hj_status award_doc(hj_tx *tx, aw_row *a, json_t **out, hj_error *err)
{
	json_t *versions = NULL, *changes = NULL, *claim = NULL, *atts = NULL, *insp = NULL, *settle = NULL,
	       *pay = NULL, *company = NULL;
	hj_status s;
	if ((s = sta_version_list(tx, a->id, &versions, err)) || (s = sta_change_list(tx, a->id, &changes, err)) ||
	    (s = sta_claim_get(tx, a->id, &claim, err)) || (s = sta_claim_att_list(tx, a->id, &atts, err)) ||
	    (s = sta_inspection_last(tx, a->id, &insp, err)) || (s = sta_settlement_get(tx, a->id, &settle, err)) ||
	    (s = sta_payment_get(tx, a->id, &pay, err)) || (s = sti_company_get(tx, a->company, &company, err)))
		goto done;
	json_t *aw = json_deep_copy(a->j);
	if (aw) {
		json_object_set(aw, "company_name", company ? json_object_get(company, "name") : json_null());
		json_object_set_new(aw, "frame_name", json_string(a->frame ? hj_frame_name(a->frame) : a->frame_id));
	}
	*out = json_pack("{s:o,s:o,s:o,s:O,s:o,s:O,s:O,s:O,s:b}", "award", aw ? aw : json_null(), "versions",
			 versions, "changes", changes, "claim", claim ? claim : json_null(), "attachments", atts,
			 "inspection", insp ? insp : json_null(), "settlement", settle ? settle : json_null(),
			 "payment", pay ? pay : json_null(), "grantee", a->grantee);
	versions = changes = atts = NULL;
	if (!*out)
		s = NOMEM(err);
done:
	json_decref(versions);
	json_decref(changes);
	json_decref(claim);
	json_decref(atts);
	json_decref(insp);
	json_decref(settle);
	json_decref(pay);
	json_decref(company);
	return s;
}

/* The engine's check of the conditions due by 交付決定 (hj_due_check_json)
 * on the application with the 交付申請's base-year actuals, if any; *out
 * NULL when the edition has no after-adoption rules. */
static hj_status due_check(hj_tx *tx, const aw_ctx *c, const aw_row *a, json_t **out, hj_error *err)
{
	*out = NULL;
	if (!c->rb || !a->frame || !hj_edition_has_after(hj_frame_edition(a->frame)))
		return HJ_OK;
	char *data = NULL, *in = NULL, *text = NULL;
	hj_status s = app_data_rb(tx, c->rb, a->app, &data, err);
	json_t *ba = json_object_get(json_object_get(a->j, "request"), "base_actuals");
	if (!s && ba) {
		json_t *w = json_pack("{s:O}", "base_actuals", ba);
		in = w ? gg_dump(w, JSON_COMPACT) : NULL;
		json_decref(w);
		if (!in)
			s = NOMEM(err);
	}
	if (!s)
		s = parse_engine(hj_due_check_json(c->rb, a->frame, data, strlen(data), in, in ? strlen(in) : 0, &text, err),
				 &text, out, err);
	hj_free(data);
	hj_free(in);
	return s;
}

static hj_status list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	json_t *items = NULL;
	int64_t total = 0;
	/* if_match and version carry the page and its size */
	hj_status s = sta_award_list(tx, gg_is_staff(c->who) ? 0 : c->who->account, c->call, hj_now_us(),
				     (int)c->if_match, (int)c->version, &items, &total, err);
	if (s)
		return s;
	c->out = json_pack("{s:o,s:I,s:I,s:I}", "awards", items, "page", (json_int_t)c->if_match, "per_page",
			   (json_int_t)c->version, "total", (json_int_t)total);
	return c->out ? HJ_OK : NOMEM(err);
}

hj_status hj_award_list(hj_store *st, const hj_actor *who, int64_t call, int page, int per_page, char **json,
			hj_error *err)
{
	aw_ctx c = { .who = who, .call = call, .if_match = page, .version = per_page };
	*json = NULL;
	hj_status s = gg_need_account(who, err);
	if (!s && page < 1)
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "page", "page は1以上の整数です");
	if (!s && (per_page < 1 || per_page > HJ_AWARD_PER_PAGE_MAX))
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "per_page", "per_page は 1 から %d の整数です",
				 HJ_AWARD_PER_PAGE_MAX);
	return s ? s : run(st, 0, list_tx, &c, NULL, 0, NULL, json, err);
}

static hj_status get_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see(tx, c, c->id, &a, err);
	if (!s)
		s = award_doc(tx, &a, &c->out, err);
	/* the edition's after-adoption rules (what is due by 交付決定, the
	 * reports, the consequences, the outcomes), each with its source */
	if (!s && a.frame && hj_edition_has_after(hj_frame_edition(a.frame))) {
		char *text = NULL;
		json_t *rules = NULL;
		if (!(s = parse_engine(hj_after_rules_json(c->rb, hj_frame_edition(a.frame), &text, err), &text, &rules,
				       err)))
			json_object_set_new(c->out, "rules", rules);
	}
	if (!s && !json_object_get(c->out, "rules"))
		json_object_set_new(c->out, "rules", json_null());
	json_t *due = NULL;
	if (!s && !(s = due_check(tx, c, &a, &due, err)))
		json_object_set_new(c->out, "due_check", due ? due : json_null());
	row_clear(&a);
	return s;
}

hj_status hj_award_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, char **json,
		       hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = id };
	return run(st, 0, get_tx, &c, NULL, 0, NULL, json, err);
}

/* ---- adoption decided outside the selection ---- */

static hj_status adopt_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	const char *frame;
	int64_t amount;
	hj_status s;
	if ((s = gg_want_string(c->body, "frame", 1, 60, &frame, err)) ||
	    (s = gg_want_int(c->body, "amount", 1, 0, &amount, NULL, err)))
		return s;
	if (c->rb && !hj_rulebook_find_frame(c->rb, frame))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "frame", "枠 %s はルールブックにありません", frame);
	if ((s = ga_adopt(tx, c->id, frame, amount, c->who->account, err)) ||
	    (s = gg_audit(tx, c->who, "application.adopt", "application", c->id, 0, NULL, NULL,
			  json_pack("{s:s,s:I}", "frame", frame, "amount", (json_int_t)amount), err)))
		return s;
	c->out = json_pack("{s:{s:I,s:s,s:I,s:s}}", "adoption", "application", (json_int_t)c->id, "frame", frame,
			   "amount", (json_int_t)amount, "outcome", "adopted");
	return c->out ? HJ_OK : NOMEM(err);
}

hj_status hj_award_adopt(hj_store *st, const hj_actor *who, int64_t app, const char *body, size_t len, char **json,
			 hj_error *err)
{
	aw_ctx c = { .who = who, .id = app };
	*json = NULL;
	hj_status s = gg_need_account(who, err);
	if (!s && !(who->roles & HJ_ROLE_ADMIN))
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "採択の記録は管理者だけができます");
	return s ? s : run(st, 1, adopt_tx, &c, body, len, "frame,amount", json, err);
}

/* ---- 交付申請 and 交付決定 ---- */

static hj_status apply_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	sti_app app;
	sti_member m;
	int found;
	hj_status s = sti_app_get(tx, c->id, &app, &found, err);
	if (s)
		return s;
	if (found && (s = sti_membership(tx, app.company, app.id, c->who->account, hj_now_us(), &m, err))) {
		sti_app_clear(&app);
		return s;
	}
	if (!found || !m.role[0]) {
		sti_app_clear(&app);
		return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "申請 %lld はありません", (long long)c->id);
	}
	int64_t company = app.company, call = app.call;
	sti_app_clear(&app);
	if (!m.can_submit)
		return hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL,
				    "交付申請は代表者か提出を任された協力者だけができます");
	char frame[64];
	int64_t amount;
	int adopted;
	if ((s = ga_adopted(tx, c->id, &adopted, frame, sizeof frame, &amount, err)))
		return s;
	if (!adopted)
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "採択されていない申請は交付申請できません");
	int64_t existing;
	if ((s = sta_award_of_app(tx, c->id, &existing, err)))
		return s;
	if (existing)
		return hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "award", "この申請の交付申請は済んでいます（交付 %lld）",
				    (long long)existing);
	char *req = gg_dump(c->body, JSON_SORT_KEYS | JSON_COMPACT);
	if (!req)
		return NOMEM(err);
	int64_t id;
	s = sta_award_insert(tx, c->id, company, call, frame, amount, req, c->who->account, hj_now_us(), &id, err);
	hj_free(req);
	aw_row a;
	if (!s)
		s = see(tx, c, id, &a, err);
	if (s)
		return s;
	s = audit(tx, c, "award.apply", &a,
		  json_pack("{s:I,s:s,s:I}", "application", (json_int_t)c->id, "frame", frame, "adopted_amount",
			    (json_int_t)amount),
		  err);
	if (!s)
		s = award_doc(tx, &a, &c->out, err);
	row_clear(&a);
	return s;
}

hj_status hj_award_apply(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app, const char *body,
			 size_t len, char **json, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = app };
	hj_status s = gg_need_account(who, err);
	if (s)
		return s;
	if (!body || !len)
		body = "{}", len = 2;
	return run(st, 1, apply_tx, &c, body, len, "base_actuals,conditions,note,contact", json, err);
}

/* conditions: an array of at most 50 strings (512 bytes each) → JSON text. */
static hj_status want_conditions(json_t *b, char **text, hj_error *err)
{
	json_t *v = json_object_get(b, "conditions");
	*text = NULL;
	if (!v || json_is_null(v))
		v = json_array();
	else
		json_incref(v);
	hj_status s = HJ_OK;
	if (!json_is_array(v) || json_array_size(v) > MAX_CONDITIONS)
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "conditions", "'conditions' は %d 件までの文字列の配列です",
				 MAX_CONDITIONS);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) if (!s && (!json_is_string(e) || json_string_length(e) > 512 ||
					       strlen(json_string_value(e)) != json_string_length(e))) s =
		hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "conditions", "conditions[%zu] は512バイトまでの文字列です", i);
	if (!s && !(*text = gg_dump(v, JSON_COMPACT)))
		s = NOMEM(err);
	json_decref(v);
	return s;
}

static hj_status decide_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see_staff(tx, c, c->id, &a, err);
	if (s)
		return s;
	const char *decision = NULL, *reason = NULL;
	char *conds = NULL, *terms = NULL;
	int changed = 0;
	json_t *detail = NULL;
	/* the input first (each field named), then the state */
	if ((s = gg_want_string(c->body, "decision", 1, 16, &decision, err)))
		goto done;
	if (!strcmp(decision, "grant")) {
		int64_t amt;
		hj_date d;
		if ((s = gg_want_int(c->body, "amount", 1, 0, &amt, NULL, err)) ||
		    (s = want_date(c->body, "granted_on", 0, &d, NULL, err)) ||
		    (s = want_date(c->body, "period_end", 0, &d, NULL, err)) || (s = want_conditions(c->body, &conds, err)))
			goto done;
		hj_free(conds);
		conds = NULL;
	} else if (!strcmp(decision, "refuse")) {
		if ((s = gg_want_string(c->body, "reason", 1, 2000, &reason, err)))
			goto done;
	}
	if ((s = need_state(&a, "applied", err)))
		goto done;
	int64_t now = hj_now_us();
	if (!strcmp(decision, "refuse")) {
		if ((s = gg_want_string(c->body, "reason", 1, 2000, &reason, err)) ||
		    (s = sta_award_decide(tx, a.id, "refused", -1, NULL, NULL, NULL, reason, c->who->account, now,
					  &changed, err)))
			goto done;
		detail = json_pack("{s:s,s:s}", "decision", "refuse", "reason", reason);
	} else if (!strcmp(decision, "grant")) {
		int64_t amount, adopted = jint(a.j, "adopted_amount");
		hj_date on, req_end = 0, end;
		int has_on, has_end;
		char today[11], on_s[16], end_s[16];
		if ((s = need_frame(&a, err)) || (s = gg_want_int(c->body, "amount", 1, 0, &amount, NULL, err)))
			goto done;
		if (amount > adopted) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "amount",
					 "交付決定額 %lld 円は採択額 %lld 円を超えられません", (long long)amount,
					 (long long)adopted);
			goto done;
		}
		if ((s = want_date(c->body, "granted_on", 0, &on, &has_on, err)) ||
		    (s = want_date(c->body, "period_end", 0, &req_end, &has_end, err)) ||
		    (s = want_conditions(c->body, &conds, err)))
			goto done;
		if (!has_on) {
			today_jst(today);
			hj_error e2;
			(void)hj_date_parse(today, 10, &on, &e2);
		}
		/* what is due by 交付決定 (the engine's rules): a condition not met
		 * stops the grant, named; unknown ones are staff's to judge */
		json_t *due = NULL;
		if ((s = due_check(tx, c, &a, &due, err)))
			goto done;
		size_t di;
		json_t *item;
		json_array_foreach(json_object_get(due, "items"), di, item) if (!s && jstr(item, "status") &&
										  !strcmp(jstr(item, "status"), "not_met"))
		{
			char f[96];
			snprintf(f, sizeof f, "due_by_grant.%.60s", jstr(item, "id") ? jstr(item, "id") : "");
			s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, f, "交付決定までに必要な条件が満たされていません: %s（%s）",
					 jstr(item, "text") ? jstr(item, "text") : "", jstr(item, "detail") ? jstr(item, "detail") : "");
		}
		json_decref(due);
		if (s)
			goto done;
		if ((s = hj_project_period(c->rb, a.frame, on, has_end, req_end, &end, err)))
			goto done;
		if (end < on) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "period_end", "事業期間の終わりが交付決定日より前です");
			goto done;
		}
		fmt_date(on, on_s);
		fmt_date(end, end_s);
		if ((s = sta_award_decide(tx, a.id, "granted", amount, conds, on_s, end_s, NULL, c->who->account, now,
					  &changed, err)))
			goto done;
		json_t *t = json_pack("{s:I,s:s,s:s,s:s}", "granted_amount", (json_int_t)amount, "granted_on", on_s,
				      "period_end", end_s, "rulebook", hj_rulebook_hash(c->rb));
		if (t)
			json_object_set_new(t, "conditions", json_loads(conds, 0, NULL));
		terms = t ? gg_dump(t, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
		json_decref(t);
		if (!terms) {
			s = NOMEM(err);
			goto done;
		}
		if ((s = sta_version_insert(tx, a.id, 1, terms, "交付決定", c->who->account, now, err)))
			goto done;
		detail = json_pack("{s:s,s:I,s:s,s:s}", "decision", "grant", "amount", (json_int_t)amount, "granted_on",
				   on_s, "period_end", end_s);
	} else {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "decision", "'decision' は grant か refuse です");
		goto done;
	}
	if (!changed) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "交付決定は先に済んでいます");
		goto done;
	}
	if ((s = audit(tx, c, "award.decide", &a, detail, err)))
		goto done;
	detail = NULL;
	row_clear(&a);
	if (!(s = see(tx, c, c->id, &a, err)))
		s = award_doc(tx, &a, &c->out, err);
done:
	json_decref(detail);
	hj_free(conds);
	hj_free(terms);
	row_clear(&a);
	return s;
}

hj_status hj_award_decide(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id, const char *body,
			  size_t len, char **json, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = id };
	return run(st, 1, decide_tx, &c, body, len, "decision,amount,conditions,granted_on,period_end,reason", json, err);
}

/* ---- 計画変更 ---- */

static hj_status change_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see_grantee(tx, c, c->id, &a, err);
	if (s)
		return s;
	const char *kind, *reason;
	hj_date end;
	int has_end;
	json_t *detail = json_object_get(c->body, "detail");
	char *text = NULL;
	if ((s = gg_want_string(c->body, "kind", 1, 16, &kind, err)) ||
	    (s = gg_want_string(c->body, "reason", 1, 2000, &reason, err)) ||
	    (s = want_date(c->body, "period_end", 0, &end, &has_end, err)) || (s = need_state(&a, "granted", err)))
		goto done;
	if (strcmp(kind, "reallocation") && strcmp(kind, "extension")) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "kind", "'kind' は reallocation か extension です");
		goto done;
	}
	if (!strcmp(kind, "extension") && !has_end) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "period_end", "期間延長には新しい 'period_end' が要ります");
		goto done;
	}
	if (detail && !json_is_object(detail)) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "detail", "'detail' はオブジェクトです");
		goto done;
	}
	json_t *d = json_pack("{s:s,s:o}", "reason", reason, "detail", detail ? json_incref(detail) : json_object());
	if (d && has_end)
		json_object_set(d, "period_end", json_object_get(c->body, "period_end"));
	text = d ? gg_dump(d, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	json_decref(d);
	if (!text) {
		s = NOMEM(err);
		goto done;
	}
	int64_t id;
	if ((s = sta_change_insert(tx, a.id, kind, text, c->who->account, hj_now_us(), &id, err)) ||
	    (s = audit(tx, c, "award.change.request", &a, json_pack("{s:I,s:s}", "change", (json_int_t)id, "kind", kind),
		       err)))
		goto done;
	json_t *row = NULL;
	if (!(s = sta_change_get(tx, id, &row, err)) && !(c->out = json_pack("{s:o}", "change", row)))
		s = NOMEM(err);
done:
	hj_free(text);
	row_clear(&a);
	return s;
}

hj_status hj_change_request(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award,
			    const char *body, size_t len, char **json, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = award };
	return run(st, 1, change_tx, &c, body, len, "kind,detail,reason,period_end", json, err);
}

static hj_status change_decide_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	json_t *ch = NULL;
	aw_row a = { 0 };
	hj_status s = gg_need_staff(c->who, err);
	if (!s)
		s = sta_change_get(tx, c->id, &ch, err);
	if (s)
		return s;
	if (!ch)
		return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "計画変更 %lld はありません", (long long)c->id);
	const char *decision, *reason;
	char *terms = NULL;
	int changed = 0;
	int64_t now = hj_now_us(), version = 0;
	if ((s = see(tx, c, jint(ch, "award"), &a, err)) ||
	    (s = gg_want_string(c->body, "decision", 1, 16, &decision, err)) ||
	    (s = gg_want_string(c->body, "reason", 0, 2000, &reason, err)))
		goto done;
	if (strcmp(decision, "approve") && strcmp(decision, "refuse")) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "decision", "'decision' は approve か refuse です");
		goto done;
	}
	if (!strcmp(decision, "refuse") && !reason) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "reason", "却下には理由（reason）が要ります");
		goto done;
	}
	if (!strcmp(decision, "approve")) {
		if ((s = need_state(&a, "granted", err)))
			goto done;
		json_t *det = json_object_get(ch, "detail");
		const char *end = jstr(det, "period_end");
		version = jint(a.j, "version") + 1;
		json_t *t = json_pack("{s:I,s:s,s:s,s:O,s:I,s:s}", "granted_amount",
				      (json_int_t)jint(a.j, "granted_amount"), "granted_on", jstr(a.j, "granted_on"),
				      "period_end", end ? end : jstr(a.j, "period_end"), "conditions",
				      json_object_get(a.j, "conditions"), "change", (json_int_t)c->id, "kind",
				      jstr(ch, "kind"));
		if (t && json_object_get(det, "detail"))
			json_object_set(t, "detail", json_object_get(det, "detail"));
		terms = t ? gg_dump(t, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
		json_decref(t);
		if (!terms) {
			s = NOMEM(err);
			goto done;
		}
		if ((s = sta_award_terms(tx, a.id, end, version, now, err)) ||
		    (s = sta_version_insert(tx, a.id, version, terms, reason ? reason : "計画変更の承認", c->who->account,
					    now, err)))
			goto done;
	}
	if ((s = sta_change_decide(tx, c->id, !strcmp(decision, "approve") ? "approved" : "refused", reason, version,
				   c->who->account, now, &changed, err)))
		goto done;
	if (!changed) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "この計画変更は決定済みです");
		goto done;
	}
	if ((s = audit(tx, c, "award.change.decide", &a,
		       json_pack("{s:I,s:s,s:s?}", "change", (json_int_t)c->id, "decision", decision, "reason", reason),
		       err)))
		goto done;
	json_t *row = NULL;
	if (!(s = sta_change_get(tx, c->id, &row, err)) && !(c->out = json_pack("{s:o}", "change", row)))
		s = NOMEM(err);
done:
	hj_free(terms);
	json_decref(ch);
	row_clear(&a);
	return s;
}

hj_status hj_change_decide(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t id,
			   const char *body, size_t len, char **json, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = id };
	return run(st, 1, change_decide_tx, &c, body, len, "decision,reason", json, err);
}

/* ---- 実績報告 ---- */

static hj_status claim_doc(hj_tx *tx, aw_row *a, json_t **out, hj_error *err)
{
	json_t *claim = NULL, *atts = NULL;
	hj_status s = sta_claim_get(tx, a->id, &claim, err);
	if (!s)
		s = sta_claim_att_list(tx, a->id, &atts, err);
	if (!s && !(*out = json_pack("{s:I,s:s,s:o,s:o}", "award", (json_int_t)a->id, "award_state", a->state, "claim",
				     claim ? claim : json_null(), "attachments", atts)))
		s = NOMEM(err);
	if (s) {
		json_decref(claim);
		json_decref(atts);
	}
	return s;
}

static hj_status claim_get_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see(tx, c, c->id, &a, err);
	if (!s)
		s = claim_doc(tx, &a, &c->out, err);
	if (!s)
		c->version = jint(json_object_get(c->out, "claim"), "version");
	row_clear(&a);
	return s;
}

hj_status hj_claim_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, char **json,
		       int64_t *version, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = award };
	hj_status s = run(st, 0, claim_get_tx, &c, NULL, 0, NULL, json, err);
	if (version)
		*version = s ? 0 : c.version;
	return s;
}

/* The claim's lines as the grantee wrote them: an array of at most 500
 * objects, each {category, description, amount (yen ≥ 0), date,
 * contract_date?, attachments?}; the engine reads the rest. */
static hj_status want_lines(json_t *b, json_t **lines, hj_error *err)
{
	json_t *v = json_object_get(b, "lines");
	*lines = NULL;
	if (!json_is_array(v) || json_array_size(v) > MAX_LINES)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "lines", "'lines' は %d 行までの配列です", MAX_LINES);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
	{
		char f[64];
		if (!json_is_object(e)) {
			snprintf(f, sizeof f, "lines[%zu]", i);
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "%s はオブジェクトです", f);
		}
		json_t *amt = json_object_get(e, "amount");
		if (!json_is_integer(amt) || json_integer_value(amt) < 0) {
			snprintf(f, sizeof f, "lines[%zu].amount", i);
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "%s は0以上の整数（円）です", f);
		}
		static const char *const keys[] = { "category", "description", "date" };
		for (int k = 0; k < 3; k++) {
			json_t *t = json_object_get(e, keys[k]);
			if (!json_is_string(t) || json_string_length(t) > 1000 ||
			    strlen(json_string_value(t)) != json_string_length(t)) {
				snprintf(f, sizeof f, "lines[%zu].%s", i, keys[k]);
				return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "%s は1000バイトまでの文字列です", f);
			}
		}
	}
	*lines = json_incref(v);
	return HJ_OK;
}

/* The engine's check of the claim lines (hj_claim_check_json). */
static hj_status check_claim(hj_tx *tx, const aw_ctx *c, aw_row *a, json_t *lines, json_t **check, hj_error *err)
{
	char *data = NULL, *in = NULL, *out = NULL;
	*check = NULL;
	hj_status s = app_data_rb(tx, c->rb, a->app, &data, err);
	if (s)
		return s;
	json_t *j = json_pack("{s:O,s:O,s:O}", "granted_on", json_object_get(a->j, "granted_on"), "period_end",
			      json_object_get(a->j, "period_end"), "lines", lines);
	in = j ? gg_dump(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!in)
		s = NOMEM(err);
	else
		s = parse_engine(hj_claim_check_json(c->rb, a->frame, data, strlen(data), in, strlen(in), &out, err), &out,
				 check, err);
	hj_free(data);
	hj_free(in);
	return s;
}

static hj_status claim_save_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see_grantee(tx, c, c->id, &a, err);
	if (s)
		return s;
	json_t *lines = NULL, *check = NULL, *cur = NULL;
	char *ltext = NULL, *ctext = NULL;
	const char *completed = NULL;
	hj_date d;
	int has;
	if ((s = want_lines(c->body, &lines, err)) || (s = want_date(c->body, "completed_on", 0, &d, &has, err)) ||
	    (s = gg_want_string(c->body, "completed_on", 0, 10, &completed, err)) ||
	    (s = need_state(&a, "granted", err)) || (s = need_frame(&a, err)) ||
	    (s = sta_claim_get(tx, a.id, &cur, err)))
		goto done;
	int64_t at = cur ? jint(cur, "version") : 0;
	if (cur && strcmp(jstr(cur, "state"), "draft")) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "提出済みの実績報告は変更できません");
		goto done;
	}
	if (c->if_match != at) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "version",
				 "実績報告はほかの人が先に保存しました（今の版は %lld）", (long long)at);
		goto done;
	}
	if ((s = check_claim(tx, c, &a, lines, &check, err)))
		goto done;
	ltext = gg_dump(lines, JSON_COMPACT);
	ctext = gg_dump(check, JSON_COMPACT);
	if (!ltext || !ctext) {
		s = NOMEM(err);
		goto done;
	}
	int changed;
	if ((s = sta_claim_put(tx, a.id, at, ltext, completed, ctext, c->who->account, hj_now_us(), &changed, err)))
		goto done;
	if (!changed) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "version", "実績報告はほかの人が先に保存しました");
		goto done;
	}
	if ((s = audit(tx, c, "claim.save", &a,
		       json_pack("{s:I,s:I,s:O}", "version", (json_int_t)(at + 1), "lines", (json_int_t)json_array_size(lines),
				 "ok", json_object_get(check, "ok") ? json_object_get(check, "ok") : json_null()),
		       err)))
		goto done;
	c->version = at + 1;
	s = claim_doc(tx, &a, &c->out, err);
done:
	json_decref(lines);
	json_decref(check);
	json_decref(cur);
	hj_free(ltext);
	hj_free(ctext);
	row_clear(&a);
	return s;
}

hj_status hj_claim_save(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, int64_t if_match,
			const char *body, size_t len, char **json, int64_t *version, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = award, .if_match = if_match };
	hj_status s = run(st, 1, claim_save_tx, &c, body, len, "lines,completed_on", json, err);
	if (version)
		*version = s ? 0 : c.version;
	return s;
}

static hj_status claim_submit_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see_grantee(tx, c, c->id, &a, err);
	if (s)
		return s;
	json_t *cur = NULL, *check = NULL;
	if ((s = need_state(&a, "granted", err)) || (s = need_frame(&a, err)) || (s = sta_claim_get(tx, a.id, &cur, err)))
		goto done;
	if (!cur || strcmp(jstr(cur, "state"), "draft")) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "claim", "提出できる実績報告の下書きがありません");
		goto done;
	}
	json_t *lines = json_object_get(cur, "lines");
	if (!json_array_size(lines)) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "lines", "経費の行が一つもありません");
		goto done;
	}
	if (!jstr(cur, "completed_on")) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "completed_on", "事業の完了日（completed_on）がありません");
		goto done;
	}
	/* the rules again at submission (the rulebook may have changed since the save) */
	if ((s = check_claim(tx, c, &a, lines, &check, err)))
		goto done;
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(check, "lines"), i, l) if (!json_is_true(json_object_get(l, "ok")))
	{
		char f[64];
		snprintf(f, sizeof f, "lines[%lld]", (long long)jint(l, "index"));
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "%s は認められません: %s", f,
				 jstr(l, "reason") ? jstr(l, "reason") : "理由なし");
		goto done;
	}
	int changed, moved;
	if ((s = sta_claim_submit(tx, a.id, hj_now_us(), &changed, err)) ||
	    (s = sta_award_move(tx, a.id, "granted", "claimed", hj_now_us(), &moved, err)))
		goto done;
	if (!changed || !moved) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "実績報告は先に提出されています");
		goto done;
	}
	if ((s = audit(tx, c, "claim.submit", &a,
		       json_pack("{s:I,s:I}", "version", (json_int_t)jint(cur, "version"), "lines",
				 (json_int_t)json_array_size(lines)),
		       err)))
		goto done;
	row_clear(&a);
	if (!(s = see(tx, c, c->id, &a, err)))
		s = claim_doc(tx, &a, &c->out, err);
done:
	json_decref(cur);
	json_decref(check);
	row_clear(&a);
	return s;
}

hj_status hj_claim_submit(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, char **json,
			  hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = award };
	return run(st, 1, claim_submit_tx, &c, NULL, 0, NULL, json, err);
}

static hj_status claim_att_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see_grantee(tx, c, c->id, &a, err);
	if (s)
		return s;
	int64_t id;
	if (!(s = need_state(&a, "granted|claimed", err)) &&
	    !(s = sta_claim_att_insert(tx, a.id, c->name, c->kind, c->ctype, c->data, c->len, c->sha, c->who->account,
				       hj_now_us(), &id, err)) &&
	    !(s = gg_audit(tx, c->who, "claim.attachment.add", "award", a.id, a.company, NULL, c->sha,
			   json_pack("{s:I,s:s,s:I}", "attachment", (json_int_t)id, "name", c->name, "size",
				     (json_int_t)c->len),
			   err)) &&
	    !(c->out = json_pack("{s:{s:I,s:I,s:s,s:s?,s:s,s:I,s:s}}", "attachment", "id", (json_int_t)id, "award",
				 (json_int_t)a.id, "name", c->name, "kind", c->kind, "content_type", c->ctype, "size",
				 (json_int_t)c->len, "sha256", c->sha)))
		s = NOMEM(err);
	row_clear(&a);
	return s;
}

hj_status hj_claim_attachment_add(hj_store *st, const hj_actor *who, int64_t award, const char *name,
				  const char *kind, const char *content_type, const void *data, size_t len,
				  const char *sha256, char **json, hj_error *err)
{
	char sha[65];
	if (sha256 && strlen(sha256) == 64)
		snprintf(sha, sizeof sha, "%s", sha256);
	else
		hj_sha256_hex(data ? data : "", len, sha);
	aw_ctx c = { .who = who, .id = award, .name = name, .kind = kind && *kind ? kind : NULL,
		     .ctype = content_type && *content_type ? content_type : "application/octet-stream", .sha = sha,
		     .data = data, .len = len };
	*json = NULL;
	hj_status s = gg_need_account(who, err);
	if (!s)
		s = gg_attachment_check(name, len, c.kind, &c.ctype, err);
	return s ? s : run(st, 1, claim_att_tx, &c, NULL, 0, NULL, json, err);
}

typedef struct att_get_ctx {
	aw_ctx c;
	int64_t att;
	hj_attachment_file *file;
} att_get_ctx;

static hj_status claim_att_get_tx(hj_tx *tx, void *vc, hj_error *err)
{
	att_get_ctx *g = vc;
	aw_row a;
	json_t *meta = NULL;
	void *data = NULL;
	size_t len = 0;
	hj_status s = see(tx, &g->c, g->c.id, &a, err);
	if (s)
		return s;
	if (!(s = sta_claim_att_get(tx, a.id, g->att, &meta, &data, &len, err)) && !meta)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "添付 %lld はありません", (long long)g->att);
	if (!s) {
		snprintf(g->file->name, sizeof g->file->name, "%s", jstr(meta, "name"));
		snprintf(g->file->content_type, sizeof g->file->content_type, "%s", jstr(meta, "content_type"));
		g->file->data = data;
		g->file->len = len;
		data = NULL;
	}
	hj_free(data);
	json_decref(meta);
	row_clear(&a);
	return s;
}

hj_status hj_claim_attachment_get(hj_store *st, const hj_actor *who, int64_t award, int64_t att,
				  hj_attachment_file *out, hj_error *err)
{
	memset(out, 0, sizeof *out);
	att_get_ctx g = { { .who = who, .id = award }, att, out };
	hj_status s = hj_store_run(st, 0, claim_att_get_tx, &g, err);
	if (s)
		hj_attachment_file_clear(out);
	return s;
}

/* ---- 確定検査 ---- */

static hj_status inspect_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see_staff(tx, c, c->id, &a, err);
	if (s)
		return s;
	json_t *cur = NULL, *dec = NULL;
	char *text = NULL;
	if (!json_is_array(json_object_get(c->body, "lines"))) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "lines", "'lines' は各行の決定の配列です");
		goto done;
	}
	if ((s = need_state(&a, "claimed", err)) || (s = sta_claim_get(tx, a.id, &cur, err)))
		goto done;
	json_t *lines = json_object_get(cur, "lines"), *in = json_object_get(c->body, "lines");
	size_t n = json_array_size(lines);
	if (!json_is_array(in) || json_array_size(in) != n) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "lines", "実績報告の %zu 行それぞれに決定が要ります", n);
		goto done;
	}
	dec = json_array();
	for (size_t k = 0; dec && k < n; k++)
		json_array_append_new(dec, json_null());
	size_t i;
	json_t *e;
	json_array_foreach(in, i, e)
	{
		char f[64];
		snprintf(f, sizeof f, "lines[%zu]", i);
		json_t *ix = json_object_get(e, "index");
		const char *d = jstr(e, "decision"), *reason = jstr(e, "reason");
		json_t *acc = json_object_get(e, "accepted");
		if (!json_is_object(e) || !json_is_integer(ix) || json_integer_value(ix) < 0 ||
		    (size_t)json_integer_value(ix) >= n || !json_is_null(json_array_get(dec, json_integer_value(ix)))) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "%s: index は 0〜%zu の一度ずつです", f, n - 1);
			goto done;
		}
		int64_t amount = jint(json_array_get(lines, json_integer_value(ix)), "amount"), accepted;
		if (reason && (json_string_length(json_object_get(e, "reason")) > 2000 ||
			       strlen(reason) != json_string_length(json_object_get(e, "reason")))) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "%s: reason は2000バイトまでです", f);
			goto done;
		}
		if (acc && !json_is_null(acc) && (!json_is_integer(acc) || json_integer_value(acc) < 0)) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "%s: accepted は0以上の整数（円）です", f);
			goto done;
		}
		if (d && !strcmp(d, "accept")) {
			accepted = amount;
			if (json_is_integer(acc) && json_integer_value(acc) != amount) {
				s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f,
						 "%s: 認める（accept）なら accepted は申告額 %lld 円です", f, (long long)amount);
				goto done;
			}
		} else if (d && !strcmp(d, "reduce")) {
			if (!json_is_integer(acc) || json_integer_value(acc) >= amount) {
				s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f,
						 "%s: 減額（reduce）の accepted は申告額 %lld 円より少ない額です", f,
						 (long long)amount);
				goto done;
			}
			accepted = json_integer_value(acc);
		} else if (d && !strcmp(d, "reject")) {
			accepted = 0;
		} else {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "%s: decision は accept / reduce / reject です", f);
			goto done;
		}
		if (strcmp(d, "accept") && (!reason || !*reason)) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "%s: 減額・否認には理由（reason）が要ります", f);
			goto done;
		}
		json_array_set_new(dec, json_integer_value(ix),
				   json_pack("{s:I,s:s,s:I,s:I,s:s?}", "index", (json_int_t)json_integer_value(ix),
					     "decision", d, "amount", (json_int_t)amount, "accepted", (json_int_t)accepted,
					     "reason", reason));
	}
	text = dec ? gg_dump(dec, JSON_COMPACT) : NULL;
	if (!text) {
		s = NOMEM(err);
		goto done;
	}
	int64_t id;
	if ((s = sta_inspection_insert(tx, a.id, jint(cur, "version"), text, c->who->account, hj_now_us(), &id, err)) ||
	    (s = audit(tx, c, "claim.inspect", &a, json_pack("{s:I,s:O}", "inspection", (json_int_t)id, "lines", dec),
		       err)))
		goto done;
	json_t *row = NULL;
	if (!(s = sta_inspection_last(tx, a.id, &row, err)) && !(c->out = json_pack("{s:o}", "inspection", row)))
		s = NOMEM(err);
done:
	json_decref(cur);
	json_decref(dec);
	hj_free(text);
	row_clear(&a);
	return s;
}

hj_status hj_inspection_save(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award,
			     const char *body, size_t len, char **json, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = award };
	return run(st, 1, inspect_tx, &c, body, len, "lines", json, err);
}

/* ---- 確定額 and 精算払 ---- */

static hj_status settle_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see_staff(tx, c, c->id, &a, err);
	if (s)
		return s;
	json_t *cur = NULL, *insp = NULL, *in = NULL, *res = NULL;
	char *data = NULL, *itext = NULL, *out = NULL, *etext = NULL;
	if ((s = need_state(&a, "claimed", err)) || (s = need_frame(&a, err)) ||
	    (s = sta_claim_get(tx, a.id, &cur, err)) || (s = sta_inspection_last(tx, a.id, &insp, err)))
		goto done;
	if (!insp || jint(insp, "claim_version") != jint(cur, "version")) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "inspection", "確定検査がまだです");
		goto done;
	}
	json_t *lines = json_array(), *claimed = json_object_get(cur, "lines");
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(insp, "lines"), i, d)
	{
		json_t *l = json_deep_copy(json_array_get(claimed, i));
		if (l) {
			json_object_set(l, "accepted", json_object_get(d, "accepted"));
			json_object_set(l, "decision", json_object_get(d, "decision"));
			if (json_object_get(d, "reason"))
				json_object_set(l, "reason", json_object_get(d, "reason"));
		}
		json_array_append_new(lines, l ? l : json_null());
	}
	in = json_pack("{s:I,s:O,s:O,s:o}", "granted", (json_int_t)jint(a.j, "granted_amount"), "granted_on",
		       json_object_get(a.j, "granted_on"), "period_end", json_object_get(a.j, "period_end"), "lines",
		       lines);
	if (!in || !(itext = gg_dump(in, JSON_COMPACT))) {
		s = NOMEM(err);
		goto done;
	}
	if ((s = app_data_rb(tx, c->rb, a.app, &data, err)) ||
	    (s = parse_engine(hj_settle_json(c->rb, a.frame, data, strlen(data), itext, strlen(itext), &out, err), &out,
			      &res, err)))
		goto done;
	json_t *settled = json_object_get(res, "settled");
	if (!json_is_integer(settled) || json_integer_value(settled) < 0 ||
	    json_integer_value(settled) > jint(a.j, "granted_amount")) {
		s = hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, "settled", "エンジンの確定額が交付決定額の範囲にありません");
		goto done;
	}
	int64_t amount = json_integer_value(settled);
	json_object_set_new(res, "rulebook", json_string(hj_rulebook_hash(c->rb)));
	if (!c->dry_run) {
		int moved;
		if (!(etext = gg_dump(res, JSON_SORT_KEYS | JSON_COMPACT))) {
			s = NOMEM(err);
			goto done;
		}
		if ((s = sta_settlement_insert(tx, a.id, amount, etext, hj_rulebook_hash(c->rb), jint(insp, "id"),
					       c->who->account, hj_now_us(), err)) ||
		    (s = sta_award_move(tx, a.id, "claimed", "settled", hj_now_us(), &moved, err)))
			goto done;
		if (!moved) {
			s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "確定は先に済んでいます");
			goto done;
		}
		if ((s = audit(tx, c, "award.settle", &a,
			       json_pack("{s:I,s:I,s:s}", "amount", (json_int_t)amount, "granted",
					 (json_int_t)jint(a.j, "granted_amount"), "rulebook", hj_rulebook_hash(c->rb)),
			       err)))
			goto done;
	}
	if (!(c->out = json_pack("{s:b,s:I,s:O}", "dry_run", c->dry_run, "amount", (json_int_t)amount, "settlement", res)))
		s = NOMEM(err);
done:
	json_decref(cur);
	json_decref(insp);
	json_decref(in);
	json_decref(res);
	hj_free(data);
	hj_free(itext);
	hj_free(etext);
	row_clear(&a);
	return s;
}

hj_status hj_settlement(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, int dry_run,
			char **json, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = award, .dry_run = dry_run != 0 };
	return run(st, !dry_run, settle_tx, &c, NULL, 0, NULL, json, err);
}

static hj_status pay_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see_staff(tx, c, c->id, &a, err);
	if (s)
		return s;
	json_t *settle = NULL, *row = NULL;
	int64_t amount;
	hj_date d;
	const char *paid_on;
	if ((s = gg_want_int(c->body, "amount", 1, 0, &amount, NULL, err)) ||
	    (s = want_date(c->body, "paid_on", 1, &d, NULL, err)) ||
	    (s = gg_want_string(c->body, "paid_on", 1, 10, &paid_on, err)) || (s = need_state(&a, "settled", err)) ||
	    (s = sta_settlement_get(tx, a.id, &settle, err)))
		goto done;
	if (!settle || amount != jint(settle, "amount")) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "amount", "精算払の額は確定額 %lld 円です",
				 (long long)(settle ? jint(settle, "amount") : 0));
		goto done;
	}
	int moved;
	if ((s = sta_payment_insert(tx, a.id, amount, paid_on, c->who->account, hj_now_us(), err)) ||
	    (s = sta_award_move(tx, a.id, "settled", "paid", hj_now_us(), &moved, err)))
		goto done;
	if (!moved) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "支払は先に記録されています");
		goto done;
	}
	if ((s = audit(tx, c, "award.pay", &a, json_pack("{s:I,s:s}", "amount", (json_int_t)amount, "paid_on", paid_on),
		       err)) ||
	    (s = sta_payment_get(tx, a.id, &row, err)))
		goto done;
	if (!(c->out = json_pack("{s:o}", "payment", row)))
		s = NOMEM(err);
done:
	json_decref(settle);
	row_clear(&a);
	return s;
}

hj_status hj_payment_record(hj_store *st, const hj_actor *who, int64_t award, const char *body, size_t len,
			    char **json, hj_error *err)
{
	aw_ctx c = { .who = who, .id = award };
	return run(st, 1, pay_tx, &c, body, len, "amount,paid_on", json, err);
}

/* ---- yearly reports ---- */

/* The report schedule of an award (engine), from its claim's completion
 * date; *sched NULL when there is no submitted claim yet. */
static hj_status schedule(hj_tx *tx, const aw_ctx *c, aw_row *a, json_t **sched, hj_error *err)
{
	json_t *cur = NULL;
	*sched = NULL;
	hj_status s = sta_claim_get(tx, a->id, &cur, err);
	if (s || !cur || strcmp(jstr(cur, "state"), "submitted") || !jstr(cur, "completed_on") || !a->frame) {
		json_decref(cur);
		return s;
	}
	hj_date d;
	const char *on = jstr(cur, "completed_on");
	if (hj_date_parse(on, strlen(on), &d, err))
		s = HJ_ERR_INPUT;
	/* the approved plan's years after the base ('count: plan' rules) */
	int plan_years = 0;
	char *data = NULL, *out = NULL;
	if (!s && !(s = app_data(tx, a->app, &data, err))) {
		json_t *dj = json_loads(data, 0, NULL);
		size_t n = json_array_size(json_object_get(json_object_get(dj, "plan"), "years"));
		plan_years = n > 1 && n <= 6 ? (int)n - 1 : 0;
		json_decref(dj);
	}
	hj_free(data);
	if (!s)
		s = parse_engine(hj_report_schedule_plan_json(c->rb, a->frame, d, plan_years, &out, err), &out, sched, err);
	json_decref(cur);
	return s;
}

static hj_status reports_doc(hj_tx *tx, const aw_ctx *c, aw_row *a, json_t **out, hj_error *err)
{
	json_t *sched = NULL, *reports = NULL, *rem = NULL;
	hj_status s = schedule(tx, c, a, &sched, err);
	if (!s)
		s = sta_report_list(tx, a->id, &reports, err);
	if (!s)
		s = sta_reminder_list(tx, a->id, &rem, err);
	char *data = NULL;
	json_t *plan = NULL;
	if (!s && !(s = app_data(tx, a->app, &data, err))) {
		json_t *d = json_loads(data, 0, NULL);
		if (!(s = approved_plan(&d, a->j, err)))
			plan = json_incref(json_object_get(d, "plan"));
		json_decref(d);
	}
	hj_free(data);
	if (!s && !(*out = json_pack("{s:I,s:s,s:o,s:o,s:o,s:o}", "award", (json_int_t)a->id, "award_state", a->state,
				     "schedule", sched ? sched : json_null(), "plan", plan ? plan : json_null(),
				     "reports", reports, "reminders", rem)))
		s = NOMEM(err);
	if (s) {
		json_decref(sched);
		json_decref(reports);
		json_decref(rem);
		json_decref(plan);
	}
	return s;
}

static hj_status reports_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see(tx, c, c->id, &a, err);
	if (!s)
		s = reports_doc(tx, c, &a, &c->out, err);
	row_clear(&a);
	return s;
}

hj_status hj_reports_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, char **json,
			 hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = award };
	return run(st, 0, reports_tx, &c, NULL, 0, NULL, json, err);
}

static hj_status report_save_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	aw_row a;
	hj_status s = see_grantee(tx, c, c->id, &a, err);
	if (s)
		return s;
	json_t *sched = NULL, *cur = NULL, *cmp = NULL, *data = json_object_get(c->body, "data");
	char *appdata = NULL, *dtext = NULL, *ptext = NULL, *out = NULL, *ctext = NULL;
	int submit = json_is_true(json_object_get(c->body, "submit"));
	json_t *sub = json_object_get(c->body, "submit");
	if (sub && !json_is_boolean(sub)) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "submit", "'submit' は true か false です");
		goto done;
	}
	if (!json_is_object(data) || json_object_size(data) > 64) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "data", "'data' は報告の内容のオブジェクト（64項目まで）です");
		goto done;
	}
	/* a report is one row of figures: each value a number or a string */
	const char *dk;
	json_t *dv;
	json_object_foreach(data, dk, dv) if (!json_is_integer(dv) && !json_is_string(dv) && !json_is_boolean(dv))
	{
		char f[96];
		snprintf(f, sizeof f, "data.%.80s", dk);
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, f, "%s は数（円・人・円/時）か文字列です", f);
		goto done;
	}
	if ((s = need_state(&a, "settled|paid", err)) || (s = need_frame(&a, err)) ||
	    (s = schedule(tx, c, &a, &sched, err)) || (s = sta_report_get(tx, a.id, c->year, &cur, err)))
		goto done;
	int known = 0;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(sched, "reports"), i, r) if (jint(r, "year") == c->year) known = 1;
	if (!known) {
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, "year", "第%d年の報告は予定にありません", c->year);
		goto done;
	}
	if (cur && !strcmp(jstr(cur, "state"), "submitted")) {
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state", "第%d年の報告は提出済みです", c->year);
		goto done;
	}
	json_object_set_new(data, "year", json_integer(c->year));
	if (!(dtext = gg_dump(data, JSON_SORT_KEYS | JSON_COMPACT))) {
		s = NOMEM(err);
		goto done;
	}
	if (submit) {
		if ((s = app_data_rb(tx, c->rb, a.app, &appdata, err)))
			goto done;
		/* the whole application (a requirement's 'when' reads its facts),
		 * its plan with the base year's actuals of the 交付申請 */
		json_t *d = json_loads(appdata, 0, NULL);
		if ((s = approved_plan(&d, a.j, err))) {
			json_decref(d);
			goto done;
		}
		ptext = json_object_get(d, "plan") ? gg_dump(d, JSON_COMPACT) : NULL;
		json_decref(d);
		if (!ptext) {
			s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "plan", "申請に事業計画（plan）がありません");
			goto done;
		}
		if ((s = parse_engine(hj_report_compare_json(c->rb, a.frame, ptext, strlen(ptext), dtext, strlen(dtext),
							     &out, err),
				      &out, &cmp, err)))
			goto done;
		if (!(ctext = gg_dump(cmp, JSON_SORT_KEYS | JSON_COMPACT))) {
			s = NOMEM(err);
			goto done;
		}
	}
	int64_t now = hj_now_us();
	if ((s = sta_report_put(tx, a.id, c->year, dtext, submit ? "submitted" : "draft", ctext, c->who->account, now,
				submit ? now : 0, err)) ||
	    (s = audit(tx, c, submit ? "report.submit" : "report.save", &a, json_pack("{s:i}", "year", c->year), err)))
		goto done;
	json_t *row = NULL;
	if (!(s = sta_report_get(tx, a.id, c->year, &row, err)) && !(c->out = json_pack("{s:o}", "report", row)))
		s = NOMEM(err);
done:
	json_decref(sched);
	json_decref(cur);
	json_decref(cmp);
	hj_free(appdata);
	hj_free(dtext);
	hj_free(ptext);
	hj_free(ctext);
	row_clear(&a);
	return s;
}

hj_status hj_report_save(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t award, int year,
			 const char *body, size_t len, char **json, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .id = award, .year = year };
	if (year < 1 || year > 20)
		return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, "year", "第%d年の報告はありません", year);
	return run(st, 1, report_save_tx, &c, body, len, "data,submit", json, err);
}

/* ---- overdue and reminders ---- */

/* Every report due before today (JST) and not submitted, of every
 * settled or paid award: [{award,application,company,company_name,
 * year,due,days_late,reminders}]; 'late' the reports submitted after
 * their due date. */
static hj_status overdue_list(hj_tx *tx, const aw_ctx *c, json_t **missing, json_t **late, hj_error *err)
{
	json_t *awards = NULL;
	*missing = json_array();
	*late = json_array();
	hj_status s = sta_award_cohort(tx, 0, &awards, err);
	char today_s[11];
	today_jst(today_s);
	hj_date today;
	(void)hj_date_parse(today_s, 10, &today, err);
	size_t i;
	json_t *aw;
	json_array_foreach(awards, i, aw)
	{
		if (s)
			break;
		const char *st = jstr(aw, "state");
		if (strcmp(st, "settled") && strcmp(st, "paid"))
			continue;
		aw_row a;
		if ((s = see(tx, c, jint(aw, "id"), &a, err)))
			break;
		json_t *sched = NULL, *reports = NULL, *rem = NULL;
		if (!(s = schedule(tx, c, &a, &sched, err)) && !(s = sta_report_list(tx, a.id, &reports, err)))
			s = sta_reminder_list(tx, a.id, &rem, err);
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(sched, "reports"), k, r)
		{
			if (s)
				break;
			const char *due_s = jstr(r, "due");
			hj_date due;
			if (!due_s || hj_date_parse(due_s, strlen(due_s), &due, err)) {
				s = hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, "due", "報告の期限が読めません");
				break;
			}
			int64_t year = jint(r, "year");
			json_t *rep = NULL, *x;
			size_t m;
			json_array_foreach(reports, m, x) if (jint(x, "year") == year) rep = x;
			int submitted = rep && !strcmp(jstr(rep, "state"), "submitted");
			int reminders = 0;
			json_array_foreach(rem, m, x) if (jint(x, "year") == year) reminders++;
			json_t *item = json_pack("{s:I,s:I,s:I,s:O,s:I,s:s,s:I}", "award", (json_int_t)a.id, "application",
						 (json_int_t)a.app, "company", (json_int_t)a.company, "company_name",
						 json_object_get(aw, "company_name"), "year", (json_int_t)year, "due", due_s,
						 "reminders", (json_int_t)reminders);
			if (!item) {
				s = NOMEM(err);
				break;
			}
			if (!submitted && due < today) {
				json_object_set_new(item, "days_late", json_integer(today - due));
				json_array_append_new(*missing, item);
			} else if (submitted) {
				/* submitted_at (UTC µs) as a JST date */
				char iso[32];
				gg_iso_jst(jint(rep, "submitted_at_us"), iso);
				hj_date on;
				hj_error e2;
				if (!hj_date_parse(iso, 10, &on, &e2) && on > due) {
					json_object_set_new(item, "days_late", json_integer(on - due));
					json_array_append_new(*late, item);
				} else
					json_decref(item);
			} else
				json_decref(item);
		}
		json_decref(sched);
		json_decref(reports);
		json_decref(rem);
		row_clear(&a);
	}
	json_decref(awards);
	if (s) {
		json_decref(*missing);
		json_decref(*late);
		*missing = *late = NULL;
	}
	return s;
}

static hj_status overdue_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	json_t *missing, *late;
	char today[11];
	today_jst(today);
	hj_status s = overdue_list(tx, c, &missing, &late, err);
	if (!s && !(c->out = json_pack("{s:s,s:o,s:o}", "today", today, "missing", missing, "late", late)))
		s = NOMEM(err);
	return s;
}

hj_status hj_reports_overdue(hj_store *st, const hj_rulebook *rb, const hj_actor *who, char **json, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who };
	*json = NULL;
	hj_status s = gg_need_staff(who, err);
	return s ? s : run(st, 0, overdue_tx, &c, NULL, 0, NULL, json, err);
}

/* Write one reminder to the spool directory 'dir' (created if need be)
 * as an RFC 5322 message; *path the file written. */
static hj_status write_reminder(const char *dir, const char *to, const json_t *item, char *path, size_t size,
				hj_error *err)
{
	if (mkdir(dir, 0700) && errno != EEXIST)
		return hj_error_set(err, HJ_ERR_IO, NULL, 0, 0, NULL, "%s を作れません: %s", dir, strerror(errno));
	int64_t now = hj_now_us();
	snprintf(path, size, "%s/%lld-report-%lld-%lld-%s.eml", dir, (long long)now, (long long)jint(item, "award"),
		 (long long)jint(item, "year"), to);
	for (char *p = path + strlen(dir) + 1; *p; p++)
		if (*p == '/' || *p == '@')
			*p = '_';
	char tmp[1200];
	FILE *f = gg_spool_open(path, 0, tmp, sizeof tmp, err);
	if (!f)
		return err->status;
	fprintf(f,
		"From: hojo <no-reply@hojo.invalid>\n"
		"To: %s\n"
		"Subject: =?UTF-8?B?44CQaG9qb+OAkeS6i+alreWMlueKtuazgeWgseWRiuOBruaPkOWHuuOBruOBiumhmOOBhA==?=\n"
		"MIME-Version: 1.0\n"
		"Content-Type: text/plain; charset=utf-8\n"
		"Content-Transfer-Encoding: 8bit\n"
		"\n"
		"%s 御中\n"
		"\n"
		"交付 %lld（申請 %lld）の第%lld年の事業化状況報告は %s が期限でしたが、まだ提出されていません。\n"
		"hojo にサインインして、報告を提出してください。\n"
		"\n"
		"-- \nhojo 補助金の事務局\n",
		to, jstr(item, "company_name") ? jstr(item, "company_name") : "", (long long)jint(item, "award"),
		(long long)jint(item, "application"), (long long)jint(item, "year"), jstr(item, "due"));
	return gg_spool_commit(f, tmp, path, err);
}

static hj_status remind_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	json_t *missing, *late, *sent = json_array();
	hj_status s = overdue_list(tx, c, &missing, &late, err);
	size_t i;
	json_t *item;
	json_array_foreach(missing, i, item)
	{
		json_t *emails = NULL, *e;
		size_t k;
		if (s || (s = sta_award_owner_emails(tx, jint(item, "award"), hj_now_us(), &emails, err)))
			break;
		json_array_foreach(emails, k, e)
		{
			char path[1100];
			const char *to = jstr(e, "email");
			if ((s = write_reminder(c->spool, to, item, path, sizeof path, err)) ||
			    (s = sta_reminder_insert(tx, jint(item, "award"), jint(item, "year"), jstr(item, "due"), to,
						     c->who->account, hj_now_us(), err)))
				break;
			json_array_append_new(sent, json_pack("{s:I,s:I,s:s,s:s}", "award", (json_int_t)jint(item, "award"),
							      "year", (json_int_t)jint(item, "year"), "to", to, "file",
							      path));
		}
		json_decref(emails);
		if (!s)
			s = gg_audit(tx, c->who, "report.remind", "award", jint(item, "award"), jint(item, "company"), NULL,
				     NULL, json_pack("{s:I,s:s}", "year", (json_int_t)jint(item, "year"), "due",
						     jstr(item, "due")),
				     err);
	}
	json_decref(missing);
	json_decref(late);
	if (!s && !(c->out = json_pack("{s:I,s:O}", "count", (json_int_t)json_array_size(sent), "sent", sent)))
		s = NOMEM(err);
	json_decref(sent);
	return s;
}

hj_status hj_reports_remind(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *spool,
			    char **json, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .spool = spool && *spool ? spool : "var/mail" };
	*json = NULL;
	hj_status s = gg_need_staff(who, err);
	return s ? s : run(st, 1, remind_tx, &c, NULL, 0, NULL, json, err);
}

/* ---- outcomes ---- */

static const hj_edition *edition_by_id(const hj_rulebook *rb, const char *id)
{
	for (int p = 0; id && p < hj_rulebook_nprograms(rb); p++) {
		const hj_program *pr = hj_rulebook_program(rb, p);
		for (int e = 0; e < hj_program_neditions(pr); e++)
			if (!strcmp(hj_edition_id(hj_program_edition(pr, e)), id))
				return hj_program_edition(pr, e);
	}
	return NULL;
}

static void csv_cell(json_t *buf, const char *s)
{
	/* a CSV cell, quoted when it holds a comma, quote or newline */
	const char *t = s ? s : "";
	if (!strpbrk(t, ",\"\r\n")) {
		json_array_append_new(buf, json_string(t));
		return;
	}
	size_t n = strlen(t);
	char *q = hj_malloc(2 * n + 3);
	if (!q)
		return;
	char *w = q;
	*w++ = '"';
	for (const char *p = t; *p; p++) {
		if (*p == '"')
			*w++ = '"';
		*w++ = *p;
	}
	*w++ = '"';
	*w = '\0';
	json_array_append_new(buf, json_string(q));
	hj_free(q);
}

/* The outcomes as CSV text (one line per edition and outcome). */
static char *outcomes_csv(json_t *editions)
{
	json_t *cells = json_array();
	size_t i, k;
	json_t *ed, *o;
	size_t total = 0;
	char *res = NULL;
	static const char head[] = "program,call,edition,outcome,text,target,value,met,n,source,formula\r\n";
	json_array_foreach(editions, i, ed)
	{
		json_array_foreach(json_object_get(json_object_get(ed, "result"), "outcomes"), k, o)
		{
			char num[32];
			json_t *row = json_array();
			csv_cell(row, jstr(ed, "program"));
			snprintf(num, sizeof num, "%lld", (long long)jint(ed, "call"));
			csv_cell(row, jint(ed, "call") ? num : "");
			csv_cell(row, jstr(ed, "edition"));
			csv_cell(row, jstr(o, "id"));
			csv_cell(row, jstr(o, "text"));
			static const char *const vk[] = { "target", "value", "met", "n" };
			for (int v = 0; v < 4; v++) {
				json_t *x = json_object_get(o, vk[v]);
				char *t = !x || json_is_null(x) ? NULL
					  : json_is_string(x)	? hj_strdup(json_string_value(x))
								: gg_dump(x, JSON_ENCODE_ANY | JSON_COMPACT);
				csv_cell(row, t);
				hj_free(t);
			}
			csv_cell(row, jstr(o, "source"));
			csv_cell(row, jstr(o, "formula"));
			json_array_append_new(cells, row);
		}
	}
	total = sizeof head;
	json_array_foreach(cells, i, o)
	{
		json_t *c;
		json_array_foreach(o, k, c) total += json_string_length(c) + 1;
		total += 2;
	}
	res = hj_malloc(total + 1);
	if (res) {
		char *w = res;
		memcpy(w, head, sizeof head - 1);
		w += sizeof head - 1;
		json_array_foreach(cells, i, o)
		{
			json_t *c;
			json_array_foreach(o, k, c)
			{
				if (k)
					*w++ = ',';
				memcpy(w, json_string_value(c), json_string_length(c));
				w += json_string_length(c);
			}
			*w++ = '\r';
			*w++ = '\n';
		}
		*w = '\0';
	}
	json_decref(cells);
	return res;
}

static hj_status outcomes_tx(hj_tx *tx, void *vc, hj_error *err)
{
	aw_ctx *c = vc;
	json_t *awards = NULL, *groups = json_object(), *editions = json_array();
	hj_status s = sta_award_cohort(tx, c->call, &awards, err);
	size_t i;
	json_t *aw;
	/* the cohort per call: grantees whose award is settled or paid */
	json_array_foreach(awards, i, aw)
	{
		if (s)
			break;
		const char *st = jstr(aw, "state");
		if (strcmp(st, "settled") && strcmp(st, "paid"))
			continue;
		json_t *call = NULL;
		if ((s = sti_call_get(tx, jint(aw, "call"), &call, err)))
			break;
		const char *prog = jstr(call, "program"), *edid = jstr(call, "edition");
		if (!call || (c->program && strcmp(c->program, prog))) {
			json_decref(call);
			continue;
		}
		char key[40];
		snprintf(key, sizeof key, "%lld", (long long)jint(aw, "call"));
		json_t *g = json_object_get(groups, key);
		if (!g) {
			g = json_pack("{s:s,s:I,s:s,s:I,s:[]}", "program", prog, "call", (json_int_t)jint(aw, "call"),
				      "edition", edid, "budget", (json_int_t)0, "grantees");
			json_object_set_new(groups, key, g);
		}
		json_decref(call);
		char *data = NULL;
		json_t *reports = NULL, *settle = NULL;
		if ((s = app_data(tx, jint(aw, "application"), &data, err)) ||
		    (s = sta_report_list(tx, jint(aw, "id"), &reports, err)) ||
		    (s = sta_settlement_get(tx, jint(aw, "id"), &settle, err))) {
			hj_free(data);
			json_decref(reports);
			break;
		}
		json_t *d = json_loads(data, 0, NULL);
		hj_free(data);
		if ((s = approved_plan(&d, aw, err))) {
			json_decref(d);
			json_decref(reports);
			json_decref(settle);
			break;
		}
		json_t *years = json_object_get(json_object_get(d, "plan"), "years");
		json_t *subm = json_array(), *r;
		size_t k;
		json_array_foreach(reports, k, r) if (!strcmp(jstr(r, "state"), "submitted"))
			json_array_append(subm, json_object_get(r, "data"));
		json_int_t settled = json_integer_value(json_object_get(g, "budget")) + jint(settle, "amount");
		json_object_set_new(g, "budget", json_integer(settled));
		char gid[32];
		snprintf(gid, sizeof gid, "%lld", (long long)jint(aw, "id"));
		json_t *gr = json_pack("{s:s,s:s,s:I,s:o}", "id", gid, "frame", jstr(aw, "frame"), "granted",
				       (json_int_t)jint(settle, "amount"), "reports", subm);
		if (gr && json_array_size(years))
			json_object_set(gr, "base", json_array_get(years, 0));
		json_array_append_new(json_object_get(g, "grantees"), gr);
		json_decref(d);
		json_decref(reports);
		json_decref(settle);
	}
	const char *key;
	json_t *g;
	json_object_foreach(groups, key, g)
	{
		if (s)
			break;
		const hj_edition *e = edition_by_id(c->rb, jstr(g, "edition"));
		if (!e)
			continue;
		/* each grantee's 'granted' is its 確定額; the cohort's budget is left
		 * to the engine (the sum of what was granted) */
		json_t *in = json_pack("{s:O}", "grantees", json_object_get(g, "grantees"));
		char *itext = in ? gg_dump(in, JSON_COMPACT) : NULL, *out = NULL;
		json_decref(in);
		json_t *res = NULL;
		if (!itext)
			s = NOMEM(err);
		else
			s = parse_engine(hj_outcomes_json(c->rb, e, itext, strlen(itext), &out, err), &out, &res, err);
		hj_free(itext);
		if (!s)
			json_array_append_new(editions,
					      json_pack("{s:O,s:O,s:O,s:O,s:I,s:o}", "program", json_object_get(g, "program"),
							"call", json_object_get(g, "call"), "edition",
							json_object_get(g, "edition"), "settled", json_object_get(g, "budget"),
							"grantees", (json_int_t)json_array_size(json_object_get(g, "grantees")),
							"result", res));
	}
	json_decref(awards);
	json_decref(groups);
	if (s) {
		json_decref(editions);
		return s;
	}
	if (c->csv) {
		char *t = outcomes_csv(editions);
		json_decref(editions);
		if (!t)
			return NOMEM(err);
		c->out = json_string(t);
		hj_free(t);
		return c->out ? HJ_OK : NOMEM(err);
	}
	c->out = json_pack("{s:o}", "outcomes", editions);
	return c->out ? HJ_OK : NOMEM(err);
}

hj_status hj_outcomes(hj_store *st, const hj_rulebook *rb, const hj_actor *who, const char *program, int64_t call,
		      int csv, char **json, hj_error *err)
{
	aw_ctx c = { .rb = rb, .who = who, .program = program && *program ? program : NULL, .call = call, .csv = csv };
	*json = NULL;
	hj_status s = gg_need_staff(who, err);
	return s ? s : run(st, 0, outcomes_tx, &c, NULL, 0, NULL, json, err);
}
