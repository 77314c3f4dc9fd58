/*
 * hojo/eval.h - evaluating frames for an applicant, and explaining why.
 *
 * hj_evaluate fills an hj_result for one frame without allocating, fast
 * enough for batches of millions. Everything a person reads about that
 * result (each condition with the values it saw and its source) is built
 * on demand by hj_explain, and the JSON contract (docs/json.md) by
 * hj_results_json.
 *
 * Ownership: hj_result is a plain value owned by the caller; it borrows
 * the frame. hj_explain returns an hj_reasons list owned by the caller
 * (hj_reasons_free). hj_results_json returns a string the caller frees
 * with hj_free.
 */
#ifndef HOJO_EVAL_H
#define HOJO_EVAL_H

#include <stdint.h>
#include "error.h"
#include "money.h"
#include "rulebook.h"
#include "input.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hj_verdict {
	HJ_INELIGIBLE = 0,
	HJ_UNDETERMINED = 1,
	HJ_ELIGIBLE = 2
} hj_verdict;

/* Three-valued truth. */
typedef enum hj_truth { HJ_FALSE = 0, HJ_TRUE = 1, HJ_UNKNOWN = 2 } hj_truth;

/* Why the verdict is what it is (the first thing that decided it). */
typedef enum hj_decider {
	HJ_BY_ALL_MET = 0,      /* eligible */
	HJ_BY_CONDITION,        /* a condition is false (or unknown) */
	HJ_BY_LOWER_LIMIT,      /* subsidy below the lower limit */
	HJ_BY_AMOUNT_UNKNOWN,   /* rate, cap or expenses unknown */
	HJ_BY_NOT_IN_FORCE,     /* the frame is not open on the date */
	HJ_BY_ERROR,            /* arithmetic overflow in the rules */
	HJ_BY_PLAN              /* a plan requirement failed (or is unknown) */
} hj_decider;

#define HJ_RESULT_MAX_CONDS 32
#define HJ_RESULT_MAX_BONUSES 8
#define HJ_RESULT_MAX_RATES 16
#define HJ_RESULT_MAX_PARTS 8
#define HJ_RESULT_MAX_RATE_FACTS 8
#define HJ_RESULT_MAX_REQS 16

typedef struct hj_result {
	const hj_frame *frame;
	hj_verdict verdict;
	hj_decider decided_by;
	int size_class;            /* index in enum size_class, -1 unknown */
	int nconds;
	int rate_known;
	hj_frac rate;
	int rate_rule;             /* 0 = default, i = exception i */
	hj_frac rate_min, rate_max; /* the lowest and highest rate it can be
				       (both 'rate' when known) */
	int nrate_facts;           /* when the rate is unknown: the facts */
	int rate_facts[HJ_RESULT_MAX_RATE_FACTS]; /* that would fix it */
	int cap_known;
	hj_yen cap;                /* including bonuses and the raised band */
	hj_yen cap_base;           /* before bonuses (the lowest possible) */
	int band;                  /* band index used, -1 if flat/unknown */
	int has_lower;
	hj_yen lower;
	int expenses_known;
	hj_yen expenses;
	int subsidy_known;
	hj_yen subsidy;            /* min(cap, floor(tiered(expenses x rate)))
				      + parts, at most the total cap */
	hj_yen uncapped;           /* floor(tiered(expenses x rate)) */
	hj_yen shortfall;          /* lower - subsidy when below the limit */
	int expenses_needed_known;
	hj_yen expenses_needed;    /* least expenses reaching the lower limit */
	int nmissing;
	int nparts;
	uint8_t raised;            /* hj_truth of the raised-cap condition */
	/* per-rule truths: entries beyond the frame's counts are unspecified */
	uint8_t cond[HJ_RESULT_MAX_CONDS];   /* hj_truth per condition */
	uint8_t rate_cond[HJ_RESULT_MAX_RATES]; /* hj_truth per rate exception */
	uint8_t bonus[HJ_RESULT_MAX_BONUSES]; /* hj_truth per bonus */
	uint8_t part_state[HJ_RESULT_MAX_PARTS]; /* hj_truth of each part's condition */
	hj_yen part_subsidy[HJ_RESULT_MAX_PARTS]; /* each part's amount (in 'subsidy'),
						     after the total cap */
	hj_yen part_full[HJ_RESULT_MAX_PARTS];    /* each part before the total cap */
	hj_yen main_subsidy;       /* the frame's own amount without the parts,
				      after the total cap: main_subsidy + the
				      parts = subsidy */
	/* the plan: with a plan in the input, the frame's plan requirements
	 * are part of the verdict (a failed one makes it ineligible, an
	 * unknown one undetermined); nreqs is 0 without a plan */
	int nreqs;
	uint8_t plan_verdict;      /* hj_verdict of the plan check when nreqs */
	uint8_t req[HJ_RESULT_MAX_REQS]; /* hj_truth per requirement */
	int missing[64];           /* fact ids to supply, in fact order */
} hj_result;

/* Which frames to evaluate. */
typedef struct hj_selection {
	int has_date;
	hj_date date;          /* frames in force on this date only */
	const char *program;   /* program id, or NULL for all */
	const char *edition;   /* edition id, or NULL for all */
	const struct hj_columns *columns; /* hj_summarize: how CSV columns are read, or NULL */
} hj_selection;

int hj_frame_selected(const hj_frame *f, const hj_selection *sel);

/* Evaluate one frame. Never allocates; HJ_ERR_RANGE only on overflow. */
hj_status hj_evaluate(const hj_rulebook *rb, hj_facts *facts,
		      const hj_frame *frame, hj_result *out);

/*
 * Like hj_evaluate, but stops as soon as the verdict is decided: when a
 * condition is false the result says ineligible, counts in nconds only
 * the conditions up to that one, and leaves the rate, cap, expenses and
 * subsidy unknown (their amounts unset); the facts missing for an undetermined frame are not
 * listed (nmissing 0), nor those that would fix an unknown rate
 * (nrate_facts 0). For counting at scale (hojo batch --summary); the
 * verdict, and the subsidy and cap of an eligible frame, are always the
 * same as hj_evaluate's.
 */
hj_status hj_evaluate_verdict(const hj_rulebook *rb, hj_facts *facts,
			      const hj_frame *frame, hj_result *out);

/*
 * Evaluate every selected frame into 'out' (room for 'max'), best first:
 * eligible before undetermined before ineligible, then by subsidy, then
 * by cap. Returns the number written through *n.
 */
hj_status hj_check(const hj_rulebook *rb, hj_facts *facts,
		   const hj_selection *sel, hj_result *out, int max, int *n);

/* Sort results best first (as hj_check does). */
void hj_results_sort(hj_result *r, int n);

/* Is the edition's i-th document required for these facts: HJ_TRUE
 * when its 'when' holds (or it has none), HJ_UNKNOWN when a fact it
 * reads is missing. */
hj_truth hj_edition_doc_required(const hj_rulebook *rb, hj_facts *facts, const hj_edition *e, int i);

const char *hj_verdict_name(hj_verdict v);    /* "eligible", ... */
const char *hj_verdict_name_ja(hj_verdict v); /* "対象", "要確認", "対象外" */
/* Japanese name of a size class index ("中小企業者"), "要確認" if -1. */
const char *hj_size_class_name(const hj_rulebook *rb, int cls);
const char *hj_size_class_id(const hj_rulebook *rb, int cls);

/* One line of an explanation. */
typedef struct hj_reason {
	const char *kind;   /* "classification", "condition", "rate", "cap",
			       "cap_bonus", "tier", "lower_limit", "subsidy",
			       "period", "missing" */
	const char *id;
	hj_truth result;
	const char *text;   /* what the rule says */
	const char *values; /* the values it saw, e.g. "資本金=1,000万円, 従業員数=25人" */
	const char *source;
	const char *note;
} hj_reason;

typedef struct hj_reasons hj_reasons;

hj_status hj_explain(const hj_rulebook *rb, hj_facts *facts,
		     const hj_result *res, hj_reasons **out);
int hj_reasons_count(const hj_reasons *r);
const hj_reason *hj_reasons_get(const hj_reasons *r, int i);
void hj_reasons_free(hj_reasons *r);

/*
 * The JSON document of docs/json.md for 'n' results of one applicant:
 * {"hojo": version, "rulebook": {...hash}, "as_of": date|null,
 *  "applicant": {...}, "results": [...]}, every result with all its
 * reasons. Caller frees with hj_free; NULL when out of memory.
 */
char *hj_results_json(const hj_rulebook *rb, hj_facts *facts,
		      const hj_selection *sel, const hj_result *res, int n,
		      int pretty);

#define HJ_VERSION "0.1.0"

#ifdef __cplusplus
}
#endif
#endif
