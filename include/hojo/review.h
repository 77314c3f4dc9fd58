/*
 * hojo/review.h - how applications are chosen, as engine code over the
 * rulebook (lib/review.c, lib/review-rules.c; docs/review.md):
 *
 *  - each edition's 審査項目 (criteria: id, group 技術面/事業化面/政策面 …,
 *    the question, its source) and the scale reviewers score on;
 *  - its 加点項目 (bonus rules: an expression over the applicant's facts,
 *    the points, the evidence document, the source), evaluated with the
 *    values seen, three-valued (要確認 when a fact is missing);
 *  - re-review: a frame whose rejected applications are reviewed again in
 *    another frame, with the bonus or priority the seeds give;
 *  - selection: rank per frame by total score with declared tie-breaks,
 *    adopt down the ranking within budget and slots, report the cut line;
 *    rejected special-frame applications move to their re-review frame
 *    and are ranked there with the rest. Pure, deterministic, no store.
 *
 * Scores are exact: a total is a fraction (hj_frac; the mean of the
 * reviewers' weighted sums plus bonus points), compared exactly. Money is
 * hj_yen with checked arithmetic.
 *
 * Ownership: pointers into the rulebook are borrowed (valid while it
 * lives). hj_selection_run fills an hj_sel_result the caller owns and
 * releases with hj_sel_result_free; its arrays are allocated with
 * hj_malloc. Documents returned as char ** are JSON freed with hj_free.
 */
#ifndef HOJO_REVIEW_H
#define HOJO_REVIEW_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "money.h"
#include "rulebook.h"
#include "eval.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- review rules of an edition (edition key 'review:') ---- */

typedef struct hj_criterion {
	const char *id;      /* "tech_innovation" */
	const char *group;   /* "技術面", "事業化面", "政策面" … */
	const char *text;    /* the question reviewers answer */
	int64_t weight;      /* default weight (the call may set its own) */
	const char *source;  /* "seed 004:38" */
	const char *note;    /* "" when none */
} hj_criterion;

/* The scale one criterion is scored on (integers min..max). */
typedef struct hj_scale {
	int64_t min, max;
	const char *source;  /* where the seeds are silent: the rulebook says so */
	const char *note;
} hj_scale;

typedef struct hj_bonus_rule {
	const char *id;        /* "kakushin" */
	const char *name;      /* "経営革新計画の承認" */
	const char *group;     /* "成長加点", "政策加点" … or "" */
	int64_t points;        /* default points (the call may set its own) */
	const char *evidence;  /* the attachment kind that proves it, or "" */
	const char *text;      /* the condition in Japanese */
	const char *source;
	const char *note;
} hj_bonus_rule;

typedef struct hj_rereview {
	const hj_frame *from;  /* a rejected application of this frame … */
	const hj_frame *to;    /* … is reviewed again in this one */
	const char *bonus;     /* bonus rule id it carries there, or "" */
	int priority;          /* 1: ranked ahead at equal score (優先的に採択) */
	const char *source;
	const char *note;
	const char *when;      /* the condition choosing this target when a
				  frame has several ("sme"), "" when none */
} hj_rereview;

/* 0 when the edition has no 'review:'. */
int hj_edition_has_review(const hj_edition *e);
int hj_edition_ncriteria(const hj_edition *e);
const hj_criterion *hj_edition_criterion(const hj_edition *e, int i);
/* The scale; *out zeroed with source "" when the edition has none. */
void hj_edition_scale(const hj_edition *e, hj_scale *out);
int hj_edition_nbonus_rules(const hj_edition *e);
const hj_bonus_rule *hj_edition_bonus_rule(const hj_edition *e, int i);
/* -1 when none has that id. */
int hj_edition_find_bonus_rule(const hj_edition *e, const char *id);
int hj_edition_nrereviews(const hj_edition *e);
const hj_rereview *hj_edition_rereview(const hj_edition *e, int i);
/* The re-review rule whose 'from' is 'f', or NULL. */
const hj_rereview *hj_frame_rereview(const hj_frame *f);

/* Does re-review rule i of edition e apply to these facts (its 'when';
 * HJ_TRUE when it has none, HJ_UNKNOWN when a fact it reads is missing). */
hj_truth hj_rereview_applies(const hj_rulebook *rb, hj_facts *facts, const hj_edition *e, int i);

/* The re-review rule that sends a rejected application of frame 'from'
 * with these facts elsewhere: the first of the frame's rules whose 'when'
 * holds (or that has none), NULL when none does (an unknown 'when' does
 * not hold: the application is not moved until the fact is known). */
const hj_rereview *hj_review_target(const hj_rulebook *rb, hj_facts *facts, const hj_frame *from);

/*
 * For i11-office (re-review rerequest): the engine's subsidy for these
 * facts (an application's data, loaded with hj_facts_load_json) in frame
 * 'to' — its own eligibility, rate and cap through hj_evaluate. *yen is
 * the subsidy when the verdict is eligible and the amount known, else -1
 * (the application is not moved there); *verdict (may be NULL) gets the
 * verdict. HJ_ERR_RANGE on overflow in the rules.
 */
hj_status hj_review_reamount(const hj_rulebook *rb, hj_facts *facts, const hj_frame *to, hj_yen *yen,
			     hj_verdict *verdict);

/* Does bonus rule i of edition e apply to these facts: HJ_TRUE/HJ_FALSE,
 * HJ_UNKNOWN when a fact it reads is missing. 'values' (may be NULL)
 * gets the values seen ("経営革新計画=承認済み"), NUL-terminated. */
hj_truth hj_bonus_check(const hj_rulebook *rb, hj_facts *facts, const hj_edition *e, int i, char *values,
			size_t nvalues);

/* ---- selection ---- */

/* Tie-break keys, applied in the order the call declares them after the
 * total score (higher first). The last resort is always the id, lower
 * first, so that the order is total. */
typedef enum hj_tiebreak {
	HJ_TB_BONUS_DESC = 1,     /* more bonus points first */
	HJ_TB_REQUEST_ASC,        /* smaller requested subsidy first */
	HJ_TB_REQUEST_DESC,
	HJ_TB_SUBMITTED_ASC,      /* submitted earlier first */
	HJ_TB_CRITERION_DESC      /* higher mean on criterion 'criterion' */
} hj_tiebreak;

typedef struct hj_tiebreak_rule {
	hj_tiebreak key;
	int criterion;            /* HJ_TB_CRITERION_DESC: index into hj_sel_app.crit */
} hj_tiebreak_rule;

/* Parse "bonus_desc,request_asc,submitted_asc,criterion_desc:tech" (the
 * names the API and CLI use) into rules (room for max), resolving
 * criterion names through 'crit_ids' (n_crit). HJ_ERR_INPUT names the
 * bad item. */
hj_status hj_tiebreak_parse(const char *text, const char *const *crit_ids, int n_crit, hj_tiebreak_rule *out,
			    int max, int *n, hj_error *err);

#define HJ_SEL_MAX_CRIT 16

/* One frame of the selection: its budget and slots (0: none set). */
typedef struct hj_sel_frame {
	const char *id;           /* frame id */
	hj_yen budget;            /* 0: unlimited */
	int64_t slots;            /* 0: unlimited */
	int rereview_to;          /* index of the frame rejected ones move to, -1 */
	const char *rereview_bonus_id; /* "" or the bonus rule carried there */
	int64_t rereview_bonus;   /* points that bonus adds there (0 when none) */
	int rereview_priority;    /* 1: moved ones rank ahead at equal score */
} hj_sel_frame;

typedef struct hj_sel_app {
	int64_t id;
	int frame;                /* index into the frames */
	hj_yen request;           /* requested subsidy in that frame */
	hj_yen rerequest;         /* the engine's amount in the re-review frame
				     (-1: not eligible there, not moved) */
	hj_frac score;            /* total: review mean + confirmed bonus */
	int64_t bonus;            /* confirmed bonus points (in 'score') */
	int64_t submitted_us;
	int ncrit;
	hj_frac crit[HJ_SEL_MAX_CRIT]; /* mean per criterion (tie-breaks) */
	int eligible;             /* 0: excluded before ranking (reason given by the caller) */
	int reframe;              /* 0: a rejected one moves to its frame's
				     rereview_to; k > 0: to frame k - 1 instead
				     (a frame with several targets told apart by
				     'when', hj_review_target) */
} hj_sel_app;

typedef enum hj_sel_outcome {
	HJ_SEL_ADOPTED = 1,       /* 採択 in its own frame */
	HJ_SEL_ADOPTED_REREVIEW,  /* 採択 in the re-review frame */
	HJ_SEL_REJECTED,          /* 不採択 */
	HJ_SEL_EXCLUDED           /* not ranked (eligible 0) */
} hj_sel_outcome;

typedef struct hj_sel_decision {
	int64_t id;
	hj_sel_outcome outcome;
	int frame;                /* the frame it was finally ranked in */
	int moved;                /* 1: it was moved by re-review */
	int64_t rank;             /* 1-based rank in that frame (0: excluded) */
	hj_yen amount;            /* adopted amount (0 unless adopted) */
	hj_frac score;            /* score it was ranked with (incl. re-review bonus) */
	const char *reason;       /* Japanese: "予算の上限に達した", "採択枠（400社）に達した" … */
} hj_sel_decision;

typedef struct hj_sel_cut {
	int frame;
	int64_t ranked;           /* applications ranked in the frame */
	int64_t adopted;
	hj_yen budget, used, left;  /* budget 0: unlimited (left 0) */
	int64_t slots;            /* 0: unlimited */
	int has_last;             /* last adopted score */
	hj_frac last_adopted;
	int has_first;            /* first rejected score */
	hj_frac first_rejected;
	const char *stopped_by;   /* "budget", "slots", "none" */
} hj_sel_cut;

typedef struct hj_sel_result {
	hj_sel_decision *decisions; /* one per application, in input order */
	int64_t ndecisions;
	hj_sel_cut *cuts;           /* one per frame, in input order */
	int ncuts;
	char inputs_hash[65];       /* SHA-256 over the canonical inputs */
} hj_sel_result;

/*
 * Rank and adopt. Frames with a re-review target are decided first; their
 * rejected applications with rerequest >= 0 move to the target with its
 * amount and the carried bonus, and are ranked there with the rest. In a
 * frame, adopt down the ranking while the sum of amounts stays within the
 * budget and the count within the slots; the first application that does
 * not fit stops the frame (everything below is rejected) — the cut line.
 * Deterministic: the same inputs give the same result and hash.
 * Errors: HJ_ERR_INPUT (field names the application or frame),
 * HJ_ERR_RANGE (overflow), HJ_ERR_NOMEM.
 */
hj_status hj_selection_run(const hj_sel_frame *frames, int nframes, const hj_sel_app *apps, int64_t napps,
			   const hj_tiebreak_rule *tb, int ntb, hj_sel_result *out, hj_error *err);
void hj_sel_result_free(hj_sel_result *r);

/* Exact comparison of two scores (-1, 0, 1); text of a score rounded
 * down to 'decimals' places ("72.33"). */
int hj_score_cmp(hj_frac a, hj_frac b);
void hj_score_text(hj_frac s, int decimals, char *out, size_t n);

/* Aggregation of one application's reviews: per criterion and in total,
 * mean (exact), median (exact: the mean of the two middle ones when even),
 * spread (max - min), and whether the spread of the totals exceeds
 * 'threshold' (0: never flagged). scores[r * ncrit + c] is reviewer r's
 * score on criterion c; weights[c] each criterion's weight. */
typedef struct hj_aggregate {
	int nreviews;
	hj_frac mean[HJ_SEL_MAX_CRIT], median[HJ_SEL_MAX_CRIT];
	int64_t spread[HJ_SEL_MAX_CRIT];
	hj_frac total_mean, total_median;  /* of the weighted sums */
	int64_t total_spread;
	int disagree;
} hj_aggregate;
hj_status hj_aggregate_scores(const int64_t *scores, int nreviews, int ncrit, const int64_t *weights,
			      int64_t threshold, hj_aggregate *out, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
