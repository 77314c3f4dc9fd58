/*
 * plan.c - 'hojo plan FILE': the business plan table and, for every frame
 * with plan requirements (or --frame ID), each requirement per year with
 * the values it saw, its source, and the smallest change that passes.
 * FILE is an input with 'plan:' (YAML/JSON), or a plan table as CSV (with
 * --with APPLICANT.yaml for the applicant's facts). --csv writes the table
 * as CSV (readable again by 'hojo plan'), --xlsx FILE as an Excel book.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hojo.h"

static const char *mark(hj_truth t)
{
	return t == HJ_TRUE ? "✓" : t == HJ_FALSE ? "×" : "?";
}

static const hj_plan_item shown[] = { HJ_PL_SALES, HJ_PL_COST,    HJ_PL_LABOR,  HJ_PL_DEPRECIATION,
				      HJ_PL_OTHER, HJ_PL_OPERATING, HJ_PL_NONOP, HJ_PL_ORDINARY,
				      HJ_PL_CAPEX, HJ_PL_WAGES,   HJ_PL_VALUE_ADDED };

/* growth of year k over k-1 in per mille, rounded toward zero; 0 if unknown */
static int growth_text(const hj_plan *p, hj_plan_item it, int k, char *buf, size_t size)
{
	const hj_plan_year *a = hj_plan_year_at(p, k - 1), *b = hj_plan_year_at(p, k);
	if (!(a->known >> it & 1) || !(b->known >> it & 1) || a->v[it] <= 0)
		return 0;
	/* in 128 bits: the difference of two int64 amounts, times 1000, fits
	 * (an int64 difference overflowed: "-200.0%"); tenths of a percent,
	 * truncated toward zero, written without floating point */
	__int128 pm = ((__int128)b->v[it] - a->v[it]) * 1000 / a->v[it];
	unsigned __int128 m = pm < 0 ? (unsigned __int128)-pm : (unsigned __int128)pm;
	char dig[48];
	int nd = 0;
	unsigned __int128 ip = m / 10;
	do
		dig[nd++] = (char)('0' + (int)(ip % 10));
	while ((ip /= 10) && nd < 46);
	size_t o = 0;
	buf[o++] = pm < 0 ? '-' : '+';
	while (nd && o + 1 < size)
		buf[o++] = dig[--nd];
	snprintf(buf + o, size - o, ".%d%%", (int)(m % 10));
	return 1;
}

/* The plan table as cells: a label and one cell per year. */
enum { TABLE_ROWS = 24, TABLE_YEARS = 16, CELL = 40, COLW = 10 };
typedef struct table {
	int nrows, n;
	const char *label[TABLE_ROWS];
	char cell[TABLE_ROWS][TABLE_YEARS][CELL];
} table;

static char (*add_row(table *t, const char *label))[CELL]
{
	if (t->nrows == TABLE_ROWS)
		return NULL;
	t->label[t->nrows] = label;
	for (int k = 0; k < TABLE_YEARS; k++)
		snprintf(t->cell[t->nrows][k], CELL, "—");
	return t->cell[t->nrows++];
}

static void fill_table(const hj_plan *p, table *t)
{
	int n = t->n;
	char(*c)[CELL] = add_row(t, "項目");
	for (int k = 0; k < n; k++)
		hj_plan_year_label(k, c[k], CELL);
	for (size_t r = 0; r < sizeof shown / sizeof shown[0]; r++) {
		hj_plan_item it = shown[r];
		int any = 0;
		for (int k = 0; k < n; k++)
			any |= (int)(hj_plan_year_at(p, k)->known >> it & 1);
		if (!any || !(c = add_row(t, hj_plan_item_name(it))))
			continue;
		for (int k = 0; k < n; k++) {
			const hj_plan_year *y = hj_plan_year_at(p, k);
			if (y->known >> it & 1) {
				/* 千円未満切り捨て: the fraction is dropped, toward zero
				 * (-1,500,500円 → -1500), as ROUNDDOWN does */
				hj_yen v = y->v[it] / 1000;
				snprintf(c[k], CELL, "%lld", (long long)v);
			}
		}
		if ((it == HJ_PL_VALUE_ADDED || it == HJ_PL_WAGES) && (c = add_row(t, "  伸び率"))) {
			c[0][0] = '\0';
			for (int k = 1; k < n; k++)
				growth_text(p, it, k, c[k], CELL);
		}
	}
	if ((c = add_row(t, "従業員数（人）")))
		for (int k = 0; k < n; k++)
			if (hj_plan_year_at(p, k)->has_employees)
				hj_frac_format(hj_plan_year_at(p, k)->employees, c[k], CELL);
	if ((c = add_row(t, "最低賃金（円/時）")))
		for (int k = 0; k < n; k++)
			if (hj_plan_year_at(p, k)->has_min_wage)
				snprintf(c[k], CELL, "%lld", (long long)hj_plan_year_at(p, k)->min_wage);
	int any_regional = 0;
	for (int k = 0; k < n; k++)
		any_regional |= hj_plan_year_at(p, k)->has_regional;
	/* the regional minimum wage the applicant states (未公表の年に使う) */
	if (any_regional && (c = add_row(t, "地域別（入力）")))
		for (int k = 0; k < n; k++)
			if (hj_plan_year_at(p, k)->has_regional)
				snprintf(c[k], CELL, "%lld", (long long)hj_plan_year_at(p, k)->regional);
}

/*
 * The table fits the terminal ($COLUMNS): the label column is as wide as
 * its longest label, and when the years do not all fit beside it they are
 * printed in several blocks, each with the labels again.
 */
static void print_table(const hj_plan *p)
{
	int n = hj_plan_years(p);
	const hj_plan_year *y0 = hj_plan_year_at(p, 0), *yn = hj_plan_year_at(p, n - 1);
	char a[16], b[16], line[600];
	hj_date_format(y0->year_end, a, sizeof a);
	hj_date_format(yn->year_end, b, sizeof b);
	snprintf(line, sizeof line, "事業計画（基準年度 %s 〜 %d年後 %s の期末、千円未満切り捨て）", a, n - 1, b);
	cli_wrap(stdout, line, 0, 80);
	static table t;
	memset(&t, 0, sizeof t);
	t.n = n < TABLE_YEARS ? n : TABLE_YEARS;
	fill_table(p, &t);
	int lw = 0;
	for (int r = 0; r < t.nrows; r++)
		if (cli_width(t.label[r]) > lw)
			lw = cli_width(t.label[r]);
	lw += 2;
	int per = (cli_columns(80) - lw) / COLW;
	if (per < 1)
		per = 1;
	for (int k0 = 0; k0 < t.n; k0 += per) {
		if (k0)
			putchar('\n');
		for (int r = 0; r < t.nrows; r++) {
			cli_pad(stdout, t.label[r], lw);
			for (int k = k0; k < t.n && k < k0 + per; k++)
				cli_rpad(stdout, t.cell[r][k], COLW);
			putchar('\n');
		}
	}
	for (int i = 0; i < hj_plan_nwarnings(p); i++) {
		snprintf(line, sizeof line, "注意: %s", hj_plan_warning(p, i));
		cli_wrap(stdout, line, 0, 80);
	}
	putchar('\n');
}

static void print_result(const hj_plan_result *r)
{
	const hj_frame *fr = r->frame;
	char line[1400];
	snprintf(line, sizeof line, "■ %s %s %s [%s]", hj_program_short(hj_edition_program(hj_frame_edition(fr))),
		 hj_edition_short(hj_frame_edition(fr)), hj_frame_name(fr), hj_frame_id(fr));
	cli_wrap(stdout, line, 0, 80);
	printf("計画の判定: %s\n", hj_verdict_name_ja(r->verdict));
	for (int i = 0; i < r->nreqs; i++) {
		const hj_req_result *q = &r->reqs[i];
		snprintf(line, sizeof line, "%s %s（%s）", q->applies == HJ_FALSE ? "－" : mark(q->result), q->text,
			 q->source);
		cli_wrap(stdout, line, 2, 80);
		if (q->detail[0])
			cli_wrap(stdout, q->detail, 6, 80);
		if (q->fix[0]) {
			snprintf(line, sizeof line, "→ %s", q->fix);
			cli_wrap(stdout, line, 6, 80);
		}
	}
	putchar('\n');
}

/* The table as CSV, in the layout 'hojo plan' reads back. */
static void print_csv(const hj_plan *p)
{
	int n = hj_plan_years(p);
	printf("項目");
	for (int k = 0; k < n; k++) {
		char b[16];
		hj_plan_year_label(k, b, sizeof b);
		printf(",%s", b);
	}
	printf("\nyear_end");
	for (int k = 0; k < n; k++) {
		char d[16];
		hj_date_format(hj_plan_year_at(p, k)->year_end, d, sizeof d);
		printf(",%s", d);
	}
	putchar('\n');
	for (int it = 0; it < HJ_PL_NITEMS; it++) {
		int any = 0;
		for (int k = 0; k < n; k++)
			any |= (int)(hj_plan_year_at(p, k)->known >> it & 1);
		if (!any)
			continue;
		printf("%s", hj_plan_item_key((hj_plan_item)it));
		for (int k = 0; k < n; k++) {
			const hj_plan_year *y = hj_plan_year_at(p, k);
			if (y->known >> it & 1)
				printf(",%lld", (long long)y->v[it]);
			else
				printf(",");
		}
		putchar('\n');
	}
	printf("employees");
	for (int k = 0; k < n; k++) {
		const hj_plan_year *y = hj_plan_year_at(p, k);
		char q[32] = "";
		if (y->has_employees)
			hj_frac_format(y->employees, q, sizeof q);
		printf(",%s", q);
	}
	printf("\nmin_wage");
	for (int k = 0; k < n; k++) {
		const hj_plan_year *y = hj_plan_year_at(p, k);
		if (y->has_min_wage)
			printf(",%lld", (long long)y->min_wage);
		else
			printf(",");
	}
	int any_regional = 0;
	for (int k = 0; k < n; k++)
		any_regional |= hj_plan_year_at(p, k)->has_regional;
	if (any_regional) {
		printf("\nregional_min_wage");
		for (int k = 0; k < n; k++) {
			const hj_plan_year *y = hj_plan_year_at(p, k);
			if (y->has_regional)
				printf(",%lld", (long long)y->regional);
			else
				printf(",");
		}
	}
	putchar('\n');
}

int cmd_plan(opts *o, hj_rulebook *rb)
{
	int rc = EXIT_DONE;
	hj_facts *f = NULL;
	hj_error err;
	if (hj_facts_new(rb, &f)) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	const char *path = o->args[0];
	size_t pl = strlen(path);
	if (o->with && hj_facts_load_file(f, o->with, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (pl > 4 && !strcmp(path + pl - 4, ".csv")) {
		hj_plan *p;
		if (hj_plan_load_csv(path, &p, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		hj_facts_set_plan(f, p);
	} else if (hj_facts_load_file(f, path, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	const hj_plan *p = hj_facts_plan(f);
	if (!p) {
		fprintf(stderr, "hojo: 入力エラー: %s: plan（事業計画）がありません（docs/plan.md）\n", path);
		rc = EXIT_INPUT;
		goto out;
	}
	if (!o->date_given && hj_facts_date(f, &o->sel.date))
		o->sel.has_date = 1;
	const hj_frame *only = NULL;
	if (o->frame && (rc = cli_find_frame(rb, o->frame, &only)))
		goto out;
	if (o->csv) {
		print_csv(p);
		goto out;
	}
	static hj_plan_result res[256];
	int nres = 0;
	for (int i = 0; i < hj_rulebook_nframes(rb) && nres < 256; i++) {
		const hj_frame *fr = hj_rulebook_frame(rb, i);
		if (only ? fr != only : !hj_frame_selected(fr, &o->sel))
			continue;
		if (hj_plan_check(rb, f, fr, &res[nres], &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		if (!only && res[nres].nreqs == 0)
			continue;
		nres++;
	}
	if (o->xlsx) {
		if (hj_plan_write_xlsx(rb, f, res, nres, o->xlsx, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		printf("%s に書き出しました（%d枠）\n", o->xlsx, nres);
		goto out;
	}
	if (o->json) {
		rc = cli_string_out(hj_plan_json(rb, f, res, nres, o->pretty));
		goto out;
	}
	print_table(p);
	if (!nres)
		printf("この日付・条件で計画の要件がある枠はありません。\n");
	for (int i = 0; i < nres; i++)
		print_result(&res[i]);
out:
	hj_facts_free(f);
	return rc;
}
