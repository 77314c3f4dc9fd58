/*
 * hojo/batch.h - summarising many applicants: per frame, how many are
 * eligible, undetermined and ineligible, and the total subsidy of the
 * eligible ones (a policy analyst's "how many firms, at what cost").
 *
 * Ownership: the caller owns the tally array (one entry per frame of the
 * rulebook, indexed like hj_rulebook_frame). The callback's error is
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
} hj_tally;

typedef void (*hj_record_error_fn)(void *ud, const hj_error *err);

/*
 * Read every record of 'path' ("-" for standard input; CSV or JSON Lines)
 * and tally the frames selected by 'sel' (with no date in 'sel', each
 * record's own 'date' selects, and a record without one counts for every
 * frame). A bad record is passed to 'on_error' and skipped. With
 * threads > 1, a regular CSV file without quote characters is split at
 * line boundaries and read in parallel; the totals are the same.
 * Returns HJ_OK even when some records were bad (see *errors); an error
 * status only when the file cannot be read at all.
 */
hj_status hj_summarize(const hj_rulebook *rb, const char *path, hj_format fmt,
		       const hj_selection *sel, int threads, hj_tally *tally,
		       long *records, long *errors, hj_record_error_fn on_error,
		       void *ud, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
