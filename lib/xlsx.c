/*
 * xlsx.c - the business plan as an Excel workbook (hj_plan_write_xlsx,
 * 'hojo plan FILE --xlsx OUT'), written with libxlsxwriter.
 *
 * Sheet 「事業計画」 has the plan table in the layout of seed 004:154-207
 * (①売上高 ... ⑦給与支給総額, a column per year with its 決算期), the detail
 * items of seed 004:211-263 below it, and the requirement lines of the
 * first frame with growth or minimum-wage requirements, with a row of
 * marks per requirement (○/未達/要確認; 線の下 for an earlier year below a
 * growth line, judged on the final year) and a line chart per metric. Inputs are plain numbers; every
 * derived cell (営業利益, 経常利益, 付加価値額, growth rates, 労働生産性, the
 * requirement paths) is a live formula over them, so editing an input in a
 * spreadsheet recalculates the table. Each formula carries hojo's own value
 * as its cached result, so a reader that does not recalculate still shows
 * the numbers hojo judged.
 *
 * Sheet 「要件の判定」 lists each frame's requirements with the result, the
 * values seen, the smallest change that passes and the source; frames
 * with the same results share one block. Both sheets are for the client:
 * frame names, not ids; fact labels, not fact names or input paths.
 *
 * libxlsxwriter prints to stderr when it cannot create the file, so the
 * path is opened here first and a failure is reported as HJ_ERR_IO without
 * calling it.
 */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <xlsxwriter.h>
#include "hojo/plan.h"
#include "facts-int.h"
#include "rulebook-int.h"

#define SHEET_PLAN "事業計画"
#define SHEET_REQS "要件の判定"

/* The first column of years (column A holds the labels). */
#define C0 1

typedef struct xw {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_error lerr; /* the first libxlsxwriter error */
	int n;          /* years, the base year included */
	lxw_format *title, *note, *head, *label, *section, *yen, *yen_calc, *pct, *num, *mark, *text,
		*wrap, *wrap_head, *bold;
} xw;

/* Rows of the plan sheet. */
typedef struct rows {
	int head, ye, sales, op, ord, labor, dep, va, va_g, va_avg, capex, wages, wg_g, wg_avg;
	int cost, other, nonop, emp, prod, mw;
} rows;

static void chk(xw *x, lxw_error e)
{
	if (e && !x->lerr)
		x->lerr = e;
}

/* "B5" (at most 7 years, so one column letter) */
static void cell(char *buf, size_t size, int row, int col)
{
	snprintf(buf, size, "%c%d", 'A' + col, row + 1);
}

static void str(xw *x, int row, int col, const char *s, lxw_format *fmt)
{
	chk(x, worksheet_write_string(x->ws, (lxw_row_t)row, (lxw_col_t)col, s, fmt));
}

static void num(xw *x, int row, int col, double v, lxw_format *fmt)
{
	chk(x, worksheet_write_number(x->ws, (lxw_row_t)row, (lxw_col_t)col, v, fmt));
}

static void blank(xw *x, int row, int col, lxw_format *fmt)
{
	chk(x, worksheet_write_blank(x->ws, (lxw_row_t)row, (lxw_col_t)col, fmt));
}

static void formula(xw *x, int row, int col, double cached, lxw_format *fmt, const char *f, ...)
	__attribute__((format(printf, 6, 7)));
static void formula(xw *x, int row, int col, double cached, lxw_format *fmt, const char *f, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, sizeof buf, f, ap);
	va_end(ap);
	chk(x, worksheet_write_formula_num(x->ws, (lxw_row_t)row, (lxw_col_t)col, buf, fmt, cached));
}

/*
 * What a client reads carries no internal names: a fact name or input
 * path in a text from the rules (an expression, "applicant.prefecture")
 * becomes the fact's Japanese label, and an input path that only repeats
 * the words before it in parentheses is dropped.
 */
static void client_text(const hj_rulebook *rb, const char *in, char *out, size_t size)
{
	size_t o = 0;
	static const char lp[] = "（", rp[] = "）";
	if (!size)
		return;
	for (const char *s = in; *s && o + 1 < size;) {
		if (*s >= 'a' && *s <= 'z' && (s == in || !((s[-1] >= 'a' && s[-1] <= 'z') || s[-1] == '_'))) {
			size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.");
			while (n && s[n - 1] == '.')
				n--;
			char tok[128];
			const char *label = NULL;
			int is_input = 0;
			if (n < sizeof tok) {
				memcpy(tok, s, n);
				tok[n] = '\0';
				for (int i = 0; i < rb->nfacts && !label; i++) {
					if (!strcmp(rb->facts[i].name, tok))
						label = rb->facts[i].label;
					else if (rb->facts[i].input && !strcmp(rb->facts[i].input, tok)) {
						label = rb->facts[i].label;
						is_input = 1;
					}
				}
			}
			if (label) {
				/* "（applicant.prefecture）" right after its own label: drop it */
				if (is_input && o >= strlen(lp) && !strcmp(out + o - strlen(lp), lp) &&
				    !strncmp(s + n, rp, strlen(rp))) {
					o -= strlen(lp);
					out[o] = '\0';
					s += n + strlen(rp);
					continue;
				}
				o += (size_t)snprintf(out + o, size - o, "%s", label);
				if (o >= size)
					o = size - 1;
				s += n;
				continue;
			}
			size_t k = n ? n : 1;
			if (o + k >= size)
				k = size - 1 - o;
			memcpy(out + o, s, k);
			o += k;
			s += n ? n : 1;
			out[o] = '\0';
			continue;
		}
		out[o++] = *s++;
		out[o] = '\0';
	}
	out[o] = '\0';
}

/* A requirement's result as a client reads it: a failure is 未達. */
static const char *verdict_mark(hj_truth t)
{
	return t == HJ_TRUE ? "○" : t == HJ_FALSE ? "未達" : "要確認";
}

/*
 * The mark of year k (1..last) of a requirement. A growth requirement is
 * judged on the final year only (docs/plan.md): an earlier year below the
 * line is marked 線の下, not 未達. A minimum-wage requirement is judged
 * every year.
 */
static const char *year_mark(const hj_req_result *q, int growth, int k, int last)
{
	if (!q->has_years)
		return growth && k < last ? "" : "要確認";
	hj_truth t = (hj_truth)q->year_ok[k];
	if (growth && k < last)
		return t == HJ_FALSE ? "線の下" : "";
	return verdict_mark(t);
}

/* A growth rate g as a formula literal: "3%", "1.5%", else "(1/3)". */
static void rate_literal(hj_frac g, char *buf, size_t size)
{
	/* percent with up to 4 decimals when exact */
	__int128 scaled = (__int128)g.num * 100 * 10000;
	if (scaled % g.den == 0) {
		long long v = (long long)(scaled / g.den);
		long long ip = v / 10000, fp = (v < 0 ? -v : v) % 10000;
		if (!fp) {
			snprintf(buf, size, "%lld%%", ip);
			return;
		}
		char f[8];
		snprintf(f, sizeof f, "%04lld", fp);
		for (int i = 3; i > 0 && f[i] == '0'; i--)
			f[i] = '\0';
		snprintf(buf, size, "%s%lld.%s%%", v < 0 && ip == 0 ? "-" : "", ip, f);
		return;
	}
	snprintf(buf, size, "(%lld/%lld)", (long long)g.num, (long long)g.den);
}

static int known(const hj_plan_year *y, hj_plan_item it)
{
	return (int)(y->known >> it & 1);
}

static int given(const hj_plan_year *y, hj_plan_item it)
{
	return (int)(y->given >> it & 1);
}

static double frac_double(hj_frac q)
{
	return (double)q.num / (double)q.den;
}

/* An input row: the given values as numbers. */
static void input_row(xw *x, const hj_plan *p, int row, const char *label, hj_plan_item it)
{
	str(x, row, 0, label, x->label);
	for (int k = 0; k < x->n; k++) {
		const hj_plan_year *y = hj_plan_year_at(p, k);
		if (given(y, it))
			num(x, row, C0 + k, (double)y->v[it], x->yen);
		else
			blank(x, row, C0 + k, x->yen);
	}
}

/* Year-over-year growth and the average annual growth from the base year,
 * compounded (年平均成長率: (V_k / V_0)^(1/k) - 1), as the rulebook's growth
 * requirements measure it (docs/plan.md). */
static void growth_rows(xw *x, const hj_plan *p, hj_plan_item it, int vrow, int grow, int arow)
{
	char a[16], b[16];
	str(x, grow, 0, "伸び率（％）", x->label);
	str(x, arow, 0, "基準年度比の年平均成長率", x->label);
	blank(x, grow, C0, x->pct);
	blank(x, arow, C0, x->pct);
	const hj_plan_year *y0 = hj_plan_year_at(p, 0);
	for (int k = 1; k < x->n; k++) {
		const hj_plan_year *y = hj_plan_year_at(p, k), *yp = hj_plan_year_at(p, k - 1);
		cell(a, sizeof a, vrow, C0 + k);
		if (known(y, it) && known(yp, it) && yp->v[it] > 0) {
			cell(b, sizeof b, vrow, C0 + k - 1);
			formula(x, grow, C0 + k, (double)(y->v[it] - yp->v[it]) / (double)yp->v[it], x->pct, "=%s/%s-1", a,
				b);
		} else
			blank(x, grow, C0 + k, x->pct);
		if (known(y, it) && known(y0, it) && y0->v[it] > 0) {
			snprintf(b, sizeof b, "$%c%d", 'A' + C0, vrow + 1); /* the base column stays when copied */
			double ratio = (double)y->v[it] / (double)y0->v[it];
			formula(x, arow, C0 + k, ratio > 0 ? pow(ratio, 1.0 / k) - 1 : 0, x->pct, "=IF(%s/%s>0,(%s/%s)^(1/%d)-1,\"\")",
				a, b, a, b, k);
		} else
			blank(x, arow, C0 + k, x->pct);
	}
}

/* The row holding a requirement metric's values, -1 if none. */
static int metric_row(const rows *r, const char *m)
{
	if (!strcmp(m, "value_added"))
		return r->va;
	if (!strcmp(m, "ordinary_profit"))
		return r->ord;
	if (!strcmp(m, "total_wages"))
		return r->wages;
	if (!strcmp(m, "labor_productivity") || !strcmp(m, "value_added_per_employee"))
		return r->prod;
	return -1;
}

/* The metric's value in year k as a double: 1 when known (as plan.c). */
static int metric_value(const hj_plan *p, const char *m, int k, double *out)
{
	const hj_plan_year *y = hj_plan_year_at(p, k);
	int per_employee = !strcmp(m, "labor_productivity") || !strcmp(m, "value_added_per_employee");
	hj_plan_item it;
	if (!strcmp(m, "value_added") || per_employee)
		it = HJ_PL_VALUE_ADDED;
	else if (!strcmp(m, "ordinary_profit"))
		it = HJ_PL_ORDINARY;
	else if (!strcmp(m, "total_wages"))
		it = HJ_PL_WAGES;
	else
		return 0;
	if (!known(y, it))
		return 0;
	if (!per_employee) {
		*out = (double)y->v[it];
		return 1;
	}
	if (!y->has_employees || y->employees.num <= 0)
		return 0;
	*out = (double)y->v[it] / frac_double(y->employees);
	return 1;
}

/* The frame's requirement behind result i (plan.c fills them in order). */
static const hj_requirement *req_of(const hj_plan_result *res, int i)
{
	const hj_frame *fr = res->frame;
	if (i < fr->nreqs && fr->reqs[i].id == res->reqs[i].id)
		return &fr->reqs[i];
	for (int j = 0; j < fr->nreqs; j++)
		if (!strcmp(fr->reqs[j].id, res->reqs[i].id))
			return &fr->reqs[j];
	return NULL;
}

static int is_growth(const hj_requirement *q)
{
	return q && q->metric && q->has_growth;
}

static int is_min_wage(const hj_requirement *q)
{
	return q && q->metric && !strcmp(q->metric, "min_wage") && q->has_above_min_wage;
}

/* The applicant's prefecture (enum index), -1 if unknown. */
static int prefecture(const hj_rulebook *rb, const hj_facts *f, char *name, size_t size)
{
	int pf = hj_rb_fact_find(rb, "prefecture");
	name[0] = '\0';
	if (pf < 0 || !f->vals[pf].known)
		return -1;
	hj_facts_value_text(f, pf, name, size);
	return f->vals[pf].u.sym;
}

/* ------------------------------------------------------------------ */
/* Sheet 事業計画                                                        */

static void plan_table(xw *x, const hj_facts *f, const hj_plan *p, rows *r)
{
	char a[16], b[16], c[16], d[16], e[16], buf[400];
	int n = x->n, row = 0, ncol = C0 + n; /* the 算式 column */
	const char *name = hj_facts_name(f);
	snprintf(buf, sizeof buf, "会社全体の事業計画（単位：円）%s%s", name[0] ? "　" : "", name);
	str(x, row++, 0, buf, x->title);
	str(x, row++, 0,
	    "hojo が書き出した表です。網掛けの行は Excel の数式で、入力（白い行）を変えると再計算されます。",
	    x->note);
	row++;
	r->head = row++;
	r->ye = row++;
	str(x, r->head, 0, "項目", x->head);
	str(x, r->ye, 0, "決算期", x->head);
	str(x, r->head, ncol, "算式（seed 004）", x->head);
	blank(x, r->ye, ncol, x->head);
	for (int k = 0; k < n; k++) {
		const hj_plan_year *y = hj_plan_year_at(p, k);
		int yy, mm, dd;
		hj_plan_year_label(k, buf, sizeof buf);
		str(x, r->head, C0 + k, buf, x->head);
		hj_date_to_ymd(y->year_end, &yy, &mm, &dd);
		snprintf(buf, sizeof buf, "[%d年%d月期]", yy, mm);
		str(x, r->ye, C0 + k, buf, x->head);
	}

	/* the seed's rows; the detail items follow, so number them first */
	r->sales = row++;
	r->op = row++;
	r->ord = row++;
	r->labor = row++;
	r->dep = row++;
	r->va = row++;
	r->va_g = row++;
	r->va_avg = row++;
	r->capex = row++;
	r->wages = row++;
	r->wg_g = row++;
	r->wg_avg = row++;
	row++;
	int detail = row++;
	r->cost = row++;
	r->other = row++;
	r->nonop = row++;
	r->emp = row++;
	r->prod = row++;
	r->mw = row++;

	input_row(x, p, r->sales, "①売上高", HJ_PL_SALES);
	input_row(x, p, r->labor, "④人件費", HJ_PL_LABOR);
	input_row(x, p, r->dep, "⑤減価償却費", HJ_PL_DEPRECIATION);
	input_row(x, p, r->capex, "⑥設備投資額", HJ_PL_CAPEX);
	input_row(x, p, r->wages, "⑦給与支給総額", HJ_PL_WAGES);
	str(x, detail, 0, "内訳（事業計画の項目）", x->section);
	input_row(x, p, r->cost, "売上原価", HJ_PL_COST);
	input_row(x, p, r->other, "その他経費", HJ_PL_OTHER);
	input_row(x, p, r->nonop, "営業外収支", HJ_PL_NONOP);

	str(x, r->op, 0, "②営業利益", x->label);
	str(x, r->ord, 0, "③経常利益", x->label);
	str(x, r->va, 0, "付加価値額(②+④+⑤)", x->label);
	str(x, r->emp, 0, "従業員数（人）", x->label);
	str(x, r->prod, 0, "労働生産性（付加価値額÷従業員数）", x->label);
	str(x, r->mw, 0, "事業場内最低賃金（円/時）", x->label);
	uint32_t parts = (1u << HJ_PL_SALES) | (1u << HJ_PL_COST) | (1u << HJ_PL_LABOR) | (1u << HJ_PL_DEPRECIATION) |
			 (1u << HJ_PL_OTHER);
	for (int k = 0; k < n; k++) {
		const hj_plan_year *y = hj_plan_year_at(p, k);
		int col = C0 + k;
		/* 営業利益 = 売上高 - (売上原価 + 人件費 + 減価償却費 + その他経費) */
		if ((y->given & parts) == parts) {
			cell(a, sizeof a, r->sales, col);
			cell(b, sizeof b, r->cost, col);
			cell(c, sizeof c, r->labor, col);
			cell(d, sizeof d, r->dep, col);
			cell(e, sizeof e, r->other, col);
			formula(x, r->op, col, (double)y->v[HJ_PL_OPERATING], x->yen_calc, "=%s-(%s+%s+%s+%s)", a, b, c,
				d, e);
		} else if (known(y, HJ_PL_OPERATING))
			num(x, r->op, col, (double)y->v[HJ_PL_OPERATING], x->yen);
		else
			blank(x, r->op, col, x->yen);
		/* 経常利益 = 営業利益 + 営業外収支 */
		if (known(y, HJ_PL_OPERATING) && given(y, HJ_PL_NONOP)) {
			cell(a, sizeof a, r->op, col);
			cell(b, sizeof b, r->nonop, col);
			formula(x, r->ord, col, (double)y->v[HJ_PL_ORDINARY], x->yen_calc, "=%s+%s", a, b);
		} else if (known(y, HJ_PL_ORDINARY))
			num(x, r->ord, col, (double)y->v[HJ_PL_ORDINARY], x->yen);
		else
			blank(x, r->ord, col, x->yen);
		/* 付加価値額 = 営業利益 + 人件費 + 減価償却費 */
		if (known(y, HJ_PL_VALUE_ADDED)) {
			cell(a, sizeof a, r->op, col);
			cell(b, sizeof b, r->labor, col);
			cell(c, sizeof c, r->dep, col);
			formula(x, r->va, col, (double)y->v[HJ_PL_VALUE_ADDED], x->yen_calc, "=%s+%s+%s", a, b, c);
		} else
			blank(x, r->va, col, x->yen_calc);
		if (y->has_employees)
			num(x, r->emp, col, frac_double(y->employees), y->employees.den == 1 ? x->yen : x->num);
		else
			blank(x, r->emp, col, x->num);
		if (known(y, HJ_PL_VALUE_ADDED) && y->has_employees && y->employees.num > 0) {
			cell(a, sizeof a, r->va, col);
			cell(b, sizeof b, r->emp, col);
			formula(x, r->prod, col, (double)y->v[HJ_PL_VALUE_ADDED] / frac_double(y->employees),
				x->yen_calc, "=%s/%s", a, b);
		} else
			blank(x, r->prod, col, x->yen_calc);
		if (y->has_min_wage)
			num(x, r->mw, col, (double)y->min_wage, x->yen);
		else
			blank(x, r->mw, col, x->yen);
	}
	growth_rows(x, p, HJ_PL_VALUE_ADDED, r->va, r->va_g, r->va_avg);
	growth_rows(x, p, HJ_PL_WAGES, r->wages, r->wg_g, r->wg_avg);

	str(x, r->op, ncol, "売上高−（売上原価＋人件費＋減価償却費＋その他経費）", x->note);
	str(x, r->ord, ncol, "営業利益＋営業外収支", x->note);
	str(x, r->va, ncol, "営業利益＋人件費＋減価償却費", x->note);
	str(x, r->va_g, ncol, "前年度比", x->note);
	str(x, r->wg_g, ncol, "前年度比", x->note);
	str(x, r->va_avg, ncol, "（当年度÷基準年度−1）÷年数", x->note);
	str(x, r->wg_avg, ncol, "（当年度÷基準年度−1）÷年数", x->note);
	str(x, r->prod, ncol, "付加価値額÷従業員数", x->note);
	str(x, r->wages, ncol, "全従業員給与＋賞与＋役員報酬", x->note);
}

typedef struct line {
	int row;       /* the requirement path */
	int value_row; /* the metric's row */
} line;

/* The requirement lines of one frame; returns the next free row. Lines
 * for the chart go to 'out' (at most 'max'). */
static int req_lines(xw *x, const hj_rulebook *rb, const hj_facts *f, const hj_plan *p, const hj_plan_result *res,
		     const rows *r, int row, line *out, int max, int *nout)
{
	char a[16], b[16], buf[512], lit[48];
	const hj_frame *fr = res->frame;
	snprintf(buf, sizeof buf, "要件の線（%s %s %s）", hj_program_short(hj_edition_program(hj_frame_edition(fr))),
		 hj_edition_short(hj_frame_edition(fr)), hj_frame_name(fr));
	str(x, row++, 0, buf, x->section);
	int mw_row = -1;
	char pref[64];
	int pf = prefecture(rb, f, pref, sizeof pref);
	for (int i = 0; i < res->nreqs; i++) {
		const hj_req_result *q = &res->reqs[i];
		const hj_requirement *rq = req_of(res, i);
		if (q->applies == HJ_FALSE || (!is_growth(rq) && !is_min_wage(rq)))
			continue;
		if (is_growth(rq)) {
			int vr = metric_row(r, rq->metric);
			if (vr < 0)
				continue;
			rate_literal(rq->growth, lit, sizeof lit);
			if (rq->growth_compound)
				snprintf(buf, sizeof buf, "%sの要件（基準×(1＋%s)^年数）", hj_plan_metric_name(rq->metric), lit);
			else
				snprintf(buf, sizeof buf, "%sの要件（基準×(1＋%s×年数)）", hj_plan_metric_name(rq->metric), lit);
			str(x, row, 0, buf, x->label);
			double v0;
			int has0 = metric_value(p, rq->metric, 0, &v0);
			snprintf(a, sizeof a, "$%c$%d", 'A' + C0, vr + 1);
			for (int k = 0; k < x->n; k++) { /* from the base, so the chart's line starts there */
				if (!has0) {
					blank(x, row, C0 + k, x->yen_calc);
					continue;
				}
				double g = (double)rq->growth.num / (double)rq->growth.den;
				if (rq->growth_compound)
					formula(x, row, C0 + k, v0 * pow(1 + g, k), x->yen_calc, "=%s*(1+%s)^%d", a, lit, k);
				else
					formula(x, row, C0 + k, v0 * (1 + g * k), x->yen_calc, "=%s*(1+%s*%d)", a, lit, k);
			}
			str(x, row, C0 + x->n, q->text, x->note);
			if (*nout < max)
				out[(*nout)++] = (line){ row, vr };
			row++;
		} else {
			if (mw_row < 0) {
				mw_row = row++;
				snprintf(buf, sizeof buf, "地域別最低賃金（%s、各期末）", pf >= 0 ? pref : "都道府県不明");
				str(x, mw_row, 0, buf, x->label);
				blank(x, mw_row, C0, x->yen);
				for (int k = 1; k < x->n; k++) {
					const hj_plan_year *y = hj_plan_year_at(p, k);
					int64_t reg = 0, latest = 0;
					int fy = 0;
					if (pf >= 0 && hj_min_wage(rb, pf, y->year_end, &reg, &fy, &latest))
						num(x, mw_row, C0 + k, (double)reg, x->yen);
					else if (pf >= 0 && y->has_regional) /* not published: as the applicant states it */
						num(x, mw_row, C0 + k, (double)y->regional, x->yen);
					else
						str(x, mw_row, C0 + k, pf >= 0 ? "未公表" : "要確認", x->mark);
				}
				str(x, mw_row, C0 + x->n, "各期末に効力のある地域別最低賃金（facts §3。未公表の年は申請者の入力）", x->note);
			}
			snprintf(buf, sizeof buf, "事業場内最低賃金の要件（地域別＋%lld円）", (long long)rq->above_min_wage);
			str(x, row, 0, buf, x->label);
			blank(x, row, C0, x->yen_calc);
			for (int k = 1; k < x->n; k++) {
				const hj_plan_year *y = hj_plan_year_at(p, k);
				int64_t reg = 0, latest = 0;
				int fy = 0;
				int published = pf >= 0 && hj_min_wage(rb, pf, y->year_end, &reg, &fy, &latest);
				if (!published && pf >= 0 && y->has_regional)
					reg = y->regional;
				if (published || (pf >= 0 && y->has_regional)) {
					cell(b, sizeof b, mw_row, C0 + k);
					formula(x, row, C0 + k, (double)(reg + rq->above_min_wage), x->yen_calc, "=%s+%lld",
						b, (long long)rq->above_min_wage);
				} else
					str(x, row, C0 + k, "要確認", x->mark);
			}
			str(x, row, C0 + x->n, q->text, x->note);
			row++;
		}
		int growth = is_growth(rq);
		str(x, row, 0, "　判定", x->label);
		blank(x, row, C0, x->mark);
		for (int k = 1; k < x->n; k++)
			str(x, row, C0 + k, year_mark(q, growth, k, x->n - 1), x->mark);
		if (growth)
			snprintf(buf, sizeof buf, "最終年度（%d年後）で判定: %s。途中の年度の「線の下」は目安です",
				 x->n - 1, verdict_mark(q->result));
		else
			snprintf(buf, sizeof buf, "毎年度の判定: %s", verdict_mark(q->result));
		str(x, row, C0 + x->n, buf, x->note);
		row++;
	}
	return row;
}

/* The least known value of a row (the base of the axis), 0 if none. */
static int64_t row_min(const hj_plan *p, hj_plan_item it, int n)
{
	int64_t m = 0;
	int any = 0;
	for (int k = 0; k < n; k++) {
		const hj_plan_year *y = hj_plan_year_at(p, k);
		if (known(y, it) && (!any || y->v[it] < m)) {
			m = y->v[it];
			any = 1;
		}
	}
	return any ? m : 0;
}

/*
 * One line chart per metric: the plan's values as a solid dark line with
 * markers, its requirement line dashed in orange without markers, so the
 * two read apart in colour, pattern and markers (and in print). The value
 * axis starts below the lowest value, so the gap between the lines shows.
 */
static void chart(xw *x, const hj_plan *p, const rows *r, const line *lines, int nlines, int row)
{
	static const struct {
		const char *title;
		hj_plan_item it;
		lxw_color_t color;
		uint8_t marker;
	} metrics[2] = {
		{ "付加価値額と要件の線", HJ_PL_VALUE_ADDED, 0x1F4E79, LXW_CHART_MARKER_CIRCLE },
		{ "給与支給総額と要件の線", HJ_PL_WAGES, 0x375623, LXW_CHART_MARKER_SQUARE },
	};
	int vals[2] = { r->va, r->wages };
	for (int m = 0; m < 2; m++) {
		lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_LINE);
		if (!ch) {
			chk(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return;
		}
		chart_title_set_name(ch, metrics[m].title);
		chart_axis_set_num_format(ch->y_axis, "#,##0");
		chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
		/* the axis from 80% of the lowest value, rounded down to 2 digits */
		int64_t lo = row_min(p, metrics[m].it, x->n) / 10 * 8, step = 1;
		while (lo / step >= 100)
			step *= 10;
		if (lo > 0)
			chart_axis_set_min(ch->y_axis, (double)(lo / step * step));
		lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
		if (s) {
			chart_series_set_categories(s, SHEET_PLAN, (lxw_row_t)r->head, C0, (lxw_row_t)r->head,
						    (lxw_col_t)(C0 + x->n - 1));
			chart_series_set_values(s, SHEET_PLAN, (lxw_row_t)vals[m], C0, (lxw_row_t)vals[m],
						(lxw_col_t)(C0 + x->n - 1));
			chart_series_set_name_range(s, SHEET_PLAN, (lxw_row_t)vals[m], 0);
			lxw_chart_line ln = { .color = metrics[m].color, .width = 2.5 };
			chart_series_set_line(s, &ln);
			chart_series_set_marker_type(s, metrics[m].marker);
			chart_series_set_marker_size(s, 7);
			lxw_chart_fill mf = { .color = metrics[m].color };
			lxw_chart_line ml = { .color = metrics[m].color };
			chart_series_set_marker_fill(s, &mf);
			chart_series_set_marker_line(s, &ml);
		}
		for (int i = 0; i < nlines; i++) {
			if (lines[i].value_row != vals[m])
				continue;
			s = chart_add_series(ch, NULL, NULL);
			if (!s)
				continue;
			chart_series_set_categories(s, SHEET_PLAN, (lxw_row_t)r->head, C0, (lxw_row_t)r->head,
						    (lxw_col_t)(C0 + x->n - 1));
			chart_series_set_values(s, SHEET_PLAN, (lxw_row_t)lines[i].row, C0, (lxw_row_t)lines[i].row,
						(lxw_col_t)(C0 + x->n - 1));
			chart_series_set_name_range(s, SHEET_PLAN, (lxw_row_t)lines[i].row, 0);
			lxw_chart_line ln = { .color = 0xED7D31, .dash_type = LXW_CHART_LINE_DASH_DASH, .width = 2 };
			chart_series_set_line(s, &ln);
			chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
		}
		lxw_chart_options o = { .x_scale = 1.6, .y_scale = 1.1 };
		chk(x, worksheet_insert_chart_opt(x->ws, (lxw_row_t)(row + 18 * m), 0, ch, &o));
	}
}

static void plan_sheet(xw *x, const hj_rulebook *rb, const hj_facts *f, const hj_plan *p, const hj_plan_result *res,
		       int n)
{
	rows r;
	plan_table(x, f, p, &r);
	int row = r.mw + 2;
	line lines[HJ_PLAN_MAX_REQS];
	int nlines = 0;
	for (int i = 0; i < n; i++) {
		int any = 0;
		for (int j = 0; j < res[i].nreqs && !any; j++) {
			const hj_requirement *rq = req_of(&res[i], j);
			any = res[i].reqs[j].applies != HJ_FALSE && (is_growth(rq) || is_min_wage(rq));
		}
		if (any) {
			row = req_lines(x, rb, f, p, &res[i], &r, row, lines, HJ_PLAN_MAX_REQS, &nlines) + 1;
			if (n > 1) {
				str(x, row++, 0, "ほかの枠の要件はシート「" SHEET_REQS "」にあります。", x->note);
				row++;
			}
			break;
		}
	}
	for (int i = 0; i < hj_plan_nwarnings(p); i++) {
		char buf[400];
		snprintf(buf, sizeof buf, "注意: %s", hj_plan_warning(p, i));
		str(x, row++, 0, buf, x->note);
	}
	chart(x, p, &r, lines, nlines, row + 1);
	lxw_row_t breaks[] = { (lxw_row_t)row, 0 }; /* the chart prints on a page of its own */
	chk(x, worksheet_set_h_pagebreaks(x->ws, breaks));
	chk(x, worksheet_set_column(x->ws, 0, 0, 36, NULL));
	chk(x, worksheet_set_column(x->ws, C0, (lxw_col_t)(C0 + x->n - 1), 15, NULL));
	chk(x, worksheet_set_column(x->ws, (lxw_col_t)(C0 + x->n), (lxw_col_t)(C0 + x->n), 48, NULL));
	worksheet_freeze_panes(x->ws, (lxw_row_t)(r.ye + 1), 1);
	worksheet_set_landscape(x->ws);
	worksheet_fit_to_pages(x->ws, 1, 0);
}

/* Lines a wrapped cell of 'width' characters needs for 's' (a CJK
 * character is two wide). */
static int text_lines(const char *s, double width)
{
	int lines = 0;
	double w = 0;
	for (const unsigned char *u = (const unsigned char *)s;; u++) {
		if (!*u || *u == '\n') {
			lines += w > 0 ? (int)((w + width - 1) / width) : 1;
			w = 0;
			if (!*u)
				return lines;
		} else if (*u < 0x80)
			w += 1;
		else if (*u >= 0xE0)
			w += 2; /* a 3- or 4-byte sequence: CJK and symbols */
		else if (*u >= 0xC0)
			w += 1;
	}
}

/* ------------------------------------------------------------------ */
/* Sheet 要件の判定                                                      */

/* Two frames whose requirement results read the same share one block. */
static int same_block(const hj_plan_result *a, const hj_plan_result *b, int n)
{
	if (a->verdict != b->verdict || a->nreqs != b->nreqs)
		return 0;
	for (int j = 0; j < a->nreqs; j++) {
		const hj_req_result *p = &a->reqs[j], *q = &b->reqs[j];
		if (strcmp(p->text, q->text) || p->applies != q->applies || p->result != q->result ||
		    p->has_years != q->has_years || strcmp(p->detail, q->detail) || strcmp(p->fix, q->fix) ||
		    strcmp(p->source ? p->source : "", q->source ? q->source : "") ||
		    strcmp(p->note ? p->note : "", q->note ? q->note : "") ||
		    is_growth(req_of(a, j)) != is_growth(req_of(b, j)))
			return 0;
		for (int k = 1; k < n; k++)
			if (p->year_ok[k] != q->year_ok[k])
				return 0;
	}
	return 1;
}

/* The 年度別 cell: only the years that fail (or are below the line, or
 * undetermined), else one line saying all pass. */
static void years_text(const hj_req_result *q, int growth, int n, char *buf, size_t size)
{
	size_t o = 0;
	int last = n - 1;
	buf[0] = '\0';
	if (q->applies == HJ_FALSE || (!q->has_years && !q->metric[0]))
		return;
	for (int k = 1; k <= last && o < size; k++) {
		const char *m = year_mark(q, growth, k, last);
		if (!m[0] || !strcmp(m, "○"))
			continue;
		o += (size_t)snprintf(buf + o, size - o, "%s%d年後 %s", o ? "\n" : "", k, m);
	}
	if (!o && q->has_years)
		snprintf(buf, size, growth ? "最終年度 ○" : "毎年度 ○");
}

static void reqs_sheet(xw *x, const hj_rulebook *rb, const hj_facts *f, const hj_plan_result *res, int n)
{
	char buf[1400];
	int row = 0;
	str(x, row++, 0, "要件の判定（hojo plan）", x->title);
	hj_date dt;
	if (hj_facts_date(f, &dt)) {
		char d[16];
		hj_date_format(dt, d, sizeof d);
		snprintf(buf, sizeof buf, "判定日 %s、計画 %d年（基準年度と%d年後まで）", d, x->n - 1, x->n - 1);
	} else
		snprintf(buf, sizeof buf, "計画 %d年（基準年度と%d年後まで）", x->n - 1, x->n - 1);
	str(x, row++, 0, buf, x->note);
	row++;
	if (!n)
		str(x, row++, 0, "この日付・条件で計画の要件がある枠はありません。", x->text);
	static const char *const heads[] = { "要件", "判定", "年度別", "値", "最小の変更", "出典" };
	static const double widths[] = { 40, 10, 14, 64, 40, 18 };
	for (int i = 0; i < n; i++) {
		const hj_plan_result *pr = &res[i];
		int shown = 0;
		for (int j = 0; j < i && !shown; j++)
			shown = same_block(&res[j], pr, x->n);
		if (shown)
			continue; /* listed under an earlier frame with the same results */
		for (int j = i; j < n; j++) {
			if (j > i && !same_block(pr, &res[j], x->n))
				continue;
			const hj_frame *fr = res[j].frame;
			snprintf(buf, sizeof buf, "■ %s %s %s", hj_program_short(hj_edition_program(hj_frame_edition(fr))),
				 hj_edition_short(hj_frame_edition(fr)), hj_frame_name(fr));
			str(x, row++, 0, buf, x->bold);
		}
		str(x, row, 0, "計画の判定", x->label);
		str(x, row++, 1, hj_verdict_name_ja(pr->verdict), x->mark);
		for (int c = 0; c < 6; c++)
			str(x, row, c, heads[c], x->wrap_head);
		row++;
		if (!pr->nreqs) {
			str(x, row++, 0, "計画の要件はありません", x->wrap);
		}
		for (int j = 0; j < pr->nreqs; j++) {
			const hj_req_result *q = &pr->reqs[j];
			const char *cells[6];
			char years[200], values[sizeof q->detail + 200], text[600], fix[sizeof q->fix + 200];
			client_text(rb, q->text, text, sizeof text);
			cells[0] = text;
			cells[1] = q->applies == HJ_FALSE ? "適用なし" : verdict_mark(q->result);
			years_text(q, is_growth(req_of(pr, j)), x->n, years, sizeof years);
			cells[2] = years;
			if (q->note && q->note[0])
				snprintf(buf, sizeof buf, "%s（%s）", q->detail, q->note);
			else
				snprintf(buf, sizeof buf, "%s", q->detail);
			client_text(rb, buf, values, sizeof values);
			cells[3] = values;
			client_text(rb, q->fix, fix, sizeof fix);
			cells[4] = fix;
			cells[5] = q->source ? q->source : "";
			int lines = 1;
			for (int c = 0; c < 6; c++) {
				str(x, row, c, cells[c], c == 1 ? x->mark : x->wrap);
				int l = text_lines(cells[c], widths[c] - 1);
				if (l > lines)
					lines = l;
			}
			/* Excel and LibreOffice do not grow a row for wrapped text on load */
			chk(x, worksheet_set_row(x->ws, (lxw_row_t)row, 15.0 * lines, NULL));
			row++;
		}
		row++;
	}
	for (int c = 0; c < 6; c++)
		chk(x, worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL));
	worksheet_set_landscape(x->ws);
	worksheet_fit_to_pages(x->ws, 1, 0);
}

/* ------------------------------------------------------------------ */

static lxw_format *fmt(xw *x, int bold, int border, const char *numfmt, lxw_color_t bg)
{
	lxw_format *fm = workbook_add_format(x->wb);
	if (!fm)
		return NULL; /* libxlsxwriter treats a NULL format as the default */
	if (bold)
		format_set_bold(fm);
	if (border)
		format_set_border(fm, LXW_BORDER_THIN);
	if (numfmt)
		format_set_num_format(fm, numfmt);
	if (bg)
		format_set_bg_color(fm, bg);
	return fm;
}

static void formats(xw *x)
{
	x->title = fmt(x, 1, 0, NULL, 0);
	if (x->title)
		format_set_font_size(x->title, 14);
	x->note = fmt(x, 0, 0, NULL, 0);
	if (x->note)
		format_set_font_color(x->note, 0x595959);
	x->head = fmt(x, 1, 1, NULL, 0xD9E1F2);
	if (x->head)
		format_set_align(x->head, LXW_ALIGN_CENTER);
	x->label = fmt(x, 0, 1, NULL, 0);
	x->section = fmt(x, 1, 0, NULL, 0);
	x->bold = fmt(x, 1, 0, NULL, 0);
	x->yen = fmt(x, 0, 1, "#,##0", 0);
	x->yen_calc = fmt(x, 0, 1, "#,##0", 0xFFF2CC);
	x->pct = fmt(x, 0, 1, "0.0%", 0xFFF2CC);
	x->num = fmt(x, 0, 1, "#,##0.0#", 0); /* "#,##0.##" would show "25." in Excel */
	x->mark = fmt(x, 0, 1, NULL, 0);
	if (x->mark) {
		format_set_align(x->mark, LXW_ALIGN_CENTER);
		format_set_align(x->mark, LXW_ALIGN_VERTICAL_TOP);
	}
	x->text = fmt(x, 0, 0, NULL, 0);
	x->wrap = fmt(x, 0, 1, NULL, 0);
	if (x->wrap) {
		format_set_text_wrap(x->wrap);
		format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	}
	x->wrap_head = fmt(x, 1, 1, NULL, 0xD9E1F2);
}

static const char *io_reason(int e)
{
	switch (e) {
	case EISDIR:
		return "ディレクトリです";
	case EACCES:
	case EPERM:
		return "書き込みの権限がありません";
	case ENOENT:
		return "そのディレクトリがありません";
	case ENOTDIR:
		return "途中がディレクトリではありません";
	case EROFS:
		return "読み取り専用のファイルシステムです";
	case ENOSPC:
		return "ディスクの空きがありません";
	default:
		return strerror(e);
	}
}

/*
 * Write the plan of 'f' and the results 'res[0..n)' to the workbook 'path'
 * (replaced if it exists). See the file comment for the layout.
 */
hj_status hj_plan_write_xlsx(const hj_rulebook *rb, hj_facts *f, const hj_plan_result *res, int n, const char *path,
			     hj_error *err)
{
	hj_error_clear(err);
	const hj_plan *p = f ? f->plan : NULL;
	if (!p)
		return hj_error_set(err, HJ_ERR_INPUT, f ? f->file : NULL, 0, 0, "plan",
				    "入力に plan（事業計画）がありません");
	if (n < 0 || (n > 0 && !res))
		return hj_error_set(err, HJ_ERR_INTERNAL, NULL, 0, 0, NULL, "hj_plan_write_xlsx: 結果の数 %d が不正です", n);

	/* Open the path here first: libxlsxwriter would print its failure. */
	struct stat st;
	int existed = stat(path, &st) == 0;
	FILE *probe = fopen(path, "ab");
	if (!probe)
		return hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "Excel ファイルを書けません: %s", io_reason(errno));
	fclose(probe);

	xw x;
	memset(&x, 0, sizeof x);
	x.n = hj_plan_years(p);
	x.wb = workbook_new(path);
	if (!x.wb) {
		if (!existed)
			remove(path);
		return hj_error_set(err, HJ_ERR_NOMEM, path, 0, 0, NULL, "Excel ファイルを書けません: メモリが足りません");
	}
	formats(&x);
	lxw_doc_properties props = { .title = "会社全体の事業計画", .comments = "hojo plan --xlsx" };
	chk(&x, workbook_set_properties(x.wb, &props));
	lxw_worksheet *w1 = workbook_add_worksheet(x.wb, SHEET_PLAN);
	lxw_worksheet *w2 = workbook_add_worksheet(x.wb, SHEET_REQS);
	if (!w1 || !w2)
		chk(&x, LXW_ERROR_MEMORY_MALLOC_FAILED);
	else {
		x.ws = w1;
		plan_sheet(&x, rb, f, p, res, n);
		x.ws = w2;
		reqs_sheet(&x, rb, f, res, n);
	}
	lxw_error lerr = x.lerr;
	lxw_error cerr = workbook_close(x.wb); /* frees the workbook */
	if (lerr || cerr) {
		int e = errno;
		if (!existed || !cerr)
			remove(path); /* ours and incomplete (an old file stays if libxlsxwriter never opened it) */
		if (cerr == LXW_ERROR_CREATING_XLSX_FILE || cerr == LXW_ERROR_CREATING_TMPFILE)
			return hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "Excel ファイルを書けません: %s（%s）",
					    lxw_strerror(cerr), io_reason(e));
		return hj_error_set(err, HJ_ERR_IO, path, 0, 0, NULL, "Excel ファイルを書けません: %s",
				    lxw_strerror(lerr ? lerr : cerr));
	}
	return HJ_OK;
}
