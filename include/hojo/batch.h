/*
 * hojo/batch.h - summarising many applicants: per frame, how many are
 * eligible, undetermined and ineligible, and the total subsidy of the
 * eligible ones; per applicant (each counted once), whether it is
 * eligible anywhere and what its best frame pays, overall, by industry
 * and by size class (a policy analyst's "how many firms, at what cost").
 *
 * Ownership: the caller owns the hj_summary; its arrays are allocated by
 * hj_summary_init and released by hj_summary_free. The callback's error is
 * valid during the call only; it may be called from worker threads, but
 * never from two at once.
 */
#ifndef HOJO_BATCH_H
#define HOJO_BATCH_H

#include "error.h"
#include "input.h"
#include "eval.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_tally {
	long count[3];       /* indexed by hj_verdict */
	long long subsidy;   /* sum of the subsidies of eligible results, yen */
	long best;           /* applicants whose best frame this is */
	long long best_subsidy; /* the sum of their subsidies on it, yen */
} hj_tally;

/*
 * Applicants counted once each (all of them, or those of one industry or
 * one size class). An applicant's best frame is the eligible frame with
 * the highest subsidy; on a tie, the one with the higher cap, then the
 * one listed first by 'hojo rules' (the order of hj_rulebook_frame): the
 * frame 'hojo check' ranks first.
 */
typedef struct hj_group_tally {
	long applicants;     /* records counted */
	long eligible;       /* eligible for at least one frame */
	long undetermined;   /* eligible for none, undetermined for at least one */
	long ineligible;     /* ineligible for every frame evaluated */
	long none_in_force;  /* no selected frame in force on its date */
	long long best_total; /* each eligible applicant's best-frame subsidy, added up */
} hj_group_tally;

/*
 * A summary. hj_summary_init allocates the arrays (hj_summary_free
 * releases them); hj_summarize fills them.
 */
typedef struct hj_summary {
	long records, errors;    /* records read, records skipped as bad */
	hj_tally *frames;        /* one per frame, indexed like hj_rulebook_frame */
	hj_group_tally all;
	int nindustries;         /* values of the enum 'industry' */
	hj_group_tally *industry; /* [nindustries + 1]; the last: industry not given */
	int nsizes;              /* values of the enum 'size_class' */
	hj_group_tally *size;    /* [nsizes + 1]; the last: class undetermined */
	long undated;            /* records judged without a date: on every edition */
} hj_summary;

hj_status hj_summary_init(const hj_rulebook *rb, hj_summary *s);
void hj_summary_free(hj_summary *s);
/* Id and Japanese label of industry value i (NULL when out of range). */
const char *hj_industry_id(const hj_rulebook *rb, int i);
const char *hj_industry_name(const hj_rulebook *rb, int i);

typedef void (*hj_record_error_fn)(void *ud, const hj_error *err);

/*
 * Read every record of 'path' ("-" for standard input; CSV or JSON Lines)
 * and tally the frames selected by 'sel' (with no date in 'sel', each
 * record's own 'date' selects, and a record without one counts for every
 * frame) into 's' (from hj_summary_init; its counts are reset first).
 * A bad record is passed to 'on_error' and skipped. With
 * threads > 1, a regular CSV file without quote characters is split at
 * line boundaries and read in parallel; the totals are the same.
 * Returns HJ_OK even when some records were bad (see s->errors); an error
 * status only when the file cannot be read at all.
 */
hj_status hj_summarize(const hj_rulebook *rb, const char *path, hj_format fmt,
		       const hj_selection *sel, int threads, hj_summary *s,
		       hj_record_error_fn on_error, void *ud, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
