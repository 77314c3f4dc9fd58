/*
 * report.c - explaining a result, and the JSON contract.
 *
 * hj_explain turns an hj_result back into sentences: the size class and
 * the table row it came from, each condition with the values it saw, the
 * rate rule that applied, the cap (band, special rule, bonuses), tiers,
 * the subsidy arithmetic, the lower limit and what is missing, each with
 * its source. hj_results_json, hj_plan_json and hj_expenses_json write
 * the stable JSON of docs/json.md.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "report-int.h"
#include "jsonout.h"
#include "hojo/alloc.h"
#include "hojo/plan.h"
#include "hojo/expenses.h"
#include "facts-int.h"

struct hj_reasons {
	hj_reason *v;
	int n, cap;
	char **strs;
	int nstrs, capstrs;
	int oom;
};

static const char *keep(hj_reasons *rs, const char *s)
{
	if (!s)
		return "";
	if (rs->nstrs == rs->capstrs) {
		int nc = rs->capstrs ? rs->capstrs * 2 : 32;
		char **ns = hj_realloc(rs->strs, (size_t)nc * sizeof *ns);
		if (!ns) {
			rs->oom = 1;
			return "";
		}
		rs->strs = ns;
		rs->capstrs = nc;
	}
	char *p = hj_strdup(s);
	if (!p) {
		rs->oom = 1;
		return "";
	}
	rs->strs[rs->nstrs++] = p;
	return p;
}

static void add(hj_reasons *rs, const char *kind, const char *id, hj_truth t, const char *text,
		const char *values, const char *source, const char *note)
{
	if (rs->n == rs->cap) {
		int nc = rs->cap ? rs->cap * 2 : 16;
		hj_reason *nv = hj_realloc(rs->v, (size_t)nc * sizeof *nv);
		if (!nv) {
			rs->oom = 1;
			return;
		}
		rs->v = nv;
		rs->cap = nc;
	}
	hj_reason *r = &rs->v[rs->n++];
	r->kind = kind;
	r->id = id ? id : "";
	r->result = t;
	r->text = keep(rs, text);
	r->values = keep(rs, values);
	r->source = keep(rs, source);
	r->note = keep(rs, note);
}

int hj_reasons_count(const hj_reasons *r) { return r->n; }
const hj_reason *hj_reasons_get(const hj_reasons *r, int i) { return &r->v[i]; }

void hj_reasons_free(hj_reasons *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->nstrs; i++)
		hj_free(r->strs[i]);
	hj_free(r->strs);
	hj_free(r->v);
	hj_free(r);
}

/* Collect the facts an expression reads, through definitions. */
static void collect_facts(const hj_rulebook *rb, const hj_expr *e, int *ids, int *n, int max, int depth)
{
	hj_expr_sym syms[32];
	int k = hj_expr_symbols(e, syms, 32);
	if (k > 32)
		k = 32;
	for (int i = 0; i < k; i++) {
		if (syms[i].kind == HJ_SYM_DEF) {
			if (depth < 8)
				collect_facts(rb, rb->defs[syms[i].id].expr, ids, n, max, depth + 1);
			continue;
		}
		/* a computed fact: show what it was computed from, then it */
		const hj_fact *ft = &rb->facts[syms[i].id];
		if (ft->how == HJ_FACT_COMPUTED) {
			int from[2] = { ft->comp->series, ft->comp->kind == HJ_COMP_SALES_DECLINE ? ft->comp->date : -1 };
			for (int x = 0; x < 2; x++) {
				int dup = from[x] < 0;
				for (int j = 0; j < *n; j++)
					dup |= ids[j] == from[x];
				if (!dup && *n < max)
					ids[(*n)++] = from[x];
			}
		}
		int dup = 0;
		for (int j = 0; j < *n; j++)
			dup |= ids[j] == syms[i].id;
		if (!dup && *n < max)
			ids[(*n)++] = syms[i].id;
	}
}

static void values_of(hj_facts *f, const hj_expr *e, char *buf, size_t size)
{
	int ids[32], n = 0;
	collect_facts(f->rb, e, ids, &n, 32, 0);
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && o + 8 < size; i++) {
		char v[160];
		hj_facts_value_text(f, ids[i], v, sizeof v);
		o += (size_t)snprintf(buf + o, size - o, "%s%s=%s", i ? ", " : "", f->rb->facts[ids[i]].name, v);
	}
}

static void fmt(char *buf, size_t size, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, size, f, ap);
	va_end(ap);
}

static void yen_s(hj_yen v, char *buf, size_t size)
{
	hj_yen_format_short(v, buf, size);
}

/* An exact amount of yen: "7,500,000円", or "6,666,666と2/3円" when it is
 * not whole. */
static void frac_yen(hj_frac v, char *buf, size_t size)
{
	hj_yen fl = hj_frac_floor(v);
	if (v.den == 1) {
		hj_yen_format_short(fl, buf, size);
		return;
	}
	hj_yen_format(fl, buf, size);
	size_t n = strlen(buf);
	if (n >= strlen("円"))
		buf[n - strlen("円")] = '\0';
	n = strlen(buf);
	snprintf(buf + n, size - n, "と%lld/%lld円", (long long)(v.num - fl * v.den), (long long)v.den);
}

/* A part's short name: its text up to the first "（" ("2年度目"). */
static void part_label(const hj_part *pt, char *buf, size_t size)
{
	const char *p = strstr(pt->text, "（");
	int n = p ? (int)(p - pt->text) : (int)strlen(pt->text);
	snprintf(buf, size, "%.*s", n, pt->text);
}

/* Append "本体 X + part Y … = total" at text[o]: the amounts that make up
 * the subsidy, after any total cap. */
static void sum_terms(const hj_frame *fr, const hj_result *res, char *text, size_t size, size_t o)
{
	char c[96], d[96];
	if (o >= size)
		return;
	yen_s(res->main_subsidy, c, sizeof c);
	o += (size_t)snprintf(text + o, size - o, "本体 %s", c);
	for (int i = 0; i < fr->nparts && i < res->nparts && o < size; i++) {
		if (res->part_state[i] == HJ_FALSE)
			continue;
		yen_s(res->part_subsidy[i], c, sizeof c);
		part_label(&fr->parts[i], d, sizeof d);
		o += (size_t)snprintf(text + o, size - o, " + %s %s", d, c);
	}
	yen_s(res->subsidy, c, sizeof c);
	if (o < size)
		snprintf(text + o, size - o, " = %s", c);
}

/*
 * The arithmetic that produced the amount, one line a step, so that a
 * reader can redo it by hand: each tier's span (expenses × rate), the
 * floor, the cap, each part (its base × rate, its cap, the previous
 * year's amount), and the total cap taken from the amounts in order.
 * Mirrors eval.c's computation; it only runs when the amount is known.
 */
static void amount_steps(hj_facts *f, const hj_result *res, hj_reasons *rs)
{
	const hj_frame *fr = res->frame;
	char text[1200], a[96], b[96], c[96], d[96], q[32];
	hj_frac rate = res->rate_known ? res->rate : res->rate_min;
	hj_frac e = hj_frac_int(res->expenses), cur = rate, s = hj_frac_int(0), prev = hj_frac_int(0);
	hj_frac left = e, part;
	int k = 0, nsteps = 0;
	const char *rsrc = fr->rates[res->rate_rule >= 0 ? res->rate_rule : 0].source;
	if (!res->rate_known) {
		hj_frac_format(res->rate_min, a, sizeof a);
		hj_frac_format(res->rate_max, b, sizeof b);
		fmt(text, sizeof text, "補助率は %s〜%s のどれか（要確認）: どの補助率でも補助額は同じなので、最も低い %s で計算する", a, b, a);
		add(rs, "step", "rate_range", HJ_TRUE, text, "", rsrc, "");
	}
	for (; k < fr->ntiers; k++) {
		hj_frac t = hj_frac_int(fr->tiers[k].above), span_sub, span_cost;
		if (hj_frac_sub(t, prev, &span_sub) || hj_frac_div(span_sub, cur, &span_cost))
			return;
		if (hj_frac_cmp(left, span_cost) <= 0)
			break;
		frac_yen(span_cost, a, sizeof a);
		hj_frac_format(cur, q, sizeof q);
		frac_yen(span_sub, b, sizeof b);
		yen_s(fr->tiers[k].above, c, sizeof c);
		if (k == 0)
			fmt(text, sizeof text, "補助額 %s までの部分: 経費 %s × %s = %s", c, a, q, b);
		else {
			yen_s(hj_frac_floor(prev), d, sizeof d);
			fmt(text, sizeof text, "補助額 %s〜%s の部分: 経費 %s × %s = %s", d, c, a, q, b);
		}
		add(rs, "step", "tier", HJ_TRUE, text, "", k ? fr->tiers[k - 1].source : rsrc, "");
		nsteps++;
		if (hj_frac_add(s, span_sub, &s) || hj_frac_sub(left, span_cost, &left))
			return;
		cur = fr->tiers[k].rate;
		prev = t;
	}
	if (hj_frac_mul(left, cur, &part))
		return;
	frac_yen(left, a, sizeof a);
	hj_frac_format(cur, q, sizeof q);
	frac_yen(part, b, sizeof b);
	if (nsteps) {
		yen_s(hj_frac_floor(prev), d, sizeof d);
		fmt(text, sizeof text, "補助額 %s を超える部分: 経費の残り %s × %s = %s", d, a, q, b);
		add(rs, "step", "tier", HJ_TRUE, text, "", fr->tiers[k - 1].source, "");
		hj_frac sum;
		if (hj_frac_add(s, part, &sum))
			return;
		frac_yen(s, a, sizeof a);
		frac_yen(sum, c, sizeof c);
		yen_s(res->uncapped, d, sizeof d);
		if (sum.den == 1)
			fmt(text, sizeof text, "合計 %s + %s = %s", a, b, d);
		else
			fmt(text, sizeof text, "合計 %s + %s = %s → 円未満切り捨て %s", a, b, c, d);
		add(rs, "step", "sum", HJ_TRUE, text, "", rsrc, "");
	} else {
		yen_s(res->uncapped, d, sizeof d);
		if (part.den == 1)
			fmt(text, sizeof text, "経費 %s × %s = %s", a, q, d);
		else
			fmt(text, sizeof text, "経費 %s × %s = %s → 円未満切り捨て %s", a, q, b, d);
		add(rs, "step", "rate", HJ_TRUE, text, "", rsrc, "");
	}

	/* the cap */
	hj_yen main = res->uncapped;
	yen_s(res->uncapped, a, sizeof a);
	if (res->cap_known) {
		main = res->uncapped < res->cap ? res->uncapped : res->cap;
		yen_s(res->cap, b, sizeof b);
		yen_s(main, c, sizeof c);
		fmt(text, sizeof text, "上限 %s: min(%s, %s) = %s", b, b, a, c);
	} else {
		yen_s(res->cap_base, b, sizeof b);
		fmt(text, sizeof text, "上限は要確認ですが最も低くても %s: %s はそれ以下", b, a);
	}
	add(rs, "step", "cap", HJ_TRUE, text, "", fr->cap.source, "");

	/* the parts */
	hj_expr_rt rt;
	hj_facts_runtime(f, &rt);
	hj_yen before = main, sum = main;
	for (int i = 0; i < fr->nparts && i < res->nparts; i++) {
		const hj_part *pt = &fr->parts[i];
		if (res->part_state[i] == HJ_FALSE) {
			before = 0;
			fmt(text, sizeof text, "%s: 適用なし → 0円", pt->text);
			add(rs, "step", pt->id, HJ_FALSE, text, "", pt->source, "");
			continue;
		}
		hj_factset m;
		hj_factset_clear(&m);
		hj_value bv = hj_expr_eval(pt->base, &rt, &m);
		if (!bv.known)
			return;
		hj_frac r = pt->has_rate ? pt->rate : rate, x;
		if (hj_frac_mul(hj_frac_int(hj_frac_floor(bv.u.q)), r, &x))
			return;
		yen_s(hj_frac_floor(bv.u.q), a, sizeof a);
		hj_frac_format(r, q, sizeof q);
		hj_yen raw = hj_frac_floor(x);
		if (x.den == 1)
			yen_s(raw, b, sizeof b);
		else {
			char exact[96], fl[96];
			frac_yen(x, exact, sizeof exact);
			yen_s(raw, fl, sizeof fl);
			fmt(b, sizeof b, "%s → 円未満切り捨て %s", exact, fl);
		}
		size_t o = (size_t)snprintf(text, sizeof text, "%s: 経費 %s × %s = %s", pt->text, a, q, b);
		if (pt->has_cap && o < sizeof text) {
			yen_s(pt->cap, c, sizeof c);
			o += (size_t)snprintf(text + o, sizeof text - o, "、上限 %s", c);
		}
		if (pt->cap_previous && o < sizeof text) {
			yen_s(before, c, sizeof c);
			o += (size_t)snprintf(text + o, sizeof text - o, "、前の年度の額 %s まで", c);
		}
		yen_s(res->part_full[i], d, sizeof d);
		if (o < sizeof text)
			snprintf(text + o, sizeof text - o, " → %s", d);
		add(rs, "step", pt->id, HJ_TRUE, text, "", pt->source, pt->note);
		before = res->part_full[i];
		sum += res->part_full[i];
	}

	/* the total cap, taken from the amounts in order */
	if (fr->has_total_cap) {
		yen_s(fr->total_cap, b, sizeof b);
		yen_s(sum, a, sizeof a);
		if (sum <= fr->total_cap) {
			fmt(text, sizeof text, "合計 %s は合計の上限 %s 以内", a, b);
		} else {
			size_t o = (size_t)snprintf(text, sizeof text, "合計 %s は合計の上限 %s を超えるので、順に当てる: ", a, b);
			sum_terms(fr, res, text, sizeof text, o);
		}
		add(rs, "step", "total_cap", HJ_TRUE, text, "", fr->total_cap_source, "");
	} else if (fr->nparts) {
		size_t o = (size_t)snprintf(text, sizeof text, "合計: ");
		sum_terms(fr, res, text, sizeof text, o);
		add(rs, "step", "sum", HJ_TRUE, text, "", fr->rates[0].source, "");
	}
}

static void classification(const hj_rulebook *rb, hj_facts *f, hj_reasons *rs, int cls)
{
	const hj_sizes *z = &rb->sizes;
	char values[600], text[600], note[600] = "";
	int ids[4] = { z->f_legal_form, z->f_industry, z->f_capital, z->f_employees };
	size_t o = 0;
	values[0] = '\0';
	for (int i = 0; i < 4; i++) {
		char v[160];
		hj_facts_value_text(f, ids[i], v, sizeof v);
		o += (size_t)snprintf(values + o, sizeof values - o, "%s%s=%s", i ? ", " : "", rb->facts[ids[i]].name,
				      v);
	}
	const hj_size_def *d = &z->defs[f->cur_size];
	const char *source = d->source;
	hj_value lf = f->vals[z->f_legal_form];
	if (f->cinfo.sme_row >= 0) {
		const hj_sme_row *r = &d->rows[f->cinfo.sme_row];
		char cap[64] = "";
		int64_t emax = r->employees_max;
		if (r->by_industry && f->cinfo.limit_row >= 0)
			emax = d->rows[f->cinfo.limit_row].employees_max;
		if (r->has_capital) {
			yen_s(r->capital_max, cap, sizeof cap);
			fmt(note, sizeof note, "%s 第%d行（%s）: 資本金%s以下 又は 従業員%lld人以下", d->label, r->no,
			    r->label, cap, (long long)emax);
		} else if (r->by_industry && f->cinfo.limit_row < 0) {
			fmt(note, sizeof note, "%s 第%d行（%s）: 主たる業種の従業員規模以下", d->label, r->no, r->label);
		} else {
			fmt(note, sizeof note, "%s 第%d行（%s）: 従業員%lld人以下", d->label, r->no, r->label,
			    (long long)emax);
		}
		source = r->source;
	} else if (lf.known && (d->open_forms >> lf.u.sym & 1)) {
		/* the definition's sources leave this legal form open */
		fmt(note, sizeof note, "%s: %s", d->label, d->open_note);
		source = d->open_source;
	}
	/* an alias that leaves the row open (飲食業): why, and what to supply */
	for (int i = 0; i < 2; i++) {
		const hj_alias *al = f->alias_of[i ? z->f_industry : z->f_legal_form];
		if (!al)
			continue;
		size_t nl = strlen(note);
		snprintf(note + nl, sizeof note - nl, "%s%s（%s）", nl ? "。" : "", al->note, al->source);
	}
	fmt(text, sizeof text, "企業規模の区分: %s", hj_size_class_name(rb, cls));
	add(rs, "classification", "size_class", cls >= 0 ? HJ_TRUE : HJ_UNKNOWN, text, values, source, note);
	hj_value sm = f->derived[HJ_DER_SMALL];
	if (f->cinfo.small_row >= 0) {
		const hj_small_row *r = &z->small[f->cinfo.small_row];
		fmt(text, sizeof text, "小規模事業者: %s（%s は従業員%lld人以下）",
		    !sm.known ? "要確認" : sm.u.b ? "該当" : "該当しない", r->label, (long long)r->employees_max);
		add(rs, "classification", "small", !sm.known ? HJ_UNKNOWN : sm.u.b ? HJ_TRUE : HJ_FALSE, text, "",
		    r->source, "");
	}
}

/* A plan requirement as a reason: what it asks, the values, the fix. */
static void add_requirement(hj_reasons *rs, const hj_req_result *q)
{
	char text[1200];
	if (q->fix[0])
		fmt(text, sizeof text, "計画: %s → %s", q->text, q->fix);
	else
		fmt(text, sizeof text, "計画: %s", q->text);
	add(rs, "requirement", q->id, q->result, text, q->detail, q->source, q->note);
}

hj_status hj_explain(const hj_rulebook *rb, hj_facts *f, const hj_result *res, hj_reasons **out)
{
	*out = NULL;
	hj_reasons *rs = hj_calloc(1, sizeof *rs);
	if (!rs)
		return HJ_ERR_NOMEM;
	const hj_frame *fr = res->frame;
	hj_expr_rt rt;
	hj_facts_runtime(f, &rt);
	hj_facts_use_size(f, fr->edition->size_def);
	hj_classify(f);
	char text[1200], values[1200], a[64], b[64], c[64];

	/* with a plan: its requirements are part of the verdict; the failed
	 * ones come first, the others after the conditions */
	hj_plan_result *pr = NULL;
	if (res->nreqs && f->plan && (pr = hj_malloc(sizeof *pr))) {
		hj_error e;
		if (hj_plan_check(rb, f, fr, pr, &e) != HJ_OK) {
			hj_free(pr);
			pr = NULL;
		}
	} else if (res->nreqs && f->plan)
		rs->oom = 1;
	for (int i = 0; pr && i < pr->nreqs; i++)
		if (pr->reqs[i].result == HJ_FALSE)
			add_requirement(rs, &pr->reqs[i]);

	if (rb->sizes.loaded)
		classification(rb, f, rs, res->size_class);

	for (int i = 0; i < fr->nconds; i++) {
		values_of(f, fr->conds[i].when, values, sizeof values);
		add(rs, "condition", fr->conds[i].id, (hj_truth)res->cond[i], fr->conds[i].text, values,
		    fr->conds[i].source, fr->conds[i].note);
	}
	for (int i = 0; pr && i < pr->nreqs; i++)
		if (pr->reqs[i].result != HJ_FALSE)
			add_requirement(rs, &pr->reqs[i]);
	hj_free(pr);

	/* rate */
	if (res->rate_known) {
		const hj_rate_rule *w = &fr->rates[res->rate_rule];
		hj_frac_format(res->rate, a, sizeof a);
		fmt(text, sizeof text, "補助率 %s（%s）", a, w->text);
		values[0] = '\0';
		if (w->when)
			values_of(f, w->when, values, sizeof values);
		add(rs, "rate", w->id, HJ_TRUE, text, values, w->source, w->note);
	} else {
		/* a range, and the facts that would fix it */
		char names[600] = "";
		size_t o = 0;
		for (int i = 0; i < res->nrate_facts && o < sizeof names; i++) {
			const hj_fact *ft = &rb->facts[res->rate_facts[i]];
			o += (size_t)snprintf(names + o, sizeof names - o, "%s%s（%s）", i ? "、" : "", ft->label, ft->input);
		}
		hj_frac_format(res->rate_min, a, sizeof a);
		hj_frac_format(res->rate_max, b, sizeof b);
		fmt(text, sizeof text, "補助率 %s〜%s: 要確認（%sが決まると決まります）%s", a, b,
		    names[0] ? names : "下の特例に当たるか",
		    res->subsidy_known ? "。どの補助率でも補助額は同じです" : "");
		add(rs, "rate", "rate", HJ_UNKNOWN, text, "", fr->rates[0].source, "");
	}
	for (int i = 1; i < fr->nrates; i++) {
		if (res->rate_known && i == res->rate_rule)
			continue;
		hj_frac_format(fr->rates[i].value, a, sizeof a);
		fmt(text, sizeof text, "%s: %s", fr->rates[i].text,
		    res->rate_cond[i] == HJ_TRUE ? "該当" : res->rate_cond[i] == HJ_FALSE ? "該当しない" : "要確認");
		values_of(f, fr->rates[i].when, values, sizeof values);
		add(rs, "rate_exception", fr->rates[i].id, (hj_truth)res->rate_cond[i], text, values,
		    fr->rates[i].source, fr->rates[i].note);
	}

	/* cap */
	const hj_cap *cp = &fr->cap;
	if (cp->has_flat) {
		yen_s(cp->flat, a, sizeof a);
		fmt(text, sizeof text, "補助上限額 %s", a);
		add(rs, "cap", "cap", HJ_TRUE, text, "", cp->source, cp->note);
	} else {
		values_of(f, cp->band_by, values, sizeof values);
		if (res->band >= 0) {
			const hj_band *bd = &cp->bands[res->band];
			char range[64];
			if (bd->has_upto && res->band == 0)
				fmt(range, sizeof range, "%s以下", "");
			if (res->band == 0)
				fmt(range, sizeof range, "%lld人以下", (long long)hj_frac_floor(bd->upto));
			else if (bd->has_upto)
				fmt(range, sizeof range, "%lld〜%lld人",
				    (long long)hj_frac_floor(cp->bands[res->band - 1].upto) + 1,
				    (long long)hj_frac_floor(bd->upto));
			else
				fmt(range, sizeof range, "%lld人以上",
				    (long long)hj_frac_floor(cp->bands[res->band - 1].upto) + 1);
			yen_s(bd->yen, a, sizeof a);
			if (bd->has_raised) {
				yen_s(bd->raised, b, sizeof b);
				fmt(text, sizeof text, "補助上限額 %s（%sの区分。%sなら %s）", res->cap_known ? (yen_s(res->cap_base, c, sizeof c), c) : "要確認",
				    range, cp->raised_text, b);
			} else
				fmt(text, sizeof text, "補助上限額 %s（%sの区分）", a, range);
			add(rs, "cap", "cap", res->cap_known ? HJ_TRUE : HJ_UNKNOWN, text, values, cp->source, cp->note);
		} else {
			add(rs, "cap", "cap", HJ_UNKNOWN, "補助上限額: 要確認（従業員数で決まります）", values, cp->source,
			    cp->note);
		}
		if (cp->raised_when) {
			values_of(f, cp->raised_when, values, sizeof values);
			int o = snprintf(text, sizeof text, "%s: %s", cp->raised_text,
					 res->raised == HJ_TRUE ? "適用" : res->raised == HJ_FALSE ? "適用なし" : "要確認");
			/* the obligations that come with the raised cap */
			for (int i = 0; i < cp->nraised_reqs && o > 0 && (size_t)o < sizeof text; i++)
				o += snprintf(text + o, sizeof text - (size_t)o, "%s%s", i ? "、" : "（加わる計画の要件: ",
					      fr->reqs[cp->raised_reqs[i]].text);
			if (cp->nraised_reqs && o > 0 && (size_t)o < sizeof text)
				snprintf(text + o, sizeof text - (size_t)o, "）");
			add(rs, "cap_raise", "raised", (hj_truth)res->raised, text, values, cp->raised_source, "");
		}
	}
	for (int i = 0; i < cp->nbonuses; i++) {
		yen_s(cp->bonuses[i].yen, a, sizeof a);
		fmt(text, sizeof text, "%s（+%s）: %s", cp->bonuses[i].text, a,
		    res->bonus[i] == HJ_TRUE ? "適用" : res->bonus[i] == HJ_FALSE ? "適用なし" : "要確認");
		values_of(f, cp->bonuses[i].when, values, sizeof values);
		add(rs, "cap_bonus", cp->bonuses[i].id, (hj_truth)res->bonus[i], text, values, cp->bonuses[i].source,
		    "");
	}
	for (int i = 0; i < fr->ntiers; i++)
		add(rs, "tier", "", HJ_TRUE, fr->tiers[i].text, "", fr->tiers[i].source, fr->tiers[i].note);

	/* the expense base, when a rule defines it */
	if (fr->base) {
		values_of(f, fr->base, values, sizeof values);
		if (res->expenses_known) {
			yen_s(res->expenses, a, sizeof a);
			fmt(text, sizeof text, "補助対象経費 %s（%s）", a, hj_expr_text(fr->base));
		} else
			fmt(text, sizeof text, "補助対象経費: 要確認（%s）", hj_expr_text(fr->base));
		add(rs, "base", "base", res->expenses_known ? HJ_TRUE : HJ_UNKNOWN, text, values, fr->base_source, "");
	}
	for (int i = 0; i < fr->nparts && i < res->nparts; i++) {
		const hj_part *pt = &fr->parts[i];
		hj_truth t = res->subsidy_known ? (hj_truth)res->part_state[i] : HJ_UNKNOWN;
		if (res->subsidy_known && t != HJ_FALSE) {
			yen_s(res->part_subsidy[i], a, sizeof a);
			fmt(text, sizeof text, "%s: %s", pt->text, a);
		} else
			fmt(text, sizeof text, "%s: %s", pt->text, t == HJ_FALSE ? "適用なし" : "要確認");
		values_of(f, pt->base, values, sizeof values);
		add(rs, "part", pt->id, t, text, values, pt->source, pt->note);
	}
	if (fr->has_total_cap) {
		yen_s(fr->total_cap, a, sizeof a);
		fmt(text, sizeof text, "補助額の合計は %s まで", a);
		add(rs, "total_cap", "total_cap", HJ_TRUE, text, "", fr->total_cap_source, "");
	}
	if (fr->slots) {
		fmt(text, sizeof text, "採択は %d者まで（件数の上限。hojo の判定・補助額には使っていません）", fr->slots);
		add(rs, "slots", "slots", HJ_TRUE, text, "", fr->slots_source, "");
	}

	/* the amount */
	if (res->subsidy_known) {
		char e[64], s[64];
		yen_s(res->expenses, e, sizeof e);
		yen_s(res->subsidy, s, sizeof s);
		amount_steps(f, res, rs);
		fmt(text, sizeof text, "補助額 %s", s);
		fmt(values, sizeof values, "%s=%s、subsidy=%s", fr->base ? "base" : "expenses", e, s);
		add(rs, "subsidy", "subsidy", HJ_TRUE, text, values, fr->rates[0].source, "");
	} else {
		add(rs, "subsidy", "subsidy", HJ_UNKNOWN, "補助額: 要確認（補助率・上限・経費のうち未確定のものがあります）", "",
		    "", "");
	}
	if (fr->has_lower) {
		yen_s(fr->lower, a, sizeof a);
		if (fr->lower_exclusive)
			strcat(a, "超");
		if (res->decided_by == HJ_BY_LOWER_LIMIT) {
			yen_s(res->shortfall, b, sizeof b);
			if (res->expenses_needed_known) {
				yen_s(res->expenses_needed, c, sizeof c);
				fmt(text, sizeof text, "補助額が下限 %s に %s 足りません（経費を %s 以上にすると届きます）", a, b,
				    c);
			} else
				fmt(text, sizeof text, "補助額が下限 %s に %s 足りません", a, b);
			add(rs, "lower_limit", "lower_limit", HJ_FALSE, text, "", fr->lower_source, fr->lower_note);
		} else if (res->subsidy_known) {
			fmt(text, sizeof text, fr->lower_exclusive ? "補助額は %s" : "補助額は下限 %s 以上", a);
			add(rs, "lower_limit", "lower_limit", HJ_TRUE, text, "", fr->lower_source, fr->lower_note);
		} else {
			fmt(text, sizeof text, "補助下限額 %s（補助額が決まると確認します）", a);
			add(rs, "lower_limit", "lower_limit", HJ_UNKNOWN, text, "", fr->lower_source, fr->lower_note);
		}
	}
	if (!fr->has_lower && res->decided_by == HJ_BY_LOWER_LIMIT)
		add(rs, "lower_limit", "zero", HJ_FALSE, "補助額が0円のため補助はありません", "", fr->rates[0].source, "");
	for (int i = 0; i < res->nmissing; i++) {
		const hj_fact *ft = &rb->facts[res->missing[i]];
		const hj_alias *al = f->alias_of[res->missing[i]];
		if (res->missing[i] == rb->f_expenses && hj_facts_nlines(f) > 0) {
			/* the expenses are the frame's accepted lines: not a field to
			 * fill in, but lines this frame's sources leave open */
			add(rs, "missing", ft->name, HJ_UNKNOWN,
			    "経費: expense_lines にこの枠で要確認の行があり、補助対象経費の合計が決まりません（hojo expenses "
			    "で行ごとの理由を確認）",
			    "", "", "");
			continue;
		}
		if (al) {
			/* given by a name the sources do not place (飲食業) */
			char v[300];
			hj_facts_value_text(f, res->missing[i], v, sizeof v);
			fmt(text, sizeof text, "%s（%s）が %s", ft->label, ft->input, v);
			add(rs, "missing", ft->name, HJ_UNKNOWN, text, "", al->source, al->note);
			continue;
		}
		fmt(text, sizeof text, "未入力: %s（%s）", ft->label, ft->input);
		add(rs, "missing", ft->name, HJ_UNKNOWN, text, "", "", "");
	}
	if (rs->oom) {
		hj_reasons_free(rs);
		return HJ_ERR_NOMEM;
	}
	*out = rs;
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static json_t *yen_or_null(int known, hj_yen v)
{
	return known ? json_integer((json_int_t)v) : json_null();
}

static json_t *truth_json(hj_truth t)
{
	return t == HJ_TRUE ? json_true() : t == HJ_FALSE ? json_false() : json_null();
}

/* A plan check: the verdict and each requirement with its result per
 * year after the base ('nyears' counts the base year). */
static json_t *plan_result_json(const hj_plan_result *r, int nyears)
{
	json_t *reqs = json_array();
	for (int i = 0; i < r->nreqs; i++) {
		const hj_req_result *q = &r->reqs[i];
		json_t *years = json_array();
		for (int k = 1; q->has_years && k < nyears; k++)
			json_array_append_new(years, truth_json(q->year_ok[k]));
		json_array_append_new(reqs, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:s}", "id", q->id, "text",
						      q->text, "metric", q->metric, "applies", truth_json(q->applies),
						      "result", truth_json(q->result), "years", years, "values",
						      q->detail, "fix", q->fix, "source", q->source));
	}
	return json_pack("{s:s,s:o}", "verdict", hj_verdict_name(r->verdict), "requirements", reqs);
}

/* An expense check: totals, categories, refused and undetermined lines,
 * rules, subsidy. */
static json_t *expense_result_json(hj_facts *f, const hj_expense_result *x)
{
	json_t *cats = json_array(), *refused = json_array(), *pending = json_array(), *rules = json_array();
	for (int c = 0; c < x->ncats; c++)
		if (x->cats[c].nlines)
			json_array_append_new(cats, json_pack("{s:s,s:s,s:I,s:i}", "category", x->cats[c].id, "name",
							      x->cats[c].name, "total_yen", (json_int_t)x->cats[c].total,
							      "lines", x->cats[c].nlines));
	for (int i = 0; i < x->nlines; i++) {
		const hj_expense_line *l = &f->elines[i];
		if (!x->lines[i].accepted)
			json_array_append_new(x->lines[i].undetermined ? pending : refused, json_pack("{s:i,s:s,s:s,s:I,s:s,s:s}", "line", l->line, "name",
								 l->name, "category", l->category, "amount_yen",
								 (json_int_t)l->amount, "reason", x->lines[i].reason,
								 "source", x->lines[i].source));
	}
	for (int r = 0; r < x->nrules; r++)
		json_array_append_new(rules, json_pack("{s:s,s:s,s:o,s:s}", "id", x->rules[r].id, "text",
						       x->rules[r].text, "result", truth_json(x->rules[r].ok), "source",
						       x->rules[r].source));
	return json_pack("{s:s,s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o}", "verdict", hj_verdict_name(x->verdict),
			 "eligible_total_yen", (json_int_t)x->eligible_total, "refused_total_yen",
			 (json_int_t)x->refused_total, "pending_total_yen", (json_int_t)x->pending_total, "subsidy_yen",
			 yen_or_null(x->verdict == HJ_ELIGIBLE, x->result.subsidy), "categories", cats, "refused",
			 refused, "pending", pending, "rules", rules);
}

/* The frame a plan or expense result is for. */
static void frame_keys(json_t *o, const hj_frame *fr)
{
	json_object_set_new(o, "program", json_string(fr->edition->program->id));
	json_object_set_new(o, "edition", json_string(fr->edition->id));
	json_object_set_new(o, "frame", json_string(fr->id));
	json_object_set_new(o, "frame_name", json_string(fr->name));
}

/* The document root shared by every JSON output. */
static json_t *doc_root(const hj_rulebook *rb)
{
	return json_pack("{s:s,s:s}", "hojo", HJ_VERSION, "rulebook_hash", rb->hash);
}

/* The frame's period and whether it is open on the date of the selection
 * (null without one); a warning when the date is outside the call its
 * edition's rules are for (edition key 'covers'). */
static void period_json(json_t *o, const hj_frame *fr, const hj_selection *sel)
{
	char d[16];
	hj_date x;
	json_object_set_new(o, "open_from", hj_frame_from(fr, &x) ? (hj_date_format(x, d, sizeof d), json_string(d))
								   : json_null());
	json_object_set_new(o, "open_to", hj_frame_to(fr, &x) ? (hj_date_format(x, d, sizeof d), json_string(d))
							       : json_null());
	json_object_set_new(o, "in_force", sel && sel->has_date ? json_boolean(hj_frame_in_force(fr, sel->date))
								: json_null());
	const char *t, *src, *note;
	if (sel && sel->has_date && hj_edition_uncovered(fr->edition, sel->date) &&
	    hj_edition_covers(fr->edition, &t, &src, &note))
		json_object_set_new(o, "rules_of_call", json_pack("{s:s,s:s,s:s}", "call", t, "source", src, "text",
								 "要確認: この日が当たる公募回の規則は規則集になく、この版の規則で判定しています"));
}

static json_t *result_json(const hj_rulebook *rb, hj_facts *f, const hj_result *r, const hj_selection *sel)
{
	const hj_frame *fr = r->frame;
	json_t *o = json_object();
	char q[32];
	json_object_set_new(o, "program", json_string(fr->edition->program->id));
	json_object_set_new(o, "program_name", json_string(fr->edition->program->shortname));
	json_object_set_new(o, "edition", json_string(fr->edition->id));
	json_object_set_new(o, "edition_name", json_string(fr->edition->name));
	json_object_set_new(o, "frame", json_string(fr->id));
	json_object_set_new(o, "frame_name", json_string(fr->name));
	period_json(o, fr, sel);
	json_object_set_new(o, "verdict", json_string(hj_verdict_name(r->verdict)));
	const char *cls = hj_size_class_id(rb, r->size_class);
	json_object_set_new(o, "classification", cls ? json_string(cls) : json_null());
	if (r->rate_known) {
		hj_frac_format(r->rate, q, sizeof q);
		json_object_set_new(o, "rate", json_string(q));
	} else
		json_object_set_new(o, "rate", json_null());
	hj_frac_format(r->rate_min, q, sizeof q);
	json_object_set_new(o, "rate_min", json_string(q));
	hj_frac_format(r->rate_max, q, sizeof q);
	json_object_set_new(o, "rate_max", json_string(q));
	json_t *rf = json_array();
	for (int i = 0; i < r->nrate_facts; i++)
		json_array_append_new(rf, json_string(rb->facts[r->rate_facts[i]].name));
	json_object_set_new(o, "rate_facts", rf);
	json_object_set_new(o, "cap_yen", yen_or_null(r->cap_known, r->cap));
	json_object_set_new(o, "lower_limit_yen", yen_or_null(r->has_lower, r->lower));
	json_object_set_new(o, "expenses_yen", yen_or_null(r->expenses_known, r->expenses));
	json_object_set_new(o, "subsidy_yen", yen_or_null(r->verdict == HJ_ELIGIBLE, r->subsidy));
	json_object_set_new(o, "computed_subsidy_yen", yen_or_null(r->subsidy_known, r->subsidy));
	json_object_set_new(o, "shortfall_yen", yen_or_null(r->decided_by == HJ_BY_LOWER_LIMIT, r->shortfall));
	json_object_set_new(o, "expenses_needed_yen",
			    yen_or_null(r->decided_by == HJ_BY_LOWER_LIMIT && r->expenses_needed_known,
					r->expenses_needed));
	if (fr->nparts) {
		json_t *parts = json_array();
		for (int i = 0; i < fr->nparts; i++) {
			json_t *p = json_object();
			json_object_set_new(p, "id", json_string(fr->parts[i].id));
			json_object_set_new(p, "text", json_string(fr->parts[i].text));
			json_object_set_new(p, "applies", r->subsidy_known ? truth_json((hj_truth)r->part_state[i]) : json_null());
			json_object_set_new(p, "subsidy_yen",
					    r->subsidy_known && r->part_state[i] != HJ_FALSE ? json_integer(r->part_subsidy[i])
											 : json_null());
			json_object_set_new(p, "before_total_cap_yen",
					    r->subsidy_known && r->part_state[i] != HJ_FALSE ? json_integer(r->part_full[i])
											 : json_null());
			json_array_append_new(parts, p);
		}
		json_object_set_new(o, "main_subsidy_yen", yen_or_null(r->subsidy_known, r->main_subsidy));
		json_object_set_new(o, "parts", parts);
	}
	if (fr->slots)
		json_object_set_new(o, "slots", json_integer(fr->slots));
	json_t *reasons = json_array();
	hj_reasons *rs = NULL;
	if (hj_explain(rb, f, r, &rs) == HJ_OK) {
		for (int i = 0; i < rs->n; i++) {
			const hj_reason *x = &rs->v[i];
			json_t *j = json_object();
			json_object_set_new(j, "kind", json_string(x->kind));
			json_object_set_new(j, "id", json_string(x->id));
			json_object_set_new(j, "result", truth_json(x->result));
			json_object_set_new(j, "text", json_string(x->text));
			json_object_set_new(j, "values", json_string(x->values));
			json_object_set_new(j, "source", json_string(x->source));
			if (x->note[0])
				json_object_set_new(j, "note", json_string(x->note));
			json_array_append_new(reasons, j);
		}
		hj_reasons_free(rs);
	}
	json_object_set_new(o, "reasons", reasons);
	json_t *miss = json_array();
	for (int i = 0; i < r->nmissing; i++) {
		const hj_fact *ft = &rb->facts[r->missing[i]];
		json_t *m = json_object();
		json_object_set_new(m, "fact", json_string(ft->name));
		json_object_set_new(m, "input", json_string(ft->input));
		json_object_set_new(m, "label", json_string(ft->label));
		json_array_append_new(miss, m);
	}
	json_object_set_new(o, "missing_facts", miss);
	if (f->plan) {
		hj_plan_result pr;
		hj_error e;
		if (hj_plan_check(rb, f, fr, &pr, &e) == HJ_OK && pr.nreqs)
			json_object_set_new(o, "plan", plan_result_json(&pr, hj_plan_years(f->plan)));
	}
	if (f->nelines) {
		hj_expense_result *x = hj_malloc(sizeof *x);
		hj_error e;
		if (x && hj_expense_check(rb, f, fr, x, &e) == HJ_OK)
			json_object_set_new(o, "expenses", expense_result_json(f, x));
		hj_free(x);
	}
	return o;
}

json_t *hj_results_tree(const hj_rulebook *rb, hj_facts *f, const hj_selection *sel, const hj_result *res, int n)
{
	json_t *root = json_object();
	char d[16];
	json_object_set_new(root, "hojo", json_string(HJ_VERSION));
	json_t *rbj = json_object();
	json_object_set_new(rbj, "name", json_string(rb->name));
	json_object_set_new(rbj, "version", json_string(rb->version));
	json_object_set_new(rbj, "hash", json_string(rb->hash));
	json_object_set_new(root, "rulebook", rbj);
	hj_date dt;
	if (sel && sel->has_date) {
		hj_date_format(sel->date, d, sizeof d);
		json_object_set_new(root, "as_of", json_string(d));
	} else if (hj_facts_date(f, &dt)) {
		hj_date_format(dt, d, sizeof d);
		json_object_set_new(root, "as_of", json_string(d));
	} else
		json_object_set_new(root, "as_of", json_null());
	json_t *app = json_object();
	json_object_set_new(app, "name", json_string(f->name));
	hj_facts_use_size(f, 0);
	hj_classify(f);
	hj_value cls = f->derived[HJ_DER_SIZE_CLASS];
	const char *cid = hj_size_class_id(rb, cls.known ? cls.u.sym : -1);
	json_object_set_new(app, "classification", cid ? json_string(cid) : json_null());
	json_object_set_new(root, "applicant", app);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, result_json(rb, f, &res[i], sel));
	json_object_set_new(root, "results", arr);
	return root;
}

char *hj_results_json(const hj_rulebook *rb, hj_facts *f, const hj_selection *sel, const hj_result *res,
		      int n, int pretty)
{
	return hj_json_string(hj_results_tree(rb, f, sel, res, n), pretty);
}

/* The plan table: per year the given and derived rows (null when not
 * known), 従業員数 as an exact fraction, 事業場内最低賃金; and warnings. */
static json_t *plan_table_json(const hj_plan *p)
{
	json_t *years = json_array();
	for (int k = 0; k < hj_plan_years(p); k++) {
		const hj_plan_year *y = hj_plan_year_at(p, k);
		json_t *o = json_object();
		char d[16], q[32];
		hj_date_format(y->year_end, d, sizeof d);
		json_object_set_new(o, "year", json_integer(k));
		json_object_set_new(o, "year_end", json_string(d));
		for (int it = 0; it < HJ_PL_NITEMS; it++)
			json_object_set_new(o, hj_plan_item_key((hj_plan_item)it),
					    yen_or_null(y->known >> it & 1, y->v[it]));
		hj_frac_format(y->employees, q, sizeof q);
		json_object_set_new(o, "employees", y->has_employees ? json_string(q) : json_null());
		json_object_set_new(o, "min_wage", yen_or_null(y->has_min_wage, y->min_wage));
		json_object_set_new(o, "regional_min_wage", yen_or_null(y->has_regional, y->regional));
		json_array_append_new(years, o);
	}
	json_t *w = json_array();
	for (int i = 0; i < hj_plan_nwarnings(p); i++)
		json_array_append_new(w, json_string(hj_plan_warning(p, i)));
	return json_pack("{s:o,s:o}", "years", years, "warnings", w);
}

char *hj_plan_json(const hj_rulebook *rb, hj_facts *f, const hj_plan_result *res, int n, int pretty)
{
	json_t *root = doc_root(rb), *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_object();
		frame_keys(o, res[i].frame);
		json_object_update_new(o, plan_result_json(&res[i], f->plan ? hj_plan_years(f->plan) : 0));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "plan", f->plan ? plan_table_json(f->plan) : json_null());
	json_object_set_new(root, "results", arr);
	return hj_json_string(root, pretty);
}

char *hj_expenses_json(const hj_rulebook *rb, hj_facts *f, const hj_expense_result *res, int n, int pretty)
{
	json_t *root = doc_root(rb), *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_object();
		frame_keys(o, res[i].frame);
		json_object_update_new(o, expense_result_json(f, &res[i]));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "results", arr);
	return hj_json_string(root, pretty);
}

/* See report-int.h. */
void hj_report_values(hj_facts *f, const hj_expr *e, char *buf, size_t size)
{
	values_of(f, e, buf, size);
}
