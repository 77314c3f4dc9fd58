/*
 * plan.c - the business plan and its requirements (see hojo/plan.h).
 *
 * Reading: the plan is a list of years, the base year first. Amounts use
 * the yen parser; profit rows may be negative (written -1,000万円, ▲1,000万円
 * or △1,000万円 as accountants do). Year ends must follow each other by a
 * year (11 to 13 months apart), so a missing year is an error, not a
 * silent gap.
 *
 * Deriving: 営業利益, 経常利益 and 付加価値額 follow seed 004:244-246 and 202;
 * when 営業利益 (or 経常利益) is given and its parts are too, the computed
 * value is used and a warning says how they differ.
 *
 * Checking: growth requirements compare exactly, in integers of up to 512
 * bits: V_k x den^k >= V_0 x (den + num)^k for a compound growth of num/den
 * a year, V_k x den >= V_0 x (den + num x k) for a simple one. A base at
 * or below zero has no growth rate: a year not above it fails, one above
 * it is undetermined. The smallest change is the least whole-yen (or
 * whole-円/時) value that passes, found by bisection on that comparison.
 * 事業場内最低賃金 is compared with the regional minimum wage in force at each
 * year's end (rules/tables/min_wage.yaml); where that is not yet known (a
 * future revision), a wage below the latest known value plus the margin
 * fails for certain (minimum wages have never fallen, facts §3) and one at
 * or above it is undetermined.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <csv.h>
#include "hojo/alloc.h"
#include "hojo/plan.h"
#include "facts-int.h"
#include "yaml.h"
#include "plan-int.h"

typedef __int128 i128;

struct hj_plan {
	int n;
	hj_plan_year y[HJ_PLAN_MAX_YEARS];
	char warn[8][300];
	int nwarn;
};

static const struct {
	const char *key;
	const char *ja;
	int is_signed;
} items[HJ_PL_NITEMS] = {
	[HJ_PL_SALES] = { "sales", "売上高", 0 },
	[HJ_PL_COST] = { "cost_of_sales", "売上原価", 0 },
	[HJ_PL_LABOR] = { "labor_cost", "人件費", 0 },
	[HJ_PL_DEPRECIATION] = { "depreciation", "減価償却費", 0 },
	[HJ_PL_OTHER] = { "other_expenses", "その他経費", 0 },
	[HJ_PL_OPERATING] = { "operating_profit", "営業利益", 1 },
	[HJ_PL_NONOP] = { "non_operating", "営業外収支", 1 },
	[HJ_PL_ORDINARY] = { "ordinary_profit", "経常利益", 1 },
	[HJ_PL_CAPEX] = { "capex", "設備投資額", 0 },
	[HJ_PL_WAGES] = { "total_wages", "給与支給総額", 0 },
	[HJ_PL_VALUE_ADDED] = { "value_added", "付加価値額", 1 },
};

const char *hj_plan_item_name(hj_plan_item it) { return it < HJ_PL_NITEMS ? items[it].ja : "?"; }
const char *hj_plan_item_key(hj_plan_item it) { return it < HJ_PL_NITEMS ? items[it].key : "?"; }
int hj_plan_years(const hj_plan *p) { return p->n; }
const hj_plan_year *hj_plan_year_at(const hj_plan *p, int k) { return &p->y[k]; }
int hj_plan_nwarnings(const hj_plan *p) { return p->nwarn; }
const char *hj_plan_warning(const hj_plan *p, int i) { return p->warn[i]; }
void hj_plan_free(hj_plan *p) { hj_free(p); }
const hj_plan *hj_facts_plan(const hj_facts *f) { return f->plan; }

void hj_facts_set_plan(hj_facts *f, hj_plan *p)
{
	hj_free(f->plan);
	f->plan = p;
}

static void warn(hj_plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(hj_plan *p, const char *fmt, ...)
{
	if (p->nwarn >= 8)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->warn[p->nwarn++], sizeof p->warn[0], fmt, ap);
	va_end(ap);
}

/* Parse an amount, negative allowed with -, −, ▲ or △ in front. */
static hj_status signed_yen(const char *s, size_t len, int allow_neg, hj_yen *out, hj_error *e)
{
	int neg = 0;
	while (len && (*s == ' '))
		s++, len--;
	if (len >= 1 && *s == '-')
		neg = 1, s++, len--;
	else if (len >= 3 && (!memcmp(s, "\xE2\x88\x92", 3) || !memcmp(s, "\xE2\x96\xB2", 3) ||
			      !memcmp(s, "\xE2\x96\xB3", 3)))
		neg = 1, s += 3, len -= 3;
	if (neg && !allow_neg)
		return hj_error_set(e, HJ_ERR_INPUT, NULL, 0, 1, NULL, "負の金額は書けません");
	hj_status st = hj_yen_parse(s, len, out, e);
	if (!st && neg)
		*out = -*out;
	return st;
}

static int item_by_name(const char *s, size_t len)
{
	for (int i = 0; i < HJ_PL_NITEMS; i++)
		if ((strlen(items[i].key) == len && !memcmp(items[i].key, s, len)) ||
		    (strlen(items[i].ja) == len && !memcmp(items[i].ja, s, len)))
			return i;
	return -1;
}

/* Set one field of a year from text; 'name' is a key or Japanese name. */
static hj_status set_field(hj_plan_year *y, const char *name, size_t nlen, const char *s, size_t len, hj_error *e)
{
	hj_error_clear(e);
	if ((nlen == 8 && !memcmp(name, "year_end", 8)) || (nlen == 12 && !memcmp(name, "決算期末", 12))) {
		if (hj_date_parse(s, len, &y->year_end, e))
			return HJ_ERR_INPUT;
		y->has_year_end = 1;
		return HJ_OK;
	}
	if ((nlen == 9 && !memcmp(name, "employees", 9)) || (nlen == 12 && !memcmp(name, "従業員数", 12))) {
		int64_t v = 0;
		if (!len || len > 9)
			return hj_error_set(e, HJ_ERR_INPUT, NULL, 0, 1, NULL, "従業員数は整数で書きます");
		for (size_t i = 0; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return hj_error_set(e, HJ_ERR_INPUT, NULL, 0, (int)i + 1, NULL, "従業員数は整数で書きます");
			v = v * 10 + (s[i] - '0');
		}
		y->employees = hj_frac_int(v);
		y->has_employees = 1;
		return HJ_OK;
	}
	int regional = (nlen == 17 && !memcmp(name, "regional_min_wage", 17)) ||
		       (nlen == 21 && !memcmp(name, "地域別最低賃金", 21));
	if (regional || (nlen == 8 && !memcmp(name, "min_wage", 8)) ||
	    (nlen == 24 && !memcmp(name, "事業場内最低賃金", 24))) {
		int64_t v = 0;
		size_t i = 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9' && i < 6; i++)
			v = v * 10 + (s[i] - '0');
		if (i == 0 || (i < len && !(len - i == 3 && !memcmp(s + i, "円", 3))))
			return hj_error_set(e, HJ_ERR_INPUT, NULL, 0, (int)i + 1, NULL,
					    "%sは1時間あたりの円の整数で書きます（例: 1050）",
					    regional ? "地域別最低賃金" : "事業場内最低賃金");
		if (regional) {
			y->regional = v;
			y->has_regional = 1;
		} else {
			y->min_wage = v;
			y->has_min_wage = 1;
		}
		return HJ_OK;
	}
	int it = item_by_name(name, nlen);
	if (it < 0 || it == HJ_PL_VALUE_ADDED)
		return hj_error_set(e, HJ_ERR_INPUT, NULL, 0, 0, NULL,
				    "未知の項目 '%.*s'（year_end, sales, cost_of_sales, labor_cost, depreciation, "
				    "other_expenses, operating_profit, non_operating, ordinary_profit, capex, "
				    "total_wages, employees, min_wage, regional_min_wage）",
				    (int)(nlen > 60 ? 60 : nlen), name);
	hj_yen v;
	if (signed_yen(s, len, items[it].is_signed, &v, e))
		return HJ_ERR_INPUT;
	y->v[it] = v;
	y->given |= 1u << it;
	return HJ_OK;
}

const char *hj_plan_year_label(int k, char *buf, size_t size)
{
	if (k == 0)
		snprintf(buf, size, "基準年度");
	else
		snprintf(buf, size, "%d年後", k);
	return buf;
}

/* The rows that, given in one year, must be given in all (else their
 * growth cannot be followed): plan items, then 従業員数, 事業場内最低賃金. */
static const hj_plan_item all_years_rows[] = { HJ_PL_SALES, HJ_PL_OPERATING, HJ_PL_ORDINARY, HJ_PL_LABOR,
					       HJ_PL_DEPRECIATION, HJ_PL_CAPEX, HJ_PL_WAGES, HJ_PL_VALUE_ADDED };
enum { N_ITEM_ROWS = sizeof all_years_rows / sizeof all_years_rows[0], N_ALL_YEARS_ROWS = N_ITEM_ROWS + 2 };

static int row_given(const hj_plan_year *y, int r)
{
	if (r < N_ITEM_ROWS)
		return y->known >> all_years_rows[r] & 1;
	return r == N_ITEM_ROWS ? y->has_employees : y->has_min_wage;
}

static const char *row_name(int r)
{
	if (r < N_ITEM_ROWS)
		return items[all_years_rows[r]].ja;
	return r == N_ITEM_ROWS ? "従業員数" : "事業場内最低賃金";
}

/*
 * Derive year k's 営業利益, 経常利益 and 付加価值额 from its given rows
 * (y->known = what is given or computed). A given 営業利益 or 経常利益 that
 * differs from its parts is replaced by the computed value, with a
 * warning in 'p' when p is not NULL (the caller may compare y->v with
 * what it read before to refuse the difference instead).
 */
hj_status pl_derive_year(hj_plan_year *y, int k, hj_plan *p, const char *file, hj_error *err)
{
	char buf[16];
	const char *lbl = hj_plan_year_label(k, buf, sizeof buf);
	y->known = y->given;
	uint32_t parts = (1u << HJ_PL_SALES) | (1u << HJ_PL_COST) | (1u << HJ_PL_LABOR) |
			 (1u << HJ_PL_DEPRECIATION) | (1u << HJ_PL_OTHER);
	char fld[64];
	if ((y->given & parts) == parts) {
		hj_yen costs, op;
		if (hj_yen_add(y->v[HJ_PL_COST], y->v[HJ_PL_LABOR], &costs) ||
		    hj_yen_add(costs, y->v[HJ_PL_DEPRECIATION], &costs) ||
		    hj_yen_add(costs, y->v[HJ_PL_OTHER], &costs) || hj_yen_sub(y->v[HJ_PL_SALES], costs, &op)) {
			snprintf(fld, sizeof fld, "plan.years[%d].operating_profit", k);
			return hj_error_set(err, HJ_ERR_INPUT, file, y->line, 0, fld,
					    "%s の営業利益（売上高−売上原価−人件費−減価償却費−その他経費）が計算できる範囲を超えます",
					    lbl);
		}
		if ((y->given >> HJ_PL_OPERATING & 1) && y->v[HJ_PL_OPERATING] != op) {
			char a[48], b[48];
			hj_yen_format(y->v[HJ_PL_OPERATING], a, sizeof a);
			hj_yen_format(op, b, sizeof b);
			if (p)
				warn(p, "%s: 営業利益の入力 %s が 売上高−（売上原価＋人件費＋減価償却費＋その他経費）= %s と合いません（計算値を使います）",
			     lbl, a, b);
		}
		y->v[HJ_PL_OPERATING] = op;
		y->known |= 1u << HJ_PL_OPERATING;
	}
	if ((y->known >> HJ_PL_OPERATING & 1) && (y->given >> HJ_PL_NONOP & 1)) {
		hj_yen ord;
		if (hj_yen_add(y->v[HJ_PL_OPERATING], y->v[HJ_PL_NONOP], &ord)) {
			snprintf(fld, sizeof fld, "plan.years[%d].ordinary_profit", k);
			return hj_error_set(err, HJ_ERR_INPUT, file, y->line, 0, fld,
					    "%s の経常利益（営業利益＋営業外収支）が計算できる範囲を超えます", lbl);
		}
		if ((y->given >> HJ_PL_ORDINARY & 1) && y->v[HJ_PL_ORDINARY] != ord) {
			char a[48], b[48];
			hj_yen_format(y->v[HJ_PL_ORDINARY], a, sizeof a);
			hj_yen_format(ord, b, sizeof b);
			if (p)
				warn(p, "%s: 経常利益の入力 %s が 営業利益＋営業外収支 = %s と合いません（計算値を使います）", lbl, a, b);
		}
		y->v[HJ_PL_ORDINARY] = ord;
		y->known |= 1u << HJ_PL_ORDINARY;
	}
	uint32_t va = (1u << HJ_PL_OPERATING) | (1u << HJ_PL_LABOR) | (1u << HJ_PL_DEPRECIATION);
	if ((y->known & va) == va) {
		hj_yen va_sum;
		if (hj_yen_add(y->v[HJ_PL_OPERATING], y->v[HJ_PL_LABOR], &va_sum) ||
		    hj_yen_add(va_sum, y->v[HJ_PL_DEPRECIATION], &va_sum)) {
			snprintf(fld, sizeof fld, "plan.years[%d].value_added", k);
			return hj_error_set(err, HJ_ERR_INPUT, file, y->line, 0, fld,
					    "%s の付加価値額（営業利益＋人件費＋減価償却費）が計算できる範囲を超えます", lbl);
		}
		y->v[HJ_PL_VALUE_ADDED] = va_sum;
		y->known |= 1u << HJ_PL_VALUE_ADDED;
	}
	return HJ_OK;
}

/* Derive 営業利益, 経常利益, 付加価値額 and check the years' order. */
static hj_status derive(hj_plan *p, const char *file, hj_error *err)
{
	if (p->n < 2)
		return hj_error_set(err, HJ_ERR_INPUT, file, p->n ? p->y[0].line : 0, 0, "plan.years",
				    "計画には基準年度と1年以上が必要です（%d年分しかありません）", p->n);
	for (int k = 0; k < p->n; k++) {
		hj_plan_year *y = &p->y[k];
		char buf[16];
		const char *lbl = hj_plan_year_label(k, buf, sizeof buf);
		hj_status st;
		if (!y->has_year_end)
			return hj_error_set(err, HJ_ERR_INPUT, file, y->line, 0, "plan.years",
					    "%s の year_end（決算期末の日付）がありません", lbl);
		if (k > 0) {
			int y0, m0, d0, y1, m1, d1;
			hj_date_to_ymd(p->y[k - 1].year_end, &y0, &m0, &d0);
			hj_date_to_ymd(y->year_end, &y1, &m1, &d1);
			int months = (y1 - y0) * 12 + (m1 - m0);
			if (months < 11 || months > 13)
				return hj_error_set(err, HJ_ERR_INPUT, file, y->line, 0, "plan.years",
						    "%s の決算期末 %d-%02d-%02d が前の年度の1年後ではありません（%s）", lbl, y1,
						    m1, d1, months > 13 ? "年度が抜けています" : "順序か日付が違います");
		}
		if ((st = pl_derive_year(y, k, p, file, err)))
			return st;
	}
	for (int r = 0; r < N_ALL_YEARS_ROWS; r++) {
		int have = 0, gap = -1;
		for (int k = 0; k < p->n; k++) {
			if (row_given(&p->y[k], r))
				have++;
			else if (gap < 0)
				gap = k;
		}
		if (have && gap >= 0) {
			char buf[16];
			return hj_error_set(err, HJ_ERR_INPUT, file, p->y[gap].line, 0, "plan.years",
					    "%s の%sがありません（ほかの年度にはあります）", hj_plan_year_label(gap, buf, sizeof buf),
					    row_name(r));
		}
	}
	return HJ_OK;
}

hj_status hj_plan_parse_node(hj_facts *f, struct fy_node *pn, const char *file, int line0, hj_error *err)
{
	if (!pn || !fy_node_is_mapping(pn))
		return hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(pn) + line0, hj_yaml_col(pn), "plan",
				    "plan は years（基準年度から順の年度のリスト）のマッピングです");
	hj_plan *p = hj_calloc(1, sizeof *p);
	if (!p)
		return hj_error_set(err, HJ_ERR_NOMEM, file, 0, 0, NULL, "メモリが足りません");
	hj_status st = HJ_OK;
	void *it = NULL;
	struct fy_node_pair *pp;
	struct fy_node *years = NULL;
	while ((pp = fy_node_mapping_iterate(pn, &it))) {
		size_t kl;
		const char *k = hj_yaml_scalar(fy_node_pair_key(pp), &kl);
		if (k && kl == 5 && !memcmp(k, "years", 5))
			years = fy_node_pair_value(pp);
		else {
			st = hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(fy_node_pair_key(pp)) + line0,
					  hj_yaml_col(fy_node_pair_key(pp)), "plan", "未知の項目です（plan の下は years）");
			goto out;
		}
	}
	if (!years || !fy_node_is_sequence(years)) {
		st = hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(pn) + line0, 0, "plan.years",
				  "years（基準年度から順の年度のリスト）が必要です");
		goto out;
	}
	if (fy_node_sequence_item_count(years) > HJ_PLAN_MAX_YEARS) {
		st = hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(years) + line0, 0, "plan.years",
				  "計画は基準年度と5年後までです（%d年分あります）", fy_node_sequence_item_count(years));
		goto out;
	}
	it = NULL;
	struct fy_node *yn;
	while ((yn = fy_node_sequence_iterate(years, &it))) {
		hj_plan_year *y = &p->y[p->n];
		char field[64];
		snprintf(field, sizeof field, "plan.years[%d]", p->n);
		y->line = hj_yaml_line(yn) + line0;
		p->n++;
		if (!fy_node_is_mapping(yn)) {
			st = hj_error_set(err, HJ_ERR_INPUT, file, y->line, 0, field, "年度は 項目: 値 のマッピングです");
			goto out;
		}
		void *it2 = NULL;
		while ((pp = fy_node_mapping_iterate(yn, &it2))) {
			size_t kl, vl;
			const char *k = hj_yaml_scalar(fy_node_pair_key(pp), &kl);
			const char *v = hj_yaml_scalar(fy_node_pair_value(pp), &vl);
			hj_error e;
			if (!k || !v || set_field(y, k, kl, v, vl, &e)) {
				char f2[160];
				snprintf(f2, sizeof f2, "%s.%.*s", field, (int)(k ? kl : 0), k ? k : "");
				st = hj_error_set(err, HJ_ERR_INPUT, file, hj_yaml_line(fy_node_pair_value(pp)) + line0,
						  hj_yaml_col(fy_node_pair_value(pp)), f2, "%s",
						  v ? e.message : "値が必要です");
				goto out;
			}
		}
	}
	st = derive(p, file, err);
out:
	if (st) {
		hj_free(p);
		return st;
	}
	hj_facts_set_plan(f, p);
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* CSV: 項目,基準年度,1年後,... then one row per item                      */
/* Refused with the row and column: an empty file, a header alone, two
 * header cells alike, an item given twice (by key or Japanese name), a
 * row with fewer cells than the header, a NUL byte or more than
 * MAX_CELL bytes in a cell, an unterminated or malformed quote. A UTF-8
 * byte order mark (Excel) before the header is skipped. */

#define MAX_CELL (1 << 20)

enum { KEY_YEAR_END = HJ_PL_NITEMS, KEY_EMPLOYEES, KEY_REGIONAL, KEY_MIN_WAGE, NKEYS };

/* The item a row gives, as an index (key or Japanese name); -1 unknown. */
static int row_key(const char *s, size_t len)
{
	static const char *const other[][2] = { { "year_end", "決算期末" }, { "employees", "従業員数" },
						 { "regional_min_wage", "地域別最低賃金" },
						 { "min_wage", "事業場内最低賃金" } };
	for (int k = 0; k < 4; k++)
		for (int j = 0; j < 2; j++)
			if (strlen(other[k][j]) == len && !memcmp(other[k][j], s, len))
				return HJ_PL_NITEMS + k;
	return item_by_name(s, len);
}

typedef struct csvload {
	hj_plan *p;
	int row, col;
	char name[128];
	int skip;          /* a computed row (付加価値額): recomputed, not read */
	hj_status st;
	hj_error *err;
	const char *file;
	int ncols;         /* cells of the header */
	int first_empty;   /* the row's first cell is empty */
	int keyline[NKEYS]; /* the line that gave each item */
	char head[HJ_PLAN_MAX_YEARS + 1][64]; /* the header's cells */
} csvload;

static void csv_field(void *s, size_t len, void *ud)
{
	csvload *c = ud;
	int col = c->col++;
	if (col == 0)
		c->first_empty = len == 0;
	if (c->st)
		return;
	const char *t = s ? s : "";
	if (len > MAX_CELL || (len && memchr(t, 0, len))) {
		c->st = hj_error_set(c->err, HJ_ERR_INPUT, c->file, c->row + 1, col + 1, col ? c->name : NULL,
				     len > MAX_CELL ? "セルが長すぎます（1MiBまで）" : "セルに NUL 文字（\\0）があります");
		return;
	}
	if (c->row == 0) {
		if (col > 0 && col <= HJ_PLAN_MAX_YEARS && c->p->n < col)
			c->p->n = col;
		else if (col > HJ_PLAN_MAX_YEARS) {
			c->st = hj_error_set(c->err, HJ_ERR_INPUT, c->file, 1, col + 1, NULL,
					     "計画は基準年度と5年後までです");
			return;
		}
		snprintf(c->head[col], sizeof c->head[col], "%.*s", (int)(len < 63 ? len : 63), t);
		for (int k = 0; k < col && len; k++)
			if (!strcmp(c->head[k], c->head[col]))
				c->st = hj_error_set(c->err, HJ_ERR_INPUT, c->file, 1, col + 1, NULL,
						     "見出し '%s' が2回あります（%d列目と%d列目）", c->head[col], k + 1,
						     col + 1);
		return;
	}
	if (col == 0) {
		snprintf(c->name, sizeof c->name, "%.*s", (int)(len < 120 ? len : 120), t);
		c->skip = !strcmp(c->name, "value_added") || !strcmp(c->name, "付加価値額");
		int key = row_key(t, len);
		if (key >= 0 && c->keyline[key])
			c->st = hj_error_set(c->err, HJ_ERR_INPUT, c->file, c->row + 1, 1, c->name,
					     "項目 '%s' が2回あります（%d行目と%d行目）", c->name, c->keyline[key],
					     c->row + 1);
		else if (key >= 0)
			c->keyline[key] = c->row + 1;
		return;
	}
	if (c->skip)
		return;
	if (col > c->p->n) {
		if (len)
			c->st = hj_error_set(c->err, HJ_ERR_INPUT, c->file, c->row + 1, col + 1, c->name,
					     "見出しより多い列があります");
		return;
	}
	if (!len)
		return; /* not given */
	hj_plan_year *y = &c->p->y[col - 1];
	y->line = c->row + 1;
	hj_error e;
	if (set_field(y, c->name, strlen(c->name), t, len, &e))
		c->st = hj_error_set(c->err, HJ_ERR_INPUT, c->file, c->row + 1, col + 1, c->name, "%s", e.message);
}

static void csv_row(int ch, void *ud)
{
	(void)ch;
	csvload *c = ud;
	if (c->row == 0)
		c->ncols = c->col;
	else if (!c->st && c->col < c->ncols && !(c->col == 1 && c->first_empty))
		c->st = hj_error_set(c->err, HJ_ERR_INPUT, c->file, c->row + 1, c->col, c->name,
				     "列が見出しより少なくあります（%d列のうち%d列）", c->ncols, c->col);
	c->row++;
	c->col = 0;
}

hj_status hj_plan_load_csv(const char *path, hj_plan **out, hj_error *err)
{
	*out = NULL;
	hj_error_clear(err);
	size_t len;
	char *text = hj_read_file(path, &len, err, HJ_ERR_INPUT);
	if (!text)
		return err->status;
	hj_plan *p = hj_calloc(1, sizeof *p);
	struct csv_parser cp;
	csvload c = { p, 0, 0, "", 0, HJ_OK, err, path };
	if (!p || csv_init(&cp, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
		hj_free(text);
		hj_free(p);
		return hj_error_set(err, HJ_ERR_NOMEM, path, 0, 0, NULL, "メモリが足りません");
	}
	size_t skip = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0; /* a UTF-8 byte order mark */
	if (csv_parse(&cp, text + skip, len - skip, csv_field, csv_row, &c) != len - skip && !c.st)
		c.st = hj_error_set(err, HJ_ERR_INPUT, path, c.row + 1, c.col + 1, c.col ? c.name : NULL,
				    "CSV として読めません（引用符 \" で囲んだセルの後に , がありません）");
	if (csv_fini(&cp, csv_field, csv_row, &c) != 0 && !c.st)
		c.st = hj_error_set(err, HJ_ERR_INPUT, path, c.row + 1, c.col + 1, c.col ? c.name : NULL,
				    "引用符 \" が閉じていません（%d行目から最後まで）", c.row + 1);
	if (!c.st && c.row < 2)
		c.st = hj_error_set(err, HJ_ERR_INPUT, path, c.row ? c.row : 1, 0, NULL,
				    c.row ? "項目の行がありません（見出し行だけです）" : "空の CSV です（見出し行がありません）");
	csv_free(&cp);
	hj_free(text);
	hj_status st = c.st ? c.st : derive(p, path, err);
	if (st) {
		hj_free(p);
		return st;
	}
	*out = p;
	return HJ_OK;
}

/* ------------------------------------------------------------------ */
/* Minimum wages                                                       */

int hj_min_wage(const hj_rulebook *rb, int pref, hj_date date, int64_t *yen, int *fy, int64_t *latest)
{
	const hj_min_wages *mw = &rb->mw;
	*latest = 0;
	if (!mw->loaded || pref < 0 || pref >= mw->npref)
		return 0;
	int y, m, d;
	hj_date_to_ymd(date, &y, &m, &d);
	for (int i = mw->nfy - 1; i >= 0; i--) {
		int64_t v = mw->yen[pref * mw->nfy + i];
		hj_date eff = mw->eff[pref * mw->nfy + i];
		hj_date oct1, next_apr1;
		hj_date_from_ymd(mw->fy[i], 10, 1, &oct1);
		hj_date_from_ymd(mw->fy[i] + 1, 4, 1, &next_apr1);
		int in_force;
		if (eff >= 0)
			in_force = date >= eff ? 1 : 0;
		else
			in_force = date >= next_apr1 ? 1 : date < oct1 ? 0 : -1; /* -1: cannot tell */
		if (in_force == 0)
			continue;
		if (!*latest)
			*latest = v;
		if (in_force < 0)
			return 0;
		/* a later revision (the next October) may already apply */
		if (i == mw->nfy - 1) {
			hj_date next_oct1;
			hj_date_from_ymd(mw->fy[i] + 1, 10, 1, &next_oct1);
			if (date >= next_oct1)
				return 0;
		}
		*yen = v;
		*fy = mw->fy[i];
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Requirements                                                        */

/* The metric's value in year k: 1 when known (as an exact fraction). */
static int metric(const hj_plan *p, const char *name, int k, hj_frac *out)
{
	return pl_year_metric(&p->y[k], name, out);
}

/* A year's metric ("value_added", "total_wages", "ordinary_profit",
 * "labor_productivity"): 1 when known, as an exact fraction. */
int pl_year_metric(const hj_plan_year *y, const char *name, hj_frac *out)
{
	int it = -1, per_employee = 0;
	if (!strcmp(name, "value_added"))
		it = HJ_PL_VALUE_ADDED;
	else if (!strcmp(name, "ordinary_profit"))
		it = HJ_PL_ORDINARY;
	else if (!strcmp(name, "total_wages"))
		it = HJ_PL_WAGES;
	else if (!strcmp(name, "labor_productivity") || !strcmp(name, "value_added_per_employee"))
		it = HJ_PL_VALUE_ADDED, per_employee = 1;
	if (it < 0 || !(y->known >> it & 1))
		return 0;
	if (!per_employee) {
		*out = hj_frac_int(y->v[it]);
		return 1;
	}
	if (!y->has_employees || y->employees.num <= 0)
		return 0;
	return hj_frac_div(hj_frac_int(y->v[it]), y->employees, out) == HJ_OK;
}

const char *hj_plan_metric_name(const char *m)
{
	if (!strcmp(m, "value_added"))
		return "付加価値額";
	if (!strcmp(m, "ordinary_profit"))
		return "経常利益";
	if (!strcmp(m, "total_wages"))
		return "給与支給総額";
	if (!strcmp(m, "labor_productivity"))
		return "労働生産性（従業員一人当たり付加価値額）";
	if (!strcmp(m, "value_added_per_employee"))
		return "従業員一人当たり付加価値額";
	if (!strcmp(m, "min_wage"))
		return "事業場内最低賃金";
	return m;
}

/* Whole yen (a per-employee value is shown rounded down). */
static void money_text(hj_frac v, char *buf, size_t size)
{
	hj_yen_format(hj_frac_floor(v), buf, size);
}

/*
 * Exact signed integers of up to 512 bits, for growth comparisons: a value
 * (an exact fraction a/b) times den^n or (den + num)^n can exceed 128 bits
 * (a 1.5% = 3/200 growth over 5 years multiplies by 200^5 = 3.2 x 10^11).
 * 'over' is set when a product does not fit; callers then answer unknown.
 */
enum { BIG_LIMBS = 8 };
typedef struct big {
	uint64_t l[BIG_LIMBS]; /* magnitude, least significant limb first */
	int neg;
	int over;
} big;

static big big_from(i128 v)
{
	big b;
	memset(&b, 0, sizeof b);
	unsigned __int128 m = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
	b.neg = v < 0;
	b.l[0] = (uint64_t)m;
	b.l[1] = (uint64_t)(m >> 64);
	return b;
}

static void big_mul(big *b, i128 factor)
{
	unsigned __int128 m = factor < 0 ? (unsigned __int128)0 - (unsigned __int128)factor : (unsigned __int128)factor;
	if (factor < 0)
		b->neg = !b->neg;
	/* multiply by the two 64-bit halves of m, one after the other */
	uint64_t parts[2] = { (uint64_t)m, (uint64_t)(m >> 64) };
	big acc;
	memset(&acc, 0, sizeof acc);
	for (int h = 0; h < 2; h++) {
		if (!parts[h])
			continue;
		unsigned __int128 carry = 0;
		for (int i = 0; i < BIG_LIMBS; i++) {
			if (i + h >= BIG_LIMBS) {
				if (b->l[i])
					b->over = 1;
				continue;
			}
			unsigned __int128 t = (unsigned __int128)b->l[i] * parts[h] + acc.l[i + h] + carry;
			acc.l[i + h] = (uint64_t)t;
			carry = t >> 64;
		}
		if (carry)
			b->over = 1;
	}
	memcpy(b->l, acc.l, sizeof acc.l);
}

static int big_zero(const big *b)
{
	for (int i = 0; i < BIG_LIMBS; i++)
		if (b->l[i])
			return 0;
	return 1;
}

/* Signed comparison: -1, 0 or 1. */
static int big_cmp(const big *a, const big *b)
{
	int an = a->neg && !big_zero(a), bn = b->neg && !big_zero(b);
	if (an != bn)
		return an ? -1 : 1;
	int c = 0;
	for (int i = BIG_LIMBS - 1; i >= 0 && !c; i--)
		if (a->l[i] != b->l[i])
			c = a->l[i] < b->l[i] ? -1 : 1;
	return an ? -c : c;
}

/* A growth requirement: g = num/den a year, compound or simple. */
typedef struct growth_rule {
	hj_frac g;
	int compound;
} growth_rule;

/*
 * Does x = xn/xd reach the year-k target from v0 (an exact fraction > 0)?
 *   compound: x >= v0 (1 + g)^k  <=>  xn v0.den den^k >= v0.num xd (den + num)^k
 *   simple:   x >= v0 (1 + g k)  <=>  xn v0.den den   >= v0.num xd (den + num k)
 * Returns 1, 0, or -1 when a product does not fit in 512 bits.
 */
static int reaches(i128 xn, i128 xd, hj_frac v0, growth_rule gr, int k)
{
	big l = big_from(xn), r = big_from(v0.num);
	big_mul(&l, v0.den);
	big_mul(&r, xd);
	if (gr.compound) {
		for (int i = 0; i < k; i++) {
			big_mul(&l, gr.g.den);
			big_mul(&r, (i128)gr.g.den + gr.g.num);
		}
	} else {
		big_mul(&l, gr.g.den);
		big_mul(&r, (i128)gr.g.den + (i128)gr.g.num * k);
	}
	if (l.over || r.over)
		return -1;
	return big_cmp(&l, &r) >= 0;
}

/* The least whole d with (vk + d) reaching the year-k target, by bisection
 * (reaching is monotone in d); 0 when no d up to 2^62 does. */
static int least_increase(hj_frac vk, hj_frac v0, growth_rule gr, int k, int64_t *out)
{
	int64_t lo = 0, hi = (int64_t)1 << 62; /* lo fails, hi passes */
	if (reaches((i128)vk.num + (i128)hi * vk.den, vk.den, v0, gr, k) != 1)
		return 0;
	if (reaches(vk.num, vk.den, v0, gr, k) == 1) {
		*out = 0;
		return 1;
	}
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (reaches((i128)vk.num + (i128)mid * vk.den, vk.den, v0, gr, k) == 1)
			hi = mid;
		else
			lo = mid;
	}
	*out = hi;
	return 1;
}

/* The least whole value reaching the year-k target (v0 > 0, so it is > 0). */
static int least_value(hj_frac v0, growth_rule gr, int k, int64_t *out)
{
	return least_increase(hj_frac_int(0), v0, gr, k, out);
}

/* Does x reach the year-k growth path from v0 > 0 (growth g a year,
 * compound or simple), compared exactly: 1, 0, or -1 when the numbers do
 * not fit in 512 bits. */
int pl_reaches(hj_frac x, hj_frac v0, hj_frac g, int compound, int k)
{
	growth_rule gr = { g, compound };
	return reaches(x.num, x.den, v0, gr, k);
}

/* The least whole value reaching the year-k path from v0 > 0; 0 when none
 * up to 2^62 does. */
int pl_least_value(hj_frac v0, hj_frac g, int compound, int k, int64_t *out)
{
	growth_rule gr = { g, compound };
	return least_value(v0, gr, k, out);
}

/*
 * Growth: year k meets the path when V_k >= V_0 (1 + g)^k (compound) or
 * V_0 (1 + g k) (simple). A base at or below zero has no growth rate: a
 * year that does not rise above the base fails (a decline never meets a
 * growth target), one that rises is undetermined (docs/plan.md). Only the
 * final year decides; an earlier year below the line is "線の下" (behind
 * the path), not 未達.
 * Fills r->year_ok and the texts.
 */
static hj_truth growth(const hj_plan *p, const char *m, growth_rule gr, hj_req_result *r, int write)
{
	hj_frac v0;
	int n = p->n - 1;
	if (!metric(p, m, 0, &v0)) {
		if (write)
			snprintf(r->detail, sizeof r->detail, "基準年度の%sが分かりません", hj_plan_metric_name(m));
		return HJ_UNKNOWN;
	}
	int base_ok = v0.num > 0;
	hj_truth last = HJ_UNKNOWN;
	size_t o = 0;
	char a[48], b[48];
	r->has_years = write;
	money_text(v0, a, sizeof a);
	if (write)
		o += (size_t)snprintf(r->detail + o, sizeof r->detail - o, "%s 基準 %s%s", hj_plan_metric_name(m), a,
				      base_ok ? "" : "（0以下のため伸び率は定まりません）");
	for (int k = 1; k <= n; k++) {
		hj_frac vk;
		hj_truth t = HJ_UNKNOWN;
		int known_k = metric(p, m, k, &vk);
		if (known_k && !base_ok)
			t = hj_frac_cmp(vk, v0) > 0 ? HJ_UNKNOWN : HJ_FALSE;
		else if (known_k) {
			int ok = reaches(vk.num, vk.den, v0, gr, k);
			t = ok < 0 ? HJ_UNKNOWN : ok ? HJ_TRUE : HJ_FALSE;
		}
		if (write) {
			r->year_ok[k] = (uint8_t)t;
			if (known_k) {
				money_text(vk, a, sizeof a);
				o += (size_t)snprintf(r->detail + o, o < sizeof r->detail ? sizeof r->detail - o : 0,
						      "、%d年後 %s%s", k, a,
						      t == HJ_TRUE ? "" : t == HJ_FALSE ? (k == n ? "（未達）" : "（線の下）") : "（要確認）");
			}
		}
		if (k == n) {
			last = t;
			if (!write)
				continue;
			if (!base_ok)
				o += (size_t)snprintf(r->detail + o, o < sizeof r->detail ? sizeof r->detail - o : 0,
						      "。基準年度が0以下の場合の扱いは出典にないため、公募要領か事務局で確認してください");
			int64_t need, more;
			if (!base_ok && known_k && t == HJ_FALSE) {
				money_text(v0, a, sizeof a);
				snprintf(r->fix, sizeof r->fix,
					 "%d年後の%sを基準年度の %s より多く（基準年度が0以下では目標額が定まらないため、達成と認められるかは要確認）",
					 k, hj_plan_metric_name(m), a);
			} else if (t == HJ_FALSE && least_value(v0, gr, k, &need) && least_increase(vk, v0, gr, k, &more)) {
				/* the least whole value passing, and the least whole increase */
				hj_yen_format(need, a, sizeof a);
				hj_yen_format(more, b, sizeof b);
				snprintf(r->fix, sizeof r->fix, "%d年後の%sを %s 以上に（あと %s）", k, hj_plan_metric_name(m), a, b);
			}
		}
	}
	return last;
}

hj_status hj_plan_check(const hj_rulebook *rb, hj_facts *f, const hj_frame *fr, hj_plan_result *out, hj_error *err)
{
	memset(out, 0, sizeof *out);
	out->frame = fr;
	const hj_plan *p = f->plan;
	if (!p)
		return hj_error_set(err, HJ_ERR_INPUT, f->file, 0, 0, "plan", "入力に plan（事業計画）がありません");
	hj_expr_rt rt;
	hj_facts_runtime(f, &rt);
	int any_false = 0, any_unknown = 0;
	int n = p->n - 1;
	for (int i = 0; i < fr->nreqs && out->nreqs < HJ_PLAN_MAX_REQS; i++) {
		const hj_requirement *q = &fr->reqs[i];
		hj_req_result *r = &out->reqs[out->nreqs++];
		r->id = q->id;
		r->text = q->text;
		r->source = q->source;
		r->note = q->note ? q->note : "";
		r->metric = q->metric ? q->metric : "";
		r->applies = HJ_TRUE;
		if (q->when) {
			hj_factset m;
			hj_factset_clear(&m);
			hj_value v = hj_expr_eval(q->when, &rt, &m);
			r->applies = !v.known ? HJ_UNKNOWN : v.u.b ? HJ_TRUE : HJ_FALSE;
		}
		hj_truth t = HJ_TRUE;
		if (r->applies == HJ_FALSE) {
			r->result = HJ_TRUE;
			snprintf(r->detail, sizeof r->detail, "適用なし（条件: %s）", hj_expr_text(q->when));
			continue;
		}
		if (q->years_min && !q->metric) {
			t = n >= q->years_min && n <= q->years_max ? HJ_TRUE : HJ_FALSE;
			snprintf(r->detail, sizeof r->detail, "計画期間 %d年（%d〜%d年）", n, q->years_min, q->years_max);
			if (t == HJ_FALSE)
				snprintf(r->fix, sizeof r->fix, "計画を%d〜%d年にする（今は%d年）", q->years_min, q->years_max, n);
		} else if (q->metric && !strcmp(q->metric, "min_wage") && q->has_above_min_wage) {
			int pf = hj_rb_fact_find(rb, "prefecture");
			hj_value pv = pf >= 0 ? f->vals[pf] : hj_value_unknown();
			if (!pv.known) {
				t = HJ_UNKNOWN;
				snprintf(r->detail, sizeof r->detail, "都道府県（applicant.prefecture）が分かりません");
			} else {
				size_t o = 0;
				int hint = 0; /* r->fix says what to supply, not a change */
				r->has_years = 1;
				for (int k = 1; k <= n; k++) {
					const hj_plan_year *y = &p->y[k];
					int64_t reg = 0, latest = 0;
					int fy = 0;
					int known = hj_min_wage(rb, pv.u.sym, y->year_end, &reg, &fy, &latest);
					hj_truth tk;
					char part[300];
					if (!y->has_min_wage) {
						tk = HJ_UNKNOWN;
						snprintf(part, sizeof part, "%d年後: 事業場内最低賃金が未入力", k);
					} else if (known) {
						/* published: the table decides, whatever the input states */
						char other[80] = "";
						if (y->has_regional && y->regional != reg)
							snprintf(other, sizeof other, "。入力の地域別 %lld円ではなく公表値を使用",
								 (long long)y->regional);
						tk = y->min_wage >= reg + q->above_min_wage ? HJ_TRUE : HJ_FALSE;
						snprintf(part, sizeof part, "%d年後: %lld円（地域別 %lld円［%d年度］＋%lld円 = %lld円%s%s）", k,
							 (long long)y->min_wage, (long long)reg, fy, (long long)q->above_min_wage,
							 (long long)(reg + q->above_min_wage), tk == HJ_TRUE ? "" : "に未達", other);
						if (tk == HJ_FALSE && (!r->fix[0] || hint)) {
							snprintf(r->fix, sizeof r->fix, "%d年後の事業場内最低賃金を %lld円以上に（あと %lld円）",
								 k, (long long)(reg + q->above_min_wage),
								 (long long)(reg + q->above_min_wage - y->min_wage));
							hint = 0;
						}
					} else if (latest && y->min_wage < latest + q->above_min_wage) {
						tk = HJ_FALSE;
						snprintf(part, sizeof part, "%d年後: %lld円（最新の地域別 %lld円＋%lld円にも未達）", k,
							 (long long)y->min_wage, (long long)latest, (long long)q->above_min_wage);
						if (!r->fix[0] || hint) {
							snprintf(r->fix, sizeof r->fix,
								 "%d年後の事業場内最低賃金を少なくとも %lld円以上に（その年度の地域別最低賃金は未公表）",
								 k, (long long)(latest + q->above_min_wage));
							hint = 0;
						}
					} else if (y->has_regional) {
						/* not published: the applicant's stated value decides */
						int64_t need = y->regional + q->above_min_wage;
						tk = y->min_wage >= need ? HJ_TRUE : HJ_FALSE;
						snprintf(part, sizeof part, "%d年後: %lld円（地域別 %lld円［申請者の入力］＋%lld円 = %lld円%s）", k,
							 (long long)y->min_wage, (long long)y->regional, (long long)q->above_min_wage,
							 (long long)need, tk == HJ_TRUE ? "" : "に未達");
						if (tk == HJ_FALSE && (!r->fix[0] || hint)) {
							snprintf(r->fix, sizeof r->fix,
								 "%d年後の事業場内最低賃金を %lld円以上に（あと %lld円、地域別最低賃金は申請者の入力）",
								 k, (long long)need, (long long)(need - y->min_wage));
							hint = 0;
						}
					} else {
						tk = HJ_UNKNOWN;
						snprintf(part, sizeof part,
							 "%d年後: %lld円（地域別最低賃金が未公表のため要確認。regional_min_wage に見込み額を書けば判定）",
							 k, (long long)y->min_wage);
						if (!r->fix[0]) {
							snprintf(r->fix, sizeof r->fix,
								 "%d年後の地域別最低賃金は未公表: 見込み額を plan の regional_min_wage に書くと判定します",
								 k);
							hint = 1;
						}
					}
					r->year_ok[k] = (uint8_t)tk;
					o += (size_t)snprintf(r->detail + o, o < sizeof r->detail ? sizeof r->detail - o : 0, "%s%s",
							      o ? "、" : "", part);
					if (tk == HJ_FALSE)
						t = HJ_FALSE;
					else if (tk == HJ_UNKNOWN && t == HJ_TRUE)
						t = HJ_UNKNOWN;
				}
			}
		} else if (q->metric && q->has_growth) {
			growth_rule gr = { q->growth, q->growth_compound };
			t = growth(p, q->metric, gr, r, 1);
			if (q->or_metric && t != HJ_TRUE) {
				hj_req_result alt;
				memset(&alt, 0, sizeof alt);
				hj_truth t2 = growth(p, q->or_metric, gr, &alt, 1);
				size_t o = strlen(r->detail);
				snprintf(r->detail + o, sizeof r->detail - o, "／ 又は %s", alt.detail);
				if (t2 == HJ_TRUE) {
					t = HJ_TRUE;
					r->fix[0] = '\0';
					memcpy(r->year_ok, alt.year_ok, sizeof r->year_ok);
					r->has_years = 1;
				} else if (t2 == HJ_UNKNOWN && t == HJ_FALSE)
					t = HJ_UNKNOWN;
			}
			if (q->years_min && (n < q->years_min || n > q->years_max)) {
				size_t o = strlen(r->detail);
				snprintf(r->detail + o, sizeof r->detail - o, "（計画期間 %d年は%d〜%d年の外）", n, q->years_min,
					 q->years_max);
				t = HJ_FALSE;
				if (!r->fix[0])
					snprintf(r->fix, sizeof r->fix, "計画を%d〜%d年にする", q->years_min, q->years_max);
			}
		} else {
			t = HJ_UNKNOWN;
			snprintf(r->detail, sizeof r->detail, "この要件は計画では確認できません");
		}
		if (r->applies == HJ_UNKNOWN && t == HJ_FALSE)
			t = HJ_UNKNOWN; /* fails, but only if it applies */
		r->result = t;
		if (t == HJ_FALSE)
			any_false = 1;
		else if (t == HJ_UNKNOWN)
			any_unknown = 1;
	}
	out->verdict = any_false ? HJ_INELIGIBLE : any_unknown ? HJ_UNDETERMINED : HJ_ELIGIBLE;
	return HJ_OK;
}
