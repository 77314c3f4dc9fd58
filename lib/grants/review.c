/*
 * lib/grants/review.c - the secretariat's review as office logic, first
 * half (include/hojo/grants/review.h, docs/review.md): a call's review
 * settings, the staff's 加点 confirmations, reviewers' conflicts, the
 * assignment of reviewers, and the reviews themselves. Scores, ranking,
 * selection and notices are in review-select.c.
 *
 * The rules of this file, in one place:
 *  - Settings. What the seeds give no number for (reviews per
 *    application, the scale, weights, bonus points, the disagreement
 *    threshold, tie-breaks) is a setting of the call over the rulebook's
 *    defaults; GET shows each value in effect and whether the call set it.
 *  - Conflicts. A reviewer declares a conflict with an application, a
 *    company or a party organisation (declared: never dismissed). hojo
 *    detects, per application: the reviewer is a current member of the
 *    applicant company ('company'), acts for a party organisation that
 *    confirmed the application ('support_agency'), or declared a
 *    relationship with its company or that organisation
 *    ('relationship'). Detection runs before every list, assignment and
 *    reviewer access; staff may dismiss a detected one with a reason.
 *  - Assignment. Auto: applications in id order; each gets reviewers
 *    until it has reviews_per_app, choosing the reviewer with the fewest
 *    assignments (over every call), ties by the lower account id, never
 *    one in conflict or already assigned. A plan that cannot give every
 *    application its reviewers is refused whole (the dry run shows
 *    where). Manual: the pairs given, all or nothing.
 *  - Reviews. A reviewer sees and scores only applications assigned to
 *    them and not in conflict (else HJ_ERR_NOT_FOUND). A draft may be
 *    partial; submit needs every criterion scored within the scale. Each
 *    save is a version (If-Match); a change after submission needs a
 *    reason and stays submitted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hojo/alloc.h"
#include "hojo/eval.h"
#include "hojo/grants/audit.h"
#include "hojo/plan.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/review.h"
#include "store/applications.h"
#include "store/parties.h"
#include "store/review.h"
#include "grants-int.h"
#include "review-int.h"

#define NOMEM(err) hj_error_set(err, HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません")
#define COMMENT_MAX 4000
#define MANUAL_MAX 2000
#define NZ(s) ((s) ? (s) : "")

/* ---- shared with review-select.c (review-int.h) ---- */

hj_status grv_settle(hj_status s, json_t *out, char **json, hj_error *err)
{
	if (s) {
		json_decref(out);
		return s;
	}
	return gg_give(out, json, err);
}

hj_status grv_need_reviewer(const hj_actor *who, hj_error *err)
{
	hj_status s = gg_need_account(who, err);
	if (!s && !(who->roles & HJ_ROLE_REVIEWER))
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "審査員の権限が必要です");
	return s;
}

void grv_frac_text(hj_frac f, char out[48])
{
	if (f.den == 1)
		snprintf(out, 48, "%lld", (long long)f.num);
	else
		snprintf(out, 48, "%lld/%lld", (long long)f.num, (long long)f.den);
}

/* {"value":"7/2","text":"3.50"} */
json_t *grv_score_json(hj_frac f)
{
	char v[48], t[48];
	grv_frac_text(f, v);
	hj_score_text(f, 2, t, sizeof t);
	return json_pack("{s:s,s:s}", "value", v, "text", t);
}

static const hj_edition *edition_of(const hj_rulebook *rb, const char *program, const char *edition)
{
	for (int i = 0; i < hj_rulebook_nprograms(rb); i++) {
		const hj_program *p = hj_rulebook_program(rb, i);
		if (strcmp(hj_program_id(p), program))
			continue;
		for (int k = 0; k < hj_program_neditions(p); k++)
			if (!strcmp(hj_edition_id(hj_program_edition(p, k)), edition))
				return hj_program_edition(p, k);
	}
	return NULL;
}

static int64_t int_in(json_t *o, const char *key, int64_t def)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : def;
}

hj_status grv_settings_load(hj_tx *tx, const hj_rulebook *rb, int64_t callid, json_t **call, grv_settings *set,
			    hj_error *err)
{
	memset(set, 0, sizeof *set);
	hj_status s = gg_call_get(tx, callid, call, err);
	if (s)
		return s;
	char *text = NULL;
	if ((s = srw_settings_get(tx, callid, &text, err))) {
		json_decref(*call);
		*call = NULL;
		return s;
	}
	set->set = text ? json_loads(text, 0, NULL) : json_object();
	hj_free(text);
	if (!json_is_object(set->set)) {
		json_decref(set->set);
		set->set = json_object();
	}
	set->call = callid;
	set->ed = edition_of(rb, json_string_value(json_object_get(*call, "program")),
			     json_string_value(json_object_get(*call, "edition")));
	json_t *c = set->set;
	set->per_app = int_in(c, "reviews_per_app", GRV_DEFAULT_PER_APP);
	set->disagreement = int_in(c, "disagreement", GRV_DEFAULT_DISAGREEMENT);
	json_t *tb = json_object_get(c, "tiebreak");
	snprintf(set->tiebreak, sizeof set->tiebreak, "%s", json_is_string(tb) ? json_string_value(tb) : GRV_DEFAULT_TIEBREAK);
	set->feedback_release = json_is_true(json_object_get(c, "feedback_release"));
	if (set->ed)
		hj_edition_scale(set->ed, &set->scale);
	json_t *sc = json_object_get(c, "scale");
	if (json_is_object(sc)) {
		set->scale.min = int_in(sc, "min", set->scale.min);
		set->scale.max = int_in(sc, "max", set->scale.max);
	}
	json_t *w = json_object_get(c, "weights"), *bp = json_object_get(c, "bonus_points");
	for (int i = 0; set->ed && i < hj_edition_ncriteria(set->ed) && set->ncrit < HJ_SEL_MAX_CRIT; i++) {
		const hj_criterion *cr = hj_edition_criterion(set->ed, i);
		set->crit[set->ncrit] = cr;
		set->weight[set->ncrit++] = int_in(w, cr->id, cr->weight);
	}
	for (int i = 0; set->ed && i < hj_edition_nbonus_rules(set->ed) && set->nbonus < GRV_MAX_BONUS; i++) {
		const hj_bonus_rule *b = hj_edition_bonus_rule(set->ed, i);
		set->bonus[set->nbonus] = b;
		set->points[set->nbonus++] = int_in(bp, b->id, b->points);
	}
	return HJ_OK;
}

void grv_settings_clear(grv_settings *set)
{
	json_decref(set->set);
	set->set = NULL;
}

int grv_crit_index(const grv_settings *set, const char *id)
{
	for (int i = 0; i < set->ncrit; i++)
		if (!strcmp(set->crit[i]->id, id))
			return i;
	return -1;
}

int grv_bonus_index(const grv_settings *set, const char *id)
{
	for (int i = 0; i < set->nbonus; i++)
		if (!strcmp(set->bonus[i]->id, id))
			return i;
	return -1;
}


hj_status grv_facts(hj_tx *tx, const hj_rulebook *rb, int64_t app, const char *program, const char *data,
		    int64_t submitted_us, hj_facts **facts, char why[256], hj_error *err)
{
	return grv_facts_with(tx, rb, app, program, data, submitted_us, NULL, NULL, facts, why, err);
}

hj_status grv_facts_with(hj_tx *tx, const hj_rulebook *rb, int64_t app, const char *program, const char *data,
			 int64_t submitted_us, json_t *invs, json_t *tools, hj_facts **facts, char why[256],
			 hj_error *err)
{
	*facts = NULL;
	why[0] = '\0';
	json_t *copy = json_loads(data ? data : "", 0, NULL);
	if (!json_is_object(copy)) {
		json_decref(copy);
		snprintf(why, 256, "申請の内容がオブジェクトではありません");
		return HJ_OK;
	}
	if (!json_object_get(copy, "date") && submitted_us) {
		char d[32];
		gg_iso_jst(submitted_us, d);
		d[10] = '\0';
		json_object_set_new(copy, "date", json_string(d));
	}
	json_t *warnings = json_array();
	hj_status s = warnings ? gp_overlay_with(tx, rb, app, program, copy, warnings, NULL, invs, tools, err) : NOMEM(err);
	json_decref(warnings);
	if (s) {
		json_decref(copy);
		return s;
	}
	hj_facts *f = NULL;
	for (int tries = 0;; tries++) {
		hj_facts_free(f);
		f = NULL;
		char *text = hj_facts_new(rb, &f) ? NULL : gg_dump(copy, 0);
		if (!text) {
			hj_facts_free(f);
			json_decref(copy);
			return NOMEM(err);
		}
		hj_error e;
		s = hj_facts_load_json(f, text, strlen(text), "application", &e);
		hj_free(text);
		if (!s)
			break;
		if (s == HJ_ERR_NOMEM || tries >= 200 || !e.field[0] || gg_remove_path(copy, e.field)) {
			hj_facts_free(f);
			json_decref(copy);
			if (s == HJ_ERR_NOMEM)
				return NOMEM(err);
			snprintf(why, 256, "申請の内容を読めません: %.200s", e.message);
			return HJ_OK;
		}
	}
	json_decref(copy);
	*facts = f;
	return HJ_OK;
}

/* ---- settings ---- */

typedef struct rctx {
	const hj_rulebook *rb;
	const hj_actor *who;
	int64_t id;        /* call, application, conflict, assignment … */
	const char *name;  /* bonus id */
	int64_t if_match;
	int dry_run;
	json_t *body;
	json_t *out;
	int64_t version;
} rctx;

static json_t *settings_doc(const grv_settings *set, json_t *call)
{
	json_t *w = json_object(), *bp = json_object(), *crit = json_array(), *bon = json_array(), *rr = json_array();
	for (int i = 0; i < set->ncrit; i++) {
		const hj_criterion *c = set->crit[i];
		json_object_set_new(w, c->id, json_integer(set->weight[i]));
		json_array_append_new(crit, json_pack("{s:s,s:s,s:s,s:I,s:I,s:s,s:s}", "id", c->id, "group", NZ(c->group),
						      "text", NZ(c->text), "weight", (json_int_t)set->weight[i],
						      "default_weight", (json_int_t)c->weight, "source", NZ(c->source), "note",
						      c->note ? c->note : ""));
	}
	for (int i = 0; i < set->nbonus; i++) {
		const hj_bonus_rule *b = set->bonus[i];
		json_object_set_new(bp, b->id, json_integer(set->points[i]));
		json_array_append_new(bon, json_pack("{s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:s}", "id", b->id, "name", NZ(b->name),
						     "group", b->group ? b->group : "", "points",
						     (json_int_t)set->points[i], "default_points", (json_int_t)b->points,
						     "evidence", b->evidence ? b->evidence : "", "text",
						     b->text ? b->text : "", "source", NZ(b->source), "note",
						     b->note ? b->note : ""));
	}
	for (int i = 0; set->ed && i < hj_edition_nrereviews(set->ed); i++) {
		const hj_rereview *r = hj_edition_rereview(set->ed, i);
		json_array_append_new(rr, json_pack("{s:s,s:s,s:s,s:b,s:s,s:s}", "from", hj_frame_id(r->from), "to",
						    hj_frame_id(r->to), "bonus", r->bonus ? r->bonus : "", "priority",
						    r->priority, "source", NZ(r->source), "note", r->note ? r->note : ""));
	}
	json_t *frames = json_deep_copy(json_object_get(call, "frames"));
	json_t *setkeys = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(set->set, k, v)
		json_array_append_new(setkeys, json_string(k));
	return json_pack("{s:I,s:{s:I,s:{s:I,s:I,s:s,s:s},s:o,s:o,s:I,s:s,s:o,s:b},s:o,s:o,s:o,s:o,s:{s:I,s:I,s:s}}",
			 "call", (json_int_t)set->call, "settings", "reviews_per_app", (json_int_t)set->per_app, "scale",
			 "min", (json_int_t)set->scale.min, "max", (json_int_t)set->scale.max, "source",
			 set->scale.source ? set->scale.source : "", "note", set->scale.note ? set->scale.note : "",
			 "weights", w, "bonus_points", bp, "disagreement", (json_int_t)set->disagreement, "tiebreak",
			 set->tiebreak, "frames", frames ? frames : json_array(), "feedback_release",
			 set->feedback_release, "set_by_call", setkeys, "criteria", crit, "bonus_rules", bon, "rereview",
			 rr, "defaults", "reviews_per_app", (json_int_t)GRV_DEFAULT_PER_APP, "disagreement",
			 (json_int_t)GRV_DEFAULT_DISAGREEMENT, "tiebreak", GRV_DEFAULT_TIEBREAK);
}

static hj_status settings_get_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *call;
	grv_settings set;
	hj_status s = grv_settings_load(tx, c->rb, c->id, &call, &set, err);
	if (s)
		return s;
	c->out = settings_doc(&set, call);
	json_decref(call);
	grv_settings_clear(&set);
	return c->out ? HJ_OK : NOMEM(err);
}

/* Staff, or a reviewer (who reads the criteria they score on). */
hj_status hj_review_settings_get(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call,
				 char **json, hj_error *err)
{
	rctx c = { .rb = rb, .who = who, .id = call };
	hj_status s = gg_need_account(who, err);
	if (!s && !gg_is_staff(who) && !(who->roles & HJ_ROLE_REVIEWER))
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "事務局か審査員の権限が必要です");
	if (!s)
		s = hj_store_run(st, 0, settings_get_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}

/* A map {id: integer >= 0} whose keys are all in the given ids. */
static hj_status want_map(json_t *b, const char *key, const grv_settings *set, int crit, hj_error *err)
{
	json_t *m = json_object_get(b, key);
	if (!m || json_is_null(m))
		return HJ_OK;
	if (!json_is_object(m))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key, "'%s' は {項目: 整数} で書いてください", key);
	const char *k;
	json_t *v;
	json_object_foreach(m, k, v)
	{
		char field[160];
		snprintf(field, sizeof field, "%s.%.100s", key, k);
		if ((crit ? grv_crit_index(set, k) : grv_bonus_index(set, k)) < 0)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "この公募回の版に%s '%.100s' はありません",
					    crit ? "審査項目" : "加点項目", k);
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "'%s' は0以上1000以下の整数で書いてください",
					    field);
	}
	return HJ_OK;
}

static hj_status settings_put_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *call;
	grv_settings set;
	hj_status s = grv_settings_load(tx, c->rb, c->id, &call, &set, err);
	if (s)
		return s;
	json_t *b = c->body;
	int64_t v;
	int given;
	if ((s = gg_want_int(b, "reviews_per_app", 0, 1, &v, &given, err)))
		goto out;
	if (given && v > 20) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "reviews_per_app", "'reviews_per_app' は1以上20以下です");
		goto out;
	}
	if ((s = gg_want_int(b, "disagreement", 0, 0, &v, &given, err)))
		goto out;
	json_t *sc = json_object_get(b, "scale");
	if (sc && !json_is_null(sc)) {
		json_t *mn = json_object_get(sc, "min"), *mx = json_object_get(sc, "max");
		if (!json_is_object(sc) || json_object_size(sc) != 2 || !json_is_integer(mn) || !json_is_integer(mx) ||
		    json_integer_value(mn) < 0 || json_integer_value(mx) <= json_integer_value(mn) ||
		    json_integer_value(mx) > 1000) {
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "scale",
					 "'scale' は {min, max}（0 <= min < max <= 1000 の整数）で書いてください");
			goto out;
		}
	}
	if ((s = want_map(b, "weights", &set, 1, err)) || (s = want_map(b, "bonus_points", &set, 0, err)))
		goto out;
	const char *tb;
	if ((s = gg_want_string(b, "tiebreak", 0, 255, &tb, err)))
		goto out;
	if (tb) {
		const char *ids[HJ_SEL_MAX_CRIT];
		for (int i = 0; i < set.ncrit; i++)
			ids[i] = set.crit[i]->id;
		hj_tiebreak_rule r[16];
		int n;
		if ((s = hj_tiebreak_parse(tb, ids, set.ncrit, r, 16, &n, err))) {
			snprintf(err->field, sizeof err->field, "tiebreak");
			goto out;
		}
	}
	json_t *fr = json_object_get(b, "feedback_release");
	if (fr && !json_is_null(fr) && !json_is_boolean(fr)) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "feedback_release", "'feedback_release' は true か false です");
		goto out;
	}
	/* the call's settings are what the body gives (null: back to the default) */
	json_t *keep = json_object();
	const char *k;
	json_t *val;
	json_object_foreach(b, k, val)
		if (!json_is_null(val))
			json_object_set(keep, k, val);
	char *before = gg_dump(set.set, JSON_SORT_KEYS), *after = gg_dump(keep, JSON_SORT_KEYS);
	char hb[65], ha[65];
	if (!before || !after) {
		s = NOMEM(err);
	} else {
		hj_sha256_hex(before, strlen(before), hb);
		hj_sha256_hex(after, strlen(after), ha);
		s = srw_settings_put(tx, c->id, after, c->who->account, hj_now_us(), err);
	}
	if (!s)
		s = gg_audit(tx, c->who, "review.settings", "call", c->id, 0, hb, ha, json_incref(keep), err);
	hj_free(before);
	hj_free(after);
	json_decref(keep);
	grv_settings_clear(&set);
	json_decref(call);
	if (!s && !(s = grv_settings_load(tx, c->rb, c->id, &call, &set, err))) {
		c->out = settings_doc(&set, call);
		json_decref(call);
		grv_settings_clear(&set);
		if (!c->out)
			s = NOMEM(err);
	}
	return s;
out:
	grv_settings_clear(&set);
	json_decref(call);
	return s;
}

hj_status hj_review_settings_put(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call,
				 const char *body, size_t len, char **json, hj_error *err)
{
	rctx c = { .rb = rb, .who = who, .id = call };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = gg_parse_body(body, len, "reviews_per_app,scale,weights,bonus_points,disagreement,tiebreak,feedback_release",
				  &c.body, err);
	if (!s)
		s = hj_store_run(st, 1, settings_put_tx, &c, err);
	json_decref(c.body);
	return grv_settle(s, c.out, json, err);
}

/* ---- 加点 ---- */

static const char *truth_name(hj_truth t)
{
	return t == HJ_TRUE ? "true" : t == HJ_FALSE ? "false" : "unknown";
}

static const char *truth_ja(hj_truth t)
{
	return t == HJ_TRUE ? "該当" : t == HJ_FALSE ? "非該当" : "要確認";
}

static json_t *find_decision(json_t *decisions, int64_t app, const char *bonus)
{
	size_t i;
	json_t *d;
	json_array_foreach(decisions, i, d)
		if (json_integer_value(json_object_get(d, "application")) == app &&
		    !strcmp(json_string_value(json_object_get(d, "bonus")), bonus))
			return d;
	return NULL;
}

static hj_status bonus_list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *call, *apps = NULL, *dec = NULL, *list = json_array();
	grv_settings set;
	hj_status s = grv_settings_load(tx, c->rb, c->id, &call, &set, err);
	if (s) {
		json_decref(list);
		return s;
	}
	const char *program = json_string_value(json_object_get(call, "program"));
	if ((s = srw_call_apps(tx, c->id, 1, &apps, err)) || (s = srw_bonus_list(tx, c->id, &dec, err)))
		goto out;
	size_t i;
	json_t *a;
	/* the page asked for (if_match: the page, version: its size, 0 for all); the facts of
	   the applications on it only are evaluated */
	int64_t from = c->version ? (c->if_match - 1) * c->version : 0;
	json_array_foreach(apps, i, a)
	{
		if (c->version && ((int64_t)i < from || (int64_t)i >= from + c->version))
			continue;
		int64_t id = json_integer_value(json_object_get(a, "id"));
		hj_facts *f = NULL;
		char why[256];
		json_t *atts = NULL;
		if ((s = grv_facts(tx, c->rb, id, program, json_string_value(json_object_get(a, "data")),
				   json_integer_value(json_object_get(a, "submitted_at_us")), &f, why, err)) ||
		    (s = sti_attachment_list(tx, id, &atts, err))) {
			hj_facts_free(f);
			goto out;
		}
		json_t *bl = json_array();
		int64_t confirmed = 0;
		for (int k = 0; k < set.nbonus; k++) {
			const hj_bonus_rule *b = set.bonus[k];
			char values[512] = "";
			hj_truth t = HJ_UNKNOWN;
			if (f) {
				int idx = hj_edition_find_bonus_rule(set.ed, b->id);
				t = hj_bonus_check(c->rb, f, set.ed, idx, values, sizeof values);
			}
			json_t *ev = json_array();
			size_t j;
			json_t *at;
			json_array_foreach(atts, j, at)
				if (b->evidence && *b->evidence && json_is_string(json_object_get(at, "kind")) &&
				    !strcmp(json_string_value(json_object_get(at, "kind")), b->evidence))
					json_array_append_new(ev, json_pack("{s:O,s:O}", "id", json_object_get(at, "id"), "name",
									    json_object_get(at, "name")));
			json_t *d = find_decision(dec, id, b->id);
			const char *decision = d ? json_string_value(json_object_get(d, "decision")) : "pending";
			if (!strcmp(decision, "confirmed"))
				confirmed += set.points[k];
			json_array_append_new(bl, json_pack("{s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:O,s:O,s:O}", "bonus", b->id,
							    "name", NZ(b->name), "points", (json_int_t)set.points[k], "engine",
							    truth_name(t), "engine_ja", truth_ja(t), "values", values,
							    "evidence", b->evidence ? b->evidence : "", "evidence_attached",
							    ev, "decision", decision, "reason",
							    d ? json_object_get(d, "reason") : json_null(), "decided_by",
							    d ? json_object_get(d, "decided_by") : json_null(), "decided_at_us",
							    d ? json_object_get(d, "decided_at_us") : json_null()));
		}
		hj_facts_free(f);
		json_decref(atts);
		json_array_append_new(list, json_pack("{s:I,s:O,s:O,s:s?,s:I,s:o}", "application", (json_int_t)id,
						      "company_name", json_object_get(a, "company_name"), "frames",
						      json_object_get(a, "frames"), "unreadable", why[0] ? why : NULL,
						      "confirmed_points", (json_int_t)confirmed, "bonuses", bl));
	}
	c->out = json_pack("{s:I,s:I,s:I,s:I,s:O}", "call", (json_int_t)c->id, "total", (json_int_t)json_array_size(apps),
			   "page", (json_int_t)(c->version ? c->if_match : 1), "per_page",
			   (json_int_t)(c->version ? c->version : (int64_t)json_array_size(apps)), "applications", list);
	gg_times_to_iso(c->out);
	if (!c->out)
		s = NOMEM(err);
out:
	json_decref(list);
	json_decref(apps);
	json_decref(dec);
	json_decref(call);
	grv_settings_clear(&set);
	return s;
}

hj_status hj_bonus_list(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, char **json,
			hj_error *err)
{
	return hj_bonus_list_page(st, rb, who, call, 1, 0, json, err);
}

/* hj_bonus_list one page of applications at a time (per_page 0: all). */
hj_status hj_bonus_list_page(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, int64_t page,
			     int64_t per_page, char **json, hj_error *err)
{
	rctx c = { .rb = rb, .who = who, .id = call, .if_match = page < 1 ? 1 : page, .version = per_page < 0 ? 0 : per_page };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = hj_store_run(st, 0, bonus_list_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}

static hj_status bonus_decide_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	sti_app a;
	int found;
	hj_status s = sti_app_get(tx, c->id, &a, &found, err);
	if (s)
		return s;
	if (!found || strcmp(a.state, "submitted")) {
		sti_app_clear(&a);
		return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "提出済みの申請 %lld はありません", (long long)c->id);
	}
	json_t *call;
	grv_settings set;
	if ((s = grv_settings_load(tx, c->rb, a.call, &call, &set, err))) {
		sti_app_clear(&a);
		return s;
	}
	int k = grv_bonus_index(&set, c->name);
	const char *decision = json_string_value(json_object_get(c->body, "decision"));
	const char *reason = json_string_value(json_object_get(c->body, "reason"));
	if (k < 0)
		s = hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "この公募回の版に加点項目 '%.100s' はありません",
				 c->name);
	else {
		{
			const char *d = !strcmp(decision, "confirm") ? "confirmed" : "rejected";
			int64_t now = hj_now_us();
			if (!(s = srw_bonus_put(tx, a.id, c->name, d, reason, c->who->account, now, err)) &&
			    !(s = gg_audit(tx, c->who, "review.bonus", "application", a.id, a.company, NULL, NULL,
					   json_pack("{s:s,s:s,s:s?,s:I}", "bonus", c->name, "decision", d, "reason", reason,
						     "points", (json_int_t)set.points[k]),
					   err))) {
				c->out = json_pack("{s:I,s:s,s:s,s:I,s:s?,s:I}", "application", (json_int_t)a.id, "bonus",
						   c->name, "decision", d, "points", (json_int_t)set.points[k], "reason",
						   reason, "decided_by", (json_int_t)c->who->account);
				if (!c->out)
					s = NOMEM(err);
			}
		}
	}
	grv_settings_clear(&set);
	json_decref(call);
	sti_app_clear(&a);
	return s;
}

hj_status hj_bonus_decide(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app,
			  const char *bonus, const char *body, size_t len, char **json, hj_error *err)
{
	rctx c = { .rb = rb, .who = who, .id = app, .name = bonus };
	const char *decision, *reason;
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = gg_parse_body(body, len, "decision,reason", &c.body, err);
	if (!s && !(s = gg_want_string(c.body, "decision", 1, 16, &decision, err)) &&
	    !(s = gg_want_string(c.body, "reason", 0, COMMENT_MAX, &reason, err))) {
		if (strcmp(decision, "confirm") && strcmp(decision, "reject"))
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "decision", "'decision' は confirm か reject です");
		else if (!strcmp(decision, "reject") && (!reason || !*reason))
			s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "reason", "加点を認めないときは理由（reason）を書いてください");
	}
	if (!s)
		s = hj_store_run(st, 1, bonus_decide_tx, &c, err);
	json_decref(c.body);
	return grv_settle(s, c.out, json, err);
}

/* ---- conflicts ---- */

/* A paged list of a call's: the page and its size ride in if_match and
 * version (page 1-100,000; per_page 1-5,000, 1,000 when not given). */
static rctx page_ctx(const hj_actor *who, int64_t call, int page, int per_page)
{
	rctx c = { .who = who, .id = call, .if_match = page < 1 ? 1 : page > 100000 ? 100000 : page,
		   .version = per_page < 1 ? 1000 : per_page > 5000 ? 5000 : per_page };
	return c;
}

/* {"call","total","page","per_page",key:list} as c->out (takes 'list'). */
static hj_status page_doc(rctx *c, const char *key, json_t *list, int64_t total, hj_error *err)
{
	gg_times_to_iso(list);
	c->out = json_pack("{s:I,s:I,s:I,s:I,s:o}", "call", (json_int_t)c->id, "total", (json_int_t)total, "page",
			   (json_int_t)c->if_match, "per_page", (json_int_t)c->version, key, list);
	return c->out ? HJ_OK : NOMEM(err);
}

static hj_status conflict_list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *call = NULL, *list = NULL;
	hj_status s = gg_call_get(tx, c->id, &call, err);
	if (!s)
		s = srw_detect(tx, 0, c->id, hj_now_us(), NULL, err);
	int64_t total = 0;
	if (!s)
		s = srw_conflict_list(tx, c->id, (int)c->if_match, (int)c->version, &list, &total, err);
	if (!s)
		s = page_doc(c, "conflicts", list, total, err);
	json_decref(call);
	return s;
}

hj_status hj_conflict_list(hj_store *st, const hj_actor *who, int64_t call, int page, int per_page, char **json,
			   hj_error *err)
{
	rctx c = page_ctx(who, call, page, per_page);
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = hj_store_run(st, 1, conflict_list_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}

static hj_status conflict_declare_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	int64_t app = 0, company = 0, org = 0;
	int ga, gc, go;
	const char *type, *note;
	hj_status s;
	if ((s = gg_want_int(c->body, "application", 0, 1, &app, &ga, err)) ||
	    (s = gg_want_int(c->body, "company", 0, 1, &company, &gc, err)) ||
	    (s = gg_want_int(c->body, "organisation", 0, 1, &org, &go, err)) ||
	    (s = gg_want_string(c->body, "type", 1, 32, &type, err)) ||
	    (s = gg_want_string(c->body, "note", 0, COMMENT_MAX, &note, err)))
		return s;
	if (ga + gc + go != 1)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "application",
				    "application・company・organisation のどれか一つを書いてください");
	if (strcmp(type, "company") && strcmp(type, "support_agency") && strcmp(type, "relationship") &&
	    strcmp(type, "other"))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "type",
				    "'type' は company・support_agency・relationship・other のどれかです");
	/* what it names must exist */
	json_t *o = NULL;
	if (ga) {
		sti_app a;
		int found;
		if ((s = sti_app_get(tx, app, &a, &found, err)))
			return s;
		int ok = found && strcmp(a.state, "draft");
		sti_app_clear(&a);
		if (!ok)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "application", "申請 %lld はありません", (long long)app);
	} else if (gc) {
		if ((s = sti_company_get(tx, company, &o, err)))
			return s;
		json_decref(o);
		if (!o)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "company", "会社 %lld はありません", (long long)company);
	} else {
		if ((s = spt_org_get(tx, org, &o, err)))
			return s;
		json_decref(o);
		if (!o)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "organisation", "組織 %lld はありません", (long long)org);
	}
	int64_t id, now = hj_now_us();
	if ((s = srw_conflict_insert(tx, c->who->account, app, company, org, type, "declared", note, now, &id, err)) ||
	    (s = srw_detect(tx, c->who->account, 0, now, NULL, err)) ||
	    (s = gg_audit(tx, c->who, "review.conflict.declare", "conflict", id, 0, NULL, NULL,
			  json_pack("{s:I,s:I,s:I,s:s}", "application", (json_int_t)app, "company", (json_int_t)company,
				    "organisation", (json_int_t)org, "type", type),
			  err)) ||
	    (s = srw_conflict_get(tx, id, &c->out, err)))
		return s;
	gg_times_to_iso(c->out);
	return HJ_OK;
}

hj_status hj_conflict_declare(hj_store *st, const hj_actor *who, const char *body, size_t len, char **json,
			      hj_error *err)
{
	rctx c = { .who = who };
	hj_status s = grv_need_reviewer(who, err);
	if (!s)
		s = gg_parse_body(body, len, "application,company,organisation,type,note", &c.body, err);
	if (!s)
		s = hj_store_run(st, 1, conflict_declare_tx, &c, err);
	json_decref(c.body);
	return grv_settle(s, c.out, json, err);
}

static hj_status conflict_dismiss_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	const char *reason;
	json_t *cf = NULL;
	hj_status s = gg_want_string(c->body, "reason", 1, COMMENT_MAX, &reason, err);
	if (!s)
		s = srw_conflict_get(tx, c->id, &cf, err);
	if (s)
		return s;
	if (!cf)
		return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "利益相反 %lld はありません", (long long)c->id);
	int changed = 0;
	if (strcmp(json_string_value(json_object_get(cf, "origin")), "detected"))
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "origin", "審査員が申告した利益相反は解除できません");
	else if (json_is_true(json_object_get(cf, "dismissed")))
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "dismissed", "この利益相反はもう解除されています");
	else if (!(s = srw_conflict_dismiss(tx, c->id, reason, c->who->account, hj_now_us(), &changed, err)) &&
		 !(s = gg_audit(tx, c->who, "review.conflict.dismiss", "conflict", c->id, 0, NULL, NULL,
				json_pack("{s:O,s:O,s:s}", "reviewer", json_object_get(cf, "reviewer"), "application",
					  json_object_get(cf, "application"), "reason", reason),
				err))) {
		json_decref(cf);
		cf = NULL;
		if (!(s = srw_conflict_get(tx, c->id, &c->out, err)))
			gg_times_to_iso(c->out);
	}
	json_decref(cf);
	return s;
}

hj_status hj_conflict_dismiss(hj_store *st, const hj_actor *who, int64_t id, const char *body, size_t len,
			      char **json, hj_error *err)
{
	rctx c = { .who = who, .id = id };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = gg_parse_body(body, len, "reason", &c.body, err);
	if (!s)
		s = hj_store_run(st, 1, conflict_dismiss_tx, &c, err);
	json_decref(c.body);
	return grv_settle(s, c.out, json, err);
}

/* ---- assignments ---- */

typedef struct pair {
	int64_t reviewer, app;
} pair;

static int pair_cmp(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->reviewer != y->reviewer)
		return x->reviewer < y->reviewer ? -1 : 1;
	return x->app < y->app ? -1 : x->app > y->app;
}

static int pair_by_app(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->app != y->app)
		return x->app < y->app ? -1 : 1;
	return x->reviewer < y->reviewer ? -1 : x->reviewer > y->reviewer;
}

/* How many pairs of 'v' (sorted by pair_by_app) have application 'app'. */
static int64_t count_app(const pair *v, size_t n, int64_t app)
{
	size_t lo = 0, hi = n;
	while (lo < hi) { /* the first with v[i].app >= app */
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].app < app)
			lo = mid + 1;
		else
			hi = mid;
	}
	int64_t k = 0;
	for (size_t i = lo; i < n && v[i].app == app; i++)
		k++;
	return k;
}

static int pair_in(const pair *v, size_t n, int64_t reviewer, int64_t app)
{
	pair k = { reviewer, app };
	return n && bsearch(&k, v, n, sizeof *v, pair_cmp) != NULL;
}

/* Pairs from [[reviewer, app]] or [{reviewer, application}], sorted. */
static pair *pairs_of(json_t *a, size_t *n)
{
	*n = json_array_size(a);
	pair *v = hj_malloc((*n ? *n : 1) * sizeof *v);
	if (!v)
		return NULL;
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x)
	{
		if (json_is_array(x)) {
			v[i].reviewer = json_integer_value(json_array_get(x, 0));
			v[i].app = json_integer_value(json_array_get(x, 1));
		} else {
			v[i].reviewer = json_integer_value(json_object_get(x, "reviewer"));
			v[i].app = json_integer_value(json_object_get(x, "application"));
		}
	}
	qsort(v, *n, sizeof *v, pair_cmp);
	return v;
}

typedef struct reviewer {
	int64_t id, load, before;
	const char *email;
} reviewer;

static hj_status assign_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *call = NULL, *apps = NULL, *revs = NULL, *conf = NULL, *cur = NULL, *plan = json_array();
	pair *cp = NULL, *ap = NULL;
	reviewer *rv = NULL;
	size_t ncp = 0, nap = 0, nrv = 0;
	grv_settings set;
	int64_t now = hj_now_us();
	const char *mode;
	hj_status s = grv_settings_load(tx, c->rb, c->id, &call, &set, err);
	if (s) {
		json_decref(plan);
		return s;
	}
	if ((s = gg_want_string(c->body, "mode", 1, 16, &mode, err)))
		goto out;
	if (strcmp(mode, "auto") && strcmp(mode, "manual")) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "mode", "'mode' は auto か manual です");
		goto out;
	}
	json_t *pairs = json_object_get(c->body, "pairs");
	if (!strcmp(mode, "auto") && pairs) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "pairs", "自動割当（auto）に pairs は書きません");
		goto out;
	}
	if (!strcmp(mode, "manual") && (!json_is_array(pairs) || !json_array_size(pairs) ||
					json_array_size(pairs) > MANUAL_MAX)) {
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "pairs",
				 "'pairs' は [{application, reviewer}] で1件以上%d件まで書いてください", MANUAL_MAX);
		goto out;
	}
	if ((s = srw_detect(tx, 0, c->id, now, NULL, err)) || (s = srw_call_apps(tx, c->id, 0, &apps, err)) ||
	    (s = srw_reviewers(tx, &revs, err)) || (s = srw_conflict_pairs(tx, c->id, &conf, err)) ||
	    (s = srw_assignment_pairs(tx, c->id, &cur, err)))
		goto out;
	if (!(cp = pairs_of(conf, &ncp)) || !(ap = pairs_of(cur, &nap)) ||
	    !(rv = hj_malloc((json_array_size(revs) + 1) * sizeof *rv))) {
		s = NOMEM(err);
		goto out;
	}
	size_t i;
	json_t *x;
	json_array_foreach(revs, i, x)
	{
		rv[nrv].id = json_integer_value(json_object_get(x, "id"));
		rv[nrv].load = rv[nrv].before = json_integer_value(json_object_get(x, "load"));
		rv[nrv++].email = json_string_value(json_object_get(x, "email"));
	}
	json_t *shortage = json_array();
	pair *byapp = NULL; /* the existing assignments by application */
	if (!strcmp(mode, "auto")) {
		if (!(byapp = hj_malloc((nap ? nap : 1) * sizeof *byapp))) {
			json_decref(shortage);
			s = NOMEM(err);
			goto out;
		}
		memcpy(byapp, ap, nap * sizeof *ap);
		qsort(byapp, nap, sizeof *byapp, pair_by_app);
		json_array_foreach(apps, i, x)
		{
			int64_t app = json_integer_value(json_object_get(x, "id"));
			int64_t have = count_app(byapp, nap, app), mine[64];
			int nmine = 0;
			while (have < set.per_app) {
				reviewer *best = NULL;
				for (size_t r = 0; r < nrv; r++) {
					int taken = pair_in(ap, nap, rv[r].id, app) || pair_in(cp, ncp, rv[r].id, app);
					for (int m = 0; m < nmine && !taken; m++)
						taken = mine[m] == rv[r].id;
					if (!taken && (!best || rv[r].load < best->load))
						best = &rv[r]; /* ids ascend: the first of equal load is the lowest id */
				}
				if (!best)
					break;
				best->load++;
				have++;
				if (nmine < 64)
					mine[nmine++] = best->id;
				json_array_append_new(plan, json_pack("{s:I,s:I,s:s}", "application", (json_int_t)app, "reviewer",
								      (json_int_t)best->id, "reviewer_email", best->email));
			}
			if (have < set.per_app)
				json_array_append_new(shortage, json_pack("{s:I,s:I}", "application", (json_int_t)app, "missing",
									  (json_int_t)(set.per_app - have)));
		}
	} else {
		json_array_foreach(pairs, i, x)
		{
			char field[64];
			int64_t app = 0, r = 0;
			snprintf(field, sizeof field, "pairs[%zu]", i);
			json_t *ja = json_object_get(x, "application"), *jr = json_object_get(x, "reviewer");
			if (!json_is_object(x) || json_object_size(x) != 2 || !json_is_integer(ja) || !json_is_integer(jr)) {
				s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field,
						 "'%s' は {application, reviewer}（どちらも整数の id）で書いてください", field);
				break;
			}
			app = json_integer_value(ja);
			r = json_integer_value(jr);
			int ok = 0;
			size_t k;
			json_t *y;
			json_array_foreach(apps, k, y)
				ok |= json_integer_value(json_object_get(y, "id")) == app;
			if (!ok) {
				s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field,
						 "申請 %lld はこの公募回の提出済みの申請ではありません", (long long)app);
				break;
			}
			reviewer *who = NULL;
			for (size_t m = 0; m < nrv; m++)
				if (rv[m].id == r)
					who = &rv[m];
			if (!who) {
				s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "アカウント %lld は審査員ではありません",
						 (long long)r);
				break;
			}
			if (pair_in(cp, ncp, r, app)) {
				s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, field,
						 "審査員 %lld と申請 %lld は利益相反の関係にあります", (long long)r, (long long)app);
				break;
			}
			int dup = pair_in(ap, nap, r, app);
			json_array_foreach(plan, k, y)
				dup |= json_integer_value(json_object_get(y, "application")) == app &&
				       json_integer_value(json_object_get(y, "reviewer")) == r;
			if (dup) {
				s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, field,
						 "審査員 %lld はもう申請 %lld に割り当てられています", (long long)r, (long long)app);
				break;
			}
			who->load++;
			json_array_append_new(plan, json_pack("{s:I,s:I,s:s}", "application", (json_int_t)app, "reviewer",
							      (json_int_t)r, "reviewer_email", who->email));
		}
	}
	if (!s && json_array_size(shortage) && !c->dry_run)
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "reviews_per_app",
				 "%zu 件の申請に審査員が足りません（利益相反のない審査員が reviews_per_app=%lld 人に届かない）。"
				 "dry_run=1 で確かめてください",
				 json_array_size(shortage), (long long)set.per_app);
	if (!s && !c->dry_run) {
		json_array_foreach(plan, i, x)
		{
			int64_t id;
			if ((s = srw_assignment_insert(tx, c->id, json_integer_value(json_object_get(x, "application")),
						       json_integer_value(json_object_get(x, "reviewer")), c->who->account, now,
						       &id, err)))
				break;
			json_object_set_new(x, "id", json_integer(id));
		}
		if (!s)
			s = gg_audit(tx, c->who, "review.assign", "call", c->id, 0, NULL, NULL,
				     json_pack("{s:s,s:I}", "mode", mode, "count", (json_int_t)json_array_size(plan)), err);
	}
	if (!s) {
		json_t *load = json_array();
		for (size_t r = 0; r < nrv; r++)
			json_array_append_new(load, json_pack("{s:I,s:s,s:I,s:I}", "reviewer", (json_int_t)rv[r].id, "email",
							      rv[r].email, "before", (json_int_t)rv[r].before, "after",
							      (json_int_t)rv[r].load));
		c->out = json_pack("{s:I,s:s,s:b,s:I,s:I,s:O,s:o,s:o}", "call", (json_int_t)c->id, "mode", mode, "dry_run",
				   c->dry_run, "reviews_per_app", (json_int_t)set.per_app, "count",
				   (json_int_t)json_array_size(plan), "assignments", plan, "shortage", shortage, "load", load);
		shortage = NULL;
		if (!c->out)
			s = NOMEM(err);
	}
	json_decref(shortage);
	hj_free(byapp);
out:
	hj_free(cp);
	hj_free(ap);
	hj_free(rv);
	json_decref(plan);
	json_decref(apps);
	json_decref(revs);
	json_decref(conf);
	json_decref(cur);
	json_decref(call);
	grv_settings_clear(&set);
	return s;
}

hj_status hj_assign(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t call, const char *body,
		    size_t len, int dry_run, char **json, hj_error *err)
{
	rctx c = { .rb = rb, .who = who, .id = call, .dry_run = dry_run };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = gg_parse_body(body, len, "mode,pairs", &c.body, err);
	if (!s)
		s = hj_store_run(st, 1, assign_tx, &c, err); /* detection writes even in a dry run */
	json_decref(c.body);
	return grv_settle(s, c.out, json, err);
}

static hj_status assignment_list_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *call = NULL, *list = NULL;
	hj_status s = gg_call_get(tx, c->id, &call, err);
	int64_t total = 0;
	if (!s)
		s = srw_assignment_list(tx, c->id, (int)c->if_match, (int)c->version, &list, &total, err);
	if (!s)
		s = page_doc(c, "assignments", list, total, err);
	json_decref(call);
	return s;
}

hj_status hj_assignment_list(hj_store *st, const hj_actor *who, int64_t call, int page, int per_page, char **json,
			     hj_error *err)
{
	rctx c = page_ctx(who, call, page, per_page);
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = hj_store_run(st, 0, assignment_list_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}

static hj_status assignment_delete_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *a = NULL, *r = NULL;
	hj_status s = srw_assignment_get(tx, c->id, &a, err);
	if (s)
		return s;
	if (!a)
		return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "割当 %lld はありません", (long long)c->id);
	if (!(s = srw_review_get(tx, c->id, &r, err))) {
		if (r && !strcmp(json_string_value(json_object_get(r, "state")), "submitted"))
			s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "state",
					 "提出済みの審査がある割当は取り消せません");
		else if (!(s = srw_assignment_delete(tx, c->id, err)))
			s = gg_audit(tx, c->who, "review.unassign", "assignment", c->id, 0, NULL, NULL,
				     json_pack("{s:O,s:O,s:b}", "application", json_object_get(a, "application"), "reviewer",
					       json_object_get(a, "reviewer"), "draft_dropped", r != NULL),
				     err);
	}
	json_decref(a);
	json_decref(r);
	return s;
}

hj_status hj_assignment_delete(hj_store *st, const hj_actor *who, int64_t id, hj_error *err)
{
	rctx c = { .who = who, .id = id };
	hj_status s = gg_need_staff(who, err);
	if (!s)
		s = hj_store_run(st, 1, assignment_delete_tx, &c, err);
	return s;
}

/* ---- reviews ---- */

/* The assignment 'id' when it is the actor's and not in conflict
 * (after detection), else HJ_ERR_NOT_FOUND. Staff see every one when
 * 'staff_ok'. */
static hj_status my_assignment(hj_tx *tx, const hj_actor *who, int64_t id, int staff_ok, json_t **out, hj_error *err)
{
	*out = NULL;
	hj_status s = srw_assignment_get(tx, id, out, err);
	if (s)
		return s;
	int mine = *out && json_integer_value(json_object_get(*out, "reviewer")) == who->account &&
		   (who->roles & HJ_ROLE_REVIEWER);
	if (mine) {
		int yes = 0;
		if ((s = srw_detect(tx, who->account, json_integer_value(json_object_get(*out, "call")), hj_now_us(), NULL,
				    err)) ||
		    (s = srw_conflicted(tx, who->account, json_integer_value(json_object_get(*out, "application")), &yes,
					err))) {
			json_decref(*out);
			*out = NULL;
			return s;
		}
		mine = !yes;
	}
	if (*out && (mine || (staff_ok && gg_is_staff(who))))
		return HJ_OK;
	json_decref(*out);
	*out = NULL;
	return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "審査 %lld はありません", (long long)id);
}

static hj_status queue_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *items = NULL;
	int64_t total = 0;
	hj_status s = srw_detect(tx, c->who->account, 0, hj_now_us(), NULL, err);
	if (!s)
		s = srw_queue(tx, c->who->account, (int)c->if_match, (int)c->version, &items, &total, err);
	if (!s) {
		gg_times_to_iso(items);
		c->out = json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)c->if_match,
				   "per_page", (json_int_t)c->version, "items", items);
		if (!c->out)
			s = NOMEM(err);
	}
	return s;
}

hj_status hj_reviewer_queue(hj_store *st, const hj_actor *who, int page, int per_page, char **json, hj_error *err)
{
	/* if_match and version carry the page and its size */
	rctx c = { .who = who, .if_match = page < 1 ? 1 : page > 100000 ? 100000 : page,
		   .version = per_page < 1 ? 50 : per_page > 200 ? 200 : per_page };
	hj_status s = grv_need_reviewer(who, err);
	if (!s)
		s = hj_store_run(st, 1, queue_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}

/* The engine's word on each frame of the application: verdict, amount
 * and the lines of the explanation. */
static json_t *explanation(const hj_rulebook *rb, hj_facts *f, json_t *frames)
{
	json_t *out = json_array();
	size_t i;
	json_t *fj;
	json_array_foreach(frames, i, fj)
	{
		const hj_frame *fr = hj_rulebook_find_frame(rb, json_string_value(fj));
		hj_result r;
		if (!fr || !f || hj_evaluate(rb, f, fr, &r))
			continue;
		json_t *lines = json_array();
		hj_reasons *rs = NULL;
		if (!hj_explain(rb, f, &r, &rs))
			for (int k = 0; k < hj_reasons_count(rs); k++) {
				const hj_reason *re = hj_reasons_get(rs, k);
				json_array_append_new(lines, json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", re->kind, "result",
								       truth_name(re->result), "text", re->text ? re->text : "",
								       "values", re->values ? re->values : "", "source",
								       re->source ? re->source : ""));
			}
		hj_reasons_free(rs);
		json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "frame", hj_frame_id(fr), "name",
						     hj_frame_name(fr), "verdict", hj_verdict_name(r.verdict), "verdict_ja",
						     hj_verdict_name_ja(r.verdict), "subsidy",
						     r.subsidy_known ? json_integer(r.subsidy) : json_null(), "reasons", lines));
	}
	return out;
}

/* The plan check of the application's plan for its frames (docs/plan.md:
 * the plan table's computed rows and each requirement met or not), as
 * POST /api/v1/plan answers it; JSON null when the application has no
 * plan or none of its frames has requirements. */
static json_t *plan_doc(const hj_rulebook *rb, hj_facts *f, json_t *frames)
{
	if (!f || !hj_facts_plan(f))
		return json_null();
	size_t nf = json_array_size(frames), i;
	hj_plan_result *res = hj_calloc(nf ? nf : 1, sizeof *res);
	if (!res)
		return json_null();
	int n = 0;
	json_t *fj;
	json_array_foreach(frames, i, fj)
	{
		const hj_frame *fr = hj_rulebook_find_frame(rb, json_string_value(fj));
		hj_error e;
		if (fr && !hj_plan_check(rb, f, fr, &res[n], &e))
			n++;
	}
	char *text = n ? hj_plan_json(rb, f, res, n, 0) : NULL;
	hj_free(res);
	json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
	hj_free(text);
	return doc ? doc : json_null();
}

static hj_status reviewer_app_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *list = NULL, *asg = NULL, *call = NULL, *review = NULL, *apps = NULL;
	hj_status s = srw_assignment_for(tx, c->id, c->who->account, &list, err);
	if (s)
		return s;
	int64_t aid = list ? json_integer_value(json_object_get(list, "id")) : 0;
	json_decref(list);
	if (!aid)
		return hj_error_set(err, HJ_ERR_NOT_FOUND, NULL, 0, 0, NULL, "申請 %lld はありません", (long long)c->id);
	if ((s = my_assignment(tx, c->who, aid, 0, &asg, err))) {
		snprintf(err->message, sizeof err->message, "申請 %lld はありません", (long long)c->id);
		return s;
	}
	grv_settings set;
	sti_app a;
	int found;
	if ((s = sti_app_get(tx, c->id, &a, &found, err))) {
		json_decref(asg);
		return s;
	}
	if ((s = grv_settings_load(tx, c->rb, a.call, &call, &set, err))) {
		sti_app_clear(&a);
		json_decref(asg);
		return s;
	}
	hj_facts *f = NULL;
	char why[256];
	json_t *frames = NULL, *company = NULL, *atts = NULL;
	frames = json_incref(a.frames);
	if (!(s = sti_company_get(tx, a.company, &company, err)) &&
	    !(s = sti_attachment_list(tx, a.id, &atts, err)) && !(s = srw_review_get(tx, aid, &review, err)) &&
	    !(s = grv_facts(tx, c->rb, a.id, json_string_value(json_object_get(call, "program")), a.data, a.submitted_at,
			    &f, why, err))) {
		json_t *sd = settings_doc(&set, call);
		json_t *data = json_loads(a.data, 0, NULL);
		c->version = review ? json_integer_value(json_object_get(review, "version")) : 0;
		c->out = json_pack("{s:I,s:{s:I,s:I,s:O,s:o,s:o,s:I,s:o,s:o},s:{s:I,s:O,s:O,s:O},s:O,s:O,s:O,s:o,s:o,s:s?,s:O}",
				   "assignment", (json_int_t)aid, "application", "id", (json_int_t)a.id, "call",
				   (json_int_t)a.call, "company_name", company ? json_object_get(company, "name") : json_null(),
				   "frames", frames, "state", json_string(a.state), "submitted_at_us", (json_int_t)a.submitted_at,
				   "data", data ? data : json_null(), "attachments", json_incref(atts), "call", "id",
				   (json_int_t)a.call, "title", json_object_get(call, "title"), "program",
				   json_object_get(call, "program"), "edition", json_object_get(call, "edition"), "criteria",
				   json_object_get(sd, "criteria"), "scale", json_object_get(json_object_get(sd, "settings"), "scale"),
				   "weights", json_object_get(json_object_get(sd, "settings"), "weights"), "explanation",
				   explanation(c->rb, f, frames), "plan", plan_doc(c->rb, f, frames), "unreadable",
				   why[0] ? why : NULL, "review",
				   review ? review : json_null());
		frames = NULL;
		json_decref(sd);
		gg_times_to_iso(c->out);
		if (!c->out)
			s = NOMEM(err);
	}
	hj_facts_free(f);
	json_decref(frames);
	json_decref(company);
	json_decref(atts);
	json_decref(review);
	json_decref(apps);
	json_decref(asg);
	json_decref(call);
	grv_settings_clear(&set);
	sti_app_clear(&a);
	return s;
}

hj_status hj_reviewer_app(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t app, char **json,
			  hj_error *err)
{
	rctx c = { .rb = rb, .who = who, .id = app };
	hj_status s = grv_need_reviewer(who, err);
	if (!s)
		s = hj_store_run(st, 1, reviewer_app_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}

/* Check a map {criterion: value} of scores (integers in the scale) or
 * comments (strings); 'submit': every criterion scored. */
static hj_status want_crit_map(json_t *b, const char *key, const grv_settings *set, int scores, int submit,
			       hj_error *err)
{
	json_t *m = json_object_get(b, key);
	if (!m || json_is_null(m)) {
		if (submit && set->ncrit)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key, "提出には全ての審査項目の点数が必要です");
		return HJ_OK;
	}
	if (!json_is_object(m))
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, key, "'%s' は {審査項目: %s} で書いてください", key,
				    scores ? "点数" : "文章");
	const char *k;
	json_t *v;
	json_object_foreach(m, k, v)
	{
		char field[160];
		snprintf(field, sizeof field, "%s.%.100s", key, k);
		if (grv_crit_index(set, k) < 0)
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "審査項目 '%.100s' はありません", k);
		if (scores && json_is_null(v))
			continue;
		if (scores && (!json_is_integer(v) || json_integer_value(v) < set->scale.min ||
			       json_integer_value(v) > set->scale.max))
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "'%s' は %lld 以上 %lld 以下の整数です", field,
					    (long long)set->scale.min, (long long)set->scale.max);
		if (!scores && (!json_is_string(v) || json_string_length(v) > COMMENT_MAX ||
				strlen(json_string_value(v)) != json_string_length(v)))
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "'%s' は %d バイトまでの文章です", field,
					    COMMENT_MAX);
	}
	for (int i = 0; submit && scores && i < set->ncrit; i++)
		if (!json_is_integer(json_object_get(m, set->crit[i]->id))) {
			char field[160];
			snprintf(field, sizeof field, "%s.%s", key, set->crit[i]->id);
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, field, "提出には「%s」の点数が必要です",
					    set->crit[i]->text);
		}
	return HJ_OK;
}

static hj_status review_save_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *asg = NULL, *cur = NULL, *call = NULL;
	grv_settings set;
	hj_status s = my_assignment(tx, c->who, c->id, 0, &asg, err);
	if (s)
		return s;
	if ((s = srw_review_get(tx, c->id, &cur, err)) ||
	    (s = grv_settings_load(tx, c->rb, json_integer_value(json_object_get(asg, "call")), &call, &set, err))) {
		json_decref(asg);
		json_decref(cur);
		return s;
	}
	int64_t have = cur ? json_integer_value(json_object_get(cur, "version")) : 0;
	int was_submitted = cur && !strcmp(json_string_value(json_object_get(cur, "state")), "submitted");
	json_t *sub = json_object_get(c->body, "submit");
	const char *reason = NULL, *overall = NULL;
	if (sub && !json_is_boolean(sub))
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "submit", "'submit' は true か false です");
	int submit = json_is_true(sub) || was_submitted;
	if (!s && c->if_match != have)
		s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "If-Match",
				 "審査は別の保存で版 %lld になっています（送られた If-Match は %lld）。読み直してください",
				 (long long)have, (long long)c->if_match);
	if (!s && !set.ncrit)
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "scores", "この公募回の版には審査項目がありません");
	if (!s && was_submitted && sub && json_is_false(sub))
		s = hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "submit", "提出した審査を下書きに戻すことはできません");
	if (!s && !(s = gg_want_string(c->body, "reason", was_submitted, COMMENT_MAX, &reason, err)) &&
	    !(s = gg_want_string(c->body, "overall", 0, COMMENT_MAX, &overall, err)) &&
	    !(s = want_crit_map(c->body, "comments", &set, 0, 0, err))) {
		/* a draft keeps what the body does not give; scores null drops one */
		json_t *scores = json_object(), *comments = json_object();
		if (cur) {
			json_object_update(scores, json_object_get(cur, "scores"));
			json_object_update(comments, json_object_get(cur, "comments"));
			if (!overall && json_is_string(json_object_get(cur, "overall")))
				overall = json_string_value(json_object_get(cur, "overall"));
		}
		json_t *ns = json_object_get(c->body, "scores"), *nc = json_object_get(c->body, "comments");
		const char *k;
		json_t *v;
		void *tmp;
		json_t *check = json_pack("{s:O}", "scores", scores);
		if (!(s = want_crit_map(c->body, "scores", &set, 1, 0, err))) {
			if (json_is_object(ns))
				json_object_foreach_safe(ns, tmp, k, v)
				{
					if (json_is_null(v))
						json_object_del(scores, k);
					else
						json_object_set(scores, k, v);
				}
			if (json_is_object(nc))
				json_object_update(comments, nc);
			json_object_set(check, "scores", scores);
			s = want_crit_map(check, "scores", &set, 1, submit, err);
		}
		json_decref(check);
		char *st = s ? NULL : gg_dump(scores, JSON_SORT_KEYS), *ct = s ? NULL : gg_dump(comments, JSON_SORT_KEYS);
		if (!s && (!st || !ct))
			s = NOMEM(err);
		int changed = 0;
		int64_t now = hj_now_us();
		int64_t subat = was_submitted ? json_integer_value(json_object_get(cur, "submitted_at_us")) : submit ? now : 0;
		if (!s)
			s = srw_review_put(tx, c->id, have, have + 1, submit ? "submitted" : "draft", st, ct, overall,
					   reason, c->who->account, now, subat, &changed, err);
		if (!s && !changed)
			s = hj_error_set(err, HJ_ERR_CONFLICT, NULL, 0, 0, "If-Match", "審査は別の保存で変わりました。読み直してください");
		if (!s)
			s = gg_audit(tx, c->who,
				     was_submitted ? "review.change" : submit ? "review.submit" : "review.save", "assignment",
				     c->id, 0, NULL, NULL,
				     json_pack("{s:O,s:I,s:s?}", "application", json_object_get(asg, "application"), "version",
					       (json_int_t)(have + 1), "reason", reason),
				     err);
		hj_free(st);
		hj_free(ct);
		json_decref(scores);
		json_decref(comments);
		if (!s && !(s = srw_review_get(tx, c->id, &c->out, err))) {
			c->version = have + 1;
			json_object_set(c->out, "application", json_object_get(asg, "application"));
			gg_times_to_iso(c->out);
		}
	}
	json_decref(asg);
	json_decref(cur);
	json_decref(call);
	grv_settings_clear(&set);
	return s;
}

hj_status hj_review_save(hj_store *st, const hj_rulebook *rb, const hj_actor *who, int64_t assignment,
			 int64_t if_match, const char *body, size_t len, char **json, int64_t *version,
			 hj_error *err)
{
	rctx c = { .rb = rb, .who = who, .id = assignment, .if_match = if_match };
	hj_status s = grv_need_reviewer(who, err);
	if (!s)
		s = gg_parse_body(body, len, "scores,comments,overall,submit,reason", &c.body, err);
	if (!s)
		s = hj_store_run(st, 1, review_save_tx, &c, err);
	json_decref(c.body);
	if (version)
		*version = s ? 0 : c.version;
	return grv_settle(s, c.out, json, err);
}

static hj_status versions_tx(hj_tx *tx, void *vc, hj_error *err)
{
	rctx *c = vc;
	json_t *asg = NULL, *list = NULL;
	hj_status s = my_assignment(tx, c->who, c->id, 1, &asg, err);
	if (!s)
		s = srw_review_versions(tx, c->id, &list, err);
	if (!s) {
		gg_times_to_iso(list);
		c->out = json_pack("{s:I,s:O,s:O,s:o}", "assignment", (json_int_t)c->id, "application",
				   json_object_get(asg, "application"), "reviewer", json_object_get(asg, "reviewer"),
				   "versions", list);
		if (!c->out)
			s = NOMEM(err);
	}
	json_decref(asg);
	return s;
}

hj_status hj_review_versions(hj_store *st, const hj_actor *who, int64_t assignment, char **json, hj_error *err)
{
	rctx c = { .who = who, .id = assignment };
	hj_status s = gg_need_account(who, err);
	if (!s && !gg_is_staff(who) && !(who->roles & HJ_ROLE_REVIEWER))
		s = hj_error_set(err, HJ_ERR_DENIED, NULL, 0, 0, NULL, "事務局か審査員の権限が必要です");
	if (!s)
		s = hj_store_run(st, 1, versions_tx, &c, err);
	return grv_settle(s, c.out, json, err);
}
