/*
 * hojo/plan.h - the business plan (会社全体の事業計画, seed 004) and the
 * frames' plan requirements checked on it.
 *
 * A plan is the base year (基準年度) and 1-5 years after it. Per year:
 * 売上高, 売上原価, 人件費, 減価償却費, その他経費 (or 営業利益 directly),
 * 営業外収支, 経常利益, 設備投資額, 給与支給総額, 従業員数, 事業場内最低賃金.
 * Derived as seed 004:244-246 and 202 define them:
 *   営業利益 = 売上高 - (売上原価 + 人件費 + 減価償却費 + その他経費)
 *   経常利益 = 営業利益 + 営業外収支
 *   付加価値額 = 営業利益 + 人件費 + 減価償却費
 *   労働生産性 = 付加価値額 / 従業員数
 * Growth requirements ("年率平均 +3%") are measured as each rule says:
 * compound (年平均成長率, V_k >= V_0 x (1 + g)^k; every shipped rule) or
 * simple (V_k >= V_0 x (1 + g x k)); the requirement is met when the final
 * year is. A base at or below zero has no rate: a year not above it fails,
 * one above it is undetermined (docs/plan.md says why).
 *
 * Ownership: the plan belongs to the hj_facts it was read into (or to the
 * caller for hj_plan_load_csv: hj_plan_free). Results are caller-owned
 * values; their strings borrow the rulebook.
 */
#ifndef HOJO_PLAN_H
#define HOJO_PLAN_H

#include "error.h"
#include "money.h"
#include "rulebook.h"
#include "input.h"
#include "eval.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_PLAN_MAX_YEARS 6 /* the base year and 5 years after it */

typedef enum hj_plan_item {
	HJ_PL_SALES = 0,     /* ①売上高 */
	HJ_PL_COST,          /* 売上原価 */
	HJ_PL_LABOR,         /* ④人件費 */
	HJ_PL_DEPRECIATION,  /* ⑤減価償却費 */
	HJ_PL_OTHER,         /* その他経費 */
	HJ_PL_OPERATING,     /* ②営業利益 */
	HJ_PL_NONOP,         /* 営業外収支 */
	HJ_PL_ORDINARY,      /* ③経常利益 */
	HJ_PL_CAPEX,         /* ⑥設備投資額 */
	HJ_PL_WAGES,         /* ⑦給与支給総額 */
	HJ_PL_VALUE_ADDED,   /* 付加価値額 (always computed) */
	HJ_PL_NITEMS
} hj_plan_item;

typedef struct hj_plan_year {
	int has_year_end;
	hj_date year_end;        /* the fiscal year's last day (決算期末) */
	uint32_t given;          /* bit per hj_plan_item: written in the input */
	uint32_t known;          /* bit per hj_plan_item: given or computed */
	hj_yen v[HJ_PL_NITEMS];
	int has_employees;
	hj_frac employees;
	int has_min_wage;
	int64_t min_wage;        /* 事業場内最低賃金, 円/時 */
	int has_regional;
	int64_t regional;        /* 地域別最低賃金 as the applicant states it, 円/時:
				    used where rules/tables/min_wage.yaml cannot
				    say (not yet published) */
	int line;                /* input line */
} hj_plan_year;

typedef struct hj_plan hj_plan;

int hj_plan_years(const hj_plan *p);                  /* base year included */
const hj_plan_year *hj_plan_year_at(const hj_plan *p, int k); /* 0 = base */
int hj_plan_nwarnings(const hj_plan *p);
const char *hj_plan_warning(const hj_plan *p, int i);
const char *hj_plan_item_name(hj_plan_item it);       /* "売上高", ... */
const char *hj_plan_item_key(hj_plan_item it);        /* "sales", ... */
/* "基準年度" for year 0, "N年後" after it, written into 'buf'; returns 'buf'. */
const char *hj_plan_year_label(int k, char *buf, size_t size);
/* Japanese name of a requirement metric ("value_added" -> "付加価値額"). */
const char *hj_plan_metric_name(const char *metric);

/* The plan read with the facts ('plan:' in the input), or NULL. */
const hj_plan *hj_facts_plan(const hj_facts *f);

/* A plan table as CSV: a header row (項目, then one column per year) and a
 * row per item key (year_end, sales, ...; docs/plan.md). */
hj_status hj_plan_load_csv(const char *path, hj_plan **out, hj_error *err);
/* Attach a plan to facts (the facts take ownership). */
void hj_facts_set_plan(hj_facts *f, hj_plan *p);
void hj_plan_free(hj_plan *p);

/* 地域別最低賃金 in force in a prefecture (enum index) on a date.
 * Returns 1 and sets *yen and *fy when known; 0 when not (after the last
 * revision in the table, or when an effective date is missing). *latest
 * receives the latest value known on or before the date, 0 if none. */
int hj_min_wage(const hj_rulebook *rb, int prefecture, hj_date date, int64_t *yen, int *fy, int64_t *latest);

#define HJ_PLAN_MAX_REQS 16

typedef struct hj_req_result {
	const char *id;
	const char *text;
	const char *source;
	const char *note;
	const char *metric;      /* "" for plan length */
	hj_truth applies;        /* its 'when' condition */
	hj_truth result;
	int has_years;           /* year_ok is filled: a per-year requirement
				    that applies and whose base is known */
	hj_truth year_ok[HJ_PLAN_MAX_YEARS]; /* per year (index 0 unused) */
	char detail[1000];       /* the values it saw */
	char fix[400];           /* the smallest change that passes, or "" */
} hj_req_result;

typedef struct hj_plan_result {
	const hj_frame *frame;
	hj_verdict verdict;      /* eligible: every requirement met */
	int nreqs;
	hj_req_result reqs[HJ_PLAN_MAX_REQS];
} hj_plan_result;

/* Check the frame's plan requirements on the facts' plan. A frame without
 * requirements is eligible; facts without a plan give HJ_ERR_INPUT. */
hj_status hj_plan_check(const hj_rulebook *rb, hj_facts *f, const hj_frame *frame,
			hj_plan_result *out, hj_error *err);

/*
 * The JSON document of docs/json.md for 'n' plan checks of the facts'
 * plan: {"hojo", "rulebook_hash", "plan": {years, warnings}, "results":
 * [{program, edition, frame, frame_name, verdict, requirements}]}.
 * Caller frees with hj_free; NULL when out of memory.
 */
char *hj_plan_json(const hj_rulebook *rb, hj_facts *f, const hj_plan_result *res, int n, int pretty);

/*
 * Write the plan table in the layout of seed 004 (rows and year columns as
 * the application has them), with the computed rows and growth rates as
 * live Excel formulas, each frame's requirements with pass/fail marks, and
 * a line chart of 付加価値額 and 給与支給総額 against the requirement lines.
 */
hj_status hj_plan_write_xlsx(const hj_rulebook *rb, hj_facts *f, const hj_plan_result *res, int n,
			     const char *path, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
