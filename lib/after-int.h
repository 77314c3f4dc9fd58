/*
 * lib/after-int.h - internal to lib/: an edition's 'after:' rules as
 * loaded by lib/after-rules.c and read by lib/after.c (docs/rulebook.md,
 * "after: after adoption").
 *
 * Ownership: everything lives in the rulebook's arena and is freed with
 * it; a loaded rulebook never changes, so these are read without locks.
 */
#ifndef HOJO_AFTER_INT_H
#define HOJO_AFTER_INT_H

#include "rulebook-int.h"

/* The closed set of outcome formulas (docs/after.md says what each
 * computes over a cohort). */
typedef enum af_kind {
	AF_SHARE_COMMERCIALISED = 0,     /* share of grantees with 事業化 */
	AF_SHARE_BOTH_GROWTH,            /* share meeting both growth targets */
	AF_AGGREGATE_GROWTH,             /* Σ metric growth over the cohort */
	AF_SHARE_HIGHER_SALES,           /* share with sales above the base year */
	AF_CUMULATIVE_SALES_VS_BUDGET,   /* Σ project sales / budget */
	AF_AGGREGATE_PRODUCTIVITY_GROWTH,/* Σ 付加価値額 / Σ 従業員数 growth */
	AF_NKINDS
} af_kind;

/* Names of the kinds, as the rulebook writes them. */
extern const char *const af_kind_names[AF_NKINDS];

typedef struct af_outcome {
	char *id, *text, *source, *note; /* note "" when none */
	af_kind kind;
	int has_target;
	hj_frac target;   /* shares and the sales ratio: at least / above */
	int strict;       /* 1: above (超), 0: at least (以上) */
	char *metric;     /* aggregate_growth: value_added | total_wages */
	hj_frac growth;   /* aggregate kinds: the rate */
	int total;        /* 1: 'total' over the horizon, 0: 'annual' compound */
	hj_frac va_growth, wage_growth; /* share_both_growth: annual, compound */
	int horizon;      /* years after completion; 0 when the source gives none */
} af_outcome;

typedef struct af_retro {
	const hj_frame **frames;
	int nframes;
	hj_date from;     /* contracts on or after this date */
	char *source, *note;
} af_retro;

typedef struct af_due {
	char *id, *text, *source, *note;
	hj_expr *when;    /* a boolean expression over the application's facts, or */
	char *check;      /* a named check ("base_year_actuals") */
} af_due;

typedef struct af_consequence {
	char *id, *text, *source, *note;
} af_consequence;

typedef struct hj_after_rules hj_after_rules;
struct hj_after_rules {
	/* project_period */
	int has_period;
	int period_months;    /* 0: the staff set the end (要確認) */
	char *period_source, *period_note;
	af_retro *retro;
	int nretro;
	af_due *due;
	int ndue;
	/* reports */
	int has_reports;
	int report_count;     /* 0 with count_plan */
	int count_plan;       /* as many as the approved plan's years */
	int first_fy;         /* first fiscal year (年度), or 0 */
	int first_after;      /* or the n-th fiscal year after completion */
	int due_months;       /* due this many months after the fiscal year ends */
	int due_setting;      /* the due date is a secretariat setting */
	char *due_note;
	int extra_count;
	char *extra_text, *extra_source;
	char *reports_source, *reports_note;
	/* consequences */
	int none_encoded;
	char *none_note;
	af_consequence *cons;
	int ncons;
	af_outcome *outcomes;
	int noutcomes;
};

#endif
