/*
 * lib/after-rules.c - loading an edition's 'after:' (rulebook-load.h,
 * after-int.h; the schema is in docs/rulebook.md, "after: after
 * adoption"): the project period, the contracts allowed before 交付決定,
 * the conditions due by 交付決定, the yearly reports, the consequences
 * of a missed requirement (or none encoded) and the program's 成果目標.
 *
 * Every key is checked (unknown keys are errors naming the allowed ones),
 * every item carries a checked 'source', and every number is read as an
 * integer or an exact fraction. An outcome's kind is one of a closed set
 * and each kind has its own keys, so a misspelt rate cannot silently
 * leave a target empty.
 */
#include <string.h>
#include <libfyaml.h>
#include "after-int.h"
#include "rulebook-load.h"
#include "yaml.h"

const char *const af_kind_names[AF_NKINDS] = {
	[AF_SHARE_COMMERCIALISED] = "share_commercialised",
	[AF_SHARE_BOTH_GROWTH] = "share_both_growth",
	[AF_AGGREGATE_GROWTH] = "aggregate_growth",
	[AF_SHARE_HIGHER_SALES] = "share_higher_sales",
	[AF_CUMULATIVE_SALES_VS_BUDGET] = "cumulative_sales_vs_budget",
	[AF_AGGREGATE_PRODUCTIVITY_GROWTH] = "aggregate_productivity_growth",
};

/* An optional note: "" when absent. */
static hj_status note_of(ld *L, struct fy_node *map, const char *field, char **out)
{
	hj_status st = rbl_str(L, map, "note", field, 0, out);
	if (!st && !*out)
		*out = rbl_strdup(L, "");
	return st ? st : *out ? HJ_OK : rbl_nomem(L);
}

/* A small positive integer (1..max) at 'n'. */
static hj_status small_int(ld *L, struct fy_node *n, const char *field, int min, int max, int *out)
{
	int64_t v;
	hj_status st = rbl_int(L, n, field, &v);
	if (st)
		return st;
	if (v < min || v > max)
		return rbl_fail(L, n, field, "%d〜%d の整数が必要です", min, max);
	*out = (int)v;
	return HJ_OK;
}

/* A list node, or an error naming what it should hold. */
static hj_status list_of(ld *L, struct fy_node *n, const char *field, const char *what, int *count)
{
	if (!n || !fy_node_is_sequence(n))
		return rbl_fail(L, n, field, "%s のリストが必要です", what);
	*count = fy_node_sequence_item_count(n);
	return HJ_OK;
}

static hj_status load_period(ld *L, hj_after_rules *a, struct fy_node *n)
{
	static const char *const keys[] = { "months", "source", "note", NULL };
	hj_status st;
	if ((st = rbl_check_keys(L, n, "after.project_period", keys)) ||
	    (st = rbl_source(L, n, "after.project_period", &a->period_source)) ||
	    (st = note_of(L, n, "after.project_period", &a->period_note)))
		return st;
	if (rbl_get(n, "months") &&
	    (st = small_int(L, rbl_get(n, "months"), "after.project_period.months", 1, 120, &a->period_months)))
		return st;
	if (!a->period_months && !a->period_note[0])
		return rbl_fail(L, n, "after.project_period",
				"months がないときは note（期間の終わりを誰がどう決めるか）が必要です");
	a->has_period = 1;
	return HJ_OK;
}

static hj_status load_retro(ld *L, hj_edition *ed, hj_after_rules *a, struct fy_node *n)
{
	static const char *const keys[] = { "frames", "from", "source", "note", NULL };
	int count = 0;
	hj_status st = list_of(L, n, "after.retroactive", "遡及適用（frames, from, source）", &count);
	if (st)
		return st;
	a->retro = rbl_alloc(L, (size_t)(count ? count : 1) * sizeof *a->retro);
	if (!a->retro)
		return rbl_nomem(L);
	void *it = NULL;
	struct fy_node *r;
	while ((r = fy_node_sequence_iterate(n, &it))) {
		af_retro *x = &a->retro[a->nretro];
		memset(x, 0, sizeof *x);
		if ((st = rbl_check_keys(L, r, "after.retroactive", keys)) ||
		    (st = rbl_source(L, r, "after.retroactive", &x->source)) ||
		    (st = note_of(L, r, "after.retroactive", &x->note)))
			return st;
		struct fy_node *fr = rbl_get(r, "frames"), *from = rbl_get(r, "from");
		int nf = 0;
		if ((st = list_of(L, fr, "after.retroactive.frames", "枠の id", &nf)))
			return st;
		if (!from)
			return rbl_fail(L, r, "after.retroactive", "from（この日以降の契約を認める）がありません");
		if ((st = rbl_date(L, from, "after.retroactive.from", &x->from)))
			return st;
		x->frames = rbl_alloc(L, (size_t)(nf ? nf : 1) * sizeof *x->frames);
		if (!x->frames)
			return rbl_nomem(L);
		void *fit = NULL;
		struct fy_node *fn;
		while ((fn = fy_node_sequence_iterate(fr, &fit))) {
			size_t len;
			const char *s = hj_yaml_scalar(fn, &len);
			const hj_frame *hit = NULL;
			for (int i = 0; s && i < ed->nframes; i++)
				if (strlen(ed->frames[i]->id) == len && !memcmp(ed->frames[i]->id, s, len))
					hit = ed->frames[i];
			if (!hit)
				return rbl_fail(L, fn, "after.retroactive.frames", "この版にない枠 '%.*s'", (int)(s ? len : 0),
						s ? s : "");
			x->frames[x->nframes++] = hit;
		}
		a->nretro++;
	}
	return HJ_OK;
}

static hj_status load_due(ld *L, hj_after_rules *a, struct fy_node *n)
{
	static const char *const keys[] = { "id", "text", "when", "check", "source", "note", NULL };
	static const char *const checks[] = { "base_year_actuals", NULL };
	int count = 0;
	hj_status st = list_of(L, n, "after.due_by_grant", "交付決定までの条件（id, text, when|check, source）", &count);
	if (st)
		return st;
	a->due = rbl_alloc(L, (size_t)(count ? count : 1) * sizeof *a->due);
	if (!a->due)
		return rbl_nomem(L);
	void *it = NULL;
	struct fy_node *d;
	while ((d = fy_node_sequence_iterate(n, &it))) {
		af_due *x = &a->due[a->ndue];
		memset(x, 0, sizeof *x);
		if ((st = rbl_check_keys(L, d, "after.due_by_grant", keys)) ||
		    (st = rbl_str(L, d, "id", "after.due_by_grant", 1, &x->id)) ||
		    (st = rbl_str(L, d, "text", "after.due_by_grant", 1, &x->text)) ||
		    (st = rbl_str(L, d, "check", "after.due_by_grant", 0, &x->check)) ||
		    (st = rbl_source(L, d, "after.due_by_grant", &x->source)) ||
		    (st = note_of(L, d, "after.due_by_grant", &x->note)))
			return st;
		for (int k = 0; k < a->ndue; k++)
			if (!strcmp(a->due[k].id, x->id))
				return rbl_fail(L, rbl_get(d, "id"), "after.due_by_grant.id", "'%s' が二度あります", x->id);
		int has_when = rbl_get(d, "when") != NULL;
		if (has_when == (x->check != NULL))
			return rbl_fail(L, d, "after.due_by_grant", "when（式）か check（名前のある確認）のどちらか一つが必要です");
		if (has_when && (st = rbl_compile(L, rbl_get(d, "when"), "after.due_by_grant.when", HJ_TY_BOOL, &x->when)))
			return st;
		if (x->check) {
			int ok = 0;
			for (int k = 0; checks[k]; k++)
				ok |= !strcmp(checks[k], x->check);
			if (!ok)
				return rbl_fail(L, rbl_get(d, "check"), "after.due_by_grant.check",
						"未知の確認 '%s'（使える名前: base_year_actuals）", x->check);
		}
		a->ndue++;
	}
	return HJ_OK;
}

static hj_status load_reports(ld *L, hj_after_rules *a, struct fy_node *n)
{
	static const char *const keys[] = { "count", "first_fiscal_year", "first_after_completion", "due", "extra",
					    "source", "note", NULL };
	static const char *const due_keys[] = { "months_after_year_end", "setting", "note", NULL };
	static const char *const extra_keys[] = { "count", "text", "source", NULL };
	hj_status st;
	if ((st = rbl_check_keys(L, n, "after.reports", keys)) ||
	    (st = rbl_source(L, n, "after.reports", &a->reports_source)) ||
	    (st = note_of(L, n, "after.reports", &a->reports_note)))
		return st;
	struct fy_node *c = rbl_get(n, "count");
	size_t len;
	const char *s = c ? hj_yaml_scalar(c, &len) : NULL;
	if (!c)
		return rbl_fail(L, n, "after.reports", "count（報告の回数、又は plan: 承認された計画の年数）がありません");
	if (s && len == 4 && !memcmp(s, "plan", 4))
		a->count_plan = 1;
	else if ((st = small_int(L, c, "after.reports.count", 1, 10, &a->report_count)))
		return st;
	struct fy_node *fy = rbl_get(n, "first_fiscal_year"), *fa = rbl_get(n, "first_after_completion");
	if (!fy == !fa)
		return rbl_fail(L, n, "after.reports",
				"first_fiscal_year（最初の報告の年度）か first_after_completion（完了年度の何年度後か）のどちらか一つが必要です");
	if (fy && (st = small_int(L, fy, "after.reports.first_fiscal_year", 1990, 2100, &a->first_fy)))
		return st;
	if (fa && (st = small_int(L, fa, "after.reports.first_after_completion", 0, 5, &a->first_after)))
		return st;
	struct fy_node *d = rbl_get(n, "due");
	if (!d)
		return rbl_fail(L, n, "after.reports",
				"due（年度末の何か月後が期限か。資料にないときは setting: true と note で事務局の設定）がありません");
	if ((st = rbl_check_keys(L, d, "after.reports.due", due_keys)) ||
	    (st = small_int(L, rbl_get(d, "months_after_year_end"), "after.reports.due.months_after_year_end", 0, 24,
			    &a->due_months)) ||
	    (st = note_of(L, d, "after.reports.due", &a->due_note)))
		return st;
	struct fy_node *set = rbl_get(d, "setting");
	if (set) {
		const char *v = hj_yaml_scalar(set, &len);
		if (!v || !((len == 4 && !memcmp(v, "true", 4)) || (len == 5 && !memcmp(v, "false", 5))))
			return rbl_fail(L, set, "after.reports.due.setting", "true か false が必要です");
		a->due_setting = len == 4;
	}
	if (a->due_setting && !a->due_note[0])
		return rbl_fail(L, d, "after.reports.due", "事務局の設定（setting: true）には資料にない旨の note が必要です");
	struct fy_node *e = rbl_get(n, "extra");
	if (e) {
		if ((st = rbl_check_keys(L, e, "after.reports.extra", extra_keys)) ||
		    (st = small_int(L, rbl_get(e, "count"), "after.reports.extra.count", 1, 5, &a->extra_count)) ||
		    (st = rbl_str(L, e, "text", "after.reports.extra", 1, &a->extra_text)) ||
		    (st = rbl_source(L, e, "after.reports.extra", &a->extra_source)))
			return st;
	}
	a->has_reports = 1;
	return HJ_OK;
}

static hj_status load_consequences(ld *L, hj_after_rules *a, struct fy_node *n)
{
	static const char *const none_keys[] = { "none_encoded", NULL };
	static const char *const note_keys[] = { "note", NULL };
	static const char *const keys[] = { "id", "text", "source", "note", NULL };
	hj_status st;
	if (fy_node_is_mapping(n)) {
		if ((st = rbl_check_keys(L, n, "after.consequences", none_keys)))
			return st;
		struct fy_node *ne = rbl_get(n, "none_encoded");
		if (!ne || (st = rbl_check_keys(L, ne, "after.consequences.none_encoded", note_keys)) ||
		    (st = rbl_str(L, ne, "note", "after.consequences.none_encoded", 1, &a->none_note)))
			return ne ? st : rbl_fail(L, n, "after.consequences", "none_encoded: {note: …} が必要です");
		a->none_encoded = 1;
		return HJ_OK;
	}
	int count = 0;
	if ((st = list_of(L, n, "after.consequences", "帰結（id, text, source）か none_encoded: {note}", &count)))
		return st;
	if (!count)
		return rbl_fail(L, n, "after.consequences", "空のリストではなく none_encoded: {note: …} と書いてください");
	a->cons = rbl_alloc(L, (size_t)count * sizeof *a->cons);
	if (!a->cons)
		return rbl_nomem(L);
	void *it = NULL;
	struct fy_node *c;
	while ((c = fy_node_sequence_iterate(n, &it))) {
		af_consequence *x = &a->cons[a->ncons];
		if ((st = rbl_check_keys(L, c, "after.consequences", keys)) ||
		    (st = rbl_str(L, c, "id", "after.consequences", 1, &x->id)) ||
		    (st = rbl_str(L, c, "text", "after.consequences", 1, &x->text)) ||
		    (st = rbl_source(L, c, "after.consequences", &x->source)) ||
		    (st = note_of(L, c, "after.consequences", &x->note)))
			return st;
		a->ncons++;
	}
	return HJ_OK;
}

/* A positive fraction at key 'key' of 'map' (required). */
static hj_status pos_frac(ld *L, struct fy_node *map, const char *key, const char *field, hj_frac *out)
{
	char f[96];
	snprintf(f, sizeof f, "%s.%s", field, key);
	struct fy_node *n = rbl_get(map, key);
	if (!n)
		return rbl_fail(L, map, field, "%s がありません", key);
	hj_status st = rbl_frac(L, n, f, out);
	if (st)
		return st;
	if (out->num <= 0)
		return rbl_fail(L, n, f, "正の値が必要です");
	return HJ_OK;
}

static hj_status load_outcome(ld *L, af_outcome *o, struct fy_node *n)
{
	static const char *const common[] = { "id", "text", "kind", "horizon_years", "source", "note" };
	/* the keys each kind takes besides the common ones */
	static const char *const extra[AF_NKINDS][4] = {
		[AF_SHARE_COMMERCIALISED] = { "at_least", "above", NULL },
		[AF_SHARE_BOTH_GROWTH] = { "at_least", "above", "value_added_annual", "wages_annual" },
		[AF_AGGREGATE_GROWTH] = { "metric", "annual", "total", NULL },
		[AF_SHARE_HIGHER_SALES] = { "at_least", "above", NULL },
		[AF_CUMULATIVE_SALES_VS_BUDGET] = { "at_least", "above", NULL },
		[AF_AGGREGATE_PRODUCTIVITY_GROWTH] = { "annual", "total", NULL },
	};
	const char *F = "after.outcomes";
	hj_status st;
	char *kind;
	memset(o, 0, sizeof *o);
	if ((st = rbl_str(L, n, "kind", F, 1, &kind)))
		return st;
	int k = -1;
	for (int i = 0; i < AF_NKINDS; i++)
		if (!strcmp(af_kind_names[i], kind))
			k = i;
	if (k < 0)
		return rbl_fail(L, rbl_get(n, "kind"), "after.outcomes.kind",
				"未知の式 '%s'（使える式: share_commercialised, share_both_growth, aggregate_growth, "
				"share_higher_sales, cumulative_sales_vs_budget, aggregate_productivity_growth）",
				kind);
	o->kind = (af_kind)k;
	const char *keys[12];
	int nk = 0;
	for (int i = 0; i < 6; i++)
		keys[nk++] = common[i];
	for (int i = 0; i < 4 && extra[k][i]; i++)
		keys[nk++] = extra[k][i];
	keys[nk] = NULL;
	if ((st = rbl_check_keys(L, n, F, keys)) || (st = rbl_str(L, n, "id", F, 1, &o->id)) ||
	    (st = rbl_str(L, n, "text", F, 1, &o->text)) || (st = rbl_source(L, n, F, &o->source)) ||
	    (st = note_of(L, n, F, &o->note)))
		return st;
	if (rbl_get(n, "horizon_years") &&
	    (st = small_int(L, rbl_get(n, "horizon_years"), "after.outcomes.horizon_years", 1, 10, &o->horizon)))
		return st;
	if (!o->horizon && !o->note[0])
		return rbl_fail(L, n, F, "horizon_years がないときは note（資料に年限がない旨）が必要です");
	switch (o->kind) {
	case AF_SHARE_COMMERCIALISED:
	case AF_SHARE_HIGHER_SALES:
	case AF_CUMULATIVE_SALES_VS_BUDGET:
	case AF_SHARE_BOTH_GROWTH: {
		struct fy_node *al = rbl_get(n, "at_least"), *ab = rbl_get(n, "above");
		if (!al == !ab)
			return rbl_fail(L, n, F, "at_least（以上）か above（超）のどちらか一つが必要です");
		o->strict = ab != NULL;
		if ((st = pos_frac(L, n, ab ? "above" : "at_least", F, &o->target)))
			return st;
		o->has_target = 1;
		if (o->kind != AF_CUMULATIVE_SALES_VS_BUDGET && hj_frac_cmp(o->target, hj_frac_int(1)) > 0)
			return rbl_fail(L, ab ? ab : al, F, "割合は 100%% 以下です");
		if (o->kind == AF_SHARE_BOTH_GROWTH &&
		    ((st = pos_frac(L, n, "value_added_annual", F, &o->va_growth)) ||
		     (st = pos_frac(L, n, "wages_annual", F, &o->wage_growth))))
			return st;
		break;
	}
	case AF_AGGREGATE_GROWTH:
	case AF_AGGREGATE_PRODUCTIVITY_GROWTH: {
		struct fy_node *an = rbl_get(n, "annual"), *tn = rbl_get(n, "total");
		if (!an == !tn)
			return rbl_fail(L, n, F, "annual（年率平均、複利）か total（期間全体）のどちらか一つが必要です");
		o->total = tn != NULL;
		if ((st = pos_frac(L, n, tn ? "total" : "annual", F, &o->growth)))
			return st;
		if (o->kind == AF_AGGREGATE_GROWTH) {
			if ((st = rbl_str(L, n, "metric", F, 1, &o->metric)))
				return st;
			if (strcmp(o->metric, "value_added") && strcmp(o->metric, "total_wages"))
				return rbl_fail(L, rbl_get(n, "metric"), "after.outcomes.metric",
						"未知の指標 '%s'（value_added か total_wages）", o->metric);
		}
		if (o->total && !o->horizon)
			return rbl_fail(L, n, F, "total（期間全体の伸び）には horizon_years が必要です");
		break;
	}
	default:
		break;
	}
	return HJ_OK;
}

static hj_status load_outcomes(ld *L, hj_after_rules *a, struct fy_node *n)
{
	int count = 0;
	hj_status st = list_of(L, n, "after.outcomes", "成果目標（id, text, kind, …, source）", &count);
	if (st)
		return st;
	a->outcomes = rbl_alloc(L, (size_t)(count ? count : 1) * sizeof *a->outcomes);
	if (!a->outcomes)
		return rbl_nomem(L);
	void *it = NULL;
	struct fy_node *o;
	while ((o = fy_node_sequence_iterate(n, &it))) {
		if ((st = load_outcome(L, &a->outcomes[a->noutcomes], o)))
			return st;
		for (int k = 0; k < a->noutcomes; k++)
			if (!strcmp(a->outcomes[k].id, a->outcomes[a->noutcomes].id))
				return rbl_fail(L, rbl_get(o, "id"), "after.outcomes.id", "'%s' が二度あります",
						a->outcomes[k].id);
		a->noutcomes++;
	}
	return HJ_OK;
}

/*
 * Load 'after:' of edition 'ed' (its frames are loaded) into ed->after.
 * Keys: project_period, retroactive, due_by_grant, reports, consequences
 * (required: a list, or none_encoded with a note), outcomes.
 */
hj_status rbl_load_after(ld *L, hj_edition *ed, struct fy_node *n)
{
	static const char *const keys[] = { "project_period", "retroactive", "due_by_grant", "reports",
					    "consequences", "outcomes", NULL };
	hj_status st = rbl_check_keys(L, n, "edition.after", keys);
	if (st)
		return st;
	hj_after_rules *a = rbl_alloc(L, sizeof *a);
	if (!a)
		return rbl_nomem(L);
	memset(a, 0, sizeof *a);
	struct fy_node *c;
	if ((c = rbl_get(n, "project_period")) && (st = load_period(L, a, c)))
		return st;
	if ((c = rbl_get(n, "retroactive")) && (st = load_retro(L, ed, a, c)))
		return st;
	if ((c = rbl_get(n, "due_by_grant")) && (st = load_due(L, a, c)))
		return st;
	if ((c = rbl_get(n, "reports")) && (st = load_reports(L, a, c)))
		return st;
	if (!(c = rbl_get(n, "consequences")))
		return rbl_fail(L, n, "edition.after",
				"consequences（要件未達の帰結。資料にないときは none_encoded: {note: …}）がありません");
	if ((st = load_consequences(L, a, c)))
		return st;
	if ((c = rbl_get(n, "outcomes")) && (st = load_outcomes(L, a, c)))
		return st;
	ed->after = a;
	return HJ_OK;
}
