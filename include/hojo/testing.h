/*
 * hojo/testing.h - running the rulebook's test cases (tests/cases/).
 *
 * A case file is YAML: an optional 'base' input merged under every case,
 * and 'cases', each with a sentence-like 'name', an 'input' (the same
 * shape as hojo check's input), an optional 'date' and what to 'expect'
 * (docs/testing.md). The runner uses the same evaluator as production.
 *
 * Ownership: the callback's strings are valid during the call only.
 */
#ifndef HOJO_TESTING_H
#define HOJO_TESTING_H

#include "error.h"
#include "rulebook.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called once per case; 'ok' 1 = passed. 'detail' says what differed. */
typedef void (*hj_test_cb)(void *ud, const char *file, int line, const char *name, int ok,
			   const char *detail);

typedef struct hj_test_counts {
	int passed;
	int failed;
	int frames_covered; /* distinct frames with at least one expectation */
} hj_test_counts;

/*
 * Run every case in 'path' (a .yaml file, or a directory searched for
 * *.yaml). A malformed case file is an error (HJ_ERR_INPUT) naming its
 * line; failing expectations are counted, not errors. 'covered' (may be
 * NULL, else room for hj_rulebook_nframes entries) is set to 1 for every
 * frame some case checks.
 */
hj_status hj_test_run(const hj_rulebook *rb, const char *path, hj_test_cb cb, void *ud,
		      hj_test_counts *counts, unsigned char *covered, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
