/*
 * lib/after.c - after adoption, as engine code over the rulebook (see
 * hojo/after.h; the documents' shapes are in docs/after.md).
 *
 * The essay. Adoption decides an amount on planned expenses; what follows
 * decides the amount on actual ones and then watches the plan for years.
 * hojo keeps one engine for all of it:
 *
 *  - A claim line (実績報告) is first checked by rule: its date must fall in
 *    the project period [交付決定, end]; a line dated before 交付決定 counts
 *    only where the edition's 'retroactive' rule names the frame and the
 *    contract is on or after its date (seed 001:881). Its category is then
 *    checked by the same expense rules as at application (expenses.c).
 *  - 確定額 is the frame evaluated by hj_expense_apply/hj_evaluate on the
 *    lines staff accepted (accept, reduce, reject), with the application's
 *    own facts: the same rate, cap, tiers and floor rounding. It is never
 *    above 交付決定額: settled = min(granted, subsidy). A line the rules
 *    refuse counts 0 whatever the staff decided; a category the rules
 *    leave 要確認 stops the settlement (staff must re-categorise it), since
 *    the engine cannot place its amount.
 *  - A yearly report is read as a year of the plan (plan.c's own
 *    derivation, pl_derive_year) and compared with the approved plan's row
 *    and with the frame's requirements measured as the plan check measures
 *    them: V_k >= V_0 (1 + g)^k exactly (pl_reaches). As in the plan check
 *    only the final year decides: an earlier year below the path is
 *    "not_yet" (behind, with the gap), not "not_met". A report that
 *    contradicts itself (人件費 below 給与支給総額, 営業利益 that is not its
 *    parts) or the plan (a row the plan has and the report lacks, a year
 *    the plan does not have, another fiscal year end) is refused naming
 *    "報告/k年目/field".
 *  - 成果目標 are a closed set of formulas over a cohort (after-int.h); each
 *    says the number of grantees it rests on, and is null until one has
 *    reported.
 *
 * No floating point: amounts are int64 yen with checked arithmetic, rates
 * and shares exact fractions, growth compared in 512-bit integers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hojo/after.h"
#include "hojo/alloc.h"
#include "hojo/eval.h"
#include "hojo/expenses.h"
#include "hojo/input.h"
#include "hojo/plan.h"
#include "after-int.h"
#include "facts-int.h"
#include "jsonout.h"
#include "plan-int.h"

#define NOMEM(err) hj_error_set((err), HJ_ERR_NOMEM, NULL, 0, 0, NULL, "メモリが足りません")

static const hj_after_rules *rules_of(const hj_edition *e) { return e ? e->after : NULL; }

int hj_edition_has_after(const hj_edition *e) { return rules_of(e) != NULL; }

/* ------------------------------------------------------------------ */
/* Small helpers: dates, JSON in                                        */

static void date_str(hj_date d, char *buf) { hj_date_format(d, buf, 11); }

/* d plus 'months' calendar months, the day clamped to the month's end. */
static hj_date add_months(hj_date d, int months)
{
	int y, m, day;
	hj_date_to_ymd(d, &y, &m, &day);
	int t = y * 12 + (m - 1) + months;
	y = t / 12;
	m = t % 12 + 1;
	hj_date out;
	while (day > 28 && hj_date_from_ymd(y, m, day, &out))
		day--;
	if (hj_date_from_ymd(y, m, day, &out))
		return d;
	return out;
}

/* The national fiscal year (年度, April to March) a date falls in. */
static int fiscal_year(hj_date d)
{
	int y, m, day;
	hj_date_to_ymd(d, &y, &m, &day);
	return m >= 4 ? y : y - 1;
}

static hj_status parse_doc(const char *text, size_t len, const char *what, json_t **out, hj_error *err)
{
	json_error_t je;
	*out = json_loadb(text ? text : "", text ? len : 0, JSON_REJECT_DUPLICATES, &je);
	if (!*out)
		return hj_error_set(err, HJ_ERR_INPUT, what, je.line > 0 ? je.line : 0, je.column > 0 ? je.column : 0,
				    NULL, "JSON として読めません: %s", je.text);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, NULL, "JSON のオブジェクト（{…}）が必要です");
	}
	return HJ_OK;
}

/* Keys of 'o' are all in 'allowed' (NULL-ended). */
static hj_status strict_keys(json_t *o, const char *const *allowed, const char *what, const char *prefix,
			     hj_error *err)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		int ok = 0;
		for (int i = 0; allowed[i] && !ok; i++)
			ok = !strcmp(allowed[i], k);
		if (!ok) {
			char f[128], list[400] = "";
			snprintf(f, sizeof f, "%s%s%s", prefix, *prefix ? "." : "", k);
			for (int i = 0; allowed[i]; i++) {
				size_t o2 = strlen(list);
				snprintf(list + o2, sizeof list - o2, "%s%s", i ? ", " : "", allowed[i]);
			}
			return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "未知の項目です（使える項目: %s）", list);
		}
	}
	return HJ_OK;
}

/* A yen amount: a JSON integer (negative only when 'sign'), or a string
 * as people write it ("1,000万円"; "-"/"▲"/"△" first when 'sign'). */
static hj_status yen_value(json_t *v, int sign, const char *what, const char *field, hj_yen *out, hj_error *err)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		if (n < 0 && !sign)
			return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, field, "負の金額は書けません");
		*out = (hj_yen)n;
		return HJ_OK;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		int neg = 0;
		if (sign && len && s[0] == '-')
			neg = 1, s++, len--;
		else if (sign && len >= 3 && (!memcmp(s, "▲", 3) || !memcmp(s, "△", 3)))
			neg = 1, s += 3, len -= 3;
		hj_error e;
		if (hj_yen_parse(s, len, out, &e))
			return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, field, "金額が読めません: %s", e.message);
		if (neg)
			*out = -*out;
		return HJ_OK;
	}
	return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, field, "金額（整数の円か \"1,000万円\" の形）が必要です");
}

/* Field 'key' of 'o' as yen; *has 0 when absent and optional. */
static hj_status want_yen(json_t *o, const char *key, int required, const char *what, const char *prefix, hj_yen *out,
			  int *has, hj_error *err)
{
	char f[128];
	snprintf(f, sizeof f, "%s%s%s", prefix, *prefix ? "." : "", key);
	json_t *v = json_object_get(o, key);
	if (has)
		*has = v != NULL && !json_is_null(v);
	if (!v || json_is_null(v))
		return required ? hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "金額がありません") : HJ_OK;
	return yen_value(v, 0, what, f, out, err);
}

static hj_status want_date(json_t *o, const char *key, int required, const char *what, const char *prefix,
			   hj_date *out, int *has, hj_error *err)
{
	char f[128];
	snprintf(f, sizeof f, "%s%s%s", prefix, *prefix ? "." : "", key);
	json_t *v = json_object_get(o, key);
	if (has)
		*has = v != NULL && !json_is_null(v);
	if (!v || json_is_null(v))
		return required ? hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "日付（YYYY-MM-DD）がありません")
				: HJ_OK;
	hj_error e;
	if (!json_is_string(v) || hj_date_parse(json_string_value(v), json_string_length(v), out, &e))
		return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "日付（YYYY-MM-DD）が読めません");
	return HJ_OK;
}

static hj_status want_str(json_t *o, const char *key, int required, const char *what, const char *prefix,
			  const char **out, hj_error *err)
{
	char f[128];
	snprintf(f, sizeof f, "%s%s%s", prefix, *prefix ? "." : "", key);
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return required ? hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "文字列がありません") : HJ_OK;
	if (!json_is_string(v) || (required && !json_string_length(v)))
		return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "文字列が必要です");
	*out = json_string_value(v);
	return HJ_OK;
}

static json_t *jfrac(hj_frac f)
{
	char b[64];
	hj_frac_format(f, b, sizeof b);
	return json_string(b);
}

/* "3.75%"; a share with no short decimal as "約66.66%（2/3）" (the
 * percentage cut to two places, by integer arithmetic). */
static json_t *jpercent(hj_frac f)
{
	char b[64], t[128];
	hj_frac_format_percent(f, b, sizeof b);
	hj_frac x;
	if (!strchr(b, '/') || hj_frac_mul(f, hj_frac_int(10000), &x))
		return json_string(b);
	int64_t h = x.num / x.den; /* toward zero */
	int64_t m = h < 0 ? -h : h;
	snprintf(t, sizeof t, "約%s%lld.%02lld%%（%s）", h < 0 || (h == 0 && x.num < 0) ? "-" : "", (long long)(m / 100),
		 (long long)(m % 100), b);
	return json_string(t);
}

static json_t *jdate(hj_date d)
{
	char b[16];
	date_str(d, b);
	return json_string(b);
}

/* ------------------------------------------------------------------ */
/* The rules as a document                                             */

static json_t *consequences_json(const hj_after_rules *a)
{
	if (!a || a->none_encoded) {
		json_t *o = json_object();
		json_object_set_new(o, "none_encoded", json_true());
		json_object_set_new(o, "note", json_string(a ? a->none_note : "この版の after: がありません"));
		return o;
	}
	json_t *arr = json_array();
	for (int i = 0; i < a->ncons; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "id", a->cons[i].id, "text", a->cons[i].text,
						     "source", a->cons[i].source, "note", a->cons[i].note));
	return arr;
}

static json_t *outcome_target_json(const af_outcome *o)
{
	json_t *t = json_object();
	switch (o->kind) {
	case AF_AGGREGATE_GROWTH:
	case AF_AGGREGATE_PRODUCTIVITY_GROWTH:
		json_object_set_new(t, o->total ? "total" : "annual", jpercent(o->growth));
		json_object_set_new(t, "fraction", jfrac(o->growth));
		break;
	case AF_SHARE_BOTH_GROWTH:
		json_object_set_new(t, "value_added_annual", jpercent(o->va_growth));
		json_object_set_new(t, "wages_annual", jpercent(o->wage_growth));
		/* fall through */
	default:
		json_object_set_new(t, o->strict ? "above" : "at_least", jpercent(o->target));
		json_object_set_new(t, "fraction", jfrac(o->target));
		break;
	}
	return t;
}

/* hj_after_rules_json: see hojo/after.h. */
hj_status hj_after_rules_json(const hj_rulebook *rb, const hj_edition *e, char **out, hj_error *err)
{
	(void)rb;
	*out = NULL;
	const hj_after_rules *a = rules_of(e);
	if (!e)
		return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "edition", "版がありません");
	json_t *root = json_object();
	json_object_set_new(root, "edition", json_string(hj_edition_id(e)));
	json_object_set_new(root, "has_after", json_boolean(a != NULL));
	if (a && a->has_period) {
		json_t *p = json_object();
		json_object_set_new(p, "months", a->period_months ? json_integer(a->period_months) : json_null());
		json_object_set_new(p, "source", json_string(a->period_source));
		json_object_set_new(p, "note", json_string(a->period_note));
		json_object_set_new(root, "project_period", p);
	} else
		json_object_set_new(root, "project_period", json_null());
	json_t *retro = json_array();
	for (int i = 0; a && i < a->nretro; i++) {
		json_t *fr = json_array();
		for (int k = 0; k < a->retro[i].nframes; k++)
			json_array_append_new(fr, json_string(hj_frame_id(a->retro[i].frames[k])));
		json_t *r = json_object();
		json_object_set_new(r, "frames", fr);
		json_object_set_new(r, "from", jdate(a->retro[i].from));
		json_object_set_new(r, "source", json_string(a->retro[i].source));
		json_object_set_new(r, "note", json_string(a->retro[i].note));
		json_array_append_new(retro, r);
	}
	json_object_set_new(root, "retroactive", retro);
	json_t *due = json_array();
	for (int i = 0; a && i < a->ndue; i++) {
		const af_due *d = &a->due[i];
		json_t *x = json_pack("{s:s,s:s,s:s,s:s}", "id", d->id, "text", d->text, "source", d->source, "note",
				      d->note);
		if (d->when)
			json_object_set_new(x, "when", json_string(hj_expr_text(d->when)));
		else
			json_object_set_new(x, "check", json_string(d->check));
		json_array_append_new(due, x);
	}
	json_object_set_new(root, "due_by_grant", due);
	if (a && a->has_reports) {
		json_t *r = json_object();
		json_object_set_new(r, "count", a->count_plan ? json_string("plan") : json_integer(a->report_count));
		if (a->first_fy)
			json_object_set_new(r, "first_fiscal_year", json_integer(a->first_fy));
		else
			json_object_set_new(r, "first_after_completion", json_integer(a->first_after));
		json_object_set_new(r, "due", json_pack("{s:i,s:b,s:s}", "months_after_year_end", a->due_months,
							"setting", a->due_setting, "note", a->due_note));
		if (a->extra_count)
			json_object_set_new(r, "extra", json_pack("{s:i,s:s,s:s}", "count", a->extra_count, "text",
								  a->extra_text, "source", a->extra_source));
		json_object_set_new(r, "source", json_string(a->reports_source));
		json_object_set_new(r, "note", json_string(a->reports_note));
		json_object_set_new(root, "reports", r);
	} else
		json_object_set_new(root, "reports", json_null());
	json_object_set_new(root, "consequences", consequences_json(a));
	json_t *outs = json_array();
	for (int i = 0; a && i < a->noutcomes; i++) {
		const af_outcome *o = &a->outcomes[i];
		json_t *x = json_pack("{s:s,s:s,s:s}", "id", o->id, "text", o->text, "kind", af_kind_names[o->kind]);
		if (o->metric)
			json_object_set_new(x, "metric", json_string(o->metric));
		json_object_set_new(x, "target", outcome_target_json(o));
		json_object_set_new(x, "horizon_years", o->horizon ? json_integer(o->horizon) : json_null());
		json_object_set_new(x, "source", json_string(o->source));
		json_object_set_new(x, "note", json_string(o->note));
		json_array_append_new(outs, x);
	}
	json_object_set_new(root, "outcomes", outs);
	*out = hj_json_string(root, 0);
	return *out ? HJ_OK : NOMEM(err);
}

/* ------------------------------------------------------------------ */
/* Project period and report schedule                                  */

/* hj_project_period: see hojo/after.h. */
hj_status hj_project_period(const hj_rulebook *rb, const hj_frame *f, hj_date granted_on, int has_requested_end,
			    hj_date requested_end, hj_date *end, hj_error *err)
{
	(void)rb;
	const hj_after_rules *a = rules_of(hj_frame_edition(f));
	char g[16], r[16];
	date_str(granted_on, g);
	if (has_requested_end) {
		if (requested_end < granted_on) {
			date_str(requested_end, r);
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "period_end",
					    "事業実施期間の終わり（%s）が交付決定日（%s）より前です", r, g);
		}
		*end = requested_end;
		return HJ_OK;
	}
	if (a && a->period_months) {
		*end = add_months(granted_on, a->period_months);
		return HJ_OK;
	}
	return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "period_end",
			    "この枠の事業実施期間は規則にありません（要確認%s%s）: 交付決定で period_end を指定してください",
			    a && a->has_period ? "。" : "", a && a->has_period ? a->period_note : "");
}

/*
 * The yearly reports due for a grant completed on 'completed_on', with
 * 'plan_years' the approved plan's years after the base (for a 'count:
 * plan' rule; 0 when not known). See hj_report_schedule_json.
 */
hj_status hj_report_schedule_plan_json(const hj_rulebook *rb, const hj_frame *f, hj_date completed_on,
				       int plan_years, char **out, hj_error *err)
{
	(void)rb;
	*out = NULL;
	const hj_edition *e = hj_frame_edition(f);
	const hj_after_rules *a = rules_of(e);
	json_t *root = json_object();
	json_object_set_new(root, "edition", json_string(hj_edition_id(e)));
	json_object_set_new(root, "frame", json_string(hj_frame_id(f)));
	json_object_set_new(root, "completed_on", jdate(completed_on));
	json_t *list = json_array();
	json_object_set_new(root, "reports", list);
	if (!a || !a->has_reports) {
		json_object_set_new(root, "note", json_string("この版の報告の回数と期限は規則にありません（要確認）"));
		*out = hj_json_string(root, 0);
		return *out ? HJ_OK : NOMEM(err);
	}
	int count = a->report_count;
	if (a->count_plan) {
		if (plan_years < 1 || plan_years > HJ_PLAN_MAX_YEARS - 1) {
			json_decref(root);
			return hj_error_set(err, HJ_ERR_INPUT, NULL, 0, 0, "plan_years",
					    "報告の回数は承認された計画の年数です: 計画の年数（1〜5）が必要です");
		}
		count = plan_years;
	}
	int first = a->first_fy ? a->first_fy : fiscal_year(completed_on) + a->first_after;
	for (int i = 0; i < count + a->extra_count; i++) {
		int fy = first + i;
		hj_date fy_end, due;
		if (hj_date_from_ymd(fy + 1, 3, 31, &fy_end)) {
			json_decref(root);
			return hj_error_set(err, HJ_ERR_RANGE, NULL, 0, 0, "completed_on", "年度が範囲外です");
		}
		due = add_months(fy_end, a->due_months);
		json_t *x = json_object();
		json_object_set_new(x, "year", json_integer(i + 1));
		json_object_set_new(x, "fiscal_year", json_integer(fy));
		json_object_set_new(x, "fiscal_year_end", jdate(fy_end));
		json_object_set_new(x, "due", jdate(due));
		json_object_set_new(x, "due_setting", json_boolean(a->due_setting));
		json_object_set_new(x, "extra", json_boolean(i >= count));
		if (i >= count)
			json_object_set_new(x, "text", json_string(a->extra_text));
		json_object_set_new(x, "source", json_string(i >= count ? a->extra_source : a->reports_source));
		json_array_append_new(list, x);
	}
	json_object_set_new(root, "due_note", json_string(a->due_note));
	json_object_set_new(root, "note", json_string(a->reports_note));
	*out = hj_json_string(root, 0);
	return *out ? HJ_OK : NOMEM(err);
}

/* hj_report_schedule_json: see hojo/after.h. */
hj_status hj_report_schedule_json(const hj_rulebook *rb, const hj_frame *f, hj_date completed_on, char **out,
				  hj_error *err)
{
	return hj_report_schedule_plan_json(rb, f, completed_on, 0, out, err);
}

/* ------------------------------------------------------------------ */
/* Claim lines                                                          */

typedef struct cl_line {
	const char *category;
	const char *description;
	hj_yen amount;
	int has_unit;
	hj_yen unit_price;
	int64_t quantity;
	hj_date date;
	int has_contract;
	hj_date contract_date;
	/* settlement */
	int decision;   /* 0 none, 1 accept, 2 reduce, 3 reject */
	hj_yen accepted;
	const char *staff_reason;
	/* by rule */
	int date_ok;
	int retro;      /* allowed by the retroactive rule */
	char reason[400];
	const char *source;
	int cat_state;  /* 1 accepted, 0 refused, 2 undetermined */
	char cat_name[160];   /* copied: it may point into the facts */
	char cat_reason[400];
	const char *cat_source;
} cl_line;

typedef struct claim {
	hj_date granted_on, period_end;
	int has_granted;
	hj_yen granted;
	int n;
	cl_line *l;
} claim;

static const char *const decisions[] = { "", "accept", "reduce", "reject" };

static hj_status read_claim(const hj_rulebook *rb, const hj_frame *f, json_t *doc, int settle, claim *c,
			    hj_error *err)
{
	static const char *const keys[] = { "granted", "granted_on", "period_end", "completed_on", "frame", "lines",
					    NULL };
	static const char *const line_keys[] = { "category", "description", "amount", "unit_price", "quantity",
						 "date", "contract_date", "accepted", "decision", "reason", NULL };
	const char *W = "claim";
	hj_status st;
	int has_end = 0;
	hj_date end = 0;
	memset(c, 0, sizeof *c);
	if ((st = strict_keys(doc, keys, W, "", err)) ||
	    (st = want_yen(doc, "granted", settle, W, "", &c->granted, &c->has_granted, err)) ||
	    (st = want_date(doc, "granted_on", 1, W, "", &c->granted_on, NULL, err)) ||
	    (st = want_date(doc, "period_end", 0, W, "", &end, &has_end, err)))
		return st;
	if ((st = hj_project_period(rb, f, c->granted_on, has_end, end, &c->period_end, err)))
		return st;
	json_t *lines = json_object_get(doc, "lines");
	if (!json_is_array(lines))
		return hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, "lines", "経費の行（lines）のリストが必要です");
	size_t n = json_array_size(lines);
	if (n > HJ_MAX_LINES)
		return hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, "lines", "経費の行は %d 行までです（%zu 行あります）",
				    HJ_MAX_LINES, n);
	c->l = hj_calloc(n ? n : 1, sizeof *c->l);
	if (!c->l)
		return NOMEM(err);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(lines, i);
		cl_line *x = &c->l[c->n++];
		char p[48];
		snprintf(p, sizeof p, "lines[%zu]", i);
		if (!json_is_object(o))
			return hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, p, "行はオブジェクトです");
		int has_q = 0;
		const char *dec = NULL;
		if ((st = strict_keys(o, line_keys, W, p, err)) ||
		    (st = want_str(o, "category", 1, W, p, &x->category, err)) ||
		    (st = want_str(o, "description", 0, W, p, &x->description, err)) ||
		    (st = want_yen(o, "amount", 1, W, p, &x->amount, NULL, err)) ||
		    (st = want_yen(o, "unit_price", 0, W, p, &x->unit_price, &x->has_unit, err)) ||
		    (st = want_date(o, "date", 1, W, p, &x->date, NULL, err)) ||
		    (st = want_date(o, "contract_date", 0, W, p, &x->contract_date, &x->has_contract, err)) ||
		    (st = want_str(o, "decision", 0, W, p, &dec, err)) ||
		    (st = want_str(o, "reason", 0, W, p, &x->staff_reason, err)))
			return st;
		json_t *q = json_object_get(o, "quantity");
		x->quantity = 1;
		if (q) {
			char f2[64];
			snprintf(f2, sizeof f2, "%s.quantity", p);
			if (!json_is_integer(q) || json_integer_value(q) < 1)
				return hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, f2, "数量は1以上の整数です");
			x->quantity = json_integer_value(q);
			has_q = 1;
		}
		if (x->has_unit) {
			hj_yen t;
			char f2[64];
			snprintf(f2, sizeof f2, "%s.amount", p);
			if (hj_yen_mul(x->unit_price, x->quantity, &t) || t != x->amount)
				return hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, f2, "金額が 単価×数量 と合いません");
		} else if (has_q) {
			char f2[64];
			snprintf(f2, sizeof f2, "%s.unit_price", p);
			return hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, f2, "数量を書くときは単価も書いてください");
		}
		if (!settle)
			continue;
		char fd[64];
		snprintf(fd, sizeof fd, "%s.decision", p);
		for (int d = 1; d <= 3 && dec; d++)
			if (!strcmp(dec, decisions[d]))
				x->decision = d;
		if (!x->decision)
			return hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, fd,
					    "検査の判断（accept / reduce / reject）が必要です（検査が済んでいない行）");
		int has_acc = 0;
		if ((st = want_yen(o, "accepted", x->decision == 2, W, p, &x->accepted, &has_acc, err)))
			return st;
		snprintf(fd, sizeof fd, "%s.accepted", p);
		if (x->decision == 1) {
			if (has_acc && x->accepted != x->amount)
				return hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, fd,
						    "accept の行の認めた額は請求額と同じです（減額は reduce）");
			x->accepted = x->amount;
		} else if (x->decision == 2) {
			if (x->accepted >= x->amount)
				return hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, fd, "減額（reduce）は請求額より少ない額です");
		} else
			x->accepted = 0;
		if (x->decision != 1 && (!x->staff_reason || !x->staff_reason[0])) {
			snprintf(fd, sizeof fd, "%s.reason", p);
			return hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, fd, "減額・不採用には理由が必要です");
		}
	}
	return HJ_OK;
}

/* The date rule for each line (period and retroactive contracts). */
static void check_dates(const hj_frame *f, claim *c)
{
	const hj_after_rules *a = rules_of(hj_frame_edition(f));
	const char *psrc = a && a->has_period ? a->period_source : hj_frame_source(f);
	char g[16], e[16], d[16];
	date_str(c->granted_on, g);
	date_str(c->period_end, e);
	for (int i = 0; i < c->n; i++) {
		cl_line *x = &c->l[i];
		x->date_ok = 1;
		x->source = psrc;
		date_str(x->date, d);
		if (x->date > c->period_end) {
			x->date_ok = 0;
			snprintf(x->reason, sizeof x->reason, "日付 %s が事業実施期間の終わり（%s）より後です", d, e);
			continue;
		}
		if (x->date >= c->granted_on && (!x->has_contract || x->contract_date >= c->granted_on))
			continue;
		/* before 交付決定: only a retroactive rule for this frame allows it */
		hj_date when = x->has_contract && x->contract_date < x->date ? x->contract_date : x->date;
		char w[16];
		date_str(when, w);
		const af_retro *r = NULL;
		for (int k = 0; a && k < a->nretro && !r; k++)
			for (int j = 0; j < a->retro[k].nframes; j++)
				if (a->retro[k].frames[j] == f)
					r = &a->retro[k];
		if (r && when >= r->from) {
			char fr[16];
			date_str(r->from, fr);
			x->retro = 1;
			x->source = r->source;
			snprintf(x->reason, sizeof x->reason, "交付決定（%s）より前の契約（%s）ですが、%s 以降の契約として遡及適用で対象",
				 g, w, fr);
			continue;
		}
		x->date_ok = 0;
		if (r) {
			char fr[16];
			date_str(r->from, fr);
			x->source = r->source;
			snprintf(x->reason, sizeof x->reason, "契約（%s）が遡及適用の起点（%s）より前です", w, fr);
		} else
			snprintf(x->reason, sizeof x->reason, "日付 %s が交付決定日（%s）より前です（この枠に遡及適用はありません）",
				 w, g);
	}
}

/*
 * The application's facts with 'expense_lines' replaced by the lines
 * given (amount 'amounts[i]', or their unit price and quantity when
 * 'as_claimed'); only lines with use[i] set. *facts NULL when none.
 */
static hj_status load_with_lines(const hj_rulebook *rb, const char *app, size_t app_len, const claim *c,
				 const int *use, int as_claimed, int as_total, hj_facts **facts, int *nused, hj_error *err)
{
	json_t *doc = NULL;
	hj_status st = parse_doc(app, app_len, "application", &doc, err);
	*facts = NULL;
	*nused = 0;
	if (st)
		return st;
	json_t *arr = json_array();
	for (int i = 0; i < c->n; i++) {
		const cl_line *x = &c->l[i];
		if (!use[i])
			continue;
		hj_yen amt = as_claimed ? x->amount : x->accepted;
		hj_yen unit = amt;
		int64_t q = 1;
		if (x->has_unit && (as_claimed || x->accepted == x->amount)) {
			unit = x->unit_price;
			q = x->quantity;
		}
		char name[128];
		snprintf(name, sizeof name, "%s", x->description && x->description[0] ? x->description : x->category);
		json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I}", "name", name, "category", x->category,
						     "unit_price", (json_int_t)unit, "quantity", (json_int_t)q));
		(*nused)++;
	}
	if (as_total) {
		/* a frame with no category list: the accepted total is its expenses */
		hj_yen total = 0;
		for (int i = 0; i < c->n; i++)
			if (use[i] && hj_yen_add(total, c->l[i].accepted, &total)) {
				json_decref(arr);
				json_decref(doc);
				return hj_error_set(err, HJ_ERR_RANGE, "claim", 0, 0, "lines", "合計が計算できる範囲を超えます");
			}
		json_decref(arr);
		json_object_del(doc, "expense_lines");
		json_t *pj = json_object_get(doc, "project");
		if (!json_is_object(pj)) {
			pj = json_object();
			json_object_set_new(doc, "project", pj);
		}
		json_object_set_new(pj, "expenses", json_integer(total));
	} else
		json_object_set_new(doc, "expense_lines", arr);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		return NOMEM(err);
	if (!*nused) {
		free(text);
		return HJ_OK;
	}
	if ((st = hj_facts_new(rb, facts))) {
		free(text);
		return NOMEM(err);
	}
	st = hj_facts_load_json(*facts, text, strlen(text), "application", err);
	free(text);
	if (st) {
		hj_facts_free(*facts);
		*facts = NULL;
	}
	return st;
}

/* Run the category rules on the lines (all claimed amounts). */
static hj_status check_categories(const hj_rulebook *rb, const hj_frame *f, const char *app, size_t app_len,
				  claim *c, hj_expense_result *xr, hj_error *err)
{
	int *use = hj_calloc(c->n ? (size_t)c->n : 1, sizeof *use);
	if (!use)
		return NOMEM(err);
	for (int i = 0; i < c->n; i++)
		use[i] = 1;
	hj_facts *facts = NULL;
	int nused;
	hj_status st = load_with_lines(rb, app, app_len, c, use, 1, 0, &facts, &nused, err);
	hj_free(use);
	if (st || !facts)
		return st;
	st = hj_expense_check(rb, facts, f, xr, err);
	for (int i = 0; !st && i < c->n && i < xr->nlines; i++) {
		cl_line *x = &c->l[i];
		x->cat_state = xr->lines[i].accepted ? 1 : xr->lines[i].undetermined ? 2 : 0;
		snprintf(x->cat_name, sizeof x->cat_name, "%s",
			 xr->lines[i].category_name ? xr->lines[i].category_name : x->category);
		snprintf(x->cat_reason, sizeof x->cat_reason, "%s", xr->lines[i].reason ? xr->lines[i].reason : "");
		x->cat_source = xr->lines[i].source ? xr->lines[i].source : "";
	}
	hj_facts_free(facts);
	return st;
}

static json_t *rule_line_json(const cl_line *x, int i)
{
	json_t *o = json_object();
	int ok = x->date_ok && x->cat_state == 1;
	json_object_set_new(o, "index", json_integer(i));
	json_object_set_new(o, "category", json_string(x->category));
	json_object_set_new(o, "category_name", json_string(x->cat_name[0] ? x->cat_name : x->category));
	json_object_set_new(o, "description", json_string(x->description ? x->description : ""));
	json_object_set_new(o, "amount", json_integer(x->amount));
	json_object_set_new(o, "ok", json_boolean(ok));
	json_object_set_new(o, "status", json_string(!x->date_ok || x->cat_state == 0 ? "refused"
						     : x->cat_state == 2 ? "undetermined" : "ok"));
	json_object_set_new(o, "retroactive", json_boolean(x->retro));
	const char *reason = !x->date_ok || x->retro ? x->reason : x->cat_state != 1 ? x->cat_reason : "";
	const char *source = !x->date_ok || x->retro ? x->source : x->cat_state != 1 ? x->cat_source : "";
	if (x->date_ok && !x->retro && x->cat_state == 1)
		source = x->cat_source;
	json_object_set_new(o, "reason", json_string(reason));
	json_object_set_new(o, "source", json_string(source ? source : ""));
	return o;
}

/* hj_claim_check_json: see hojo/after.h. */
hj_status hj_claim_check_json(const hj_rulebook *rb, const hj_frame *f, const char *app, size_t app_len,
			      const char *in, size_t in_len, char **out, hj_error *err)
{
	*out = NULL;
	json_t *doc = NULL;
	claim c;
	memset(&c, 0, sizeof c);
	hj_expense_result *xr = hj_calloc(1, sizeof *xr);
	hj_status st = xr ? parse_doc(in, in_len, "claim", &doc, err) : NOMEM(err);
	if (st || (st = read_claim(rb, f, doc, 0, &c, err)))
		goto out;
	check_dates(f, &c);
	if ((st = check_categories(rb, f, app, app_len, &c, xr, err)))
		goto out;
	json_t *root = json_object();
	json_object_set_new(root, "frame", json_string(hj_frame_id(f)));
	json_object_set_new(root, "granted_on", jdate(c.granted_on));
	json_object_set_new(root, "period_end", jdate(c.period_end));
	json_t *arr = json_array();
	int all = 1;
	for (int i = 0; i < c.n; i++) {
		json_array_append_new(arr, rule_line_json(&c.l[i], i));
		all &= c.l[i].date_ok && c.l[i].cat_state == 1;
	}
	json_object_set_new(root, "lines", arr);
	json_object_set_new(root, "ok", json_boolean(all));
	*out = hj_json_string(root, 0);
	if (!*out)
		st = NOMEM(err);
out:
	json_decref(doc);
	hj_free(c.l);
	hj_free(xr);
	return st;
}

/* ------------------------------------------------------------------ */
/* Settlement (確定額)                                                  */

static void step(json_t *arr, const char *kind, const char *text, const char *values, const char *source)
{
	json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "kind", kind, "text", text, "values",
					     values ? values : "", "source", source ? source : ""));
}

/* hj_settle_json: see hojo/after.h. */
hj_status hj_settle_json(const hj_rulebook *rb, const hj_frame *f, const char *app, size_t app_len, const char *in,
			 size_t in_len, char **out, hj_error *err)
{
	*out = NULL;
	json_t *doc = NULL, *root = NULL, *steps = NULL, *warnings = NULL;
	claim c;
	memset(&c, 0, sizeof c);
	hj_facts *facts = NULL;
	hj_reasons *why = NULL;
	int *use = NULL;
	hj_expense_result *xr = hj_calloc(1, sizeof *xr);
	hj_status st = xr ? parse_doc(in, in_len, "claim", &doc, err) : NOMEM(err);
	if (st || (st = read_claim(rb, f, doc, 1, &c, err)))
		goto out;
	check_dates(f, &c);
	if ((st = check_categories(rb, f, app, app_len, &c, xr, err)))
		goto out;
	/* a frame whose sources list no categories: staff's inspection decides
	 * each line, and the accepted total is the frame's expenses */
	int by_total = !f->has_cats;
	for (int i = 0; by_total && i < c.n; i++)
		if (c.l[i].cat_state == 2) {
			c.l[i].cat_state = 1;
			snprintf(c.l[i].cat_reason, sizeof c.l[i].cat_reason,
				 "この枠の補助対象経費の区分は資料にないため、検査で認めた額を経費とします");
			c.l[i].cat_source = hj_frame_source(f);
		}
	for (int i = 0; i < c.n; i++)
		if (c.l[i].date_ok && c.l[i].cat_state == 2 && c.l[i].decision != 3) {
			char fld[48];
			snprintf(fld, sizeof fld, "lines[%d].category", i);
			st = hj_error_set(err, HJ_ERR_INPUT, "claim", 0, 0, fld,
					  "区分 '%s' はこの枠で対象かどうか規則で決まりません（要確認: %s）。区分を確かめて付け直すか、不採用にしてください",
					  c.l[i].category, c.l[i].cat_reason);
			goto out;
		}
	/* the lines that count: allowed by rule, accepted (or reduced) by staff */
	use = hj_calloc(c.n ? (size_t)c.n : 1, sizeof *use);
	if (!use) {
		st = NOMEM(err);
		goto out;
	}
	hj_yen accepted_total = 0, claimed_total = 0;
	for (int i = 0; i < c.n; i++) {
		cl_line *x = &c.l[i];
		use[i] = x->date_ok && x->cat_state == 1 && x->decision != 3 && x->accepted > 0;
		if (hj_yen_add(claimed_total, x->amount, &claimed_total) ||
		    (use[i] && hj_yen_add(accepted_total, x->accepted, &accepted_total))) {
			st = hj_error_set(err, HJ_ERR_RANGE, "claim", 0, 0, "lines", "合計が計算できる範囲を超えます");
			goto out;
		}
	}
	int nused;
	if ((st = load_with_lines(rb, app, app_len, &c, use, 0, by_total, &facts, &nused, err)))
		goto out;
	root = json_object();
	steps = json_array();
	warnings = json_array();
	char a[64], b[64], v[400], t[400];
	hj_yen subsidy = 0, eligible_total = 0;
	const char *capped_by = "none";
	const hj_result *res = NULL;
	if (facts) {
		if (by_total) {
			memset(xr, 0, sizeof *xr);
			if ((st = hj_evaluate(rb, facts, f, &xr->result))) {
				hj_error_set(err, st, "claim", 0, 0, "lines", "補助額の計算が範囲を超えます");
				goto out;
			}
			xr->eligible_total = accepted_total;
		} else if ((st = hj_expense_apply(rb, facts, f, xr, err)))
			goto out;
		res = &xr->result;
		eligible_total = xr->eligible_total;
		if (!res->subsidy_known) {
			char miss[400] = "";
			for (int k = 0; k < res->nmissing && k < 64; k++) {
				size_t o = strlen(miss);
				snprintf(miss + o, sizeof miss - o, "%s%s", k ? ", " : "", hj_fact_name(rb, res->missing[k]));
			}
			st = hj_error_set(err, HJ_ERR_INPUT, "application", 0, 0, "application",
					  "補助額が決まりません（申請の事実が不足: %s）", miss[0] ? miss : "補助率・上限が未確定");
			goto out;
		}
		subsidy = res->subsidy;
		if ((st = hj_explain(rb, facts, res, &why))) {
			st = NOMEM(err);
			goto out;
		}
	}
	hj_yen settled = subsidy < c.granted ? subsidy : c.granted;
	if (!facts)
		capped_by = "none";
	else if (c.granted < subsidy)
		capped_by = "granted";
	else if (res->cap_known && res->uncapped > res->cap)
		capped_by = "cap";
	else
		capped_by = "rate";
	/* the explanation, step by step */
	hj_yen_format(claimed_total, a, sizeof a);
	hj_yen_format(accepted_total, b, sizeof b);
	snprintf(v, sizeof v, "請求 %s、認めた額 %s（%d行中%d行）", a, b, c.n, nused);
	step(steps, "lines", "実績報告の経費のうち、規則で対象となり検査で認めた行を数える", v, "");
	if (facts) {
		for (int i = 0; i < hj_reasons_count(why); i++) {
			const hj_reason *r = hj_reasons_get(why, i);
			if (strcmp(r->kind, "rate") && strcmp(r->kind, "cap") && strcmp(r->kind, "cap_bonus") &&
			    strcmp(r->kind, "tier") && strcmp(r->kind, "lower_limit") && strcmp(r->kind, "subsidy"))
				continue;
			step(steps, r->kind, r->text, r->values, r->source);
		}
		if (res->verdict != HJ_ELIGIBLE) {
			snprintf(t, sizeof t, "認めた経費で評価すると枠の判定は「%s」です（%s）。確定額は計算どおりに示しますが、扱いは事務局で確認してください",
				 hj_verdict_name_ja(res->verdict),
				 res->decided_by == HJ_BY_LOWER_LIMIT ? "補助額が下限に届きません"
				 : res->decided_by == HJ_BY_CONDITION ? "条件を満たしません"
				 : res->decided_by == HJ_BY_NOT_IN_FORCE ? "申請日に枠が受付中ではありません"
									 : "経費の規則か計画の要件を満たしません");
			json_array_append_new(warnings, json_string(t));
		}
		for (int r = 0; r < xr->nrules; r++)
			if (xr->rules[r].ok != HJ_TRUE) {
				snprintf(t, sizeof t, "経費の規則「%s」を%s（%s）", xr->rules[r].text,
					 xr->rules[r].ok == HJ_FALSE ? "満たしません" : "確認できません", xr->rules[r].source);
				json_array_append_new(warnings, json_string(t));
			}
		if (by_total)
			json_array_append_new(warnings,
					      json_string("この枠の補助対象経費の区分は資料にないため、検査で認めた額の合計を経費として計算しました"));
	} else
		step(steps, "subsidy", "対象として数える行がないため補助額は0円", "0円", "");
	hj_yen_format(c.granted, a, sizeof a);
	hj_yen_format(subsidy, b, sizeof b);
	char s[64];
	hj_yen_format(settled, s, sizeof s);
	snprintf(v, sizeof v, "min(交付決定額 %s, 補助額 %s) = %s", a, b, s);
	step(steps, "settled", "確定額は、認めた経費で計算した補助額と交付決定額の小さい方", v, "");
	json_object_set_new(root, "frame", json_string(hj_frame_id(f)));
	json_object_set_new(root, "granted", json_integer(c.granted));
	json_object_set_new(root, "granted_on", jdate(c.granted_on));
	json_object_set_new(root, "period_end", jdate(c.period_end));
	json_object_set_new(root, "claimed_total", json_integer(claimed_total));
	json_object_set_new(root, "accepted_total", json_integer(accepted_total));
	json_object_set_new(root, "eligible_total", json_integer(eligible_total));
	json_object_set_new(root, "evaluated", json_integer(subsidy));
	if (res) {
		json_object_set_new(root, "rate", res->rate_known ? jfrac(res->rate) : json_null());
		json_object_set_new(root, "cap", res->cap_known ? json_integer(res->cap) : json_null());
		json_object_set_new(root, "uncapped", json_integer(res->uncapped));
		json_object_set_new(root, "verdict", json_string(hj_verdict_name(res->verdict)));
	} else {
		json_object_set_new(root, "rate", json_null());
		json_object_set_new(root, "cap", json_null());
		json_object_set_new(root, "uncapped", json_integer(0));
		json_object_set_new(root, "verdict", json_null());
	}
	json_object_set_new(root, "settled", json_integer(settled));
	json_object_set_new(root, "capped_by", json_string(capped_by));
	json_t *arr = json_array();
	for (int i = 0; i < c.n; i++) {
		cl_line *x = &c.l[i];
		json_t *o = rule_line_json(x, i);
		json_object_set_new(o, "decision", json_string(decisions[x->decision]));
		json_object_set_new(o, "accepted", json_integer(x->accepted));
		json_object_set_new(o, "counted", json_integer(use[i] ? x->accepted : 0));
		json_object_set_new(o, "staff_reason", json_string(x->staff_reason ? x->staff_reason : ""));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "lines", arr);
	json_object_set_new(root, "explanation", steps);
	json_object_set_new(root, "warnings", warnings);
	steps = warnings = NULL;
	*out = hj_json_string(root, 0);
	root = NULL;
	if (!*out)
		st = NOMEM(err);
out:
	json_decref(steps);
	json_decref(warnings);
	json_decref(root);
	json_decref(doc);
	hj_reasons_free(why);
	hj_facts_free(facts);
	hj_free(use);
	hj_free(c.l);
	hj_free(xr);
	return st;
}

/* ------------------------------------------------------------------ */
/* A year's figures (a report, or a base year in a cohort)              */

typedef struct row_extra {
	int has_commercialised, commercialised;
	int has_project_sales;
	hj_yen project_sales;
	int has_prefecture;
	const char *prefecture;
} row_extra;

/* Field name of a row: "報告/2年目/人件費" (ja) or "prefix.key". */
static void row_field(char *buf, size_t size, const char *prefix, int ja, int k, const char *key, const char *name)
{
	if (ja)
		snprintf(buf, size, "報告/%d年目/%s", k, name);
	else
		snprintf(buf, size, "%s.%s", prefix, key);
}

/*
 * Read one year of figures (the plan's item keys, fiscal_year_end,
 * employees, min_wage, regional_min_wage; with 'report' also year,
 * commercialised, project_sales, prefecture) and derive it as the plan
 * check does. Contradictions are refused naming the field.
 */
static hj_status read_row(json_t *o, int k, int report, int ja, const char *prefix, const char *what, hj_plan_year *y,
			  row_extra *ex, hj_error *err)
{
	char f[160];
	memset(y, 0, sizeof *y);
	memset(ex, 0, sizeof *ex);
	if (!json_is_object(o)) {
		snprintf(f, sizeof f, "%s", ja ? "報告" : prefix);
		return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "年度の数字はオブジェクト（{…}）です");
	}
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		int it = -1;
		for (int i = 0; i < HJ_PL_VALUE_ADDED; i++)
			if (!strcmp(hj_plan_item_key((hj_plan_item)i), key))
				it = i;
		if (it >= 0) {
			int sign = it == HJ_PL_OPERATING || it == HJ_PL_NONOP || it == HJ_PL_ORDINARY;
			hj_status st = yen_value(v, sign, what, NULL, &y->v[it], err);
			if (st) {
				/* the field's name only when it is needed */
				row_field(f, sizeof f, prefix, ja, k, key, hj_plan_item_name((hj_plan_item)it));
				if (err)
					snprintf(err->field, sizeof err->field, "%s", f);
				return st;
			}
			y->given |= 1u << it;
			continue;
		}
		if (!strcmp(key, "fiscal_year_end") || !strcmp(key, "year_end")) {
			row_field(f, sizeof f, prefix, ja, k, key, "決算期末");
			hj_error e;
			if (!json_is_string(v) || hj_date_parse(json_string_value(v), json_string_length(v), &y->year_end, &e))
				return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "日付（YYYY-MM-DD）が読めません");
			y->has_year_end = 1;
		} else if (!strcmp(key, "employees")) {
			row_field(f, sizeof f, prefix, ja, k, key, "従業員数");
			hj_error e;
			if (json_is_integer(v) && json_integer_value(v) >= 0)
				y->employees = hj_frac_int(json_integer_value(v));
			else if (!json_is_string(v) ||
				 hj_frac_parse(json_string_value(v), json_string_length(v), &y->employees, &e) ||
				 y->employees.num < 0)
				return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "従業員数（0以上の数）が読めません");
			y->has_employees = 1;
		} else if (!strcmp(key, "min_wage") || !strcmp(key, "regional_min_wage")) {
			int reg = key[0] == 'r';
			row_field(f, sizeof f, prefix, ja, k, key, reg ? "地域別最低賃金" : "事業場内最低賃金");
			if (!json_is_integer(v) || json_integer_value(v) <= 0)
				return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "円/時の正の整数が必要です");
			if (reg)
				y->has_regional = 1, y->regional = json_integer_value(v);
			else
				y->has_min_wage = 1, y->min_wage = json_integer_value(v);
		} else if (report && !strcmp(key, "year")) {
			/* read by the caller */
		} else if (report && !strcmp(key, "commercialised")) {
			row_field(f, sizeof f, prefix, ja, k, key, "事業化");
			if (!json_is_boolean(v))
				return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "true か false が必要です");
			ex->has_commercialised = 1;
			ex->commercialised = json_is_true(v);
		} else if (report && !strcmp(key, "project_sales")) {
			row_field(f, sizeof f, prefix, ja, k, key, "事業化による売上高");
			hj_status st = yen_value(v, 0, what, f, &ex->project_sales, err);
			if (st)
				return st;
			ex->has_project_sales = 1;
		} else if (report && !strcmp(key, "prefecture")) {
			row_field(f, sizeof f, prefix, ja, k, key, "都道府県");
			if (!json_is_string(v))
				return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "都道府県の名前か id が必要です");
			ex->has_prefecture = 1;
			ex->prefecture = json_string_value(v);
		} else {
			row_field(f, sizeof f, prefix, ja, k, key, key);
			return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f,
					    "未知の項目です（計画の項目 sales, cost_of_sales, labor_cost, depreciation, "
					    "other_expenses, operating_profit, non_operating, ordinary_profit, capex, total_wages, "
					    "employees, min_wage, regional_min_wage, fiscal_year_end%s）",
					    report ? ", year, commercialised, project_sales, prefecture" : "");
		}
	}
	/* 人件費 includes 給与支給総額 */
	uint32_t lw = (1u << HJ_PL_LABOR) | (1u << HJ_PL_WAGES);
	if ((y->given & lw) == lw && y->v[HJ_PL_LABOR] < y->v[HJ_PL_WAGES]) {
		char a[48], b[48];
		hj_yen_format(y->v[HJ_PL_LABOR], a, sizeof a);
		hj_yen_format(y->v[HJ_PL_WAGES], b, sizeof b);
		row_field(f, sizeof f, prefix, ja, k, "labor_cost", "人件費");
		return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f, "人件費（%s）が給与支給総額（%s）より少なくなっています", a,
				    b);
	}
	hj_plan_year given = *y;
	hj_error e;
	if (pl_derive_year(y, k, NULL, what, &e)) {
		row_field(f, sizeof f, prefix, ja, k, "operating_profit", "営業利益");
		return hj_error_set(err, e.status, what, 0, 0, f, "%s", e.message);
	}
	/* a stated profit that is not its parts contradicts the report */
	static const hj_plan_item stated[] = { HJ_PL_OPERATING, HJ_PL_ORDINARY };
	for (int i = 0; i < 2; i++) {
		hj_plan_item it = stated[i];
		if ((given.given >> it & 1) && y->v[it] != given.v[it]) {
			char a[48], b[48];
			hj_yen_format(given.v[it], a, sizeof a);
			hj_yen_format(y->v[it], b, sizeof b);
			row_field(f, sizeof f, prefix, ja, k, hj_plan_item_key(it), hj_plan_item_name(it));
			return hj_error_set(err, HJ_ERR_INPUT, what, 0, 0, f,
					    "%s（%s）が内訳から計算した値（%s）と合いません", hj_plan_item_name(it), a, b);
		}
	}
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Conditions due by 交付決定                                           */

static const char *truth_status(hj_truth t) { return t == HJ_TRUE ? "met" : t == HJ_FALSE ? "not_met" : "unknown"; }

/* hj_due_check_json: see hojo/after.h. */
/* The approved plan: in application document 'adoc', the plan's base
 * year replaced by the 交付申請's base_actuals (idoc may be NULL: nothing
 * to replace), read and checked as a plan year with the same fiscal year
 * end (seed 004:198-200). */
static hj_status apply_actuals(json_t *adoc, json_t *idoc, hj_error *err)
{
	hj_status st = HJ_OK;
	json_t *ba = idoc ? json_object_get(idoc, "base_actuals") : NULL;
	json_t *pyears = json_object_get(json_object_get(adoc, "plan"), "years");
	if (ba) {
		/* the base year's actual figures replace the forecast (seed 004:198-200) */
		json_t *b0 = json_array_get(pyears, 0);
		if (!json_is_object(ba) || !json_is_object(b0)) {
			st = hj_error_set(err, HJ_ERR_INPUT, "grant_application", 0, 0, "base_actuals",
					  json_is_object(ba) ? "申請に計画（plan.years）がありません" : "基準年度の実績はオブジェクトです");
			return st;
		}
		hj_plan_year y;
		row_extra ex;
		if ((st = read_row(ba, 0, 0, 0, "base_actuals", "grant_application", &y, &ex, err)))
			return st;
		json_t *ye = json_object_get(ba, "year_end") ? json_object_get(ba, "year_end")
							      : json_object_get(ba, "fiscal_year_end");
		json_t *pe = json_object_get(b0, "year_end");
		if (ye && pe && (!json_is_string(pe) || strncmp(json_string_value(ye), json_string_value(pe), 7))) {
			st = hj_error_set(err, HJ_ERR_INPUT, "grant_application", 0, 0, "base_actuals.year_end",
					  "基準年度の決算期末が計画（%s）と違います", json_is_string(pe) ? json_string_value(pe) : "?");
			return st;
		}
		json_t *nb = json_deep_copy(ba);
		json_object_del(nb, "fiscal_year_end");
		if (!json_object_get(nb, "year_end") && pe)
			json_object_set(nb, "year_end", pe);
		json_array_set_new(pyears, 0, nb);
	}
	return st;
}

hj_status hj_due_check_json(const hj_rulebook *rb, const hj_frame *f, const char *app, size_t app_len,
			    const char *in, size_t in_len, char **out, hj_error *err)
{
	static const char *const keys[] = { "base_actuals", NULL };
	*out = NULL;
	const hj_after_rules *a = rules_of(hj_frame_edition(f));
	json_t *adoc = NULL, *idoc = NULL, *root = NULL;
	hj_facts *facts = NULL;
	char *text = NULL;
	hj_plan_result *pr = NULL;
	hj_status st = parse_doc(app, app_len, "application", &adoc, err);
	if (st)
		goto out;
	if (in && in_len && ((st = parse_doc(in, in_len, "grant_application", &idoc, err)) ||
			     (st = strict_keys(idoc, keys, "grant_application", "", err))))
		goto out;
	json_t *ba = idoc ? json_object_get(idoc, "base_actuals") : NULL;
	if ((st = apply_actuals(adoc, idoc, err)))
		goto out;
	text = json_dumps(adoc, JSON_COMPACT);
	if (!text || hj_facts_new(rb, &facts)) {
		st = NOMEM(err);
		goto out;
	}
	if ((st = hj_facts_load_json(facts, text, strlen(text), "application", err)))
		goto out;
	root = json_object();
	json_object_set_new(root, "frame", json_string(hj_frame_id(f)));
	json_t *items = json_array();
	json_object_set_new(root, "items", items);
	int all = 1, any_fail = 0;
	hj_expr_rt rt;
	hj_facts_runtime(facts, &rt);
	for (int i = 0; a && i < a->ndue; i++) {
		const af_due *d = &a->due[i];
		json_t *o = json_pack("{s:s,s:s,s:s}", "id", d->id, "text", d->text, "source", d->source);
		const char *status;
		char detail[600] = "";
		if (d->when) {
			hj_factset m;
			hj_factset_clear(&m);
			hj_value v = hj_expr_eval(d->when, &rt, &m);
			hj_truth t = !v.known ? HJ_UNKNOWN : v.u.b ? HJ_TRUE : HJ_FALSE;
			status = truth_status(t);
			snprintf(detail, sizeof detail, "%s", hj_expr_text(d->when));
		} else if (!ba) {
			status = "not_yet";
			snprintf(detail, sizeof detail, "基準年度が見込み値なら、実績が判明次第 base_actuals で置き換えます");
		} else {
			/* the plan's requirements again, on the actual base year */
			pr = pr ? pr : hj_calloc(1, sizeof *pr);
			if (!pr) {
				json_decref(o);
				st = NOMEM(err);
				goto out;
			}
			if ((st = hj_plan_check(rb, facts, f, pr, err))) {
				json_decref(o);
				goto out;
			}
			status = pr->verdict == HJ_ELIGIBLE ? "met" : pr->verdict == HJ_INELIGIBLE ? "not_met" : "unknown";
			json_t *reqs = json_array();
			for (int k = 0; k < pr->nreqs; k++)
				json_array_append_new(reqs, json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", pr->reqs[k].id, "status",
								      truth_status(pr->reqs[k].result), "detail",
								      pr->reqs[k].detail, "fix", pr->reqs[k].fix, "source",
								      pr->reqs[k].source));
			json_object_set_new(o, "requirements", reqs);
			snprintf(detail, sizeof detail, "基準年度を実績に置き換えた計画で要件を確かめました");
		}
		all &= !strcmp(status, "met");
		any_fail |= !strcmp(status, "not_met");
		json_object_set_new(o, "status", json_string(status));
		json_object_set_new(o, "detail", json_string(detail));
		json_array_append_new(items, o);
	}
	json_object_set_new(root, "ok", all ? json_true() : any_fail ? json_false() : json_null());
	*out = hj_json_string(root, 0);
	root = NULL;
	if (!*out)
		st = NOMEM(err);
out:
	json_decref(root);
	json_decref(adoc);
	json_decref(idoc);
	free(text);
	hj_free(pr);
	hj_facts_free(facts);
	return st;
}

/* ------------------------------------------------------------------ */
/* A yearly report against the plan                                     */

/* A growth comparison of year k with base v0 for the report. */
static json_t *growth_req(const hj_requirement *q, const char *metric, hj_frac v0, int has0, hj_frac vk, int hask,
			  int k, int final_year)
{
	json_t *o = json_object();
	char a[64], b[64], d[400];
	json_object_set_new(o, "id", json_string(q->id));
	json_object_set_new(o, "text", json_string(q->text));
	json_object_set_new(o, "metric", json_string(metric));
	json_object_set_new(o, "source", json_string(q->source));
	const char *status = "not_yet";
	if (!has0 || !hask) {
		snprintf(d, sizeof d, "%sの%sが分かりません", has0 ? "報告" : "計画の基準年度", hj_plan_metric_name(metric));
		json_object_set_new(o, "target", json_null());
		json_object_set_new(o, "actual", json_null());
		json_object_set_new(o, "gap", json_null());
	} else if (v0.num <= 0) {
		int up = hj_frac_cmp(vk, v0) > 0;
		status = up ? "not_yet" : final_year ? "not_met" : "not_yet";
		snprintf(d, sizeof d, "基準年度の%sが0以下のため伸び率は定まりません（%s）", hj_plan_metric_name(metric),
			 up ? "増えているが達成かは要確認" : "増えていません");
		json_object_set_new(o, "target", json_null());
		json_object_set_new(o, "actual", json_integer(hj_frac_floor(vk)));
		json_object_set_new(o, "gap", json_null());
	} else {
		int ok = pl_reaches(vk, v0, q->growth, q->growth_compound, k);
		int64_t need = 0;
		int has_need = pl_least_value(v0, q->growth, q->growth_compound, k, &need);
		int64_t actual = hj_frac_floor(vk);
		status = ok == 1 ? "met" : ok == 0 && final_year ? "not_met" : "not_yet";
		json_object_set_new(o, "target", has_need ? json_integer(need) : json_null());
		json_object_set_new(o, "actual", json_integer(actual));
		json_object_set_new(o, "gap", has_need ? json_integer(actual - need) : json_null());
		hj_yen_format(actual, a, sizeof a);
		hj_yen_format(need, b, sizeof b);
		char g[32];
		hj_frac_format_percent(q->growth, g, sizeof g);
		snprintf(d, sizeof d, "%d年後の%s %s、基準年度から年率%s（%s）の線は %s%s", k, hj_plan_metric_name(metric), a, g,
			 q->growth_compound ? "複利" : "単利", b,
			 ok == 1 ? "（達成）" : final_year ? "（未達）" : "（線の下。最終年度で判定）");
	}
	json_object_set_new(o, "status", json_string(status));
	json_object_set_new(o, "detail", json_string(d));
	return o;
}

/* The prefecture's enum value from an id or Japanese name; -1 if none. */
static int prefecture_value(const hj_rulebook *rb, const char *s)
{
	int fi = hj_rulebook_fact_index(rb, "prefecture");
	int en = fi >= 0 ? hj_fact_enum(rb, fi) : -1;
	for (int v = 0; en >= 0 && v < hj_enum_nvalues(rb, en); v++)
		if (!strcmp(hj_enum_value_id(rb, en, v), s) || !strcmp(hj_enum_value_label(rb, en, v), s))
			return v;
	return -1;
}

static json_t *min_wage_req(const hj_rulebook *rb, const hj_requirement *q, const hj_plan_year *y,
			    const row_extra *ex, int k)
{
	json_t *o = json_object();
	char d[400];
	json_object_set_new(o, "id", json_string(q->id));
	json_object_set_new(o, "text", json_string(q->text));
	json_object_set_new(o, "metric", json_string("min_wage"));
	json_object_set_new(o, "source", json_string(q->source));
	int64_t reg = 0, latest = 0;
	int fy = 0, known = 0;
	const char *how = "";
	if (ex->has_prefecture) {
		int pv = prefecture_value(rb, ex->prefecture);
		if (pv >= 0 && y->has_year_end && hj_min_wage(rb, pv, y->year_end, &reg, &fy, &latest))
			known = 1, how = "公表値";
	}
	if (!known && y->has_regional)
		known = 1, reg = y->regional, how = "報告の値";
	const char *status = "not_yet";
	if (!y->has_min_wage) {
		snprintf(d, sizeof d, "%d年後の事業場内最低賃金がありません", k);
		json_object_set_new(o, "target", json_null());
		json_object_set_new(o, "actual", json_null());
		json_object_set_new(o, "gap", json_null());
	} else if (!known) {
		snprintf(d, sizeof d, "地域別最低賃金が分かりません（prefecture か regional_min_wage を書けば判定）");
		json_object_set_new(o, "target", json_null());
		json_object_set_new(o, "actual", json_integer(y->min_wage));
		json_object_set_new(o, "gap", json_null());
	} else {
		int64_t need = reg + q->above_min_wage;
		status = y->min_wage >= need ? "met" : "not_met";
		snprintf(d, sizeof d, "%d年後 %lld円（地域別 %lld円［%s］＋%lld円 = %lld円%s）", k, (long long)y->min_wage,
			 (long long)reg, how, (long long)q->above_min_wage, (long long)need,
			 y->min_wage >= need ? "" : "に未達");
		json_object_set_new(o, "target", json_integer(need));
		json_object_set_new(o, "actual", json_integer(y->min_wage));
		json_object_set_new(o, "gap", json_integer(y->min_wage - need));
	}
	json_object_set_new(o, "status", json_string(status));
	json_object_set_new(o, "detail", json_string(d));
	return o;
}

/* hj_report_compare_json: see hojo/after.h. */
hj_status hj_report_compare_json(const hj_rulebook *rb, const hj_frame *f, const char *plan, size_t plan_len,
				 const char *report, size_t report_len, char **out, hj_error *err)
{
	*out = NULL;
	json_t *pdoc = NULL, *rdoc = NULL, *root = NULL;
	hj_facts *facts = NULL;
	char *wrapped = NULL;
	hj_status st = parse_doc(plan, plan_len, "plan", &pdoc, err);
	if (st || (st = parse_doc(report, report_len, "report", &rdoc, err)))
		goto out;
	/* the approved plan, read as an application's 'plan:' is; or the
	 * whole application (its facts decide which requirements apply) */
	int whole = json_object_get(pdoc, "plan") != NULL;
	json_t *w = whole ? json_incref(pdoc) : json_pack("{s:O}", "plan", pdoc);
	wrapped = w ? json_dumps(w, JSON_COMPACT) : NULL;
	json_decref(w);
	if (!wrapped) {
		st = NOMEM(err);
		goto out;
	}
	if (hj_facts_new(rb, &facts)) {
		st = NOMEM(err);
		goto out;
	}
	if ((st = hj_facts_load_json(facts, wrapped, strlen(wrapped), "plan", err)))
		goto out;
	const hj_plan *p = hj_facts_plan(facts);
	if (!p) {
		st = hj_error_set(err, HJ_ERR_INPUT, "plan", 0, 0, "plan", "承認された計画（plan）がありません");
		goto out;
	}
	int n = hj_plan_years(p) - 1;
	json_t *yv = json_object_get(rdoc, "year");
	if (!json_is_integer(yv) || json_integer_value(yv) < 1 || json_integer_value(yv) > n) {
		st = hj_error_set(err, HJ_ERR_INPUT, "report", 0, 0, "報告/year",
				  "報告の年（year）は計画の1〜%d年後のどれかです", n);
		goto out;
	}
	int k = (int)json_integer_value(yv);
	hj_plan_year y;
	row_extra ex;
	if ((st = read_row(rdoc, k, 1, 1, "", "report", &y, &ex, err)))
		goto out;
	const hj_plan_year *py = hj_plan_year_at(p, k);
	char fld[160], a[48], b[48];
	if (!y.has_year_end) {
		st = hj_error_set(err, HJ_ERR_INPUT, "report", 0, 0, "報告/決算期末", "fiscal_year_end（決算期末の日付）がありません");
		goto out;
	}
	{
		int y0, m0, d0, y1, m1, d1;
		hj_date_to_ymd(py->year_end, &y0, &m0, &d0);
		hj_date_to_ymd(y.year_end, &y1, &m1, &d1);
		if (y0 != y1 || m0 != m1) {
			snprintf(fld, sizeof fld, "報告/%d年目/決算期末", k);
			hj_date_format(py->year_end, a, sizeof a);
			hj_date_format(y.year_end, b, sizeof b);
			st = hj_error_set(err, HJ_ERR_INPUT, "report", 0, 0, fld,
					  "決算期末 %s が計画の%d年後（%s）と違う年度です", b, k, a);
			goto out;
		}
	}
	/* every row the plan has for the year must be reported */
	for (int it = 0; it < HJ_PL_NITEMS; it++)
		if ((py->given >> it & 1) && !(y.known >> it & 1)) {
			snprintf(fld, sizeof fld, "報告/%d年目/%s", k, hj_plan_item_name((hj_plan_item)it));
			st = hj_error_set(err, HJ_ERR_INPUT, "report", 0, 0, fld, "計画にある項目が報告にありません");
			goto out;
		}
	if ((py->has_employees && !y.has_employees) || (py->has_min_wage && !y.has_min_wage)) {
		snprintf(fld, sizeof fld, "報告/%d年目/%s", k, py->has_employees && !y.has_employees ? "従業員数" : "事業場内最低賃金");
		st = hj_error_set(err, HJ_ERR_INPUT, "report", 0, 0, fld, "計画にある項目が報告にありません");
		goto out;
	}
	root = json_object();
	json_object_set_new(root, "frame", json_string(hj_frame_id(f)));
	json_object_set_new(root, "year", json_integer(k));
	json_object_set_new(root, "final_year", json_boolean(k == n));
	json_object_set_new(root, "fiscal_year_end", jdate(y.year_end));
	json_t *derived = json_object(), *plan_row = json_object(), *vs = json_array();
	json_object_set_new(root, "derived", derived);
	json_object_set_new(root, "plan_row", plan_row);
	json_object_set_new(root, "vs_plan", vs);
	for (int it = 0; it < HJ_PL_NITEMS; it++) {
		const char *key = hj_plan_item_key((hj_plan_item)it);
		if (y.known >> it & 1)
			json_object_set_new(derived, key, json_integer(y.v[it]));
		if (py->known >> it & 1)
			json_object_set_new(plan_row, key, json_integer(py->v[it]));
		if ((y.known >> it & 1) && (py->known >> it & 1)) {
			hj_yen diff;
			if (hj_yen_sub(y.v[it], py->v[it], &diff)) {
				st = hj_error_set(err, HJ_ERR_RANGE, "report", 0, 0, key, "差が計算できる範囲を超えます");
				goto out;
			}
			json_array_append_new(vs, json_pack("{s:s,s:s,s:I,s:I,s:I}", "item", key, "name",
							    hj_plan_item_name((hj_plan_item)it), "plan", (json_int_t)py->v[it],
							    "actual", (json_int_t)y.v[it], "diff", (json_int_t)diff));
		}
	}
	if (y.has_employees)
		json_object_set_new(derived, "employees", jfrac(y.employees));
	hj_frac lp;
	if (pl_year_metric(&y, "labor_productivity", &lp))
		json_object_set_new(derived, "labor_productivity", json_integer(hj_frac_floor(lp)));
	json_t *reqs = json_array(), *skipped = json_array();
	const hj_plan_year *base = hj_plan_year_at(p, 0);
	hj_expr_rt rt;
	hj_facts_runtime(facts, &rt);
	for (int i = 0; i < f->nreqs; i++) {
		const hj_requirement *q = &f->reqs[i];
		json_t *o = NULL;
		hj_truth applies = HJ_TRUE;
		if (q->when) {
			hj_factset m;
			hj_factset_clear(&m);
			hj_value wv = hj_expr_eval(q->when, &rt, &m);
			applies = !wv.known ? HJ_UNKNOWN : wv.u.b ? HJ_TRUE : HJ_FALSE;
		}
		if (applies == HJ_FALSE) {
			json_array_append_new(skipped, json_pack("{s:s,s:s,s:s}", "id", q->id, "text", q->text, "when",
								 hj_expr_text(q->when)));
			continue;
		}
		if (q->metric && !strcmp(q->metric, "min_wage") && q->has_above_min_wage)
			o = min_wage_req(rb, q, &y, &ex, k);
		else if (q->metric && q->has_growth) {
			hj_frac v0, vk;
			int h0 = pl_year_metric(base, q->metric, &v0), hk = pl_year_metric(&y, q->metric, &vk);
			o = growth_req(q, q->metric, v0, h0, vk, hk, k, k == n);
			if (q->or_metric && strcmp(json_string_value(json_object_get(o, "status")), "met")) {
				h0 = pl_year_metric(base, q->or_metric, &v0);
				hk = pl_year_metric(&y, q->or_metric, &vk);
				json_t *alt = growth_req(q, q->or_metric, v0, h0, vk, hk, k, k == n);
				if (!strcmp(json_string_value(json_object_get(alt, "status")), "met")) {
					json_decref(o);
					o = alt;
				} else {
					json_object_set_new(o, "alternative", alt);
				}
			}
		} else
			continue; /* the plan's length: not a yearly figure */
		if (q->when) {
			json_object_set_new(o, "when", json_string(hj_expr_text(q->when)));
			json_object_set_new(o, "applies", applies == HJ_TRUE ? json_true() : json_null());
		}
		json_array_append_new(reqs, o);
	}
	json_object_set_new(root, "requirements", reqs);
	json_object_set_new(root, "not_applicable", skipped);
	json_object_set_new(root, "consequences", consequences_json(rules_of(hj_frame_edition(f))));
	*out = hj_json_string(root, 0);
	root = NULL;
	if (!*out)
		st = NOMEM(err);
out:
	json_decref(root);
	json_decref(pdoc);
	json_decref(rdoc);
	free(wrapped);
	hj_facts_free(facts);
	return st;
}

/* ------------------------------------------------------------------ */
/* Outcomes over a cohort                                               */

#define OC_MAX_REPORTS 8

typedef struct oc_grantee {
	const char *id;
	int has_granted;
	hj_yen granted;
	int has_base;
	hj_plan_year base;
	int nrep;
	int year[OC_MAX_REPORTS];
	hj_plan_year rep[OC_MAX_REPORTS];
	row_extra ex[OC_MAX_REPORTS];
} oc_grantee;

/* The grantee's latest report at or before the horizon (0: any), or -1. */
static int latest(const oc_grantee *g, int horizon, const char *metric)
{
	int best = -1;
	for (int j = 0; j < g->nrep; j++) {
		hj_frac v;
		if (horizon && g->year[j] > horizon)
			continue;
		if (metric && !pl_year_metric(&g->rep[j], metric, &v))
			continue;
		if (best < 0 || g->year[j] > g->year[best])
			best = j;
	}
	return best;
}

static int report_at(const oc_grantee *g, int year)
{
	for (int j = 0; j < g->nrep; j++)
		if (g->year[j] == year)
			return j;
	return -1;
}

/* (1 + g)^k - 1, or g itself for a total, exactly; 0 on overflow. */
static int required_growth(hj_frac g, int total, int k, hj_frac *out)
{
	if (total) {
		*out = g;
		return 1;
	}
	hj_frac one = hj_frac_int(1), f = one, step1;
	if (hj_frac_add(one, g, &step1))
		return 0;
	for (int i = 0; i < k; i++)
		if (hj_frac_mul(f, step1, &f))
			return 0;
	return hj_frac_sub(f, one, out) == HJ_OK;
}

static void share_result(json_t *o, int yes, int n, const af_outcome *oc)
{
	json_object_set_new(o, "n", json_integer(n));
	json_object_set_new(o, "count", json_integer(yes));
	if (!n) {
		json_object_set_new(o, "value", json_null());
		json_object_set_new(o, "value_text", json_null());
		json_object_set_new(o, "met", json_null());
		return;
	}
	hj_frac v;
	hj_frac_make(yes, n, &v);
	int c = hj_frac_cmp(v, oc->target);
	json_object_set_new(o, "value", jfrac(v));
	json_object_set_new(o, "value_text", jpercent(v));
	json_object_set_new(o, "met", json_boolean(oc->strict ? c > 0 : c >= 0));
}

static hj_status outcome_json(const af_outcome *oc, const oc_grantee *gs, int ng, int has_budget, hj_yen budget,
			      json_t *o, hj_error *err)
{
	int H = oc->horizon;
	int yes = 0, n = 0;
	char formula[400];
	switch (oc->kind) {
	case AF_SHARE_COMMERCIALISED:
		if (H)
			snprintf(formula, sizeof formula,
				 "事業化した補助事業者の数 ÷ 事業化の有無を報告した補助事業者の数（%d年後までの報告）", H);
		else
			snprintf(formula, sizeof formula, "事業化した補助事業者の数 ÷ 事業化の有無を報告した補助事業者の数");
		for (int i = 0; i < ng; i++) {
			int stated = 0, any = 0;
			for (int j = 0; j < gs[i].nrep; j++)
				if ((!H || gs[i].year[j] <= H) && gs[i].ex[j].has_commercialised) {
					stated = 1;
					any |= gs[i].ex[j].commercialised;
				}
			n += stated;
			yes += any;
		}
		share_result(o, yes, n, oc);
		break;
	case AF_SHARE_HIGHER_SALES:
		snprintf(formula, sizeof formula, "最新の報告（%d年後まで）の売上高が基準年度を上回る補助事業者の数 ÷ 両方が分かる補助事業者の数", H);
		if (!H)
			snprintf(formula, sizeof formula, "最新の報告の売上高が基準年度を上回る補助事業者の数 ÷ 両方が分かる補助事業者の数");
		for (int i = 0; i < ng; i++) {
			if (!gs[i].has_base || !(gs[i].base.known >> HJ_PL_SALES & 1))
				continue;
			int best = -1;
			for (int j = 0; j < gs[i].nrep; j++)
				if ((!H || gs[i].year[j] <= H) && (gs[i].rep[j].known >> HJ_PL_SALES & 1) &&
				    (best < 0 || gs[i].year[j] > gs[i].year[best]))
					best = j;
			if (best < 0)
				continue;
			n++;
			yes += gs[i].rep[best].v[HJ_PL_SALES] > gs[i].base.v[HJ_PL_SALES];
		}
		share_result(o, yes, n, oc);
		break;
	case AF_SHARE_BOTH_GROWTH: {
		char g1[32], g2[32];
		hj_frac_format_percent(oc->va_growth, g1, sizeof g1);
		hj_frac_format_percent(oc->wage_growth, g2, sizeof g2);
		snprintf(formula, sizeof formula,
			 "最新の報告（k年後、%d年後まで）で 付加価値額 ≥ 基準×(1+%s)^k かつ 給与支給総額 ≥ 基準×(1+%s)^k の補助事業者の数 ÷ 両方が分かる補助事業者の数（基準が0以下は除く）",
			 H, g1, g2);
		int excluded = 0;
		for (int i = 0; i < ng; i++) {
			hj_frac va0, w0, vak, wk;
			if (!gs[i].has_base || !pl_year_metric(&gs[i].base, "value_added", &va0) ||
			    !pl_year_metric(&gs[i].base, "total_wages", &w0))
				continue;
			int best = -1;
			for (int j = 0; j < gs[i].nrep; j++)
				if ((!H || gs[i].year[j] <= H) && pl_year_metric(&gs[i].rep[j], "value_added", &vak) &&
				    pl_year_metric(&gs[i].rep[j], "total_wages", &wk) &&
				    (best < 0 || gs[i].year[j] > gs[i].year[best]))
					best = j;
			if (best < 0)
				continue;
			if (va0.num <= 0 || w0.num <= 0) {
				excluded++;
				continue;
			}
			pl_year_metric(&gs[i].rep[best], "value_added", &vak);
			pl_year_metric(&gs[i].rep[best], "total_wages", &wk);
			int k = gs[i].year[best];
			int r1 = pl_reaches(vak, va0, oc->va_growth, 1, k), r2 = pl_reaches(wk, w0, oc->wage_growth, 1, k);
			if (r1 < 0 || r2 < 0) {
				excluded++;
				continue;
			}
			n++;
			yes += r1 == 1 && r2 == 1;
		}
		share_result(o, yes, n, oc);
		json_object_set_new(o, "excluded", json_integer(excluded));
		break;
	}
	case AF_AGGREGATE_GROWTH:
	case AF_AGGREGATE_PRODUCTIVITY_GROWTH: {
		int prod = oc->kind == AF_AGGREGATE_PRODUCTIVITY_GROWTH;
		const char *m = prod ? "value_added" : oc->metric;
		char g[32];
		hj_frac_format_percent(oc->growth, g, sizeof g);
		if (prod)
			snprintf(formula, sizeof formula,
				 "K年後（報告のある最も遅い年、%d年後まで）の Σ付加価値額÷Σ従業員数 ≥ 基準年度の Σ付加価値額÷Σ従業員数 × %s（K年後と基準年度が両方ある補助事業者で）",
				 H, oc->total ? "(1+伸び率)" : "(1+年率)^K");
		else
			snprintf(formula, sizeof formula,
				 "K年後（報告のある最も遅い年、%d年後まで）の Σ%s ≥ 基準年度の Σ%s × %s（K年後と基準年度が両方ある補助事業者で）", H,
				 hj_plan_metric_name(m), hj_plan_metric_name(m), oc->total ? "(1+伸び率)" : "(1+年率)^K");
		int K = 0;
		for (int i = 0; i < ng; i++) {
			int j = latest(&gs[i], H, m);
			if (j >= 0 && gs[i].year[j] > K && gs[i].has_base)
				K = gs[i].year[j];
		}
		hj_yen s0 = 0, sk = 0;
		hj_frac e0 = hj_frac_int(0), ek = hj_frac_int(0);
		for (int i = 0; K && i < ng; i++) {
			int j = report_at(&gs[i], K);
			hj_frac v0, vk;
			if (j < 0 || !gs[i].has_base || !pl_year_metric(&gs[i].base, m, &v0) ||
			    !pl_year_metric(&gs[i].rep[j], m, &vk))
				continue;
			if (prod && !(gs[i].base.has_employees && gs[i].rep[j].has_employees))
				continue;
			if (hj_yen_add(s0, v0.num, &s0) || hj_yen_add(sk, vk.num, &sk) ||
			    (prod && (hj_frac_add(e0, gs[i].base.employees, &e0) ||
				      hj_frac_add(ek, gs[i].rep[j].employees, &ek))))
				return hj_error_set(err, HJ_ERR_RANGE, "cohort", 0, 0, "grantees", "合計が計算できる範囲を超えます");
			n++;
		}
		json_object_set_new(o, "n", json_integer(n));
		json_object_set_new(o, "at_year", K ? json_integer(K) : json_null());
		hj_frac b, x;
		int ok = n > 0;
		if (ok && prod)
			ok = e0.num > 0 && ek.num > 0 && !hj_frac_div(hj_frac_int(s0), e0, &b) &&
			     !hj_frac_div(hj_frac_int(sk), ek, &x);
		else if (ok)
			b = hj_frac_int(s0), x = hj_frac_int(sk);
		if (ok && b.num <= 0)
			ok = 0;
		if (!ok) {
			json_object_set_new(o, "value", json_null());
			json_object_set_new(o, "value_text", json_null());
			json_object_set_new(o, "met", json_null());
			break;
		}
		hj_frac growth, need;
		json_object_set_new(o, "base_total", prod ? jfrac(b) : json_integer(s0));
		json_object_set_new(o, "total", prod ? jfrac(x) : json_integer(sk));
		if (hj_frac_div(x, b, &growth) || hj_frac_sub(growth, hj_frac_int(1), &growth)) {
			json_object_set_new(o, "value", json_null());
			json_object_set_new(o, "value_text", json_null());
		} else {
			json_object_set_new(o, "value", jfrac(growth));
			json_object_set_new(o, "value_text", jpercent(growth));
		}
		if (required_growth(oc->growth, oc->total, K, &need)) {
			json_object_set_new(o, "required", jfrac(need));
			json_object_set_new(o, "required_text", jpercent(need));
		}
		int r = pl_reaches(x, b, oc->growth, 1, oc->total ? 1 : K);
		json_object_set_new(o, "met", r < 0 ? json_null() : json_boolean(r == 1));
		break;
	}
	case AF_CUMULATIVE_SALES_VS_BUDGET: {
		snprintf(formula, sizeof formula, "Σ 事業化による売上高（%d年後までの各年度の報告）÷ 総予算投入額", H);
		hj_yen total = 0;
		for (int i = 0; i < ng; i++) {
			int any = 0;
			for (int j = 0; j < gs[i].nrep; j++)
				if ((!H || gs[i].year[j] <= H) && gs[i].ex[j].has_project_sales) {
					any = 1;
					if (hj_yen_add(total, gs[i].ex[j].project_sales, &total))
						return hj_error_set(err, HJ_ERR_RANGE, "cohort", 0, 0, "grantees",
								    "合計が計算できる範囲を超えます");
				}
			n += any;
		}
		json_object_set_new(o, "n", json_integer(n));
		json_object_set_new(o, "sales_total", json_integer(total));
		json_object_set_new(o, "budget", has_budget ? json_integer(budget) : json_null());
		hj_frac v;
		if (!n || !has_budget || budget <= 0 || hj_frac_make(total, budget, &v)) {
			json_object_set_new(o, "value", json_null());
			json_object_set_new(o, "value_text", json_null());
			json_object_set_new(o, "met", json_null());
			break;
		}
		int c = hj_frac_cmp(v, oc->target);
		json_object_set_new(o, "value", jfrac(v));
		json_object_set_new(o, "value_text", jpercent(v));
		json_object_set_new(o, "met", json_boolean(oc->strict ? c > 0 : c >= 0));
		break;
	}
	default:
		formula[0] = '\0';
		break;
	}
	json_object_set_new(o, "formula", json_string(formula));
	return HJ_OK;
}

/* hj_outcomes_json: see hojo/after.h. */
hj_status hj_outcomes_json(const hj_rulebook *rb, const hj_edition *e, const char *in, size_t in_len, char **out,
			   hj_error *err)
{
	static const char *const keys[] = { "budget", "grantees", "edition", NULL };
	static const char *const gkeys[] = { "id", "frame", "granted", "base", "reports", NULL };
	(void)rb;
	*out = NULL;
	json_t *doc = NULL, *root = NULL;
	oc_grantee *gs = NULL;
	const hj_after_rules *a = rules_of(e);
	const char *W = "cohort";
	hj_status st = parse_doc(in, in_len, W, &doc, err);
	if (st || (st = strict_keys(doc, keys, W, "", err)))
		goto out;
	hj_yen budget = 0;
	int has_budget = 0;
	if ((st = want_yen(doc, "budget", 0, W, "", &budget, &has_budget, err)))
		goto out;
	json_t *arr = json_object_get(doc, "grantees");
	if (!json_is_array(arr)) {
		st = hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, "grantees", "補助事業者（grantees）のリストが必要です");
		goto out;
	}
	size_t ng = json_array_size(arr);
	if (ng > 100000) {
		st = hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, "grantees", "補助事業者は 100,000 者までです");
		goto out;
	}
	gs = hj_calloc(ng ? ng : 1, sizeof *gs);
	if (!gs) {
		st = NOMEM(err);
		goto out;
	}
	int all_granted = ng > 0;
	hj_yen granted_sum = 0;
	for (size_t i = 0; i < ng; i++) {
		json_t *g = json_array_get(arr, i);
		oc_grantee *x = &gs[i];
		char p[64];
		snprintf(p, sizeof p, "grantees[%zu]", i);
		if (!json_is_object(g)) {
			st = hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, p, "補助事業者はオブジェクトです");
			goto out;
		}
		const char *frame = NULL;
		if ((st = strict_keys(g, gkeys, W, p, err)) || (st = want_str(g, "id", 0, W, p, &x->id, err)) ||
		    (st = want_str(g, "frame", 0, W, p, &frame, err)) ||
		    (st = want_yen(g, "granted", 0, W, p, &x->granted, &x->has_granted, err)))
			goto out;
		if (frame) {
			const hj_frame *fr = hj_rulebook_find_frame(rb, frame);
			if (!fr || hj_frame_edition(fr) != e) {
				char f2[80];
				snprintf(f2, sizeof f2, "%s.frame", p);
				st = hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, f2, "版 %s の枠ではありません: '%s'", hj_edition_id(e),
						  frame);
				goto out;
			}
		}
		all_granted &= x->has_granted;
		if (x->has_granted && hj_yen_add(granted_sum, x->granted, &granted_sum)) {
			st = hj_error_set(err, HJ_ERR_RANGE, W, 0, 0, "grantees", "交付額の合計が計算できる範囲を超えます");
			goto out;
		}
		json_t *bn = json_object_get(g, "base");
		row_extra ex;
		if (bn) {
			char f2[80];
			snprintf(f2, sizeof f2, "%s.base", p);
			if ((st = read_row(bn, 0, 0, 0, f2, W, &x->base, &ex, err)))
				goto out;
			x->has_base = 1;
		}
		json_t *rs = json_object_get(g, "reports");
		if (rs && !json_is_array(rs)) {
			char f2[80];
			snprintf(f2, sizeof f2, "%s.reports", p);
			st = hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, f2, "報告のリストが必要です");
			goto out;
		}
		for (size_t j = 0; rs && j < json_array_size(rs); j++) {
			char f2[96];
			snprintf(f2, sizeof f2, "%s.reports[%zu]", p, j);
			json_t *r = json_array_get(rs, j);
			json_t *yv = json_is_object(r) ? json_object_get(r, "year") : NULL;
			if (x->nrep >= OC_MAX_REPORTS || !json_is_integer(yv) || json_integer_value(yv) < 1 ||
			    json_integer_value(yv) > 10) {
				char f3[112];
				snprintf(f3, sizeof f3, "%s.year", f2);
				st = hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, f3, x->nrep >= OC_MAX_REPORTS
									  ? "報告は一者 %d 件までです"
									  : "報告の年（year: 1〜10）が必要です",
						  OC_MAX_REPORTS);
				goto out;
			}
			int k = (int)json_integer_value(yv);
			if (report_at(x, k) >= 0) {
				char f3[112];
				snprintf(f3, sizeof f3, "%s.year", f2);
				st = hj_error_set(err, HJ_ERR_INPUT, W, 0, 0, f3, "%d年後の報告が二つあります", k);
				goto out;
			}
			if ((st = read_row(r, k, 1, 0, f2, W, &x->rep[x->nrep], &x->ex[x->nrep], err)))
				goto out;
			x->year[x->nrep++] = k;
		}
	}
	if (!has_budget && all_granted) {
		budget = granted_sum;
		has_budget = 1;
	}
	root = json_object();
	json_object_set_new(root, "edition", json_string(hj_edition_id(e)));
	json_object_set_new(root, "grantees", json_integer((json_int_t)ng));
	json_t *outs = json_array();
	for (int i = 0; a && i < a->noutcomes; i++) {
		const af_outcome *oc = &a->outcomes[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(oc->id));
		json_object_set_new(o, "text", json_string(oc->text));
		json_object_set_new(o, "kind", json_string(af_kind_names[oc->kind]));
		json_object_set_new(o, "target", outcome_target_json(oc));
		json_object_set_new(o, "horizon_years", oc->horizon ? json_integer(oc->horizon) : json_null());
		if ((st = outcome_json(oc, gs, (int)ng, has_budget, budget, o, err))) {
			json_decref(o);
			json_decref(outs);
			goto out;
		}
		json_object_set_new(o, "source", json_string(oc->source));
		json_object_set_new(o, "note", json_string(oc->note));
		json_array_append_new(outs, o);
	}
	json_object_set_new(root, "outcomes", outs);
	if (!a)
		json_object_set_new(root, "note", json_string("この版の成果目標は規則にありません"));
	*out = hj_json_string(root, 0);
	root = NULL;
	if (!*out)
		st = NOMEM(err);
out:
	json_decref(root);
	json_decref(doc);
	hj_free(gs);
	return st;
}

/* The approved plan as a document (hojo/after.h). */
hj_status hj_approved_plan_json(const char *app, size_t app_len, const char *in, size_t in_len, char **out,
				hj_error *err)
{
	static const char *const keys[] = { "base_actuals", NULL };
	*out = NULL;
	json_t *adoc = NULL, *idoc = NULL;
	hj_status st = parse_doc(app, app_len, "application", &adoc, err);
	if (!st && in && in_len &&
	    !(st = parse_doc(in, in_len, "grant_application", &idoc, err)))
		st = strict_keys(idoc, keys, "grant_application", "", err);
	if (!st)
		st = apply_actuals(adoc, idoc, err);
	if (!st) {
		*out = hj_json_string(adoc, 0); /* releases the tree */
		adoc = NULL;
		if (!*out)
			st = NOMEM(err);
	}
	json_decref(adoc);
	json_decref(idoc);
	return st;
}
