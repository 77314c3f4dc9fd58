/*
 * review-int.h - internal to lib/: an edition's review rules as the
 * loader (review-rules.c) builds them and lib/review.c reads them. The
 * public parts (hojo/review.h) are embedded; the compiled conditions
 * stay here. Everything is allocated in the rulebook and freed with it.
 */
#ifndef HOJO_REVIEW_INT_H
#define HOJO_REVIEW_INT_H

#include "hojo/review.h"
#include "rulebook-int.h"

#define HJ_REVIEW_MAX_CRIT HJ_SEL_MAX_CRIT

typedef struct hj_review_bonus {
	hj_bonus_rule pub;
	hj_expr *when;     /* the condition over the applicant's facts */
} hj_review_bonus;

typedef struct hj_review_rr {
	hj_rereview pub;
	hj_expr *when;     /* NULL: every rejected application of 'from' */
} hj_review_rr;

struct hj_review_rules {
	int has_scale;
	hj_scale scale;
	hj_criterion *crit;
	int ncrit;
	hj_review_bonus *bonus;
	int nbonus;
	hj_review_rr *rr;
	int nrr;
	const char *note;
	const char *source;
};
typedef struct hj_review_rules hj_review_rules;

#endif
